"""period-comparison (issue 12, item 6): every change against a reference period, with the origin,
destination, scope and change of the figure, and parameters for the periods; no period baked in.

The seed says: "Nei primi nove mesi del 2025 il valore si è attestato poco sotto i 5 milioni di euro,
in lieve flessione rispetto allo stesso periodo dell'anno precedente" (Marche to Azerbaijan)."""

from __future__ import annotations

import csv
import io

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
