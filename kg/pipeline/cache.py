"""The build cache: each release's part, stored under ``OUT/cache/`` by the content hash it was built from.

One JSON file per release (``OUT/cache/releases/<release id>.json``): the key
(:func:`kg.pipeline.parts.release_key`: the release folder's files, the registry, the
ontology and shapes, and the kg source), the part's N-Triples lines, its
periods and its per-class findings. An entry is used only when its key is the
key of the release as it is now; anything else (a missing, stale, unreadable or
foreign file) is a miss, and the release is rebuilt. JSON, never pickle: a cache
folder is data, and reading it must not run code.

Entries are written by rename, without fsync: a cache lost in a crash costs a
rebuild, nothing more.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path

from kg.pipeline.parts import Part

CACHE_DIR = "cache"
FORMAT = 1


def cache_dir(out_dir) -> Path:
    return Path(out_dir) / CACHE_DIR


def parts_dir(out_dir) -> Path:
    return cache_dir(out_dir) / "releases"


def load(out_dir, release_id: str, key: str | None) -> Part | None:
    """The cached part of ``release_id`` if it was built from ``key`` (any key: None), else None."""
    from kg.check.shacl import Finding

    path = parts_dir(out_dir) / f"{release_id}.json"
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
        if entry.get("format") != FORMAT or (key is not None and entry.get("key") != key) or entry.get("id") != release_id:
            return None
        return Part(
            release_id,
            str(entry["key"]),
            [str(line) for line in entry["lines"]],
            [(str(start), int(months)) for start, months in entry["periods"]],
            [Finding(**finding) for finding in entry["findings"]],
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _write_json(path: Path, value, **options) -> None:
    """Write ``value`` as JSON to a temporary file beside ``path`` and rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=".kg-tmp-", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(value, stream, **options)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def save(out_dir, part: Part) -> None:
    entry = {
        "format": FORMAT,
        "id": part.id,
        "key": part.key,
        "periods": part.periods,
        "findings": [asdict(finding) for finding in part.findings],
        "lines": part.lines,
    }
    _write_json(parts_dir(out_dir) / f"{part.id}.json", entry, ensure_ascii=False, separators=(",", ":"))


def ids(out_dir) -> set[str]:
    """The releases with an entry."""
    return {path.stem for path in parts_dir(out_dir).glob("*.json")}


STORE_MANIFEST = "store.json"


def load_manifest(out_dir) -> dict | None:
    """What ``OUT/store`` holds, as the last build that wrote it recorded: the context digest and each release's key."""
    try:
        manifest = json.loads((cache_dir(out_dir) / STORE_MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("format") == FORMAT and isinstance(manifest.get("parts"), dict):
            return manifest
    except (OSError, ValueError):
        pass
    return None


def save_manifest(out_dir, manifest: dict | None) -> None:
    """Record what ``OUT/store`` holds (None: unknown, so the next build loads it afresh)."""
    path = cache_dir(out_dir) / STORE_MANIFEST
    if manifest is None:
        path.unlink(missing_ok=True)
        return
    _write_json(path, {"format": FORMAT, **manifest}, sort_keys=True)


def prune(out_dir, keep: set[str]) -> None:
    """Remove the entries of releases that are no longer in the corpus."""
    folder = parts_dir(out_dir)
    if folder.is_dir():
        for path in folder.glob("*.json"):
            if path.stem not in keep:
                path.unlink(missing_ok=True)


CONTEXT = "context.json"


def load_context_findings(out_dir, digest: str) -> list | None:
    """The findings of the context's own check (ontology, places, sectors, registry) when it was
    checked as it is now (``digest``: :attr:`kg.pipeline.parts.Context.digest`), else None."""
    from kg.check.shacl import Finding

    try:
        entry = json.loads((cache_dir(out_dir) / CONTEXT).read_text(encoding="utf-8"))
        if entry.get("format") != FORMAT or entry.get("digest") != digest:
            return None
        return [Finding(**finding) for finding in entry["findings"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def save_context_findings(out_dir, digest: str, findings: list) -> None:
    _write_json(cache_dir(out_dir) / CONTEXT, {"format": FORMAT, "digest": digest,
                                               "findings": [asdict(finding) for finding in findings]}, sort_keys=True)


QUERIES = "queries.json"


def load_queries(out_dir) -> dict:
    """What earlier builds learnt about the shapes' SPARQL, by digest of the text: ``checked`` (passed
    kg.check.guard; rdflib's parse of them costs half a second) and ``predicates`` (what each can match).
    A changed query has another digest and is parsed again."""
    try:
        entry = json.loads((cache_dir(out_dir) / QUERIES).read_text(encoding="utf-8"))
        checked = {d for d in entry.get("checked", []) if isinstance(d, str)}
        predicates = {d: v for d, v in entry.get("predicates", {}).items()
                      if v is None or (isinstance(v, list) and all(isinstance(p, str) for p in v))}
        return {"checked": checked, "predicates": predicates}
    except (OSError, ValueError, AttributeError):
        return {"checked": set(), "predicates": {}}


def save_queries(out_dir, queries: dict) -> None:
    _write_json(cache_dir(out_dir) / QUERIES, {"checked": sorted(queries["checked"]), "predicates": queries["predicates"]},
                indent=1, sort_keys=True)
