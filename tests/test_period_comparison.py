"""period-comparison (issue 12, item 6): every change against a reference period, with the origin,
destination, scope and change of the figure, and parameters for the periods; no period baked in.

The seed says: "Nei primi nove mesi del 2025 il valore si è attestato poco sotto i 5 milioni di euro,
in lieve flessione rispetto allo stesso periodo dell'anno precedente" (Marche to Azerbaijan)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import one_line_error
from kg.cli import cli
from kg.query.library import find_query


def rows(*args) -> list[dict[str, str]]:
    result = CliRunner().invoke(cli, ["query", "period-comparison", "--format", "csv", *map(str, args)])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_the_question_names_no_period():
    entry = find_query("period-comparison")
    assert "2025" not in entry.question and "2024" not in entry.question
    assert {"periodName", "referencePeriodName", "originName", "destinationName"} <= set(entry.params)


def test_the_seed_comparison_with_its_origin_destination_and_reference(built_ttl):
    found = rows("--graph", built_ttl)
    assert len(found) == 1
    row = found[0]
    assert (row["origin"], row["destination"], row["period"]) == ("Marche", "Azerbaijan", "January–September 2025")
    assert (row["amount"], row["hedge"]) == ("5000000", "less than")  # "poco sotto i 5 milioni di euro"
    assert (row["referencePeriod"], row["direction"], row["magnitudeWords"]) == ("January–September 2024", "decrease", "lieve")
    assert row["fact"] == "marche-azerbaijan-2025-jan-sep-trend"


@pytest.mark.parametrize(("params", "count"), [
    (("periodName=2025-01/2025-09",), 1),
    (("periodName=gennaio–settembre 2025", "referencePeriodName=January-September 2024"), 1),
    (("periodName=2024",), 0),
    (("referencePeriodName=2025-01/2025-09",), 0),
    (("originName=provincia di Ancona",), 0),
    (("originName=marche", "destinationName=Azerbaigian"), 1),
])
def test_the_periods_and_places_are_parameters(built_ttl, params, count):
    args = [part for param in params for part in ("--param", param)]
    assert len(rows("--graph", built_ttl, *args)) == count


def test_a_period_the_graph_does_not_have_is_one_sentence(built_ttl):
    result = CliRunner().invoke(cli, ["query", "period-comparison", "--graph", str(built_ttl), "--param", "periodName=2025-Q1"])
    one_line_error(result, 2, "periodName", "'2025-Q1'", "no period")


@pytest.fixture(scope="module")
def measures(tmp_path_factory):
    """tests/measures built: its first-quarter release states changes of cells (kgo:Change)."""
    out = tmp_path_factory.mktemp("measures")
    result = CliRunner().invoke(cli, ["build", "--data", str(Path(__file__).resolve().parent / "measures"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out / "graph.ttl"


def test_the_changes_of_cells_with_their_change_and_amount(measures):
    """"412,6 milioni di euro, l'8,3% in meno rispetto allo stesso trimestre del 2022, con un calo di 308,9
    milioni"; "un peso sceso di 0,3 punti in un anno"; "950,1 milioni, in aumento del 4,2%" without
    pharmaceuticals; fashion "ha più che raddoppiato le vendite in Azerbaigian rispetto al primo trimestre del 2019"."""
    found = {row["fact"]: row for row in rows("--graph", measures, "--param", "originName=marche", "--param", "periodName=2023-Q1")}
    change = found["marche-2023q1-change"]
    assert (change["destination"], change["changePercent"], change["referencePeriod"], change["direction"]) == (
        "all destinations", "-8.3", "January–March 2022", "decrease")
    assert change["amount"].endswith("412600000")  # the level the release states on the same cell
    assert (found["marche-2023q1-change-amount"]["changeAmount"], found["marche-2023q1-change-amount"]["changeUnit"]) == (
        "-308900000", "EUR")
    assert found["marche-2023q1-share-change"]["changePoints"] == "-0.3"
    assert found["marche-2023q1-without-pharma-change"]["changePercent"] == "4.2"
    assert found["marche-2023q1-without-pharma-change"]["amount"].endswith("950100000")
    fashion = found["marche-azerbaijan-fashion-2023q1-change"]
    assert (fashion["destination"], fashion["sector"], fashion["referencePeriod"], fashion["changeFactor"]) == (
        "Azerbaijan", "fashion", "January–March 2019", "2")
