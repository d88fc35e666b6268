"""What one sentence hands to the next (kg.draft.carry.Carried): each named rule on its own, then on sentences of
our own (fictional figures) whose figures name no period or origin of their own."""

from decimal import Decimal

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


def changes(text):
    draft = extract(text, "x")
    settle(draft, text)
    return [(f["value"], f["origin"], f["period"]) for f in draft.facts if f["kind"] == "change"]


def test_a_period_named_only_in_the_headline_is_the_body_s():
    text = ("Export molisano, i conti del 2° trimestre 2024\n"
            "CAMPOBASSO, 12 settembre 2024 – Le vendite all'estero del Molise scendono a 410 milioni di euro (-3,1%).")
    assert levels(text) == [(Decimal("410000000"), "molise", "2024-Q2")]


def test_a_lead_without_figures_names_the_period_of_the_figures_after_it():
    text = ("Esportazioni abruzzesi, i dati del III trimestre 2023\n\n"
            "Il valore delle esportazioni abruzzesi cala a 2,6 miliardi di euro. Chieti segna -4,2%.")
    assert levels(text) == [(Decimal("2600000000"), "abruzzo", "2023-Q3")]
    assert changes(text) == [(Decimal("-4.2"), "chieti-province", "2023-Q3")]


def test_a_period_without_its_year_is_the_last_such_period_over_when_the_release_was_published():
    # published in February: its "quarto trimestre" is the year before's; "lo scorso anno" too
    text = ("Potenza, 20 febbraio 2025 – Nel quarto trimestre la Basilicata ha esportato beni per 800 milioni di euro. "
            "Lo scorso anno le esportazioni lucane hanno raggiunto 3,3 miliardi di euro.")
    assert levels(text) == [(Decimal("800000000"), "basilicata", "2024-Q4"), (Decimal("3300000000"), "basilicata", "2024")]


def test_a_text_that_names_no_period_gets_the_last_whole_year_before_its_date_for_review():
    text = "Cagliari, 3 marzo 2025 – Le esportazioni della Sardegna hanno raggiunto 7,1 miliardi di euro."
    draft = extract(text, "x")
    settle(draft, text)
    (level,) = [f for f in draft.facts if f["kind"] == "level"]
    assert (level["period"], level["period_basis"]) == ("2024", "implied")  # not 2025, the dateline's year
    assert "the last whole year before the release's date is assumed" in level["review"]


def test_a_lead_without_figures_names_the_place_of_the_figures_after_it():
    text = ("L'export in Abruzzo accelera\n\n"
            "L’export in Abruzzo cresce più che nel resto d’Italia. Nel primo trimestre 2024 il valore delle vendite "
            "all’estero ha raggiunto 2,6 miliardi di euro.")
    assert levels(text) == [(Decimal("2600000000"), "abruzzo", "2024-Q1")]


def test_an_aside_of_the_headline_does_not_take_the_release_s_period_from_the_body():
    text = ("Frenata nel primo semestre 2024, ma corrono mobili e tessile\n\n"
            "Nel 2023 il Molise ha esportato 2,1 miliardi di euro. La quota sul totale nazionale è dello 0,4%.")
    assert levels(text) == [(Decimal("2100000000"), "molise", "2023")]
    draft = extract(text, "x")
    settle(draft, text)
    (share,) = [f for f in draft.facts if f["kind"] == "share"]
    assert (share["origin"], share["period"], share["percent"], share["of"]) == ("molise", "2023", Decimal("0.4"),
                                                                                   {"origin": "italy"})


def test_a_period_without_its_year_takes_the_year_named_before_it_in_its_sentence():
    text = ("Trento, 3 marzo 2025 – L'anno passato il Trentino ha esportato 4,1 miliardi di euro. L'aumento è proseguito "
            "nel secondo trimestre del 2024: tra aprile e giugno il Trentino ha venduto circa 1,2 miliardi di euro.")
    assert levels(text) == [(Decimal("4100000000"), "trento-province", "2024"),
                            (Decimal("1200000000"), "trento-province", "2024-Q2")]
