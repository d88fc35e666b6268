"""The second line of defence: while a query runs, nothing leaves the machine or the inputs.

The query guard (kg.check.guard) refuses SERVICE, FROM, LOAD and updates by reading the
parsed query. Should anything slip past it, or should a library call reach out on
its own, this audit hook (PEP 578, as rdflib's security notes suggest) refuses,
while a query or a validation runs: every socket, URL request and subprocess, and
every file opened for writing or outside the project's inputs and Python's own
installation. The refused call raises inside the library; whatever the library
does with that error, :func:`confined` raises a :class:`kg.errors.RefusedError`
naming what was refused once the block ends.
"""

from __future__ import annotations

import os
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

from kg.errors import RefusedError

NETWORK_EVENTS = {
    "socket.connect", "socket.bind", "socket.getaddrinfo", "socket.gethostbyname", "socket.sendto",
    "socket.sendmsg", "urllib.Request", "http.client.connect", "ftplib.connect", "smtplib.connect",
    "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "webbrowser.open",
}


class OutsideAccess(PermissionError):
    """Raised by the audit hook inside the call it refuses."""


class _State(threading.local):
    def __init__(self) -> None:
        self.depth = 0
        self.allowed: tuple[str, ...] = ()
        self.refused: list[str] = []


_STATE = _State()
_INSTALLED = False
_ROOTS = (
    *sorted({os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix)}),
    os.path.realpath(Path(__file__).resolve().parent.parent),  # the kg package, with its data
)


def _hook(event: str, args: tuple) -> None:
    state = _STATE
    if not state.depth:
        return
    if event in NETWORK_EVENTS:
        what = f"{event} {args[1] if event == 'socket.connect' and len(args) > 1 else args[0] if args else ''}".strip()
        state.refused.append(what)
        raise OutsideAccess(f"refused while a query runs: {what}")
    if event == "open":
        path, mode, flags = (*args, None, None, None)[:3]
        if isinstance(path, int) or path is None:
            return
        writing = (mode is not None and any(c in str(mode) for c in "wax+")) or (
            isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC)
        )
        real = os.path.realpath(os.fsdecode(path))
        inside = any(real == root or real.startswith(root + os.sep) for root in _ROOTS + state.allowed)
        if writing or not inside:
            what = f"{'writing' if writing else 'reading'} {real}"
            state.refused.append(what)
            raise OutsideAccess(f"refused while a query runs: {what}")


def install() -> None:
    """Add the hook once per process (audit hooks cannot be removed; it is idle outside `confined`)."""
    global _INSTALLED
    if not _INSTALLED:
        sys.addaudithook(_hook)
        _INSTALLED = True


@contextmanager
def confined(allowed_paths=(), what: str = "the query"):
    """Run a block with no network and no file access beyond ``allowed_paths`` and Python itself."""
    install()
    state = _STATE
    saved = (state.allowed, state.refused)
    state.allowed = tuple(os.path.realpath(p) for p in allowed_paths) + saved[0]
    state.refused = []
    state.depth += 1
    refused: list[str] = []
    try:
        yield
    except Exception:
        # the refused call may surface as any error the library wraps it in
        if not state.refused:
            raise
    finally:
        state.depth -= 1
        refused = state.refused
        state.allowed, state.refused = saved
    if refused:
        raise RefusedError(f"{what} tried to reach outside its inputs ({refused[0]}) and was stopped")
