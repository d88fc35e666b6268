"""Datelines, people in posts and quotations with their speakers, as `kg extract` drafts them.

Every text here is written for the test; the expected values are what a person reads off it.
"""

from datetime import date

import pytest

from kg.model.italian import find_dateline

# --------------------------------------------------------------------------- datelines


@pytest.mark.parametrize("text,published,place,evidence", [
    # a town and a date with its year, at the head of the body
    ("Vino in crescita\nTrento, 4 aprile 2025 – Le cantine trentine hanno venduto di più.", date(2025, 4, 4), "Trento",
     "Trento, 4 aprile 2025"),
    # an abbreviated month and a weekday
    ("Vino in crescita\nTrento, venerdì 4 apr. 2025 – Le cantine hanno venduto di più.", date(2025, 4, 4), "Trento",
     "Trento, venerdì 4 apr. 2025"),
    # the day in words
    ("Vino in crescita\nTrento, quattro aprile 2025 – Le cantine hanno venduto di più.", date(2025, 4, 4), "Trento",
     "Trento, quattro aprile 2025"),
    # a date in digits
    ("Vino in crescita\nTrento, 4/4/2025 – Le cantine hanno venduto di più.", date(2025, 4, 4), "Trento", "Trento, 4/4/2025"),
])
def test_a_dateline_with_its_year(text, published, place, evidence):
    found = find_dateline(text)
    assert (found.value, found.kind, found.text, found.basis) == (published, place, evidence, "stated")
    assert found.body == text.index(place)


def test_an_agency_dateline_without_a_year_takes_the_first_such_day_after_the_data():
    # the data end in June 2025 (first half): 9 October is that of 2025
    text = ("Vino, semestre positivo\n(ANSA) - TRENTO, 9 OTT - Nel primo semestre del 2025 le cantine trentine hanno "
            "esportato vino per 310 milioni.")
    found = find_dateline(text)
    assert (found.value, found.kind, found.text, found.basis) == (date(2025, 10, 9), "TRENTO", "TRENTO, 9 OTT", "implied")
    # the data are the whole of 2024: 12 February is that of 2025, after them
    text = "Vino, un anno positivo\n(AGI) - Trento, 12 feb. - Nel 2024 le cantine trentine hanno esportato di più."
    assert find_dateline(text).value == date(2025, 2, 12)


def test_a_town_in_capitals_takes_its_date_from_a_closing_line():
    text = ("Vino in crescita\nTRENTO – Le cantine trentine hanno venduto all’estero per 310 milioni nel 2024.\n"
            "Notiziario Vino Trentino, 3 marzo 2025")
    found = find_dateline(text)
    assert (found.value, found.kind, found.text) == (date(2025, 3, 3), "TRENTO", "Notiziario Vino Trentino, 3 marzo 2025")
    assert found.body == text.index("TRENTO")


def test_a_release_dated_only_by_its_publication_line_names_no_place():
    text = ("Vino in crescita\nLe cantine trentine hanno venduto all’estero per 310 milioni nel 2024.\n"
            "Pubblicato il 3 marzo 2025 – Ufficio stampa del Consorzio")
    found = find_dateline(text)
    assert (found.value, found.kind, found.text) == (date(2025, 3, 3), "", "Pubblicato il 3 marzo 2025")
    assert found.body == text.index("Le cantine")  # the line after the headline


def test_no_dateline_when_no_date_is_stated_or_the_day_is_not_in_the_calendar():
    assert find_dateline("Vino in crescita\nTRENTO – Le cantine hanno venduto di più.") is None
    assert find_dateline("Vino in crescita\nTrento, 30 febbraio 2025 – Le cantine hanno venduto di più.") is None


def test_a_headline_with_a_place_and_a_comma_is_not_the_dateline():
    text = "Trentino, export di vino a 310 milioni\nTrento, 4 aprile 2025 – Le cantine hanno venduto di più."
    assert find_dateline(text).text == "Trento, 4 aprile 2025"
