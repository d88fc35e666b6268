"""Pushing the graph to a SPARQL store, and querying it there.

``push`` replaces one named graph of a store through the SPARQL 1.1 Graph Store
HTTP Protocol (an HTTP PUT of N-Triples to ``ENDPOINT?graph=IRI``): pushing twice
leaves the same data. It reports success only when the store confirms it: the
store counts the graph's triples (``SELECT (COUNT(*) AS ?n) WHERE { GRAPH <IRI>
{ ?s ?p ?o } }`` at its SPARQL query endpoint, found beside the Graph Store URL by
:data:`QUERY_URLS` or given) and must hold as many as were sent; the graph itself
is never downloaded. ``sparql_bytes`` runs a query through the SPARQL 1.1
Protocol against that graph (``default-graph-uri``), or the store's default graph, within a :class:`Budget`.
Oxigraph, Apache Jena Fuseki, GraphDB, Virtuoso and Amazon Neptune speak both
protocols.

Credentials come from the environment, never the command line nor the URL (an
endpoint with ``user:password@`` is refused, and never printed):
``KG_STORE_TOKEN`` (sent as a bearer token) or ``KG_STORE_USER`` and
``KG_STORE_PASSWORD``: sent once the store asks for them, by the scheme its challenge names (Digest
or Basic), or always by ``KG_STORE_AUTH=basic`` or ``digest``.

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
import json
import os
import re
import socket
import threading
import time
import urllib.parse

from rdflib import Graph

from kg.errors import OutcomeUnknown, StoreError, TimedOut, UsageError
from kg.stores.files import GRAPH_IRI

TOKEN_ENV, USER_ENV, PASSWORD_ENV = "KG_STORE_TOKEN", "KG_STORE_USER", "KG_STORE_PASSWORD"
AUTH_ENV = "KG_STORE_AUTH"  # "basic" or "digest"; unset: the scheme the store's challenge asks for
GET_LIMIT = 4000  # characters of query string; longer queries go by POST (not retried)
CONNECT_TIMEOUT = 10.0  # seconds to open a connection to the store
SILENCE = 60.0  # seconds the store may leave a push's connection silent (sending the body, awaiting the answer)
PUSH_TIMEOUT = 600.0  # seconds for a whole push in all: the PUT, its retries and the read-back
MAX_ANSWER_BYTES = 256 << 20  # bytes of a store's answer to a query that kg reads (decompressed); no more is read
COUNT_BYTES = 64 << 10  # bytes of the answer to a push's COUNT query (a few hundred are expected)


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

    class Watching:
        sock: socket.socket

        def connect(self) -> None:
            super().connect()  # type: ignore[misc]  # HTTPConnection's, by the classes below
            deadline.watch(self.sock)

    class Watched(Watching, HTTPConnection):
        pass

    class WatchedTLS(Watching, HTTPSConnection):
        pass

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
    """What authenticates the requests, from the environment: a bearer token; Basic or Digest as
    ``KG_STORE_AUTH`` says; without it, the scheme the store's challenge asks for (:func:`_as_asked`)."""
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
        if scheme == "digest":
            return HTTPDigestAuth(user, password)
        if scheme == "basic":
            return HTTPBasicAuth(user, password)
        return _as_asked(user, password)
    return None


def _as_asked(user: str, password: str):
    """requests' HTTPDigestAuth, which also answers a challenge for Basic: no credentials are sent until
    a 401 answer asks for them (as curl's ``--anyauth``), then Digest when the challenge offers it (the
    password never travels), else Basic, which then goes with every request. Virtuoso's authenticated
    endpoints offer Digest only; Fuseki's and GraphDB's, Basic."""
    from requests.auth import HTTPBasicAuth, HTTPDigestAuth
    from requests.cookies import extract_cookies_to_jar

    class AsAsked(HTTPDigestAuth):
        basic = False

        def __call__(self, request):
            if self.basic:
                return HTTPBasicAuth(self.username, self.password)(request)
            return super().__call__(request)  # Digest's answer once the challenge is known; its 401 hook

        def handle_401(self, response, **kwargs):
            offered = response.headers.get("www-authenticate", "").lower()
            if response.status_code != 401 or self.basic or "digest" in offered or "basic" not in offered:
                return super().handle_401(response, **kwargs)
            self.basic = True  # sent again with Basic, as HTTPDigestAuth sends a request again with Digest
            response.content  # noqa: B018 (read, so that the connection can carry the next request)
            response.close()
            again = response.request.copy()
            extract_cookies_to_jar(again._cookies, response.request, response.raw)
            again.prepare_cookies(again._cookies)
            HTTPBasicAuth(self.username, self.password)(again)
            answer = response.connection.send(again, **kwargs)
            answer.history.append(response)
            answer.request = again
            return answer

    return AsAsked(user, password)


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


def _answer(response, endpoint: str, what: str, body: bytes | None = None, refused: str = ""):
    """``response`` if it is a whole 2xx answer, else StoreError in one sentence (``body``: what was
    read of a streamed answer, for the detail of an error; ``refused``: what to add to a 400 or 403)."""
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
        text = response.text if body is None else body[:4096].decode("utf-8", "replace")
        detail = _one_line(text) if text else ""
        hint = (f" (credentials come from {TOKEN_ENV}, or {USER_ENV} and {PASSWORD_ENV}, sent as the store's "
                f"challenge asks unless {AUTH_ENV}=basic or {AUTH_ENV}=digest says)") if status in (401, 403) else ""
        if refused and status in (400, 403):
            hint += f" ({refused})"
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


# --------------------------------------------------------------------------- one request


def _send(session, deadline: _Deadline, method: str, endpoint: str, lost, unreached=None, **kwargs):
    """One request of an operation bounded by ``deadline``, following no redirect. ``unreached(exc)``
    is the error raised when no connection was made (default: "could not reach the store"), ``lost(exc)``
    the one when it was made but no whole answer came (``exc`` None: the answer was cut short by the
    total bound)."""
    import requests

    try:
        response = session.request(method, endpoint, allow_redirects=False, **kwargs)
    except requests.RequestException as exc:
        if _never_connected(exc) and not deadline.expired:
            if unreached is not None:
                raise unreached(exc) from None
            raise StoreError(f"could not reach the store at {endpoint}: {type(exc).__name__}") from None
        raise lost(exc) from None
    if deadline.expired:  # an answer cut short by the bound is no answer
        raise lost(None)
    return response


def _body(response, limit: int, deadline: _Deadline, lost, too_much) -> bytes:
    """The body of a streamed answer (decompressed), read under ``deadline``: ``too_much()`` is raised
    as soon as it passes ``limit`` bytes (the rest is never read), ``lost(exc)`` when the connection
    fails or the bound cuts it short."""
    import requests

    data = bytearray()
    with response:
        try:
            for chunk in response.iter_content(1 << 16):
                data += chunk
                if len(data) > limit:
                    raise too_much()
        except (requests.RequestException, OSError) as exc:  # urllib3's errors come wrapped in requests'
            raise lost(exc) from None
    if deadline.expired:  # an answer cut short by the bound is no answer
        raise lost(None)
    return bytes(data)


# --------------------------------------------------------------------------- push

QUERY_URLS = (  # the end of a store's Graph Store Protocol URL -> the end of its SPARQL query URL
    ("/store", "/query"),  # Oxigraph
    ("/data", "/sparql"),  # Apache Jena Fuseki
    ("/rdf-graphs/service", ""),  # GraphDB, RDF4J
    ("/sparql-graph-crud-auth", "/sparql-auth"),  # Virtuoso
    ("/sparql-graph-crud", "/sparql"),
    ("/sparql/gsp", "/sparql"),  # Amazon Neptune
)


def query_endpoint_of(endpoint: str) -> str:
    """The SPARQL query URL beside a store's Graph Store Protocol URL, by the layouts of the stores in
    :data:`QUERY_URLS`: where the triple count of a push is read back. UsageError for another layout
    (``kg push --query-endpoint`` gives it)."""
    parts = urllib.parse.urlsplit(_check_endpoint(endpoint))
    path = parts.path.rstrip("/")
    for store, query in QUERY_URLS:
        if path.endswith(store):
            return urllib.parse.urlunsplit(parts._replace(path=path[: -len(store)] + query, query="", fragment=""))
    raise UsageError(f"kg reads the triple count of a push back through the store's SPARQL query endpoint, and cannot "
                     f"tell it from {shown(endpoint)}: give it with --query-endpoint")


def push(graph: Graph, endpoint: str, graph_iri: str = str(GRAPH_IRI), timeout: float | None = PUSH_TIMEOUT,
         query_endpoint: str | None = None) -> int:
    """Replace the named graph ``graph_iri`` of the store with ``graph``; return the triples sent,
    once the store holds as many in that graph: a ``SELECT (COUNT(*) AS ?n)`` over the graph at
    ``query_endpoint`` (default: :func:`query_endpoint_of` ``endpoint``), never the graph itself.

    Raises :class:`StoreError` when the store refused, could not be reached or holds another count
    after the PUT, :class:`OutcomeUnknown` when the PUT's answer never came (or the count could not
    be read back): the store may or may not hold the new graph. ``timeout`` bounds the whole push
    (None or 0: only the connect and silence limits).
    """
    import pyoxigraph

    from kg.stores.files import serialize

    endpoint = _check_endpoint(endpoint)
    query_endpoint = _check_endpoint(query_endpoint) if query_endpoint else query_endpoint_of(endpoint)
    try:
        graph_term = pyoxigraph.NamedNode(graph_iri)
    except ValueError as exc:
        raise UsageError(f"the graph IRI {graph_iri!r} is not an IRI: {_one_line(exc)}") from None
    body = serialize(graph, "nt")
    sent = len(graph)
    what = f"the PUT of graph <{graph_iri}>"

    def unknown(why: str) -> OutcomeUnknown:
        return OutcomeUnknown(f"the outcome of {what} at {endpoint} is unknown: {why}, so the store may or may not "
                              f"hold the new graph; push again (a PUT replaces the graph) to be sure")

    with _Deadline(timeout) as deadline, _session(deadline) as session:
        _meet_the_challenge(session, deadline, endpoint, graph_iri)
        response = _send(session, deadline, "PUT", endpoint,
                         lambda exc: unknown(f"{_why(exc, deadline, SILENCE)} once the connection was made"),
                         params={"graph": graph_iri}, data=body, timeout=(CONNECT_TIMEOUT, SILENCE),
                         headers={"Content-Type": "application/n-triples; charset=utf-8"})
        _answer(response, endpoint, what)
        answered = f"{response.status_code} {response.reason or ''}".strip()
        held = _count_graph(session, deadline, query_endpoint, graph_term,
                            lambda why: unknown(f"the store answered {answered}, but {why}"))
    if held != sent:
        raise StoreError(
            f"the store at {endpoint} answered {answered} to {what} but holds {held} triples in it, "
            f"not the {sent} sent: the push is not confirmed")
    return sent


def _meet_the_challenge(session, deadline: _Deadline, endpoint: str, graph_iri: str) -> None:
    """With Digest, or credentials sent as the store asks (:func:`_as_asked`), a HEAD first: its 401
    brings the challenge, and the PUT then carries its answer (requests' HTTPDigestAuth reuses the
    nonce; Basic goes with every request once asked for), so the graph is sent once, not once
    refused and again (a store may also close the connection on a 401 before reading the body).
    Nothing is changed by a HEAD: any failure here is a plain StoreError."""
    from requests.auth import HTTPDigestAuth

    if not isinstance(session.auth, HTTPDigestAuth):
        return
    response = _send(session, deadline, "HEAD", endpoint,
                     lambda exc: StoreError(f"the store at {endpoint} did not answer a HEAD: {_why(exc, deadline, SILENCE)}"),
                     params={"graph": graph_iri}, timeout=(CONNECT_TIMEOUT, SILENCE))
    if response.status_code in (401, 403) or 300 <= response.status_code < 400:
        _answer(response, endpoint, f"a HEAD of graph <{graph_iri}>")


def _count_graph(session, deadline: _Deadline, query_endpoint: str, graph, unknown) -> int:
    """The triples the store holds in the named graph ``graph`` (a pyoxigraph NamedNode, written by
    pyoxigraph into the query), counted by the store: ``SELECT (COUNT(*) AS ?n) WHERE { GRAPH <g>
    { ?s ?p ?o } }`` at its query endpoint (a graph it does not hold counts 0). ``unknown(why)`` is the
    error raised when the count cannot be had."""
    text = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"
    response = _send(session, deadline, "GET", query_endpoint,
                     lambda exc: unknown(f"counting its triples at {query_endpoint} failed: {_why(exc, deadline, SILENCE)}"),
                     lambda exc: unknown(f"its query endpoint {query_endpoint} could not be reached ({type(exc).__name__})"),
                     params={"query": text}, stream=True,
                     headers={"Accept": "application/sparql-results+json"}, timeout=(CONNECT_TIMEOUT, SILENCE))
    if response.status_code != 200:
        response.close()
        raise unknown(f"counting its triples at {query_endpoint} was answered "
                      f"{response.status_code} {response.reason or ''}".rstrip())
    body = _body(response, COUNT_BYTES, deadline,
                 lambda exc: unknown(f"reading the count from {query_endpoint} failed: {_why(exc, deadline, SILENCE)}"),
                 lambda: unknown(f"the count read back from {query_endpoint} is over {COUNT_BYTES:,} bytes, not a count"))
    try:
        value = json.loads(body)["results"]["bindings"][0]["n"]["value"]
        held = int(value) if isinstance(value, str) and value.isdigit() else None
    except (ValueError, KeyError, IndexError, TypeError):
        held = None
    if held is None:
        raise unknown(f"the count read back from {query_endpoint} is not a SPARQL results JSON count: "
                      f"{_one_line(body.decode('utf-8', 'replace'), 80)}")
    return held


# --------------------------------------------------------------------------- queries

class Budget:
    """One time limit over all the work of an operation (for ``kg query --endpoint``: the guard, the
    request and reading the answer): ``seconds`` from its making (None or 0: no limit). Each step gets
    what the steps before it left, so the whole stays within ``seconds``."""

    def __init__(self, seconds: float | None, what: str = "the query"):
        self.seconds = seconds or None
        self.what = what
        self.until = time.monotonic() + self.seconds if self.seconds else None

    def left(self) -> float | None:
        """Seconds left (at least a millisecond: a step given nothing times out at once); None: no limit."""
        return None if self.until is None else max(self.until - time.monotonic(), 0.001)

    def spent(self) -> bool:
        return self.until is not None and time.monotonic() >= self.until

    def timed_out(self, at: str = "") -> TimedOut:
        """The error once the time is spent: it states the limit the user gave, not what was left of it."""
        return TimedOut(f"{self.what}{at} timed out after {self.seconds:g} s in all and was stopped (the limit counts "
                        f"the guard, the request and reading the answer; raise --timeout to allow more)")


def sparql_bytes(endpoint: str, text: str, graph: bool, graph_iri: str | None = str(GRAPH_IRI),
                 budget: Budget | float | None = 60, where: str = "the query") -> bytes:
    """Send a query (already guarded, by :func:`kg.query.engine.query_remote`) to a store's SPARQL
    endpoint; the body of its answer, as the store wrote it: SPARQL results JSON, or N-Triples
    when ``graph`` (a CONSTRUCT or DESCRIBE). ``budget`` (a :class:`Budget`, or seconds from now;
    None or 0: the store may take as long as it likes) bounds the request and reading its body:
    when it is spent, :class:`TimedOut` stating the limit. At most :data:`MAX_ANSWER_BYTES` of the
    answer are read: a longer one is a StoreError as soon as it passes them."""
    if not isinstance(budget, Budget):
        budget = Budget(budget, where)
    endpoint = _check_endpoint(endpoint)
    accept = "application/n-triples" if graph else "application/sparql-results+json"
    params = {"query": text}
    if graph_iri:
        params["default-graph-uri"] = graph_iri
    if budget.spent():
        raise budget.timed_out(f" at {endpoint}")
    left = budget.left()
    # the total bound ends the request when the budget does; the silence limit is left to it (a
    # second longer, so the bound's own message is the one given)
    limits = (CONNECT_TIMEOUT if left is None else min(CONNECT_TIMEOUT, left), None if left is None else left + 1)

    def lost(exc):
        if deadline.expired or budget.spent():
            return budget.timed_out(f" at {endpoint}")
        return StoreError(f"the store at {endpoint} did not answer {where}: {_why(exc, deadline, left)}")

    def unreached(exc):
        if budget.spent():
            return budget.timed_out(f" at {endpoint}")
        return StoreError(f"could not reach the store at {endpoint}: {type(exc).__name__}")

    def too_much():
        return StoreError(f"the store at {endpoint} answered {where} with more than {MAX_ANSWER_BYTES:,} bytes, "
                          f"all kg reads of an answer ({MAX_ANSWER_BYTES / (1 << 20):g} MiB): narrow the query or give it a LIMIT")

    with _Deadline(left) as deadline, _session(deadline) as session:
        by_get = len(urllib.parse.urlencode(params)) <= GET_LIMIT  # the query string requests would send
        response = _send(session, deadline, "GET" if by_get else "POST", endpoint, lost, unreached, stream=True,
                         headers={"Accept": accept}, timeout=limits, **({"params": params} if by_get else {"data": params}))
        body = _body(response, MAX_ANSWER_BYTES, deadline, lost, too_much)
    _answer(response, endpoint, where, body, f"kg asked for the store's graph <{graph_iri}> as default-graph-uri; "
            "--default-graph asks for its default graph" if graph_iri else "")
    return body
