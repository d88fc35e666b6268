"""The figures as an RDF Data Cube: the W3C recommendation's integrity constraints hold, and the graph is normalised.

The Data Cube recommendation (section 11, "Well-formed cubes") states 21 integrity constraints as
SPARQL ASK queries, each true when the constraint is broken, on a graph the recommendation's
normalisation algorithm (section 10) has been run on. kg states the normalised form itself: each
component specification names its qb:componentProperty, each component property has its type, and
each figure carries its dimensions. The queries below are the recommendation's, as it writes them
(IC-20 and IC-21 are templates, instantiated for each hierarchical code list: kg declares none).
"""

from __future__ import annotations

import pyoxigraph
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from conftest import DATA, MEASURES, ROOT
from kg.rdf.namespaces import KGO, KGR, QB
from kg.stores.embedded import store_of

PREFIXES = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""

CONSTRAINTS = {
    "IC-1 unique data set": """ASK {
  { ?obs a qb:Observation . FILTER NOT EXISTS { ?obs qb:dataSet ?dataset1 . } }
  UNION { ?obs a qb:Observation ; qb:dataSet ?dataset1, ?dataset2 . FILTER (?dataset1 != ?dataset2) }
}""",
    "IC-2 unique DSD": """ASK {
  { ?dataset a qb:DataSet . FILTER NOT EXISTS { ?dataset qb:structure ?dsd . } }
  UNION { ?dataset a qb:DataSet ; qb:structure ?dsd1, ?dsd2 . FILTER (?dsd1 != ?dsd2) }
}""",
    "IC-3 DSD includes measure": """ASK {
  ?dsd a qb:DataStructureDefinition .
  FILTER NOT EXISTS { ?dsd qb:component [qb:componentProperty [a qb:MeasureProperty]] }
}""",
    "IC-4 dimensions have range": """ASK {
  ?dim a qb:DimensionProperty .
  FILTER NOT EXISTS { ?dim rdfs:range [] }
}""",
    "IC-5 concept dimensions have code lists": """ASK {
  ?dim a qb:DimensionProperty ; rdfs:range skos:Concept .
  FILTER NOT EXISTS { ?dim qb:codeList [] }
}""",
    "IC-6 only attributes may be optional": """ASK {
  ?dsd qb:component ?componentSpec .
  ?componentSpec qb:componentRequired "false"^^xsd:boolean ; qb:componentProperty ?component .
  FILTER NOT EXISTS { ?component a qb:AttributeProperty }
}""",
    "IC-7 slice keys must be declared": """ASK {
  ?sliceKey a qb:SliceKey .
  FILTER NOT EXISTS { [a qb:DataStructureDefinition] qb:sliceKey ?sliceKey }
}""",
    "IC-8 slice keys consistent with DSD": """ASK {
  ?slicekey a qb:SliceKey ; qb:componentProperty ?prop .
  ?dsd qb:sliceKey ?slicekey .
  FILTER NOT EXISTS { ?dsd qb:component [qb:componentProperty ?prop] }
}""",
    "IC-9 unique slice structure": """ASK {
  { ?slice a qb:Slice . FILTER NOT EXISTS { ?slice qb:sliceStructure ?key } }
  UNION { ?slice a qb:Slice ; qb:sliceStructure ?key1, ?key2 . FILTER (?key1 != ?key2) }
}""",
    "IC-10 slice dimensions complete": """ASK {
  ?slice qb:sliceStructure [qb:componentProperty ?dim] .
  FILTER NOT EXISTS { ?slice ?dim [] }
}""",
    "IC-11 all dimensions required": """ASK {
  ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
  ?dim a qb:DimensionProperty .
  FILTER NOT EXISTS { ?obs ?dim [] }
}""",
    "IC-12 no duplicate observations": """ASK {
  FILTER (?allEqual)
  {
    SELECT (MIN(?equal) AS ?allEqual) WHERE {
      ?obs1 qb:dataSet ?dataset .
      ?obs2 qb:dataSet ?dataset .
      FILTER (?obs1 != ?obs2)
      ?dataset qb:structure/qb:component/qb:componentProperty ?dim .
      ?dim a qb:DimensionProperty .
      ?obs1 ?dim ?value1 .
      ?obs2 ?dim ?value2 .
      BIND (?value1 = ?value2 AS ?equal)
    } GROUP BY ?obs1 ?obs2
  }
}""",
    "IC-13 required attributes": """ASK {
  ?obs qb:dataSet/qb:structure/qb:component ?component .
  ?component qb:componentRequired "true"^^xsd:boolean ; qb:componentProperty ?attr .
  FILTER NOT EXISTS { ?obs ?attr [] }
}""",
    "IC-14 all measures present": """ASK {
  ?obs qb:dataSet/qb:structure ?dsd .
  FILTER NOT EXISTS { ?dsd qb:component/qb:componentProperty qb:measureType }
  ?dsd qb:component/qb:componentProperty ?measure .
  ?measure a qb:MeasureProperty .
  FILTER NOT EXISTS { ?obs ?measure [] }
}""",
    "IC-15 measure dimension consistent": """ASK {
  ?obs qb:dataSet/qb:structure ?dsd ; qb:measureType ?measure .
  ?dsd qb:component/qb:componentProperty qb:measureType .
  FILTER NOT EXISTS { ?obs ?measure [] }
}""",
    "IC-16 single measure on measure dimension observation": """ASK {
  ?obs qb:dataSet/qb:structure ?dsd ; qb:measureType ?measure ; ?omeasure [] .
  ?dsd qb:component/qb:componentProperty qb:measureType ; qb:component/qb:componentProperty ?omeasure .
  ?omeasure a qb:MeasureProperty .
  FILTER (?omeasure != ?measure)
}""",
    "IC-17 all measures present in measures dimension cube": """ASK {
  {
    SELECT ?numMeasures (COUNT(?obs2) AS ?count) WHERE {
      {
        SELECT ?dsd (COUNT(?m) AS ?numMeasures) WHERE {
          ?dsd qb:component/qb:componentProperty ?m .
          ?m a qb:MeasureProperty .
        } GROUP BY ?dsd
      }
      ?obs1 qb:dataSet/qb:structure ?dsd ; qb:dataSet ?dataset ; qb:measureType ?m1 .
      ?obs2 qb:dataSet ?dataset ; qb:measureType ?m2 .
      FILTER NOT EXISTS {
        ?dsd qb:component/qb:componentProperty ?dim .
        FILTER (?dim != qb:measureType)
        ?dim a qb:DimensionProperty .
        ?obs1 ?dim ?v1 .
        ?obs2 ?dim ?v2 .
        FILTER (?v1 != ?v2)
      }
    } GROUP BY ?obs1 ?numMeasures
    HAVING (COUNT(?obs2) != ?numMeasures)
  }
}""",
    "IC-18 consistent data set links": """ASK {
  ?dataset qb:slice ?slice .
  ?slice qb:observation ?obs .
  FILTER NOT EXISTS { ?obs qb:dataSet ?dataset . }
}""",
    "IC-19 codes from code list (scheme)": """ASK {
  ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
  ?dim a qb:DimensionProperty ; qb:codeList ?list .
  ?list a skos:ConceptScheme .
  ?obs ?dim ?v .
  FILTER NOT EXISTS { ?v a skos:Concept ; skos:inScheme ?list }
}""",
    "IC-19 codes from code list (collection)": """ASK {
  ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
  ?dim a qb:DimensionProperty ; qb:codeList ?list .
  ?list a skos:Collection .
  ?obs ?dim ?v .
  FILTER NOT EXISTS { ?v a skos:Concept . ?list skos:member+ ?v }
}""",
}
# IC-20 and IC-21: one query for each parent-child property of a hierarchical code list ($p)
HIERARCHY_TEMPLATES = {
    "IC-20 codes from hierarchy": ("""SELECT DISTINCT ?p WHERE {
  ?hierarchy a qb:HierarchicalCodeList ; qb:parentChildProperty ?p . FILTER (isIRI(?p))
}""", """ASK {
  ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
  ?dim a qb:DimensionProperty ; qb:codeList ?list .
  ?list a qb:HierarchicalCodeList .
  ?obs ?dim ?v .
  FILTER NOT EXISTS { ?list qb:hierarchyRoot/<$p>* ?v }
}"""),
    "IC-21 codes from hierarchy (inverse)": ("""SELECT DISTINCT ?p WHERE {
  ?hierarchy a qb:HierarchicalCodeList ; qb:parentChildProperty ?pcp . FILTER (isBlank(?pcp))
  ?pcp owl:inverseOf ?p . FILTER (isIRI(?p))
}""", """ASK {
  ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
  ?dim a qb:DimensionProperty ; qb:codeList ?list .
  ?list a qb:HierarchicalCodeList .
  ?obs ?dim ?v .
  FILTER NOT EXISTS { ?list qb:hierarchyRoot/(^<$p>)* ?v }
}"""),
}

# the recommendation's normalisation algorithm (section 10.2): phase 1, type and property closure, and phase 2,
# pushing down the values attached to a data set or a slice
NORMALISATION = """
INSERT { ?o rdf:type qb:Observation . } WHERE { [] qb:observation ?o . } ;
INSERT { ?o rdf:type qb:Observation . } WHERE { ?o qb:dataSet [] . } ;
INSERT { ?s rdf:type qb:Slice . } WHERE { [] qb:slice ?s . } ;
INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:DimensionProperty . } WHERE { ?cs qb:dimension ?p . } ;
INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:MeasureProperty . } WHERE { ?cs qb:measure ?p . } ;
INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:AttributeProperty . } WHERE { ?cs qb:attribute ?p . } ;
INSERT { ?obs ?comp ?value } WHERE {
  ?spec qb:componentProperty ?comp ; qb:componentAttachment qb:DataSet .
  ?dataset qb:structure [qb:component ?spec] ; ?comp ?value .
  ?obs qb:dataSet ?dataset .
} ;
INSERT { ?obs ?comp ?value } WHERE {
  ?spec qb:componentProperty ?comp ; qb:componentAttachment qb:Slice .
  ?dataset qb:structure [qb:component ?spec] ; qb:slice ?slice .
  ?slice ?comp ?value ; qb:observation ?obs .
} ;
INSERT { ?obs ?comp ?value } WHERE {
  ?spec qb:componentProperty ?comp .
  ?comp a qb:DimensionProperty .
  ?dataset qb:structure [qb:component ?spec] ; qb:slice ?slice .
  ?slice ?comp ?value ; qb:observation ?obs .
}
"""

CORPORA = {"seed": DATA, "measures": MEASURES, "family": ROOT / "tests" / "family", "heldout": ROOT / "tests" / "heldout"}


def broken_constraints(store: pyoxigraph.Store) -> list[str]:
    """The names of the integrity constraints the graph in ``store`` breaks."""
    broken = [name for name, ask in CONSTRAINTS.items() if store.query(PREFIXES + ask)]
    for name, (find, template) in HIERARCHY_TEMPLATES.items():
        for solution in store.query(PREFIXES + find):
            if store.query(PREFIXES + template.replace("$p", solution["p"].value)):
                broken.append(f"{name} <{solution['p'].value}>")
    return broken


@pytest.fixture(scope="module", params=list(CORPORA))
def cube(request):
    """The graph of a corpus as ``kg build`` builds it (the family's contradictions included: they are no
    matter of the cube's form), in Oxigraph."""
    from kg.pipeline.corpus import build_graph

    return store_of(build_graph(CORPORA[request.param]))


def test_every_integrity_constraint_holds(cube):
    assert broken_constraints(cube) == []


def test_the_graph_is_already_normalised(cube):
    before = len(cube)
    cube.update(PREFIXES + NORMALISATION)
    assert len(cube) == before  # the normalisation algorithm finds nothing to add


def test_the_constraints_can_fail(graph):
    """Each kind of mistake the constraints exist for, made on the seed, is caught by its constraint."""
    figure = KGR["release/000_c861f582b8da151e/fact/marche-world-2024"]
    other = KGR["release/000_c861f582b8da151e/fact/ancona-azerbaijan-2024"]

    def same_key(g):  # another level of the release given the figure's every dimension, its fact id included
        for prop in (KGO.flow, KGO.origin, KGO.destination, KGO.period, KGO.sector, KGO.factId):
            g.remove((other, prop, None))
            g.add((other, prop, graph.value(figure, prop)))

    mistakes = {
        "IC-11 all dimensions required": lambda g: g.remove((figure, KGO.sector, None)),
        "IC-12 no duplicate observations": same_key,
        "IC-13 required attributes": lambda g: g.remove((figure, KGO.hedge, None)),
        "IC-14 all measures present": lambda g: g.remove((figure, KGO.tradeValue, None)),
        "IC-1 unique data set": lambda g: g.add((figure, QB.dataSet, KGR["release/000_c861f582b8da151e/dataset/shares"])),
        "IC-9 unique slice structure": lambda g: g.add((KGR["cell/export/marche/world/2024"], RDF.type, QB.Slice)),
    }
    for name, mistake in mistakes.items():
        from kg.rdf.namespaces import new_graph

        broken = new_graph()
        broken += graph
        mistake(broken)
        assert name in broken_constraints(store_of(broken)), name


def test_a_figure_carries_its_dimensions(graph):
    # "l'export marchigiano ha superato i 14 miliardi di euro" in 2024, to the world, all goods: a level of the release
    figure = KGR["release/000_c861f582b8da151e/fact/marche-world-2024"]
    assert graph.value(figure, KGO.origin) == KGR["place/marche"]
    assert graph.value(figure, KGO.destination) == KGR["place/world"]
    assert graph.value(figure, KGO.flow) == KGO.export
    assert graph.value(figure, KGO.period) == KGR["interval/2024-01-01/P1Y"]
    assert graph.value(figure, KGO.sector) == KGO.allGoods
    assert graph.value(figure, KGO.factId) == Literal("marche-world-2024")
    data_set = graph.value(figure, QB.dataSet)
    assert data_set == KGR["release/000_c861f582b8da151e/dataset/levels"]
    assert graph.value(data_set, QB.structure) == KGO.levelStructure
    # the cell names no sector: all goods is the figure's value of the dimension, not a sector of the cell
    assert graph.value(KGR["cell/export/marche/world/2024"], KGO.sector) is None
    # the fashion figure of the same release: the sector the text names
    fashion = KGR["release/000_c861f582b8da151e/fact/marche-azerbaijan-2024-fashion"]
    assert graph.value(fashion, KGO.sector) == URIRef(KGR["sector/fashion"])
