"""The in-memory store of the project's rdflib graphs: three indexes and one default graph.

rdflib's default store (``Memory``) keeps, beside its three indexes, which named graphs hold each
triple, and fires an event for every triple added. A build never uses named graphs in rdflib (its
graphs are one release, or a chunk of releases, with the ontology), and that bookkeeping was a
quarter of the time of building a release. rdflib's ``SimpleMemory`` keeps the indexes alone, but
it counts its triples by walking them all (pyshacl asks for the length of its data graph often),
compares each term of a pattern with None through rdflib's ``__eq__`` (a third of a lookup), and
says it holds no graphs, which pyshacl refuses: it wraps the data graph in an rdflib ``Dataset``,
and a Dataset needs a store that says it holds graphs.

:class:`DefaultGraphMemory` is SimpleMemory (whose prefix bindings it keeps) with its own indexes:
the triples by subject, predicate and object, in the order they were added (so a graph reads the
same from run to run), a count, and the one default graph. It is an rdflib ``Store``: everything
else (parsing, serialising, pyshacl) goes through rdflib's ``Graph`` as usual.
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib.plugins.stores.memory import SimpleMemory


class DefaultGraphMemory(SimpleMemory):
    """A graph's triples in three indexes (subject, predicate, object first), counted; one default graph."""

    context_aware = True  # what rdflib's Dataset asks for; every triple is in the default graph
    graph_aware = True

    def __init__(self, configuration=None, identifier=None) -> None:
        super().__init__(configuration, identifier)
        self.spo: dict = {}  # subject -> predicate -> object -> None (dicts keep the order of addition)
        self.pos: dict = {}  # predicate -> object -> subject -> None
        self.osp: dict = {}  # object -> subject -> predicate -> None
        self.count = 0

    def add(self, triple, context=None, quoted=False) -> None:
        s, p, o = triple
        objects = self.spo.setdefault(s, {}).setdefault(p, {})
        if o in objects:  # a triple added twice is there once
            return
        objects[o] = None
        self.pos.setdefault(p, {}).setdefault(o, {})[s] = None
        self.osp.setdefault(o, {}).setdefault(s, {})[p] = None
        self.count += 1

    def remove(self, triple_pattern, context=None) -> None:
        for (s, p, o), _contexts in list(self.triples(triple_pattern)):
            for index, a, b, c in ((self.spo, s, p, o), (self.pos, p, o, s), (self.osp, o, s, p)):
                inner = index[a][b]
                del inner[c]
                if not inner:
                    del index[a][b]
                    if not index[a]:
                        del index[a]
            self.count -= 1

    def triples(self, triple_pattern, context=None) -> Iterator:
        s, p, o = triple_pattern
        none = iter(())
        if s is not None:
            by_p = self.spo.get(s)
            if by_p is None:
                return
            if p is not None:
                objects = by_p.get(p)
                if objects is None:
                    return
                if o is not None:
                    if o in objects:
                        yield (s, p, o), none
                    return
                for obj in objects:
                    yield (s, p, obj), none
                return
            for pred, objects in by_p.items():
                if o is not None:
                    if o in objects:
                        yield (s, pred, o), none
                    continue
                for obj in objects:
                    yield (s, pred, obj), none
            return
        if p is not None:
            by_o = self.pos.get(p)
            if by_o is None:
                return
            if o is not None:
                for subj in by_o.get(o, ()):
                    yield (subj, p, o), none
                return
            for obj, subjects in by_o.items():
                for subj in subjects:
                    yield (subj, p, obj), none
            return
        if o is not None:
            for subj, predicates in self.osp.get(o, {}).items():
                for pred in predicates:
                    yield (subj, pred, o), none
            return
        for subj, by_p in self.spo.items():
            for pred, objects in by_p.items():
                for obj in objects:
                    yield (subj, pred, obj), none

    def __len__(self, context=None) -> int:
        return self.count

    def contexts(self, triple=None):
        """No named graph: the triples are all in the default graph."""
        return iter(())

    def add_graph(self, graph) -> None:
        """Nothing to record: there is one graph."""

    def remove_graph(self, graph) -> None:
        """Nothing to remove: there is one graph."""


def copy_graph(graph):
    """A new graph on a :class:`DefaultGraphMemory` holding the triples of ``graph`` (on one too), with its
    prefixes: the indexes copied as they are, not the triples added one by one (ten times faster)."""
    from rdflib import Graph

    source = graph.store
    if not isinstance(source, DefaultGraphMemory):
        raise TypeError("copy_graph copies a graph on a DefaultGraphMemory")
    store = DefaultGraphMemory()
    for name in ("spo", "pos", "osp"):
        setattr(store, name, {a: {b: dict(c) for b, c in inner.items()} for a, inner in getattr(source, name).items()})
    store.count = source.count
    copy = Graph(store=store, bind_namespaces="none")
    for prefix, namespace in graph.namespaces():
        copy.bind(prefix, namespace, override=True, replace=True)
    return copy
