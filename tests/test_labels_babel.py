"""The numbers and money of figures' labels, as Babel writes them from CLDR (Babel 2.18): Italian labels as
an Italian reader writes them ("7.500.000 €", "23,4%", "-0,3 punti"), English ones as an English reader
does ("€7,500,000", "23.4%", "-0.3 points"), with the digits the release stated: none added (no ",00"
on a whole amount) and none rounded away (822,75 euro keep their 75 cents, 410,50 euro their 50).

The figures are read off the releases: the seed, tests/measures and a fictional release written here.
CLDR puts a no-break space between an Italian amount and its currency sign (NBSP below)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from decimal import Decimal

import pytest
from rdflib import Literal
from rdflib.namespace import RDFS

from conftest import DATA, ROOT, SEED
from kg.rdf.namespaces import KGR

NBSP = "\N{NO-BREAK SPACE}"


def labels(graph, node) -> dict[str, str]:
    found = {label.language: str(label) for label in graph.objects(node, RDFS.label) if isinstance(label, Literal)}
    assert set(found) == {"it", "en"}, found
    return found


def seed_fact(fact_id: str):
    return KGR[f"release/{SEED}/fact/{fact_id}"]


def measures_fact(fact_id: str):
    return KGR[f"release/950_marche_trimestre/fact/{fact_id}"]


# --------------------------------------------------------------------------- the seed


def test_the_seeds_seven_and_a_half_million_euro_to_azerbaijan(graph):
    """«ha raggiunto i 7,5 milioni di euro»: 7,500,000 euro, with no cents the release did not state."""
    assert labels(graph, seed_fact("marche-azerbaijan-2024")) == {
        "it": f"Export Marche verso Azerbaigian, 2024: 7.500.000{NBSP}€",
        "en": "Marche exports to Azerbaijan, 2024: €7,500,000",
    }


def test_the_seeds_more_than_fourteen_billion_euro_to_the_world(graph):
    """«che supera i 14 miliardi di euro»: more than 14,000,000,000 euro."""
    assert labels(graph, seed_fact("marche-world-2024")) == {
        "it": f"Export Marche verso il mondo, 2024: oltre 14.000.000.000{NBSP}€",
        "en": "Marche exports to the world, 2024: more than €14,000,000,000",
    }


def test_the_seeds_share_of_five_hundredths_of_a_per_cent(graph):
    """«pari allo 0,05% del totale»: both decimals kept, the percent sign where CLDR puts it."""
    assert labels(graph, seed_fact("marche-azerbaijan-share-2024")) == {
        "it": "Export Marche verso Azerbaigian, 2024: 0,05% di export Marche verso il mondo",
        "en": "Marche exports to Azerbaijan, 2024: 0.05% of Marche exports to the world",
    }


# --------------------------------------------------------------------------- tests/measures: falls, points, multiples


def test_a_fall_in_per_cent_keeps_its_minus(measures_graph):
    """«l'8,3% in meno rispetto allo stesso trimestre del 2022»."""
    assert labels(measures_graph, measures_fact("marche-2023q1-change")) == {
        "it": "Export Marche verso il mondo, gennaio–marzo 2023: -8,3% rispetto a gennaio–marzo 2022",
        "en": "Marche exports to the world, January–March 2023: -8.3% on January–March 2022",
    }


def test_a_fall_in_money_keeps_its_minus(measures_graph):
    """«con un calo di 308,9 milioni» (of euro): minus 308,900,000 euro."""
    assert labels(measures_graph, measures_fact("marche-2023q1-change-amount")) == {
        "it": f"Export Marche verso il mondo, gennaio–marzo 2023: -308.900.000{NBSP}€ rispetto a gennaio–marzo 2022",
        "en": "Marche exports to the world, January–March 2023: -€308,900,000 on January–March 2022",
    }


def test_a_share_that_fell_in_points(measures_graph):
    """«un peso sceso di 0,3 punti in un anno» (of the 2,4% of Italy's exports)."""
    assert labels(measures_graph, measures_fact("marche-2023q1-share-change")) == {
        "it": "Export Marche verso il mondo, gennaio–marzo 2023: -0,3 punti rispetto a gennaio–marzo 2022 "
              "(quota su export Italia verso il mondo)",
        "en": "Marche exports to the world, January–March 2023: -0.3 points on January–March 2022 "
              "(share of Italy exports to the world)",
    }


def test_more_than_doubled_is_more_than_two_times(measures_graph):
    """«La moda ha più che raddoppiato le vendite in Azerbaigian rispetto al primo trimestre del 2019»."""
    assert labels(measures_graph, measures_fact("marche-azerbaijan-fashion-2023q1-change")) == {
        "it": "Export Marche verso Azerbaigian, moda, gennaio–marzo 2023: oltre 2 volte rispetto a gennaio–marzo 2019",
        "en": "Marche exports to Azerbaijan, fashion, January–March 2023: more than 2 times on January–March 2019",
    }


def test_euro_per_resident_and_almost_fifteen_billion(measures_graph):
    """«Ogni residente delle Marche ha esportato in media 2.290 euro»; «prevede di sfiorare i 15 miliardi»."""
    assert labels(measures_graph, measures_fact("marche-2023q1-per-resident")) == {
        "it": f"Export Marche verso il mondo, gennaio–marzo 2023: 2.290{NBSP}€ per residente",
        "en": "Marche exports to the world, January–March 2023: €2,290 per resident",
    }
    assert labels(measures_graph, measures_fact("marche-2023-projection")) == {
        "it": f"Export Marche verso il mondo, 2023: previsione: quasi 15.000.000.000{NBSP}€",
        "en": "Marche exports to the world, 2023: projected almost €15,000,000,000",
    }


# --------------------------------------------------------------------------- a fictional release: rises, dollars, cents

TEXT = (
    "Marche, l'export in Germania e negli Stati Uniti nel 2025\n"
    "Ancona, 2 marzo 2026 – Nel 2025 le esportazioni marchigiane in Germania hanno raggiunto 1.234,5 milioni di euro, "
    "in aumento del 12,5%, con una crescita di 137,2 milioni. "
    "La Germania vale il 23,4% dell'export regionale, una quota salita di 0,4 punti in un anno. "
    "Verso gli Stati Uniti le vendite valgono 10,6 miliardi di dollari. "
    "Ogni residente delle Marche ha esportato in Germania in media 822,75 euro e negli Stati Uniti 410,50 euro. "
    "Le vendite in Francia sono triplicate rispetto al 2020.\n"
    "Ufficio Stampa Confindustria Ancona\n"
)


def _figure(fact_id: str, destination: str, body: str, evidence: str) -> str:
    return (f"  - id: {fact_id}\n    flow: export\n    origin: marche\n    destination: {destination}\n    period: 2025\n"
            f"    hedge: exact\n{body}    evidence: \"{evidence}\"\n")


ANNOTATION = (
    "release:\n  id: 990_labels\n  text: release.txt\n  published: 2026-03-02\n  language: it\n"
    "  publisher: confindustria-ancona\n  evidence: \"Ancona, 2 marzo 2026\"\n\nfacts:\n"
    + _figure("germany-2025", "germany", "    kind: level\n    amount: 1234500000\n    unit: EUR\n",
              "le esportazioni marchigiane in Germania hanno raggiunto 1.234,5 milioni di euro")
    + _figure("germany-2025-change", "germany",
              "    kind: change\n    value: 12.5\n    unit: percent\n    reference: same-period-previous-year\n",
              "in aumento del 12,5%")
    + _figure("germany-2025-change-amount", "germany",
              "    kind: change\n    value: 137200000\n    unit: EUR\n    reference: same-period-previous-year\n",
              "con una crescita di 137,2 milioni")
    + _figure("germany-2025-share", "germany", "    kind: share\n    percent: 23.4\n    of: {destination: world}\n",
              "La Germania vale il 23,4% dell'export regionale")
    + _figure("germany-2025-share-change", "germany",
              "    kind: change\n    value: 0.4\n    unit: points\n    of: {destination: world}\n"
              "    reference: same-period-previous-year\n",
              "una quota salita di 0,4 punti in un anno")
    + _figure("united-states-2025", "united-states", "    kind: level\n    amount: 10600000000\n    unit: USD\n",
              "Verso gli Stati Uniti le vendite valgono 10,6 miliardi di dollari")
    + _figure("germany-2025-per-resident", "germany",
              "    kind: ratio\n    value: 822.75\n    unit: EUR\n    denominator: resident\n"
              "    denominator_words: \"Ogni residente\"\n",
              "Ogni residente delle Marche ha esportato in Germania in media 822,75 euro")
    + _figure("united-states-2025-per-resident", "united-states",
              "    kind: ratio\n    value: 410.50\n    unit: EUR\n    denominator: resident\n",
              "negli Stati Uniti 410,50 euro")
    + _figure("france-2025-change", "france",
              "    kind: change\n    value: 3\n    unit: factor\n    reference_period: 2020\n",
              "Le vendite in Francia sono triplicate rispetto al 2020")
)


@pytest.fixture(scope="module")
def fictional(tmp_path_factory):
    """The graph of the fictional release above, with the seed's registry and places."""
    from kg.pipeline.corpus import build_graph

    data = tmp_path_factory.mktemp("labels") / "data"
    folder = data / "releases" / "990_labels"
    folder.mkdir(parents=True)
    for name in ("registry.yaml", "places.yaml"):
        shutil.copyfile(DATA / name, data / name)
    (folder / "release.txt").write_text(TEXT, encoding="utf-8")
    (folder / "annotation.yaml").write_text(ANNOTATION, encoding="utf-8")
    graph = build_graph(data)

    def of(fact_id: str) -> dict[str, str]:
        return labels(graph, KGR[f"release/990_labels/fact/{fact_id}"])

    return of


def test_a_decimal_amount_keeps_its_decimals(fictional):
    """«1.234,5 milioni di euro» is a whole number of euro; «822,75 euro» and «410,50 euro» keep every cent stated."""
    assert fictional("germany-2025") == {
        "it": f"Export Marche verso Germania, 2025: 1.234.500.000{NBSP}€",
        "en": "Marche exports to Germany, 2025: €1,234,500,000",
    }
    assert fictional("germany-2025-per-resident") == {
        "it": f"Export Marche verso Germania, 2025: 822,75{NBSP}€ per residente",
        "en": "Marche exports to Germany, 2025: €822.75 per resident",
    }
    assert fictional("united-states-2025-per-resident") == {
        "it": f"Export Marche verso Stati Uniti, 2025: 410,50{NBSP}€ per residente",
        "en": "Marche exports to United States, 2025: €410.50 per resident",
    }


def test_a_dollar_amount(fictional):
    """«10,6 miliardi di dollari»: CLDR's Italian writes the code USD after the number, its English the sign $ before."""
    assert fictional("united-states-2025") == {
        "it": f"Export Marche verso Stati Uniti, 2025: 10.600.000.000{NBSP}USD",
        "en": "Marche exports to United States, 2025: $10,600,000,000",
    }


def test_rises_are_signed_plus(fictional):
    """«in aumento del 12,5%, con una crescita di 137,2 milioni»; «una quota salita di 0,4 punti»."""
    assert fictional("germany-2025-change") == {
        "it": "Export Marche verso Germania, 2025: +12,5% rispetto a 2024",
        "en": "Marche exports to Germany, 2025: +12.5% on 2024",
    }
    assert fictional("germany-2025-change-amount") == {
        "it": f"Export Marche verso Germania, 2025: +137.200.000{NBSP}€ rispetto a 2024",
        "en": "Marche exports to Germany, 2025: +€137,200,000 on 2024",
    }
    assert fictional("germany-2025-share-change") == {
        "it": "Export Marche verso Germania, 2025: +0,4 punti rispetto a 2024 (quota su export Marche verso il mondo)",
        "en": "Marche exports to Germany, 2025: +0.4 points on 2024 (share of Marche exports to the world)",
    }


def test_a_share_and_a_multiple(fictional):
    """«il 23,4% dell'export regionale»; «sono triplicate rispetto al 2020»: 3 times, unsigned."""
    assert fictional("germany-2025-share") == {
        "it": "Export Marche verso Germania, 2025: 23,4% di export Marche verso il mondo",
        "en": "Marche exports to Germany, 2025: 23.4% of Marche exports to the world",
    }
    assert fictional("france-2025-change") == {
        "it": "Export Marche verso Francia, 2025: 3 volte rispetto a 2020",
        "en": "Marche exports to France, 2025: 3 times on 2020",
    }


# --------------------------------------------------------------------------- the numbers alone


@pytest.mark.parametrize("value,unit,italian,english", [
    ("7500000", "EUR", f"7.500.000{NBSP}€", "€7,500,000"),       # never "7.500.000,00 €"
    ("1234.5", "EUR", f"1.234,5{NBSP}€", "€1,234.5"),            # never "1.234,50 €"
    ("0.125", "EUR", f"0,125{NBSP}€", "€0.125"),                 # never rounded to the cent
    ("-210400000", "EUR", f"-210.400.000{NBSP}€", "-€210,400,000"),  # a negative balance
    ("18.25", "percent", "18,25%", "18.25%"),                    # never rounded to CLDR's whole per cent
    ("3.5", "factor", "3,5 volte", "3.5 times"),
    ("-2.9", "points", "-2,9 punti", "-2.9 points"),
])
def test_number_words(value, unit, italian, english):
    from kg.rdf.builder import number_words

    assert number_words(Decimal(value), unit, "it") == italian
    assert number_words(Decimal(value), unit, "en") == english


def test_help_does_not_import_babel():
    """Babel writes labels, so only the build loads it."""
    code = ("import sys\nfrom kg.cli import cli\n"
            "try:\n    cli(['--help'], prog_name='kg')\nexcept SystemExit:\n    pass\n"
            "print('BABEL', 'babel' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert "BABEL False" in out.stdout, out.stdout + out.stderr


def test_a_thirty_digit_amount_is_written_whole_in_both_languages():
    """Beyond the 28 digits of Python's default decimal context, every digit the release states is written."""
    from kg.rdf.builder import number_words

    amount = Decimal("123456789012345678901234567.891")
    assert number_words(amount, "EUR", "it") == "123.456.789.012.345.678.901.234.567,891\u00a0€"
    assert number_words(amount, "EUR", "en") == "€123,456,789,012,345,678,901,234,567.891"
