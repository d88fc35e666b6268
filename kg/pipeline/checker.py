"""The SPARQL checks of a build, in a process of their own that is fed the graph while it is built.

``kg build`` checks the whole graph (the checks across releases, ``kgs:CorpusChecks`` and
``kgs:CorpusWarnings``; those within a release run with its part, :func:`kg.pipeline.parts.release_checks`)
in an in-memory Oxigraph store. :class:`Checker` keeps that store in a
child process forked when the build starts, before the graph exists (so the child shares almost
nothing and adds little to the build's memory):

- the build hands it the N-Triples lines the checks can match (:meth:`Checker.feed`) as parts
  arrive from the workers or the cache, and the child loads them while the rest is still being
  built, up to EAGER bytes; what comes beyond is kept as it is and loaded when the graph is
  complete, which a large build says only once it has let go of its own lines (its memory peak
  is then not the sum of both);
- :meth:`Checker.findings` tells it the graph is complete; the child runs the checks (each query
  through the guard, with no network: :func:`kg.check.sandbox.cut_off_network`) while the build
  sorts the graph and starts writing it, and is killed if they take longer than the build's
  ``--timeout`` (:class:`kg.errors.TimedOut`);
- the child dies with the build: Ctrl-C stops it (the build kills it), and a child whose build is
  gone (killed) exits without a word when the feed ends early.

Where the platform cannot fork, the same object loads and checks in the build's own process.
"""

from __future__ import annotations

import contextlib
import os
import struct
import sys
from collections.abc import Iterable

from kg.check.deadline import Child, can_stop

# bytes of N-Triples the child gathers before it loads them: small, so that little is left to load once the
# graph is complete (a rebuild of 1,000 releases from the cache fed 16 MB, the last 7.7 MB of which were
# loaded after the last part, 0.28 s, with 8 MB)
BUFFER = 1 << 20
SLICE = 8 << 20  # bytes loaded at once beyond EAGER, when the graph is complete
EAGER = 64 << 20  # bytes of N-Triples the child loads as they come (about 4,000 releases); the rest when complete


def wanted_lines(lines: list[bytes], predicates: set[str] | None) -> list[bytes]:
    """The N-Triples lines (UTF-8) whose predicate is one of ``predicates`` (all of them if None)."""
    if predicates is None:
        return list(lines)
    return [lines[i] for i in wanted_indexes(lines, predicates)]


def wanted_indexes(lines: list[bytes], predicates: set[str] | None) -> list[int]:
    """The indexes of the N-Triples lines (UTF-8) whose predicate is one of ``predicates`` (all of them if None),
    and of the ``rdf:type`` lines whose class ``predicates`` names (:func:`kg.check.guard.typed`)."""
    if predicates is None:
        return list(range(len(lines)))
    from kg.check.guard import RDF_TYPE

    written: set[bytes] = set()
    classes: set[bytes] = set()
    for entry in predicates:
        predicate, _space, cls = entry.partition(" ")
        (classes if cls else written).add((f"<{predicate}> <{cls}>" if cls else f"<{predicate}>").encode("utf-8"))
    type_ = f"<{RDF_TYPE}>".encode()
    if type_ in written or not classes:
        return [i for i, line in enumerate(lines) if line.split(b" ", 2)[1] in written]
    wanted = []
    for i, line in enumerate(lines):
        _subject, named, rest = line.split(b" ", 2)
        if named in written or (named == type_ and named + b" " + rest[:-2] in classes):
            wanted.append(i)
    return wanted


def predicates_digest(predicates: set[str] | None) -> str:
    """What :func:`wanted_indexes` were taken for, as a short text kept beside them."""
    import hashlib

    text = "\n".join(sorted(predicates)) if predicates is not None else "*"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def encoded(lines: Iterable[bytes]) -> bytes:
    """N-Triples lines (UTF-8, no newline) as one block, a newline after each."""
    lines = list(lines)
    return b"\n".join([*lines, b""]) if lines else b""


class Checker:
    """The checks ``which`` of ``ontology`` on the triples fed, with ``guard`` (a
    :class:`kg.check.shacl.QueryGuard`) passing every query first."""

    def __init__(self, ontology, guard, which: str = "checks", what: str = "the checking of the graph", context=None):
        self.ontology, self.guard, self.which, self.what = ontology, guard, which, what
        self.context = context  # an rdflib graph whose per-class shapes the child checks first, while it waits
        self.context_findings: list | None = None
        self.child: Child | None = None
        self.pipe = None
        self.started: float | None = None
        self.fed = 0  # bytes
        self.store = None
        if not can_stop():
            import pyoxigraph

            self.store = pyoxigraph.Store()
            return
        import signal

        read_end, write_end = os.pipe()
        _widen(write_end)
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            self.child = Child(lambda: _check_fed(read_end, write_end, ontology, guard, which, context), what)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        os.close(read_end)
        self.pipe = os.fdopen(write_end, "wb")

    def feed(self, ntriples: bytes) -> None:
        """Hand the child N-Triples (whole lines) to load."""
        if not ntriples:
            return
        self.fed += len(ntriples)
        if self.store is not None:
            self.store.bulk_load(ntriples, format=_n_triples())
            return
        assert self.pipe is not None, "the checks were already asked for"
        with contextlib.suppress(BrokenPipeError):  # the child is gone: findings() says how
            self.pipe.write(struct.pack(">Q", len(ntriples)) + ntriples)

    def complete(self) -> None:
        """Everything is fed: the child starts the checks (their time limit counts from now). Again: nothing."""
        import time

        if self.started is not None:
            return
        self.started = time.monotonic()
        if self.pipe is not None:
            with contextlib.suppress(BrokenPipeError):
                self.pipe.write(struct.pack(">Q", 0))
                self.pipe.close()
            self.pipe = None

    def findings(self, timeout: float | None) -> list:
        """The findings of the checks on everything fed (:meth:`complete` if not yet); TimedOut if they
        take more than ``timeout`` seconds."""
        if self.store is not None:
            from kg.check.shacl import check_store, validate_core

            if self.context is not None:
                self.context_findings = validate_core(self.context, self.ontology)
            return check_store(self.store, self.ontology, self.which, self.guard, side_by_side=side_by_side(self.fed))
        if self.started is None:
            self.complete()
        assert self.child is not None, "the findings were already collected"
        child, self.child = self.child, None  # result() reaps it, or kills it if interrupted
        findings, checked, self.context_findings = child.result(timeout, since=self.started)
        self.guard.checked.update(checked)
        return findings

    def stop(self) -> None:
        """Stop the child if it still runs (a build that ends early)."""
        if self.pipe is not None:
            with contextlib.suppress(OSError):
                self.pipe.close()
            self.pipe = None
        if self.child is not None:
            self.child.stop()
            self.child = None


PIPE = 1 << 20  # bytes the feed's pipe holds (Linux's default: 64 KiB)


def _widen(fd: int) -> None:
    """Let the pipe ``fd`` hold :data:`PIPE` bytes where the system allows it (Linux, up to
    /proc/sys/fs/pipe-max-size; elsewhere, or refused, it stays as it is). The build then writes
    a part's lines and goes on while the child, importing pyshacl, takes its time to read them:
    in a rebuild of 1,000 releases it waited on its writes 0.15 s with 64 KiB."""
    try:
        import fcntl
    except ImportError:  # not on a POSIX system
        return
    with contextlib.suppress(AttributeError, OSError):  # F_SETPIPE_SZ: Linux only
        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE)


def _n_triples():
    import pyoxigraph

    return pyoxigraph.RdfFormat.N_TRIPLES


def _check_fed(read_end: int, write_end: int, ontology, guard, which: str, context=None):
    """In the child: the per-class shapes on ``context`` if given, then load what the build feeds (frames:
    an 8-byte length, then N-Triples; length 0 ends it), then run the checks; (findings, digests of the
    queries that passed the guard, the context's findings).

    A thread of the child reads the frames as they come, while its main thread checks the context or
    loads (Oxigraph's loader lets other threads run): the build's writes to the pipe never wait for a
    load, and it goes on with its own work (on 1,000 releases rebuilt from the cache, it waited a
    second in all)."""
    import collections
    import signal
    import threading

    import pyoxigraph

    from kg.check.shacl import check_store, prepare, validate_core

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the process group: the build stops us
    os.close(write_end)
    frames: collections.deque[bytes] = collections.deque()
    arrived = threading.Condition()
    ended: list[bool] = []

    def read() -> None:
        with os.fdopen(read_end, "rb") as pipe:
            while True:
                header = pipe.read(8)
                length = struct.unpack(">Q", header)[0] if len(header) == 8 else None
                if length is None:  # the build is gone: nobody waits for an answer
                    os._exit(0)
                if length == 0:
                    break
                data = pipe.read(length)
                if len(data) < length:
                    os._exit(0)
                with arrived:
                    frames.append(data)
                    arrived.notify()
        with arrived:
            ended.append(True)
            arrived.notify()

    threading.Thread(target=read, name="kg-checks-feed", daemon=True).start()
    # pyshacl and the shapes, while the build reads and builds the parts: a build mostly from the cache
    # forks this process before it imports them (it needs them only where its few parts are built);
    # one that builds most releases imported them before, and this is quick
    # the reader thread takes the GIL for every 64 KB the pipe holds; while this thread runs Python (pyshacl's
    # import), it would get it once in every switch interval (5 ms), and the build would wait on its writes
    interval = sys.getswitchinterval()
    sys.setswitchinterval(0.0002)
    try:
        prepare(ontology)
    finally:
        sys.setswitchinterval(interval)
    context_findings = validate_core(context, ontology) if context is not None else None
    store = pyoxigraph.Store()
    pending: list[bytes] = []
    size = loaded = fed = 0
    while True:
        with arrived:
            while not frames and not ended:
                arrived.wait()
            got, done = list(frames), bool(ended)
            frames.clear()
        for data in got:
            pending.append(data)
            size += len(data)
            fed += len(data)
        if size >= BUFFER and loaded + size <= EAGER:
            store.bulk_load(b"".join(pending), format=pyoxigraph.RdfFormat.N_TRIPLES)
            loaded += size
            pending, size = [], 0
        if done:
            break
    pending.reverse()  # taken from the end, each let go once loaded
    while pending:  # by slices: the loader holds about three times what it is given at once
        piece, taken = [], 0
        while pending and taken < SLICE:
            piece.append(pending.pop())
            taken += len(piece[-1])
        store.bulk_load(b"".join(piece), format=pyoxigraph.RdfFormat.N_TRIPLES)
        del piece
    return check_store(store, ontology, which, guard, side_by_side=side_by_side(fed)), guard.checked, context_findings


def side_by_side(fed: int) -> int | None:
    """How many groups of checks run at once on a graph of ``fed`` bytes of N-Triples: one per core
    (kg.check.shacl.threads) up to EAGER bytes, one at a time beyond, where each join's working memory
    is large (two at once took 2.1 GB at 10,000 releases, one 1.6 GB)."""
    return None if fed <= EAGER else 1
