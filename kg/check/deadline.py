"""Run work under a wall-clock limit that really stops it.

rdflib cannot cancel a query, so the work runs in a forked child process that
is killed when the limit passes; the parent gets the child's bytes back through
a pipe. The machine has cores to spare; fork shares the in-memory graph with
the child for free (copy on write). Where the platform cannot fork, the work
runs in-process without a limit.

:class:`Pool` is the same for a server: worker processes forked once (after the
graph is loaded, so they share it), each taking whole requests (bytes in, the
finished response out); a request past its limit has its worker killed and
replaced, and requests beyond the workers and a bounded queue are refused at once.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import select
import signal
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from kg.check.sandbox import cut_off_network
from kg.errors import KgError, StoppedError, TimedOut, UsageError


def can_stop() -> bool:
    return hasattr(os, "fork")


T = TypeVar("T")


class Child(Generic[T]):
    """``work()`` (returning bytes, or any value that pickles) running in a forked child process; collect
    it with :meth:`result`."""

    def __init__(self, work: Callable[[], T], what: str = "the query"):
        self.what = what
        read_end, write_end = os.pipe()
        # Ctrl-C is held off across the fork: a KeyboardInterrupt raised in an at-fork handler (logging's,
        # the guard's) is printed and dropped, and the parent would then wait for the child for ever
        interrupts = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        # what exists now is frozen across the fork: a collection in the child does not walk (and so copy)
        # the pages of the objects it inherits, as Python's gc.freeze documentation advises before fork
        import gc

        gc.freeze()
        self.pid = -1
        try:
            self.pid = os.fork()
        except BaseException:
            signal.pthread_sigmask(signal.SIG_SETMASK, interrupts)
            raise
        finally:
            if self.pid != 0:
                gc.unfreeze()
        if self.pid == 0:  # the child: do the work, send (ok, payload) back, exit without cleanup handlers
            signal.pthread_sigmask(signal.SIG_SETMASK, interrupts)
            os.close(read_end)
            _child_setup()
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
        try:
            os.close(write_end)
            self.pipe = os.fdopen(read_end, "rb")
            signal.pthread_sigmask(signal.SIG_SETMASK, interrupts)  # a Ctrl-C held off is raised here
        except BaseException:
            _kill(self.pid)
            raise

    def result(self, timeout: float | None = None, since: float | None = None) -> T:
        """What the child's work returned; TimedOut (the child killed) if ``timeout`` seconds pass first,
        counted from now or from ``since`` (a time.monotonic() reading)."""
        deadline = (time.monotonic() if since is None else since) + timeout if timeout else None
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
            raise StoppedError(f"{self.what} stopped without an answer (exit status {os.waitstatus_to_exitcode(status)})")
        ok, payload = pickle.loads(data[8 : 8 + struct.unpack(">Q", data[:8])[0]])
        if ok:
            return payload
        raise payload

    def stop(self) -> None:
        """Kill the child (if it still runs) and forget its answer."""
        _kill(self.pid)
        self.pipe.close()


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


# ---------------------------------------------------------------- a pool of pre-forked workers


def _child_setup() -> None:
    """What every throw-away child does first (a Child's and a Pool's worker)."""
    # rdflib evaluates paths such as rdf:rest*/rdf:first recursively; in a throw-away
    # process a deeper stack is safe (should it overflow, only the child dies)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))


def _recv_exact(sock: socket.socket, size: int, deadline: float | None) -> bytes | None:
    """``size`` bytes from ``sock``, None at end of file; TimeoutError once ``deadline`` passes."""
    data = bytearray()
    while len(data) < size:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            sock.settimeout(left)
        chunk = sock.recv(min(size - len(data), 1 << 20))
        if not chunk:
            return None
        data += chunk
    return bytes(data)


class _Worker:
    """One pre-forked process answering requests on its end of a socket pair."""

    def __init__(self, handle: Callable[[bytes], bytes], refuse: Callable[[KgError], bytes], what: str, prctl=None):
        ours, theirs = socket.socketpair()
        self.pid = os.fork()
        if self.pid == 0:  # the worker: answer requests until the pool closes its end (end of file)
            code = 0
            try:
                ours.close()
                _work_forever(theirs, handle, refuse, what, prctl)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        theirs.close()
        self.sock = ours

    def ask(self, request: bytes, deadline: float | None) -> bytes | None:
        """The worker's answer to ``request``; None if it died; TimeoutError when ``deadline`` passes."""
        self.sock.settimeout(None)
        self.sock.sendall(struct.pack(">Q", len(request)) + request)
        header = _recv_exact(self.sock, 8, deadline)
        if header is None:
            return None
        return _recv_exact(self.sock, struct.unpack(">Q", header)[0], deadline)

    def stop(self) -> None:
        self.sock.close()
        _kill(self.pid)


def _work_forever(sock: socket.socket, handle: Callable[[bytes], bytes], refuse: Callable[[KgError], bytes], what: str,
                  prctl) -> None:
    """A worker's life: read a request, write ``handle(request)``, until end of file. Cut off from the
    network first (kg/check/sandbox.py); where that fails, every request gets ``refuse(error)``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's: it stops its workers
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if prctl is not None:  # Linux: die with the server, even if it is killed
        prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    keep = sock.fileno()  # nothing else of the server's: its listening socket, its clients, the other workers
    os.closerange(3, keep)
    os.closerange(keep + 1, 1 << 16)
    _child_setup()
    failed: KgError | None = None
    try:
        cut_off_network(what)  # no socket but AF_UNIX in this worker, for good
    except KgError as exc:
        failed = exc
    while True:
        header = _recv_exact(sock, 8, None)
        if header is None:
            return
        request = _recv_exact(sock, struct.unpack(">Q", header)[0], None)
        if request is None:
            return
        response = handle(request) if failed is None else refuse(failed)
        sock.sendall(struct.pack(">Q", len(response)) + response)


class Pool:
    """``size`` worker processes, forked now (so they share what this process has loaded, copy on
    write), each cut off from the network (kg/check/sandbox.py) and answering ``handle(request) ->
    response`` (bytes; ``handle`` answers every request, errors included; ``refuse(error)`` answers
    them all in a worker that could not be cut off). :meth:`run` gives a request to a free worker and waits for its answer until the
    time limit, then kills the worker (which is replaced by a fresh one) and raises TimedOut. At most
    ``size`` requests run at once and ``waiting`` more wait for a worker; any more are refused at
    once with TimedOut (the server is busy). Safe to call from many threads."""

    def __init__(self, handle: Callable[[bytes], bytes], size: int, waiting: int, what: str = "the query",
                 refuse: Callable[[KgError], bytes] | None = None):
        self.handle = handle
        self.refuse = refuse or (lambda error: str(error).encode("utf-8"))
        self.what = what
        self.size = size
        self._admitted = threading.BoundedSemaphore(size + waiting)
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._all: set[_Worker] = set()
        self._prctl = None  # libc's prctl, found here: a dlopen in a child forked by a thread could wait for ever
        if sys.platform.startswith("linux"):
            with contextlib.suppress(OSError, AttributeError):
                import ctypes

                self._prctl = ctypes.CDLL(None).prctl
        for _ in range(size):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        with self._lock:  # one fork at a time
            worker = _Worker(self.handle, self.refuse, self.what, self._prctl)
            self._all.add(worker)
            return worker

    def _replace(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.stop()
        self._idle.put(self._spawn())

    def pids(self) -> list[int]:
        with self._lock:
            return [worker.pid for worker in self._all]

    def run(self, request: bytes, timeout: float | None) -> bytes:
        """The answer to ``request``; TimedOut if ``timeout`` seconds (None or 0: no limit) pass first,
        counting the wait for a free worker, or at once if too many requests are waiting."""
        if not self._admitted.acquire(blocking=False):
            raise TimedOut(f"the server is busy ({self.size} queries running and as many as allowed waiting): try again shortly")
        try:
            deadline = time.monotonic() + timeout if timeout else None
            stopped = TimedOut(f"{self.what} timed out after {timeout:g} s and was stopped (the server's --timeout)")
            try:
                worker = self._idle.get(timeout=None if deadline is None else max(deadline - time.monotonic(), 0.001))
            except queue.Empty:
                raise stopped from None
            try:
                response = worker.ask(request, deadline)
            except TimeoutError:
                self._replace(worker)
                raise stopped from None
            except BaseException:
                self._replace(worker)
                raise
            if response is None:  # the worker died (out of memory, a crash in the engine)
                self._replace(worker)
                raise StoppedError(f"{self.what} stopped its worker without an answer")
            self._idle.put(worker)
            return response
        finally:
            self._admitted.release()

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            workers, self._all = self._all, set()
        for worker in workers:
            worker.stop()
