"""kg.rdf.memory: the project's in-memory store answers as rdflib's own Memory does."""

from __future__ import annotations

import itertools

import pyshacl
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, XSD

from kg.rdf.memory import DefaultGraphMemory, MemoryGraph
from kg.rdf.namespaces import new_graph

EX = Namespace("http://example.org/")
TRIPLES = [
    (EX.ancona, RDF.type, EX.Province),
    (EX.ancona, EX.name, Literal("Ancona", lang="it")),
    (EX.ancona, EX.within, EX.marche),
    (EX.pesaro, RDF.type, EX.Province),
    (EX.pesaro, EX.within, EX.marche),
    (EX.marche, RDF.type, EX.Region),
    (EX.marche, EX.exports, Literal("14000000000", datatype=XSD.decimal)),
]


def _pair():
    ours = Graph(store=DefaultGraphMemory())
    theirs = Graph()  # rdflib's Memory
    for triple in TRIPLES + TRIPLES[:3]:  # three added twice
        ours.add(triple)
        theirs.add(triple)
    return ours, theirs


def test_a_triple_added_twice_is_counted_once():
    ours, theirs = _pair()
    assert len(ours) == 7 == len(theirs)


def test_every_pattern_gives_rdflibs_answer():
    ours, theirs = _pair()
    terms = [None, EX.ancona, EX.marche, RDF.type, EX.within, EX.Province, URIRef("http://example.org/nothing")]
    for pattern in itertools.product(terms, repeat=3):
        assert sorted(ours.triples(pattern)) == sorted(theirs.triples(pattern)), pattern


def test_the_graphs_own_lookups_give_rdflibs_answers():
    """MemoryGraph reads objects, subjects and membership off the indexes: the answers of rdflib's Graph
    on its own Memory, for every pattern, a property path included."""
    ours, theirs = MemoryGraph(), Graph()
    for triple in TRIPLES + TRIPLES[:3]:
        ours.add(triple)
        theirs.add(triple)
    terms = [None, EX.ancona, EX.marche, RDF.type, EX.within, EX.Province, Literal("Ancona", lang="it"),
             URIRef("http://example.org/nothing")]
    for a, b in itertools.product(terms, repeat=2):
        assert sorted(ours.objects(a, b)) == sorted(theirs.objects(a, b)), (a, b)
        assert sorted(ours.subjects(a, b)) == sorted(theirs.subjects(a, b)), (a, b)
        for c in terms:
            if None not in (a, b, c):
                assert ((a, b, c) in ours) == ((a, b, c) in theirs), (a, b, c)
    assert sorted(ours.objects(EX.ancona, EX.within / RDF.type)) == [EX.Region]
    assert ours.value(EX.marche, EX.exports) == Literal("14000000000", datatype=XSD.decimal)
    assert (EX.ancona, EX.within, EX.marche) in ours and (EX.marche, EX.within, EX.ancona) not in ours


def test_the_graph_refuses_what_rdflib_refuses():
    graph = MemoryGraph()
    with pytest.raises(AssertionError, match="must be an rdflib term"):
        graph.add((EX.ancona, EX.name, "Ancona"))  # a str, not a Literal
    assert len(graph) == 0


def test_removing_a_pattern_removes_its_triples_and_their_count():
    ours, _theirs = _pair()
    ours.remove((None, EX.within, EX.marche))
    assert len(ours) == 5
    assert list(ours.subjects(EX.within, EX.marche)) == []
    assert (EX.ancona, RDF.type, EX.Province) in ours
    ours.remove((EX.marche, None, None))
    assert len(ours) == 3
    assert list(ours.triples((None, None, EX.marche))) == []


def test_the_order_of_addition_is_the_order_read():
    graph = new_graph()
    for triple in TRIPLES:
        graph.add(triple)
    assert [o for o in graph.objects(EX.ancona, None)] == [EX.Province, Literal("Ancona", lang="it"), EX.marche]


def test_pyshacl_gives_the_same_report_as_on_rdflibs_memory():
    shapes = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:ProvinceShape a sh:NodeShape ; sh:targetClass ex:Province ;
            sh:property [ sh:path ex:within ; sh:class ex:Region ; sh:minCount 1 ] ;
            sh:property [ sh:path ex:name ; sh:minCount 1 ] .
    """, format="turtle")
    ours, theirs = _pair()
    found = []
    for graph in (ours, theirs):
        conforms, report, _text = pyshacl.validate(graph, shacl_graph=shapes)
        found.append((conforms, sorted(report.objects(None, URIRef("http://www.w3.org/ns/shacl#focusNode")))))
    assert found[0] == found[1] == (False, [EX.pesaro])  # Pesaro has no name; Ancona has one


def test_a_copy_holds_the_same_triples_and_prefixes_and_changes_apart():
    from kg.rdf.memory import copy_graph

    graph = new_graph()
    for triple in TRIPLES:
        graph.add(triple)
    copy = copy_graph(graph)
    assert sorted(copy) == sorted(graph) and len(copy) == 7
    assert dict(copy.namespaces()) == dict(graph.namespaces())
    copy.add((EX.macerata, RDF.type, EX.Province))
    copy.remove((EX.marche, None, None))  # its type and its exports
    assert len(graph) == 7 and (EX.marche, RDF.type, EX.Region) in graph
    assert (EX.macerata, RDF.type, EX.Province) not in graph
    assert len(copy) == 6 and list(copy.subjects(RDF.type, EX.Province)) == [EX.ancona, EX.pesaro, EX.macerata]


def test_a_graph_let_go_is_freed_without_the_cycle_collector():
    """An rdflib Graph and its namespace manager refer to each other: a graph with prefixes is freed by the
    cycle collector, which walks every dict of its indexes first (a build lets go of each chunk's graph:
    that walk was a tenth of the chunk's time). Let go, the indexes are freed at once and the graph is empty."""
    import gc
    import weakref

    class Index(dict):  # a dict that can be watched by a weak reference
        pass

    freed = []
    for let_go in (False, True):
        graph = MemoryGraph()
        graph.bind("ex", EX)
        for triple in TRIPLES:
            graph.add(triple)
        index = Index(graph.store.spo)
        graph.store.spo = index
        watched = weakref.ref(index)
        del index
        gc.disable()
        try:
            if let_go:
                graph.let_go()
                assert len(graph) == 0 and list(graph) == []
            del graph
            freed.append(watched() is None)
        finally:
            gc.enable()
        gc.collect()
        assert watched() is None
    assert freed == [False, True]  # kept by the cycle until a collection; let go, freed at once
