"""The annotation schema, declared once: every fact kind, the release header and the registry.

Each fact kind names its fields (type, required, enum, what a reference may point
to), the RDF classes its node gets and, where a field maps directly onto one
property of the fact's node, that property. Each enum names its values, the
ontology term each value becomes and the Italian and English words the graph's
labels use for it.

What reads it:

- :mod:`kg.model.loader` checks annotations and the registry against it;
- :mod:`kg.rdf.builder` writes classes, direct properties and enum terms from it
  (and keeps, per kind, the labels and the triples that are more than one field
  onto one property);
- :mod:`kg.draft.synth` and :mod:`kg.draft.extract` take kinds and enum values from it;
- ``tests/test_schema.py`` holds it against ``ontology/kg.ttl`` and ``ontology/shapes.ttl``.

Terms are written as prefixed names (``kgo:moreThan``, ``schema:Corporation``) or as
full IRIs; the model layer does not import :mod:`kg.rdf`, which resolves them with
the project's namespaces (``kg.rdf.builder.term``).

A figure (``level``, ``change``, ``share``, ``rank``, ``ratio``, ``projection``) is one
measure on one cell: its fields are ``CELL`` (what is measured: flow, origin,
destination, period, sector, exclusions, written on the cell's node, and how the figure
reads it), its own (the measure: ``Record.value`` names the field holding its number),
then ``MEASURE`` (hedge, hedge words, precision), declared once for every figure.

To add a fact kind: declare it in ``KINDS`` below (a figure with ``_figure``), give the
ontology its class and properties (``ontology/kg.ttl``, ``kg/rdf/namespaces.py``) and a
shape (``ontology/shapes.ttl``), and give the builder a ``fact_<kind>`` method (``-``
written ``_``) for its labels. To add an enum value: add it to its enum below and declare its term in the
ontology (an individual of the enum's class, listed by its concept scheme).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

# --------------------------------------------------------------------------- building blocks

# the values a field may hold (kg.model.loader checks each)
TYPES = (
    "id",  # lower-case letters, digits, '-' and '_'
    "text",  # any non-empty text
    "words",  # text quoted from the fact's evidence
    "wordlist",  # a list of such words
    "evidence",  # a quote from the release text, or a list of quotes
    "enum",  # one of the values of `Field.enum`
    "period",  # 2024, 2025-Q3, 2025-H1, 2025-03, 2025-01/2025-09...
    "date",  # YYYY-MM-DD
    "amount",  # a non-negative decimal
    "signed",  # a decimal, negative allowed
    "percent",  # a decimal from 0 to 100
    "place",  # a place id (the gazetteer: kg.model.gazetteer)
    "sector",  # a sector id (the gazetteer: kg.model.gazetteer)
    "org",  # an organisation id (data/registry.yaml)
    "person",  # a person id (data/registry.yaml)
    "role",  # a role id (data/registry.yaml)
    "agent",  # an organisation or person id
    "sectors",  # a non-empty list of sector ids, each once
    "agents",  # a non-empty list of organisation or person ids, each once
    "fact",  # the id of a fact of the same release, of one of `Field.kinds`
    "facts",  # a list of such ids
    "exclusions",  # a list of place or sector ids, each once (what a cell leaves out)
    "cell",  # a mapping of cell fields: the cell a share (or a change in points) is of, or that a change contributes to
    "precision",  # a positive decimal: one unit of the last digit written
    "position",  # a whole number from 1 (a rank)
)
REFERENCES = ("place", "sector", "org", "person", "role", "agent")
LISTS = {"sectors": "sector", "agents": "agent"}


@dataclass(frozen=True)
class Value:
    """One value of an enum, the ontology term(s) it becomes and the words labels use for it."""

    name: str
    terms: tuple[str, ...] = ()  # usually one; an organisation kind becomes several classes
    it: str = ""  # the words of Italian labels ("circa " for about)
    en: str = ""  # the words of English labels ("about ")
    lower: bool = False  # hedges: the stated figure is a lower bound (schema:minValue)
    upper: bool = False  # hedges: the stated figure is an upper bound (schema:maxValue)
    estimate: bool = False  # hedges: the figure is an estimate (SDMX obsStatus E)
    sign: int | None = None  # directions: the sign of the change (+1, -1, 0)

    @property
    def term(self) -> str:
        if len(self.terms) != 1:
            raise ValueError(f"the value '{self.name}' becomes {len(self.terms)} terms, not one")
        return self.terms[0]

    def words(self, lang: str) -> str:
        return {"it": self.it, "en": self.en}[lang]


@dataclass(frozen=True)
class Enum:
    """A closed list of values; ``cls`` and ``scheme`` are the ontology class and SKOS scheme of its terms."""

    name: str
    values: tuple[Value, ...]
    cls: str | None = None
    scheme: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(value.name for value in self.values)

    def value(self, name: str) -> Value:
        for value in self.values:
            if value.name == name:
                return value
        raise KeyError(f"'{name}' is not a value of {self.name}")


@dataclass(frozen=True)
class Field:
    """One key of an annotation or registry entry.

    ``property`` is set where the field maps directly onto one property of the
    node (the builder writes it from the value by type: an id becomes the IRI of
    the place, actor or fact, an enum its term, a number an ``xsd:decimal``, a
    date an ``xsd:date``). A reference to a post fact maps onto the ``org:Post``
    it states, not onto the fact. ``lang`` is the language tag of a text
    literal: "release" for the release's language, a code, or None for none.
    ``default`` is the enum value the builder writes when the field is absent.
    ``on`` is the node the property is written on: "fact" (the fact's own node) or
    "cell" (the cell a figure observes, see ``CELL``).
    """

    name: str
    type: str
    required: bool = False
    enum: str | None = None
    kinds: tuple[str, ...] = ()  # for "fact" and "facts": the kinds the fact may have
    property: str | None = None
    lang: str | None = None
    default: str | None = None
    on: str = "fact"


@dataclass(frozen=True)
class Record:
    """A fact kind, the release header or a registry section: its fields and the classes of its node."""

    name: str
    fields: tuple[Field, ...]
    classes: tuple[str, ...] = ()
    # a figure (a measure on a cell): the field holding its number, if it has one
    value: str | None = None

    @property
    def figure(self) -> bool:
        """Whether the kind is a figure: one measure (``value``) on one cell (its fields start with ``CELL``)."""
        return self.value is not None

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"'{name}' is not a field of {self.name}")


EUR_IRI = "http://publications.europa.eu/resource/authority/currency/EUR"
USD_IRI = "http://publications.europa.eu/resource/authority/currency/USD"


def _v(name: str, *terms: str, **words_and_marks) -> Value:
    return Value(name, terms, **words_and_marks)


def _enum(name: str, *values: Value, cls: str | None = None, scheme: str | None = None) -> Enum:
    return Enum(name, values, cls, scheme)


# --------------------------------------------------------------------------- enums

ENUMS: Mapping[str, Enum] = MappingProxyType({e.name: e for e in (
    _enum("flow",
          _v("export", "kgo:export", it="export", en="exports"),
          _v("import", "kgo:import", it="import", en="imports"),
          # "interscambio", "scambi commerciali": exports plus imports, the origin the reporting side
          _v("turnover", "kgo:turnover", it="interscambio", en="trade"),
          # "saldo": exports minus imports, the origin the reporting side (negative: a deficit)
          _v("balance", "kgo:balance", it="saldo commerciale", en="trade balance"),
          cls="kgo:Flow", scheme="kgo:FlowScheme"),
    _enum("hedge",
          _v("exact", "kgo:exact", it="", en="", lower=True, upper=True),
          _v("about", "kgo:about", it="circa ", en="about ", estimate=True),
          _v("more-than", "kgo:moreThan", it="oltre ", en="more than ", lower=True),
          _v("less-than", "kgo:lessThan", it="meno di ", en="less than ", upper=True),
          # "quasi", "sfiorato": just below the stated figure
          _v("almost", "kgo:almost", it="quasi ", en="almost ", upper=True),
          _v("at-least", "kgo:atLeast", it="almeno ", en="at least ", lower=True),
          _v("at-most", "kgo:atMost", it="al massimo ", en="at most ", upper=True),
          cls="kgo:Hedge", scheme="kgo:HedgeScheme"),
    _enum("basis",
          _v("stated", "kgo:stated"),
          # stated earlier in the text and carried over to the figure's sentence
          _v("carried", "kgo:carried"),
          _v("implied", "kgo:implied"),
          _v("derived", "kgo:derived"),
          cls="kgo:Basis", scheme="kgo:BasisScheme"),
    _enum("direction",
          _v("increase", "kgo:increase", it="in aumento", en="up", sign=1),
          _v("decrease", "kgo:decrease", it="in calo", en="down", sign=-1),
          _v("stable", "kgo:stable", it="stabile", en="stable", sign=0),
          cls="kgo:Direction", scheme="kgo:DirectionScheme"),
    _enum("assessment",
          _v("concentration", "kgo:concentration", it="settori di concentrazione", en="sectors of concentration"),
          _v("growth-opportunity", "kgo:growthOpportunity", it="settori con margini di crescita", en="sectors with room to grow"),
          _v("main-products", "kgo:mainProducts", it="principali voci", en="main product groups"),
          _v("predominant", "kgo:predominant", it="settore prevalente", en="predominant sector"),
          cls="kgo:Assessment", scheme="kgo:AssessmentScheme"),
    _enum("status",
          _v("not-stated", "kgo:statusNotStated", it="completamento non dichiarato", en="completion not stated"),
          _v("announced", "kgo:announced", it="annunciata", en="announced"),
          _v("completed", "kgo:completed", it="completata", en="completed"),
          cls="kgo:DealStatus", scheme="kgo:DealStatusScheme"),
    _enum("reference",
          _v("same-period-previous-year", "kgo:samePeriodPreviousYear"),
          _v("previous-period", "kgo:previousPeriod"),
          _v("other", "kgo:otherPeriod"),
          cls="kgo:ReferenceKind", scheme="kgo:ReferenceKindScheme"),
    # a figure's status, when the text states it; the current value of a cell is a final figure's, then a
    # revised one's, then one with no status stated, then a provisional one's (then the later release's)
    _enum("figure-status",
          _v("provisional", "kgo:provisional", it="provvisorio", en="provisional"),
          # "dato rivisto", "rivisto al rialzo": a value that replaces an earlier one
          _v("revised", "kgo:revised", it="rivisto", en="revised"),
          _v("final", "kgo:final", it="definitivo", en="final"),
          cls="kgo:FigureStatus", scheme="kgo:FigureStatusScheme"),
    # what a rank ranks the cell among
    _enum("rank-among",
          _v("origins", "kgo:origins", it="origini", en="origins"),
          _v("destinations", "kgo:destinations", it="destinazioni", en="destinations"),
          _v("sectors", "kgo:sectors", it="settori", en="sectors"),
          cls="kgo:RankDimension", scheme="kgo:RankDimensionScheme"),
    # which measure a rank orders by
    _enum("rank-by",
          _v("level", "kgo:level", it="per valore", en="by level"),
          _v("change", "kgo:change", it="per variazione", en="by change"),
          cls="kgo:RankMeasure", scheme="kgo:RankMeasureScheme"),
    # the denominator of a ratio
    _enum("denominator",
          _v("resident", "kgo:perResident", it="per residente", en="per resident"),
          _v("employee", "kgo:perEmployee", it="per addetto", en="per employee"),
          _v("value-added", "kgo:ofValueAdded", it="del valore aggiunto", en="of value added"),
          _v("gdp", "kgo:ofGdp", it="del PIL", en="of GDP"),
          _v("national-average", "kgo:ofNationalAverage", it="della media nazionale", en="of the national average"),
          _v("other", "kgo:otherDenominator", it="di un altro valore", en="of another value"),
          cls="kgo:Denominator", scheme="kgo:DenominatorScheme"),
    # a kind of place, as the class its places have (what a rank ranks among: "tra le regioni")
    _enum("place-kind",
          _v("country", "schema:Country", it="Paesi", en="countries"),
          _v("region", "kgo:Region", it="regioni", en="regions"),
          _v("province", "kgo:Province", it="province", en="provinces"),
          _v("municipality", "kgo:Municipality", it="comuni", en="municipalities"),
          _v("city", "schema:City", it="città", en="cities")),
    # ISO 4217 codes, as the EU Publications Office's currency authority table names them
    _enum("unit",
          _v("EUR", EUR_IRI),
          _v("USD", USD_IRI)),
    # the unit of a change: per cent of the reference value, percentage points (of a share), a factor, money
    _enum("change-unit",
          _v("percent", "kgo:percent"),
          _v("points", "kgo:points"),
          _v("factor", "kgo:factor"),
          _v("EUR", EUR_IRI),
          _v("USD", USD_IRI)),
    # the unit of a ratio: money per resident or employee, per cent of value added, a factor of an average
    _enum("ratio-unit",
          _v("EUR", EUR_IRI),
          _v("USD", USD_IRI),
          _v("percent", "kgo:percent"),
          _v("factor", "kgo:factor")),
    # an organisation's kind becomes the classes of its node (besides org:Organization)
    _enum("org-kind",
          _v("association", "org:FormalOrganization", "schema:Organization"),
          _v("unit", "org:OrganizationalUnit", "schema:Organization"),
          _v("government", "org:FormalOrganization", "schema:GovernmentOrganization"),
          _v("company", "org:FormalOrganization", "schema:Corporation"),
          _v("other", "schema:Organization")),
    # a language code, written as a plain literal
    _enum("language", _v("it"), _v("en")),
)})


# --------------------------------------------------------------------------- fact kinds

# the fields every fact has, before its kind's own
FACT = Record("fact", (
    Field("id", "id", True, property="kgo:factId"),
    Field("kind", "text", True),
    Field("evidence", "evidence", True),
    Field("note", "text", property="rdfs:comment", lang="en"),
    # left by `kg extract` on what the analyst must check; not part of the graph
    Field("review", "text"),
), classes=("kgo:Fact",))

_HEDGE_OPTIONAL = Field("hedge", "enum", enum="hedge", property="kgo:hedge")
_HEDGE_WORDS = Field("hedge_words", "words", property="kgo:hedgeText", lang="release")

# --------------------------------------------------------------------------- figures: one measure on one cell

# The cell a figure observes. The first six fields name it (its IRI, kgr:cell/...) and are written
# on the cell's node, shared by every figure of every release that states the same cell; the
# others say how the figure reads its cell and are written on the figure.
CELL = (
    Field("flow", "enum", True, enum="flow", property="kgo:flow", on="cell"),
    Field("origin", "place", True, property="kgo:origin", on="cell"),
    Field("destination", "place", True, property="kgo:destination", on="cell"),
    Field("period", "period", True, property="kgo:period", on="cell"),
    Field("sector", "sector", property="kgo:sector", on="cell"),  # absent: all goods
    Field("excludes", "exclusions", property="kgo:excludes", on="cell"),
    Field("period_basis", "enum", enum="basis", property="kgo:periodBasis", default="stated"),
    Field("period_note", "text", property="kgo:derivationNote", lang="en"),
    Field("scope", "words", property="kgo:scopeNote", lang="release"),
    Field("stated_as", "words", property="kgo:statedAs", lang="release"),
    Field("status", "enum", enum="figure-status", property="kgo:status"),
    # absent: the release's only data-source fact, if it has exactly one
    Field("source", "fact", kinds=("data-source",), property="kgo:dataSource"),
)
CELL_KEYS = tuple(f.name for f in CELL if f.on == "cell")
"""The fields that name a cell; an ``of`` mapping may give any of them."""

# the measure fields every figure has, after its kind's own
MEASURE = (
    Field("hedge", "enum", True, enum="hedge", property="kgo:hedge"),
    _HEDGE_WORDS,
    # one unit of the last digit written, in the value's unit; the loader reads it off the evidence when absent
    Field("precision", "precision", property="kgo:precision"),
)
FIGURE_CLASSES = ("kgo:Figure", "qb:Observation")


def _figure(name: str, cls: str, value: str | None, *fields: Field) -> Record:
    return Record(name, CELL + fields + MEASURE, (cls, *FIGURE_CLASSES), value)


FIGURES = (
    _figure("level", "kgo:Level", "amount",
            # negative only for a balance (a deficit)
            Field("amount", "signed", True, property="kgo:tradeValue"),
            Field("unit", "enum", True, enum="unit", property="kgo:unit")),
    _figure("change", "kgo:Change", "value",
            # the builder writes the value by its unit: kgo:changePercent, changePoints, changeFactor, changeAmount
            Field("value", "signed"),
            Field("unit", "enum", enum="change-unit", property="kgo:unit"),
            # the loader works it out from the value's sign when absent
            Field("direction", "enum", enum="direction", property="kgo:direction"),
            Field("reference", "enum", enum="reference", property="kgo:referenceKind"),
            Field("reference_period", "period", property="kgo:referencePeriod"),
            Field("reference_basis", "enum", enum="basis", property="kgo:referenceBasis"),
            # the share a change in points is a change of: the whole, as for a share
            Field("of", "cell", property="kgo:shareOf"),
            # a contribution to the change of a cell that covers this one, in percentage points, over the same period
            # and reference ("con un contributo di -2,9 punti alla variazione regionale": Turin's change is -2.9 % of
            # Piedmont's reference level): the covering cell, named as a share's whole is
            Field("contribution_to", "cell", property="kgo:contributionTo"),
            Field("magnitude_words", "words", property="kgo:magnitudeText", lang="release")),
    _figure("share", "kgo:Share", "percent",
            Field("percent", "percent", True, property="kgo:sharePercent"),
            Field("of", "cell", True, property="kgo:shareOf")),
    _figure("rank", "kgo:Rank", "position",
            Field("position", "position", True, property="kgo:rankPosition"),
            Field("among", "enum", True, enum="rank-among", property="kgo:rankAmong"),
            Field("within", "place", property="kgo:rankWithin"),
            Field("among_kind", "enum", enum="place-kind", property="kgo:rankAmongKind"),
            Field("by", "enum", enum="rank-by", property="kgo:rankBy", default="level")),
    _figure("ratio", "kgo:Ratio", "value",
            Field("value", "amount", True, property="kgo:ratioValue"),
            Field("unit", "enum", True, enum="ratio-unit", property="kgo:unit"),
            Field("denominator", "enum", True, enum="denominator", property="kgo:denominator"),
            Field("denominator_words", "words", property="kgo:denominatorText", lang="release")),
    _figure("projection", "kgo:Projection", "amount",
            Field("amount", "signed", True, property="kgo:tradeValue"),
            Field("unit", "enum", True, enum="unit", property="kgo:unit")),
)

KINDS: Mapping[str, Record] = MappingProxyType({k.name: k for k in (
    Record("sectors", (
        Field("assessment", "enum", True, enum="assessment", property="kgo:assessment"),
        Field("origin", "place", property="kgo:origin"),
        Field("destination", "place", property="kgo:destination"),
        Field("period", "period", property="kgo:period"),
        Field("sectors", "sectors", True, property="kgo:sector"),
        _HEDGE_OPTIONAL,
        _HEDGE_WORDS,
        Field("stated_as", "words", property="kgo:statedAs", lang="release"),
    ), classes=("kgo:SectorStatement",)),
    Record("post", (
        Field("person", "person", True, property="org:member"),
        Field("organization", "org", True, property="org:organization"),
        Field("role", "role", True, property="org:role"),
        # these two describe the org:Post, not the fact (the builder writes them there)
        Field("delegation", "words"),
        Field("accredited_to", "place"),
    ), classes=("kgo:PostHolding", "org:Membership")),
    Record("meeting", (
        Field("attendees", "agents", True, property="schema:attendee"),
        Field("attendee_posts", "facts", kinds=("post",), property="kgo:post"),
        Field("location", "place", property="schema:location"),
        Field("date", "date", True, property="schema:startDate"),
        Field("date_basis", "enum", enum="basis", property="kgo:dateBasis", default="stated"),
        Field("date_weekday", "words"),
        Field("about", "wordlist", property="schema:about", lang="release"),
    ), classes=("kgo:Meeting", "schema:Event")),
    Record("quotation", (
        Field("speaker", "person", True, property="schema:creator"),
        # the posts the attribution states (a person may speak in several)
        Field("posts", "facts", kinds=("post",), property="kgo:speakerPost"),
        Field("attribution", "text"),
    ), classes=("kgo:Quotation", "schema:Quotation")),
    Record("acquisition", (
        Field("acquirer", "org", True, property="kgo:acquirer"),
        Field("acquired", "org", True, property="kgo:acquired"),
        Field("status", "enum", True, enum="status", property="kgo:dealStatus"),
    ), classes=("kgo:Acquisition", "schema:Event")),
    *FIGURES,
    # where a release's figures come from: "dati Istat elaborati da Camera Marche"
    Record("data-source", (
        Field("provider", "org", True, property="prov:wasAttributedTo"),
        Field("elaborated_by", "org", property="kgo:elaboratedBy"),
    ), classes=("kgo:DataSource", "prov:Entity")),
)})


# the kinds of fact before figures on cells, each with the figure that replaced it (the loader names it)
RETIRED_KINDS: Mapping[str, str] = MappingProxyType({"trade": "level", "share-of-facts": "share", "comparison": "change"})


# --------------------------------------------------------------------------- release and registry

RELEASE = Record("release", (
    Field("id", "id", True, property="schema:identifier"),
    Field("text", "text", True),  # the file name of the text; the builder writes the text itself
    Field("published", "date", True, property="schema:datePublished"),
    Field("language", "enum", True, enum="language", property="schema:inLanguage"),
    Field("publisher", "org", True, property="schema:publisher"),
    Field("author", "org", property="schema:author"),
    Field("dateline", "place", property="kgo:datelinePlace"),
    Field("evidence", "text", True),
    Field("author_evidence", "text"),
    Field("source", "text"),  # dcterms:source, else the text's path in the data folder
), classes=("kgo:PressRelease", "schema:NewsArticle"))

REGISTRY: Mapping[str, Record] = MappingProxyType({r.name: r for r in (
    Record("organizations", (
        Field("id", "id", True),
        Field("name", "text", True, property="schema:name"),
        Field("name_en", "text"),
        Field("kind", "enum", True, enum="org-kind", property="rdf:type"),
        Field("country", "place", property="kgo:country"),
        Field("part_of", "org"),  # org:unitOf for a unit, else org:subOrganizationOf
        Field("premises", "place", property="schema:location"),
        Field("source", "text", property="dcterms:source"),
    ), classes=("org:Organization",)),
    Record("people", (
        Field("id", "id", True),
        Field("name", "text", True),  # both foaf:name and schema:name
        Field("source", "text", property="dcterms:source"),
    ), classes=("foaf:Person", "schema:Person")),
    Record("roles", (
        Field("id", "id", True),
        Field("it", "text", True, property="skos:prefLabel", lang="it"),
        Field("en", "text", True, property="skos:prefLabel", lang="en"),
    ), classes=("org:Role", "skos:Concept")),
)})


# --------------------------------------------------------------------------- look-ups


def fact_fields(kind: str) -> tuple[Field, ...]:
    """The fields a fact of ``kind`` may have: the common ones, then the kind's own."""
    return FACT.fields + KINDS[kind].fields


def direction_sign(direction: str) -> int:
    """The sign of the change a direction states: +1 (increase), -1 (decrease) or 0 (stable)."""
    sign = ENUMS["direction"].value(direction).sign
    assert sign is not None, direction  # every direction has its sign
    return sign


def terms() -> set[str]:
    """Every class, property and enum term the schema names (what the ontology must declare)."""
    records = (FACT, RELEASE, *KINDS.values(), *REGISTRY.values())
    found = {cls for record in records for cls in record.classes}
    found |= {f.property for record in records for f in record.fields if f.property}
    for enum in ENUMS.values():
        found |= {term for value in enum.values for term in value.terms}
        found |= {name for name in (enum.cls, enum.scheme) if name}
    return found
