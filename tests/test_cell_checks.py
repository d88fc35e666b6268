"""The checks across figures of the fact model, on tests/checks (two releases written by the team).

What a person reads off the two texts: the first (12 September 2023) gives Marche's exports in the
first half of 2023 (9.874,2 million euro), the same half of 2022 (9.306,5 million) and the change
(+6,1%: 9.874,2 / 9.306,5 is 1.0610), the provinces of Ancona (2.915,3 million) and Macerata
(1.402,7 million), Germany (1.210,4 million, "pari al 12,3%" of the region's total: 12.26 %) and
mechanics (2.130,8 million). The second (5 December 2023) restates the regional total as
"9,9 miliardi" (9.85 to 9.95 billion at its precision: 9.874,2 million agrees) and Ancona as
2.871,6 million (it does not agree with 2.915,3): a restatement, whose current value is the later
release's. Each test below then breaks one figure of the first release, text and annotation alike,
as a careless writer might, and the check that must catch it does.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from kg.pipeline.corpus import build

CHECKS = Path(__file__).resolve().parent / "checks"
FIRST = "960_marche_semestre"
SECOND = "961_marche_semestre_rivisto"
RESTATED = "a figure restated with another value"
WITHIN = "a part does not exceed its whole (a province its region, a partner the world, a sector all goods, part of a year the year)"
SHARE = "a share agrees with the levels of its cells"
CHANGE = "a change agrees with the levels it compares"


def fact(release: str, fact_id: str) -> str:
    return f"https://example.org/kg/id/release/{release}/fact/{fact_id}"


@pytest.fixture(scope="module")
def consistent(tmp_path_factory):
    return build(CHECKS, tmp_path_factory.mktemp("out"))


def broken(tmp_path: Path, written: str, rewritten: str, field: str, value: str):
    """The corpus with one figure of the first release written otherwise, in its text and its annotation."""
    data = tmp_path / "data"
    shutil.copytree(CHECKS, data)
    folder = data / "releases" / FIRST
    for name, old, new in (("release.txt", written, rewritten), ("annotation.yaml", written, rewritten),
                           ("annotation.yaml", field, value)):
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert text.count(old) >= 1, (name, old)
        path.write_text(text.replace(old, new), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.ttl").write_bytes(b"# previous\n")
    return build(data, out), out


def test_figures_that_agree_conform_and_the_revised_province_is_the_one_warning(consistent):
    report = consistent.report
    assert report.conforms, report.text()
    assert report.violations == []
    [warning] = report.warnings
    assert warning.rule == RESTATED
    # reported on the first release's figure, naming the second's value, quote and release
    assert warning.node == fact(FIRST, "ancona-2023h1")
    assert warning.message.startswith("2915300000 here, but release 961_marche_semestre_rivisto gives 2871600000 ")
    assert "«Per la provincia di Ancona il valore aggiornato è di 2.871,6 milioni di euro»" in warning.message
    assert warning.message.endswith("The current value is that of release 961_marche_semestre_rivisto "
                                    "(a final figure before a revised one before an unmarked one before a provisional one, then the later release)")
    assert warning.sentence == "La provincia di Ancona ha esportato 2.915,3 milioni di euro, quella di Macerata 1.402,7 milioni."


def test_a_rounded_restatement_within_its_precision_is_no_finding(consistent):
    """"9,9 miliardi" (9.85 to 9.95 billion) and 9.874,2 million are the same value."""
    assert not [f for f in consistent.report.findings if "marche-2023h1" in f.node]


def test_the_graph_with_only_warnings_is_written(consistent):
    assert consistent.output is not None and consistent.output.is_file()
    assert consistent.summary["warnings"] == 1 and consistent.summary["violations"] == 0


def test_a_province_above_its_region_fails_and_keeps_the_previous_graph(tmp_path):
    result, out = broken(tmp_path, "2.915,3 milioni", "12.915,3 milioni", "amount: 2915300000", "amount: 12915300000")
    assert not result.report.conforms
    [violation] = result.report.violations
    assert (violation.rule, violation.node) == (WITHIN, fact(FIRST, "ancona-2023h1"))
    # 12.915,3 million (give or take 50,000) against the region's highest stated value, "9,9 miliardi" (at most 9.95 bn),
    # named with the second release and its words
    assert violation.message == ("at least 12915250000 EUR, more than Marche exports to the world, January–June 2023 can be: "
                                 "at most 9950000000 EUR (figure marche-2023h1 of release 961_marche_semestre_rivisto, "
                                 "9900000000 EUR «le esportazioni marchigiane del primo semestre 2023 a 9,9 miliardi di euro»)")
    assert violation.sentence == "La provincia di Ancona ha esportato 12.915,3 milioni di euro, quella di Macerata 1.402,7 milioni."
    assert (out / "graph.ttl").read_bytes() == b"# previous\n"


def test_a_sector_above_all_goods_fails(tmp_path):
    result, _out = broken(tmp_path, "2.130,8 milioni", "12.130,8 milioni", "amount: 2130800000", "amount: 12130800000")
    assert [(f.rule, f.node) for f in result.report.violations] == [(WITHIN, fact(FIRST, "marche-mechanics-2023h1"))]


def test_a_partner_above_the_world_fails_and_so_does_its_share(tmp_path):
    result, _out = broken(tmp_path, "1.210,4 milioni", "11.210,4 milioni", "amount: 1210400000", "amount: 11210400000")
    assert sorted((f.rule, f.node) for f in result.report.violations) == [
        (WITHIN, fact(FIRST, "marche-germany-2023h1")),
        (SHARE, fact(FIRST, "marche-germany-2023h1-share")),
    ]


def test_a_share_its_levels_contradict_fails_with_the_range_they_allow(tmp_path):
    result, _out = broken(tmp_path, "12,3%", "21,3%", "percent: 12.3", "percent: 21.3")
    [violation] = result.report.violations
    assert (violation.rule, violation.node) == (SHARE, fact(FIRST, "marche-germany-2023h1-share"))
    # 1.210,35 / 9.950 = 12.1643 % and 1.210,45 / 9.850 = 12.2888 %: the loosest of the region's two values; 21,3 % is
    # above, the bound of Germany's 1.210,4 million (first release) over the region's "9,9 miliardi" (second release)
    assert violation.message == ("the stated share 21.3 % (within its precision and hedge) is outside what the levels stated "
                                 "for Marche exports to Germany, January–June 2023 and Marche exports to the world, "
                                 "January–June 2023 allow: 12.1643 % to 12.2888 % (the part: figure marche-germany-2023h1 "
                                 "of release 960_marche_semestre, 1210400000 EUR «Verso la Germania sono partiti beni per "
                                 "1.210,4 milioni»; the whole: figure marche-2023h1 of release 961_marche_semestre_rivisto, "
                                 "9900000000 EUR «le esportazioni marchigiane del primo semestre 2023 a 9,9 miliardi di euro»)")


def test_a_change_its_levels_contradict_fails_with_the_range_they_allow(tmp_path):
    result, _out = broken(tmp_path, "6,1%", "9,1%", "value: 6.1", "value: 9.1")
    [violation] = result.report.violations
    assert (violation.rule, violation.node) == (CHANGE, fact(FIRST, "marche-2023h1-change"))
    # 9.850 / 9.306,55 - 1 = 5.84 % and 9.950 / 9.306,45 - 1 = 6.92 %; 9,1 % is above, the bound of the region's
    # "9,9 miliardi" (second release) against the 9.306,5 million of 2022 (first release)
    assert violation.message == ("the stated change 9.1 % (within its precision and hedge) is outside what the levels of this "
                                 "cell and of Marche exports to the world, January–June 2022 allow: 5.84 to 6.92 % (this cell: "
                                 "figure marche-2023h1 of release 961_marche_semestre_rivisto, 9900000000 EUR «le esportazioni "
                                 "marchigiane del primo semestre 2023 a 9,9 miliardi di euro»; the reference: figure "
                                 "marche-2022h1 of release 960_marche_semestre, 9306500000 EUR «rispetto ai 9.306,5 milioni "
                                 "dello stesso periodo del 2022»)")


def test_a_change_of_the_wrong_sign_fails(tmp_path):
    result, _out = broken(tmp_path, "in crescita del 6,1%", "in calo del 6,1%", "value: 6.1", "value: -6.1")
    [violation] = result.report.violations
    assert (violation.rule, violation.node) == (CHANGE, fact(FIRST, "marche-2023h1-change"))
    # below what the levels allow: the region's lowest value, "9,9 miliardi" (at least 9.85 bn, second release), against
    # the 9.306,5 million of 2022 (first release)
    assert violation.message.endswith(
        "allow: 5.84 to 6.92 % (this cell: figure marche-2023h1 of release 961_marche_semestre_rivisto, 9900000000 EUR "
        "«le esportazioni marchigiane del primo semestre 2023 a 9,9 miliardi di euro»; the reference: figure marche-2022h1 "
        "of release 960_marche_semestre, 9306500000 EUR «rispetto ai 9.306,5 milioni dello stesso periodo del 2022»)")


def test_a_later_release_marked_final_gives_the_current_value_even_when_published_first(tmp_path):
    """The second release's province figure is marked final; published before the first, it stays the current one."""
    data = tmp_path / "data"
    shutil.copytree(CHECKS, data)
    for folder, old, new in ((SECOND, "2023-12-05", "2023-09-01"), (SECOND, "5 dicembre 2023", "1 settembre 2023")):
        for name in ("annotation.yaml", "release.txt"):
            path = data / "releases" / folder / name
            path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    result = build(data, tmp_path / "out")
    [warning] = result.report.warnings
    assert warning.message.endswith("The current value is that of release 961_marche_semestre_rivisto "
                                    "(a final figure before a revised one before an unmarked one before a provisional one, then the later release)")


FAMILY = Path(__file__).resolve().parent / "family"


def test_the_family_corpus_fails_on_its_two_contradictions_and_warns_of_the_revision(tmp_path):
    """tests/family/README.md: 14_ states a province (Syracuse, 6.870,2 million) above its region (Sicily) and a
    share (58,1 %) its levels contradict; 15_ a change (-12,4 %) that its two levels (5.102,0 and 3.683,4
    million: -27.8 %) contradict. 11_ quotes the provisional half-year figure of 10_ (2.911,4 million) and its
    revised value (2.958,0 million): a restatement, twice. 13_ restates 12_'s 1.234,6 million as "1,2 miliardi":
    the same value, no finding."""
    result = build(FAMILY, tmp_path / "out")
    assert not result.report.conforms
    violations = sorted((f.rule, f.node.split("/release/")[1]) for f in result.report.violations)
    assert violations == [
        (CHANGE, "15_basilicata_contraddizione/fact/basilicata-export-2023-vs-2022"),
        (WITHIN, "14_sicilia_contraddizione/fact/siracusa-export-2024-h1"),
        (SHARE, "14_sicilia_contraddizione/fact/siracusa-export-2024-h1-share"),
    ]
    warnings = result.report.warnings
    # the revised value, against the provisional one as 10_ states it and as 11_ quotes it
    assert [(f.rule, f.node.split("/release/")[1]) for f in warnings] == [
        (RESTATED, "11_umbria_anno_rivisto/fact/umbria-export-2024-h1-revised")] * 2
    assert all("2958000000 here" in f.message and "gives 2911400000" in f.message for f in warnings), warnings
    assert all(f.message.endswith("The current value is that of release 11_umbria_anno_rivisto (a final figure before a revised "
                                  "one before an unmarked one before a provisional one, then the later release)") for f in warnings)
    assert not [f for f in result.report.findings if "12_chieti" in f.node or "13_agi" in f.node]


def test_a_projection_on_the_cell_of_a_level_restates_nothing(tmp_path):
    """Were the second release's Ancona figure a projection (not observed), it would not restate the first's level."""
    data = tmp_path / "data"
    shutil.copytree(CHECKS, data)
    path = data / "releases" / SECOND / "annotation.yaml"
    text = path.read_text(encoding="utf-8")
    old = "  - id: ancona-2023h1\n    kind: level\n"
    assert old in text
    path.write_text(text.replace(old, "  - id: ancona-2023h1\n    kind: projection\n"), encoding="utf-8")
    result = build(data, tmp_path / "out")
    assert result.report.conforms and result.report.findings == [], result.report.text()


REVISIONS = Path(__file__).resolve().parent / "revisions"
REVISED = "970_bergamo_export_rivisto"
REPEATED = "971_bergamo_export_convegno"


@pytest.fixture(scope="module")
def revisions(tmp_path_factory):
    """tests/revisions: on 14 June 2024 a release says Bergamo's exports in 2023 were "rivisto al rialzo a 18.412,6
    milioni"; on 2 July 2024 another repeats the first estimate, 18.187,3 milioni, with no status."""
    return build(REVISIONS, tmp_path_factory.mktemp("out"))


def test_a_revised_figure_is_current_before_a_later_figure_whose_status_is_not_stated(revisions):
    [warning] = revisions.report.warnings
    assert (warning.rule, warning.node) == (RESTATED, fact(REVISED, "bergamo-2023"))
    assert warning.message.startswith(f"18412600000 here, but release {REPEATED} gives 18187300000 ")
    assert "«Le imprese della provincia di Bergamo hanno esportato nel 2023 beni per 18.187,3 milioni di euro»" in warning.message
    assert warning.message.endswith(f"The current value is that of release {REVISED} (a final figure before a revised one "
                                    "before an unmarked one before a provisional one, then the later release)")


def test_the_queries_give_the_revised_figure_as_current(revisions):
    from conftest import select

    rows = select(revisions.graph, "restatements")
    assert [(r["value"], r["release"], r["status"], r["current"]) for r in rows] == [
        ("18412600000", REVISED, "revised", True), ("18187300000", REPEATED, None, False)]
    rows = select(revisions.graph, "figure-history")
    assert [(r["value"], r["release"], r["current"]) for r in rows] == [
        ("18412600000", REVISED, True), ("18187300000", REPEATED, False)]
    # exports-by-period gives each cell's current level: the revised figure, though the other release is later
    rows = select(revisions.graph, "exports-by-period")
    assert [(r["amount"], r["release"], r["status"], r["releases"]) for r in rows] == [(Decimal("18412600000"), REVISED, "revised", 2)]


def test_a_final_figure_is_current_before_a_revised_one(tmp_path):
    """Were the later release's figure stated as final ("dato definitivo"), it would be the current one."""
    data = tmp_path / "data"
    shutil.copytree(REVISIONS, data)
    folder = data / "releases" / REPEATED
    for name, old, new in (("release.txt", "18.187,3 milioni di euro,", "18.187,3 milioni di euro (dato definitivo),"),
                           ("annotation.yaml", "    hedge: exact\n", "    hedge: exact\n    status: final\n")):
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, (name, old)
        path.write_text(text.replace(old, new), encoding="utf-8")
    [warning] = build(data, tmp_path / "out").report.warnings
    assert warning.message.endswith(f"The current value is that of release {REPEATED} (a final figure before a revised one "
                                    "before an unmarked one before a provisional one, then the later release)")


PIEMONTE = "03_piemonte_sindacato_province"
TURIN_POINTS = "torino-export-2025-q1-vs-2024-q1-points"


@pytest.fixture
def piemonte(tmp_path):
    """tests/family with only 03_: "Torino ha venduto all'estero 423 milioni in meno rispetto a un anno prima, con un
    contributo di -2,9 punti alla variazione regionale" (Piedmont: -2,9 % on the first quarter of 2024)."""
    data = tmp_path / "data"
    shutil.copytree(FAMILY, data, ignore=lambda folder, names: [n for n in names if n.startswith(("0", "1")) and n != PIEMONTE])
    assert [p.name for p in (data / "releases").iterdir()] == [PIEMONTE]
    return data


def test_a_contribution_to_the_regions_change_is_in_points_of_its_change_not_of_a_share(piemonte, tmp_path):
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDFS, XSD

    from kg.rdf.namespaces import KGO

    result = build(piemonte, tmp_path / "out")
    assert result.report.conforms, result.report.text()
    graph = result.graph
    node = URIRef(fact(PIEMONTE, TURIN_POINTS))
    assert graph.value(node, KGO.changePoints) == Literal("-2.9", datatype=XSD.decimal)
    assert graph.value(node, KGO.unit) == KGO.points
    assert graph.value(node, KGO.contributionTo) == URIRef("https://example.org/kg/id/cell/export/piemonte/world/2025-Q1")
    assert graph.value(node, KGO.shareOf) is None
    assert graph.value(node, KGO.cell) == URIRef("https://example.org/kg/id/cell/export/torino-province/world/2025-Q1")
    assert {str(label) for label in graph.objects(node, RDFS.label)} == {
        "Province of Turin exports to the world, January–March 2025: contributed -2.9 points to Piedmont's change "
        "on January–March 2024",
        "Export provincia di Torino verso il mondo, gennaio–marzo 2025: contributo di -2,9 punti alla variazione di "
        "Piemonte rispetto a gennaio–marzo 2024"}


def test_the_changes_query_shows_a_contribution_apart_from_the_changes_of_the_cell(piemonte, tmp_path):
    """Turin: "-6,1%" in the table, "423 milioni in meno", "un contributo di -2,9 punti alla variazione regionale" and,
    in the headline, "Torino pesa per quasi tre punti"."""
    from conftest import select

    rows = [r for r in select(build(piemonte, tmp_path / "out").graph, "changes")
            if r["cellLabel"] == "Province of Turin exports to the world, January–March 2025"]
    piedmont = "Piedmont exports to the world, January–March 2025"
    assert sorted((r["change"], r["unit"], r["hedge"], r["referenceLabel"], r["contributionToLabel"], r["shareOfLabel"])
                  for r in rows) == [
        ("-2.9", "points", "exact", "January–March 2024", piedmont, None),
        ("-3", "points", "almost", "January–March 2024", piedmont, None),
        ("-423000000", "EUR", "exact", "January–March 2024", None, None),
        ("-6.1", "percent", "exact", "January–March 2024", None, None),
    ]


def contribution_error(data: Path, old: str, new: str) -> str:
    """The loader's error on 03_ with Turin's contribution written otherwise."""
    from kg.errors import InputError
    from kg.pipeline.corpus import load_corpus

    path = data / "releases" / PIEMONTE / "annotation.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index(f"  - id: {TURIN_POINTS}\n")
    assert text.count(old, start, start + 900) == 1, old
    path.write_text(text[:start] + text[start:].replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_corpus(data)
    return str(caught.value)


def test_a_contribution_must_be_in_points(piemonte):
    message = contribution_error(piemonte, "    value: -2.9\n    unit: points\n", "    value: -2.9\n    unit: percent\n")
    assert "annotation.yaml, line 326, field 'facts[22] (torino-export-2025-q1-vs-2024-q1-points).contribution_to': a contribution to another cell's change is in " \
           "percentage points" in message, message


def test_a_contribution_must_be_to_a_cell_that_covers_this_one(piemonte):
    """Turin is not in the province of Cuneo: "alla variazione regionale" is Piedmont's change."""
    message = contribution_error(piemonte, "contribution_to: {origin: piemonte}", "contribution_to: {origin: cuneo-province}")
    assert message.endswith("line 326, field 'facts[22] (torino-export-2025-q1-vs-2024-q1-points).contribution_to': the cell a change contributes to must cover "
                            "this one: the same or a containing origin; its origin is cuneo-province."), message


def test_a_contribution_is_to_the_change_of_the_same_period(piemonte):
    message = contribution_error(piemonte, "contribution_to: {origin: piemonte}", "contribution_to: {origin: piemonte, period: 2025}")
    assert "must cover this one: the same period (the two changes are against the same reference); its period is 2025" in message


def test_a_change_in_points_is_of_a_share_or_a_contribution_not_both(piemonte):
    message = contribution_error(piemonte, "contribution_to: {origin: piemonte}\n",
                                 "contribution_to: {origin: piemonte}\n    of: {origin: piemonte}\n")
    assert "a change in points is of a share ('of') or a contribution to another cell's change ('contribution_to'), not both" \
        in message, message



def test_the_checks_run_in_groups_side_by_side_find_what_they_find_in_one(tmp_path, monkeypatch):
    """kg.check.shacl runs the SPARQL checks in groups, one per core, in threads: a province above its
    region (a violation) and the restated province of the second release (a warning) are found the
    same whether one group or three run."""
    from kg.check import shacl

    result, _out = broken(tmp_path, "2.915,3 milioni", "12.915,3 milioni", "amount: 2915300000", "amount: 12915300000")
    graph = result.graph  # the triples of the failed build, kept in the result
    assert len(shacl.check_groups(None, "checks", 3)) == 3
    found = {}
    for count in (1, 2, 3):
        monkeypatch.setattr(shacl, "threads", lambda count=count: count)
        found[count] = sorted((f.rule, f.node, f.severity) for f in shacl.validate_graph(graph).findings)
    assert found[1] == found[2] == found[3]
    assert (WITHIN, fact(FIRST, "ancona-2023h1"), "Violation") in found[1]
    assert (RESTATED, fact(FIRST, "ancona-2023h1"), "Warning") in found[1]


def test_a_graph_larger_than_the_eager_load_runs_its_checks_one_at_a_time():
    """Each join across cells holds its working memory while it runs: two at once took 2.1 GB at 10,000
    releases. Up to EAGER bytes of N-Triples the groups run side by side, beyond it one at a time."""
    from kg.pipeline.checker import EAGER, side_by_side

    assert side_by_side(EAGER) is None  # one group per core (kg.check.shacl.threads)
    assert side_by_side(EAGER + 1) == 1
