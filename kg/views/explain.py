"""``kg explain``: find an actor by label or id, and list the facts about it."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from kg.errors import UsageError
from kg.rdf.namespaces import KGR

ACTOR_KINDS = ("org/", "person/", "place/")


@dataclass(frozen=True)
class Explanation:
    actor: URIRef
    label: str
    facts: list[tuple[str, str, str, str]]  # (fact id, relation, fact label, sentence)


def actors(graph: Graph) -> dict[URIRef, list[str]]:
    """Every actor (organisation, person, place) with the names it answers to: labels and id."""
    found: dict[URIRef, list[str]] = {}
    for subject in set(graph.subjects(RDF.type, None)):
        if not isinstance(subject, URIRef) or not str(subject).startswith(str(KGR)):
            continue
        local = str(subject)[len(str(KGR)) :]
        kind = next((k for k in ACTOR_KINDS if local.startswith(k)), None)
        if kind is None or "/" in local[len(kind) :]:
            continue
        names = {local[len(kind) :]}
        names.update(str(label) for label in graph.objects(subject, RDFS.label))
        found[subject] = sorted(names)
    return found


def resolve_actor(graph: Graph, name: str) -> URIRef:
    """The actor whose id or label is ``name`` (case-insensitive); UsageError with close matches."""
    wanted = name.strip().casefold()
    table = actors(graph)
    matches = sorted({iri for iri, names in table.items() if wanted in (n.casefold() for n in names)})
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise UsageError(f"'{name}' names several actors ({', '.join(str(m) for m in matches)}); use an id")
    every = sorted({n for names in table.values() for n in names})
    close = difflib.get_close_matches(name, every, n=3, cutoff=0.5)
    close += [n for n in every if wanted in n.casefold() and n not in close][: 3 - len(close)]
    hint = f"; close matches: {', '.join(close)}" if close else ""
    raise UsageError(f"no actor named '{name}'{hint}")


def explain(graph: Graph, name: str, lang: str = "en") -> Explanation:
    """The facts that involve the actor ``name``, each with the sentence that states it."""
    from kg.query.library import run_query

    actor = resolve_actor(graph, name)
    labels = sorted(graph.objects(actor, RDFS.label), key=lambda label: (getattr(label, "language", None) != lang, str(label)))
    result = run_query(graph, "actor-facts", {"actor": actor})
    facts = [(str(r.fact), str(r.relation), str(r.label), str(r.sentence)) for r in result]
    return Explanation(actor, str(labels[0]) if labels else str(actor), facts)
