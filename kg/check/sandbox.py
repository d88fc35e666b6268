"""No network for the process that evaluates a query: the guard's second line (SECURITY.md, case 19).

The guard (:mod:`kg.check.guard`) refuses SERVICE, FROM and LOAD on the text Oxigraph runs, and
Python's audit hook (:mod:`kg.check.audit`) refuses Python's own sockets; neither can see the
sockets of Oxigraph's Rust code. pyoxigraph 0.5 has no option to turn SERVICE off, so should any
parser ever read a query differently from the guard, :func:`cut_off_network` still makes the
request impossible: a seccomp filter (libseccomp, through ``pyseccomp``), installed in the forked
child that evaluates the query (:class:`kg.check.deadline.Child`), makes ``socket()`` fail with
EACCES for every address family but AF_UNIX (no IPv4, IPv6, netlink or raw socket) and
``io_uring_setup()`` fail with ENOSYS. A seccomp filter needs no root (the child sets
``no_new_privs``, which stops it from gaining privileges by exec), lasts as long as the process,
and binds every thread the process starts later; the child is thrown away after one query.

Where it applies: Linux (x86-64, ARM64 and every other architecture libseccomp knows), in every
query that runs in a forked child, which is every ``kg query`` (it always has a time limit) and
every query of ``kg serve``. Where it does not: a platform without ``fork`` (the query runs in the
calling process: cutting that process off would be for good), the Python API called without a
``timeout`` (same reason), ``kg query --endpoint`` (the query runs in the remote store; the guard is
its defence), and a platform other than Linux (no seccomp): there the guard alone keeps queries off
the network. On Linux, a child that cannot install the filter does not run the query.
"""

from __future__ import annotations

import errno
import socket
import sys

from kg.errors import UsageError


def supported() -> bool:
    """Whether this platform can cut a process off from the network (Linux: seccomp)."""
    return sys.platform.startswith("linux")


def cut_off_network(what: str = "the query") -> None:
    """From now on, this process (and every thread it starts) cannot open a network socket.

    For a throw-away process only: it cannot be undone. Does nothing where :func:`supported` is
    false; raises UsageError (one sentence) where it is supported but fails, so the caller does
    not go on without it."""
    if not supported():
        return
    try:
        import pyseccomp as seccomp

        rules = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
        rules.add_rule(seccomp.ERRNO(errno.EACCES), "socket", seccomp.Arg(0, seccomp.NE, socket.AF_UNIX))
        rules.add_rule(seccomp.ERRNO(errno.ENOSYS), "io_uring_setup")
        rules.load()
    except Exception as exc:  # no libseccomp, or a kernel without seccomp
        raise UsageError(f"{what} was not run: its process could not be cut off from the network "
                         f"({type(exc).__name__}: {exc}; kg needs libseccomp2 on Linux)") from None
