"""kg's YAML files read and written with ruamel.yaml: lines for errors, comments and layout kept on writing.

The facts asserted are read off the files themselves (the line a key is written on, the comments a
person wrote, the digits of a number), never the reader's output echoed back.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from conftest import DATA, ROOT, SEED
from kg.errors import InputError
from kg.model.yamlfile import dump_yaml, load_yaml, parse_yaml
from kg.stores.files import write_yaml

ANNOTATION = DATA / "releases" / SEED / "annotation.yaml"

# every YAML file of the repository a person edits: annotations, registries, places and sectors of the seed, of
# the test corpora and of kg init's template (the family's truth.yaml files are written by a script, not by hand)
EDITED = sorted(path for folder in ("data", "kg", "tests") for path in (ROOT / folder).rglob("*.yaml")
                if path.name != "truth.yaml")


def comments(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


def test_the_files_written_back_are_many_and_commented():
    assert len(EDITED) >= 40
    assert len(comments(ANNOTATION.read_text(encoding="utf-8"))) >= 20


@pytest.mark.parametrize("path", EDITED, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_file_read_and_written_back_unchanged_keeps_its_bytes(path, tmp_path):
    data = load_yaml(path, comments=True)
    assert write_yaml(tmp_path / path.name, data).read_bytes() == path.read_bytes()


def test_changing_one_value_keeps_every_comment_and_every_other_line(tmp_path):
    """The seed says the Marche exported EUR 7.5 million to Azerbaijan in 2024 (`amount: 7500000`)."""
    text = ANNOTATION.read_text(encoding="utf-8")
    annotation = load_yaml(ANNOTATION, comments=True)
    fact = annotation["facts"][0]
    assert fact["id"] == "marche-azerbaijan-2024" and fact["amount"] == 7500000
    fact["amount"] = Decimal("7600000")
    written = write_yaml(tmp_path / "annotation.yaml", annotation).read_text(encoding="utf-8")
    before, after = text.splitlines(), written.splitlines()
    assert len(before) == len(after)
    changed = [(old, new) for old, new in zip(before, after, strict=True) if old != new]
    assert changed == [("    amount: 7500000", "    amount: 7600000")]
    assert comments(written) == comments(text)
    reread = load_yaml(tmp_path / "annotation.yaml")
    assert reread["facts"][0]["amount"] == 7600000
    assert list(reread["facts"][0]) == list(fact)  # the key order as written


def test_a_new_key_and_a_decimal_set_through_the_api_are_written_in_place(tmp_path):
    annotation = load_yaml(ANNOTATION, comments=True)
    share = next(f for f in annotation["facts"] if f["kind"] == "share")
    share["percent"] = Decimal("0.050")
    share["review"] = "check the share"
    written = write_yaml(tmp_path / "a.yaml", annotation).read_text(encoding="utf-8")
    assert "    percent: 0.050\n" in written  # its digits, not 0.05 nor a float's
    assert "    review: check the share\n" in written
    assert comments(written) == comments(ANNOTATION.read_text(encoding="utf-8"))


def test_lines_are_those_the_keys_are_written_on():
    text = ANNOTATION.read_text(encoding="utf-8").splitlines()
    annotation = load_yaml(ANNOTATION)
    assert annotation.line_of("facts") == text.index("facts:") + 1
    first = annotation["facts"][0]
    assert first.line_of("amount") == text.index("    amount: 7500000") + 1
    assert annotation["facts"].line_of(0) == text.index("  - id: marche-azerbaijan-2024") + 1
    assert first.line == annotation["facts"].line_of(0)


def test_both_parsers_read_the_same_values_and_lines():
    """The build's parser (libyaml in C) and the round-trip one (Python, with comments) agree."""
    fast, kept = load_yaml(ANNOTATION), load_yaml(ANNOTATION, comments=True)
    assert fast == kept
    for one, other in zip(fast["facts"], kept["facts"], strict=True):
        assert [one.line_of(key) for key in one] == [other.line_of(key) for key in other]


CRAFTED = """\
# every kind of value kg's files hold, in the layouts a person may write them in
name: Ancona
quoted: 'sì, "virgolette"'
count: 12
grouped: 1_000
hex: 0x1F
share: 0.05
exponent: 1.5e3
flag: false
nothing: ~
day: 2026-02-20
note: |
  first line
  second line
folded: >
  one
  two
flow: {a: 1, b: [x, y]}
anchored: &kept {c: 3}
list:
  - plain
  - {k: v}
  - - nested
    - 2
empty_map: {}
empty_list: []
"""


def _same_with_lines(fast, kept, where="the file"):
    assert fast == kept, where
    if isinstance(kept, dict):
        assert list(fast) == list(kept), where
        assert fast.line == kept.line, where
        for key in kept:
            assert fast.line_of(key) == kept.line_of(key), f"{where}.{key}"
            _same_with_lines(fast[key], kept[key], f"{where}.{key}")
    elif isinstance(kept, list):
        assert fast.line == kept.line, where
        for index, item in enumerate(kept):
            assert fast.line_of(index) == kept.line_of(index), f"{where}[{index}]"
            _same_with_lines(fast[index], item, f"{where}[{index}]")


@pytest.mark.parametrize("path", [*EDITED, None], ids=lambda p: str(p.relative_to(ROOT)) if p else "crafted")
def test_the_builds_reading_gives_the_values_and_lines_of_ruamels_own_constructor(path, tmp_path):
    """The build reads without comments, making mappings and lists in one walk over the parsed nodes; the
    round-trip reading is ruamel.yaml's own constructor. Every value and every key's and item's line agree,
    on every file a person edits and on one holding every kind of value and layout."""
    text = path.read_text(encoding="utf-8") if path else CRAFTED
    where = path or tmp_path / "crafted.yaml"
    fast, kept = parse_yaml(text, where), parse_yaml(text, where, comments=True)
    _same_with_lines(fast, kept)
    if path is None:  # what the crafted file says, read off it
        assert fast["grouped"] == 1000 and fast["hex"] == 31 and fast["exponent"] == Decimal("1500")
        assert fast["note"] == "first line\nsecond line\n" and fast["folded"] == "one two\n"
        assert fast["list"][2] == ["nested", 2] and fast["list"].line_of(2) == CRAFTED.splitlines().index("  - - nested") + 1
        assert fast["day"] == "2026-02-20" and fast["nothing"] is None and fast["flag"] is False


def test_a_number_with_a_fraction_is_a_decimal_of_its_digits():
    """The seed's share is `percent: 0.05`: 0.05 exactly, which no binary float is."""
    share = next(f for f in load_yaml(ANNOTATION)["facts"] if f["kind"] == "share")
    assert type(share["percent"]) is Decimal and share["percent"] == Decimal("0.05")
    assert load_yaml(ANNOTATION)["release"]["published"] == "2026-02-20"  # a date stays as written


def test_yaml_1_2_reads_no_as_text(tmp_path):
    """Norway's language code and a time written 1:30 are text under YAML 1.2 (1.1 made them false and 90)."""
    path = tmp_path / "a.yaml"
    path.write_text("language: no\nat: 1:30\nflag: true\n", encoding="utf-8")
    assert load_yaml(path) == {"language": "no", "at": "1:30", "flag": True}


@pytest.mark.parametrize("text, line, field, words", [
    ("a: 1\nb: !!python/object/apply:os.system ['ls']\n", 2, "b", "the YAML tag !!python/object/apply:os.system is not supported"),
    ("facts:\n  - x: !!binary aGk=\n", 2, "facts[0].x", "the YAML tag !!binary is not supported"),
    ("a: !custom {b: 1}\n", 1, "a", "the YAML tag !custom is not supported"),
    ("a: 1\n2024: x\n", 2, None, "a mapping key must be a plain name, not '2024'"),
    ("a:\n  b: 1\n  c: 2\n  b: 3\n", 4, "a.b", "duplicate key 'b'"),
    # a list tagged as a mapping, and a mapping as a list: refused, never read as an empty one (the facts lost)
    ("a: !!map [1, 2]\n", 1, None, "expected a mapping node, but found sequence"),
    ("facts: !!seq\n  id: f1\n", 1, None, "expected a sequence node, but found mapping"),
])
def test_what_kg_files_never_hold_is_refused_naming_line_and_field(tmp_path, text, line, field, words):
    with pytest.raises(InputError) as caught:
        parse_yaml(text, tmp_path / "a.yaml")
    assert (caught.value.line, caught.value.field) == (line, field)
    assert words in caught.value.message


def test_kg_extract_s_draft_is_written_in_the_layout_it_reads_back(tmp_path):
    """A draft with its comments, read back and written again, is the same text."""
    from kg.draft.extract import extract, to_yaml

    text = (DATA / "releases" / SEED / "release.txt").read_text(encoding="utf-8")
    draft = to_yaml(extract(text, SEED), explain=True)
    assert draft.startswith("# Draft annotation written by `kg extract`")
    assert "\nfacts:\n  #   amount: " in draft and "\n  - id: " in draft
    assert dump_yaml(parse_yaml(draft, tmp_path / "draft.yaml", comments=True)) == draft


def test_kg_synth_keeps_the_comments_of_the_registry_it_starts_from(tmp_path):
    from kg.draft.synth import synthesize
    from kg.resources import TEMPLATE_DIR

    corpus = synthesize(2, tmp_path / "corpus")
    template = (TEMPLATE_DIR / "registry.yaml").read_text(encoding="utf-8")
    written = (corpus / "registry.yaml").read_text(encoding="utf-8")
    assert comments(template) and comments(written) == comments(template)
    assert written.startswith(template.split("\norganizations:")[0])


def test_path_as_text_is_read(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    assert load_yaml(str(path)) == {"a": 1} and isinstance(load_yaml(Path(path)), dict)


def test_without_libyamls_parser_the_same_values_and_lines_are_read(monkeypatch, tmp_path):
    """Where ruamel.yaml.clib is missing (a Python other than CPython), ruamel.yaml's reader in Python reads
    the build's files: the same values and lines as with libyaml's parser in C."""
    import kg.model.yamlfile as yamlfile

    with_c = parse_yaml(CRAFTED, tmp_path / "crafted.yaml")
    monkeypatch.setattr(yamlfile, "_CLoader", None)
    _same_with_lines(parse_yaml(CRAFTED, tmp_path / "crafted.yaml"), with_c)
    with pytest.raises(InputError) as caught:
        parse_yaml("a:\n  b: 1\n  b: 2\n", tmp_path / "twice.yaml")
    assert (caught.value.line, caught.value.field, caught.value.message) == (3, "a.b", "duplicate key 'b'")
