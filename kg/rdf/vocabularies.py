"""The ontology files as graphs (the OWL ontology), and the gazetteer of places and sectors a build uses."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from kg.errors import InputError
from kg.rdf.namespaces import new_graph
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
        self._gazetteers: dict[Path | None, object] = {}

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
        """Add the ontology to ``graph`` (a file not parsed yet is parsed straight into it). Places and sectors
        are not in it: the builder writes those a graph names, from the gazetteer (:mod:`kg.rdf.gazetteer`)."""
        for name in ONTOLOGY_FILES:
            if name in self._graphs:
                graph += self._graphs[name]
            else:
                _parse_into(graph, self.path(name))
        return graph

    def graph(self) -> Graph:
        """The ontology (what the builder adds to every graph)."""
        return self.add_to(new_graph())

    def derived(self, key: str, compute):
        """``compute(self)``, computed once for this ontology (e.g. the shapes split by kind, in kg.check)."""
        if key not in self._derived:
            self._derived[key] = compute(self)
        return self._derived[key]

    def gazetteer(self, data_dir: Path | str | None = None):
        """The gazetteer (:class:`kg.model.gazetteer.Gazetteer`): the package's places and sectors with the data
        folder's ``places.yaml`` and ``sectors.yaml`` (None: the package's alone), read once per folder."""
        key = None if data_dir is None else Path(data_dir).resolve()
        if key not in self._gazetteers:
            from kg.model.gazetteer import Gazetteer

            self._gazetteers[key] = Gazetteer.load(data_dir)
        return self._gazetteers[key]

    def place_ids(self, data_dir: Path | str | None = None) -> set[str]:
        return {place.id for place in self.gazetteer(data_dir).places()}

    def sector_ids(self, data_dir: Path | str | None = None) -> set[str]:
        return {sector.id for sector in self.gazetteer(data_dir).sectors()}

    def vocabulary(self, data_dir: Path | str | None = None):
        """The places and sectors annotations may name, for the loader (:class:`kg.model.loader.Vocabulary`)."""
        from kg.model.loader import Vocabulary

        return Vocabulary.of(self.gazetteer(data_dir))


def _parse_into(graph: Graph, path: Path) -> Graph:
    from kg.rdf.terms import parse_turtle_into

    try:
        return parse_turtle_into(graph, path)
    except (FileNotFoundError, IsADirectoryError):
        raise InputError("ontology file not found", path) from None
    except SyntaxError as exc:  # Oxigraph's parser error names the line and column
        raise InputError(f"not valid Turtle: {' '.join(str(exc).split())[:300]}", path) from None


def ontology_file(name: str, ontology=None) -> Graph:
    """One Turtle file of the ontology folder."""
    return Ontology.of(ontology).file(name)


def add_ontology(graph: Graph, ontology=None) -> Graph:
    """Add the ontology to ``graph``."""
    return Ontology.of(ontology).add_to(graph)


def ontology_graph(ontology=None) -> Graph:
    """The ontology."""
    return Ontology.of(ontology).graph()


def vocabulary(ontology=None, data_dir: Path | str | None = None):
    """The places and sectors annotations may name (the gazetteer with ``data_dir``'s own), for the loader."""
    return Ontology.of(ontology).vocabulary(data_dir)
