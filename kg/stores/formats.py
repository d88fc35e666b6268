"""The formats kg writes, by every name a user of the field gives them: kg's short name, rdflib's
plugin name, Apache Jena's (riot's) name, the file extension or the media type, as riot and
Oxigraph's command line take them (``ttl``, ``turtle``, ``text/turtle``; ``nq``, ``nquads``,
``application/n-quads``). The one table behind ``kg export --format``, ``kg query --format``,
``kg viz --format``, the extension of ``-o FILE`` and the media types ``kg serve`` offers.

Extensions and media types of the RDF syntaxes and of the SPARQL 1.1 results formats are read by
pyoxigraph (``RdfFormat.from_extension``, ``from_media_type``, and ``QueryResultsFormat``'s);
this module adds the names pyoxigraph does not know. Case and a leading dot do not matter.
"""

from __future__ import annotations

from kg.errors import UsageError

#: the RDF syntaxes, by kg's name: pyoxigraph's RdfFormat
RDF_FORMATS = {"turtle": "TURTLE", "nt": "N_TRIPLES", "nquads": "N_QUADS", "trig": "TRIG", "xml": "RDF_XML",
               "jsonld": "JSON_LD"}
#: the SPARQL 1.1 Query Results formats of a SELECT's rows or an ASK's boolean, by kg's name: pyoxigraph's QueryResultsFormat
RESULTS_FORMATS = {"json": "JSON", "xml": "XML", "csv": "CSV", "tsv": "TSV"}
#: the formats of graph tools (Gephi, Cytoscape, NetworkX, igraph, graphology): (extension, media type)
NETWORK_FORMATS = {"graphml": ("graphml", "application/graphml+xml"), "gexf": ("gexf", "application/gexf+xml")}
#: the pictures of ``kg viz``: (extension, media type)
PICTURE_FORMATS = {"png": ("png", "image/png"), "svg": ("svg", "image/svg+xml"), "html": ("html", "text/html")}

#: other names of the RDF syntaxes, which pyoxigraph does not read as an extension: rdflib's plugin
#: names (``ntriples``, ``nt11``, ``json-ld``, ``pretty-xml``, ``longturtle``), riot's (``n-triples``,
#: ``n-quads``, ``rdf/xml``, ``rdfxml``), and ``owl``, an extension RDF/XML files have
_RDF_NAMES = {"ttl": "turtle", "longturtle": "turtle", "ntriples": "nt", "n-triples": "nt", "nt11": "nt", "nq": "nquads",
              "n-quads": "nquads", "json-ld": "jsonld", "rdf/xml": "xml", "rdfxml": "xml", "pretty-xml": "xml", "owl": "xml"}
_PICTURE_NAMES = {"htm": "html"}


def _key(text: str) -> str:
    """``text`` as it is looked up: lower case, without spaces around, an extension without its dot."""
    key = text.strip().lower()
    return key if "/" in key else key.lstrip(".")


def rdf_format(text: str) -> str | None:
    """The RDF syntax (a key of :data:`RDF_FORMATS`) named by ``text``: a name, an extension or a media type."""
    key = _key(text)
    if key in RDF_FORMATS:
        return key
    if key in _RDF_NAMES:
        return _RDF_NAMES[key]
    import pyoxigraph

    found = pyoxigraph.RdfFormat.from_media_type(key) if "/" in key else pyoxigraph.RdfFormat.from_extension(key)
    return next((name for name, upper in RDF_FORMATS.items() if getattr(pyoxigraph.RdfFormat, upper) == found), None)


def results_format(text: str) -> str | None:
    """The SPARQL results format (a key of :data:`RESULTS_FORMATS`) named by ``text``: a name, an
    extension (``srj``, ``srx`` too) or a media type."""
    key = _key(text)
    if key in RESULTS_FORMATS:
        return key
    import pyoxigraph

    kinds = pyoxigraph.QueryResultsFormat
    found = kinds.from_media_type(key) if "/" in key else kinds.from_extension(key)
    return next((name for name, upper in RESULTS_FORMATS.items() if getattr(kinds, upper) == found), None)


def _listed(table: dict[str, tuple[str, str]], aliases: dict[str, str], text: str) -> str | None:
    key = _key(text)
    key = aliases.get(key, key)
    return next((name for name, (extension, media_type) in table.items() if key in (name, extension, media_type)), None)


def network_format(text: str) -> str | None:
    """``graphml`` or ``gexf`` when ``text`` names one (name, extension or media type)."""
    return _listed(NETWORK_FORMATS, {}, text)


def picture_format(text: str) -> str | None:
    """``png``, ``svg`` or ``html`` when ``text`` names one (name, extension or media type)."""
    return _listed(PICTURE_FORMATS, _PICTURE_NAMES, text)


def rdf_names() -> str:
    """The RDF syntaxes as an error message lists them: each name with its extension and media type."""
    import pyoxigraph

    described = []
    for name, upper in RDF_FORMATS.items():
        rdf = getattr(pyoxigraph.RdfFormat, upper)
        described.append(f"{name} (.{rdf.file_extension}, {rdf.media_type})")
    return ", ".join(described)


def export_format(text: str) -> str:
    """What ``kg export --format TEXT`` writes: an RDF syntax (:data:`RDF_FORMATS`) or a graph tool's
    format (:data:`NETWORK_FORMATS`). UsageError naming every accepted format otherwise."""
    found = rdf_format(text) or network_format(text)
    if found is None:
        raise UsageError(f"unknown format '{text}': give an RDF syntax, {rdf_names()}, or a graph tool's, graphml "
                         "(.graphml) or gexf (.gexf), by that name, its file extension or its media type")
    return found


def picture(text: str, formats: tuple[str, ...] = tuple(PICTURE_FORMATS)) -> str:
    """The picture format ``text`` names, among ``formats``; UsageError naming them otherwise."""
    found = picture_format(text)
    if found is None or found not in formats:
        listed = ", ".join(f"{name} (.{PICTURE_FORMATS[name][0]}, {PICTURE_FORMATS[name][1]})" for name in formats)
        raise UsageError(f"unknown picture format '{text}': give {listed}")
    return found


def of_output(path, choose, option: str = "--format") -> str:
    """The format of the output file ``path``, by its extension, through ``choose`` (one of this module's
    resolvers, such as :func:`export_format`). Standard output (``-``) and a name without an extension
    have none: UsageError asking for ``option``."""
    from pathlib import Path

    path = Path(path)
    if str(path) == "-":
        raise UsageError(f"standard output (-o -) has no extension to tell the format by: give {option}")
    if not path.suffix:
        raise UsageError(f"'{path.name}' has no extension to tell the format by: give {option}, or name the file with an extension")
    try:
        return choose(path.suffix)
    except UsageError as exc:
        raise UsageError(f"cannot tell the format of '{path.name}' by its extension; {str(exc)[0].lower()}{str(exc)[1:]}") from None
