"""Run work under a wall-clock limit that really stops it.

rdflib cannot cancel a query, so the work runs in a forked child process that
is killed when the limit passes; the parent gets the child's bytes back through
a pipe. The machine has cores to spare; fork shares the in-memory graph with
the child for free (copy on write). Where the platform cannot fork, the work
runs in-process without a limit.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import struct
import sys
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from kg.check.sandbox import cut_off_network
from kg.errors import KgError, TimedOut, UsageError


def can_stop() -> bool:
    return hasattr(os, "fork")


T = TypeVar("T")


class Child(Generic[T]):
    """``work()`` (returning bytes, or any value that pickles) running in a forked child process; collect
    it with :meth:`result`."""

    def __init__(self, work: Callable[[], T], what: str = "the query"):
        self.what = what
        read_end, write_end = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: do the work, send (ok, payload) back, exit without cleanup handlers
            os.close(read_end)
            # rdflib evaluates paths such as rdf:rest*/rdf:first recursively; in this throw-away
            # process a deeper stack is safe (should it overflow, only the child dies)
            sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))
            code = 0
            try:
                try:
                    cut_off_network(what)  # no socket but AF_UNIX in this child: kg/check/sandbox.py
                    payload = pickle.dumps((True, work()))
                except KgError as exc:  # sent whole: the parent raises the same type, fields kept
                    payload = pickle.dumps((False, exc))
                except BaseException as exc:  # anything else: reported to the parent as one sentence
                    payload = pickle.dumps((False, UsageError(f"{what} failed: {type(exc).__name__}: {exc}")))
                with os.fdopen(write_end, "wb") as pipe:
                    pipe.write(struct.pack(">Q", len(payload)) + payload)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        os.close(write_end)
        self.pipe = os.fdopen(read_end, "rb")

    def result(self, timeout: float | None = None) -> T:
        """What the child's work returned; TimedOut (the child killed) if ``timeout`` seconds pass first."""
        deadline = time.monotonic() + timeout if timeout else None
        chunks = []
        try:
            with self.pipe as pipe:
                while True:
                    left = None if deadline is None else deadline - time.monotonic()
                    if left is not None and left <= 0:
                        raise TimedOut(f"{self.what} timed out after {timeout:g} s and was stopped (raise --timeout to allow more)")
                    ready, _, _ = select.select([pipe], [], [], left)
                    if ready:
                        chunk = os.read(pipe.fileno(), 1 << 20)
                        if not chunk:
                            break
                        chunks.append(chunk)
        except BaseException:
            _kill(self.pid)
            raise
        _pid, status = os.waitpid(self.pid, 0)
        data = b"".join(chunks)
        if len(data) < 8:
            raise UsageError(f"{self.what} stopped without an answer (exit status {os.waitstatus_to_exitcode(status)})")
        ok, payload = pickle.loads(data[8 : 8 + struct.unpack(">Q", data[:8])[0]])
        if ok:
            return payload
        raise payload


def run_with_deadline(work: Callable[[], T], timeout: float | None, what: str = "the query") -> T:
    """``work()`` returns bytes; return them, or raise TimedOut after ``timeout`` seconds."""
    if not timeout or not can_stop():
        return work()
    return Child(work, what).result(timeout)


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)
