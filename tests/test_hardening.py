"""Hostile queries and files (the numbered cases of SECURITY.md): bounded time, nothing leaves the
machine, clean errors. Regression tests are named after the case they hold."""

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection

import conftest
from kg.cli import cli
from kg.errors import UsageError

ROOT = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------- the audit hook (second line of defence)


def test_audit_hook_stops_rdflib_service_even_past_the_guard(listener):
    """rdflib sends SERVICE requests on its own; bypassing kg.check.guard, the hook still refuses them."""
    from kg.check.audit import confined

    graph = Graph()
    with pytest.raises(UsageError, match="outside its inputs"), confined():
        list(graph.query(f"SELECT * WHERE {{ SERVICE <{listener}sparql> {{ ?s ?p ?o }} }}"))
    assert conftest.Counting.hits == 0


def test_audit_hook_stops_rdflib_from_reading_a_local_file(tmp_path):
    """FROM <file:...> on a Dataset makes rdflib read the file; confined, it cannot."""
    from kg.check.audit import confined

    secret = tmp_path / "secret.ttl"
    secret.write_text("<http://x/a> <http://x/b> 'secret' .")
    with pytest.raises(UsageError, match=r"secret\.ttl"), confined():
        list(Dataset().query(f"SELECT * FROM <{secret.as_uri()}> WHERE {{ ?s ?p ?o }}"))


def test_audit_hook_refuses_writes_and_allows_named_inputs(tmp_path):
    from kg.check.audit import confined

    allowed = tmp_path / "input.ttl"
    allowed.write_text("x")
    with confined([allowed]):
        assert allowed.read_text() == "x"
    with pytest.raises(UsageError, match="writing"), confined([allowed]):
        allowed.write_text("y")
    assert allowed.read_text() == "x"


def test_audit_hook_is_idle_outside_queries(tmp_path):
    from kg.check.audit import install

    install()
    (tmp_path / "free.txt").write_text("ok")
    assert (tmp_path / "free.txt").read_text() == "ok"


# ---------------------------------------------------------------- time limits (case 5)

CROSS_JOIN_REGEX = """
SELECT (COUNT(*) AS ?n) WHERE {
  ?a ?b ?c . ?d ?e ?f . ?g ?h ?i .
  FILTER (REGEX(CONCAT(STR(?c), STR(?f), "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"), "(a+)+$"))
}"""


def test_case_5_backtracking_regex_over_a_cross_join_is_stopped(graph):
    from kg.query.library import run_sparql

    started = time.monotonic()
    with pytest.raises(UsageError, match="timed out after 2 s and was stopped"):
        run_sparql(graph, CROSS_JOIN_REGEX, timeout=2)
    assert time.monotonic() - started < 6
    # the process goes on answering
    assert len(list(run_sparql(graph, "SELECT ?s WHERE { ?s a <http://www.w3.org/ns/org#Post> }", timeout=5))) == 3


def test_case_5_timeout_from_the_command_line(built_ttl):
    result = CliRunner().invoke(cli, ["query", "--graph", str(built_ttl), "--timeout", "1", "--sparql", CROSS_JOIN_REGEX])
    assert result.exit_code == 2
    assert "timed out after 1 s" in result.stderr and "Traceback" not in result.output


def test_case_5_negated_property_path_closure_is_bounded(graph):
    """Any predicate, any number of times: Oxigraph answers within the limit. Every triple links its
    subject to its object, and the zero-length path links each node to itself (a literal too), so
    there are more pairs than distinct (subject, object) pairs of triples."""
    from kg.query.library import run_sparql

    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s (<http://x/p>|!<http://x/p>)* ?o }"
    rows = list(run_sparql(graph, query, timeout=10))
    assert int(rows[0][0]) > len({(s, o) for s, _p, o in graph})


def test_results_through_the_time_limit_keep_types_and_order(graph):
    from kg.query.library import run_query

    direct = [tuple(row) for row in run_query(graph, "exports-by-period")]
    limited = [tuple(row) for row in run_query(graph, "exports-by-period", timeout=10)]
    assert limited == direct


def test_construct_through_the_time_limit(graph):
    from kg.query.library import run_sparql

    result = run_sparql(graph, "CONSTRUCT { ?p a <http://www.w3.org/ns/org#Post> } WHERE { ?p a <http://www.w3.org/ns/org#Post> }", timeout=5)
    assert len(result.graph) == 3


# ---------------------------------------------------------------- long lists and deep nesting (case 6)


def test_case_6_rest_star_first_on_a_long_list():
    from kg.query.library import run_sparql

    graph = Graph()
    head = URIRef("http://x/list")
    Collection(graph, head, [Literal(i) for i in range(3000)])
    graph.add((URIRef("http://x/s"), URIRef("http://x/items"), head))
    query = "SELECT (COUNT(?x) AS ?n) WHERE { <http://x/s> <http://x/items>/<http://www.w3.org/1999/02/22-rdf-syntax-ns#rest>*/<http://www.w3.org/1999/02/22-rdf-syntax-ns#first> ?x }"
    (row,) = list(run_sparql(graph, query, timeout=20))
    assert int(row[0]) == 3000  # Oxigraph walks the list without recursing in Python


def test_case_6_deeply_nested_turtle_is_a_clean_error(tmp_path):
    deep = tmp_path / "deep.ttl"
    deep.write_text("@prefix : <http://x/> .\n:s :p " + "[ :p " * 20000 + ":o" + " ]" * 20000 + " .\n")
    result = CliRunner().invoke(cli, ["validate", str(deep)])
    assert result.exit_code == 2
    assert "deep.ttl" in result.stderr and "Traceback" not in result.output


def test_case_6_deeply_nested_jsonld_is_a_clean_error(tmp_path):
    deep = tmp_path / "deep.jsonld"
    deep.write_text('{"@id": "http://x/s", "http://x/p": ' + "[" * 50000 + "]" * 50000 + "}")
    result = CliRunner().invoke(cli, ["validate", str(deep)])
    assert result.exit_code == 2
    assert "deep.jsonld" in result.stderr and "Traceback" not in result.output


# ---------------------------------------------------------------- interrupted builds (case 13)

INTERRUPTIBLE = """
import sys, time
import kg.check.shacl
real = kg.check.shacl.check_store
def slow(store, ontology=None, which="checks", *args, **kwargs):
    if which == "release":  # the checks within a release, run with the parts: as they are
        return real(store, ontology, which, *args, **kwargs)
    print("validating", flush=True)  # the SPARQL checks, on the whole graph: hang there
    time.sleep(60)
kg.check.shacl.check_store = slow
import kg.pipeline.corpus
kg.pipeline.corpus.IN_PROCESS = int(sys.argv[4])  # 0: graph.ttl and the store made by processes of their own
from kg.cli import main
sys.argv = ["kg", "build", "--data", sys.argv[1], "--out", sys.argv[2], "--store", sys.argv[3]]
main()
"""


@pytest.mark.parametrize("writers", ["in process", "in processes of their own"])
@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_case_13_sigint_mid_build_leaves_the_previous_output(tmp_path, store, writers):
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.ttl").write_bytes(b"# previous\n")
    process = subprocess.Popen(
        [sys.executable, "-c", INTERRUPTIBLE, str(ROOT / "data"), str(out), store, "0" if "own" in writers else str(1 << 20)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
    )
    assert process.stdout.readline().strip() == b"validating"  # the build is under way
    process.send_signal(signal.SIGINT)
    _stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr
    assert b"interrupted; outputs are unchanged" in stderr and b"Traceback" not in stderr
    assert (out / "graph.ttl").read_bytes() == b"# previous\n"
    # no half-written store, no temporary file, and no cache entry: the release built before the
    # interruption was staged, and a build that stops commits none of its entries (case 43)
    assert sorted(p.name for p in out.iterdir()) == ["graph.ttl"]
