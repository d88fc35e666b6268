"""SECURITY.md, cases 17 and 19: what the guard reads is what Oxigraph runs, and the query's process
cannot reach the network whatever a parser says.

rdflib (the guard's parser) read ``\\u00000022`` as one eight-digit escape, a quote, where SPARQL 1.1
and Oxigraph read ``\\u0000`` and then ``0022``; and it ran a ``#`` comment to the next line feed
where Oxigraph ends it at a carriage return too. A SERVICE clause that rdflib saw inside a string or
a comment passed the guard, and Oxigraph sent the request: from ``kg query``, and from the store
itself through ``kg query --endpoint``. A listener on a loopback port counts every connection made
to it; every query here must be refused in one sentence or answered, with zero connections.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyoxigraph
import pytest
import requests
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kg.check.guard import canonical, prepare
from kg.errors import KgError, QuerySyntaxError, RefusedError

ROOT = Path(__file__).resolve().parent.parent
Q = '"'
ESC8 = "\\u00000022"  # rdflib: a quote; SPARQL 1.1 and Oxigraph: U+0000, then the text 0022

# The attacks of the issue, and their neighbours; URL is replaced by the listener's address.
ATTACKS = {
    "eight-digit \\u": f'SELECT * WHERE {{ BIND({Q}{ESC8}{Q} AS ?a) SERVICE <URL> {{ ?s ?p ?o }} BIND({Q}{ESC8}{Q} AS ?b) }}',
    "eight-digit \\u, prefixed name": (f'PREFIX ex: <URL>\nSELECT * WHERE {{ BIND({Q}{ESC8}{Q} AS ?a) SERVICE ex:x '
                                       f'{{ ?s ?p ?o }} BIND({Q}{ESC8}{Q} AS ?b) }}'),
    "four-digit \\U": 'SELECT * WHERE { BIND("\\U0022" AS ?a) SERVICE <URL> { ?s ?p ?o } BIND("\\U0022" AS ?b) }',
    "carriage return ends a comment": "SELECT * WHERE { # a comment\r SERVICE <URL> { ?s ?p ?o } \n ?x ?y ?z }",
    "escaped carriage return": "SELECT * WHERE { # a comment\\u000D SERVICE <URL> { ?s ?p ?o } \n ?x ?y ?z }",
    "an escape that writes an escape": 'SELECT * WHERE { BIND("\\u005Cu0022" AS ?a) SERVICE <URL> { ?s ?p ?o } }',
    "escaped keyword": "SELECT * WHERE { \\u0053ERVICE <URL> { ?s ?p ?o } }",
    "escaped IRI": "SELECT * WHERE { SERVICE <\\u0068ttp://127.0.0.1:PORT/> { ?s ?p ?o } }",
    "FROM": "SELECT * FROM <URL> WHERE { ?s ?p ?o }",
    "LOAD": "LOAD <URL>",
}


class Listener:
    """A TCP listener on a free loopback port that counts the connections made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()

    def text(self, template: str) -> str:
        return template.replace("URL", self.url).replace("PORT", str(self.port))


@pytest.fixture(scope="module")
def listener():
    found = Listener()
    yield found
    found.sock.close()


def _store() -> pyoxigraph.Store:
    """A store with a triple, so that the patterns around a SERVICE clause have rows to join."""
    store = pyoxigraph.Store()
    store.add(pyoxigraph.Quad(pyoxigraph.NamedNode("http://example.org/s"), pyoxigraph.NamedNode("http://example.org/p"),
                              pyoxigraph.Literal("o")))
    return store


def _refused_or_answered(run) -> str:
    """"answered", or the one sentence the query was refused with (any other exception fails)."""
    try:
        run()
    except KgError as exc:
        message = str(exc)
        assert message.strip() and "\n" not in message.strip() and "Traceback" not in message, message
        return message
    return "answered"


# --------------------------------------------------------------------------- the canonical form


def test_canonical_form_expands_codepoint_escapes_once_as_sparql_defines():
    assert canonical("SELECT ?\\u0078 WHERE { ?\\U00000078 ?p ?o }") == "SELECT ?x WHERE { ?x ?p ?o }"
    # \u takes four digits: the next four are text, as SPARQL 1.1 and Oxigraph read them
    assert canonical('BIND("' + ESC8 + '" AS ?a)') == 'BIND("\x000022" AS ?a)'
    assert canonical("# c\r x\r\n y") == "# c\n x\n y"
    assert canonical('"\\\\u0041"') == '"\\A"'  # expanded where it stands, as the whole text is expanded first
    for text in ('"\\u005Cu0022"', '"\\U0022"', '"\\u005C\\u0075\\u0030022"'):  # an escape left once expanded: refused
        with pytest.raises(RefusedError, match="codepoint escape"):
            canonical(text)
    with pytest.raises(QuerySyntaxError, match="names no Unicode character"):
        canonical('"\\uD800"')


@given(st.text(alphabet=st.sampled_from(["\\", "u", "U", "0", "2", "5", "C", "D", "a", '"', "#", "\r", "\n", " ", "x"]),
               max_size=40))
@settings(max_examples=300, deadline=None)
def test_a_canonical_text_is_its_own_canonical_form_for_both_parsers(text):
    from rdflib.plugins.sparql.parser import expandUnicodeEscapes

    try:
        fixed = canonical(text)
    except KgError:
        return
    assert canonical(fixed) == fixed
    assert expandUnicodeEscapes(fixed) == fixed  # rdflib's parser expands nothing more
    assert "\r" not in fixed  # a comment ends at the same place for both


@given(quote=st.sampled_from(['"', "'", '"""', "'''"]),
       content=st.lists(st.sampled_from(["a", "0", "2", "D", "u", "U", "\\", '"', "'", "#", "\n", "\r", "\\u0022", ESC8,
                                         "\\u005C", "\\U0000005C", "\\u000D", "\\u0000", "\\t", "\\n", "\u00e9"]), max_size=8))
@settings(max_examples=300, deadline=None)
def test_both_parsers_read_the_same_string_from_the_canonical_text(quote, content):
    """Where rdflib and Oxigraph both read the canonical text, they read the same string from it."""
    import rdflib

    try:
        text = canonical(f"SELECT ?x WHERE {{ BIND({quote}{''.join(content)}{quote} AS ?x) }}")
    except KgError:
        return
    try:
        oxigraph = [str(row["x"].value) for row in pyoxigraph.Store().query(text)]
    except SyntaxError:
        oxigraph = None
    try:
        with _quiet():
            rdflib_rows = [str(row[0]) for row in rdflib.Graph().query(text)]
    except Exception:
        rdflib_rows = None
    if oxigraph is not None and rdflib_rows is not None:
        assert oxigraph == rdflib_rows, repr(text)


def _quiet():
    import contextlib
    import warnings

    stack = contextlib.ExitStack()
    stack.enter_context(warnings.catch_warnings())
    warnings.simplefilter("ignore")
    return stack


def test_a_query_with_codepoint_escapes_is_answered_as_written():
    import json

    from kg.query.engine import run_sparql

    answer = run_sparql(_store(), 'SELECT ?\\u0078 WHERE { BIND("caf\\u00E9 \\U0001F600" AS ?x) }', timeout=20)
    assert json.loads(answer.data)["results"]["bindings"] == [{"x": {"type": "literal", "value": "caf\u00e9 \U0001F600"}}]


def test_the_guard_refuses_a_text_that_is_not_canonical():
    with pytest.raises(RefusedError, match="left unexpanded"):
        prepare("SELECT * WHERE { ?s ?p ?o # \\u0041\n }")
    from kg.query.engine import run_sparql  # a parameter's value is bound as written, then guarded again

    with pytest.raises(RefusedError, match="left unexpanded"):
        run_sparql(_store(), "SELECT ?x WHERE { ?s ?p ?o }", {"x": pyoxigraph.Literal("\\u0022")})


# --------------------------------------------------------------------------- the issue's attacks, every path


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_the_issues_bypasses_are_refused_in_process_and_nothing_is_requested(listener, name):
    """In this process, without a time limit: the guard alone stands between the text and the network."""
    from kg.query.engine import run_sparql

    before = listener.connections
    message = _refused_or_answered(lambda: run_sparql(_store(), listener.text(ATTACKS[name])))
    assert message != "answered"
    time.sleep(0.05)
    assert listener.connections == before


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """``kg build`` of the seed (a graph file and an Oxigraph store beside it)."""
    out = tmp_path_factory.mktemp("differential-out")
    done = subprocess.run([sys.executable, "-m", "kg.cli", "build", "--data", str(ROOT / "data"), "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return out


def _kg_query(built: Path, text: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", "query", "--sparql", text, "--graph", str(built / "graph.ttl"),
                           "--store", "oxigraph", "--format", "json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def _one_sentence_or_answer(done: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode in (0, 2), done.stderr
    if done.returncode == 2:
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_the_issues_bypasses_are_refused_by_kg_query_on_the_store(listener, built, name):
    before = listener.connections
    done = _kg_query(built, listener.text(ATTACKS[name]))
    assert done.returncode == 2, done.stdout
    _one_sentence_or_answer(done)
    assert listener.connections == before


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    """A real Oxigraph server (the store ``kg query --endpoint`` talks to) on a free loopback port."""
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent))
    assert binary, "the oxigraph server binary (PyPI package 'oxigraph') is not installed next to python"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen([binary, "serve", "--location", str(tmp_path_factory.mktemp("oxigraph")),
                                "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                if requests.get(f"{base}/query", params={"query": "ASK {}"}, timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(0.1)
        else:
            pytest.fail("oxigraph did not answer within 10 s")
        yield f"{base}/query"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_the_issues_bypasses_never_reach_the_store_through_kg_query_endpoint(listener, oxigraph_server, name):
    """The store evaluates what it is sent: only the guard stands between the text and its SERVICE client."""
    before = listener.connections
    done = subprocess.run([sys.executable, "-m", "kg.cli", "query", "--sparql", listener.text(ATTACKS[name]),
                           "--endpoint", oxigraph_server], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stdout
    _one_sentence_or_answer(done)
    time.sleep(0.05)
    assert listener.connections == before


# --------------------------------------------------------------------------- generated queries

PIECES = [
    "?s ?p ?o .", "?x ?y ?z", "SERVICE <URL> { ?a ?b ?c }", "SERVICE ex:x { ?a ?b ?c }", "SERVICE ?svc { ?a ?b ?c }",
    "SERVICE SILENT <URL> { ?a ?b ?c }", "\\u0053ERVICE <URL> { ?a ?b ?c }", "SERVICE <\\u0068ttp://127.0.0.1:PORT/> {}",
    f"BIND({Q}{ESC8}{Q} AS ?e)", 'BIND("x" AS ?f)', "BIND('''a''' AS ?g)", "BIND(", " AS ?h)", "FILTER (?o != <URL>)",
    '"', "'", '"""', "'''", '\\"', "\\\\", "\\'", "\\u0022", ESC8, "\\U00000022", "\\U0022", "\\u005C", "\\u005Cu0022",
    "\\u000A", "\\u000D", "\\u000d", "\\u0023", "\\u0027", "#", "# c", "\n", "\r", "\r\n", "<URL>", "<", ">", "{", "}",
    ".", " ", "FROM <URL>", "LOAD <URL>", "} ; LOAD <URL> ;", "INSERT DATA { <a:b> <a:c> <a:d> }", "OPTIONAL {", "UNION",
]
HEADS = ["SELECT * ", "SELECT * FROM <URL> ", "SELECT * FROM NAMED <URL> ", "ASK ", "CONSTRUCT WHERE ", "LOAD <URL> ;\n",
         "SELECT ?s WHERE ", "SELECT * \\u0046ROM <URL> "]
queries = st.builds(
    lambda prologue, head, pieces, glue, tail: prologue + head + "{ " + glue.join(pieces) + " }" + tail,
    st.sampled_from(["", "PREFIX ex: <URL>\n", "# a query\r"]),
    st.sampled_from(HEADS),
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=10),
    st.sampled_from([" ", "", "\n", "\r", "\t"]),
    st.sampled_from(["", "\n", " # end", "#\r}"]),
)


@given(template=queries)
@example(template=ATTACKS["eight-digit \\u"])
@example(template=ATTACKS["carriage return ends a comment"])
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_generated_queries_are_refused_or_answered_without_a_request_in_process(listener, template):
    """run_sparql without a time limit: in this process, where only the guard stands in the way."""
    from kg.query.engine import run_sparql

    before = listener.connections
    _refused_or_answered(lambda: run_sparql(_store(), listener.text(template)))
    assert listener.connections == before, listener.text(template)


@given(template=queries)
@example(template=ATTACKS["eight-digit \\u"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_generated_queries_are_refused_or_answered_without_a_request_with_a_limit(listener, template):
    """run_sparql with a time limit, as ``kg query`` runs it: the guard, then the forked child."""
    from kg.query.engine import run_sparql

    before = listener.connections
    _refused_or_answered(lambda: run_sparql(_store(), listener.text(template), timeout=20))
    assert listener.connections == before, listener.text(template)


@given(template=queries)
@example(template=ATTACKS["carriage return ends a comment"])
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_generated_queries_through_kg_query_sparql_on_the_store(listener, built, template):
    before = listener.connections
    _one_sentence_or_answer(_kg_query(built, listener.text(template)))
    assert listener.connections == before, listener.text(template)


@given(template=queries)
@example(template=ATTACKS["eight-digit \\u"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_generated_queries_never_make_the_store_send_a_request(listener, oxigraph_server, template):
    from kg.query.engine import query_remote

    before = listener.connections
    _refused_or_answered(lambda: query_remote(oxigraph_server, listener.text(template), timeout=20))
    time.sleep(0.02)
    assert listener.connections == before, listener.text(template)


# --------------------------------------------------------------------------- the second line: no network in the child


def test_a_query_past_the_guard_cannot_reach_the_network_from_its_child(listener):
    """Case 19: the text is handed to Oxigraph in the forked child without the guard (as if a parser had
    read it differently): socket() fails there, the answer is one sentence, and nothing is requested."""
    from kg.check.deadline import Child
    from kg.query.engine import evaluate

    store = _store()
    text = listener.text("SELECT * WHERE { SERVICE <URL> { ?s ?p ?o } }")
    before = listener.connections
    with pytest.raises(KgError) as refused:
        Child(lambda: evaluate(store, text, "the query"), "the query").result(20)
    assert "Permission denied" in str(refused.value) and "\n" not in str(refused.value).strip()
    time.sleep(0.05)
    assert listener.connections == before
    # the parent, and the next child, are untouched: this process still reaches the listener
    with socket.create_connection(("127.0.0.1", listener.port), timeout=5):
        pass
    for _ in range(50):
        if listener.connections == before + 1:
            break
        time.sleep(0.02)
    assert listener.connections == before + 1


@pytest.fixture(scope="module")
def kg_serve(built):
    """``kg serve`` on the built seed graph, on a free loopback port; its /sparql URL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--graph", str(built / "graph.ttl"), "--port", str(port)],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if process.poll() is not None:
                    pytest.fail("kg serve stopped")
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/sparql"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_the_issues_bypasses_are_refused_by_kg_serve(listener, kg_serve, name):
    before = listener.connections
    response = requests.post(kg_serve, data=listener.text(ATTACKS[name]).encode("utf-8"), timeout=60,
                             headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    assert response.status_code in (400, 403), response.text
    assert len(response.text.strip().splitlines()) == 1, response.text
    time.sleep(0.05)
    assert listener.connections == before
