"""Pushing the graph to a SPARQL store, and querying it there.

``push`` replaces one named graph of a store through the SPARQL 1.1 Graph Store
HTTP Protocol (an HTTP PUT of N-Triples to ``ENDPOINT?graph=IRI``): pushing twice
leaves the same data. ``sparql_bytes`` runs a query through the SPARQL 1.1
Protocol against that graph (``default-graph-uri``). Oxigraph, Apache Jena
Fuseki, GraphDB, Virtuoso and Amazon Neptune speak both protocols.

Credentials come from the environment, never the command line:
``KG_STORE_TOKEN`` (sent as a bearer token) or ``KG_STORE_USER`` and
``KG_STORE_PASSWORD`` (HTTP basic). Only idempotent requests (PUT, GET) are
retried, on connection errors and 502/503/504; any other 4xx or 5xx answer, and a
206 (partial content), is an error, never taken as complete data.
"""

from __future__ import annotations

import os
import re
import urllib.parse

from rdflib import Graph

from kg.errors import StoreError
from kg.stores.files import GRAPH_IRI

TOKEN_ENV, USER_ENV, PASSWORD_ENV = "KG_STORE_TOKEN", "KG_STORE_USER", "KG_STORE_PASSWORD"
GET_LIMIT = 4000  # characters of query string; longer queries go by POST (not retried)


def _session():
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

    session = requests.Session()
    session.trust_env = False  # no proxies or .netrc picked up behind the user's back
    retry = Retry(total=3, connect=3, read=2, status=3, backoff_factor=0.2,
                  status_forcelist=(502, 503, 504), allowed_methods=frozenset({"GET", "PUT", "HEAD"}),
                  raise_on_status=False, respect_retry_after_header=True)
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    token = os.environ.get(TOKEN_ENV)
    if token:
        session.headers["Authorization"] = f"Bearer {token}"
    elif os.environ.get(USER_ENV):
        session.auth = (os.environ[USER_ENV], os.environ.get(PASSWORD_ENV, ""))
    session.headers["User-Agent"] = "kg"
    return session


def _check_endpoint(endpoint: str) -> str:
    if not re.match(r"^https?://[^\s/]+", endpoint or ""):
        raise StoreError(f"'{endpoint}' is not an http(s) URL of a store endpoint")
    return endpoint


def _answer(response, endpoint: str, what: str):
    if response.status_code == 206:
        raise StoreError(f"the store at {endpoint} answered 206 (partial content) to {what}: refusing incomplete data")
    if response.status_code >= 300 or response.status_code < 200:
        detail = " ".join(response.text.split())[:200] if response.text else ""
        raise StoreError(
            f"the store at {endpoint} answered {response.status_code} {response.reason or ''} to {what}"
            + (f": {detail}" if detail else "")
        )
    return response


def push(graph: Graph, endpoint: str, graph_iri: str = str(GRAPH_IRI), timeout: float = 120) -> int:
    """Replace the named graph ``graph_iri`` of the store with ``graph``; return the triples sent."""
    import requests

    from kg.stores.files import serialize

    endpoint = _check_endpoint(endpoint)
    body = serialize(graph, "nt")
    try:
        with _session() as session:
            response = session.put(
                endpoint, params={"graph": graph_iri}, data=body, timeout=timeout,
                headers={"Content-Type": "application/n-triples; charset=utf-8"},
            )
    except requests.RequestException as exc:
        raise StoreError(f"could not reach the store at {endpoint}: {type(exc).__name__}") from None
    _answer(response, endpoint, f"the PUT of graph <{graph_iri}>")
    return len(graph)


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
    when ``graph`` (a CONSTRUCT or DESCRIBE)."""
    import requests

    endpoint = _check_endpoint(endpoint)
    accept = "application/n-triples" if graph else "application/sparql-results+json"
    params = {"query": text}
    if graph_iri:
        params["default-graph-uri"] = graph_iri
    try:
        with _session() as session:
            if len(urllib.parse.urlencode(params)) <= GET_LIMIT:  # the query string requests would send
                response = session.get(endpoint, params=params, headers={"Accept": accept}, timeout=timeout)
            else:
                response = session.post(endpoint, data=params, headers={"Accept": accept}, timeout=timeout)
    except requests.RequestException as exc:
        raise StoreError(f"could not reach the store at {endpoint}: {type(exc).__name__}") from None
    _answer(response, endpoint, where)
    return response.content
