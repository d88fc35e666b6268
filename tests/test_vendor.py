"""The front-end library the graph page inlines (Cytoscape.js) is the npm registry's file at the pinned
version, with its licence: the committed files match the record `make vendor` checks them against."""

from __future__ import annotations

import hashlib
import json

from kg.resources import STATIC_DIR

VENDOR = STATIC_DIR / "vendor"


def test_the_vendored_files_are_the_recorded_ones():
    record = json.loads((VENDOR / "vendor.json").read_text(encoding="utf-8"))
    (package,) = record["packages"]
    assert (package["name"], package["version"], package["licence"]) == ("cytoscape", "3.35.0", "MIT")
    assert package["tarball"] == "https://registry.npmjs.org/cytoscape/-/cytoscape-3.35.0.tgz"
    assert package["integrity"].startswith("sha512-")
    for target, member in package["files"].items():
        assert hashlib.sha256((VENDOR / target).read_bytes()).hexdigest() == member["sha256"], target


def test_the_licence_travels_with_the_library():
    licence = (VENDOR / "cytoscape.LICENSE").read_text(encoding="utf-8")
    assert "Permission is hereby granted, free of charge" in licence and "The Cytoscape Consortium" in licence
    library = (VENDOR / "cytoscape.min.js").read_text(encoding="utf-8")
    assert library.startswith("/**\n * Copyright (c) 2016-2026, The Cytoscape Consortium.")  # the licence header kept


def test_the_page_inlines_the_library_unchanged(built_ttl, tmp_path):
    from click.testing import CliRunner

    from kg.cli import cli

    target = tmp_path / "graph.html"
    assert CliRunner().invoke(cli, ["viz", "--graph", str(built_ttl), "-o", str(target)]).exit_code == 0
    page = target.read_text(encoding="utf-8")
    assert "<script>" + (VENDOR / "cytoscape.min.js").read_text(encoding="utf-8") + "</script>" in page
    assert "<script src" not in page and "https://" not in page.split("<script>", 1)[0]
