"""The query guard: what a query may not do, decided on the parsed query.

rdflib sends SERVICE requests, reads FROM <file:...> graphs and runs LOAD on
its own (rdflib 7.6's defaults; SECURITY.md, cases 1-3). Before any query runs, ``check_query``
parses it and walks the algebra: updates, SERVICE (by IRI, prefixed name or
variable), FROM and FROM NAMED are refused with one sentence. A string test
would miss ``SERVICE ex:x`` and be fooled by comments.

The guard reads the text with rdflib's parser and Oxigraph runs it with its own, so both must
read the same text the same way (SECURITY.md, case 17). rdflib reads ``\\u00000022`` as one
eight-digit escape (a quote) where SPARQL 1.1 and Oxigraph read ``\\u0000`` and then ``0022``;
rdflib's comments run to a line feed where Oxigraph's also end at a carriage return. So a text is
first put in its :func:`canonical` form, the one text both parsers read and Oxigraph runs: its
codepoint escapes expanded once (SPARQL 1.1, section 19.2) and its line ends written as line
feeds; a text whose expansion writes another escape is refused, so nothing is left for either
parser to expand again. :func:`prepare` refuses a text that is not canonical.

rdflib's grammar (pyparsing) is not safe to use from several threads at once the first times it
runs: its parse actions settle how to call each other on their first calls, and a race leaves them
broken for the life of the process (SECURITY.md, case 18). One lock, made at import, serializes
every parse.
"""

from __future__ import annotations

import functools
import os
import re
import threading
from typing import TYPE_CHECKING

from kg.errors import QuerySyntaxError, RefusedError

if TYPE_CHECKING:
    from rdflib.plugins.sparql.sparql import Query

#: SPARQL 1.1, section 19.2: ``\\uXXXX`` and ``\\UXXXXXXXX``, replaced over the whole query before parsing
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
#: what any parser might still read as an escape: rdflib's ``\\u`` with 4 or 8 digits, either case
_ESCAPE_LEFT = re.compile(r"\\[uU][0-9A-Fa-f]{4}")
#: rdflib's pyparsing grammar, used by one thread at a time (a lock is not state: it is never rebound)
_PARSING = threading.Lock()
# and no fork in the middle of a parse: a child would inherit the lock held, and the grammar half-set
os.register_at_fork(before=_PARSING.acquire, after_in_parent=_PARSING.release, after_in_child=_PARSING.release)


def canonical(text: str, where: str = "the query") -> str:
    """The text the guard parses and Oxigraph runs: ``text`` with its codepoint escapes (``\\uXXXX``,
    ``\\UXXXXXXXX``) replaced by their characters, once, left to right, as SPARQL 1.1 (section 19.2)
    defines, and every carriage return (alone or before a line feed) written as a line feed.

    Refused (RefusedError) when the result still holds a codepoint escape (an escape that wrote
    another: ``\\u005Cu0022``), which a parser could expand again; a QuerySyntaxError when an escape
    names no Unicode character (a surrogate, or above U+10FFFF). A canonical text is its own
    canonical form, so parsing it, or expanding it again, changes nothing."""

    def expand(match: re.Match) -> str:
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise QuerySyntaxError(f"{where} is not valid SPARQL: the codepoint escape {match.group(0)} names no Unicode character")
        return chr(code)

    expanded = _CODEPOINT.sub(expand, text) if "\\" in text else text
    if "\r" in expanded:
        expanded = expanded.replace("\r\n", "\n").replace("\r", "\n")
    left = _ESCAPE_LEFT.search(expanded)
    if left:
        raise RefusedError(f"{where} writes a codepoint escape with escapes ({left.group(0)} is left once they are "
                           "expanded), which parsers read differently: write the character itself")
    return expanded


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
    """Parse and translate ``text``, refusing what the guard forbids; return the prepared query.

    ``text`` must be canonical (:func:`canonical`: what runs is what was read); one that is not is refused."""
    from rdflib.plugins.sparql import algebra, parser

    if canonical(text, where) != text:
        raise RefusedError(f"{where} holds a codepoint escape (\\uXXXX) or a carriage return left unexpanded "
                           "(a parameter's value can hold one): write the character itself")
    with _PARSING:
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


@functools.cache
def _heads():
    """rdflib's grammar for what comes before a query's outer WHERE group (its prologue, the head of its
    form, its dataset clauses, WHERE and the brace), each wrapped to say where it ends; and the head
    of the short form ``CONSTRUCT WHERE``. New elements around rdflib's own: its grammar is not changed."""
    from pyparsing import CaselessKeyword, Literal, Located, OneOrMore, Optional, ZeroOrMore, rest_of_line
    from rdflib.plugins.sparql import parser

    def word(text: str, keyword: bool = True):
        element = CaselessKeyword(text) if keyword else Literal(text)
        element.ignore("#" + rest_of_line)  # rdflib's elements skip comments already (QueryUnit.ignore)
        return element

    form = (parser.SelectClause | word("CONSTRUCT") + parser.ConstructTemplate
            | word("DESCRIBE") + (OneOrMore(parser.VarOrIri) | word("*", False)) | word("ASK"))
    datasets = ZeroOrMore(parser.DatasetClause)
    group = Located(parser.Prologue + form + datasets + Optional(word("WHERE")) + word("{", False))
    short = parser.Prologue + word("CONSTRUCT") + datasets + word("WHERE")
    return group, short


def where_group(text: str, where: str = "the query") -> int:
    """The offset in ``text`` just after the ``{`` that opens its outer WHERE group: where a VALUES block
    of parameters goes. Read by rdflib's SPARQL grammar, the guard's parser, so a brace in a comment, a
    string or an IRI is never taken for it. UsageError when the query has no such group (a DESCRIBE of
    IRIs alone), or is the short form ``CONSTRUCT WHERE { ... }``, whose group is also its template."""
    from pyparsing import ParseBaseException

    from kg.errors import UsageError

    group, short = _heads()
    with _PARSING:
        try:
            return int(group.parse_string(text)["locn_end"])
        except ParseBaseException:
            pass
        try:
            short.parse_string(text)
        except ParseBaseException:
            raise UsageError(f"{where} has no group pattern to bind parameters in") from None
    raise UsageError(f"{where}: parameters cannot be bound in the short form CONSTRUCT WHERE {{ ... }}; "
                     "write CONSTRUCT { ... } WHERE { ... }")


def check_query(text: str, where: str = "the query") -> None:
    """Raise QuerySyntaxError or RefusedError if ``text`` is not a query the tool will run (a text that is
    not :func:`canonical` included: the caller runs ``text`` itself)."""
    prepare(text, where)


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def typed(cls: str) -> str:
    """The entry of :func:`predicates_of` for the ``rdf:type`` triples whose object is the class ``cls``
    (an IRI holds no space, so it cannot be taken for a predicate's)."""
    return f"{RDF_TYPE} {cls}"


def predicates_of(text: str) -> set[str] | None:
    """The predicate IRIs a query's patterns can match, or None when it can match any (a variable
    predicate, a negated property set). Parsed, like :func:`check_query`, never guessed from the text:
    a store holding only the triples with these predicates gives the query the same answers.

    A pattern ``?x a C`` with a constant class adds :func:`typed` ``(C)``, not ``rdf:type``: only the type
    triples of the classes the query names are needed (the checks across releases name one, kgo:Cell, of
    the 67,000 type triples of 1,000 releases). ``rdf:type`` itself stands for every type triple: a
    variable class, or ``rdf:type`` in a property path."""
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

    query = prepare(canonical(text))
    found: set[str] = set()
    for node in _walk(query.algebra):
        if getattr(node, "name", None) not in ("BGP", "TriplesBlock"):  # TriplesBlock: inside EXISTS, left untranslated
            continue
        for triples in node.get("triples") or ():  # a BGP's are (s, p, o); a TriplesBlock's are s p o s p o ...
            for index in range(1, len(triples), 3):
                if triples[index] == URIRef(RDF_TYPE) and isinstance(triples[index + 1], URIRef):
                    found.add(typed(str(triples[index + 1])))
                elif not collect(triples[index], found):
                    return None
    return found


#: what SPARQL 1.1 (section 17) defines as giving an xsd:boolean: comparisons (IN included), the logical
#: operators and the tests
_BOOLEAN = frozenset({"RelationalExpression", "ConditionalAndExpression", "ConditionalOrExpression", "UnaryNot",
                      "Builtin_BOUND", "Builtin_CONTAINS", "Builtin_EXISTS", "Builtin_NOTEXISTS", "Builtin_LANGMATCHES",
                      "Builtin_REGEX", "Builtin_STRENDS", "Builtin_STRSTARTS", "Builtin_isBLANK", "Builtin_isIRI",
                      "Builtin_isLITERAL", "Builtin_isNUMERIC", "Builtin_isURI", "Builtin_sameTerm"})


def boolean_columns(query: Query) -> frozenset[str]:
    """The projected variables of a prepared query that it binds to an xsd:boolean only, by SPARQL's own
    definitions, read off the algebra: a comparison, a logical operator or a test (BOUND, REGEX, isIRI,
    EXISTS...), the literal true or false, an IF or COALESCE of such, or a variable that is one (through
    a BIND or a projection, or as the SAMPLE, MIN or MAX of a group). Where a store writes such a value
    in another form (Virtuoso: 1 and 0 as xsd:integer), the boolean it stands for is known."""
    from rdflib import Literal, Variable
    from rdflib.namespace import XSD

    bound: dict[str, list] = {}  # variable -> the expressions that bind it
    for node in _walk(query.algebra):
        name = getattr(node, "name", None)
        if name == "Extend":
            bound.setdefault(str(node["var"]), []).append(node["expr"])
        elif name in ("Aggregate_Sample", "Aggregate_Min", "Aggregate_Max"):
            bound.setdefault(str(node["res"]), []).append(node["vars"])
    booleans = set(bound)  # all, less each found to be bound to something else, until none is

    def boolean(expr) -> bool:
        if isinstance(expr, Literal):
            return expr.datatype == XSD.boolean
        if isinstance(expr, Variable):
            return str(expr) in booleans
        name = getattr(expr, "name", None)
        if name == "Builtin_IF":
            return boolean(expr["arg2"]) and boolean(expr["arg3"])
        if name == "Builtin_COALESCE":
            return all(boolean(arg) for arg in expr["arg"])
        return name in _BOOLEAN

    while True:  # (a variable bound to another, or to an aggregate of itself in a group, waits for it)
        other = {var for var in booleans if not all(boolean(expr) for expr in bound[var])}
        if not other:
            break
        booleans -= other
    return frozenset(str(var) for var in query.algebra.get("PV") or () if str(var) in booleans)


def bind_values(text: str, bindings: dict, where: str = "the query") -> str:
    """Put ``bindings`` into the query as a VALUES block at the start of its outer WHERE group, found
    by rdflib's SPARQL grammar (:func:`kg.check.guard.where_group`).

    The values are RDF terms written in their own syntax (``term.n3()``), like
    rdflib's ``initBindings``; the result is parsed again by the guard. (A VALUES
    block at the end would be joined after the library's ``FILTER (!BOUND(?x) ...)``.)
    UsageError when the query has no group to bind in.
    """
    if not bindings:
        return text
    at = where_group(text, where)
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(term.n3() for term in bindings.values())
    return text[:at] + f" VALUES ({names}) {{ ({values}) }} " + text[at:]
