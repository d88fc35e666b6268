"""The ontology: every term labelled and defined, every class shaped, identifiers as checked."""

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.model.gazetteer import Gazetteer
from kg.rdf.gazetteer import places_graph, sectors_graph
from kg.rdf.namespaces import KGO, KGO_IMPORT, KGR, SCHEMA, SH

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"
KG_TTL = Graph().parse(ONTOLOGY / "kg.ttl")
SHAPES = Graph().parse(ONTOLOGY / "shapes.ttl")
# every place and sector of the gazetteer, as the builder writes those a graph names
PLACES = places_graph(Gazetteer.bundled())
SECTORS = sectors_graph(Gazetteer.bundled())

# DefinedNamespace's dir() lists full IRIs in rdflib 7.6
TERMS = sorted({URIRef(t) for t in dir(KGO) if str(t).startswith(str(KGO._NS))} | {KGO_IMPORT})


def test_namespace_and_ontology_declare_the_same_terms():
    declared = {s for s in KG_TTL.subjects() if isinstance(s, URIRef) and str(s).startswith(str(KGO._NS))}
    assert declared == set(TERMS)


def test_vocabulary_typos_fail():
    with pytest.raises(AttributeError):
        KGO.tradeValeu  # noqa: B018


@pytest.mark.parametrize("term", TERMS, ids=lambda t: t.split("#")[1])
def test_every_term_has_italian_and_english_labels_and_a_definition(term):
    languages = {label.language for label in KG_TTL.objects(term, RDFS.label)}
    assert {"it", "en"} <= languages
    assert any(d.language == "en" for d in KG_TTL.objects(term, SKOS.definition))


def test_every_class_has_a_shape():
    classes = set(KG_TTL.subjects(RDF.type, OWL.Class))
    targeted = set(SHAPES.objects(None, SH.targetClass))
    # kgo:Fact's subclasses carry their own shapes; kgo:Fact itself is targeted too
    assert classes - targeted == set()


def test_own_classes_align_to_standard_vocabularies():
    expected = {
        KGO.Figure: URIRef("http://purl.org/linked-data/cube#Observation"),
        KGO.Meeting: SCHEMA.Event,
        KGO.Quotation: SCHEMA.Quotation,
        KGO.PostHolding: URIRef("http://www.w3.org/ns/org#Membership"),
        KGO.PressRelease: SCHEMA.NewsArticle,
        KGO.Evidence: URIRef("http://www.w3.org/ns/oa#SpecificResource"),
    }
    for own, standard in expected.items():
        assert (own, RDFS.subClassOf, standard) in KG_TTL, own
    assert (KGO.statedIn, RDFS.subPropertyOf, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")) in KG_TTL


# identifiers as the kg team checked them against public sources (ISO 3166, ISTAT, Wikidata, GeoNames)
CHECKED = {
    "italy": {"wikidata": "Q38", "iso": {"IT", "ITA", "380"}, "geonames": "3175395"},
    "azerbaijan": {"wikidata": "Q227", "iso": {"AZ", "AZE", "031"}},
    "baku": {"wikidata": "Q9248", "iso": {"AZ-BA"}},
    "marche": {"wikidata": "Q1279", "iso": {"IT-57"}, "istat": "11", "geonames": "3174004"},
    "ancona-province": {"iso": {"IT-AN"}, "istat": "042"},
    "ancona": {"wikidata": "Q3415", "istat": "042002"},
}


@pytest.mark.parametrize("place", sorted(CHECKED))
def test_place_identifiers_are_the_checked_ones(place):
    node = KGR[f"place/{place}"]
    expected = CHECKED[place]
    same = {str(o) for o in PLACES.objects(node, SCHEMA.sameAs)}
    wikidata = {iri for iri in same if iri.startswith("http://www.wikidata.org/entity/")}
    assert wikidata == ({f"http://www.wikidata.org/entity/{expected['wikidata']}"} if "wikidata" in expected else set())
    assert not set(PLACES.objects(node, OWL.sameAs))  # no individual merged with another site's
    assert {str(o) for o in PLACES.objects(node, KGO.iso3166Code)} == expected.get("iso", set())
    assert {str(o) for o in PLACES.objects(node, KGO.istatCode)} == ({expected["istat"]} if "istat" in expected else set())
    geonames = same - wikidata
    assert geonames == ({f"https://sws.geonames.org/{expected['geonames']}/"} if "geonames" in expected else set())


def test_containment_hierarchy():
    contained = lambda place: PLACES.value(KGR[f"place/{place}"], SCHEMA.containedInPlace)  # noqa: E731
    assert contained("ancona") == KGR["place/ancona-province"]
    assert contained("ancona-province") == KGR["place/marche"]
    assert contained("marche") == KGR["place/italy"]
    assert contained("baku") == KGR["place/azerbaijan"]


def test_sectors_close_match_nace_and_industrial_stays_unmapped():
    nace = lambda sector: {str(o).rsplit("/", 1)[1] for o in SECTORS.objects(KGR[f"sector/{sector}"], SKOS.closeMatch)}  # noqa: E731
    assert nace("furniture") == {"31"}
    assert nace("fashion") == {"13", "14", "15"}
    assert nace("energy") == {"35", "06", "19"}
    assert nace("infrastructure") == {"42"}
    assert nace("industrial") == set()
    assert not list(SECTORS.objects(None, SKOS.exactMatch))
    assert len(set(SECTORS.subjects(RDF.type, KGO.Sector))) > 80  # ATECO's concepts and the releases' words
    for sector in SECTORS.subjects(RDF.type, KGO.Sector):
        assert {label.language for label in SECTORS.objects(sector, SKOS.prefLabel)} == {"it", "en"}


def test_no_blank_nodes_in_ontology_data():
    for graph in (KG_TTL, PLACES, SECTORS):
        assert not [t for t in graph if any(term.__class__.__name__ == "BNode" for term in t)]


def test_every_iso_code_and_parent_agrees_with_pycountry():
    """ISO 3166 codes are checked offline against pycountry, as the kg team checked them."""
    import pycountry

    for place, code in PLACES.subject_objects(KGO.iso3166Code):
        code = str(code)
        if code.isdigit():
            assert pycountry.countries.get(numeric=code) is not None, code
        elif "-" in code:
            subdivision = pycountry.subdivisions.get(code=code)
            assert subdivision is not None, code
            parent = PLACES.value(place, SCHEMA.containedInPlace)
            parent_codes = {str(c) for c in PLACES.objects(parent, KGO.iso3166Code)}
            assert (subdivision.parent_code or subdivision.country_code) in parent_codes, (code, parent_codes)
        else:
            assert pycountry.countries.get(alpha_2=code) or pycountry.countries.get(alpha_3=code), code


def test_every_place_and_sector_of_the_gazetteer_conforms_to_the_shapes():
    """A build checks the places and sectors of the package's gazetteer with the chunks of releases that name
    them, and reports a finding only on a release's own nodes: the package's are held to the shapes here,
    every one of them, as the builder writes them."""
    from kg.check.shacl import validate_core
    from kg.rdf.vocabularies import ontology_graph

    graph = ontology_graph()
    graph += PLACES
    graph += SECTORS
    assert len(set(graph.subjects(RDF.type, KGO.Province))) == 107
    assert validate_core(graph) == []


def test_an_ontology_file_that_is_not_turtle_is_named_with_its_line(tmp_path):
    """The ontology is read by Oxigraph's parser: a broken file is an input error naming the file and the
    line, not a traceback."""
    from kg.errors import InputError
    from kg.rdf.vocabularies import Ontology

    (tmp_path / "kg.ttl").write_text("@prefix ex: <https://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e \"open\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        Ontology(tmp_path).file("kg.ttl")
    assert str(tmp_path / "kg.ttl") in str(caught.value)
    assert "not valid Turtle" in str(caught.value) and "line 3" in str(caught.value).lower()


def test_the_ontology_read_by_oxigraph_is_the_ontology_rdflib_reads():
    """Oxigraph's Turtle parser and rdflib's give the same graph of the package's ontology and shapes."""
    from rdflib import Graph
    from rdflib.compare import isomorphic

    from kg.rdf.vocabularies import Ontology
    from kg.resources import ONTOLOGY_DIR

    ontology = Ontology()
    for name in ("kg.ttl", "shapes.ttl"):
        assert isomorphic(ontology.file(name), Graph().parse(ONTOLOGY_DIR / name, format="turtle")), name
