"""Figures on cells (README.md, "The model"): what tests/measures' two releases say, as a person reads
it off their text, in the graph; the loader's checks of each measure, one error each; the Italian
readings of precision and multiples the loader relies on."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.errors import InputError
from kg.model.numbers import find_fractions, find_multiples, find_word_points, scales_named, stated_precision, written_figures
from kg.rdf.namespaces import EUR, KGO, KGO_IMPORT, KGR, ORG, QB, SCHEMA, USD

MEASURES = Path(__file__).resolve().parent / "measures"
R950 = "950_marche_trimestre"
R951 = "951_marche_sintesi"
PROV_ATTRIBUTED = URIRef("http://www.w3.org/ns/prov#wasAttributedTo")
OBS_STATUS = URIRef("http://purl.org/linked-data/sdmx/2009/attribute#obsStatus")
FORECAST = URIRef("http://purl.org/linked-data/sdmx/2009/code#obsStatus-F")


def fact(fact_id: str, release: str = R950) -> URIRef:
    return KGR[f"release/{release}/fact/{fact_id}"]


def place(place_id: str) -> URIRef:
    return KGR[f"place/{place_id}"]


def number(graph: Graph, node, prop) -> Decimal:
    values = list(graph.objects(node, prop))
    assert len(values) == 1, (node, prop, values)
    return Decimal(str(values[0]))


def one(graph: Graph, node, prop):
    values = list(graph.objects(node, prop))
    assert len(values) == 1, (node, prop, values)
    return values[0]


def label(graph: Graph, node, lang: str = "en") -> str:
    return next(str(o) for o in graph.objects(node, RDFS.label) if isinstance(o, Literal) and o.language == lang)


FIRST_QUARTER_2023 = KGR["interval/2023-01-01/P3M"]
FIRST_QUARTER_2022 = KGR["interval/2022-01-01/P3M"]
MARCHE_EXPORTS = KGR["cell/export/marche/world/2023-Q1"]


# --------------------------------------------------------------------------- the graph, as the text reads


def test_a_change_is_a_measure_on_the_cell_of_marches_exports_in_the_first_quarter(measures_graph):
    """«le esportazioni marchigiane si sono fermate a 3.412,6 milioni di euro, l'8,3% in meno rispetto allo
    stesso trimestre del 2022»: -8.3 % against 2022-Q1, on Marche's exports to the world in 2023-Q1."""
    g = measures_graph
    change = fact("marche-2023q1-change")
    assert (change, RDF.type, KGO.Change) in g and (change, RDF.type, QB.Observation) in g
    assert one(g, change, KGO.cell) == MARCHE_EXPORTS
    assert number(g, change, KGO.changePercent) == Decimal("-8.3")
    assert one(g, change, KGO.unit) == KGO.percent
    assert one(g, change, KGO.direction) == KGO.decrease
    assert one(g, change, KGO.referencePeriod) == FIRST_QUARTER_2022
    assert number(g, change, KGO.precision) == Decimal("0.1")
    # the cell: exports, from Marche, to the world, in the first quarter of 2023, all goods
    assert one(g, MARCHE_EXPORTS, KGO.flow) == KGO.export
    assert one(g, MARCHE_EXPORTS, KGO.origin) == place("marche")
    assert one(g, MARCHE_EXPORTS, KGO.destination) == place("world")
    assert one(g, MARCHE_EXPORTS, KGO.period) == FIRST_QUARTER_2023
    assert (MARCHE_EXPORTS, KGO.sector, None) not in g and (MARCHE_EXPORTS, KGO.excludes, None) not in g
    # the level of the same sentence is on the same cell; neither figure points to the other
    level = fact("marche-2023q1")
    assert one(g, level, KGO.cell) == MARCHE_EXPORTS
    assert number(g, level, KGO.tradeValue) == Decimal("3412600000")
    assert one(g, level, KGO.unit) == EUR
    assert number(g, level, KGO.precision) == Decimal("100000")  # "3.412,6 milioni": one digit after the comma
    assert not set(g.objects(change, None)) & {level}
    assert label(g, change) == "Marche exports to the world, January–March 2023: -8.3% on January–March 2022"


def test_the_change_in_money_is_signed_by_the_words_of_the_text(measures_graph):
    """«con un calo di 308,9 milioni»: minus EUR 308.9 million against the same quarter of 2022."""
    g = measures_graph
    change = fact("marche-2023q1-change-amount")
    assert number(g, change, KGO.changeAmount) == Decimal("-308900000")
    assert one(g, change, KGO.unit) == EUR
    assert one(g, change, KGO.referencePeriod) == FIRST_QUARTER_2022
    assert one(g, change, KGO.cell) == MARCHE_EXPORTS


def test_a_share_names_its_whole_as_a_cell_italys_exports(measures_graph):
    """«Le vendite regionali valgono il 2,4% dell'export nazionale, un peso sceso di 0,3 punti in un anno»."""
    g = measures_graph
    italy = KGR["cell/export/italy/world/2023-Q1"]
    share = fact("marche-2023q1-share")
    assert one(g, share, KGO.cell) == MARCHE_EXPORTS
    assert number(g, share, KGO.sharePercent) == Decimal("2.4")
    assert one(g, share, KGO.shareOf) == italy
    assert one(g, italy, KGO.origin) == place("italy") and one(g, italy, KGO.destination) == place("world")
    assert one(g, italy, KGO.period) == FIRST_QUARTER_2023 and one(g, italy, KGO.flow) == KGO.export
    assert (italy, RDF.type, KGO.Cell) in g
    assert not list(g.subjects(KGO.cell, italy))  # no release states Italy's level: the whole is a cell all the same
    points = fact("marche-2023q1-share-change")
    assert number(g, points, KGO.changePoints) == Decimal("-0.3")
    assert one(g, points, KGO.unit) == KGO.points
    assert one(g, points, KGO.shareOf) == italy
    assert one(g, points, KGO.referencePeriod) == FIRST_QUARTER_2022
    assert label(g, share) == "Marche exports to the world, January–March 2023: 2.4% of Italy exports to the world"


def test_a_scope_excluding_a_sector_is_its_own_cell(measures_graph):
    """«Al netto del farmaceutico l'export marchigiano raggiunge 2.950,1 milioni, in aumento del 4,2%»."""
    g = measures_graph
    cell = KGR["cell/export/marche/world/2023-Q1/excluding/pharmaceuticals"]
    level, change = fact("marche-2023q1-without-pharma"), fact("marche-2023q1-without-pharma-change")
    assert one(g, level, KGO.cell) == cell and one(g, change, KGO.cell) == cell
    assert one(g, cell, KGO.excludes) == KGR["sector/pharmaceuticals"]
    assert number(g, level, KGO.tradeValue) == Decimal("2950100000")
    assert number(g, change, KGO.changePercent) == Decimal("4.2") and one(g, change, KGO.direction) == KGO.increase
    assert one(g, level, KGO.scopeNote) == Literal("Al netto del farmaceutico", lang="it")
    assert one(g, level, KGO.periodBasis) == KGO.carried
    assert "excluding pharmaceuticals" in label(g, level)


def test_more_than_doubled_is_a_factor_with_a_lower_bound(measures_graph):
    """«La moda ha più che raddoppiato le vendite in Azerbaigian rispetto al primo trimestre del 2019»."""
    g = measures_graph
    change = fact("marche-azerbaijan-fashion-2023q1-change")
    cell = one(g, change, KGO.cell)
    assert cell == KGR["cell/export/marche/azerbaijan/2023-Q1/sector/fashion"]
    assert one(g, cell, KGO.sector) == KGR["sector/fashion"] and one(g, cell, KGO.destination) == place("azerbaijan")
    assert number(g, change, KGO.changeFactor) == Decimal(2)
    assert one(g, change, KGO.unit) == KGO.factor
    assert one(g, change, KGO.hedge) == KGO.moreThan
    assert number(g, change, SCHEMA.minValue) == Decimal(2) and (change, SCHEMA.maxValue, None) not in g
    assert one(g, change, KGO.referencePeriod) == KGR["interval/2019-01-01/P3M"]
    assert number(g, change, KGO.precision) == Decimal(1)


def test_imports_turnover_and_balance(measures_graph):
    """«Le importazioni dalla Francia sono state pari a 180,2 milioni, mentre con la Germania l'interscambio
    supera i 600 milioni e il saldo con gli Stati Uniti è positivo per 210,4 milioni»."""
    g = measures_graph
    imports = one(g, fact("france-marche-2023q1-import"), KGO.cell)
    assert one(g, imports, KGO.flow) == KGO_IMPORT
    assert one(g, imports, KGO.origin) == place("france")  # where the goods come from
    assert one(g, imports, KGO.destination) == place("marche")  # the importer
    turnover = fact("marche-germany-2023q1-turnover")
    assert one(g, one(g, turnover, KGO.cell), KGO.flow) == KGO.turnover
    assert number(g, turnover, SCHEMA.minValue) == Decimal("600000000") and (turnover, SCHEMA.maxValue, None) not in g
    assert number(g, turnover, KGO.precision) == Decimal("1000000")
    balance = fact("marche-united-states-2023q1-balance")
    assert one(g, one(g, balance, KGO.cell), KGO.flow) == KGO.balance
    assert number(g, balance, KGO.tradeValue) == Decimal("210400000")  # "positivo": a surplus


def test_rank_ratio_and_projection(measures_graph):
    """«La provincia di Ancona si conferma la prima della regione per valore esportato»; «Ogni residente
    delle Marche ha esportato in media 2.290 euro»; «prevede di sfiorare i 15 miliardi»."""
    g = measures_graph
    rank = fact("ancona-2023q1-rank")
    assert one(g, one(g, rank, KGO.cell), KGO.origin) == place("ancona-province")
    assert number(g, rank, KGO.rankPosition) == 1
    assert one(g, rank, KGO.rankAmong) == KGO.origins and one(g, rank, KGO.rankAmongKind) == KGO.Province
    assert one(g, rank, KGO.rankWithin) == place("marche") and one(g, rank, KGO.rankBy) == KGO.level
    ratio = fact("marche-2023q1-per-resident")
    assert number(g, ratio, KGO.ratioValue) == Decimal(2290) and one(g, ratio, KGO.unit) == EUR
    assert one(g, ratio, KGO.denominator) == KGO.perResident
    projection = fact("marche-2023-projection")
    assert (projection, RDF.type, KGO.Projection) in g and one(g, projection, OBS_STATUS) == FORECAST
    assert number(g, projection, KGO.tradeValue) == Decimal("15000000000")
    assert one(g, projection, KGO.hedge) == KGO.almost
    assert number(g, projection, SCHEMA.maxValue) == Decimal("15000000000") and (projection, SCHEMA.minValue, None) not in g
    assert one(g, one(g, projection, KGO.cell), KGO.period) == KGR["interval/2023-01-01/P1Y"]
    assert number(g, projection, KGO.precision) == Decimal("1000000000")


def test_the_data_source_is_a_statement_of_its_own_and_every_figure_names_it(measures_graph):
    """«dati Istat elaborati dall'Ufficio studi di Confindustria Ancona»: the only source of 950."""
    g = measures_graph
    source = fact("istat-studi")
    assert (source, RDF.type, KGO.DataSource) in g
    assert one(g, source, PROV_ATTRIBUTED) == KGR["org/istat"]
    assert one(g, source, KGO.elaboratedBy) == KGR["org/confindustria-ancona-studi"]
    figures = set(g.subjects(RDF.type, KGO.Figure))
    of_950 = {f for f in figures if str(f).startswith(str(KGR[f"release/{R950}/"]))}
    assert len(of_950) == 14
    assert all(one(g, f, KGO.dataSource) == source for f in of_950)
    # 951 names two sources; each figure names its own: Istat's euro, the customs' dollars
    assert one(g, fact("marche-2023q1", R951), KGO.dataSource) == fact("istat", R951)
    dollars = fact("marche-united-states-2023q1", R951)
    assert one(g, dollars, KGO.dataSource) == fact("us-customs", R951) and one(g, dollars, KGO.unit) == USD


def test_about_sets_no_bound(measures_graph):
    """«si è attestato sui 250 milioni»: about EUR 250 million, neither a lower nor an upper bound."""
    g = measures_graph
    level = fact("marche-germany-2023q1", R951)
    assert one(g, level, KGO.hedge) == KGO.about and number(g, level, KGO.tradeValue) == Decimal("250000000")
    assert (level, SCHEMA.minValue, None) not in g and (level, SCHEMA.maxValue, None) not in g
    assert number(g, level, KGO.precision) == Decimal("1000000")


def test_a_quotation_names_both_posts_of_its_speaker(measures_graph):
    """«dichiara Maria Rossi, presidente di Confindustria Ancona e vicepresidente di Confindustria Marche»."""
    g = measures_graph
    posts = set(g.objects(fact("quote-rossi"), KGO.speakerPost))
    assert posts == {KGR["post/confindustria-ancona/president"], KGR["post/confindustria-marche/vice-president"]}
    assert all((post, ORG.heldBy, KGR["person/maria-rossi"]) in g for post in posts)


def test_two_releases_stating_one_cell_make_one_cell_node(measures_graph):
    g = measures_graph
    assert one(g, fact("marche-2023q1", R950), KGO.cell) == one(g, fact("marche-2023q1", R951), KGO.cell) == MARCHE_EXPORTS
    for prop in (KGO.flow, KGO.origin, KGO.destination, KGO.period):
        one(g, MARCHE_EXPORTS, prop)
    assert len(list(g.objects(MARCHE_EXPORTS, RDFS.label))) == 2
    # each release alone writes the same triples for it
    from kg.model.loader import load_corpus
    from kg.rdf.builder import Builder
    from kg.rdf.namespaces import new_graph
    from kg.rdf.vocabularies import Ontology

    ontology = Ontology()
    corpus = load_corpus(MEASURES, ontology.vocabulary())
    alone = []
    for release in corpus.releases:
        graph = new_graph()
        Builder(corpus, graph, ontology.graph()).release(release)
        alone.append(set(graph.triples((MARCHE_EXPORTS, None, None))))
    assert alone[0] == alone[1] and len(alone[0]) == 8  # its class, four fields (no sector, no exclusion), its series, two labels


def test_labels_of_two_different_figures_differ(measures_graph):
    g = measures_graph
    figures = sorted(g.subjects(RDF.type, KGO.Figure))
    for lang in ("it", "en"):
        labels = {}
        for f in figures:
            labels.setdefault(label(g, f, lang), []).append(f)
        same = {text: nodes for text, nodes in labels.items() if len(nodes) > 1}
        # the only shared label is the one cell and measure two releases both state
        assert list(same.values()) == [[fact("marche-2023q1", R950), fact("marche-2023q1", R951)]], same


# --------------------------------------------------------------------------- the loader's checks


@pytest.fixture
def measures(tmp_path) -> Path:
    target = tmp_path / "measures"
    shutil.copytree(MEASURES, target)
    return target


def edit(folder: Path, release: str, fact_id: str, old: str, new: str) -> int:
    """Replace ``old`` by ``new`` in the block of ``fact_id`` of the release's annotation; the line of ``new``."""
    path = folder / "releases" / release / "annotation.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index(f"  - id: {fact_id}\n")
    end = text.find("\n\n", start)
    end = len(text) if end < 0 else end
    block = text[start:end]
    assert old in block, (fact_id, old)
    path.write_text(text[:start] + block.replace(old, new, 1) + text[end:], encoding="utf-8")
    return text[:start].count("\n") + block[:block.index(old)].count("\n") + 1


def load_error(folder: Path) -> InputError:
    from kg.model.loader import load_corpus
    from kg.rdf.vocabularies import vocabulary

    with pytest.raises(InputError) as caught:
        load_corpus(folder, vocabulary())
    return caught.value


def fact_prefix(index: int, fact_id: str) -> str:
    return f"facts[{index}] ({fact_id})."


INDEX = {fid: i for i, fid in enumerate(re.findall(r"^  - id: (\S+)$", (MEASURES / "releases" / R950 / "annotation.yaml")
                                                    .read_text(encoding="utf-8"), re.MULTILINE))}


def assert_error(error: InputError, release: str, line: int, fact_id: str, key: str, words: str):
    assert error.path is not None and error.path.endswith(f"{release}/annotation.yaml"), error.path
    index = INDEX[fact_id] if release == R950 else None
    assert error.field == (f"{fact_prefix(index, fact_id)}{key}" if index is not None else error.field)
    assert error.field.endswith(f"({fact_id}).{key}"), error.field
    assert error.line == line, (error.line, line, str(error))
    assert words in error.message, error.message


def test_of_names_cell_fields_only(measures):
    line = edit(measures, R950, "marche-2023q1-share", "of: {origin: italy}", "of: {country: italy}")
    assert_error(load_error(measures), R950, line, "marche-2023q1-share", "of.country",
                 "'country' is not a cell field (one of flow, origin, destination, period, sector, excludes)")


def test_of_values_are_valid_for_their_field(measures):
    line = edit(measures, R950, "marche-2023q1-share", "of: {origin: italy}", "of: {origin: italia}")
    assert_error(load_error(measures), R950, line, "marche-2023q1-share", "of.origin", "unknown place 'italia' (did you mean 'italy' (Italy)?)")


def test_a_whole_that_is_the_figures_own_cell_is_refused(measures):
    line = edit(measures, R950, "marche-2023q1-share", "of: {origin: italy}", "of: {origin: marche}")
    assert_error(load_error(measures), R950, line, "marche-2023q1-share", "of", "the whole is this figure's own cell")


def test_a_change_needs_a_value_or_a_direction(measures):
    edit(measures, R950, "marche-2023q1-without-pharma-change", "    value: 4.2\n    unit: percent\n", "")
    line = edit(measures, R950, "marche-2023q1-without-pharma-change", "  - id: ", "  - id: ")
    assert_error(load_error(measures), R950, line, "marche-2023q1-without-pharma-change", "value",
                 "a change needs a 'value' (with its 'unit') or a 'direction'")


def test_value_and_direction_must_agree(measures):
    edit(measures, R950, "marche-2023q1-change", "    unit: percent\n", "    unit: percent\n    direction: increase\n")
    line = edit(measures, R950, "marche-2023q1-change", "value: -8.3", "value: -8.3")
    assert_error(load_error(measures), R950, line, "marche-2023q1-change", "value",
                 "the direction increase needs a positive value, not -8.3")


def test_a_factor_and_its_direction_agree_above_one(measures):
    edit(measures, R950, "marche-azerbaijan-fashion-2023q1-change", "    unit: factor\n", "    unit: factor\n    direction: decrease\n")
    line = edit(measures, R950, "marche-azerbaijan-fashion-2023q1-change", "value: 2", "value: 2")
    assert_error(load_error(measures), R950, line, "marche-azerbaijan-fashion-2023q1-change", "value",
                 "the direction decrease needs a factor below 1, not 2")


def test_a_change_in_points_needs_of(measures):
    edit(measures, R950, "marche-2023q1-share-change", "    of: {origin: italy}\n", "")
    line = edit(measures, R950, "marche-2023q1-share-change", "unit: points", "unit: points")
    assert_error(load_error(measures), R950, line, "marche-2023q1-share-change", "of", "a change in points needs 'of'")


def test_the_reference_worked_out_is_checked_against_the_one_given(measures):
    line = edit(measures, R950, "marche-2023q1-change", "reference: same-period-previous-year",
                "reference: same-period-previous-year\n    reference_period: 2022-Q2") + 1
    assert_error(load_error(measures), R950, line, "marche-2023q1-change", "reference_period",
                 "the same period of the previous year is 2022-Q1, not 2022-Q2")


def test_the_previous_period_is_worked_out(measures):
    from kg.model.loader import load_corpus
    from kg.model.periods import parse_period
    from kg.rdf.vocabularies import vocabulary

    edit(measures, R950, "marche-2023q1-change-amount", "reference: same-period-previous-year", "reference: previous-period")
    release = load_corpus(measures, vocabulary()).releases[0]
    values = release.fact("marche-2023q1-change-amount").values
    assert values["reference_period"] == parse_period("2022-Q4") and values["reference_basis"] == "derived"


def test_a_change_needs_a_reference(measures):
    edit(measures, R950, "marche-2023q1-change-amount", "    reference: same-period-previous-year\n", "")
    line = edit(measures, R950, "marche-2023q1-change-amount", "  - id: ", "  - id: ")
    assert_error(load_error(measures), R950, line, "marche-2023q1-change-amount", "reference_period",
                 "missing 'reference_period'")


def test_negative_amounts_only_for_a_balance(measures):
    line = edit(measures, R950, "france-marche-2023q1-import", "amount: 180200000", "amount: -180200000")
    assert_error(load_error(measures), R950, line, "france-marche-2023q1-import", "amount",
                 "a negative amount (-180200000) is only for a balance")


def test_a_balance_may_be_negative(measures):
    from kg.model.loader import load_corpus
    from kg.rdf.vocabularies import vocabulary

    edit(measures, R950, "marche-united-states-2023q1-balance", "amount: 210400000", "amount: -210400000")
    release = load_corpus(measures, vocabulary()).releases[0]
    assert release.fact("marche-united-states-2023q1-balance").values["amount"] == Decimal("-210400000")


def test_a_precision_given_is_checked_against_the_written_figure(measures):
    line = edit(measures, R950, "marche-2023q1", "hedge: exact", "hedge: exact\n    precision: 1000") + 1
    assert_error(load_error(measures), R950, line, "marche-2023q1", "precision",
                 "the evidence states 3412600000 to 100000, not to 1000")


def test_a_hedge_other_than_exact_needs_its_words(measures):
    edit(measures, R950, "marche-germany-2023q1-turnover", '    hedge_words: "supera"\n', "")
    line = edit(measures, R950, "marche-germany-2023q1-turnover", "hedge: more-than", "hedge: more-than")
    assert_error(load_error(measures), R950, line, "marche-germany-2023q1-turnover", "hedge",
                 "a hedge other than exact needs 'hedge_words'")


def test_a_percent_change_written_as_points_is_refused(measures):
    edit(measures, R950, "marche-2023q1-share-change", "    unit: points\n    of: {origin: italy}\n", "    unit: percent\n")
    line = edit(measures, R950, "marche-2023q1-share-change", "value: -0.3", "value: -0.3")
    assert_error(load_error(measures), R950, line, "marche-2023q1-share-change", "value",
                 "the percentage -0.3 is written as percentage points in the evidence («0,3 punti»)")


def test_a_percent_change_written_as_money_is_refused(measures):
    line = edit(measures, R950, "marche-2023q1-change-amount", "unit: EUR", "unit: percent") - 1
    assert_error(load_error(measures), R950, line, "marche-2023q1-change-amount", "value",
                 "the percentage -308900000 is written as an amount of money in the evidence («308,9 milioni»)")


def test_a_level_written_as_a_percentage_is_refused(measures):
    edit(measures, R950, "marche-2023q1-without-pharma-change", "kind: change", "kind: level")
    line = edit(measures, R950, "marche-2023q1-without-pharma-change",
                "value: 4.2\n    unit: percent\n    reference: same-period-previous-year", "amount: 4.2\n    unit: EUR")
    assert_error(load_error(measures), R950, line, "marche-2023q1-without-pharma-change", "amount",
                 "the amount 4.2 is written as a percentage in the evidence («4,2%»)")


def test_the_currency_is_the_one_the_evidence_states(measures):
    line = edit(measures, R951, "marche-united-states-2023q1", "unit: USD", "unit: EUR")
    assert_error(load_error(measures), R951, line, "marche-united-states-2023q1", "unit",
                 "the unit EUR contradicts the evidence, which gives «1,1 miliardi» (amount) in USD")


def test_euro_stated_is_not_dollars(measures):
    line = edit(measures, R950, "marche-2023q1", "unit: EUR", "unit: USD")
    assert_error(load_error(measures), R950, line, "marche-2023q1", "unit", "the unit USD contradicts the evidence")


def test_a_source_names_a_data_source_fact(measures):
    line = edit(measures, R951, "marche-2023q1", "source: istat", "source: marche-united-states-2023q1")
    assert_error(load_error(measures), R951, line, "marche-2023q1", "source",
                 "fact 'marche-united-states-2023q1' is a level, expected a data-source")


def test_without_a_source_of_two_a_figure_names_none(measures):
    from kg.model.loader import load_corpus
    from kg.rdf.vocabularies import vocabulary

    edit(measures, R951, "marche-2023q1", "    source: istat\n", "")
    corpus = load_corpus(measures, vocabulary())
    assert "source" not in corpus.releases[1].fact("marche-2023q1").values
    assert corpus.releases[0].fact("marche-2023q1").values["source"] == "istat-studi"  # the only one of 950


def test_excludes_names_places_or_sectors(measures):
    line = edit(measures, R950, "marche-2023q1-without-pharma", "excludes: [pharmaceuticals]", "excludes: [pharmaceutical]")
    assert_error(load_error(measures), R950, line, "marche-2023q1-without-pharma", "excludes[0]",
                 "unknown place or sector 'pharmaceutical' (did you mean 'pharmaceuticals'?)")


def test_quotation_posts_are_post_facts(measures):
    line = edit(measures, R950, "quote-rossi", "posts: [rossi-president, rossi-vice-president]",
                "posts: [rossi-president, marche-2023q1]")
    assert_error(load_error(measures), R950, line, "quote-rossi", "posts", "fact 'marche-2023q1' is a level, expected a post")


# --------------------------------------------------------------------------- the Italian readings


@pytest.mark.parametrize("text, precision", [
    ("13.152,7 milioni di euro", "100000"),
    ("1.598,0 milioni", "100000"),  # a written zero counts
    ("2,1%", "0.1"),
    ("767 mila", "1000"),
    ("5.499.211 euro", "1"),
    ("due miliardi e mezzo", "500000000"),
    ("0,05%", "0.01"),
])
def test_the_precision_of_a_written_figure_is_one_unit_of_its_last_digit(text, precision):
    (figure,) = written_figures(text)
    assert stated_precision(figure) == Decimal(precision)


@pytest.mark.parametrize("text, value, precision", [
    ("le vendite sono raddoppiate", "2", "1"),
    ("l'export è quintuplicato", "5", "1"),
    ("il fatturato si è più che dimezzato", "0.5", "0.5"),  # a half, as "tre volte e mezzo" is stated to a half
    ("vale il doppio della media nazionale", "2", "1"),
    ("export per residente doppio della media italiana", "2", "1"),
    ("circa tre volte e mezzo il valore", "3.5", "0.5"),
    ("oltre 7 volte il valore del 2019", "7", "1"),
])
def test_multiples_read_as_factors(text, value, precision):
    ((found, stated),) = find_multiples(text)
    assert (found.value, stated) == (Decimal(value), Decimal(precision))


def test_fractions_points_in_words_and_scales_written_apart():
    assert [(f.value, p) for f, p in find_fractions("l’agroalimentare vale metà delle vendite")] == [(50, 1)]
    assert [(f.value, p) for f, p in find_fractions("oltre un quarto del totale italiano")] == [(25, 1)]
    assert [(f.value, p) for f, p in find_word_points("Torino pesa per quasi tre punti")] == [(3, 1)]
    assert scales_named("è sceso da 5.102,0 a 3.683,4 milioni di euro") == {Decimal(10) ** 6}
    assert scales_named("hanno superato i 9,1 milardi") == {Decimal(10) ** 9}  # a slip of one letter
    assert scales_named("le vendite hanno tenuto") == set()


# --------------------------------------------------------------------------- README.md, "The model"

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
MODEL = README.split("\n## The model\n", 1)[1].split("\n## ", 1)[0]
TURTLE_PREFIXES = """@base <https://example.org/kg/id/> .
@prefix kgo: <https://example.org/kg/ontology#> .
@prefix schema: <http://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#> .
"""


def test_the_readme_model_has_one_example_per_measure_and_the_data_source():
    import yaml

    kinds = [yaml.safe_load(block)[0]["kind"] for block in re.findall(r"```yaml\n(.*?)```", MODEL, re.DOTALL)]
    assert kinds == ["level", "change", "share", "rank", "ratio", "projection", "data-source"]


def test_the_readme_model_examples_are_the_tests_annotation():
    import yaml

    annotation = yaml.safe_load((MEASURES / "releases" / R950 / "annotation.yaml").read_text(encoding="utf-8"))
    facts = {f["id"]: f for f in annotation["facts"]}
    for block in re.findall(r"```yaml\n(.*?)```", MODEL, re.DOTALL):
        (example,) = yaml.safe_load(block)
        assert example == facts[example["id"]]


def test_the_readme_model_triples_are_in_the_graph(measures_graph):
    blocks = re.findall(r"```turtle\n(.*?)```", MODEL, re.DOTALL)
    assert len(blocks) == 7
    for block in blocks:
        text = TURTLE_PREFIXES + block.replace("<f/", f"<release/{R950}/fact/")
        example = Graph().parse(data=text, format="turtle")
        missing = [t for t in example if t not in measures_graph]
        assert not missing, missing


def test_a_scale_written_apart_or_misspelt_still_states_the_amount(measures):
    """«valgono 1,1 milardi di dollari» (a slip for miliardi): 1,100,000,000, stated to 100,000,000."""
    from kg.model.loader import load_corpus
    from kg.rdf.vocabularies import vocabulary

    text = measures / "releases" / R951 / "release.txt"
    text.write_text(text.read_text(encoding="utf-8").replace("1,1 miliardi", "1,1 milardi"), encoding="utf-8")
    edit(measures, R951, "marche-united-states-2023q1", "1,1 miliardi", "1,1 milardi")
    values = load_corpus(measures, vocabulary()).releases[1].fact("marche-united-states-2023q1").values
    assert (values["amount"], values["precision"]) == (Decimal("1100000000"), Decimal("100000000"))


def test_a_projection_of_about_fifteen_billion_is_a_forecast_and_only_that(measures):
    """«prevede circa 15 miliardi»: a projection hedged "about" has SDMX's status F (forecast) alone, not
    also E (estimated): a figure has one status, and the graph conforms."""
    from kg.pipeline.corpus import build

    text = measures / "releases" / R950 / "release.txt"
    said = "prevede di sfiorare i 15 miliardi"
    assert said in text.read_text(encoding="utf-8")
    text.write_text(text.read_text(encoding="utf-8").replace(said, "prevede circa 15 miliardi"), encoding="utf-8")
    edit(measures, R950, "marche-2023-projection", 'hedge: almost\n    hedge_words: "sfiorare"', 'hedge: about\n    hedge_words: "circa"')
    edit(measures, R950, "marche-2023-projection", said, "prevede circa 15 miliardi")
    result = build(measures, write=False, jobs=1, cache=False)
    assert result.report.conforms, result.report.summary()
    g = result.graph
    projection = fact("marche-2023-projection")
    assert list(g.objects(projection, OBS_STATUS)) == [FORECAST]
    assert one(g, projection, KGO.hedge) == KGO.about
    assert (projection, SCHEMA.maxValue, None) not in g and (projection, SCHEMA.minValue, None) not in g
