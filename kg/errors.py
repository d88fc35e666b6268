"""One error hierarchy; the CLI maps each class to an exit code.

=========================  ====  =========================================
exception                  exit  meaning
=========================  ====  =========================================
(none)                     0     success; the graph conforms
NotConformingError         1     the graph does not conform to the shapes
InputError, UsageError     2     bad input file, bad query, bad option
=========================  ====  =========================================
"""

from __future__ import annotations


class KgError(Exception):
    """Base class of every error the tool reports to a person."""

    exit_code = 2


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


class UsageError(KgError):
    """A command was called wrongly (unknown query name, bad parameter, refused query)."""

    def __init__(self, message: str):
        text = message.rstrip()
        super().__init__(text if text.endswith((".", "?", "!")) else text + ".")


class NotConformingError(KgError):
    """The graph violates the shapes; carries the readable report."""

    exit_code = 1
