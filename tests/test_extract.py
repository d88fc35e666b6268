"""Drafting annotations from Italian text (first increment of the extraction issue).

Expected values are read off the texts by a person. The extractor never reads the
curated annotation of a release: `evaluate` reads it only to compare.
"""

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import DATA, SEED
from kg.cli import cli
from kg.model import italian as italian
from kg.model import numbers, periods

FAMILY = Path(__file__).parent / "releases" / "900_family_test"


@pytest.mark.parametrize("written,value", [
    ("7,5 milioni di euro", "7500000"), ("14 miliardi", "14000000000"), ("767 mila", "767000"),
    ("3,4 miliardi", "3400000000"), ("12 miliardi e 400 milioni", "12400000000"),
    ("due miliardi e mezzo", "2500000000"), ("il miliardo e 300 milioni", "1300000000"), ("un milione", "1000000"),
    ("pari a 2.400.000 euro", "2400000"), ("mezzo milione", "500000"), ("ventuno miliardi", "21000000000"),
    ("duecentocinquantamila euro", "250000"), ("sei mln.", "6000000"), ("1,2 mld di euro", "1200000000"),
    ("1.234,5 euro", "1234.5"),
])
def test_amounts_as_italian_writes_them(written, value):
    assert [f.value for f in numbers.find_amounts(written)] == [Decimal(value)]
    assert numbers.states(f"le esportazioni hanno raggiunto {written}.", Decimal(value))


def test_two_amounts_joined_by_e_are_not_one_compound():
    # "tra 3 e 5 milioni" written out: the second part is not smaller than the first's scale
    assert [f.value for f in numbers.find_amounts("tra 3 milioni e 5 milioni")] == [Decimal(3000000), Decimal(5000000)]


def test_figures_stated_in_digits_and_what_is_not_a_figure():
    assert numbers.figures_in("pari allo 0,05% del totale, che supera i 14 miliardi") == {Decimal("0.05"), Decimal("14000000000")}
    assert numbers.figures_in("un accordo, una quota e uno snodo") == set()  # articles, not figures
    assert numbers.figures_in("il 20.02.2026 e 1.5 milioni") == set()  # a date and an English decimal point
    assert not numbers.states("due miliardi e mezzo", Decimal("2000000000"))


@pytest.mark.parametrize("written,value,direction", [
    ("0,05%", "0.05", None), ("+12,3%", "12.3", None), ("-4,1%", "-4.1", None),
    ("del 9% in più", "9", "increase"), ("aumentate del 7,5%", "7.5", "increase"), ("scese del 2,2%", "2.2", "decrease"),
    ("+5,6%", "5.6", None), ("-55,5%", "-55.5", None), ("−3%", "-3", None), ("in crescita del 3 per cento", "3", "increase"),
    ("Ancona – 5% in calo", "5", "decrease"),  # an en dash before a space separates clauses: no sign
])
def test_percentages_and_changes(written, value, direction):
    assert [f.value for f in numbers.find_percentages(written)] == [Decimal(value)]
    assert italian.change_direction(written) == direction


@pytest.mark.parametrize("written,key", [
    ("primo semestre 2024", "2024-01-01/P6M"), ("terzo trimestre del 2022", "2022-07-01/P3M"),
    ("primi nove mesi del 2025", "2025-01-01/P9M"), ("primi tre trimestri del 2025", "2025-01-01/P9M"),
    ("nel 2024", "2024-01-01/P1Y"), ("rispetto al 2020", "2020-01-01/P1Y"),
    ("primo quarto del 2023", "2023-01-01/P3M"), ("quarto trimestre 2022", "2022-10-01/P3M"),
    ("prima metà del 2025", "2025-01-01/P6M"), ("ultimi tre mesi del 2024", "2024-10-01/P3M"),
    ("gennaio-settembre 2025", "2025-01-01/P9M"), ("da aprile ad agosto 2025", "2025-04-01/P5M"),
    ("novembre 2024–febbraio 2025", "2024-11-01/P4M"), ("a marzo 2025", "2025-03-01/P1M"),
    ("primi dodici mesi del 2024", "2024-01-01/P1Y"),
])
def test_periods(written, key):
    assert [f.value.key for f in periods.find_periods(written)] == [key]


@pytest.mark.parametrize("written,notation", [
    ("primo semestre 2025", "2025-H1"), ("primi nove mesi del 2025", "2025-01/2025-09"),
    ("gennaio-settembre 2025", "2025-01/2025-09"), ("terzo trimestre 2024", "2024-Q3"), ("primo quarto del 2023", "2023-Q1"),
    ("III trimestre 2021", "2021-Q3"), ("I trimestre del 2023", "2023-Q1"), ("2° trimestre 2022", "2022-Q2"),
    ("1° semestre 2022", "2022-H1"), ("II semestre 2020", "2020-H2"),
])
def test_period_phrases_and_their_notation(written, notation):
    assert periods.italian_period(written).notation == notation


def test_primi_18_mesi_del_2024_is_eighteen_months_from_january_2024():
    """Regression: 'primi 18 mesi del 2024' was drafted as '2024-01/2024-18', no period at all."""
    (found,) = periods.find_periods("Nei primi 18 mesi del 2024 l’export è cresciuto.")
    assert found.text == "primi 18 mesi del 2024"
    assert found.value.start == date(2024, 1, 1) and found.value.end == date(2025, 6, 30)
    assert found.value.notation == "2024-01/2025-06"
    from kg.draft.extract import extract

    text = ("Titolo\nAncona, 3 marzo 2026 – Nei primi 18 mesi del 2024 le esportazioni delle Marche verso la Germania "
            "hanno raggiunto 1,8 miliardi di euro.\nUfficio Stampa Confindustria Ancona")
    (figure,) = [f for f in extract(text, "x").facts if f["kind"] == "level"]
    assert figure["period"] == "2024-01/2025-06" and figure["amount"] == Decimal("1800000000")


@pytest.mark.parametrize("written,notation", [
    ("tra luglio e settembre le vendite", "2023-Q3"), ("nel IV trimestre", "2023-Q4"), ("nel 2° semestre", "2023-H2"),
])
def test_periods_named_without_their_year_are_read_in_the_context_s_year(written, notation):
    assert [f.value.notation for f in periods.find_periods(written, year=2023)] == [notation]


def test_a_day_is_not_a_month_period():
    # the dateline's "20 febbraio 2026" is a day; only its year is read, as before
    assert [f.value.notation for f in periods.find_periods("Ancona, 20 febbraio 2026 – Nel 2024")] == ["2026", "2024"]


@pytest.mark.parametrize("written,hedge", [
    ("circa un milione", "about"), ("quasi 3 milioni", "almost"), ("oltre 2 milioni", "more-than"),
    ("ha superato 1,5 milioni", "more-than"), ("poco sotto i 5 milioni", "less-than"),
    ("poco meno di 4 milioni", "less-than"), ("vicino a 2 milioni", "about"), ("almeno 2,2 miliardi", "at-least"),
    ("sopra i 3,1 miliardi", "more-than"), ("al massimo di 6,3 miliardi", "at-most"),
])
def test_hedges(written, hedge):
    amount = numbers.find_amounts(written)[0]
    assert italian.find_hedge(written, amount.start).value == hedge


def test_dateline():
    found = italian.find_dateline("Titolo\nAncona, 20 febbraio 2026 – Testo")
    assert found.value == date(2026, 2, 20) and found.text == "Ancona, 20 febbraio 2026"


def draft_into(target: Path, data: Path, release: str) -> Path:
    """A data folder holding only a release's text, the registry and `kg extract`'s draft (no curated annotation)."""
    (target / "releases").mkdir(parents=True, exist_ok=True)
    for name in ("registry.yaml", "places.yaml"):  # the registry names a place of places.yaml
        shutil.copyfile(data / name, target / name)
    result = CliRunner().invoke(cli, ["extract", str(data / "releases" / release / "release.txt"), "--id", release,
                                      "--into", str(target), "--data", str(data)])
    assert result.exit_code == 0, result.output
    return target


@pytest.fixture
def seed_draft_dir(tmp_path):
    return draft_into(tmp_path / "data", DATA, SEED)


def test_draft_of_the_seed_builds_and_conforms(seed_draft_dir, tmp_path):
    result = CliRunner().invoke(cli, ["build", "--data", str(seed_draft_dir), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "conforms: yes" in result.output


def test_draft_of_the_seed_finds_the_figures_hedges_periods_and_quotations(seed_draft_dir):
    import yaml

    draft = yaml.safe_load((seed_draft_dir / "releases" / SEED / "annotation.yaml").read_text(encoding="utf-8"))
    assert draft["release"]["published"] == "2026-02-20" and draft["release"]["publisher"] == "confindustria-ancona"
    figures = {(Decimal(str(f["amount"])), f["hedge"], str(f["period"])) for f in draft["facts"] if f["kind"] == "level"}
    # read off the release: 7,5 milioni (2024); supera i 14 miliardi; 2,1 milioni dalla moda and circa un milione
    # ciascuno (2024 implied); poco sotto i 5 milioni (primi nove mesi 2025); superato 1,5 milioni (2024) e 767 mila
    # (primi tre trimestri 2025)
    assert figures == {
        (Decimal("7500000"), "exact", "2024"), (Decimal("14000000000"), "more-than", "2024"),
        (Decimal("2100000"), "exact", "2024"), (Decimal("1000000"), "about", "2024"),
        (Decimal("5000000"), "less-than", "2025-01/2025-09"), (Decimal("1500000"), "more-than", "2024"),
        (Decimal("767000"), "more-than", "2025-01/2025-09"),
    }
    implied = [f for f in draft["facts"] if f.get("period_basis") == "implied"]
    assert {f["sector"] for f in implied} == {"fashion", "furniture", "mechanics", "electronics", "components"}
    assert all("review" in f for f in implied)
    (share,) = [f for f in draft["facts"] if f["kind"] == "share"]
    assert Decimal(str(share["percent"])) == Decimal("0.05")
    (change,) = [f for f in draft["facts"] if f["kind"] == "change"]
    assert change["direction"] == "decrease" and change["magnitude_words"] == "lieve"
    speakers = [f["speaker"] for f in draft["facts"] if f["kind"] == "quotation"]
    assert speakers == ["roberto-morichelli", "diego-mingarelli"]


TEST_RELEASES = Path(__file__).parent / "releases"


def family_data(target: Path) -> Path:
    """data/ plus the test releases of tests/releases/, with their fictional actors."""
    import yaml

    shutil.copytree(DATA, target)
    registry = yaml.safe_load((DATA / "registry.yaml").read_text(encoding="utf-8"))
    extra = yaml.safe_load((TEST_RELEASES / "registry.yaml").read_text(encoding="utf-8"))
    for section, entries in extra.items():
        registry[section] = registry.get(section, []) + entries
    (target / "registry.yaml").write_text(yaml.safe_dump(registry, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for folder in sorted(p for p in TEST_RELEASES.iterdir() if p.is_dir()):
        shutil.copytree(folder, target / "releases" / folder.name)
    return target


@pytest.fixture(scope="module")
def test_data(tmp_path_factory):
    return family_data(tmp_path_factory.mktemp("family") / "data")


def test_curated_test_releases_build_and_conform(test_data, tmp_path):
    result = CliRunner().invoke(cli, ["build", "--data", str(test_data), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "releases: 5" in result.output and "conforms: yes" in result.output


def test_evaluate_meets_the_targets(test_data):
    from kg.draft.evaluate import evaluate

    report = evaluate(test_data)
    # read off the texts: 900 2,4 milioni +12,5% 3,6 milioni 1,2% 300 milioni; 901 48,3 milioni +6,4% 140 milioni
    # 21 milioni 10 milioni; 902 due miliardi e mezzo +14,2% il miliardo e 300 milioni -2,2% 1,2 miliardi;
    # 903 310 milioni +7,5% 80 milioni 0,6% 13 miliardi
    expected = {release: scores["figures"]["expected"] for release, scores in report["releases"].items() if release != SEED}
    assert expected == {"900_family_test": 5, "901_macerata_germania": 5, "902_marche_stati_uniti": 5, "903_ancona_francia": 5}
    # the issue's targets, a figure right in every attribute: 90 % of the seed's figures right with every
    # quotation's speaker; 80 % recall and 90 % precision on figures across the test releases
    seed = report["releases"][SEED]
    assert seed["figures"]["right"] / seed["figures"]["expected"] >= 0.9
    assert seed["quotations"]["right"] == seed["quotations"]["expected"] == 2
    others = [scores["figures"] for release, scores in report["releases"].items() if release != SEED]
    right, found, expected = (sum(s[k] for s in others) for k in ("right", "found", "expected"))
    assert right / expected >= 0.8 and right / found >= 0.9
    result = CliRunner().invoke(cli, ["extract", "--evaluate", str(test_data)])
    assert result.exit_code == 0 and result.output.startswith("kind")


@pytest.mark.parametrize("release", ["901_macerata_germania", "902_marche_stati_uniti", "903_ancona_francia", "900_family_test"])
def test_the_draft_of_each_test_release_builds(test_data, tmp_path, release):
    drafts = draft_into(tmp_path / "drafts", test_data, release)
    built = CliRunner().invoke(cli, ["build", "--data", str(drafts), "--out", str(tmp_path / "out")])
    assert built.exit_code == 0, built.output


def test_number_words_in_a_test_release(test_data):
    from kg.draft.extract import extract

    text = (test_data / "releases" / "902_marche_stati_uniti" / "release.txt").read_text(encoding="utf-8")
    amounts = {Decimal(str(f["amount"])) for f in extract(text, "x").facts if f["kind"] == "level"}
    # "due miliardi e mezzo", "il miliardo e 300 milioni", "poco meno di 1,2 miliardi"
    assert amounts == {Decimal("2500000000"), Decimal("1300000000"), Decimal("1200000000")}


def test_a_figure_after_nel_trimestre_shares_its_quarter(test_data):
    from kg.draft.extract import extract

    text = (test_data / "releases" / "901_macerata_germania" / "release.txt").read_text(encoding="utf-8")
    periods_by_amount = {Decimal(str(f["amount"])): f["period"] for f in extract(text, "x").facts if f["kind"] == "level"}
    # "Nel terzo trimestre del 2025 ... 48,3 milioni ... Nei primi nove mesi del 2025 ... 140 milioni ...
    # La meccanica vale circa 21 milioni nel trimestre, la moda poco meno di 10 milioni."
    assert periods_by_amount == {Decimal("48300000"): "2025-Q3", Decimal("140000000"): "2025-01/2025-09",
                                 Decimal("21000000"): "2025-Q3", Decimal("10000000"): "2025-Q3"}


def test_extract_refuses_an_existing_release_folder(seed_draft_dir):
    result = CliRunner().invoke(cli, ["extract", str(DATA / "releases" / SEED / "release.txt"), "--id", SEED,
                                      "--into", str(seed_draft_dir)])
    assert result.exit_code == 2 and "already exists" in result.stderr


def test_extract_to_stdout_and_a_missing_file(tmp_path):
    result = CliRunner().invoke(cli, ["extract", str(FAMILY / "release.txt"), "--id", "900_x"])
    assert result.exit_code == 0 and "kind: share" in result.output and "esclusa la farmaceutica" in result.output
    assert CliRunner().invoke(cli, ["extract", str(tmp_path / "nope.txt")]).exit_code == 2


def test_draft_of_the_seed_finds_posts_the_meeting_and_the_deal(seed_draft_dir):
    import yaml

    draft = yaml.safe_load((seed_draft_dir / "releases" / SEED / "annotation.yaml").read_text(encoding="utf-8"))
    posts = {(f["person"], f["role"], f["organization"]) for f in draft["facts"] if f["kind"] == "post"}
    # "l’Ambasciatore della Repubblica dell’Azerbaigian in Italia, Rashad Aslanov"; "il vicepresidente di
    # Confindustria Ancona con delega all’Export ..., Roberto Morichelli"; "il presidente di Confindustria Ancona, Diego Mingarelli"
    assert posts == {("rashad-aslanov", "ambassador", "republic-of-azerbaijan"),
                     ("roberto-morichelli", "vice-president", "confindustria-ancona"),
                     ("diego-mingarelli", "president", "confindustria-ancona")}
    (meeting,) = [f for f in draft["facts"] if f["kind"] == "meeting"]
    # "che si è tenuto martedì" in a release dated Friday 20 February 2026
    assert meeting["date"] == "2026-02-17" and meeting["date_basis"] == "derived" and meeting["date_weekday"] == "martedì"
    assert meeting["attendees"] == ["confindustria-ancona", "rashad-aslanov"]
    assert meeting["location"] == "confindustria-ancona-premises"
    (deal,) = [f for f in draft["facts"] if f["kind"] == "acquisition"]
    assert (deal["acquirer"], deal["acquired"], deal["status"]) == ("socar", "api", "not-stated")
    quotes = {f["speaker"]: f.get("posts") for f in draft["facts"] if f["kind"] == "quotation"}
    assert quotes == {"roberto-morichelli": ["roberto-morichelli-vice-president"], "diego-mingarelli": ["diego-mingarelli-president"]}


CHINA = ("Titolo\nAncona, 3 marzo 2025 – Nel 2024 le esportazioni delle Marche verso la Cina hanno raggiunto "
         "120 milioni di euro.\nUfficio Stampa Confindustria Ancona")


def test_every_country_of_the_gazetteer_is_read():
    from kg.draft.extract import extract

    (figure,) = [f for f in extract(CHINA, "x").facts if f["kind"] == "level"]
    assert (figure["origin"], figure["destination"]) == ("marche", "china")


def test_a_place_outside_the_allowed_ones_is_marked_for_review_not_guessed():
    from kg.draft.extract import extract

    draft = extract(CHINA, "x", places={"marche", "ancona"})
    (figure,) = [f for f in draft.facts if f["kind"] == "level"]
    assert figure["destination"] == "TODO" and "Cina" in figure["review"] and "ISO CN" in figure["review"]
    assert any("«Cina» (ISO CN)" in note for note in draft.notes)


def test_a_data_folder_place_is_read(tmp_path):
    from kg.draft.extract import extract
    from kg.draft.places import PlaceFinder
    from kg.model.gazetteer import Gazetteer

    (tmp_path / "places.yaml").write_text(
        "places:\n  - id: distretto-conero\n    kind: area\n    name: Distretto del Conero\n    parent: marche\n",
        encoding="utf-8")
    text = ("Titolo\nAncona, 3 marzo 2025 – Nel 2024 le esportazioni del Distretto del Conero verso la Cina hanno "
            "raggiunto 12 milioni di euro.\nUfficio Stampa Confindustria Ancona")
    (figure,) = [f for f in extract(text, "x", places=PlaceFinder(Gazetteer.load(tmp_path))).facts if f["kind"] == "level"]
    assert (figure["origin"], figure["destination"]) == ("distretto-conero", "china")


def test_evaluate_scores_every_kind(test_data):
    from kg.draft.evaluate import evaluate

    totals = evaluate(test_data)["total"]
    assert set(totals) == {"figures", "level", "change", "share", "quotations", "posts", "meetings", "acquisitions", "data sources", "datelines"}
    assert totals["posts"]["expected"] == 3 + 3 and totals["posts"]["recall"] >= 0.8
    assert totals["meetings"]["right"] == totals["acquisitions"]["right"] == 1


def test_scope_and_a_named_reference_year():
    from kg.draft.extract import extract

    text = ("Titolo\nAncona, 3 marzo 2025 – Nel 2024 le esportazioni delle Marche verso la Germania, al netto della "
            "farmaceutica, hanno raggiunto 1,8 miliardi di euro, in crescita del 3,1% sul 2020.\nUfficio Stampa Confindustria Ancona")
    draft = extract(text, "x")
    (figure,) = [f for f in draft.facts if f["kind"] == "level"]
    assert figure["scope"] == "al netto della farmaceutica" and figure["excludes"] == ["pharmaceuticals"]
    assert (figure["origin"], figure["destination"], figure["period"]) == ("marche", "germany", "2024")
    (change,) = [f for f in draft.facts if f["kind"] == "change"]
    assert change["reference"] == "other" and change["reference_period"] == "2020"
    assert change["direction"] == "increase" and change["value"] == Decimal("3.1") and change["unit"] == "percent"
    # on the level's cell: the same flow, origin, destination, period and exclusion
    assert {k: change[k] for k in ("flow", "origin", "destination", "period", "excludes")} == {
        "flow": "export", "origin": "marche", "destination": "germany", "period": "2024", "excludes": ["pharmaceuticals"]}


def test_the_dateline_is_the_town_not_the_province_of_the_same_name():
    from kg.draft.extract import extract

    # "Ancona, 3 marzo 2025": the town (Istat 042002), not the province of Ancona
    assert extract(CHINA, "x").release["dateline"] == "ancona"
    text = CHINA.replace("Ancona, 3 marzo", "Macerata, 3 marzo")
    assert extract(text, "x").release["dateline"] == "macerata"


OLD_KINDS = {"trade", "share-of-facts", "comparison"}


@pytest.mark.parametrize("release", ["901_macerata_germania", "902_marche_stati_uniti", "903_ancona_francia", "900_family_test", SEED])
def test_drafts_state_figures_in_the_new_kinds_only(test_data, release):
    from kg.draft.extract import extract

    text = (test_data / "releases" / release / "release.txt").read_text(encoding="utf-8")
    kinds = {f["kind"] for f in extract(text, "x").facts}
    assert not kinds & OLD_KINDS
    assert {"level", "change"} <= kinds


def test_a_change_is_drafted_on_the_cell_of_its_level(test_data):
    from kg.draft.extract import extract

    text = (test_data / "releases" / "902_marche_stati_uniti" / "release.txt").read_text(encoding="utf-8")
    changes = [f for f in extract(text, "x").facts if f["kind"] == "change"]
    cells = [(f["origin"], f["destination"], f["period"], f["value"], f["unit"], f["direction"], f["reference"],
              f.get("reference_period")) for f in changes]
    # "Nel 2024 ... verso gli Stati Uniti ... il 14,2% in più rispetto al 2020"; "Nel primo semestre 2025 le vendite
    # marchigiane negli Stati Uniti sono scese del 2,2% rispetto al primo semestre 2024"
    assert cells == [("marche", "united-states", "2024", Decimal("14.2"), "percent", "increase", "other", "2020"),
                     ("marche", "united-states", "2025-H1", Decimal("-2.2"), "percent", "decrease",
                      "same-period-previous-year", "2024-H1")]
    assert all(f["flow"] == "export" and f["hedge"] == "exact" for f in changes)


def test_a_share_names_the_whole_it_is_of(test_data):
    from kg.draft.extract import extract

    text = (test_data / "releases" / "900_family_test" / "release.txt").read_text(encoding="utf-8")
    (share,) = [f for f in extract(text, "x").facts if f["kind"] == "share"]
    # "l’export marchigiano verso l’Azerbaigian ha raggiunto 3,6 milioni di euro, pari all’1,2% dell’export italiano"
    assert (share["origin"], share["destination"], share["period"], share["percent"]) == ("marche", "azerbaijan", "2025-H1", Decimal("1.2"))
    assert share["of"] == {"origin": "italy"}
    # "le esportazioni delle Marche verso l’Azerbaigian, esclusa la farmaceutica, sono state pari a 2,4 milioni di euro,
    # in aumento del 12,5%": all goods but pharmaceuticals, not the pharmaceutical sector
    cells = [(f["kind"], f.get("sector"), f.get("excludes")) for f in extract(text, "x").facts if f.get("period") == "2025-Q2"]
    assert cells == [("level", None, ["pharmaceuticals"]), ("change", None, ["pharmaceuticals"])]


def test_the_sign_of_a_percent_outweighs_a_verb():
    from kg.draft.extract import extract

    text = ("Titolo\nAncona, 3 marzo 2025 – Nel 2024 le esportazioni delle Marche verso la Spagna hanno raggiunto "
            "388,9 milioni di euro (-4,1% sul 2023), mentre verso la Francia sono cresciute.\nUfficio Stampa Confindustria Ancona")
    (change,) = [f for f in extract(text, "x").facts if f["kind"] == "change"]
    assert (change["value"], change["direction"], change["destination"]) == (Decimal("-4.1"), "decrease", "spain")
    assert change["reference_period"] == "2023"


def test_goods_sent_to_a_city_go_to_its_country():
    from kg.draft.extract import extract

    text = ("Titolo\nAncona, 3 marzo 2025 – Nel 2024 le esportazioni delle Marche verso Baku hanno raggiunto "
            "12 milioni di euro.\nUfficio Stampa Confindustria Ancona")
    (level,) = [f for f in extract(text, "x").facts if f["kind"] == "level"]
    assert (level["destination"], level["stated_as"]) == ("azerbaijan", "Baku")


@pytest.mark.parametrize("release,provider,elaborated_by", [
    # "I dati Istat, elaborati dall’Ufficio studi della Camera di Commercio dell’Abruzzo Adriatico"
    ("12_chieti_germania_semestre", "istat", "camera-abruzzo-adriatico-studies"),
    # "Secondo i dati provvisori diffusi dall’Istat"
    ("10_umbria_semestre_provvisorio", "istat", None),
])
def test_the_data_source_the_text_names(release, provider, elaborated_by):
    from kg.draft.extract import extract_file

    family = Path(__file__).parent / "family"
    draft = extract_file(family / "releases" / release / "release.txt", data_dir=family)
    (source,) = [f for f in draft.facts if f["kind"] == "data-source"]
    assert (source["provider"], source.get("elaborated_by")) == (provider, elaborated_by)


def test_evaluate_counts_a_figure_wrong_in_one_attribute_as_wrong(tmp_path):
    from kg.draft.evaluate import evaluate

    data = family_data(tmp_path / "data")
    path = data / "releases" / "901_macerata_germania" / "annotation.yaml"
    before = evaluate(data)
    # a curated annotation that places the 140 milioni in the first half instead of the first nine months
    text = path.read_text(encoding="utf-8")
    assert text.count("period: 2025-01/2025-09") == 1
    path.write_text(text.replace("period: 2025-01/2025-09", "period: 2025-H1"), encoding="utf-8")
    after = evaluate(data)
    figures = [report["releases"]["901_macerata_germania"]["figures"] for report in (before, after)]
    assert figures[1]["right"] == figures[0]["right"] - 1 and figures[1]["found"] == figures[0]["found"]
    assert after["paired"] == before["paired"] + 1
    assert {a: n - before["attributes"][a] for a, n in after["attributes"].items() if n != before["attributes"][a]} == {"period": 1}


def test_a_foreign_market_named_without_verso_is_a_destination():
    from kg.draft.extract import extract_file

    family = Path(__file__).parent / "family"
    draft = extract_file(family / "releases" / "12_chieti_germania_semestre" / "release.txt", data_dir=family)
    figures = {(f["kind"], f.get("amount", f.get("value"))): (f["origin"], f["destination"]) for f in draft.facts
               if f["kind"] in ("level", "change")}
    # "Seguono Francia (640,2 milioni) e Spagna (388,9 milioni, +12,0%)": the province's sales to France and Spain,
    # the +12,0% Spain's though the sentence goes on "la flessione"
    assert figures[("level", Decimal("640200000"))] == ("chieti-province", "france")
    assert figures[("level", Decimal("388900000"))] == ("chieti-province", "spain")
    assert figures[("change", Decimal("12.0"))] == ("chieti-province", "spain")


def test_a_place_is_not_both_origin_and_destination():
    from kg.draft.extract import extract_file

    family = Path(__file__).parent / "family"
    draft = extract_file(family / "releases" / "07_roma_emirati_dollari" / "release.txt", data_dir=family)
    figures = {(f["kind"], f.get("amount", f.get("value"))): (f["origin"], f["destination"]) for f in draft.facts
               if f["kind"] in ("level", "change")}
    # "del made in Italy tra i Paesi del Golfo, davanti all'Arabia Saudita, dove l'export italiano ha sfiorato i
    # 6 miliardi (+3,9%)": Italy's exports to Saudi Arabia
    assert figures[("level", Decimal("6000000000"))] == ("italy", "saudi-arabia")
    assert figures[("change", Decimal("3.9"))] == ("italy", "saudi-arabia")


@pytest.mark.parametrize("release,share", [
    # "le vendite teatine si sono attestate a 1.234,6 milioni, il 29,3% del totale provinciale" (first half of 2024)
    ("12_chieti_germania_semestre", ("chieti-province", "germany", "2024-H1", Decimal("29.3"), "exact", {"destination": "world"})),
    # "la provincia di Terni abbia chiuso l’anno con 1.597,3 milioni, il 27,5% del totale regionale": Umbria's 2024
    ("11_umbria_anno_rivisto", ("terni-province", "world", "2024", Decimal("27.5"), "exact", {"origin": "umbria"})),
])
def test_a_share_written_as_a_percentage_of_a_total(release, share):
    from kg.draft.extract import extract_file

    family = Path(__file__).parent / "family"
    draft = extract_file(family / "releases" / release / "release.txt", data_dir=family)
    shares = [(f["origin"], f["destination"], f["period"], f["percent"], f["hedge"], f["of"]) for f in draft.facts
              if f["kind"] == "share"]
    assert shares == [share]


def test_a_signed_percentage_after_an_amount_is_its_change():
    from kg.draft.extract import extract_file

    family = Path(__file__).parent / "family"
    draft = extract_file(family / "releases" / "02_lombardia_associazione_italia" / "release.txt", data_dir=family)
    changes = {f["value"]: (f["origin"], f["destination"], f["period"], f["unit"]) for f in draft.facts if f["kind"] == "change"}
    # "La Lombardia chiude il 2023 ... Verso i Paesi Ue l’export lombardo ha raggiunto 84,0 miliardi (+0,4%), mentre
    # verso i mercati extra Ue si è fermato a 74,4 miliardi (-3,3%). Verso l’Asia le vendite sono scese a 17,8 miliardi
    # (-6,2%)": each change on the cell of the amount it follows
    assert changes[Decimal("0.4")] == ("lombardia", "eu", "2023", "percent")
    assert changes[Decimal("-6.2")] == ("lombardia", "asia", "2023", "percent")
    assert Decimal("-3.3") in changes


def test_the_year_of_a_reference_is_not_the_figure_s_period():
    from kg.draft.extract import extract_file

    family = Path(__file__).parent / "family"
    draft = extract_file(family / "releases" / "06_campania_multipli_2019" / "release.txt", data_dir=family)
    periods = {f["amount"]: f["period"] for f in draft.facts if f["kind"] == "level"}
    # "Nel 2024 le esportazioni della Campania ... Rispetto al 2019 il salto è netto: gli Articoli farmaceutici ...
    # sono quintuplicati, arrivando a 4.118,6 milioni": 2024's figure, compared with 2019
    assert periods[Decimal("4118600000")] == "2024"


FAMILY_CORPUS = Path(__file__).parent / "family"
README = Path(__file__).parent.parent / "README.md"


@pytest.fixture(scope="module")
def family_report():
    from kg.draft.evaluate import evaluate

    return evaluate(FAMILY_CORPUS)


def test_the_family_corpus_meets_the_issues_targets(family_report):
    """On the seventeen family releases: figures strictly right (every attribute) at 90 % recall and 95 %
    precision or more; quotations' speakers and posts at 95 %; every dateline."""
    total = family_report["total"]
    figures = total["figures"]
    assert figures["expected"] == 271  # the figures the curated annotations state: fewer would mean one went missing
    assert figures["right"] / figures["expected"] >= 0.90 and figures["right"] / figures["found"] >= 0.95, figures
    for kind in ("quotations", "posts"):
        assert total[kind]["right"] / total[kind]["expected"] >= 0.95, (kind, total[kind])
    assert total["datelines"]["right"] == total["datelines"]["expected"] == 17


def test_the_readme_shows_the_evaluation_as_the_program_computes_it(family_report):
    from kg.draft.evaluate import format_evaluation

    block = README.read_text(encoding="utf-8").split("$ kg extract --evaluate tests/family\n", 1)[1].split("```", 1)[0]
    assert block == format_evaluation(family_report) + "\n", "the README's evaluation table is stale: paste the output"


def test_a_quote_made_unique_starts_and_ends_on_whole_words():
    from kg.draft.draft import unique_span

    text = "Le vendite crescono del 3,2%. Le vendite in Cina crescono del 3,2% sul 2023."
    sentence = (30, len(text))
    start, end = unique_span(text, text.index("crescono del 3,2%", 30), text.index("crescono del 3,2%", 30) + 17, sentence)
    quote = text[start:end]
    assert text.count(quote) == 1 and quote in text[30:]
    assert (start == 30 or not text[start - 1].isalnum()) and (end == len(text) or not text[end].isalnum())
