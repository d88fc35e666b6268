"""The seed release's graph against the reviewed golden Turtle, compared as graphs.

Regenerate after a reviewed change with ``make golden`` (pytest --update-golden),
then read the diff of tests/golden/ before committing it.
"""

from pathlib import Path

from rdflib import Graph
from rdflib.compare import graph_diff, to_isomorphic

GOLDEN = Path(__file__).parent / "golden" / "000_c861f582b8da151e.ttl"


def assert_isomorphic(expected: Graph, actual: Graph, limit: int = 25):
    """Fail with the triples only in one graph, as N-Triples lines (rdflib's test habit)."""
    iso_expected, iso_actual = to_isomorphic(expected), to_isomorphic(actual)
    if iso_expected == iso_actual:
        return
    _both, only_expected, only_actual = graph_diff(iso_expected, iso_actual)
    lines = [f"graphs differ: {len(only_expected)} triples only in the golden file, {len(only_actual)} only in the build"]
    for title, part in (("only in golden:", only_expected), ("only in build:", only_actual)):
        triples = sorted(" ".join(term.n3() for term in triple) for triple in part)
        lines.append(title)
        lines += [f"  {t}" for t in triples[:limit]]
        if len(triples) > limit:
            lines.append(f"  ... and {len(triples) - limit} more")
    raise AssertionError("\n".join(lines))


def test_seed_graph_matches_golden(graph, request):
    from kg.stores.files import serialize

    if request.config.getoption("--update-golden"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_bytes(serialize(graph, "turtle"))
    expected = Graph().parse(GOLDEN, format="turtle")
    assert_isomorphic(expected, graph)


def test_diff_names_the_differing_triples(graph):
    """The comparison itself can fail, and says which triple differs."""
    from rdflib import Literal, URIRef

    changed = Graph()
    changed += graph
    changed.add((URIRef("https://example.org/kg/id/x"), URIRef("https://example.org/kg/id/p"), Literal("extra")))
    try:
        assert_isomorphic(graph, changed)
    except AssertionError as exc:
        assert "only in build:" in str(exc) and '"extra"' in str(exc)
    else:
        raise AssertionError("an extra triple went unnoticed")
