"""`kg push` and `kg query --endpoint` against hostile or broken stores (cases 25 to 28, 45 and 46 of SECURITY.md).

Each store here is a fake store (tests/fakestore.py, an HTTP server in a thread of the test):
one that redirects, one that never answers, one that drips its answer a byte at a time, one that
commits the graph and then drops the connection, one that says yes but holds other data, one
that speaks only Digest, one slow to answer a query whose guard was slow (case 45), one that
counts the graph pushed (case 46). The happy path against a real Oxigraph server is in
test_store.py (`test_case_27_push_is_confirmed_by_the_triple_count_read_back`). Case 28 (the store of
`kg build` updated from parsed terms) is near the end.
"""

from __future__ import annotations

import base64
import hashlib
import socket
import threading
import time
import urllib.request

import pytest
from click.testing import CliRunner

from conftest import one_line_error
from fakestore import POSTS_JSON, SPARQL_JSON, count_answer, graph_store, query_of
from kg.cli import cli

TRIPLES = [
    '<https://example.org/kg/id/a> <http://schema.org/name> "A" .',
    '<https://example.org/kg/id/b> <http://schema.org/name> "B" .',
    '<https://example.org/kg/id/c> <http://schema.org/name> "C \\u00e8" .',
]


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


pytestmark = pytest.mark.usefixtures("no_credentials")


@pytest.fixture
def small_graph(tmp_path):
    """A three-triple graph file: what these tests push."""
    path = tmp_path / "small.nt"
    path.write_text("\n".join(TRIPLES) + "\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------- case 25: no redirect is followed


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_case_25_push_follows_no_redirect(stores, small_graph, status):
    """A store that redirects elsewhere: kg sends nothing there, says where it pointed, exit 2.
    (requests followed it, and after a 302 or 303 the PUT became a GET that the other host
    answered 200: kg printed `pushed`, exit 0, while the store held the old graph.)"""
    elsewhere = stores(graph_store(lambda: elsewhere))
    target = f"{elsewhere.base}/other-store?graph=x"
    redirecting = stores(lambda handler, method, body: (status, b"moved", {"Location": target}))
    result = run("push", "--graph", small_graph, "--endpoint", f"{redirecting.base}/store")
    line = one_line_error(result, 2)
    assert str(status) in line and target in line and "redirect" in line
    assert "pushed" not in result.stdout
    assert redirecting.methods() == ["PUT"]
    assert elsewhere.requests == []


@pytest.mark.parametrize("status", [302, 307])
def test_case_25_query_follows_no_redirect(stores, status):
    elsewhere = stores(lambda handler, method, body: (200, POSTS_JSON, SPARQL_JSON))
    target = f"{elsewhere.base}/sparql"
    redirecting = stores(lambda handler, method, body: (status, b"", {"Location": target}))
    result = run("query", "posts", "--endpoint", f"{redirecting.base}/query")
    line = one_line_error(result, 2)
    assert target in line and "redirect" in line
    assert elsewhere.requests == []


def test_case_25_a_redirect_names_its_target_without_credentials(stores, small_graph):
    redirecting = stores(lambda handler, method, body: (
        302, b"", {"Location": "http://admin:hunter2@127.0.0.1:9/store"}))
    result = run("push", "--graph", small_graph, "--endpoint", f"{redirecting.base}/store")
    line = one_line_error(result, 2)
    assert "http://***@127.0.0.1:9/store" in line
    assert "hunter2" not in result.output and "admin" not in result.output


# ---------------------------------------------------------------- case 26: credentials


@pytest.mark.parametrize("command", ["push", "query"])
def test_case_26_credentials_in_the_url_are_refused_and_never_printed(stores, small_graph, command):
    store = stores(graph_store(lambda: store))
    port = store.base.rsplit(":", 1)[1]
    endpoint = f"http://admin:pw-Sesame-42@127.0.0.1:{port}/store"
    if command == "push":
        result = run("push", "--graph", small_graph, "--endpoint", endpoint)
    else:
        result = run("query", "posts", "--endpoint", endpoint)
    line = one_line_error(result, 2)
    assert "KG_STORE_USER" in line and "credentials" in line
    assert "pw-Sesame-42" not in result.output and "admin" not in result.output
    assert store.requests == []  # nothing was sent, with or without them


def test_case_26_a_url_that_is_not_http_is_refused_without_its_credentials(small_graph):
    result = run("push", "--graph", small_graph, "--endpoint", "ftp://admin:pw-Sesame-42@127.0.0.1/store")
    line = one_line_error(result, 2)
    assert "not an http(s) URL" in line
    assert "pw-Sesame-42" not in result.output and "admin" not in result.output


REALM, NONCE = "kg-test", "dcd98b7102dd2f0e8b11d0f600bfb0c093"


def digest_store(inner, user: str, password: str):
    """A store that answers by ``inner`` only requests with a valid Digest (RFC 7616, MD5,
    qop=auth), as Virtuoso 7.2 does; 401 and a challenge to the others."""

    def valid(header: str, method: str, path: str) -> bool:
        if not header.startswith("Digest "):
            return False
        fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(header[len("Digest "):]))
        md5 = lambda text: hashlib.md5(text.encode()).hexdigest()  # noqa: E731 (Digest is MD5)
        expected = md5(":".join([md5(f"{user}:{REALM}:{password}"), fields.get("nonce", ""), fields.get("nc", ""),
                                 fields.get("cnonce", ""), fields.get("qop", ""), md5(f"{method}:{path}")]))
        return (fields.get("username") == user and fields.get("realm") == REALM and fields.get("nonce") == NONCE
                and fields.get("uri") == path and fields.get("response") == expected)

    def handle(handler, method, body):
        if not valid(handler.headers.get("Authorization", ""), method, handler.path):
            return 401, b"authenticate", {
                "WWW-Authenticate": f'Digest realm="{REALM}", nonce="{NONCE}", qop="auth", algorithm=MD5'}
        return inner(handler, method, body)

    return handle


def test_case_26_digest_authentication(stores, small_graph, monkeypatch):
    """KG_STORE_AUTH=digest: the challenge is answered with Digest; the password never travels, and
    the graph is sent once."""
    store = stores(digest_store(graph_store(lambda: store), "dba", "pw-Sesame-42"))
    monkeypatch.setenv("KG_STORE_USER", "dba")
    monkeypatch.setenv("KG_STORE_PASSWORD", "pw-Sesame-42")
    monkeypatch.setenv("KG_STORE_AUTH", "digest")
    result = run("push", "--graph", small_graph, "--endpoint", f"{store.base}/store")
    assert result.exit_code == 0, result.output
    assert "pushed 3 triples" in result.stdout and "the store holds 3" in result.stdout
    assert store.graph.count(b"\n") == 3
    # a HEAD meets the challenge, so the graph is sent once, with its answer; then the read-back
    assert store.methods() == ["HEAD", "HEAD", "PUT", "GET"]
    headers = [r["headers"].get("Authorization", "") for r in store.requests]
    assert headers[0] == "" and all(h.startswith("Digest ") for h in headers[1:])
    assert not any("pw-Sesame-42" in h or h.startswith("Basic") for h in headers)
    assert "pw-Sesame-42" not in result.output


def test_case_26_digest_when_the_store_asks_for_it(stores, small_graph, monkeypatch):
    """Without KG_STORE_AUTH, the credentials go in the scheme the store's challenge names: a store that
    speaks only Digest (Virtuoso's authenticated endpoints) gets Digest, and no Basic header ever."""
    store = stores(digest_store(graph_store(lambda: store), "dba", "pw-Sesame-42"))
    monkeypatch.setenv("KG_STORE_USER", "dba")
    monkeypatch.setenv("KG_STORE_PASSWORD", "pw-Sesame-42")
    result = run("push", "--graph", small_graph, "--endpoint", f"{store.base}/store")
    assert result.exit_code == 0, result.output
    assert "pushed 3 triples" in result.stdout and "the store holds 3" in result.stdout
    assert store.methods() == ["HEAD", "HEAD", "PUT", "GET"]
    headers = [r["headers"].get("Authorization", "") for r in store.requests]
    assert headers[0] == "" and all(h.startswith("Digest ") for h in headers[1:])
    assert not any("pw-Sesame-42" in h or h.startswith("Basic") for h in headers)


def test_case_26_basic_insisted_on_is_refused_by_a_digest_store(stores, small_graph, monkeypatch):
    """KG_STORE_AUTH=basic sends Basic whatever the store asks for: a Digest store refuses it, exit 2."""
    store = stores(digest_store(graph_store(lambda: store), "dba", "pw-Sesame-42"))
    monkeypatch.setenv("KG_STORE_USER", "dba")
    monkeypatch.setenv("KG_STORE_PASSWORD", "pw-Sesame-42")
    monkeypatch.setenv("KG_STORE_AUTH", "basic")
    line = one_line_error(run("push", "--graph", small_graph, "--endpoint", f"{store.base}/store"), 2)
    assert "401" in line and "KG_STORE_AUTH=digest" in line
    assert store.graph == b""


def basic_store(inner, user: str, password: str):
    """A store that answers by ``inner`` only requests with the Basic credentials ``user:password``
    (as Fuseki and GraphDB do); 401 and a challenge for Basic to the others."""
    expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")

    def handle(handler, method, body):
        if handler.headers.get("Authorization", "") != expected:
            return 401, b"authenticate", {"WWW-Authenticate": 'Basic realm="kg-test"'}
        return inner(handler, method, body)

    return handle


def test_case_26_basic_when_the_store_asks_for_it(stores, small_graph, monkeypatch):
    """A store whose challenge names Basic gets Basic, from the challenge on: the HEAD is sent again with
    it, and the PUT and the count carry it; the graph is sent once."""
    store = stores(basic_store(graph_store(lambda: store), "admin", "pw-Sesame-42"))
    monkeypatch.setenv("KG_STORE_USER", "admin")
    monkeypatch.setenv("KG_STORE_PASSWORD", "pw-Sesame-42")
    result = run("push", "--graph", small_graph, "--endpoint", f"{store.base}/store")
    assert result.exit_code == 0, result.output
    assert store.methods() == ["HEAD", "HEAD", "PUT", "GET"]
    headers = [r["headers"].get("Authorization", "") for r in store.requests]
    assert headers[0] == "" and all(h.startswith("Basic ") for h in headers[1:])
    assert "pw-Sesame-42" not in result.output


def test_case_26_credentials_are_not_sent_to_a_store_that_does_not_ask(stores, small_graph, monkeypatch):
    store = stores(graph_store(lambda: store))
    monkeypatch.setenv("KG_STORE_USER", "admin")
    monkeypatch.setenv("KG_STORE_PASSWORD", "pw-Sesame-42")
    result = run("push", "--graph", small_graph, "--endpoint", f"{store.base}/store")
    assert result.exit_code == 0, result.output
    assert store.methods() == ["HEAD", "PUT", "GET"]
    assert not any("Authorization" in r["headers"] for r in store.requests)


@pytest.mark.parametrize("scheme", ["digest", None])
def test_case_26_digest_for_queries(stores, monkeypatch, scheme):
    store = stores(digest_store(lambda handler, method, body: (200, POSTS_JSON, SPARQL_JSON), "dba", "pw-Sesame-42"))
    monkeypatch.setenv("KG_STORE_USER", "dba")
    monkeypatch.setenv("KG_STORE_PASSWORD", "pw-Sesame-42")
    if scheme:
        monkeypatch.setenv("KG_STORE_AUTH", scheme)
    result = run("query", "posts", "--endpoint", f"{store.base}/query", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert "Diego Mingarelli" in result.stdout
    assert store.requests[-1]["headers"]["Authorization"].startswith("Digest ")


def test_case_26_an_unknown_auth_scheme_is_a_usage_error(stores, small_graph, monkeypatch):
    store = stores(graph_store(lambda: store))
    monkeypatch.setenv("KG_STORE_USER", "dba")
    monkeypatch.setenv("KG_STORE_AUTH", "ntlm")
    line = one_line_error(run("push", "--graph", small_graph, "--endpoint", f"{store.base}/store"), 2)
    assert "KG_STORE_AUTH" in line
    assert store.requests == []


# ---------------------------------------------------------------- case 27: time bounds, and what a push's outcome is


class Silent:
    """A store that accepts connections, reads whatever is sent, and never says a word."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.base = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.connections = 0
        self.received = 0
        self.open: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _address = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            self.open.append(conn)
            threading.Thread(target=self._read, args=(conn,), daemon=True).start()

    def _read(self, conn):
        try:
            while chunk := conn.recv(65536):
                self.received += len(chunk)
        except OSError:
            pass

    def close(self):
        self.listener.close()
        for conn in self.open:
            conn.close()


@pytest.fixture
def silent():
    store = Silent()
    yield store
    store.close()


def test_case_27_a_store_that_never_answers_leaves_the_outcome_unknown(silent, small_graph, monkeypatch):
    """The body is sent once; the store says nothing; after the silence limit the push is reported
    as unknown (exit 3), not retried (it took 3 x 120 s, the body sent each time)."""
    monkeypatch.setattr("kg.stores.remote.SILENCE", 1.5, raising=False)
    started = time.monotonic()
    result = run("push", "--graph", small_graph, "--endpoint", f"{silent.base}/store")
    elapsed = time.monotonic() - started
    line = one_line_error(result, 3)
    assert "unknown" in line and "silent for 1.5 s" in line and "push again" in line
    assert "pushed" not in result.stdout
    assert silent.connections == 1 and silent.received > sum(len(t) for t in TRIPLES)
    assert elapsed < 10


def dripping(seconds: float):
    """A store that answers one byte of its headers every 0.2 s for ``seconds``: never silent for long."""

    def handle(handler, method, body):
        handler.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            try:
                handler.wfile.write(b"a")
                handler.wfile.flush()
            except OSError:
                break
            time.sleep(0.2)
        return None

    return handle


def test_case_27_the_total_bound_holds_however_slowly_the_store_drips(stores, small_graph):
    """A store that drips its answer is never silent for long, so only the total bound (--timeout)
    stops it: exit 3 after about 2 s, not after the 30 s it drips."""
    store = stores(dripping(30))
    started = time.monotonic()
    result = run("push", "--graph", small_graph, "--endpoint", f"{store.base}/store", "--timeout", "2")
    elapsed = time.monotonic() - started
    line = one_line_error(result, 3)
    assert "unknown" in line and "not done within 2 s in all" in line
    assert elapsed < 10
    assert store.methods() == ["PUT"]


def test_case_27_a_query_is_bounded_in_all_too(stores):
    store = stores(dripping(30))
    started = time.monotonic()
    result = run("query", "posts", "--endpoint", f"{store.base}/query", "--timeout", "2")
    line = one_line_error(result, 2)
    assert "timed out after 2 s in all" in line and store.base in line
    assert time.monotonic() - started < 10


def test_case_27_a_store_that_commits_then_drops_the_connection_is_unknown_not_failed(stores, small_graph):
    """The store takes the graph, commits it, and closes the connection before answering: kg cannot
    know, and says so (exit 3, "push again"); it said "could not reach the store" (exit 2), after
    sending the PUT three times."""

    def handle(handler, method, body):
        if method == "PUT":
            store.graph = body
            return None  # committed; the answer is lost
        return 200, store.graph, {"Content-Type": "application/n-triples"}

    store = stores(handle)
    result = run("push", "--graph", small_graph, "--endpoint", f"{store.base}/store")
    line = one_line_error(result, 3)
    assert "unknown" in line and "connection was lost" in line and "push again" in line
    assert "could not reach" not in line
    assert store.methods() == ["PUT"]
    assert store.graph.count(b"\n") == 3  # it did commit: "failed" would have been wrong


def test_case_27_a_store_that_says_yes_but_holds_other_data_is_no_success(stores, small_graph):
    """204 to the PUT, but the store counts one triple in the graph, not three: exit 2, never `pushed`."""

    def handle(handler, method, body):
        if method == "PUT":
            return 204, b"", {}
        return count_answer(1)

    store = stores(handle)
    result = run("push", "--graph", small_graph, "--endpoint", f"{store.base}/store")
    line = one_line_error(result, 2)
    assert "holds 1 triples" in line and "not the 3 sent" in line
    assert "pushed" not in result.stdout
    assert store.methods() == ["PUT", "GET"]


def test_case_27_a_graph_that_cannot_be_read_back_is_unconfirmed(stores, small_graph):
    def handle(handler, method, body):
        return (204, b"", {}) if method == "PUT" else (500, b"oops", {"Content-Type": "text/plain"})

    store = stores(handle)
    line = one_line_error(run("push", "--graph", small_graph, "--endpoint", f"{store.base}/store"), 3)
    assert "unknown" in line and "500" in line


def test_case_27_retry_after_cannot_make_kg_sleep(stores, small_graph):
    """A 503 with Retry-After: 30 is retried after a short backoff, not after 30 s."""
    answers = iter([(503, b"busy", {"Retry-After": "30"})])

    def handle(handler, method, body):
        if method == "PUT":
            answer = next(answers, None)
            if answer is not None:
                return answer
        return graph_store(lambda: store)(handler, method, body)

    store = stores(handle)
    started = time.monotonic()
    result = run("push", "--graph", small_graph, "--endpoint", f"{store.base}/store")
    assert result.exit_code == 0, result.output
    assert store.methods() == ["PUT", "PUT", "GET"]
    assert time.monotonic() - started < 10


def test_case_27_a_refused_connection_is_not_unknown(small_graph):
    """Nothing listens: nothing was sent, so the push plainly failed (exit 2), quickly."""
    with socket.create_server(("127.0.0.1", 0)) as sock:
        port = sock.getsockname()[1]
    line = one_line_error(run("push", "--graph", small_graph, "--endpoint", f"http://127.0.0.1:{port}/store"), 2)
    assert "could not reach" in line


# ---------------------------------------------------------------- case 45: one budget for a remote query




def test_case_45_a_remote_query_has_one_budget_for_the_guard_and_the_request(stores, monkeypatch):
    """--timeout 8; the guard takes 5 s (as rdflib takes on a long text: here its parse is slowed
    down on purpose) and the store answers after 5 s. One budget leaves the request 3 s: the query
    timed out, in one sentence stating the 8 s given. (The request got the whole 8 s again after
    the guard: the answer came, after 10 s, past --timeout.)"""
    import kg.check.guard
    from kg.errors import TimedOut
    from kg.query.engine import query_remote

    real = kg.check.guard.prepare

    def slow_guard(text, where):
        time.sleep(5)
        return real(text, where)

    def slow_store(handler, method, body):
        time.sleep(5)
        return 200, POSTS_JSON, SPARQL_JSON

    monkeypatch.setattr(kg.check.guard, "prepare", slow_guard)  # the guard's child is forked: it inherits this
    store = stores(slow_store)
    started = time.monotonic()
    with pytest.raises(TimedOut) as caught:
        query_remote(f"{store.base}/query", "SELECT ?person WHERE { ?person ?p ?o }", timeout=8, where="the --sparql query")
    elapsed = time.monotonic() - started
    assert str(caught.value).startswith(f"the --sparql query at {store.base}/query timed out after 8 s in all")
    assert (caught.value.exit_code, caught.value.http_status) == (2, 503)
    assert store.methods() == ["GET"]  # the guard passed: the request went, and was given up
    assert elapsed < 8 + 3


def flooding(handler, method, body):
    """A store whose answer is 64 MiB of JSON-looking text, never closed (its Content-Length says so)."""
    head = b'{"head": {"vars": ["x"]}, "results": {"bindings": ['
    row = b'{"x": {"type": "literal", "value": "' + b"a" * 65500 + b'"}},'
    rows = (64 << 20) // len(row)
    handler.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                        + f"Content-Length: {len(head) + rows * len(row)}\r\n\r\n".encode() + head)
    try:
        for _ in range(rows):
            handler.wfile.write(row)
    except OSError:
        pass
    return None


def test_case_45_a_remote_answer_is_read_up_to_its_limit_and_no_further(stores, monkeypatch):
    """A store that sends 64 MiB: kg stops reading at the limit (here lowered to 1 MiB) and says so
    in one sentence stating it (it read the answer whole into memory, however long, until
    --timeout: here the 64 MiB, then "did not answer with SPARQL results JSON")."""
    monkeypatch.setattr("kg.stores.remote.MAX_ANSWER_BYTES", 1 << 20)
    store = stores(flooding)
    line = one_line_error(run("query", "posts", "--endpoint", f"{store.base}/query", "--timeout", "60"), 2)
    assert line.endswith(f"the store at {store.base}/query answered query 'posts' with more than 1,048,576 bytes, "
                         "all kg reads of an answer (1 MiB): narrow the query or give it a LIMIT.")


# ---------------------------------------------------------------- case 46: a push is confirmed by the store's count


COUNT_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://example.org/kg/graph> { ?s ?p ?o } }"


def test_case_46_a_push_is_confirmed_by_a_count_and_the_graph_is_never_downloaded(stores, small_graph):
    """The store counts the graph's triples (a SPARQL COUNT at its query URL, beside /store); kg
    never GETs the graph back (it downloaded the whole graph to count it)."""
    store = stores(graph_store(lambda: store))
    result = run("push", "--graph", small_graph, "--endpoint", f"{store.base}/store")
    assert result.exit_code == 0, result.output
    assert "pushed 3 triples" in result.stdout and "the store holds 3" in result.stdout
    assert store.methods() == ["PUT", "GET"]
    put, count = store.requests
    assert put["path"] == "/store?graph=https%3A%2F%2Fexample.org%2Fkg%2Fgraph"
    assert count["path"].startswith("/query?") and "graph=" not in count["path"]
    assert store.queries()[1] == COUNT_QUERY


def test_case_46_a_store_whose_count_disagrees_is_a_failure(stores, small_graph):
    store = stores(lambda handler, method, body: (204, b"", {}) if method == "PUT" else count_answer(2))
    line = one_line_error(run("push", "--graph", small_graph, "--endpoint", f"{store.base}/store"), 2)
    assert "answered 204" in line and "holds 2 triples" in line and "not the 3 sent" in line
    assert store.methods() == ["PUT", "GET"] and store.queries()[1] == COUNT_QUERY


@pytest.mark.parametrize(("graph_store_url", "query_url"), [
    ("http://127.0.0.1:7878/store", "http://127.0.0.1:7878/query"),  # Oxigraph
    ("http://fuseki:3030/kg/data", "http://fuseki:3030/kg/sparql"),  # Apache Jena Fuseki
    ("http://graphdb:7200/repositories/kg/rdf-graphs/service", "http://graphdb:7200/repositories/kg"),  # GraphDB
    ("http://virtuoso:8890/sparql-graph-crud-auth", "http://virtuoso:8890/sparql-auth"),  # Virtuoso
    ("http://virtuoso:8890/sparql-graph-crud", "http://virtuoso:8890/sparql"),
    ("https://neptune:8182/sparql/gsp/", "https://neptune:8182/sparql"),  # Amazon Neptune
])
def test_case_46_the_query_url_beside_each_stores_graph_store_url(graph_store_url, query_url):
    from kg.stores.remote import query_endpoint_of

    assert query_endpoint_of(graph_store_url) == query_url


def test_case_46_another_layout_needs_query_endpoint(stores, small_graph):
    """A Graph Store URL of no known layout: refused before anything is sent, naming the option;
    with --query-endpoint, the count is asked there."""
    store = stores(graph_store(lambda: store))
    line = one_line_error(run("push", "--graph", small_graph, "--endpoint", f"{store.base}/kg"), 2)
    assert "--query-endpoint" in line and store.requests == []
    result = run("push", "--graph", small_graph, "--endpoint", f"{store.base}/kg", "--query-endpoint", f"{store.base}/ask")
    assert result.exit_code == 0, result.output
    assert store.requests[1]["path"].startswith("/ask?") and query_of(store.requests[1]) == COUNT_QUERY


def test_case_46_a_graph_iri_that_would_break_the_count_query_is_refused_before_anything_is_sent(stores, small_graph):
    """The graph IRI goes into the COUNT query as a term pyoxigraph writes: one that is no IRI (a
    '>' closing it, then more query) is refused in one sentence, and the store hears nothing."""
    store = stores(graph_store(lambda: store))
    hostile = "https://example.org/g> { ?s ?p ?o } } LIMIT 0 #"
    line = one_line_error(run("push", "--graph", small_graph, "--endpoint", f"{store.base}/store", "--graph-iri", hostile), 2)
    assert "is not an IRI" in line
    assert store.requests == []


def test_push_timeout_default_is_the_librarys():
    from kg.cli import DEFAULT_PUSH_TIMEOUT
    from kg.stores.remote import PUSH_TIMEOUT

    assert DEFAULT_PUSH_TIMEOUT == PUSH_TIMEOUT


# ---------------------------------------------------------------- case 28: the store of kg build is updated from parsed terms


def store_quads(folder) -> set[str]:
    import pyoxigraph

    store = pyoxigraph.Store.read_only(str(folder))
    return {str(quad) for quad in store}


def file_quads(path) -> set[str]:
    """A graph file's triples as Oxigraph holds them (its canonical literals)."""
    import pyoxigraph

    store = pyoxigraph.Store()
    store.load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
    return {str(quad) for quad in store}


S, P = "<https://example.org/kg/id/s>", "<http://schema.org/name>"


def test_case_28_update_store_takes_no_text_from_a_line(tmp_path, listener):
    """Lines that would close DELETE DATA and add a LOAD of their own are refused before the store
    is opened (they made Oxigraph fetch the URL and insert what it got); a line that is one triple
    (a comment or a literal holding the same text) is applied as that triple and nothing else."""
    import pyoxigraph

    from kg.errors import InputError
    from kg.stores.embedded import store_path, update_store

    store = pyoxigraph.Store(str(store_path(tmp_path)))
    store.update(f'INSERT DATA {{ {S} {P} "old" . {S} {P} "kept" . }}')
    del store
    before = store_quads(store_path(tmp_path))
    breakouts = [
        f'{S} {P} "old" }} ; LOAD SILENT <{listener}x> ; INSERT DATA {{ {S} {P} "injected" .',
        f'{S} {P} "old" . {S} {P} "injected" .',  # two triples on one line
        f'{S} {P} "old" . }} ; LOAD <{listener}x> ; INSERT DATA {{',  # a triple, then text
        f"_:b {P} \"old\" .",  # a blank node
        "",
    ]
    for line in breakouts:
        for remove, add in (([line], []), ([], [line])):
            with pytest.raises(InputError) as caught:
                update_store(tmp_path, remove, add)
            assert str(caught.value).startswith(f"{tmp_path / 'cache'}: a line ")
    assert conftest_hits() == 0
    assert store_quads(store_path(tmp_path)) == before
    # one triple per line, whatever a comment or a literal says: applied as data
    text = f"}} ; LOAD <{listener}x> ; INSERT DATA {{ {S} {P} \\\"injected\\\" ."
    update_store(tmp_path, [f'{S} {P} "old" . # }} ; LOAD <{listener}x> ; INSERT DATA {{'],
                 [f'{S} {P} "{text}" .'])
    assert conftest_hits() == 0
    assert store_quads(store_path(tmp_path)) == {
        f'{S} {P} "kept"', f'{S} {P} "}} ; LOAD <{listener}x> ; INSERT DATA {{ {S} {P} \\"injected\\" ."'}


def conftest_hits() -> int:
    import conftest

    return conftest.Counting.hits


def _hostile_cache_entry(data_copy, tmp_path, listener, *, digest_kept: bool):
    """`kg build`, then a line of the cached release edited (its key kept) so that it would close
    DELETE DATA and LOAD a URL, the release touched, and `kg build` again: the second build would
    update OUT/store in place, removing the release's old lines. ``digest_kept``: the edit also
    rewrites the entry's digest in OUT/cache/digests.json, as one who can write both files would.
    Returns (out, the store's quads after the first build, the second build's result)."""
    import json

    from conftest import SEED
    from kg.pipeline.cache import DIGESTS, decode_entry, digest_of, encode_entry

    out = tmp_path / "out"
    first = run("build", "--data", data_copy, "--out", out)
    assert first.exit_code == 0, first.output
    held = store_quads(out / "store")
    assert held == file_quads(out / "graph.ttl")
    entry_path = out / "cache" / "releases" / f"{SEED}.part"
    entry = decode_entry(entry_path.read_bytes())
    index, line = next((i, x) for i, x in enumerate(entry["lines"]) if x.endswith('"@en .'))
    entry["lines"][index] = (line[: -len(" .")] + f" }} ; LOAD SILENT <{listener}loaded> ; "
                             f'INSERT DATA {{ {S} {P} "injected" .')
    entry_path.write_bytes(encode_entry(entry))
    if digest_kept:
        digests_path = out / "cache" / DIGESTS
        recorded = json.loads(digests_path.read_text(encoding="utf-8"))
        recorded["files"][f"releases/{SEED}.part"] = digest_of(entry_path.read_bytes())
        digests_path.write_text(json.dumps(recorded), encoding="utf-8")
    with open(data_copy / "releases" / SEED / "annotation.yaml", "a", encoding="utf-8") as handle:
        handle.write("# touched\n")
    return out, held, run("build", "--data", data_copy, "--out", out)


def test_case_28_an_edited_cache_line_is_not_used_by_a_build(data_copy, tmp_path, listener):
    """The edited entry no longer has the digest the cache recorded: it is a miss, the release is
    rebuilt and the store loaded afresh; nothing is requested and nothing injected."""
    out, held, second = _hostile_cache_entry(data_copy, tmp_path, listener, digest_kept=False)
    assert second.exit_code == 0, second.output
    assert "1 built" in second.output
    assert conftest_hits() == 0
    now = store_quads(out / "store")
    assert not any("injected" in quad for quad in now)
    assert now == file_quads(out / "graph.ttl") == held  # the touch changed no triple


def test_case_28_a_cache_line_with_its_digest_rewritten_cannot_reach_the_store(data_copy, tmp_path, listener):
    """Digest rewritten too, the cache takes the entry and the in-place update meets the line:
    update_store parses every line and refuses this one in one sentence, before the store is opened;
    nothing is requested, the store is as it was, and the next build (the store no longer matches
    graph.ttl) reloads it."""
    out, held, second = _hostile_cache_entry(data_copy, tmp_path, listener, digest_kept=True)
    line = one_line_error(second, 2)
    assert f"{out / 'cache'}: a line is not N-Triples" in line
    assert conftest_hits() == 0
    assert store_quads(out / "store") == held
    third = run("build", "--data", data_copy, "--out", out)
    assert third.exit_code == 0, third.output
    assert conftest_hits() == 0
    assert store_quads(out / "store") == file_quads(out / "graph.ttl") == held


def test_case_26_a_wrong_digest_password_is_refused_before_the_graph_is_sent(stores, small_graph, monkeypatch):
    store = stores(digest_store(graph_store(lambda: store), "dba", "pw-Sesame-42"))
    monkeypatch.setenv("KG_STORE_USER", "dba")
    monkeypatch.setenv("KG_STORE_PASSWORD", "wrong")
    monkeypatch.setenv("KG_STORE_AUTH", "digest")
    line = one_line_error(run("push", "--graph", small_graph, "--endpoint", f"{store.base}/store"), 2)
    assert "401" in line and "HEAD" in line
    assert "PUT" not in store.methods() and store.graph == b""


def test_case_27_an_unknown_outcome_is_its_own_error():
    """Exit 3 (README's exit codes), a StoreError by type, and whole across processes."""
    import pickle

    from kg.errors import OutcomeUnknown, StoreError

    error = OutcomeUnknown("the outcome is unknown")
    assert isinstance(error, StoreError) and (error.exit_code, error.http_status) == (3, 504)
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is OutcomeUnknown and str(back) == "the outcome is unknown."
