"""The query library (``queries/*.rq``) and its parameters.

Each ``.rq`` file starts with ``#`` lines: the first states the question it answers;
``# param ?name: text`` lines declare parameters, and ``# param ?name (required): text``
one that the query cannot do without (``actor-facts`` without its actor would list every
fact of every actor). A required parameter left out is a UsageError naming it, before
anything runs, locally and on a remote store alike. A parameter that names a thing says of
which kind (``# param ?originName (place): text``, ``(required, actor)``; the kinds are
:data:`kg.query.names.KINDS`): given as text (an id, or a name in any language and case), it
is bound to the IRI of the one thing of that kind the graph being queried calls so
(:mod:`kg.query.names`), and a name that matches nothing or several things is a UsageError. A parameter
marked ``text`` (``# param ?fact (required, text): ...``) is matched as the text it is written as: a
literal given for it is bound as a plain string of its lexical form (``--param fact=2024`` reads as the
integer 2024, and is bound as "2024"), so that the query can match it in a triple pattern, which
Oxigraph looks up directly, where a FILTER on ``STR(?fact)`` would be tried against every fact. Parameters are bound as RDF terms in a
``VALUES`` block, never spliced into the text as text, and every query passes the guard
(kg.check.guard) before it runs in Oxigraph (:mod:`kg.query.engine`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import UsageError
from kg.query.engine import query_remote, run_formatted, run_sparql  # the library's API too
from kg.resources import QUERIES_DIR

_PARAM = re.compile(r"^#\s*param\s+\?(\w+)\s*(?:\(([^)]*)\))?\s*:\s*(.*)$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
XSD = "http://www.w3.org/2001/XMLSchema#"


@dataclass(frozen=True)
class LibraryQuery:
    name: str
    path: Path
    question: str
    notes: str
    params: dict[str, str]
    text: str
    required: tuple[str, ...] = ()
    kinds: dict[str, str] = field(default_factory=dict)  # parameter -> the kind of thing it names
    texts: tuple[str, ...] = ()  # the parameters matched as text (a literal bound as a plain string)


def _parse_header(path: Path) -> LibraryQuery:
    from kg.query.names import KINDS

    text = path.read_text(encoding="utf-8")
    comments = []
    params = {}
    required = []
    kinds = {}
    texts = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#"):
            break
        match = _PARAM.match(line)
        if match:
            name = match.group(1)
            params[name] = match.group(3).strip()
            for word in filter(None, (w.strip() for w in (match.group(2) or "").split(","))):
                if word == "required":
                    required.append(name)
                elif word == "text":
                    texts.append(name)
                elif word in KINDS:
                    kinds[name] = word
                else:
                    raise UsageError(f"{path}, line {number}: '{word}' in the header of ?{name} is neither 'required', "
                                     f"'text' nor a kind of thing ({', '.join(KINDS)})")
        else:
            comments.append(line.lstrip("#").strip())
    question = comments[0] if comments else ""
    return LibraryQuery(path.stem, path, question, " ".join(comments[1:]), params, text, tuple(required), kinds,
                        tuple(texts))


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
    """A --param value as an RDF term (pyoxigraph's): <iri>, integer, decimal, or a plain string."""
    import pyoxigraph

    if value.startswith("<") and value.endswith(">"):
        iri = value[1:-1]
        if not iri or any(c in iri for c in ' <>"{}|^`\\') or any(ord(c) < 0x21 for c in iri):
            raise UsageError(f"'{value}' is not a valid IRI")
        try:
            return pyoxigraph.NamedNode(iri)
        except ValueError:
            raise UsageError(f"'{value}' is not a valid IRI") from None
    if re.fullmatch(r"-?\d+", value):
        return pyoxigraph.Literal(str(int(value)), datatype=pyoxigraph.NamedNode(XSD + "integer"))
    if re.fullmatch(r"-?\d+\.\d+", value):
        return pyoxigraph.Literal(value, datatype=pyoxigraph.NamedNode(XSD + "decimal"))
    return pyoxigraph.Literal(value)


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


def check_bindings(entry: LibraryQuery, bindings: dict, queries_dir: Path = QUERIES_DIR) -> None:
    """Refuse a parameter a library query does not have, and a required parameter left out; bind a literal
    given for a ``text`` parameter as a plain string of its lexical form (in ``bindings``, the caller's copy)."""
    if entry.path.parent.resolve() == Path(queries_dir).resolve():
        unknown = sorted(set(bindings) - set(entry.params))
        if unknown:
            known = ", ".join(entry.params) or "none"
            raise UsageError(f"query '{entry.name}' has no parameter '{unknown[0]}' (its parameters: {known})")
    for name in entry.required:
        if name not in bindings:
            raise UsageError(f"query '{entry.name}' requires the parameter '{name}' ({entry.params[name]}): "
                             f"give it with --param {name}=VALUE")
    for name in entry.texts:
        if name in bindings:
            bindings[name] = _as_text(bindings[name])


def _as_text(term):
    """A literal as a plain string of its lexical form, in its own library's terms (rdflib's or
    pyoxigraph's); any other term as it is. (rdflib is not imported for it: a term of rdflib's was made
    where rdflib is imported already.)"""
    import sys

    import pyoxigraph

    if isinstance(term, pyoxigraph.Literal):
        return pyoxigraph.Literal(term.value)
    rdflib = sys.modules.get("rdflib")
    if rdflib is not None and isinstance(term, rdflib.Literal):
        return rdflib.Literal(str(term))
    return term


def run_query(
    source,
    name_or_path: str,
    bindings: dict | None = None,
    queries_dir: Path = QUERIES_DIR,
    *,
    timeout: float | None = None,
    max_rows: int = 0,
):
    """Run a library query by name (or a .rq file) on ``source`` (an rdflib Graph, a pyoxigraph
    Store, or a source of :mod:`kg.query.engine`); see :func:`kg.query.engine.run_sparql`."""
    entry = find_query(name_or_path, queries_dir)
    bindings = dict(bindings or {})
    check_bindings(entry, bindings, queries_dir)
    return run_sparql(source, entry.text, bindings, f"query '{entry.name}'", timeout=timeout, max_rows=max_rows,
                      kinds=entry.kinds)


def run_query_formatted(
    source,
    name_or_path: str,
    fmt: str,
    bindings: dict | None = None,
    queries_dir: Path = QUERIES_DIR,
    *,
    timeout: float | None = None,
    max_rows: int = 0,
):
    """:func:`run_query`, the answer written in ``fmt`` where the query runs (what ``kg query`` prints);
    see :func:`kg.query.engine.run_formatted`."""
    entry = find_query(name_or_path, queries_dir)
    bindings = dict(bindings or {})
    check_bindings(entry, bindings, queries_dir)
    return run_formatted(source, entry.text, fmt, bindings, f"query '{entry.name}'", timeout=timeout, max_rows=max_rows,
                         kinds=entry.kinds)


def run_query_remote(endpoint: str, name_or_path: str, bindings: dict | None = None, graph_iri: str | None = None,
                     timeout: float = 60, queries_dir: Path = QUERIES_DIR, *, default_graph: bool = False):
    """Run a library query by name (or a .rq file) on a store's SPARQL endpoint, on its named graph
    ``graph_iri`` (default: the one ``kg push`` writes) or its default graph; see
    :func:`kg.query.engine.query_remote`. A parameter that names a thing is looked up in the
    store's graph first (one more request per kind of thing named)."""
    entry = find_query(name_or_path, queries_dir)
    bindings = dict(bindings or {})
    check_bindings(entry, bindings, queries_dir)
    where = f"query '{entry.name}'"
    if entry.kinds and any(name in entry.kinds for name in bindings):
        from kg.query.names import resolve_bindings
        from kg.query.results import rows

        def lookup(text: str) -> list[tuple[str, str | None]]:
            _names, found = rows(query_remote(endpoint, text, None, graph_iri, timeout, where, default_graph=default_graph))
            return [(iri, name or None) for iri, name in found]

        bindings = resolve_bindings(bindings, entry.kinds, lookup, where)
    return query_remote(endpoint, entry.text, bindings, graph_iri, timeout, where, default_graph=default_graph)
