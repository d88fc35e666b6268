"""kg's schema.org terms are the IRIs schema.org's own JSON-LD context gives them, so kg's data joins with schema.org's.

schema.org's JSON-LD context (the one "@context": "https://schema.org" loads) declares
``"@vocab": "http://schema.org/"``: a page's ``{"@type": "Place", "name": "Marche"}`` is, read as RDF,
``<...> a <http://schema.org/Place>``. kg writes the same IRIs (``schema:`` = ``http://schema.org/``), in
every format and in the JSON-LD export's own context.
"""

from __future__ import annotations

import json

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from kg.rdf.namespaces import KGR, SCHEMA
from kg.resources import ONTOLOGY_DIR
from kg.stores.files import serialize

# what a web page about Marche says with schema.org's context, which maps every term under its @vocab
PAGE = {"@context": {"@vocab": "http://schema.org/"}, "@id": str(KGR["place/marche"]), "@type": "AdministrativeArea",
        "name": "Marche", "containedInPlace": {"@id": str(KGR["place/italy"])}}


def test_the_namespace_is_schema_org_s_own():
    assert str(SCHEMA) == "http://schema.org/"
    context = json.loads((ONTOLOGY_DIR / "context.jsonld").read_text(encoding="utf-8"))
    assert context["@context"]["schema"] == "http://schema.org/"


def test_the_json_ld_export_joins_with_a_schema_org_page(graph):
    exported = Graph().parse(data=serialize(graph, "jsonld"), format="json-ld")
    page = Graph().parse(data=json.dumps(PAGE), format="json-ld")
    joined = exported + page
    marche = KGR["place/marche"]
    # the page's containment is kg's: the same triple, not two that differ only in the scheme of the IRI
    contained = (marche, URIRef("http://schema.org/containedInPlace"), KGR["place/italy"])
    assert contained in page and contained in exported
    assert set(joined.objects(marche, URIRef("http://schema.org/containedInPlace"))) == {KGR["place/italy"]}
    assert (marche, SCHEMA.name, Literal("Marche")) in joined
    # kg says Marche is a region, and kg.ttl that a region is a schema.org administrative area: the page's class
    assert (marche, RDF.type, URIRef("http://schema.org/AdministrativeArea")) in page
    assert (URIRef("https://example.org/kg/ontology#Region"), URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf"),
            URIRef("http://schema.org/AdministrativeArea")) in exported
    assert not [t for t in exported if any("https://schema.org/" in str(term) for term in t)]
