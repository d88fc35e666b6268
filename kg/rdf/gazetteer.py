"""The gazetteer's places and sectors as triples: what a graph says about the places and sectors it names.

A graph carries the places and sectors its registry and releases name, each with the places that
contain it and the sectors broader than it (:class:`GazetteerWriter`), not the whole gazetteer:
every country, province and ATECO concept in every graph would make each build's shared context
many times larger for nothing a query asks.

Places: a class by kind (:data:`CLASSES`), Italian and English labels, ISO 3166 and Istat codes,
Wikidata and GeoNames identifiers (both ``schema:sameAs``: it names the item another site describes without
making the two one individual, as ``owl:sameAs`` would for a reasoner) where the gazetteer has them,
and ``schema:containedInPlace`` the nearest containing place that is not a macro-area (a region lies in
Italy, as the shapes want: a macro-area is written only when a release names it). A group or
continent is a ``schema:Place`` written with its members, each membership a ``kgo:PlaceMembership``
(``kgr:place/<group>/member/<place>``) with its first and last days where the gazetteer has them
(the United Kingdom in the EU until 2020-01-31), and a complement (extra-EU) ``kgo:complementOf``
the group it is every country outside.

Sectors: ``kgo:Sector`` concepts (``rdfs:subClassOf skos:Concept``) in one of two SKOS schemes: Istat's
product classification for trade (``kgr:ateco``; the concept's id is its notation, ``CB`` or ``14``),
and the sectors named in the releases (``kgo:SectorScheme``: the seed's sector words and a data
folder's own), each linked to the NACE Rev. 2 divisions it is close to (``skos:closeMatch``).
``skos:broader`` within a scheme, ``skos:broadMatch`` across.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef

from kg.model.gazetteer import Gazetteer, Place, Sector
from kg.rdf.iris import place_iri, sector_iri
from kg.rdf.namespaces import KGO, KGR, SCHEMA, new_graph

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

NACE = Namespace("http://data.europa.eu/ux2/nace2/")
WIKIDATA = Namespace("http://www.wikidata.org/entity/")
ATECO = KGR["ateco"]
SCHEMES: dict[str, tuple[URIRef, str, str]] = {
    "ateco": (ATECO, "classificazione dei prodotti per il commercio estero (Ateco 2007)",
              "product classification for foreign trade (ATECO 2007)"),
    "releases": (KGO.SectorScheme, "settori nominati nei comunicati", "sectors named in the releases"),
}
"""Each sector scheme's IRI and Italian and English labels (kgo:SectorScheme is declared in kg.ttl)."""


def container(gazetteer: Gazetteer, place: Place) -> Place | None:
    """The place ``place`` is written as lying in: its nearest ancestor that is not a macro-area."""
    for ancestor in gazetteer.ancestors(place.id):
        if ancestor.kind != "macro-area":
            return ancestor
    return None


def add_place(graph, place: Place, inside: Place | None = None) -> None:
    """The triples of one place (``inside``: the place it is written as lying in)."""
    subject = place_iri(place.id)
    for cls in CLASSES.get(place.kind, (SCHEMA.Place,)):
        graph.add((subject, RDF.type, cls))
    graph.add((subject, RDFS.label, Literal(place.label_it, lang="it")))
    graph.add((subject, RDFS.label, Literal(place.label_en, lang="en")))
    if inside is not None:
        graph.add((subject, SCHEMA.containedInPlace, place_iri(inside.id)))
    for code in place.iso:
        graph.add((subject, KGO.iso3166Code, Literal(code)))
    if place.istat:
        graph.add((subject, KGO.istatCode, Literal(place.istat)))
    if place.wikidata:
        graph.add((subject, SCHEMA.sameAs, WIKIDATA[place.wikidata]))
    if place.geonames:
        graph.add((subject, SCHEMA.sameAs, URIRef(f"https://sws.geonames.org/{place.geonames}/")))


def add_sector(graph, sector: Sector, broader: Sector | None = None) -> None:
    """The triples of one sector (``broader``: the sector it is narrower than) and of its scheme."""
    subject = sector_iri(sector.id)
    scheme, scheme_it, scheme_en = SCHEMES[sector.scheme]
    if scheme != KGO.SectorScheme:  # kg.ttl declares that one
        graph.add((scheme, RDF.type, SKOS.ConceptScheme))
        graph.add((scheme, SKOS.prefLabel, Literal(scheme_it, lang="it")))
        graph.add((scheme, SKOS.prefLabel, Literal(scheme_en, lang="en")))
    graph.add((subject, RDF.type, KGO.Sector))
    graph.add((subject, SKOS.inScheme, scheme))
    graph.add((subject, SKOS.prefLabel, Literal(sector.label_it, lang="it")))
    graph.add((subject, SKOS.prefLabel, Literal(sector.label_en, lang="en")))
    for label in sector.alt_it:
        graph.add((subject, SKOS.altLabel, Literal(label, lang="it")))
    for label in sector.alt_en:
        graph.add((subject, SKOS.altLabel, Literal(label, lang="en")))
    if sector.scheme == "ateco":
        graph.add((subject, SKOS.notation, Literal(sector.id)))
    if broader is None:
        graph.add((subject, SKOS.topConceptOf, scheme))
    else:
        graph.add((subject, SKOS.broader if broader.scheme == sector.scheme else SKOS.broadMatch, sector_iri(broader.id)))
    for code in sector.nace:
        graph.add((subject, SKOS.closeMatch, NACE[code]))
    if sector.note:
        graph.add((subject, SKOS.scopeNote, Literal(sector.note, lang="en")))


def add_memberships(graph, place: Place) -> None:
    """The memberships of a group or continent (``kgo:PlaceMembership``, with their days) and its complement."""
    group = place_iri(place.id)
    repeated = {m.place for m in place.members if sum(other.place == m.place for other in place.members) > 1}
    for membership in place.members:
        node = KGR[f"place/{place.id}/member/{membership.place}"]
        if membership.place in repeated:  # a place that left and joined again: one node per membership
            node = KGR[f"place/{place.id}/member/{membership.place}/{membership.since or 'start'}"]
        graph.add((node, RDF.type, KGO.PlaceMembership))
        graph.add((node, KGO.memberOf, group))
        graph.add((node, KGO.memberPlace, place_iri(membership.place)))
        if membership.since is not None:
            graph.add((node, KGO.memberSince, Literal(membership.since, datatype=XSD.date)))
        if membership.until is not None:
            graph.add((node, KGO.memberUntil, Literal(membership.until, datatype=XSD.date)))
    if place.complement_of:
        graph.add((group, KGO.complementOf, place_iri(place.complement_of)))


class GazetteerWriter:
    """Writes each place and sector a graph names once, with the places that contain it and the sectors
    broader than it. ``graph``: anything with ``add(triple)``."""

    def __init__(self, gazetteer: Gazetteer, graph):
        self.gazetteer = gazetteer
        self.graph = graph
        self.places: set[str] = set()
        self.sectors: set[str] = set()

    def place(self, place_id: str) -> URIRef:
        """The place's IRI, its triples written (an id the gazetteer lacks: the IRI alone)."""
        current = self.gazetteer.get(place_id)
        while current is not None and current.id not in self.places:
            self.places.add(current.id)
            inside = container(self.gazetteer, current)
            add_place(self.graph, current, inside)
            if current.members or current.complement_of:  # a group: its members, described, and their days
                add_memberships(self.graph, current)
                for other in [m.place for m in current.members] + ([current.complement_of] if current.complement_of else []):
                    self.place(other)
            current = inside
        return place_iri(place_id)

    def sector(self, sector_id: str) -> URIRef:
        """The sector's IRI, its triples written (an id the gazetteer lacks: the IRI alone)."""
        current = self.gazetteer.get_sector(sector_id)
        while current is not None and current.id not in self.sectors:
            self.sectors.add(current.id)
            broader = self.gazetteer.get_sector(current.broader) if current.broader else None
            add_sector(self.graph, current, broader)
            current = broader
        return sector_iri(sector_id)


def places_graph(gazetteer: Gazetteer, place_ids: Iterable[str] | None = None, graph: Graph | None = None) -> Graph:
    """The places with these ids (None: every place) and every place that contains them, added to ``graph``
    (a new one when None). An unknown id is a UsageError naming it."""
    graph = new_graph() if graph is None else graph
    writer = GazetteerWriter(gazetteer, graph)
    for place_id in ([p.id for p in gazetteer.places()] if place_ids is None else place_ids):
        gazetteer.place(place_id)
        writer.place(place_id)
    return graph


def sectors_graph(gazetteer: Gazetteer, sector_ids: Iterable[str] | None = None, graph: Graph | None = None) -> Graph:
    """The sectors with these ids (None: every sector) and the sectors broader than them."""
    graph = new_graph() if graph is None else graph
    writer = GazetteerWriter(gazetteer, graph)
    for sector_id in ([s.id for s in gazetteer.sectors()] if sector_ids is None else sector_ids):
        gazetteer.sector(sector_id)
        writer.sector(sector_id)
    return graph
