"""Hostile labels in the pages kg writes and serves, in headless Chromium (case 29 of SECURITY.md).

The offline page of `kg viz -o x.html` embeds the graph's text as JSON in a
`<script type="application/json">` element, `< > &` U+2028 U+2029 written as \\uXXXX, read with
JSON.parse and shown with textContent; a Content-Security-Policy lets only the page's own script
and style run. The endpoint's query page shows result values and errors as text. Each hostile
text would set `document.body.dataset.pwned` (the attribute `data-pwned`) if it ran.
"""

from __future__ import annotations

import html
import json
import subprocess
import urllib.parse
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

import conftest
from conftest import chromium
from kg.cli import cli

SOCAR = URIRef("https://example.org/kg/id/org/socar")
HEADLINE = "__DATA__ <img src=x onerror=document.body.dataset.pwned=1> </title><b>bold</b>"
ACTOR = ("Socar </script><script>document.body.dataset.pwned=2</script>"
         "<img src=x onerror=document.body.dataset.pwned=3> __DATA__ \u2028<!-- & end")
SENTENCE = "Socar buys Api <svg onload=document.body.dataset.pwned=4></svg>\u2029 \"quoted\" </script>"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def render(url: str, profile: Path, *extra: str) -> str:
    """The DOM after the page's scripts ran (and 5 s of virtual time for images to fail)."""
    result = subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", "--virtual-time-budget=5000", *extra, "--dump-dom", url],
        capture_output=True, text=True, timeout=90,
    )
    assert "<html" in result.stdout, result.stderr[-2000:]
    return result.stdout


def shown(text: str) -> str:
    """``text`` as Chromium writes a text node back out (only < > & escaped)."""
    return html.escape(text, quote=False)


@pytest.fixture(scope="module")
def hostile_ttl(built_ttl, tmp_path_factory):
    """The seed's graph with a hostile headline, actor label and sentence."""
    from kg.rdf.namespaces import KGO, SCHEMA

    graph = Graph().parse(built_ttl, format="turtle")
    release = next(graph.subjects(RDF.type, KGO.PressRelease))
    old = graph.value(release, SCHEMA.headline)
    graph.set((release, SCHEMA.headline, Literal(HEADLINE, lang=old.language)))
    for label in list(graph.objects(SOCAR, RDFS.label)):
        graph.remove((SOCAR, RDFS.label, label))
    graph.add((SOCAR, RDFS.label, Literal(ACTOR, lang="en")))
    fact = next(f for f in graph.subjects(KGO.acquirer, SOCAR))
    evidence = next(graph.objects(fact, KGO.evidence))
    sentence = next(graph.objects(evidence, KGO.inSentence))
    graph.set((sentence, RDF.value, Literal(SENTENCE, lang="it")))
    path = tmp_path_factory.mktemp("hostile") / "graph.ttl"
    graph.serialize(path, format="turtle")
    return path


@pytest.fixture(scope="module")
def hostile_page(hostile_ttl, tmp_path_factory):
    target = tmp_path_factory.mktemp("page") / "graph.html"
    result = run("viz", "--graph", hostile_ttl, "-o", target)
    assert result.exit_code == 0, result.output
    return target


def test_case_29_hostile_labels_stay_data_in_the_file(hostile_page):
    """The page's text: one JSON element that parses back to the labels; no hostile text outside it."""
    text = hostile_page.read_text(encoding="utf-8")
    # the data, the drawing library (Cytoscape.js, from the package), the page's script
    assert text.count("<script") == 3 and text.count("</script>") == 3
    start = text.index('<script id="data" type="application/json">') + len('<script id="data" type="application/json">')
    payload = text[start:text.index("</script>", start)]
    for character in "<>&\u2028\u2029":
        assert character not in payload
    data = json.loads(payload)
    assert data["title"].startswith(HEADLINE)
    assert ACTOR in {node["label"] for node in data["nodes"]}
    outside = text[:start] + text[start + len(payload):]
    assert "onerror" not in outside and "__DATA__" not in outside and "pwned" not in outside


def test_case_29_hostile_labels_run_nothing_and_show_as_text(hostile_page, hostile_ttl, tmp_path):
    """In Chromium, with the actor selected: no injected code ran, no injected element exists, and
    the headline, the label and the sentence are there as literal text."""
    from kg.stores.files import load_graph
    from kg.views.netgraph import to_networkx

    dom = render(hostile_page.resolve().as_uri() + "?select=org/socar", tmp_path / "profile")
    assert "data-pwned" not in dom  # neither onerror, nor onload, nor an injected script ran
    assert dom.count("<script") == 3  # the data, the library, the page's script: none injected
    assert "<img" not in dom and "<b>" not in dom and "<svg onload" not in dom
    assert f"<title>{shown(HEADLINE)} (" in dom
    assert f'<h1 id="title">{shown(HEADLINE)} (' in dom
    panel = dom.split('<aside id="panel">', 1)[1].split("</aside>", 1)[0]
    assert f"<h2>{shown(ACTOR)}</h2>" in panel
    assert f"<blockquote>{shown(SENTENCE)}</blockquote>" in panel
    assert dom.count('class="node') == to_networkx(load_graph(hostile_ttl)).number_of_nodes()  # and it drew


def test_case_29_the_policy_forbids_inline_handlers_and_remote_loads(built_ttl, tmp_path, listener):
    """Markup slipped into the page by any other way still runs nothing and loads nothing: the
    page's Content-Security-Policy allows its own script and style (by hash), nothing else."""
    page = tmp_path / "graph.html"
    assert run("viz", "--graph", built_ttl, "-o", page).exit_code == 0
    text = page.read_text(encoding="utf-8")
    policy = text.split('http-equiv="Content-Security-Policy" content="', 1)[1].split('"', 1)[0]
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy
    injected = (f'<img src=x onerror="document.body.dataset.pwned=\'handler\'">'
                f'<img src="{listener}pixel.png"><script src="{listener}remote.js"></script>'
                f'<link rel="stylesheet" href="{listener}remote.css">'
                "<script>document.body.dataset.pwned='inline'</script>")
    page.write_text(text.replace("</body>", injected + "</body>"), encoding="utf-8")
    dom = render(page.resolve().as_uri(), tmp_path / "profile")
    assert "data-pwned" not in dom
    assert conftest.Counting.hits == 0
    assert 'class="node' in dom  # the page's own script still ran


# ---------------------------------------------------------------- the endpoint's query page


@pytest.fixture(scope="module")
def hostile_server(hostile_ttl):
    from test_endpoint import start, stop

    process, base = start(hostile_ttl)
    yield base
    stop(process)


def test_case_29_the_query_page_shows_values_and_errors_as_text(hostile_server, tmp_path):
    query = (f"PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?label ?node WHERE "
             f"{{ ?node rdfs:label ?label FILTER (?node = <{SOCAR}>) }}")
    dom = render(f"{hostile_server}/?" + urllib.parse.urlencode({"query": query}), tmp_path / "profile")
    assert "1 row." in dom, dom[-2000:]
    # the label as a literal with its language, as Turtle writes it, and as text
    assert f'<td><span class="literal">"{shown(ACTOR)}"</span><span class="lang">@en</span></td>' in dom
    # the prefixes (JSON data, not run) and the page's script: none injected
    assert "data-pwned" not in dom and "<img" not in dom and dom.count("<script") == 2
    # an error message that quotes the hostile query back is text too
    broken = "SELECT <img src=x onerror=document.body.dataset.pwned=5> WHERE {"
    dom = render(f"{hostile_server}/?" + urllib.parse.urlencode({"query": broken}), tmp_path / "profile2")
    assert 'class="error"' in dom
    assert "data-pwned" not in dom and "<img" not in dom
