"""Oxigraph (pyoxigraph), embedded: the on-disk store ``kg build`` writes, and graphs in memory.

Every SPARQL query of kg runs in Oxigraph. It finds the graph in one of three places:

- the on-disk store ``OUT/store`` (RocksDB) that ``kg build`` writes beside ``OUT/graph.ttl``.
  It is written beside the old one and swapped in by renames (or updated in place in one
  transaction), and ``OUT/store.sha256`` records the SHA-256 of the ``graph.ttl`` it holds, in
  ``sha256sum`` format: :func:`store_for` uses the store only while that file is unchanged
  (without reading graph.ttl again while the record's stamp says it has not changed since:
  :func:`record_graph`);
- a graph file loaded into an in-memory store (:func:`load_file`), with the refusals of
  :func:`kg.stores.files.read_graph_file` (no DOCTYPE in RDF/XML, no remote JSON-LD context);
- an rdflib Graph of the Python API, copied into an in-memory store (:func:`store_of`).

rdflib is imported only where an rdflib object is asked for: ``kg query`` on the store does
without it.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import BinaryIO

from kg.errors import InputError
from kg.rdf.terms import XSD_STRING, to_ox, to_rdflib  # noqa: F401  (the stores' callers find them here)

STORE_DIR = "store"
DIGEST_FILE = "store.sha256"  # beside the store: "<sha256>  graph.ttl", the graph.ttl the store holds
GRAPH_FILE = "graph.ttl"

# graph file suffix -> pyoxigraph RdfFormat name (the suffixes kg.stores.files knows)
_FORMATS = {"turtle": "TURTLE", "nt": "N_TRIPLES", "json-ld": "JSON_LD", "xml": "RDF_XML", "trig": "TRIG",
            "nquads": "N_QUADS", "n3": "N3"}


def store_path(out_dir) -> Path:
    return Path(out_dir) / STORE_DIR


BULK_SLICE = 64 << 20  # bytes of N-Triples given to the bulk loader at once


def replace_store(out_dir, ntriples: bytes) -> Path:
    """Bulk-load N-Triples into a fresh store and swap it in for ``OUT/store``."""
    fresh = new_store_folder(out_dir)
    try:
        fill_store(fresh, io.BytesIO(ntriples))
        return swap_in(fresh, out_dir)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise


def fill_store(folder, stream: BinaryIO) -> None:
    """Bulk-load the N-Triples read from ``stream`` into a new on-disk store in ``folder``, and close it.

    ``kg build`` runs it in a fresh process of its own (``python -m kg.stores.embedded SOURCE FOLDER``).
    """
    import pyoxigraph

    store = pyoxigraph.Store(str(folder))
    bulk_load(store, stream)
    settle(store)
    del store


def settle(store) -> None:
    """Write a freshly loaded store out for reading: flushed, then compacted (``optimize``, RocksDB's
    full compaction). The bulk loader leaves one file per slice, each to be searched by every read;
    compacted, the queries of ``kg query`` on the store of 1,000 releases take 25 to 50 % less time
    (fact-evidence 0.29 s -> 0.21 s of CPU, exports-by-period 0.27 s -> 0.15 s), for about 0.3 s
    spent once, here. An incremental update (:func:`update_store`) is not compacted: a few triples
    do not call for rewriting the whole store."""
    store.flush()
    store.optimize()


def bulk_load(store, stream: BinaryIO, slice_size: int | None = None) -> None:
    """Bulk-load the N-Triples read from ``stream`` into ``store``, in slices of whole lines: Oxigraph's
    bulk loader holds about three times what it is given at once (1.4 GB for the 400 MB of 10,000
    releases in one call, about 0.5 GB by 64 MB slices)."""
    import pyoxigraph

    size = BULK_SLICE if slice_size is None else slice_size
    rest = b""
    while True:
        chunk = stream.read(size)
        if not chunk:
            break
        data = rest + chunk
        cut = data.rfind(b"\n") + 1
        rest = data[cut:]
        if cut:
            store.bulk_load(data[:cut], format=pyoxigraph.RdfFormat.N_TRIPLES)
    if rest:
        store.bulk_load(rest, format=pyoxigraph.RdfFormat.N_TRIPLES)


def update_store(out_dir, remove: list[bytes] | list[str], add: list[bytes] | list[str]) -> Path:
    """Remove and add N-Triples lines in ``OUT/store``, in one transaction (one SPARQL update).

    The lines come from the build cache (``OUT/cache``), a folder on disk, so they are data, never
    text of the update: each is parsed by pyoxigraph and must be exactly one triple of IRIs and
    literals (:func:`parsed_lines`); the update is written from the parsed terms, each serialised
    again by pyoxigraph, so no line can close the DATA block and add an operation of its own
    (``} ; LOAD <http://...>``). A line that is not one such triple is refused (InputError naming
    the cache) before the store is opened.
    """
    import pyoxigraph

    cache = Path(out_dir) / "cache"
    old = parsed_lines(remove, cache)
    new = parsed_lines(add, cache)
    path = store_path(out_dir)
    store = pyoxigraph.Store(str(path))
    store.update(f"DELETE DATA {{\n{_data(old)}}} ;\nINSERT DATA {{\n{_data(new)}}}")
    store.flush()
    del store
    return path


def parsed_lines(lines: list[bytes] | list[str], source) -> list:
    """Each N-Triples line of ``lines`` (UTF-8 or text) as pyoxigraph's triple (a Quad of the default graph), parsed
    alone: a line that is not exactly one triple (none, two, or text after it), or that holds a
    blank node (which DELETE DATA cannot name, and kg's graph has none), is an InputError naming
    ``source``."""
    import pyoxigraph

    triples = []
    for line in lines:
        try:
            found = list(pyoxigraph.parse(line if isinstance(line, bytes) else line.encode("utf-8"),
                                          format=pyoxigraph.RdfFormat.N_TRIPLES))
        except (SyntaxError, ValueError, UnicodeError) as exc:
            raise InputError(f"a line is not N-Triples ({' '.join(str(exc).split())[:200]}): {_excerpt(line)}; "
                             f"delete the folder and build again", source) from None
        if len(found) != 1:
            raise InputError(f"a line holds {len(found)} triples, not one: {_excerpt(line)}; "
                             f"delete the folder and build again", source)
        triple = found[0]
        if any(isinstance(term, pyoxigraph.BlankNode) for term in (triple.subject, triple.object)):
            raise InputError(f"a line holds a blank node: {_excerpt(line)}; delete the folder and build again", source)
        triples.append(triple)
    return triples


def _excerpt(line: bytes | str) -> str:
    text = " ".join((line.decode("utf-8", "replace") if isinstance(line, bytes) else line).split())
    return repr(text if len(text) <= 120 else text[:119] + "…")


def _data(triples) -> str:
    """The body of a DELETE DATA / INSERT DATA block: one triple a line, each term as pyoxigraph writes it."""
    return "".join(f"{t.subject} {t.predicate} {t.object} .\n" for t in triples)


def new_store_folder(out_dir) -> Path:
    """An empty folder beside ``OUT/store`` for a fresh store, to fill and then :func:`swap_in`."""
    target = store_path(out_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=".kg-tmp-store-", dir=target.parent))


class StoreFiller:
    """A fresh on-disk store in ``folder`` (from :func:`new_store_folder`), filled by a thread of this
    process from the N-Triples handed to :meth:`feed` as they come (whole lines, in any order, a
    triple given twice is held once), in slices of FILL_SLICE bytes: ``kg build`` feeds it each
    release's triples as they are built, so the store is loaded while the rest is built instead of
    after. Oxigraph's loader lets the other threads run; Ctrl-C is left to the main thread.
    :meth:`finish` waits for the store, whole and closed; :meth:`abort` stops the thread, which
    loads nothing more. Errors (a full disk) are raised by :meth:`finish`.
    """

    def __init__(self, folder: Path):
        import queue
        import threading

        self.folder = Path(folder)
        self.error: BaseException | None = None
        self.stopped = False
        self.closed = False  # the end of the feed is queued (close)
        self.queue: queue.Queue = queue.Queue(maxsize=64)  # pieces waiting: the feeder waits beyond
        self.thread = threading.Thread(target=self._fill, name="kg-store", daemon=True)
        self.thread.start()

    def feed(self, ntriples: bytes) -> None:
        if ntriples and not self.stopped:
            assert not self.closed, "fed after close()"
            self.queue.put(ntriples)

    def close(self) -> None:
        """Nothing more will be fed: the thread loads what it holds and settles the store
        (:func:`settle`) now, while the caller goes on, instead of in :meth:`finish`."""
        if not self.closed:
            self.closed = True
            self.queue.put(None)

    def finish(self) -> Path:
        """Wait until everything fed is in the store and the store is closed; its folder."""
        self._end()
        if self.error is not None:
            raise self.error
        return self.folder

    def abort(self) -> None:
        """Load nothing more; return once the thread is done with the store."""
        self.stopped = True
        self._end()

    def _end(self) -> None:
        if self.thread.is_alive():
            self.close()
            self.thread.join()

    def _fill(self) -> None:
        import signal

        import pyoxigraph

        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})  # also for the store's own threads
        store = None
        pending: list[bytes] = []
        size = 0
        ended = False
        try:
            store = pyoxigraph.Store(str(self.folder))
            while True:
                piece = self.queue.get()
                if piece is None:
                    ended = True
                    break
                if self.stopped:  # aborted: what is still queued is let go
                    continue
                pending.append(piece)
                size += len(piece)
                if size >= FILL_SLICE:
                    store.bulk_load(b"".join(pending), format=pyoxigraph.RdfFormat.N_TRIPLES)
                    pending, size = [], 0
            if pending and not self.stopped:
                store.bulk_load(b"".join(pending), format=pyoxigraph.RdfFormat.N_TRIPLES)
            if self.stopped:
                store.flush()
            else:
                settle(store)
        except BaseException as error:  # raised by finish()
            self.error = error
            self.stopped = True
            while not ended:  # let the feeder go on to its end
                ended = self.queue.get() is None
        finally:
            del store, pending


FILL_SLICE = 16 << 20  # bytes of N-Triples a StoreFiller gives Oxigraph's bulk loader at once


def swap_in(fresh: Path, out_dir) -> Path:
    """Make the (closed) store in ``fresh`` the store of ``OUT/store``, by renames; the old one is removed.
    Should the second rename fail, the old store is put back: ``OUT/store`` is the old store or the new one."""
    target = store_path(out_dir)
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=".kg-tmp-old-", dir=target.parent))
        old.rmdir()
        target.rename(old)
    try:
        fresh.rename(target)
    except BaseException:
        if old is not None:
            old.rename(target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return target


# --------------------------------------------------------------------------- which graph the store holds


def file_digest(path) -> str:
    """The SHA-256 of a file, in hex."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def forget_graph(out_dir) -> None:
    """Say nothing about what ``OUT/store`` holds (before the store changes): queries read graph.ttl."""
    (Path(out_dir) / DIGEST_FILE).unlink(missing_ok=True)


def record_graph(out_dir) -> Path:
    """Record that ``OUT/store`` holds ``OUT/graph.ttl`` as it is now (after both are written).

    The record is the file's SHA-256 (``sha256sum`` format), stamped: its modification time is set
    to graph.ttl's change time (``st_ctime``), which the system sets on every change to a file (a
    write, a truncation, a rename over it, a link, new times) and programs cannot set. While the two
    are equal, :func:`store_for` knows graph.ttl has not changed since it was hashed and does not
    read it again (15 MB at 1,000 releases, 150 MB at 10,000). The stamp is given only when it is
    sound: once the file system's clock has passed graph.ttl's last change (so any later change
    moves its change time), and when graph.ttl did not change while it was hashed; and only on POSIX
    systems (Windows reports a file's creation time as ``st_ctime``). Otherwise (or on a file system
    whose clock never seems to pass) the record is left unstamped and every query hashes graph.ttl,
    as a record copied from elsewhere is hashed."""
    from kg.stores.files import write_atomic

    folder = Path(out_dir)
    graph = folder / GRAPH_FILE
    before = os.stat(graph)
    settled = _CHANGE_TIMES and _clock_passed(folder, before.st_ctime_ns)
    line = f"{file_digest(graph)}  {GRAPH_FILE}\n"
    record = write_atomic(folder / DIGEST_FILE, line.encode("ascii"))
    after = os.stat(graph)
    stamped = _CHANGE_TIMES and settled and _identity(after) == _identity(before)
    stamp = before.st_ctime_ns if stamped else _UNSTAMPED
    os.utime(record, ns=(os.stat(record).st_atime_ns, stamp))
    return record


_CHANGE_TIMES = os.name == "posix"  # st_ctime is the time of the last change (on Windows, of creation)
_UNSTAMPED = 0  # the record's modification time when it is not stamped: no file changes at the epoch
_SETTLE = 0.25  # seconds to wait at most for the file system's clock to pass graph.ttl's last change


def _identity(stat: os.stat_result) -> tuple:
    return stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns


def _clock_passed(folder: Path, change_ns: int) -> bool:
    """Whether the clock of the file system holding ``folder`` has passed ``change_ns`` (a change time
    of a file there), waiting for it a little: read from a new file's time, as the system stamps files."""
    import time

    handle, name = tempfile.mkstemp(prefix=".kg-tmp-clock-", dir=folder)
    try:
        deadline = time.monotonic() + _SETTLE
        while os.fstat(handle).st_mtime_ns <= change_ns:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.002)
            os.utime(handle)  # the file's times to the clock's now
        return True
    finally:
        os.close(handle)
        os.unlink(name)


def store_for(graph_file) -> Path | None:
    """The on-disk store beside ``graph_file`` if it holds exactly that file (its recorded digest), else None.

    graph.ttl is hashed only when the record is not stamped with its change time (:func:`record_graph`)."""
    graph_file = Path(graph_file)
    folder = graph_file.parent
    try:
        with open(folder / DIGEST_FILE, "rb") as handle:
            stamp = os.fstat(handle.fileno()).st_mtime_ns
            recorded, _sep, name = handle.read().decode("ascii").strip().partition("  ")
    except (OSError, ValueError):
        return None
    if name != graph_file.name or not store_path(folder).is_dir():
        return None
    try:
        if _CHANGE_TIMES and stamp != _UNSTAMPED and os.stat(graph_file).st_ctime_ns == stamp:
            return store_path(folder)
        if file_digest(graph_file) != recorded:
            return None
    except OSError:
        return None
    return store_path(folder)


# --------------------------------------------------------------------------- opening and loading


def open_read_only(path):
    """The on-disk store at ``path`` (a ``OUT/store`` folder), read-only: no lock, any number of readers."""
    import pyoxigraph

    path = Path(path)
    if not path.is_dir():
        raise InputError("no Oxigraph store here (run 'kg build' first)", path)
    try:
        return pyoxigraph.Store.read_only(str(path))
    except OSError as exc:
        raise InputError(f"cannot open the Oxigraph store: {' '.join(str(exc).split())[:300]}", path) from None


def load_file(path):
    """A graph file in a new in-memory store (every named graph of TriG or N-Quads merged into the
    default graph, as :func:`kg.stores.files.load_graph` does), refusing the same unsafe input."""
    import pyoxigraph

    from kg.stores.files import read_graph_file

    data, rdflib_format = read_graph_file(path)
    rdf_format = getattr(pyoxigraph.RdfFormat, _FORMATS[rdflib_format])
    store = pyoxigraph.Store()
    try:
        if rdf_format.supports_datasets:
            quads = pyoxigraph.parse(data, format=rdf_format)
            store.extend(pyoxigraph.Quad(q.subject, q.predicate, q.object, pyoxigraph.DefaultGraph()) for q in quads)
        else:
            store.load(data, format=rdf_format)
    except SyntaxError as exc:
        detail = " ".join(str(exc).split())[:300]
        raise InputError(f"not valid {rdflib_format}: {detail}", path) from None
    return store


def store_of(graph):
    """The Oxigraph store behind an rdflib Graph: the store itself when the Graph is one of
    :func:`graph_of`, else a copy of its triples in a new in-memory store."""
    inner = getattr(graph.store, "oxigraph_store", None)
    if inner is not None:
        return inner
    import pyoxigraph

    store = pyoxigraph.Store()  # through N-Triples: faster than a term at a time (6 s against 10 s for 233,500 triples)
    try:
        store.bulk_load(graph.serialize(format="nt", encoding="utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    except Exception as exc:  # a term rdflib let in that RDF does not allow (an IRI with a space)
        raise InputError(f"the graph holds a term Oxigraph refuses: {' '.join(str(exc).split())[:300]}") from None
    return store


def open_store(out_dir):
    """The store of ``OUT/store`` as an rdflib Graph (oxrdflib), read-only."""
    return graph_of(open_read_only(store_path(out_dir)))


def graph_of(store, *, check=None):
    """A pyoxigraph ``store``'s default graph as an rdflib Graph (oxrdflib): SPARQL runs in Oxigraph.

    oxrdflib counts triples with a SPARQL COUNT over the store, which pyshacl
    calls three times per validation (1.5 s on a million triples), and more for each
    result; here the count is pyoxigraph's own (only the default graph is used), counted
    once until the Graph adds or removes a triple (pyoxigraph counts by scanning: 38 ms at
    256,000 triples, 18 times in the checks of a build). With ``check``, each
    query text is given to ``check(text, prefixes)`` before Oxigraph runs it
    (the guard of :mod:`kg.check`, which may refuse it).
    """
    from oxrdflib import OxigraphStore
    from rdflib import Graph
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    class _Store(OxigraphStore):
        oxigraph_store = store  # what kg.query runs its queries on (store_of)

        def __init__(self) -> None:
            super().__init__(store=store)
            self.counted: list[int] = []  # the store's size, while this Graph does not change it

        def __len__(self, context=None) -> int:
            if not self.counted:
                self.counted.append(len(store))
            return self.counted[0]

        def add(self, triple, context=None, quoted=False) -> None:
            self.counted.clear()
            super().add(triple, context, quoted)

        def addN(self, quads) -> None:  # rdflib's name
            self.counted.clear()
            super().addN(quads)

        def remove(self, triple, context=None) -> None:
            self.counted.clear()
            super().remove(triple, context)

        def query(self, query, initNs, initBindings, queryGraph, **kwargs):  # rdflib's names
            if check is not None:
                check(query, initNs)
            return super().query(query, initNs, initBindings, queryGraph, **kwargs)

    return Graph(store=_Store(), identifier=DATASET_DEFAULT_GRAPH_ID)  # Oxigraph's default graph


if __name__ == "__main__":  # python -m kg.stores.embedded SOURCE.nt FOLDER: what kg build runs beside the checks
    with open(sys.argv[1], "rb") as source:
        fill_store(sys.argv[2], source)
