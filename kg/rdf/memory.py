"""The in-memory store of the project's rdflib graphs: rdflib's SimpleMemory, seen as one default graph.

rdflib's default store (``Memory``) keeps, beside its three indexes, which named graphs hold each
triple, and fires an event for every triple added. A build never uses named graphs in rdflib (its
graphs are one release, or a chunk of releases, with the ontology), and that bookkeeping was a
quarter of the time of building a release. ``SimpleMemory`` keeps the three indexes alone, but it
counts its triples by walking them all (pyshacl asks for the length of its data graph often) and
says it holds no graphs, which pyshacl refuses: it wraps the data graph in an rdflib ``Dataset``,
and a Dataset needs a store that says it holds graphs. :class:`DefaultGraphMemory` adds a count
and says so; it has only the default graph, and names no other.
"""

from __future__ import annotations

from rdflib.plugins.stores.memory import SimpleMemory


class DefaultGraphMemory(SimpleMemory):
    """SimpleMemory with a count of its triples, usable as the store of an rdflib Dataset's default graph."""

    context_aware = True  # what rdflib's Dataset asks for; every triple is in the default graph
    graph_aware = True

    def __init__(self, configuration=None, identifier=None) -> None:
        super().__init__(configuration, identifier)
        self.count = 0

    def add(self, triple, context=None, quoted=False) -> None:
        if next(self.triples(triple), None) is None:  # a triple added twice is there once
            self.count += 1
            super().add(triple, context, quoted)

    def remove(self, triple_pattern, context=None) -> None:
        self.count -= sum(1 for _ in self.triples(triple_pattern))
        super().remove(triple_pattern, context)

    def __len__(self, context=None) -> int:
        return self.count

    def contexts(self, triple=None):
        """No named graph: the triples are all in the default graph."""
        return iter(())

    def add_graph(self, graph) -> None:
        """Nothing to record: there is one graph."""

    def remove_graph(self, graph) -> None:
        """Nothing to remove: there is one graph."""
