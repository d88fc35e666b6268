"""Reading and writing graph files: the one place files are touched.

Writes are atomic: the bytes go to a temporary file in the target folder,
are flushed to disk, then renamed over the target, so a failed or interrupted
run leaves the previous output as it was. Reads refuse what rdflib would
otherwise do on the file's behalf (DOCTYPE / entities in RDF/XML, remote
JSON-LD contexts).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO, NoReturn, overload

from rdflib import Graph, URIRef
from rdflib.plugins.stores.memory import Memory

from kg.errors import InputError
from kg.rdf.namespaces import bind_prefixes

#: the RDF syntaxes :func:`serialize` writes (kg.stores.formats.RDF_FORMATS): rdflib's name, the usual extension
EXPORT_FORMATS = {
    "turtle": ("turtle", ".ttl"),
    "nt": ("nt", ".nt"),
    "nquads": ("nquads", ".nq"),
    "jsonld": ("json-ld", ".jsonld"),
    "xml": ("xml", ".rdf"),
    "trig": ("trig", ".trig"),
}
# The named graph a TriG or N-Quads export puts the triples in (and the default graph IRI for stores).
GRAPH_IRI = URIRef("https://example.org/kg/graph")


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=".kg-tmp-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(data)
            temp.flush()
            os.fsync(temp.fileno())
        os.chmod(temp_name, 0o666 & ~umask())  # mkstemp makes 0600; give the usual permissions
        os.replace(temp_name, path)
    except BaseException:  # including KeyboardInterrupt: never leave the temporary file behind
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
    return path


def bundled_context() -> dict:
    """The JSON-LD context shipped in ontology/context.jsonld (never fetched)."""
    import json

    from kg.resources import CONTEXT_FILE, ONTOLOGY_DIR

    return json.loads((ONTOLOGY_DIR / CONTEXT_FILE).read_text(encoding="utf-8"))


def serialize(graph: Graph, fmt: str) -> bytes:
    """The graph in an RDF syntax, as bytes, the same from run to run: ``fmt`` one of EXPORT_FORMATS,
    or any name, extension or media type of one (:func:`kg.stores.formats.rdf_format`: ``ttl``,
    ``text/turtle``, ``nq``, ``application/ld+json``). JSON-LD is compacted with the bundled context;
    TriG and N-Quads put the triples in the named graph GRAPH_IRI; N-Triples and N-Quads lines are
    sorted. UsageError for a name of no RDF syntax."""
    from kg.stores.formats import rdf_format, rdf_names

    name = rdf_format(fmt)
    if name is None:
        from kg.errors import UsageError

        raise UsageError(f"unknown RDF syntax '{fmt}': give {rdf_names()}, by that name, its file extension or its media type")
    rdflib_format = EXPORT_FORMATS[name][0]
    if rdflib_format == "json-ld":
        return _jsonld(graph)
    if rdflib_format == "trig":  # the triples go into one named graph, GRAPH_IRI
        from rdflib import Dataset

        from kg.rdf.namespaces import bind_prefixes

        dataset = Dataset()
        bind_prefixes(dataset)
        dataset.graph(GRAPH_IRI).__iadd__(graph)
        return dataset.serialize(format="trig", encoding="utf-8")
    if rdflib_format in ("nt", "nquads", "xml"):  # rdflib writes these in store (or hash) order: from sorted N-Triples
        data = graph.serialize(format="nt", encoding="utf-8")
        lines = sorted(line for line in data.decode("utf-8").split("\n") if line.strip())  # not splitlines(): U+2028 is not an end of line here
        data = ("\n".join(lines) + "\n").encode("utf-8") if lines else b""
        return data if rdflib_format == "nt" else _from_ntriples(data, rdflib_format)
    return graph.serialize(format=rdflib_format, encoding="utf-8")


def _jsonld(graph: Graph) -> bytes:
    """JSON-LD compacted with the bundled context by rdflib, its nodes in the order of their ``@id`` and
    each property's values in the order of their JSON (rdflib lists the nodes in the order of a Python
    set, which changes with the hash seed; values are a set in JSON-LD unless they are an ``@list``)."""
    import json

    document = json.loads(graph.serialize(format="json-ld", context=bundled_context()["@context"], auto_compact=True))

    def ordered(value, key: str = ""):
        if isinstance(value, dict):
            return {k: ordered(v, k) for k, v in value.items()}
        if isinstance(value, list):
            items = [ordered(item) for item in value]
            return items if key == "@list" else sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
        return value

    context = document.pop("@context", None)
    document = ordered(document)
    if context is not None:
        document["@context"] = context
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False).encode("utf-8")


def _from_ntriples(ntriples: bytes, rdflib_format: str) -> bytes:
    """N-Quads (each triple in the named graph GRAPH_IRI) or RDF/XML (with the project's prefixes) of
    N-Triples, written by pyoxigraph in the order given."""
    from typing import cast

    import pyoxigraph

    triples = pyoxigraph.parse(ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    if rdflib_format == "xml":
        return cast(bytes, pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.RDF_XML, prefixes=turtle_prefixes()))
    name = pyoxigraph.NamedNode(str(GRAPH_IRI))
    quads = (pyoxigraph.Quad(t.subject, t.predicate, t.object, name) for t in triples)
    return cast(bytes, pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.N_QUADS))


@overload
def turtle_from_ntriples(ntriples, output: None = None) -> bytes: ...
@overload
def turtle_from_ntriples(ntriples, output: BinaryIO) -> None: ...
def turtle_from_ntriples(ntriples, output: BinaryIO | None = None) -> bytes | None:
    """Turtle of sorted N-Triples (bytes or a binary file), written by Oxigraph's serializer (50 times faster than rdflib's),
    returned, or streamed into the binary file ``output``.

    Triples keep the order given (sorted: subjects together, stable from run to
    run); vocabulary IRIs are written with the project's prefixes, the graph's
    own resources (``kgr:``) in full, as rdflib writes them.
    """
    import pyoxigraph

    triples = pyoxigraph.parse(ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    return pyoxigraph.serialize(triples, output, format=pyoxigraph.RdfFormat.TURTLE, prefixes=turtle_prefixes())


def turtle_prefixes() -> dict[str, str]:
    """The prefixes graph.ttl is written with: the vocabularies', not the graph's own resources (``kgr:``)."""
    from kg.rdf.namespaces import KGR, PREFIXES

    return {prefix: str(namespace) for prefix, namespace in PREFIXES.items() if str(namespace) != str(KGR)}


def _refuse_doctype(data: bytes, path: Path) -> None:
    """Refuse RDF/XML that declares a DOCTYPE or entities, anywhere in the document, before parsing it.

    Expat reports the declaration as soon as it reaches it, before any expansion,
    so an entity-expansion payload ("billion laughs") costs nothing.
    """
    import xml.parsers.expat

    class Refused(Exception):
        pass

    def refuse(*_args):
        raise Refused()

    parser = xml.parsers.expat.ParserCreate()
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        parser.Parse(data, True)
    except Refused:
        raise InputError("RDF/XML with a DOCTYPE or entity declarations is refused (entity expansion)", path) from None
    except xml.parsers.expat.ExpatError as exc:
        raise InputError(f"not well-formed XML: {exc}", path) from None


def _rdflib_format_of(suffix: str) -> str | None:
    """rdflib's parser name for a graph file's extension (kg.stores.formats.rdf_format reads it; N3 too)."""
    from kg.stores.formats import rdf_format

    if not suffix:
        return None
    if suffix.lower() == ".n3":
        return "n3"
    name = rdf_format(suffix)
    return EXPORT_FORMATS[name][0] if name is not None else None


def read_graph_file(path) -> tuple[bytes, str]:
    """(bytes, rdflib format name) of an RDF file, its format from its suffix, refusing unsafe input:
    RDF/XML that declares a DOCTYPE or entities, JSON-LD whose context is remote. The one check
    every reader of graph files goes through (:func:`load_graph`, kg.stores.embedded)."""
    path = Path(path)
    if not path.is_file():
        raise InputError("no such graph file (run 'kg build' first, or pass --graph FILE)", path)
    rdflib_format = _rdflib_format_of(path.suffix)
    if rdflib_format is None:
        raise InputError(f"unknown RDF file type '{path.suffix}' (use .ttl, .nt, .nq, .trig, .rdf, .jsonld)", path)
    data = path.read_bytes()
    if rdflib_format == "xml":
        _refuse_doctype(data, path)
    if rdflib_format == "json-ld":
        _check_jsonld_contexts(data, path)
    return data, rdflib_format


MAX_PREFIXES = 1000
"""Most prefix (namespace) declarations a graph file may make: ``@prefix``/``PREFIX`` in Turtle,
TriG and N3, ``xmlns:`` in RDF/XML, terms of a JSON-LD ``@context``. rdflib files each one in a
trie whose insertion scans every earlier one, so 20,000 declarations took 21 s to load and
200,000 over 90 s; 1,000 take a tenth of a second. kg's own graph.ttl declares 15."""


class _PrefixLimitedMemory(Memory):
    """rdflib's in-memory store, refusing the prefix declaration past ``MAX_PREFIXES`` while a file
    is parsed into it (``limit`` is None otherwise): every parser's declarations reach the store's
    ``bind``, whichever graph or namespace manager they pass through."""

    def __init__(self, path: Path):
        super().__init__()
        self.path = path
        self.limit: int | None = None

    def bind(self, prefix, namespace, override=True):
        if self.limit is not None:
            if self.limit <= 0:
                raise InputError(f"the file declares more than {MAX_PREFIXES:,} prefixes (namespaces)", self.path)
            self.limit -= 1
        super().bind(prefix, namespace, override=override)


def load_graph(path) -> Graph:
    """Parse an RDF file (format from its suffix) into a new graph, refusing unsafe input: what
    :func:`read_graph_file` refuses, more than ``MAX_PREFIXES`` prefix declarations, and anything
    that is not an RDF triple (:func:`_check_terms`)."""
    path = Path(path)
    data, rdflib_format = read_graph_file(path)
    store = _PrefixLimitedMemory(path)
    graph = bind_prefixes(Graph(store=store, bind_namespaces="none"))
    try:
        if rdflib_format in ("trig", "nquads"):  # every named graph, merged
            from rdflib import Dataset

            quads_store = _PrefixLimitedMemory(path)
            quads_store.limit = MAX_PREFIXES
            dataset = Dataset(store=quads_store)
            dataset.parse(data=data, format=rdflib_format)
            quads_store.limit = None
            for s, p, o, _g in dataset.quads((None, None, None, None)):
                graph.add((s, p, o))
        else:
            store.limit = MAX_PREFIXES
            graph.parse(data=data, format=rdflib_format)
            store.limit = None
    except InputError:
        raise
    except RecursionError:
        raise InputError("the file is nested too deeply to parse", path) from None
    except Exception as exc:  # parser errors of every format
        detail = " ".join(str(exc).split())[:300]
        raise InputError(f"not valid {rdflib_format}: {detail}", path) from None
    _check_terms(graph, path)
    return graph


def _check_terms(graph: Graph, path: Path) -> None:
    """Refuse what rdflib's parsers let through that is not RDF, and that Oxigraph, a store or an
    encoder would stumble on later, far from the file: an N3 formula (``{ ... }``) or variable, a
    literal or blank node as predicate, a literal as subject, a relative IRI (RDF/XML's unqualified
    attributes, such as ``parse`` of ``xi:include``), an IRI with a space or ``<>"{}|^`\\``, and
    text with a lone surrogate (a ``\\ud800`` escape in JSON-LD or Turtle), which is not Unicode."""
    import re

    from rdflib import BNode, Literal

    bad_iri = re.compile("[\x00-\x20<>\"{}|^`\\\\\ud800-\udfff]")
    scheme = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
    surrogate = re.compile("[\ud800-\udfff]")

    def refuse(what: str, term=None) -> NoReturn:
        if term is None:
            raise InputError(what, path)
        text = str(term)
        shown = text if len(text) <= 80 else text[:77] + "..."
        raise InputError(f"{what}: {shown!r}", path)

    def check_iri(term) -> None:
        if bad_iri.search(term):
            refuse("an IRI with a space, a control character, a lone surrogate or one of <>\"{}|^`\\ is not an RDF IRI", term)
        if not scheme.match(term):
            refuse("a relative IRI (no scheme such as http:) is not an RDF IRI; RDF/XML makes one of an attribute without a namespace", term)

    subjects, predicates, objects = _distinct_terms(graph)
    for predicate in predicates:
        if not isinstance(predicate, URIRef):
            refuse(f"a {type(predicate).__name__} is not allowed as a predicate (only IRIs are)", predicate)
        check_iri(predicate)
    for position, terms in (("subject", subjects), ("object", objects)):
        for term in terms:
            if isinstance(term, URIRef):
                check_iri(term)
            elif isinstance(term, Literal):
                if position == "subject":
                    refuse("a literal is not allowed as a subject", term)
                if surrogate.search(term):
                    refuse("the text contains a lone surrogate character (not Unicode), in the literal", term)
                if term.datatype is not None:
                    check_iri(term.datatype)
            elif isinstance(term, Graph):
                refuse("an N3 formula ({ ... }) is not RDF; kg reads plain triples")
            elif not isinstance(term, BNode):
                refuse(f"a {type(term).__name__} is not an RDF term; kg reads plain triples", term)


def _distinct_terms(graph: Graph):
    """(subjects, predicates, objects) of ``graph``, each term once. From the memory store's own
    indexes when it has them (a few milliseconds for a million triples), else by walking the
    triples (seconds): what rdflib's parsers made is checked term by term, not triple by triple."""
    store = graph.store
    indexes = [getattr(store, f"_Memory__{name}", None) for name in ("spo", "pos", "osp")]
    if all(isinstance(index, dict) for index in indexes):
        return tuple(index.keys() for index in indexes)  # type: ignore[union-attr]
    return set(graph.subjects(unique=True)), set(graph.predicates(unique=True)), set(graph.objects(unique=True))


def _check_jsonld_contexts(data: bytes, path: Path) -> None:
    """Refuse a JSON-LD document whose @context names a remote document."""
    import json

    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise InputError(f"not valid JSON: {exc}", path) from None

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "@import" and isinstance(value, str):
                    raise InputError(f"the JSON-LD context imports '{value}', a remote document that is never fetched; inline it", path)
                if key == "@context":
                    contexts = value if isinstance(value, list) else [value]
                    for context in contexts:
                        if isinstance(context, str):
                            raise InputError(f"the JSON-LD context '{context}' is remote and is never fetched; inline it", path)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(document)


def write_yaml(path, data) -> Path:
    """Write ``data`` to the YAML file ``path`` atomically (a temporary file and a rename): a mapping
    read with ``load_yaml(path, comments=True)`` keeps its comments, key order and layout."""
    from kg.model.yamlfile import dump_yaml

    return write_atomic(Path(path), dump_yaml(data).encode("utf-8"))
