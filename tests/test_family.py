"""The same family of releases, beyond the seed: quarters, half-years, a scope, a percent change
against the same quarter of the year before, and a region's share of the national total.

The release in tests/releases/900_family_test/ is a test fixture written for this purpose, not a
real release; the expected values below are read off its text.
"""

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import URIRef

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


def fact(fid: str):
    from kg.rdf.namespaces import KGR

    return KGR[f"release/900_family_test/fact/{fid}"]


def test_quarter_and_half_year_are_intervals(family_graph):
    from kg.rdf.namespaces import KGO

    def period(fid):
        return family_graph.value(family_graph.value(fact(fid), KGO.cell), KGO.period)

    # "Nel secondo trimestre 2025", "Nel primo semestre 2025"
    assert period("marche-azerbaijan-2025-q2") == URIRef("https://example.org/kg/id/interval/2025-04-01/P3M")
    assert period("marche-azerbaijan-2025-h1") == URIRef("https://example.org/kg/id/interval/2025-01-01/P6M")


def test_scope_is_kept(family_graph):
    # "le esportazioni delle Marche verso l’Azerbaigian, esclusa la farmaceutica, sono state pari a 2,4 milioni di euro"
    from kg.rdf.namespaces import KGO, KGR

    node = fact("marche-azerbaijan-2025-q2")
    assert family_graph.value(node, KGO.tradeValue).toPython() == Decimal("2400000")
    assert str(family_graph.value(node, KGO.scopeNote)) == "esclusa la farmaceutica"
    assert family_graph.value(family_graph.value(node, KGO.cell), KGO.excludes) == KGR["sector/pharmaceuticals"]


def test_percent_change_against_the_same_quarter_of_2024(family_graph):
    # "in aumento del 12,5% rispetto al secondo trimestre 2024", on the cell of the 2,4 milioni (pharmaceuticals excluded)
    from kg.rdf.namespaces import KGO

    (row,) = [r for r in select(family_graph, "changes") if r["factId"] == "marche-azerbaijan-2025-q2-change"]
    assert row["referenceLabel"] == "April–June 2024"
    assert row["direction"] == "increase" and Decimal(row["change"]) == Decimal("12.5") and row["unit"] == "percent"
    level, change = fact("marche-azerbaijan-2025-q2"), fact("marche-azerbaijan-2025-q2-change")
    assert family_graph.value(change, KGO.cell) == family_graph.value(level, KGO.cell)


def test_share_of_the_national_total(family_graph):
    # "3,6 milioni di euro, pari all’1,2% dell’export italiano verso il Paese, che ha superato 300 milioni"
    from kg.rdf.namespaces import KGO

    (row,) = [r for r in select(family_graph, "shares") if r["factId"] == "marche-share-of-italy-2025-h1"]
    assert row["percent"] == Decimal("1.2") and Decimal(row["fromLevels"]) == Decimal("1.2")
    share = fact("marche-share-of-italy-2025-h1")
    assert family_graph.value(share, KGO.cell) == family_graph.value(fact("marche-azerbaijan-2025-h1"), KGO.cell)
    assert family_graph.value(share, KGO.shareOf) == family_graph.value(fact("italy-azerbaijan-2025-h1"), KGO.cell)


def test_both_releases_are_in_one_graph(family_graph):
    rows = select(family_graph, "releases")
    assert {r["release"] for r in rows} == {"000_c861f582b8da151e", "900_family_test"}
    # five figures: 2,4 milioni, +12,5%, 3,6 milioni, 300 milioni, 1,2%
    figures = {(r["measure"], r["value"]) for r in select(family_graph, "figure-history") if r["release"] == "900_family_test"}
    assert figures == {("Level", "2400000"), ("Change", "12.5"), ("Level", "3600000"), ("Share", "1.2"),
                       ("Level", "300000000")}


def test_a_change_with_the_wrong_sign_is_refused(tmp_path):
    from kg.errors import InputError
    from kg.pipeline.corpus import load_corpus

    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    folder = data / "releases" / "900_family_test"
    shutil.copytree(FAMILY, folder)
    text = (folder / "annotation.yaml").read_text(encoding="utf-8")
    (folder / "annotation.yaml").write_text(text.replace("value: 12.5", "value: -12.5"), encoding="utf-8")
    with pytest.raises(InputError, match=r"the direction increase needs a positive value, not -12.5"):
        load_corpus(data)
