"""The conventions of the field's command-line tools (Apache Jena's riot, Oxigraph's CLI): ``-o -`` is
standard output wherever a command writes a file; a format is named by kg's, rdflib's or riot's name, its
file extension or its media type, and without ``--format`` the extension of ``-o`` decides; N-Quads put
the graph in the named graph ``kg push`` fills; every command that reads a graph takes ``--graph``.

What comes out on standard output is read by a reader that is not its writer (rdflib and pyoxigraph for
RDF, networkx for GraphML and GEXF, Pillow for PNG, PyYAML for a draft) and checked against the seed:
«l'export regionale, che supera i 14 miliardi di euro» (Marche's exports to the world in 2024, more than
EUR 14 billion), 3,167 triples in all (the README's `kg build` summary)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SEED = "000_c861f582b8da151e"
KGO = "https://example.org/kg/ontology#"
MARCHE_WORLD = f"https://example.org/kg/id/release/{SEED}/fact/marche-world-2024"
PUSHED_GRAPH = "https://example.org/kg/graph"  # where `kg push` puts the graph by default (README, kg push)
TRIPLES = 3167
RDF = ["turtle", "nt", "nquads", "trig", "xml", "jsonld"]
OXIGRAPH = {"turtle": "TURTLE", "nt": "N_TRIPLES", "nquads": "N_QUADS", "trig": "TRIG", "xml": "RDF_XML", "jsonld": "JSON_LD"}
RDFLIB = {"turtle": "turtle", "nt": "nt", "nquads": "nquads", "trig": "trig", "xml": "xml", "jsonld": "json-ld"}


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def stdout_of(*args) -> bytes:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def one_sentence(result) -> str:
    """The one line a refusal prints on stderr (exit 2, nothing on stdout, no traceback)."""
    assert result.exit_code == 2, result.output
    assert result.stdout == "" and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


# ---------------------------------------------------------------- kg export -o -, every RDF syntax


@pytest.mark.parametrize("fmt", RDF)
def test_every_rdf_syntax_on_standard_output_is_read_by_pyoxigraph(built_ttl, fmt):
    import pyoxigraph

    data = stdout_of("export", "--graph", built_ttl, "--format", fmt, "-o", "-")
    quads = list(pyoxigraph.parse(data, format=getattr(pyoxigraph.RdfFormat, OXIGRAPH[fmt])))
    assert len({(q.subject, q.predicate, q.object) for q in quads}) == len(quads) == TRIPLES
    fact = pyoxigraph.NamedNode(MARCHE_WORLD)
    amounts = [q.object for q in quads if q.subject == fact and q.predicate.value == KGO + "tradeValue"]
    assert [(Decimal(a.value), a.datatype.value) for a in amounts] == [(Decimal("14000000000"), "http://www.w3.org/2001/XMLSchema#decimal")]
    hedges = [q.object for q in quads if q.subject == fact and q.predicate.value == KGO + "hedgeText"]
    assert hedges == [pyoxigraph.Literal("supera", language="it")]
    names = {q.graph_name for q in quads}
    if fmt in ("nquads", "trig"):  # the graph in its named graph, the one kg push fills
        assert names == {pyoxigraph.NamedNode(PUSHED_GRAPH)}
    else:
        assert names == {pyoxigraph.DefaultGraph()}


@pytest.mark.parametrize("fmt", RDF)
def test_every_rdf_syntax_on_standard_output_is_read_by_rdflib(built_ttl, fmt):
    from rdflib import Dataset, Literal, URIRef

    data = stdout_of("export", "--graph", built_ttl, "--format", fmt, "-o", "-")
    dataset = Dataset()
    dataset.parse(data=data, format=RDFLIB[fmt])
    quads = list(dataset.quads((None, None, None, None)))
    assert len(quads) == TRIPLES
    fact = URIRef(MARCHE_WORLD)
    amounts = [o.toPython() for _s, _p, o, _g in dataset.quads((fact, URIRef(KGO + "tradeValue"), None, None))]
    assert amounts == [Decimal("14000000000")]
    assert [o for _s, _p, o, _g in dataset.quads((fact, URIRef(KGO + "hedgeText"), None, None))] == [Literal("supera", lang="it")]
    if fmt in ("nquads", "trig"):
        assert {str(g.identifier if hasattr(g, "identifier") else g) for *_t, g in quads} == {PUSHED_GRAPH}


def test_the_named_graph_of_n_quads_is_the_one_kg_push_fills():
    from kg.cli import push
    from kg.stores.files import GRAPH_IRI

    assert str(GRAPH_IRI) == PUSHED_GRAPH
    assert "https://example.org/kg/graph" in next(p.help for p in push.params if p.name == "graph_iri")


@pytest.mark.parametrize("fmt", [*RDF, "graphml", "gexf"])
def test_standard_output_holds_the_bytes_of_the_file_and_nothing_else(built_ttl, tmp_path, fmt):
    target = tmp_path / f"graph.{fmt}"
    written = run("export", "--graph", built_ttl, "--format", fmt, "-o", target)
    assert written.exit_code == 0 and written.stdout.startswith(f"wrote {target}")
    assert stdout_of("export", "--graph", built_ttl, "--format", fmt, "-o", "-") == target.read_bytes()


def test_graphml_and_gexf_on_standard_output_are_read_by_networkx(built_ttl):
    import networkx as nx

    graphml = nx.read_graphml(io.BytesIO(stdout_of("export", "--graph", built_ttl, "--format", "graphml", "-o", "-")))
    gexf = nx.read_gexf(io.BytesIO(stdout_of("export", "--graph", built_ttl, "--format", "gexf", "-o", "-")))
    assert graphml.nodes["place:marche"]["label"] == "Marche" == gexf.nodes["place/marche"]["label"]
    socar = "SOCAR (State Oil Company of Azerbaijan Republic)"
    assert graphml.nodes["org:socar"]["label"] == socar == gexf.nodes["org/socar"]["label"]
    assert graphml.number_of_nodes() == gexf.number_of_nodes() > 50


# ---------------------------------------------------------------- formats by name, extension, media type

SPELLINGS = [
    ("turtle", ["ttl", "TTL", "Turtle", "text/turtle", ".ttl"]),
    ("nt", ["ntriples", "n-triples", "N-Triples", "nt11", "application/n-triples"]),
    ("nquads", ["nq", "n-quads", "N-Quads", "application/n-quads"]),
    ("trig", ["TriG", "application/trig"]),
    ("jsonld", ["json-ld", "JSON-LD", "application/ld+json"]),
    ("xml", ["rdf", "rdfxml", "RDF/XML", "pretty-xml", "application/rdf+xml"]),
    ("graphml", ["GraphML", "application/graphml+xml"]),
    ("gexf", ["application/gexf+xml"]),
]


@pytest.mark.parametrize("fmt,spellings", SPELLINGS, ids=[fmt for fmt, _ in SPELLINGS])
def test_a_format_by_any_of_its_names_extensions_and_media_types(built_ttl, fmt, spellings):
    expected = stdout_of("export", "--graph", built_ttl, "--format", fmt, "-o", "-")
    for spelling in spellings:
        assert stdout_of("export", "--graph", built_ttl, "--format", spelling, "-o", "-") == expected, spelling


@pytest.mark.parametrize("name,fmt", [("graph.ttl", "turtle"), ("graph.nt", "nt"), ("graph.nq", "nquads"), ("graph.trig", "trig"),
                                      ("graph.jsonld", "jsonld"), ("graph.json", "jsonld"), ("graph.rdf", "xml"),
                                      ("graph.owl", "xml"), ("GRAPH.NQ", "nquads"), ("graph.graphml", "graphml"),
                                      ("graph.gexf", "gexf")])
def test_without_format_the_extension_of_the_output_decides(built_ttl, tmp_path, name, fmt):
    result = run("export", "--graph", built_ttl, "-o", tmp_path / name)
    assert result.exit_code == 0, result.output
    assert result.stdout.rstrip().endswith(f", {fmt})")
    assert (tmp_path / name).read_bytes() == stdout_of("export", "--graph", built_ttl, "--format", fmt, "-o", "-")


def test_an_unknown_format_is_one_sentence_listing_the_formats(built_ttl, tmp_path):
    line = one_sentence(run("export", "--graph", built_ttl, "--format", "ntriple", "-o", tmp_path / "x.nt"))
    assert "'ntriple'" in line
    for name in ("turtle", "nt", "nquads", "trig", "xml", "jsonld", "graphml", "gexf", "text/turtle", "application/n-quads"):
        assert name in line, name
    assert not (tmp_path / "x.nt").exists()


def test_an_output_without_a_known_extension_asks_for_format(built_ttl, tmp_path):
    assert "give --format" in one_sentence(run("export", "--graph", built_ttl, "-o", "-"))
    assert "give --format" in one_sentence(run("export", "--graph", built_ttl, "-o", tmp_path / "graph"))
    line = one_sentence(run("export", "--graph", built_ttl, "-o", tmp_path / "graph.csv"))
    assert "graph.csv" in line and "nquads" in line
    assert list(tmp_path.iterdir()) == []


def test_exports_are_the_same_bytes_under_two_hash_seeds(built_ttl, tmp_path):
    """rdflib lists JSON-LD's nodes and RDF/XML's subjects in the order of a Python set; kg's are sorted."""
    names = [f"graph.{ext}" for ext in ("ttl", "nt", "nq", "trig", "jsonld", "rdf", "graphml", "gexf")]
    code = ("import sys\nfrom kg.cli import cli\n"
            "for name in sys.argv[3:]:\n"
            "    cli(['export', '--graph', sys.argv[1], '-o', sys.argv[2] + '/' + name], standalone_mode=False)\n")
    for seed in ("0", "1"):
        (tmp_path / seed).mkdir()
        subprocess.run([sys.executable, "-c", code, str(built_ttl), str(tmp_path / seed), *names], check=True, cwd=ROOT,
                       env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True)
    for name in names:
        assert (tmp_path / "0" / name).read_bytes() == (tmp_path / "1" / name).read_bytes(), name


# ---------------------------------------------------------------- kg query --format by any name

SELECT = f'PREFIX kgo: <{KGO}> SELECT ?hedge WHERE {{ ?f kgo:factId "marche-world-2024" ; kgo:hedgeText ?hedge }}'
DESCRIBE = "DESCRIBE <https://example.org/kg/id/place/marche>"


@pytest.mark.parametrize("text,fmt,spellings", [
    (SELECT, "csv", ["text/csv", "CSV"]),
    (SELECT, "tsv", ["text/tab-separated-values"]),
    (SELECT, "json", ["srj", "application/sparql-results+json", "application/json"]),
    (SELECT, "xml", ["srx", "application/sparql-results+xml", "application/xml"]),
    (DESCRIBE, "turtle", ["ttl", "text/turtle"]),
    (DESCRIBE, "nquads", ["nq", "application/n-quads"]),
    (DESCRIBE, "xml", ["rdf", "application/rdf+xml", "application/xml"]),
    (DESCRIBE, "jsonld", ["json-ld", "application/ld+json", "application/json"]),
])
def test_query_formats_by_extension_and_media_type(built_ttl, text, fmt, spellings):
    expected = stdout_of("query", "--graph", built_ttl, "--sparql", text, "--format", fmt)
    for spelling in spellings:
        assert stdout_of("query", "--graph", built_ttl, "--sparql", text, "--format", spelling) == expected, spelling


def test_query_as_tsv_by_its_media_type_is_read_by_pyoxigraph(built_ttl):
    import pyoxigraph

    data = stdout_of("query", "--graph", built_ttl, "--sparql", SELECT, "--format", "text/tab-separated-values")
    rows = list(pyoxigraph.parse_query_results(data, format=pyoxigraph.QueryResultsFormat.TSV))
    assert [row["hedge"] for row in rows] == [pyoxigraph.Literal("supera", language="it")]


def test_rdf_xml_by_name_is_not_sparql_xml_for_rows(built_ttl):
    """`rdf` and application/rdf+xml name RDF/XML only: rows cannot be written so (xml means both)."""
    for spelling in ("rdf", "application/rdf+xml", "ttl"):
        line = one_sentence(run("query", "--graph", built_ttl, "--sparql", SELECT, "--format", spelling))
        assert "a SELECT answers with rows" in line and "csv" in line


def test_query_refuses_an_unknown_format_before_it_runs(built_ttl):
    line = one_sentence(run("query", "--graph", built_ttl, "--sparql", SELECT, "--format", "yaml"))
    assert "'yaml'" in line and all(name in line for name in ("table", "csv", "turtle", "nquads", "jsonld"))


# ---------------------------------------------------------------- pictures and drafts on standard output


def test_a_page_and_an_svg_on_standard_output(built_ttl, tmp_path):
    import xml.etree.ElementTree as ET

    written = {}
    for fmt in ("html", "svg"):
        assert run("viz", "--graph", built_ttl, "-o", tmp_path / f"graph.{fmt}").exit_code == 0
        written[fmt] = stdout_of("viz", "--graph", built_ttl, "--format", fmt, "-o", "-")
        assert written[fmt] == (tmp_path / f"graph.{fmt}").read_bytes()
    page = written["html"].decode("utf-8")
    assert page.lower().startswith("<!doctype html>") and "Confindustria Ancona" in page and "SOCAR" in page
    assert ET.fromstring(written["svg"]).tag == "{http://www.w3.org/2000/svg}svg"
    assert "Ampi margini di crescita" in written["svg"].decode("utf-8")  # the release's headline, in the title
    assert stdout_of("viz", "--graph", built_ttl, "--format", "text/html", "-o", "-") == written["html"]


def test_picture_formats_by_name_extension_and_media_type():
    from kg.errors import UsageError
    from kg.stores.formats import picture

    for fmt, spellings in {"png": ["PNG", ".png", "image/png"], "svg": ["svg", "image/svg+xml"],
                           "html": ["HTML", "htm", "text/html"]}.items():
        assert {picture(spelling) for spelling in spellings} == {fmt}
    with pytest.raises(UsageError, match=r"png.*svg.*html"):
        picture("image/gif")


def test_pngs_on_standard_output_are_read_by_pillow(built_ttl, tmp_path):
    from PIL import Image

    picture = stdout_of("viz", "--graph", built_ttl, "--format", "png", "-o", "-")
    with Image.open(io.BytesIO(picture)) as image:
        assert image.format == "PNG" and image.size == (1920, 1200)
    assert run("viz", "--graph", built_ttl, "-o", tmp_path / "graph.png").exit_code == 0
    assert picture == (tmp_path / "graph.png").read_bytes()
    chart = stdout_of("chart", "sector-breakdown", "--graph", built_ttl, "-o", "-")
    with Image.open(io.BytesIO(chart)) as image:
        assert image.format == "PNG" and image.size == (1600, 1000)
    assert run("chart", "sector-breakdown", "--graph", built_ttl, "-o", tmp_path / "chart.png").exit_code == 0
    assert chart == (tmp_path / "chart.png").read_bytes()


def test_a_picture_to_standard_output_needs_its_format(built_ttl, tmp_path):
    assert "give --format" in one_sentence(run("viz", "--graph", built_ttl, "-o", "-"))
    line = one_sentence(run("viz", "--graph", built_ttl, "-o", tmp_path / "graph.gif"))
    assert "graph.gif" in line and all(name in line for name in ("png", "svg", "html"))
    assert "'gif'" in one_sentence(run("viz", "--graph", built_ttl, "--format", "gif", "-o", "-"))


@pytest.mark.parametrize("command", [["viz", "--format", "png"], ["chart", "sector-breakdown"]])
def test_a_png_is_not_written_to_a_terminal(built_ttl, command):
    """As curl does: binary output to a terminal is refused before any work, in one sentence."""
    import pty

    leader, follower = pty.openpty()
    try:
        proc = subprocess.run([sys.executable, "-m", "kg.cli", *command, "--graph", str(built_ttl), "-o", "-"], cwd=ROOT,
                              stdout=follower, stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(follower)
        os.close(leader)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "terminal" in lines[0] and "-o FILE" in lines[0], proc.stderr


def test_a_draft_on_standard_output(tmp_path):
    """The seed: «Nel 2024 l'export marchigiano verso l'Azerbaigian ha raggiunto i 7,5 milioni di euro»."""
    import yaml

    text = ROOT / "data" / "releases" / SEED / "release.txt"
    dashed = stdout_of("extract", text, "--id", SEED, "-o", "-")
    assert dashed == stdout_of("extract", text, "--id", SEED)
    assert run("extract", text, "--id", SEED, "-o", tmp_path / "draft.yaml").exit_code == 0
    assert dashed == (tmp_path / "draft.yaml").read_bytes()
    facts = yaml.safe_load(dashed)["facts"]
    assert any(f.get("amount") == 7500000 and f.get("origin") == "marche" and f.get("destination") == "azerbaijan"
               and str(f.get("period")) == "2024" for f in facts)


# ---------------------------------------------------------------- --graph everywhere

#: the commands that read a graph, with the arguments each needs besides --graph
READERS = {
    "validate": [], "query": ["posts"], "export": ["--format", "nt", "-o", "-"], "explain": ["socar"], "stats": [],
    "serve": ["--port", "0"], "push": ["--endpoint", "http://127.0.0.1:9/store"], "viz": ["--format", "svg", "-o", "-"],
    "chart": ["sector-breakdown", "-o", "-"], "path": ["socar", "marche"], "hubs": [],
    "diff": [str(ROOT / "tests" / "golden" / f"{SEED}.ttl")],  # the graph --graph is compared with
}


def test_every_command_that_reads_a_graph_takes_graph():
    takes = {name for name, command in cli.commands.items() if any(p.name == "graph_path" for p in command.params)}
    assert takes == set(READERS)
    assert set(cli.commands) - takes == {"build", "init", "synth", "extract", "queries", "review"}  # these read data folders and texts


@pytest.mark.parametrize("command", sorted(READERS))
def test_graph_names_the_file_each_command_reads(tmp_path, command):
    """A --graph that does not exist: every command says so, naming it (exit 2), before anything else."""
    missing = tmp_path / "elsewhere.ttl"
    line = one_sentence(run(command, *READERS[command], "--graph", missing))
    assert "elsewhere.ttl" in line and "no such graph file" in line


def test_validate_takes_graph_and_keeps_its_file_argument(built_ttl, tmp_path):
    """The stated share 0,05 % made 0,5 %: it no longer agrees with 7,5 milioni out of more than 14 miliardi."""
    broken = tmp_path / "broken.ttl"
    text = built_ttl.read_text(encoding="utf-8")
    assert text.count("kgo:sharePercent 0.05 ;") == 1
    broken.write_text(text.replace("kgo:sharePercent 0.05 ;", "kgo:sharePercent 0.5 ;"), encoding="utf-8")
    for args in (["--graph", broken], [broken], [broken, "--graph", broken]):
        result = run("validate", *args)
        assert result.exit_code == 1 and "a share agrees with the levels of its cells" in result.stdout, args
    for args in (["--graph", built_ttl], [built_ttl]):
        result = run("validate", *args)
        assert result.exit_code == 0 and result.stdout.startswith("Conforms: yes"), args
    line = one_sentence(run("validate", built_ttl, "--graph", broken))
    assert "broken.ttl" in line and "graph.ttl" in line
