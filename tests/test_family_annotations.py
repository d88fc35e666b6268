"""The curated annotations of the family corpus (tests/family/releases/NN_slug/annotation.yaml) say
what a person read off each text (its truth.yaml, schema in tests/family/README.md), figure by figure.

The annotations are in the fact model's format (one measure on one cell: kinds level, change, share,
rank, ratio, projection); truth.yaml is independent of it and names places and sectors in words.
These tests map those words to ids through the gazetteer with the corpus's own places.yaml and
sectors.yaml, and hold every annotated figure to its truth: same evidence, value, measure, unit,
hedge, precision, cell (flow, origin, destination, period, sector, exclusions) and reference
period. They read the files with PyYAML and need no loader.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache

import pytest
import yaml

from family_files import FAMILY, RELEASES_DIR, text, truth
from kg.model.gazetteer import Gazetteer

RELEASES = sorted(p.name for p in RELEASES_DIR.iterdir() if p.is_dir())

FIGURE_KINDS = {"level", "change", "share", "rank", "ratio", "projection"}
# truth's measure: (the annotation's kind, the field its value is in)
MEASURES = {
    "level": ("level", "amount"),
    "projection": ("projection", "amount"),
    "change_percent": ("change", "value"),
    "change_amount": ("change", "value"),
    "change_multiple": ("change", "value"),
    "change_points": ("change", "value"),
    "share": ("share", "percent"),
    "rank": ("rank", "position"),
    "ratio": ("ratio", "value"),
}
HEDGES = {"none": "exact", "about": "about", "more_than": "more-than", "less_than": "less-than", "almost": "almost",
          "at_least": "at-least", "at_most": "at-most"}
PLACE_KINDS = {"plant": "site", "company": "site"}  # truth's kinds that the gazetteer calls otherwise
# How a person reads each scope of the corpus: a sector the cell is (manufacturing), or what it leaves out.
SCOPES = {
    "manifatturiero": ("sector", "C"),
    "al netto dei prodotti petroliferi": ("excludes", "CD"),
    "al netto dei prodotti petroliferi raffinati": ("excludes", "CD"),
    "al netto del farmaceutico": ("excludes", "CF"),
    "esclusa la nautica": ("excludes", "30"),
    "al netto di Cantieri Tigullio": ("excludes", "cantieri-tigullio-riva-trigoso"),
}


class _DecimalLoader(yaml.SafeLoader):
    """PyYAML's safe loader, with every number with a fraction read as a Decimal from its digits."""


_DecimalLoader.add_constructor("tag:yaml.org,2002:float", lambda loader, node: Decimal(loader.construct_scalar(node)))


@cache
def gazetteer() -> Gazetteer:
    return Gazetteer.load(FAMILY)


@cache
def annotation(release: str) -> dict:
    return yaml.load((RELEASES_DIR / release / "annotation.yaml").read_text(encoding="utf-8"), Loader=_DecimalLoader)


def figures(release: str) -> list[dict]:
    return [f for f in annotation(release)["facts"] if f["kind"] in FIGURE_KINDS]


def place_id(place: dict) -> str:
    """The gazetteer's one place of that name and kind."""
    kind = PLACE_KINDS.get(place["kind"], place["kind"])
    found = [p.id for p in gazetteer().find(place["name"]) if p.kind == kind]
    assert len(found) == 1, (place, found)
    return found[0]


def same_goods(sector_id: str, word: str) -> bool:
    """Whether the sector is one the word names, or the only division of a sub-section it names (CK is 28)."""
    for candidate in gazetteer().find_sector(word):
        narrower = [s.id for s in gazetteer().sectors() if s.broader == candidate.id]
        if sector_id == candidate.id or narrower == [sector_id]:
            return True
    return False


def decimal(value) -> Decimal:
    return Decimal(str(value))


def truth_cell(fig: dict) -> dict:
    """The cell a truth figure is on, in the annotation's terms (sector: a word to compare with same_goods)."""
    cell = {"flow": fig["flow"], "origin": place_id(fig["origin"]), "destination": place_id(fig["destination"]),
            "period": fig["period"]["value"], "sector": fig["sector"], "excludes": set()}
    for scope in fig["scope"]:
        what, target = SCOPES[scope]
        if what == "sector":
            cell["sector"] = target
        else:
            cell["excludes"].add(target)
    return cell


def annotated_cell(fact: dict) -> dict:
    return {"flow": fact["flow"], "origin": fact["origin"], "destination": fact["destination"],
            "period": str(fact["period"]), "sector": fact.get("sector"), "excludes": set(fact.get("excludes", []))}


def quotes(fact: dict) -> list[str]:
    return fact["evidence"] if isinstance(fact["evidence"], list) else [fact["evidence"]]


def matching(release: str, fig: dict) -> dict:
    """The annotated figure with the truth figure's evidence (and the words its scale is in, when they are
    elsewhere: a table's header) and measure."""
    kind, field = MEASURES[fig["kind"]]
    evidence = [fig["evidence"]]
    if "scale_evidence" in fig and fig["scale_evidence"] not in fig["evidence"]:
        evidence.append(fig["scale_evidence"])
    found = [f for f in figures(release) if quotes(f) == evidence and f["kind"] == kind
             and decimal(f[field]) == decimal(fig["value"]) and (kind != "change" or f["unit"] == fig["unit"])]
    assert len(found) == 1, (release, fig["id"], fig["evidence"], len(found))
    return found[0]


def same_sector(annotated: str | None, truth_sector: str | None) -> bool:
    if truth_sector is None or annotated is None:
        return annotated == truth_sector
    return annotated == truth_sector or same_goods(annotated, truth_sector)


@pytest.mark.parametrize("release", RELEASES)
def test_the_annotation_has_one_figure_per_figure_of_the_truth(release):
    assert annotation(release)["release"]["id"] == release
    assert len(figures(release)) == len(truth(release)["figures"])
    ids = [f["id"] for f in annotation(release)["facts"]]
    assert len(ids) == len(set(ids)), "fact ids are unique"


@pytest.mark.parametrize("release", RELEASES)
def test_every_quote_is_verbatim_and_once_in_the_text(release):
    body = text(release)
    for fact in annotation(release)["facts"]:
        for quote in quotes(fact):
            assert body.count(quote) == 1, (fact["id"], quote)
        for key in ("hedge_words", "scope", "stated_as", "magnitude_words", "denominator_words"):
            if key in fact:
                assert any(fact[key] in quote for quote in quotes(fact)), (fact["id"], key)
    assert body.count(str(annotation(release)["release"]["evidence"])) == 1


@pytest.mark.parametrize("release", RELEASES)
def test_each_figure_has_the_truths_value_measure_and_cell(release):
    for fig in truth(release)["figures"]:
        fact = matching(release, fig)
        where = (release, fig["id"], fact["id"])
        cell, annotated = truth_cell(fig), annotated_cell(fact)
        assert same_sector(annotated.pop("sector"), cell.pop("sector")), where
        assert annotated == cell, where
        assert fact["hedge"] == HEDGES[fig["hedge"]], where
        if fig["hedge"] != "none":
            assert fact["hedge_words"] == fig["hedge_evidence"], where
        assert decimal(fact["precision"]) == decimal(fig["precision"]), where
        assert fact.get("period_basis", "stated") == fig["period"]["basis"], where
        assert fact.get("status") == fig.get("status"), where
        if fact["kind"] in ("level", "projection", "change", "ratio"):
            assert fact["unit"] == fig["unit"], where
        if fact["kind"] == "change":
            reference = fig["reference_period"]
            assert str(fact["reference_period"]) == reference["value"], where
            assert fact.get("reference_basis", "stated") == reference["basis"], where
        else:
            assert "reference_period" not in fig, where


@pytest.mark.parametrize("release", RELEASES)
def test_a_share_is_of_the_whole_the_truth_names(release):
    """The whole of a share (its cell: this cell with the fields ``of`` changes) is the cell of the level
    the truth names as the whole, when the text states one."""
    by_id = {f["id"]: f for f in truth(release)["figures"]}
    for fig in truth(release)["figures"]:
        if fig["kind"] != "share" or "whole_figure" not in fig["of"]:
            continue
        fact = matching(release, fig)
        whole = annotated_cell(fact) | {k: (set(v) if k == "excludes" else v) for k, v in fact["of"].items()}
        expected = truth_cell(by_id[fig["of"]["whole_figure"]])
        assert same_sector(whole.pop("sector"), expected.pop("sector")), (release, fig["id"])
        assert whole == expected, (release, fig["id"])


@pytest.mark.parametrize("release", RELEASES)
def test_ranks_and_ratios_say_what_they_are_among_and_of(release):
    for fig in truth(release)["figures"]:
        if fig["kind"] == "rank":
            fact = matching(release, fig)
            among = fig["of"]["among"].lower()
            expected = ("origins" if among.startswith(("province", "regioni")) else
                        "sectors" if among.startswith("voci") else "destinations")
            assert fact["among"] == expected and fact.get("by", "level") == "level", (release, fig["id"])
        if fig["kind"] == "ratio":
            fact = matching(release, fig)
            words = fig["of"]["denominator"]
            expected = ("national-average" if "media" in words else "value-added" if "valore aggiunto" in words else
                        "resident")
            assert fact["denominator"] == expected, (release, fig["id"])


@pytest.mark.parametrize("release", RELEASES)
def test_data_sources_and_people_are_the_truths(release):
    doc, facts = truth(release), annotation(release)["facts"]
    registry = yaml.safe_load((FAMILY / "registry.yaml").read_text(encoding="utf-8"))
    names = {o["id"]: o["name"] for o in registry["organizations"]}
    people = {p["id"]: p["name"] for p in registry["people"]}
    sources = [f for f in facts if f["kind"] == "data-source"]
    if doc["release"]["data_source"] is None:
        assert not sources
    else:
        stated = doc["release"]["data_source"]
        assert any(s["evidence"] == stated["evidence"] for s in sources), release
        first = next(s for s in sources if s["evidence"] == stated["evidence"])
        assert stated["name"].startswith(names[first["provider"]])
        assert names.get(first.get("elaborated_by")) == stated["elaborated_by"]
    roles = {r["id"]: r["it"] for r in registry["roles"]}
    posts = {f["id"]: f for f in facts if f["kind"] == "post"}
    assert sorted((people[p["person"]], roles[p["role"]], names[p["organization"]]) for p in posts.values()) == sorted(
        (p["person"], p["role"].replace("segretaria", "segretario"), p["organisation"]) for p in doc["posts"])
    quotations = [f for f in facts if f["kind"] == "quotation"]
    assert len(quotations) == len(doc["quotations"])
    for q in doc["quotations"]:
        (fact,) = [f for f in quotations if f["evidence"] == q["evidence"]]
        assert people[fact["speaker"]] == q["speaker"]
        assert sorted((roles[posts[p]["role"]], names[posts[p]["organization"]]) for p in fact["posts"]) == sorted(
            (p["role"].replace("segretaria", "segretario"), p["organisation"]) for p in q["posts"])
