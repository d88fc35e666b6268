"""`kg synth`: a deterministic synthetic corpus that builds and validates like curated data, in the fact model."""

import hashlib
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from kg.cli import cli


def digest(folder: Path) -> str:
    sha = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            sha.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return sha.hexdigest()


def annotations(folder: Path) -> dict[str, dict]:
    return {path.parent.name: yaml.safe_load(path.read_text(encoding="utf-8"))
            for path in sorted((folder / "releases").glob("*/annotation.yaml"))}


def texts(folder: Path) -> dict[str, str]:
    return {path.parent.name: path.read_text(encoding="utf-8") for path in sorted((folder / "releases").glob("*/release.txt"))}


def number(words: str) -> Decimal:
    """An Italian figure as a release writes it: '1.234,6' is 1234.6."""
    return Decimal(words.replace(".", "").replace(",", "."))


SCALES = {"milioni": Decimal(10**6), "miliardi": Decimal(10**9), "mila": Decimal(1000)}
AMOUNT = r"(\d[\d.]*(?:,\d+)?) (milioni|miliardi|mila)"


def amount(figure: str, scale: str) -> tuple[Decimal, Decimal]:
    """(the amount, one unit of its last digit) of '1.234,6' 'milioni'."""
    decimals = len(figure.partition(",")[2])
    return number(figure) * SCALES[scale], Decimal(1).scaleb(-decimals) * SCALES[scale]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """222 releases, seed 11: the planted pairs of releases 20-21, 22-23 and 220-221 (222's partner is not in it)."""
    from kg.draft.synth import synthesize

    return synthesize(222, tmp_path_factory.mktemp("synth") / "corpus", seed=11)


def test_a_small_synthetic_corpus_builds_and_conforms_without_warnings(tmp_path):
    result = CliRunner().invoke(cli, ["synth", "12", "--out", str(tmp_path / "corpus"), "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "corpus" / "releases").iterdir())) == 12
    built = CliRunner().invoke(cli, ["build", "--data", str(tmp_path / "corpus"), "--out", str(tmp_path / "out")])
    assert built.exit_code == 0, built.output
    assert "releases: 12" in built.output and "conforms: yes" in built.output
    assert "warnings" not in built.output and built.stderr == ""


def test_same_count_and_seed_give_the_same_files(tmp_path):
    for name, seed in (("a", "7"), ("b", "7"), ("c", "8")):
        assert CliRunner().invoke(cli, ["synth", "6", "--out", str(tmp_path / name), "--seed", seed]).exit_code == 0
    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    assert digest(tmp_path / "a") != digest(tmp_path / "c")


def test_the_corpus_uses_every_measure_kind_and_none_of_the_older_kinds(corpus):
    facts = [fact for annotation in annotations(corpus).values() for fact in annotation["facts"]]
    kinds = Counter(fact["kind"] for fact in facts)
    assert {"level", "change", "share", "rank", "ratio", "projection", "data-source",
            "post", "quotation", "meeting", "acquisition", "sectors"} <= set(kinds)
    assert not {"trade", "share-of-facts", "comparison"} & set(kinds)
    changes = Counter(fact.get("unit") for fact in facts if fact["kind"] == "change")
    assert {"percent", "EUR", "points"} <= set(changes)
    wholes = {tuple(sorted(fact["of"].items())) for fact in facts if fact["kind"] == "share"}
    assert {(("destination", "world"),), (("sector", None),), (("origin", "italy"),)} <= wholes
    assert any(fact["of"].get("origin") not in (None, "italy") for fact in facts if fact["kind"] == "share")  # a region
    ranks = {(fact["among"], fact.get("among_kind")) for fact in facts if fact["kind"] == "rank"}
    assert ranks == {("destinations", "country"), ("origins", "province")}
    hedges = {fact["hedge"] for fact in facts if fact["kind"] == "level"}
    assert hedges == {"exact", "about", "more-than", "less-than", "almost", "at-least", "at-most"}
    registry = yaml.safe_load((corpus / "registry.yaml").read_text(encoding="utf-8"))
    organisations = {o["id"] for o in registry["organizations"]}
    for fact in facts:
        if fact["kind"] == "data-source":
            assert fact["provider"] == "istat" and {fact["provider"], fact["elaborated_by"]} <= organisations


def test_every_release_states_what_its_annotation_says(corpus):
    """Each evidence quote is found in its text (the loader refuses otherwise) and the corpus loads."""
    from kg.pipeline.corpus import load_corpus

    loaded = load_corpus(corpus)
    assert len(loaded.releases) == 222
    for release in loaded.releases:
        for fact in release.facts:
            for span in fact.evidence:
                assert release.text[span.start:span.end] == span.quote


def test_a_share_read_off_a_text_agrees_with_the_levels_it_states(corpus):
    """"Nel 2021 le esportazioni ... hanno raggiunto 1.234,6 milioni di euro ... Verso la Germania, ..., le vendite
    sono state pari a 345,6 milioni, il 28,0% del totale": 345,6 / 1.234,6 is 28,0% within the figures' rounding."""
    lead = re.compile(rf"le esportazioni [^.]*? (?:hanno raggiunto|si sono attestate a) {AMOUNT} di euro")
    part = re.compile(rf"le vendite sono state pari a {AMOUNT}, (?:il |l’)(\d+,\d)% del totale")
    checked = 0
    for text in texts(corpus).values():
        whole, share = lead.search(text), part.search(text)
        if not (whole and share):
            continue
        (w, wp), (p, pp) = amount(*whole.groups()), amount(share.group(1), share.group(2))
        stated = number(share.group(3))
        low, high = 100 * (p - pp / 2) / (w + wp / 2), 100 * (p + pp / 2) / (w - wp / 2)
        assert low - Decimal("0.05") <= stated <= high + Decimal("0.05"), text
        checked += 1
    assert checked >= 3


def test_a_change_read_off_a_text_agrees_with_the_levels_it_states(corpus):
    """"... hanno raggiunto 1.234,6 milioni di euro, in aumento del 4,2% ... Un anno prima le vendite estere ... erano
    1.184,8 milioni": 1.234,6 / 1.184,8 - 1 is 4,2% within the figures' rounding."""
    lead = re.compile(rf"(?:hanno raggiunto|si sono attestate a) {AMOUNT} di euro, in (aumento|calo) (?:del |dell’|dello )(\d+,\d)%")
    before = re.compile(rf"erano {AMOUNT} nello stesso periodo del")
    checked = 0
    for text in texts(corpus).values():
        now, then = lead.search(text), before.search(text)
        if not (now and then):
            continue
        (c, cp), (r, rp) = amount(now.group(1), now.group(2)), amount(*then.groups())
        stated = number(now.group(4)) * (1 if now.group(3) == "aumento" else -1)
        low, high = 100 * ((c - cp / 2) / (r + rp / 2) - 1), 100 * ((c + cp / 2) / (r - rp / 2) - 1)
        assert low - Decimal("0.05") <= stated <= high + Decimal("0.05"), text
        checked += 1
    assert checked >= 1


def test_the_planted_restatements_warn_once_each_and_the_rounded_one_not_at_all(corpus, tmp_path):
    """Releases 20 and 21 (and 220, 221) state one month of a region with values further apart than their precision:
    one warning each pair, on the final figure. Release 23 rounds release 22's figure to billions: no warning."""
    from kg.pipeline.corpus import build

    written = texts(corpus)
    provisional = re.search(rf"Secondo i dati provvisori, a (\w+ \d{{4}}) le esportazioni (.+?) sono state pari a {AMOUNT}",
                            written["00020_synth"])
    final = re.search(rf"Il dato definitivo di (\w+ \d{{4}}) porta le esportazioni (.+?) a {AMOUNT}", written["00021_synth"])
    assert provisional and final and provisional.groups()[:2] == final.groups()[:2]
    (old, old_p), (new, new_p) = amount(*provisional.groups()[2:]), amount(*final.groups()[2:])
    assert abs(new - old) > (old_p + new_p) / 2
    precise = re.search(rf"Va ricordato che nel solo mese di (\w+ \d{{4}}) (.+?) ha esportato {AMOUNT}", written["00022_synth"])
    rounded = re.search(rf"Come già noto, nel solo mese di (\w+ \d{{4}}) (.+?) ha esportato {AMOUNT}", written["00023_synth"])
    assert precise and rounded and precise.groups()[:2] == rounded.groups()[:2]
    assert (precise.group(4), rounded.group(4)) == ("milioni", "miliardi")
    (exact, exact_p), (short, short_p) = amount(*precise.groups()[2:]), amount(*rounded.groups()[2:])
    assert abs(exact - short) <= (exact_p + short_p) / 2

    result = build(corpus, tmp_path / "out")
    assert result.report.conforms, result.report.text()
    assert result.summary["violations"] == 0
    warnings = result.report.warnings
    assert [w.rule for w in warnings] == ["a figure restated with another value"] * 2
    assert sorted(re.search(r"/release/(\w+)/", w.node).group(1) for w in warnings) == ["00021_synth", "00221_synth"]
    messages = " ".join(w.message for w in warnings)
    assert "00020_synth" in messages and "00220_synth" in messages  # the figure each restates
    assert "00022_synth" not in messages and "00023_synth" not in messages


def test_synth_refuses_a_non_empty_folder(tmp_path):
    assert CliRunner().invoke(cli, ["synth", "2", "--out", str(tmp_path / "x")]).exit_code == 0
    result = CliRunner().invoke(cli, ["synth", "2", "--out", str(tmp_path / "x")])
    assert result.exit_code == 2 and "not empty" in result.stderr
