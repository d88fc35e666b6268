"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over the graph, safe by default.

A WSGI application (Werkzeug for requests and responses) served by waitress. The graph is
loaded once into an in-memory Oxigraph store; then a pool of worker processes is forked
(kg.check.deadline.Pool), which share the store copy on write. Each request's whole query work
runs in a worker: the guard (kg.check.guard, as for ``kg query``: no updates, no SERVICE, FROM,
FROM NAMED or LOAD, decided on the parsed query), the evaluation in Oxigraph, the cap (at most
``max_rows`` solutions or triples read from Oxigraph's lazy iterator) and the serialization; the
worker hands back the finished response. A request that passes its budget (``timeout``, counted
from when the server takes it, the wait for a free worker included) gets 503 and its worker is
killed and replaced, so the server answers the next request. At most ``workers`` queries run at
once, ``WAITING_PER_WORKER`` times as many wait, and any more get 503 at once.

The server process only reads requests, checks them (the ``Host``, the ``Origin``, the sizes)
and writes responses. It keeps the recent answers in a bounded cache (``cache_bytes``; the graph
is read-only, so an answer stays true): the same query text asked with the same ``Accept`` header
is answered from it without a worker.

    GET  /sparql?query=...                          SPARQL 1.1 Protocol, query via GET
    POST /sparql  (application/x-www-form-urlencoded, query=...)
    POST /sparql  (application/sparql-query)
    GET  /sparql                                    the SPARQL 1.1 Service Description (sd:), Turtle by default
    GET  /query/NAME?PARAM=VALUE&...                a library query by name, its parameters as for kg query
    GET  /                                          an offline query page (no CDN)

Answers follow the ``Accept`` header, q-values and wildcards read by Werkzeug (:func:`negotiate`):
a SELECT's rows and an ASK's boolean as SPARQL 1.1 Query Results JSON (the default), XML, CSV or
TSV; a CONSTRUCT's or DESCRIBE's graph as Turtle (the default), N-Triples, N-Quads, TriG, RDF/XML or
JSON-LD (expanded, no context); all written by pyoxigraph (kg.query.results). A request that accepts
none of the types its answer can be written in gets 406, naming them.

A library query's parameters are read as ``kg query --param`` reads them, and a parameter that
names a thing (a place, a sector, ...) is looked up in the graph as there (kg.query.names): a name
that matches nothing gets 400 with the sentence ``kg query`` prints.
"""

from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Request, Response

from kg.errors import KgError

#: media types read as another's in Accept: generic JSON as SPARQL JSON (rows) or JSON-LD (a graph)
ALIASES = {"application/json": {"SELECT": "application/sparql-results+json", "CONSTRUCT": "application/ld+json"}}
SD = "http://www.w3.org/ns/sparql-service-description#"
#: the prefixes the service description is written with
SD_PREFIXES = {"sd": SD, "formats": "http://www.w3.org/ns/formats/", "ent": "http://www.w3.org/ns/entailment/",
               "void": "http://rdfs.org/ns/void#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
               "xsd": "http://www.w3.org/2001/XMLSchema#"}
_LIBRARY_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")  # as kg.query.library's: never a path
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")  # the Host names served without --allow-host
WAITING_PER_WORKER = 2  # requests that may wait for a worker, per worker; more get 503 at once
SPARE_THREADS = 4  # server threads beyond the running and waiting requests: the page, cached answers, refusals


@dataclass
class Settings:
    timeout: float = 30.0  # seconds per request, all its work included (0: none)
    max_rows: int = 10000  # solutions of a SELECT, triples of a CONSTRUCT or DESCRIBE (0: none)
    max_body: int = 256 << 10  # bytes of a request body
    max_query: int = 64 << 10  # bytes of a query's text (UTF-8)
    cors_origin: str | None = None
    allow_hosts: tuple[str, ...] = ()  # Host names served beside LOCAL_HOSTS
    workers: int = 8  # queries that run at once
    max_connections: int = 500  # open connections; more wait to be accepted
    idle_timeout: int = 10  # seconds an idle connection stays open
    cache_bytes: int = 64 << 20  # the answers kept (0: no cache)


def negotiate(accept: str, kind: str) -> tuple[str, str]:
    """(media type, format name of kg.query.results) of an answer of ``kind`` ("SELECT", "ASK", "CONSTRUCT")
    for a client that sends ``accept``: the type it prefers (q-values, wildcards, as Werkzeug reads them)
    among those the answer can be written in, the default (SPARQL JSON; Turtle) when it sends none or
    ``*/*``; NotAcceptable (406) when it accepts none of them."""
    from werkzeug.datastructures import MIMEAccept
    from werkzeug.http import parse_accept_header

    from kg.errors import NotAcceptable
    from kg.query.results import media_types

    offered = media_types("CONSTRUCT" if kind == "CONSTRUCT" else "SELECT")
    accepted = parse_accept_header(accept, MIMEAccept)
    if not accepted:
        mimetype = next(iter(offered))
    else:
        aliases = {alias: types["CONSTRUCT" if kind == "CONSTRUCT" else "SELECT"] for alias, types in ALIASES.items()}
        best = accepted.best_match([*offered, *aliases])
        if best is None:
            what = {"SELECT": "a SELECT's rows", "ASK": "an ASK's boolean"}.get(kind, "a CONSTRUCT's or DESCRIBE's graph")
            raise NotAcceptable(f"{what} cannot be written in any type the request accepts ({' '.join(accept.split())[:200]}): "
                                f"this endpoint writes it as {', '.join(offered)}")
        mimetype = aliases.get(best, best)
    return mimetype, offered[mimetype]


def check_acceptable(accept: str) -> None:
    """NotAcceptable (406) when ``accept`` takes no answer of this endpoint: neither rows nor a boolean nor a graph."""
    from kg.errors import NotAcceptable
    from kg.query.results import media_types

    for kind in ("SELECT", "CONSTRUCT"):
        try:
            negotiate(accept, kind)
            return
        except NotAcceptable:
            pass
    raise NotAcceptable(f"no type the request accepts ({' '.join(accept.split())[:200]}) is one this endpoint writes: "
                        f"{', '.join([*media_types('SELECT'), *media_types('CONSTRUCT')])}")


def _content_type(mimetype: str) -> str:
    return mimetype + ("; charset=utf-8" if mimetype.startswith("text/") else "")


def service_description(endpoint: str, triples: int) -> bytes:
    """The SPARQL 1.1 Service Description of the endpoint at ``endpoint`` (its IRI), as sorted N-Triples:
    its language (SPARQL 1.1 Query: updates are refused), the formats it writes answers in, its
    entailment (none: simple) and its dataset, one default graph of ``triples`` triples. No
    ``sd:feature``: it dereferences no IRI (FROM is refused), runs no SERVICE (no federated
    query), and its default graph is the graph itself, not a union of named graphs. Every node an IRI."""
    from typing import cast

    import pyoxigraph

    from kg.query.engine import sorted_ntriples
    from kg.query.results import GRAPH_FORMATS, RESULTS_FORMATS, format_iri

    def iri(value: str) -> pyoxigraph.NamedNode:
        return pyoxigraph.NamedNode(value)

    rdf_type = iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    service, dataset, graph = iri(endpoint), iri(endpoint + "#dataset"), iri(endpoint + "#default-graph")
    formats = [format_iri(name, "SELECT") for name in RESULTS_FORMATS] + [format_iri(name, "CONSTRUCT") for name in GRAPH_FORMATS]
    label = pyoxigraph.Literal("kg: the knowledge graph of the trade press releases, read-only", language="en")
    described = [
        pyoxigraph.Triple(service, rdf_type, iri(SD + "Service")),
        pyoxigraph.Triple(service, iri(SD + "endpoint"), service),
        pyoxigraph.Triple(service, iri(SD + "supportedLanguage"), iri(SD + "SPARQL11Query")),
        *(pyoxigraph.Triple(service, iri(SD + "resultFormat"), iri(value)) for value in formats),
        pyoxigraph.Triple(service, iri(SD + "defaultEntailmentRegime"), iri("http://www.w3.org/ns/entailment/Simple")),
        pyoxigraph.Triple(service, iri(SD + "defaultDataset"), dataset),
        pyoxigraph.Triple(service, iri("http://www.w3.org/2000/01/rdf-schema#label"), label),
        pyoxigraph.Triple(dataset, rdf_type, iri(SD + "Dataset")),
        pyoxigraph.Triple(dataset, iri(SD + "defaultGraph"), graph),
        pyoxigraph.Triple(graph, rdf_type, iri(SD + "Graph")),
        pyoxigraph.Triple(graph, iri("http://rdfs.org/ns/void#triples"), pyoxigraph.Literal(triples)),  # xsd:integer
    ]
    data = pyoxigraph.serialize(described, format=pyoxigraph.RdfFormat.N_TRIPLES)
    return sorted_ntriples(cast(bytes, data))


def _text(status: int, message: str) -> tuple[int, dict, bytes]:
    sentence = message if message.endswith("?") else message.rstrip(".") + "."
    return status, {"Content-Type": "text/plain; charset=utf-8"}, (sentence + "\n").encode("utf-8")


def answer(store, text: str, accept: str, settings: Settings, library: str | None = None,
           params: list[str] | None = None) -> tuple[int, dict, bytes]:
    """(status, headers, body) of the query ``text`` (or of the library query named ``library``, with
    ``params`` as NAME=VALUE) for a client that accepts ``accept``: guarded, evaluated, capped and
    serialized here (in a worker of the pool, under the request's budget)."""
    from kg.query.engine import run_sparql

    try:
        if library is not None:
            from kg.query.library import check_bindings, find_query, parse_params

            entry = find_query(library)  # a name only: the server checked it is one (no path, no .rq)
            bindings = parse_params(params or [])
            check_bindings(entry, bindings)
            result = run_sparql(store, entry.text, bindings, f"query '{entry.name}'", max_rows=settings.max_rows,
                                kinds=entry.kinds)
        else:
            result = run_sparql(store, text, where="the query", max_rows=settings.max_rows)
        headers = {}
        if result.capped:
            unit = "triples" if result.type == "CONSTRUCT" else "rows"
            headers["X-KG-Truncated"] = f"{settings.max_rows} of more than {settings.max_rows} {unit}"
            headers["Warning"] = f'199 kg "results truncated to {settings.max_rows} {unit} (--max-rows)"'
        mimetype, fmt = negotiate(accept, result.type)
        body = result.serialize(format=fmt)
    except KgError as exc:  # by type: RefusedError 403, NotAcceptable 406, TimedOut 503, the others 400 (kg.errors)
        return _text(exc.http_status, str(exc))
    except Exception as exc:  # a bug: still one sentence
        return _text(500, f"the query failed: {type(exc).__name__}: {' '.join(str(exc).split())}")
    headers["Content-Type"] = _content_type(mimetype)
    headers["Vary"] = "Accept"
    return 200, headers, body


def _handler(store, settings: Settings):
    """The workers' work: a request (JSON: query, accept) in, a response (JSON head, newline, body) out."""
    def handle(request: bytes) -> bytes:
        try:
            asked = json.loads(request)
            status, headers, body = answer(store, asked["query"], asked["accept"], settings, asked.get("library"),
                                           asked.get("params"))
        except Exception as exc:  # never leave the server without an answer
            status, headers, body = _text(500, f"the query failed: {type(exc).__name__}")
        return json.dumps({"status": status, "headers": headers}).encode("utf-8") + b"\n" + body

    return handle


def _refusal(error: KgError) -> bytes:
    """The answer of a worker that could not be cut off from the network: it runs no query."""
    status, headers, body = _text(error.http_status, str(error))
    return json.dumps({"status": status, "headers": headers}).encode("utf-8") + b"\n" + body


class _Cache:
    """Answers by (query text, Accept header), the least recently used dropped beyond ``limit`` bytes."""

    def __init__(self, limit: int):
        self.limit = limit
        self.size = 0
        self._entries: OrderedDict[tuple[str, str], tuple[int, dict, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str]):
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: tuple[str, str], entry: tuple[int, dict, bytes]) -> None:
        cost = len(entry[2]) + len(key[0]) + len(key[1]) + 512
        if cost > self.limit // 4:  # a large answer is not kept: it would push out many small ones
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = entry
            self.size += cost
            while self.size > self.limit:
                old_key, old = self._entries.popitem(last=False)
                self.size -= len(old[2]) + len(old_key[0]) + len(old_key[1]) + 512


def _hostname(host: str) -> str:
    """The name in a Host header value, without the port ("[::1]:7878" -> "::1")."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].partition("]")[0]
    return host.rpartition(":")[0] if host.count(":") == 1 else host


class Endpoint:
    """The WSGI application serving a store read-only; :meth:`close` stops its workers."""

    def __init__(self, store, settings: Settings):
        from kg.check.deadline import Pool
        from kg.resources import STATIC_DIR

        self.settings = settings
        self.page = _page((STATIC_DIR / "query.html").read_bytes())
        self.triples = len(store)  # for the service description
        self.hosts = {name.lower() for name in (*LOCAL_HOSTS, *settings.allow_hosts)}
        self.cache = _Cache(settings.cache_bytes) if settings.cache_bytes else None
        self.pool = Pool(_handler(store, settings), settings.workers, settings.workers * WAITING_PER_WORKER,
                         refuse=_refusal)

    def close(self) -> None:
        self.pool.close()

    def __call__(self, environ, start_response):
        request = Request(environ)
        request.max_content_length = self.settings.max_body
        request.max_form_memory_size = self.settings.max_body
        origin = request.headers.get("Origin")
        try:
            response = self.respond(request, origin)
        except HTTPException as exc:
            response = self.error(exc.code or 400, exc.description or "bad request", origin)
        return response(environ, start_response)

    def error(self, status: int, message: str, origin: str | None) -> Response:
        code, headers, body = _text(status, message)
        return self.cors(Response(body, status=code, headers=headers), origin)

    def cors(self, response: Response, origin: str | None) -> Response:
        allowed = self.settings.cors_origin
        if allowed and origin and (allowed == "*" or origin == allowed):
            response.headers["Access-Control-Allow-Origin"] = allowed
            response.vary.add("Origin")
        return response

    def foreign(self, origin: str, request: Request) -> bool:
        """Whether a request with this ``Origin`` comes from a page of another site, not allowed by --cors."""
        allowed = self.settings.cors_origin
        if allowed and (allowed == "*" or origin == allowed):
            return False
        parts = urlsplit(origin)
        return parts.scheme not in ("http", "https") or parts.netloc.lower() != request.host.lower()

    def respond(self, request: Request, origin: str | None) -> Response:
        host = _hostname(request.host)
        if host not in self.hosts:  # a name that is not this server's: DNS rebinding, or a mistake
            return self.error(403, f"the Host '{host}' is not served here: kg serve answers for "
                                   f"{', '.join(sorted(self.hosts))} (add a name with --allow-host)", origin)
        if origin is not None and self.foreign(origin, request):
            return self.error(403, f"requests from pages at {origin} are refused: only this server's own page, "
                                   "or the origin given to --cors, may query it", origin)
        if request.path == "/":
            if request.method not in ("GET", "HEAD"):
                return self.error(405, "only GET here", origin)
            return Response(self.page, mimetype="text/html", headers={
                "Content-Security-Policy": "default-src 'self'; script-src 'unsafe-inline' 'self'; style-src 'unsafe-inline'",
            })
        if request.path.startswith("/query/"):
            if request.method not in ("GET", "HEAD"):
                return self.error(405, "only GET here", origin)
            name = request.path[len("/query/"):]
            if not _LIBRARY_NAME.fullmatch(name):
                return self.error(404, f"'{name}' is not a query name: /query/NAME runs a library query", origin)
            params = [f"{key}={value}" for key, value in request.args.items(multi=True)]
            return self.cors(self.query("", request.headers.get("Accept", ""), name, params), origin)
        if request.path != "/sparql":
            return self.error(404, f"nothing at {request.path}; the endpoint is /sparql", origin)
        if request.method == "OPTIONS":
            response = Response(status=204)
            if self.settings.cors_origin:
                response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
                response.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept"
            return self.cors(response, origin)
        if request.method not in ("GET", "POST"):
            return self.error(405, f"{request.method} is not allowed: use GET or POST", origin)
        if request.method == "GET" and "query" not in request.args and "update" not in request.args:
            return self.cors(self.description(request), origin)
        try:
            text = _query_text(request, self.settings)
        except PermissionError as exc:
            return self.error(403, str(exc), origin)
        except OverflowError as exc:
            return self.error(413, str(exc), origin)
        except (ValueError, UnicodeDecodeError) as exc:
            return self.error(400, str(exc), origin)
        return self.cors(self.query(text, request.headers.get("Accept", "")), origin)

    def description(self, request: Request) -> Response:
        """The service description (:func:`service_description`) in the RDF syntax the request accepts
        (Turtle by default), the endpoint's IRI read from the request (its Host was checked)."""
        from kg.query.results import Answer

        try:
            mimetype, fmt = negotiate(request.headers.get("Accept", ""), "CONSTRUCT")
        except KgError as exc:
            return _response(_text(exc.http_status, str(exc)))
        body = Answer("CONSTRUCT", service_description(request.host_url + "sparql", self.triples)).serialize(
            format=fmt, prefixes=SD_PREFIXES)
        return Response(body, headers={"Content-Type": _content_type(mimetype), "Vary": "Accept"})

    def query(self, text: str, accept: str, library: str | None = None, params: list[str] | None = None) -> Response:
        try:  # an Accept that no answer could meet is refused before a worker runs the query
            check_acceptable(accept)
        except KgError as exc:
            return _response(_text(exc.http_status, str(exc)))
        # a library query's key cannot be a text's: no Accept header holds a line feed
        key = (text, accept) if library is None else (json.dumps([library, params]), accept + "\nlibrary")
        entry = self.cache.get(key) if self.cache is not None else None
        if entry is None:
            asked: dict[str, object] = {"query": text, "accept": accept}
            if library is not None:
                asked.update(library=library, params=params)
            request = json.dumps(asked).encode("utf-8")
            try:
                reply = self.pool.run(request, self.settings.timeout or None)
            except KgError as exc:  # TimedOut (503): the worker was killed at the budget, or the server is busy
                entry = _text(exc.http_status, str(exc))
            else:
                head, _newline, body = reply.partition(b"\n")
                meta = json.loads(head)
                entry = (meta["status"], meta["headers"], body)
                if self.cache is not None and entry[0] == 200:
                    self.cache.put(key, entry)
        return _response(entry)


def _response(entry: tuple[int, dict, bytes]) -> Response:
    status, headers, body = entry
    return Response(body, status=status, headers=headers)


def _page(page: bytes) -> bytes:
    """The query page with the project's prefixes (those graph.ttl is written with) in its data block, to
    show IRIs and datatypes as Turtle does (``xsd:decimal``); written as JSON that cannot end the block."""
    from kg.stores.files import turtle_prefixes

    data = json.dumps(turtle_prefixes(), sort_keys=True).replace("<", "\\u003c").replace(">", "\\u003e")
    return page.replace(b'<script type="application/json" id="prefixes">{}</script>',
                        f'<script type="application/json" id="prefixes">{data}</script>'.encode())


def _query_text(request: Request, settings: Settings) -> str:
    if request.method == "GET":
        if "update" in request.args:
            raise PermissionError("updates are refused: this endpoint is read-only")
        text = request.args.get("query")
    else:
        length = request.content_length
        if length is not None and length > settings.max_body:
            raise OverflowError(f"the request body is over {settings.max_body} bytes (--max-body)")
        mimetype = request.mimetype
        if mimetype == "application/sparql-update":
            raise PermissionError("updates are refused: this endpoint is read-only")
        body = request.get_data(cache=True)
        if len(body) > settings.max_body:
            raise OverflowError(f"the request body is over {settings.max_body} bytes (--max-body)")
        if mimetype == "application/sparql-query":
            text = body.decode("utf-8", errors="strict")
        elif mimetype == "application/x-www-form-urlencoded":
            if "update" in request.form:
                raise PermissionError("updates are refused: this endpoint is read-only")
            text = request.form.get("query")
        else:
            raise ValueError("send the query as query=... (form) or as application/sparql-query")
    if not text:
        raise ValueError("no query: give query=... (see the SPARQL 1.1 Protocol)")
    for name in ("default-graph-uri", "named-graph-uri"):
        if name in request.args or name in request.form:
            raise PermissionError(f"{name} is refused: this endpoint serves one graph")
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > settings.max_query:
        raise OverflowError(f"the query is {size} bytes, over the limit of {settings.max_query} (--max-query)")
    return text


def make_app(store, settings: Settings | None = None) -> Endpoint:
    """The WSGI application serving ``store`` (a pyoxigraph Store) read-only; it forks its workers now."""
    return Endpoint(store, settings or Settings())


def serve(store, host: str = "127.0.0.1", port: int = 7878, settings: Settings | None = None, ready=None):
    """Serve ``store`` (a pyoxigraph Store: see :func:`load`) until interrupted (waitress, a production WSGI
    server); ``ready()`` is called once the port is listening and the workers are forked."""
    import errno
    import logging

    from waitress.server import create_server

    from kg.errors import UsageError
    from kg.query.engine import run_sparql

    settings = settings or Settings()
    if host not in ("0.0.0.0", "::", ""):  # the address it listens on is one of its names
        settings = replace(settings, allow_hosts=(*settings.allow_hosts, host))
    endpoint: Endpoint | None = None

    def app(environ, start_response):
        assert endpoint is not None  # made before the server runs
        return endpoint(environ, start_response)

    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "task queue depth": the pool answers 503 itself
    try:  # listen first: a busy port is said before anything is forked
        server = create_server(
            app,
            host=host,
            port=port,
            threads=settings.workers * (1 + WAITING_PER_WORKER) + SPARE_THREADS,
            connection_limit=settings.max_connections,
            channel_timeout=settings.idle_timeout,
            cleanup_interval=max(1, settings.idle_timeout // 2),
            max_request_body_size=settings.max_body,
            ident="kg",
        )
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(f"port {port} on {host} is already in use (another server is listening there): "
                             "stop it or choose another --port") from None
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    run_sparql(store, "ASK { ?s ?p ?o }")  # load the SPARQL machinery (and the guard's parser) before the workers fork
    endpoint = make_app(store, settings)
    try:
        if ready is not None:
            ready()
        server.run()
    finally:
        endpoint.close()
        server.close()


def load(graph_file):
    """The graph file in an in-memory Oxigraph store, loaded once for the life of the server."""
    from kg.stores.embedded import load_file

    return load_file(graph_file)
