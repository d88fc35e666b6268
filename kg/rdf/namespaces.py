"""The project's vocabularies, declared once.

``KGO`` is the project's own ontology (``ontology/kg.ttl``); it is a
``DefinedNamespace`` so a typo such as ``KGO.tradeValeu`` fails at import time
instead of writing a wrong IRI. ``KGR`` is the base of the resources the builder
mints. ``bind_prefixes`` gives every graph the same prefixes, so Turtle output
is stable.
"""

from collections.abc import Iterable
from typing import cast

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD, DefinedNamespace
from rdflib.term import Identifier, Node

ONTOLOGY_IRI = URIRef("https://example.org/kg/ontology")
RESOURCE_BASE = "https://example.org/kg/id/"


class KGO(DefinedNamespace):
    """Terms of the kg ontology; see ``ontology/kg.ttl`` for labels and definitions."""

    _NS = Namespace("https://example.org/kg/ontology#")
    _fail = True

    # classes
    PressRelease: URIRef
    Sentence: URIRef
    Evidence: URIRef
    Fact: URIRef
    SectorStatement: URIRef
    Meeting: URIRef
    Quotation: URIRef
    PostHolding: URIRef
    Acquisition: URIRef
    Figure: URIRef
    CurrentFigure: URIRef
    Level: URIRef
    Change: URIRef
    Share: URIRef
    Rank: URIRef
    Ratio: URIRef
    Projection: URIRef
    Cell: URIRef
    Series: URIRef
    DataSource: URIRef
    FigureStatus: URIRef
    RankDimension: URIRef
    RankMeasure: URIRef
    Denominator: URIRef
    MeasureUnit: URIRef
    Region: URIRef
    Province: URIRef
    Municipality: URIRef
    Premises: URIRef
    AllDestinations: URIRef
    PlaceMembership: URIRef
    Sector: URIRef
    Hedge: URIRef
    Basis: URIRef
    Direction: URIRef
    Assessment: URIRef
    DealStatus: URIRef
    Flow: URIRef
    ReferenceKind: URIRef
    # concept schemes
    HedgeScheme: URIRef
    BasisScheme: URIRef
    DirectionScheme: URIRef
    AssessmentScheme: URIRef
    DealStatusScheme: URIRef
    FlowScheme: URIRef
    ReferenceKindScheme: URIRef
    FigureStatusScheme: URIRef
    RankDimensionScheme: URIRef
    RankMeasureScheme: URIRef
    DenominatorScheme: URIRef
    MeasureUnitScheme: URIRef
    SectorScheme: URIRef
    RoleScheme: URIRef
    # data structures of the trade cube: one per measure
    levelStructure: URIRef
    shareStructure: URIRef
    changePercentStructure: URIRef
    changePointsStructure: URIRef
    changeFactorStructure: URIRef
    changeAmountStructure: URIRef
    directionStructure: URIRef
    rankStructure: URIRef
    ratioStructure: URIRef
    # object properties
    evidence: URIRef
    inSentence: URIRef
    statedIn: URIRef
    origin: URIRef
    destination: URIRef
    period: URIRef
    sector: URIRef
    flow: URIRef
    unit: URIRef
    hedge: URIRef
    periodBasis: URIRef
    dateBasis: URIRef
    referencePeriod: URIRef
    referenceKind: URIRef
    direction: URIRef
    assessment: URIRef
    post: URIRef
    speakerPost: URIRef
    acquirer: URIRef
    acquired: URIRef
    dealStatus: URIRef
    accreditedTo: URIRef
    country: URIRef
    datelinePlace: URIRef
    premisesOf: URIRef
    memberOf: URIRef
    memberPlace: URIRef
    complementOf: URIRef
    cell: URIRef
    series: URIRef
    excludes: URIRef
    status: URIRef
    dataSource: URIRef
    shareOf: URIRef
    contributionTo: URIRef
    rankAmong: URIRef
    rankWithin: URIRef
    rankAmongKind: URIRef
    rankBy: URIRef
    denominator: URIRef
    elaboratedBy: URIRef
    referenceBasis: URIRef
    # datatype properties
    memberSince: URIRef
    memberUntil: URIRef
    tradeValue: URIRef
    sharePercent: URIRef
    hedgeText: URIRef
    magnitudeText: URIRef
    changePercent: URIRef
    changeAmount: URIRef
    scopeNote: URIRef
    statedAs: URIRef
    delegation: URIRef
    derivationNote: URIRef
    iso3166Code: URIRef
    istatCode: URIRef
    sentenceIndex: URIRef
    checkLowerFactor: URIRef
    checkUpperFactor: URIRef
    factId: URIRef
    precision: URIRef
    changePoints: URIRef
    changeFactor: URIRef
    rankPosition: URIRef
    ratioValue: URIRef
    denominatorText: URIRef
    # individuals: hedges
    exact: URIRef
    about: URIRef
    moreThan: URIRef
    lessThan: URIRef
    almost: URIRef
    atLeast: URIRef
    atMost: URIRef
    # individuals: basis of a value
    stated: URIRef
    carried: URIRef
    implied: URIRef
    derived: URIRef
    # individuals: direction of a change
    increase: URIRef
    decrease: URIRef
    stable: URIRef
    # individuals: what a sector statement says
    concentration: URIRef
    growthOpportunity: URIRef
    mainProducts: URIRef
    predominant: URIRef
    # individuals: deal status as the text states it
    statusNotStated: URIRef
    announced: URIRef
    completed: URIRef
    # individuals: flows
    export: URIRef
    turnover: URIRef
    balance: URIRef
    # individuals: a figure's status
    provisional: URIRef
    revised: URIRef
    final: URIRef
    # individuals: what a rank ranks among, and by
    origins: URIRef
    destinations: URIRef
    sectors: URIRef
    level: URIRef
    change: URIRef
    # individuals: denominators of a ratio
    perResident: URIRef
    perEmployee: URIRef
    ofValueAdded: URIRef
    ofGdp: URIRef
    ofNationalAverage: URIRef
    otherDenominator: URIRef
    # individuals: units of measures that are not money
    percent: URIRef
    points: URIRef
    factor: URIRef
    position: URIRef
    # individuals: what a change is made against
    samePeriodPreviousYear: URIRef
    previousPeriod: URIRef
    otherPeriod: URIRef
    # the sector of a figure whose cell names none
    allGoods: URIRef
    # the node that whole-graph SHACL checks aim at
    GraphChecks: URIRef


# Each term of KGO as an attribute of the class: rdflib's DefinedNamespace makes a new term on every
# access (1.6 µs, and a build reads hundreds of thousands), an attribute is read at once. A name not
# declared above still fails (DefinedNamespace's own lookup, as before).
for _name in KGO.__annotations__:
    type.__setattr__(KGO, _name, URIRef(str(KGO._NS) + _name))

# `import` is a Python keyword; the ontology term is kgo:import.
KGO_IMPORT = URIRef(str(KGO._NS) + "import")

KGR = Namespace(RESOURCE_BASE)
SCHEMA = Namespace("http://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
QB = Namespace("http://purl.org/linked-data/cube#")
OA = Namespace("http://www.w3.org/ns/oa#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SDMXA = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
SH = Namespace("http://www.w3.org/ns/shacl#")
KGS = Namespace("https://example.org/kg/shapes#")  # the shapes of ontology/shapes.ttl
EUR = URIRef("http://publications.europa.eu/resource/authority/currency/EUR")
USD = URIRef("http://publications.europa.eu/resource/authority/currency/USD")
SDMX_CODE = Namespace("http://purl.org/linked-data/sdmx/2009/code#")
WD = Namespace("http://www.wikidata.org/entity/")
NACE = Namespace("http://data.europa.eu/ux2/nace2/")

PREFIXES = {
    "kgo": KGO._NS,
    "kgr": KGR,
    "schema": SCHEMA,
    "org": ORG,
    "qb": QB,
    "oa": OA,
    "foaf": FOAF,
    "time": TIME,
    "skos": SKOS,
    "prov": PROV,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "dcterms": DCTERMS,
    "sdmx-attribute": SDMXA,
    "wd": WD,
    "nace": NACE,
    "sh": SH,
}


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project's prefixes (replacing rdflib's defaults) and return the graph."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, Namespace(str(namespace)), override=True, replace=True)
    return graph


def new_graph() -> Graph:
    """An empty in-memory graph with the project's prefixes bound (its store: :mod:`kg.rdf.memory`)."""
    from kg.rdf.memory import MemoryGraph

    return bind_prefixes(MemoryGraph(bind_namespaces="none"))


def ordered(nodes: Iterable[Node]) -> list[Identifier]:
    """A graph's nodes in rdflib's order (by kind, then text). rdflib types them as ``Node``, which has
    no order; they are IRIs, blank nodes and literals, which do."""
    return sorted(cast("Iterable[Identifier]", nodes))
