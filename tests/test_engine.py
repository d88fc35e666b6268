"""One SPARQL engine: every query runs in Oxigraph (kg.query.engine), on the store `kg build` writes
beside graph.ttl when it holds that file, else on the file loaded in memory; required parameters;
SPARQL 1.1's short CONSTRUCT form; time limits that stop Oxigraph."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import DATA, required_bindings, required_options
from kg.cli import cli
from kg.errors import TimedOut, UsageError

ROOT = Path(__file__).resolve().parent.parent
GUARDED = ROOT / "kg" / "query" / "guarded.py"
SOCAR = "https://example.org/kg/id/org/socar"
XSD = "http://www.w3.org/2001/XMLSchema#"
ORG = "http://www.w3.org/ns/org#"
# a cross join of every triple with every triple with every triple: billions of rows on the seed
CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def one_sentence(result) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """`kg build` into a fresh folder: graph.ttl, the store beside it, and the digest that ties them."""
    out = tmp_path_factory.mktemp("built")
    result = run("build", "--data", DATA, "--out", out)
    assert result.exit_code == 0, result.output
    return out


# ---------------------------------------------------------------- the library's recorded digests


def guarded_module(recorded: list[tuple[str, str, int]]) -> str:
    head, _sep, _rest = GUARDED.read_text(encoding="utf-8").partition("RECORDED = {")
    lines = "".join(f'    "{digest}": {at},  # {name}\n' for name, digest, at in recorded)
    return f"{head}RECORDED = {{\n{lines}}}\n"


def values_at(text: str) -> int:
    """Where kg.check.guard.bind_values puts a VALUES block in ``text``."""
    from rdflib import URIRef

    from kg.check.guard import bind_values

    bound = bind_values(text, {"kg_marker": URIRef("urn:kg:marker")})
    at = bound.index(" VALUES (?kg_marker)")
    assert bound[:at] + bound[at:].split(" } ", 1)[1] == text
    return at


def test_recorded_digests_of_the_library_queries(request):
    """kg/query/guarded.py lists exactly the digests of the library's texts, each of which the guard passes,
    with where a VALUES block of parameters goes in it (where bind_values puts it)."""
    from kg.check.guard import prepare
    from kg.query.guarded import RECORDED
    from kg.query.library import library

    recorded = []
    for entry in library():
        assert prepare(entry.text, entry.name).algebra.name == "SelectQuery"
        recorded.append((entry.name, hashlib.sha256(entry.text.encode("utf-8")).hexdigest(), values_at(entry.text)))
    if request.config.getoption("--update-golden"):
        GUARDED.write_text(guarded_module(recorded), encoding="utf-8")
        return
    assert {digest: at for _name, digest, at in recorded} == RECORDED, "run `make golden` to record the library's digests"
    assert GUARDED.read_text(encoding="utf-8") == guarded_module(recorded)


def test_a_text_not_recorded_is_guarded(built):
    """A library query edited (here: a .rq file of the same text with SERVICE added) is parsed and refused."""
    from kg.errors import RefusedError
    from kg.query.engine import OnDisk, run_sparql

    text = (ROOT / "queries" / "posts.rq").read_text(encoding="utf-8")
    hostile = text.replace("WHERE {", "WHERE { SERVICE <http://127.0.0.1:9/> { ?x ?y ?z }", 1)
    assert hostile != text
    with pytest.raises(RefusedError, match="SERVICE"):
        run_sparql(OnDisk(built / "store"), hostile)


# ---------------------------------------------------------------- where kg query runs


def test_build_writes_the_store_and_the_digest_of_graph_ttl(built):
    assert (built / "store").is_dir()
    digest, name = (built / "store.sha256").read_text(encoding="ascii").split()
    assert name == "graph.ttl"
    assert digest == hashlib.sha256((built / "graph.ttl").read_bytes()).hexdigest()


def test_the_record_is_stamped_with_the_change_time_of_graph_ttl(built):
    """kg query trusts store.sha256 without hashing graph.ttl while the record's modification time is
    graph.ttl's change time (which only the system sets)."""
    assert (built / "store.sha256").stat().st_mtime_ns == (built / "graph.ttl").stat().st_ctime_ns


def test_a_stamped_record_spares_reading_graph_ttl(built, monkeypatch):
    import kg.stores.embedded as embedded
    from kg.query.engine import OnDisk, source_for

    def no_hashing(path):
        raise AssertionError(f"{path} was hashed")

    monkeypatch.setattr(embedded, "file_digest", no_hashing)
    assert source_for(built / "graph.ttl") == OnDisk(built / "store")


def test_an_edit_of_the_same_size_with_its_time_put_back_is_seen(built, tmp_path):
    """A change that keeps graph.ttl's size and modification time still changes its change time: the
    record no longer vouches for it, graph.ttl is hashed, and kg query reads the file."""
    from kg.query.engine import GraphFile, OnDisk, source_for
    from kg.stores.embedded import record_graph

    out = tmp_path / "out"
    shutil.copytree(built, out)
    record_graph(out)  # a copy's graph.ttl has a new change time: stamp the record again
    ttl = out / "graph.ttl"
    assert source_for(ttl) == OnDisk(out / "store")
    before = ttl.stat()
    text = ttl.read_text(encoding="utf-8")
    assert '"Rashad Aslanov"' in text
    with open(ttl, "r+b") as handle:  # in place: same inode, same size
        handle.write(text.replace('"Rashad Aslanov"', '"Rashad Aslanof"').encode("utf-8"))
    os.utime(ttl, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (ttl.stat().st_size, ttl.stat().st_mtime_ns, ttl.stat().st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)
    assert source_for(ttl) == GraphFile(ttl)
    result = run("query", "posts", "--graph", ttl, "--format", "csv")
    assert [row["person"] for row in csv.DictReader(io.StringIO(result.stdout))][2] == "Rashad Aslanof"


def test_a_record_copied_with_its_times_is_checked_by_hashing(built, tmp_path):
    """store.sha256 copied with its times (cp -p) beside another graph.ttl is not trusted unread: its
    stamp is the other file's change time, so graph.ttl is hashed (and here differs)."""
    from kg.query.engine import GraphFile, OnDisk, source_for

    out = tmp_path / "out"
    shutil.copytree(built, out)  # copy2: the record keeps its stamp, graph.ttl gets a new change time
    assert source_for(out / "graph.ttl") == OnDisk(out / "store")  # hashed: the same bytes
    ttl = out / "graph.ttl"
    ttl.write_text(ttl.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    shutil.copy2(built / "store.sha256", out / "store.sha256")
    assert source_for(ttl) == GraphFile(ttl)


def test_query_reads_the_store_while_it_holds_graph_ttl(built, tmp_path):
    from kg.query.engine import GraphFile, OnDisk, source_for

    assert source_for(built / "graph.ttl") == OnDisk(built / "store")
    assert source_for(built / "graph.ttl", "memory") == GraphFile(built / "graph.ttl")
    # a copy of graph.ttl elsewhere has no store beside it
    copy = tmp_path / "graph.ttl"
    shutil.copyfile(built / "graph.ttl", copy)
    assert source_for(copy) == GraphFile(copy)


def test_an_edited_graph_ttl_is_read_from_the_file_not_the_stale_store(built, tmp_path):
    """The store no longer holds graph.ttl once it changes: kg query reads the file, and sees the edit."""
    out = tmp_path / "out"
    shutil.copytree(built, out)
    ttl = out / "graph.ttl"
    text = ttl.read_text(encoding="utf-8")
    # the release names the ambassador Rashad Aslanov; the edit renames him
    assert '"Rashad Aslanov"' in text
    ttl.write_text(text.replace('"Rashad Aslanov"', '"Rashad Edited"'), encoding="utf-8")
    result = run("query", "posts", "--graph", ttl, "--format", "csv")
    assert result.exit_code == 0, result.output
    people = [row["person"] for row in csv.DictReader(io.StringIO(result.stdout))]
    assert people == ["Diego Mingarelli", "Roberto Morichelli", "Rashad Edited"]
    # --store oxigraph asks for the store as it is: it still holds the name the release states
    result = run("query", "posts", "--store", "oxigraph", "--out", out, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert [row["person"] for row in csv.DictReader(io.StringIO(result.stdout))][2] == "Rashad Aslanov"


def test_the_store_and_the_file_give_the_same_bytes_for_every_library_query(built):
    from kg.query.library import library

    for entry in library():
        params = required_options(entry)
        for fmt in ("json", "table"):
            on_store = run("query", entry.name, "--graph", built / "graph.ttl", "--format", fmt, *params)
            from_file = run("query", entry.name, "--graph", built / "graph.ttl", "--store", "memory", "--format", fmt, *params)
            assert on_store.exit_code == from_file.exit_code == 0, on_store.output + from_file.output
            assert on_store.stdout == from_file.stdout, entry.name


def test_each_format_written_where_the_query_runs_is_format_results(built):
    """run_formatted (what kg query prints) writes a table, md, csv, tsv or xml straight from Oxigraph's
    solutions in the query's process; the text is format_result's of the SPARQL JSON answer, in every
    format, capped or not."""

    from kg.query.engine import OnDisk, run_formatted, run_sparql
    from kg.query.library import library
    from kg.query.results import SELECT_FORMATS, format_result

    store = OnDisk(built / "store")
    for entry in library():
        bindings = required_bindings(entry, oxigraph=True)
        for max_rows in (0, 2):
            answer = run_sparql(store, entry.text, bindings, max_rows=max_rows)
            assert answer.type == "SELECT", entry.name  # the library's queries are SELECTs
            for fmt in SELECT_FORMATS:
                written = run_formatted(store, entry.text, fmt, bindings, timeout=30, max_rows=max_rows)
                assert (written.type, written.capped) == (answer.type, answer.capped), (entry.name, fmt)
                assert written.text == format_result(answer, fmt), (entry.name, fmt, max_rows)
    shown = run_formatted(store, 'SELECT ?x WHERE { BIND ("a\x1b[2J|b" AS ?x) }', "table", timeout=30)
    assert shown.text == "x\n----------\na\\x1b[2J|b\n(1 row)\n"  # the escape shown, never sent raw


def test_kg_query_on_the_store_does_not_import_rdflib(built):
    """A library query without parameters runs on the store with neither rdflib nor its SPARQL parser
    imported: the library's texts were guarded when recorded (the fast start of `kg query`)."""
    code = (
        "import sys\n"
        "from kg.cli import cli\n"
        f"try:\n    cli(['query', 'posts', '--graph', {str(built / 'graph.ttl')!r}], prog_name='kg')\n"
        "except SystemExit as exit:\n    assert not exit.code, exit.code\n"
        "print('LOADED', sorted(m for m in ('rdflib', 'pyparsing', 'oxrdflib', 'pyshacl') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert "Rashad Aslanov" in out.stdout, out.stderr
    assert "LOADED []" in out.stdout, out.stdout


def test_a_bound_library_query_runs_without_rdflib(built):
    """A library query with parameters is guarded without rdflib's parser either: its VALUES block is
    written from the terms where the recorded text's WHERE group opens (kg.query.engine.bound_as_recorded)."""
    code = (
        "import sys, pyoxigraph\n"
        "from kg.query.engine import OnDisk\n"
        "from kg.query.library import run_query\n"
        f"answer = run_query(OnDisk({str(built / 'store')!r}), 'actor-facts', {{'actor': pyoxigraph.NamedNode({SOCAR!r})}})\n"
        "print(answer.data.decode())\n"
        "print('LOADED', sorted(m for m in ('rdflib', 'pyparsing', 'oxrdflib', 'pyshacl') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert "socar-acquires-api" in out.stdout, out.stderr
    assert "LOADED []" in out.stdout, out.stdout


# what a parameter's value may try (SECURITY.md, case 4), and the characters a literal must escape (no
# tab: rdflib's parser, pyparsing, expands a tab to spaces by its column in the text, which differs)
HOSTILE_VALUES = ('x" ) } SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } VALUES (?q) { ("', "a\\b", 'say "hi"',
                  "one\ntwo\rthree", "nul\x00", "}{", "#", "é ü 日本", "socar-acquires-api", "")


def test_values_written_from_terms_read_as_bind_values_reads_them():
    """For every library query and parameter, the text bound without parsing is one the guard passes,
    with the same algebra as the text kg.check.guard.bind_values writes (then guarded by parsing)."""
    import pyoxigraph
    from rdflib import Literal, URIRef

    from kg.check.guard import bind_values, prepare
    from kg.query.engine import bound_as_recorded
    from kg.query.library import library

    xsd = "http://www.w3.org/2001/XMLSchema#"
    checked = 0
    for entry in library():
        for name in entry.params:
            terms = [(pyoxigraph.Literal(v), Literal(v)) for v in HOSTILE_VALUES]
            terms += [(pyoxigraph.NamedNode(SOCAR), URIRef(SOCAR)),
                      (pyoxigraph.Literal("ciao", language="it"), Literal("ciao", lang="it")),
                      (pyoxigraph.Literal("7.50", datatype=pyoxigraph.NamedNode(xsd + "decimal")),
                       Literal("7.50", datatype=URIRef(xsd + "decimal"), normalize=False)),
                      (pyoxigraph.Literal("-12", datatype=pyoxigraph.NamedNode(xsd + "integer")),
                       Literal("-12", datatype=URIRef(xsd + "integer"), normalize=False))]
            for ours, rdflibs in terms:
                bound = bound_as_recorded(entry.text, {name: ours})
                assert bound is not None, (entry.name, ours)
                expected = prepare(bind_values(entry.text, {name: rdflibs}), entry.name).algebra
                assert prepare(bound, entry.name).algebra == expected, (entry.name, ours)
                checked += 1
    assert checked >= 7 * 14  # seven parameters in the library


def test_values_that_cannot_be_written_so_are_bound_and_guarded_by_parsing():
    """A value the guard must read (an escape that canonical form would expand) is not bound unparsed:
    bound_as_recorded declines it, and guard() refuses it as before."""
    import pyoxigraph

    from kg.errors import RefusedError
    from kg.query.engine import bound_as_recorded, guard
    from kg.query.library import find_query

    entry = find_query("fact-evidence")
    assert bound_as_recorded(entry.text, {"fact": pyoxigraph.Literal("\\u0022")}) is None
    assert bound_as_recorded(entry.text + "\n# edited", {"fact": pyoxigraph.Literal("x")}) is None  # not recorded
    with pytest.raises(RefusedError, match="codepoint escape"):
        guard(entry.text, {"fact": pyoxigraph.Literal("\\u0022")}, "query 'fact-evidence'")


def test_a_bound_library_query_answers_as_the_same_text_guarded_by_parsing(built):
    """The same rows, byte for byte, whether the bound text was written from the terms or by bind_values
    and parsed (a text not recorded: the library's text with a comment added)."""
    import pyoxigraph

    from kg.query.engine import OnDisk, run_sparql
    from kg.query.library import find_query

    store = OnDisk(built / "store")
    cases = [("fact-evidence", {"fact": pyoxigraph.Literal("socar-acquires-api")}),
             ("exports-by-period", {"originName": pyoxigraph.NamedNode("https://example.org/kg/id/place/marche")}),
             ("actor-facts", {"actor": pyoxigraph.NamedNode(SOCAR)})]
    for name, bindings in cases:
        text = find_query(name).text
        fast = run_sparql(store, text, bindings)
        parsed = run_sparql(store, text + "\n# not a recorded text\n", bindings)
        assert len(fast) > 0, name
        assert fast.data == parsed.data, name


# ---------------------------------------------------------------- SPARQL 1.1's short CONSTRUCT form


SHORT_CONSTRUCT = f"CONSTRUCT WHERE {{ ?post a <{ORG}Post> }}"


def test_construct_where_short_form_in_kg_query(built):
    result = run("query", "--graph", built / "graph.ttl", "--sparql", SHORT_CONSTRUCT)
    assert result.exit_code == 0, result.output
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF

    graph = Graph().parse(data=result.stdout, format="turtle")
    posts = sorted(str(s).rsplit("/post/", 1)[1] for s in graph.subjects(RDF.type, URIRef(f"{ORG}Post")))
    # the release's three posts: the president and the vice-president of Confindustria Ancona, the ambassador
    assert posts == ["confindustria-ancona/president",
                     "confindustria-ancona/vice-president/export-e-attrazione-investimenti",
                     "republic-of-azerbaijan/ambassador/to-italy"]
    assert len(graph) == 3


def test_construct_where_short_form_with_limit(built):
    result = run("query", "--graph", built / "graph.ttl", "--format", "table", "--sparql",
                 "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 5")
    assert result.exit_code == 0, result.output
    from rdflib import Graph

    assert len(Graph().parse(data=result.stdout, format="turtle")) == 5


# ---------------------------------------------------------------- required parameters


def test_actor_facts_and_fact_evidence_declare_their_parameter_required():
    """actor-facts is about a given actor, fact-evidence ("which sentence supports a given fact?") about a
    given fact: without one, each would list the whole graph."""
    from kg.query.library import find_query, library

    assert find_query("actor-facts").required == ("actor",)
    assert find_query("fact-evidence").required == ("fact",)
    assert [entry.name for entry in library() if entry.required] == ["actor-facts", "fact-evidence"]


def test_a_text_parameter_is_bound_as_the_text_written():
    """fact-evidence's ?fact is marked text: a fact id of digits, which --param reads as an integer, is bound
    as the string "2024", and an rdflib literal as its lexical form; an IRI stays an IRI."""
    import pyoxigraph
    from rdflib import Literal, URIRef

    from kg.query.library import check_bindings, find_query, parse_params

    entry = find_query("fact-evidence")
    assert entry.texts == ("fact",)
    bindings = parse_params(["fact=2024"])
    assert bindings["fact"] == pyoxigraph.Literal("2024", datatype=pyoxigraph.NamedNode(XSD + "integer"))
    check_bindings(entry, bindings)
    assert bindings == {"fact": pyoxigraph.Literal("2024")}
    bindings = {"fact": Literal("1.50", datatype=URIRef(XSD + "decimal"))}
    check_bindings(entry, bindings)
    assert bindings == {"fact": Literal("1.50")}
    bindings = {"fact": URIRef("https://example.org/x")}
    check_bindings(entry, bindings)
    assert bindings == {"fact": URIRef("https://example.org/x")}


def test_fact_evidence_gives_the_quote_of_the_fact_named(built):
    """The seed: "l’acquisizione di Api da parte della compagnia azera Socar", one row, its sentence."""
    result = run("query", "fact-evidence", "--graph", built / "graph.ttl", "--param", "fact=socar-acquires-api",
                 "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(row["factId"], row["quote"]) for row in rows] == [
        ("socar-acquires-api", "l’acquisizione di Api da parte della compagnia azera Socar")]
    assert rows[0]["sentence"].startswith("In questo quadro rientra anche l’acquisizione di Api")


def test_fact_evidence_without_its_fact_exits_2_naming_it(built):
    result = run("query", "fact-evidence", "--graph", built / "graph.ttl")
    message = one_sentence(result)
    assert "requires the parameter 'fact'" in message and "--param fact=" in message


def test_a_missing_required_parameter_exits_2_naming_it(built):
    result = run("query", "actor-facts", "--graph", built / "graph.ttl")
    message = one_sentence(result)
    assert "requires the parameter 'actor'" in message and "--param actor=" in message
    assert result.stdout == ""


def test_a_missing_required_parameter_on_an_endpoint_sends_nothing(listener):
    import conftest

    result = run("query", "actor-facts", "--endpoint", f"{listener}sparql")
    message = one_sentence(result)
    assert "requires the parameter 'actor'" in message
    assert conftest.Counting.hits == 0


def test_a_missing_required_parameter_in_the_python_api(graph):
    from kg.query.library import run_query

    with pytest.raises(UsageError, match="requires the parameter 'actor'"):
        run_query(graph, "actor-facts")


def test_the_required_parameter_given_answers(built):
    result = run("query", "actor-facts", "--graph", built / "graph.ttl", "--param", f"actor=<{SOCAR}>", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    # "l’acquisizione di Api da parte della compagnia azera Socar": Socar's one fact, as the acquirer
    assert [(row["fact"], row["relation"]) for row in rows] == [("socar-acquires-api", "acquirer")]


def test_kg_queries_marks_the_required_parameter():
    result = run("queries")
    assert result.exit_code == 0
    assert "--param actor=...  (required; names an actor) the organisation, person or place" in result.stdout
    assert "--param fact=...  (required)" not in result.stdout


# ---------------------------------------------------------------- time limits on Oxigraph


def test_timeout_stops_an_oxigraph_query_on_the_store(built):
    from kg.query.engine import OnDisk, run_sparql

    with pytest.raises(TimedOut, match="timed out after 1 s and was stopped"):
        run_sparql(OnDisk(built / "store"), CROSS_JOIN, timeout=1)


def test_timeout_stops_an_oxigraph_query_in_memory(graph):
    from kg.query.engine import run_sparql

    with pytest.raises(TimedOut):
        run_sparql(graph, CROSS_JOIN, timeout=1)
    # the process goes on answering
    rows = list(run_sparql(graph, f"SELECT ?s WHERE {{ ?s a <{ORG}Post> }}", timeout=10))
    assert len(rows) == 3


def test_timeout_from_the_command_line_exits_2(built):
    result = run("query", "--graph", built / "graph.ttl", "--timeout", "1", "--sparql", CROSS_JOIN)
    message = one_sentence(result)
    assert "timed out after 1 s" in message


def test_ctrl_c_stops_an_oxigraph_query_without_a_limit(built):
    """--timeout 0 runs without a limit, still in a child: Ctrl-C ends the command (130) and the child."""
    import os
    import signal
    import time

    process = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "query", "--graph", str(built / "graph.ttl"), "--timeout", "0", "--sparql", CROSS_JOIN],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )
    try:
        children: list[str] = []
        for _ in range(300):  # wait until the query runs in its child (the command has started and forked)
            children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
            if children or process.poll() is not None:
                break
            time.sleep(0.05)
        assert children, process.communicate()
        process.send_signal(signal.SIGINT)
        _stdout, stderr = process.communicate(timeout=60)
        assert process.returncode == 130, stderr
        assert b"interrupted" in stderr and b"Traceback" not in stderr
        assert not any(os.path.exists(f"/proc/{child}") for child in children)
    finally:  # a failure leaves no query without a limit running: the command and its child are killed
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()


def test_ctrl_c_during_the_fork_stops_the_child_and_the_command():
    """A Ctrl-C that arrives while the child is being forked (here: sent by an at-fork handler, as it can
    arrive in logging's) is not lost in the handler: the command gets KeyboardInterrupt and the child is
    killed, rather than the command waiting on a query without a limit."""
    code = (
        "import os, signal, time\n"
        "from kg.check.deadline import Child\n"
        "os.register_at_fork(after_in_parent=lambda: os.kill(os.getpid(), signal.SIGINT))\n"
        "child = None\n"
        "try:\n"
        "    child = Child(lambda: time.sleep(120) or b'')\n"
        "    child.result(None)\n"
        "except KeyboardInterrupt:\n"
        "    print('INTERRUPTED')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert "INTERRUPTED" in out.stdout, out.stderr
    assert "Exception ignored" not in out.stderr


# ---------------------------------------------------------------- answers


def test_select_star_columns_come_in_name_order(built):
    text = f"SELECT * WHERE {{ ?post a <{ORG}Post> ; <{ORG}postIn> ?org }} ORDER BY ?post"
    for _ in range(2):
        result = run("query", "--graph", built / "graph.ttl", "--sparql", text, "--format", "json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["head"]["vars"] == ["org", "post"]


def test_answers_keep_oxigraph_lexical_forms_in_every_format(built):
    """The 2024 figure "7,5 milioni": 7500000, written as Oxigraph writes the decimal, in every format."""
    args = ("query", "exports-by-period", "--graph", built / "graph.ttl", "--param", "originName=Marche",
            "--param", "destinationName=Azerbaijan")
    table = run(*args).stdout
    assert table.splitlines()[2].split()[3] == "7500000"
    document = json.loads(run(*args, "--format", "json").stdout)
    amount = document["results"]["bindings"][0]["amount"]
    assert amount == {"type": "literal", "value": "7500000", "datatype": "http://www.w3.org/2001/XMLSchema#decimal"}
    tsv = run(*args, "--format", "tsv").stdout
    assert '"7500000"^^<http://www.w3.org/2001/XMLSchema#decimal>' in tsv.splitlines()[1].split("\t")


@pytest.mark.parametrize("fmt,suffix", [("nt", "nt"), ("jsonld", "jsonld"), ("xml", "rdf"), ("trig", "trig")])
def test_every_graph_format_loads_into_oxigraph_as_the_turtle_does(built, tmp_path, fmt, suffix):
    """kg export's formats, read back by kg query (in memory, by pyoxigraph's parsers): the same answers."""
    exported = tmp_path / f"graph.{suffix}"
    assert run("export", "--graph", built / "graph.ttl", "--format", fmt, "-o", exported).exit_code == 0
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    for args in (("posts",), ("--sparql", count)):
        expected = run("query", *args, "--graph", built / "graph.ttl", "--format", "csv")
        result = run("query", *args, "--graph", exported, "--format", "csv")
        assert result.exit_code == 0, result.output
        assert result.stdout == expected.stdout
