"""kg/model/schema.py against the ontology and the shapes: every class, property and enum term it
names is declared, of the right sort; each enum's values are exactly the individuals of its class;
what the shapes allow for an enum property is what the schema allows; a hedge's bounds are the
ones kg.ttl and the SPARQL checks give it."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, QB, RDF, RDFS, SDO, SKOS

from kg.model.schema import CELL, ENUMS, FACT, KINDS, MEASURE, REGISTRY, RELEASE, RETIRED_KINDS, TYPES, fact_fields, terms
from kg.rdf.builder import Builder, term
from kg.rdf.namespaces import EUR, KGO, KGS, SH, USD

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"
KG_TTL = Graph().parse(ONTOLOGY / "kg.ttl")
SHAPES = Graph().parse(ONTOLOGY / "shapes.ttl")

# the standard vocabularies the project uses, as rdflib declares their terms
STANDARD = (SDO, ORG, QB, FOAF, SKOS, RDF, RDFS, DCTERMS, PROV)
# IRIs of code lists, not vocabularies: kg/rdf/namespaces.py names them
CODES = {EUR, USD}
# field types whose value is written as a literal (the others become IRIs)
LITERAL_TYPES = {"id", "text", "words", "wordlist", "date", "amount", "signed", "percent", "precision", "position"}
RECORDS = (FACT, RELEASE, *KINDS.values(), *REGISTRY.values())


def own(iri: URIRef) -> bool:
    return str(iri).startswith(str(KGO._NS))


def declared(iri: URIRef) -> bool:
    """In kg.ttl (the project's own terms), in a standard vocabulary, or a code the project names."""
    if own(iri):
        return (iri, RDF.type, None) in KG_TTL
    if str(iri).startswith("http://schema.org/"):  # kg's schema.org IRIs (its JSON-LD context's); rdflib's SDO writes https
        iri = SDO[str(iri).removeprefix("http://schema.org/")]
    return iri in CODES or any(str(iri).startswith(str(ns)) and iri in ns for ns in STANDARD)


def enum_terms(enum) -> set[URIRef]:
    return {term(t) for value in enum.values for t in value.terms}


@pytest.mark.parametrize("name", sorted(terms()))
def test_every_term_the_schema_names_is_declared(name):
    assert declared(term(name)), f"{name} is in no vocabulary the project uses"


def test_the_check_of_terms_can_fail():
    assert not declared(KGO.tradeValue.replace("tradeValue", "tradeValeu"))  # a kgo: typo
    assert not declared(URIRef(str(SDO) + "Corporatio"))  # a schema.org typo
    assert not declared(URIRef("http://publications.europa.eu/resource/authority/currency/GBP"))


def test_classes_are_classes():
    for record in RECORDS:
        for name in record.classes:
            iri = term(name)
            assert not own(iri) or (iri, RDF.type, OWL.Class) in KG_TTL, name


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_has_one_own_class_under_kgo_fact_and_its_standard_superclasses(kind):
    """The kind's own class first, then its superclasses (kgo:Figure for a figure), each stated in kg.ttl."""
    classes = [term(name) for name in KINDS[kind].classes]
    mine = classes[0]
    assert own(mine) and [c for c in classes if own(c)] == ([mine, KGO.Figure] if KINDS[kind].figure else [mine]), classes
    assert (mine, RDFS.subClassOf, KGO.Fact) in KG_TTL
    for superclass in classes[1:]:
        assert (mine, RDFS.subClassOf, superclass) in KG_TTL, f"{mine} is not a {superclass} in kg.ttl"
    assert [term(name) for name in FACT.classes] == [KGO.Fact]


def test_figures_are_the_kinds_of_measures_on_cells_each_with_its_value_field():
    figures = {kind: record for kind, record in KINDS.items() if record.figure}
    assert set(figures) == {"level", "change", "share", "rank", "ratio", "projection"}
    for record in figures.values():
        assert record.fields[:len(CELL)] == CELL and record.fields[-len(MEASURE):] == MEASURE, record.name
        assert record.value in record.field_names, record.name
        assert (term(record.classes[0]), RDFS.subClassOf, KGO.Figure) in KG_TTL
    assert (KGO.Figure, RDFS.subClassOf, QB.Observation) in KG_TTL
    # a cell is shared by the data sets of every release that states it: no qb:Slice, which is part of one data set
    assert (KGO.Cell, RDFS.subClassOf, QB.Slice) not in KG_TTL
    # the cell fields are declared once
    assert [f.name for f in CELL if f.on == "cell"] == ["flow", "origin", "destination", "period", "sector", "excludes"]


def test_the_retired_kinds_are_gone_each_replaced_by_a_figure():
    """trade, share-of-facts and comparison (issue 12) are no kinds: each names the figure a release writes instead,
    and the ontology has none of their classes and properties."""
    assert RETIRED_KINDS == {"trade": "level", "share-of-facts": "share", "comparison": "change"}
    assert not set(RETIRED_KINDS) & set(KINDS)
    assert all(KINDS[new].figure for new in RETIRED_KINDS.values())
    gone = {"TradeObservation", "ShareObservation", "Comparison", "part", "whole", "partOf", "comparedObservation",
            "referenceObservation", "excludesSector", "statedPrecision"}
    assert {str(s) for s in KG_TTL.subjects() if isinstance(s, URIRef)} & {str(KGO._NS) + name for name in gone} == set()
    assert not [name for name in gone if str(KGO._NS) + name in SHAPES.serialize(format="nt")]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_builder_has_the_labels_of_every_kind(kind):
    method = f"fact_{kind.replace('-', '_')}"
    assert callable(getattr(Builder, method, None)), f"Builder has no {method}"


def test_own_properties_are_object_or_datatype_properties_as_the_field_type_says():
    for record in RECORDS:
        for field in record.fields:
            assert field.type in TYPES, (record.name, field.name)
            if field.property is None or not own(term(field.property)):
                continue
            expected = OWL.DatatypeProperty if field.type in LITERAL_TYPES else OWL.ObjectProperty
            assert (term(field.property), RDF.type, expected) in KG_TTL, f"{record.name}.{field.name}: {field.property}"


def test_every_field_names_what_its_type_needs():
    for record in RECORDS:
        for field in record.fields:
            assert (field.enum in ENUMS) == (field.type == "enum"), (record.name, field.name)
            assert bool(field.kinds) == (field.type in ("fact", "facts")), (record.name, field.name)
            assert set(field.kinds) <= set(KINDS), (record.name, field.name)
            if field.default is not None:
                assert field.default in ENUMS[field.enum].names, (record.name, field.name)
    for kind in KINDS:
        names = [f.name for f in fact_fields(kind)]
        assert len(names) == len(set(names)), kind


@pytest.mark.parametrize("enum", [e for e in ENUMS.values() if e.cls], ids=lambda e: e.name)
def test_enum_values_are_exactly_the_individuals_of_its_class_and_scheme(enum):
    individuals = set(KG_TTL.subjects(RDF.type, term(enum.cls)))
    assert enum_terms(enum) == individuals
    assert (term(enum.cls), RDF.type, OWL.Class) in KG_TTL
    assert set(KG_TTL.objects(term(enum.scheme), SKOS.hasTopConcept)) == individuals
    assert all(len(value.terms) == 1 for value in enum.values)


def test_enums_without_a_class_are_named_here():
    """Codes (a currency), classes (an organisation's or a place's kind), plain literals (a language), and
    units that are currencies or kgo:MeasureUnit individuals (a change's, a ratio's)."""
    assert {e.name for e in ENUMS.values() if not e.cls} == {"unit", "org-kind", "language", "place-kind",
                                                             "change-unit", "ratio-unit"}
    assert enum_terms(ENUMS["unit"]) == {EUR, USD}
    assert enum_terms(ENUMS["language"]) == set()
    units = set(KG_TTL.subjects(RDF.type, KGO.MeasureUnit))
    for name in ("change-unit", "ratio-unit"):
        assert enum_terms(ENUMS[name]) - {EUR, USD} <= units
    assert {KGO.percent, KGO.points, KGO.factor, KGO.position} == units
    for value in ENUMS["place-kind"].values:
        assert declared(term(value.term)) or (term(value.term), RDF.type, OWL.Class) in KG_TTL, value.name


def enums_of(prop: URIRef) -> set[str]:
    """The enums of the fields that map onto ``prop``."""
    return {field.enum for record in RECORDS for field in record.fields
            if field.type == "enum" and field.property and term(field.property) == prop}


def shape_disagreements(shapes: Graph) -> list[str]:
    """Property shapes on an enum's property whose sh:in or sh:class allow other values than the schema."""
    wrong = []
    for shape, path in sorted(shapes.subject_objects(SH.path)):
        for enum in sorted(enums_of(path)):
            expected = enum_terms(ENUMS[enum])
            for listed in shapes.objects(shape, SH["in"]):
                allowed = set(Collection(shapes, listed))
                if allowed != expected:
                    wrong.append(f"{path.n3()}: shapes allow {sorted(allowed)}, the schema's {enum} {sorted(expected)}")
            for cls in shapes.objects(shape, SH["class"]):
                if ENUMS[enum].cls is None or cls != term(ENUMS[enum].cls):
                    wrong.append(f"{path.n3()}: shapes want a {cls.n3()}, the schema's {enum} values are {ENUMS[enum].cls}")
    return wrong


def test_shapes_allow_for_an_enum_property_what_the_schema_allows():
    assert shape_disagreements(SHAPES) == []
    # the shapes do constrain enum properties (by class): the check above looks at something
    constrained = {p for s, p in SHAPES.subject_objects(SH.path) if enums_of(p) and (s, SH["class"], None) in SHAPES}
    assert {KGO.hedge, KGO.flow, KGO.direction, KGO.assessment, KGO.dealStatus, KGO.referenceKind, KGO.periodBasis,
            KGO.dateBasis, KGO.status, KGO.rankAmong, KGO.rankBy, KGO.denominator, KGO.referenceBasis} <= constrained


def test_a_shape_listing_other_values_disagrees():
    snippet = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix kgo: <https://example.org/kg/ontology#> .
        [] sh:path kgo:hedge ; sh:in ( kgo:exact kgo:about kgo:moreThan ) .
        [] sh:path kgo:direction ; sh:in ( kgo:increase kgo:decrease kgo:stable ) .
        [] sh:path kgo:flow ; sh:class kgo:Hedge ."""
    wrong = shape_disagreements(Graph().parse(data=snippet, format="turtle"))
    assert len(wrong) == 2, wrong
    assert any(w.startswith(f"{KGO.hedge.n3()}: shapes allow") for w in wrong)
    assert any(w.startswith(f"{KGO.flow.n3()}: shapes want a {KGO.Hedge.n3()}") for w in wrong)


def test_hedge_bounds_agree_with_the_check_factors_of_kg_ttl():
    """A hedge gives a lower (upper) bound exactly when kg.ttl's check factor for it is 1."""
    one = Literal(Decimal("1.0"))
    for value in ENUMS["hedge"].values:
        iri = term(value.term)
        assert value.lower == ((iri, KGO.checkLowerFactor, one) in KG_TTL), value.name
        assert value.upper == ((iri, KGO.checkUpperFactor, one) in KG_TTL), value.name


def test_the_bounds_check_reads_the_number_of_every_figure_kind():
    """kgs:BoundsFollowHedge holds a figure's bounds to its own number: every kind's number property is named in it
    (a change's by its unit, as the builder writes it), and no other; the hedges it reads through kg.ttl's factors."""
    from kg.rdf.builder import CHANGE_PROPERTIES

    select = str(SHAPES.value(KGS.BoundsFollowHedge, SH.select))
    named = [set(re.findall(r"kgo:(\w+)", path)) for path in re.findall(r"kgo:tradeValue[^?]*", select)]
    numbers = {str(term(KINDS[k].field(KINDS[k].value).property)).rsplit("#", 1)[1]
               for k, r in KINDS.items() if r.figure and r.field(r.value).property is not None}
    numbers |= {str(p).rsplit("#", 1)[1] for p in CHANGE_PROPERTIES.values()}
    assert named == [numbers, numbers]  # the figures checked, and those whose bounds have no number
    assert "kgo:checkLowerFactor" in select and "kgo:checkUpperFactor" in select


def test_the_estimated_hedge_is_about():
    assert [v.term for v in ENUMS["hedge"].values if v.estimate] == ["kgo:about"]


@pytest.mark.parametrize("kind", sorted(k for k, r in KINDS.items() if r.figure))
def test_each_figure_class_has_a_shape_requiring_its_number(kind):
    """A figure's class is shaped, and the property of its number (where one field maps onto one) is required there."""
    record = KINDS[kind]
    cls = term(record.classes[0])
    shapes = set(SHAPES.subjects(SH.targetClass, cls))
    assert shapes, f"no shape targets {cls}"
    number = record.field(record.value)
    if number.property is None:  # a change: the property follows the unit, one of them (kgs:ChangeValueInItsUnit)
        from kg.rdf.builder import CHANGE_PROPERTIES

        select = str(SHAPES.value(KGS.ChangeValueInItsUnit, SH.select))
        assert all(f"?value kgo:{str(p).rsplit('#', 1)[1]} " in select for p in CHANGE_PROPERTIES.values())
        return
    required = {SHAPES.value(p, SH.path) for shape in shapes for p in SHAPES.objects(shape, SH.property)
                if (p, SH.minCount, Literal(1)) in SHAPES}
    assert term(number.property) in required, f"{cls} does not require {number.property}"
