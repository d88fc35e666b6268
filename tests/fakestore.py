"""A fake SPARQL store for the tests of `kg push` and `kg query --endpoint`: an HTTP server in a
thread of the test that records every request and answers as it is told.

``Store(handle)`` answers each request with ``handle(handler, method, body)``: a (status, payload,
headers) triple, or None to drop the connection without a word. ``Store()`` answers from a script
instead (:meth:`Store.answer`). :func:`graph_store` is a well-behaved store: a PUT commits, a
SPARQL COUNT query counts what was committed, a Graph Store GET sends it back.
"""

from __future__ import annotations

import http.server
import json
import threading
import urllib.parse

SPARQL_JSON = {"Content-Type": "application/sparql-results+json"}
POSTS_JSON = (  # a store's answer to the library's query 'posts', cut to one row
    b'{"head": {"vars": ["person"]}, "results": {"bindings": '
    b'[{"person": {"type": "literal", "value": "Diego Mingarelli"}}]}}')
COUNT = "the count of the last PUT"  # a scripted answer: the SPARQL JSON count of the last PUT's lines


def lines_of(graph: bytes) -> int:
    """The triples of an N-Triples body: its lines that are not blank."""
    return sum(1 for line in graph.splitlines() if line.strip())


def count_answer(n: int) -> tuple[int, bytes, dict]:
    """A store's answer to ``SELECT (COUNT(*) AS ?n) ...``, as Oxigraph writes it."""
    body = {"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {
        "type": "literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": str(n)}}]}}
    return 200, json.dumps(body).encode(), SPARQL_JSON


def query_of(request: dict) -> str | None:
    """The SPARQL query a recorded request carried (in its query string, or a form body), else None."""
    fields = urllib.parse.parse_qs(urllib.parse.urlsplit(request["path"]).query)
    if request["method"] == "POST":
        fields.update(urllib.parse.parse_qs(request["body"].decode("utf-8", "replace")))
    return fields["query"][0] if "query" in fields else None


class Store:
    """A store in a thread; every request recorded as {"method", "path", "headers", "body"}."""

    def __init__(self, handle=None):
        self.requests: list[dict] = []
        self.answers: list = []  # Store(): consumed in order, the last one repeats
        self.graph = b""  # what the last PUT committed (graph_store)
        self.handle = handle or self._scripted
        store = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                store.requests.append({"method": self.command, "path": self.path, "headers": dict(self.headers),
                                       "body": body})
                answer = store.handle(self, self.command, body)
                if answer is None:
                    self.close_connection = True
                    return
                status, payload, headers = answer
                try:
                    self.send_response(status)
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    if self.command != "HEAD":  # the answer to a HEAD has no body
                        self.wfile.write(payload)
                except OSError:  # the client gave up waiting
                    self.close_connection = True

            do_GET = do_POST = do_PUT = do_HEAD = _handle

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def answer(self, *answers):
        """Script the answers (a status alone: an empty body; COUNT: the count of the last PUT) and
        forget the requests so far."""
        self.answers = [(a, b"", {}) if isinstance(a, int) else a for a in answers]
        self.requests = []

    def _scripted(self, handler, method, body):
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if answer == COUNT:
            put = [r["body"] for r in self.requests if r["method"] == "PUT"]
            return count_answer(lines_of(put[-1]) if put else 0)
        return answer

    def methods(self) -> list[str]:
        return [r["method"] for r in self.requests]

    def queries(self) -> list[str | None]:
        return [query_of(r) for r in self.requests]

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def graph_store(store_of):
    """A well-behaved store (``store_of()``: the Store it serves): a PUT commits (204); a query counts
    the triples committed (any query: the tests send only the push's COUNT); a GET of the graph
    sends it back; a HEAD answers 200."""

    def handle(handler, method, body):
        store = store_of()
        if method == "PUT":
            store.graph = body
            return 204, b"", {}
        if method == "HEAD":
            return 200, b"", {"Content-Type": "application/n-triples"}
        if query_of({"method": method, "path": handler.path, "body": body}) is not None:
            return count_answer(lines_of(store.graph))
        return 200, store.graph, {"Content-Type": "application/n-triples"}

    return handle
