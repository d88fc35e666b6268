"""The Turtle output read back by an independent parser (pyoxigraph), and every export read back."""

import pyoxigraph
from rdflib import Graph
from rdflib.compare import isomorphic


def test_turtle_read_by_oxigraph_has_the_same_triples(built_ttl):
    from kg.stores.files import load_graph

    store = pyoxigraph.Store()
    with open(built_ttl, "rb") as handle:
        store.load(handle, format=pyoxigraph.RdfFormat.TURTLE)
    rdflib_graph = load_graph(built_ttl)
    assert len(store) == len(rdflib_graph) > 2000
    # and the release text survives byte for byte
    text = next(store.quads_for_pattern(
        pyoxigraph.NamedNode("https://example.org/kg/id/release/000_c861f582b8da151e"),
        pyoxigraph.NamedNode("http://schema.org/text"), None)).object.value
    from conftest import DATA, SEED

    assert text == (DATA / "releases" / SEED / "release.txt").read_text(encoding="utf-8")


def test_every_export_format_reads_back_isomorphic(graph, tmp_path):
    from kg.stores.files import EXPORT_FORMATS, load_graph, serialize, write_atomic

    for fmt, (_rdflib_name, suffix) in EXPORT_FORMATS.items():
        path = write_atomic(tmp_path / f"graph{suffix}", serialize(graph, fmt))
        back = load_graph(path)
        assert isomorphic(back, graph), fmt


def test_jsonld_uses_the_bundled_context(graph):
    import json

    from kg.stores.files import serialize

    document = json.loads(serialize(graph, "jsonld"))
    assert document["@context"]["kgo"] == "https://example.org/kg/ontology#"
    assert isinstance(document["@context"], dict)


def test_amounts_are_decimals_not_floats(built_ttl):
    from rdflib.namespace import XSD

    from kg.rdf.namespaces import KGO

    graph = Graph().parse(built_ttl)
    values = list(graph.objects(None, KGO.tradeValue)) + list(graph.objects(None, KGO.sharePercent))
    assert len(values) == 11
    assert {v.datatype for v in values} == {XSD.decimal}
