"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over the graph, safe by default.

A WSGI application (Werkzeug for requests and responses) served by waitress. The graph
is loaded once into an in-memory Oxigraph store, and every query runs there as ``kg query``
runs it (kg.query.engine): it passes the same guard (kg.check.guard: no updates, no
SERVICE, FROM, FROM NAMED or LOAD, decided on the parsed query), and runs under a
wall-clock limit in a forked child process that is killed when it passes
(kg.check.deadline), so the server answers the next request. Results are written by
pyoxigraph's serializers and capped at ``max_rows`` rows, and the response says so.

    GET  /sparql?query=...                          SPARQL 1.1 Protocol, query via GET
    POST /sparql  (application/x-www-form-urlencoded, query=...)
    POST /sparql  (application/sparql-query)
    GET  /                                          an offline query page (no CDN)
"""

from __future__ import annotations

from dataclasses import dataclass

from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Request, Response

from kg.errors import KgError

SELECT_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
}


@dataclass
class Settings:
    timeout: float = 30.0
    max_rows: int = 10000
    max_body: int = 1 << 20
    cors_origin: str | None = None


def _negotiate(accept, offered: dict, default: str) -> str:
    best = accept.best_match(list(offered), default=None) if accept else None
    return best or default


def _error(status: int, message: str, settings: Settings, origin: str | None) -> Response:
    response = Response(message.rstrip(".") + ".\n", status=status, mimetype="text/plain")
    return _cors(response, settings, origin)


def _cors(response: Response, settings: Settings, origin: str | None) -> Response:
    if settings.cors_origin and origin and (settings.cors_origin == "*" or origin == settings.cors_origin):
        response.headers["Access-Control-Allow-Origin"] = settings.cors_origin
        response.headers["Vary"] = "Origin"
    return response


def _query_text(request: Request, settings: Settings) -> str:
    if request.method == "GET":
        if "update" in request.args:
            raise PermissionError("updates are refused: this endpoint is read-only")
        text = request.args.get("query")
    elif request.method == "POST":
        length = request.content_length
        if length is not None and length > settings.max_body:
            raise OverflowError(f"the request body is over {settings.max_body} bytes")
        mimetype = request.mimetype
        if mimetype == "application/sparql-update":
            raise PermissionError("updates are refused: this endpoint is read-only")
        body = request.get_data(cache=True)
        if len(body) > settings.max_body:
            raise OverflowError(f"the request body is over {settings.max_body} bytes")
        if mimetype == "application/sparql-query":
            text = body.decode("utf-8", errors="strict")
        elif mimetype == "application/x-www-form-urlencoded":
            if "update" in request.form:
                raise PermissionError("updates are refused: this endpoint is read-only")
            text = request.form.get("query")
        else:
            raise ValueError("send the query as query=... (form) or as application/sparql-query")
    else:
        raise LookupError(request.method)
    if not text:
        raise ValueError("no query: give query=... (see the SPARQL 1.1 Protocol)")
    for name in ("default-graph-uri", "named-graph-uri"):
        if name in request.args or name in request.form:
            raise PermissionError(f"{name} is refused: this endpoint serves one graph")
    return text


def _respond(store, text: str, request: Request, settings: Settings) -> Response:
    from kg.query.engine import run_sparql

    try:
        result = run_sparql(store, text, where="the query", timeout=settings.timeout or 0)
    except KgError as exc:  # by type: RefusedError 403, TimedOut 503, the others 400 (kg.errors)
        return Response(str(exc) + "\n", status=exc.http_status, mimetype="text/plain")
    headers = {}
    if result.type == "CONSTRUCT":
        mimetype = _negotiate(request.accept_mimetypes, GRAPH_TYPES, "text/turtle")
        return Response(result.serialize(format=GRAPH_TYPES[mimetype]), mimetype=mimetype)
    mimetype = _negotiate(request.accept_mimetypes, SELECT_TYPES, "application/sparql-results+json")
    if result.type == "SELECT" and settings.max_rows:
        result, total = result.truncated(settings.max_rows)
        if total > settings.max_rows:
            headers["X-KG-Truncated"] = f"{settings.max_rows} of {total} rows"
            headers["Warning"] = f'199 kg "results truncated to {settings.max_rows} of {total} rows (--max-rows)"'
    # a text/ mimetype gets "; charset=utf-8" from Werkzeug (which has no Response.charset since 3.0)
    return Response(result.serialize(format=SELECT_TYPES[mimetype]), mimetype=mimetype, headers=headers)


def make_app(store, settings: Settings | None = None):
    """The WSGI application serving ``store`` (a pyoxigraph Store, or a source of kg.query.engine) read-only."""
    settings = settings or Settings()
    from kg.resources import STATIC_DIR

    page = (STATIC_DIR / "query.html").read_bytes()

    @Request.application
    def app(request: Request) -> Response:
        origin = request.headers.get("Origin")
        request.max_content_length = settings.max_body
        if request.path == "/":
            if request.method not in ("GET", "HEAD"):
                return _error(405, "only GET here", settings, origin)
            return Response(page, mimetype="text/html", headers={
                "Content-Security-Policy": "default-src 'self'; script-src 'unsafe-inline' 'self'; style-src 'unsafe-inline'",
            })
        if request.path != "/sparql":
            return _error(404, f"nothing at {request.path}; the endpoint is /sparql", settings, origin)
        if request.method == "OPTIONS":
            response = Response(status=204)
            if settings.cors_origin:
                response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
                response.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept"
            return _cors(response, settings, origin)
        if request.method not in ("GET", "POST"):
            return _error(405, f"{request.method} is not allowed: use GET or POST", settings, origin)
        try:
            text = _query_text(request, settings)
        except PermissionError as exc:
            return _error(403, str(exc), settings, origin)
        except OverflowError as exc:
            return _error(413, str(exc), settings, origin)
        except (ValueError, UnicodeDecodeError) as exc:
            return _error(400, str(exc), settings, origin)
        except HTTPException as exc:
            return _error(exc.code or 400, exc.description or "bad request", settings, origin)
        try:
            response = _respond(store, text, request, settings)
        except KgError as exc:
            response = Response(str(exc) + "\n", status=exc.http_status, mimetype="text/plain")
        return _cors(response, settings, origin)

    return app


def serve(store, host: str = "127.0.0.1", port: int = 7878, settings: Settings | None = None, threads: int = 4):
    """Serve ``store`` (a pyoxigraph Store: see :func:`load`) until interrupted (waitress, a production WSGI server)."""
    import waitress

    from kg.query.engine import run_sparql

    settings = settings or Settings()
    run_sparql(store, "ASK { ?s ?p ?o }")  # load the SPARQL machinery (and the guard's parser) before the first fork
    waitress.serve(
        make_app(store, settings),
        host=host,
        port=port,
        threads=threads,
        max_request_body_size=settings.max_body,
        ident="kg",
        _quiet=True,
    )


def load(graph_file):
    """The graph file in an in-memory Oxigraph store, loaded once for the life of the server."""
    from kg.stores.embedded import load_file

    return load_file(graph_file)
