"""Pushing to a SPARQL store and querying it there (kg.stores.remote, `kg push`, `kg query --endpoint`).

A real Oxigraph server (the `oxigraph` PyPI package's binary) on a loopback port is
the store: the seed graph is pushed with the Graph Store Protocol and every query of
the library must answer there as it does locally. A fake store (tests/fakestore.py)
answers with errors, partial content and retries, and records what it saw.
Cases 14 and 16 of SECURITY.md.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from rdflib import Literal, URIRef

from conftest import free_port, one_line_error, required_bindings
from fakestore import COUNT, POSTS_JSON, SPARQL_JSON
from kg.check.guard import bind_values
from kg.cli import cli
from kg.query.library import library, query_remote, run_query
from kg.stores.files import GRAPH_IRI, load_graph
from kg.stores.remote import GET_LIMIT

SECOND_IRI = "https://example.org/kg/graph-second"
SOCAR = URIRef("https://example.org/kg/id/org/socar")
PLACE = URIRef("https://example.org/kg/id/place/")
# the seed's things a parameter names, as a person reads them off graph.ttl
NAMED = {Literal("Marche"): PLACE + "marche", Literal("Azerbaijan"): PLACE + "azerbaijan", Literal("Italy"): PLACE + "italy",
         Literal("provincia di ancona"): PLACE + "ancona-province",
         Literal("growth opportunity"): URIRef("https://example.org/kg/ontology#growthOpportunity")}
PEOPLE = ("Diego Mingarelli", "Roberto Morichelli", "Rashad Aslanov")


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


pytestmark = pytest.mark.usefixtures("no_credentials")


# --------------------------------------------------------------------------- Oxigraph


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    """An Oxigraph server on a free loopback port with a temporary store; its base URL."""
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent))
    assert binary, "the oxigraph server binary (PyPI package 'oxigraph') is not installed next to python"
    location = tmp_path_factory.mktemp("oxigraph")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            if process.poll() is not None:
                detail = process.stderr.read().decode(errors="replace")
                pytest.fail(f"oxigraph exited with {process.returncode}: {detail}")
            try:
                if requests.get(f"{base}/query", params={"query": "ASK {}"}, timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("oxigraph did not answer within 10 s")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        process.stderr.close()


def count(base: str, where: str) -> int:
    response = requests.post(
        f"{base}/query", data={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"},
        headers={"Accept": "application/sparql-results+json"}, timeout=10,
    )
    response.raise_for_status()
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def in_graph(iri: str) -> str:
    return f"GRAPH <{iri}> {{ ?s ?p ?o }}"


@pytest.fixture(scope="module")
def local(built_ttl):
    """The built graph as read back from out/graph.ttl: what `kg push` sends."""
    return load_graph(built_ttl)


@pytest.fixture(scope="module")
def pushed(oxigraph, built_ttl, local):
    """The store with the seed graph pushed once, to the default graph IRI."""
    result = run("push", "--graph", built_ttl, "--endpoint", f"{oxigraph}/store")
    assert result.exit_code == 0, result.output
    assert f"pushed {len(local)} triples to <{GRAPH_IRI}>" in result.stdout
    return oxigraph


def test_push_fills_the_named_graph_and_nothing_else(pushed, local):
    assert len(local) > 100
    assert count(pushed, in_graph(str(GRAPH_IRI))) == len(local)
    assert count(pushed, "?s ?p ?o") == 0  # the default graph stays empty
    graphs = requests.get(f"{pushed}/query", params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"},
                          headers={"Accept": "application/sparql-results+json"}, timeout=10).json()
    names = {b["g"]["value"] for b in graphs["results"]["bindings"]}
    assert str(GRAPH_IRI) in names and names <= {str(GRAPH_IRI), SECOND_IRI}


def test_pushing_twice_replaces_the_graph(pushed, built_ttl, local):
    """Case 14: a second push leaves the same triples, not twice as many (PUT replaces)."""
    result = run("push", "--graph", built_ttl, "--endpoint", f"{pushed}/store")
    assert result.exit_code == 0, result.output
    assert count(pushed, in_graph(str(GRAPH_IRI))) == len(local)
    assert count(pushed, "?s ?p ?o") == 0


def test_push_to_a_second_graph_iri(pushed, built_ttl, local):
    result = run("push", "--graph", built_ttl, "--endpoint", f"{pushed}/store", "--graph-iri", SECOND_IRI)
    assert result.exit_code == 0, result.output
    assert f"<{SECOND_IRI}>" in result.stdout
    assert count(pushed, in_graph(SECOND_IRI)) == len(local)
    assert count(pushed, in_graph(str(GRAPH_IRI))) == len(local)
    assert count(pushed, "?s ?p ?o") == 0
    # querying the second graph by --graph-iri
    result = run("query", "posts", "--endpoint", f"{pushed}/query", "--graph-iri", SECOND_IRI, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert all(person in result.stdout for person in PEOPLE)
    # and a graph that does not exist answers no rows
    result = run("query", "posts", "--endpoint", f"{pushed}/query", "--graph-iri", "https://example.org/kg/none",
                 "--format", "csv")
    assert result.exit_code == 0, result.output
    assert not any(person in result.stdout for person in PEOPLE)


def test_case_27_push_is_confirmed_by_the_triple_count_read_back(oxigraph, built_ttl, local, tmp_path):
    """Case 27: `pushed` only once the graph read back from the store holds as many triples as were
    sent. Oxigraph keeps decimals by value, so two triples that differ only in a decimal's lexical
    form ("1.0" and "1.00") are one there: the store answers 204 to the PUT, holds 1, and kg says
    the push is not confirmed (exit 2) where it printed `pushed 2 triples`."""
    iri = "https://example.org/kg/graph-confirmed"
    result = run("push", "--graph", built_ttl, "--endpoint", f"{oxigraph}/store", "--graph-iri", iri)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith(f"read back: the store holds {len(local)}")
    assert count(oxigraph, in_graph(iri)) == len(local)
    twins = tmp_path / "twins.nt"
    decimal = "<http://www.w3.org/2001/XMLSchema#decimal>"
    twins.write_text(f'<https://example.org/kg/id/x> <http://schema.org/value> "1.0"^^{decimal} .\n'
                     f'<https://example.org/kg/id/x> <http://schema.org/value> "1.00"^^{decimal} .\n', encoding="utf-8")
    assert len(load_graph(twins)) == 2
    result = run("push", "--graph", twins, "--endpoint", f"{oxigraph}/store", "--graph-iri", iri)
    line = one_line_error(result, 2, "answered 204", "holds 1 triples", "not the 2 sent")
    assert "pushed" not in result.stdout and "confirmed" in line
    assert count(oxigraph, in_graph(iri)) == 1


# --------------------------------------------------------------------------- remote = local

def server_json(base: str, text: str, bindings: dict, graph_iri: str = str(GRAPH_IRI)) -> dict:
    """The Oxigraph server's own answer to a query on the pushed graph, as it wrote it (parsed by the json module)."""
    response = requests.post(
        f"{base}/query", data={"query": bind_values(text, bindings), "default-graph-uri": graph_iri},
        headers={"Accept": "application/sparql-results+json"}, timeout=30,
    )
    response.raise_for_status()
    return response.json()


def assert_same_rows(name, remote: dict, local_answer):
    """Same variables in the same order and, row by row, the same terms with the same lexical forms:
    {"type", "value", "datatype", "xml:lang"} of each binding compared exactly, so the decimal the
    server writes "7500000" must be "7500000" here too. The GROUP_CONCAT columns (meetings ?topics,
    places-within ?codes, sectors ?nace) are compared the same way: Oxigraph keeps the order of the
    ORDER BY subquery."""
    local = json.loads(local_answer.data)
    assert remote["head"]["vars"] == local["head"]["vars"], name
    there, here = remote["results"]["bindings"], local["results"]["bindings"]
    assert len(there) == len(here), (name, there, here)
    for number, (a, b) in enumerate(zip(there, here, strict=True)):
        assert a == b, f"query {name}, row {number}: remote {a!r} != local {b!r}"


def library_cases():
    cases = []
    for entry in library():
        bindings = required_bindings(entry)
        cases.append(pytest.param(entry, bindings, id=entry.name))
    return cases


# the queries of the fact model's cells, which the seed (still in the first format) does not state: asked of
# tests/checks, two releases written for the checks on cells
ON_CELLS = {"changes", "shares", "figure-history", "restatements"}
CELLS_IRI = "https://example.org/kg/graph-cells"


@pytest.fixture(scope="module")
def cells(oxigraph, tmp_path_factory):
    """tests/checks built, read back and pushed to the store under CELLS_IRI."""
    from kg.pipeline.corpus import build

    out = tmp_path_factory.mktemp("cells")
    assert build(Path(__file__).resolve().parent / "checks", out).report.conforms
    result = run("push", "--graph", out / "graph.ttl", "--endpoint", f"{oxigraph}/store", "--graph-iri", CELLS_IRI)
    assert result.exit_code == 0, result.output
    return load_graph(out / "graph.ttl")


@pytest.mark.parametrize(("entry", "bindings"), library_cases())
def test_every_library_query_answers_the_same_remotely(request, pushed, local, entry, bindings):
    graph, iri = (request.getfixturevalue("cells"), CELLS_IRI) if entry.name in ON_CELLS else (local, str(GRAPH_IRI))
    here = run_query(graph, entry.name, bindings)
    assert here.type == "SELECT"
    assert len(here) > 0, f"query {entry.name} answers nothing locally: the comparison would prove nothing"
    assert_same_rows(entry.name, server_json(pushed, entry.text, bindings, iri), here)
    # and through kg query --endpoint: the same answer as the store gave
    assert query_remote(f"{pushed}/query", entry.text, bindings, iri).data == here.data


def test_kg_query_prints_the_servers_lexical_forms(pushed, built_ttl):
    """The seed's 2024 export figure "7,5 milioni di euro": the server writes the decimal as 7500000;
    `kg query` prints the same, by the file and through --endpoint, in every format."""
    args = ("exports-by-period", "--param", "originName=Marche", "--param", "destinationName=Azerbaijan")
    remote = server_json(pushed, next(e for e in library() if e.name == "exports-by-period").text,
                         {"originName": PLACE + "marche", "destinationName": PLACE + "azerbaijan"})
    assert remote["results"]["bindings"][0]["amount"]["value"] == "7500000"
    for fmt in ("json", "csv", "tsv", "table"):
        here = run("query", *args, "--graph", built_ttl, "--format", fmt)
        there = run("query", *args, "--endpoint", f"{pushed}/query", "--format", fmt)
        assert here.exit_code == there.exit_code == 0, here.output + there.output
        assert here.stdout == there.stdout, fmt
        if fmt == "json":
            assert json.loads(here.stdout) == remote


# (query, bindings, rows expected, the parameter narrows the rows down in the seed)
PARAMETRIZED = {
    "exports-origin": ("exports-by-period", {"originName": Literal("Marche")}, True, True),
    "exports-origin-destination": (
        "exports-by-period", {"originName": Literal("Marche"), "destinationName": Literal("Azerbaijan")}, True, True),
    "exports-origin-italian": ("exports-by-period", {"originName": Literal("provincia di ancona")}, True, True),
    # fact-evidence requires its fact (there is no answer without it to narrow): one fact's rows, and none for an id
    # the graph does not have
    "fact-evidence": ("fact-evidence", {"fact": Literal("socar-acquires-api")}, True, False),
    "fact-evidence-none": ("fact-evidence", {"fact": Literal("no-such-fact")}, False, False),
    "places-within": ("places-within", {"containerName": Literal("Italy")}, True, True),
    "sectors": ("sectors", {"assessment": Literal("growth opportunity")}, True, True),
    # the seed states one total with a breakdown: the parameter keeps every row
    "sector-breakdown": ("sector-breakdown", {"fact": Literal("marche-azerbaijan-2024")}, True, False),
}


@pytest.mark.parametrize(("name", "bindings", "expect_rows", "narrows"), list(PARAMETRIZED.values()),
                         ids=list(PARAMETRIZED))
def test_parametrized_queries_answer_the_same_remotely(pushed, local, name, bindings, expect_rows, narrows):
    entry = next(e for e in library() if e.name == name)
    here = run_query(local, name, bindings)
    assert (len(here) > 0) == expect_rows
    if narrows:
        assert len(here) < len(run_query(local, name)), f"the parameter of {name} filters nothing here"
    # the server is sent the library's text itself: a name bound as the IRI it names, as kg query binds it
    assert_same_rows(name, server_json(pushed, entry.text, {k: NAMED.get(v, v) for k, v in bindings.items()}), here)


def test_fact_evidence_parameter_selects_one_fact_remotely(pushed):
    entry = next(e for e in library() if e.name == "fact-evidence")
    remote = query_remote(f"{pushed}/query", entry.text, {"fact": Literal("socar-acquires-api")})
    ids = {str(row[0]) for row in remote}
    assert ids == {"socar-acquires-api"}


def test_cli_query_on_the_store_prints_the_people(pushed):
    result = run("query", "posts", "--endpoint", f"{pushed}/query", "--format", "csv")
    assert result.exit_code == 0, result.output
    for person in PEOPLE:
        assert person in result.stdout
    assert result.stdout.splitlines()[0].startswith("person,")


def test_cli_query_on_the_store_with_param(pushed):
    result = run("query", "actor-facts", "--endpoint", f"{pushed}/query", "--format", "csv",
                 "--param", f"actor=<{SOCAR}>")
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) > 1


# --------------------------------------------------------------------------- bind_values

BREAKOUT = 'x" ) } OPTIONAL { ?s ?p ?o } #'


def test_bind_values_keeps_a_breakout_value_one_literal(pushed):
    from kg.check.guard import prepare

    entry = next(e for e in library() if e.name == "fact-evidence")
    text = bind_values(entry.text, {"fact": Literal(BREAKOUT)})
    query = prepare(text, "the bound query")  # still one valid query
    assert query.algebra.name == "SelectQuery"
    assert [str(v) for v in query.algebra["PV"]] == ["factId", "label", "quote", "start", "end", "sentence", "release"]
    remote = query_remote(f"{pushed}/query", entry.text, {"fact": Literal(BREAKOUT)})
    assert list(remote) == []
    # the same through the command line
    result = run("query", "fact-evidence", "--endpoint", f"{pushed}/query", "--format", "csv",
                 "--param", f"fact={BREAKOUT}")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:] == []


def test_bind_values_skips_braces_in_comments_and_strings():
    text = ('# a comment with { and "quote\nPREFIX ex: <http://e/>\n'
            'SELECT ?a (CONCAT("{", \'}\') AS ?b) WHERE { ?a ex:p "{" }')
    bound = bind_values(text, {"a": URIRef("http://e/1")})
    where = text.index("WHERE {") + len("WHERE {")
    assert bound.startswith(text[:where])
    assert bound[where:].lstrip().startswith("VALUES (?a) { (<http://e/1>) }")
    assert bound.endswith(text[where:])


RDFS = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nPREFIX schema: <http://schema.org/>\n"


def test_bind_values_skips_braces_in_long_strings(pushed, local):
    """A triple-quoted string may hold a newline and a brace; the binding goes into the WHERE group, not the string."""
    from kg.query.library import run_sparql

    text = RDFS + 'SELECT ?s ?name ("""see\n{ this""" AS ?note) WHERE { ?s schema:name ?name } ORDER BY ?s ?name'
    bindings = {"s": SOCAR}
    here = run_sparql(local, text, bindings)
    assert [(str(r[1]), str(r[2])) for r in here] == [("Socar", "see\n{ this")]
    assert_same_rows("long-string", server_json(pushed, text, bindings), here)


def test_bind_values_in_a_construct_query(pushed, local):
    """--param with a CONSTRUCT on --endpoint: the VALUES block belongs in the WHERE group, not the template."""
    from rdflib.compare import isomorphic

    from kg.query.library import run_sparql

    text = RDFS + "CONSTRUCT { ?s schema:name ?name } WHERE { ?s schema:name ?name }"
    bindings = {"s": SOCAR}
    here = run_sparql(local, text, bindings)
    assert len(here.graph) == 1
    remote = query_remote(f"{pushed}/query", text, bindings)
    assert isomorphic(remote.graph, here.graph)


# --------------------------------------------------------------------------- fake store




def test_push_answered_500_exits_2_with_one_line(fake, built_ttl):
    fake.answer((500, b"Internal Server Error: disk full", {"Content-Type": "text/plain"}))
    endpoint = f"{fake.base}/store"
    result = run("push", "--graph", built_ttl, "--endpoint", endpoint)
    one_line_error(result, 2, endpoint, "500")
    assert fake.methods() == ["PUT"]  # 500 is not retried
    request = fake.requests[0]
    assert request["path"] == "/store?graph=https%3A%2F%2Fexample.org%2Fkg%2Fgraph"
    assert request["headers"]["Content-Type"].startswith("application/n-triples")
    assert request["body"].count(b"\n") == len(load_graph(built_ttl))


def test_push_answered_404_exits_2(fake, built_ttl):
    fake.answer(404)
    result = run("push", "--graph", built_ttl, "--endpoint", f"{fake.base}/nope/store")
    one_line_error(result, 2, "404")
    assert fake.methods() == ["PUT"]


def test_query_answered_206_is_refused_as_partial(fake):
    """Case 16: partial results are an error, not complete data, even with a valid body."""
    fake.answer((206, POSTS_JSON, SPARQL_JSON))
    result = run("query", "posts", "--endpoint", f"{fake.base}/query", "--format", "csv")
    line = one_line_error(result, 2, "206")
    assert "partial content" in line
    assert "Diego Mingarelli" not in result.stdout
    assert fake.methods() == ["GET"]


def test_query_answered_500_exits_2(fake):
    fake.answer((500, b"boom", {"Content-Type": "text/plain"}))
    result = run("query", "posts", "--endpoint", f"{fake.base}/query", "--format", "csv")
    one_line_error(result, 2, f"{fake.base}/query", "500")
    assert fake.methods() == ["GET"]


def test_query_sends_the_graph_and_accepts_json(fake):
    fake.answer((200, POSTS_JSON, SPARQL_JSON))
    result = run("query", "posts", "--endpoint", f"{fake.base}/query", "--format", "csv", "--graph-iri", SECOND_IRI)
    assert result.exit_code == 0, result.output
    assert "Diego Mingarelli" in result.stdout
    request = fake.requests[0]
    assert request["method"] == "GET"
    assert "default-graph-uri=https%3A%2F%2Fexample.org%2Fkg%2Fgraph-second" in request["path"]
    assert request["headers"]["Accept"] == "application/sparql-results+json"


def test_query_answered_with_no_json_exits_2(fake):
    fake.answer((200, b"<html>hello</html>", {"Content-Type": "text/html"}))
    result = run("query", "posts", "--endpoint", f"{fake.base}/query")
    one_line_error(result, 2, "SPARQL results JSON")


def test_push_retries_503_then_succeeds(fake, built_ttl):
    """PUT is idempotent: 503, 503, then 204 is a success after three requests."""
    fake.answer(503, 503, 204, COUNT)
    result = run("push", "--graph", built_ttl, "--endpoint", f"{fake.base}/store")
    assert result.exit_code == 0, result.output
    assert fake.methods() == ["PUT", "PUT", "PUT", "GET"]  # then the triples are counted
    assert len({r["body"] for r in fake.requests if r["method"] == "PUT"}) == 1  # the same body each time


def test_long_query_goes_by_post_and_is_not_retried(fake):
    entry = next(e for e in library() if e.name == "posts")
    text = "# " + "padding " * (GET_LIMIT // 8 + 10) + "\n" + entry.text
    assert len(text) > GET_LIMIT
    fake.answer((503, b"busy", {"Content-Type": "text/plain"}))
    from kg.errors import KgError
    from kg.stores.remote import StoreError

    with pytest.raises(StoreError) as caught:
        query_remote(f"{fake.base}/query", text)
    assert isinstance(caught.value, KgError) and caught.value.exit_code == 2
    assert "503" in str(caught.value)
    assert fake.methods() == ["POST"]  # POST is not idempotent: never retried
    assert fake.requests[0]["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    # and through the command line
    fake.answer((503, b"busy", {"Content-Type": "text/plain"}))
    result = run("query", "--sparql", text, "--endpoint", f"{fake.base}/query")
    one_line_error(result, 2, "503")
    assert fake.methods() == ["POST"]


def test_token_is_sent_as_bearer(fake, built_ttl, monkeypatch):
    monkeypatch.setenv("KG_STORE_TOKEN", "secret")
    fake.answer(204, COUNT)
    result = run("push", "--graph", built_ttl, "--endpoint", f"{fake.base}/store")
    assert result.exit_code == 0, result.output
    assert fake.requests[0]["headers"]["Authorization"] == "Bearer secret"
    assert "secret" not in result.output
    fake.answer((200, POSTS_JSON, SPARQL_JSON))
    result = run("query", "posts", "--endpoint", f"{fake.base}/query")
    assert result.exit_code == 0, result.output
    assert fake.requests[0]["headers"]["Authorization"] == "Bearer secret"


def test_user_and_password_are_sent_as_basic(fake, built_ttl, monkeypatch):
    """KG_STORE_AUTH=basic: Basic with the first request, asked for or not."""
    monkeypatch.setenv("KG_STORE_USER", "alice")
    monkeypatch.setenv("KG_STORE_PASSWORD", "s3cret:pw")
    monkeypatch.setenv("KG_STORE_AUTH", "basic")
    fake.answer(204, COUNT)
    result = run("push", "--graph", built_ttl, "--endpoint", f"{fake.base}/store")
    assert result.exit_code == 0, result.output
    expected = "Basic " + base64.b64encode(b"alice:s3cret:pw").decode("ascii")
    assert fake.requests[0]["headers"]["Authorization"] == expected
    assert "s3cret" not in result.output


def test_no_credentials_no_authorization_header(fake, built_ttl):
    fake.answer(204, COUNT)
    result = run("push", "--graph", built_ttl, "--endpoint", f"{fake.base}/store")
    assert result.exit_code == 0, result.output
    assert "Authorization" not in fake.requests[0]["headers"]


def test_push_help_offers_no_credential_option():
    result = run("push", "--help")
    assert result.exit_code == 0
    options = [name for param in cli.commands["push"].params for name in param.opts + param.secondary_opts]
    assert set(options) == {"--graph", "--endpoint", "--graph-iri", "--query-endpoint", "--timeout"}
    option_lines = [line for line in result.stdout.splitlines() if line.strip().startswith("-")]
    for line in option_lines:
        assert not any(word in line.lower() for word in ("password", "token", "--user", "secret", "auth")), line
    assert "KG_STORE_TOKEN" in result.stdout  # the environment is where credentials go


def test_unreachable_store_exits_2(built_ttl):
    port = free_port()  # closed again: nothing listens there
    endpoint = f"http://127.0.0.1:{port}/store"
    started = time.monotonic()
    result = run("push", "--graph", built_ttl, "--endpoint", endpoint)
    one_line_error(result, 2, "could not reach", endpoint)
    result = run("query", "posts", "--endpoint", f"http://127.0.0.1:{port}/query")
    one_line_error(result, 2, "could not reach")
    assert time.monotonic() - started < 15


@pytest.mark.parametrize("endpoint", ["ftp://127.0.0.1/store", "file:///etc/passwd", "127.0.0.1:7878/store"])
def test_non_http_endpoint_exits_2(built_ttl, endpoint):
    result = run("push", "--graph", built_ttl, "--endpoint", endpoint)
    one_line_error(result, 2, "http")
    result = run("query", "posts", "--endpoint", endpoint)
    assert result.exit_code == 2, result.output
