"""The SHACL shapes of ontology/shapes.ttl: that they pass the seed graph and catch what they claim to.

Three kinds of test:

* node shapes: a copy of the seed graph with exactly one constraint of one shape broken on one
  real node must fail validation, and the readable report must name the shape and the node;
* SPARQL checks (aimed at kgo:GraphChecks): each runs alone, on a small valid and a small
  invalid snippet whose numbers a person can check by hand;
* "every resource has an IRI" (checked in Python by kg.check.shacl);
* the readable report of one broken graph.

The session fixtures ``graph`` and ``report`` (tests/conftest.py) are never mutated: every
breaking test works on ``g2 = Graph(); g2 += graph``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyshacl
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, TIME, XSD

from kg.check.shacl import validate_graph
from kg.rdf.namespaces import FOAF, KGO, KGR, OA, ORG, SCHEMA, SH

ROOT = Path(__file__).resolve().parent.parent
SHAPES = Graph().parse(ROOT / "ontology" / "shapes.ttl")
KGS = Namespace("https://example.org/kg/shapes#")
KGS_ONTOLOGY = URIRef("https://example.org/kg/shapes#")  # the `kgs:` node holding sh:declare

SEED = "000_c861f582b8da151e"
RELEASE = KGR[f"release/{SEED}"]
HEADLINE = (
    "Ampi margini di crescita per il manifatturiero marchigiano, con focus su partnership "
    "produttive e investimenti di lungo periodo"
)


def fact(fact_id: str) -> URIRef:
    return KGR[f"release/{SEED}/fact/{fact_id}"]


def copy_of(graph: Graph) -> Graph:
    g2 = Graph()
    g2 += graph
    return g2


def shape_label(shape: URIRef) -> str:
    return str(SHAPES.value(shape, RDFS.label))


# --------------------------------------------------------------------------- the seed graph


def test_seed_graph_conforms(report):
    assert report.conforms, report.text()
    assert report.findings == []
    assert report.text() == "Conforms: yes (0 violations)."


# --------------------------------------------------------------------------- node shapes


@dataclass(frozen=True)
class Break:
    """One constraint of one node shape, broken on one real node of the seed graph."""

    id: str
    shape: str  # local name in kgs:
    change: Callable[[Graph], None]
    rule: str  # the expected Finding.rule: "<shape label> must have a valid <sh:name>", or the shape label
    node: URIRef  # the node the finding must name (a fact for evidence and selectors)
    label: str  # its label in the report


def drop(node, prop, value=None):
    return lambda g: g.remove((node, prop, value))


def add(node, prop, value):
    return lambda g: g.add((node, prop, value))


def replace(node, prop, value):
    return lambda g: g.set((node, prop, value))


EVIDENCE = fact("marche-azerbaijan-2024") + "/evidence/0"
QUOTE = URIRef(EVIDENCE + "/quote")
POSITION = URIRef(EVIDENCE + "/position")
MARCHE_2024_LABEL = "Marche exports to Azerbaijan, 2024: €7,500,000"
FASHION_CELL = KGR["cell/export/marche/azerbaijan/2024/sector/fashion"]
JAN_SEP_2025_CELL = KGR["cell/export/marche/azerbaijan/2025-01--2025-09"]
SENTENCE_3 = KGR[f"release/{SEED}/sentence/3"]
PRESIDENT_POST = KGR["post/confindustria-ancona/president"]

BREAKS = [
    Break("second-publication-date", "PressReleaseShape",
          add(RELEASE, SCHEMA.datePublished, Literal(date(2026, 2, 21))),
          "press release must have a valid publication date", RELEASE, HEADLINE),
    Break("negative-sentence-index", "SentenceShape",
          replace(SENTENCE_3, KGO.sentenceIndex, Literal(-1)),
          "sentence must have a valid sentence index", SENTENCE_3, str(SENTENCE_3)),
    Break("evidence-without-quote", "EvidenceShape",
          drop(EVIDENCE, OA.hasSelector, QUOTE),
          "evidence must have a valid pair of selectors", fact("marche-azerbaijan-2024"), MARCHE_2024_LABEL),
    Break("second-suffix", "QuoteSelectorShape",
          add(QUOTE, OA.suffix, Literal("un altro seguito")),
          "quote selector must have a valid text after the quote", fact("marche-azerbaijan-2024"), MARCHE_2024_LABEL),
    # ill-typed literals: must be violations, not crashes (SPARQL arithmetic on them recurses in rdflib)
    Break("start-not-an-integer", "PositionSelectorShape",
          replace(POSITION, OA.start, Literal("abc", datatype=XSD.integer)),
          "position selector must have a valid start offset", fact("marche-azerbaijan-2024"), MARCHE_2024_LABEL),
    Break("end-not-an-integer", "PositionSelectorShape",
          replace(SENTENCE_3 + "/position", OA.end, Literal("x", datatype=XSD.integer)),
          "position selector must have a valid end offset", SENTENCE_3, str(SENTENCE_3)),
    Break("start-after-end", "PositionSelectorShape",
          replace(POSITION, OA.start, Literal(5000)),
          "position selector must have a valid start offset", fact("marche-azerbaijan-2024"), MARCHE_2024_LABEL),
    Break("fact-without-evidence", "FactShape",
          drop(fact("socar-acquires-api"), KGO.evidence),
          "fact must have a valid evidence", fact("socar-acquires-api"),
          "Acquisition of Api by Socar (completion not stated)"),
    Break("sector-not-a-sector", "CellShape",
          replace(FASHION_CELL, KGO.sector, KGR["place/marche"]),
          "cell must have a valid sector", FASHION_CELL, "Marche exports to Azerbaijan, fashion, 2024"),
    # the build marks figures only: a cell marked current is not a figure and has no cell or release of its own
    Break("a-cell-marked-current", "CurrentFigureShape",
          add(FASHION_CELL, RDF.type, KGO.CurrentFigure),
          "current figure must have a valid cell", FASHION_CELL, "Marche exports to Azerbaijan, fashion, 2024"),
    Break("amount-as-integer", "LevelShape",
          replace(fact("marche-azerbaijan-2024"), KGO.tradeValue, Literal("7500000", datatype=XSD.integer)),
          "level must have a valid amount", fact("marche-azerbaijan-2024"), MARCHE_2024_LABEL),
    # ill-typed amounts: the part of the share, and a part of the breakdown
    Break("amount-not-a-number", "LevelShape",
          replace(fact("marche-azerbaijan-2024"), KGO.tradeValue, Literal("abc", datatype=XSD.decimal)),
          "level must have a valid amount", fact("marche-azerbaijan-2024"), MARCHE_2024_LABEL),
    Break("breakdown-amount-not-a-number", "LevelShape",
          replace(fact("marche-azerbaijan-2024-fashion"), KGO.tradeValue, Literal("abc", datatype=XSD.decimal)),
          "level must have a valid amount", fact("marche-azerbaijan-2024-fashion"),
          "Marche exports to Azerbaijan, fashion, 2024: €2,100,000"),
    # a well-typed string where the amount should be a number
    Break("breakdown-amount-as-text", "LevelShape",
          replace(fact("marche-azerbaijan-2024-fashion"), KGO.tradeValue, Literal("2100000")),
          "level must have a valid amount", fact("marche-azerbaijan-2024-fashion"),
          "Marche exports to Azerbaijan, fashion, 2024: €2,100,000"),
    Break("destination-not-a-place", "CellShape",
          replace(JAN_SEP_2025_CELL, KGO.destination, KGR["sector/fashion"]),
          "cell must have a valid destination", JAN_SEP_2025_CELL, "Marche exports to Azerbaijan, January–September 2025"),
    Break("zero-precision", "FigureShape",
          replace(fact("marche-azerbaijan-share-2024"), KGO.precision, Literal("0.0", datatype=XSD.decimal)),
          "figure must have a valid precision", fact("marche-azerbaijan-share-2024"),
          "Marche exports to Azerbaijan, 2024: 0.05% of Marche exports to the world"),
    Break("no-direction", "ChangeShape",
          drop(fact("marche-azerbaijan-2025-jan-sep-trend"), KGO.direction),
          "change must have a valid direction", fact("marche-azerbaijan-2025-jan-sep-trend"),
          "Marche exports to Azerbaijan, January–September 2025: down («lieve») on January–September 2024"),
    Break("hedge-as-assessment", "SectorStatementShape",
          replace(fact("marche-azerbaijan-concentration"), KGO.assessment, KGO.exact),
          "sector statement must have a valid assessment", fact("marche-azerbaijan-concentration"),
          "Sectors of concentration of Marche exports to Azerbaijan: energy, industrial, infrastructure"),
    # ill-typed literal: must be a violation, not a crash
    Break("impossible-date", "MeetingShape",
          replace(fact("meeting-ambassador"), SCHEMA.startDate, Literal("2024-13-45", datatype=XSD.date)),
          "meeting must have a valid date", fact("meeting-ambassador"),
          "Meeting of Confindustria Ancona and Rashad Aslanov, 2026-02-17"),
    Break("one-attendee", "MeetingShape",
          drop(fact("meeting-ambassador"), SCHEMA.attendee, KGR["person/rashad-aslanov"]),
          "meeting must have a valid attendees", fact("meeting-ambassador"),
          "Meeting of Confindustria Ancona and Rashad Aslanov, 2026-02-17"),
    Break("words-without-language", "QuotationShape",
          replace(fact("quote-mingarelli"), SCHEMA.text, Literal("I nostri Paesi hanno costruito relazioni solide")),
          "quotation must have a valid quoted words", fact("quote-mingarelli"),
          "Diego Mingarelli: “I nostri Paesi hanno costruito relazioni solide […] grazi…”"),
    Break("second-role", "PostHoldingShape",
          add(fact("mingarelli-president"), ORG.role, KGR["role/ambassador"]),
          "post holding must have a valid role", fact("mingarelli-president"),
          "Diego Mingarelli, president of Confindustria Ancona"),
    Break("no-status", "AcquisitionShape",
          drop(fact("socar-acquires-api"), KGO.dealStatus),
          "acquisition must have a valid status as stated", fact("socar-acquires-api"),
          "Acquisition of Api by Socar (completion not stated)"),
    Break("second-name", "OrganizationShape",
          add(KGR["org/api"], SCHEMA.name, Literal("Api SpA")),
          "organisation must have a valid name", KGR["org/api"], "api (Italian energy group)"),
    Break("no-name", "PersonShape",
          drop(KGR["person/diego-mingarelli"], FOAF.name),
          "person must have a valid name", KGR["person/diego-mingarelli"], "Diego Mingarelli"),
    Break("no-holder", "PostShape",
          drop(PRESIDENT_POST, ORG.heldBy),
          "post must have a valid holder", PRESIDENT_POST, "president of Confindustria Ancona"),
    Break("no-english-label", "RoleShape",
          drop(KGR["role/president"], SKOS.prefLabel, Literal("president", lang="en")),
          "role must have a valid labels", KGR["role/president"], "president"),
    Break("duration-as-string", "IntervalShape",
          replace(KGR["interval/2025-01-01/P9M"], TIME.hasXSDDuration, Literal("P9M")),
          "period must have a valid duration", KGR["interval/2025-01-01/P9M"], "January–September 2025"),
    Break("date-as-datetime", "InstantShape",
          replace(KGR["instant/2025-09-30"], TIME.inXSDDate, Literal("2025-09-30T00:00:00", datatype=XSD.dateTime)),
          "instant must have a valid date", KGR["instant/2025-09-30"], str(KGR["instant/2025-09-30"])),
    Break("no-iso-code", "CountryShape",
          drop(KGR["place/azerbaijan"], KGO.iso3166Code),
          "country must have a valid ISO 3166-1 codes", KGR["place/azerbaijan"], "Azerbaijan"),
    Break("iso-code-without-hyphen", "RegionShape",
          replace(KGR["place/marche"], KGO.iso3166Code, Literal("IT57")),
          "region must have a valid ISO 3166-2 code", KGR["place/marche"], "Marche"),
    Break("two-digit-istat-code", "ProvinceShape",
          replace(KGR["place/ancona-province"], KGO.istatCode, Literal("42")),
          "province must have a valid ISTAT code", KGR["place/ancona-province"], "Province of Ancona"),
    Break("no-province", "MunicipalityShape",
          drop(KGR["place/ancona"], SCHEMA.containedInPlace),
          "municipality must have a valid province of the municipality", KGR["place/ancona"], "Ancona"),
    Break("no-organisation", "PremisesShape",
          drop(KGR["place/confindustria-ancona-premises"], KGO.premisesOf),
          "premises must have a valid organisation of the premises", KGR["place/confindustria-ancona-premises"],
          "premises of Confindustria Ancona"),
    # the seed names no group: a membership of Azerbaijan in a group, its group left out
    Break("membership-without-group", "PlaceMembershipShape",
          lambda g: [g.add(triple) for triple in (
              (KGR["place/asia/member/azerbaijan"], RDF.type, KGO.PlaceMembership),
              (KGR["place/asia/member/azerbaijan"], KGO.memberPlace, KGR["place/azerbaijan"]))],
          "membership of a group of places must have a valid group", KGR["place/asia/member/azerbaijan"],
          str(KGR["place/asia/member/azerbaijan"])),
    Break("one-label", "AllDestinationsShape",
          drop(KGR["place/world"], RDFS.label, Literal("tutti i Paesi", lang="it")),
          "all destinations must have a valid labels", KGR["place/world"], "all destinations"),
    Break("match-outside-nace", "SectorShape",
          add(KGR["sector/fashion"], SKOS.closeMatch, URIRef("http://www.wikidata.org/entity/Q12684")),
          "sector must have a valid NACE match", KGR["sector/fashion"], str(KGR["sector/fashion"])),
    Break("second-scheme", "ConceptShape",
          add(KGO.about, SKOS.inScheme, KGO.BasisScheme),
          "controlled value must have a valid scheme", KGO.about, "about"),
    # an exact figure is its own lower and upper bound
    Break("exact-without-lower-bound", "BoundsFollowHedge",
          drop(fact("marche-azerbaijan-2024"), SCHEMA.minValue),
          "bounds follow the hedge", fact("marche-azerbaijan-2024"), MARCHE_2024_LABEL),
    # "about" has no bounds
    Break("about-with-lower-bound", "BoundsFollowHedge",
          add(fact("marche-azerbaijan-2024-furniture"), SCHEMA.minValue, Literal("1000000.0", datatype=XSD.decimal)),
          "bounds follow the hedge", fact("marche-azerbaijan-2024-furniture"),
          "Marche exports to Azerbaijan, furniture, 2024: about €1,000,000"),
    # the meeting's date is derived ("martedì" before Friday 20 February): it must say how
    Break("derived-date-without-note", "DerivedValueExplained",
          drop(fact("meeting-ambassador"), KGO.derivationNote),
          "a derived or implied value says how it was derived", fact("meeting-ambassador"),
          "Meeting of Confindustria Ancona and Rashad Aslanov, 2026-02-17"),
    # the breakdown's year is implied by context: it must say how
    Break("implied-period-without-note", "DerivedValueExplained",
          drop(fact("marche-azerbaijan-2024-fashion"), KGO.derivationNote),
          "a derived or implied value says how it was derived", fact("marche-azerbaijan-2024-fashion"),
          "Marche exports to Azerbaijan, fashion, 2024: €2,100,000"),
]


# figures on cells, broken on the graph of tests/measures (fixture measures_graph)
M950 = "release/950_marche_trimestre/fact/"
MARCHE_Q1 = KGR["cell/export/marche/world/2023-Q1"]
MARCHE_Q1_LEVEL = KGR[M950 + "marche-2023q1"]
MARCHE_Q1_LEVEL_LABEL = "Marche exports to the world, January–March 2023: €3,412,600,000"
SHARE_CHANGE = KGR[M950 + "marche-2023q1-share-change"]
SHARE_CHANGE_LABEL = ("Marche exports to the world, January–March 2023: -0.3 points on January–March 2022 "
                      "(share of Italy exports to the world)")
SHARE = KGR[M950 + "marche-2023q1-share"]
SHARE_LABEL = "Marche exports to the world, January–March 2023: 2.4% of Italy exports to the world"

FASHION_Q1 = KGR["cell/export/marche/azerbaijan/2023-Q1/sector/fashion"]
FRANCE_Q1_LEVEL = KGR[M950 + "france-marche-2023q1-import"]
FRANCE_Q1_LEVEL_LABEL = "Marche imports from France, January–March 2023: €180,200,000"

MEASURE_BREAKS = [
    Break("cell-without-flow", "CellShape", drop(MARCHE_Q1, KGO.flow),
          "cell must have a valid flow", MARCHE_Q1, "Marche exports to the world, January–March 2023"),
    Break("second-sector", "CellShape", add(FASHION_Q1, KGO.sector, KGR["sector/furniture"]),
          "cell must have a valid sector", FASHION_Q1, "Marche exports to Azerbaijan, fashion, January–March 2023"),
    # an amount is a decimal, not text (the seed's breaks hold it to integers and ill-typed literals)
    Break("amount-as-text", "LevelShape", replace(FRANCE_Q1_LEVEL, KGO.tradeValue, Literal("180200000")),
          "level must have a valid amount", FRANCE_Q1_LEVEL, FRANCE_Q1_LEVEL_LABEL),
    Break("series-without-labels", "SeriesShape", drop(KGR["series/export/marche/world"], RDFS.label),
          "series must have a valid labels", KGR["series/export/marche/world"], "https://example.org/kg/id/series/export/marche/world"),
    Break("figure-without-cell", "FigureShape", drop(MARCHE_Q1_LEVEL, KGO.cell),
          "figure must have a valid cell", MARCHE_Q1_LEVEL, MARCHE_Q1_LEVEL_LABEL),
    # an exact figure is its own upper bound too
    Break("exact-level-without-upper-bound", "BoundsFollowHedge", drop(MARCHE_Q1_LEVEL, SCHEMA.maxValue),
          "bounds follow the hedge", MARCHE_Q1_LEVEL, MARCHE_Q1_LEVEL_LABEL),
    # exports are never negative: only a balance is
    Break("negative-export-level", "NegativeOnlyForBalance",
          replace(MARCHE_Q1_LEVEL, KGO.tradeValue, Literal("-3412600000.0", datatype=XSD.decimal)),
          "only a balance is negative", MARCHE_Q1_LEVEL, MARCHE_Q1_LEVEL_LABEL),
    Break("level-in-percent", "LevelShape", replace(MARCHE_Q1_LEVEL, KGO.unit, KGO.percent),
          "level must have a valid currency", MARCHE_Q1_LEVEL, MARCHE_Q1_LEVEL_LABEL),
    Break("projection-as-observed", "ProjectionShape",
          drop(KGR[M950 + "marche-2023-projection"], URIRef("http://purl.org/linked-data/sdmx/2009/attribute#obsStatus")),
          "projection must have a valid forecast, not observed", KGR[M950 + "marche-2023-projection"],
          "Marche exports to the world, 2023: projected almost €15,000,000,000"),
    Break("change-without-direction", "ChangeShape", drop(SHARE_CHANGE, KGO.direction),
          "change must have a valid direction", SHARE_CHANGE, SHARE_CHANGE_LABEL),
    # points are points of a share: of what whole
    Break("points-without-whole", "ChangeValueInItsUnit", drop(SHARE_CHANGE, KGO.shareOf),
          "a change has one value, in its unit", SHARE_CHANGE, SHARE_CHANGE_LABEL),
    # ... or a contribution to a covering cell's change, not both
    Break("points-of-a-share-and-a-contribution", "ChangeValueInItsUnit",
          add(SHARE_CHANGE, KGO.contributionTo, KGR["cell/export/italy/world/2023-Q1"]), "a change has one value, in its unit",
          SHARE_CHANGE, SHARE_CHANGE_LABEL),
    # a contribution is in points, not in per cent
    Break("contribution-in-percent", "ChangeValueInItsUnit",
          add(KGR[M950 + "marche-2023q1-change"], KGO.contributionTo, KGR["cell/export/italy/world/2023-Q1"]),
          "a change has one value, in its unit",
          KGR[M950 + "marche-2023q1-change"], "Marche exports to the world, January–March 2023: -8.3% on January–March 2022"),
    Break("share-of-its-own-cell", "ShareShape", replace(SHARE, KGO.shareOf, MARCHE_Q1),
          "share must have a valid whole", SHARE, SHARE_LABEL),
    Break("rank-zero", "RankShape",
          replace(KGR[M950 + "ancona-2023q1-rank"], KGO.rankPosition, Literal("0.0", datatype=XSD.decimal)),
          "rank must have a valid position", KGR[M950 + "ancona-2023q1-rank"],
          "Province of Ancona exports to the world, January–March 2023: 1st among provinces in Marche by level"),
    Break("ratio-without-denominator", "RatioShape", drop(KGR[M950 + "marche-2023q1-per-resident"], KGO.denominator),
          "ratio must have a valid denominator", KGR[M950 + "marche-2023q1-per-resident"],
          "Marche exports to the world, January–March 2023: €2,290 per resident"),
    Break("source-without-provider", "DataSourceShape",
          drop(KGR[M950 + "istat-studi"], URIRef("http://www.w3.org/ns/prov#wasAttributedTo")),
          "data source must have a valid provider", KGR[M950 + "istat-studi"],
          "Data source: Italian National Institute of Statistics, elaborated by Research office of Confindustria Ancona"),
]


def test_break_cases_have_unique_ids():
    ids = [b.id for b in BREAKS + MEASURE_BREAKS]
    assert len(ids) == len(set(ids))


def test_every_node_shape_is_broken_by_a_test():
    targeted = {shape for shape in SHAPES.subjects(SH.targetClass, None)} | {
        shape for shape in SHAPES.subjects(SH.targetSubjectsOf, None)}
    covered = {KGS[b.shape] for b in BREAKS + MEASURE_BREAKS}
    assert targeted, "no node shape with sh:targetClass found in shapes.ttl"
    assert targeted - covered == set(), "node shapes without a breaking test"
    sparql = set(SHAPES.subjects(RDF.type, SH.SPARQLConstraint))
    assert covered - targeted - sparql == set(), "tests name shapes that shapes.ttl does not have"


@pytest.mark.parametrize("case", BREAKS, ids=lambda b: f"{b.shape}-{b.id}")
def test_breaking_a_node_shape_is_reported(graph, case: Break):
    assert_break_reported(graph, case)


def test_the_measures_graph_conforms(measures_graph):
    report = validate_graph(measures_graph)
    assert report.conforms, report.text()


@pytest.mark.parametrize("case", MEASURE_BREAKS, ids=lambda b: f"{b.shape}-{b.id}")
def test_breaking_a_figure_shape_is_reported(measures_graph, case: Break):
    assert_break_reported(measures_graph, case)


def assert_break_reported(graph, case: Break):
    label = shape_label(KGS[case.shape])
    # a property shape's finding reads "<shape label> must have a valid <sh:name>"; a constraint
    # on the node shape itself (sh:or, sh:nodeKind) is reported under the shape's label
    assert case.rule == label or case.rule.startswith(f"{label} must have a valid "), "the rule must name the shape"
    size = len(graph)
    g2 = copy_of(graph)
    case.change(g2)
    assert set(g2) != set(graph), "the change did nothing"

    report = validate_graph(g2)

    assert len(graph) == size, "the session graph was mutated"
    assert not report.conforms
    matching = [f for f in report.findings if f.rule == case.rule and f.node == str(case.node)]
    assert matching, f"no finding {case.rule!r} on {case.node}:\n{report.text()}"
    assert all(label in f.rule for f in matching)
    assert all(f.label == case.label for f in matching)
    # exactly one thing was broken, so every violation is about that node (a figure changed to another value
    # may also be reported, as a warning, as restating another release's)
    assert {f.node for f in report.violations} == {str(case.node)}, report.text()


def test_fact_without_evidence_gets_the_shapes_message(graph):
    g2 = copy_of(graph)
    g2.remove((fact("socar-acquires-api"), KGO.evidence, None))
    report = validate_graph(g2)
    assert [f.message for f in report.findings] == [
        "A fact must cite at least one piece of evidence from the release text."
    ]


# --------------------------------------------------------------------------- SPARQL checks, one by one

PREFIXES = """
@prefix ex: <https://example.org/test/> .
@prefix kgo: <https://example.org/kg/ontology#> .
@prefix schema: <http://schema.org/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix nace: <http://data.europa.eu/ux2/nace2/> .
"""
EX = Namespace("https://example.org/test/")
# How the checks read a hedge (kgo:checkLowerFactor / kgo:checkUpperFactor), from ontology/kg.ttl:
# every snippet carries them, as the built graph does.
KG_TTL = Graph().parse(ROOT / "ontology" / "kg.ttl")
HEDGE_FACTORS = [
    (hedge, p, o)
    for hedge in KG_TTL.subjects(RDF.type, KGO.Hedge)
    for p, o in KG_TTL.predicate_objects(hedge)
    if p in (KGO.checkLowerFactor, KGO.checkUpperFactor)
]


def _copy_with_blank_nodes(source: Graph, target: Graph, node) -> None:
    for p, o in source.predicate_objects(node):
        target.add((node, p, o))
        if isinstance(o, BNode):
            _copy_with_blank_nodes(source, target, o)


def reduced_shapes(constraint: URIRef) -> Graph:
    """A shape aimed at kgo:GraphChecks with the one SPARQL constraint, plus the `kgs:` prefix declarations."""
    reduced = Graph()
    _copy_with_blank_nodes(SHAPES, reduced, KGS_ONTOLOGY)
    _copy_with_blank_nodes(SHAPES, reduced, constraint)
    reduced.add((KGS.GraphChecks, RDF.type, SH.NodeShape))
    reduced.add((KGS.GraphChecks, SH.targetNode, KGO.GraphChecks))
    reduced.add((KGS.GraphChecks, SH.sparql, constraint))
    return reduced


def check(constraint: str, turtle: str):
    """(conforms, sh:value of every result, sh:resultMessage of every result).

    The check runs twice, on rdflib's SPARQL engine and on Oxigraph's (where the
    build runs it); the two must give the same values.
    """
    import pyoxigraph

    from kg.check.shacl import QueryGuard
    from kg.stores.embedded import graph_of

    data = Graph().parse(data=PREFIXES + turtle, format="turtle")
    for triple in HEDGE_FACTORS:
        data.add(triple)
    store = pyoxigraph.Store()
    store.bulk_load(data.serialize(format="nt", encoding="utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    answers = []
    for engine in (data, graph_of(store, check=QueryGuard())):
        conforms, report, text = pyshacl.validate(engine, shacl_graph=reduced_shapes(KGS[constraint]), inference="none")
        assert isinstance(report, Graph), text
        values = set(report.objects(None, SH.value))
        messages = sorted(str(m) for m in report.objects(None, SH.resultMessage))
        answers.append((conforms, values, messages))
    assert answers[0][:2] == answers[1][:2], f"rdflib and Oxigraph disagree: {answers}"
    return answers[1]


@dataclass(frozen=True)
class Snippet:
    id: str
    check: str  # local name in kgs:
    turtle: str
    offending: URIRef | None  # None: the snippet is valid


# "L’export verso l’Azerbaigian": the ’ at index 1 is one code point (three UTF-8 bytes),
# so "l’Azerbaigian" is at Python indices 15..28; UTF-8 byte offsets would be 17..32.
EVIDENCE_TEXT = "L’export verso l’Azerbaigian ha raggiunto i 7,5 milioni di euro."


def evidence_snippet(start: int, end: int) -> str:
    return f"""
    ex:release a kgo:PressRelease ; schema:text "{EVIDENCE_TEXT}" .
    ex:figure kgo:evidence ex:evidence .
    ex:evidence a kgo:Evidence ; oa:hasSource ex:release ; oa:hasSelector ex:quote, ex:position .
    ex:quote a oa:TextQuoteSelector ; oa:exact "l’Azerbaigian" .
    ex:position a oa:TextPositionSelector ; oa:start {start} ; oa:end {end} .
    """


# "Ancona, 20 febbraio 2026. L’export cresce.": the second sentence is at Python indices 26..42.
SENTENCE_TEXT = "Ancona, 20 febbraio 2026. L’export cresce."


def sentence_snippet(value: str) -> str:
    return f"""
    ex:release a kgo:PressRelease ; schema:text "{SENTENCE_TEXT}" .
    ex:sentence1 a kgo:Sentence ; kgo:sentenceIndex 1 ; rdf:value "{value}" ;
        oa:hasSource ex:release ; oa:hasSelector ex:sentence1-position .
    ex:sentence1-position a oa:TextPositionSelector ; oa:start 26 ; oa:end 42 .
    """


def bounds_snippet(hedge: str, *, min_value: bool = False, max_value: bool = False) -> str:
    lines = [f"ex:figure a kgo:Level ; kgo:tradeValue 7500000.0 ; kgo:hedge kgo:{hedge} ."]
    if min_value:
        lines.append("ex:figure schema:minValue 7500000.0 .")
    if max_value:
        lines.append("ex:figure schema:maxValue 7500000.0 .")
    return "\n".join(lines)


def acquisition_snippet(status: str, extra: str = "") -> str:
    return f"""
    ex:deal a kgo:Acquisition ; kgo:acquirer ex:socar ; kgo:acquired ex:api ; kgo:dealStatus kgo:{status} .
    {extra}
    """


EUR_IRI = "<http://publications.europa.eu/resource/authority/currency/EUR>"


def level(node: str, cell: str, value: str, precision: str, release: str = "ex:r1", hedge: str = "exact") -> str:
    return (f"ex:{node} a kgo:Level ; kgo:factId \"{node}\" ; kgo:cell ex:{cell} ; kgo:tradeValue {value} ; kgo:unit {EUR_IRI} ;"
            f" kgo:precision {precision} ; kgo:hedge kgo:{hedge} ; kgo:statedIn {release} ; rdfs:label \"{node}\"@en .")


RELEASES = """
    ex:r1 schema:identifier "r1" ; schema:datePublished "2023-09-12"^^xsd:date .
    ex:r2 schema:identifier "r2" ; schema:datePublished "2023-12-05"^^xsd:date .
"""


def restated_snippet(later: str, precision: str) -> str:
    """A total stated as 1.234,6 million, restated by a later release."""
    return RELEASES + level("first", "marche", "1234600000.0", "100000.0") + "\n" + level("later", "marche", later, precision, "ex:r2")


def cells_snippet(extra: str) -> str:
    """Marche and the province of Ancona, exports to the world and to Germany in the first half of 2023 and 2022."""
    return RELEASES + """
    ex:marche schema:containedInPlace ex:italy . ex:ancona schema:containedInPlace ex:marche .
    ex:h1-2023 rdfs:label "January–June 2023"@en . ex:h1-2022 rdfs:label "January–June 2022"@en .
    ex:marche-world a kgo:Cell ; kgo:flow kgo:export ; kgo:origin ex:marche ; kgo:destination <https://example.org/kg/id/place/world> ;
        kgo:period ex:h1-2023 ; kgo:series ex:marche-series ; rdfs:label "Marche exports to the world, January–June 2023"@en .
    ex:marche-world-2022 a kgo:Cell ; kgo:flow kgo:export ; kgo:origin ex:marche ; kgo:destination <https://example.org/kg/id/place/world> ;
        kgo:period ex:h1-2022 ; kgo:series ex:marche-series ; rdfs:label "Marche exports to the world, January–June 2022"@en .
    ex:marche-germany a kgo:Cell ; kgo:flow kgo:export ; kgo:origin ex:marche ; kgo:destination ex:germany ;
        kgo:period ex:h1-2023 ; rdfs:label "Marche exports to Germany, January–June 2023"@en .
    ex:ancona-world a kgo:Cell ; kgo:flow kgo:export ; kgo:origin ex:ancona ; kgo:destination <https://example.org/kg/id/place/world> ;
        kgo:period ex:h1-2023 ; rdfs:label "Province of Ancona exports to the world, January–June 2023"@en .
    """ + level("marche-2023", "marche-world", "9874200000.0", "100000.0") + level("marche-2022", "marche-world-2022", "9306500000.0", "100000.0") + "\n" + extra


def share_of_cells_snippet(percent: str) -> str:
    return cells_snippet(level("germany", "marche-germany", "1210400000.0", "100000.0") + f"""
    ex:share a kgo:Share ; kgo:cell ex:marche-germany ; kgo:shareOf ex:marche-world ; kgo:sharePercent {percent} ;
        kgo:precision 0.1 ; kgo:hedge kgo:exact .""")


def change_of_cells_snippet(percent: str) -> str:
    return cells_snippet(f"""
    ex:change a kgo:Change ; kgo:cell ex:marche-world ; kgo:referencePeriod ex:h1-2022 ; kgo:changePercent {percent} ;
        kgo:unit kgo:percent ; kgo:precision 0.1 ; kgo:hedge kgo:exact .""")


def hedged_share_of_cells_snippet(percent: str, hedge: str) -> str:
    return cells_snippet(level("germany", "marche-germany", "1210400000.0", "100000.0") + f"""
    ex:share a kgo:Share ; kgo:cell ex:marche-germany ; kgo:shareOf ex:marche-world ; kgo:sharePercent {percent} ;
        kgo:precision 1.0 ; kgo:hedge kgo:{hedge} .""")


def year_snippet(year_value: str) -> str:
    """Marche's exports to the world in the whole of 2023, which holds its first half."""
    return cells_snippet(level("marche-year", "marche-world-year", year_value, "100000.0") + """
    ex:h1-2023 time:intervalDuring ex:year-2023 .  # stated by the builder between the graph's periods
    ex:marche-world-year a kgo:Cell ; kgo:flow kgo:export ; kgo:origin ex:marche ; kgo:destination <https://example.org/kg/id/place/world> ;
        kgo:period ex:year-2023 ; kgo:series ex:marche-series ; rdfs:label "Marche exports to the world, 2023"@en .""")


# sectors as the gazetteer writes them: a scheme, a broader sector, the NACE divisions each is closest to
SECTORS = """
    ex:fashion skos:inScheme kgo:SectorScheme ; skos:broader ex:manufacturing ; skos:closeMatch nace:13, nace:14, nace:15 .
    ex:clothing skos:inScheme kgo:SectorScheme ; skos:broader ex:fashion ; skos:closeMatch nace:14 .
    ex:furniture skos:inScheme kgo:SectorScheme ; skos:broader ex:manufacturing ; skos:closeMatch nace:31 .
    ex:mechanics skos:inScheme kgo:SectorScheme ; skos:broader ex:manufacturing ; skos:closeMatch nace:28 .
    ex:machinery skos:inScheme kgo:SectorScheme ; skos:broader ex:manufacturing ; skos:closeMatch nace:28 .
    ex:industrial skos:inScheme kgo:SectorScheme .
    ex:manufacturing skos:inScheme kgo:SectorScheme .
"""


def sectors_snippet(*parts: tuple[str, str, str]) -> str:
    """Levels of sectors of Marche's exports to the world in the first half of 2023 (9.874,2 million in all):
    (sector, amount, hedge) each."""
    lines = [SECTORS]
    for sector, amount, hedge in parts:
        lines.append(f"""
    ex:marche-world-{sector} a kgo:Cell ; kgo:flow kgo:export ; kgo:origin ex:marche ; kgo:sector ex:{sector} ;
        kgo:destination <https://example.org/kg/id/place/world> ; kgo:period ex:h1-2023 ;
        rdfs:label "Marche exports to the world, {sector}, January–June 2023"@en .
    """ + level(sector, f"marche-world-{sector}", amount, "100000000.0", hedge=hedge))
    return cells_snippet("\n".join(lines))


def direction_snippet(direction: str, extra: str = "") -> str:
    """A change of Marche's exports to the world (9.874,2 million) against the first half of 2022 (9.306,5 million)."""
    return cells_snippet(f"""
    ex:change a kgo:Change ; kgo:cell ex:marche-world ; kgo:referencePeriod ex:h1-2022 ; kgo:direction kgo:{direction} ;
        kgo:hedge kgo:exact . {extra}""")


SNIPPETS = [
    # evidence equals the text between its offsets (0-based code points; SPARQL SUBSTR is 1-based)
    Snippet("code-point-offsets", "EvidenceMatchesText", evidence_snippet(15, 28), None),
    Snippet("utf8-byte-offsets", "EvidenceMatchesText", evidence_snippet(17, 32), EX.figure),
    Snippet("off-by-one", "EvidenceMatchesText", evidence_snippet(16, 29), EX.figure),
    # ... and so does a sentence (rdf:value)
    Snippet("sentence-same-text", "EvidenceMatchesText", sentence_snippet("L’export cresce."), None),
    Snippet("sentence-other-text", "EvidenceMatchesText", sentence_snippet("L’export cala."), EX.sentence1),
    # 1.210,4 million of 9.874,2 million is 12.26 %: "more than 10 %" is true, "less than 10 %" (± 0.5) is not
    Snippet("share-more-than-10", "ShareAgreesWithLevels", hedged_share_of_cells_snippet("10", "moreThan"), None),
    Snippet("share-less-than-10", "ShareAgreesWithLevels", hedged_share_of_cells_snippet("10", "lessThan"), EX.share),
    # the first half of 2023 (9.874,2 million) within the year: at most what the year is
    Snippet("half-year-below-year", "CellWithinCoveringCell", year_snippet("19000000000.0"), None),
    Snippet("half-year-above-year", "CellWithinCoveringCell", year_snippet("9000000000.0"), EX["marche-2023"]),
    # fashion 5 billion + furniture 4 billion = 9 billion, within 9.874,2 million; 6 + 4,5 = 10,5 billion is not
    Snippet("sectors-within", "SectorsWithinCell",
            sectors_snippet(("fashion", "5000000000.0", "exact"), ("furniture", "4000000000.0", "exact")), None),
    Snippet("sectors-above", "SectorsWithinCell",
            sectors_snippet(("fashion", "6000000000.0", "exact"), ("furniture", "4500000000.0", "exact")), EX["marche-2023"]),
    # "about 6 billion" is at least 5.4 (less half of its precision): 5,35 + 4,45 = 9,8 billion fits; "more than" does not
    Snippet("about-6-billion", "SectorsWithinCell",
            sectors_snippet(("fashion", "6000000000.0", "about"), ("furniture", "4500000000.0", "exact")), None),
    Snippet("more-than-6-billion", "SectorsWithinCell",
            sectors_snippet(("fashion", "6000000000.0", "moreThan"), ("furniture", "4500000000.0", "exact")), EX["marche-2023"]),
    # clothing is part of fashion, mechanics and machinery are both NACE 28, industrial has no known extent:
    # such parts may overlap and are not added up
    Snippet("clothing-within-fashion", "SectorsWithinCell",
            sectors_snippet(("fashion", "6000000000.0", "exact"), ("clothing", "4500000000.0", "exact")), None),
    Snippet("two-sectors-of-one-division", "SectorsWithinCell",
            sectors_snippet(("mechanics", "6000000000.0", "exact"), ("machinery", "4500000000.0", "exact")), None),
    Snippet("industrial-unknown-extent", "SectorsWithinCell",
            sectors_snippet(("fashion", "6000000000.0", "exact"), ("industrial", "4500000000.0", "exact")), None),
    # 9.874,2 million against 9.306,5 million is an increase
    Snippet("stated-increase", "DirectionAgreesWithLevels", direction_snippet("increase"), None),
    Snippet("stated-decrease", "DirectionAgreesWithLevels", direction_snippet("decrease"), EX.change),
    # a change with a value is kgs:ChangeAgreesWithLevels' to check
    Snippet("decrease-with-a-value", "DirectionAgreesWithLevels",
            direction_snippet("decrease", "ex:change kgo:changePercent -6.1 ; kgo:unit kgo:percent ; kgo:precision 0.1 ."), None),
    # completion not stated: Api must not be recorded as owned by Socar; once completed it may
    # cells: "1,2 miliardi" agrees with 1.234,6 million; 1,3 miliardi does not (reported on the higher figure)
    Snippet("rounded-restatement", "FigureRestated", restated_snippet("1200000000.0", "100000000.0"), None),
    Snippet("other-value", "FigureRestated", restated_snippet("1300000000.0", "100000000.0"), EX.later),
    Snippet("about-1.3-billion", "FigureRestated", restated_snippet("1300000000.0", "100000000.0").replace(
        'kgo:hedge kgo:exact ; kgo:statedIn ex:r2', 'kgo:hedge kgo:about ; kgo:statedIn ex:r2'), None),
    # a projection is no observed value: it does not exceed a whole (nor restate a level: tests/test_cell_checks.py)
    Snippet("projected-province-above-region", "CellWithinCoveringCell",
            cells_snippet(level("ancona-2023", "ancona-world", "12915300000.0", "100000.0") + """
    ex:ancona-2023 <http://purl.org/linked-data/sdmx/2009/attribute#obsStatus> <http://purl.org/linked-data/sdmx/2009/code#obsStatus-F> .
    """), None),
    # 1.210,4 million of 9.874,2 million is 12.26 %
    Snippet("share-12.3", "ShareAgreesWithLevels", share_of_cells_snippet("12.3"), None),
    Snippet("share-21.3", "ShareAgreesWithLevels", share_of_cells_snippet("21.3"), EX.share),
    Snippet("province-below-region", "CellWithinCoveringCell",
            cells_snippet(level("ancona-2023", "ancona-world", "2915300000.0", "100000.0")), None),
    Snippet("province-above-region", "CellWithinCoveringCell",
            cells_snippet(level("ancona-2023", "ancona-world", "12915300000.0", "100000.0")), EX["ancona-2023"]),
    Snippet("partner-above-world", "CellWithinCoveringCell",
            cells_snippet(level("germany", "marche-germany", "11210400000.0", "100000.0")), EX.germany),
    # 9.874,2 / 9.306,5 - 1 = 6.10 %
    Snippet("change-6.1", "ChangeAgreesWithLevels", change_of_cells_snippet("6.1"), None),
    Snippet("change-9.1", "ChangeAgreesWithLevels", change_of_cells_snippet("9.1"), EX.change),
    Snippet("change-minus-6.1", "ChangeAgreesWithLevels", change_of_cells_snippet("-6.1"), EX.change),
    Snippet("not-stated-no-parent", "NoCompletionUnlessStated", acquisition_snippet("statusNotStated"), None),
    Snippet("completed-with-parent", "NoCompletionUnlessStated",
            acquisition_snippet("completed", "ex:api schema:parentOrganization ex:socar ."), None),
    Snippet("exact-with-both-bounds", "BoundsFollowHedge", bounds_snippet("exact", min_value=True, max_value=True), None),
    Snippet("more-than-with-lower-bound", "BoundsFollowHedge", bounds_snippet("moreThan", min_value=True), None),
    Snippet("about-without-bounds", "BoundsFollowHedge", bounds_snippet("about"), None),
    Snippet("exact-without-upper-bound", "BoundsFollowHedge", bounds_snippet("exact", min_value=True), EX.figure),
    Snippet("almost-with-upper-bound", "BoundsFollowHedge", bounds_snippet("almost", max_value=True), None),
    Snippet("at-least-without-lower-bound", "BoundsFollowHedge", bounds_snippet("atLeast"), EX.figure),
    Snippet("less-than-with-lower-bound", "BoundsFollowHedge",
            bounds_snippet("lessThan", min_value=True, max_value=True), EX.figure),
    Snippet("bound-other-than-value", "BoundsFollowHedge",
            bounds_snippet("moreThan", min_value=True) + "ex:figure schema:minValue 7000000.0 .", EX.figure),
    # the bounds of every kind of figure, on its own number
    Snippet("exact-share-with-both-bounds", "BoundsFollowHedge",
            "ex:figure a kgo:Share ; kgo:sharePercent 3.8 ; kgo:hedge kgo:exact ; schema:minValue 3.8 ; schema:maxValue 3.8 .", None),
    Snippet("share-bound-other-than-its-percentage", "BoundsFollowHedge",
            "ex:figure a kgo:Share ; kgo:sharePercent 3.8 ; kgo:hedge kgo:exact ; schema:minValue 3.4 ; schema:maxValue 3.8 .",
            EX.figure),
    Snippet("over-12-percent-change", "BoundsFollowHedge",
            "ex:figure a kgo:Change ; kgo:changePercent 12.0 ; kgo:hedge kgo:moreThan ; schema:minValue 12.0 .", None),
    Snippet("change-by-direction-without-bounds", "BoundsFollowHedge",
            "ex:figure a kgo:Change ; kgo:hedge kgo:exact .", None),
    Snippet("change-by-direction-with-a-bound", "BoundsFollowHedge",
            "ex:figure a kgo:Change ; kgo:hedge kgo:exact ; schema:minValue 0.0 .", EX.figure),
    # "circa 250 milioni" keeps "circa"; an exact figure has no hedge words
    Snippet("about-with-words", "HedgeKeepsItsWords", 'ex:figure kgo:hedge kgo:about ; kgo:hedgeText "circa"@it .', None),
    Snippet("exact-without-words", "HedgeKeepsItsWords", "ex:figure kgo:hedge kgo:exact .", None),
    Snippet("more-than-without-words", "HedgeKeepsItsWords", "ex:figure kgo:hedge kgo:moreThan .", EX.figure),
    # a trade deficit of 1,2 miliardi is a negative balance; exports are never negative
    Snippet("negative-balance", "NegativeOnlyForBalance",
            "ex:figure kgo:tradeValue -1200000000.0 ; kgo:cell ex:cell . ex:cell kgo:flow kgo:balance .", None),
    Snippet("positive-export", "NegativeOnlyForBalance",
            "ex:figure kgo:tradeValue 1200000000.0 ; kgo:cell ex:cell . ex:cell kgo:flow kgo:export .", None),
    Snippet("negative-export", "NegativeOnlyForBalance",
            "ex:figure kgo:tradeValue -1200000000.0 ; kgo:cell ex:cell . ex:cell kgo:flow kgo:export .", EX.figure),
    # "+23,4%", "-0,3 punti" of a share, "-2,9 punti" of a contribution, "più che raddoppiato", "+984 milioni",
    # "in lieve flessione" (a direction only)
    Snippet("change-in-percent", "ChangeValueInItsUnit",
            "ex:figure a kgo:Change ; kgo:changePercent 23.4 ; kgo:unit kgo:percent ; kgo:precision 0.1 .", None),
    Snippet("change-in-points-of-a-share", "ChangeValueInItsUnit",
            "ex:figure a kgo:Change ; kgo:changePoints -0.3 ; kgo:unit kgo:points ; kgo:precision 0.1 ; kgo:shareOf ex:whole .",
            None),
    Snippet("contribution-in-points", "ChangeValueInItsUnit",
            "ex:figure a kgo:Change ; kgo:changePoints -2.9 ; kgo:unit kgo:points ; kgo:precision 0.1 ; kgo:contributionTo ex:whole .",
            None),
    Snippet("change-as-a-factor", "ChangeValueInItsUnit",
            "ex:figure a kgo:Change ; kgo:changeFactor 2.0 ; kgo:unit kgo:factor ; kgo:precision 1.0 .", None),
    Snippet("change-in-euro", "ChangeValueInItsUnit",
            f"ex:figure a kgo:Change ; kgo:changeAmount 984000000.0 ; kgo:unit {EUR_IRI} ; kgo:precision 1000000.0 .", None),
    Snippet("change-by-direction", "ChangeValueInItsUnit", "ex:figure a kgo:Change ; kgo:direction kgo:decrease .", None),
    Snippet("change-in-percent-and-euro", "ChangeValueInItsUnit",
            "ex:figure a kgo:Change ; kgo:changePercent 23.4 ; kgo:changeAmount 984000000.0 ; kgo:unit kgo:percent ;"
            " kgo:precision 0.1 .", EX.figure),
    Snippet("change-in-percent-without-precision", "ChangeValueInItsUnit",
            "ex:figure a kgo:Change ; kgo:changePercent 23.4 ; kgo:unit kgo:percent .", EX.figure),
    Snippet("change-in-percent-as-points", "ChangeValueInItsUnit",
            "ex:figure a kgo:Change ; kgo:changePercent 23.4 ; kgo:unit kgo:points ; kgo:precision 0.1 .", EX.figure),
    Snippet("change-in-euro-without-currency", "ChangeValueInItsUnit",
            "ex:figure a kgo:Change ; kgo:changeAmount 984000000.0 ; kgo:unit kgo:percent ; kgo:precision 1000000.0 .", EX.figure),
    Snippet("points-of-nothing", "ChangeValueInItsUnit",
            "ex:figure a kgo:Change ; kgo:changePoints -0.3 ; kgo:unit kgo:points ; kgo:precision 0.1 .", EX.figure),
    Snippet("direction-with-a-unit", "ChangeValueInItsUnit", "ex:figure a kgo:Change ; kgo:unit kgo:percent .", EX.figure),
    Snippet("contribution-in-percent", "ChangeValueInItsUnit",
            "ex:figure a kgo:Change ; kgo:changePercent -2.9 ; kgo:unit kgo:percent ; kgo:precision 0.1 ; kgo:contributionTo ex:whole .",
            EX.figure),
    Snippet("derived-with-note", "DerivedValueExplained",
            'ex:meeting kgo:dateBasis kgo:derived ; kgo:derivationNote "the most recent Tuesday"@en .', None),
    Snippet("stated-without-note", "DerivedValueExplained", "ex:figure kgo:periodBasis kgo:stated .", None),
    Snippet("implied-without-note", "DerivedValueExplained", "ex:figure kgo:periodBasis kgo:implied .", EX.figure),
    Snippet("not-stated-with-parent", "NoCompletionUnlessStated",
            acquisition_snippet("statusNotStated", "ex:api schema:parentOrganization ex:socar ."), EX.deal),
]


def test_snippet_offsets_are_python_indices():
    assert EVIDENCE_TEXT[15:28] == "l’Azerbaigian"
    assert EVIDENCE_TEXT.encode()[17:32].decode() == "l’Azerbaigian"
    assert SENTENCE_TEXT[26:42] == "L’export cresce."


def test_snippets_carry_every_hedge_factor():
    hedges = {h for h, _p, _o in HEDGE_FACTORS}
    assert hedges == {KGO.exact, KGO.about, KGO.moreThan, KGO.lessThan, KGO.almost, KGO.atLeast, KGO.atMost}
    assert (KGO.moreThan, KGO.checkUpperFactor, None) not in KG_TTL  # "more than" has no upper bound
    assert (KGO.atLeast, KGO.checkUpperFactor, None) not in KG_TTL  # nor "at least"


def test_every_sparql_check_has_a_valid_and_an_invalid_snippet():
    checks = {check for shape in (KGS.ReleaseChecks, KGS.CorpusChecks, KGS.CorpusWarnings) for check in SHAPES.objects(shape, SH.sparql)}
    assert checks == set(SHAPES.subjects(RDF.type, SH.SPARQLConstraint))
    valid = {KGS[s.check] for s in SNIPPETS if s.offending is None}
    invalid = {KGS[s.check] for s in SNIPPETS if s.offending is not None}
    assert checks - valid == set(), "SPARQL checks without a valid snippet"
    assert checks - invalid == set(), "SPARQL checks without an invalid snippet"
    assert (valid | invalid) - checks == set(), "snippets for checks that shapes.ttl does not have"


@pytest.mark.parametrize("snippet", [s for s in SNIPPETS if s.offending is None], ids=lambda s: f"{s.check}-{s.id}")
def test_sparql_check_accepts(snippet: Snippet):
    conforms, _values, messages = check(snippet.check, snippet.turtle)
    assert conforms, messages


@pytest.mark.parametrize("snippet", [s for s in SNIPPETS if s.offending is not None], ids=lambda s: f"{s.check}-{s.id}")
def test_sparql_check_rejects(snippet: Snippet):
    conforms, values, messages = check(snippet.check, snippet.turtle)
    assert not conforms
    assert values == {snippet.offending}, messages


def test_the_sectors_check_names_the_sector_levels_it_adds_up():
    """Fashion 6 billion and furniture 4,5 billion of release r1 add up to more than the 9.874,2 million of all goods:
    the finding names both sectors' figures, with their release and value, in the order of their names."""
    conforms, _values, [message] = check("SectorsWithinCell", sectors_snippet(
        ("fashion", "6000000000.0", "exact"), ("furniture", "4500000000.0", "exact")))
    assert not conforms
    assert message.endswith("(the sectors: figure fashion of release r1, 6000000000 EUR; "
                            "figure furniture of release r1, 4500000000 EUR)"), message


def test_the_direction_check_names_a_level_of_each_cell():
    """A decrease stated for the first half of 2023 whose level (9.874,2 million) is above that of 2022 (9.306,5
    million): the finding names the two levels, with their release and value."""
    conforms, _values, [message] = check("DirectionAgreesWithLevels", direction_snippet("decrease"))
    assert not conforms
    assert "EUR; figure marche-2023 of release r1, 9874200000)" in message, message
    assert "EUR; figure marche-2022 of release r1, 9306500000)" in message, message


def test_sparql_checks_have_labels_messages_and_prefixes():
    for constraint in {c for shape in (KGS.ReleaseChecks, KGS.CorpusChecks, KGS.CorpusWarnings) for c in SHAPES.objects(shape, SH.sparql)}:
        assert SHAPES.value(constraint, RDFS.label) is not None, constraint
        assert SHAPES.value(constraint, SH.message) is not None, constraint
        assert SHAPES.value(constraint, SH.prefixes) == KGS_ONTOLOGY, constraint


# --------------------------------------------------------------------------- every resource has an IRI


def test_blank_node_is_reported(graph):
    g2 = copy_of(graph)
    g2.add((fact("socar-acquires-api"), RDFS.seeAlso, BNode()))

    report = validate_graph(g2)

    assert not report.conforms
    blank = [f for f in report.findings if f.rule == "every resource has an IRI"]
    assert [f.label for f in blank] == ["the whole graph"]
    assert str(RDFS.seeAlso) in blank[0].message


# --------------------------------------------------------------------------- the readable report


def test_report_names_fact_rule_and_sentence(graph):
    share = fact("marche-azerbaijan-share-2024")
    g2 = copy_of(graph)
    for prop in (KGO.sharePercent, SCHEMA.minValue, SCHEMA.maxValue):  # an exact share is its own bounds
        g2.set((share, prop, Literal("0.5", datatype=XSD.decimal)))

    report = validate_graph(g2)

    assert not report.conforms
    assert len(report.findings) == 1, report.text()
    finding = report.findings[0]
    assert finding.node == str(share)
    assert finding.label == "Marche exports to Azerbaijan, 2024: 0.05% of Marche exports to the world"  # as built
    assert finding.rule == "a share agrees with the levels of its cells"
    assert "the stated share 0.5 %" in finding.message
    assert "pari allo 0,05% del totale dell’export regionale" in finding.sentence
    text = report.text()
    assert text.startswith("Conforms: no (1 violation).\n")
    assert "✗ Marche exports to Azerbaijan, 2024: 0.05% of Marche exports to the world\n" in text
    assert "  rule: a share agrees with the levels of its cells\n" in text
    assert "  sentence: «" in text and "pari allo 0,05% del totale dell’export regionale" in text


def test_report_names_rules_when_validating_against_another_ontology_folder(graph, tmp_path):
    """validate_graph(graph, ontology) must read its rule names from the shapes it validated with."""
    import shutil

    ontology = tmp_path / "ontology"
    shutil.copytree(ROOT / "ontology", ontology)
    g2 = copy_of(graph)
    g2.add((RELEASE, SCHEMA.datePublished, Literal(date(2026, 2, 21))))

    report = validate_graph(g2, ontology)

    assert not report.conforms
    assert [f.rule for f in report.findings] == ["press release must have a valid publication date"]


# --------------------------------------------------------------------------- the recorded digests of the checks


def test_the_recorded_digests_of_the_checks_are_current(request):
    """ontology/shapes-checked.json spares a build the parse of every check: it must list exactly the
    checks of shapes.ttl as pyshacl sends them, each having passed the guard (make golden rewrites it)."""
    import json

    from kg.check.shacl import CHECKED_FILE, compute_checks
    from kg.resources import ONTOLOGY_DIR

    computed = compute_checks()
    path = ONTOLOGY_DIR / CHECKED_FILE
    if request.config.getoption("--update-golden"):
        path.write_text(json.dumps(computed, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    recorded = json.loads(path.read_text(encoding="utf-8"))
    assert recorded == computed, f"{path.name} is stale: run make golden"
    assert len(recorded["checked"]) == len(set(SHAPES.subjects(RDF.type, SH.SPARQLConstraint)))


@pytest.mark.parametrize("change, refused", [
    (("?b schema:parentOrganization ?a .", "SERVICE <http://127.0.0.1:9/sparql> { ?b schema:parentOrganization ?a }"), "SERVICE"),
    (("SELECT $this ?value WHERE {\n            ?value kgo:acquirer", "SELECT $this ?value FROM <http://127.0.0.1:9/g> WHERE {\n            ?value kgo:acquirer"), "FROM"),
])
def test_a_check_not_recorded_is_still_guarded(tmp_path, change, refused):
    """A shapes file whose check calls another endpoint or reads another graph is refused before
    Oxigraph runs it (pyshacl refuses SERVICE itself; kg.check.guard refuses FROM)."""
    import shutil

    import pyoxigraph

    from kg.check.shacl import check_store
    from kg.errors import KgError
    from kg.resources import ONTOLOGY_DIR

    ontology = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY_DIR, ontology)
    shapes = (ontology / "shapes.ttl").read_text(encoding="utf-8")
    assert shapes.count(change[0]) == 1
    (ontology / "shapes.ttl").write_text(shapes.replace(*change), encoding="utf-8")
    with pytest.raises(KgError, match=refused):
        check_store(pyoxigraph.Store(), ontology, "corpus")
