"""Bad inputs and hostile queries (the numbered cases of SECURITY.md): refused cleanly, nothing leaks.

Every refusal is checked through the real command (click's CliRunner): exit code 2, no
traceback, and one sentence on stderr that names the file, the line and the field
(``kg: FILE, line N, field 'F': message.``). Expected lines are computed from the text the
test wrote, never copied from the tool's output. A refused ``kg build`` must leave a previous
OUT/graph.ttl byte for byte and no ``.kg-tmp-*`` file behind.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conftest import DATA, ROOT, SEED
from kg.cli import cli

ANNOTATION = Path("releases") / SEED / "annotation.yaml"
REGISTRY = Path("registry.yaml")
SENTINEL = b"# a previous build: must survive a refused build byte for byte\n"

# fact id -> index in the seed annotation, read from the file itself
_FACT_IDS = [fact["id"] for fact in yaml.safe_load((DATA / ANNOTATION).read_text(encoding="utf-8"))["facts"]]


def fact_field(fact_id: str, key: str) -> str:
    """The field name the loader reports for ``key`` of the fact ``fact_id``."""
    return f"facts[{_FACT_IDS.index(fact_id)}] ({fact_id}).{key}"


# --------------------------------------------------------------------------- helpers


def invoke(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


def edit(path: Path, old: str, new: str) -> str:
    """Replace the first ``old`` in ``path`` by ``new``; return the new text."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"the test's anchor text is not in {path.name}: {old!r}"
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return text


def line_of(text: str, marker: str, nth: int = 1) -> int:
    """1-based number of the ``nth`` line of ``text`` containing ``marker``."""
    hits = [number for number, line in enumerate(text.splitlines(), 1) if marker in line]
    assert len(hits) >= nth, f"{marker!r} found {len(hits)} times, wanted occurrence {nth}"
    return hits[nth - 1]


def where(path: Path, line: int | None = None, field: str | None = None) -> str:
    """The start of the stderr sentence: ``kg: PATH, line N, field 'F': ``."""
    parts = [str(path)]
    if line is not None:
        parts.append(f"line {line}")
    if field is not None:
        parts.append(f"field '{field}'")
    return "kg: " + ", ".join(parts) + ": "


def assert_one_sentence_refusal(result, exit_code: int = 2) -> str:
    """Exit code, no traceback, exactly one 'kg: ...' sentence on stderr; returns it."""
    assert result.exit_code == exit_code, (result.exit_code, result.output, result.exception)
    assert isinstance(result.exception, (SystemExit, type(None))), repr(result.exception)
    assert "Traceback" not in result.output
    assert "internal error" not in result.output, result.output
    assert "RecursionError" not in result.output
    message = result.stderr.strip()
    assert "\n" not in message, f"more than one line on stderr:\n{message}"
    assert message.startswith("kg: ") and len(message) > len("kg: "), message
    return message


def build_refused(data_dir: Path, out_dir: Path):
    """``kg build`` over a sentinel graph.ttl: the sentinel and the folder must stay as they were."""
    out_dir.mkdir(parents=True, exist_ok=True)
    sentinel = out_dir / "graph.ttl"
    sentinel.write_bytes(SENTINEL)
    result = invoke("build", "--data", data_dir, "--out", out_dir)
    assert sentinel.read_bytes() == SENTINEL, "the previous graph.ttl was changed"
    assert not list(out_dir.glob(".kg-tmp-*")), "a temporary file was left behind"
    assert sorted(p.name for p in out_dir.iterdir()) == ["graph.ttl"]
    return result


def assert_build_refused(data_dir, tmp_path, path, line, field, *fragments):
    result = build_refused(data_dir, tmp_path / "out")
    message = assert_one_sentence_refusal(result)
    assert message.startswith(where(path, line, field)), f"expected {where(path, line, field)!r}\n got {message!r}"
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    return message


# --------------------------------------------------------------------------- one-edit YAML cases

# (case name, file, old text, new text, marker of the expected line (, nth), field, message fragments)
A, R = ANNOTATION, REGISTRY
F0 = "marche-azerbaijan-2024"
EVIDENCE_F0 = "Nel 2024 l’export marchigiano verso l’Azerbaigian ha raggiunto i 7,5 milioni di euro"

EDIT_CASES = [
    ("yaml-syntax-error", A, "    hedge: exact\n    evidence: \"Nel 2024", "    hedge: exact: oops\n    evidence: \"Nel 2024",
     "exact: oops", None, ["YAML syntax error"]),
    ("wrong-type-amount-list", A, "    amount: 7500000\n", "    amount: [1, 2]\n",
     "amount: [1, 2]", fact_field(F0, "amount"), ["expected a number"]),
    ("wrong-type-sectors-not-a-list", A, "    sectors: [energy, industrial, infrastructure]", "    sectors: energy",
     "sectors: energy", fact_field("marche-azerbaijan-concentration", "sectors"), ["list"]),
    ("unknown-key-did-you-mean", A, "    hedge: exact\n    evidence: \"Nel 2024", "    hedeg: exact\n    evidence: \"Nel 2024",
     "hedeg:", fact_field(F0, "hedeg"), ["unknown key 'hedeg'", "did you mean 'hedge'"]),
    ("unknown-place", A, "    destination: azerbaijan\n    period: 2024\n    amount: 7500000",
     "    destination: azerbaigian\n    period: 2024\n    amount: 7500000",
     "destination: azerbaigian", fact_field(F0, "destination"), ["unknown place 'azerbaigian'", "did you mean 'azerbaijan'"]),
    ("unknown-person", A, "    person: rashad-aslanov", "    person: rashad-aslanoff",
     "person: rashad-aslanoff", fact_field("aslanov-ambassador", "person"), ["unknown person 'rashad-aslanoff'", "did you mean 'rashad-aslanov'"]),
    ("unknown-organisation", A, "    organization: republic-of-azerbaijan", "    organization: republic-of-azerbaigian",
     "organization: republic-of-azerbaigian", fact_field("aslanov-ambassador", "organization"), ["unknown organisation"]),
    ("unknown-attendee-in-list", A, "attendees: [confindustria-ancona, rashad-aslanov]", "attendees: [confindustria-ancona, nobody]",
     "attendees: [confindustria-ancona, nobody]", fact_field("meeting-ambassador", "attendees[1]"), ["unknown organisation or person 'nobody'"]),
    ("unknown-sector", A, "    sector: fashion", "    sector: fashon",
     "sector: fashon", fact_field("marche-azerbaijan-2024-fashion", "sector"), ["unknown sector 'fashon'", "did you mean 'fashion'"]),
    ("unknown-role", A, "    role: ambassador", "    role: ambasador",
     "role: ambasador", fact_field("aslanov-ambassador", "role"), ["unknown role 'ambasador'", "did you mean 'ambassador'"]),
    ("unknown-fact-reference", A, "    posts: [morichelli-vice-president]", "    posts: [nope]",
     "posts: [nope]", fact_field("quote-morichelli", "posts"), ["unknown fact 'nope'"]),
    ("duplicate-key-in-mapping", A, "    hedge: exact\n    evidence: \"Nel 2024", "    hedge: exact\n    hedge: about # again\n    evidence: \"Nel 2024",
     "# again", "facts[0].hedge", ["duplicate key 'hedge'"]),
    ("evidence-not-in-text", A, EVIDENCE_F0, EVIDENCE_F0.replace("verso l’Azerbaigian", "verso la Georgia"),
     "verso la Georgia", fact_field(F0, "evidence"), ["is not in the release text"]),
    ("evidence-straight-apostrophe", A, EVIDENCE_F0, EVIDENCE_F0.replace("’", "'"),
     "l'export marchigiano", fact_field(F0, "evidence"), ["is not in the release text", "apostrophes"]),
    ("amount-decimal-comma-quoted", A, "    amount: 7500000\n", "    amount: \"7,5\"\n",
     "amount: \"7,5\"", fact_field(F0, "amount"), ["decimal comma", "write 7.5"]),
    ("percent-decimal-comma-bare", A, "    percent: 0.05", "    percent: 0,05",
     "percent: 0,05", fact_field("marche-azerbaijan-share-2024", "percent"), ["decimal comma", "write 0.05"]),
    ("amount-negative", A, "    amount: 7500000\n", "    amount: -7500000\n",
     "amount: -7500000", fact_field(F0, "amount"), ["negative"]),
    ("percent-over-100", A, "    percent: 0.05", "    percent: 150",
     "percent: 150", fact_field("marche-azerbaijan-share-2024", "percent"), ["over 100"]),
    ("amount-not-stated-by-evidence", A, "    amount: 7500000\n", "    amount: 7600000\n",
     "amount: 7600000", fact_field(F0, "amount"), ["7600000", "not a figure the evidence states", "7500000"]),
    ("hedge-word-not-in-evidence", A, "    hedge_words: \"supera\"", "    hedge_words: \"oltre\"",
     "hedge_words: \"oltre\"", fact_field("marche-world-2024", "hedge_words"), ["«oltre» is not in the fact's evidence"]),
    ("derived-meeting-date-not-previous-tuesday", A, "    date: 2026-02-17", "    date: 2026-02-18",
     "date: 2026-02-18", fact_field("meeting-ambassador", "date"), ["martedì", "2026-02-17", "not 2026-02-18"]),
    ("id-with-space", A, "  - id: marche-world-2024", "  - id: \"marche world-2024\"",
     "marche world-2024", "facts[1].id", ["is not a valid id"]),
    ("id-with-angle-bracket", A, "  - id: marche-world-2024", "  - id: \"marche>world-2024\"",
     "marche>world-2024", "facts[1].id", ["is not a valid id"]),
    ("id-with-uppercase", A, "  - id: marche-world-2024", "  - id: Marche-World-2024",
     "Marche-World-2024", "facts[1].id", ["is not a valid id"]),
    ("release-id-differs-from-folder", A, f"  id: {SEED}", "  id: 001_another_release",
     "id: 001_another_release", "release.id", ["differs from the folder name", SEED]),
    ("registry-duplicate-id", R, "  - id: diego-mingarelli", "  - id: rashad-aslanov",
     ("- id: rashad-aslanov", 2), "people[1].id", ["duplicate id 'rashad-aslanov'"]),
    ("registry-unknown-key", R, "    name_en: Confindustria Ancona press office", "    name_enn: Confindustria Ancona press office",
     "name_enn:", "organizations[2].name_enn", ["unknown key 'name_enn'", "did you mean 'name_en'"]),
    ("registry-id-with-angle-bracket", R, "  - id: socar", "  - id: \"so>car\"",
     "so>car", "organizations[4].id", ["is not a valid id"]),
]


@pytest.mark.parametrize(
    "relpath, old, new, marker, field, fragments",
    [pytest.param(*case[1:], id=case[0]) for case in EDIT_CASES],
)
def test_broken_yaml_is_refused_naming_file_line_field(data_copy, tmp_path, relpath, old, new, marker, field, fragments):
    path = data_copy / relpath
    text = edit(path, old, new)
    marker, nth = marker if isinstance(marker, tuple) else (marker, 1)
    if nth == 1:
        assert sum(marker in line for line in text.splitlines()) == 1, f"marker {marker!r} is not unique"
    assert_build_refused(data_copy, tmp_path, path, line_of(text, marker, nth), field, *fragments)


def test_duplicate_fact_id_names_the_first_line(data_copy, tmp_path):
    path = data_copy / ANNOTATION
    text = edit(path, "  - id: marche-world-2024", f"  - id: {F0}")
    first = line_of(text, f"- id: {F0}", 1)
    assert_build_refused(data_copy, tmp_path, path, line_of(text, f"- id: {F0}", 2), f"facts[1] ({F0}).id",
                         f"first used on line {first}")


def test_missing_evidence_is_refused_at_the_fact(data_copy, tmp_path):
    path = data_copy / ANNOTATION
    text = edit(path, f"    evidence: \"{EVIDENCE_F0}\"\n", "")
    assert EVIDENCE_F0 not in text
    assert_build_refused(data_copy, tmp_path, path, line_of(text, f"- id: {F0}"), fact_field(F0, "evidence"),
                         "missing required field 'evidence'")


def test_ambiguous_evidence_occurring_twice_is_refused(data_copy, tmp_path):
    release_text = (data_copy / "releases" / SEED / "release.txt").read_text(encoding="utf-8")
    quote = "Confindustria Ancona"
    times = release_text.count(quote)
    assert times >= 2
    path = data_copy / ANNOTATION
    text = edit(path, "    evidence: \"il presidente di Confindustria Ancona, Diego Mingarelli\"", f"    evidence: \"{quote}\"")
    assert_build_refused(data_copy, tmp_path, path, line_of(text, f"evidence: \"{quote}\""),
                         fact_field("mingarelli-president", "evidence"), f"occurs {times} times", "unique")


def test_lone_surrogate_escape_is_refused_at_load(data_copy, tmp_path):
    """A "\\ud800" escape in a double-quoted YAML string: refused when the file is read, naming file and line.

    PyYAML itself rejects the escape (a YAML syntax error, so no field can be named); kg's own
    surrogate check would name the field. Either is a refusal at load, never at export.
    """
    path = data_copy / ANNOTATION
    text = edit(path, "    note: \"The verb", "    note: \"\\ud800 The verb")
    assert "\\ud800 The verb" in text
    line = line_of(text, "\\ud800")
    result = build_refused(data_copy, tmp_path / "out")
    message = assert_one_sentence_refusal(result)
    note = fact_field("ancona-azerbaijan-2025-jan-sep", "note")
    assert message.startswith((where(path, line), where(path, line, note))), message
    assert "surrogate" in message or "Unicode" in message, message


def test_missing_registry_is_refused(data_copy, tmp_path):
    path = data_copy / REGISTRY
    path.unlink()
    message = assert_build_refused(data_copy, tmp_path, path, None, None)
    assert "registry.yaml" in message and "not found" in message


# --------------------------------------------------------------------------- YAML structure


def test_yaml_alias_bomb_is_refused_quickly(data_copy, tmp_path):
    """Billion laughs in YAML: nine levels of ten aliases each would be 10**9 items."""
    lines = ['lol: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 10) + "]")
    text = "\n".join(lines) + "\n"
    path = data_copy / ANNOTATION
    path.write_text(text, encoding="utf-8")
    started = time.monotonic()
    message = assert_build_refused(data_copy, tmp_path, path, line_of(text, "*l0"), None, "aliases")
    assert time.monotonic() - started < 5, message


def test_yaml_nested_200_deep_is_refused_without_recursion_error(data_copy, tmp_path):
    path = data_copy / ANNOTATION
    text = edit(path, "    amount: 7500000\n", "    amount: " + "[" * 200 + "]" * 200 + "\n")
    assert_build_refused(data_copy, tmp_path, path, line_of(text, "amount: [[["), None, "nesting deeper")


def test_yaml_nested_beyond_the_python_stack_is_refused(data_copy, tmp_path):
    path = data_copy / ANNOTATION
    edit(path, "    amount: 7500000\n", "    amount: " + "[" * 20000 + "]" * 20000 + "\n")
    result = build_refused(data_copy, tmp_path / "out")
    message = assert_one_sentence_refusal(result)
    assert message.startswith(f"kg: {path}"), message


# --------------------------------------------------------------------------- queries


class _CountingHandler(BaseHTTPRequestHandler):
    """Counts every request and answers like a (remote) SPARQL endpoint / context server."""

    def _answer(self):
        self.server.hits.append((self.command, self.path))
        if self.path.endswith(".jsonld"):
            body = json.dumps({"@context": {"ex": "http://example.org/"}}).encode()
            kind = "application/ld+json"
        else:
            body = b'{"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "uri", "value": "http://leak/"}}]}}'
            kind = "application/sparql-results+json"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_POST = do_HEAD = _answer

    def log_message(self, *args):  # keep the test output clean
        pass


@pytest.fixture(scope="module")
def listener():
    """A local HTTP server on a free port that records every request it receives."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _CountingHandler)
    server.hits = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


REFUSED_QUERIES = [
    ("service-iri", "SELECT * WHERE { SERVICE <{url}/sparql> { ?s ?p ?o } }", "SERVICE"),
    ("service-prefixed-name", "PREFIX ex: <{url}/> SELECT * WHERE { SERVICE ex:sparql { ?s ?p ?o } }", "SERVICE"),
    ("service-variable", "SELECT * WHERE { VALUES ?endpoint { <{url}/sparql> } SERVICE ?endpoint { ?s ?p ?o } }", "SERVICE"),
    ("service-silent-in-optional", "SELECT * WHERE { ?s a ?t OPTIONAL { SERVICE SILENT <{url}/sparql> { ?s ?p ?o } } }", "SERVICE"),
    ("service-in-filter-exists", "SELECT * WHERE { ?s a ?t FILTER EXISTS { SERVICE <{url}/sparql> { ?s ?p ?o } } }", "SERVICE"),
    ("service-in-subquery", "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <{url}/sparql> { ?s ?p ?o } } } }", "SERVICE"),
    ("service-after-comment", "SELECT * WHERE { SERVICE # not a string match\n <{url}/sparql> { ?s ?p ?o } }", "SERVICE"),
    ("from-http", "SELECT * FROM <{url}/graph.ttl> WHERE { ?s ?p ?o }", "FROM"),
    ("from-file", "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", "FROM"),
    ("from-named", "SELECT * FROM NAMED <{url}/graph.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }", "FROM"),
    ("insert-data", "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }", "update"),
    ("delete-where", "DELETE WHERE { ?s ?p ?o }", "update"),
    ("load", "LOAD <{url}/graph.ttl>", "update"),
    ("load-file", "LOAD <file:///etc/passwd>", "update"),
    ("clear", "CLEAR ALL", "update"),
]


@pytest.mark.parametrize("text, word", [pytest.param(t, w, id=n) for n, t, w in REFUSED_QUERIES])
def test_forbidden_query_is_refused_and_nothing_is_requested(built_ttl, listener, text, word):
    before = built_ttl.read_bytes()
    hits_before = len(listener.hits)
    result = invoke("query", "--graph", built_ttl, "--sparql", text.replace("{url}", listener.url))
    message = assert_one_sentence_refusal(result)
    assert word in message, message
    assert listener.hits[hits_before:] == [], "the query reached the local listener"
    assert built_ttl.read_bytes() == before, "the graph file changed"
    assert "http://leak/" not in result.output


def test_parameter_cannot_break_out_of_the_query(built_ttl):
    hostile = 'x" ) } OPTIONAL { ?s ?p ?o } #'
    result = invoke("query", "fact-evidence", "--graph", built_ttl, "--format", "csv", "--param", f"fact={hostile}")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("factId,"), result.stdout  # the header only: zero rows
    # the control: a real fact id does give rows, so zero rows above is the binding at work
    control = invoke("query", "fact-evidence", "--graph", built_ttl, "--format", "csv", "--param", f"fact={F0}")
    assert control.exit_code == 0
    assert len([line for line in control.stdout.splitlines() if line.strip()]) > 1


def test_unknown_query_name_suggests_the_closest(built_ttl):
    result = invoke("query", "fact-evidense", "--graph", built_ttl)
    message = assert_one_sentence_refusal(result)
    assert "fact-evidense" in message and "did you mean 'fact-evidence'" in message


def test_unknown_parameter_is_refused(built_ttl):
    result = invoke("query", "fact-evidence", "--graph", built_ttl, "--param", "nope=1")
    message = assert_one_sentence_refusal(result)
    assert "'nope'" in message and "fact" in message


# --------------------------------------------------------------------------- graph files


def _xml_bomb(prolog_padding: str = "") -> str:
    entities = ['<!ENTITY lol "lol">']
    previous = "lol"
    for level in range(1, 10):
        entities.append(f'<!ENTITY lol{level} "{("&" + previous + ";") * 10}">')
        previous = f"lol{level}"
    return (
        '<?xml version="1.0"?>\n' + prolog_padding
        + "<!DOCTYPE rdf:RDF [\n" + "\n".join(entities) + "\n]>\n"
        + '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\n'
        + '<rdf:Description rdf:about="http://example.org/a"><ex:p>&lol9;</ex:p></rdf:Description>\n</rdf:RDF>\n'
    )


GRAPH_COMMANDS = [
    pytest.param(("validate", "{file}"), id="validate"),
    pytest.param(("query", "--graph", "{file}", "--sparql", "SELECT * WHERE { ?s ?p ?o }"), id="query"),
]


def _run_on(command, path):
    return invoke(*[str(path) if part == "{file}" else part for part in command])


@pytest.mark.parametrize("command", GRAPH_COMMANDS)
def test_rdfxml_entity_bomb_is_refused_fast(tmp_path, command):
    path = tmp_path / "bomb.rdf"
    path.write_text(_xml_bomb(), encoding="utf-8")
    assert path.stat().st_size < 1024
    started = time.monotonic()
    result = _run_on(command, path)
    elapsed = time.monotonic() - started
    message = assert_one_sentence_refusal(result)
    assert message.startswith(f"kg: {path}: ") and "DOCTYPE" in message
    assert elapsed < 5


def test_rdfxml_entity_bomb_after_a_long_prolog_comment_is_refused_fast(tmp_path):
    """The DOCTYPE may follow any amount of comment in the prolog; the refusal must not depend on where it is.

    Run in a child process with a time limit: if the bomb is not refused, the expansion runs for minutes.
    """
    path = tmp_path / "bomb-padded.rdf"
    path.write_text(_xml_bomb("<!--" + " " * 70_000 + "-->\n"), encoding="utf-8")
    try:
        proc = subprocess.run([sys.executable, "-m", "kg.cli", "validate", str(path)], cwd=ROOT,
                              capture_output=True, text=True, timeout=10)
    except subprocess.TimeoutExpired:
        pytest.fail("an RDF/XML entity bomb after a 70 KB prolog comment was not refused within 10 s (entities expanded)")
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith(f"kg: {path}: ") and "DOCTYPE" in proc.stderr


def _jsonld(context) -> str:
    return json.dumps({"@context": context, "@id": "http://example.org/a", "ex:p": "x"})


@pytest.mark.parametrize("command", GRAPH_COMMANDS)
@pytest.mark.parametrize(
    "make_context",
    [
        pytest.param(lambda url: "http://example.org/ctx.jsonld", id="example-org-string"),
        pytest.param(lambda url: f"{url}/ctx.jsonld", id="local-string"),
        pytest.param(lambda url: [{"ex": "http://example.org/"}, f"{url}/ctx.jsonld"], id="local-in-list"),
        pytest.param(lambda url: {"ex": {"@id": "http://example.org/p", "@context": f"{url}/ctx.jsonld"}}, id="scoped-in-term"),
        pytest.param(lambda url: {"@version": 1.1, "@import": f"{url}/ctx.jsonld"}, id="import-in-context"),
    ],
)
def test_jsonld_remote_context_is_refused_without_a_request(tmp_path, listener, command, make_context):
    path = tmp_path / "remote.jsonld"
    path.write_text(_jsonld(make_context(listener.url)), encoding="utf-8")
    hits_before = len(listener.hits)
    result = _run_on(command, path)
    assert listener.hits[hits_before:] == [], "the remote context was fetched"
    message = assert_one_sentence_refusal(result)
    assert message.startswith(f"kg: {path}: ") and "remote" in message


@pytest.mark.parametrize("command", GRAPH_COMMANDS)
def test_turtle_syntax_error_names_the_file(tmp_path, command):
    path = tmp_path / "broken.ttl"
    path.write_text('@prefix ex: <http://example.org/> .\nex:a ex:p "unterminated .\nex:b ex:p ex:c .\n', encoding="utf-8")
    message = assert_one_sentence_refusal(_run_on(command, path))
    assert message.startswith(f"kg: {path}: ") and "turtle" in message


def _ill_typed(built_ttl: Path, which: str) -> str:
    text = built_ttl.read_text(encoding="utf-8")
    if which in ("integer", "both"):
        start = next(line for line in text.splitlines() if line.strip().startswith("oa:start "))
        text = text.replace(start, start.split("oa:start")[0] + 'oa:start "abc"^^xsd:integer' + start[len(start.rstrip(" ;.")):], 1)
        assert '"abc"^^xsd:integer' in text
    if which in ("date", "both"):
        old = next(line for line in text.splitlines() if "schema:datePublished" in line)
        new = old.split("schema:datePublished")[0] + 'schema:datePublished "2024-13-45"^^xsd:date' + old[len(old.rstrip(" ;.")):]
        text = text.replace(old, new, 1)
        assert '"2024-13-45"^^xsd:date' in text
    return text


@pytest.mark.parametrize("which", ["integer", "date", "both"])
def test_ill_typed_literals_are_violations_not_crashes(built_ttl, tmp_path, which):
    path = tmp_path / f"ill-typed-{which}.ttl"
    path.write_text(_ill_typed(built_ttl, which), encoding="utf-8")
    result = invoke("validate", path)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output
    assert "Conforms: no" in result.stdout
    if which in ("integer", "both"):
        assert "abc" in result.stdout
    if which in ("date", "both"):
        assert "2024-13-45" in result.stdout


def test_ill_typed_literals_print_no_traceback_from_a_real_process(built_ttl, tmp_path):
    """rdflib logs a warning with a traceback for each ill-typed literal; a person must not see it."""
    path = tmp_path / "ill-typed-date.ttl"
    path.write_text(_ill_typed(built_ttl, "date"), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "validate", str(path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr


# --------------------------------------------------------------------------- decimals

THIRTY = "123456789012345678901234567.891"  # 30 significant digits: beyond the default 28-digit context


def test_as_decimal_keeps_thirty_digits():
    from kg.model.numbers import as_decimal

    value = as_decimal(Decimal(THIRTY))
    assert isinstance(value, Decimal) and str(value) == THIRTY


def test_yaml_reads_thirty_digits_exactly(tmp_path):
    from kg.model.yamlfile import load_yaml

    path = tmp_path / "number.yaml"
    path.write_text(f"amount: {THIRTY}\n", encoding="utf-8")
    value = load_yaml(path)["amount"]
    assert isinstance(value, Decimal) and str(value) == THIRTY


@pytest.mark.parametrize("written", ["123456789012345678901234567,891", "123.456.789.012.345.678.901.234.567,891"])
def test_figures_in_keeps_thirty_digits(written):
    from kg.model.numbers import figures_in

    assert figures_in(f"un valore di {written} euro") == {Decimal(THIRTY)}


def test_decimal_literal_round_trips_through_turtle(tmp_path):
    from rdflib import Literal, URIRef
    from rdflib.namespace import XSD

    from kg.rdf.builder import Literals
    from kg.rdf.namespaces import new_graph
    from kg.stores.files import load_graph, serialize, write_atomic

    graph = new_graph()
    subject = URIRef("http://example.org/x")
    direct = URIRef("http://example.org/direct")
    built = URIRef("http://example.org/built")
    graph.add((subject, direct, Literal(Decimal(THIRTY), datatype=XSD.decimal)))
    graph.add((subject, built, Literals().decimal(Decimal(THIRTY))))  # as the build writes it
    data = serialize(graph, "turtle")
    assert THIRTY.encode() in data
    back = load_graph(write_atomic(tmp_path / "decimal.ttl", data))
    for predicate in (direct, built):
        (literal,) = back.objects(subject, predicate)
        assert literal.datatype == XSD.decimal
        assert isinstance(literal.toPython(), Decimal)
        assert literal.toPython() == Decimal(THIRTY) and str(literal) == THIRTY


def test_build_keeps_a_thirty_digit_amount_exact(data_copy, tmp_path):
    """A level whose evidence states a 30-digit figure builds, and the graph holds it exactly."""
    from rdflib import Literal
    from rdflib.namespace import XSD

    from kg.rdf.namespaces import KGO
    from kg.stores.files import load_graph

    folder = data_copy / "releases" / SEED
    sentence = f"Un valore di prova ha raggiunto {THIRTY.replace('.', ',')} euro"
    edit(folder / "release.txt", "\nUfficio Stampa Confindustria Ancona", f"\n{sentence}.\nUfficio Stampa Confindustria Ancona")
    edit(folder / "annotation.yaml", "\n  # --- the trend", (
        "\n  - id: thirty-digits\n    kind: level\n    flow: export\n    origin: marche\n    destination: azerbaijan\n"
        f"    period: 2023\n    amount: {THIRTY}\n    unit: EUR\n    hedge: exact\n    evidence: \"{sentence}\"\n"
        "\n  # --- the trend"))
    out = tmp_path / "out"
    result = invoke("build", "--data", data_copy, "--out", out)
    assert result.exit_code == 0, result.output
    text = (out / "graph.ttl").read_text(encoding="utf-8")
    assert f"kgo:tradeValue {THIRTY}" in text
    values = {v.toPython() for v in load_graph(out / "graph.ttl").objects(None, KGO.tradeValue)}
    assert Decimal(THIRTY) in values
    assert Literal(THIRTY, datatype=XSD.decimal).toPython() == Decimal(THIRTY)
