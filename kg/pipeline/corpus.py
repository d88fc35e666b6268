"""``kg build`` as one library call: load, build, validate, write atomically."""

from __future__ import annotations

import contextlib
import functools
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph
from rdflib.namespace import FOAF, RDF

from kg.rdf.namespaces import KGO, ORG

DEFAULT_CHECK_TIMEOUT = 600.0  # seconds the SPARQL checks of a build may take (kg build --timeout)

if TYPE_CHECKING:
    from kg.check.shacl import Report
    from kg.pipeline.parts import Context, Part


@dataclass
class BuildResult:
    """What :func:`build` did: the report, the output written (if any), and counts."""

    report: Report
    output: Path | None
    releases: int
    counts: dict
    rebuilt: int  # releases built afresh (the others came from the cache)
    ntriples: bytes = field(repr=False, default=b"")
    store_update: str | None = None  # "in place", "reloaded", or None (no store written)
    repaired: bool = False  # the store did not hold graph.ttl as the build found it, and was loaded afresh
    removed: list[str] = field(default_factory=list)  # temporaries a killed build had left, removed (paths under OUT)
    _graph: Graph | None = field(repr=False, default=None)

    @property
    def graph(self) -> Graph:
        """The whole graph as an in-memory rdflib Graph (parsed on first use)."""
        if self._graph is None:
            from kg.rdf.namespaces import new_graph

            if self.ntriples or self.output is None:
                self._graph = new_graph().parse(data=self.ntriples.decode("utf-8"), format="nt")
            else:  # built with keep_triples=False: the graph written
                self._graph = new_graph().parse(self.output, format="turtle")
        return self._graph

    @property
    def summary(self) -> dict:
        return {
            "releases": self.releases,
            **self.counts,
            "conforms": self.report.conforms,
            "violations": len(self.report.violations),
            "warnings": len(self.report.warnings),
            "rebuilt": self.rebuilt,
        }


def _counts(pieces: list[bytes], triples: int) -> dict:
    """Triples, facts and actors (organisations and people), from the graph's N-Triples in pieces of whole
    lines (:func:`_encoded`): the type lines are found by their ending, which no literal can hold (a
    literal ends its line with a quote, a language or a datatype before " ."), without looking at every
    line (on 1,000 releases, 0.3 s in all)."""
    typed = f" <{RDF.type}> ".encode()
    facts = sum(piece.count(typed + f"<{KGO.Fact}> .\n".encode()) for piece in pieces)  # a fact's type line is one line
    actors = set()
    for cls in (ORG.Organization, FOAF.Person):
        ending = typed + f"<{cls}> .\n".encode()
        for piece in pieces:
            at = piece.find(ending)
            while at != -1:
                actors.add(piece[piece.rfind(b"\n", 0, at) + 1 : at])  # each piece starts a line
                at = piece.find(ending, at + len(ending))
    return {"triples": triples, "facts": facts, "actors": len(actors)}


def load_corpus(data_dir="data", ontology=None):
    """Read and check the registry and every release of ``data_dir`` (:class:`kg.model.loader.Corpus`)."""
    from kg.model.loader import load_corpus as load
    from kg.rdf.vocabularies import vocabulary

    if not Path(data_dir).is_dir():
        return load(data_dir, vocabulary(ontology))  # the loader says there is no such folder
    return load(data_dir, vocabulary(ontology, data_dir))


def build_graph(data_dir="data", ontology=None) -> Graph:
    """The graph of ``data_dir`` as an rdflib Graph: :func:`build` with one job, no cache, nothing written.

    It is the code path of ``kg build``; the graph comes back whether or not it conforms
    (``build(...).report`` says).
    """
    return build(data_dir, write=False, jobs=1, cache=False, ontology=ontology).graph


def release_folders(data_dir) -> list[Path]:
    from kg.errors import InputError

    releases_dir = Path(data_dir) / "releases"
    folders = sorted(p for p in releases_dir.iterdir() if p.is_dir()) if releases_dir.is_dir() else []
    if not folders:
        raise InputError("no release folders (expected releases/<id>/annotation.yaml)", data_dir)
    return folders


def build(
    data_dir="data",
    out_dir="out",
    *,
    write: bool = True,
    store: str = "memory",
    jobs: int | None = None,
    cache: bool = True,
    progress: Callable[[int, int], None] | None = None,
    ontology=None,
    keep_triples: bool = True,
    timeout: float | None = DEFAULT_CHECK_TIMEOUT,
) -> BuildResult:
    """Build the graph of ``data_dir``, validate it, and (if it conforms) write ``out_dir/graph.ttl``.

    Releases whose files, registry, ontology and kg source are unchanged come
    from ``OUT/cache`` (:mod:`kg.pipeline.cache`); the others are built and checked in
    ``jobs`` processes (default: one per core). The checks that span facts and
    releases run on the whole graph every time, in Oxigraph. With ``store=
    "oxigraph"`` the graph is also kept on disk in ``OUT/store``: updated in
    place (one transaction) when only some releases changed, else loaded afresh
    and swapped in; ``OUT/store.sha256`` then records the graph.ttl it holds. A store
    that does not hold graph.ttl as the build finds it (an earlier build stopped between
    the two) is loaded afresh (``repaired`` in the result). ``progress(done, total)`` is
    called as releases are done. With ``keep_triples=False`` the result holds no
    N-Triples (its ``graph`` is read from ``graph.ttl``): a command that only reports
    spares the memory (400 MB at 10,000 releases). The SPARQL checks run in a process of their own
    (:class:`kg.pipeline.checker.Checker`), fed as the parts arrive, and are stopped after ``timeout``
    seconds (:class:`kg.errors.TimedOut`; None: no limit).

    A graph that does not conform is not written. A build that stops (an error, Ctrl-C,
    a full disk) leaves no temporary file and commits no cache entry; the exception it
    raises says what it had replaced by then (:func:`outputs_after`): nothing, graph.ttl,
    or graph.ttl and the store. Temporary files a killed build left are removed first
    (``removed`` in the result).
    """
    from kg.check.shacl import prepare, report_of
    from kg.pipeline.cache import Cache
    from kg.pipeline.checker import EAGER, Checker, encoded, predicates_digest, wanted_indexes, wanted_lines
    from kg.pipeline.parts import context_of, release_key, shared_lines
    from kg.stores.embedded import GRAPH_FILE, store_for, store_path

    context = context_of(data_dir, ontology)
    folders = release_folders(data_dir)
    keep = cache and write
    with_store = write and store == "oxigraph"
    removed = remove_temporaries(out_dir) if write else []
    had_store = with_store and store_path(out_dir).is_dir()
    # a store that does not hold graph.ttl as it is (a build stopped between the two, or --store memory since)
    stale = had_store and store_for(Path(out_dir) / GRAPH_FILE) is None
    committed = _Committed(with_store, had_store and not stale, keep)
    cached = Cache(out_dir) if write else None
    entries = cached if keep else None  # the cache read and written (not with cache=False)
    checker = None
    # a build that makes the store afresh (none yet, or not holding graph.ttl) loads it as the parts come
    # (up to STREAMED_RELEASES: a larger corpus's store is loaded after the checks, by a process of its own, so
    # that the loader's memory does not add to the checks' peak)
    streamed = _Streamed(out_dir) if with_store and (stale or not had_store or entries is None) \
        and len(folders) <= STREAMED_RELEASES else None
    try:
        queries = entries.load_queries() if entries is not None else {"checked": set(), "predicates": {}, "sets": {}}
        sets_before = dict(queries["sets"])
        guard = context.guard
        guard.checked.update(queries["checked"])  # before the workers and the checker fork: they inherit it
        known = len(queries["predicates"])
        # the SPARQL checks across releases see the triples they can match, fed to a
        # process of their own as the parts come (in memory: 3 times faster than on disk; in any order)
        predicates = _set_predicates(context, "corpus", queries)
        # the checks within a release: their predicates for the context's lines the workers load (kg.pipeline.parts)
        context.know_release_predicates(_set_predicates(context, "release", queries))
        # every release to build (no cache entry): pyshacl and the shapes once, before the checker and workers fork
        prepared = entries is None or not entries.ids()
        if prepared:
            prepare(context.ontology)
        # the context's per-class findings: from the cache, else found by the checker while it waits for the parts
        known_context = entries.load_context_findings(context.digest) if entries is not None else None
        # the checks within a release run where its part is built (kg.pipeline.parts.release_checks)
        context.release_lines  # noqa: B018 - made once, before the workers fork
        # forked before the releases' keys are read: from the cache, the checker imports pyshacl meanwhile (at 1,000
        # releases its checks then started 0.1 s sooner)
        checker = Checker(context.ontology, guard, "corpus", context=context.graph if known_context is None else None)
        keys = {folder.name: release_key(context, folder) for folder in folders}
        # the releases to build: those whose entry digests.json says was built from another key, or that have
        # none. They are built first (each part saved, staged, where it is built, sparing this process the work),
        # by a worker even when they are few, while this process reads the other entries
        todo = [(folder, keys[folder.name]) for folder in folders
                if entries is None or entries.recorded_key(folder.name) != keys[folder.name]]
        if not prepared and 2 * len(todo) > len(folders):  # mostly to build after all: once, before the workers fork
            prepare(context.ontology)

        wanted_for = predicates_digest(predicates)

        def wanted(lines) -> bytes:
            return encoded(wanted_lines(lines, predicates))

        def checked(part: Part) -> bytes:
            """What the checks are fed of a part: the lines its cache entry lists when they were listed for
            the same predicates (on 1,000 releases 0.1 s where looking through every line took 0.28 s)."""
            if part.wanted is None or part.wanted_for != wanted_for:
                part.wanted, part.wanted_for = wanted_indexes(part.lines, predicates), wanted_for
            lines = part.lines
            return encoded([lines[i] for i in part.wanted])

        def finish_part(part: Part) -> None:  # in the workers
            part.checked = checked(part)
            if streamed is not None:
                part.encoded = encoded(part.lines)

        checker.feed(wanted(context.lines))
        if streamed is not None:
            streamed.feed(encoded(context.lines))
        parts: dict[str, Part] = {}
        cached_count = 0
        # each part's lines as one block until they are merged: a part's line objects, freed one part
        # at a time, would leave Python's small-object arenas holding the parts' other objects among their
        # holes, and those arenas are never handed back (at 10,000 releases this process kept 820 MiB beside
        # the checks; packed, 137 MiB). Split again all at once, just before the merge, the lines fill arenas
        # of their own, which are handed back when they are let go.
        packed: dict[str, bytes] = {}

        def pack(part: Part) -> None:
            if len(folders) <= PACKED_RELEASES:  # a smaller corpus's lines are few: packing them only costs time
                return
            packed[part.id] = b"\n".join(part.lines)
            part.lines = []

        def take(built) -> None:
            for part in built:
                parts[part.id] = part
                checker.feed(part.checked)
                if streamed is not None:
                    streamed.start()  # the workers are forked by now: the store's threads are not forked with them
                    streamed.feed(part.encoded)
                part.checked = part.encoded = b""
                pack(part)

        def counted(built: int) -> None:
            if progress:
                progress(cached_count + built, len(folders))

        late = []  # entries digests.json lists that turn out missing or changed: built here, after the others
        with contextlib.closing(build_parts_in(context, todo, jobs, counted, entries, finish_part,
                                               aside=len(todo) < len(folders))) as built:
            building = {folder.name for folder, _key in todo}
            for folder in folders:
                if folder.name in building:
                    continue
                part = entries.load(folder.name, keys[folder.name]) if entries is not None else None
                if part is None:
                    late.append((folder, keys[folder.name]))
                else:
                    parts[folder.name] = part
                    checker.feed(checked(part))
                    if streamed is not None:
                        streamed.feed(encoded(part.lines))
                    pack(part)
            cached_count = len(parts)
            if progress:
                progress(cached_count, len(folders))
            take(built)
        if late:
            with contextlib.closing(build_parts_in(context, late, 1, lambda n: counted(len(todo) + n), entries,
                                                   finish_part)) as built:
                take(built)
        todo += late
        # what the store holds of the releases about to change or go: read before the cache entries are replaced
        before = {}
        if with_store and entries is not None:
            gone = entries.ids() - set(keys)
            before = {rid: entries.load(rid, None) for rid in sorted({f.name for f, _k in todo} | gone)}
        ordered = [parts[folder.name] for folder in folders]
        for count, part in enumerate(ordered, 1):  # all at once (see pack)
            if part.id in packed:
                part.lines = _unpacked(packed.pop(part.id))
            if count % 1000 == 0 and checker.fed > EAGER:  # the packed bytes let go, handed back as the lines come
                _give_back_memory()

        links = shared_lines(context, ordered)  # the periods' links, the places and sectors named
        checker.feed(wanted(links))
        if streamed is not None:
            streamed.feed(encoded(links))
            streamed.start()
            streamed.close()  # all fed: the store is loaded and compacted while the checks run
        if checker.fed <= EAGER:  # the checker holds the graph already: the checks run while this process writes it
            checker.complete()
        # sorted (subjects together, stable from run to run), each line once: graph.ttl, the stores and the
        # result share these bytes
        lines = _merged([context.lines, *(part.lines for part in ordered), links])
        plan = None
        if with_store and entries is not None and not stale:
            plan = _store_plan(out_dir, entries, lines, context, parts, before, links)
        pieces = _encoded(lines)
        counts = _counts(pieces, len(lines))
        # what is needed of the lines is taken: let the strings go before the checks, graph.ttl and the store
        del lines
        for part in parts.values():
            part.lines = []
        checker.complete()  # a large graph's: now that this process has let go of its lines

        findings = [finding for part in ordered for finding in part.findings]
        # graph.ttl and a fresh store are made from the N-Triples in processes of their own, while the checks run
        outputs = None
        try:
            outputs = _Outputs(pieces, Path(out_dir), with_store and plan is None,
                               streamed.filler if streamed is not None else None) if write else None
            # one bytes object only where the result keeps the triples (a copy of 400 MB at 10,000 releases)
            ntriples = b"".join(pieces) if keep_triples else b""
            del pieces
            if checker.fed > EAGER:  # a large graph: its lines and pieces are gone, for the checks' peak
                _give_back_memory()
            findings += checker.findings(timeout)
            if known_context is None:
                known_context = checker.context_findings or []
                if entries is not None:
                    entries.save_context_findings(context.digest, known_context)
            findings += known_context
            if outputs is not None:
                outputs.start_store()  # if it waited for the checks' memory to be given back
            if entries is not None and (not guard.checked <= queries["checked"] or len(queries["predicates"]) > known
                                        or queries["sets"] != sets_before):
                entries.save_queries({"checked": guard.checked, "predicates": queries["predicates"], "sets": queries["sets"]})
            report = report_of(with_sentences(findings, context, {folder.name: folder for folder in folders}))
            output = None
            store_update = None
            if report.conforms and outputs is not None:
                output = _commit(out_dir, outputs, plan, cached, context, parts, committed)
                store_update = committed.store_update
            elif entries is not None:  # the build ran to its end: its parts and findings are kept
                with _held_off():
                    entries.commit(set(parts))
                    committed.cache = True
        finally:
            if outputs is not None:
                outputs.discard()
    except BaseException as exc:
        exc.__dict__[OUTPUTS_ATTRIBUTE] = committed.sentence()  # read by outputs_after (the CLI's message)
        raise
    finally:
        if checker is not None:
            checker.stop()
        if streamed is not None:
            streamed.discard()
        if cached is not None:
            cached.discard()
    result = BuildResult(report, output, len(folders), counts, len(todo), ntriples, store_update)
    result.repaired = stale and store_update is not None
    result.removed = removed
    return result


def _set_predicates(context, which: str, queries: dict) -> set[str] | None:
    """What the checks ``which`` can match (:func:`kg.check.shacl.check_predicates`), as the cache's
    ``queries["sets"]`` recorded it for this context (whose digest covers the shapes and kg's source), else
    found and recorded there: a rebuild then does not parse the shapes to know it (0.05 s)."""
    from kg.check.shacl import check_predicates

    known = queries["sets"].get(which)
    if known is not None and known["context"] == context.digest:
        return None if known["predicates"] is None else set(known["predicates"])
    found = check_predicates(context.ontology, which, queries["predicates"])
    queries["sets"][which] = {"context": context.digest, "predicates": sorted(found) if found is not None else None}
    return found


def _unpacked(data: bytes) -> list[bytes]:
    """A part's lines from their packed form (joined by newlines, which no N-Triples line holds)."""
    return data.split(b"\n") if data else []


def _give_back_memory() -> None:
    """Hand the memory this process freed back to the system (glibc's ``malloc_trim``; elsewhere nothing).

    Freed memory stays with the process until the allocator returns it: after a large build has let
    go of its lines, most of it would still count while the checks run beside it."""
    import gc

    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim():
    """glibc's ``malloc_trim``, looked up once (``find_library`` runs ldconfig), or None elsewhere."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        return ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None


def with_sentences(findings: list, context: Context, folders: dict[str, Path]) -> list:
    """The findings, each with the sentences of its fact when it has none.

    The checks across facts run in a store holding only the triples they can match, without the
    release texts: the sentences of the (few) facts they find are read here from their releases.
    """
    from dataclasses import replace

    from kg.model.evidence import overlapping
    from kg.model.loader import load_release
    from kg.rdf.namespaces import KGR

    releases: dict = {}
    found = []
    for finding in findings:
        release_id, _, fact_id = finding.node.removeprefix(f"{KGR}release/").partition("/fact/")
        if finding.sentence is None and fact_id and release_id in folders:
            if release_id not in releases:
                releases[release_id] = load_release(folders[release_id], context.registry)
            release = releases[release_id]
            fact = next((f for f in release.facts if f.id == fact_id), None)
            if fact is not None:
                indexes = sorted({index for span in fact.evidence
                                  for index in overlapping(release.sentences, span.start, span.end)})
                text = " ".join(release.text[start:end] for start, end in (release.sentences[i] for i in indexes))
                finding = replace(finding, sentence=text or None)
        found.append(finding)
    return found


OUTPUTS_ATTRIBUTE = "kg_outputs"  # on an exception build() raises: what it had replaced by then, in words
UNCHANGED = "outputs are unchanged"


def outputs_after(exc: BaseException) -> str:
    """What the build that raised ``exc`` had replaced when it stopped, as the end of a sentence
    (``"outputs are unchanged"``, ``"graph.ttl was replaced; the store still holds ..."``)."""
    sentence = exc.__dict__.get(OUTPUTS_ATTRIBUTE) if hasattr(exc, "__dict__") else None
    return sentence if isinstance(sentence, str) else UNCHANGED


@dataclass
class _Committed:
    """The steps a build has taken in its output folder, in order: graph.ttl replaced, then the store, then
    the cache committed. Each step and its record are made with Ctrl-C held off (:func:`_held_off`), so
    what is recorded is what is on disk when the build stops."""

    with_store: bool  # the build writes the store
    had_store: bool  # a store held the previous graph.ttl
    keep: bool  # the build commits its cache entries
    graph: bool = False
    store: bool = False
    cache: bool = False
    store_update: str | None = None

    def sentence(self) -> str:
        if not self.graph:
            return UNCHANGED
        if self.with_store and not self.store:
            if self.had_store:
                return "graph.ttl was replaced; the store still holds the previous graph and the next build brings it up to date"
            return "graph.ttl was replaced; the store is not written yet and the next build writes it"
        done = "graph.ttl and the store were replaced" if self.with_store else "graph.ttl was replaced"
        if self.keep and not self.cache:
            return f"{done}; the build cache was not updated"
        return done


@contextlib.contextmanager
def _held_off():
    """Ctrl-C (SIGINT) held off while a commit step and its record are made: it takes effect when they are
    done, as a KeyboardInterrupt. Only the main thread receives signals in Python; elsewhere, nothing to do."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: caught.append(frame))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        if callable(previous):
            previous(signal.SIGINT, caught[0])
        elif previous != signal.SIG_IGN:
            raise KeyboardInterrupt


def _commit(out_dir, outputs: _Outputs, plan, cached, context, parts: dict, committed: _Committed) -> Path:
    """Put the new outputs in place: graph.ttl, then the store, then the build cache (each step recorded in
    ``committed``); the waits for the writers come before each step and can be interrupted."""
    from kg.stores.embedded import forget_graph, record_graph

    outputs.finish_graph()
    with _held_off():
        if committed.with_store:
            forget_graph(out_dir)  # until the store holds the new graph.ttl, kg query reads the file
        output = outputs.commit_graph()
        committed.graph = True
        if not committed.with_store and cached is not None and committed.keep:
            cached.commit(set(parts))
            committed.cache = True
    if committed.with_store:
        if plan is None:
            outputs.finish_store()
        with _held_off():
            committed.store_update = _write_store(out_dir, plan, outputs, context, parts, cached, committed.keep)
            record_graph(out_dir)
            committed.store = True
            if committed.keep and cached is not None:
                cached.commit(set(parts))
                committed.cache = True
    return output


def remove_temporaries(out_dir) -> list[str]:
    """Remove the temporary files and folders (``.kg-tmp-*``) a killed build left in ``out_dir`` and its
    cache; return their paths under ``out_dir``. Two builds into one folder at once are not supported,
    so whatever is there is left over."""
    import shutil

    from kg.pipeline.cache import RELEASES, cache_dir

    root = Path(out_dir)
    removed = []
    for folder in (root, cache_dir(root), cache_dir(root) / RELEASES):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob(".kg-tmp-*")):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)
            removed.append(path.relative_to(root).as_posix())
    return removed


def _merged(runs) -> list[bytes]:
    """The lines of ``runs`` (lists of N-Triples lines, each sorted: a part's, the context's), sorted, each
    once. Python's sort merges runs that are in order already: on 1,000 releases a quarter of the time of
    sorting a set of the same lines, and no set (100 MB at 10,000 releases) is held beside them."""
    import itertools

    return [line for line, _same in itertools.groupby(sorted(itertools.chain.from_iterable(runs)))]


def _encoded(ordered: list[bytes]) -> list[bytes]:
    """N-Triples lines (sorted, each once: :func:`_merged`) with a newline after each, in pieces of a slice
    of lines each: never one bytes object of the whole beside the lines."""
    chunks = []
    for start in range(0, len(ordered), 50_000):
        piece = ordered[start : start + 50_000]
        piece.append(b"")
        chunks.append(b"\n".join(piece))
    return chunks


def _held(ordered: list[bytes], line: bytes) -> bool:
    """Whether the sorted list ``ordered`` holds ``line``."""
    import bisect

    index = bisect.bisect_left(ordered, line)
    return index < len(ordered) and ordered[index] == line


def _store_plan(out_dir, cached, current: list[bytes], context, parts: dict, before: dict, links: list[bytes]):
    """The (removed, added) N-Triples lines that bring ``OUT/store`` to the new graph in place, when the
    manifest says exactly which parts it holds; else None (the store is loaded afresh). ``current``: the
    new graph's lines, sorted (:func:`_merged`)."""
    from kg.pipeline.parts import shared_lines
    from kg.stores.embedded import store_path

    manifest = cached.load_manifest()
    if manifest is None or manifest.get("context") != context.digest or not store_path(out_dir).is_dir():
        return None
    now = {rid: part.key for rid, part in parts.items()}
    held = manifest["parts"]  # release id -> key of the part the store holds
    unchanged = {rid for rid in now if rid not in before}
    # the old lines of every changed or removed release the store holds must be known exactly
    replaced = {rid: part for rid, part in before.items() if rid in held}
    exact = all(held.get(rid) == now[rid] for rid in unchanged) and all(
        part is not None and part.key == held[rid] for rid, part in replaced.items()) and set(held) == unchanged | set(replaced)
    if not exact:
        return None
    old = set()
    for part in replaced.values():
        old.update(part.lines)
    old.update(shared_lines(context, [parts[rid] for rid in unchanged] + list(replaced.values())))
    added = set(links)
    for rid in before:
        if rid in parts:
            added.update(parts[rid].lines)
    return sorted(line for line in old if not _held(current, line)), sorted(added - old)


def _write_store(out_dir, plan, outputs: _Outputs, context, parts: dict, cached, keep: bool) -> str:
    """Bring ``OUT/store`` to the new graph: in place by ``plan`` (:func:`_store_plan`), else the fresh one."""
    from kg.stores.embedded import update_store

    if cached is not None:
        cached.save_manifest(None)  # unknown until the store is written
    if plan is not None:
        update_store(out_dir, *plan)
    else:
        outputs.commit_store()
    if keep and cached is not None:
        cached.save_manifest({"context": context.digest, "parts": {rid: part.key for rid, part in parts.items()}})
    return "in place" if plan is not None else "reloaded"


# graph.ttl's writer: Oxigraph's Turtle serializer alone (no rdflib: the process starts in milliseconds)
_WRITE_TURTLE = """
import json, sys
import pyoxigraph
with open(sys.argv[1], "rb") as source, open(sys.argv[2], "wb") as target:
    triples = pyoxigraph.parse(source, format=pyoxigraph.RdfFormat.N_TRIPLES)
    pyoxigraph.serialize(triples, target, format=pyoxigraph.RdfFormat.TURTLE, prefixes=json.loads(sys.argv[3]))
"""
PACKED_RELEASES = 4000  # releases beyond which each part's lines are kept packed until the merge (see build)
STREAMED_RELEASES = 4000  # releases up to which a fresh store is loaded as the parts come (beyond: after the checks)
IN_PROCESS = 64 << 20  # bytes of N-Triples below which the outputs are written in the build's own process (1,800 releases)
CONCURRENT_STORE = 128 << 20  # bytes of N-Triples up to which the store is loaded while the checks run


class _Outputs:
    """``graph.ttl`` and (``fresh_store``) a fresh ``OUT/store``, made from the sorted N-Triples; neither
    takes the place of the old one before :meth:`commit_graph` / :meth:`commit_store`, which only rename
    what :meth:`finish_graph` / :meth:`finish_store` have made whole (the waits can be interrupted, the
    renames are quick and are made with Ctrl-C held off).

    For a large graph both are made while the checks run, each by a fresh Python process that reads
    the N-Triples from one temporary file: the Turtle by Oxigraph's serializer into a temporary file
    beside graph.ttl, the store by Oxigraph's bulk loader into a temporary folder beside OUT/store
    (:func:`kg.stores.embedded.fill_store`). Fresh processes (not forks) share none of the build's
    memory, so the build's peak is not counted twice, and the two use the second core while this
    process checks. A graph of more than CONCURRENT_STORE bytes of N-Triples has its store loaded
    only after the checks (:meth:`start_store`): the loader then does not add its memory to the
    checks' peak. A smaller graph (under IN_PROCESS bytes) is written by a thread of this process, with no
    process to start and no temporary file, also while the checks run (Oxigraph's serializer and loader let other
    threads run). :meth:`discard` stops the processes, waits for the thread, and removes whatever is left.
    """

    def __init__(self, pieces: list[bytes], out_dir: Path, fresh_store: bool, filler=None):
        import json
        import sys

        from kg.stores.embedded import GRAPH_FILE, new_store_folder
        from kg.stores.files import turtle_prefixes

        self.out_dir = out_dir
        self.target = out_dir / GRAPH_FILE
        out_dir.mkdir(parents=True, exist_ok=True)
        self.made: list[Path] = []  # the temporary files made, for discard(), whenever it comes
        self.source: Path | None = None
        self.turtle = self.loader = None
        self.writer: _Writer | None = None  # a small graph's thread
        self.store_folder: Path | None = None
        self.filler = filler  # a kg.stores.embedded.StoreFiller that has loaded the fresh store as the parts came
        try:
            self.temp = self._temp(out_dir, "")
            if filler is not None:
                self.store_folder = filler.folder
            elif fresh_store:
                with _held_off():
                    self.store_folder = new_store_folder(out_dir)
            size = sum(len(piece) for piece in pieces)
            if size < IN_PROCESS:
                self.writer = _Writer(b"".join(pieces), self.temp, None if filler is not None else self.store_folder)
                with _held_off():  # started whole (joinable) before a Ctrl-C is let through
                    self.writer.start()
                return
            self.source = self._temp(out_dir, ".nt")
            with open(self.source, "wb") as source:
                source.writelines(pieces)
            self.turtle = self._start([sys.executable, "-c", _WRITE_TURTLE, str(self.source), str(self.temp),
                                       json.dumps(turtle_prefixes())])
            if size <= CONCURRENT_STORE:
                self.start_store()
        except BaseException:
            self.discard()
            raise

    def start_store(self) -> None:
        """Start loading the fresh store (once; nothing to do for a small graph or without a fresh store)."""
        import sys

        if self.filler is None and self.store_folder is not None and self.source is not None and self.loader is None:
            self.loader = self._start([sys.executable, "-m", "kg.stores.embedded", str(self.source), str(self.store_folder)])

    @staticmethod
    def _start(command: list[str]):
        import subprocess

        return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def _temp(self, folder: Path, suffix: str) -> Path:
        """A new empty temporary file in ``folder``, listed in ``made`` (with Ctrl-C held off between the two)."""
        with _held_off():
            handle, name = tempfile.mkstemp(prefix=".kg-tmp-", suffix=suffix, dir=folder)
            self.made.append(Path(name))
        os.close(handle)
        return Path(name)

    @staticmethod
    def _wait(process, what: Path) -> None:
        _out, err = process.communicate()
        if process.returncode != 0:
            lines = err.decode("utf-8", "replace").strip().splitlines()
            raise OSError(f"could not write {what}" + (f": {lines[-1]}" if lines else ""))

    def finish_graph(self) -> None:
        """Have the new graph.ttl whole and on disk under its temporary name (written here, or waited for)."""
        if self.writer is not None:
            self.writer.graph()
        else:
            assert self.turtle is not None
            self._wait(self.turtle, self.target)
        with open(self.temp, "rb") as written:
            os.fsync(written.fileno())

    def commit_graph(self) -> Path:
        """Put the new graph.ttl (:meth:`finish_graph`) in place, by a rename."""
        from kg.stores.files import umask

        os.chmod(self.temp, 0o666 & ~umask())  # mkstemp makes 0600; give the usual permissions
        os.replace(self.temp, self.target)
        return self.target

    def finish_store(self) -> None:
        """Have the fresh store whole and closed in its temporary folder (filled here, or waited for)."""
        from kg.stores.embedded import store_path

        assert self.store_folder is not None, "a fresh store was not asked for"
        if self.filler is not None:
            self.filler.finish()
        elif self.writer is not None:
            self.writer.store()
        else:
            self.start_store()
            assert self.loader is not None
            self._wait(self.loader, store_path(self.out_dir))

    def commit_store(self) -> Path:
        """Put the fresh store (:meth:`finish_store`) in place of OUT/store, by renames."""
        from kg.stores.embedded import swap_in

        assert self.store_folder is not None, "a fresh store was not asked for"
        path = swap_in(self.store_folder, self.out_dir)
        self.store_folder = None
        return path

    def discard(self) -> None:
        import shutil

        if self.writer is not None:
            self.writer.join()  # a small graph's: it ends soon; its files go below
        if self.filler is not None:
            self.filler.abort()
        for process in (self.turtle, self.loader):
            if process is not None and process.poll() is None:
                process.kill()
                process.communicate()
        for path in self.made:
            path.unlink(missing_ok=True)
        if self.store_folder is not None:
            shutil.rmtree(self.store_folder, ignore_errors=True)


class _Streamed:
    """The fresh store of a build, loaded as the parts come (:class:`kg.stores.embedded.StoreFiller`): what is
    fed before :meth:`start` (while workers may still fork) is kept and handed over when it starts."""

    def __init__(self, out_dir):
        self.out_dir = out_dir
        self.early: list[bytes] = []
        self.filler = None

    def start(self) -> None:
        if self.filler is None:
            from kg.stores.embedded import StoreFiller, new_store_folder

            with _held_off():  # the folder made is the folder kept, for discard()
                self.filler = StoreFiller(new_store_folder(self.out_dir))
            for piece in self.early:
                self.filler.feed(piece)
            self.early = []

    def feed(self, ntriples: bytes) -> None:
        if self.filler is None:
            self.early.append(ntriples)
        else:
            self.filler.feed(ntriples)

    def close(self) -> None:
        """Nothing more will be fed (:meth:`kg.stores.embedded.StoreFiller.close`)."""
        if self.filler is not None:
            self.filler.close()

    def discard(self) -> None:
        """Stop loading and remove the store's folder, unless it was put in place."""
        import shutil

        if self.filler is not None:
            self.filler.abort()
            shutil.rmtree(self.filler.folder, ignore_errors=True)


class _Writer:
    """A small graph's Turtle (into ``turtle``) and, given a folder, its fresh store, written by a thread;
    each one's error is raised where that output is waited for (:meth:`graph`, :meth:`store`)."""

    def __init__(self, ntriples: bytes, turtle: Path, store_folder: Path | None):
        import threading

        self.errors: dict[str, BaseException] = {}
        self.turtle_done = threading.Event()
        self.thread = threading.Thread(target=self._write, args=(ntriples, turtle, store_folder), name="kg-outputs",
                                       daemon=True)  # started by start(), once the owner holds it (to join it)

    def _write(self, ntriples: bytes, turtle: Path, store_folder: Path | None) -> None:
        import io
        import signal

        from kg.stores.embedded import fill_store
        from kg.stores.files import turtle_from_ntriples

        # Ctrl-C is for the main thread: blocked here (and in the store's own threads, started from here), the
        # kernel delivers it there, where it interrupts whatever the build is waiting for
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            with open(turtle, "wb") as handle:
                turtle_from_ntriples(ntriples, handle)
        except BaseException as error:
            self.errors["graph"] = error
        finally:
            self.turtle_done.set()
        if store_folder is not None and "graph" not in self.errors:
            try:
                fill_store(store_folder, io.BytesIO(ntriples))
            except BaseException as error:
                self.errors["store"] = error

    def start(self) -> None:
        self.thread.start()

    def join(self) -> None:
        if self.thread.ident is not None:  # started
            self.thread.join()

    def graph(self) -> None:
        """Wait for the Turtle (Ctrl-C interrupts the wait, not the thread); raise what stopped it."""
        self.turtle_done.wait()
        if "graph" in self.errors:
            raise self.errors["graph"]

    def store(self) -> None:
        """Wait for the store too; raise what stopped it."""
        self.join()
        if "store" in self.errors:
            raise self.errors["store"]


def build_parts_in(context, todo: list, jobs: int | None, done: Callable[[int], None] | None = None, cache_in=None,
                   finish_part: Callable[[Part], None] | None = None, *, aside: bool = False):
    """The parts of ``todo`` ((folder, key) pairs), built in chunks by ``jobs`` forked processes: an
    iterable to close (``contextlib.closing``), which stops the workers.

    The workers are forked when this returns and build while the caller goes on; iterating collects
    their parts. Each worker is forked with the context as it is in memory (nothing pickled) and
    takes every ``jobs``-th chunk; it sends back each chunk's parts, or the error
    that stopped it, whole (file, line and field; an OSError such as a full disk too). With
    ``cache_in`` (a :class:`kg.pipeline.cache.Cache`) each part is saved to its staging folder as
    soon as it is built, and the cache told its digest and key. Each part's ``checked`` is
    what ``finish_part(part)`` adds to it, where it is built (what the checks and the store are fed).
    A single chunk is built in this process, as it is iterated, unless ``aside``: the caller has work of
    its own meanwhile (a rebuild reads its cached parts), and one worker builds it, importing pyshacl itself.

    Workers die with the build, quietly: they ignore Ctrl-C (the build stops them), and one whose
    parent is gone (killed) exits at once, without a word (:func:`_orphan_exits`).
    """
    import math

    from kg.errors import UsageError

    if jobs is not None and jobs < 1:
        raise UsageError(f"--jobs must be 1 or more, not {jobs}")
    jobs = jobs or os.cpu_count() or 1
    # four chunks a worker at least, of 150 releases at most: each chunk copies the context and sets up pyshacl
    # (0.1 s), 2 ms a release at 50 a chunk, 0.7 ms at 150
    size = max(1, min(150, math.ceil(len(todo) / (jobs * 4))))
    chunks = [todo[i : i + size] for i in range(0, len(todo), size)]
    staging = cache_in.stage() if cache_in is not None and chunks else None
    if not chunks or not hasattr(os, "fork") or jobs == 1 or (len(chunks) == 1 and not aside):
        return _InProcess(context, chunks, done, cache_in, staging, finish_part)
    return _Workers(context, chunks, min(jobs, len(chunks)), done, cache_in, staging, finish_part)


class _InProcess:
    """The chunks built in this process, one after the other, as they are iterated (:func:`build_parts_in`)."""

    def __init__(self, context, chunks: list, done, cache_in, staging, finish_part):
        self.context, self.chunks, self.done, self.cache_in = context, chunks, done, cache_in
        self.staging, self.finish_part = staging, finish_part

    def __iter__(self):
        count = 0
        for chunk in self.chunks:
            built = _built(self.context, chunk, self.staging, self.finish_part)
            count += len(built)
            yield from _handed_over(built, count, self.done, self.cache_in)

    def close(self) -> None:
        """Nothing runs between two chunks."""


def _handed_over(built: list, count: int, done, cache_in):
    """The parts of one chunk's (part, digest) pairs, ``count`` parts built so far told to ``done``, each
    part's staged entry told to the cache."""
    if done:
        done(count)
    for part, digest in built:
        if cache_in is not None and digest is not None:
            cache_in.staged_part(part.id, digest, part.key)
        yield part


def _built(context, chunk: list, staging, finish_part: Callable[[Part], None] | None = None) -> list:
    """The (part, digest of its cache entry) pairs of one chunk, each entry saved to ``staging`` (a folder)
    if given, each part's ``checked`` filled (:func:`build_parts_in`)."""
    from kg.pipeline import cache as build_cache
    from kg.pipeline.parts import build_parts

    parts = build_parts(context, chunk)
    if finish_part is not None:
        for part in parts:
            finish_part(part)
    return [(part, build_cache.save(staging, part) if staging is not None else None) for part in parts]


def _orphan_exits(parent: int) -> None:
    """In a worker: exit at once, quietly, when the build that forked it is gone (killed): a thread
    watches the parent process id, which changes when the parent dies and the worker is adopted."""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.1)
        os._exit(0)

    threading.Thread(target=watch, name="kg-parent-watch", daemon=True).start()


class _Workers:
    """``workers`` forked processes building ``chunks`` (:func:`build_parts_in`): forked when made,
    collected by iterating, stopped by :meth:`close`."""

    def __init__(self, context, chunks: list, workers: int, done, cache_in, staging, finish_part):
        import gc
        import multiprocessing
        import signal

        from kg.check.shacl import prepare
        from kg.errors import KgError, UsageError

        self.chunks, self.done, self.cache_in = chunks, done, cache_in
        self.processes: list = []
        self.pipes: list = []
        if workers > 1:
            prepare(context.ontology)  # what every worker needs, done once before they fork
        forking = multiprocessing.get_context("fork")
        self.pipes = pipes = [forking.Pipe(duplex=False) for _ in range(workers)]  # (reader, writer): one each, no feeder thread
        parent = os.getpid()

        def work(index: int, mine: list) -> None:  # in the worker
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the build stops us
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
            _orphan_exits(parent)
            for number, (reader, writer) in enumerate(pipes):
                reader.close()  # only the build reads: once it is gone, a send fails instead of blocking
                if number != index:
                    writer.close()
            writer = pipes[index][1]
            try:
                try:
                    for chunk in mine:
                        writer.send(("parts", _built(context, chunk, staging, finish_part)))
                except (KgError, OSError) as error:  # errors pickle whole (kg.errors), an OSError with its errno and file
                    writer.send(("error", error))
                except Exception as error:  # a bug: one sentence, as in one process
                    writer.send(("error", UsageError(f"building a release failed: {type(error).__name__}: {error}")))
                writer.close()
            except BaseException:  # the build is gone (a broken pipe) or stopped us: nothing to say, nobody to say it to
                os._exit(1)

        self.processes = [forking.Process(target=work, args=(i, chunks[i::workers]), daemon=True) for i in range(workers)]
        self.readers = {pipes[i][0]: self.processes[i] for i in range(workers)}
        try:
            # SIGINT blocked while forking: a Ctrl-C then reaches no worker before it ignores it
            blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
            # what exists now is the workers' to share: frozen, a collection in a worker does not touch (and so
            # copy) the pages of the objects it inherits (as Python's gc.freeze documentation advises before fork)
            gc.freeze()
            try:
                for process in self.processes:
                    process.start()
            finally:
                gc.unfreeze()
                signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
            for _reader, writer in pipes:
                writer.close()  # the workers' ends: a worker that ends is then seen as the end of its pipe
        except BaseException:
            self.close()
            raise

    def __iter__(self):
        from multiprocessing.connection import wait

        from kg.errors import StoppedError

        readers = self.readers
        received, count = 0, 0
        while readers:
            ready = wait(list(readers))
            for reader in [r for r in readers if r in ready]:
                try:
                    kind, payload = reader.recv()
                except EOFError:  # that worker is done, or died
                    readers.pop(reader).join()
                    continue
                if kind == "error":
                    raise payload
                received += 1
                count += len(payload)
                yield from _handed_over(payload, count, self.done, self.cache_in)
        if received < len(self.chunks):
            raise StoppedError("a build worker stopped without an answer")

    def close(self) -> None:
        """Stop the workers that still run, and close the pipes."""
        for process in self.processes:
            if process.pid is not None and process.is_alive():
                process.kill()
            if process.pid is not None:
                process.join()
        for reader, writer in self.pipes:
            reader.close()
            writer.close()
