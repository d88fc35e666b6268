"""Read a YAML file keeping the line of every value, so errors can name it.

PyYAML's ``safe_load`` forgets where values came from and silently keeps the
last of two duplicate keys. ``load_yaml`` composes the node tree instead and
converts it to :class:`LMap` / :class:`LList`, which remember lines. Floats
become :class:`decimal.Decimal` from their written digits, never ``float``.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import NoReturn

import yaml

from kg.errors import InputError

MAX_DEPTH = 50
"""Deepest nesting of mappings and lists; an annotation needs four levels."""
MAX_FILE_BYTES = 16 * 1024 * 1024
"""Largest YAML file read (16 MiB): the largest registry or annotation is a few hundred KB."""
MAX_STRING = 1024 * 1024
"""Longest text value, in characters (1 MiB): a note or a quote is a few hundred."""
MAX_DIGITS = 40
"""Most digits a number may have written out in full (40: an amount in euro cents of the world's
GDP has 17, and case 11's decimals 30). ``7.5e+999999999`` has a billion."""


class LMap(dict):
    """A mapping that knows the line of each key."""

    line: int = 0
    key_lines: dict

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


class LList(list):
    """A sequence that knows the line of each item."""

    line: int = 0
    item_lines: list

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


_CONSTRUCTOR = yaml.SafeLoader(stream="")
# libyaml's parser when PyYAML ships it (it does in the PyPI wheels): same nodes and marks, 10x faster
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _too_long(text: str, path: str, line: int, field: str | None) -> NoReturn:
    raise InputError(f"the text is {len(text):,} characters long, over the limit of {MAX_STRING:,} (1 MiB)", path, line, field)


def _too_many_digits(text: str, path: str, line: int, field: str | None) -> NoReturn:
    shown = text if len(text) <= 30 else f"{text[:12]}...{text[-12:]}"
    raise InputError(f"the number {shown} has more than {MAX_DIGITS} digits written out in full", path, line, field)


def _plain_digits(value: Decimal) -> int:
    """How many digits ``value`` has written out without an exponent: 7.5e+6 -> 7, 1e-9 -> 10."""
    _sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite: checked before
    if exponent >= 0:
        return len(digits) + exponent
    return max(len(digits), -exponent + 1)


def _scalar(node: yaml.ScalarNode, path: str, field: str | None):
    tag = node.tag
    line = node.start_mark.line + 1
    if len(node.value) > MAX_STRING:
        _too_long(node.value, path, line, field)
    if tag == "tag:yaml.org,2002:float":
        text = node.value.replace("_", "")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise InputError(f"'{node.value}' is not a number", path, line, field) from None
        if not value.is_finite():
            raise InputError(f"'{node.value}' is not a finite number", path, line, field)
        if _plain_digits(value) > MAX_DIGITS:
            _too_many_digits(node.value, path, line, field)
        return value
    if tag == "tag:yaml.org,2002:int":
        # checked before Python converts it: int() refuses 4,300 digits with a ValueError
        if sum(char.isdigit() for char in node.value) > MAX_DIGITS:
            _too_many_digits(node.value, path, line, field)
        number = _CONSTRUCTOR.construct_object(node, deep=True)
        if abs(number) >= 10**MAX_DIGITS:  # 0x and 0o forms: few digits, a large value
            _too_many_digits(node.value, path, line, field)
        return number
    if tag in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"):
        return _CONSTRUCTOR.construct_object(node, deep=True)
    # timestamps and strings stay text: dates are parsed by the annotation loader
    return node.value


def _convert(node, path: str, depth: int = 0, seen: set | None = None, field: str | None = None):
    """LMap/LList/scalars of a composed node; ``field`` is the node's place (``facts[0].amount``)."""
    seen = set() if seen is None else seen
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        if id(node) in seen:  # an alias: refused, it can expand exponentially
            raise InputError("YAML anchors and aliases are not supported", path, node.start_mark.line + 1)
        seen.add(id(node))
    if depth > MAX_DEPTH:
        raise InputError(f"nesting deeper than {MAX_DEPTH} levels", path, node.start_mark.line + 1)
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        mapping = LMap()
        mapping.line = line
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise InputError("a mapping key must be a plain name", path, key_node.start_mark.line + 1)
            key = key_node.value
            if len(key) > 100:
                raise InputError(f"a key of {len(key):,} characters; keys are field names", path, key_node.start_mark.line + 1, field)
            if key in mapping:
                raise InputError(f"duplicate key '{key}'", path, key_node.start_mark.line + 1, key)
            mapping[key] = _convert(value_node, path, depth + 1, seen, f"{field}.{key}" if field else key)
            mapping.key_lines[key] = key_node.start_mark.line + 1
        return mapping
    if isinstance(node, yaml.SequenceNode):
        sequence = LList()
        sequence.line = line
        sequence.item_lines = [item.start_mark.line + 1 for item in node.value]
        sequence.extend(_convert(item, path, depth + 1, seen, f"{field or ''}[{index}]") for index, item in enumerate(node.value))
        return sequence
    return _scalar(node, path, field)


SHALLOW = 5_000
"""Nesting that composing is safe with: 5,000 levels take a few hundred KB of the C stack (8 MB)."""


def _may_nest_deep(text: str) -> bool:
    """Whether ``text`` could nest deeper than SHALLOW levels or hold an alias: every level opens with
    one of ``[ { - : ?`` (a flow collection, a sequence item, a key), every alias with ``*``. An
    annotation has a few hundred of them: composing it directly skips a pass over the events (a tenth
    of the time of reading a release)."""
    return "*" in text or sum(text.count(mark) for mark in "[{-:?") > SHALLOW


def load_yaml(path: Path):
    """Parse ``path`` into LMap/LList/scalars; raise InputError naming file and line."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(f"the file is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,} (16 MiB) for a YAML file", path)
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("file not found", path) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", path) from None
    try:
        # One pass over libyaml's events before anything is composed: its parser keeps its own stack
        # (no recursion), whereas composing recurses once per level, in C, and 30,000 levels (60 KB of
        # '[') overflow the process's stack (SIGSEGV). The pass stops at the first level too deep, so a
        # 100,000-level file costs no more than a 51-level one. A text that cannot nest that deep nor
        # hold an alias (_may_nest_deep) is composed without it, and _convert refuses its depth.
        depth = 0
        for event in yaml.parse(text, Loader=_LOADER) if _may_nest_deep(text) else ():
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH + 1:  # the top-level mapping is level 0, as _convert counts
                    mark = event.start_mark
                    raise InputError(f"nesting deeper than {MAX_DEPTH} levels", path, mark.line + 1 if mark else None)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            elif isinstance(event, yaml.AliasEvent):  # refused: aliases can expand exponentially
                mark = event.start_mark  # the parser marks every event
                raise InputError("YAML anchors and aliases are not supported", path, mark.line + 1 if mark else None)
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise InputError(f"YAML syntax error: {problem}", path, mark.line + 1 if mark else None) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow: it has a position, not a mark
        line = text.count("\n", 0, exc.position) + 1
        raise InputError(f"the character U+{exc.character if isinstance(exc.character, int) else ord(exc.character):04X} is not allowed in YAML", path, line) from None
    except yaml.YAMLError as exc:
        raise InputError(f"YAML error: {' '.join(str(exc).split())}", path) from None
    except RecursionError:
        raise InputError("YAML nested too deeply", path) from None
    if node is None:
        raise InputError("the file is empty", path)
    return _convert(node, str(path))


class _Dumper(yaml.SafeDumper):
    """Writes Decimal amounts with their exact digits (as YAML numbers), never through float, and
    no anchors or aliases (which the loader refuses)."""

    def ignore_aliases(self, data):
        return True


def _represent_decimal(dumper, value: Decimal):
    if value == value.to_integral_value():
        return dumper.represent_scalar("tag:yaml.org,2002:int", str(int(value)))
    return dumper.represent_scalar("tag:yaml.org,2002:float", format(value, "f"))


_Dumper.add_representer(Decimal, _represent_decimal)


def dump_yaml(data) -> str:
    """YAML text of plain data (as annotations are written by `kg extract` and `kg synth`)."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)
