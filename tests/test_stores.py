"""The stores kg is tested with, for real: Oxigraph (the `oxigraph` PyPI package's server) and Virtuoso 7
(Debian's `virtuoso-opensource`, installed by `make stores`), each started on a free loopback port with
a new database (tests/realstores.py) and stopped after.

Each gets `kg push`, a push again that replaces the graph, every library query answered through
`kg query --endpoint` as it is answered locally (rows compared value by value, in the order the
query asks for), the names a parameter gives looked up there, DESCRIBE, the store's default graph,
and, for Virtuoso, its Digest authentication. What Virtuoso writes otherwise (booleans, durations)
is read as it means it; what it answers otherwise is listed in DIFFERENCES, as the README says.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.query import Result

from conftest import one_line_error, required_bindings, start_server, stop_server
from kg.cli import cli
from kg.query.library import find_query, library, query_remote, run_query, run_sparql
from kg.stores.files import GRAPH_IRI, load_graph
from realstores import start_oxigraph, start_virtuoso

ROOT = Path(__file__).resolve().parent.parent
CELLS_IRI = "https://example.org/kg/graph-cells"  # tests/checks, the releases written for the checks on cells
SCRATCH_IRI = "https://example.org/kg/graph-scratch"
SOCAR = URIRef("https://example.org/kg/id/org/socar")
XSD = "http://www.w3.org/2001/XMLSchema#"
PEOPLE = ("Diego Mingarelli", "Roberto Morichelli", "Rashad Aslanov")  # the seed's three posts

pytestmark = pytest.mark.usefixtures("no_credentials")


def run(*args, env: dict | None = None):
    return CliRunner().invoke(cli, [str(a) for a in args], env=env)


# --------------------------------------------------------------------------- the stores


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def virtuoso_server(tmp_path_factory):
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def local(built_ttl):
    """The seed graph as `kg push` reads it from out/graph.ttl."""
    return load_graph(built_ttl)


@pytest.fixture(scope="module")
def cells_ttl(tmp_path_factory):
    """tests/checks built: the graph of the fact model's cells (restatements, changes, shares)."""
    from kg.pipeline.corpus import build

    out = tmp_path_factory.mktemp("cells")
    assert build(ROOT / "tests" / "checks", out).report.conforms
    return out / "graph.ttl"


def push(server, graph_file, graph_iri: str | None = None, **env):
    args = ["push", "--graph", graph_file, "--endpoint", server.gsp] + (["--graph-iri", graph_iri] if graph_iri else [])
    return run(*args, env={**server.credentials, **env})


def pushed(server, built_ttl, cells_ttl, local):
    """``server`` with the seed pushed to the default graph IRI and tests/checks to CELLS_IRI (once)."""
    if not getattr(server, "filled", False):
        result = push(server, built_ttl)
        assert result.exit_code == 0, result.output
        assert f"pushed {len(local)} triples to <{GRAPH_IRI}>" in result.stdout
        assert result.stdout.strip().endswith(f"read back: the store holds {len(local)}")
        result = push(server, cells_ttl, CELLS_IRI)
        assert result.exit_code == 0, result.output
        server.filled = True
    return server


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def store(request, built_ttl, cells_ttl, local):
    """Each store in turn, filled by `kg push` (Virtuoso: user and password given, no scheme: the
    Digest its endpoint asks for)."""
    return pushed(request.getfixturevalue(f"{request.param}_server"), built_ttl, cells_ttl, local)


@pytest.fixture(scope="module")
def virtuoso(virtuoso_server, built_ttl, cells_ttl, local):
    return pushed(virtuoso_server, built_ttl, cells_ttl, local)


# --------------------------------------------------------------------------- push, push again


def test_push_fills_the_named_graph(store, local):
    assert len(local) > 1000
    assert store.count(str(GRAPH_IRI)) == len(local)


def test_pushing_again_replaces_the_graph(store, built_ttl, cells_ttl, local):
    """A graph pushed over another leaves exactly the new one: the cells' releases first, then the seed
    to the same IRI: the seed's count, and the cells' release is gone from it."""
    cells = load_graph(cells_ttl)
    assert push(store, cells_ttl, SCRATCH_IRI).exit_code == 0
    assert store.count(SCRATCH_IRI) == len(cells)
    for _ in range(2):  # and the seed twice: still its count, not twice as many
        result = push(store, built_ttl, SCRATCH_IRI)
        assert result.exit_code == 0, result.output
        assert store.count(SCRATCH_IRI) == len(local)
    release = "https://example.org/kg/id/release/960_marche_semestre"  # a release of tests/checks, not of the seed
    assert (URIRef(release), None, None) in cells and (URIRef(release), None, None) not in local
    answer = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{SCRATCH_IRI}> {{ <{release}> ?p ?o }} }}")
    assert answer["results"]["bindings"][0]["n"]["value"] == "0"


# --------------------------------------------------------------------------- every library query

# What Virtuoso 7.2 answers otherwise, as the README's section on stores says (query -> column -> how):
# GROUP_CONCAT gives a plain string where Oxigraph keeps the language its parts share (SPARQL 1.1 makes it
# a plain string); period-comparison's reference amount stays unbound, as Virtuoso evaluates the FILTER NOT
# EXISTS of an OPTIONAL group without the variables bound before it (SPARQL evaluates them with those).
DIFFERENCES = {"virtuoso": {"meetings": {"topics": "string"}, "period-comparison": {"referenceAmount": "unbound"}}}


def rows_of(answer) -> tuple[list[str], list[list]]:
    """The variables and rows of a SELECT answer's SPARQL JSON, read by rdflib (None: unbound)."""
    result = Result.parse(io.BytesIO(answer.data), format="json")
    names = [str(v) for v in result.vars]
    return names, [[row.get(name) for name in names] if isinstance(row, dict) else list(row) for row in result]


def same_value(a, b, how: str | None = None) -> bool:
    """Whether two terms are the same value: literals by datatype, language and value (rdflib's Python
    value: "7500000"^^xsd:decimal is "7500000.0"), other terms as terms. ``how``: "string", only the
    strings compared; "unbound", the store's is unbound wherever the local one is bound."""
    if how == "unbound":
        return b is None
    if a is None or b is None:
        return a is b
    if how == "string":
        return str(a) == str(b)
    if isinstance(a, Literal) and isinstance(b, Literal):
        return (a.datatype, a.language) == (b.datatype, b.language) and (
            a.value == b.value if a.value is not None and b.value is not None else str(a) == str(b))
    return a == b


def order_keys(text: str, names: list[str]) -> list[int]:
    """The columns (indexes into ``names``) of the variables the query's outer ORDER BY names, in order."""
    from kg.check.guard import prepare

    node = prepare(text).algebra
    while node is not None and getattr(node, "name", None) != "OrderBy":
        node = node.get("p")
    keys = []
    for condition in node["expr"] if node is not None else ():
        expr = condition.get("expr") if hasattr(condition, "get") else condition
        if str(expr) in names and type(expr).__name__ == "Variable":
            keys.append(names.index(str(expr)))
    return keys


def assert_same_answer(name: str, text: str, here, there, differences: dict[str, str]) -> None:
    """The same variables; the same rows, value by value, matched one to one; and the same values of
    the ORDER BY's columns row after row (rows whose keys tie may come in either order)."""
    names, mine = rows_of(here)
    their_names, theirs = rows_of(there)
    assert their_names == names, name
    assert len(theirs) == len(mine), (name, mine, theirs)
    how = [differences.get(column) for column in names]
    for key in order_keys(text, names):
        assert all(same_value(a[key], b[key], how[key]) for a, b in zip(mine, theirs, strict=True)), (name, names[key])
    left = list(theirs)
    for row in mine:
        match = next((i for i, other in enumerate(left)
                      if all(same_value(a, b, h) for a, b, h in zip(row, other, how, strict=True))), None)
        assert match is not None, f"query {name}: no row of the store's answer is {row}; left: {left}"
        left.pop(match)


@pytest.mark.parametrize("name", [entry.name for entry in library()])
def test_every_library_query_answers_as_locally(store, local, cells_ttl, name):
    """On the seed and on tests/checks, each pushed to its graph: `kg query --endpoint`'s rows are the local
    ones, but for the documented differences; on Oxigraph, the seed's answers byte for byte, too (those of
    tests/checks have rows whose ORDER BY keys tie, which may come in either order)."""
    entry = find_query(name)
    bindings = required_bindings(entry)
    differences = DIFFERENCES.get(store.name, {}).get(name, {})
    answered = 0
    for graph, iri in ((local, str(GRAPH_IRI)), (load_graph(cells_ttl), CELLS_IRI)):
        here = run_query(graph, name, bindings)
        there = query_remote(store.query, entry.text, bindings, iri)
        assert_same_answer(name, entry.text, here, there, differences)
        if store.name == "oxigraph" and iri == str(GRAPH_IRI):
            assert there.data == here.data, name
        answered += len(here)
    assert answered > 0, f"query {name} answers nothing locally: the comparison would prove nothing"


def test_a_name_given_as_a_parameter_is_looked_up_in_the_store(store, built_ttl):
    """`--param originName=Marche`: the name is looked up in the store's graph, then bound to the IRI found;
    the seed's 2024 export figure, "7,5 milioni di euro", in every format as by the file."""
    args = ("exports-by-period", "--param", "originName=Marche", "--param", "destinationName=Azerbaijan")
    for fmt in ("csv", "json", "table"):
        here = run("query", *args, "--graph", built_ttl, "--format", fmt)
        there = run("query", *args, "--endpoint", store.query, "--format", fmt)
        assert here.exit_code == there.exit_code == 0, here.output + there.output
        assert there.stdout == here.stdout, fmt
    assert "7500000" in there.stdout


# --------------------------------------------------------------------------- Virtuoso's dialect


def test_virtuoso_writes_a_computed_boolean_as_an_integer_and_kg_reads_it_as_the_boolean(virtuoso):
    """share-check's ?agrees (the seed's share of 0.05 % agrees with its levels): Virtuoso writes
    "1"^^xsd:integer; kg reads true, the boolean the query computes."""
    entry = find_query("share-check")
    raw = virtuoso.select(entry.text, str(GRAPH_IRI))["results"]["bindings"]
    assert [(row["agrees"]["value"], row["agrees"]["datatype"]) for row in raw] == [("1", XSD + "integer")]
    _names, rows = rows_of(query_remote(virtuoso.query, entry.text))
    assert [row[_names.index("agrees")] for row in rows] == [Literal(True)]


STORED_BOOLEANS = ("PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
                   "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER (DATATYPE(?o) = xsd:boolean) } ORDER BY ?s ?p ?o")


def test_virtuoso_writes_a_stored_boolean_as_1_and_kg_writes_true(virtuoso, local):
    """The seed's booleans (true and false in graph.ttl) come back from Virtuoso as "1" and "0"; kg writes
    them true and false, as locally."""
    raw = virtuoso.select(STORED_BOOLEANS, str(GRAPH_IRI))["results"]["bindings"]
    assert len(raw) > 1 and {row["o"]["value"] for row in raw} == {"1", "0"}
    there = query_remote(virtuoso.query, STORED_BOOLEANS)
    assert {str(row[2]) for row in rows_of(there)[1]} == {"true", "false"}
    assert there.data == run_sparql(local, STORED_BOOLEANS).data


DURATIONS = ("PREFIX time: <http://www.w3.org/2006/time#>\n"
             "SELECT ?d WHERE { ?p time:hasXSDDuration ?d } ORDER BY STR(?d)")


def test_virtuoso_writes_durations_as_numbers_and_kg_reads_them_as_durations(virtuoso, local):
    """The seed's periods last a year (2024) and nine months (January to September 2025): "P1Y" and "P9M".
    Virtuoso answers 12 and 9 (months); kg reads the durations."""
    raw = virtuoso.select(DURATIONS, str(GRAPH_IRI))["results"]["bindings"]
    assert sorted(row["d"]["value"] for row in raw) == ["12", "9", "9"]
    here = run_sparql(local, DURATIONS)
    there = query_remote(virtuoso.query, DURATIONS)
    assert sorted(str(row[0]) for row in rows_of(there)[1]) == ["P1Y", "P9M", "P9M"]
    assert there.data == here.data
    construct = DURATIONS.replace("SELECT ?d WHERE", "CONSTRUCT { ?p time:hasXSDDuration ?d } WHERE").replace(
        " ORDER BY STR(?d)", "")
    assert query_remote(virtuoso.query, construct).data == run_sparql(local, construct).data


def test_describe(store, local):
    """DESCRIBE, whose answer SPARQL leaves to the store: Oxigraph gives the triples about Socar, as kg
    does locally; Virtuoso also the triples that name it as their object (the acquisition it makes)."""
    text = f"DESCRIBE <{SOCAR}>"
    here, there = run_sparql(local, text), query_remote(store.query, text)
    mine, theirs = set(here.data.splitlines()), set(there.data.splitlines())
    assert len(mine) > 5 and mine <= theirs
    inbound = {line for line in run_sparql(local, f"CONSTRUCT {{ ?s ?p <{SOCAR}> }} WHERE {{ ?s ?p <{SOCAR}> }}")
               .data.splitlines()}
    assert theirs - mine == (inbound if store.name == "virtuoso" else set())
    assert any(b"#acquirer>" in line for line in inbound)


# --------------------------------------------------------------------------- the default graph


def test_the_default_graph_of_a_store(store):
    """--default-graph sends no default-graph-uri: Virtuoso's default graph is the union of its graphs (the
    seed's posts are there), Oxigraph's is a graph of its own, which kg push leaves empty."""
    result = run("query", "posts", "--endpoint", store.query, "--default-graph", "--format", "csv")
    assert result.exit_code == 0, result.output
    found = [person in result.stdout for person in PEOPLE]
    assert found == [store.name == "virtuoso"] * len(PEOPLE)


def test_kg_query_queries_kg_serve(built_ttl):
    """kg serve serves one graph as its default graph and refuses default-graph-uri (403): --default-graph
    queries it; without, the refusal says so."""
    process, base = start_server(built_ttl)
    try:
        result = run("query", "posts", "--endpoint", f"{base}/sparql", "--default-graph", "--format", "csv")
        assert result.exit_code == 0, result.output
        assert all(person in result.stdout for person in PEOPLE)
        line = one_line_error(run("query", "posts", "--endpoint", f"{base}/sparql"), 2, "403")
        assert "--default-graph" in line
    finally:
        stop_server(process)


def test_graph_options_need_an_endpoint_and_one_graph(built_ttl):
    line = one_line_error(run("query", "posts", "--graph", built_ttl, "--default-graph"), 2)
    assert "--endpoint" in line
    line = one_line_error(run("query", "posts", "--endpoint", "http://127.0.0.1:9/sparql", "--default-graph",
                              "--graph-iri", str(GRAPH_IRI)), 2)
    assert "not both" in line


# --------------------------------------------------------------------------- Virtuoso's Digest authentication


def test_virtuoso_asks_for_digest_and_kg_push_answers_it(virtuoso, built_ttl, local):
    """With KG_STORE_USER and KG_STORE_PASSWORD only, kg push answers Virtuoso's Digest challenge (the
    pushes above); without credentials, with a wrong password, or insisting on Basic, the store answers
    401 and kg exits 2 with one sentence, the graph as it was."""
    before = virtuoso.count(str(GRAPH_IRI))
    assert before == len(local)
    for env in ({"KG_STORE_USER": None, "KG_STORE_PASSWORD": None}, {"KG_STORE_PASSWORD": "wrong"},
                {"KG_STORE_AUTH": "basic"}):
        result = push(virtuoso, built_ttl, **env)
        line = one_line_error(result, 2, "401")
        assert "KG_STORE_USER" in line and "pushed" not in result.stdout
    assert virtuoso.count(str(GRAPH_IRI)) == before


def test_virtuosos_authenticated_query_endpoint(virtuoso):
    """/sparql-auth, Virtuoso's query endpoint for users, asks for Digest too: kg query answers it."""
    endpoint = f"{virtuoso.base}/sparql-auth"
    result = run("query", "posts", "--endpoint", endpoint, "--format", "csv", env=virtuoso.credentials)
    assert result.exit_code == 0, result.output
    assert all(person in result.stdout for person in PEOPLE)
    one_line_error(run("query", "posts", "--endpoint", endpoint), 2, "401")

