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
    assert len(expected[1]) == 3167  # the seed's triples, all in the store
    # a store made afresh is loaded as the parts come (a StoreFiller) up to STREAMED_RELEASES releases; beyond,
    # from the sorted N-Triples:
    monkeypatch.setattr(corpus, "STREAMED_RELEASES", 0)
    monkeypatch.setattr(corpus, "PACKED_RELEASES", 0)  # and each part's lines packed until the merge, as beyond 4,000
    build(ROOT / "data", tmp_path / "by-the-writer-thread", store="oxigraph", keep_triples=False)
    monkeypatch.setattr(corpus, "IN_PROCESS", 0)
    build(ROOT / "data", tmp_path / "beside-the-checks", store="oxigraph", keep_triples=False)
    monkeypatch.setattr(corpus, "CONCURRENT_STORE", 0)
    build(ROOT / "data", tmp_path / "after-the-checks", store="oxigraph", keep_triples=False)
    for name in ("by-the-writer-thread", "beside-the-checks", "after-the-checks"):
        assert outputs(tmp_path / name) == expected, name
        assert sorted(p.name for p in (tmp_path / name).iterdir()) == ["cache", "graph.ttl", "store", "store.sha256"]


def test_a_store_loaded_as_two_workers_build_holds_every_triple_of_graph_ttl(tmp_path):
    """Forty releases built by two workers: the fresh store, loaded part by part as they arrive (in any
    order, the triples two parts share given twice), holds exactly the triples of graph.ttl."""
    import pyoxigraph

    from kg.draft.synth import synthesize
    from kg.pipeline.corpus import build

    data = tmp_path / "data"
    synthesize(40, data, seed=3, registry_from=ROOT / "data")
    result = build(data, tmp_path / "out", store="oxigraph", jobs=2)
    assert result.rebuilt == 40 and result.report.conforms
    store = pyoxigraph.Store.read_only(str(tmp_path / "out" / "store"))
    in_store = {str(quad.triple) for quad in store}
    reference = pyoxigraph.Store()  # graph.ttl in a store: literals in the same canonical form ("1.5E6" as "1500000")
    reference.load((tmp_path / "out" / "graph.ttl").read_bytes(), format=pyoxigraph.RdfFormat.TURTLE)
    written = {str(quad.triple) for quad in reference}
    assert len(in_store) == len(store) == len(written) > 40 * 100
    assert in_store == written
