"""The project's documentation stands alone: it names no file outside the repository.

README.md, SECURITY.md, BENCHMARKS.md, docs/, data/README.md and everything in kg/ (docstrings,
the ontology's comments, the queries, the pages, the template) say what they mean in their own
words instead of pointing at notes that a reader of the repository or of the wheel does not have.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", ROOT / "SECURITY.md", ROOT / "BENCHMARKS.md", ROOT / "data" / "README.md"]
FOLDERS = [ROOT / "docs", ROOT / "kg"]
OUTSIDE = re.compile(r"shared/|design card", re.IGNORECASE)


def text_files():
    files = list(DOCS)
    for folder in FOLDERS:
        files += [p for p in sorted(folder.rglob("*")) if p.is_file() and "__pycache__" not in p.parts]
    for path in files:
        try:
            yield path, path.read_text(encoding="utf-8")
        except UnicodeDecodeError:  # pictures
            continue


def test_the_documents_exist_and_are_read():
    names = {path.relative_to(ROOT).as_posix() for path, _text in text_files()}
    assert {"README.md", "SECURITY.md", "BENCHMARKS.md", "data/README.md", "kg/check/guard.py",
            "kg/resources/template/places.yaml", "kg/resources/template/releases/example/annotation.yaml"} <= names


def test_no_reference_to_files_outside_the_repository():
    hits = [
        f"{path.relative_to(ROOT)}, line {text.count(chr(10), 0, match.start()) + 1}: {match.group(0)!r}"
        for path, text in text_files()
        for match in OUTSIDE.finditer(text)
    ]
    assert not hits, "these point outside the repository; say it in the project's own words:\n" + "\n".join(hits)
