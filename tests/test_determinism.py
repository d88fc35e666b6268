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
