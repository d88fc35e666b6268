"""Inputs past their limits (SECURITY.md cases 30-39): refused in one sentence, nothing written.

Each test runs the real ``kg`` command (click's CliRunner, or a subprocess where the old
behaviour killed the process) and asserts exit code 2, one ``kg: ...`` sentence on stderr that
names the file (and the line and field where there are such), no traceback, and no output
written or changed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import DATA, ROOT, SEED
from test_bad_inputs import (
    ANNOTATION,
    REGISTRY,
    SENTINEL,
    assert_build_refused,
    assert_one_sentence_refusal,
    edit,
    invoke,
    line_of,
    where,
)

RELEASE = Path("releases") / SEED


def run_kg(*args, cwd=ROOT, timeout=120):
    """The real ``kg`` in a process of its own (a crash there cannot take pytest with it)."""
    return subprocess.run([sys.executable, "-m", "kg.cli", *[str(a) for a in args]], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout, env={**os.environ, "KG_DEBUG": ""})


def assert_process_refused(proc) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr[-2000:]
    message = proc.stderr.strip()
    assert "\n" not in message and message.startswith("kg: "), message[-2000:]
    return message


# --------------------------------------------------------------------------- case 30: links out of the data folder


@pytest.mark.parametrize("name", ["release.txt", "annotation.yaml"])
def test_case_30_a_release_file_linked_outside_the_data_folder_is_refused(data_copy, tmp_path, name):
    """release.txt (or annotation.yaml) as a symbolic link to a file elsewhere: its content never
    reaches graph.ttl. The outside file is the release's own, with a secret line added, so that
    only the link is wrong."""
    original = data_copy / RELEASE / name
    outside = tmp_path / "elsewhere" / name
    outside.parent.mkdir()
    secret = "SECRET-LINE-FROM-OUTSIDE"
    outside.write_text(original.read_text(encoding="utf-8") + ("\n" if name == "release.txt" else "\n# ") + secret + "\n",
                       encoding="utf-8")
    original.unlink()
    original.symlink_to(outside)
    message = assert_build_refused(data_copy, tmp_path, original, None, None, "outside the data folder")
    assert secret not in message


def test_case_30_a_registry_linked_outside_the_data_folder_is_refused(data_copy, tmp_path):
    registry = data_copy / REGISTRY
    outside = tmp_path / "registry-elsewhere.yaml"
    outside.write_bytes(registry.read_bytes())
    registry.unlink()
    registry.symlink_to(outside)
    assert_build_refused(data_copy, tmp_path, registry, None, None, "outside the data folder")


def test_case_30_a_release_folder_linked_outside_the_data_folder_is_refused(data_copy, tmp_path):
    folder = data_copy / RELEASE
    moved = tmp_path / "moved" / SEED
    moved.parent.mkdir()
    folder.rename(moved)
    folder.symlink_to(moved, target_is_directory=True)
    assert_build_refused(data_copy, tmp_path, folder / "annotation.yaml", None, None, "outside the data folder")


def test_case_30_a_link_inside_the_data_folder_is_followed(data_copy, tmp_path):
    """Containment, not a ban on links: a link to a file inside the data folder builds."""
    original = data_copy / RELEASE / "release.txt"
    kept = data_copy / "texts" / "seed.txt"
    kept.parent.mkdir()
    original.rename(kept)
    original.symlink_to(kept)
    result = invoke("build", "--data", data_copy, "--out", tmp_path / "out", "--store", "memory")
    assert result.exit_code == 0, result.output


# --------------------------------------------------------------------------- case 31: YAML nesting and size


@pytest.mark.parametrize("depth", [30_000, 100_000])
@pytest.mark.parametrize("bracket", ["[]", "{}"])
def test_case_31_yaml_nested_deeper_than_the_c_stack_is_refused_not_a_crash(data_copy, tmp_path, depth, bracket):
    """60-200 KB of '[' made libyaml's composer recurse until the process died (SIGSEGV, exit 139,
    no message). A real process: a crash must fail the test, not take pytest with it."""
    path = data_copy / ANNOTATION
    opening, closing = bracket
    value = opening * depth + closing * depth if opening == "[" else "{a: " * depth + "}" * depth
    text = edit(path, "    amount: 7500000\n", "    amount: " + value + "\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.ttl").write_bytes(SENTINEL)
    started = time.monotonic()
    proc = run_kg("build", "--data", data_copy, "--out", out)
    elapsed = time.monotonic() - started
    message = assert_process_refused(proc)
    assert message.startswith(where(path, line_of(text, "amount: " + value[:6]))), message
    assert "nesting deeper than 50 levels" in message
    assert elapsed < 30, elapsed  # stopped at level 51, not after scanning every level
    assert (out / "graph.ttl").read_bytes() == SENTINEL
    assert sorted(p.name for p in out.iterdir()) == ["graph.ttl"]


def test_case_31_yaml_block_nesting_is_refused_at_its_line(data_copy, tmp_path):
    """Nesting by indentation (no brackets): the same limit, at the line of the 51st level."""
    path = data_copy / REGISTRY
    lines = ["deep:"] + [" " * (2 * level) + f"k{level}:" for level in range(1, 80)] + [" " * 160 + "end: 1"]
    text = "\n".join(lines) + "\n"
    path.write_text(text, encoding="utf-8")
    assert_build_refused(data_copy, tmp_path, path, line_of(text, "  k51:"), None, "nesting deeper than 50 levels")


def test_case_31_an_oversized_yaml_file_is_refused_before_it_is_parsed(data_copy, tmp_path):
    path = data_copy / ANNOTATION
    with path.open("a", encoding="utf-8") as handle:
        handle.write("# " + "x" * (16 * 1024 * 1024) + "\n")
    assert_build_refused(data_copy, tmp_path, path, None, None, "over the limit of 16,777,216 (16 MiB)")


# --------------------------------------------------------------------------- case 32: numbers


@pytest.mark.parametrize(
    "amount",
    [
        pytest.param("7" * 5000, id="5000-digit-integer"),
        pytest.param("7" * 41, id="41-digit-integer"),
        pytest.param("7" * 4000 + ".5", id="4000-digit-decimal"),
        pytest.param("7.5e+999999999", id="exponent-of-a-billion"),
        pytest.param("0x" + "f" * 5000, id="hexadecimal"),
    ],
)
def test_case_32_a_number_with_too_many_digits_names_file_line_field(data_copy, tmp_path, amount):
    """A 5,000-digit amount was 'internal error: ValueError' (Python's int() refuses 4,300 digits)."""
    path = data_copy / ANNOTATION
    text = edit(path, "    amount: 7500000\n", f"    amount: {amount}\n")
    message = assert_build_refused(data_copy, tmp_path, path, line_of(text, "amount: " + amount[:20]), "facts[0].amount",
                                   "more than 40 digits")
    assert len(message) < 300, message  # the number is shortened, not printed whole


def test_case_32_forty_digits_are_accepted_by_the_yaml_reader(tmp_path):
    from decimal import Decimal

    from kg.model.yamlfile import load_yaml

    path = tmp_path / "n.yaml"
    path.write_text("a: " + "9" * 40 + "\nb: 0." + "1" * 39 + "\n", encoding="utf-8")
    data = load_yaml(path)
    assert data["a"] == int("9" * 40) and data["b"] == Decimal("0." + "1" * 39)


# --------------------------------------------------------------------------- case 33: strings and texts


def test_case_33_a_note_over_one_mib_names_file_line_field(data_copy, tmp_path):
    """A 17 MiB note failed late, as 'could not write graph.ttl' (Oxigraph's 16 MiB line buffer)."""
    path = data_copy / ANNOTATION
    marker = "    note: \"The verb"
    text = edit(path, marker, "    note: \"" + "x" * (1024 * 1024 + 1) + " The verb")
    line = line_of(text, "    note: \"xxx")
    index, length = next((i, len(fact["note"])) for i, fact in enumerate(_facts(text)) if "note" in fact)
    assert length > 1024 * 1024
    assert_build_refused(data_copy, tmp_path, path, line, f"facts[{index}].note", f"the text is {length:,} characters long",
                         "limit of 1,048,576 (1 MiB)")


def _facts(text: str) -> list:
    import yaml

    return yaml.safe_load(text)["facts"]


def test_case_33_a_release_text_over_one_mib_is_refused(data_copy, tmp_path):
    path = data_copy / RELEASE / "release.txt"
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n" + "Testo. " * (1024 * 1024 // 7 + 1) + "\n")
    assert_build_refused(data_copy, tmp_path, path, None, None, "the release text is", "limit of 1,048,576 (1 MiB)")


# --------------------------------------------------------------------------- case 34: prefix declarations


def _many_prefixes(kind: str, count: int) -> str:
    if kind == "turtle":
        lines = [f"@prefix p{i}: <http://example.org/{i}#> ." for i in range(count)]
        return "\n".join(lines) + "\n<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n"
    if kind == "xml":
        declarations = " ".join(f'xmlns:p{i}="http://example.org/{i}#"' for i in range(count))
        return (f'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" {declarations}>'
                '<rdf:Description rdf:about="http://example.org/a"><p1:b>x</p1:b></rdf:Description></rdf:RDF>\n')
    if kind == "jsonld":
        context = {f"p{i}": f"http://example.org/{i}#" for i in range(count)}
        return json.dumps({"@context": context, "@id": "http://example.org/a", "p1:b": "x"})
    raise AssertionError(kind)


SUFFIX = {"turtle": ".ttl", "xml": ".rdf", "jsonld": ".jsonld"}


@pytest.mark.parametrize("kind", ["turtle", "xml", "jsonld"])
@pytest.mark.parametrize("command", ["validate", "export"])
def test_case_34_twenty_thousand_prefixes_are_refused_in_a_second(tmp_path, kind, command):
    """20,000 @prefix lines took 21 s to load (rdflib's namespace trie), outside any time limit;
    xmlns: declarations and JSON-LD context terms took 84 s and 52 s."""
    path = tmp_path / f"prefixes{SUFFIX[kind]}"
    path.write_text(_many_prefixes(kind, 20_000), encoding="utf-8")
    output = tmp_path / "out.nt"
    args = ["validate", path] if command == "validate" else ["export", "--graph", path, "--format", "nt", "-o", output]
    started = time.monotonic()
    result = invoke(*args)
    elapsed = time.monotonic() - started
    message = assert_one_sentence_refusal(result)
    assert message == f"kg: {path}: the file declares more than 1,000 prefixes (namespaces).", message
    assert elapsed < 5, elapsed
    assert not output.exists()


def test_case_34_a_thousand_prefixes_still_load(tmp_path):
    path = tmp_path / "p.ttl"
    path.write_text(_many_prefixes("turtle", 1000), encoding="utf-8")
    result = invoke("export", "--graph", path, "--format", "nt", "-o", tmp_path / "out.nt")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out.nt").read_text(encoding="utf-8").count("\n") == 1


# --------------------------------------------------------------------------- case 35: control characters


ESCAPES = "\x1b]0;owned\x07\x1b[2J\x9b31m\u202egnp.exe\x00"


def test_case_35_control_characters_in_an_error_are_escaped(data_copy, tmp_path):
    """An id with ESC sequences (clear the screen, set the title), a C1 CSI and a bidi override:
    the error shows them as escapes, the terminal never receives them."""
    path = data_copy / ANNOTATION
    bad_id = "x" + ESCAPES.replace("\x00", "")
    text = edit(path, "  - id: marche-world-2024", "  - id: " + json.dumps(bad_id))
    message = assert_build_refused(data_copy, tmp_path, path, line_of(text, "- id: \"x"), "facts[1].id", "is not a valid id")
    for char in "\x1b\x07\x9b\u202e":
        assert char not in message, repr(message)
    assert "\\x1b]0;owned\\x07\\x1b[2J\\x9b31m\\u202egnp.exe" in message


@pytest.mark.parametrize("fmt", ["table", "md"])
def test_case_35_control_characters_in_table_and_md_output_are_escaped(tmp_path, fmt):
    path = tmp_path / "g.nt"
    literal = ESCAPES.replace("\x00", "\\u0000")  # N-Triples escapes NUL
    path.write_text(f'<http://example.org/a> <http://example.org/b> "{literal}" .\n', encoding="utf-8")
    result = invoke("query", "--graph", path, "--format", fmt, "--sparql", "SELECT ?o WHERE { ?s ?p ?o }")
    assert result.exit_code == 0, result.output
    for char in "\x1b\x07\x9b\u202e\x00":
        assert char not in result.stdout, repr(result.stdout)
    assert "\\x1b]0;owned\\x07\\x1b[2J\\x9b31m\\u202egnp.exe\\x00" in result.stdout


def test_case_35_json_and_csv_keep_the_data_as_it_is(tmp_path):
    """Machine formats are for programs: they carry the characters (JSON escapes them itself)."""
    path = tmp_path / "g.nt"
    path.write_text('<http://example.org/a> <http://example.org/b> "a\\u001Bb" .\n', encoding="utf-8")
    result = invoke("query", "--graph", path, "--format", "json", "--sparql", "SELECT ?o WHERE { ?s ?p ?o }")
    assert json.loads(result.stdout)["results"]["bindings"][0]["o"]["value"] == "a\x1bb"


def test_case_35_labels_from_data_are_escaped_in_every_view_that_prints_them(built_ttl, tmp_path):
    """explain, path, hubs, stats and validate print labels and sentences of the graph: a label
    carrying ESC sequences, a C1 CSI and a bidi override reaches the terminal as escapes."""
    hostile = "Mingarelli\\u001B]0;owned\\u0007\\u001B[2J\\u009B31m\\u202E"  # Turtle escapes
    text = built_ttl.read_text(encoding="utf-8")
    assert text.count("Diego Mingarelli") > 3
    path = tmp_path / "hostile.ttl"
    path.write_text(text.replace("Diego Mingarelli", "Diego " + hostile), encoding="utf-8")
    shown = "Diego Mingarelli\\x1b]0;owned\\x07\\x1b[2J\\x9b31m\\u202e"
    outputs = {
        "explain": invoke("explain", "diego-mingarelli", "--graph", path),
        "path": invoke("path", "diego-mingarelli", "confindustria-ancona", "--graph", path),
        "hubs": invoke("hubs", "--graph", path, "--top", "50"),
        "stats": invoke("stats", "--graph", path),
        "validate": invoke("validate", path),
    }
    for name, result in outputs.items():
        # the release text changed under its evidence: validate reports it (exit 1), quoting the sentences
        assert result.exit_code == (1 if name == "validate" else 0), (name, result.output)
        for char in "\x1b\x07\x9b\u202e":
            assert char not in result.output, (name, repr(result.output))
    for name in ("explain", "path", "hubs", "validate"):
        assert shown in outputs[name].output, (name, outputs[name].output)


def test_printable_escapes_exactly_the_unsafe_characters():
    from kg.errors import printable

    assert printable("a\nb\tc") == "a\nb\tc"
    assert printable("\x1b\x7f\x85\u202a\u2069\ud800é€") == "\\x1b\\x7f\\x85\\u202a\\u2069\\ud800é€"


# --------------------------------------------------------------------------- case 36: graph files that are not RDF


NOT_RDF = [
    pytest.param("surrogate.jsonld", '{"@id": "http://example.org/a", "http://example.org/b": "x\\ud800y"}',
                 "lone surrogate", id="jsonld-lone-surrogate"),
    pytest.param("surrogate.ttl", '<http://example.org/a> <http://example.org/b> "x\\uD800y" .\n',
                 "lone surrogate", id="turtle-lone-surrogate"),
    pytest.param("formula.n3", "@prefix : <http://example.org/> .\n:a :b { :c :d :e } .\n",
                 "N3 formula", id="n3-formula"),
    pytest.param("xinclude.rdf",
                 '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                 'xmlns:xi="http://www.w3.org/2001/XInclude">\n<rdf:Description rdf:about="http://example.org/a">'
                 '<xi:include href="file:///etc/passwd" parse="text"/></rdf:Description>\n</rdf:RDF>\n',
                 "relative IRI", id="rdfxml-xinclude"),
]


@pytest.mark.parametrize("name, content, fragment", NOT_RDF)
@pytest.mark.parametrize("command", ["validate", "export"])
def test_case_36_a_graph_file_that_is_not_rdf_is_refused_naming_it(tmp_path, name, content, fragment, command):
    """These gave 'internal error' (UnicodeEncodeError, Oxigraph's SyntaxError) without naming the file."""
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    output = tmp_path / "out.nt"
    args = ["validate", path] if command == "validate" else ["export", "--graph", path, "--format", "nt", "-o", output]
    message = assert_one_sentence_refusal(invoke(*args))
    assert message.startswith(f"kg: {path}: ") and fragment in message, message
    assert not output.exists()


# --------------------------------------------------------------------------- case 37: --timeout


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e308", "86401", "-1", "soon"])
@pytest.mark.parametrize("command", ["query", "serve", "push"])
def test_case_37_an_absurd_timeout_is_refused_in_one_sentence(built_ttl, command, value):
    args = {"query": ["query", "--graph", built_ttl, "--sparql", "ASK {}"],
            "serve": ["serve", "--graph", built_ttl, "--port", "0"],
            "push": ["push", "--graph", built_ttl, "--endpoint", "http://127.0.0.1:9/store"]}[command]
    message = assert_one_sentence_refusal(invoke(*args, "--timeout", value))
    assert message == f"kg: --timeout must be a number of seconds from 0 (no limit) to 86400 (a day), not '{value}'.", message


def test_case_37_a_day_and_zero_are_accepted(built_ttl):
    for value in ("0", "86400", "0.5"):
        result = invoke("query", "--graph", built_ttl, "--timeout", value, "--sparql", "ASK {}")
        assert result.exit_code == 0 and result.stdout == "true\n", (value, result.output)


# --------------------------------------------------------------------------- case 38: --host


@pytest.mark.parametrize("host", ["256.1.1.1", "1.2.3", "a b", "-bad-.example", "::g"])
def test_case_38_serve_refuses_an_impossible_host_before_binding(built_ttl, host):
    """256.1.1.1 was 'internal error: ValueError: Invalid host/port specified.' from waitress, after loading."""
    result = invoke("serve", "--graph", built_ttl, "--host", host, "--port", "0")
    message = assert_one_sentence_refusal(result)
    assert message == f"kg: --host '{host}' is neither an IP address nor a host name (e.g. 127.0.0.1, ::1 or localhost).", message
    assert "serving" not in result.output


def test_case_38_addresses_and_names_are_accepted():
    from kg.cli import Host

    host = Host()
    assert [host.convert(v, None, None) for v in ("127.0.0.1", "::1", "[::1]", "localhost", "kg.example.org")] == [
        "127.0.0.1", "::1", "::1", "localhost", "kg.example.org"]


# --------------------------------------------------------------------------- case 39: kg extract


@pytest.mark.parametrize("release_id", ["../../x", "a/b", "..", "/tmp/x", "Upper"])
def test_case_39_extract_id_cannot_leave_into(tmp_path, release_id):
    """`kg extract --id ../../x --into DIR` wrote DIR/releases/../../x, outside DIR."""
    into = tmp_path / "a" / "b" / "into"
    text = DATA / RELEASE / "release.txt"
    result = invoke("extract", text, "--id", release_id, "--into", into, "--data", DATA)
    message = assert_one_sentence_refusal(result)
    assert message.startswith(f"kg: --id '{release_id}' is not a valid release id"), message
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")) == [], "something was written"


def test_case_39_extract_of_a_non_utf8_file_names_it(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Roma, 3 marzo 2025 – L’export è cresciuto.\n".encode("cp1252"))
    into = tmp_path / "into"
    message = assert_one_sentence_refusal(invoke("extract", path, "--into", into, "--data", DATA))
    assert message.startswith(f"kg: {path}: the release text is not UTF-8 (byte "), message
    assert not into.exists()


def test_case_39_extract_with_a_valid_id_writes_inside_into(tmp_path):
    into = tmp_path / "into"
    result = invoke("extract", DATA / RELEASE / "release.txt", "--id", "fresh_1", "--into", into, "--data", DATA)
    assert result.exit_code == 0, result.output
    assert (into / "releases" / "fresh_1" / "annotation.yaml").is_file()

