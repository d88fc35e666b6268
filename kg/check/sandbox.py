"""No network for the process that evaluates a query: the guard's second line (SECURITY.md, case 19).

The guard (:mod:`kg.check.guard`) refuses SERVICE, FROM and LOAD on the text Oxigraph runs, and
Python's audit hook (:mod:`kg.check.audit`) refuses Python's own sockets; neither can see the
sockets of Oxigraph's Rust code. pyoxigraph 0.5 has no option to turn SERVICE off, so should any
parser ever read a query differently from the guard, :func:`cut_off_network` still makes the
request impossible: a seccomp filter (libseccomp, Debian's ``libseccomp2``, through ctypes), installed in the forked
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

import ctypes
import errno
import socket
import sys

from kg.errors import UsageError

_ALLOW = 0x7FFF0000  # libseccomp's SCMP_ACT_ALLOW
_NE = 1  # SCMP_CMP_NE


def _errno(code: int) -> int:  # SCMP_ACT_ERRNO(code)
    return 0x00050000 | (code & 0xFFFF)


class _ArgCmp(ctypes.Structure):  # struct scmp_arg_cmp
    _fields_ = [("arg", ctypes.c_uint), ("op", ctypes.c_int), ("datum_a", ctypes.c_uint64), ("datum_b", ctypes.c_uint64)]


def _load_libseccomp():
    """libseccomp (Debian's libseccomp2), loaded by its soname: no search that runs ldconfig or gcc."""
    if not sys.platform.startswith("linux"):
        return None, "not Linux"
    try:
        library = ctypes.CDLL("libseccomp.so.2", use_errno=True)
    except OSError as exc:
        return None, str(exc)
    library.seccomp_init.restype = ctypes.c_void_p
    library.seccomp_init.argtypes = [ctypes.c_uint32]
    library.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
    library.seccomp_rule_add_array.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int, ctypes.c_uint,
                                               ctypes.POINTER(_ArgCmp)]
    library.seccomp_load.argtypes = [ctypes.c_void_p]
    library.seccomp_release.argtypes = [ctypes.c_void_p]
    library.seccomp_release.restype = None
    return library, ""


# loaded here, before any fork: a dlopen in the child could wait for ever on a loader lock that a
# thread of the parent held at the fork (kg serve answers requests in threads)
_LIBSECCOMP, _MISSING = _load_libseccomp()


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
    library = _LIBSECCOMP
    if library is None:
        raise UsageError(f"{what} was not run: its process could not be cut off from the network "
                         f"({_MISSING}; kg needs libseccomp2 on Linux)")
    context = library.seccomp_init(_ALLOW)
    if not context:
        raise UsageError(f"{what} was not run: its process could not be cut off from the network (seccomp_init failed)")
    try:
        not_unix = (_ArgCmp * 1)(_ArgCmp(0, _NE, socket.AF_UNIX, 0))  # socket()'s first argument, the family
        code = library.seccomp_rule_add_array(context, _errno(errno.EACCES),
                                              library.seccomp_syscall_resolve_name(b"socket"), 1, not_unix)
        io_uring = library.seccomp_syscall_resolve_name(b"io_uring_setup")  # unknown to libseccomp before 2.5
        if code >= 0 and io_uring >= 0:
            code = library.seccomp_rule_add_array(context, _errno(errno.ENOSYS), io_uring, 0, None)
        if code >= 0:
            code = library.seccomp_load(context)
    finally:
        library.seccomp_release(context)
    if code < 0:
        raise UsageError(f"{what} was not run: its process could not be cut off from the network "
                         f"(libseccomp: {errno.errorcode.get(-code, code)})")
