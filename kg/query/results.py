"""Query answers, and the answers as text: table, markdown, the SPARQL 1.1 results formats and RDF syntaxes.

An :class:`Answer` keeps what Oxigraph (or a remote store) answered, as it answered it: a
SELECT's or an ASK's SPARQL 1.1 Query Results JSON, a CONSTRUCT's or a DESCRIBE's
N-Triples. Every lexical form stays as the engine wrote it, so the answers of ``kg query``
and of a store that ``kg push`` filled are the same text. Rows and booleans are written in
``json``, ``xml``, ``csv`` and ``tsv`` by pyoxigraph's results serializers; graphs in
``turtle``, ``nt``, ``nquads``, ``trig``, ``xml`` (RDF/XML) and ``jsonld`` by its RDF
serializers; ``table`` and ``md`` are for reading.

For the Python API an Answer behaves like an rdflib ``Result``: ``type``, ``vars``, rows
of rdflib terms (``row.name``, ``row[0]``), ``bindings``, ``askAnswer``, ``graph``,
``len()`` and ``serialize(format=...)``. rdflib is imported only when one of those is used.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from kg.errors import NotAcceptable, UsageError
from kg.stores.formats import RDF_FORMATS as GRAPH_FORMATS  # the RDF syntaxes of a CONSTRUCT's or a DESCRIBE's graph
from kg.stores.formats import RESULTS_FORMATS, rdf_format, results_format

#: ``kg query --format``: what each kind of answer is written in (table and md print a graph as Turtle, json as JSON-LD),
#: by kg's names; each is also asked by its other names, file extensions and media types (kg.stores.formats)
SELECT_FORMATS = ("table", "md", *RESULTS_FORMATS)
FORMATS = (*SELECT_FORMATS, *(name for name in GRAPH_FORMATS if name not in SELECT_FORMATS))
_GRAPH_AS = {"table": "turtle", "md": "turtle", "json": "jsonld"}  # a graph asked in a format for rows
#: JSON-LD's IRI in the W3C list of formats (http://www.w3.org/ns/formats/), as service descriptions use it;
#: pyoxigraph names https://www.w3.org/ns/formats/data/JSON-LD
_JSON_LD_IRI = "http://www.w3.org/ns/formats/JSON-LD"


def format_of(kind: str, fmt: str) -> str:
    """The name, in :data:`RESULTS_FORMATS` or :data:`GRAPH_FORMATS` (or table, md), that an answer of
    ``kind`` ("SELECT", "ASK", "CONSTRUCT") is written in when ``fmt`` is asked; NotAcceptable (exit 2,
    HTTP 406) when it cannot be written so: rows or a boolean as an RDF syntax, a graph as CSV or TSV.
    ``fmt`` is kg's name or any other name, file extension or media type of the format
    (:mod:`kg.stores.formats`): ``ttl``, ``text/turtle``, ``application/sparql-results+xml``; which of
    two formats ``xml`` and ``application/xml`` mean (SPARQL XML, RDF/XML) depends on the answer."""
    key = fmt.strip().lower()
    if kind == "CONSTRUCT":
        name = rdf_format(_GRAPH_AS.get(key, key))
        if name is not None:
            return name
        raise NotAcceptable(f"a CONSTRUCT or DESCRIBE answers with a graph, which cannot be written as {fmt}: "
                            f"ask for {', '.join(GRAPH_FORMATS)} (or table, md: Turtle; json: JSON-LD)")
    name = key if key in ("table", "md") else results_format(key)
    if name is not None:
        return name
    raise NotAcceptable(f"{'an ASK answers with a boolean' if kind == 'ASK' else 'a SELECT answers with rows'}, "
                        f"which cannot be written as {fmt}: ask for {', '.join(SELECT_FORMATS)}")


def check_format(fmt: str) -> str:
    """``fmt`` when it names a format some answer is written in (:func:`format_of`), UsageError (exit 2)
    naming the formats otherwise: checked before a query runs, as ``kg query --format`` parses it."""
    for kind in ("SELECT", "CONSTRUCT"):
        try:
            format_of(kind, fmt)
            return fmt
        except NotAcceptable:
            pass
    raise UsageError(f"unknown format '{fmt}': rows and booleans are written as {', '.join(SELECT_FORMATS)}, graphs as "
                     f"{', '.join(GRAPH_FORMATS)}, each also by its file extension or media type (tsv, text/csv, ttl, "
                     "text/turtle, nq, application/ld+json)")


@cache
def media_types(kind: str) -> dict[str, str]:
    """The media types an answer of ``kind`` ("SELECT", "ASK", "CONSTRUCT") is written in, each with its
    format's name, the default first (SPARQL JSON; Turtle), as pyoxigraph names them."""
    import pyoxigraph

    if kind == "CONSTRUCT":
        return {getattr(pyoxigraph.RdfFormat, upper).media_type: name for name, upper in GRAPH_FORMATS.items()}
    return {getattr(pyoxigraph.QueryResultsFormat, upper).media_type.partition(";")[0]: name
            for name, upper in RESULTS_FORMATS.items()}


def format_iri(name: str, kind: str) -> str:
    """The W3C IRI (http://www.w3.org/ns/formats/) of the format ``name`` for an answer of ``kind``."""
    import pyoxigraph

    if kind == "CONSTRUCT":
        return _JSON_LD_IRI if name == "jsonld" else getattr(pyoxigraph.RdfFormat, GRAPH_FORMATS[name]).iri
    return getattr(pyoxigraph.QueryResultsFormat, RESULTS_FORMATS[name]).iri


class Answer:
    """What a query answered: ``type`` ("SELECT", "ASK" or "CONSTRUCT", which DESCRIBE answers too)
    and ``data``, the SPARQL JSON (SELECT, ASK) or sorted N-Triples (CONSTRUCT) bytes."""

    def __init__(self, type: str, data: bytes, capped: bool = False):  # rdflib's name
        self.type = type
        self.data = data
        self.capped = capped  # a cap cut the answer (kg.query.engine.run_sparql's max_rows)
        self._rows = None
        self._graph = None

    def __repr__(self) -> str:
        return f"<Answer {self.type}, {len(self.data)} bytes>"

    # ------------------------------------------------------------------ pyoxigraph views

    def solutions(self):
        """A fresh pyoxigraph iterator over the solutions (SELECT), or the QueryBoolean (ASK)."""
        import pyoxigraph

        return pyoxigraph.parse_query_results(self.data, format=pyoxigraph.QueryResultsFormat.JSON)

    def names(self) -> list[str]:
        """The SELECT's variable names, in the query's order."""
        return [variable.value for variable in self.solutions().variables] if self.type == "SELECT" else []

    def triples(self):
        """A pyoxigraph iterator over the triples (CONSTRUCT)."""
        import pyoxigraph

        return pyoxigraph.parse(self.data, format=pyoxigraph.RdfFormat.N_TRIPLES)

    # ------------------------------------------------------------------ rdflib's Result, for the Python API

    @property
    def vars(self):
        from rdflib import Variable

        return [Variable(name) for name in self.names()]

    def _rows_of(self):
        if self._rows is None:
            from rdflib.query import ResultRow

            from kg.stores.embedded import to_rdflib

            labels = self.vars
            rows = []
            for solution in self.solutions():
                values = {label: to_rdflib(solution[index]) for index, label in enumerate(labels) if solution[index] is not None}
                rows.append((values, ResultRow(values, labels)))
            self._rows = rows
        return self._rows

    def __iter__(self):
        if self.type == "CONSTRUCT":
            return iter(self.graph)
        if self.type == "ASK":
            return iter([self.askAnswer])
        return iter([row for _values, row in self._rows_of()])

    def __len__(self) -> int:
        if self.type == "CONSTRUCT":
            return len(self.graph)
        if self.type == "ASK":
            return 1
        return len(self._rows_of())

    def __bool__(self) -> bool:
        return self.askAnswer if self.type == "ASK" else len(self) > 0

    @property
    def bindings(self) -> list[dict]:
        """The rows as dicts of rdflib Variable -> term (unbound variables left out)."""
        return [dict(values) for values, _row in self._rows_of()]

    @property
    def askAnswer(self) -> bool:  # rdflib's name
        return bool(self.solutions()) if self.type == "ASK" else False

    @property
    def graph(self):
        """A CONSTRUCT's triples as an rdflib Graph (the project's prefixes bound)."""
        if self.type != "CONSTRUCT":
            return None
        if self._graph is None:
            from kg.rdf.namespaces import new_graph

            self._graph = new_graph().parse(data=self.data.decode("utf-8"), format="nt")
        return self._graph

    def serialize(self, format: str = "json", prefixes: dict[str, str] | None = None) -> bytes:  # rdflib's name
        """The answer in a SPARQL 1.1 results format (json, xml, csv, tsv), or a CONSTRUCT's graph in an
        RDF syntax (turtle, nt, nquads, trig, xml, jsonld; rdflib's names ntriples and json-ld too), written
        by pyoxigraph: the graph's triples in sorted order, so the bytes are the same from run to run
        (Turtle, TriG and RDF/XML with ``prefixes``, by default the project's; JSON-LD expanded: no
        context to fetch). NotAcceptable for a format that cannot write this answer (:func:`format_of`)."""
        from typing import cast  # pyoxigraph's serializers return bytes when given no output (typed bytes | None)

        import pyoxigraph

        name = format_of(self.type, format)
        if self.type == "CONSTRUCT":
            if name == "nt":
                return self.data
            from kg.stores.files import turtle_from_ntriples, turtle_prefixes

            if name == "turtle" and prefixes is None:
                return turtle_from_ntriples(self.data)
            if name not in ("turtle", "trig", "xml"):  # the syntaxes with prefixes
                prefixes = None
            elif prefixes is None:
                prefixes = turtle_prefixes()
            rdf_format = getattr(pyoxigraph.RdfFormat, GRAPH_FORMATS[name])
            return cast(bytes, pyoxigraph.serialize(self.triples(), format=rdf_format, prefixes=prefixes))
        if name not in RESULTS_FORMATS:  # table, md: text for reading (format_result)
            raise NotAcceptable(f"{format} is text for reading, not a results format: ask for {', '.join(RESULTS_FORMATS)}")
        if name == "json":
            return self.data
        return cast(bytes, self.solutions().serialize(format=getattr(pyoxigraph.QueryResultsFormat, RESULTS_FORMATS[name])))


@dataclass(frozen=True)
class Formatted:
    """An answer written in one of :data:`FORMATS` as :func:`format_result` writes it (what ``kg query``
    prints), by the process that ran the query: ``type`` as :class:`Answer`'s, ``text``, and whether
    a cap cut it."""

    type: str
    text: str
    capped: bool = False

    @classmethod
    def of(cls, answer: Answer, fmt: str) -> Formatted:
        """An :class:`Answer` written in ``fmt`` by :func:`format_result`."""
        return cls(answer.type, format_result(answer, fmt), answer.capped)


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _term_json(term) -> dict:
    """A pyoxigraph term as a SPARQL 1.1 Query Results JSON term."""
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, pyoxigraph.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, pyoxigraph.Literal):
        value: dict = {"type": "literal", "value": term.value}
        if term.language:
            value["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            value["datatype"] = term.datatype.value
        return value
    return {"type": "triple", "value": {"subject": _term_json(term.subject), "predicate": _term_json(term.predicate),
                                        "object": _term_json(term.object)}}


def capped_solutions(solutions, limit: int) -> tuple[bytes, bool]:
    """(SPARQL JSON of the first ``limit`` solutions, whether there were more), reading at most
    ``limit + 1`` of them from Oxigraph's lazy iterator: the memory is the cap's, not the answer's.
    The JSON is written again by pyoxigraph, so its bytes are those of an answer never capped."""
    import itertools
    import json
    from typing import cast

    import pyoxigraph

    names = [variable.value for variable in solutions.variables]
    bindings = []
    capped = False
    for count, solution in enumerate(itertools.islice(solutions, limit + 1)):
        if count == limit:
            capped = True
            break
        bindings.append({name: _term_json(solution[index]) for index, name in enumerate(names) if solution[index] is not None})
    document = json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}}, ensure_ascii=False).encode("utf-8")
    reparsed = pyoxigraph.parse_query_results(document, format=pyoxigraph.QueryResultsFormat.JSON)
    return cast(bytes, reparsed.serialize(format=pyoxigraph.QueryResultsFormat.JSON)), capped


def capped_triples(triples, limit: int) -> tuple[bytes, bool]:
    """(N-Triples of the first ``limit`` triples, whether there were more), reading at most ``limit + 1``."""
    import itertools
    from typing import cast

    import pyoxigraph

    kept = list(itertools.islice(triples, limit + 1))
    capped = len(kept) > limit
    return cast(bytes, pyoxigraph.serialize(kept[:limit], format=pyoxigraph.RdfFormat.N_TRIPLES)), capped


def plain(term) -> str:
    """A pyoxigraph term as plain text: the IRI, the blank node's id, the literal's lexical form."""
    return "" if term is None else term.value


def rows(answer: Answer) -> tuple[list[str], list[list[str]]]:
    """(column names, rows of plain strings) of a SELECT answer."""
    names, body, _capped = solution_rows(answer.solutions())
    return names, body


def solution_rows(solutions, limit: int = 0) -> tuple[list[str], list[list[str]], bool]:
    """(column names, rows of plain strings, whether there were more) of pyoxigraph's solutions, read
    straight from its iterator (Oxigraph's lazy answer, or a parsed one); with ``limit``, at most
    ``limit + 1`` of them are read."""
    import itertools

    names = [variable.value for variable in solutions.variables]
    width = range(len(names))
    if limit:
        solutions = itertools.islice(solutions, limit + 1)
    body = [[plain(solution[i]) for i in width] for solution in solutions]
    capped = bool(limit) and len(body) > limit
    return names, body[:limit] if capped else body, capped


def format_result(answer: Answer, fmt: str) -> str:
    """Format an answer as ``kg query --format`` prints it: rows in any of :data:`SELECT_FORMATS`; an ASK's
    boolean as true/false (table, md) or in a results format; a CONSTRUCT's or DESCRIBE's graph in any of
    :data:`GRAPH_FORMATS` (table and md print Turtle, json JSON-LD). NotAcceptable for a format that
    cannot write the answer. ``table`` and ``md`` are for a terminal: control characters in the data
    (ESC, C1, bidi overrides) are written as escapes (``\\x1b``), never sent raw (:func:`kg.errors.printable`)."""
    name = format_of(answer.type, fmt)
    if answer.type == "ASK" and name in ("table", "md"):
        return ("true" if answer.askAnswer else "false") + "\n"
    if answer.type == "CONSTRUCT" or name in RESULTS_FORMATS:
        return ended(answer.serialize(format=name))
    names, body = rows(answer)
    return format_rows(names, body, name)


def ended(data: bytes) -> str:
    """An answer written by pyoxigraph as text ending with a line end (an empty graph's stays empty)."""
    text = data.decode("utf-8")
    return text if not text or text.endswith("\n") else text + "\n"


def format_rows(names: list[str], body: list[list[str]], fmt: str) -> str:
    """A SELECT's rows of plain strings as a ``table`` (aligned columns, long cells cut) or ``md``, every
    control character of the data written as an escape (:func:`kg.errors.printable`)."""
    from kg.errors import printable

    # printable() escapes character by character and keeps line feeds: one pass over every cell, line
    # feeds between, tells whether any cell has something to escape (rarely: then each cell is done)
    everything = "\n".join(_cells(names, body))
    if printable(everything) != everything:
        names, body = [printable(n) for n in names], [[printable(c) for c in row] for row in body]
    if fmt == "md":
        def cell(text: str) -> str:
            return text.replace("|", "\\|").replace("\n", " ")

        lines = ["| " + " | ".join(names) + " |", "|" + "|".join("---" for _ in names) + "|"]
        lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in body]
        return "\n".join(lines) + "\n"
    # table: aligned columns, long cells cut to keep a row on one screen; column by column, a column
    # with no cell over 80 characters and no line feed in any cell (one count over all) kept as it is
    one_line = everything.count("\n") == len(names) + sum(map(len, body)) - 1
    columns = []
    for column in zip(*body, strict=True) if body else [() for _ in names]:
        if not one_line or max(map(len, column), default=0) > 80:
            column = tuple(c.replace("\n", " ") if len(c) <= 80 else c[:77].replace("\n", " ") + "..." for c in column)
        columns.append(column)
    widths = [max(len(n), max(map(len, column), default=0)) for n, column in zip(names, columns, strict=True)]
    padded = [[c.ljust(w) for c in column] for column, w in zip(columns, widths, strict=True)]
    lines = ["  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += [line.rstrip() for line in map("  ".join, zip(*padded, strict=True))] if names else ["" for _ in body]
    lines.append(f"({len(body)} row{'s' if len(body) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _cells(names: list[str], body: list[list[str]]):
    """The column names, then every cell, row by row."""
    import itertools

    return itertools.chain(names, itertools.chain.from_iterable(body))
