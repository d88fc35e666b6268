"""A corpus in parts: what every release shares (the context), and each release's own triples.

A corpus build (:mod:`kg.pipeline.corpus`) is the union of

- the **context**: the ontology, and the registry's organisations, people and
  roles (with the places they name);
- one **part** per release: the triples the builder writes for it (the release,
  its sentences, facts, evidence, and the periods and posts it names), already
  checked against the per-class shapes, and the ids of the places and sectors it names;
- the ``time:intervalDuring`` links between the periods of all parts, and the
  places and sectors the parts name (:func:`shared_lines`).

A part depends only on its release folder and the context, so it is identified
by a content hash of both (:func:`release_key`) and can be cached
(:mod:`kg.pipeline.cache`) and built in another process (``--jobs``). Nodes that several
releases share (periods, instants, posts) are described the same way by each,
from their IRI and the registry, so checking each part with the context gives
the same per-class findings as checking the whole graph. Places and sectors
come from the gazetteer (:mod:`kg.rdf.gazetteer`): a part records the ids it
names, and their triples are written once for the corpus, not once per release;
a chunk of parts is checked with them. The data folder's own places and sectors
(``places.yaml``, ``sectors.yaml``) are in the context, checked once per build with
it; the package's are checked by its tests. So the context stays small: it is
copied into every chunk. The SPARQL checks within a release (``kgs:ReleaseChecks``)
run on each chunk too, in an Oxigraph store of its own (:func:`release_checks`), and
their findings are kept with the parts; the checks across releases
(``kgs:CorpusChecks``, ``kgs:CorpusWarnings``) run on the whole graph at once, in
Oxigraph (:mod:`kg.pipeline.checker`).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import BNode, Graph

from kg.resources import ONTOLOGY_FILES, SHAPES_FILE

if TYPE_CHECKING:
    from kg.check.shacl import Finding, QueryGuard
    from kg.model.loader import Registry, Release
    from kg.rdf.vocabularies import Ontology

KG_SOURCE = Path(__file__).resolve().parent.parent  # the kg package


_RELEASE_PREDICATES = "release check predicates"  # the key of Context.release_predicates among the ontology's derived values


@dataclass
class Context:
    """What every release's part is built against."""

    data_dir: Path
    ontology: Ontology  # the files, parsed once for the build
    registry: Registry
    graph: Graph  # ontology + registry nodes
    digest: str  # content hash of the registry, the gazetteer, the ontology files and the kg source
    guard: QueryGuard  # the SPARQL texts already checked

    _lines: list[bytes] | None = None
    _release_lines: bytes | None = None

    @property
    def lines(self) -> list[bytes]:
        if self._lines is None:
            self._lines = ntriples_lines(self.graph)
        return self._lines

    @property
    def release_predicates(self) -> set[str] | None:
        """The predicates the checks within a release (``kgs:ReleaseChecks``) can match (None: any)."""
        from kg.check.shacl import check_predicates

        return self.ontology.derived(_RELEASE_PREDICATES, lambda o: check_predicates(o, "release"))

    def know_release_predicates(self, predicates: set[str] | None) -> None:
        """Take :attr:`release_predicates` as already found (a build reads them from its cache), unless they are
        known already."""
        self.ontology.derived(_RELEASE_PREDICATES, lambda _ontology: predicates)

    @property
    def release_lines(self) -> bytes:
        """The context's N-Triples the checks within a release can match (the hedges' factors, ...)."""
        if self._release_lines is None:
            from kg.pipeline.checker import encoded, wanted_lines

            self._release_lines = encoded(wanted_lines(self.lines, self.release_predicates))
        return self._release_lines


@dataclass
class Part:
    """One release's triples (N-Triples lines, sorted), its periods, and its per-class findings."""

    id: str
    key: str
    lines: list[bytes]  # N-Triples, UTF-8, sorted (:func:`ntriples_lines`)
    periods: list[tuple[str, int]]  # (first day, months) of every period it names
    findings: list[Finding] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # "place/<id>", "sector/<id>": the places and sectors it names
    # its figures, with what decides which figure of a measure is current (kg.rdf.builder.FigureKey, as lists of strings)
    figures: list[list[str]] = field(default_factory=list)
    # which of its lines the checks across releases can match (their indexes in ``lines``), and for which
    # predicates (:func:`kg.pipeline.checker.predicates_digest`): cached, so a part from the cache feeds the
    # checks without its lines being looked through again
    wanted: list[int] | None = None
    wanted_for: str = ""
    checked: bytes = b""  # N-Triples of the lines the SPARQL checks can match, on the way to them (not cached)
    encoded: bytes = b""  # N-Triples of its lines, on the way to a store loaded as the parts come (not cached)


def ntriples_lines(triples) -> list[bytes]:
    """Sorted N-Triples lines (UTF-8, no newline), as rdflib writes them (each IRI and blank node written once).

    A build handles its lines as UTF-8 from here on: sorted as bytes they are in the order of their
    text (UTF-8 keeps the order of code points), and graph.ttl, the stores, the checks and the cache
    take them as they are, with nothing encoded again (on 1,000 releases, 0.35 s after the parts)."""
    from rdflib import BNode, Literal, URIRef
    from rdflib.plugins.serializers.nt import _quoteLiteral

    written: dict[object, str] = {}  # IRI or blank node -> its N-Triples form (rdflib checks the IRI each time it writes it)
    # literal (by identity: the builder shares a chunk's literals, kg.rdf.builder.Literals) -> (the literal, its
    # N-Triples form): by identity because an rdflib Literal hashes in Python; kept, so that no other takes its id
    quoted: dict[int, tuple[Literal, str]] = {}
    lines = []
    for s, p, o in triples:
        subject = written.get(s)
        if subject is None:
            subject = written[s] = s.n3()
        predicate = written.get(p)
        if predicate is None:
            predicate = written[p] = p.n3()
        kind = type(o)
        if kind is URIRef or kind is BNode or not isinstance(o, Literal):  # exact types first: isinstance is slow on rdflib's
            obj = written.get(o)
            if obj is None:
                obj = written[o] = o.n3()
        else:
            known = quoted.get(id(o))
            if known is None:
                known = quoted[id(o)] = (o, _quoteLiteral(o))
            obj = known[1]
        lines.append(f"{subject} {predicate} {obj} .".encode())
    lines.sort()
    return lines


def _digest(*chunks: bytes) -> str:
    h = hashlib.sha256()
    for chunk in chunks:
        h.update(len(chunk).to_bytes(8, "big"))
        h.update(chunk)
    return h.hexdigest()


def _files(folder: Path) -> list[bytes]:
    """The names and bytes of a release folder's files, by name (os.scandir: no stat for each file on Linux,
    where pathlib's iterdir and is_file took a third of the keys of a rebuild)."""
    chunks = []
    with os.scandir(folder) as found:
        files = sorted(entry.name for entry in found if entry.is_file())
    for name in files:
        with open(os.path.join(folder, name), "rb") as handle:
            chunks += [name.encode("utf-8"), handle.read()]
    return chunks


def context_of(data_dir, ontology=None, registry: Registry | None = None) -> Context:
    """Load the registry and build the shared context of ``data_dir`` (``registry``: one already loaded, with its
    gazetteer, as ``kg review`` checks additions not yet saved)."""
    from kg import __version__
    from kg.model.gazetteer import GAZETTEER_DIR, GAZETTEER_FILE, PLACES_FILE, SECTORS_FILE
    from kg.model.loader import Corpus, load_registry
    from kg.rdf.builder import Builder
    from kg.rdf.vocabularies import Ontology

    data_dir, ontology = Path(data_dir), Ontology.of(ontology)
    from kg.errors import InputError

    if not data_dir.is_dir():
        raise InputError("no such data folder (kg init DIR lays out a new one)", data_dir)
    if registry is None:
        registry = load_registry(data_dir, ontology.vocabulary(data_dir))
    graph = ontology.graph()
    Builder(Corpus(data_dir, registry), graph, graph).registry_nodes()  # with the data folder's own places
    chunks = [__version__.encode()]
    for name in (*ONTOLOGY_FILES, SHAPES_FILE):
        chunks += [name.encode(), ontology.path(name).read_bytes()]
    chunks += [GAZETTEER_FILE.encode(), (GAZETTEER_DIR / GAZETTEER_FILE).read_bytes()]
    for name in ("registry.yaml", PLACES_FILE, SECTORS_FILE):  # a place's new name relabels the facts that name it
        path = data_dir / name
        chunks += [name.encode(), path.read_bytes() if path.is_file() else b""]
    chunks += [p.read_bytes() for p in sorted(KG_SOURCE.rglob("*.py"))]  # a change to the builder rebuilds every part
    from kg.check.shacl import QueryGuard

    return Context(data_dir, ontology, registry, graph, _digest(*chunks), QueryGuard())


def release_key(context: Context, folder: Path) -> str:
    """The content hash a release's part is cached under: its folder's files and the context."""
    return _digest(context.digest.encode(), *_files(folder))


class _Recorder:
    """What a release's builder writes to: the triples go into the shared graph and are recorded."""

    def __init__(self, graph: Graph):
        self.graph = graph
        self.triples: list = []

    def add(self, triple) -> None:
        self.triples.append(triple)
        self.graph.add(triple)


def build_parts(context: Context, jobs: list[tuple[Path, str]]) -> list[Part]:
    """Build and check the parts of the given (folder, key) releases, together: one graph, one validation."""
    with _collection_paused():
        return _build_parts(context, jobs)


@contextmanager
def _collection_paused():
    """Python's cyclic garbage collector off while a chunk of parts is built, as it was before after.

    Building makes hundreds of thousands of small objects (terms, triples, rdflib's index
    dictionaries) that all live until the chunk is done, and the collector would scan them again
    and again: it costs a quarter of the time of a part. What the chunk leaves behind is
    collected as usual afterwards.
    """
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def release_part(context: Context, release: Release) -> Part:
    """The part of a release already loaded (``kg review`` checks an annotation being edited, before it is
    saved), with its findings: the per-class shapes and the checks within a release, as a build finds them."""
    with _collection_paused():
        return _build_parts(context, [(release, "")])[0]


def _build_parts(context: Context, jobs: Sequence[tuple[Path | Release, str]]) -> list[Part]:
    from kg.check.shacl import validate_core
    from kg.model.loader import Corpus, Release, load_release
    from kg.rdf.builder import Builder, Literals
    from kg.rdf.gazetteer import GazetteerWriter
    from kg.rdf.memory import copy_graph
    from kg.rdf.namespaces import KGR

    graph = copy_graph(context.graph)
    corpus = Corpus(context.data_dir, context.registry)
    # the places and sectors the chunk names go into its graph, for the shapes, once: not into its parts
    places = GazetteerWriter(context.registry.gazetteer, graph) if context.registry.gazetteer is not None else None
    parts: list[Part] = []
    recorded: list[set] = []
    literals = Literals()  # the chunk's literals, each made once (kg.rdf.builder.Literals)
    for folder, key in jobs:
        release = folder if isinstance(folder, Release) else load_release(folder, context.registry)
        recorder = _Recorder(graph)
        builder = Builder(corpus, recorder, context.graph, places, literals)
        builder.release(release)
        periods = sorted((period.start.isoformat(), period.months) for period in builder.intervals)
        triples = set(recorder.triples)
        parts.append(Part(release.id, key, ntriples_lines(triples), periods, names=sorted(builder.names),
                          figures=[list(figure) for figure in builder.figures]))
        recorded.append(triples)
    scan = [triple for triples in recorded for triple in triples]
    findings = validate_core(graph, context.ontology, scan=scan)
    graph.let_go()  # done with: freed now, not by the cycle collector (kg.rdf.memory.DefaultGraphMemory.let_go)
    checked = release_checks(context, parts)
    if not findings and not checked:  # the usual case: no need to know whose nodes are whose
        return parts
    subjects = [{str(s) for s, _p, _o in triples} for triples in recorded]
    has_blank = [any(isinstance(t, BNode) for triple in triples for t in triple) for triples in recorded]
    for finding in findings + checked:
        owners = [part for index, part in enumerate(parts)
                  if finding.node.startswith(f"{KGR}release/{part.id}/") or finding.node in subjects[index]
                  or (finding.node == "" and has_blank[index])]
        if not owners and finding in checked:  # a check within a release names no node of one: all of them have it
            owners = parts
        for part in owners:
            part.findings.append(finding)
        # a per-class finding on no part's node is about the context, which the pipeline checks on its own
    return parts


def release_checks(context: Context, parts: list[Part]) -> list[Finding]:
    """The findings of the checks within a release (``kgs:ReleaseChecks``) on ``parts``, in an Oxigraph store
    of their own holding the triples those checks can match (the parts' and the context's).

    Each check looks at one release's nodes (a quote against its release's text, a figure's bounds
    against its hedge), so a chunk of parts gives the same findings as the whole graph. Run here, in
    the workers, they spare the checks across releases (:class:`kg.pipeline.checker.Checker`) the
    release texts, sentences, selectors and types: that store holds 40 % of the triples it did
    (its memory at 10,000 releases), and the checks that wait for the whole graph are fewer."""
    import pyoxigraph

    from kg.check.shacl import check_store
    from kg.pipeline.checker import encoded, wanted_lines

    store = pyoxigraph.Store()
    predicates = context.release_predicates
    data = context.release_lines + b"".join(encoded(wanted_lines(part.lines, predicates)) for part in parts)
    store.bulk_load(data, format=pyoxigraph.RdfFormat.N_TRIPLES)
    return check_store(store, context.ontology, "release", context.guard, side_by_side=1)


def interval_links(periods) -> list[bytes]:
    """N-Triples lines: ``time:intervalDuring`` between every two of the periods where one lies within the other."""
    from kg.model.periods import Period
    from kg.rdf.builder import interval_containment

    return ntriples_lines(interval_containment({Period(date.fromisoformat(start), months) for start, months in periods}))


def gazetteer_lines(context: Context, names) -> list[bytes]:
    """N-Triples lines: the places and sectors with these names ("place/<id>", "sector/<id>"), with the
    places that contain them and the broader sectors (:mod:`kg.rdf.gazetteer`)."""
    from kg.rdf.gazetteer import GazetteerWriter

    gazetteer = context.registry.gazetteer
    if gazetteer is None:
        return []
    triples: set = set()
    writer = GazetteerWriter(gazetteer, triples)
    for name in sorted(set(names)):
        kind, _slash, ident = name.partition("/")
        if kind == "place":
            writer.place(ident)
        elif kind == "sector":
            writer.sector(ident)
    return ntriples_lines(triples)


def current_lines(parts) -> list[bytes]:
    """N-Triples lines: ``a kgo:CurrentFigure`` for the current figure of every measure among all the parts'
    figures (:func:`kg.rdf.builder.current_figures`): which one is current depends on every release."""
    from rdflib.namespace import RDF

    from kg.rdf.builder import current_figures
    from kg.rdf.namespaces import KGO

    current = current_figures(figure for part in parts for figure in part.figures)
    return [f"<{figure}> <{RDF.type}> <{KGO.CurrentFigure}> .".encode() for figure in current]


def shared_lines(context: Context, parts) -> list[bytes]:
    """N-Triples lines the parts share, written once for all of them: the links between their periods
    (:func:`interval_links`), the places and sectors they name (:func:`gazetteer_lines`), and which figure of
    each measure is current (:func:`current_lines`)."""
    parts = list(parts)
    links = interval_links({period for part in parts for period in part.periods})
    return links + gazetteer_lines(context, {name for part in parts for name in part.names}) + current_lines(parts)


def corpus_checks(context: Context, parts: list[Part]) -> list[Finding]:
    """The findings of the checks across releases (``kgs:CorpusChecks`` and ``kgs:CorpusWarnings``) on ``parts``
    alone, in an Oxigraph store of their own holding the parts, the context and the lines the parts share: what a
    build would find in a corpus made of these releases (``kg review`` checks a release being edited with the
    other releases of its data folder)."""
    import pyoxigraph

    from kg.check.shacl import check_store
    from kg.pipeline.checker import encoded

    store = pyoxigraph.Store()
    lines = [*context.lines, *shared_lines(context, parts), *(line for part in parts for line in part.lines)]
    store.bulk_load(encoded(lines), format=pyoxigraph.RdfFormat.N_TRIPLES)
    return check_store(store, context.ontology, "corpus", context.guard, side_by_side=1)
