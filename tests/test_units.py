"""The loader knows units: the number of each figure against the figure of its evidence the value
comes from, as the text writes it ("18,2%", "1,2 miliardi di euro", "10,6 miliardi di dollari",
"3,8 punti").

The release below was written for these tests (fictional figures). Each refusal is one sentence
naming the file, the line and the field; the expected sentence is written out here, its line
counted in the annotation the test wrote.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from conftest import DATA
from kg.cli import cli
from kg.errors import InputError
from kg.model.numbers import currencies_named, written_figures

RELEASE_ID = "950_units"
TEXT = (
    "Esportazioni italiane, un anno di cifre\n"
    "Roma, 12 marzo 2026 – Nel 2025 le vendite italiane in Germania sono cresciute del 18,2% "
    "e hanno raggiunto 1,2 miliardi di euro. "
    "Secondo le dogane americane, gli acquisti degli Stati Uniti dall'Italia valgono 10,6 miliardi di dollari, "
    "in aumento del 4,5 per cento. "
    "Convertite in euro, le stesse vendite valgono 9,8 miliardi. "
    "Rispetto al 2024 gli acquisti americani crescono di 400 milioni di dollari. "
    "La quota tedesca sulle vendite italiane sale di 3,8 punti. "
    "Tutti i valori di questa nota sono espressi in euro: le spedizioni di vino in Francia arrivano a 7,5 milioni.\n"
    "Ufficio Stampa Confindustria Ancona\n"
)
HEAD = """release:
  id: 950_units
  text: release.txt
  published: 2026-03-12
  language: it
  publisher: confindustria-ancona
  evidence: "Roma, 12 marzo 2026"

facts:
"""
GERMANY = """  - id: germany-2025
    kind: level
    flow: export
    origin: italy
    destination: germany
    period: 2025
    amount: {amount}
    unit: {unit}
    hedge: exact
    evidence: "{evidence}"
"""
US = """  - id: us-2025
    kind: level
    flow: export
    origin: italy
    destination: united-states
    period: 2025
    amount: {amount}
    unit: {unit}
    hedge: exact
    evidence: "{evidence}"
"""
DE_EVIDENCE = "sono cresciute del 18,2% e hanno raggiunto 1,2 miliardi di euro"
US_EVIDENCE = "gli acquisti degli Stati Uniti dall'Italia valgono 10,6 miliardi di dollari"
FR_EVIDENCE = "Tutti i valori di questa nota sono espressi in euro: le spedizioni di vino in Francia arrivano a 7,5 milioni"


def change(fact_id: str, destination: str, value: str, unit: str, evidence: str) -> str:
    """A change of Italy's exports in 2025 against 2024."""
    return f"""  - id: {fact_id}
    kind: change
    flow: export
    origin: italy
    destination: {destination}
    period: 2025
    value: {value}
    unit: {unit}
    reference: same-period-previous-year
    hedge: exact
    evidence: "{evidence}"
"""


def data_folder(root: Path, facts: str) -> Path:
    """A data folder with the seed's registry and the test release annotated with ``facts``."""
    folder = root / "data" / "releases" / RELEASE_ID
    folder.mkdir(parents=True)
    for name in ("registry.yaml", "places.yaml"):  # the registry names a place of places.yaml
        shutil.copyfile(DATA / name, root / "data" / name)
    (folder / "release.txt").write_text(TEXT, encoding="utf-8")
    (folder / "annotation.yaml").write_text(HEAD + facts, encoding="utf-8")
    return root / "data"


def refusal(root: Path, facts: str) -> str:
    from kg.pipeline.corpus import load_corpus

    data = data_folder(root, facts)
    with pytest.raises(InputError) as caught:
        load_corpus(data)
    return str(caught.value)


def line_of(facts: str, marker: str) -> int:
    """The line of the annotation (HEAD + facts) that holds ``marker``, once."""
    hits = [n for n, line in enumerate((HEAD + facts).splitlines(), 1) if marker in line]
    assert len(hits) == 1, hits
    return hits[0]


def where(root: Path, facts: str, marker: str, field: str) -> str:
    path = root / "data" / "releases" / RELEASE_ID / "annotation.yaml"
    return f"{path}, line {line_of(facts, marker)}, field '{field}'"


# --------------------------------------------------------------------------- refusals


def test_a_percentage_written_as_an_amount_is_refused(tmp_path):
    """The issue's case: `amount: 18.2` with evidence "18,2%" was accepted as EUR 18.2."""
    facts = GERMANY.format(amount="18.2", unit="EUR", evidence=DE_EVIDENCE)
    assert refusal(tmp_path, facts) == (
        where(tmp_path, facts, "amount: 18.2", "facts[0] (germany-2025).amount")
        + ": the amount 18.2 is written as a percentage in the evidence («18,2%»).")


def test_points_written_as_an_amount_are_refused(tmp_path):
    facts = GERMANY.format(amount="3.8", unit="EUR", evidence="La quota tedesca sulle vendite italiane sale di 3,8 punti")
    assert refusal(tmp_path, facts) == (
        where(tmp_path, facts, "amount: 3.8", "facts[0] (germany-2025).amount")
        + ": the amount 3.8 is written as percentage points in the evidence («3,8 punti»).")


def test_a_change_in_amount_written_as_a_percentage_is_refused(tmp_path):
    facts = (GERMANY.format(amount="1200000000", unit="EUR", evidence=DE_EVIDENCE)
             + change("germany-2025-change", "germany", "18.2", "EUR", "cresciute del 18,2%"))
    assert refusal(tmp_path, facts) == (
        where(tmp_path, facts, "value: 18.2", "facts[1] (germany-2025-change).value")
        + ": the amount 18.2 is written as a percentage in the evidence («18,2%»).")


def test_a_change_in_percent_written_as_money_is_refused(tmp_path):
    facts = (US.format(amount="10600000000", unit="USD", evidence=US_EVIDENCE)
             + change("us-2025-change", "united-states", "10.6", "percent", "valgono 10,6 miliardi di dollari"))
    assert refusal(tmp_path, facts) == (
        where(tmp_path, facts, "value: 10.6", "facts[1] (us-2025-change).value")
        + ": the percentage 10.6 is written as an amount of money in the evidence («10,6 miliardi»).")


def test_a_share_written_as_money_is_refused(tmp_path):
    facts = GERMANY.format(amount="1200000000", unit="EUR", evidence=DE_EVIDENCE) + """  - id: germany-share
    kind: share
    flow: export
    origin: italy
    destination: germany
    period: 2025
    percent: 1.2
    of: {destination: world}
    hedge: exact
    evidence: "hanno raggiunto 1,2 miliardi di euro"
"""
    assert refusal(tmp_path, facts) == (
        where(tmp_path, facts, "percent: 1.2", "facts[1] (germany-share).percent")
        + ": the percentage 1.2 is written as an amount of money in the evidence («1,2 miliardi»).")


def test_a_change_in_percent_written_as_points_is_refused(tmp_path):
    facts = (GERMANY.format(amount="1200000000", unit="EUR", evidence=DE_EVIDENCE)
             + change("germany-2025-change", "germany", "3.8", "percent", "sale di 3,8 punti"))
    assert refusal(tmp_path, facts) == (
        where(tmp_path, facts, "value: 3.8", "facts[1] (germany-2025-change).value")
        + ": the percentage 3.8 is written as percentage points in the evidence («3,8 punti»).")


def test_a_currency_the_evidence_contradicts_is_refused(tmp_path):
    facts = US.format(amount="10600000000", unit="EUR", evidence=US_EVIDENCE)
    assert refusal(tmp_path, facts) == (
        where(tmp_path, facts, "unit: EUR", "facts[0] (us-2025).unit")
        + ": the unit EUR contradicts the evidence, which gives «10,6 miliardi» (amount) in USD.")


def test_dollars_stated_for_a_figure_in_euro_are_refused(tmp_path):
    facts = GERMANY.format(amount="1200000000", unit="USD", evidence=DE_EVIDENCE)
    assert refusal(tmp_path, facts) == (
        where(tmp_path, facts, "unit: USD", "facts[0] (germany-2025).unit")
        + ": the unit USD contradicts the evidence, which gives «1,2 miliardi» (amount) in EUR.")


def test_a_currency_other_than_euro_must_be_stated(tmp_path):
    facts = GERMANY.format(amount="7500000", unit="USD", evidence="le spedizioni di vino in Francia arrivano a 7,5 milioni")
    assert refusal(tmp_path, facts) == (
        where(tmp_path, facts, "unit: USD", "facts[0] (germany-2025).unit")
        + ": the unit USD is not stated by the evidence, which names no currency for «7,5 milioni» (amount); "
          "only EUR may go unstated.")


def test_a_currency_named_elsewhere_in_the_evidence_counts(tmp_path):
    """'in euro' earlier in the quote, the figure bare: the evidence's only currency is the figure's."""
    facts = GERMANY.format(amount="7500000", unit="USD", evidence=FR_EVIDENCE)
    assert refusal(tmp_path, facts) == (
        where(tmp_path, facts, "unit: USD", "facts[0] (germany-2025).unit")
        + ": the unit USD contradicts the evidence, which gives «7,5 milioni» (amount) in EUR.")


# --------------------------------------------------------------------------- what stays accepted


def test_an_evidence_without_a_currency_word_is_read_in_euro(tmp_path):
    from kg.pipeline.corpus import load_corpus

    facts = (GERMANY.format(amount="7500000", unit="EUR", evidence="le spedizioni di vino in Francia arrivano a 7,5 milioni")
             + US.format(amount="7500000", unit="EUR", evidence=FR_EVIDENCE).replace("id: us-2025", "id: fr-2025"))
    (release,) = load_corpus(data_folder(tmp_path, facts)).releases
    assert [(f.values["amount"], f.values["unit"]) for f in release.facts] == [(Decimal(7500000), "EUR")] * 2


def test_a_percentage_and_an_amount_of_one_sentence_each_find_their_own_figure(tmp_path):
    from kg.pipeline.corpus import load_corpus

    facts = (GERMANY.format(amount="1200000000", unit="EUR", evidence=DE_EVIDENCE)
             + change("germany-2025-change", "germany", "18.2", "percent", "cresciute del 18,2%"))
    (release,) = load_corpus(data_folder(tmp_path, facts)).releases
    assert release.fact("germany-2025-change").values["value"] == Decimal("18.2")
    assert release.fact("germany-2025").values["amount"] == Decimal("1200000000")


def test_a_dollar_figure_builds_with_the_usd_unit(tmp_path):
    facts = (US.format(amount="10600000000", unit="USD", evidence=US_EVIDENCE)
             + change("us-2025-change", "united-states", "4.5", "percent", "in aumento del 4,5 per cento"))
    from rdflib.namespace import RDFS

    from kg.rdf.namespaces import KGO
    from kg.stores.files import load_graph

    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", "--data", str(data_folder(tmp_path, facts)), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "conforms: yes" in result.output
    graph = load_graph(out / "graph.ttl")
    usd = URIRef("http://publications.europa.eu/resource/authority/currency/USD")
    (node,) = graph.subjects(KGO.factId, Literal("us-2025"))
    assert list(graph.objects(node, KGO.unit)) == [usd]
    labels = {label.language: str(label) for label in graph.objects(node, RDFS.label)}
    assert labels["en"].endswith(": $10,600,000,000")
    assert labels["it"].endswith(": 10.600.000.000\N{NO-BREAK SPACE}USD")


def test_a_change_in_amount_has_the_currency_its_evidence_names(tmp_path):
    from kg.rdf.namespaces import KGO
    from kg.stores.files import load_graph

    facts = (US.format(amount="10600000000", unit="USD", evidence=US_EVIDENCE)
             + change("us-2025-change", "united-states", "400000000", "USD", "crescono di 400 milioni di dollari"))
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", "--data", str(data_folder(tmp_path, facts)), "--out", str(out)])
    assert result.exit_code == 0, result.output
    graph = load_graph(out / "graph.ttl")
    (node,) = graph.subjects(KGO.factId, Literal("us-2025-change"))
    assert list(graph.objects(node, KGO.unit)) == [URIRef("http://publications.europa.eu/resource/authority/currency/USD")]
    assert list(graph.objects(node, KGO.changeAmount)) == [Literal("400000000.0", datatype=XSD.decimal)]


def test_a_change_in_euro_against_dollars_in_its_evidence_is_refused(tmp_path):
    facts = change("us-2025-change", "united-states", "400000000", "EUR", "crescono di 400 milioni di dollari")
    assert refusal(tmp_path, facts) == (
        where(tmp_path, facts, "unit: EUR", "facts[0] (us-2025-change).unit")
        + ": the unit EUR contradicts the evidence, which gives «400 milioni» (value) in USD.")


def test_figures_in_two_currencies_are_not_compared_by_the_checks(tmp_path):
    """One cell stated in dollars (10.6 bn) and in euro (9.8 bn): neither bounds the other."""
    facts = (US.format(amount="10600000000", unit="USD", evidence=US_EVIDENCE)
             + US.format(amount="9800000000", unit="EUR", evidence="Convertite in euro, le stesse vendite valgono 9,8 miliardi")
             .replace("id: us-2025", "id: us-2025-eur"))
    result = CliRunner().invoke(cli, ["build", "--data", str(data_folder(tmp_path, facts)), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "conforms: yes" in result.output


# --------------------------------------------------------------------------- the reading


@pytest.mark.parametrize(("text", "expected"), [
    ("18,2%", [("18,2%", "percent", None)]),
    ("+23,4 per cento", [("+23,4 per cento", "percent", None)]),
    ("3 percento", [("3 percento", "percent", None)]),
    ("3,8 punti percentuali", [("3,8 punti", "points", None)]),
    ("767 mila", [("767 mila", "", None)]),
    ("1,2 miliardi di euro", [("1,2 miliardi", "money", "EUR")]),
    ("7,5 mln", [("7,5 mln", "money", None)]),
    ("€ 7,5 milioni", [("7,5 milioni", "money", "EUR")]),
    ("USD 5 milioni", [("5 milioni", "money", "USD")]),
    ("$10,6 miliardi", [("10,6 miliardi", "money", "USD")]),
    ("pari a 2.400.000 euro", [("2.400.000", "money", "EUR")]),
    ("due miliardi e mezzo di dollari", [("due miliardi e mezzo", "money", "USD")]),
])
def test_what_a_figure_measures_as_the_text_writes_it(text, expected):
    assert [(w.text, w.measure, w.currency) for w in written_figures(text)] == expected


def test_a_compound_amount_is_read_whole_with_its_currency():
    found = {w.value: w.currency for w in written_figures("12 miliardi e 400 milioni di dollari")}
    assert found[Decimal(12400000000)] == "USD"


def test_currencies_named_anywhere():
    assert currencies_named("export in euro, poi 7,5 milioni") == {"EUR"}
    assert currencies_named("10,6 miliardi di dollari e 3 miliardi di euro") == {"EUR", "USD"}
    assert currencies_named("neuroni, 7 milioni") == set()


def test_kg_extract_drafts_a_dollar_figure_in_usd_and_the_draft_builds(tmp_path):
    import yaml

    source = tmp_path / "release.txt"
    source.write_text(
        "Esportazioni italiane, un anno di cifre\n"
        "Roma, 12 marzo 2026 – Nel 2025 le esportazioni italiane verso la Germania hanno raggiunto 1,2 miliardi di euro. "
        "Nel 2025 le esportazioni italiane verso gli Stati Uniti, misurate dalle dogane americane, "
        "valgono 10,6 miliardi di dollari.\n"
        "Ufficio Stampa Confindustria Ancona\n", encoding="utf-8")
    data = tmp_path / "drafts"
    (data / "releases").mkdir(parents=True)
    for name in ("registry.yaml", "places.yaml"):  # the registry names a place of places.yaml
        shutil.copyfile(DATA / name, data / name)
    runner = CliRunner()
    drafted = runner.invoke(cli, ["extract", str(source), "--id", RELEASE_ID, "--into", str(data), "--data", str(DATA)])
    assert drafted.exit_code == 0, drafted.output
    draft = yaml.safe_load((data / "releases" / RELEASE_ID / "annotation.yaml").read_text(encoding="utf-8"))
    units = {Decimal(str(f["amount"])): (f["unit"], f["evidence"]) for f in draft["facts"] if f["kind"] == "level"}
    assert units[Decimal("10600000000")][0] == "USD"
    assert units[Decimal("10600000000")][1].endswith("10,6 miliardi di dollari")
    assert units[Decimal("1200000000")][0] == "EUR"
    built = runner.invoke(cli, ["build", "--data", str(data), "--out", str(tmp_path / "out")])
    assert built.exit_code == 0, built.output
