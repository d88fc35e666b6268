"""Read and write kg's YAML files (annotations, the registry, places and sectors) with ruamel.yaml.

Reading, :func:`load_yaml`, gives :class:`LMap` and :class:`LList`: ruamel.yaml's commented
mapping and sequence, which keep the line and column of every key and item, so that an error
names its line (``line_of``). ruamel.yaml refuses duplicate keys. A number with a fraction becomes
a :class:`decimal.Decimal` from its written digits, never a ``float``; a date stays text (the
annotation loader reads it). The rules are YAML 1.2's: ``no``, ``on`` and ``1:30`` are text.

Writing, :func:`kg.stores.files.write_yaml` and :func:`dump_yaml`, is ruamel.yaml's round trip: a file read with
``load_yaml(path, comments=True)`` and written back keeps its comments, its key order, its quotes
and its layout, byte for byte where nothing was changed.

Two parsers read the same way: the build reads with libyaml's parser in C (ruamel.yaml.clib),
which marks lines but drops comments, seven times faster than the round-trip parser in Python, which
``comments=True`` uses (1,000 annotations of ``kg synth``: 1.5 s against 11 s). Hostile files are refused in one sentence with the file, line and field:
nesting deeper than MAX_DEPTH, aliases (billion laughs), a file over MAX_FILE_BYTES, a text over
MAX_STRING, a number over MAX_DIGITS, tags other than YAML's own.
"""

from __future__ import annotations

import io
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import MaxDepthExceededError
from ruamel.yaml.constructor import DuplicateKeyError, RoundTripConstructor, SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent
from ruamel.yaml.main import CParser
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.resolver import VersionedResolver, implicit_resolvers

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
MAX_KEY = 100
"""Longest mapping key, in characters: keys are field names."""
WIDTH = MAX_FILE_BYTES
"""Lines are never folded when written: a quote stays on its line, as a person wrote it."""

_FLOAT = "tag:yaml.org,2002:float"
_INT = "tag:yaml.org,2002:int"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class LMap(CommentedMap):
    """A mapping that knows the line of each key (ruamel.yaml's marks, counted here from 1)."""

    @property
    def line(self) -> int:
        """The line the mapping starts on (0 for one made in Python)."""
        return self.lc.line + 1 if self.lc.line is not None else 0

    def line_of(self, key) -> int:
        """The line of ``key``, else of the mapping."""
        try:
            return self.lc.key(key)[0] + 1
        except KeyError:
            return self.line


class LList(CommentedSeq):
    """A sequence that knows the line of each item."""

    @property
    def line(self) -> int:
        """The line the sequence starts on (0 for one made in Python)."""
        return self.lc.line + 1 if self.lc.line is not None else 0

    def line_of(self, index: int) -> int:
        """The line of item ``index``, else of the sequence."""
        try:
            return self.lc.item(index)[0] + 1
        except KeyError:
            return self.line


class WrittenDecimal(Decimal):
    """A Decimal read with ``comments=True``: it remembers how it was written (``7.50``, ``1.5e3``),
    so that writing it back gives the same text."""

    written: str


class WrittenDate(str):
    """A date read with ``comments=True``: text (as ``load_yaml`` gives it) that is written back
    unquoted, as a YAML date."""


class _Refusal(Exception):
    """A value over a limit, at its node: ``parse_yaml`` adds the file, line and field."""

    def __init__(self, message: str, node, named: bool = True):
        super().__init__(message)
        self.message = message
        self.node = node
        self.named = named


_RULES: dict = {}
for _versions, _tag, _pattern, _first in implicit_resolvers:
    if (1, 2) in _versions and _tag not in ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"):  # '<<', '=': text
        for _char in _first:
            _RULES.setdefault(_char, []).append((_tag, _pattern))


class _Resolver(VersionedResolver):
    """YAML 1.2's rules, looked up once rather than for every value, without merge keys: ``<<`` is
    text, and the loader refuses it as an unknown key."""

    @property
    def processing_version(self):
        return (1, 2)

    @property
    def versioned_resolver(self):
        return _RULES


def _plain_digits(value: Decimal) -> int:
    """How many digits ``value`` has written out without an exponent: 7.5e+6 -> 7, 1e-9 -> 10."""
    _sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite: checked before
    if exponent >= 0:
        return len(digits) + exponent
    return max(len(digits), -exponent + 1)


def _too_many_digits(text: str, node) -> _Refusal:
    shown = text if len(text) <= 30 else f"{text[:12]}...{text[-12:]}"
    return _Refusal(f"the number {shown} has more than {MAX_DIGITS} digits written out in full", node)


class _Constructor(RoundTripConstructor):
    """ruamel.yaml's round-trip constructor, making LMap and LList, with kg's limits and numbers."""

    keep_form = False  # True when reading to write back: WrittenDecimal and WrittenDate

    def __init__(self, preserve_quotes=None, loader=None):
        super().__init__(preserve_quotes=preserve_quotes, loader=loader)
        self.allow_duplicate_keys = False
        self.depth = 0

    def construct_object(self, node, deep=False):
        if node in self.constructed_objects:  # an alias: the parse refuses them first, this is a safeguard
            raise _Refusal("YAML anchors and aliases are not supported", node, named=False)
        if isinstance(node, ScalarNode):
            return super().construct_object(node, deep)
        # mappings and lists: the top-level mapping is level 0 (its entries are made after it returns), a
        # mapping in it level 1 ...
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _Refusal(f"nesting deeper than {MAX_DEPTH} levels", node, named=False)
            return super().construct_object(node, deep)
        finally:
            self.depth -= 1

    def construct_yaml_map(self, node):
        data = LMap()
        data._yaml_set_line_col(node.start_mark.line, node.start_mark.column)
        yield data
        self.construct_mapping(node, data, deep=True)
        self.set_collection_style(data, node)

    def construct_yaml_seq(self, node):
        data = LList()
        data._yaml_set_line_col(node.start_mark.line, node.start_mark.column)
        yield data
        data.extend(self.construct_rt_sequence(node, data))
        self.set_collection_style(data, node)

    def flatten_mapping(self, node):
        return []  # no merge keys: the resolver reads '<<' as text, and a '!!merge' tag is refused

    def check_mapping_key(self, node, key_node, mapping, key, value) -> bool:
        if not isinstance(key_node, ScalarNode):
            raise _Refusal("a mapping key must be a plain name", key_node, named=False)
        if not isinstance(key, str):  # 2024, true, ~: YAML reads them as a number, a boolean, nothing
            raise _Refusal(f"a mapping key must be a plain name, not {key_node.value or '~'!r} (quote it to make it text)",
                           key_node, named=False)
        if len(key) > MAX_KEY:
            raise _Refusal(f"a key of {len(key):,} characters; keys are field names", key_node)
        return super().check_mapping_key(node, key_node, mapping, key, value)

    def construct_scalar(self, node):
        if isinstance(node, ScalarNode) and len(node.value) > MAX_STRING:
            raise _Refusal(f"the text is {len(node.value):,} characters long, over the limit of {MAX_STRING:,} (1 MiB)", node)
        return super().construct_scalar(node)

    def construct_yaml_str(self, node):
        return self.construct_scalar(node)  # !!str: text, like an untagged string

    def construct_yaml_sbool(self, node):
        return SafeConstructor.construct_yaml_bool(self, node)  # a bool, even with an anchor

    def construct_yaml_int(self, node):
        text = str(self.construct_scalar(node))
        # checked before Python converts it: int() refuses 4,300 digits with a ValueError
        if sum(char.isdigit() for char in text) > MAX_DIGITS:
            raise _too_many_digits(text, node)
        number = super().construct_yaml_int(node)
        if abs(number) >= 10**MAX_DIGITS:  # 0x and 0o forms: few digits, a large value
            raise _too_many_digits(text, node)
        return number

    def construct_yaml_float(self, node):
        text = str(self.construct_scalar(node))
        try:
            value = Decimal(text.replace("_", ""))
        except InvalidOperation:
            raise _Refusal(f"'{text}' is not a number", node) from None
        if not value.is_finite():
            raise _Refusal(f"'{text}' is not a finite number", node)
        if _plain_digits(value) > MAX_DIGITS:
            raise _too_many_digits(text, node)
        if self.keep_form:
            written = WrittenDecimal(value)
            written.written = text
            return written
        return value

    def construct_yaml_timestamp(self, node, values=None):
        text = str(self.construct_scalar(node))  # the annotation loader reads dates
        return WrittenDate(text) if self.keep_form else text

    def construct_refused(self, node):
        tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
        raise _Refusal(f"the YAML tag {tag} is not supported: kg's files hold plain texts, numbers, dates, lists and mappings",
                       node)


for _tag in ("map", "seq", "str", "int", "float", "timestamp"):  # ruamel.yaml registers functions, not names
    _Constructor.add_default_constructor(_tag)
_Constructor.add_default_constructor("bool", method="construct_yaml_sbool")
for _tag in ("binary", "omap", "pairs", "set"):
    _Constructor.add_constructor(f"tag:yaml.org,2002:{_tag}", _Constructor.construct_refused)
_Constructor.add_constructor(None, _Constructor.construct_refused)  # any other tag (!!python/object, !foo)


class _EditConstructor(_Constructor):
    keep_form = True


_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_SCALARS = ("str", "int", "float", "bool", "null", "timestamp")


def _constructed(constructor: _Constructor, root):
    """What ``constructor.construct_document(root)`` makes of a file read without comments (the build's
    reading), with the same values, lines and refusals, in one walk over the nodes.

    ruamel.yaml's constructor makes each mapping and list through generators, records every node it
    made (for aliases, which kg refuses before this) and looks at every node's comments: on an
    annotation of ``kg synth`` that was about half the time of reading it. Here mappings and lists are
    made directly, in the order and with the checks of :class:`_Constructor`; scalars, and nodes of any
    other tag (refused), still go to its methods. Two things differ, both in the walk's favour: the
    contents of a list at the top of a file are made in the order of the text (ruamel.yaml left a
    mapping in it for later, so of two errors it named the later one), and nesting is counted the same
    under a top-level list as under a top-level mapping (one level was missed there)."""
    scalars: dict[str | None, Any] = {f"tag:yaml.org,2002:{name}": constructor.yaml_constructors[f"tag:yaml.org,2002:{name}"]
                                      for name in _SCALARS}
    made: set[int] = set()

    def walk(node, level: int):
        kind = type(node)
        if kind is ScalarNode:
            method = scalars.get(node.tag)
            if method is not None:
                return method(constructor, node)
            return other(node)
        if id(node) in made:  # an alias: the parse refuses them first, this is a safeguard
            raise _Refusal("YAML anchors and aliases are not supported", node, named=False)
        made.add(id(node))
        if level > MAX_DEPTH:  # the top-level mapping is level 0, a mapping in it level 1 ...
            raise _Refusal(f"nesting deeper than {MAX_DEPTH} levels", node, named=False)
        if kind is MappingNode and node.tag == _MAP:
            mapping = LMap()
            mapping._yaml_set_line_col(node.start_mark.line, node.start_mark.column)
            for key_node, value_node in node.value:
                key = walk(key_node, level + 1)
                value = walk(value_node, level + 1)
                constructor.check_mapping_key(node, key_node, mapping, key, value)
                mapping[key] = value
                key_mark, value_mark = key_node.start_mark, value_node.start_mark
                mapping._yaml_set_kv_line_col(key, [key_mark.line, key_mark.column, value_mark.line, value_mark.column])
            constructor.set_collection_style(mapping, node)
            return mapping
        if kind is SequenceNode and node.tag == _SEQ:
            sequence = LList()
            sequence._yaml_set_line_col(node.start_mark.line, node.start_mark.column)
            for index, child in enumerate(node.value):
                sequence.append(walk(child, level + 1))
                sequence._yaml_set_idx_line_col(index, [child.start_mark.line, child.start_mark.column])
            constructor.set_collection_style(sequence, node)
            return sequence
        return other(node)

    def other(node):
        """A node of another tag (!!omap, !!set, !foo: refused), or !!map or !!seq on a node of another kind:
        made whole now (ruamel.yaml leaves the rest of a mapping or list it makes to construct_document,
        which is where such a node is refused)."""
        constructor.deep_construct = True
        try:
            return constructor.construct_non_recursive_object(node)
        finally:
            constructor.deep_construct = False

    return walk(root, 0)


class _Representer(RoundTripRepresenter):
    """Writes LMap and LList as the commented mappings and sequences they are, Decimals with their
    digits (never through float), dates unquoted."""

    def ignore_aliases(self, data) -> bool:
        return True

    def represent_decimal(self, value: Decimal):
        if isinstance(value, WrittenDecimal) and Decimal(value.written.replace("_", "")) == value:
            # digits alone (an amount typed on kg review's page) are a YAML int: tagged so, written plain
            digits = value.written.lstrip("+-").replace("_", "").isdigit()
            return self.represent_scalar(_INT if digits else _FLOAT, value.written)
        if value == value.to_integral_value():
            return self.represent_scalar(_INT, str(int(value)))
        return self.represent_scalar(_FLOAT, format(value, "f"))

    def represent_date_text(self, value: str):
        return self.represent_scalar(_TIMESTAMP, str(value))


_Representer.add_representer(LMap, RoundTripRepresenter.represent_dict)
_Representer.add_representer(LList, RoundTripRepresenter.represent_list)
_Representer.add_representer(Decimal, _Representer.represent_decimal)
_Representer.add_representer(WrittenDecimal, _Representer.represent_decimal)
_Representer.add_representer(WrittenDate, _Representer.represent_date_text)


def _reader(comments: bool) -> YAML:
    """A new ruamel.yaml reader: libyaml's parser in C (ruamel.yaml.clib, when installed), or the
    round-trip parser in Python that keeps comments. New for each file: a reader keeps state."""
    if comments:
        reader = YAML(typ="rt")
        reader.Constructor = _EditConstructor
        reader.preserve_quotes = True
    else:
        reader = YAML(typ="safe", pure=False)
        reader.Constructor = _Constructor
    reader.Resolver = _Resolver
    # ruamel.yaml's composer in Python (not libyaml's) stops there: it counts every node, the top level as 1,
    # so the values of a collection at MAX_DEPTH are at MAX_DEPTH + 2. It recurses, so its limit comes
    # first; the constructor's is the exact one.
    reader.max_depth = MAX_DEPTH + 2
    return reader


_CLoader: type | None = None  # no C extension (another Python than CPython): ruamel.yaml's own reader, in Python
if CParser is not None:
    class _CParsing(CParser, _Constructor, _Resolver):
        """libyaml's parser and composer in C (ruamel.yaml.clib) with kg's constructor and YAML 1.2's rules: what
        ``YAML(typ="safe", pure=False)`` puts together for each file it reads (a new class each time, after a
        look on disk for plug-ins: a fifth of the time of reading an annotation), put together once. One is
        made for each file: it holds the file's parse."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            self._parser = self._composer = self
            self.comment_handling = None  # what the constructor asks of its loader: libyaml's parser keeps no comments
            _Constructor.__init__(self, loader=self)
            _Resolver.__init__(self, version=None, loadumper=self)

    _CLoader = _CParsing


SHALLOW = 5_000
"""Nesting that composing in C is safe with: 5,000 levels take a few hundred KB of the C stack (8 MB)."""


def _may_nest_deep(text: str) -> bool:
    """Whether ``text`` could nest deeper than SHALLOW levels or hold an alias: every level opens with
    one of ``[ { - : ?`` (a flow collection, a sequence item, a key), every alias with ``*``. An
    annotation has a few hundred of them: composing it directly skips a pass over the events (a tenth
    of the time of reading a release)."""
    return "*" in text or sum(text.count(mark) for mark in "[{-:?") > SHALLOW


def _check_events(text: str) -> None:
    """One pass over the parser's events before anything is composed: the parser keeps its own stack
    (no recursion), whereas composing recurses once per level, in C, and 30,000 levels (60 KB of '[')
    would overflow the process's stack (SIGSEGV). The pass stops at the first level too deep, so a
    100,000-level file costs no more than a 51-level one, and at the first alias."""
    depth = 0
    for event in _reader(False).parse(text):
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH + 1:  # the top-level mapping is level 0, as the constructor counts
                raise _Refusal(f"nesting deeper than {MAX_DEPTH} levels", event, named=False)
        elif isinstance(event, CollectionEndEvent):
            depth -= 1
        elif isinstance(event, AliasEvent):  # refused: aliases can expand exponentially
            raise _Refusal("YAML anchors and aliases are not supported", event, named=False)


def _field_at(root, target) -> str | None:
    """The place of ``target`` (a node) in the tree under ``root``, as errors name it: ``facts[0].amount``."""
    stack: list[tuple[object, str | None]] = [(root, None)]
    while stack:
        node, field = stack.pop()
        if node is target:
            return field
        if isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, ScalarNode) and len(key_node.value) <= MAX_KEY else None
                place = (f"{field}.{key}" if field else key) if key is not None else field
                if key_node is target:
                    return place
                stack.append((value_node, place))
        elif isinstance(node, SequenceNode):
            stack.extend((item, f"{field or ''}[{index}]") for index, item in enumerate(node.value))
    return None


def _read_text(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(f"the file is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,} (16 MiB) for a YAML file", path)
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("file not found", path) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", path) from None


def _line(mark) -> int | None:
    return mark.line + 1 if mark is not None else None


def parse_yaml(text: str, path, comments: bool = False):
    """``text`` (the content of ``path``) as LMap/LList/scalars; raise InputError naming file, line and field."""
    path = Path(path)
    node = None
    try:
        if _may_nest_deep(text):
            _check_events(text)
        if comments or _CLoader is None:
            reader = _reader(comments)
            node = reader.compose(text)
            constructor = reader.constructor
        else:
            loader = _CLoader(text)
            try:
                node = loader.get_single_node()
            finally:
                loader.dispose()
            constructor = loader
        if node is None:
            raise InputError("the file is empty", path)
        if comments:
            return constructor.construct_document(node)
        return _constructed(constructor, node)
    except _Refusal as refusal:
        field = _field_at(node, refusal.node) if refusal.named and node is not None else None
        raise InputError(refusal.message, path, _line(refusal.node.start_mark), field) from None
    except DuplicateKeyError as exc:
        key_node = _node_at(node, exc.problem_mark)
        key = key_node.value if key_node is not None else "?"
        raise InputError(f"duplicate key '{key}'", path, _line(exc.problem_mark), _field_at(node, key_node)) from None
    except MaxDepthExceededError as exc:
        raise InputError(f"nesting deeper than {MAX_DEPTH} levels", path, _line(exc.problem_mark)) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise InputError(f"YAML syntax error: {problem}", path, _line(mark)) from None
    except ReaderError as exc:  # a character YAML does not allow: it has a position, not a mark
        line = text.count("\n", 0, exc.position) + 1
        character = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise InputError(f"the character U+{character:04X} is not allowed in YAML", path, line) from None
    except YAMLError as exc:
        raise InputError(f"YAML error: {' '.join(str(exc).split())}", path) from None
    except RecursionError:
        raise InputError("YAML nested too deeply", path) from None


def _node_at(root, mark):
    """The key node that starts at ``mark`` (where ruamel.yaml found a duplicate key)."""
    stack = [root]
    while stack and mark is not None:
        node = stack.pop()
        if isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                if key_node.start_mark.line == mark.line and key_node.start_mark.column == mark.column:
                    return key_node
                stack.append(value_node)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return None


def load_yaml(path, comments: bool = False):
    """Parse the YAML file ``path`` into LMap/LList/scalars; raise InputError naming file, line and field.

    With ``comments``, the file is read to be changed and written back with :func:`kg.stores.files.write_yaml`: its
    comments, quotes and layout are kept (the parser in Python, seven times slower)."""
    path = Path(path)
    return parse_yaml(_read_text(path), path, comments)


def _writer() -> YAML:
    writer = YAML(typ="rt")
    writer.Representer = _Representer
    writer.indent(mapping=2, sequence=4, offset=2)  # kg's layout: "facts:" then "  - id: ..."
    writer.width = WIDTH
    writer.allow_unicode = True
    return writer


def dump_yaml(data) -> str:
    """YAML text of ``data``: plain dicts and lists (as `kg extract` and `kg synth` make them) or what
    ``load_yaml(path, comments=True)`` read, with its comments. Decimals keep their digits; no
    anchors or aliases (which the reader refuses)."""
    writer = _writer()
    out = io.StringIO()
    writer.dump(data, out)
    return out.getvalue()
