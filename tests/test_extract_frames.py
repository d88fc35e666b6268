"""The extractor's second stage (kg.draft.frames): which mentions of a sentence belong to one figure.

Our own sentences (fictional figures); each test lists the frames a reader sees: the words of each figure
and what each of its mentions is to it."""

import pytest

from kg.draft.frames import frames
from kg.draft.mentions import mentions
from kg.draft.places import PlaceFinder


@pytest.fixture(scope="module")
def places():
    return PlaceFinder()


def read(places, text, kind=None):
    found = frames(text, (0, len(text)), mentions(text, (0, len(text)), places))
    return [(text[f.start:f.end], [(role, m.text) for role, m in f.roles]) for f in found if kind is None or f.kind == kind]


def test_a_level_with_its_change_in_brackets_or_after_a_comma(places):
    text = "Nel 2024 l'export della provincia ha raggiunto 384,5 milioni di euro (+0,6%), le importazioni 120,5 milioni, -9,2%."
    assert read(places, text) == [
        ("384,5 milioni di euro (+0,6%)", [("level", "384,5 milioni di euro"), ("change", "+0,6%")]),
        ("120,5 milioni, -9,2%", [("level", "120,5 milioni"), ("change", "-9,2%")])]


def test_a_percentage_of_another_clause_is_not_a_level_s_change(places):
    # "pari al 7,9%" is a share, after a level but not its change: no sign, no bracket
    assert read(places, "Le vendite toccano 84,0 miliardi, pari al 7,9% del totale.") == []


def test_the_rows_of_a_colon_list_of_sectors(places):
    text = "Per settori: tessile 1,2 miliardi (+3%), meccanica 800 milioni (-2,1%) e farmaceutica circa 2,3 miliardi."
    assert read(places, text) == [
        ("tessile 1,2 miliardi (+3%)", [("sector", "tessile"), ("level", "1,2 miliardi"), ("change", "+3%")]),
        ("meccanica 800 milioni (-2,1%)", [("sector", "meccanica"), ("level", "800 milioni"), ("change", "-2,1%")]),
        ("farmaceutica circa 2,3 miliardi", [("sector", "farmaceutica"), ("hedge", "circa"), ("level", "2,3 miliardi")])]


def test_a_list_of_places_each_with_its_change(places):
    text = "Crescono quasi tutte le province: Ancona +23,4%, Pesaro +18,2% e Macerata (-1,1%)."
    assert read(places, text) == [
        ("Ancona +23,4%", [("place", "Ancona"), ("change", "+23,4%")]),
        ("Pesaro +18,2%", [("place", "Pesaro"), ("change", "+18,2%")]),
        ("Macerata (-1,1%)", [("place", "Macerata"), ("change", "-1,1%")])]


def test_a_market_with_its_level_and_change(places):
    text = "Seguono la Germania 1,2 miliardi (+3,4%) e la Francia con 900 milioni."
    assert read(places, text, "list") == [
        ("Germania 1,2 miliardi (+3,4%)", [("place", "Germania"), ("level", "1,2 miliardi"), ("change", "+3,4%")])]
    # a place and an unsigned percentage in words of their own are no list: "la Francia cresce del 2%"
    assert read(places, "La Francia cresce del 2%.") == []
    # written right after its place, a percentage is the place's change, signed or not
    assert read(places, "Crescono Germania 5,0% e Spagna 2,1%.") == [
        ("Germania 5,0%", [("place", "Germania"), ("change", "5,0%")]), ("Spagna 2,1%", [("place", "Spagna"), ("change", "2,1%")])]


def test_da_x_a_y_each_figure_with_its_own_hedge_and_period(places):
    assert read(places, "Le vendite sono scese da oltre 5 miliardi agli attuali 730,1 milioni.") == [
        ("da oltre 5 miliardi agli attuali 730,1 milioni", [("from-hedge", "oltre"), ("from", "5 miliardi"), ("to", "730,1 milioni")])]
    assert read(places, "La quota è salita dal 24,6% del 2019 al 25,9%, l'export da 5.102,0 a 3.683,4 milioni.") == [
        ("dal 24,6% del 2019 al 25,9%", [("from", "24,6%"), ("from-period", "del 2019"), ("to", "25,9%")]),
        ("da 5.102,0 a 3.683,4 milioni", [("from", "5.102,0"), ("to", "3.683,4 milioni")])]
