"""The graph under a reasoner: what an RDFS or OWL 2 RL store infers must not change what kg says.

A store with reasoning (GraphDB's RDFS and OWL-RL rule sets, Jena's, Stardog's) answers queries on
the graph plus everything it entails. ``owlrl`` (the OWL 2 RL reference implementation on rdflib)
makes that closure here, for the seed and for tests/measures (every kind of figure), and the library
must answer on it with the same rows, and the closure must conform to the shapes with the same
findings: no identifier merges a place with another site's item (``owl:sameAs`` would copy every
statement about Marche onto Wikidata's Q1279, and give each cell two origins), no query counts a row
per inferred class, no shape counts a value a sub-property adds.
"""

from __future__ import annotations

from collections import Counter

import owlrl
import pytest
from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef

from conftest import DATA, MEASURES, required_bindings
from kg.check.shacl import validate_graph
from kg.query.library import find_query, library, run_query
from kg.rdf.namespaces import KGR, SCHEMA

WIKIDATA_MARCHE = URIRef("http://www.wikidata.org/entity/Q1279")
MARCHE = KGR["place/marche"]


class RDFSRules(owlrl.RDFS_Semantics):
    """RDFS entailment, rules rdfs2 to rdfs12, as ``owlrl.RDFS_Semantics`` applies them, without the one step
    it adds before them: copying every statement onto each literal Python finds equal (``0``, ``0.0`` and
    ``False``; a text and the same text tagged Italian), which turns a sentence's index 0 into ``false``.
    No RDFS store does that, and it is no inference about the graph's terms."""

    def one_time_rules(self):
        pass


def closure(graph: Graph, semantics) -> Graph:
    """The graph with what ``semantics`` entails, as a store holds it: ``owlrl`` works on generalised RDF
    (a literal as a subject), which no store keeps, so those triples are left out."""
    closed = Graph()
    for triple in graph:
        closed.add(triple)
    owlrl.DeductiveClosure(semantics, axiomatic_triples=False, datatype_axioms=False).expand(closed)
    for triple in [t for t in closed if isinstance(t[0], Literal) or isinstance(t[1], (Literal, BNode))]:
        closed.remove(triple)
    return closed


@pytest.fixture(scope="module", params=[("seed", DATA), ("measures", MEASURES)], ids=["seed", "measures"])
def built(request):
    from kg.pipeline.corpus import build_graph

    return build_graph(request.param[1])


@pytest.fixture(scope="module", params=["rdfs", "owl-rl"])
def entailed(request, built):
    semantics = RDFSRules if request.param == "rdfs" else owlrl.OWLRL_Semantics
    return built, closure(built, semantics)


def rows(graph: Graph, name: str) -> Counter:
    """The query's rows as a multiset: a row counted twice is a row too many."""
    return Counter(tuple(None if term is None else term for term in row) for row in run_query(graph, name, required_bindings(find_query(name))))


def test_the_reasoner_infers_something(entailed):
    plain, closed = entailed
    assert len(closed) > len(plain) * 1.2
    if (MARCHE, RDF.type, URIRef("https://example.org/kg/ontology#Region")) in plain:
        # Marche is a region, so (kg.ttl) an administrative area and a place
        assert (MARCHE, RDF.type, SCHEMA.Place) in closed and (MARCHE, RDF.type, SCHEMA.Place) not in plain


def test_every_library_query_answers_the_same_rows_on_the_closure(entailed):
    plain, closed = entailed
    for entry in library():
        assert rows(closed, entry.name) == rows(plain, entry.name), entry.name


def test_the_closure_conforms_with_the_same_findings(entailed):
    plain, closed = entailed
    before, after = validate_graph(plain), validate_graph(closed)
    assert after.conforms, after.text()
    assert sorted((f.node, f.rule, f.message) for f in after.findings) == sorted((f.node, f.rule, f.message) for f in before.findings)


def test_wikidata_names_the_place_without_becoming_it(graph):
    # Marche is Wikidata's Q1279 (kg/resources/gazetteer/identifiers.tsv): linked, not merged
    assert (MARCHE, SCHEMA.sameAs, WIKIDATA_MARCHE) in graph
    assert not list(graph.triples((None, OWL.sameAs, None)))
    closed = closure(graph, owlrl.OWLRL_Semantics)
    assert not list(closed.triples((WIKIDATA_MARCHE, RDFS.label, None)))
    assert not list(closed.triples((None, URIRef("https://example.org/kg/ontology#origin"), WIKIDATA_MARCHE)))


def test_the_seed_total_stays_one_row_under_owl_rl(graph):
    # "l'export marchigiano ha superato i 14 miliardi di euro" in 2024: one row, as the release states it once
    closed = closure(graph, owlrl.OWLRL_Semantics)
    totals = [row for row in run_query(closed, "exports-by-period")
              if str(row.origin) == "Marche" and str(row.destination) == "all destinations" and str(row.period) == "2024"]
    assert len(totals) == 1
    assert totals[0].amount.toPython() == 14_000_000_000 and str(totals[0].hedge) == "more than"
