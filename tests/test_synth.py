"""`kg synth`: a deterministic synthetic corpus that builds and validates like curated data."""

import hashlib
from pathlib import Path

from click.testing import CliRunner

from kg.cli import cli


def digest(folder: Path) -> str:
    sha = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            sha.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return sha.hexdigest()


def test_a_synthetic_corpus_builds_and_conforms(tmp_path):
    result = CliRunner().invoke(cli, ["synth", "12", "--out", str(tmp_path / "corpus"), "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "corpus" / "releases").iterdir())) == 12
    built = CliRunner().invoke(cli, ["build", "--data", str(tmp_path / "corpus"), "--out", str(tmp_path / "out")])
    assert built.exit_code == 0, built.output
    assert "releases: 12" in built.output and "conforms: yes" in built.output


def test_same_count_and_seed_give_the_same_files(tmp_path):
    for name, seed in (("a", "7"), ("b", "7"), ("c", "8")):
        assert CliRunner().invoke(cli, ["synth", "6", "--out", str(tmp_path / name), "--seed", seed]).exit_code == 0
    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    assert digest(tmp_path / "a") != digest(tmp_path / "c")


def test_every_release_states_what_its_annotation_says(tmp_path):
    """Each evidence quote is found in its text (the loader refuses otherwise) and figures are stated there."""
    from kg.draft.synth import synthesize
    from kg.pipeline.corpus import load_corpus

    corpus = load_corpus(synthesize(25, tmp_path / "corpus", seed=11))
    kinds = {fact.kind for release in corpus.releases for fact in release.facts}
    assert {"trade", "comparison", "post", "quotation"} <= kinds
    for release in corpus.releases:
        for fact in release.facts:
            for span in fact.evidence:
                assert release.text[span.start:span.end] == span.quote


def test_synth_refuses_a_non_empty_folder(tmp_path):
    assert CliRunner().invoke(cli, ["synth", "2", "--out", str(tmp_path / "x")]).exit_code == 0
    result = CliRunner().invoke(cli, ["synth", "2", "--out", str(tmp_path / "x")])
    assert result.exit_code == 2 and "not empty" in result.stderr
