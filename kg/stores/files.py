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
from typing import BinaryIO, overload

from rdflib import Graph, URIRef

from kg.errors import InputError
from kg.rdf.namespaces import new_graph

EXPORT_FORMATS = {
    "turtle": ("turtle", ".ttl"),
    "nt": ("nt", ".nt"),
    "jsonld": ("json-ld", ".jsonld"),
    "xml": ("xml", ".rdf"),
    "trig": ("trig", ".trig"),
}
# The named graph a TriG export puts the triples in (and the default graph IRI for stores).
GRAPH_IRI = URIRef("https://example.org/kg/graph")

_BY_SUFFIX = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".json": "json-ld", ".rdf": "xml", ".xml": "xml",
              ".owl": "xml", ".trig": "trig", ".nq": "nquads", ".n3": "n3"}


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
    """The graph in one of EXPORT_FORMATS, as bytes (JSON-LD with the bundled context)."""
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"unknown format '{fmt}'; one of {', '.join(EXPORT_FORMATS)}")
    rdflib_format = EXPORT_FORMATS[fmt][0]
    if rdflib_format == "json-ld":
        context = bundled_context()
        return graph.serialize(format="json-ld", context=context["@context"], auto_compact=True, sort_keys=True, indent=2).encode("utf-8")
    if rdflib_format == "trig":  # the triples go into one named graph, GRAPH_IRI
        from rdflib import Dataset

        from kg.rdf.namespaces import bind_prefixes

        dataset = Dataset()
        bind_prefixes(dataset)
        dataset.graph(GRAPH_IRI).__iadd__(graph)
        return dataset.serialize(format="trig", encoding="utf-8")
    data = graph.serialize(format=rdflib_format, encoding="utf-8")
    if rdflib_format == "nt":  # rdflib writes N-Triples in store order: sort for stable output
        lines = sorted(line for line in data.decode("utf-8").split("\n") if line.strip())  # not splitlines(): U+2028 is not an end of line here
        data = ("\n".join(lines) + "\n").encode("utf-8")
    return data


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


def read_graph_file(path) -> tuple[bytes, str]:
    """(bytes, rdflib format name) of an RDF file, its format from its suffix, refusing unsafe input:
    RDF/XML that declares a DOCTYPE or entities, JSON-LD whose context is remote. The one check
    every reader of graph files goes through (:func:`load_graph`, kg.stores.embedded)."""
    path = Path(path)
    if not path.is_file():
        raise InputError("no such graph file (run 'kg build' first, or pass --graph FILE)", path)
    rdflib_format = _BY_SUFFIX.get(path.suffix.lower())
    if rdflib_format is None:
        raise InputError(f"unknown RDF file type '{path.suffix}' (use .ttl, .nt, .jsonld, .rdf, .trig)", path)
    data = path.read_bytes()
    if rdflib_format == "xml":
        _refuse_doctype(data, path)
    if rdflib_format == "json-ld":
        _check_jsonld_contexts(data, path)
    return data, rdflib_format


def load_graph(path) -> Graph:
    """Parse an RDF file (format from its suffix) into a new graph, refusing unsafe input."""
    path = Path(path)
    data, rdflib_format = read_graph_file(path)
    graph = new_graph()
    try:
        if rdflib_format in ("trig", "nquads"):  # every named graph, merged
            from rdflib import Dataset

            dataset = Dataset()
            dataset.parse(data=data, format=rdflib_format)
            for s, p, o, _g in dataset.quads((None, None, None, None)):
                graph.add((s, p, o))
        else:
            graph.parse(data=data, format=rdflib_format)
    except InputError:
        raise
    except RecursionError:
        raise InputError("the file is nested too deeply to parse", path) from None
    except Exception as exc:  # parser errors of every format
        detail = " ".join(str(exc).split())[:300]
        raise InputError(f"not valid {rdflib_format}: {detail}", path) from None
    return graph


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
