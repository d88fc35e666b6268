"""The build cache: each release's part, stored under ``OUT/cache/`` by the content hash it was built from.

What ``OUT/cache/`` holds:

- ``releases/<release id>.part``: a line of JSON, then the part's N-Triples lines (UTF-8, as the build
  holds them: read back by one split, where a JSON list of them took twice the time to parse on 1,000
  releases). The JSON holds the key (:func:`kg.pipeline.parts.release_key`: the release
  folder's files, the registry, the ontology and shapes, and the kg source), the part's
  periods, the places and sectors it names, its per-class findings, and which of
  its lines the checks across releases can match (their indexes, with a digest of the predicates they
  were listed for: listed for others, the lines are looked through again);
- ``context.json``: the findings of the context's own check, by the context's digest;
- ``queries.json``: what earlier builds learnt about the shapes' SPARQL;
- ``store.json``: which parts ``OUT/store`` holds (the manifest of an update in place);
- ``digests.json``: the SHA-256 of each of the files above, as the last build that ran to its
  end wrote them, and the key of each release's entry (so a build knows which releases to build
  before it reads any entry, and builds them while it reads the others).

A file is used only when its bytes have the digest ``digests.json`` records, and a part only
when its key is the key of the release as it is now; anything else (a missing, stale, edited,
unreadable or foreign file) is a miss: the release is rebuilt, the check run again, the store
loaded afresh. The digests are kept apart from the entries, so an entry edited with its key
kept no longer matches and is rebuilt, not trusted. JSON and N-Triples, never pickle: a cache folder
is data, and reading it must not run code.

**Committed at the end.** A build writes its new parts into a staging folder beside the
outputs (``OUT/.kg-tmp-cache-*``, :meth:`Cache.stage`) and keeps its other entries in memory;
:meth:`Cache.commit` moves them into the cache only when the build has run to its end
(whether or not the graph conforms: the parts and their findings are as valid either way),
and ``digests.json`` is written last, by rename: until then none of the new files is an entry.
A build that stops (an error, Ctrl-C, a full disk) commits nothing and removes its staging
folder; after a kill, the next build removes it (:func:`kg.pipeline.corpus.remove_temporaries`).

Entries are written by rename, without fsync: a cache lost in a crash costs a rebuild, nothing more.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import asdict
from pathlib import Path

from kg.pipeline.parts import Part

CACHE_DIR = "cache"
FORMAT = 4
RELEASES = "releases"
ENTRY = ".part"  # a release's entry: releases/<id>.part
DIGESTS = "digests.json"
CONTEXT = "context.json"
QUERIES = "queries.json"
STORE_MANIFEST = "store.json"
STAGING_PREFIX = ".kg-tmp-cache-"


def cache_dir(out_dir) -> Path:
    return Path(out_dir) / CACHE_DIR


def parts_dir(out_dir) -> Path:
    return cache_dir(out_dir) / RELEASES


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _entry_name(release_id: str) -> str:
    return f"{RELEASES}/{release_id}{ENTRY}"


def load_digests(out_dir) -> tuple[dict[str, str], dict[str, str]]:
    """The SHA-256 of each entry, by its path under ``OUT/cache`` (``releases/<id>.part``, ``context.json``...),
    and the key each release's entry was built from, by release id."""
    try:
        recorded = json.loads((cache_dir(out_dir) / DIGESTS).read_text(encoding="utf-8"))
        files = recorded.get("files") if recorded.get("format") == FORMAT else None
        if isinstance(files, dict):
            keys = recorded.get("keys")
            keys = keys if isinstance(keys, dict) else {}
            return ({name: value for name, value in files.items() if isinstance(name, str) and isinstance(value, str)},
                    {name: value for name, value in keys.items() if isinstance(name, str) and isinstance(value, str)})
    except (OSError, ValueError, AttributeError):
        pass
    return {}, {}


def entry_bytes(part: Part) -> bytes:
    """A part as its cache entry is written."""
    return encode_entry({
        "format": FORMAT,
        "id": part.id,
        "key": part.key,
        "periods": part.periods,
        "names": part.names,
        "figures": part.figures,
        "findings": [asdict(finding) for finding in part.findings],
        "lines": part.lines,
        "wanted": part.wanted,
        "wantedFor": part.wanted_for,
    })


def encode_entry(fields: dict) -> bytes:
    """An entry's bytes from its fields: ``lines`` (N-Triples lines, UTF-8 or text, no newline) after a line
    of JSON holding the others."""
    head = {name: value for name, value in fields.items() if name != "lines"}
    lines = [line if isinstance(line, bytes) else line.encode("utf-8") for line in fields.get("lines", [])]
    return b"\n".join([json.dumps(head, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), *lines])


def decode_entry(data: bytes) -> dict:
    """An entry's fields (:func:`encode_entry`), its lines as text: what a person or a test reads of it
    (a build reads it with :meth:`Cache.load`). ValueError if its first line is not a JSON object."""
    head, _newline, body = data.partition(b"\n")
    fields = json.loads(head)
    if not isinstance(fields, dict):
        raise ValueError("a cache entry starts with a JSON object")
    fields["lines"] = body.decode("utf-8").split("\n") if body else []
    return fields


def save(folder, part: Part) -> str:
    """Write ``part``'s entry into ``folder`` (a build's staging folder, :meth:`Cache.stage`); return its digest.

    The build's workers call it, each for the parts it builds.
    """
    data = entry_bytes(part)
    (Path(folder) / f"{part.id}{ENTRY}").write_bytes(data)
    return digest_of(data)


def _write_json(path: Path, value, **options) -> bytes:
    """Write ``value`` as JSON to a temporary file beside ``path`` and rename it over ``path``; return the bytes."""
    data = json.dumps(value, **options).encode("utf-8")
    _write_bytes(path, data)
    return data


def _write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=".kg-tmp-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


class Cache:
    """One build's view of ``OUT/cache``: reads checked against ``digests.json``, writes held back until
    :meth:`commit` (see the module's documentation)."""

    def __init__(self, out_dir) -> None:
        self.out_dir = Path(out_dir)
        self.base = str(cache_dir(out_dir))
        # what is committed and still valid, plus what this build adds; the key of each release's entry
        self.digests, self.keys = load_digests(out_dir)
        self.staging: Path | None = None
        self.staged: dict[str, str] = {}  # release id -> digest of the entry in the staging folder
        self.staged_keys: dict[str, str] = {}  # release id -> the key of the entry in the staging folder
        self.pending: dict[str, bytes] = {}  # context.json, queries.json: written at commit

    def _read(self, name: str) -> bytes | None:
        """The bytes of an entry whose digest is recorded, else None (a miss)."""
        expected = self.digests.get(name)
        if expected is None:
            return None
        try:
            with open(os.path.join(self.base, name), "rb") as handle:  # a path as text: 1,000 entries, 0.05 s less
                data = handle.read()
        except OSError:
            return None
        return data if digest_of(data) == expected else None

    # ------------------------------------------------------------------ parts

    def ids(self) -> set[str]:
        """The releases with an entry."""
        return {name[len(RELEASES) + 1 : -len(ENTRY)] for name in self.digests
                if name.startswith(f"{RELEASES}/") and name.endswith(ENTRY)}

    def recorded_key(self, release_id: str) -> str | None:
        """The key ``release_id``'s entry was built from, as ``digests.json`` records it (None: no entry).
        Only a guess of what :meth:`load` will find: the entry itself may since be missing or changed."""
        return self.keys.get(release_id) if _entry_name(release_id) in self.digests else None

    def load(self, release_id: str, key: str | None) -> Part | None:
        """The cached part of ``release_id`` if its entry is intact and was built from ``key`` (any key: None)."""
        from kg.check.shacl import Finding

        data = self._read(_entry_name(release_id))
        if data is None:
            return None
        head, _newline, body = data.partition(b"\n")
        try:
            entry = json.loads(head)
            if entry.get("format") != FORMAT or (key is not None and entry.get("key") != key) or entry.get("id") != release_id:
                return None
            lines = body.split(b"\n") if body else []
            wanted = entry.get("wanted")
            # indexes of lines, each an int (not a bool), checked by C loops: a list of 100 for every entry
            if not (type(wanted) is list and (not wanted or (set(map(type, wanted)) == {int}
                                                               and min(wanted) >= 0 and max(wanted) < len(lines)))):
                wanted = None  # looked for again in the lines
            return Part(
                release_id,
                str(entry["key"]),
                lines,
                [(str(start), int(months)) for start, months in entry["periods"]],
                [Finding(**finding) for finding in entry["findings"]],
                names=[str(name) for name in entry["names"]],
                figures=[[str(item) for item in figure] for figure in entry["figures"]],
                wanted=wanted,
                wanted_for=str(entry.get("wantedFor", "")) if wanted is not None else "",
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            return None

    def stage(self) -> Path:
        """The folder this build's new parts are written to (:func:`save`), made on first use."""
        if self.staging is None:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            self.staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.out_dir))
        return self.staging

    def staged_part(self, release_id: str, digest: str, key: str) -> None:
        """Record that the staging folder holds ``release_id``'s entry, with that digest, built from ``key``."""
        self.staged[release_id] = digest
        self.staged_keys[release_id] = key

    # ------------------------------------------------------------------ the context's findings, the queries

    def load_context_findings(self, digest: str) -> list | None:
        """The findings of the context's own check (ontology, places, sectors, registry) when it was
        checked as it is now (``digest``: :attr:`kg.pipeline.parts.Context.digest`), else None."""
        from kg.check.shacl import Finding

        data = self._read(CONTEXT)
        try:
            entry = json.loads(data) if data is not None else None
            if not isinstance(entry, dict) or entry.get("format") != FORMAT or entry.get("digest") != digest:
                return None
            return [Finding(**finding) for finding in entry["findings"]]
        except (ValueError, KeyError, TypeError, AttributeError):
            return None

    def save_context_findings(self, digest: str, findings: list) -> None:
        value = {"format": FORMAT, "digest": digest, "findings": [asdict(finding) for finding in findings]}
        self.pending[CONTEXT] = json.dumps(value, sort_keys=True).encode("utf-8")

    def load_queries(self) -> dict:
        """What earlier builds learnt about the shapes' SPARQL, by digest of the text: ``checked`` (passed
        kg.check.guard; rdflib's parse of them costs half a second) and ``predicates`` (what each can match).
        A changed query has another digest and is parsed again. ``sets``: for each set of checks ("corpus",
        "release"), what all of them can match, with the context digest it was found for (which covers the
        shapes and kg's source): a build from the cache then needs no parse of the shapes."""
        data = self._read(QUERIES)
        try:
            entry = json.loads(data) if data is not None else {}
            checked = {d for d in entry.get("checked", []) if isinstance(d, str)}
            predicates = {d: v for d, v in entry.get("predicates", {}).items()
                          if v is None or (isinstance(v, list) and all(isinstance(p, str) for p in v))}
            sets = {which: known for which, known in entry.get("sets", {}).items()
                    if isinstance(known, dict) and isinstance(known.get("context"), str)
                    and (known.get("predicates") is None or (isinstance(known["predicates"], list)
                                                            and all(isinstance(p, str) for p in known["predicates"])))}
            return {"checked": checked, "predicates": predicates, "sets": sets}
        except (ValueError, AttributeError):
            return {"checked": set(), "predicates": {}, "sets": {}}

    def save_queries(self, queries: dict) -> None:
        value = {"checked": sorted(queries["checked"]), "predicates": queries["predicates"], "sets": queries["sets"]}
        self.pending[QUERIES] = json.dumps(value, indent=1, sort_keys=True).encode("utf-8")

    # ------------------------------------------------------------------ the store's manifest (written as the store changes)

    def load_manifest(self) -> dict | None:
        """What ``OUT/store`` holds, as the last build that wrote it recorded: the context digest and each release's key."""
        data = self._read(STORE_MANIFEST)
        try:
            manifest = json.loads(data) if data is not None else None
            if isinstance(manifest, dict) and manifest.get("format") == FORMAT and isinstance(manifest.get("parts"), dict):
                return manifest
        except ValueError:
            pass
        return None

    def save_manifest(self, manifest: dict | None) -> None:
        """Record what ``OUT/store`` holds (None: unknown, so the next build loads it afresh). Written at
        once, as the store changes; it counts once :meth:`commit` lists its digest."""
        path = cache_dir(self.out_dir) / STORE_MANIFEST
        if manifest is None:
            self.digests.pop(STORE_MANIFEST, None)
            path.unlink(missing_ok=True)
            return
        data = _write_json(path, {"format": FORMAT, **manifest}, sort_keys=True)
        self.digests[STORE_MANIFEST] = digest_of(data)

    # ------------------------------------------------------------------ commit or discard

    def commit(self, keep: set[str]) -> None:
        """Make this build's entries the cache: the staged parts moved in, the context's findings and the
        queries written, then ``digests.json`` (the commit point), then the files it does not list removed
        (the parts of releases not in ``keep``, which are no longer in the corpus)."""
        folder = parts_dir(self.out_dir)
        if self.staged:
            assert self.staging is not None
            folder.mkdir(parents=True, exist_ok=True)
            for release_id in sorted(self.staged):
                os.replace(self.staging / f"{release_id}{ENTRY}", folder / f"{release_id}{ENTRY}")
        digests = {name: value for name, value in self.digests.items()
                   if not name.startswith(f"{RELEASES}/") or name[len(RELEASES) + 1 : -len(ENTRY)] in keep}
        digests.update({_entry_name(release_id): value for release_id, value in self.staged.items()})
        keys = {release_id: key for release_id, key in {**self.keys, **self.staged_keys}.items()
                if _entry_name(release_id) in digests}
        for name, data in sorted(self.pending.items()):
            _write_bytes(cache_dir(self.out_dir) / name, data)
            digests[name] = digest_of(data)
        _write_json(cache_dir(self.out_dir) / DIGESTS, {"format": FORMAT, "files": digests, "keys": keys}, indent=0,
                    sort_keys=True)
        self.digests, self.keys, self.staged, self.staged_keys, self.pending = digests, keys, {}, {}, {}
        self._prune()
        self.discard()

    def _prune(self) -> None:
        """Remove what ``digests.json`` does not list (entries of releases gone, files no build committed)."""
        root = cache_dir(self.out_dir)
        for path in [*root.glob("*.json"), *(p for p in (root / RELEASES).glob("*") if not p.is_dir())]:
            name = path.relative_to(root).as_posix()
            if name != DIGESTS and name not in self.digests:
                path.unlink(missing_ok=True)

    def discard(self) -> None:
        """Remove the staging folder and whatever it holds (the build stopped, or it was committed)."""
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None
        self.staged, self.staged_keys = {}, {}
