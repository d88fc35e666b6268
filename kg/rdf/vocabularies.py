"""The ontology files as graphs: the OWL ontology, places and sectors."""

from __future__ import annotations

from pathlib import Path

from rdflib import RDF, Graph, URIRef

from kg.errors import InputError
from kg.rdf.namespaces import KGO, KGR, new_graph
from kg.resources import ONTOLOGY_DIR, ONTOLOGY_FILES


class Ontology:
    """The ontology files of one folder (the bundled ones by default), each parsed on first use and
    kept by this object, with whatever the layers above derive from them (:meth:`derived`).

    Whoever needs the files holds one: ``kg build`` makes one per build and hands it to every step;
    a function given none makes its own. Nothing is kept at module level.
    """

    def __init__(self, folder: Path | str = ONTOLOGY_DIR):
        self.folder = Path(folder).resolve()
        self._graphs: dict[str, Graph] = {}
        self._derived: dict[str, object] = {}

    @classmethod
    def of(cls, ontology: Ontology | Path | str | None) -> Ontology:
        """``ontology`` itself, or the ontology of a folder (None: the bundled one)."""
        if isinstance(ontology, Ontology):
            return ontology
        return cls(ONTOLOGY_DIR if ontology is None else ontology)

    def path(self, name: str) -> Path:
        return self.folder / name

    def file(self, name: str) -> Graph:
        """One Turtle file of the folder, parsed once."""
        if name not in self._graphs:
            self._graphs[name] = _parse_into(new_graph(), self.path(name))
        return self._graphs[name]

    def add_to(self, graph: Graph) -> Graph:
        """Add the ontology, places and sectors to ``graph`` (a file not parsed yet is parsed straight into it)."""
        for name in ONTOLOGY_FILES:
            if name in self._graphs:
                graph += self._graphs[name]
            else:
                _parse_into(graph, self.path(name))
        return graph

    def graph(self) -> Graph:
        """The ontology, places and sectors together (what the builder adds to every graph)."""
        return self.add_to(new_graph())

    def derived(self, key: str, compute):
        """``compute(self)``, computed once for this ontology (e.g. the shapes split by kind, in kg.check)."""
        if key not in self._derived:
            self._derived[key] = compute(self)
        return self._derived[key]

    def place_ids(self) -> set[str]:
        return _ids(self.file("places.ttl"), "place/")

    def sector_ids(self) -> set[str]:
        graph = self.file("sectors.ttl")
        return {i for i in _ids(graph, "sector/") if (KGR[f"sector/{i}"], RDF.type, KGO.Sector) in graph}

    def vocabulary(self):
        """The place and sector ids, for the loader (:class:`kg.model.loader.Vocabulary`)."""
        from kg.model.loader import Vocabulary

        return Vocabulary(frozenset(self.place_ids()), frozenset(self.sector_ids()))


def _parse_into(graph: Graph, path: Path) -> Graph:
    try:
        graph.parse(path, format="turtle")
    except FileNotFoundError:
        raise InputError("ontology file not found", path) from None
    except Exception as exc:  # rdflib raises several parser exception types
        raise InputError(f"not valid Turtle: {' '.join(str(exc).split())[:300]}", path) from None
    return graph


def ontology_file(name: str, ontology=None) -> Graph:
    """One Turtle file of the ontology folder."""
    return Ontology.of(ontology).file(name)


def add_ontology(graph: Graph, ontology=None) -> Graph:
    """Add the ontology, places and sectors to ``graph``."""
    return Ontology.of(ontology).add_to(graph)


def ontology_graph(ontology=None) -> Graph:
    """The ontology, places and sectors together."""
    return Ontology.of(ontology).graph()


def vocabulary(ontology=None):
    """The place and sector ids of the ontology, for the loader (:class:`kg.model.loader.Vocabulary`)."""
    return Ontology.of(ontology).vocabulary()


def place_ids(ontology=None) -> set[str]:
    return Ontology.of(ontology).place_ids()


def sector_ids(ontology=None) -> set[str]:
    return Ontology.of(ontology).sector_ids()


def _ids(graph: Graph, prefix: str) -> set[str]:
    base = str(KGR) + prefix
    return {str(s)[len(base):] for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef) and str(s).startswith(base)}
