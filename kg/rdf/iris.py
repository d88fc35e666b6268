"""IRIs of the resources the builder mints: deterministic, from ids, never blank nodes.

Everything lives under ``kgr:`` (``kg.rdf.namespaces.RESOURCE_BASE``)::

    kgr:release/<release-id>                       the press release
    kgr:release/<release-id>/fact/<fact-id>        a fact, with /evidence/<n>[/quote|/position]
    kgr:release/<release-id>/sentence/<n>          a sentence of the text
    kgr:org/<id>  kgr:person/<id>  kgr:place/<id>  kgr:sector/<id>  kgr:role/<id>
    kgr:post/<org>/<role>[/to-<place>][/<delegation>]
    kgr:interval/<first day>/<duration>            e.g. kgr:interval/2025-01-01/P9M
    kgr:cell/<flow>/<origin>/<destination>/<period>[/sector/<sector>][/excluding/<id>+<id>]
                                                   what a figure observes, e.g. kgr:cell/export/marche/world/2025-01--2025-09
"""

from __future__ import annotations

import re
import unicodedata

from rdflib import URIRef

from kg.model.periods import Period
from kg.rdf.namespaces import KGR


def slug(text: str) -> str:
    """ASCII, lower-case, hyphenated: 'Export e Attrazione' -> 'export-e-attrazione'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def release_iri(release_id: str) -> URIRef:
    return KGR[f"release/{release_id}"]


def fact_iri(release_id: str, fact_id: str) -> URIRef:
    return KGR[f"release/{release_id}/fact/{fact_id}"]


def place_iri(place_id: str) -> URIRef:
    return KGR[f"place/{place_id}"]


def org_iri(org_id: str) -> URIRef:
    return KGR[f"org/{org_id}"]


def person_iri(person_id: str) -> URIRef:
    return KGR[f"person/{person_id}"]


def agent_iri(registry, agent_id: str) -> URIRef:
    return org_iri(agent_id) if agent_id in registry.organizations else person_iri(agent_id)


def sector_iri(sector_id: str) -> URIRef:
    return KGR[f"sector/{sector_id}"]


def role_iri(role_id: str) -> URIRef:
    return KGR[f"role/{role_id}"]


def interval_iri(period: Period) -> URIRef:
    return KGR[f"interval/{period.key}"]


def cell_iri(cell) -> URIRef:
    """The cell's IRI (a :class:`kg.model.loader.Cell`): its period's notation with '/' written '--', the
    ids it excludes sorted and joined by '+'. Every release stating a figure on the cell names it so."""
    return KGR[f"cell/{cell.flow}/{cell.origin}/{cell.destination}/{cell.period.notation.replace('/', '--')}"
               + _cell_rest(cell)]


def series_iri(cell) -> URIRef:
    """The IRI of the series a cell belongs to: the cell's without its period
    (``kgr:series/{flow}/{origin}/{destination}[/sector/{sector}][/excluding/{id}+{id}]``)."""
    return KGR[f"series/{cell.flow}/{cell.origin}/{cell.destination}" + _cell_rest(cell)]


def _cell_rest(cell) -> str:
    path = f"/sector/{cell.sector}" if cell.sector is not None else ""
    if cell.excludes:
        path += "/excluding/" + "+".join(sorted(cell.excludes))
    return path


def post_iri(values: dict) -> URIRef:
    path = f"post/{values['organization']}/{values['role']}"
    if "accredited_to" in values:
        path += f"/to-{values['accredited_to']}"
    if "delegation" in values:
        path += f"/{slug(values['delegation'])}"
    return KGR[path]
