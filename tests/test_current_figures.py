"""Which figure of a measure is current (kgo:CurrentFigure): the rule the build applies, case by case.

Two releases about the same cell, as an analyst reads them: a provisional figure published later does not
replace a final one; between two figures with no status, the later release's is current; on the same day,
the release with the later id; within one release, the more precise wording ("1.234,5 milioni" over
"1,2 miliardi"); and a change in per cent and a change in euro on the same cell are two measures, each with
its current figure.
"""

from __future__ import annotations

from kg.rdf.builder import FigureKey, current_figures

CELL = "https://example.org/kg/id/cell/export/marche/world/2024"
LEVEL_EUR = f"{CELL} level kgo:unit http://publications.europa.eu/resource/authority/currency/EUR"


def key(figure, status="", published="2025-03-01", release="r1", precision="1", fact="f", measure=LEVEL_EUR):
    return FigureKey(figure, measure, status, published, release, precision, fact)


def test_a_final_figure_stays_current_when_a_later_release_gives_a_provisional_one():
    assert current_figures([key("final", "final", "2025-03-01"), key("later", "provisional", "2025-06-01")]) == ["final"]


def test_a_revised_figure_comes_after_a_final_one_and_before_an_unmarked_one():
    assert current_figures([key("revised", "revised", "2025-06-01"), key("final", "final", "2025-03-01")]) == ["final"]
    assert current_figures([key("unmarked", "", "2025-06-01"), key("revised", "revised", "2025-03-01")]) == ["revised"]


def test_between_two_unmarked_figures_the_later_release_is_current():
    assert current_figures([key("march", published="2025-03-01"), key("june", published="2025-06-01")]) == ["june"]


def test_on_the_same_day_the_release_with_the_later_id_is_current():
    assert current_figures([key("a", release="0757_a"), key("b", release="0758_b")]) == ["b"]


def test_within_a_release_the_more_precise_figure_is_current():
    # "1,2 miliardi" (precision 100 million) and "1.234,5 milioni" (precision 100,000)
    assert current_figures([key("rounded", precision="100000000"), key("precise", precision="100000")]) == ["precise"]


def test_a_figure_without_a_stated_precision_comes_after_one_with_it():
    assert current_figures([key("none", precision=""), key("stated", precision="1000000")]) == ["stated"]


def test_last_the_first_fact_id_is_current():
    assert current_figures([key("second", fact="marche-2024-b"), key("first", fact="marche-2024-a")]) == ["first"]
    # a fact id before a longer one it begins
    assert current_figures([key("long", fact="marche-2024-x"), key("short", fact="marche-2024")]) == ["short"]


def test_a_change_in_per_cent_and_a_change_in_euro_are_two_measures_each_with_its_current_figure():
    percent = f"{CELL} change kgo:unit percent kgo:referencePeriod 2023"
    euro = f"{CELL} change kgo:unit EUR kgo:referencePeriod 2023"
    figures = [key("plus-8-3-percent", measure=percent), key("plus-1-1-billion", measure=euro),
               key("older-percent", measure=percent, published="2024-01-01")]
    assert current_figures(figures) == ["plus-1-1-billion", "plus-8-3-percent"]
