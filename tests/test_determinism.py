"""Outputs are byte-identical from run to run, whatever PYTHONHASHSEED is."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _build(out: Path, seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run(
        [sys.executable, "-m", "kg.cli", "build", "--data", str(ROOT / "data"), "--out", str(out)],
        check=True, env=env, cwd=ROOT, capture_output=True,
    )
    return (out / "graph.ttl").read_bytes()


def test_build_is_byte_identical_under_four_hash_seeds(tmp_path):
    outputs = {seed: _build(tmp_path / f"out-{seed}", seed) for seed in ("0", "1", "42", "random")}
    digests = {seed: hashlib.sha256(data).hexdigest() for seed, data in outputs.items()}
    assert len(set(digests.values())) == 1, digests


def test_exports_are_stable_in_process(graph):
    from kg.stores.files import serialize

    for fmt in ("turtle", "nt", "jsonld", "xml", "trig"):
        assert serialize(graph, fmt) == serialize(graph, fmt), fmt


def test_outputs_written_by_processes_of_their_own_are_the_ones_written_in_process(tmp_path, monkeypatch):
    """A graph of 1 MiB of N-Triples or more has graph.ttl and the store made by fresh processes while the
    checks run (the store after them above 128 MiB): the seed, made to go each way, gives the same
    graph.ttl and a store with the same triples as when it is written in the build's own process."""
    import pyoxigraph

    import kg.pipeline.corpus as corpus
    from kg.pipeline.corpus import build

    def outputs(out: Path) -> tuple[bytes, list]:
        store = pyoxigraph.Store.read_only(str(out / "store"))
        return (out / "graph.ttl").read_bytes(), sorted(str(quad) for quad in store)

    build(ROOT / "data", tmp_path / "in-process", store="oxigraph")
    expected = outputs(tmp_path / "in-process")
    assert len(expected[1]) == 2181  # the seed's triples, all in the store
    monkeypatch.setattr(corpus, "IN_PROCESS", 0)
    build(ROOT / "data", tmp_path / "beside-the-checks", store="oxigraph", keep_triples=False)
    monkeypatch.setattr(corpus, "CONCURRENT_STORE", 0)
    build(ROOT / "data", tmp_path / "after-the-checks", store="oxigraph", keep_triples=False)
    for name in ("beside-the-checks", "after-the-checks"):
        assert outputs(tmp_path / name) == expected, name
        assert sorted(p.name for p in (tmp_path / name).iterdir()) == ["cache", "graph.ttl", "store", "store.sha256"]
