"""Warnings: findings a person should look at that do not make the graph fail (SHACL ``sh:Warning``).

The checks of a build come in node shapes aimed at ``kgo:GraphChecks``; the ``*Warnings`` ones carry
``sh:severity sh:Warning``. A warning is reported and the graph is written; only violations keep the
previous graph.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import DATA
from kg.check.shacl import Finding, report_of

ROOT = Path(__file__).resolve().parent.parent

# fires once on the seed: on the figure of Marche's exports to the world in 2024 ("supera i 14 miliardi")
WARNING_SHAPE = """
kgs:CorpusWarnings a sh:NodeShape ;
    sh:targetNode kgo:GraphChecks ;
    sh:severity sh:Warning ;
    rdfs:label "warnings across releases" ;
    sh:sparql [ a sh:SPARQLConstraint ; rdfs:label "a test warning" ;
        sh:message "the regional total is only bounded below ({?amount} EUR)" ;
        sh:prefixes kgs: ;
        sh:select \"\"\"SELECT $this ?value ?amount WHERE {
            ?value kgo:factId "marche-world-2024" ; kgo:tradeValue ?amount }\"\"\" ] .
"""


def _ontology_with(tmp_path: Path, extra: str) -> Path:
    ontology = tmp_path / "ontology"
    shutil.copytree(ROOT / "ontology", ontology)
    with open(ontology / "shapes.ttl", "a", encoding="utf-8") as handle:
        handle.write(extra)
    return ontology


def _finding(severity: str, rule: str = "r") -> Finding:
    return Finding(node="n", label="a figure", rule=rule, message="m", sentence=None, severity=severity)


def test_a_graph_with_warnings_only_conforms():
    report = report_of([_finding("Warning")])
    assert report.conforms
    assert report.text().startswith("Conforms: yes (0 violations, 1 warning).\n! a figure")


def test_a_violation_makes_the_graph_fail_and_is_listed_before_the_warnings():
    report = report_of([_finding("Warning", "a"), _finding("Violation", "z")])
    assert not report.conforms
    assert [f.severity for f in report.findings] == ["Violation", "Warning"]
    assert report.text().startswith("Conforms: no (1 violation, 1 warning).\n✗ a figure")


def test_the_summary_counts_each_rule_and_shows_the_first_five():
    report = report_of([_finding("Warning", "restated") for _ in range(1)]
                       + [Finding(node=f"n{i}", label=f"figure {i}", rule="restated", message="m", sentence=None,
                                  severity="Warning") for i in range(6)])
    summary = report.summary()
    assert summary.splitlines()[0] == "7 warnings (the graph conforms and was written): 7 × restated"
    assert summary.count("! ") == 5
    assert summary.endswith("… and 2 more: kg validate lists them all.")


def test_a_build_with_a_warning_writes_the_graph_and_reports_it(tmp_path):
    from kg.pipeline.corpus import build

    ontology = _ontology_with(tmp_path, WARNING_SHAPE)
    out = tmp_path / "out"
    result = build(DATA, out, ontology=ontology)
    assert result.report.conforms
    assert (out / "graph.ttl").is_file()
    assert result.summary["warnings"] == 1 and result.summary["violations"] == 0
    [warning] = result.report.warnings
    assert warning.rule == "a test warning"
    assert warning.message == "the regional total is only bounded below (14000000000 EUR)"
    assert "supera i 14 miliardi di euro" in (warning.sentence or "")


def test_a_violation_in_the_same_build_still_keeps_the_previous_graph(tmp_path):
    from kg.pipeline.corpus import build

    violation = WARNING_SHAPE.replace("kgs:CorpusWarnings", "kgs:CorpusChecks").replace("sh:severity sh:Warning ;", "")
    ontology = _ontology_with(tmp_path, violation)
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.ttl").write_bytes(b"# previous\n")
    result = build(DATA, out, ontology=ontology)
    assert not result.report.conforms
    assert [f.severity for f in result.report.findings] == ["Violation"]
    assert (out / "graph.ttl").read_bytes() == b"# previous\n"


WARN_IN_CHECKS = """
import sys
import kg.check.shacl as shacl
checks = shacl.check_store
def with_a_warning(*args, **kwargs):  # the build's checks, plus one warning
    return checks(*args, **kwargs) + [shacl.Finding(node="https://example.org/n", label="Ancona exports, 2024",
        rule="a figure restated with another value", message="another release states 1.6 million",
        sentence="La provincia di Ancona ...", severity="Warning")]
shacl.check_store = with_a_warning
from kg.cli import main
sys.argv = ["kg", *sys.argv[1:]]
main()
"""


def test_kg_build_says_how_many_warnings_and_writes_the_graph(tmp_path):
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-c", WARN_IN_CHECKS, "build", "--data", str(DATA), "--out", str(out)],
                            capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "conforms: yes  warnings: 1\n" in result.stdout
    assert f"wrote {out / 'graph.ttl'}" in result.stdout
    assert result.stderr.splitlines()[:2] == [
        "1 warning (the graph conforms and was written): 1 × a figure restated with another value",
        "! Ancona exports, 2024",
    ]


def test_kg_validate_lists_warnings_and_exits_0(tmp_path, built_ttl):
    result = subprocess.run([sys.executable, "-c", WARN_IN_CHECKS, "validate", str(built_ttl)],
                            capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Conforms: yes (0 violations, 1 warning).\n! Ancona exports, 2024\n"
                                    "  rule: a figure restated with another value\n")
