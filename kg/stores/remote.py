"""Pushing the graph to a SPARQL store, and querying it there.

``push`` replaces one named graph of a store through the SPARQL 1.1 Graph Store
HTTP Protocol (an HTTP PUT of N-Triples to ``ENDPOINT?graph=IRI``): pushing twice
leaves the same data. It reports success only when the store confirms it: the
graph is read back (a GET of ``ENDPOINT?graph=IRI``) and must hold as many
triples as were sent. ``sparql_bytes`` runs a query through the SPARQL 1.1
Protocol against that graph (``default-graph-uri``). Oxigraph, Apache Jena
Fuseki, GraphDB, Virtuoso and Amazon Neptune speak both protocols.

Credentials come from the environment, never the command line nor the URL (an
endpoint with ``user:password@`` is refused, and never printed):
``KG_STORE_TOKEN`` (sent as a bearer token) or ``KG_STORE_USER`` and
``KG_STORE_PASSWORD`` (HTTP Basic; Digest when ``KG_STORE_AUTH=digest``).

No redirect is followed: a 3xx answer is an error that names where it points.
Every request has a connect timeout, a limit on silence (a read that waits
longer fails) and a total bound: when it passes, the request's sockets are shut
down, however slowly the store drips its answer. Only a connection that was
never made (or a 502/503/504 answer) is retried. A PUT whose answer never came
(a timeout, or the connection lost once it was made) has an unknown outcome, the
store may have committed it: :class:`kg.errors.OutcomeUnknown` (exit 3), never
"not pushed" nor "pushed". Any other 4xx or 5xx answer, and a 206 (partial
content), is an error, never taken as complete data.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import threading
import urllib.parse

from rdflib import Graph

from kg.errors import OutcomeUnknown, StoreError, UsageError
from kg.stores.files import GRAPH_IRI

TOKEN_ENV, USER_ENV, PASSWORD_ENV = "KG_STORE_TOKEN", "KG_STORE_USER", "KG_STORE_PASSWORD"
AUTH_ENV = "KG_STORE_AUTH"  # "basic" (the default with KG_STORE_USER) or "digest"
GET_LIMIT = 4000  # characters of query string; longer queries go by POST (not retried)
CONNECT_TIMEOUT = 10.0  # seconds to open a connection to the store
SILENCE = 60.0  # seconds the store may leave a push's connection silent (sending the body, awaiting the answer)
PUSH_TIMEOUT = 600.0  # seconds for a whole push in all: the PUT, its retries and the read-back


# --------------------------------------------------------------------------- the total bound


def _shut(sock) -> None:
    # wakes a thread blocked in recv or send on it; a socket closed already refuses (OSError),
    # whatever its old descriptor became
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


class _Deadline:
    """The total bound of one operation: when ``seconds`` pass, every socket it opened is shut down
    (a store that drips its answer a byte at a time gets no further) and any it opens later, too."""

    def __init__(self, seconds: float | None):
        self.seconds = seconds or None
        self.expired = False
        self._sockets: list = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(self.seconds, self._expire) if self.seconds else None
        if self._timer is not None:
            self._timer.daemon = True

    def __enter__(self):
        if self._timer is not None:
            self._timer.start()
        return self

    def __exit__(self, *exc_info):
        if self._timer is not None:
            self._timer.cancel()

    def watch(self, sock) -> None:
        with self._lock:
            if not self.expired:
                self._sockets.append(sock)
                return
        _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            _shut(sock)


def _adapter(deadline: _Deadline):
    """requests' adapter whose connections are watched by ``deadline``; retried only where nothing
    can have been done twice: a connection that could not be made, and 502/503/504 (Retry-After
    is not obeyed: a store cannot make kg sleep past its bound)."""
    from requests.adapters import HTTPAdapter
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
    from urllib3.util.retry import Retry

    class Watched(HTTPConnection):
        def connect(self) -> None:
            super().connect()
            deadline.watch(self.sock)

    class WatchedTLS(HTTPSConnection):
        def connect(self) -> None:
            super().connect()
            deadline.watch(self.sock)

    class Pool(HTTPConnectionPool):
        ConnectionCls = Watched

    class PoolTLS(HTTPSConnectionPool):
        ConnectionCls = WatchedTLS

    class Adapter(HTTPAdapter):
        def init_poolmanager(self, *args, **kwargs) -> None:
            super().init_poolmanager(*args, **kwargs)
            self.poolmanager.pool_classes_by_scheme = {"http": Pool, "https": PoolTLS}

    retry = Retry(total=3, connect=3, read=0, other=0, status=3, backoff_factor=0.2,
                  status_forcelist=(502, 503, 504), allowed_methods=frozenset({"GET", "PUT", "HEAD"}),
                  raise_on_status=False, respect_retry_after_header=False)
    return Adapter(max_retries=retry)


# --------------------------------------------------------------------------- sessions and credentials


def _auth():
    """What authenticates the requests, from the environment: a bearer token, Basic or Digest."""
    from requests.auth import AuthBase, HTTPBasicAuth, HTTPDigestAuth

    scheme = (os.environ.get(AUTH_ENV) or "").strip().lower()
    if scheme not in ("", "basic", "digest"):
        raise UsageError(f"{AUTH_ENV} must be 'basic' or 'digest'")
    token = os.environ.get(TOKEN_ENV)
    user = os.environ.get(USER_ENV)
    if scheme == "digest" and not user:
        raise UsageError(f"{AUTH_ENV}=digest needs {USER_ENV} and {PASSWORD_ENV}")
    if token and not (scheme and user):

        class Bearer(AuthBase):
            def __call__(self, request):
                request.headers["Authorization"] = f"Bearer {token}"
                return request

        return Bearer()
    if user:
        password = os.environ.get(PASSWORD_ENV, "")
        return HTTPDigestAuth(user, password) if scheme == "digest" else HTTPBasicAuth(user, password)
    return None


def _session(deadline: _Deadline):
    import requests

    session = requests.Session()
    session.trust_env = False  # no proxies or .netrc picked up behind the user's back
    adapter = _adapter(deadline)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.auth = _auth()
    session.headers["User-Agent"] = "kg"
    return session


def shown(url: str) -> str:
    """``url`` as kg prints it: any ``user:password@`` replaced by ``***@``."""
    return re.sub(r"^((?:[A-Za-z][A-Za-z0-9+.-]*:)?//)?[^/?#\s]*@", r"\1***@", str(url))


def _check_endpoint(endpoint: str) -> str:
    text = endpoint or ""
    try:
        parts = urllib.parse.urlsplit(text)
        parts.port  # noqa: B018 (a port that is not a number raises ValueError)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or re.search(r"\s", text):
        raise StoreError(f"'{shown(text)}' is not an http(s) URL of a store endpoint")
    if "@" in parts.netloc:
        raise StoreError(
            f"the endpoint {shown(text)} carries credentials in its URL, where they would be printed and logged: "
            f"give them in {USER_ENV} and {PASSWORD_ENV} (or {TOKEN_ENV}) instead")
    return text


def _one_line(text: object, limit: int = 200) -> str:
    return " ".join(str(text).split())[:limit]


def _answer(response, endpoint: str, what: str):
    status = response.status_code
    if status == 206:
        raise StoreError(f"the store at {endpoint} answered 206 (partial content) to {what}: refusing incomplete data")
    if 300 <= status < 400:
        location = response.headers.get("Location")
        target = shown(_one_line(urllib.parse.urljoin(response.url, location))) if location else "no Location given"
        raise StoreError(
            f"the store at {endpoint} answered {status} {response.reason or ''} to {what}, a redirect to {target}; "
            f"kg follows no redirect: if that is the store, give its URL as the endpoint")
    if status >= 300 or status < 200:
        detail = _one_line(response.text) if response.text else ""
        hint = (f" (credentials come from {TOKEN_ENV}, or {USER_ENV} and {PASSWORD_ENV}; "
                f"{AUTH_ENV}=digest for Digest)") if status in (401, 403) else ""
        raise StoreError(
            f"the store at {endpoint} answered {status} {response.reason or ''} to {what}{hint}"
            + (f": {detail}" if detail else "")
        )
    return response


def _reason(exc):
    """What a requests error stands for: urllib3's error inside it (through a MaxRetryError), else itself."""
    from urllib3.exceptions import MaxRetryError

    reason = exc.args[0] if exc is not None and exc.args else None
    if isinstance(reason, MaxRetryError):
        reason = reason.reason
    return reason if isinstance(reason, BaseException) else exc


def _never_connected(exc) -> bool:
    """Whether a requests error says no connection was made (so nothing reached the store)."""
    import requests
    from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

    if isinstance(exc, (requests.ConnectTimeout, requests.exceptions.SSLError)):
        return True
    return isinstance(_reason(exc), (NewConnectionError, ConnectTimeoutError))


def _why(exc, deadline: _Deadline, silence: float | None) -> str:
    import requests
    from urllib3.exceptions import ReadTimeoutError

    if deadline.expired:
        return f"it was not done within {deadline.seconds:g} s in all"
    if isinstance(exc, (requests.ReadTimeout, TimeoutError)) or isinstance(_reason(exc), (ReadTimeoutError, TimeoutError)):
        return f"the store was silent for {silence:g} s"
    return f"the connection was lost ({type(_reason(exc)).__name__})"


# --------------------------------------------------------------------------- push


def push(graph: Graph, endpoint: str, graph_iri: str = str(GRAPH_IRI), timeout: float | None = PUSH_TIMEOUT) -> int:
    """Replace the named graph ``graph_iri`` of the store with ``graph``; return the triples sent,
    once the store holds as many in that graph (read back).

    Raises :class:`StoreError` when the store refused, could not be reached or holds another count
    after the PUT, :class:`OutcomeUnknown` when the PUT's answer never came (or the graph could not
    be read back): the store may or may not hold the new graph. ``timeout`` bounds the whole push
    (None or 0: only the connect and silence limits).
    """
    import requests

    from kg.stores.files import serialize

    endpoint = _check_endpoint(endpoint)
    body = serialize(graph, "nt")
    sent = len(graph)
    what = f"the PUT of graph <{graph_iri}>"

    def unknown(why: str) -> OutcomeUnknown:
        return OutcomeUnknown(f"the outcome of {what} at {endpoint} is unknown: {why}, so the store may or may not "
                              f"hold the new graph; push again (a PUT replaces the graph) to be sure")

    with _Deadline(timeout) as deadline, _session(deadline) as session:
        _meet_the_challenge(session, deadline, endpoint, graph_iri)
        try:
            response = session.put(
                endpoint, params={"graph": graph_iri}, data=body, timeout=(CONNECT_TIMEOUT, SILENCE),
                headers={"Content-Type": "application/n-triples; charset=utf-8"}, allow_redirects=False,
            )
        except requests.RequestException as exc:
            if _never_connected(exc):
                raise StoreError(f"could not reach the store at {endpoint}: {type(exc).__name__}") from None
            raise unknown(f"{_why(exc, deadline, SILENCE)} once the connection was made") from None
        if deadline.expired:  # an answer cut short by the bound is no answer
            raise unknown(f"{_why(None, deadline, SILENCE)} once the connection was made")
        _answer(response, endpoint, what)
        answered = f"{response.status_code} {response.reason or ''}".strip()
        held = _count_graph(session, deadline, endpoint, graph_iri,
                            lambda why: unknown(f"the store answered {answered}, but {why}"))
    if held != sent:
        raise StoreError(
            f"the store at {endpoint} answered {answered} to {what} but holds {held} triples in it, "
            f"not the {sent} sent: the push is not confirmed")
    return sent


def _meet_the_challenge(session, deadline: _Deadline, endpoint: str, graph_iri: str) -> None:
    """With Digest, a HEAD first: its 401 brings the challenge, and the PUT then carries its answer
    (requests' HTTPDigestAuth reuses the nonce), so the graph is sent once, not once refused and
    again (a store may also close the connection on a 401 before reading the body). Nothing is
    changed by a HEAD: any failure here is a plain StoreError."""
    import requests
    from requests.auth import HTTPDigestAuth

    if not isinstance(session.auth, HTTPDigestAuth):
        return
    try:
        response = session.head(endpoint, params={"graph": graph_iri}, timeout=(CONNECT_TIMEOUT, SILENCE),
                                allow_redirects=False)
    except requests.RequestException as exc:
        if _never_connected(exc):
            raise StoreError(f"could not reach the store at {endpoint}: {type(exc).__name__}") from None
        raise StoreError(f"the store at {endpoint} did not answer a HEAD: {_why(exc, deadline, SILENCE)}") from None
    if response.status_code in (401, 403) or 300 <= response.status_code < 400:
        _answer(response, endpoint, f"a HEAD of graph <{graph_iri}>")


def _count_graph(session, deadline: _Deadline, endpoint: str, graph_iri: str, unknown) -> int:
    """The triples the store holds in ``graph_iri``, read back by a Graph Store Protocol GET and
    counted as pyoxigraph parses them (streamed, never held whole). ``unknown(why)`` is the error
    raised when the count cannot be had."""
    import pyoxigraph
    import requests

    try:
        response = session.get(endpoint, params={"graph": graph_iri}, timeout=(CONNECT_TIMEOUT, SILENCE),
                               headers={"Accept": "application/n-triples"}, allow_redirects=False, stream=True)
    except requests.RequestException as exc:
        raise unknown(f"reading the graph back failed: {_why(exc, deadline, SILENCE)}") from None
    with response:
        if response.status_code == 404:
            return 0  # no such graph: it holds nothing
        if response.status_code != 200:
            raise unknown(f"reading the graph back was answered {response.status_code} {response.reason or ''}".rstrip())
        media = (response.headers.get("Content-Type") or "application/n-triples").split(";")[0].strip()
        rdf_format = pyoxigraph.RdfFormat.from_media_type(media)
        if rdf_format is None:
            raise unknown(f"the graph read back is {_one_line(media, 80)}, not RDF")
        response.raw.decode_content = True
        try:
            held = sum(1 for _triple in pyoxigraph.parse(response.raw, format=rdf_format))
        except (SyntaxError, ValueError) as exc:
            raise unknown(f"the graph read back is not valid {rdf_format.name}: {_one_line(exc)}") from None
        except (OSError, requests.RequestException) as exc:
            raise unknown(f"reading the graph back failed: {_why(exc, deadline, SILENCE)}") from None
        if deadline.expired:
            raise unknown(f"reading the graph back failed: {_why(None, deadline, SILENCE)}")
        return held


# --------------------------------------------------------------------------- queries

_TOKEN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'  # long strings may hold newlines and braces
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r"""|<[^<>"{}|^`\\\s]*>|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|#[^\n]*"""
    r"|[?$]\w+|[A-Za-z_][\w.-]*:[\w.:%-]*|:[\w.:%-]*"  # variables, prefixed names (ex:where is no keyword)
    r"|\b(?i:CONSTRUCT|WHERE)\b|[{}]"
)


def _where_group(text: str) -> int:
    """The offset just after the '{' that opens the query's outer WHERE group."""
    depth, construct, where, template_done = 0, False, False, False
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if token == "{":
            if depth == 0:
                if construct and not where and not template_done:
                    template_done = True  # CONSTRUCT's template, not a pattern
                elif construct and where and not template_done:
                    raise StoreError("parameters cannot be bound in the short form CONSTRUCT WHERE { ... }; "
                                     "write CONSTRUCT { ... } WHERE { ... }")
                else:
                    return match.end()
            depth += 1
        elif token == "}":
            depth -= 1
        elif depth == 0 and token.upper() == "CONSTRUCT":
            construct = True
        elif depth == 0 and token.upper() == "WHERE":
            where = True
    raise StoreError("the query has no group pattern to bind parameters in")


def bind_values(text: str, bindings: dict) -> str:
    """Put ``bindings`` into the query as a VALUES block at the start of its outer WHERE group.

    The values are RDF terms written in their own syntax (``term.n3()``), like
    rdflib's ``initBindings``; the result is parsed again by the guard. (A VALUES
    block at the end would be joined after the library's ``FILTER (!BOUND(?x) ...)``.)
    """
    if not bindings:
        return text
    at = _where_group(text)
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(term.n3() for term in bindings.values())
    return text[:at] + f" VALUES ({names}) {{ ({values}) }} " + text[at:]


def sparql_bytes(endpoint: str, text: str, graph: bool, graph_iri: str | None = str(GRAPH_IRI),
                 timeout: float = 60, where: str = "the query") -> bytes:
    """Send a query (already guarded, by :func:`kg.query.engine.query_remote`) to a store's SPARQL
    endpoint; the body of its answer, as the store wrote it: SPARQL results JSON, or N-Triples
    when ``graph`` (a CONSTRUCT or DESCRIBE). ``timeout`` bounds the whole request (0: the
    store may take as long as it likes)."""
    import requests

    endpoint = _check_endpoint(endpoint)
    accept = "application/n-triples" if graph else "application/sparql-results+json"
    params = {"query": text}
    if graph_iri:
        params["default-graph-uri"] = graph_iri
    limits = (CONNECT_TIMEOUT, timeout or None)
    with _Deadline(timeout) as deadline, _session(deadline) as session:
        try:
            if len(urllib.parse.urlencode(params)) <= GET_LIMIT:  # the query string requests would send
                response = session.get(endpoint, params=params, headers={"Accept": accept}, timeout=limits,
                                       allow_redirects=False)
            else:
                response = session.post(endpoint, data=params, headers={"Accept": accept}, timeout=limits,
                                        allow_redirects=False)
        except requests.RequestException as exc:
            if _never_connected(exc):
                raise StoreError(f"could not reach the store at {endpoint}: {type(exc).__name__}") from None
            raise StoreError(f"the store at {endpoint} did not answer {where}: {_why(exc, deadline, timeout)}") from None
        if deadline.expired:  # an answer cut short by the bound is no answer
            raise StoreError(f"the store at {endpoint} did not answer {where}: {_why(None, deadline, timeout)}")
    _answer(response, endpoint, where)
    return response.content
