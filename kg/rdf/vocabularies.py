"""The ontology files as graphs: the OWL ontology, places and sectors."""

from __future__ import annotations

from pathlib import Path

from rdflib import RDF, Graph, URIRef

from kg.errors import InputError
from kg.rdf.namespaces import KGO, KGR, new_graph
from kg.resources import ONTOLOGY_DIR, ONTOLOGY_FILES

_CACHE: dict[Path, Graph] = {}


def _parse_into(graph: Graph, path: Path) -> Graph:
    try:
        graph.parse(path, format="turtle")
    except FileNotFoundError:
        raise InputError("ontology file not found", path)
    except Exception as exc:  # rdflib raises several parser exception types
        raise InputError(f"not valid Turtle: {' '.join(str(exc).split())[:300]}", path)
    return graph


def ontology_file(name: str, ontology_dir: Path = ONTOLOGY_DIR) -> Graph:
    """One Turtle file of ``ontology/``, parsed once per process."""
    path = (Path(ontology_dir) / name).resolve()
    if path not in _CACHE:
        _CACHE[path] = _parse_into(new_graph(), path)
    return _CACHE[path]


def add_ontology(graph: Graph, ontology_dir: Path = ONTOLOGY_DIR) -> Graph:
    """Add the ontology, places and sectors to ``graph``, parsing straight into it unless already parsed."""
    for name in ONTOLOGY_FILES:
        path = (Path(ontology_dir) / name).resolve()
        if path in _CACHE:
            graph += _CACHE[path]
        else:
            _parse_into(graph, path)
    return graph


def ontology_graph(ontology_dir: Path = ONTOLOGY_DIR) -> Graph:
    """The ontology, places and sectors together (what the builder adds to every graph)."""
    return add_ontology(new_graph(), ontology_dir)


def _ids(graph: Graph, prefix: str) -> set[str]:
    base = str(KGR) + prefix
    return {str(s)[len(base):] for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef) and str(s).startswith(base)}


def vocabulary(ontology_dir: Path = ONTOLOGY_DIR):
    """The place and sector ids of the ontology, for the loader (:class:`kg.model.loader.Vocabulary`)."""
    from kg.model.loader import Vocabulary

    return Vocabulary(frozenset(place_ids(ontology_dir)), frozenset(sector_ids(ontology_dir)))


def place_ids(ontology_dir: Path = ONTOLOGY_DIR) -> set[str]:
    return _ids(ontology_file("places.ttl", ontology_dir), "place/")


def sector_ids(ontology_dir: Path = ONTOLOGY_DIR) -> set[str]:
    graph = ontology_file("sectors.ttl", ontology_dir)
    return {i for i in _ids(graph, "sector/") if (KGR[f"sector/{i}"], RDF.type, KGO.Sector) in graph}
