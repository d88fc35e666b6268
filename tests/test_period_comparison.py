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


# a change of a cell, as the fact model writes it (kgo:Change, kgo:cell): "le esportazioni della provincia
# di Ancona verso tutti i Paesi, al netto del farmaceutico, sono cresciute del 23,4% nei primi nove mesi
# del 2025 rispetto allo stesso periodo del 2024", and "+1,2 milioni di euro" on the cell's Germany part
CELLS = """
@prefix kgo: <https://example.org/kg/ontology#> . @prefix kgr: <https://example.org/kg/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <https://schema.org/> . @prefix time: <http://www.w3.org/2006/time#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
kgr:place\\/ancona-province a schema:Place ; rdfs:label "Province of Ancona"@en , "provincia di Ancona"@it .
kgr:place\\/world a schema:Place ; rdfs:label "world"@en , "mondo"@it .
kgr:place\\/germany a schema:Place ; rdfs:label "Germany"@en , "Germania"@it .
<https://example.org/kg/id/interval/2025-01-01/P9M> a time:ProperInterval ;
  rdfs:label "January–September 2025"@en , "gennaio–settembre 2025"@it ;
  time:hasBeginning [ time:inXSDDate "2025-01-01"^^xsd:date ] .
<https://example.org/kg/id/interval/2024-01-01/P9M> a time:ProperInterval ;
  rdfs:label "January–September 2024"@en , "gennaio–settembre 2024"@it ;
  time:hasBeginning [ time:inXSDDate "2024-01-01"^^xsd:date ] .
kgo:increase skos:prefLabel "increase"@en .
kgr:release\\/r1 schema:identifier "r1" .
<https://example.org/kg/id/cell/export/ancona-province/world/2025-01--2025-09/excluding/CF> a kgo:Cell ;
  kgo:origin kgr:place\\/ancona-province ; kgo:destination kgr:place\\/world ;
  kgo:period <https://example.org/kg/id/interval/2025-01-01/P9M> .
<https://example.org/kg/id/cell/export/ancona-province/germany/2025-01--2025-09> a kgo:Cell ;
  kgo:origin kgr:place\\/ancona-province ; kgo:destination kgr:place\\/germany ;
  kgo:period <https://example.org/kg/id/interval/2025-01-01/P9M> .
<https://example.org/kg/id/release/r1/fact/ancona-growth> a kgo:Change ; kgo:factId "ancona-growth" ;
  kgo:statedIn kgr:release\\/r1 ; kgo:cell <https://example.org/kg/id/cell/export/ancona-province/world/2025-01--2025-09/excluding/CF> ;
  kgo:changePercent 23.4 ; kgo:unit kgo:percent ; kgo:direction kgo:increase ; kgo:scopeNote "al netto del farmaceutico" ;
  kgo:referencePeriod <https://example.org/kg/id/interval/2024-01-01/P9M> .
<https://example.org/kg/id/release/r1/fact/ancona-germany-growth> a kgo:Change ; kgo:factId "ancona-germany-growth" ;
  kgo:statedIn kgr:release\\/r1 ; kgo:cell <https://example.org/kg/id/cell/export/ancona-province/germany/2025-01--2025-09> ;
  kgo:changeAmount 1200000 ; kgo:unit <http://publications.europa.eu/resource/authority/currency/EUR> ;
  kgo:direction kgo:increase ; kgo:referencePeriod <https://example.org/kg/id/interval/2024-01-01/P9M> .
<https://example.org/kg/id/release/r1/fact/ancona-germany-2025> a kgo:Level ; kgo:factId "ancona-germany-2025" ;
  kgo:statedIn kgr:release\\/r1 ; kgo:cell <https://example.org/kg/id/cell/export/ancona-province/germany/2025-01--2025-09> ;
  kgo:tradeValue 9800000 .
"""


def test_the_changes_of_cells_with_scope_and_change(tmp_path):
    graph = tmp_path / "cells.ttl"
    graph.write_text(CELLS, encoding="utf-8")
    found = rows("--graph", graph, "--param", "originName=provincia di ancona", "--param", "referencePeriodName=2024-01/2024-09")
    assert [(r["destination"], r["scope"], r["changePercent"], r["changeAmount"], r["changeUnit"], r["amount"]) for r in found] == [
        ("Germany", "", "", "1200000", "EUR", "9800000"),
        ("world", "al netto del farmaceutico", "23.4", "", "", ""),
    ]
    assert {(r["period"], r["referencePeriod"], r["direction"]) for r in found} == {
        ("January–September 2025", "January–September 2024", "increase")}
