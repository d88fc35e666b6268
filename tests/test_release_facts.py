"""Every figure, date, name and quotation of the seed release, asked through the library queries.

The expected values are read off release.txt by a person (quoted in each
test), not copied from the tool's output.
"""

from datetime import date
from decimal import Decimal

from rdflib import Literal

from conftest import select


def test_exports_by_period_marche_to_azerbaijan(graph):
    # "Nel 2024 l’export marchigiano verso l’Azerbaigian ha raggiunto i 7,5 milioni di euro"
    # "Nei primi nove mesi del 2025 il valore si è attestato poco sotto i 5 milioni di euro"
    rows = select(graph, "exports-by-period", originName=Literal("Marche"), destinationName=Literal("Azerbaijan"))
    assert [(r["period"], r["amount"], r["unit"], r["hedge"], r["hedgeWords"], r["flow"]) for r in rows] == [
        ("2024", Decimal("7500000"), "EUR", "exact", None, "export"),
        ("January–September 2025", Decimal("5000000"), "EUR", "less than", "poco sotto", "export"),
    ]
    # one release states each cell, and gives its current value
    assert {(r["releases"], r["release"]) for r in rows} == {(1, "000_c861f582b8da151e")}


def test_regional_total_is_a_lower_bound(graph):
    # "del totale dell’export regionale, che supera i 14 miliardi di euro"
    rows = select(graph, "exports-by-period", originName=Literal("Marche"), destinationName=Literal("all destinations"))
    assert [(r["period"], r["amount"], r["hedge"], r["hedgeWords"]) for r in rows] == [
        ("2024", Decimal("14000000000"), "more than", "supera")
    ]


def test_province_of_ancona_figures(graph):
    # "In provincia di Ancona le esportazioni hanno superato 1,5 milioni di euro nel 2024
    #  e 767 mila nei primi tre trimestri del 2025"
    rows = select(graph, "exports-by-period", originName=Literal("Province of Ancona"))
    assert [(r["period"], r["amount"], r["hedge"]) for r in rows] == [
        ("2024", Decimal("1500000"), "more than"),
        ("January–September 2025", Decimal("767000"), "more than"),
    ]


def test_first_nine_months_and_first_three_quarters_are_one_interval(graph):
    # "primi nove mesi del 2025" (Marche) and "primi tre trimestri del 2025" (Ancona)
    from rdflib import URIRef

    from kg.rdf.namespaces import KGO, KGR

    marche = KGR["release/000_c861f582b8da151e/fact/marche-azerbaijan-2025-jan-sep"]
    ancona = KGR["release/000_c861f582b8da151e/fact/ancona-azerbaijan-2025-jan-sep"]
    period = lambda fact: graph.value(graph.value(fact, KGO.cell), KGO.period)  # noqa: E731
    assert period(marche) == period(ancona) == URIRef("https://example.org/kg/id/interval/2025-01-01/P9M")


def test_sector_breakdown_2024_with_implied_period(graph):
    # "2,1 milioni provengono dalla moda e circa un milione ciascuno da arredo, meccanica,
    #  elettronica e componentistica" (the year 2024 is implied by context), of the 7,5 milioni of 2024
    rows = select(graph, "sector-breakdown", fact=Literal("marche-azerbaijan-2024"))
    got = {r["sector"]: (r["amount"], r["hedge"], r["periodBasis"]) for r in rows}
    assert got == {
        "fashion": (Decimal("2100000"), "exact", "implied"),
        "furniture": (Decimal("1000000"), "about", "implied"),
        "mechanics": (Decimal("1000000"), "about", "implied"),
        "electronics": (Decimal("1000000"), "about", "implied"),
        "components": (Decimal("1000000"), "about", "implied"),
    }
    assert sum(amount for amount, _, _ in got.values()) <= Decimal("7500000")
    # 2,1 of 7,5 milioni is 28 %
    assert next(r["percentOfTotal"] for r in rows if r["sector"] == "fashion") == Decimal("28")


def test_share_agrees_with_amount_and_total(graph):
    # "pari allo 0,05% del totale dell’export regionale, che supera i 14 miliardi"
    (row,) = select(graph, "share-check")
    assert row["share"] == Decimal("0.05") and row["shareHedge"] == "exact"
    assert row["amount"] == Decimal("7500000") and row["total"] == Decimal("14000000000")
    assert (row["amountHedge"], row["totalHedge"]) == ("exact", "more than")
    assert (row["amountFact"], row["totalFact"]) == ("marche-azerbaijan-2024", "marche-world-2024")
    # 7.5 M / 14 bn = 0.0536 %, which rounds to the stated 0.05 %
    assert row["computedShare"] == Decimal("0.0536")
    assert row["agrees"] is True


def test_a_share_the_levels_contradict_does_not_agree(graph):
    # 0,5 % instead of 0,05 %: 7.5 M of more than 14 bn is at most 0.0559 %
    from copy import deepcopy

    from kg.rdf.namespaces import KGO, KGR, XSD

    share = KGR["release/000_c861f582b8da151e/fact/marche-azerbaijan-share-2024"]
    changed = deepcopy(graph)
    changed.set((share, KGO.sharePercent, Literal("0.5", datatype=XSD.decimal)))
    (row,) = select(changed, "share-check")
    assert row["agrees"] is False


def test_twelve_figures(graph):
    # ten levels (7,5 milioni; 14 miliardi; 2,1 milioni and four times "circa un milione"; 5 milioni;
    # 1,5 milioni; 767 mila), one share (0,05%), one change stated without a number ("in lieve flessione")
    rows = select(graph, "all-figures")
    assert len(rows) == 12
    assert sorted((r["measure"], r["value"]) for r in rows if r["measure"] != "change") == sorted(
        [("level", Decimal(v)) for v in ["7500000", "14000000000", "2100000", "1000000", "1000000", "1000000",
                                          "1000000", "5000000", "1500000", "767000"]] + [("share", Decimal("0.05"))]
    )
    (change,) = [r for r in rows if r["measure"] == "change"]
    assert (change["fact"], change["value"], change["period"]) == (
        "marche-azerbaijan-2025-jan-sep-trend", None, "January–September 2025")


def test_province_never_exceeds_region(graph):
    # Ancona: more than 1,5 milioni (2024) and 767 mila (first three quarters of 2025);
    # Marche: 7,5 milioni and just under 5 milioni
    rows = select(graph, "province-vs-region")
    assert [(r["period"], r["inner"], r["innerAmount"], r["outer"], r["outerAmount"]) for r in rows] == [
        ("2024", "Province of Ancona", Decimal("1500000"), "Marche", Decimal("7500000")),
        ("January–September 2025", "Province of Ancona", Decimal("767000"), "Marche", Decimal("5000000")),
    ]
    assert rows[0]["percentOfOuter"] == Decimal("20")


def test_trend_slight_decline_against_same_period_of_2024(graph):
    # "in lieve flessione rispetto allo stesso periodo dell’anno precedente"
    (row,) = select(graph, "period-comparison")
    assert row["period"] == "January–September 2025"
    assert row["referencePeriod"] == "January–September 2024"
    assert row["referenceKind"] == "same period of the previous year"
    assert row["direction"] == "decrease"
    assert row["magnitudeWords"] == "lieve"
    assert row["changePercent"] is None and row["changeAmount"] is None  # no number is stated
    assert row["amount"] == Decimal("5000000")  # "poco sotto i 5 milioni di euro", on the same cell
    assert row["referenceAmount"] is None  # the release gives no figure for January–September 2024


def test_the_cell_queries_answer_on_the_seed(graph):
    # the one change: "in lieve flessione rispetto allo stesso periodo dell’anno precedente"
    (change,) = select(graph, "changes")
    assert (change["cellLabel"], change["change"], change["direction"], change["hedge"], change["referenceLabel"]) == (
        "Marche exports to Azerbaijan, January–September 2025", "", "decrease", "exact", "January–September 2024")
    # the one share: "pari allo 0,05% del totale dell’export regionale, che supera i 14 miliardi"
    (share,) = select(graph, "shares")
    assert (share["partLabel"], share["wholeLabel"], share["percent"]) == (
        "Marche exports to Azerbaijan, 2024", "Marche exports to the world, 2024", Decimal("0.05"))
    assert share["fromLevels"] == "0.054"  # 7,5 milioni of 14 miliardi
    # one release: nothing restated, every figure current
    assert select(graph, "restatements") == []
    history = select(graph, "figure-history", originName=Literal("Marche"), destinationName=Literal("Azerbaijan"))
    assert len(history) == 9  # 7,5 milioni, the share, five sectors, 5 milioni and the change
    assert all(r["current"] for r in history)


def test_meeting_on_tuesday_17_february_2026_derived(graph):
    # Release dated "Ancona, 20 febbraio 2026" (a Friday); the meeting "si è tenuto martedì
    # nella sede di Confindustria Ancona" with "l’Ambasciatore ... Rashad Aslanov".
    rows = select(graph, "meetings")
    assert {r["attendee"] for r in rows} == {"Confindustria Ancona", "Rashad Aslanov"}
    for r in rows:
        assert r["date"] == date(2026, 2, 17)
        assert r["dateBasis"] == "derived"
        assert r["location"] == "premises of Confindustria Ancona"
        assert "i rapporti economici tra Italia e Azerbaigian" in r["topics"]
        assert "le opportunità per il sistema produttivo regionale" in r["topics"]
    aslanov = next(r for r in rows if r["attendee"] == "Rashad Aslanov")
    assert aslanov["attendeePost"] == "ambassador of Republic of Azerbaijan to Italy"


def test_posts_of_the_three_people(graph):
    rows = select(graph, "posts")
    assert [(r["person"], r["role"], r["organization"], r["delegation"], r["accreditedTo"]) for r in rows] == [
        ("Diego Mingarelli", "president", "Confindustria Ancona", None, None),
        ("Roberto Morichelli", "vice-president", "Confindustria Ancona", "Export e Attrazione Investimenti", None),
        ("Rashad Aslanov", "ambassador", "Republic of Azerbaijan", None, "Italy"),
    ]


def test_both_quotations_verbatim(graph):
    rows = select(graph, "quotations")
    assert [(r["speaker"], r["organization"]) for r in rows] == [
        ("Diego Mingarelli", "Confindustria Ancona"),
        ("Roberto Morichelli", "Confindustria Ancona"),
    ]
    mingarelli, morichelli = rows
    assert mingarelli["text"].startswith("I nostri Paesi hanno costruito relazioni solide […] grazie a una collaborazione")
    assert mingarelli["text"].endswith("su relazioni stabili tra imprese")
    assert morichelli["text"].startswith("L’Azerbaigian è uno snodo strategico tra Europa e Asia")
    assert morichelli["text"].endswith("strumenti utili per valutarne le potenzialità")
    assert "vice-president" in morichelli["post"]


def test_sectors_of_concentration_and_growth(graph):
    # "concentrata soprattutto nei settori energetico, industriale e infrastrutturale"
    # "dalla moda ai macchinari, dall’elettronica all’arredo fino alla metalmeccanica"
    concentration = select(graph, "sectors", assessment=Literal("concentration"))
    growth = select(graph, "sectors", assessment=Literal("growth opportunity"))
    assert {r["sectorIt"] for r in concentration} == {"energetico", "industriale", "infrastrutturale"}
    assert {r["sectorIt"] for r in growth} == {"moda", "macchinari", "elettronica", "arredo", "metalmeccanica"}
    nace = {r["sectorEn"]: r["nace"] for r in concentration}
    assert nace["industrial"] is None  # too broad: deliberately unmapped
    assert nace["infrastructure"] == "42"


def test_ancona_main_product_groups(graph):
    # "macchinari e apparecchiature industriali, prodotti elettrici, componenti metalmeccanici,
    #  oltre ad arredo e abbigliamento"
    rows = select(graph, "sectors", assessment=Literal("main products"))
    assert {r["origin"] for r in rows} == {"Province of Ancona"}
    assert {r["sectorIt"] for r in rows} == {
        "macchinari", "prodotti elettrici", "componenti metalmeccanici", "arredo", "abbigliamento"
    }


def test_acquisition_as_stated_not_completed(graph):
    # "l’acquisizione di Api da parte della compagnia azera Socar"
    (row,) = select(graph, "acquisitions")
    assert row["acquirerCountry"] == "Azerbaijan" and row["acquiredCountry"] == "Italy"
    assert row["status"] == "status not stated"
    from kg.rdf.namespaces import KGR, SCHEMA

    assert (KGR["org/api"], SCHEMA.parentOrganization, None) not in graph


def test_places_within_italy_and_marche(graph):
    italy = select(graph, "places-within", containerName=Literal("Italy"))
    # the places the seed names ("export marchigiano", "provincia di Ancona", the dateline "Ancona"), each
    # in the places that contain it; the graph carries no place its releases do not name
    assert {r["place"] for r in italy} == {"Marche", "Province of Ancona", "Ancona"}
    marche = select(graph, "places-within", containerName=Literal("Marche"))
    assert {(r["place"], r["codes"]) for r in marche} == {("Province of Ancona", "ISTAT 042 IT-AN"), ("Ancona", "ISTAT 042002")}


def test_sentence_supports_the_fact(graph):
    rows = select(graph, "fact-evidence", fact=Literal("marche-azerbaijan-2024"))
    (row,) = rows
    assert row["quote"] == "Nel 2024 l’export marchigiano verso l’Azerbaigian ha raggiunto i 7,5 milioni di euro"
    assert row["sentence"].startswith("Nel 2024 l’export marchigiano")
    assert row["sentence"].endswith("fino alla metalmeccanica.")
    assert row["end"] - row["start"] == len(row["quote"])


def test_derived_and_implied_values_are_marked(graph):
    rows = select(graph, "derived-values")
    assert {(r["fact"], r["what"], r["basis"]) for r in rows} == {
        ("meeting-ambassador", "date", "derived"),
        ("marche-azerbaijan-2025-jan-sep-trend", "reference period", "derived"),
        ("marche-azerbaijan-2024-fashion", "period", "implied"),
        ("marche-azerbaijan-2024-furniture", "period", "implied"),
        ("marche-azerbaijan-2024-mechanics", "period", "implied"),
        ("marche-azerbaijan-2024-electronics", "period", "implied"),
        ("marche-azerbaijan-2024-components", "period", "implied"),
    }


def test_release_metadata(graph):
    from rdflib.namespace import XSD

    from kg.rdf.namespaces import KGR, SCHEMA

    release = KGR["release/000_c861f582b8da151e"]
    assert graph.value(release, SCHEMA.datePublished) == Literal("2026-02-20", datatype=XSD.date)
    assert graph.value(release, SCHEMA.publisher) == KGR["org/confindustria-ancona"]
    assert graph.value(release, SCHEMA.author) == KGR["org/confindustria-ancona-press-office"]
    assert str(graph.value(release, SCHEMA.headline)).startswith("Ampi margini di crescita per il manifatturiero marchigiano")
    text = str(graph.value(release, SCHEMA.text))
    assert "’" in text and "–" in text and "“" in text  # typographic characters kept



def test_periods_are_linked_to_the_periods_that_contain_them(graph):
    # January-September 2024 (the trend's reference period) lies within 2024
    from rdflib import URIRef
    from rdflib.namespace import TIME

    interval = lambda key: URIRef(f"https://example.org/kg/id/interval/{key}")  # noqa: E731
    assert (interval("2024-01-01/P9M"), TIME.intervalDuring, interval("2024-01-01/P1Y")) in graph
    assert (interval("2025-01-01/P9M"), TIME.intervalDuring, None) not in graph  # 2025 as a whole is not stated


def test_the_change_without_a_number_reads_well_in_both_languages(graph):
    # "in lieve flessione rispetto allo stesso periodo dell’anno precedente": the direction and its size, no number
    from rdflib.namespace import RDFS

    from kg.rdf.namespaces import KGO, KGR

    trend = KGR["release/000_c861f582b8da151e/fact/marche-azerbaijan-2025-jan-sep-trend"]
    labels = {label.language: str(label) for label in graph.objects(trend, RDFS.label)}
    assert labels == {
        "it": "Export Marche verso Azerbaigian, gennaio–settembre 2025: in lieve calo rispetto a gennaio–settembre 2024",
        "en": "Marche exports to Azerbaijan, January–September 2025: down («lieve») on January–September 2024",
    }
    # no number, so no value, unit, precision or bounds; the hedge says the text states it without hedge words
    for prop in (KGO.changePercent, KGO.changeAmount, KGO.unit, KGO.precision):
        assert graph.value(trend, prop) is None
    assert graph.value(trend, KGO.hedge) == KGO.exact
