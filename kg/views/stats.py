"""``kg stats``: how many resources of each class, and uses of each property."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rdflib import Graph
from rdflib.namespace import RDF

from kg.rdf.namespaces import KGO


@dataclass
class Stats:
    triples: int
    classes: list[tuple[str, int]]
    properties: list[tuple[str, int]]
    facts: int


def _name(graph: Graph, term) -> str:
    try:
        return graph.namespace_manager.normalizeUri(term)
    except Exception:
        return str(term)


def stats(graph: Graph) -> Stats:
    """Counts by class (rdf:type objects) and by property, most used first, ties by name."""
    classes = Counter(_name(graph, o) for o in graph.objects(None, RDF.type))
    properties = Counter(_name(graph, p) for p in graph.predicates(None, None, unique=False))
    order = lambda item: (-item[1], item[0])  # noqa: E731
    return Stats(
        triples=len(graph),
        classes=sorted(classes.items(), key=order),
        properties=sorted(properties.items(), key=order),
        facts=len(set(graph.subjects(RDF.type, KGO.Fact))),
    )
