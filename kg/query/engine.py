"""Where and how a query runs: in Oxigraph (pyoxigraph), embedded, guarded, time-limited.

Every query of kg (``kg query``, ``kg serve``, ``kg explain``, ``kg chart``, the Python API)
runs here, on one of these sources:

- :class:`OnDisk`: the on-disk store ``OUT/store`` that ``kg build`` writes, opened read-only
  where the query runs. ``kg query`` takes it when ``OUT/store.sha256`` says it holds the
  graph file asked for (:func:`source_for`);
- :class:`GraphFile`: a graph file, loaded into an in-memory store where the query runs, with
  the refusals of :func:`kg.stores.files.read_graph_file`;
- a ``pyoxigraph.Store`` (``kg serve`` loads its graph once), or an rdflib Graph (the Python
  API), copied into an in-memory store.

Before anything runs, the text passes the guard (:func:`kg.check.guard.prepare`: no updates,
no SERVICE, no FROM); the library's own texts passed it when they were recorded in
:mod:`kg.query.guarded`, and a text whose digest is not there is parsed and guarded now.
Parameters are bound as a ``VALUES`` block of RDF terms at the start of the query's group, found by
rdflib's SPARQL grammar (:func:`kg.check.guard.bind_values`, as for a remote store; Oxigraph
substitutes only projected variables), and the bound text passes the guard too. Python's audit hook
(:mod:`kg.check.audit`) cannot see Oxigraph's own sockets and files, so the guard is what
keeps a query off the network.

With a ``timeout`` (``kg query`` always gives one; ``0`` means no limit) the guard, the query and
its serialization run in a forked child process that is killed when the time is up or on Ctrl-C (:mod:`kg.check.deadline`):
Oxigraph cannot cancel a query (it releases the GIL, but a signal only reaches Python once the
query returns). A graph in memory is loaded before the fork and shared with the child; the store
on disk is opened in the child, never before a fork (RocksDB and fork do not mix).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from kg.errors import KgError, QuerySyntaxError, StoreError, UsageError


@dataclass(frozen=True)
class OnDisk:
    """The on-disk Oxigraph store in ``path`` (an ``OUT/store`` folder)."""

    path: Path


@dataclass(frozen=True)
class GraphFile:
    """A graph file, to load into memory where the query runs."""

    path: Path


def source_for(graph_file, store: str | None = None, out_dir=None):
    """Where ``kg query`` runs: ``store`` None, the store beside ``graph_file`` if it holds exactly
    that file, else the file; ``"memory"``, the file; ``"oxigraph"``, the store in ``out_dir``."""
    from kg.stores.embedded import store_for, store_path

    if store == "oxigraph":
        path = store_path(out_dir if out_dir is not None else Path(graph_file).parent)
        if not path.is_dir():
            from kg.errors import InputError

            raise InputError("no Oxigraph store here (run 'kg build' first)", path)
        return OnDisk(path)
    if store is None:
        found = store_for(graph_file)
        if found is not None:
            return OnDisk(found)
    return GraphFile(Path(graph_file))


def open_source(source):
    """A pyoxigraph store for ``source`` (in the process that runs the query)."""
    import pyoxigraph

    if isinstance(source, pyoxigraph.Store):
        return source
    from kg.stores.embedded import load_file, open_read_only, store_of

    if isinstance(source, OnDisk):
        return open_read_only(source.path)
    if isinstance(source, GraphFile):
        return load_file(source.path)
    return store_of(source)  # an rdflib Graph


def _recorded(text: str) -> bool:
    """Whether ``text`` is one the guard passed when the library was recorded (kg.query.guarded)."""
    from kg.query.guarded import RECORDED

    return _digest(text) in RECORDED


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def guard(text: str, bindings: dict | None, where: str) -> str:
    """The text to run: ``text`` guarded, with ``bindings`` as a VALUES block, guarded again.
    (The guard is rdflib's SPARQL parser: imported only for a text not recorded, or bound
    other than by :func:`bound_as_recorded`.)"""
    from kg.check.guard import canonical

    text = canonical(text, where)  # the one text the guard reads and Oxigraph runs (SECURITY.md, case 17)
    recorded = _recorded(text)
    if not recorded:
        from kg.check.guard import prepare

        prepare(text, where)
    if not bindings:
        return text
    if recorded:
        bound = bound_as_recorded(text, bindings)
        if bound is not None:
            return bound
    from kg.check.guard import bind_values, prepare
    from kg.stores.embedded import to_ox, to_rdflib

    bound = bind_values(text, {name: to_rdflib(to_ox(term)) for name, term in bindings.items()}, where)
    prepare(bound, where)
    return bound


#: the characters SPARQL's IRIREF leaves out
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LANGTAG = re.compile(r"[a-zA-Z]+(?:-[a-zA-Z0-9]+)*")
_VARNAME = re.compile(r"[A-Za-z0-9_]+")
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def bound_as_recorded(text: str, bindings: dict) -> str | None:
    """``text`` (a recorded library text, canonical) with ``bindings`` in a VALUES block at the start of
    its outer WHERE group, written so that it needs no parsing to be guarded; None when a binding
    cannot be written so (the caller then binds and guards as for any text).

    The guard passed the recorded text, and :mod:`kg.query.guarded` records where its outer WHERE
    group opens (where :func:`kg.check.guard.bind_values` puts a VALUES block; the test that
    records it guards the text with one there). What is added is ``VALUES (?a ?b) { (A B) }``: ASCII
    variable names, and each value one closed token of SPARQL's grammar, written from the RDF term
    itself: an IRI ``<...>`` holding none of the characters IRIREF leaves out; a literal
    ``"..."`` whose quotes, backslashes and line ends are escaped (ECHAR), with a checked language
    tag or an IRI datatype. So no value can end its token early, and the bound text is the recorded
    text with one VALUES clause of constants: no update, SERVICE or FROM can appear. The text must
    still be canonical (a value with ``\\u0022`` in it is not, and is refused by the guard as before)."""
    from kg.query.guarded import RECORDED

    at = RECORDED.get(_digest(text))
    if at is None:
        return None
    names, values = [], []
    for name, term in bindings.items():
        written = _written(term)
        if written is None or not _VARNAME.fullmatch(name):
            return None
        names.append(f"?{name}")
        values.append(written)
    bound = f"{text[:at]} VALUES ({' '.join(names)}) {{ ({' '.join(values)}) }} {text[at:]}"
    from kg.check.guard import canonical

    try:
        if canonical(bound) != bound:
            return None
    except KgError:
        return None
    return bound


def _written(term) -> str | None:
    """An RDF term as one token of SPARQL (an IRIREF, or a string with a language tag or datatype),
    or None for a term that cannot be written so here (a blank node, a triple, a directional string)."""
    import pyoxigraph

    from kg.stores.embedded import to_ox

    term = to_ox(term)
    if isinstance(term, pyoxigraph.NamedNode):
        return None if _NOT_IN_IRI.search(term.value) else f"<{term.value}>"
    if not isinstance(term, pyoxigraph.Literal) or getattr(term, "direction", None) is not None:
        return None
    text = term.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if term.language:
        return f'"{text}"@{term.language}' if _LANGTAG.fullmatch(term.language) else None
    datatype = term.datatype.value
    if datatype == _XSD_STRING:
        return f'"{text}"'
    return None if _NOT_IN_IRI.search(datatype) else f'"{text}"^^<{datatype}>'


def _kind(result) -> str:
    import pyoxigraph

    if isinstance(result, pyoxigraph.QueryBoolean):
        return "ASK"
    if isinstance(result, pyoxigraph.QueryTriples):
        return "CONSTRUCT"
    return "SELECT"


def sorted_ntriples(data: bytes) -> bytes:
    """N-Triples lines sorted and each once: a graph's triples in one order from run to run."""
    lines = sorted(set(data.split(b"\n")) - {b""})
    return b"".join(line + b"\n" for line in lines)


def evaluate(store, text: str, where: str, allowed_paths=(), max_rows: int = 0,
             fmt: str | None = None) -> tuple[str, bytes, bool]:
    """(type, bytes, capped) of ``text`` (already guarded) run on a pyoxigraph ``store``, confined: SPARQL
    JSON for SELECT and ASK, sorted N-Triples for CONSTRUCT and DESCRIBE. With ``max_rows``, at most that
    many solutions (or triples) are read from Oxigraph's lazy iterator, never more: ``capped`` says
    whether there were more. With ``fmt`` (one of :data:`kg.query.results.FORMATS`), the bytes are the
    answer as :func:`kg.query.results.format_result` writes it (UTF-8); a SELECT's solutions then go
    from Oxigraph's iterator straight into the table, md, csv, tsv or xml, with no SPARQL JSON between.
    A format that cannot write the kind of answer (rows as Turtle, a graph as CSV) is refused as soon
    as the kind is known, before a SELECT's solutions are read (NotAcceptable)."""
    import pyoxigraph

    from kg.check.audit import confined
    from kg.query.results import RESULTS_FORMATS, capped_solutions, capped_triples, ended, format_of, format_rows, solution_rows

    with confined(allowed_paths, where):
        try:
            result = store.query(text)
            kind = _kind(result)
            name = format_of(kind, fmt) if fmt is not None else None
            if kind == "SELECT" and name in ("table", "md"):
                names, body, capped = solution_rows(result, max_rows)
                return kind, format_rows(names, body, name).encode("utf-8"), capped
            if kind == "SELECT" and name in ("csv", "tsv", "xml") and not max_rows:
                written = result.serialize(format=getattr(pyoxigraph.QueryResultsFormat, RESULTS_FORMATS[name]))
                return kind, ended(cast(bytes, written)).encode("utf-8"), False
            if kind == "CONSTRUCT":
                if max_rows:
                    data, capped = capped_triples(result, max_rows)
                    data = sorted_ntriples(data)
                else:
                    data, capped = sorted_ntriples(result.serialize(format=pyoxigraph.RdfFormat.N_TRIPLES)), False
            elif kind == "SELECT" and max_rows:
                data, capped = capped_solutions(result, max_rows)
            else:
                data, capped = result.serialize(format=pyoxigraph.QueryResultsFormat.JSON), False
        except KgError:
            raise
        except SyntaxError as exc:
            raise QuerySyntaxError(f"{where} is not valid SPARQL for Oxigraph: {' '.join(str(exc).split())}") from None
        except Exception as exc:  # Oxigraph's evaluation errors, in one sentence
            raise QuerySyntaxError(f"{where} failed: {type(exc).__name__}: {' '.join(str(exc).split())}") from None
    if fmt is None:
        return kind, data, capped
    from kg.query.results import Answer, format_result

    return kind, format_result(Answer(kind, data, capped), fmt).encode("utf-8"), capped


def run_sparql(source, text: str, bindings: dict | None = None, where: str = "the query", *,
               timeout: float | None = None, allowed_paths=(), max_rows: int = 0, kinds: dict[str, str] | None = None):
    """Run a read-only query on ``source`` in Oxigraph; return a :class:`kg.query.results.Answer`.

    ``source``: an :class:`OnDisk` store, a :class:`GraphFile`, a ``pyoxigraph.Store`` or an rdflib
    Graph. ``bindings``: parameter name -> RDF term (rdflib's or pyoxigraph's). The text passes the
    guard first (:func:`guard`). With ``timeout`` seconds (``0``: no limit), all the work (guarding the
    text, evaluating, serializing) runs in a forked child that is killed when the time is up or on
    Ctrl-C; without, in this process. ``max_rows`` (0: none) caps the solutions of a SELECT and the
    triples of a CONSTRUCT or DESCRIBE as they are read (``Answer.capped`` says whether it cut).
    ``kinds`` (parameter -> kind of :data:`kg.query.names.KINDS`): the parameters that name a thing;
    one given as text is bound to the IRI of the thing it names in this graph, looked up where the
    query runs before it runs (:func:`kg.query.names.resolve_bindings`).
    """
    from kg.query.results import Answer

    kind, data, capped = _run(source, text, bindings, where, timeout, allowed_paths, max_rows, None, kinds)
    return Answer(kind, data, capped=capped)


def run_formatted(source, text: str, fmt: str, bindings: dict | None = None, where: str = "the query", *,
                  timeout: float | None = None, allowed_paths=(), max_rows: int = 0, kinds: dict[str, str] | None = None):
    """:func:`run_sparql`, the answer written in ``fmt`` (one of :data:`kg.query.results.FORMATS`) where
    the query runs, as :func:`kg.query.results.format_result` writes it: a
    :class:`kg.query.results.Formatted`. What ``kg query`` prints: a table is made from Oxigraph's
    solutions as they are read, without SPARQL JSON written in the child and read again here, and
    the writing counts in the time limit."""
    from kg.query.results import Formatted, check_format

    check_format(fmt)
    kind, data, capped = _run(source, text, bindings, where, timeout, allowed_paths, max_rows, fmt, kinds)
    return Formatted(kind, data.decode("utf-8"), capped)


def _run(source, text: str, bindings: dict | None, where: str, timeout: float | None, allowed_paths, max_rows: int,
         fmt: str | None, kinds: dict[str, str] | None = None) -> tuple[str, bytes, bool]:
    from kg.check.deadline import Child, can_stop

    def work() -> tuple[str, bytes, bool]:
        store = open_source(source)
        bound = bindings
        if kinds and bindings and any(name in kinds for name in bindings):
            from kg.query.names import resolve_bindings, store_rows

            bound = resolve_bindings(bindings, kinds, store_rows(store), where)
        return evaluate(store, guard(text, bound, where), where, allowed_paths, max_rows, fmt)

    if timeout is None or not can_stop():
        return work()
    if not isinstance(source, OnDisk):
        source = open_source(source)  # loaded here, so the limit is the query's: the child gets the store by fork
    return Child(work, where).result(timeout or None)


def query_remote(endpoint: str, text: str, bindings: dict | None = None, graph_iri: str | None = None,
                 timeout: float = 60, where: str = "the query", *, default_graph: bool = False):
    """Run a read-only query on a store's SPARQL endpoint, guarded as locally; an Answer whose terms are
    written as Oxigraph holds them (:func:`_as_held`), so the bytes compare with local answers.

    ``graph_iri``: the store's graph to query (``default-graph-uri``); default: the graph ``kg push``
    writes. ``default_graph``: the store's default graph instead (no ``default-graph-uri`` is sent:
    the graph a store such as ``kg serve`` serves, or the union of its graphs, as the store defines).
    ``timeout`` (seconds, ``0``: none) is one budget for all the work: the guard
    parses the text in a child process killed when it is spent (kg.check.deadline), the request
    gets what the guard left (kg.stores.remote), and reading the answer, in a child again, what
    the request left; when it runs out, TimedOut states ``timeout``.
    """
    from kg.check.deadline import run_with_deadline
    from kg.errors import TimedOut
    from kg.stores.files import GRAPH_IRI
    from kg.stores.remote import Budget, sparql_bytes

    if default_graph and graph_iri is not None:
        raise UsageError("query either a named graph of the store or its default graph, not both")
    budget = Budget(timeout, where)

    def check() -> tuple[str, bool, frozenset[str]]:
        from kg.check.guard import bind_values, boolean_columns, canonical, prepare
        from kg.stores.embedded import to_ox, to_rdflib

        written = canonical(text, where)
        try:
            bound = bind_values(written, {name: to_rdflib(to_ox(term)) for name, term in (bindings or {}).items()}, where)
        except UsageError:
            prepare(written, where)  # a text that is no query says so first
            raise
        query = prepare(bound, where)
        return bound, query.algebra.name in ("ConstructQuery", "DescribeQuery"), boolean_columns(query)

    bound, graph, booleans = run_with_deadline(check, budget.seconds, where)  # the first step: the whole budget is left
    iri = None if default_graph else str(GRAPH_IRI) if graph_iri is None else graph_iri
    data = sparql_bytes(endpoint, bound, graph, iri, budget, where)
    if budget.spent():
        raise budget.timed_out(f" at {endpoint}")
    try:
        return run_with_deadline(lambda: _answer_of(endpoint, data, graph, booleans), budget.left(), where)
    except TimedOut:
        raise budget.timed_out(f" at {endpoint}") from None


_XSD = "http://www.w3.org/2001/XMLSchema#"
_DURATIONS = frozenset(_XSD + name for name in ("duration", "yearMonthDuration", "dayTimeDuration"))
_NUMBER = re.compile(r"(-?)([0-9]+)(\.[0-9]*)?")


def _meant(term, boolean: bool = False):
    """A term as a store meant it, where its form is not SPARQL's: Virtuoso's (7.2). It writes a boolean
    the query computes (``boolean``: a column of :func:`kg.check.guard.boolean_columns`) as
    ``"1"^^xsd:integer`` or ``"0"``, and a duration as a bare number, not a valid duration: whole
    months when it has years or months (days and time are then lost: "P1Y" is "12"), else seconds
    ("P1D" is "86400.0"). Any other term is as written."""
    import pyoxigraph

    if not isinstance(term, pyoxigraph.Literal):
        return term
    datatype = term.datatype.value
    if boolean and datatype == _XSD + "integer" and term.value in ("0", "1"):
        return pyoxigraph.Literal(term.value == "1")
    number = _NUMBER.fullmatch(term.value) if datatype in _DURATIONS else None
    if number is None:
        return term
    sign, whole, fraction = number.groups()
    written = f"{sign}PT{whole}{fraction or ''}S" if fraction is not None else f"{sign}P{whole}M"
    return pyoxigraph.Literal(written, datatype=term.datatype)


def _as_held(terms: list) -> list:
    """``terms`` as Oxigraph holds them: a literal of a datatype it knows by value in its canonical form
    ("1"^^xsd:boolean is true, "7500000.0"^^xsd:decimal is 7500000, "P12M" is "P1Y"), as a local answer
    writes it; all put in an in-memory store at once and read back."""
    import pyoxigraph

    typed = list(dict.fromkeys(term for term in terms if isinstance(term, pyoxigraph.Literal)
                               and not term.language and term.datatype.value != _XSD + "string"))
    if not typed:
        return terms
    store = pyoxigraph.Store()
    held = pyoxigraph.NamedNode("urn:kg:held")
    store.extend(pyoxigraph.Quad(pyoxigraph.NamedNode(f"urn:kg:term:{at}"), held, term) for at, term in enumerate(typed))
    written = {typed[int(quad.subject.value.rsplit(":", 1)[1])]: quad.object for quad in store}
    return [written.get(term, term) for term in terms]


def _answer_of(endpoint: str, data: bytes, graph: bool, booleans: frozenset[str] = frozenset()):
    """The Answer of a store's body: N-Triples (``graph``) or SPARQL results JSON, its terms as the store
    meant them (:func:`_meant`, ``booleans``: the columns the query computes as booleans) and as
    Oxigraph holds them (:func:`_as_held`), written by pyoxigraph."""
    import json

    import pyoxigraph

    from kg.query.results import Answer

    if graph:
        try:
            triples = list(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_TRIPLES))
        except (SyntaxError, ValueError) as exc:
            raise StoreError(f"the store at {endpoint} did not answer with N-Triples: {exc}") from None
        objects = _as_held([_meant(triple.object) for triple in triples])
        triples = [pyoxigraph.Triple(t.subject, t.predicate, o) for t, o in zip(triples, objects, strict=True)]
        # pyoxigraph's serializers return bytes when given no output (typed bytes | None)
        return Answer("CONSTRUCT", sorted_ntriples(cast(bytes, pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES))))
    try:
        result = pyoxigraph.parse_query_results(data, format=pyoxigraph.QueryResultsFormat.JSON)
        if isinstance(result, pyoxigraph.QuerySolutions):
            names = [variable.value for variable in result.variables]
            written = [(row, name, term) for row, solution in enumerate(result) for at, name in enumerate(names)
                       if (term := solution[at]) is not None]
            held = _as_held([_meant(term, name in booleans) for _row, name, term in written])
            changed = [(row, name, term) for (row, name, old), term in zip(written, held, strict=True) if term != old]
            if changed:  # the store's document, those literals written as meant and held
                document = json.loads(data)
                for row, name, term in changed:
                    document["results"]["bindings"][row][name] = {"type": "literal", "value": term.value,
                                                                  "datatype": term.datatype.value}
                data = json.dumps(document).encode("utf-8")
            result = pyoxigraph.parse_query_results(data, format=pyoxigraph.QueryResultsFormat.JSON)  # read again
        return Answer(_kind(result), cast(bytes, result.serialize(format=pyoxigraph.QueryResultsFormat.JSON)))
    except (SyntaxError, ValueError) as exc:  # a body that is not SPARQL JSON
        raise StoreError(f"the store at {endpoint} did not answer with SPARQL results JSON: {exc}") from None
