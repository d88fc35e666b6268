"""`kg serve` speaks every format of the SPARQL 1.1 Protocol, against a real server: rows and booleans
as JSON, XML, CSV and TSV; graphs as Turtle, N-Triples, N-Quads, TriG, RDF/XML and JSON-LD; 406 for
what it cannot write; the Service Description at GET /sparql; the README's curl examples; the
query page showing CONSTRUCT and DESCRIBE with datatypes and languages in headless Chromium.

Each answer is read by a reader that is not its writer (rdflib's parsers, SPARQLWrapper, pyoxigraph's
TSV boolean) and checked against the seed release: «l'export regionale, che supera i 14 miliardi di
euro» (Marche's exports to the world in 2024: more than EUR 14 billion)."""

import csv
import html.parser
import io
import re
import shlex
import subprocess
import urllib.parse
from decimal import Decimal
from pathlib import Path

import pytest
import requests
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.query import Result

from conftest import chromium, start_server, stop_server
from seedfact import ASK_LESS, ASK_MORE, CONSTRUCT, DESCRIBE, FACT, KGO, SELECT, seed_facts

ROOT = Path(__file__).resolve().parent.parent
SD = "http://www.w3.org/ns/sparql-service-description#"
RESULTS = {"application/sparql-results+json": "json", "application/sparql-results+xml": "xml", "text/csv": "csv",
           "text/tab-separated-values": "tsv"}
GRAPHS = {"text/turtle": "turtle", "application/n-triples": "nt", "application/n-quads": "nquads", "application/trig": "trig",
          "application/rdf+xml": "xml", "application/ld+json": "json-ld"}  # rdflib's parser names
FORMAT_IRIS = {f"http://www.w3.org/ns/formats/{name}" for name in (
    "SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
    "Turtle", "N-Triples", "N-Quads", "TriG", "RDF_XML", "JSON-LD")}


@pytest.fixture(scope="module")
def server(built_ttl):
    process, base = start_server(built_ttl, "--workers", "2")
    yield base
    stop_server(process)


def get(base, query=None, accept=None, method="POST"):
    headers = {"Accept": accept} if accept is not None else {}
    if query is None:
        return requests.get(base + "/sparql", headers=headers, timeout=30)
    if method == "GET":
        return requests.get(base + "/sparql", params={"query": query}, headers=headers, timeout=30)
    return requests.post(base + "/sparql", data={"query": query}, headers=headers, timeout=30)


# ---------------------------------------------------------------- SELECT and ASK


@pytest.mark.parametrize("accept", list(RESULTS))
def test_rows_in_every_results_format(server, accept):
    for method in ("GET", "POST"):
        response = get(server, SELECT, accept, method)
        assert response.status_code == 200, response.text
        assert response.headers["Content-Type"].split(";")[0] == accept
        rows = list(Result.parse(io.BytesIO(response.content), format=RESULTS[accept]))
        assert len(rows) == 1
        amount, hedge = rows[0]
        assert Decimal(str(amount)) == Decimal("14000000000")
        if accept == "text/csv":  # SPARQL CSV keeps lexical forms only
            assert str(hedge) == "supera"
        else:
            assert (amount.datatype, hedge) == (XSD.decimal, Literal("supera", lang="it"))


@pytest.mark.parametrize("accept", list(RESULTS))
def test_ask_in_every_results_format_read_by_sparqlwrapper(server, accept):
    """The README's own example, `ASK` as CSV, among them; SPARQLWrapper as the client, GET and POST."""
    import pyoxigraph
    from SPARQLWrapper import CSV, JSON, TSV, XML, SPARQLWrapper

    client = SPARQLWrapper(server + "/sparql")
    client.setReturnFormat({"json": JSON, "xml": XML, "csv": CSV, "tsv": TSV}[RESULTS[accept]])
    for text, expected in ((ASK_MORE, True), (ASK_LESS, False)):
        client.setQuery(text)
        for method in ("GET", "POST"):
            client.setMethod(method)
            answer = client.query()
            assert answer.response.headers["Content-Type"].split(";")[0] == accept
            converted = answer.convert()
            if accept == "application/sparql-results+json":
                assert converted["boolean"] is expected
            elif accept == "application/sparql-results+xml":
                assert converted.getElementsByTagName("boolean")[0].firstChild.data == str(expected).lower()
            elif accept == "text/tab-separated-values":
                assert bool(pyoxigraph.parse_query_results(converted, format=pyoxigraph.QueryResultsFormat.TSV)) is expected
            else:  # CSV defines no boolean: the word, as pyoxigraph and Jena's tools write it
                assert list(csv.reader(io.StringIO(converted.decode("utf-8")))) == [[str(expected).lower()]]


# ---------------------------------------------------------------- CONSTRUCT and DESCRIBE


@pytest.mark.parametrize("accept", list(GRAPHS))
def test_graphs_in_every_rdf_syntax(server, accept):
    reference = {}
    for text in (DESCRIBE, CONSTRUCT):
        reference[text] = set(Graph().parse(data=get(server, text, "application/n-triples").text, format="nt"))
        response = get(server, text, accept)
        assert response.status_code == 200, response.text
        assert response.headers["Content-Type"].split(";")[0] == accept
        graph = Graph().parse(data=response.content, format=GRAPHS[accept])
        seed_facts(graph)
        assert set(graph) == reference[text]
    assert len(reference[CONSTRUCT]) == 2 and len(reference[DESCRIBE]) > 10


@pytest.mark.parametrize("fmt", ["RDFXML", "TURTLE", "JSONLD", "N3"])
def test_sparqlwrapper_reads_a_describe_in_its_rdf_formats(server, fmt):
    """SPARQLWrapper asks for RDF/XML, Turtle, JSON-LD or N3 and parses what comes into an rdflib graph:
    the format it asked for (a Turtle answer to an RDF/XML request used to warn and be read as Turtle)."""
    import warnings

    import SPARQLWrapper

    client = SPARQLWrapper.SPARQLWrapper(server + "/sparql")
    client.setQuery(DESCRIBE)
    client.setReturnFormat(getattr(SPARQLWrapper, fmt))
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="Format requested was")  # "..., but ... has been returned"
        converted = client.query().convert()
    # RDF/XML and JSON-LD arrive as rdflib graphs; Turtle and N3 as bytes (N-Triples and Turtle are N3)
    seed_facts(Graph().parse(data=converted, format="n3") if isinstance(converted, bytes) else converted)


def test_json_ld_is_expanded_and_sorted(server):
    """No context to fetch, and one order: subjects, then properties, sorted."""
    import json

    document = json.loads(get(server, DESCRIBE, "application/ld+json").text)
    assert isinstance(document, list) and all("@context" not in node for node in document)
    node = next(node for node in document if node["@id"] == str(FACT))
    properties = [key for key in node if key != "@id"]
    assert properties == sorted(properties)
    assert node[KGO + "hedgeText"] == [{"@language": "it", "@value": "supera"}]


# ---------------------------------------------------------------- negotiation


@pytest.mark.parametrize("query,accept,expected", [
    (SELECT, "text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
    (SELECT, "text/csv;q=0, */*;q=0.1", "application/sparql-results+json"),
    (SELECT, "text/*", "text/csv"),
    (SELECT, "application/json", "application/sparql-results+json"),
    (SELECT, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "application/sparql-results+json"),
    (SELECT, None, "application/sparql-results+json"),
    (DESCRIBE, "application/n-quads;q=0.4, application/trig;q=0.7", "application/trig"),
    (DESCRIBE, "application/json", "application/ld+json"),
    (DESCRIBE, "*/*", "text/turtle"),
    (DESCRIBE, None, "text/turtle"),
])
def test_accept_with_q_values(server, query, accept, expected):
    response = get(server, query, accept)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].split(";")[0] == expected
    assert "Accept" in response.headers["Vary"]


@pytest.mark.parametrize("query,accept,named", [
    (ASK_MORE, "text/turtle", "application/sparql-results+json"),
    (SELECT, "application/rdf+xml", "text/tab-separated-values"),
    (DESCRIBE, "text/csv", "application/ld+json"),
    (CONSTRUCT, "application/sparql-results+json", "application/n-quads"),
    (SELECT, "text/html", "application/trig"),  # nothing of this endpoint: refused before the query runs
    (SELECT, "text/csv;q=0", "text/csv"),
])
def test_406_for_what_it_cannot_write(server, query, accept, named):
    response = get(server, query, accept)
    assert response.status_code == 406, response.text
    assert response.headers["Content-Type"].startswith("text/plain")
    sentence = response.text.strip()
    assert "\n" not in sentence and named in sentence, sentence


# ---------------------------------------------------------------- the service description


def description(server, accept=None):
    response = get(server, accept=accept)
    assert response.status_code == 200, response.text
    return response


def test_service_description_at_get_sparql(server, built_ttl):
    response = description(server)
    assert response.headers["Content-Type"].split(";")[0] == "text/turtle"
    graph = Graph().parse(data=response.text, format="turtle")
    endpoint = URIRef(server + "/sparql")
    sd = lambda name: URIRef(SD + name)  # noqa: E731
    assert (endpoint, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), sd("Service")) in graph
    assert set(graph.objects(endpoint, sd("endpoint"))) == {endpoint}
    assert set(graph.objects(endpoint, sd("supportedLanguage"))) == {sd("SPARQL11Query")}  # no SPARQL Update
    assert {str(o) for o in graph.objects(endpoint, sd("resultFormat"))} == FORMAT_IRIS
    assert set(graph.objects(endpoint, sd("feature"))) == set()  # no SERVICE, no dereferencing, no union graph
    assert set(graph.objects(endpoint, sd("defaultEntailmentRegime"))) == {URIRef("http://www.w3.org/ns/entailment/Simple")}
    dataset = graph.value(endpoint, sd("defaultDataset"))
    default = graph.value(dataset, sd("defaultGraph"))
    triples = graph.value(default, URIRef("http://rdfs.org/ns/void#triples"))
    assert triples.toPython() == len(Graph().parse(built_ttl))  # the graph file's triples, counted by rdflib
    assert not [node for triple in graph for node in triple if isinstance(node, BNode)]  # IRIs, not blank nodes


@pytest.mark.parametrize("accept", [a for a in GRAPHS if a != "text/turtle"])
def test_service_description_in_every_rdf_syntax(server, accept):
    turtle = set(Graph().parse(data=description(server).text, format="turtle"))
    response = description(server, accept)
    assert response.headers["Content-Type"].split(";")[0] == accept
    assert set(Graph().parse(data=response.content, format=GRAPHS[accept])) == turtle


def test_service_description_406_and_the_protocol_errors_stay(server):
    assert get(server, accept="text/csv").status_code == 406
    assert requests.post(server + "/sparql", timeout=10).status_code == 400  # POST with no query
    assert requests.get(server + "/sparql", params={"update": "CLEAR ALL"}, timeout=10).status_code == 403


# ---------------------------------------------------------------- the README


def readme_curls() -> list[str]:
    """The curl commands of the README's examples (code blocks), comments cut."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.S)
    return [line.split("  #")[0].strip() for block in blocks for line in block.splitlines() if line.startswith("curl ")]


def test_the_readme_curl_examples_run(server):
    """Every curl example of the README, against this server: each answers 200, and the one that asks
    the graph whether it holds anything (ASK as CSV) says true."""
    commands = readme_curls()
    assert len(commands) >= 4, commands
    port = urllib.parse.urlsplit(server).port
    for command in commands:
        args = shlex.split(command.replace("127.0.0.1:7878", f"127.0.0.1:{port}"))
        done = subprocess.run([args[0], "-sS", "--fail-with-body", *args[1:]], capture_output=True, timeout=60)
        assert done.returncode == 0, (command, done.stdout[-500:], done.stderr)
        if "ASK" in command and "text/csv" in command:
            assert done.stdout.decode().strip() == "true"
        elif "Accept" not in command and "query=" not in command:  # the service description, Turtle
            assert "sd:Service" in done.stdout.decode()


# ---------------------------------------------------------------- the page, in a real browser


class Cells(html.parser.HTMLParser):
    """The text of each table row of a page: [[cell text, ...], ...]; and the status line."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None
        self.status: list[str] | None = None
        self.status_text = ""

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = []
        elif dict(attrs).get("id") == "status":
            self.status = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append("".join(self.cell))
            self.cell = None
        elif tag == "span" and self.status is not None:
            self.status_text, self.status = "".join(self.status), None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)
        if self.status is not None:
            self.status.append(data)


def page(server, query, tmp_path) -> Cells:
    url = f"{server}/?" + urllib.parse.urlencode({"query": query})
    result = subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=10000", "--dump-dom", url],
        capture_output=True, text=True, timeout=60,
    )
    cells = Cells()
    cells.feed(result.stdout)
    return cells


@pytest.mark.parametrize("query,count", [(DESCRIBE, None), (CONSTRUCT, 2)])
def test_the_page_shows_a_graph_with_datatypes_and_languages(server, tmp_path, query, count):
    """A DESCRIBE and a CONSTRUCT on the page: a row a triple, the 14 billion as a decimal and «supera»
    in Italian, as Turtle writes them (the page used to fail: "Unexpected token '@' ... is not valid JSON")."""
    shown = page(server, query, tmp_path)
    assert shown.rows[0] == ["subject", "predicate", "object"], shown.rows[:2]
    subject = f"<{FACT}>"
    assert [subject, "kgo:tradeValue", '"14000000000"^^xsd:decimal'] in shown.rows
    assert [subject, "kgo:hedgeText", '"supera"@it'] in shown.rows
    triples = len(shown.rows) - 1
    assert shown.status_text == f"{triples} triples."
    if count is not None:
        assert triples == count
    else:
        assert [subject, "rdf:type", "kgo:Figure"] in shown.rows and triples > 10


def test_the_page_shows_rows_with_datatypes_and_languages(server, tmp_path):
    shown = page(server, SELECT, tmp_path)
    assert shown.rows == [["amount", "hedge"], ['"14000000000"^^xsd:decimal', '"supera"@it']]
    assert shown.status_text == "1 row."
