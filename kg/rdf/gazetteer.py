"""The gazetteer's places as triples, shaped as ``ontology/places.ttl`` writes them.

Not part of ``kg build`` yet: the build still adds ``places.ttl``. This is what it can add instead
(the places a corpus names, with the places that contain them), and the tests check that for
every place ``places.ttl`` has, the same IRI gets the same class, labels, ISO and Istat codes,
and lies in the same places (``schema:containedInPlace``, followed to any depth: the gazetteer
puts a macro-area between a region and Italy). Identifiers the gazetteer does not hold
(Wikidata, GeoNames) stay in ``places.ttl``. Groups are written with their labels only: their
members by date need terms the ontology does not have yet.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import RDF, RDFS, Graph, Literal, URIRef

from kg.model.gazetteer import Gazetteer, Place
from kg.rdf.iris import place_iri
from kg.rdf.namespaces import KGO, SCHEMA, new_graph

CLASSES: dict[str, tuple[URIRef, ...]] = {
    "world": (SCHEMA.Place, KGO.AllDestinations),
    "country": (SCHEMA.Country,),
    "region": (KGO.Region,),
    "province": (KGO.Province,),
    "municipality": (KGO.Municipality,),
    "city": (SCHEMA.City,),
    "macro-area": (SCHEMA.AdministrativeArea,),
}
"""The classes of each kind of place; any other kind (continent, group, area, site) is a schema:Place."""


def add_place(graph: Graph, place: Place) -> None:
    subject = place_iri(place.id)
    for cls in CLASSES.get(place.kind, (SCHEMA.Place,)):
        graph.add((subject, RDF.type, cls))
    graph.add((subject, RDFS.label, Literal(place.label_it, lang="it")))
    graph.add((subject, RDFS.label, Literal(place.label_en, lang="en")))
    if place.parent:
        graph.add((subject, SCHEMA.containedInPlace, place_iri(place.parent)))
    for code in place.iso:
        graph.add((subject, KGO.iso3166Code, Literal(code)))
    if place.istat:
        graph.add((subject, KGO.istatCode, Literal(place.istat)))


def places_graph(gazetteer: Gazetteer, place_ids: Iterable[str] | None = None, graph: Graph | None = None) -> Graph:
    """The places with these ids (None: every place) and every place that contains them, added to ``graph``
    (a new one when None). An unknown id is a UsageError naming it."""
    graph = new_graph() if graph is None else graph
    wanted = [p.id for p in gazetteer.places()] if place_ids is None else list(place_ids)
    done: set[str] = set()
    for place_id in wanted:
        for place in (gazetteer.place(place_id), *gazetteer.ancestors(place_id)):
            if place.id not in done:
                done.add(place.id)
                add_place(graph, place)
    return graph
