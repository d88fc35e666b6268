"""The README documents every command, every library query and every exit code."""

from pathlib import Path

import pytest

from kg.cli import cli
from kg.query.library import library

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
CATALOGUE = README.split("## Query catalogue", 1)[1].split("\n## ", 1)[0]


def test_readme_opens_with_the_two_commands():
    first_block = README.split("```", 2)[1]
    assert "make run" in first_block and "make test" in first_block


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_a_section(command):
    assert f"### `kg {command}" in README


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help(command):
    assert cli.commands[command].help


@pytest.mark.parametrize("query", library(), ids=lambda q: q.name)
def test_every_library_query_is_in_the_catalogue(query):
    row = next((line for line in CATALOGUE.splitlines() if line.startswith(f"| `{query.name}` |")), None)
    assert row is not None, f"{query.name} missing from the query catalogue"
    for param in query.params:
        assert f"`{param}`" in row


@pytest.mark.parametrize("query", library(), ids=lambda q: q.name)
def test_every_library_query_states_its_question(query):
    assert query.question.endswith("?")
    assert "ORDER BY" in query.text  # deterministic results


def test_at_least_twelve_queries():
    assert len(library()) >= 12


def test_exit_codes_documented():
    for code in ("| 0 |", "| 1 |", "| 2 |"):
        assert code in README


def test_data_readme_names_source_date_and_licence():
    text = (ROOT / "data" / "README.md").read_text(encoding="utf-8").lower()
    for word in ("000_c861f582b8da151e", "2026-02-20", "licence", "registry.yaml", "source"):
        assert word in text
