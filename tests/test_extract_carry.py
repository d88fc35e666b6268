"""What one sentence hands to the next (kg.draft.carry.Carried): each named rule on its own, then on sentences of
our own (fictional figures) whose figures name no period or origin of their own."""

from kg.draft.carry import Carried
from kg.draft.extract import extract, settle
from kg.model.periods import parse_period


def test_the_first_period_named_is_the_release_s_and_a_past_one_is_not_carried():
    carried = Carried()
    carried.period_named(parse_period("2025-H1"))
    assert (carried.period, carried.release_period) == ("2025-H1", "2025-H1")
    carried.period_named(parse_period("2024-H1"))  # "a fronte dei 28,4 miliardi del primo semestre 2024"
    assert (carried.period, carried.release_period) == ("2025-H1", "2025-H1")
    assert carried.seen_periods == [parse_period("2025-H1"), parse_period("2024-H1")]
    assert carried.context_year() == 2025


def test_a_part_of_the_release_s_period_is_its_sentence_s_only():
    carried = Carried(period="2024-Q3", release_period="2024")
    carried.next_sentence()
    assert carried.period == "2024"


def test_the_headline_is_about_the_release_s_period():
    carried = Carried(period="2023", release_period="2024")
    carried.next_sentence(headline=True)
    assert carried.period == "2024"


def test_a_place_named_in_a_sentence_before_gives_way_to_the_release_s_subject():
    carried = Carried(origin="ancona-province", subject_origin="marche")
    carried.next_sentence()
    assert carried.origin == "marche"


def test_the_first_figure_s_market_is_the_subject_s_until_another_market_is_named():
    def same(a, b):
        return a == b

    carried = Carried()
    carried.figure_drafted("marche", "marche", "united-states", "united-states", True, same)
    assert (carried.subject_origin, carried.subject_destination) == ("marche", "united-states")
    carried.next_sentence()
    assert carried.destination == "united-states"
    carried.figure_drafted(None, "marche", "china", "china", True, same)
    assert carried.subject_destination is None
    carried.next_sentence()
    assert (carried.origin, carried.destination) == ("marche", None)


def test_an_import_level_does_not_make_the_subject():
    carried = Carried()
    carried.figure_drafted(None, "germany", None, "marche", False, lambda a, b: a == b)
    assert carried.subject_origin is None


def levels(text):
    draft = extract(text, "x")
    settle(draft, text)  # as kg extract writes it: a fact the loader refuses is left out
    return [(f["amount"], f["origin"], f["period"]) for f in draft.facts if f["kind"] == "level"]


def test_on_sentences_the_period_and_origin_carried_and_the_past_period_left():
    from decimal import Decimal

    text = ("Titolo\nFirenze, 3 settembre 2025 – Nel primo semestre 2025 le esportazioni della Toscana hanno raggiunto "
            "30,1 miliardi di euro, a fronte dei 28,4 miliardi del primo semestre 2024. Le vendite di macchinari valgono "
            "4,2 miliardi.\nUfficio Stampa Confindustria Toscana")
    # read off the text: 30,1 miliardi of Tuscany in 2025-H1; 28,4 miliardi in 2024-H1; 4,2 miliardi named with no
    # period or place of its own: the release's, Tuscany in 2025-H1 (not the past half-year named before it)
    assert levels(text) == [(Decimal("30.1e9"), "toscana", "2025-H1"), (Decimal("28.4e9"), "toscana", "2024-H1"),
                            (Decimal("4.2e9"), "toscana", "2025-H1")]
