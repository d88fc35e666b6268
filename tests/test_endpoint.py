"""`kg serve` as a real server process: the SPARQL 1.1 Protocol, the refusals, the limits,
the offline page in headless Chromium, and SPARQLWrapper as a real client."""

import subprocess
import time
import urllib.parse
from pathlib import Path

import pytest
import requests

import conftest
from conftest import chromium, start_server, stop_server

ROOT = Path(__file__).resolve().parent.parent
POSTS = "SELECT ?post WHERE { ?post a <http://www.w3.org/ns/org#Post> } ORDER BY ?post"
PATHOLOGICAL = """SELECT (COUNT(*) AS ?n) WHERE {
  ?a ?b ?c . ?d ?e ?f . ?g ?h ?i .
  FILTER (REGEX(CONCAT(STR(?c), STR(?f), "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"), "(a+)+$"))
}"""


start, stop = start_server, stop_server


@pytest.fixture(scope="module")
def server(built_ttl):
    process, base = start(built_ttl, "--timeout", "2", "--max-rows", "50", "--max-body", "20000")
    yield base
    stop(process)


def sparql(base, **kwargs):
    return requests.request(kwargs.pop("method", "GET"), base + "/sparql", timeout=30, **kwargs)


# ---------------------------------------------------------------- the protocol


def post_names(response):
    return [b["post"]["value"].rsplit("/post/", 1)[1] for b in response.json()["results"]["bindings"]]


EXPECTED_POSTS = [
    "confindustria-ancona/president",
    "confindustria-ancona/vice-president/export-e-attrazione-investimenti",
    "republic-of-azerbaijan/ambassador/to-italy",
]


def test_get_with_query(server):
    response = sparql(server, params={"query": POSTS})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/sparql-results+json")
    assert post_names(response) == EXPECTED_POSTS


def test_post_form_encoded(server):
    assert post_names(sparql(server, method="POST", data={"query": POSTS})) == EXPECTED_POSTS


def test_post_sparql_query_body(server):
    response = sparql(server, method="POST", data=POSTS.encode(), headers={"Content-Type": "application/sparql-query"})
    assert post_names(response) == EXPECTED_POSTS


@pytest.mark.parametrize("accept,check", [
    ("application/sparql-results+xml", lambda text: "<sparql" in text and "president" in text),
    ("text/csv", lambda text: text.splitlines()[0] == "post" and len(text.splitlines()) == 4),
    ("text/tab-separated-values", lambda text: text.splitlines()[0] == "?post" and text.splitlines()[1].startswith("<https://")),
])
def test_select_formats_by_accept(server, accept, check):
    response = sparql(server, params={"query": POSTS}, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["Content-Type"].startswith(accept)
    assert check(response.text), response.text


@pytest.mark.parametrize("accept,rdflib_format", [("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld")])
def test_construct_formats_by_accept(server, accept, rdflib_format):
    from rdflib import Graph

    query = "CONSTRUCT { ?p a <http://www.w3.org/ns/org#Post> } WHERE { ?p a <http://www.w3.org/ns/org#Post> }"
    response = sparql(server, params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["Content-Type"].startswith(accept)
    assert len(Graph().parse(data=response.text, format=rdflib_format)) == 3


def test_construct_where_short_form(server):
    """SPARQL 1.1's CONSTRUCT WHERE { ... }: the template is the pattern (rdflib could not run it)."""
    post = "<http://www.w3.org/ns/org#Post>"
    response = sparql(server, params={"query": f"CONSTRUCT WHERE {{ ?p a {post} }}"},
                      headers={"Accept": "application/n-triples"})
    assert response.status_code == 200, response.text
    lines = sorted(response.text.splitlines())
    assert lines == [f"<https://example.org/kg/id/post/{name}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> {post} ."
                     for name in EXPECTED_POSTS]
    limited = sparql(server, params={"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 5"},
                     headers={"Accept": "application/n-triples"})
    assert limited.status_code == 200 and len(limited.text.splitlines()) == 5


def test_ask(server):
    response = sparql(server, params={"query": "ASK { ?s a <https://example.org/kg/ontology#Meeting> }"})
    assert response.json()["boolean"] is True


def test_sparqlwrapper_as_a_real_client(server):
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(server + "/sparql")
    client.setQuery("""PREFIX schema: <http://schema.org/>
        SELECT ?date WHERE { ?m a <https://example.org/kg/ontology#Meeting> ; schema:startDate ?date }""")
    client.setReturnFormat(JSON)
    for method in ("GET", "POST"):
        client.setMethod(method)
        bindings = client.query().convert()["results"]["bindings"]
        assert [b["date"]["value"] for b in bindings] == ["2026-02-17"]


# ---------------------------------------------------------------- refusals (SECURITY.md case 15)


def test_updates_are_refused_and_change_nothing(server):
    before = sparql(server, params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}).json()
    for kwargs in (
        {"method": "POST", "data": b"CLEAR ALL", "headers": {"Content-Type": "application/sparql-update"}},
        {"method": "POST", "data": {"update": "CLEAR ALL"}},
        {"method": "POST", "data": {"query": "INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }"}},
        {"params": {"query": "LOAD <file:///etc/passwd>"}},
    ):
        response = sparql(server, **kwargs)
        assert response.status_code == 403, (kwargs, response.text)
    assert sparql(server, params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}).json() == before


@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <{url}sparql> {{ ?s ?p ?o }} }}",
    "PREFIX ex: <{url}> SELECT * WHERE {{ SERVICE ex:sparql {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND (<{url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    "SELECT * FROM <{url}graph> WHERE {{ ?s ?p ?o }}",
    "SELECT * FROM NAMED <{url}graph> WHERE {{ ?s ?p ?o }}",
])
def test_service_and_from_are_refused_with_zero_requests(server, listener, template):
    response = sparql(server, params={"query": template.format(url=listener)})
    assert response.status_code == 403, response.text
    assert conftest.Counting.hits == 0


def test_default_graph_uri_is_refused(server):
    response = sparql(server, params={"query": POSTS, "default-graph-uri": "file:///etc/passwd"})
    assert response.status_code == 403


def test_other_methods_and_paths(server):
    assert requests.put(server + "/sparql", data=b"x", timeout=10).status_code == 405
    assert requests.delete(server + "/sparql", timeout=10).status_code == 405
    assert requests.get(server + "/nothing", timeout=10).status_code == 404
    assert sparql(server, params={"query": "SELEC nope"}).status_code == 400
    assert sparql(server, method="POST").status_code == 400  # no query (GET without one: the service description)


def test_oversized_body_is_413(server):
    response = sparql(server, method="POST", data=b"#" * 30000 + b"\nASK {}", headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 413


def test_no_cors_header_for_a_foreign_origin(server):
    """A page of another site gets no CORS header, and its query is refused, not run (case 22)."""
    response = sparql(server, params={"query": POSTS}, headers={"Origin": "http://evil.example"})
    assert response.status_code == 403 and "http://evil.example" in response.text
    assert "Access-Control-Allow-Origin" not in response.headers


def test_cors_only_for_the_named_origin(built_ttl):
    process, base = start(built_ttl, "--cors", "http://good.example")
    try:
        good = sparql(base, params={"query": POSTS}, headers={"Origin": "http://good.example"})
        evil = sparql(base, params={"query": POSTS}, headers={"Origin": "http://evil.example"})
        assert good.status_code == 200 and good.headers["Access-Control-Allow-Origin"] == "http://good.example"
        assert post_names(good) == EXPECTED_POSTS
        assert evil.status_code == 403 and "Access-Control-Allow-Origin" not in evil.headers
    finally:
        stop(process)


def test_pathological_query_is_stopped_and_the_server_goes_on(server):
    started = time.monotonic()
    response = sparql(server, params={"query": PATHOLOGICAL})
    assert response.status_code == 503 and "timed out" in response.text
    assert time.monotonic() - started < 10
    assert post_names(sparql(server, params={"query": POSTS})) == EXPECTED_POSTS


def test_row_cap_says_it_truncated(server):
    response = sparql(server, params={"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"})
    assert len(response.json()["results"]["bindings"]) == 50
    assert response.headers["X-KG-Truncated"].startswith("50 of ")
    assert "truncated" in response.headers["Warning"]
    small = sparql(server, params={"query": POSTS})
    assert "X-KG-Truncated" not in small.headers


def test_binds_loopback_by_default(server):
    host = urllib.parse.urlparse(server).hostname
    assert host == "127.0.0.1"
    from kg.cli import serve

    assert {p.name: p.default for p in serve.params}["host"] == "127.0.0.1"


# ---------------------------------------------------------------- the page, in a real browser


def test_query_page_runs_a_query_in_headless_chromium(server, tmp_path):
    url = f"{server}/?" + urllib.parse.urlencode({"query": POSTS})
    result = subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=10000", "--dump-dom", url],
        capture_output=True, text=True, timeout=60,
    )
    dom = result.stdout
    assert "3 rows." in dom, dom[-2000:]
    for name in EXPECTED_POSTS:  # an IRI as Turtle writes it
        assert f"&lt;https://example.org/kg/id/post/{name}&gt;</span></td>" in dom


def test_query_page_is_self_contained(server):
    """Nothing loaded from elsewhere: no src, and no address but in the data block of the prefixes it shows IRIs with."""
    import json
    import re

    page = requests.get(server + "/", timeout=10).text
    block = re.search(r'<script type="application/json" id="prefixes">(.*?)</script>', page, flags=re.S)
    assert json.loads(block.group(1))["xsd"] == "http://www.w3.org/2001/XMLSchema#"
    code = page.replace(block.group(0), "")
    assert "<script" in code and "src=" not in code and "http://" not in code.replace("http://www.w3.org", "")
    assert "https://" not in code.replace("https://example.org/kg/ontology#", "")


def _text_bands(path):
    """Runs of pixel rows holding dark (text) pixels: [(top, bottom, xs of the dark pixels)]."""
    from PIL import Image

    with Image.open(path) as image:
        grey = image.convert("L")
    width, height = grey.size
    pixels = grey.load()
    bands: list = []
    for y in range(height):
        dark = {x for x in range(width) if pixels[x, y] < 110}
        if dark and bands and bands[-1][1] == y - 1:
            bands[-1] = (bands[-1][0], y, bands[-1][2] | dark)
        elif dark:
            bands.append((y, y, dark))
    return width, bands


def test_query_page_shows_the_answer_as_a_picture(server, tmp_path):
    """What a person sees: under the query, a table of a header and the three posts, each row with
    text in both columns (post and person), evenly spaced, nothing drawn over it."""
    query = ("PREFIX org: <http://www.w3.org/ns/org#> "
             "SELECT ?post ?person WHERE { ?post a org:Post ; org:heldBy ?person } ORDER BY ?post")
    url = f"{server}/?" + urllib.parse.urlencode({"query": query})
    shot = tmp_path / "page.png"
    subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
         f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1280,800", "--virtual-time-budget=10000",
         f"--screenshot={shot}", url],
        capture_output=True, timeout=60, check=True,
    )
    width, bands = _text_bands(shot)
    rows = bands[-4:]  # the header and the three posts: the last text on the page
    for top, bottom, xs in rows:
        assert min(xs) < width * 0.2, (top, bottom)  # the post column, from the left of the table
        assert max(xs) > width * 0.65, (top, bottom)  # the person column
        assert bottom - top < 30  # one line each: no row drawn over another
    from itertools import pairwise

    gaps = [b[0] - a[0] for a, b in pairwise(rows)]
    assert max(gaps) - min(gaps) <= 4, gaps  # evenly spaced table rows
    status = bands[-5]  # above the table: the Run button and "3 rows.", not a table row
    assert max(status[2]) < width * 0.5
