"""The query library (``queries/*.rq``) and running queries safely.

Each ``.rq`` file starts with ``#`` lines: the first states the question it
answers; ``# param ?name: ...`` lines declare parameters. Parameters are bound
as RDF terms through rdflib's ``initBindings``, never spliced into the text, and
every query passes the guard (kg.check.guard) before it runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import Graph, Literal, URIRef, Variable
from rdflib.query import Result

from kg.errors import QuerySyntaxError, UsageError
from kg.check.guard import prepare
from kg.resources import QUERIES_DIR

_PARAM = re.compile(r"^#\s*param\s+\?(\w+)\s*:\s*(.*)$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class LibraryQuery:
    name: str
    path: Path
    question: str
    notes: str
    params: dict[str, str]
    text: str


def _parse_header(path: Path) -> LibraryQuery:
    text = path.read_text(encoding="utf-8")
    comments = []
    params = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _PARAM.match(line)
        if match:
            params[match.group(1)] = match.group(2).strip()
        else:
            comments.append(line.lstrip("#").strip())
    question = comments[0] if comments else ""
    return LibraryQuery(path.stem, path, question, " ".join(comments[1:]), params, text)


def library(queries_dir: Path = QUERIES_DIR) -> list[LibraryQuery]:
    """Every query of the library, sorted by name."""
    return [_parse_header(path) for path in sorted(Path(queries_dir).glob("*.rq"))]


def find_query(name_or_path: str, queries_dir: Path = QUERIES_DIR) -> LibraryQuery:
    """A library query by name, or any ``.rq`` file by path."""
    path = Path(name_or_path)
    if name_or_path.endswith(".rq"):
        if not path.is_file():
            raise UsageError(f"no such query file: {name_or_path}")
        return _parse_header(path)
    if not _NAME.match(name_or_path):
        raise UsageError(f"'{name_or_path}' is not a query name (see 'kg queries')")
    path = Path(queries_dir) / f"{name_or_path}.rq"
    if not path.is_file():
        import difflib

        names = [q.name for q in library(queries_dir)]
        close = difflib.get_close_matches(name_or_path, names, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else "; 'kg queries' lists them"
        raise UsageError(f"no query named '{name_or_path}' in the library{hint}")
    return _parse_header(path)


def parse_term(value: str):
    """A --param value as an RDF term: <iri>, integer, decimal, or a plain string."""
    if value.startswith("<") and value.endswith(">"):
        iri = value[1:-1]
        if not iri or any(c in iri for c in ' <>"{}|^`\\') or any(ord(c) < 0x21 for c in iri):
            raise UsageError(f"'{value}' is not a valid IRI")
        return URIRef(iri)
    if re.fullmatch(r"-?\d+", value):
        return Literal(int(value))
    if re.fullmatch(r"-?\d+\.\d+", value):
        try:
            return Literal(Decimal(value))
        except InvalidOperation:
            pass
    return Literal(value)


def parse_params(pairs) -> dict[str, object]:
    """['name=value', ...] -> {name: term}."""
    bindings = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not re.fullmatch(r"\w+", name):
            raise UsageError(f"--param '{pair}' is not NAME=VALUE")
        bindings[name] = parse_term(value)
    return bindings


def run_sparql(
    graph: Graph,
    text: str,
    bindings: dict | None = None,
    where: str = "the query",
    *,
    timeout: float | None = None,
    allowed_paths=(),
) -> Result:
    """Run a query (never an update) on ``graph`` with terms bound by initBindings.

    The query passes the guard (kg.check.guard) first; it then runs confined (kg.check.audit:
    no network, no files beyond ``allowed_paths``) and, with ``timeout`` seconds,
    in a child process that is killed when the time is up (kg.check.deadline).
    """
    from kg.check.audit import confined
    from kg.check.deadline import run_with_deadline

    query = prepare(text, where)
    init = {Variable(name): term for name, term in (bindings or {}).items()}

    def evaluate() -> Result:
        with confined(allowed_paths, where):
            try:
                result = graph.query(query, initBindings=init)
                if result.type == "SELECT":
                    result.bindings  # evaluate now, inside the confinement  # noqa: B018
                return result
            except (UsageError, PermissionError):
                raise
            except RecursionError:
                raise QuerySyntaxError(f"{where} nests too deeply to evaluate") from None
            except Exception as exc:  # evaluation errors of rdflib
                raise QuerySyntaxError(f"{where} failed: {type(exc).__name__}: {exc}") from None

    from kg.stores.embedded import is_oxigraph

    if is_oxigraph(graph):
        # Oxigraph runs the query itself: parameters go in as a VALUES block of terms (as for remote
        # stores), and the store's native engine needs no time limit of ours for these queries
        from kg.stores.remote import bind_values

        bound = bind_values(text, bindings or {})
        if bound != text:
            prepare(bound, where)  # the text with its VALUES block passes the guard too
        with confined(allowed_paths, where):
            try:
                return graph.query(bound)
            except Exception as exc:  # noqa: BLE001 - Oxigraph's errors, in one sentence
                raise QuerySyntaxError(f"{where} failed in the Oxigraph store: {exc}") from None
    if not timeout:
        return evaluate()
    return _from_bytes(run_with_deadline(lambda: _to_bytes(evaluate()), timeout, where))


def _to_bytes(result: Result) -> bytes:
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return b"G" + result.graph.serialize(format="nt", encoding="utf-8")
    return b"R" + result.serialize(format="json")


def _from_bytes(data: bytes) -> Result:
    import io

    if data[:1] == b"G":
        result = Result("CONSTRUCT")
        result.graph = Graph().parse(data=data[1:].decode("utf-8"), format="nt")
        return result
    return Result.parse(io.BytesIO(data[1:]), format="json")


def query_remote(endpoint: str, text: str, bindings: dict | None = None, graph_iri: str | None = None,
                 timeout: float = 60, where: str = "the query") -> Result:
    """Run a read-only query on a store's SPARQL endpoint; the same guard applies as locally.

    ``graph_iri``: the store's graph to query (``default-graph-uri``); default: the graph
    ``kg push`` writes.
    """
    from kg.stores.files import GRAPH_IRI
    from kg.stores.remote import bind_values, sparql_request

    text = bind_values(text, bindings or {})
    kind = prepare(text, where).algebra.name
    return sparql_request(endpoint, text, kind in ("ConstructQuery", "DescribeQuery"),
                          str(GRAPH_IRI) if graph_iri is None else graph_iri, timeout, where)


def run_query(
    graph: Graph,
    name_or_path: str,
    bindings: dict | None = None,
    queries_dir: Path = QUERIES_DIR,
    *,
    timeout: float | None = None,
) -> Result:
    """Run a library query by name (or a .rq file) on ``graph``; see :func:`run_sparql`."""
    entry = find_query(name_or_path, queries_dir)
    bindings = dict(bindings or {})
    if entry.path.parent.resolve() == Path(queries_dir).resolve():
        unknown = sorted(set(bindings) - set(entry.params))
        if unknown:
            known = ", ".join(entry.params) or "none"
            raise UsageError(f"query '{entry.name}' has no parameter '{unknown[0]}' (its parameters: {known})")
    return run_sparql(graph, entry.text, bindings, f"query '{entry.name}'", timeout=timeout)
