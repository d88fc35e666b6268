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

from rdflib import BNode, Graph, Literal, URIRef
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

    def let_go(self) -> None:
        """Empty the indexes at once. An rdflib Graph and its namespace manager refer to each other, so a
        graph is freed only by Python's cycle collector, which first walks every dict of the indexes:
        emptied, they are freed as soon as they are let go (on a chunk of 60 releases, that walk took
        0.1 to 0.2 s, a tenth of building the chunk)."""
        self.spo, self.pos, self.osp = {}, {}, {}
        self.count = 0

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


_NONE: Iterator = iter(())
_TERMS = (URIRef, BNode, Literal)  # the terms of a triple, by exact type (an ABC's isinstance is slow)


class MemoryGraph(Graph):
    """rdflib's ``Graph`` over a :class:`DefaultGraphMemory`, answering the lookups pyshacl and the builder
    make most from the indexes directly.

    rdflib answers ``graph.objects(s, p)`` through three generators (``objects``, ``triples``, the store's),
    each step a Python call, and checks every term it adds three times: on a chunk of releases that
    plumbing was a third of the per-class shapes' time. Here a subject's objects by predicate, a
    predicate's subjects by object, and whether a triple is in the graph are read off the indexes (a
    snapshot: the graph may change while the answer is read); any other pattern (a property path, a
    wildcard) goes to rdflib as usual, and so does every other method.
    """

    def __init__(self, store: DefaultGraphMemory | None = None, **kwargs) -> None:
        super().__init__(store=DefaultGraphMemory() if store is None else store, **kwargs)
        if not isinstance(self.store, DefaultGraphMemory):
            raise TypeError("a MemoryGraph keeps its triples in a DefaultGraphMemory")
        self._memory: DefaultGraphMemory = self.store

    def let_go(self) -> None:
        """Empty the graph at once, for good (:meth:`DefaultGraphMemory.let_go`)."""
        self._memory.let_go()

    def add(self, triple):
        s, p, o = triple
        if type(s) in _TERMS and type(p) is URIRef and type(o) in _TERMS:
            self._memory.add(triple)
            return self
        return super().add(triple)  # anything else as rdflib takes it (or says what is wrong)

    # a pattern is answered here when its terms are of the term types exactly (None, a property path or a
    # list of subjects go to rdflib); comparing types is a tenth of an isinstance on rdflib's abstract classes
    def objects(self, subject=None, predicate=None, unique=False):
        if type(predicate) is not URIRef or type(subject) not in _TERMS:
            return super().objects(subject, predicate, unique)
        by_predicate = self._memory.spo.get(subject)
        objects = by_predicate.get(predicate) if by_predicate is not None else None
        return iter(tuple(objects)) if objects else _NONE

    def subjects(self, predicate=None, object=None, unique=False):  # rdflib's names
        if type(predicate) is not URIRef or type(object) not in _TERMS:
            return super().subjects(predicate, object, unique)
        by_object = self._memory.pos.get(predicate)
        subjects = by_object.get(object) if by_object is not None else None
        return iter(tuple(subjects)) if subjects else _NONE

    def __contains__(self, triple) -> bool:
        if type(triple) is tuple and len(triple) == 3:
            s, p, o = triple
            if type(p) is URIRef and type(s) in _TERMS and type(o) in _TERMS:
                by_predicate = self._memory.spo.get(s)
                objects = by_predicate.get(p) if by_predicate is not None else None
                return objects is not None and o in objects
        return super().__contains__(triple)


def copy_graph(graph):
    """A new graph on a :class:`DefaultGraphMemory` holding the triples of ``graph`` (on one too), with its
    prefixes: the indexes copied as they are, not the triples added one by one (ten times faster)."""
    source = graph.store
    if not isinstance(source, DefaultGraphMemory):
        raise TypeError("copy_graph copies a graph on a DefaultGraphMemory")
    store = DefaultGraphMemory()
    for name in ("spo", "pos", "osp"):
        setattr(store, name, {a: {b: dict(c) for b, c in inner.items()} for a, inner in getattr(source, name).items()})
    store.count = source.count
    copy = MemoryGraph(store=store, bind_namespaces="none")
    for prefix, namespace in graph.namespaces():
        copy.bind(prefix, namespace, override=True, replace=True)
    return copy
