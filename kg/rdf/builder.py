"""Annotation -> rdflib.Graph.

Every fact becomes its own node (an n-ary relation, since rdflib 7 has no
RDF-star) typed ``kgo:Fact`` plus its standard class, with IRIs minted from
ids (never blank nodes) and provenance as W3C Web Annotation selectors back to
the release, whose full text is in the graph. See README.md, "Ontology".

The classes of each node, the fields that map directly onto one property and
the term of every enum value come from :mod:`kg.model.schema`; this module adds,
per fact kind, the labels and the triples that are more than one field onto one
property (a figure's cell, bounds from the hedge, the post a post fact states).
"""

from __future__ import annotations

from decimal import Decimal, localcontext
from functools import cache
from types import MappingProxyType
from typing import NamedTuple, Protocol

from babel import Locale
from babel.numbers import NumberPattern, format_currency, format_decimal, format_percent
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, TIME, XSD
from rdflib.term import Node

from kg import __version__
from kg.model.loader import Cell, Corpus, Fact, Release, Span
from kg.model.numbers import decimal_places
from kg.model.periods import Period
from kg.model.schema import CELL, ENUMS, FACT, KINDS, REGISTRY, RELEASE, Field, fact_fields, terms
from kg.rdf.gazetteer import GazetteerWriter
from kg.rdf.iris import (
    agent_iri,
    cell_iri,
    fact_iri,
    interval_iri,
    org_iri,
    person_iri,
    place_iri,
    post_iri,
    release_iri,
    role_iri,
    sector_iri,
    series_iri,
)
from kg.rdf.namespaces import (
    FOAF,
    KGO,
    KGO_IMPORT,
    KGR,
    OA,
    ORG,
    PREFIXES,
    QB,
    SCHEMA,
    SDMX_CODE,
)

# the terms written for every sentence and every quote, made once: a namespace makes a new term on each
# access (2 µs; a release's build reads them some 600 times)
A, LABEL, VALUE = RDF.type, RDFS.label, RDF.value
HAS_SOURCE, HAS_SELECTOR, EXACT, PREFIX, SUFFIX, START, END = (OA.hasSource, OA.hasSelector, OA.exact, OA.prefix, OA.suffix,
                                                               OA.start, OA.end)
QUOTE_SELECTOR, POSITION_SELECTOR, SPECIFIC_RESOURCE = OA.TextQuoteSelector, OA.TextPositionSelector, OA.SpecificResource

SDMX_ESTIMATED = SDMX_CODE["obsStatus-E"]
SDMX_FORECAST = SDMX_CODE["obsStatus-F"]
SDMX_OBS_STATUS = URIRef("http://purl.org/linked-data/sdmx/2009/attribute#obsStatus")
SOFTWARE = KGR["software/kg"]


def term(name: str) -> URIRef:
    """The IRI of a term :mod:`kg.model.schema` names: a prefixed name (``kgo:moreThan``,
    ``schema:Corporation``) or a full IRI. A ``kgo:`` name the namespace lacks fails here."""
    if "://" in name:
        return URIRef(name)
    prefix, local = name.split(":", 1)
    if prefix == "kgo":
        return KGO_IMPORT if local == "import" else KGO[local]
    return URIRef(str(PREFIXES[prefix]) + local)


# every term of the schema, resolved once (at import, so a wrong name fails at once)
TERMS = MappingProxyType({name: term(name) for name in sorted(terms())})
# (enum, value) -> the terms the value becomes
ENUM_TERMS = MappingProxyType({
    (enum.name, value.name): tuple(TERMS[t] for t in value.terms) for enum in ENUMS.values() for value in enum.values
})
# the fields written on a figure's cell, not on the figure
CELL_FIELDS = tuple(f for f in CELL if f.on == "cell")
# the property of a change's value, by its unit
CHANGE_PROPERTIES = MappingProxyType({"percent": KGO.changePercent, "points": KGO.changePoints, "factor": KGO.changeFactor,
                                      "EUR": KGO.changeAmount, "USD": KGO.changeAmount})
# the data set of a figure: the release's figures of one measure, under that measure's structure (kg.ttl), by the
# measure: the last part of the data set's IRI, its structure and the words of its labels
DATA_SETS = MappingProxyType({
    KGO.tradeValue: ("levels", KGO.levelStructure, "valori e previsioni", "levels and projections"),
    KGO.sharePercent: ("shares", KGO.shareStructure, "quote", "shares"),
    KGO.changePercent: ("changes-percent", KGO.changePercentStructure, "variazioni percentuali", "changes in per cent"),
    KGO.changePoints: ("changes-points", KGO.changePointsStructure, "variazioni in punti", "changes in points"),
    KGO.changeFactor: ("changes-factor", KGO.changeFactorStructure, "variazioni come multiplo", "changes as a factor"),
    KGO.changeAmount: ("changes-amount", KGO.changeAmountStructure, "variazioni in valore", "changes in amount"),
    KGO.direction: ("directions", KGO.directionStructure, "direzioni di variazione", "directions of change"),
    KGO.rankPosition: ("ranks", KGO.rankStructure, "posizioni in classifica", "ranks"),
    KGO.ratioValue: ("ratios", KGO.ratioStructure, "rapporti", "ratios"),
})
# the measure of each kind of figure (a change's: by its unit, kgo:direction when it states none)
MEASURES = MappingProxyType({"level": KGO.tradeValue, "projection": KGO.tradeValue, "share": KGO.sharePercent,
                             "rank": KGO.rankPosition, "ratio": KGO.ratioValue})


def words(enum: str, value: str, lang: str) -> str:
    """The words labels use for an enum value ("circa " for the hedge about, in Italian)."""
    return ENUMS[enum].value(value).words(lang)


CONTEXT_CHARS = 32  # length of oa:prefix / oa:suffix


# --------------------------------------------------------------------------- builder


_DECIMAL, _NON_NEGATIVE, _DATE, _DURATION = XSD.decimal, XSD.nonNegativeInteger, XSD.date, XSD.duration


def decimal_text(value: Decimal) -> str:
    """An xsd:decimal's canonical form ("7500000.0", "0.05"), exact and stable through Turtle."""
    text = format(value, "f")
    return text if "." in text else text + ".0"


class Literals:
    """The literals a builder writes, each made once per value, language and datatype and then shared.

    rdflib makes a typed literal in 10 to 14 µs (it reads the value back from its text to know whether it
    is well typed), and a chunk of releases writes the same offsets, dates, amounts and labels again and
    again: 58 % of the literals of a chunk of 120 releases of ``kg synth`` were made before. A shared
    literal is also the same object in the graph's indexes, found there by identity. Literals are
    immutable; a release's unique texts (its sentences and quotes) are made directly."""

    def __init__(self) -> None:
        self.made: dict[tuple, Literal] = {}

    def __call__(self, value, lang: str | None = None, datatype: URIRef | None = None) -> Literal:
        kind = type(value)
        if kind is Decimal or kind is float:  # 1.0 and 1.00 are equal, but not written alike: by their text
            raise TypeError("a decimal's literal is made by Literals.decimal, from its digits")
        key = (kind, value, lang, datatype)  # the type: 1 and True are equal, and hash alike
        literal = self.made.get(key)
        if literal is None:
            literal = self.made[key] = Literal(value, lang=lang, datatype=datatype)
        return literal

    def decimal(self, value: Decimal) -> Literal:
        """An xsd:decimal in canonical form, made once per text (1.0 and 1.00 are equal Decimals)."""
        return self(decimal_text(value), datatype=_DECIMAL)

    def offset(self, value: int) -> Literal:
        """A character offset, as Web Annotation's oa:start and oa:end take it: an xsd:nonNegativeInteger."""
        return self(value, datatype=_NON_NEGATIVE)


# the words labels write after a number in points or as a multiple, by language; a currency's sign and a percent
# sign are CLDR's (Babel's formats)
UNIT_WORDS = MappingProxyType({"points": {"it": "punti", "en": "points"}, "factor": {"it": "volte", "en": "times"}})


@cache
def _pattern(lang: str, style: str, places: int) -> NumberPattern:
    """CLDR's standard ``style`` pattern (decimal, percent or currency) of ``lang`` with exactly ``places`` decimals:
    a label writes the digits the release stated, none added (7500000 EUR is "7.500.000 €", not "7.500.000,00 €")
    and none rounded away (1234.5 keeps its ",5")."""
    locale = Locale.parse(lang)
    cldr = locale.currency_formats["standard"] if style == "currency" else getattr(locale, f"{style}_formats")[None]
    return NumberPattern(cldr.pattern, cldr.prefix, cldr.suffix, cldr.grouping, cldr.int_prec, (places, places),
                         cldr.exp_prec, cldr.exp_plus, cldr.number_pattern)


def number_words(value: Decimal, unit: str, lang: str) -> str:
    """A figure's number in its unit as a label writes it in ``lang`` ("it", "en"), by Babel from CLDR, with the
    decimals it was stated with: "7.500.000 €" / "€7,500,000"; "10.600.000.000 USD" / "$10,600,000,000";
    "23,4%" / "23.4%"; "-0,3 punti" / "-0.3 points"; "2 volte" / "2 times". Babel rounds to the pattern's decimals
    in the current decimal context: its precision is raised to the number's digits, so that a 30-digit amount is
    written whole, not refused by the default 28-digit context."""
    with localcontext() as context:
        context.prec = max(context.prec, len(value.as_tuple().digits) + 2)
        return _number_words(value, unit, lang)


def _number_words(value: Decimal, unit: str, lang: str) -> str:
    places = decimal_places(value)
    if unit in ("EUR", "USD"):
        return format_currency(value, unit, _pattern(lang, "currency", places), locale=lang, currency_digits=False)
    if unit == "percent":  # a percent pattern multiplies by 100: 23.4 is 0.234 of the whole
        return format_percent(value.scaleb(-2), _pattern(lang, "percent", places), locale=lang)
    return f"{format_decimal(value, _pattern(lang, 'decimal', places), locale=lang)} {UNIT_WORDS[unit][lang]}"


class FigureKey(NamedTuple):
    """A figure as the choice of its measure's current value sees it: the figure's IRI, its measure (:func:`measure_of`),
    its status ("" when not stated), its release's date and id, its precision ("" when none), its fact id."""

    figure: str
    measure: str
    status: str
    published: str
    release: str
    precision: str
    fact: str


# what makes two figures of one cell state the same measure, besides their kind: the properties the build's
# restatement check compares them on (shapes.ttl, kgs:FigureRestated)
MEASURE_PROPERTIES = frozenset(("kgo:unit", "kgo:referencePeriod", "kgo:shareOf", "kgo:contributionTo", "kgo:denominator",
                                "kgo:rankAmong", "kgo:rankWithin", "kgo:rankAmongKind", "kgo:rankBy"))

# the order of a figure's status when figures of one measure compete: final, revised, not stated, provisional
STATUS_ORDER = {"final": 3, "revised": 2, "": 1, "provisional": 0}


def current_figures(figures) -> list[str]:
    """The IRIs of the current figures (sorted): for every measure (:func:`measure_of`), of the figures every release
    states, the one with the first status in :data:`STATUS_ORDER`, then of the later release (by date, then id), then
    the more precise (the smaller precision), then the first fact id. The project's own rule, which the library queries
    read through ``kgo:CurrentFigure`` (derived by the build: the releases state figures, never which one is current)."""
    best: dict[str, tuple] = {}
    for figure in figures:
        figure = FigureKey(*figure)
        precision = Decimal(figure.precision) if figure.precision else Decimal("Infinity")
        # the largest key wins (a smaller precision ranks higher, so it enters negated); of two with the same key,
        # the first fact id (in code point order, a prefix before the longer)
        key = (STATUS_ORDER[figure.status], figure.published, figure.release, -precision)
        held = best.get(figure.measure)
        if held is None or key > held[0] or (key == held[0] and figure.fact < held[1]):
            best[figure.measure] = (key, figure.fact, figure.figure)
    return sorted(figure for _key, _fact, figure in best.values())


class TripleSink(Protocol):
    """What the builder writes to: an rdflib Graph, or anything else that takes triples."""

    def add(self, triple: tuple[Node, Node, Node], /) -> object: ...


class Builder:
    """Writes the triples of the registry, releases and their facts into ``graph`` (labels from ``vocab``)."""

    def __init__(self, corpus: Corpus, graph: TripleSink, vocab: Graph, places: GazetteerWriter | None = None,
                 literals: Literals | None = None):
        self.corpus = corpus
        self.literal = Literals() if literals is None else literals  # shared by the builders of a chunk of releases
        self.registry = corpus.registry
        self.g = graph
        self.vocab = vocab
        self.intervals: set[Period] = set()
        gazetteer = self.registry.gazetteer
        if places is None and gazetteer is not None:
            places = GazetteerWriter(gazetteer, graph)
        self.gazetteer = places
        self.names: set[str] = set()  # "place/<id>" and "sector/<id>" of every place and sector named
        self.cells: set[Cell] = set()
        self.series: set[URIRef] = set()
        self.data_sets: set[URIRef] = set()
        # every figure written, with what decides which figure of a measure is current (:func:`current_figures`)
        self.figures: list[FigureKey] = []

    # places and sectors: the gazetteer's, written with the places that contain them and the broader
    # sectors the first time they are named (kg.rdf.gazetteer), by ``places`` when given (a build's
    # parts leave them to it: kg.pipeline.parts), else into the graph
    def place_node(self, place_id: str) -> URIRef:
        self.names.add(f"place/{place_id}")
        return self.gazetteer.place(place_id) if self.gazetteer is not None else place_iri(place_id)

    def sector_node(self, sector_id: str) -> URIRef:
        self.names.add(f"sector/{sector_id}")
        return self.gazetteer.sector(sector_id) if self.gazetteer is not None else sector_iri(sector_id)

    # labels of referenced things, from the gazetteer (else the vocabularies) and the registry
    def place_label(self, place_id: str, lang: str) -> str:
        place = self.gazetteer.gazetteer.get(place_id) if self.gazetteer is not None else None
        if place is not None:
            return place.label_it if lang == "it" else place.label_en
        for label in self.vocab.objects(place_iri(place_id), RDFS.label):
            if isinstance(label, Literal) and label.language == lang:
                return str(label)
        return place_id

    def sector_label(self, sector_id: str, lang: str) -> str:
        sector = self.gazetteer.gazetteer.get_sector(sector_id) if self.gazetteer is not None else None
        if sector is not None:
            return sector.label_it if lang == "it" else sector.label_en
        for label in self.vocab.objects(sector_iri(sector_id), SKOS.prefLabel):
            if isinstance(label, Literal) and label.language == lang:
                return str(label)
        return sector_id

    def agent_name(self, agent_id: str, lang: str = "it") -> str:
        if agent_id in self.registry.people:
            return self.registry.people[agent_id]["name"]
        entry = self.registry.organizations[agent_id]
        return entry.get("name_en", entry["name"]) if lang == "en" else entry["name"]

    def add(self, s, p, o):
        self.g.add((s, p, o))

    def labels(self, node: URIRef, it: str, en: str):
        self.add(node, LABEL, self.literal(it, "it"))
        self.add(node, LABEL, self.literal(en, "en"))

    # ----------------------------------------------------------------- fields onto properties
    def direct(self, node: URIRef, fields, values: dict, release: Release | None = None, on: str = "fact"):
        """The triples of the fields that map directly onto one property (``Field.property`` in
        :mod:`kg.model.schema`) of the node they are ``on``, the object made from the value by the field's type."""
        for f in fields:
            if f.property is None or f.on != on:
                continue
            value = values.get(f.name, f.default)
            if value is None:
                continue
            prop = TERMS[f.property]
            for obj in self.objects(f, value, release):
                self.add(node, prop, obj)

    def objects(self, f: Field, value, release: Release | None) -> tuple:
        kind = f.type
        if kind == "enum":
            assert f.enum is not None, f.name  # kg.model.schema: every enum field names its enum
            return ENUM_TERMS[f.enum, value] or (self.literal(value),)
        if kind == "place":
            return (self.place_node(value),)
        if kind == "org":
            return (org_iri(value),)
        if kind == "person":
            return (person_iri(value),)
        if kind == "role":
            return (role_iri(value),)
        if kind == "sector":
            return (self.sector_node(value),)
        if kind == "sectors":
            return tuple(self.sector_node(sector) for sector in value)
        if kind == "agent":
            return (agent_iri(self.registry, value),)
        if kind == "agents":
            return tuple(agent_iri(self.registry, agent) for agent in value)
        if kind in ("fact", "facts"):
            assert release is not None, f.name  # only a release's facts refer to facts
            return tuple(self.fact_node(release, ref) for ref in (value if kind == "facts" else [value]))
        if kind == "period":
            return (self.interval(value),)
        if kind == "date":
            return (self.literal(value, datatype=_DATE),)
        if kind in ("amount", "signed", "percent", "precision", "position"):
            return (self.literal.decimal(value),)
        if kind == "exclusions":
            return tuple(self.place_node(i) if i in self.registry.places else self.sector_node(i) for i in value)
        if kind == "cell":
            return (self.cell(value),)
        lang = f.lang
        if lang == "release":
            assert release is not None, f.name  # only a release's fields take its language
            lang = release.language
        if kind == "wordlist":
            return tuple(self.literal(item, lang) for item in value)
        return (self.literal(value, lang),)

    def fact_node(self, release: Release, fact_id: str) -> URIRef:
        """The node a reference to a fact stands for: the fact, or for a post fact the org:Post it states."""
        target = release.fact(fact_id)
        return post_iri(target.values) if target.kind == "post" else fact_iri(release.id, fact_id)

    def classes(self, node: URIRef, names):
        for name in names:
            self.add(node, A, TERMS[name])

    # ----------------------------------------------------------------- shared
    def registry_nodes(self):
        organizations, people, roles = REGISTRY["organizations"], REGISTRY["people"], REGISTRY["roles"]
        for org_id, entry in sorted(self.registry.organizations.items()):
            node = org_iri(org_id)
            self.classes(node, organizations.classes)
            self.direct(node, organizations.fields, entry)
            self.labels(node, entry["name"], entry.get("name_en", entry["name"]))
            if "part_of" in entry:
                parent = org_iri(entry["part_of"])
                prop = ORG.unitOf if entry["kind"] == "unit" else ORG.subOrganizationOf
                self.add(node, prop, parent)
            if "premises" in entry:  # the registry says whose premises the place is
                self.add(self.place_node(entry["premises"]), RDF.type, KGO.Premises)
                self.add(self.place_node(entry["premises"]), KGO.premisesOf, node)
        for person_id, entry in sorted(self.registry.people.items()):
            node = person_iri(person_id)
            self.classes(node, people.classes)
            self.direct(node, people.fields, entry)
            self.add(node, FOAF.name, Literal(entry["name"]))
            self.add(node, SCHEMA.name, Literal(entry["name"]))
            self.labels(node, entry["name"], entry["name"])
        for role_id, entry in sorted(self.registry.roles.items()):
            node = role_iri(role_id)
            self.classes(node, roles.classes)
            self.direct(node, roles.fields, entry)
            self.add(node, SKOS.inScheme, KGO.RoleScheme)
            self.labels(node, entry["it"], entry["en"])
        self.add(SOFTWARE, RDF.type, PROV.SoftwareAgent)
        self.add(SOFTWARE, RDFS.label, Literal(f"kg {__version__}"))
        gazetteer = self.registry.gazetteer
        if gazetteer is not None:  # the data folder's own places and sectors (places.yaml, sectors.yaml)
            for place in gazetteer.places():
                if place.source != "kg":
                    self.place_node(place.id)
            for sector in gazetteer.sectors():
                if sector.source != "kg":
                    self.sector_node(sector.id)

    def interval(self, period: Period) -> URIRef:
        node = interval_iri(period)
        if period in self.intervals:
            return node
        self.intervals.add(period)
        self.add(node, RDF.type, TIME.ProperInterval)
        self.labels(node, period.label("it"), period.label("en"))
        self.add(node, TIME.hasXSDDuration, self.literal(period.duration, datatype=_DURATION))
        for prop, day in ((TIME.hasBeginning, period.start), (TIME.hasEnd, period.end)):
            instant = KGR[f"instant/{day.isoformat()}"]
            self.add(node, prop, instant)
            self.add(instant, RDF.type, TIME.Instant)
            self.add(instant, TIME.inXSDDate, self.literal(day, datatype=_DATE))
        return node

    def interval_containment(self):
        for triple in interval_containment(self.intervals):
            self.add(*triple)

    def current_figures(self):
        """Mark the current figure of every measure of the releases written (:func:`current_figures`)."""
        for figure in current_figures(self.figures):
            self.add(URIRef(figure), RDF.type, KGO.CurrentFigure)

    # ----------------------------------------------------------------- release
    def release(self, release: Release):
        node = release_iri(release.id)
        g = self.add
        self.classes(node, RELEASE.classes)
        # the header's fields are the Release's attributes of the same names
        self.direct(node, RELEASE.fields, {f.name: getattr(release, f.name) for f in RELEASE.fields if f.property}, release)
        g(node, SCHEMA.headline, Literal(release.headline, lang=release.language))
        g(node, RDFS.label, Literal(release.headline, lang=release.language))
        g(node, SCHEMA.text, Literal(release.text))
        # where the text came from: the annotation's own words, else its path inside the data folder
        g(node, DCTERMS.source, Literal(release.source or f"releases/{release.id}/{release.text_path.name}"))
        self.evidence(release, node, "dateline", [release.dateline_span])
        if release.author_span:
            self.evidence(release, node, "author", [release.author_span])
        for index, (start, end) in enumerate(release.sentences):
            sentence = KGR[f"release/{release.id}/sentence/{index}"]
            selector = KGR[f"release/{release.id}/sentence/{index}/position"]
            g(sentence, A, KGO.Sentence)
            g(sentence, HAS_SOURCE, node)
            g(sentence, KGO.sentenceIndex, self.literal(index))
            g(sentence, VALUE, Literal(release.text[start:end]))
            g(sentence, HAS_SELECTOR, selector)
            g(selector, A, POSITION_SELECTOR)
            g(selector, START, self.literal.offset(start))
            g(selector, END, self.literal.offset(end))
        for fact in release.facts:
            getattr(self, f"fact_{fact.kind.replace('-', '_')}")(release, fact, fact_iri(release.id, fact.id))

    def evidence(self, release: Release, subject: URIRef, key: str, spans: list[Span]):
        from kg.model.evidence import overlapping

        text, add, source = release.text, self.add, release_iri(release.id)
        for index, span in enumerate(spans):
            base = f"{subject}/evidence/{index}" if key == "fact" else f"{subject}/evidence/{key}"
            node, quote, position = URIRef(base), URIRef(base + "/quote"), URIRef(base + "/position")
            add(subject, KGO.evidence, node)
            add(node, A, KGO.Evidence)
            add(node, A, SPECIFIC_RESOURCE)
            add(node, HAS_SOURCE, source)
            add(node, HAS_SELECTOR, quote)
            add(node, HAS_SELECTOR, position)
            add(quote, A, QUOTE_SELECTOR)
            add(quote, EXACT, Literal(span.quote))
            prefix = text[max(0, span.start - CONTEXT_CHARS) : span.start]
            suffix = text[span.end : span.end + CONTEXT_CHARS]
            if prefix:
                add(quote, PREFIX, Literal(prefix))
            if suffix:
                add(quote, SUFFIX, Literal(suffix))
            add(position, A, POSITION_SELECTOR)
            add(position, START, self.literal.offset(span.start))
            add(position, END, self.literal.offset(span.end))
            for sentence in overlapping(release.sentences, span.start, span.end):
                add(node, KGO.inSentence, KGR[f"release/{release.id}/sentence/{sentence}"])

    def fact_common(self, release: Release, fact: Fact, node: URIRef, it: str, en: str):
        """What every fact has: its classes, its fields that map onto one property, labels, evidence."""
        self.classes(node, FACT.classes + KINDS[fact.kind].classes)
        self.direct(node, fact_fields(fact.kind), {"id": fact.id, **fact.values}, release)
        self.add(node, KGO.statedIn, release_iri(release.id))
        self.labels(node, it, en)
        self.evidence(release, node, "fact", fact.evidence)

    def estimate(self, node: URIRef, values: dict):
        """An estimated figure ("about") is also SDMX's obsStatus E."""
        if "hedge" in values and ENUMS["hedge"].value(values["hedge"]).estimate:
            self.add(node, SDMX_OBS_STATUS, SDMX_ESTIMATED)

    # ----------------------------------------------------------------- figures: one measure on one cell
    def cell(self, cell: Cell) -> URIRef:
        """The cell's node: its IRI, and (once per builder) its fields and labels, the same from every release."""
        node = cell_iri(cell)
        if cell in self.cells:
            return node
        self.cells.add(cell)
        self.add(node, RDF.type, KGO.Cell)
        self.direct(node, CELL_FIELDS, _cell_values(cell), on="cell")
        self.labels(node, self.cell_label(cell, "it"), self.cell_label(cell, "en"))
        series = series_iri(cell)
        self.add(node, KGO.series, series)
        if series not in self.series:
            self.series.add(series)
            self.add(series, RDF.type, KGO.Series)
            self.labels(series, self.cell_label(cell, "it", period=False), self.cell_label(cell, "en", period=False))
        return node

    def partner(self, place_id: str, lang: str) -> str:
        """A place as a trade partner in labels: the world is "il mondo", "the world"."""
        if place_id == "world":
            return "il mondo" if lang == "it" else "the world"
        return self.place_label(place_id, lang)

    def cell_label(self, cell: Cell, lang: str, period: bool = True) -> str:
        """"Marche exports to Azerbaijan, fashion, excluding pharmaceuticals, 2024"; "Export Marche verso Azerbaigian, ..."."""
        origin, destination = self.partner(cell.origin, lang), self.partner(cell.destination, lang)
        if lang == "it":
            text = {"export": f"Export {origin} verso {destination}", "import": f"Import {destination} da {origin}",
                    "turnover": f"Interscambio {origin} con {destination}",
                    "balance": f"Saldo commerciale {origin} con {destination}"}[cell.flow]
        else:
            text = {"export": f"{origin} exports to {destination}", "import": f"{destination} imports from {origin}",
                    "turnover": f"{origin} trade with {destination}",
                    "balance": f"{origin} trade balance with {destination}"}[cell.flow]
        if cell.sector is not None:
            text += f", {self.sector_label(cell.sector, lang)}"
        if cell.excludes:
            names = [self.place_label(i, lang) if i in self.registry.places else self.sector_label(i, lang) for i in cell.excludes]
            joined = ", ".join(names[:-1]) + (" e " if lang == "it" else " and ") + names[-1] if len(names) > 1 else names[0]
            text += f", {'escluso' if lang == 'it' else 'excluding'} {joined}"
        return f"{text}, {cell.period.label(lang)}" if period else text

    def figure(self, release: Release, fact: Fact, node: URIRef, measure_it: str, measure_en: str):
        """What every figure has: its cell, data set, labels ("<cell>: <measure>"), the fields on the figure,
        the bounds its hedge sets on its number, SDMX's estimated status for "about"."""
        v = fact.values
        assert fact.cell is not None, fact.id  # the loader gives every figure its cell
        cell = self.cell(fact.cell)
        it, en = self.cell_label(fact.cell, "it"), self.cell_label(fact.cell, "en")
        self.fact_common(release, fact, node, f"{it}: {measure_it}", f"{en}: {measure_en}")
        self.add(node, KGO.cell, cell)
        self.figures.append(FigureKey(str(node), self.measure_of(release, fact, cell), v.get("status") or "",
                                      release.published.isoformat(), release.id, str(v.get("precision", "")), fact.id))
        # the normalised Data Cube: the figure carries its cell's dimensions itself, kgo:allGoods for no sector
        self.direct(node, CELL_FIELDS, _cell_values(fact.cell), on="cell")
        if fact.cell.sector is None:
            self.add(node, KGO.sector, KGO.allGoods)
        self.add(node, QB.dataSet, self.data_set(release, fact))
        name = KINDS[fact.kind].value
        if name in v:
            hedge = ENUMS["hedge"].value(v["hedge"])
            if hedge.lower:
                self.add(node, SCHEMA.minValue, self.literal.decimal(v[name]))
            if hedge.upper:
                self.add(node, SCHEMA.maxValue, self.literal.decimal(v[name]))
        if fact.kind != "projection":  # a projection's one status is SDMX's F (forecast); its hedge says "about"
            self.estimate(node, v)

    def measure_of(self, release: Release, fact: Fact, cell: URIRef) -> str:
        """What a figure measures, as one string: its cell, its kind, and the terms of its fields that say what the
        number is relative to (:data:`MEASURE_PROPERTIES`); two figures with the same one state the same measure."""
        words = [str(cell), fact.kind]
        for f in KINDS[fact.kind].fields:
            value = fact.values.get(f.name, f.default)
            if f.property in MEASURE_PROPERTIES and value is not None:
                words += [f.property, *sorted(str(term) for term in self.objects(f, value, release))]
        return " ".join(words)

    def data_set(self, release: Release, fact: Fact) -> URIRef:
        """The release's data set of the figure's measure, written the first time a figure names it."""
        measure = MEASURES.get(fact.kind)
        if measure is None:  # a change: its value's property by its unit, else its direction
            unit = fact.values.get("unit")
            measure = CHANGE_PROPERTIES[unit] if "value" in fact.values and unit is not None else KGO.direction
        name, structure, it, en = DATA_SETS[measure]
        node = KGR[f"release/{release.id}/dataset/{name}"]
        if node not in self.data_sets:
            self.data_sets.add(node)
            self.add(node, RDF.type, QB.DataSet)
            self.add(node, QB.structure, structure)
            self.add(node, KGO.statedIn, release_iri(release.id))
            self.labels(node, f"{it} del comunicato {release.id}", f"{en} of release {release.id}")
        return node

    def hedged(self, v: dict, lang: str) -> str:
        return words("hedge", v["hedge"], lang)

    def whole_words(self, fact: Fact, lang: str) -> str:
        """The whole of a share (or of a change in points), without the period when it is the figure's own."""
        whole: Cell = fact.values["of"]
        assert fact.cell is not None, fact.id
        text = self.cell_label(whole, lang, period=whole.period != fact.cell.period)
        return text[0].lower() + text[1:] if lang == "it" else text

    def contribution_words(self, fact: Fact, lang: str) -> str:
        """Whose change a change contributes to: the place when only the origin differs ("Piemonte", "Piedmont's"),
        else the cell ("export Piemonte verso il mondo", "the ... 's")."""
        whole: Cell = fact.values["contribution_to"]
        assert fact.cell is not None, fact.id
        differs = [key for key in ("flow", "origin", "destination", "period", "sector", "excludes")
                   if getattr(whole, key) != getattr(fact.cell, key)]
        if differs == ["origin"]:
            name = self.place_label(whole.origin, lang)
            return name if lang == "it" else f"{name}'s"
        text = self.cell_label(whole, lang, period=False)
        return text[0].lower() + text[1:] if lang == "it" else f"{text}'s"

    def fact_level(self, release: Release, fact: Fact, node: URIRef):
        v = fact.values
        self.figure(release, fact, node, self.hedged(v, "it") + number_words(v["amount"], v["unit"], "it"),
                    self.hedged(v, "en") + number_words(v["amount"], v["unit"], "en"))

    def fact_projection(self, release: Release, fact: Fact, node: URIRef):
        v = fact.values
        self.figure(release, fact, node, "previsione: " + self.hedged(v, "it") + number_words(v["amount"], v["unit"], "it"),
                    "projected " + self.hedged(v, "en") + number_words(v["amount"], v["unit"], "en"))
        self.add(node, SDMX_OBS_STATUS, SDMX_FORECAST)  # never an observed value

    def fact_change(self, release: Release, fact: Fact, node: URIRef):
        v = fact.values
        reference: Period = v["reference_period"]
        labels = {}
        for lang in ("it", "en"):
            on = f"{'rispetto a' if lang == 'it' else 'on'} {reference.label(lang)}"
            if "value" in v:
                value, unit = v["value"], v["unit"]
                # a rise is signed, as a fall is (Babel writes its minus): "+23,4%", "-0,3 punti", "+€984,000,000"
                number = ("+" if value > 0 and unit != "factor" else "") + number_words(value, unit, lang)
                text = f"{self.hedged(v, lang)}{number} {on}"
                if "contribution_to" in v:  # "contributo di -2,9 punti alla variazione di Piemonte rispetto a ..."
                    whose = self.contribution_words(fact, lang)
                    text = (f"contributo di {self.hedged(v, lang)}{number} alla variazione di {whose} {on}" if lang == "it"
                            else f"contributed {self.hedged(v, lang)}{number} to {whose} change {on}")
            else:
                direction = words("direction", v["direction"], lang)
                if "magnitude_words" in v:  # the text's words for the size: "in lieve calo", "down («lieve»)"
                    size = v["magnitude_words"]
                    if lang == "en":
                        direction = f"{direction} («{size}»)"
                    elif direction.startswith("in "):
                        direction = f"in {size} {direction.removeprefix('in ')}"
                    else:
                        direction = f"{size} {direction}"
                text = f"{direction} {on}"
            if "of" in v:
                text += f" ({'quota su' if lang == 'it' else 'share of'} {self.whole_words(fact, lang)})"
            labels[lang] = text
        self.figure(release, fact, node, labels["it"], labels["en"])
        if "value" in v:
            self.add(node, CHANGE_PROPERTIES[v["unit"]], self.literal.decimal(v["value"]))

    def fact_share(self, release: Release, fact: Fact, node: URIRef):
        v = fact.values
        self.figure(release, fact, node,
                    f"{self.hedged(v, 'it')}{number_words(v['percent'], 'percent', 'it')} di {self.whole_words(fact, 'it')}",
                    f"{self.hedged(v, 'en')}{number_words(v['percent'], 'percent', 'en')} of {self.whole_words(fact, 'en')}")
        self.add(node, KGO.unit, KGO.percent)

    def fact_rank(self, release: Release, fact: Fact, node: URIRef):
        v = fact.values
        position = int(v["position"])
        by = v.get("by", "level")
        labels = {}
        for lang in ("it", "en"):
            among = words("place-kind", v["among_kind"], lang) if "among_kind" in v else words("rank-among", v["among"], lang)
            within = ""
            if "within" in v:
                within = f" in {self.place_label(v['within'], lang)}"
            if lang == "it":
                labels[lang] = f"{self.hedged(v, lang)}{position}° tra {among}{within} {words('rank-by', by, lang)}"
            else:
                labels[lang] = f"{self.hedged(v, lang)}{_ordinal(position)} among {among}{within} {words('rank-by', by, lang)}"
        self.figure(release, fact, node, labels["it"], labels["en"])
        self.add(node, KGO.unit, KGO.position)

    def fact_ratio(self, release: Release, fact: Fact, node: URIRef):
        v = fact.values
        labels = {}
        for lang in ("it", "en"):
            per = words("denominator", v["denominator"], lang)
            if v["unit"] == "factor" and lang == "en":
                per = per.removeprefix("of ")
            labels[lang] = f"{self.hedged(v, lang)}{number_words(v['value'], v['unit'], lang)} {per}"
        self.figure(release, fact, node, labels["it"], labels["en"])

    def fact_data_source(self, release: Release, fact: Fact, node: URIRef):
        v = fact.values
        it, en = f"Fonte: {self.agent_name(v['provider'], 'it')}", f"Data source: {self.agent_name(v['provider'], 'en')}"
        if "elaborated_by" in v:
            it += f", elaborazione di {self.agent_name(v['elaborated_by'], 'it')}"
            en += f", elaborated by {self.agent_name(v['elaborated_by'], 'en')}"
        self.fact_common(release, fact, node, it, en)

    # ----------------------------------------------------------------- other fact kinds: labels and what is more than one field
    def fact_sectors(self, release: Release, fact: Fact, node: URIRef):
        v = fact.values
        kind_it, kind_en = words("assessment", v["assessment"], "it"), words("assessment", v["assessment"], "en")
        where_it = where_en = ""
        if "origin" in v and "destination" in v:
            where_it = f" dell'export {self.place_label(v['origin'], 'it')} verso {self.place_label(v['destination'], 'it')}"
            where_en = f" of {self.place_label(v['origin'], 'en')} exports to {self.place_label(v['destination'], 'en')}"
        sectors_it = ", ".join(self.sector_label(s, "it") for s in v["sectors"])
        sectors_en = ", ".join(self.sector_label(s, "en") for s in v["sectors"])
        self.fact_common(release, fact, node, f"{kind_it.capitalize()}{where_it}: {sectors_it}", f"{kind_en.capitalize()}{where_en}: {sectors_en}")
        # a statement about an origin's or a destination's trade is about exports, its period stated
        if "origin" in v or "destination" in v:
            self.add(node, KGO.flow, ENUM_TERMS["flow", "export"][0])
        if "period" in v:
            self.add(node, KGO.periodBasis, ENUM_TERMS["basis", "stated"][0])
        self.estimate(node, v)

    def fact_post(self, release: Release, fact: Fact, node: URIRef):
        v = fact.values
        post = post_iri(v)
        role = self.registry.roles[v["role"]]
        org_it, org_en = self.agent_name(v["organization"], "it"), self.agent_name(v["organization"], "en")
        person = self.agent_name(v["person"])
        post_it, post_en = f"{role['it']} di {org_it}", f"{role['en']} of {org_en}"
        if "accredited_to" in v:
            post_it += f" in {self.place_label(v['accredited_to'], 'it')}"
            post_en += f" to {self.place_label(v['accredited_to'], 'en')}"
        if "delegation" in v:
            post_it += f" con delega a {v['delegation']}"
            post_en += f" (delegation: {v['delegation']})"
        self.add(post, RDF.type, ORG.Post)
        self.add(post, ORG.postIn, org_iri(v["organization"]))
        self.add(post, ORG.role, role_iri(v["role"]))
        self.add(post, ORG.heldBy, person_iri(v["person"]))
        self.labels(post, post_it, post_en)
        if "delegation" in v:
            self.add(post, KGO.delegation, Literal(v["delegation"], lang=release.language))
        if "accredited_to" in v:
            self.add(post, KGO.accreditedTo, self.place_node(v["accredited_to"]))
        self.fact_common(release, fact, node, f"{person}, {post_it}", f"{person}, {post_en}")
        self.add(node, KGO.post, post)

    def fact_meeting(self, release: Release, fact: Fact, node: URIRef):
        v = fact.values
        names = [self.agent_name(a) for a in v["attendees"]]
        day = v["date"].isoformat()
        it = f"Incontro tra {' e '.join(names)}, {day}"
        en = f"Meeting of {' and '.join(names)}, {day}"
        self.fact_common(release, fact, node, it, en)
        self.add(node, SCHEMA.name, self.literal(it, "it"))
        if "date_note" in v:  # written by the loader for a date derived from a weekday
            self.add(node, KGO.derivationNote, Literal(v["date_note"], lang="en"))

    def fact_quotation(self, release: Release, fact: Fact, node: URIRef):
        v = fact.values
        text = " […] ".join(span.quote for span in fact.evidence)
        speaker = self.agent_name(v["speaker"])
        short = text if len(text) <= 60 else text[:57].rstrip() + "…"
        self.fact_common(release, fact, node, f"{speaker}: «{short}»", f"{speaker}: “{short}”")
        self.add(node, SCHEMA.text, Literal(text, lang=release.language))
        self.add(node, SCHEMA.inLanguage, self.literal(release.language))
        self.add(node, SCHEMA.isBasedOn, release_iri(release.id))

    def fact_acquisition(self, release: Release, fact: Fact, node: URIRef):
        v = fact.values
        acquirer, acquired = self.agent_name(v["acquirer"]), self.agent_name(v["acquired"])
        status_it, status_en = words("status", v["status"], "it"), words("status", v["status"], "en")
        self.fact_common(release, fact, node,
                         f"Acquisizione di {acquired} da parte di {acquirer} ({status_it})",
                         f"Acquisition of {acquired} by {acquirer} ({status_en})")
        if v["status"] == "completed":
            self.add(org_iri(v["acquired"]), SCHEMA.parentOrganization, org_iri(v["acquirer"]))


def _cell_values(cell: Cell) -> dict:
    """The values of the fields that name ``cell`` (``CELL_FIELDS``), as :meth:`Builder.direct` takes them."""
    return {"flow": cell.flow, "origin": cell.origin, "destination": cell.destination, "period": cell.period,
            "sector": cell.sector, "excludes": cell.excludes or None}


def _ordinal(position: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st."""
    suffix = "th" if 10 <= position % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(position % 10, "th")
    return f"{position}{suffix}"


def interval_containment(periods) -> list[tuple]:
    """time:intervalDuring between every two periods where one lies within the other,
    so "the same or a containing period" is a short path for queries and checks."""
    periods = sorted(periods)
    return [
        (interval_iri(inner), TIME.intervalDuring, interval_iri(outer))
        for inner in periods
        for outer in periods
        if inner != outer and outer.contains(inner)
    ]
