"""The library queries on the fact model's cells, on tests/checks (two releases written by the team).

Read off the texts: on 12 September 2023 a release gives Marche's exports in the first half of 2023
(9.874,2 million euro, +6,1 % on the 9.306,5 million of the same half of 2022), the province of Ancona
(2.915,3 million), Germany (1.210,4 million, "pari al 12,3%" of the regional total) and mechanics; on
5 December 2023 a second release gives the regional total as "9,9 miliardi" and Ancona as 2.871,6
million, both marked final by the text ("dati definitivi").
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Literal

from conftest import select

CHECKS = Path(__file__).resolve().parent / "checks"


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    from kg.pipeline.corpus import build

    out = tmp_path_factory.mktemp("out")
    result = build(CHECKS, out)
    assert result.report.conforms, result.report.text()
    return result.graph


def test_changes_lists_the_change_with_its_cell_and_reference(graph):
    rows = select(graph, "changes")
    assert [(r["cellLabel"], r["change"], r["unit"], r["direction"], r["referenceLabel"], r["release"]) for r in rows] == [
        ("Marche exports to the world, January–June 2023", "6.1", "percent", "increase", "January–June 2022",
         "960_marche_semestre"),
    ]


def test_shares_give_the_whole_and_the_share_the_latest_levels_give(graph):
    [row] = select(graph, "shares")
    assert (row["partLabel"], row["wholeLabel"], row["percent"]) == (
        "Marche exports to Germany, January–June 2023", "Marche exports to the world, January–June 2023", Decimal("12.3"))
    # 1.210,4 million of the latest stated total, "9,9 miliardi": 12.226 %
    assert row["fromLevels"] == "12.226"


def test_restatements_list_both_values_of_ancona_and_the_later_final_one_is_current(graph):
    rows = select(graph, "restatements")
    assert [(r["cellLabel"], r["value"], r["release"], r["current"], r["status"]) for r in rows] == [
        ("Province of Ancona exports to the world, January–June 2023", "2915300000", "960_marche_semestre", False, None),
        ("Province of Ancona exports to the world, January–June 2023", "2871600000", "961_marche_semestre_rivisto", True,
         "final"),
    ]


def test_restatements_leave_out_a_rounded_restatement_that_agrees(graph):
    assert not [r for r in select(graph, "restatements") if r["cellLabel"].startswith("Marche")]


def test_figure_history_of_the_regional_total_ends_with_its_current_value(graph):
    rows = [r for r in select(graph, "figure-history", originName=Literal("Marche"))
            if r["cellLabel"] == "Marche exports to the world, January–June 2023" and r["measure"] == "Level"]
    assert [(r["value"], r["release"], r["current"]) for r in rows] == [
        ("9874200000", "960_marche_semestre", False),
        ("9900000000", "961_marche_semestre_rivisto", True),
    ]


def test_figure_history_without_a_place_lists_every_cell(graph):
    rows = select(graph, "figure-history")
    assert {r["cellLabel"] for r in rows} == {
        "Marche exports to Germany, January–June 2023", "Marche exports to the world, January–June 2022",
        "Marche exports to the world, January–June 2023", "Marche exports to the world, mechanics, January–June 2023",
        "Province of Ancona exports to the world, January–June 2023",
        "Province of Macerata exports to the world, January–June 2023"}


def test_period_comparison_gives_the_level_stated_on_the_reference_period(graph):
    # "9.874,2 milioni ... +6,1% rispetto ai 9.306,5 milioni del primo semestre 2022"
    rows = [r for r in select(graph, "period-comparison") if r["release"] == "960_marche_semestre"]
    assert [(r["period"], r["changePercent"], r["referencePeriod"], r["amount"], r["referenceAmount"]) for r in rows] == [
        ("January–June 2023", Decimal("6.1"), "January–June 2022", Decimal("9874200000"), Decimal("9306500000")),
    ]


def test_exports_by_period_gives_the_later_final_value_and_counts_the_releases(graph):
    # Ancona, first half of 2023: 2.915,3 million on 12 September, 2.871,6 million "dati definitivi" on 5 December
    (row,) = select(graph, "exports-by-period", originName=Literal("Province of Ancona"))
    assert (row["period"], row["amount"], row["status"], row["releases"], row["release"]) == (
        "January–June 2023", Decimal("2871600000"), "final", 2, "961_marche_semestre_rivisto")


# ------------------------------------------------------------ the older queries on the family corpus

FAMILY = Path(__file__).resolve().parent / "family"


@pytest.fixture(scope="module")
def family():
    """The seventeen family releases in one graph, the two deliberate contradictions included."""
    from kg.pipeline.corpus import build_graph

    return build_graph(FAMILY)


def test_family_exports_by_period_current_value_of_a_revised_half_year(family):
    # 10_: "l’export umbro ha raggiunto 2.911,4 milioni di euro" (provisional); 11_: "Il primo semestre,
    # inizialmente stimato in 2.911,4 milioni, è stato rivisto dall’Istat a 2.958,0 milioni"
    rows = [r for r in select(family, "exports-by-period", originName=Literal("Umbria"), destinationName=Literal("world"))
            if r["period"] == "January–June 2024"]
    assert [(r["amount"], r["releases"], r["release"]) for r in rows] == [
        (Decimal("2958000000"), 2, "11_umbria_anno_rivisto")]


def test_family_sector_breakdown_of_sardinia(family):
    # "1.907,4 milioni"; "Coke e prodotti petroliferi raffinati, che con 1.502,1 milioni vale il 78,8%";
    # "L'agroalimentare ... si è attestato sui 95 milioni"
    rows = select(family, "sector-breakdown", fact=Literal("sardegna-export-2023-q1"))
    assert [(r["amount"], r["hedge"]) for r in rows] == [(Decimal("1502100000"), "exact"), (Decimal("95000000"), "about")]
    assert rows[0]["percentOfTotal"] == Decimal("78.75")


def test_family_share_check_agrees_for_cagliari_and_not_for_siracusa(family):
    # 05_: "il cagliaritano ... concentra 1.598,0 milioni, pari all'83,8% dell'export dell'isola" (of 1.907,4)
    # 14_: "Siracusa ... ha esportato 6.870,2 milioni, pari al 58,1% del totale regionale" (of 6.412,5)
    rows = {r["fact"]: r for r in select(family, "share-check")}
    cagliari, siracusa = rows["cagliari-export-2023-q1-share"], rows["siracusa-export-2024-h1-share"]
    assert (cagliari["share"], cagliari["amount"], cagliari["total"], cagliari["agrees"]) == (
        Decimal("83.8"), Decimal("1598000000"), Decimal("1907400000"), True)
    assert (siracusa["share"], siracusa["amount"], siracusa["total"], siracusa["agrees"]) == (
        Decimal("58.1"), Decimal("6870200000"), Decimal("6412500000"), False)


def test_family_province_vs_region(family):
    # 09_: "le esportazioni liguri hanno raggiunto 7.318,4 mln euro"; "La provincia di Genova ha esportato
    # 4.406,3 milioni"; "La Spezia si è attestata a 1.690,2 milioni"
    rows = [r for r in select(family, "province-vs-region") if r["outer"] == "Liguria"]
    assert [(r["inner"], r["innerAmount"], r["outerAmount"]) for r in rows] == [
        ("Province of Genoa", Decimal("4406300000"), Decimal("7318400000")),
        ("Province of La Spezia", Decimal("1690200000"), Decimal("7318400000")),
    ]
    # 14_: the contradiction shows: Siracusa above Sicily
    (siracusa,) = [r for r in select(family, "province-vs-region") if r["inner"] == "Province of Syracuse"]
    assert siracusa["innerAmount"] > siracusa["outerAmount"]


def test_family_all_figures_of_a_release(family):
    # 09_: 7.318,4 mln; +3,2% (headline and text); 6.102,9 mln; -1,8%; 1.215,5 milioni; +38,6%; 4.406,3
    # milioni; +5,0%; 412,0 milioni; +0,9%; 1.690,2 milioni; and the year-end projection
    rows = [r for r in select(family, "all-figures") if r["release"] == "09_genova_nautica"]
    values = sorted(r["value"] for r in rows if r["measure"] == "change")
    assert values == [Decimal(v) for v in ("-1.8", "0.9", "3.2", "3.2", "5", "38.6")]
    assert {r["value"] for r in rows if r["measure"] == "level"} >= {
        Decimal("7318400000"), Decimal("6102900000"), Decimal("1215500000"), Decimal("4406300000"),
        Decimal("412000000"), Decimal("1690200000")}


def test_family_derived_values(family):
    # 09_: "a fine anno" is the end of 2024, the year of the text: an implied period
    rows = select(family, "derived-values")
    assert ("liguria-export-2024-projection", "period", "implied") in {(r["fact"], r["what"], r["basis"]) for r in rows}


def test_family_period_comparison(family):
    # 05_: "1.907,4 milioni di euro, l'8,3% in meno rispetto al primo quarto del 2022"
    rows = select(family, "period-comparison", originName=Literal("Sardegna"), periodName=Literal("2023-Q1"))
    found = {(r["fact"], r["changePercent"], r["referencePeriod"], r["amount"]) for r in rows}
    assert ("sardegna-export-2023-q1-vs-2022-q1", Decimal("-8.3"), "January–March 2022", Decimal("1907400000")) in found
