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
    assert [(r["period"], r["amount"], r["unit"], r["hedge"], r["hedgeWords"]) for r in rows] == [
        ("2024", Decimal("7500000"), "EUR", "exact", None),
        ("January–September 2025", Decimal("5000000"), "EUR", "less than", "poco sotto"),
    ]


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
    assert graph.value(marche, KGO.period) == graph.value(ancona, KGO.period) == URIRef(
        "https://example.org/kg/id/interval/2025-01-01/P9M"
    )


def test_sector_breakdown_2024_with_implied_period(graph):
    # "2,1 milioni provengono dalla moda e circa un milione ciascuno da arredo, meccanica,
    #  elettronica e componentistica" (the year 2024 is implied by context)
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


def test_share_agrees_with_amount_and_total(graph):
    # "pari allo 0,05% del totale dell’export regionale, che supera i 14 miliardi"
    (row,) = select(graph, "share-check")
    assert row["share"] == Decimal("0.05")
    assert row["amount"] == Decimal("7500000") and row["total"] == Decimal("14000000000")
    assert row["totalHedge"] == "more than"
    # 7.5 M / 14 bn = 0.0536 %, which rounds to the stated 0.05 %
    assert row["computedShare"] == Decimal("0.0536")
    assert row["agrees"] is True


def test_eleven_figures(graph):
    rows = select(graph, "all-figures")
    assert len(rows) == 11
    values = sorted(r["value"] for r in rows)
    assert values == sorted(
        Decimal(v)
        for v in ["7500000", "0.05", "14000000000", "2100000", "1000000", "1000000", "1000000", "1000000",
                  "5000000", "1500000", "767000"]
    )


def test_province_never_exceeds_region(graph):
    rows = select(graph, "province-vs-region")
    assert [(r["period"], r["inner"], r["outer"]) for r in rows] == [
        ("2024", "Province of Ancona", "Marche"),
        ("January–September 2025", "Province of Ancona", "Marche"),
    ]
    for r in rows:
        assert r["innerAmount"] <= r["outerAmount"]


def test_trend_slight_decline_against_same_period_of_2024(graph):
    # "in lieve flessione rispetto allo stesso periodo dell’anno precedente"
    (row,) = select(graph, "period-comparison")
    assert row["period"] == "January–September 2025"
    assert row["referencePeriod"] == "January–September 2024"
    assert row["referenceKind"] == "same period of the previous year"
    assert row["direction"] == "decrease"
    assert row["magnitudeWords"] == "lieve"
    assert row["referenceAmount"] is None  # the release gives no 2024 figure for the period


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
