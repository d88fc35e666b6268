"""Names as query parameters: ``--param originName=marche`` or ``=Regno Unito`` finds the place.

A library query says in its header what kind of thing a parameter names (``# param ?originName
(place): ...``). A value given as text is then looked up among the things of that kind in the graph
being queried, in Oxigraph, before the query runs: their ids (the last part of the IRI,
``united-kingdom``, or the path after ``/kg/id/``, ``place/united-kingdom``) and every name they have
in any language (``rdfs:label``, ``skos:prefLabel``, ``skos:altLabel``, ``schema:name``,
``foaf:name``), compared through :func:`kg.model.gazetteer.normalise` (case, accents, apostrophes and
hyphens do not matter). The parameter is bound to the IRI found. A value that names nothing, or
several things, is a :class:`kg.errors.UsageError` naming the parameter and the value (with the
closest names, or the things it names). A value given as ``<iri>`` is bound as it is.

The lookup is one fixed query per kind (:data:`KINDS`), the value never in its text: the names
are matched here, in Python.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from kg.errors import UsageError

_PREFIXES = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <http://schema.org/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX kgo: <https://example.org/kg/ontology#>
PREFIX time: <http://www.w3.org/2006/time#>
"""
_NAMES = "rdfs:label|skos:prefLabel|skos:altLabel|schema:name|foaf:name"
ID_ROOT = "https://example.org/kg/id/"


@dataclass(frozen=True)
class Kind:
    """A kind of thing a parameter can name: ``noun`` for messages, ``classes`` whose instances
    (and their subclasses' instances) are the candidates."""

    noun: str
    plural: str
    classes: tuple[str, ...]

    def query(self) -> str:
        """The fixed query that lists every (thing, name) of this kind in a graph."""
        roots = " ".join(self.classes)
        return (f"{_PREFIXES}SELECT DISTINCT ?x ?name WHERE {{ VALUES ?root {{ {roots} }} ?class rdfs:subClassOf* ?root . "
                f"?x a ?class . OPTIONAL {{ ?x {_NAMES} ?name }} }}")


KINDS = {
    "place": Kind("place", "places", ("schema:Place",)),
    "sector": Kind("sector", "sectors", ("kgo:Sector",)),
    "organisation": Kind("organisation", "organisations", ("org:Organization",)),
    "person": Kind("person", "people", ("foaf:Person", "schema:Person")),
    "role": Kind("role", "roles", ("org:Role",)),
    "actor": Kind("actor", "actors", ("org:Organization", "foaf:Person", "schema:Person", "schema:Place")),
    "assessment": Kind("assessment", "assessments", ("kgo:Assessment",)),
    "period": Kind("period", "periods", ("time:ProperInterval",)),
}
"""What a parameter's header may say it names: ``# param ?name (KIND): ...``."""


def ids(iri: str) -> tuple[str, ...]:
    """The ids a thing answers to: the IRI's last part, and its path after ``/kg/id/``."""
    last = iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    path = iri[len(ID_ROOT):] if iri.startswith(ID_ROOT) else last
    return (last, path) if path != last else (last,)


@dataclass(frozen=True)
class Found:
    """A thing a name was resolved to: its IRI and the names it answers to."""

    iri: str
    names: tuple[str, ...]

    @property
    def id(self) -> str:
        return ids(self.iri)[-1]

    @property
    def label(self) -> str:
        return self.names[0] if self.names else self.id


def candidates(rows: Iterable[tuple[str, str | None]]) -> dict[str, list[str]]:
    """(IRI, name or None) rows of a kind's query -> IRI: its names, sorted (ids included, and a period's
    notation: ``2025-01/2025-09``, ``2025-Q3``, ``2024``)."""
    table: dict[str, set[str]] = {}
    for iri, name in rows:
        if iri not in table:
            table[iri] = set(ids(iri))
            notation = _notation(iri)
            if notation:
                table[iri].add(notation)
        if name:
            table[iri].add(name)
    return {iri: sorted(names) for iri, names in sorted(table.items())}


def _notation(iri: str) -> str | None:
    """The notation of the period whose IRI is ``iri`` (``.../interval/2025-01-01/P9M``: ``2025-01/2025-09``)."""
    prefix = ID_ROOT + "interval/"
    if not iri.startswith(prefix):
        return None
    import re
    from datetime import date

    from kg.model.periods import Period, PeriodError

    match = re.fullmatch(r"(\d{4}-\d{2}-\d{2})/P(?:(1)Y|(\d+)M)", iri[len(prefix):])
    if match is None:
        return None
    try:
        return Period(date.fromisoformat(match.group(1)), 12 if match.group(2) else int(match.group(3))).notation
    except (PeriodError, ValueError):
        return None


def resolve(value: str, kind: str, rows: Iterable[tuple[str, str | None]], what: str = "") -> Found:
    """The thing of ``kind`` that ``value`` names among ``rows`` (a kind's query's answer).

    ``what`` says where the value comes from (``parameter 'originName'``) at the head of the error
    sentence: UsageError when no thing, or more than one, answers to the name."""
    import difflib

    from kg.model.gazetteer import normalise

    noun = KINDS[kind]
    table = candidates(rows)
    head = f"{what}: " if what else ""
    wanted = value.strip()
    exact = [iri for iri in table if wanted in ids(iri) or wanted == _notation(iri)]  # an id as written wins
    if len(exact) == 1:
        return _found(exact[0], table[exact[0]])
    key = normalise(wanted)
    matches = [iri for iri, names in table.items() if any(normalise(name) == key for name in names)] if key else []
    if len(matches) == 1:
        return _found(matches[0], table[matches[0]])
    if matches:
        listed = "; ".join(f"{ids(iri)[-1]} ({_found(iri, table[iri]).label})" for iri in matches)
        raise UsageError(f"{head}'{value}' names several {noun.plural} in the graph: {listed}; give one of these ids")
    by_key: dict[str, str] = {}
    for iri, names in table.items():
        for name in names:
            if name not in ids(iri)[1:]:  # not the path form of an id: the same thing twice
                by_key.setdefault(normalise(name), name)
    close = difflib.get_close_matches(key, list(by_key), n=3, cutoff=0.6)
    close += [k for k in sorted(by_key) if key and key in k and k not in close][: 3 - len(close)]
    hint = f"; did you mean {' or '.join(repr(by_key[k]) for k in close)}?" if close else ""
    raise UsageError(f"{head}no {noun.noun} named '{value}' in the graph{hint}")


def _found(iri: str, names: list[str]) -> Found:
    """A Found whose label is its first name that is not an id (English first, as the rows come)."""
    plain = [name for name in names if name not in ids(iri)]
    return Found(iri, tuple(plain + [name for name in names if name in ids(iri)]))


def kind_rows(run: Callable[[str], Iterable[tuple[str, str | None]]], kind: str) -> list[tuple[str, str | None]]:
    """The (IRI, name) rows of ``kind`` that ``run`` (a query text -> rows) answers."""
    return list(run(KINDS[kind].query()))


def resolve_bindings(bindings: dict, kinds: dict[str, str], run: Callable[[str], Iterable[tuple[str, str | None]]],
                     where: str = "") -> dict:
    """``bindings`` with each parameter that names a thing (``kinds``: parameter -> kind) and is given
    as a literal bound to the IRI of the thing it names, found by ``run`` (a query text -> rows of
    (IRI, name)) in the graph being queried. An IRI is kept as it is."""
    import pyoxigraph

    from kg.stores.embedded import to_ox

    resolved = dict(bindings)
    rows_of: dict[str, list] = {}
    for name, term in bindings.items():
        kind = kinds.get(name)
        if kind is None:
            continue
        term = to_ox(term)
        if not isinstance(term, pyoxigraph.Literal):
            continue
        if kind not in rows_of:
            rows_of[kind] = kind_rows(run, kind)
        what = f"{where}, parameter '{name}'" if where else f"parameter '{name}'"
        resolved[name] = pyoxigraph.NamedNode(resolve(term.value, kind, rows_of[kind], what).iri)
    return resolved


def store_rows(store) -> Callable[[str], list[tuple[str, str | None]]]:
    """A ``run`` for :func:`resolve_bindings` on a pyoxigraph store (the lookups are fixed texts)."""
    def run(text: str) -> list[tuple[str, str | None]]:
        return [(solution[0].value, None if solution[1] is None else solution[1].value) for solution in store.query(text)]

    return run
