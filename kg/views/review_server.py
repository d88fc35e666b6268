"""``kg review``'s server: the desk (:class:`kg.views.review.Desk`) as a JSON API and one page, on loopback.

A WSGI application (Werkzeug for requests and responses) served by waitress, as ``kg serve`` is::

    GET  /                 the page (kg/resources/static/review.html), with its script and style
    GET  /review.js, /review.css
    GET  /api/schema       the fact kinds, their fields and the enums (kg.model.schema)
    GET  /api/choices      places, groups, sectors, organisations, people, roles, periods
    GET  /api/state        the text, the facts, the problems, whether the edits are saved
    POST /api/edit         one edit (JSON: Desk.edit's change); answers the new state
    POST /api/save         write annotation.yaml; answers the new state (400 the loader's error, 409 a change on disk)
    POST /api/reopen       read annotation.yaml again, forgetting the edits not saved

Safe as ``kg serve`` is: it listens on 127.0.0.1 only; a ``Host`` other than the loopback names is refused
(DNS rebinding), as is a request from a page of another site (its ``Origin``) and a POST that is not JSON (a
form another page could send); bodies are at most MAX_BODY bytes; the only files it serves are the page's
own, by name; the desk reads only the release folder and the data folder's registry, places and sectors, and
writes only the release's annotation and, for additions made on the page, those three files. Errors are kg's types, answered with their HTTP status and one sentence.
"""

from __future__ import annotations

import json
import threading
from urllib.parse import urlsplit

from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Request, Response

from kg.errors import KgError

MAX_BODY = 1 << 20  # bytes of a request: an edit is a few hundred; a quote may be long
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
#: the page's files, served by these names only
FILES = {"/": ("review.html", "text/html"), "/review.js": ("review.js", "text/javascript"),
         "/review.css": ("review.css", "text/css")}
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
                               "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def _hostname(host: str) -> str:
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].partition("]")[0]
    return host.rpartition(":")[0] if host.count(":") == 1 else host


class ReviewApp:
    """The WSGI application over one desk; one request at a time changes it (a lock)."""

    def __init__(self, desk):
        from kg.resources import STATIC_DIR

        self.desk = desk
        self.lock = threading.Lock()
        self.files = {path: ((STATIC_DIR / name).read_bytes(), mimetype) for path, (name, mimetype) in FILES.items()}

    def __call__(self, environ, start_response):
        request = Request(environ)
        request.max_content_length = MAX_BODY
        try:
            response = self.respond(request)
        except HTTPException as exc:
            response = self.error(exc.code or 400, exc.description or "bad request")
        except KgError as exc:
            response = self.error(exc.http_status, str(exc))
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response(environ, start_response)

    @staticmethod
    def error(status: int, message: str) -> Response:
        text = message.rstrip()
        text = text if text.endswith((".", "?", "!")) else text + "."  # one sentence, as kg's errors are
        return Response(json.dumps({"error": text}, ensure_ascii=False), status=status, mimetype="application/json")

    @staticmethod
    def json(data) -> Response:
        return Response(json.dumps(data, ensure_ascii=False), mimetype="application/json")

    def respond(self, request: Request) -> Response:
        host = _hostname(request.host)
        if host not in LOCAL_HOSTS:
            return self.error(403, f"the Host '{host}' is not served here: kg review answers for {', '.join(LOCAL_HOSTS)}")
        origin = request.headers.get("Origin")
        if origin is not None and urlsplit(origin).netloc.lower() != request.host.lower():
            return self.error(403, f"requests from pages at {origin} are refused: only the desk's own page may use it")
        if request.path in self.files:
            if request.method not in ("GET", "HEAD"):
                return self.error(405, "only GET here")
            body, mimetype = self.files[request.path]
            return Response(body, mimetype=mimetype)
        if request.path == "/favicon.ico":
            return Response(status=204)
        if not request.path.startswith("/api/"):
            return self.error(404, f"nothing at {request.path}")
        name = request.path[len("/api/"):]
        if request.method == "GET" and name in ("state", "schema", "choices"):
            with self.lock:
                return self.json(getattr(self.desk, name)())
        if name not in ("edit", "save", "reopen"):
            return self.error(404, f"nothing at {request.path}")
        if request.method != "POST":
            return self.error(405, f"{request.method} is not allowed: use POST")
        if request.mimetype != "application/json":
            return self.error(415, "send the request as application/json")
        if request.content_length is not None and request.content_length > MAX_BODY:
            return self.error(413, f"the request body is over {MAX_BODY} bytes")
        body = request.get_data(cache=False)
        if len(body) > MAX_BODY:
            return self.error(413, f"the request body is over {MAX_BODY} bytes")
        try:
            change = json.loads(body.decode("utf-8")) if body else {}
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            return self.error(400, f"the request body is not JSON: {exc}")
        if not isinstance(change, dict):
            return self.error(400, "the request body is not a JSON object")
        with self.lock:
            if name == "edit":
                self.desk.edit(change)
            elif name == "save":
                self.desk.save()
            else:
                self.desk.open()
            return self.json(self.desk.state())


def make_server(desk, port: int = 7880, threads: int = 4):
    """A waitress server of the desk on 127.0.0.1:``port`` (0: a free port; ``server.effective_port`` says which),
    listening, not yet running (``server.run()``; ``server.close()`` stops it). UsageError for a port in use."""
    import errno

    from waitress.server import create_server

    from kg.errors import UsageError

    try:
        return create_server(ReviewApp(desk), host="127.0.0.1", port=port, threads=threads,
                             max_request_body_size=MAX_BODY, channel_timeout=30, ident="kg")
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(f"port {port} on 127.0.0.1 is already in use (another server is listening there): "
                             "stop it or choose another --port") from None
        raise UsageError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}") from None


def serve(desk, port: int = 7880, ready=None) -> None:
    """Serve the desk until interrupted; ``ready(url)`` once it is listening."""
    server = make_server(desk, port)
    try:
        if ready is not None:
            ready(f"http://127.0.0.1:{server.effective_port}/")
        server.run()
    finally:
        server.close()
