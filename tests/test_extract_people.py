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
    # "sett." is September (dateparser knows "set"), not three weeks ("3 sett" read as a relative date)
    text = "Vino, semestre positivo\n(ANSA) - TRENTO, 3 sett. - Nel primo semestre del 2025 le cantine hanno venduto di più."
    assert find_dateline(text).value == date(2025, 9, 3)


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


def test_a_dateline_after_subtitles_and_with_a_full_stop_before_its_dash():
    text = ("Vino in crescita\nLe cantine trentine vendono di più\nBene la Germania, meno gli Stati Uniti\n"
            "Trento, 4 aprile 2025. – Le cantine hanno venduto di più nel 2024.")
    found = find_dateline(text)
    assert (found.value, found.kind, found.text) == (date(2025, 4, 4), "Trento", "Trento, 4 aprile 2025")


def test_a_headline_with_a_place_and_a_comma_is_not_the_dateline():
    text = "Trentino, export di vino a 310 milioni\nTrento, 4 aprile 2025 – Le cantine hanno venduto di più."
    assert find_dateline(text).text == "Trento, 4 aprile 2025"


# --------------------------------------------------------------------------- people in posts and quotations

REGISTRY = """\
organizations:
  - {id: consorzio-vini, name: Consorzio Vini Dolomitici, kind: association}
  - {id: camera-trento, name: Camera di Commercio di Trento, kind: government}
people:
  - {id: luca-moser, name: Luca Moser}
roles:
  - {id: president, it: presidente, en: president}
  - {id: director, it: direttore, en: director}
  - {id: secretary-general, it: segretario generale, en: secretary-general}
"""
HEAD = "Vino trentino in crescita\nTrento, 4 aprile 2025 – Nel 2024 le cantine trentine hanno esportato vino per 310 milioni di euro.\n"


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    from kg.model.loader import load_registry
    from kg.rdf.vocabularies import Ontology

    folder = tmp_path_factory.mktemp("registry")
    (folder / "registry.yaml").write_text(REGISTRY, encoding="utf-8")
    return load_registry(folder, Ontology().vocabulary(folder))


def draft_of(body: str, registry=None):
    from kg.draft.extract import extract

    return extract(HEAD + body, "x", registry)


def people_facts(draft, kind: str) -> list[dict]:
    return [f for f in draft.facts if f["kind"] == kind]


def test_a_post_stated_name_first(registry):
    draft = draft_of("Lo ha ricordato Luca Moser, presidente del Consorzio Vini Dolomitici, in conferenza stampa.", registry)
    (post,) = people_facts(draft, "post")
    assert (post["person"], post["role"], post["organization"]) == ("luca-moser", "president", "consorzio-vini")
    assert post["evidence"] == "Luca Moser, presidente del Consorzio Vini Dolomitici"


def test_a_post_stated_role_first_with_and_without_a_comma(registry):
    draft = draft_of("Ha aperto i lavori il presidente del Consorzio Vini Dolomitici, Luca Moser. Ha chiuso la "
                     "segretaria generale della Camera di Commercio di Trento Anna Dallapiccola.", registry)
    posts = {(f["person"], f["role"], f["organization"], f["evidence"]) for f in people_facts(draft, "post")}
    assert posts == {("luca-moser", "president", "consorzio-vini", "il presidente del Consorzio Vini Dolomitici, Luca Moser"),
                     ("anna-dallapiccola", "secretary-general", "camera-trento",
                      "la segretaria generale della Camera di Commercio di Trento Anna Dallapiccola")}


@pytest.mark.parametrize("body,evidence", [
    ("Era presente Luca\nMoser, presidente del Consorzio Vini Dolomitici, alla fiera.",
     "Luca\nMoser, presidente del Consorzio Vini Dolomitici"),
    ("Ha aperto i lavori il presidente del Consorzio Vini Dolomitici, Luca\nMoser.",
     "il presidente del Consorzio Vini Dolomitici, Luca\nMoser"),
])
def test_a_registry_name_broken_over_two_lines_is_the_person(registry, body, evidence):
    # a text wrapped at a fixed width breaks "Luca Moser" over two lines: still the registry's Luca Moser
    draft = draft_of(body, registry)
    (post,) = people_facts(draft, "post")
    assert (post["person"], post["role"], post["organization"], post["evidence"]) == (
        "luca-moser", "president", "consorzio-vini", evidence)
    assert "people" not in draft.additions


def test_two_posts_of_one_person(registry):
    draft = draft_of("Era presente Luca Moser, presidente del Consorzio Vini Dolomitici e direttore della Camera di "
                     "Commercio di Trento.", registry)
    posts = {(f["role"], f["organization"]) for f in people_facts(draft, "post")}
    assert posts == {("president", "consorzio-vini"), ("director", "camera-trento")}


def test_a_name_at_the_end_of_an_organisation_is_not_a_person():
    # no registry: "del Consorzio Vini Dolomitici, Carla Fedrizzi" is one organisation and one person
    draft = draft_of("Ha parlato il direttore del Consorzio Vini Dolomitici, Carla Fedrizzi.")
    (post,) = people_facts(draft, "post")
    assert draft.additions["people"][post["person"]]["name"] == "Carla Fedrizzi"
    assert draft.additions["organizations"][post["organization"]]["name"] == "Consorzio Vini Dolomitici"


def test_a_regional_role_is_in_the_government_of_the_region():
    draft = draft_of("Ha parlato l’assessora regionale all’Agricoltura Giulia Pedrotti.")
    (post,) = people_facts(draft, "post")
    # Trento is in Trentino-Alto Adige, the only region the text leads to
    assert draft.additions["organizations"][post["organization"]]["name"] == "Regione Trentino-Alto Adige"
    assert draft.additions["people"][post["person"]]["name"] == "Giulia Pedrotti"
    assert "review" in post


def test_a_quotation_interrupted_by_its_attribution_between_dashes(registry):
    draft = draft_of("“Il mercato tedesco resta il primo – afferma Luca Moser, presidente del Consorzio Vini Dolomitici –. "
                     "Ora serve più promozione negli Stati Uniti”.", registry)
    (quote,) = people_facts(draft, "quotation")
    assert quote["speaker"] == "luca-moser"
    assert quote["evidence"] == ["Il mercato tedesco resta il primo", "Ora serve più promozione negli Stati Uniti"]
    (post,) = people_facts(draft, "post")
    assert quote["posts"] == [post["id"]]


def test_two_quoted_parts_around_one_attribution_are_one_quotation(registry):
    draft = draft_of('"Le vendite in Germania tengono bene", dice Luca Moser, presidente del Consorzio Vini Dolomitici. '
                     '"Negli Stati Uniti invece dobbiamo ancora crescere".', registry)
    (quote,) = people_facts(draft, "quotation")
    assert quote["evidence"] == ["Le vendite in Germania tengono bene", "Negli Stati Uniti invece dobbiamo ancora crescere"]
    assert quote["speaker"] == "luca-moser"


def test_an_attribution_before_the_quotation(registry):
    draft = draft_of("Il presidente del Consorzio Vini Dolomitici, Luca Moser, commenta: «Un anno difficile, ma le "
                     "cantine hanno tenuto».", registry)
    (quote,) = people_facts(draft, "quotation")
    assert (quote["speaker"], quote["evidence"]) == ("luca-moser", ["Un anno difficile, ma le cantine hanno tenuto"])


@pytest.mark.parametrize("after", ["Così Luca Moser, presidente del Consorzio Vini Dolomitici.",
                                   "Sono le parole di Luca Moser, presidente del Consorzio Vini Dolomitici.",
                                   "Lo ha detto Luca Moser, presidente del Consorzio Vini Dolomitici, in conferenza stampa."])
def test_an_attribution_in_the_next_sentence(registry, after):
    draft = draft_of(f"«Le nostre cantine sono piccole ma sanno vendere in tutto il mondo». {after}", registry)
    (quote,) = people_facts(draft, "quotation")
    assert quote["speaker"] == "luca-moser" and len(quote["posts"]) == 1


def test_secondo_and_a_speaker_whose_post_is_stated_elsewhere():
    draft = draft_of("Ha aperto i lavori il direttore del Consorzio Vini Dolomitici, Carla Fedrizzi.\n"
                     "Secondo Carla Fedrizzi, \"il 2025 sarà un anno di consolidamento per tutto il comparto\".")
    (quote,) = people_facts(draft, "quotation")
    (post,) = people_facts(draft, "post")
    assert quote["speaker"] == post["person"] == "carla-fedrizzi" and quote["posts"] == [post["id"]]


def test_quoted_words_without_an_attribution_are_not_a_quotation():
    draft = draft_of("Il progetto “Vino in Tour” porterà le cantine in dieci fiere.")
    assert people_facts(draft, "quotation") == []


def test_people_organisations_and_roles_the_registry_lacks_are_drafted_as_registry_entries_that_load(tmp_path):
    import yaml

    from kg.model.loader import load_registry
    from kg.rdf.vocabularies import Ontology

    draft = draft_of("«Le esportazioni crescono anche verso l’Asia – spiega Marco Zanon, portavoce di Confcommercio "
                     "Trentino –. Serve però più credito».")
    (quote,) = people_facts(draft, "quotation")
    (post,) = people_facts(draft, "post")
    assert quote["speaker"] == post["person"] == "marco-zanon" and post["organization"] == "confcommercio-trentino"
    assert post["role"] == "spokesperson"
    # people and organisations say in their source that they are drafted, for review; a role has no such field,
    # the draft's notes say it
    assert all("review" in entry["source"] for section in ("people", "organizations") for entry in draft.additions[section].values())
    assert any("spokesperson" in note and "review" in note for note in draft.notes)
    registry = {section: list(entries.values()) for section, entries in draft.additions.items()}
    (tmp_path / "registry.yaml").write_text(yaml.safe_dump(registry, allow_unicode=True), encoding="utf-8")
    loaded = load_registry(tmp_path, Ontology().vocabulary(tmp_path))
    assert loaded.people["marco-zanon"]["name"] == "Marco Zanon"
    assert loaded.organizations["confcommercio-trentino"]["kind"] == "association"
    assert loaded.roles["spokesperson"]["en"] == "spokesperson"


def test_per_before_a_quotation_and_a_speaker_named_again_by_surname():
    draft = draft_of("Per il presidente della Camera di commercio di Trento, Mario Bianchi, «il vino resta la prima voce "
                     "dell’export provinciale».\n«Ora servono più fiere», ha concluso Bianchi.")
    quotes = people_facts(draft, "quotation")
    assert [q["speaker"] for q in quotes] == ["mario-bianchi", "mario-bianchi"]
    (post,) = people_facts(draft, "post")
    assert draft.additions["organizations"][post["organization"]]["name"] == "Camera di commercio di Trento"


def test_a_mayor_is_in_the_town_council_and_a_national_president_is_a_president():
    draft = draft_of("Erano presenti il sindaco di Rovereto, Paolo D’Amico, e Fabio Zeni, presidente nazionale di Assoenologi.")
    posts = {(draft.additions["people"][f["person"]]["name"], f["role"], draft.additions["organizations"][f["organization"]]["name"])
             for f in people_facts(draft, "post")}
    assert posts == {("Paolo D’Amico", "mayor", "Comune di Rovereto"), ("Fabio Zeni", "president", "Assoenologi")}


def test_a_person_added_to_the_registry_between_two_texts_keeps_the_id_drafted_for_the_first(registry):
    # a folder's drafts are made one after the other, each text's additions added to the registry before the next
    first = draft_of("Ha parlato Sara Pojer, direttrice del Consorzio Vini Dolomitici.", registry)
    registry.people.update(first.additions["people"])
    try:
        second = draft_of("«Il vino trentino cresce in tutti i mercati europei», ha detto Sara Pojer.", registry)
        (quote,) = people_facts(second, "quotation")
        assert quote["speaker"] == "sara-pojer" and "people" not in second.additions
    finally:
        del registry.people["sara-pojer"]


@pytest.mark.parametrize("body,attribution", [
    ("Secondo Carla Fedrizzi, \"il prossimo anno le cantine venderanno di più in Asia\".", "Secondo Carla Fedrizzi"),
    ("Il direttore Paolo Rossi parla di un anno buono. Le fa eco Carla Fedrizzi: «Le cantine hanno tenuto bene anche "
     "quest’anno».", "Le fa eco Carla Fedrizzi"),
    ("Carla Fedrizzi aggiunge: \"Le cantine hanno tenuto bene anche quest’anno\".", "Carla Fedrizzi aggiunge"),
])
def test_attributions_before_a_quotation_secondo_fa_eco_aggiunge(body, attribution):
    draft = draft_of(body)
    (quote,) = people_facts(draft, "quotation")
    assert (draft.additions["people"][quote["speaker"]]["name"], quote["attribution"]) == ("Carla Fedrizzi", attribution)


def test_the_president_of_the_association_is_of_the_association_named_before():
    draft = draft_of("L’Associazione Vignaioli Trentini ha presentato i dati. Il presidente dell’associazione, Carla "
                     "Fedrizzi, si dice soddisfatta.")
    (post,) = people_facts(draft, "post")
    assert draft.additions["people"][post["person"]]["name"] == "Carla Fedrizzi"
    assert draft.additions["organizations"][post["organization"]]["name"] == "Associazione Vignaioli Trentini"
    assert post["role"] == "president"


def test_a_provincial_councillor_and_a_second_post_in_the_regional_government():
    draft = draft_of("Ha parlato Paolo Rossi, assessore provinciale allo Sviluppo economico, che è anche vicepresidente "
                     "della Giunta regionale.")
    posts = {(f["role"].split("-")[0], draft.additions["organizations"][f["organization"]]["name"])
             for f in people_facts(draft, "post")}
    # Trento is in the province of Trento, in Trentino-Alto Adige
    assert posts == {("councillor", "Provincia di Trento"), ("vice", "Regione Trentino-Alto Adige")}
    assert {f["person"] for f in people_facts(draft, "post")} == {"paolo-rossi"}


def test_a_provincial_councillor_named_role_first():
    draft = draft_of("Ha parlato l’assessore provinciale allo Sviluppo economico, Paolo Rossi.")
    (post,) = people_facts(draft, "post")
    assert draft.additions["organizations"][post["organization"]]["name"] == "Provincia di Trento"
    assert draft.additions["people"][post["person"]]["name"] == "Paolo Rossi"


def test_an_organisation_the_registry_lacks_then_a_name_without_a_comma():
    # "il presidente di Org Nome Cognome": the organisation's words end where the two words of a name before the verb
    # or the stop begin; the speaker of the quotation is that person
    draft = draft_of("«Un anno di tenuta», ha commentato il presidente di Confartigianato Molise Lucia Ferri. "
                     "«Bene le province», ha detto il direttore di Unioncamere Molise Piero Sala.")
    posts = {(f["person"], f["role"], f["organization"]) for f in people_facts(draft, "post")}
    assert posts == {("lucia-ferri", "president", "confartigianato-molise"), ("piero-sala", "director", "unioncamere-molise")}
    assert [f["speaker"] for f in people_facts(draft, "quotation")] == ["lucia-ferri", "piero-sala"]


def test_the_organisation_named_by_fewer_words_elsewhere_leaves_the_rest_to_the_name():
    draft = draft_of("Ferri (Confartigianato): «Serve credito». «Serve credito alle imprese», ha detto la presidente "
                     "di Confartigianato Anna Maria Ferri.")
    (post,) = people_facts(draft, "post")
    assert draft.additions["people"][post["person"]]["name"] == "Anna Maria Ferri"
    assert draft.additions["organizations"][post["organization"]]["name"] == "Confartigianato"


def test_lo_stesso_and_a_surname_is_the_person_named_in_full_before():
    draft = draft_of("«Un anno di crescita», ha detto Carla Fedrizzi, presidente del Consorzio Vini Dolomitici. "
                     "«Serve credito», ha aggiunto la stessa Fedrizzi.")
    assert [f["speaker"] for f in people_facts(draft, "quotation")] == ["carla-fedrizzi", "carla-fedrizzi"]
