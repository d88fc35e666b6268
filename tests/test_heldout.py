"""The held-out corpus (tests/heldout): an honest measure of `kg extract` on text its rules were not
written from.

These five releases (a chamber of commerce note on Savona and Imperia, an ANSA item on Trento, a
trade union research office note on Campania, a Molise regional government note, a Valle d'Aosta
business association note) were written, and their annotations curated by hand, without looking at
the extractor's rules (kg/draft/*.py) and before `kg extract` was first run on them; texts and
annotations were committed before the first evaluation and are not to be changed to raise the
score. The first measure (`kg extract --evaluate tests/heldout`) found 50 of 73 figures right in
every attribute among 65 drafted: 68 % recall, 77 % precision. The kinds of constructions it missed
(described in general words, not the texts) were then given to the rule writers, who did not read the
texts: 58 of 73 right among 67 drafted (79 %, 87 %). So the corpus is no longer wholly unseen: its
score flatters too, less than the family corpus's. The floors below are the last measure rounded
down to the next 5 %: they catch a regression, they are not a target.
"""

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli

HELDOUT = Path(__file__).parent / "heldout"


@pytest.fixture(scope="module")
def heldout(tmp_path_factory):
    target = tmp_path_factory.mktemp("heldout") / "data"
    shutil.copytree(HELDOUT, target)
    return target


def test_the_heldout_corpus_builds_and_conforms(heldout, tmp_path):
    result = CliRunner().invoke(cli, ["build", "--data", str(heldout), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "releases: 5" in result.output and "conforms: yes" in result.output


def test_extract_on_the_heldout_corpus_keeps_its_floor(heldout):
    from kg.draft.evaluate import evaluate

    report = evaluate(heldout)
    # the figures a person reads off each text (levels, changes, shares, ranks, ratios, projections;
    # headlines included): 01 Savona/Imperia 11, 02 Trento 18, 03 Campania 17, 04 Molise 14, 05 Aosta 13
    expected = {release: scores["figures"]["expected"] for release, scores in report["releases"].items()}
    assert expected == {
        "01_savona_camera_semestre": 11,
        "02_ansa_trento_anno": 18,
        "03_campania_sindacato_province": 17,
        "04_molise_regione_nove_mesi": 14,
        "05_aosta_associazione_anno": 13,
    }
    figures = report["total"]["figures"]
    assert figures["expected"] == 73
    # measured 58 right of 73 expected, 67 found: recall 79 %, precision 87 %; floors 75 % and 85 %
    assert figures["right"] / figures["expected"] >= 0.75
    assert figures["right"] / figures["found"] >= 0.85
