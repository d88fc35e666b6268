"""The extractor's first stage (kg.draft.mentions): what a person reads off one sentence, mention by mention.

The sentences are our own (their facts are fictional); each test lists the mentions of a kind as a reader
marks them: the words, and what they say."""

from decimal import Decimal

import pytest

from kg.draft.mentions import mentions
from kg.draft.places import PlaceFinder
from kg.model.periods import parse_period


@pytest.fixture(scope="module")
def places():
    return PlaceFinder()


def read(places, text, year=None):
    return mentions(text, (0, len(text)), places, year=year)


def of(found, kind):
    return [(m.text, m.value) for m in found if m.kind == kind]


def test_a_level_with_its_hedge_currency_change_and_reference(places):
    found = read(places, "Nel 2024 l'export marchigiano ha superato i 14 miliardi di euro (+3,1% sul 2023).")
    assert [m.kind for m in found] == ["period", "place", "hedge", "amount", "percent", "reference"]
    assert of(found, "period") == [("Nel 2024", parse_period("2024"))]
    assert of(found, "place") == [("marchigiano", "marche")] and found[1].demonym
    assert of(found, "hedge") == [("superato", "more-than")]
    (amount,) = [m for m in found if m.kind == "amount"]
    assert (amount.text, amount.value, amount.unit, amount.scale) == ("14 miliardi di euro", Decimal("14e9"), "EUR", Decimal("1e9"))
    (percent,) = [m for m in found if m.kind == "percent"]
    assert (percent.text, percent.value, percent.signed) == ("+3,1%", Decimal("3.1"), True)
    (reference,) = [m for m in found if m.kind == "reference"]
    assert (reference.text, reference.value, reference.detail) == ("sul 2023", parse_period("2023"), "named")
    assert [m.start for m in found] == sorted(m.start for m in found)


def test_dollars_a_misspelt_scale_and_an_amount_in_words(places):
    found = read(places, "Le vendite verso gli Stati Uniti valgono circa 10,6 miliardi di dollari, contro i 9,1 milardi "
                         "del 2023 e i due miliardi e mezzo della Cina.")
    amounts = [(m.text, m.value, m.unit, m.scale) for m in found if m.kind == "amount"]
    assert amounts == [("10,6 miliardi", Decimal("10.6e9"), "USD", Decimal("1e9")),
                       ("9,1 milardi", Decimal("9.1e9"), None, Decimal("1e9")),
                       ("due miliardi e mezzo", Decimal("2.5e9"), None, Decimal("1e9"))]
    dollars = next(m for m in found if m.kind == "amount")
    assert found[0].text == "Stati Uniti" and dollars.unit_end is not None
    assert of(found, "place") == [("Stati Uniti", "united-states"), ("Cina", "china")]
    assert of(found, "hedge") == [("circa", "about")]


def test_da_x_a_y_reads_the_first_figure_at_the_scale_of_the_second(places):
    found = read(places, "L'export marchigiano è sceso da 5.102,0 a 3.683,4 milioni nel 2023.")
    amounts = [(m.text, m.value, m.detail) for m in found if m.kind == "amount"]
    assert amounts == [("5.102,0", Decimal("5102e6"), "from"), ("3.683,4 milioni", Decimal("3683.4e6"), "")]
    assert of(found, "place") == [("marchigiano", "marche")]
    assert of(found, "period") == [("nel 2023", parse_period("2023"))]


def test_percentages_points_and_multiples(places):
    found = read(places, "Le esportazioni sono più che raddoppiate, mentre la quota perde 1,5 punti percentuali "
                         "e il calo è del 4,2 per cento; le vendite di vino sono dimezzate (-55,5%).")
    assert of(found, "multiple") == [("raddoppiate", Decimal(2)), ("dimezzate", Decimal("0.5"))]
    assert of(found, "points") == [("1,5 punti percentuali", Decimal("1.5"))]
    assert of(found, "percent") == [("4,2 per cento", Decimal("4.2")), ("-55,5%", Decimal("-55.5"))]
    assert [m.signed for m in found if m.kind == "percent"] == [False, True]
    assert of(found, "sector") == [("vino", "11")]


def test_places_groups_demonyms_and_the_words_of_context(places):
    found = read(places, "Ancona +23,4%, Pesaro +18,2% e i Paesi del Golfo -4%: l'export regionale verso il Mezzogiorno "
                         "e le vendite picene tengono.")
    assert [(text, place) for text, place in of(found, "place") if text != "regionale"] == [
        ("Ancona", "ancona-province"), ("Pesaro", "pesaro"), ("picene", "ascoli-piceno-province")]
    assert of(found, "group") == [("Paesi del Golfo", "gcc"), ("Mezzogiorno", "mezzogiorno")]
    regional = next(m for m in found if m.text == "regionale")
    assert regional.detail == "context"
    assert [m.demonym for m in found if m.kind == "place"] == [False, False, False, True]
    assert of(found, "percent") == [("+23,4%", Decimal("23.4")), ("+18,2%", Decimal("18.2")), ("-4%", Decimal(-4))]


def test_periods_and_the_periods_of_references_are_apart(places):
    found = read(places, "Nei primi nove mesi del 2025 le vendite crescono del 2,1% rispetto allo stesso periodo "
                         "dell'anno precedente e del 6,2% sul trimestre precedente; nel terzo trimestre tengono.", year=2025)
    assert of(found, "period") == [("primi nove mesi del 2025", parse_period("2025-01/2025-09")),
                                   ("terzo trimestre", parse_period("2025-Q3"))]
    # the quarter is named without its year: read in the year of the context
    assert [m.implied for m in found if m.kind == "period"] == [False, True]
    assert [(m.text, m.value, m.detail) for m in found if m.kind == "reference"] == [
        ("stesso periodo dell'anno precedente", None, "same-period"), ("sul trimestre precedente", None, "previous-period")]
    found = read(places, "Il fatturato è superiore ai livelli del 2019 e cresce rispetto al primo semestre 2024.")
    assert [(m.text, m.value) for m in found if m.kind == "reference"] == [
        ("superiore ai livelli del 2019", parse_period("2019")), ("rispetto al primo semestre 2024", parse_period("2024-H1"))]
    assert of(found, "period") == []


def test_sectors_are_the_gazetteer_s_italian_names_and_aliases(places):
    found = read(places, "Per settori: moda 1,2 miliardi, calzature 800 milioni, macchinari e apparecchiature industriali "
                         "2,3 miliardi e farmaceutica in calo.")
    assert of(found, "sector") == [("moda", "fashion"), ("calzature", "15"),
                                   ("macchinari e apparecchiature industriali", "machinery"), ("farmaceutica", "pharmaceuticals")]
    # the words name a release sector and the Istat division the gazetteer's word table maps them to
    moda = next(m for m in found if m.text == "moda")
    assert (moda.ids, moda.codes) == (("fashion", "CB"), ("CB",))


def test_hedges_each_where_it_is_written(places):
    found = read(places, "Sfiorano i 3 miliardi le vendite, oltre il 12% in più, poco meno di 400 milioni all'estero, "
                         "si attestano sui 95 milioni secondo i dati sui mercati.")
    assert of(found, "hedge") == [("Sfiorano", "almost"), ("oltre", "more-than"), ("poco meno di", "less-than"), ("sui", "about")]


def test_the_hedge_before_a_figure_is_its_own_only(places):
    from kg.draft.mentions import hedge_before

    text = "Le vendite sono scese da oltre 5 miliardi agli attuali 730,1 milioni."
    found = read(places, text)
    first, second = [m for m in found if m.kind == "amount"]
    assert hedge_before(found, first.start).text == "oltre"
    # within the words since the amount before, 730,1 milioni has no hedge: "oltre" is the 5 miliardi's
    assert hedge_before(found, second.start, window=second.start - first.end) is None
