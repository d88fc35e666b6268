"""RDF terms between pyoxigraph and rdflib, and Turtle files read by Oxigraph's parser into rdflib graphs."""

from __future__ import annotations

from pathlib import Path

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_ox(term):
    """An RDF term (rdflib's, or pyoxigraph's already) as a pyoxigraph term, lexical form kept."""
    import pyoxigraph

    if isinstance(term, (pyoxigraph.NamedNode, pyoxigraph.BlankNode, pyoxigraph.Literal)):
        return term
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return pyoxigraph.NamedNode(str(term))
    if isinstance(term, BNode):
        return pyoxigraph.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return pyoxigraph.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return pyoxigraph.Literal(str(term), datatype=pyoxigraph.NamedNode(str(term.datatype)))
        return pyoxigraph.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def to_rdflib(term):
    """A pyoxigraph term (or None) as an rdflib term, its lexical form kept as Oxigraph gives it
    (rdflib would otherwise rewrite some, such as doubles); xsd:string becomes a plain literal."""
    if term is None:
        return None
    import pyoxigraph
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value), normalize=False)
    if isinstance(term, pyoxigraph.Triple):  # RDF-star
        return to_rdflib(term.subject), to_rdflib(term.predicate), to_rdflib(term.object)
    raise TypeError(f"not a pyoxigraph term: {term!r}")


def parse_turtle_into(graph, path: Path | str):
    """Add the triples of the Turtle file ``path`` to the rdflib ``graph``, read by Oxigraph's parser
    (a third of the time rdflib's own takes on the ontology), lexical forms as written. Raises
    ``FileNotFoundError``, or ``SyntaxError`` naming the line and column."""
    import pyoxigraph

    with open(path, "rb") as source:
        graph.addN((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object), graph)
                   for t in pyoxigraph.parse(source, format=pyoxigraph.RdfFormat.TURTLE))
    return graph
