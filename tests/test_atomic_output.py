"""Nothing is lost: a failed, refused or interrupted build leaves the previous output as it was."""

import os

import pytest

from conftest import DATA
from kg.pipeline.corpus import outputs_after

SENTINEL = b"# the previous output\n"


@pytest.fixture
def out(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "graph.ttl").write_bytes(SENTINEL)
    return folder


def leftovers(folder):
    """Everything but graph.ttl and the build cache's entries: temporary files, half-written stores."""
    return sorted(
        str(p.relative_to(folder)) for p in folder.rglob("*")
        if p.name != "graph.ttl" and (p.relative_to(folder).parts[0] != "cache" or p.name.startswith(".kg-tmp")))


def test_a_conforming_build_replaces_the_output(out):
    from kg.pipeline.corpus import build

    result = build(DATA, out)
    assert result.report.conforms and result.output == out / "graph.ttl"
    assert (out / "graph.ttl").read_bytes().startswith(b"@prefix")
    assert leftovers(out) == []


def test_a_non_conforming_graph_is_not_written(out, monkeypatch):
    import kg.check.shacl
    from kg.check.shacl import Finding
    from kg.pipeline.corpus import build

    finding = Finding("x", "a fact", "a rule", "broken", None, "Violation")
    monkeypatch.setattr(kg.check.shacl, "check_store", lambda store, *args, **kwargs: [finding])
    result = build(DATA, out)
    assert result.output is None and not result.report.conforms
    assert (out / "graph.ttl").read_bytes() == SENTINEL
    assert leftovers(out) == []


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_an_interrupted_build_leaves_the_previous_output(out, monkeypatch, store):
    import kg.pipeline.checker
    from kg.pipeline.corpus import build

    def interrupted(checker, timeout):  # Ctrl-C while the build waits for the checks
        raise KeyboardInterrupt

    monkeypatch.setattr(kg.pipeline.checker.Checker, "findings", interrupted)
    with pytest.raises(KeyboardInterrupt) as stopped:
        build(DATA, out, store=store)
    assert (out / "graph.ttl").read_bytes() == SENTINEL
    assert leftovers(out) == []
    assert outputs_after(stopped.value) == "outputs are unchanged"


def test_a_build_stopped_after_graph_ttl_says_so_to_the_python_caller(out, monkeypatch):
    """The cache cannot be committed (a full disk): graph.ttl was replaced, and the error says so."""
    import kg.pipeline.cache
    from kg.pipeline.corpus import build

    def disk_full(self, keep):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(kg.pipeline.cache.Cache, "commit", disk_full)
    with pytest.raises(OSError) as stopped:
        build(DATA, out)
    assert (out / "graph.ttl").read_bytes().startswith(b"@prefix")
    assert outputs_after(stopped.value) == "graph.ttl was replaced; the build cache was not updated"
    assert not (out / "cache").exists() and leftovers(out) == []


def test_write_atomic_cleans_up_after_a_failure(tmp_path, monkeypatch):
    from kg.stores.files import write_atomic

    target = tmp_path / "graph.nt"
    target.write_bytes(SENTINEL)

    def fail(src, dst):
        raise OSError("rename failed")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        write_atomic(target, b"new")
    assert target.read_bytes() == SENTINEL
    assert [p.name for p in tmp_path.iterdir()] == ["graph.nt"]


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_a_full_disk_or_a_failed_rename_leaves_the_previous_output(out, monkeypatch, failing):
    """Case 13 of SECURITY.md: the disk fills up while graph.ttl is written, or the rename fails."""
    from kg.pipeline.corpus import build

    def disk_full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing, disk_full)
    with pytest.raises(OSError):
        build(DATA, out)
    assert (out / "graph.ttl").read_bytes() == SENTINEL
    assert leftovers(out) == []


def test_the_command_reports_a_full_disk_in_one_sentence(out, monkeypatch):
    from click.testing import CliRunner

    from kg.cli import cli

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    result = CliRunner().invoke(cli, ["build", "--data", str(DATA), "--out", str(out)])
    assert result.exit_code == 2
    assert "outputs are unchanged" in result.stderr and "Traceback" not in result.output
    assert (out / "graph.ttl").read_bytes() == SENTINEL
