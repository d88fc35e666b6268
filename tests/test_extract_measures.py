"""Drafting the measures other than levels and changes (kg/draft/measures.py): shares, ranks, ratios, projections.

Every sentence is written here for the test (the facts are made up); the expected values are what a person
reads off it.
"""

from decimal import Decimal

import pytest

from kg.draft.extract import extract, settle
from kg.draft.measures import ordinal

MEASURES = ("share", "rank", "ratio", "projection")


def facts(body: str, kinds=MEASURES) -> list[dict]:
    text = "Titolo\nTorino, 3 marzo 2025 – " + body + "\nUfficio Stampa"
    draft = extract(text, "x")
    settle(draft, text)  # as kg extract writes it: a fact the loader refuses is left out
    return [f for f in draft.facts if f["kind"] in kinds]


def cell(fact: dict) -> tuple:
    return fact["origin"], fact["destination"], fact["period"]


@pytest.mark.parametrize("words,position", [
    ("4°", 4), ("16º", 16), ("quarta", 4), ("quindicesimo", 15), ("diciottesimo", 18), ("primo", 1), ("seconda", 2),
    ("sedicesima", 16), ("ventunesima", 21), ("semestre", None),
])
def test_ordinals(words, position):
    assert ordinal(words) == position


def test_a_province_ranked_among_the_provinces_of_italy():
    (rank,) = facts("Nei primi sei mesi del 2024 la provincia di Cuneo ha esportato merci per 4.100 milioni di euro e si "
                    "conferma settima provincia esportatrice d'Italia.")
    assert cell(rank) == ("cuneo-province", "world", "2024-H1")
    assert (rank["position"], rank["among"], rank["among_kind"], rank["within"], rank["by"]) == (7, "origins", "province", "italy", "level")


def test_a_place_in_the_ranking_written_in_words():
    (rank,) = facts("Con 9,2 miliardi di export nel 2023 la Liguria si colloca al diciottesimo posto tra le regioni esportatrici.")
    assert cell(rank) == ("liguria", "world", "2023")
    assert (rank["position"], rank["among"], rank["among_kind"]) == (18, "origins", "region")


def test_questi_ultimi_is_the_market_named_last():
    (rank,) = facts("Nel 2024 le imprese piemontesi hanno venduto in Francia 8,1 miliardi e negli Stati Uniti 5,3 miliardi: "
                    "questi ultimi sono il terzo mercato di sbocco della regione.")
    assert cell(rank) == ("piemonte", "united-states", "2024")
    assert (rank["position"], rank["among"], rank["among_kind"]) == (3, "destinations", "country")


def test_a_market_ranked_within_a_group_of_countries():
    (rank,) = facts("Nel 2023 le esportazioni della Campania sono state di 16,4 miliardi. "
                    "La Svizzera è il secondo mercato extra Ue delle imprese campane.")
    assert cell(rank) == ("campania", "switzerland", "2023")
    assert (rank["position"], rank["among"], rank["within"]) == (2, "destinations", "extra-eu")


def test_a_sector_ranked_first_and_secondo_that_is_not_a_rank():
    (rank,) = facts("Nel 2024 la provincia di Brescia ha esportato 19,8 miliardi. La meccanica resta la prima voce delle "
                    "vendite all'estero, secondo i dati Istat del primo semestre.")
    assert cell(rank) == ("brescia-province", "world", "2024")
    assert (rank["position"], rank["among"], rank["sector"]) == (1, "sectors", "28")


def test_an_amount_per_resident_and_the_national_average_are_ratios_not_levels():
    drafted = facts("Nel 2024 le imprese della Liguria hanno esportato 9,6 miliardi di euro, pari a 6.350 euro per residente, "
                    "contro i 10.200 della media italiana.", ("level", "ratio"))
    assert [(f["kind"], f.get("amount", f.get("value"))) for f in drafted] == [
        ("level", Decimal("9600000000")), ("ratio", Decimal("6350")), ("ratio", Decimal("10200"))]
    liguria, italy = drafted[1], drafted[2]
    assert cell(liguria) == ("liguria", "world", "2024") and cell(italy) == ("italy", "world", "2024")
    assert all((r["unit"], r["denominator"]) == ("EUR", "resident") for r in (liguria, italy))


def test_per_ogni_abitante_before_the_amount_and_a_percentage_of_the_average():
    ratios = facts("Nel 2024 le vendite estere del Piemonte hanno raggiunto 61,5 miliardi. Per ogni abitante il Piemonte "
                   "esporta 14.480 euro, circa il 140% della media nazionale.")
    assert [(f["kind"], f["value"], f["unit"], f["denominator"], f["hedge"]) for f in ratios] == [
        ("ratio", Decimal("14480"), "EUR", "resident", "exact"),
        ("ratio", Decimal("140"), "percent", "national-average", "about")]
    assert all(cell(f) == ("piemonte", "world", "2024") for f in ratios)


def test_a_multiple_of_the_average_and_a_share_of_value_added():
    ratios = facts("Nel 2023 la provincia di Vicenza ha esportato 22,1 miliardi, pari a 26.000 euro per abitante: il triplo "
                   "della media nazionale. La Germania vale da sola il 4,1% del valore aggiunto provinciale.")
    assert [(f["value"], f["unit"], f["denominator"], f["destination"]) for f in ratios] == [
        (Decimal("26000"), "EUR", "resident", "world"), (Decimal("3"), "factor", "national-average", "world"),
        (Decimal("4.1"), "percent", "value-added", "germany")]
    assert {f["origin"] for f in ratios} == {"vicenza-province"}


def test_an_amount_looked_ahead_to_is_a_projection():
    drafted = facts("Nel 2024 l'export piemontese ha raggiunto 61,5 miliardi. Per il 2025 l'associazione prevede che "
                    "l'export piemontese possa superare i 63 miliardi di euro.", ("level", "projection"))
    assert [(f["kind"], f["amount"]) for f in drafted] == [("level", Decimal("61500000000")), ("projection", Decimal("63000000000"))]
    projection = drafted[1]
    assert cell(projection) == ("piemonte", "world", "2025")
    assert (projection["hedge"], projection["hedge_words"]) == ("more-than", "possa superare")


def test_a_fine_anno_is_the_whole_year():
    (projection,) = facts("Nei primi nove mesi del 2024 le esportazioni liguri sono state pari a 7,4 miliardi. Se la tendenza "
                          "continuerà, le vendite liguri potrebbero arrivare a 10 miliardi a fine anno.")
    assert (projection["kind"], projection["amount"], cell(projection)) == ("projection", Decimal("10000000000"), ("liguria", "world", "2024"))


def test_a_first_estimate_is_an_observed_level_not_a_projection():
    drafted = facts("Nel primo semestre 2024 l'export del Molise, inizialmente stimato in 310 milioni, è stato rivisto a 325 milioni.",
                    ("level", "projection"))
    assert [(f["kind"], f["amount"]) for f in drafted] == [("level", Decimal("310000000")), ("level", Decimal("325000000"))]


def test_a_share_of_a_region_named_by_its_adjective_with_no_level_stated():
    (share,) = facts("Nel 2024 la provincia di Cuneo realizza il 18,5% dell'export piemontese.")
    assert (cell(share), share["percent"], share["of"]) == (("cuneo-province", "world", "2024"), Decimal("18.5"), {"origin": "piemonte"})


def test_a_share_that_moves_is_two_shares_each_with_its_period():
    shares = facts("Nel 2023 la Lombardia ha esportato 160,2 miliardi. La quota della regione sul totale nazionale è passata "
                   "dal 24,1% del 2019 al 25,3%.")
    assert [(cell(f), f["percent"], f["of"]) for f in shares] == [
        (("lombardia", "world", "2019"), Decimal("24.1"), {"origin": "italy"}),
        (("lombardia", "world", "2023"), Decimal("25.3"), {"origin": "italy"})]


def test_a_market_s_share_of_the_sales_of_a_place_named_by_its_demonym():
    (share,) = facts("Nel 2024 la Liguria ha esportato 9,6 miliardi. Verso l'area euro va il 55,0% delle vendite liguri.")
    assert (cell(share), share["percent"], share["of"]) == (("liguria", "euro-area", "2024"), Decimal("55.0"), {"destination": "world"})


def test_a_sector_s_share_of_the_region_s_total():
    (share,) = facts("Nel 2024 il Piemonte ha esportato 61,5 miliardi. La farmaceutica, con 7,1 miliardi, vale l'11,5% del totale regionale.")
    assert (cell(share), share["sector"], share["percent"], share["of"]) == (
        ("piemonte", "world", "2024"), "CF", Decimal("11.5"), {"sector": None})


def test_a_fraction_with_a_hedge_and_the_part_named_after_it():
    (share,) = facts("Nel 2024 la Sicilia ha esportato 13,9 miliardi: quasi la metà dell'export regionale viene dalla "
                     "provincia di Siracusa.")
    assert (cell(share), share["percent"], share["hedge"], share["of"]) == (
        ("siracusa-province", "world", "2024"), Decimal("50"), "almost", {"origin": "sicilia"})


def test_a_share_is_of_its_whole_not_of_a_level_named_after_it():
    (share,) = facts("Nel 2024 le esportazioni della provincia di Torino hanno raggiunto 26,8 miliardi, pari al 43,6% del "
                     "totale regionale, mentre Cuneo si è fermata a 9,1 miliardi.")
    assert (cell(share), share["of"]) == (("torino-province", "world", "2024"), {"origin": "piemonte"})


def test_a_group_named_in_lower_case_is_read():
    from kg.draft.places import PlaceFinder

    finder = PlaceFinder()
    assert [p for _o, p, _w in finder.find("verso l'area euro e i mercati extra Ue")] == ["euro-area", "extra-eu"]
    assert [p for _o, p, _w in finder.find("un negozio in centro")] == []  # the Centro is written with a capital


def test_quinta_in_italia_ranks_a_place_among_its_peers():
    (rank,) = facts("Nel 2024 la provincia di Bergamo è quinta in Italia per export, con 18,1 miliardi.")
    assert cell(rank) == ("bergamo-province", "world", "2024")
    assert (rank["position"], rank["among"], rank["among_kind"], rank["within"]) == (5, "origins", "province", "italy")


def test_una_quota_del_is_a_share_of_the_unstated_total():
    drafted = facts("Nel 2024 la Lombardia ha esportato 160 miliardi. La Germania, con una quota del 13,9%, resta il primo mercato.")
    (share,) = [f for f in drafted if f["kind"] == "share"]
    (rank,) = [f for f in drafted if f["kind"] == "rank"]
    assert (cell(share), share["percent"], share["of"]) == (("lombardia", "germany", "2024"), Decimal("13.9"), {"destination": "world"})
    assert (cell(rank), rank["position"]) == (("lombardia", "germany", "2024"), 1)


def test_pesa_per_a_share_of_the_sales_after_it():
    (share,) = facts("Nel 2024 il Piemonte ha esportato 61,5 miliardi: la farmaceutica pesa per il 12% sulle vendite regionali.")
    assert (cell(share), share["sector"], share["percent"], share["of"]) == (("piemonte", "world", "2024"), "CF", Decimal("12"), {"sector": None})


def test_explain_quotes_the_words_each_measure_was_read_from():
    (rank,) = facts("Nel 2024 la provincia di Bergamo ha esportato 18,1 miliardi e si conferma quarta provincia esportatrice d'Italia.")
    rule, words = rank["_explain"]["position"]
    assert words == "quarta provincia esportatrice d'Italia" and "ordinal" in rule
    assert rank["_explain"]["origin"][1] == "provincia di Bergamo"


def test_la_terza_della_regione_ranks_a_province_among_its_region_s():
    (rank,) = facts("Nel 2024 la provincia di Novara ha esportato 5,8 miliardi e si conferma la terza della regione per valore esportato.")
    assert cell(rank) == ("novara-province", "world", "2024")
    assert (rank["position"], rank["among"], rank["among_kind"], rank["within"], rank["by"]) == (3, "origins", "province", "piemonte", "level")


def test_ogni_residente_without_per():
    (ratio,) = facts("Nel 2024 il Piemonte ha esportato 61,5 miliardi. Ogni residente del Piemonte ha esportato in media 14.480 euro.")
    assert (cell(ratio), ratio["value"], ratio["unit"], ratio["denominator"]) == (("piemonte", "world", "2024"), Decimal("14480"), "EUR", "resident")


def test_a_projection_with_a_verb_of_approach_in_the_subjunctive():
    (projection,) = facts("Nel 2024 l'export della Liguria ha raggiunto 9,6 miliardi. Per il 2025 l'associazione prevede che le "
                          "esportazioni liguri sfiorino i 10 miliardi di euro.")
    assert (cell(projection), projection["amount"], projection["hedge"]) == (("liguria", "world", "2025"), Decimal("10000000000"), "almost")


def test_la_provincia_before_a_rank_is_the_province_the_text_is_about():
    drafted = facts("Nei primi sei mesi del 2024 le esportazioni della provincia di Cuneo hanno raggiunto 4,1 miliardi. Il dato vale "
                    "il 13,2% del totale del Piemonte e colloca la provincia al secondo posto tra le province della regione.")
    (share,) = [f for f in drafted if f["kind"] == "share"]
    (rank,) = [f for f in drafted if f["kind"] == "rank"]
    assert (cell(share), share["percent"], share["of"]) == (("cuneo-province", "world", "2024-H1"), Decimal("13.2"), {"origin": "piemonte"})
    assert cell(rank) == ("cuneo-province", "world", "2024-H1")
    assert (rank["position"], rank["among"], rank["among_kind"], rank["within"]) == (2, "origins", "province", "piemonte")


def test_ne_rappresenta_is_a_share_of_the_level_before_it():
    (share,) = facts("Nel 2024 le esportazioni italiane sono state pari a 623,5 miliardi e la Lombardia ne rappresenta quasi il 26%.")
    assert (cell(share), share["percent"], share["hedge"], share["of"]) == (
        ("lombardia", "world", "2024"), Decimal("26"), "almost", {"origin": "italy"})


def test_a_share_of_the_regional_exports_is_of_the_region_the_release_is_about():
    """«verso i Paesi Ue si dirige il 64,5% dell'export regionale» in a release about Molise: the share is Molise's
    exports to the EU, whatever region the word "regionale" meant in another release."""
    text = ("Titolo\nCampobasso, 12 dicembre 2024 – Nei primi nove mesi del 2024 le esportazioni del Molise hanno "
            "raggiunto 402,3 milioni di euro. Verso i Paesi Ue si dirige il 64,5% dell'export regionale.\nUfficio Stampa")
    (share,) = [f for f in extract(text, "x").facts if f["kind"] == "share"]
    assert (share["origin"], share["destination"], share["percent"]) == ("molise", "eu", Decimal("64.5"))


def test_a_year_that_can_pass_an_amount_is_a_projection_with_more_than():
    (projection,) = facts("Nel 2025 il Trentino può superare i 5 miliardi di export.")
    assert projection["kind"] == "projection"
    assert (projection["amount"], projection["hedge"], projection["period"]) == (Decimal("5000000000"), "more-than", "2025")


def test_we_expect_to_be_back_above_an_amount_is_a_projection():
    found = facts("Nel 2024 il Trentino ha esportato 4,8 miliardi. Ci aspettiamo di tornare sopra 5,1 miliardi nel 2025.",
                  ("level", "projection"))
    assert {(f["kind"], f["amount"], f["hedge"], f["period"]) for f in found} == {
        ("level", Decimal("4800000000"), "exact", "2024"), ("projection", Decimal("5100000000"), "more-than", "2025")}


def test_the_goal_at_year_end_is_a_projection_and_the_amount_before_it_is_observed():
    found = facts("Nel primo semestre del 2024 la provincia di Cuneo ha esportato 700 milioni e punta al traguardo di "
                  "800 milioni a fine anno.", ("level", "projection"))
    assert {(f["kind"], f["amount"]) for f in found} == {("level", Decimal("700000000")), ("projection", Decimal("800000000"))}
    (projection,) = [f for f in found if f["kind"] == "projection"]
    assert projection["period"] == "2024"


def test_markets_named_after_seguita_da_rank_next_in_the_order_named():
    found = facts("Nel 2024 la provincia di Cuneo ha esportato 9 miliardi. La Germania resta il primo mercato, seguita "
                  "da Stati Uniti e Francia.", ("rank",))
    assert [(cell(f), f["position"], f["among"]) for f in found] == [
        (("cuneo-province", "germany", "2024"), 1, "destinations"),
        (("cuneo-province", "united-states", "2024"), 2, "destinations"),
        (("cuneo-province", "france", "2024"), 3, "destinations")]
    found = facts("Nel 2024 la provincia di Cuneo ha esportato 9 miliardi. La Germania resta il primo mercato, seguita "
                  "dalla Svizzera.", ("rank",))
    assert [(f["destination"], f["position"]) for f in found] == [("germany", 1), ("switzerland", 2)]


def test_a_first_market_for_both_provinces_is_a_rank_for_each():
    found = facts("Nel 2024 la provincia di Cuneo ha esportato 9 miliardi e quella di Asti 2 miliardi. La Germania è il "
                  "primo mercato per entrambe le province.", ("rank",))
    assert sorted((cell(f), f["position"], f["among"]) for f in found) == [
        (("asti-province", "germany", "2024"), 1, "destinations"),
        (("cuneo-province", "germany", "2024"), 1, "destinations")]


def test_a_sector_first_among_the_exports_of_a_province():
    (rank,) = facts("Nel 2024 la provincia di Cuneo ha esportato 9 miliardi. La moda si conferma la prima voce "
                    "dell’export provinciale.")
    assert cell(rank) == ("cuneo-province", "world", "2024")
    assert (rank["position"], rank["among"], rank["sector"]) == (1, "sectors", "CB")


def shares(body: str) -> list[tuple]:
    return [(f["origin"], f["destination"], f["period"], f["percent"], f["of"]) for f in facts(body, ("share",))]


def test_a_market_named_before_a_share_of_the_bare_export_is_the_share_s_destination():
    body = ("Nel 2024 l'export del Molise vale 1,9 miliardi di euro. La Francia, assorbendo il 12,7% dell'export, "
            "resta il primo partner.")
    assert shares(body) == [("molise", "france", "2024", Decimal("12.7"), {"destination": "world"})]


def test_a_share_that_moves_with_no_period_after_its_values_is_two_shares_of_two_years():
    assert shares("Nel 2024 la quota molisana sull'export nazionale è scesa dallo 0,5% allo 0,4%.") == [
        ("molise", "world", "2023", Decimal("0.5"), {"origin": "italy"}),
        ("molise", "world", "2024", Decimal("0.4"), {"origin": "italy"})]


def test_a_share_compared_with_its_earlier_value_and_incidendo_per():
    assert shares("Nel 2024 il Molise ha una quota dello 0,4% dell'export nazionale (in calo rispetto allo 0,5% del 2023).") == [
        ("molise", "world", "2024", Decimal("0.4"), {"origin": "italy"}),
        ("molise", "world", "2023", Decimal("0.5"), {"origin": "italy"})]
    assert facts("Nel 2024 il Molise ha una quota dello 0,4% dell'export nazionale (in calo rispetto allo 0,5% del 2023).",
                 ("change",)) == []  # the earlier share is not a change
    assert shares("Nel 2024 l'export del Molise vale 1,9 miliardi di euro, incidendo per lo 0,3% sul totale nazionale.") == [
        ("molise", "world", "2024", Decimal("0.3"), {"origin": "italy"})]


def test_bare_percentages_of_provinces_are_their_shares_of_the_region_and_a_group_of_regions_is_a_whole():
    body = ("Nel 2024 l'export del Molise vale 1,9 miliardi di euro: la provincia di Campobasso, con il 78,5%, precede "
            "Isernia (21,5%).")
    assert shares(body) == [("campobasso-province", "world", "2024", Decimal("78.5"), {"origin": "molise"}),
                            ("isernia-province", "world", "2024", Decimal("21.5"), {"origin": "molise"})]
    body = "Nel 2024 l'export del Molise vale 1,9 miliardi di euro, quasi il 2% del totale del Mezzogiorno."
    assert shares(body) == [("molise", "world", "2024", Decimal("2"), {"origin": "mezzogiorno"})]


def test_il_principale_mercato_is_the_first_and_i_principali_mercati_no_rank():
    (rank,) = facts("Nel 2024 l'export molisano vale 1,9 miliardi di euro; la Francia è il principale mercato.", ("rank",))
    assert (rank["destination"], rank["position"], rank["among"]) == ("france", 1, "destinations")
    assert facts("Nel 2024 l'export molisano vale 1,9 miliardi di euro; tra i principali mercati c'è la Francia.",
                 ("rank",)) == []


def test_an_ordinal_right_before_a_province_ranks_it_within_its_region():
    body = ("Nel 2021 l'export del Piemonte vale 60 miliardi di euro: in testa Torino con 24,1 miliardi. Seconda Cuneo "
            "con 9,3 miliardi, terza Novara con 5,8 miliardi.")
    ranks = [(f["origin"], f["position"], f["among"], f["among_kind"], f["within"], f["period"]) for f in facts(body, ("rank",))]
    assert ranks == [("cuneo-province", 2, "origins", "province", "piemonte", "2021"),
                     ("novara-province", 3, "origins", "province", "piemonte", "2021")]


def test_a_share_pesa_il_of_the_release_s_region_and_the_province_ranked_after_dopo():
    body = "Nel 2021 l'export della Basilicata vale 3 miliardi di euro: dopo Potenza (che pesa il 90%), la seconda provincia è Matera."
    assert [(f["origin"], f["percent"], f["of"]) for f in facts(body, ("share",))] == [
        ("potenza-province", Decimal("90"), {"origin": "basilicata"})]
    assert [(f["origin"], f["position"]) for f in facts(body, ("rank",))] == [("matera-province", 2)]
