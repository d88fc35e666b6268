"""`kg diff OLD NEW`: what a build changed, read off the edits an analyst makes to the seed.

The seed is built once; then a copy of data/ is edited as an analyst would, and built again:

- the release is corrected to say that Marche's exports to the world in 2024 exceed EUR 15 billion
  («che supera i 15 miliardi di euro»; the seed says 14), and the figure with it;
- the province of Ancona's 767 thousand for the first three quarters of 2025 («e 767 mila nei primi tre
  trimestri del 2025») is read as exact: the seed reads «hanno superato» as governing it too (more than);
- the acquisition of Api by Socar is taken out;
- clothing («abbigliamento») is dropped from the province of Ancona's main products, the one fact that
  names the sector;
- the headline's «Ampi margini di crescita per il manifatturiero marchigiano» is added: room to grow for
  Marche's manufacturing.

`kg diff` must report exactly these, by the labels a person reads, and nothing else: the release's text,
four facts changed, added or removed, and the sector clothing gone from the graph.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SEED = "000_c861f582b8da151e"
README = (ROOT / "README.md").read_text(encoding="utf-8")


def edit_seed(data: Path) -> None:
    """The analyst's edits to the seed's copy in ``data`` (see the module's docstring)."""
    folder = data / "releases" / SEED
    text = (folder / "release.txt").read_text(encoding="utf-8")
    assert text.count("che supera i 14 miliardi di euro") == 1
    (folder / "release.txt").write_text(text.replace("supera i 14 miliardi", "supera i 15 miliardi"), encoding="utf-8")
    annotation = (folder / "annotation.yaml").read_text(encoding="utf-8")
    edits = [
        ("    amount: 14000000000\n", "    amount: 15000000000\n"),
        ("che supera i 14 miliardi di euro\"", "che supera i 15 miliardi di euro\""),
        ("    amount: 767000\n    unit: EUR\n    hedge: more-than\n    hedge_words: \"hanno superato\"\n"
         "    note: \"The verb «hanno superato» governs both objects of the sentence, so 767 thousand is a lower bound too.\"\n",
         "    amount: 767000\n    unit: EUR\n    hedge: exact\n"),
        ("    sectors: [machinery, electrical-products, metalworking-components, furniture, clothing]\n",
         "    sectors: [machinery, electrical-products, metalworking-components, furniture]\n"),
    ]
    for old, new in edits:
        assert annotation.count(old) == 1, old
        annotation = annotation.replace(old, new)
    acquisition = annotation.index("  - id: socar-acquires-api\n")
    annotation = annotation[:acquisition] + (
        "  - id: marche-manufacturing-growth\n"
        "    kind: sectors\n"
        "    assessment: growth-opportunity\n"
        "    origin: marche\n"
        "    sectors: [manufacturing]\n"
        "    evidence: \"Ampi margini di crescita per il manifatturiero marchigiano\"\n")
    (folder / "annotation.yaml").write_text(annotation, encoding="utf-8")


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """The graph files of three builds: the seed, the seed again (another output folder), the edited seed."""
    from kg.pipeline.corpus import build

    root = tmp_path_factory.mktemp("diff")
    data = root / "data"
    shutil.copytree(ROOT / "data", data)
    edit_seed(data)
    graphs = {}
    for name, folder in (("seed", ROOT / "data"), ("again", ROOT / "data"), ("edited", data)):
        result = build(folder, root / name, jobs=1)
        assert result.report.conforms, result.report.text()
        graphs[name] = root / name / "graph.ttl"
    return graphs


def run(*args):
    return CliRunner().invoke(cli, ["diff", *map(str, args)])


@pytest.fixture(scope="module")
def changes(builds):
    from kg.views.diff import diff

    return diff(builds["seed"], builds["edited"])


def fields_of(changes, fact_id: str) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    change = next(change for change in changes.facts_changed if change.fact.id == fact_id)
    return {field.field: (field.old, field.new) for field in change.fields}


def test_the_figure_corrected_to_15_billion_is_reported_with_its_old_and_new_amount_and_quote(changes):
    fields = fields_of(changes, "marche-world-2024")
    assert fields == {
        "trade value": (("14000000000",), ("15000000000",)),
        "evidence": (("«del totale dell’export regionale, che supera i 14 miliardi di euro» (622–688)",),
                     ("«del totale dell’export regionale, che supera i 15 miliardi di euro» (622–688)",)),
    }
    change = next(change for change in changes.facts_changed if change.fact.id == "marche-world-2024")
    assert change.fact.release == SEED
    assert change.fact.label == "Marche exports to the world, 2024: more than €15,000,000,000"


def test_the_release_text_is_reported_by_the_words_that_changed(changes):
    assert [change.release.id for change in changes.releases_changed] == [SEED]
    (text,) = changes.releases_changed[0].fields
    assert text.field == "text"
    assert text.old == ("… regionale, che supera i 14 miliardi di euro: una …",)
    assert text.new == ("… regionale, che supera i 15 miliardi di euro: una …",)


def test_the_hedge_read_as_exact_is_reported_with_its_words_and_note(changes):
    assert fields_of(changes, "ancona-azerbaijan-2025-jan-sep") == {
        "hedge": (("more than",), ("exact",)),
        "hedge text": (("hanno superato",), ()),
        "note": (("The verb «hanno superato» governs both objects of the sentence, so 767 thousand is a lower bound too.",), ()),
    }


def test_clothing_dropped_from_the_main_products_is_reported_with_the_sector_gone(changes):
    assert fields_of(changes, "ancona-azerbaijan-main-products") == {
        "sector": (("clothing", "electrical products", "furniture", "machinery", "metalworking components"),
                   ("electrical products", "furniture", "machinery", "metalworking components")),
    }
    assert [(r.kind, r.id, r.label) for r in changes.resources_removed] == [("sector", "sector/clothing", "clothing")]


def test_the_removed_acquisition_and_the_added_growth_statement_are_reported_and_nothing_else(changes):
    assert [(fact.release, fact.id, fact.label) for fact in changes.facts_removed] == [
        (SEED, "socar-acquires-api", "Acquisition of Api by Socar (completion not stated)")]
    assert [(fact.release, fact.id, fact.label) for fact in changes.facts_added] == [
        (SEED, "marche-manufacturing-growth", "Sectors with room to grow: manufacturing")]
    assert [change.fact.id for change in changes.facts_changed] == [
        "ancona-azerbaijan-2025-jan-sep", "ancona-azerbaijan-main-products", "marche-world-2024"]
    assert not (changes.releases_added or changes.releases_removed or changes.resources_added)
    assert not changes.same


def test_kg_diff_prints_the_changes_sorted_by_fact_and_exits_1(builds):
    result = run(builds["seed"], builds["edited"])
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == (f"{builds['seed']} -> {builds['edited']}: facts: 1 added, 1 removed, 3 changed; "
                        "releases: 1 changed; resources: 1 removed")
    facts = [line.split(":")[0].strip() for line in lines if re.match(r"  [-+~] ", line)]
    assert facts == ["~ ancona-azerbaijan-2025-jan-sep", "~ ancona-azerbaijan-main-products", "+ marche-manufacturing-growth",
                     "~ marche-world-2024", "- socar-acquires-api", "- sector sector/clothing"]
    assert "      trade value: 14000000000 -> 15000000000" in lines
    assert "      hedge: more than -> exact" in lines
    assert "      hedge text: hanno superato -> (none)" in lines


def test_the_readme_example_is_what_kg_diff_prints(builds, tmp_path, monkeypatch):
    found = re.search(r"^\$ (kg diff [^\n]+)\n(.*?)^```", README, re.S | re.M)
    assert found, "the README has no `$ kg diff` example"
    command, expected = found.groups()
    assert command == "kg diff before.ttl out/graph.ttl"
    (tmp_path / "out").mkdir()
    shutil.copy(builds["seed"], tmp_path / "before.ttl")
    shutil.copy(builds["edited"], tmp_path / "out" / "graph.ttl")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, command.split()[1:])
    assert result.exit_code == 1
    assert result.stdout == expected


def test_italian_labels_and_field_names(builds):
    result = run(builds["seed"], builds["edited"], "--lang", "it")
    assert result.exit_code == 1, result.output
    assert "  ~ marche-world-2024: Export Marche verso il mondo, 2024: oltre 15.000.000.000\u00a0€" in result.stdout
    assert "      valore dell'interscambio: 14000000000 -> 15000000000" in result.stdout
    assert "      cautela: oltre -> esatto" in result.stdout


def test_json_parses_and_says_the_same(builds):
    result = run(builds["seed"], builds["edited"], "--format", "json")
    assert result.exit_code == 1, result.output
    document = json.loads(result.stdout)
    assert document["same"] is False
    assert [fact["id"] for fact in document["facts"]["removed"]] == ["socar-acquires-api"]
    assert [fact["id"] for fact in document["facts"]["added"]] == ["marche-manufacturing-growth"]
    changed = {change["fact"]["id"]: change["fields"] for change in document["facts"]["changed"]}
    assert {"field": "trade value", "old": ["14000000000"], "new": ["15000000000"]} in changed["marche-world-2024"]


def test_markdown(builds):
    result = run(builds["seed"], builds["edited"], "--format", "md")
    assert result.exit_code == 1, result.output
    assert f"## release `{SEED}` (changed): Ampi margini di crescita per il manifatturiero marchigiano" in result.stdout
    assert "- **removed** `socar-acquires-api`: Acquisition of Api by Socar (completion not stated)" in result.stdout
    assert "  - trade value: 14000000000 → 15000000000" in result.stdout


def test_two_builds_of_the_same_data_say_the_same_exit_0(builds):
    result = run(builds["seed"], builds["again"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"no changes: {builds['again']} says what {builds['seed']} says\n"


def test_a_graph_file_and_the_store_beside_it_give_the_same_changes(builds, tmp_path):
    """The seed's graph.ttl is read from the store kg build wrote beside it; a copy with no store, from the file."""
    from dataclasses import replace

    from kg.stores.files import load_graph, serialize
    from kg.views.diff import diff

    alone = tmp_path / "seed.nt"  # in another syntax, with no store beside it
    alone.write_bytes(serialize(load_graph(builds["seed"]), "nt"))
    from_store = diff(builds["seed"], builds["edited"])
    from_file = diff(alone, builds["edited"])
    assert replace(from_file, old=from_store.old) == from_store


def test_the_output_is_the_same_bytes_whatever_the_hash_seed(builds):
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        done = subprocess.run([sys.executable, "-m", "kg.cli", "diff", str(builds["seed"]), str(builds["edited"]), "--format", "json"],
                              capture_output=True, env=env, cwd=ROOT, timeout=120)
        assert done.returncode == 1, done.stderr
        outputs.add(done.stdout)
    assert len(outputs) == 1


def test_a_missing_graph_exits_2_in_one_sentence(builds, tmp_path):
    from conftest import one_line_error

    line = one_line_error(run(tmp_path / "before.ttl", builds["seed"]), 2, "before.ttl", "no such graph file")
    assert line.startswith("kg: ")


def test_a_folder_is_refused_naming_the_file_to_give(builds):
    from conftest import one_line_error

    one_line_error(run(builds["seed"].parent, builds["seed"]), 2, "a folder, not a graph file", "graph.ttl")


def test_an_unparsable_graph_exits_2_naming_it(builds, tmp_path):
    from conftest import one_line_error

    broken = tmp_path / "broken.ttl"
    broken.write_text('@prefix ex: <http://example.org/> .\nex:a ex:p "unterminated .\n', encoding="utf-8")
    one_line_error(run(builds["seed"], broken), 2, str(broken), "not valid turtle")


def test_new_defaults_to_out_graph_ttl_and_takes_graph(builds, tmp_path, monkeypatch):
    (tmp_path / "out").mkdir()
    shutil.copy(builds["edited"], tmp_path / "out" / "graph.ttl")
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(cli, ["diff", str(builds["seed"])]).exit_code == 1
    assert CliRunner().invoke(cli, ["diff", str(builds["seed"]), "--graph", str(builds["again"])]).exit_code == 0
    from conftest import one_line_error

    one_line_error(CliRunner().invoke(cli, ["diff", str(builds["seed"]), str(builds["edited"]), "--graph", str(builds["again"])]),
                   2, "two new graphs given")


# ---------------------------------------------------------------- on small graphs written here

PREFIXES = """@base <https://example.org/kg/id/> .
@prefix kgo: <https://example.org/kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
FACT = """<release/r1> a kgo:PressRelease ; rdfs:label "R1"@en .
<release/r1/fact/f1> a kgo:Fact ; kgo:factId "f1" ; kgo:statedIn <release/r1> ;
    rdfs:label "{label}"@en ; kgo:tradeValue {amount} ; kgo:origin <place/marche> ; kgo:note [ rdfs:label "x" ] .
<place/marche> rdfs:label "Marche"@en .
"""


def _write(path: Path, text: str) -> Path:
    path.write_text(PREFIXES + text, encoding="utf-8")
    return path


def test_a_number_is_compared_by_its_value_and_a_blank_node_not_by_its_id(tmp_path):
    """14000000000.0 and 14000000000 are one amount; two blank nodes are not two values; a label alone is derived."""
    from kg.views.diff import diff

    old = _write(tmp_path / "old.ttl", FACT.format(label="EUR 14 billion", amount="14000000000.0"))
    new = _write(tmp_path / "new.ttl", FACT.format(label="EUR 14,000,000,000", amount='"14000000000"^^xsd:decimal'))
    assert diff(old, new).same


def test_places_added_and_removed_are_reported_by_label(tmp_path):
    from kg.views.diff import diff

    old = _write(tmp_path / "old.ttl", FACT.format(label="a", amount="1") + '<place/umbria> rdfs:label "Umbria"@en .\n')
    new = _write(tmp_path / "new.ttl", FACT.format(label="a", amount="1") + '<place/lazio> rdfs:label "Lazio"@en , "Lazio"@it .\n')
    changes = diff(old, new)
    assert [(r.kind, r.id, r.label) for r in changes.resources_added] == [("place", "place/lazio", "Lazio")]
    assert [(r.kind, r.id, r.label) for r in changes.resources_removed] == [("place", "place/umbria", "Umbria")]
    assert not changes.facts_changed


def test_a_release_added_brings_its_facts(tmp_path):
    from kg.views.diff import diff

    old = _write(tmp_path / "old.ttl", '<place/marche> rdfs:label "Marche"@en .\n')
    new = _write(tmp_path / "new.ttl", FACT.format(label="Marche, EUR 1", amount="1"))
    changes = diff(old, new)
    assert [(r.id, r.label) for r in changes.releases_added] == [("r1", "R1")]
    assert [(f.release, f.id, f.label) for f in changes.facts_added] == [("r1", "f1", "Marche, EUR 1")]
    result = run(old, new)
    assert result.exit_code == 1
    assert "release r1 (added): R1\n  + f1: Marche, EUR 1\n" in result.stdout


def test_control_characters_in_the_data_are_shown_not_obeyed(tmp_path):
    """A note with ESC, a C1 control and a bidi override: escaped in the table, valid JSON, never sent raw."""
    old = _write(tmp_path / "old.ttl", FACT.format(label="a", amount="1"))
    new = _write(tmp_path / "new.ttl", FACT.format(label="a", amount="1")
                 + '<release/r1/fact/f1> rdfs:comment "clear\\u001B[2J C1\\u009B bidi\\u202E" .\n')
    table = run(old, new)
    assert table.exit_code == 1, table.output
    assert "      note: (none) -> clear\\x1b[2J C1\\x9b bidi\\u202e" in table.stdout
    result = run(old, new, "--format", "json")
    assert not re.search("[\x1b\x9b\u202e]", result.stdout)
    (change,) = json.loads(result.stdout)["facts"]["changed"]
    assert change["fields"] == [{"field": "note", "old": [], "new": ["clear\x1b[2J C1\x9b bidi\u202e"]}]


def test_a_figure_no_longer_current_is_reported_as_its_current_mark_gone_not_as_another_kind(tmp_path):
    """A later release restating the cell moves kg build's mark (kgo:CurrentFigure) off the older figure:
    the older figure's kind stays what it was, and the change reads "current figure: yes -> nothing"."""
    from kg.views.diff import diff

    level = FACT.format(label="Marche, EUR 1", amount="1").replace("a kgo:Fact ;", "a kgo:Fact , kgo:Level{current} ;")
    ontology = "kgo:CurrentFigure rdfs:label \"current figure\"@en .\nkgo:Level rdfs:label \"level\"@en .\n"
    old = _write(tmp_path / "old.ttl", level.replace("{current}", " , kgo:CurrentFigure") + ontology)
    new = _write(tmp_path / "new.ttl", level.replace("{current}", "") + ontology)
    [changed] = diff(old, new).facts_changed
    assert [(f.field, f.old, f.new) for f in changed.fields] == [("current figure", ("yes",), ())]
