"""The README's examples, run: every `kg` command of its `sh` blocks on the seed, every `$ kg` transcript
compared line by line with what the command prints, and the loader's error made as the README says.

A transcript's `...` stands for what the README leaves out: a line of its own for any lines, within a line
for the rest of it. The curl examples are run against `kg serve` by tests/test_endpoint_formats.py, and
the `kg extract --evaluate` table by tests/test_extract.py."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = [(match.group(1), match.group(2), README.count("\n", 0, match.start()) + 1)
          for match in re.finditer(r"^```(\w*)\n(.*?)^```", README, re.S | re.M)]
#: the commands run on the seed's graph (out/graph.ttl in the folder they run in)
ON_THE_GRAPH = {"query", "explain", "path", "hubs", "stats", "validate", "export", "viz", "chart"}
#: transcripts run elsewhere: kg build's by test_the_loaders_error_is_the_one_the_readme_shows, kg extract's by tests/test_extract.py,
#: kg diff's (an edited seed against the seed) by tests/test_diff.py
ELSEWHERE = {"build", "extract", "diff"}


def commands() -> list[tuple[int, str]]:
    """(README line, command) of every `sh` block that holds only kg commands."""
    found = []
    for language, body, line in BLOCKS:
        lines = [(line + 1 + n, text) for n, text in enumerate(body.splitlines()) if text.strip() and not text.startswith("#")]
        if language == "sh" and lines and all(text.startswith("kg ") for _n, text in lines):
            found += lines
    return found


def transcripts() -> list[tuple[int, str, str]]:
    """(README line, command, what it prints) of every `$ kg` transcript."""
    found = []
    for _language, body, line in BLOCKS:
        parts = re.split(r"^\$ (kg .*)\n", body, flags=re.M)
        for n in range(1, len(parts), 2):
            found.append((line, parts[n], parts[n + 1]))
    return found


@pytest.fixture
def seed_folder(built_ttl, tmp_path, monkeypatch):
    """A folder with the seed's graph at out/graph.ttl, the working directory of the examples."""
    (tmp_path / "out").mkdir()
    shutil.copy(built_ttl, tmp_path / "out" / "graph.ttl")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(command: str, endpoint: str | None = None):
    """Run a README command line in process: ``kg ARGS [> FILE]  # comment``; the result, and the file written by
    ``>``. ``endpoint``: the URL of a running `kg serve` that stands for the README's ``--endpoint`` URL."""
    args = shlex.split(command, comments=True)
    if endpoint is not None and "--endpoint" in args:
        args[args.index("--endpoint") + 1] = endpoint
    assert args[0] == "kg"
    target = None
    if ">" in args:
        at = args.index(">")
        args, target = args[:at], args[at + 1]
        assert len(args) == at and target, command
    result = CliRunner().invoke(cli, args[1:])
    if target is not None and result.exit_code == 0:
        Path(target).write_bytes(result.stdout_bytes)
    return result


def test_the_readme_has_examples_to_run():
    assert len(commands()) >= 10 and len(transcripts()) >= 5
    assert {shlex.split(command)[1] for _line, command, _out in transcripts()} <= ON_THE_GRAPH | ELSEWHERE


@pytest.mark.parametrize("line,command", commands(), ids=[f"line {line}" for line, _ in commands()])
def test_every_command_of_the_readme_runs(seed_folder, line, command):
    assert shlex.split(command)[1] in ON_THE_GRAPH, command
    if "--endpoint" in shlex.split(command, comments=True):  # asks `kg serve`: one serves the seed's graph
        from conftest import start_server, stop_server

        process, base = start_server(seed_folder / "out" / "graph.ttl")
        try:
            result = invoke(command, endpoint=base + "/sparql")
        finally:
            stop_server(process)
    else:
        result = invoke(command)
    assert result.exit_code == 0, f"README line {line}: {command}\n{result.output}"
    assert result.stdout_bytes.strip(), command


def _pattern(expected: str) -> re.Pattern:
    parts = []
    for line in expected.rstrip("\n").split("\n"):
        if line == "...":
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            parts.append(r"[^\n]*".join(re.escape(piece) for piece in line.split("...")) + r"\n")
    return re.compile("".join(parts))


RUN_HERE = [t for t in transcripts() if shlex.split(t[1])[1] in ON_THE_GRAPH]


@pytest.mark.parametrize("line,command,expected", RUN_HERE, ids=[command for _line, command, _out in RUN_HERE])
def test_every_transcript_of_the_readme_is_what_the_command_prints(seed_folder, line, command, expected):
    result = invoke(command)
    assert result.exit_code in (0, 2), result.output
    assert _pattern(expected).fullmatch(result.output), f"README line {line}: {command}\nprints:\n{result.output}"


def test_the_loaders_error_is_the_one_the_readme_shows(tmp_path, monkeypatch):
    """"With the seed's first amount written `amount: 7,5` instead of `amount: 7500000`": the seed's
    «ha raggiunto i 7,5 milioni di euro» annotated with the Italian decimal comma."""
    found = re.search(r"written\s+`(amount: [^`]+)`\s+instead\s+of\s+`(amount: [^`]+)`:\n\n```\n\$ kg build\n(kg: [^\n]+)\n```",
                      README)
    assert found, "the README's example of a loader error is not where this test reads it"
    wrong, right, expected = found.groups()
    shutil.copytree(ROOT / "data", tmp_path / "data")
    annotation = tmp_path / "data" / "releases" / "000_c861f582b8da151e" / "annotation.yaml"
    text = annotation.read_text(encoding="utf-8")
    assert f"    {right}\n" in text
    annotation.write_text(text.replace(f"    {right}\n", f"    {wrong}\n", 1), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code == 2
    assert result.stderr.strip() == expected and result.stdout == ""
    assert not (tmp_path / "out" / "graph.ttl").exists()
