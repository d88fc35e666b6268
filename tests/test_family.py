"""The same family of releases, beyond the seed: quarters, half-years, a scope, a percent change
against the same quarter of the year before, and a region's share of the national total.

The release in tests/releases/900_family_test/ is a test fixture written for this purpose, not a
real release; the expected values below are read off its text.
"""

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from conftest import DATA, select

FAMILY = Path(__file__).parent / "releases" / "900_family_test"


@pytest.fixture(scope="module")
def family_graph(tmp_path_factory):
    from kg.check.shacl import validate_graph
    from kg.pipeline.corpus import build_graph

    data = tmp_path_factory.mktemp("family") / "data"
    shutil.copytree(DATA, data)
    shutil.copytree(FAMILY, data / "releases" / "900_family_test")
    graph = build_graph(data)
    report = validate_graph(graph)
    assert report.conforms, report.text()
    return graph


def test_quarter_and_half_year_are_intervals(family_graph):
    from kg.rdf.namespaces import KGO, KGR

    fact = lambda fid: KGR[f"release/900_family_test/fact/{fid}"]  # noqa: E731
    assert family_graph.value(fact("marche-azerbaijan-2025-q2"), KGO.period) == URIRef("https://example.org/kg/id/interval/2025-04-01/P3M")
    assert family_graph.value(fact("marche-azerbaijan-2025-h1"), KGO.period) == URIRef("https://example.org/kg/id/interval/2025-01-01/P6M")


def test_scope_is_kept(family_graph):
    # "esclusa la farmaceutica"
    rows = select(family_graph, "exports-by-period", originName=Literal("Marche"), destinationName=Literal("Azerbaijan"))
    q2 = next(r for r in rows if r["period"] == "April–June 2025")
    assert q2["amount"] == Decimal("2400000") and q2["scope"] == "esclusa la farmaceutica"
    from kg.rdf.namespaces import KGO, KGR

    node = KGR["release/900_family_test/fact/marche-azerbaijan-2025-q2"]
    assert family_graph.value(node, KGO.excludesSector) == KGR["sector/pharmaceuticals"]


def test_percent_change_against_the_same_quarter_of_2024(family_graph):
    # "in aumento del 12,5% rispetto al secondo trimestre 2024"
    rows = [r for r in select(family_graph, "period-comparison") if r["fact"] == "marche-azerbaijan-2025-q2-change"]
    (row,) = rows
    assert row["period"] == "April–June 2025" and row["referencePeriod"] == "April–June 2024"
    assert row["direction"] == "increase" and row["changePercent"] == Decimal("12.5")


def test_share_of_the_national_total(family_graph):
    # "3,6 milioni di euro, pari all’1,2% dell’export italiano verso il Paese, che ha superato 300 milioni"
    (row,) = [r for r in select(family_graph, "share-check") if r["fact"] == "marche-share-of-italy-2025-h1"]
    assert row["share"] == Decimal("1.2") and row["totalHedge"] == "more than"
    assert row["computedShare"] == Decimal("1.2") and row["agrees"] is True


def test_both_releases_are_in_one_graph(family_graph):
    rows = select(family_graph, "all-figures")
    assert {r["release"] for r in rows} == {"000_c861f582b8da151e", "900_family_test"}
    assert len(rows) == 11 + 4


def test_a_change_with_the_wrong_sign_is_refused(tmp_path):
    from kg.errors import InputError
    from kg.pipeline.corpus import load_corpus

    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    folder = data / "releases" / "900_family_test"
    shutil.copytree(FAMILY, folder)
    text = (folder / "annotation.yaml").read_text(encoding="utf-8")
    (folder / "annotation.yaml").write_text(text.replace("change_percent: 12.5", "change_percent: -12.5"), encoding="utf-8")
    with pytest.raises(InputError, match=r"an increase needs a positive change|a increase needs a positive change"):
        load_corpus(data)
