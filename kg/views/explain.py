"""``kg explain``: find an actor by id or name, and list every fact about it and, for a publisher, its releases.

The actor is found as a query parameter of kind ``actor`` is (:mod:`kg.query.names`: its id, any of
its names in any language and case); the facts are the library query ``actor-facts`` (each fact
once, however many relations and sentences link it to the actor), the releases ``releases``. Every
query runs in Oxigraph, in this process, on the source given (the store ``kg build`` wrote, a graph
file, a pyoxigraph store or an rdflib Graph).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fact:
    """One fact about the actor: the release that states it, its id, how it involves the actor (the
    relations), its label, and the sentences that state it, in the order of the text."""

    release: str
    id: str
    relations: tuple[str, ...]
    label: str
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class Release:
    """A release the actor published: its id, date, headline and the number of facts it states."""

    id: str
    date: str
    headline: str
    facts: int


@dataclass(frozen=True)
class Explanation:
    actor: str  # the IRI
    label: str
    facts: list[Fact]  # each fact once (a fact is a node: its release and its id)
    releases: list[Release]  # the releases it published (empty unless a publisher)


def facts_of(names: list[str], body: list[list[str]]) -> list[Fact]:
    """The rows of ``actor-facts`` (one per relation and sentence) as one Fact per (release, fact id), in
    the rows' order. Relations through another node ("origin of part") are kept only for a fact with
    no direct relation to the actor."""
    at = {name: index for index, name in enumerate(names)}
    grouped: dict[tuple[str, str], tuple[list[str], str, list[str]]] = {}
    for row in body:
        key = (row[at["release"]], row[at["fact"]])
        relations, _label, sentences = grouped.setdefault(key, ([], row[at["label"]], []))
        if row[at["relation"]] not in relations:
            relations.append(row[at["relation"]])
        if row[at["sentence"]] not in sentences:
            sentences.append(row[at["sentence"]])
    facts = []
    for (release, fact), (relations, label, sentences) in grouped.items():
        direct = [relation for relation in relations if " of " not in relation]
        facts.append(Fact(release, fact, tuple(direct or relations), label, tuple(sentences)))
    return facts


def explain(source, name: str, lang: str = "en") -> Explanation:
    """The facts that involve the actor ``name`` (an id or a name), each once with the sentences that
    state it, and the releases it published. ``source``: as :func:`kg.query.engine.run_sparql`'s.
    UsageError when no actor, or several, answer to ``name``."""
    import pyoxigraph

    from kg.query.engine import open_source
    from kg.query.library import run_query
    from kg.query.names import KINDS, resolve
    from kg.query.results import rows

    store = open_source(source)  # once: every query below runs on it, in this process
    named = [(solution[0].value, solution[1]) for solution in store.query(KINDS["actor"].query())]
    found = resolve(name, "actor", [(iri, None if term is None else term.value) for iri, term in named])
    labels = sorted((term.language != lang, term.language is None, term.value) for iri, term in named
                    if iri == found.iri and term is not None)
    actor = pyoxigraph.NamedNode(found.iri)
    facts = facts_of(*rows(run_query(store, "actor-facts", {"actor": actor})))
    names, body = rows(run_query(store, "releases", {"publisher": actor}))
    at = {column: index for index, column in enumerate(names)}
    releases = [Release(row[at["release"]], row[at["date"]], row[at["headline"]], int(row[at["facts"]])) for row in body]
    return Explanation(found.iri, labels[0][2] if labels else found.id, facts, releases)
