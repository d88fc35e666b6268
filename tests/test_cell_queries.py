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
