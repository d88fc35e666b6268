"""`kg query --format`: rows and booleans in every SPARQL 1.1 results format, graphs in every RDF
syntax, each read back by a reader that is not the writer (rdflib's parsers; pyoxigraph's for a
TSV boolean) and checked against the seed release: «l'export regionale, che supera i 14 miliardi
di euro» (Marche's exports to the world in 2024: more than EUR 14 billion)."""

import io
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal
from rdflib.namespace import XSD
from rdflib.query import Result

from kg.cli import cli
from seedfact import ASK_LESS, ASK_MORE, CONSTRUCT, DESCRIBE, SELECT, seed_facts

ROOT = Path(__file__).resolve().parent.parent
RDFLIB_NAMES = {"turtle": "turtle", "nt": "nt", "nquads": "nquads", "trig": "trig", "xml": "xml", "jsonld": "json-ld",
                "table": "turtle", "md": "turtle", "json": "json-ld"}


def query(graph_file, text, fmt):
    return CliRunner().invoke(cli, ["query", "--graph", str(graph_file), "--format", fmt, "--sparql", text])


@pytest.mark.parametrize("fmt", list(RDFLIB_NAMES))
def test_a_graph_in_every_rdf_syntax(built_ttl, fmt):
    """DESCRIBE and CONSTRUCT as Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD (and table, md: Turtle;
    json: JSON-LD), read by rdflib: the same triples in each."""
    for text in (DESCRIBE, CONSTRUCT):
        result = query(built_ttl, text, fmt)
        assert result.exit_code == 0, result.output
        graph = Graph().parse(data=result.stdout, format=RDFLIB_NAMES[fmt])
        seed_facts(graph)
        reference = Graph().parse(data=query(built_ttl, text, "nt").stdout, format="nt")
        assert set(graph) == set(reference) and (len(graph) == 2 if text == CONSTRUCT else len(graph) > 10)


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv", "csv"])
def test_rows_in_every_results_format(built_ttl, fmt):
    result = query(built_ttl, SELECT, fmt)
    assert result.exit_code == 0, result.output
    rows = list(Result.parse(io.BytesIO(result.stdout_bytes), format=fmt))
    assert len(rows) == 1
    amount, hedge = rows[0]
    assert Decimal(str(amount)) == Decimal("14000000000")
    if fmt == "csv":  # SPARQL CSV keeps lexical forms only
        assert str(hedge) == "supera"
    else:
        assert (amount.datatype, hedge) == (XSD.decimal, Literal("supera", lang="it"))


@pytest.mark.parametrize("fmt", ["table", "md", "json", "xml", "csv", "tsv"])
def test_ask_in_every_results_format(built_ttl, fmt):
    import pyoxigraph

    for text, expected in ((ASK_MORE, True), (ASK_LESS, False)):
        result = query(built_ttl, text, fmt)
        assert result.exit_code == 0, result.output
        if fmt in ("json", "xml"):
            assert Result.parse(io.BytesIO(result.stdout_bytes), format=fmt).askAnswer is expected
        elif fmt == "tsv":
            assert bool(pyoxigraph.parse_query_results(result.stdout_bytes, format=pyoxigraph.QueryResultsFormat.TSV)) is expected
        else:  # table, md; CSV has no boolean of its own: the word, as pyoxigraph and Jena's tools write it
            assert result.stdout.strip() == str(expected).lower()


def test_a_library_query_as_sparql_xml(built_ttl):
    """The posts of the release («il presidente di Confindustria Ancona, Diego Mingarelli»), as SPARQL XML."""
    result = CliRunner().invoke(cli, ["query", "posts", "--graph", str(built_ttl), "--format", "xml"])
    assert result.exit_code == 0, result.output
    rows = Result.parse(io.BytesIO(result.stdout_bytes), format="xml")
    people = {str(row.person) for row in rows}
    assert "Diego Mingarelli" in people and "Roberto Morichelli" in people


@pytest.mark.parametrize("text,fmt,words", [
    (SELECT, "turtle", ("SELECT", "rows", "turtle")),
    (ASK_MORE, "jsonld", ("ASK", "boolean", "jsonld")),
    (DESCRIBE, "csv", ("CONSTRUCT or DESCRIBE", "graph", "csv")),
    (CONSTRUCT, "tsv", ("CONSTRUCT or DESCRIBE", "graph", "tsv")),
])
def test_a_format_that_cannot_write_the_answer_is_one_sentence(built_ttl, text, fmt, words):
    result = query(built_ttl, text, fmt)
    assert result.exit_code == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert all(word in lines[0] for word in words), lines[0]


def test_the_command_offers_every_format():
    from kg.cli import query as command
    from kg.errors import UsageError
    from kg.query.results import FORMATS

    option = next(p for p in command.params if p.name == "fmt")
    assert [option.type.convert(name, option, None) for name in FORMATS] == list(FORMATS)
    with pytest.raises(UsageError, match="unknown format 'yaml'"):
        option.type.convert("yaml", option, None)


@pytest.mark.parametrize("fmt", ["jsonld", "xml", "trig"])
def test_graph_syntaxes_are_the_same_bytes_from_run_to_run(built_ttl, fmt):
    """Two processes (two hash seeds), one answer: the triples are written in sorted order."""
    args = [sys.executable, "-m", "kg.cli", "query", "--graph", str(built_ttl), "--format", fmt, "--sparql", DESCRIBE]
    first, second = (subprocess.run(args, capture_output=True, cwd=ROOT, check=True).stdout for _ in range(2))
    assert first == second and len(first) > 1000
