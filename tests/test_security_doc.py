"""SECURITY.md names real tests: a renamed or deleted test breaks this one."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEXT = (ROOT / "SECURITY.md").read_text(encoding="utf-8")


def test_every_test_named_in_security_md_exists():
    named = re.findall(r"`(test_[a-z_]+\.py)(?:::(\w+\*?))?`", TEXT) + [
        (None, name) for name in re.findall(r"`::(\w+\*?)`", TEXT)
    ]
    assert len(named) > 15
    sources = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "tests").glob("test_*.py")}
    everything = "\n".join(sources.values())
    for filename, name in named:
        if filename:
            assert filename in sources, filename
        if name:
            pattern = name.replace("*", r"\w*").strip()
            pattern = r"\w*" + pattern if name.startswith("*") else pattern
            haystack = sources[filename] if filename else everything
            assert re.search(rf"def {pattern}\(", haystack), f"{filename}::{name}"


def test_every_numbered_case_of_bad_inputs_is_listed():
    for number in range(1, 17):
        assert re.search(rf"^\| {number} \|", TEXT, re.MULTILINE), number
