"""One error hierarchy. Each error knows its exit code (the CLI) and its HTTP status (the endpoint);
both map by type, never by reading the message.

=========================  ====  ====  ===============================================
exception                  exit  HTTP  meaning
=========================  ====  ====  ===============================================
(none)                     0     200   success; the graph conforms
NotConformingError         1     422   the graph does not conform to the shapes
InputError                 2     400   a file is wrong (names file, line and field)
UsageError                 2     400   bad option, unknown query, missing parameter
QuerySyntaxError           2     400   the query is not valid SPARQL, or fails to run
RefusedError               2     403   the guard refused the query (update, SERVICE,
                                       FROM, a reach outside its inputs)
NotAcceptable              2     406   no format asked for (--format, Accept) can write
                                       this kind of answer
TimedOut                   2     503   the query ran out of time and was stopped
ConflictError              2     409   a file changed on disk since it was opened for
                                       editing (kg review): it is not overwritten
StoreError                 2     502   a remote store failed or could not be reached
OutcomeUnknown             3     504   a push whose answer never came: the store may
                                       or may not hold the new graph
=========================  ====  ====  ===============================================

Errors cross process boundaries whole: pickling keeps their fields, so an error
raised in a build worker or a time-limited child arrives as the same type with
the same file, line and field.
"""

from __future__ import annotations


class KgError(Exception):
    """Base class of every error the tool reports to a person."""

    exit_code = 2
    http_status = 400

    def __init__(self, message: str):
        text = message.rstrip()
        super().__init__(text if text.endswith((".", "?", "!")) else text + ".")


class InputError(KgError):
    """A file the user gave is wrong: names the file, the line and the field."""

    def __init__(self, message: str, path=None, line: int | None = None, field: str | None = None):
        self.path = str(path) if path is not None else None
        self.line = line
        self.field = field
        self.message = message
        super().__init__(self.sentence())

    def sentence(self) -> str:
        where = []
        if self.path:
            where.append(self.path)
        if self.line:
            where.append(f"line {self.line}")
        if self.field:
            where.append(f"field '{self.field}'")
        text = self.message.rstrip(".")
        return f"{', '.join(where)}: {text}." if where else f"{text}."

    def __reduce__(self):
        return (type(self), (self.message, self.path, self.line, self.field))


class UsageError(KgError):
    """A command was called wrongly (unknown query name, bad or missing parameter, bad option)."""


class QuerySyntaxError(UsageError):
    """The query is not valid SPARQL, or its evaluation failed."""


class RefusedError(UsageError):
    """The guard refused the query: an update, SERVICE, FROM, or a reach outside its inputs."""

    http_status = 403


class NotAcceptable(UsageError):
    """The answer cannot be written in any format asked for (``kg query --format``, an ``Accept`` header):
    rows asked as an RDF syntax, a graph asked as CSV, or a media type the endpoint does not write."""

    http_status = 406


class TimedOut(UsageError):
    """The work did not finish within its limit and was stopped."""

    http_status = 503


class ConflictError(UsageError):
    """A file opened for editing (``kg review``) changed on disk since: saving over it would lose the other
    change, so it is refused, not overwritten."""

    http_status = 409


class StoppedError(KgError):
    """The process doing the work (a query's child, an endpoint worker, a build worker) stopped without
    an answer: a crash of the engine, not of the input. The server's fault: HTTP 500."""

    http_status = 500


class StoreError(KgError):
    """A remote store could not be reached, or answered with an error or partial content."""

    http_status = 502


class OutcomeUnknown(StoreError):
    """A change sent to a remote store whose outcome is unknown: the connection was lost or the
    time ran out once the request was sent (or the result could not be read back), so the store
    may or may not have made it. Neither success nor failure: exit 3."""

    exit_code = 3
    http_status = 504


class NotConformingError(KgError):
    """The graph violates the shapes; the report is printed before it."""

    exit_code = 1
    http_status = 422


def printable(text: str) -> str:
    r"""``text`` safe to show on a terminal: control characters written as escapes.

    Data reaches the terminal in error messages and in ``table``/``md`` output; an ESC
    (``\x1b[2J``, a title-setting OSC sequence), another C0 or C1 control, DEL, a bidi
    override (U+202A-U+202E, U+2066-U+2069) or a lone surrogate is written as the Python
    escape that names it (``\x1b``, ``\x9b``, ``\u202e``, ``\ud800``), so it is seen, not obeyed.
    Newline and tab are kept.
    """
    import re

    return re.sub(
        "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]",
        lambda match: _escape(match.group(0)),
        text,
    )


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
