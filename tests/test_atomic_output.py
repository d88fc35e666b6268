"""Nothing is lost: a failed, refused or interrupted build leaves the previous output as it was."""

import os

import pytest

from conftest import DATA

SENTINEL = b"# the previous output\n"


@pytest.fixture(params=["fork", "no-fork"])
def out(request, tmp_path, monkeypatch):
    if request.param == "no-fork":
        monkeypatch.setenv("KG_NO_FORK", "1")
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "graph.ttl").write_bytes(SENTINEL)
    return folder


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name != "graph.ttl")


def test_a_conforming_build_replaces_the_output(out):
    from kg.pipeline import build

    result = build(DATA, out)
    assert result.report.conforms and result.output == out / "graph.ttl"
    assert (out / "graph.ttl").read_bytes().startswith(b"@prefix")
    assert leftovers(out) == []


def test_a_non_conforming_graph_is_not_written(out, monkeypatch):
    import kg.validate
    from kg.pipeline import build
    from kg.validate import Finding, Report

    finding = Finding("x", "a fact", "a rule", "broken", None, "Violation")
    monkeypatch.setattr(kg.validate, "validate_graph", lambda graph, **options: Report(False, graph, [finding]))
    result = build(DATA, out)
    assert result.output is None and not result.report.conforms
    assert (out / "graph.ttl").read_bytes() == SENTINEL
    assert leftovers(out) == []


def test_an_interrupted_build_leaves_the_previous_output(out, monkeypatch):
    import kg.validate
    from kg.pipeline import build

    def interrupted(graph, **options):
        raise KeyboardInterrupt

    monkeypatch.setattr(kg.validate, "validate_graph", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(DATA, out)
    assert (out / "graph.ttl").read_bytes() == SENTINEL
    assert leftovers(out) == []


def test_write_atomic_cleans_up_after_a_failure(tmp_path, monkeypatch):
    from kg.io import write_atomic

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
    """Case 13 of bad-inputs.md: the disk fills up while graph.ttl is written, or the rename fails."""
    from kg.pipeline import build

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


def test_parallel_validation_gives_the_same_report(graph):
    """kg build validates the SPARQL checks in a child process; the report must not change."""
    from rdflib import Literal

    from kg.namespaces import KGO, KGR
    from kg.validate import validate_graph

    broken = type(graph)()
    broken += graph
    share = KGR["release/000_c861f582b8da151e/fact/marche-azerbaijan-share-2024"]
    broken.set((share, KGO.sharePercent, Literal("0.5", datatype=graph.value(share, KGO.sharePercent).datatype)))
    for candidate in (graph, broken):
        one, two = validate_graph(candidate), validate_graph(candidate, parallel=True)
        assert one.conforms == two.conforms and one.text() == two.text()
    assert not validate_graph(broken, parallel=True).conforms
