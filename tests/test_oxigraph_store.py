"""`kg build` keeps the graph in the on-disk Oxigraph store OUT/store too (`--store oxigraph`, the
default), and `kg query --store oxigraph` reads it: the same triples as graph.ttl, and the same answers
as the graph built in memory."""

import pytest
from click.testing import CliRunner

from conftest import DATA, required_bindings, value_triple
from kg.cli import cli
from kg.query.library import find_query


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    out = tmp_path_factory.mktemp("stored")
    result = CliRunner().invoke(cli, ["build", "--data", str(DATA), "--out", str(out), "--store", "oxigraph"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == f"wrote {out / 'graph.ttl'} and {out / 'store'}"
    return out


def test_store_holds_the_same_triples_and_turtle(stored, built_ttl):
    from kg.stores.embedded import open_store

    assert (stored / "graph.ttl").read_bytes() == built_ttl.read_bytes()
    store_graph = open_store(stored)
    try:
        assert len(store_graph) > 2000
        from kg.stores.files import load_graph

        # the same RDF: Oxigraph writes literals in canonical form ("1500000" for rdflib's "1500000.0",
        # a plain literal as an explicit xsd:string), so compare the values
        assert {value_triple(t) for t in store_graph} == {value_triple(t) for t in load_graph(built_ttl)}
        assert len(store_graph) == len(load_graph(built_ttl))
    finally:
        store_graph.close()


def params_for(name):
    return required_bindings(find_query(name))


def values(result):
    return [tuple(term.toPython() if term is not None else None for term in row) for row in result]


@pytest.mark.parametrize("name", [q.name for q in __import__("kg.query.library", fromlist=["library"]).library()])
def test_every_library_query_answers_the_same_on_the_store(stored, graph, name):
    from kg.query.library import run_query
    from kg.stores.embedded import open_store

    store_graph = open_store(stored)
    try:
        on_store = run_query(store_graph, name, params_for(name))
        in_memory = run_query(graph, name, params_for(name))
        assert [str(v) for v in on_store.vars] == [str(v) for v in in_memory.vars]
        assert values(on_store) == values(in_memory)
    finally:
        store_graph.close()


def test_parameters_on_the_store(stored):
    result = CliRunner().invoke(cli, ["query", "exports-by-period", "--store", "oxigraph", "--out", str(stored),
                                      "--param", "originName=Province of Ancona", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert [line.split(",")[3] for line in result.stdout.splitlines()[1:]] == ["1500000", "767000"]


def test_the_guard_applies_to_the_store(stored):
    result = CliRunner().invoke(cli, ["query", "--store", "oxigraph", "--out", str(stored),
                                      "--sparql", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"])
    assert result.exit_code == 2 and "SERVICE" in result.stderr


def test_rebuilding_replaces_the_store(stored):
    from kg.stores.embedded import open_store

    before = open_store(stored)
    count = len(before)
    before.close()
    result = CliRunner().invoke(cli, ["build", "--data", str(DATA), "--out", str(stored), "--store", "oxigraph"])
    assert result.exit_code == 0, result.output
    after = open_store(stored)
    try:
        assert len(after) == count
    finally:
        after.close()
    assert sorted(p.name for p in stored.iterdir()) == ["cache", "graph.ttl", "store", "store.sha256"]


def test_build_without_the_store(tmp_path):
    result = CliRunner().invoke(cli, ["build", "--data", str(DATA), "--out", str(tmp_path), "--store", "memory"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "graph.ttl"]


def test_no_store_yet_is_a_clean_error(tmp_path):
    result = CliRunner().invoke(cli, ["query", "posts", "--store", "oxigraph", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "no Oxigraph store here (run 'kg build' first)" in result.stderr


def test_the_store_loaded_in_slices_holds_every_triple(tmp_path, monkeypatch, graph):
    """The bulk loader is given the N-Triples a slice at a time (cut at line ends): none is lost or cut."""
    import pyoxigraph

    import kg.stores.embedded
    from kg.stores.embedded import replace_store, store_path
    from kg.stores.files import serialize

    ntriples = serialize(graph, "nt")
    monkeypatch.setattr(kg.stores.embedded, "BULK_SLICE", 1000)  # about 200 slices of the seed
    replace_store(tmp_path, ntriples)
    store = pyoxigraph.Store.read_only(str(store_path(tmp_path)))
    assert len(store) == len(graph) == ntriples.count(b"\n")
