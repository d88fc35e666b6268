"""The query guard: what a query may not do, decided on the parsed query.

rdflib sends SERVICE requests, reads FROM <file:...> graphs and runs LOAD on
its own (rdflib 7.6's defaults; SECURITY.md, cases 1-3). Before any query runs, ``check_query``
parses it and walks the algebra: updates, SERVICE (by IRI, prefixed name or
variable), FROM and FROM NAMED are refused with one sentence. A string test
would miss ``SERVICE ex:x`` and be fooled by comments.
"""

from __future__ import annotations

from rdflib.plugins.sparql import algebra, parser
from rdflib.plugins.sparql.sparql import Query

from kg.errors import QuerySyntaxError, RefusedError


def _walk(node):
    """Every algebra node below ``node`` (CompValue trees, lists)."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):  # CompValue is an OrderedDict
            yield item
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)


def _selects_star(parsed) -> bool:
    """SELECT * (rdflib leaves the projection as a bare string marker instead of a list of variables)."""
    body = parsed[1]
    return getattr(body, "name", None) == "SelectQuery" and isinstance(body.get("projection"), str)


def prepare(text: str, where: str = "the query") -> Query:
    """Parse and translate ``text``, refusing what the guard forbids; return the prepared query."""
    try:
        parsed = parser.parseQuery(text)
    except Exception as query_error:  # pyparsing's ParseException and friends
        try:
            parser.parseUpdate(text)
        except Exception:
            detail = str(query_error).splitlines()[0] if str(query_error) else type(query_error).__name__
            raise QuerySyntaxError(f"{where} is not valid SPARQL: {detail}") from None
        raise RefusedError(f"{where} is an update (INSERT, DELETE, LOAD, CLEAR, ...): only read-only queries are allowed") from None
    try:
        query = algebra.translateQuery(parsed)
    except Exception as exc:
        raise QuerySyntaxError(f"{where} cannot be evaluated: {exc}") from None
    if _selects_star(parsed):
        # SELECT *: rdflib collects the variables in a set, so their order would change
        # with PYTHONHASHSEED; sort them so every output is stable
        ordered = sorted(query.algebra["PV"], key=str)
        query.algebra["PV"] = ordered
        if getattr(query.algebra.get("p"), "name", None) == "Project":
            query.algebra.p["PV"] = ordered
    if query.algebra.get("datasetClause"):
        raise RefusedError(f"{where} uses FROM or FROM NAMED: queries run on the given graph only")
    for node in _walk(query.algebra):
        if getattr(node, "name", None) == "ServiceGraphPattern":
            raise RefusedError(f"{where} uses SERVICE: queries never reach other endpoints")
    return query


def check_query(text: str, where: str = "the query") -> None:
    """Raise QuerySyntaxError or RefusedError if ``text`` is not a query the tool will run."""
    prepare(text, where)


def predicates_of(text: str) -> set[str] | None:
    """The predicate IRIs a query's patterns can match, or None when it can match any (a variable
    predicate, a negated property set). Parsed, like :func:`check_query`, never guessed from the text:
    a store holding only the triples with these predicates gives the query the same answers."""
    from rdflib import URIRef
    from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath

    def collect(path, into: set) -> bool:
        if isinstance(path, URIRef):
            into.add(str(path))
            return True
        if isinstance(path, (SequencePath, AlternativePath)):
            return all(collect(step, into) for step in path.args)
        if isinstance(path, MulPath):
            return collect(path.path, into)
        if isinstance(path, InvPath):
            return collect(path.arg, into)
        return False  # a variable, or a NegatedPath (any predicate but some)

    query = prepare(text)
    found: set[str] = set()
    for node in _walk(query.algebra):
        if getattr(node, "name", None) not in ("BGP", "TriplesBlock"):  # TriplesBlock: inside EXISTS, left untranslated
            continue
        for triples in node.get("triples") or ():  # a BGP's are (s, p, o); a TriplesBlock's are s p o s p o ...
            for index in range(1, len(triples), 3):
                if not collect(triples[index], found):
                    return None
    return found
