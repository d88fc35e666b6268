"""The command line, in-process with click's CliRunner (sqlite-utils' habit)."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_build_prints_the_summary_and_writes_turtle(tmp_path):
    result = run("build", "--data", ROOT / "data", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    assert "releases: 1" in result.output and "facts: 23" in result.output and "actors: 9" in result.output
    assert "conforms: yes" in result.output
    assert (tmp_path / "graph.ttl").read_text(encoding="utf-8").startswith("@prefix")


def test_validate_conforming_graph_exits_0(built_ttl):
    result = run("validate", built_ttl)
    assert result.exit_code == 0, result.output
    assert "Conforms: yes" in result.output


def test_validate_violations_exit_1_with_a_readable_report(built_ttl, tmp_path):
    broken = tmp_path / "broken.ttl"
    text = built_ttl.read_text(encoding="utf-8")
    # the stated share 0.05 % becomes 0.5 %: it no longer agrees with 7.5 M / 14 bn
    assert text.count("kgo:sharePercent 0.05 ;") == 1
    broken.write_text(text.replace("kgo:sharePercent 0.05 ;", "kgo:sharePercent 0.5 ;"), encoding="utf-8")
    result = run("validate", broken)
    assert result.exit_code == 1, result.output
    assert "a share agrees with the levels of its cells" in result.output
    assert "Marche exports to Azerbaijan, 2024: 0.05% of Marche exports to the world" in result.output  # its label
    assert "pari allo 0,05% del totale dell’export regionale" in result.output


def test_validate_missing_file_exits_2(tmp_path):
    result = run("validate", tmp_path / "nope.ttl")
    assert result.exit_code == 2
    assert "nope.ttl" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "md"])
def test_query_formats(built_ttl, fmt):
    result = run("query", "posts", "--graph", built_ttl, "--format", fmt)
    assert result.exit_code == 0, result.output
    out = result.stdout
    if fmt == "json":  # SPARQL 1.1 Query Results JSON
        document = json.loads(out)
        assert document["head"]["vars"][:3] == ["person", "role", "organization"]
        people = [b["person"]["value"] for b in document["results"]["bindings"]]
        assert people == ["Diego Mingarelli", "Roberto Morichelli", "Rashad Aslanov"]
    elif fmt == "csv":  # SPARQL 1.1 CSV: header of plain names
        rows = list(csv.reader(io.StringIO(out)))
        assert rows[0][:2] == ["person", "role"] and rows[1][:2] == ["Diego Mingarelli", "president"]
    elif fmt == "tsv":  # SPARQL 1.1 TSV: ?names, terms in Turtle syntax
        lines = out.splitlines()
        assert lines[0].split("\t")[:2] == ["?person", "?role"]
        assert lines[1].split("\t")[0] == '"Diego Mingarelli"@en'
    elif fmt == "md":
        assert out.splitlines()[0].startswith("| person | role |")
    else:
        assert "Diego Mingarelli" in out and "(3 rows)" in out


def test_query_param_is_bound_as_a_term(built_ttl):
    result = run("query", "fact-evidence", "--graph", built_ttl, "--param", "fact=socar-acquires-api", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["quote"] for r in rows] == ["l’acquisizione di Api da parte della compagnia azera Socar"]


def test_query_from_file_and_from_text(built_ttl, tmp_path):
    query = tmp_path / "count.rq"
    query.write_text("# How many facts?\nSELECT (COUNT(*) AS ?n) WHERE { ?f a <https://example.org/kg/ontology#Fact> }\n")
    for args in ([query], ["--sparql", query.read_text()]):
        result = run("query", *args, "--graph", built_ttl, "--format", "csv")
        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines() == ["n", "23"]


def test_query_needs_exactly_one_source(built_ttl):
    assert run("query", "--graph", built_ttl).exit_code == 2
    assert run("query", "posts", "--sparql", "ASK {}", "--graph", built_ttl).exit_code == 2


def test_queries_lists_every_library_query_with_its_question():
    result = run("queries")
    assert result.exit_code == 0
    for path in sorted((ROOT / "queries").glob("*.rq")):
        question = path.read_text(encoding="utf-8").splitlines()[0].lstrip("# ")
        assert f"{path.stem}\n    {question}" in result.output


@pytest.mark.parametrize("fmt,suffix", [("turtle", "ttl"), ("nt", "nt"), ("jsonld", "jsonld"), ("xml", "rdf"), ("trig", "trig")])
def test_export_formats(built_ttl, tmp_path, fmt, suffix):
    target = tmp_path / f"graph.{suffix}"
    result = run("export", "--graph", built_ttl, "--format", fmt, "-o", target)
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 10000
    assert not list(tmp_path.glob(".kg-tmp-*"))


@pytest.mark.parametrize("name", ["Socar", "socar", "SOCAR (State Oil Company of Azerbaijan Republic)"])
def test_explain_by_label_or_id(built_ttl, name):
    result = run("explain", name, "--graph", built_ttl)
    assert result.exit_code == 0, result.output
    assert "Acquisition of Api by Socar (completion not stated)" in result.output
    assert "In questo quadro rientra anche l’acquisizione di Api da parte della compagnia azera Socar" in result.output


def test_explain_a_person_lists_post_and_quotation(built_ttl):
    result = run("explain", "Diego Mingarelli", "--graph", built_ttl)
    assert result.exit_code == 0, result.output
    assert "mingarelli-president" in result.output and "quote-mingarelli" in result.output


def test_explain_counts_each_fact_once(built_ttl):
    """Diego Mingarelli holds one post ("il presidente di Confindustria Ancona, Diego Mingarelli") and is
    quoted once (his words run over three sentences): two facts, each listed once."""
    result = run("explain", "diego mingarelli", "--graph", built_ttl)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].endswith(": 2 facts")
    assert result.output.count("fact: mingarelli-president ") == 1 and result.output.count("fact: quote-mingarelli ") == 1
    assert "Non si tratta soltanto di aumentare i volumi" in result.output  # the quotation's third sentence


def test_explain_a_place_lists_its_figures_and_their_comparison(built_ttl):
    """What the seed says of Marche: exports to Azerbaijan of 7,5 milioni in 2024, 0,05% of the regional
    total, which is over 14 miliardi; 2,1 milioni from fashion and about one million each from furniture,
    mechanics, electronics and components; under 5 milioni in the first nine months of 2025, "in lieve
    flessione" on the year before; concentration, growth and predominant sectors: 13 facts."""
    result = run("explain", "Marche", "--graph", built_ttl)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].endswith(": 13 facts")
    assert "fact: marche-azerbaijan-2025-jan-sep-trend " in result.output
    assert "in lieve flessione rispetto allo stesso periodo" in result.output


def test_explain_a_publisher_lists_its_releases(built_ttl):
    """Confindustria Ancona published the seed release, dated "Ancona, 20 febbraio 2026"."""
    result = run("explain", "Confindustria Ancona", "--graph", built_ttl)
    assert result.exit_code == 0, result.output
    assert "publisher of 1 release" in result.output.splitlines()[0]
    assert "- 000_c861f582b8da151e, 2026-02-20: Ampi margini di crescita" in result.output


def test_explain_unknown_actor_suggests_close_matches(built_ttl):
    result = run("explain", "Mingareli", "--graph", built_ttl)
    assert result.exit_code == 2
    assert "no actor named 'Mingareli'" in result.stderr and "Mingarelli" in result.stderr


def test_stats_counts_classes_and_properties(built_ttl):
    result = run("stats", "--graph", built_ttl)
    assert result.exit_code == 0
    assert "facts: 23" in result.output
    lines = {line.split()[1]: int(line.split()[0]) for line in result.output.splitlines() if line.startswith("  ")}
    # ten amounts (7,5 milioni; 14 miliardi; five sectors; 5 milioni; 1,5 milioni; 767 mila), the share
    # "0,05%" and the change "in lieve flessione"
    assert lines["kgo:Level"] == 10 and lines["kgo:Share"] == 1 and lines["kgo:Change"] == 1
    assert lines["kgo:Figure"] == 12 and "kgo:TradeObservation" not in lines
    assert lines["kgo:Quotation"] == 2 and lines["kgo:PostHolding"] == 3


def test_help_lists_every_command():
    result = run("--help")
    for command in ("build", "validate", "query", "queries", "export", "explain", "stats"):
        assert command in result.output


def test_query_command_does_not_import_pyshacl_or_matplotlib(built_ttl):
    code = (
        "import sys\n"
        "from kg.cli import cli\n"
        f"try:\n    cli(['query', 'posts', '--graph', {str(built_ttl)!r}], prog_name='kg')\n"
        "except SystemExit:\n    pass\n"
        "print('HEAVY', sorted(m for m in ('pyshacl', 'matplotlib', 'networkx', 'owlrl', 'waitress', 'werkzeug', 'requests', 'babel')"
        " if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT).stdout
    assert "HEAVY []" in out, out


def test_installed_entry_point_runs():
    import kg

    result = subprocess.run([str(Path(sys.executable).parent / "kg"), "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip().endswith(kg.__version__)


def test_kg_build_ends_without_the_teardown_yet_says_and_writes_everything(tmp_path):
    """kg build leaves with os._exit once its work is done (kg.cli._exit_now): what it printed reaches a
    pipe whole, its exit code is the usual one, and the graph and the store it wrote are read back whole."""
    import shutil

    import pyoxigraph

    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "kg.cli", "build", "--data", str(ROOT / "data"), "--out", str(out)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("releases: 1 (1 built, 0 cached)  triples: ")
    assert done.stdout.endswith(f"wrote {out / 'graph.ttl'} and {out / 'store'}\n")
    written = pyoxigraph.Store()
    written.bulk_load(path=str(out / "graph.ttl"), format=pyoxigraph.RdfFormat.TURTLE)
    stored = pyoxigraph.Store.read_only(str(out / "store"))
    assert len(written) == len(stored) > 2000
    # a build stopped by bad input still exits 2 with its one sentence on stderr
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    annotation = next((data / "releases").iterdir()) / "annotation.yaml"
    text = annotation.read_text(encoding="utf-8")
    assert "hedge: exact" in text
    annotation.write_text(text.replace("hedge: exact", "hedge: about", 1), encoding="utf-8")
    failed = subprocess.run([sys.executable, "-m", "kg.cli", "build", "--data", str(data), "--out", str(tmp_path / "out2")],
                            capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert failed.returncode == 2
    assert failed.stderr == (f"kg: {annotation}, line 30, field 'facts[0] (marche-azerbaijan-2024).hedge': a hedge other "
                             "than exact needs 'hedge_words', the words of the evidence that say 'about'.\n")
