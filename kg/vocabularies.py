"""The ontology files as graphs: the OWL ontology, places and sectors."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import Graph, RDF, URIRef

from kg.errors import InputError
from kg.namespaces import KGO, KGR, new_graph
from kg.paths import ONTOLOGY_DIR, ONTOLOGY_FILES


@lru_cache(maxsize=8)
def _parse(path: Path) -> Graph:
    graph = new_graph()
    try:
        graph.parse(path, format="turtle")
    except FileNotFoundError:
        raise InputError("ontology file not found", path)
    except Exception as exc:  # rdflib raises several parser exception types
        raise InputError(f"not valid Turtle: {exc}", path)
    return graph


def ontology_file(name: str, ontology_dir: Path = ONTOLOGY_DIR) -> Graph:
    """One Turtle file of ``ontology/``, parsed once per process."""
    return _parse(Path(ontology_dir) / name)


def ontology_graph(ontology_dir: Path = ONTOLOGY_DIR) -> Graph:
    """The ontology, places and sectors together (what the builder adds to every graph)."""
    graph = new_graph()
    for name in ONTOLOGY_FILES:
        graph += ontology_file(name, ontology_dir)
    return graph


def _ids(graph: Graph, prefix: str) -> set[str]:
    base = str(KGR) + prefix
    return {str(s)[len(base):] for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef) and str(s).startswith(base)}


def place_ids(ontology_dir: Path = ONTOLOGY_DIR) -> set[str]:
    return _ids(ontology_file("places.ttl", ontology_dir), "place/")


def sector_ids(ontology_dir: Path = ONTOLOGY_DIR) -> set[str]:
    graph = ontology_file("sectors.ttl", ontology_dir)
    return {i for i in _ids(graph, "sector/") if (KGR[f"sector/{i}"], RDF.type, KGO.Sector) in graph}
