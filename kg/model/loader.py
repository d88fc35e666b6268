"""Load and check the data folder: the actor registry and each release's annotation.

The data layout (README.md, "Data format")::

    data/registry.yaml                      organisations, people, roles
    data/releases/<release-id>/release.txt  the text exactly as published
    data/releases/<release-id>/annotation.yaml

Places and sectors come from the gazetteer (:mod:`kg.model.gazetteer`): the package's,
with the data folder's own ``places.yaml`` and ``sectors.yaml``; annotations refer to
them by id.

The fields, their types and enums are declared in :mod:`kg.model.schema`; this
module checks the files against it, then the rules that span fields and facts.
Everything wrong in a file raises :class:`kg.errors.InputError` naming the
file, the line and the field. What comes out is plain, checked Python data
(:class:`Corpus`): periods parsed, amounts as Decimal, evidence located.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import NoReturn

from kg.errors import InputError
from kg.model import evidence as ev
from kg.model.gazetteer import Gazetteer
from kg.model.numbers import (
    NumberError,
    Written,
    as_decimal,
    currencies_named,
    find_fractions,
    find_multiples,
    find_word_points,
    scales_named,
    stated_precision,
    states,
    written_figures,
)
from kg.model.periods import Period, PeriodError, parse_period
from kg.model.schema import (
    CELL,
    CELL_KEYS,
    ENUMS,
    FACT,
    KINDS,
    LISTS,
    REFERENCES,
    REGISTRY,
    RELEASE,
    RETIRED_KINDS,
    Field,
    direction_sign,
    fact_fields,
)
from kg.model.yamlfile import LList, LMap, load_yaml

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,99}$")
MAX_TEXT_BYTES = 1024 * 1024


def read_release_text(path: Path, advice: str = "") -> str:
    """A release text: at most MAX_TEXT_BYTES, UTF-8; else InputError naming the file (``advice`` ends the sentence)."""
    size = path.stat().st_size
    if size > MAX_TEXT_BYTES:
        raise InputError(f"the release text is {size:,} bytes, over the limit of {MAX_TEXT_BYTES:,} (1 MiB)", path)
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"the release text is not UTF-8 (byte {exc.start}){advice}", path) from None
"""Largest release text (1 MiB): a long press release is 20 KB. The text becomes one literal
in the graph, and Oxigraph's parser refuses a line over 16 MiB."""
ID = FACT.field("id")
PERIOD_BASIS = CELL[next(i for i, f in enumerate(CELL) if f.name == "period_basis")]

WEEKDAYS_IT = ["lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"]


@dataclass(frozen=True)
class Span:
    """A verbatim quote located in a release text: text[start:end] == quote."""

    quote: str
    start: int
    end: int


@dataclass(frozen=True, order=True)
class Cell:
    """What a figure is observed on: flow, origin, destination, period, sector (None: all goods) and the
    sorted place or sector ids it leaves out. Two figures with equal cells observe the same thing."""

    flow: str
    origin: str
    destination: str
    period: Period
    sector: str | None = None
    excludes: tuple[str, ...] = ()


@dataclass
class Fact:
    id: str
    kind: str
    line: int
    values: dict
    evidence: list[Span]
    cell: Cell | None = None  # a figure's cell (kg.model.schema.CELL); values["of"] is a Cell too


@dataclass
class Release:
    id: str
    folder: Path
    text_path: Path
    annotation_path: Path
    text: str
    published: date
    language: str
    publisher: str
    author: str | None
    dateline: str | None
    headline: str
    dateline_span: Span
    author_span: Span | None
    source: str | None
    facts: list[Fact]
    sentences: list[tuple[int, int]]

    def fact(self, fact_id: str) -> Fact:
        return next(f for f in self.facts if f.id == fact_id)


@dataclass(frozen=True)
class Vocabulary:
    """The ids of the places and sectors annotations may name, and the gazetteer they come from (which
    suggests the id an unknown one was meant for, and gives the builder their labels)."""

    places: frozenset[str]
    sectors: frozenset[str]
    gazetteer: Gazetteer | None = None

    @classmethod
    def of(cls, gazetteer: Gazetteer) -> Vocabulary:
        return cls(frozenset(p.id for p in gazetteer.places()), frozenset(s.id for s in gazetteer.sectors()), gazetteer)


@dataclass
class Registry:
    path: Path
    organizations: dict[str, dict]
    people: dict[str, dict]
    roles: dict[str, dict]
    places: set[str]
    sectors: set[str]
    gazetteer: Gazetteer | None = None


@dataclass
class Corpus:
    data_dir: Path
    registry: Registry
    releases: list[Release] = field(default_factory=list)


# --------------------------------------------------------------------------- helpers


def _closest(word: str, options) -> str:
    match = difflib.get_close_matches(word, list(options), n=1)
    return f" (did you mean '{match[0]}'?)" if match else ""


class _Checker:
    """Checks one YAML mapping against a schema, raising InputError with file/line/field."""

    def __init__(self, path: Path, registry: Registry):
        self.path = path
        self.registry = registry

    def fail(self, message: str, line: int | None, fieldname: str | None) -> NoReturn:
        raise InputError(message, self.path, line, fieldname)

    def mapping(self, value, line, fieldname) -> LMap:
        if not isinstance(value, LMap):
            self.fail(f"expected a mapping of fields, got {_type_name(value)}", line, fieldname)
        return value

    def check(self, data: LMap, fields: tuple[Field, ...], prefix: str) -> dict:
        known = [f.name for f in fields]
        for key in data:
            if key not in known:
                self.fail(f"unknown key '{key}'{_closest(key, known)}", data.line_of(key), f"{prefix}{key}")
        values = {}
        for f in fields:
            name = f"{prefix}{f.name}"
            if f.name not in data or data[f.name] is None:
                if f.required:
                    self.fail(f"missing required field '{f.name}'", data.line, name)
                continue
            values[f.name] = self.value(data[f.name], f, data.line_of(f.name), name)
        return values

    def value(self, value, f: Field, line: int, name: str):
        kind = f.type
        if kind == "id":
            if not isinstance(value, str) or not ID_PATTERN.match(value):
                self.fail(
                    f"'{value}' is not a valid id (lower-case letters, digits, '-' and '_', starting with a letter or digit)",
                    line,
                    name,
                )
            return value
        if kind in ("text", "words"):
            if not isinstance(value, str) or not value.strip():
                self.fail(f"expected text, got {_type_name(value)}", line, name)
            _check_characters(self, value, line, name)
            return value
        if kind == "wordlist":
            items = value if isinstance(value, LList) else self.fail("expected a list of texts", line, name)
            word = Field(f.name, "words")
            return [self.value(item, word, items.line_of(i), f"{name}[{i}]") for i, item in enumerate(items)]
        if kind == "evidence":
            quotes = [value] if isinstance(value, str) else value
            if not isinstance(quotes, list) or not quotes:
                self.fail("expected a quote from the text, or a list of quotes", line, name)
            lines = [quotes.line_of(i) for i in range(len(quotes))] if isinstance(quotes, LList) else [line]
            for i, quote in enumerate(quotes):
                if not isinstance(quote, str) or not quote.strip():
                    self.fail("every evidence quote must be non-empty text", lines[i], name)
                _check_characters(self, quote, lines[i], name)
            return list(zip(quotes, lines, strict=True))
        if kind == "enum":
            assert f.enum is not None, f.name  # kg.model.schema: every enum field names its enum
            options = ENUMS[f.enum].names
            if value not in options:
                self.fail(f"'{value}' is not one of {', '.join(options)}{_closest(str(value), options)}", line, name)
            return value
        if kind == "period":
            try:
                return parse_period(value)
            except PeriodError:
                self.fail(
                    f"'{value}' is not a period (write 2024, 2025-Q3, 2025-H1, 2025-03, 2025-01/2025-09 or 2025-Q1/2025-Q3)",
                    line,
                    name,
                )
        if kind == "date":
            try:
                return date.fromisoformat(str(value))
            except ValueError:
                self.fail(f"'{value}' is not a date (write YYYY-MM-DD)", line, name)
        if kind in ("amount", "signed", "percent", "precision", "position"):
            try:
                number = as_decimal(
                    value,
                    allow_negative=kind == "signed",
                    max_value=Decimal(100) if kind == "percent" else None,
                )
            except NumberError as exc:
                self.fail(str(exc), line, name)
            if kind == "precision" and number <= 0:
                self.fail(f"a precision is one unit of the last digit written, above 0, not {value}", line, name)
            if kind == "position" and (number < 1 or number != number.to_integral_value()):
                self.fail(f"a position is a whole number from 1, not {value}", line, name)
            return number
        if kind == "exclusions":
            if not isinstance(value, LList):
                self.fail("expected a list of place or sector ids", line, name)
            refs = [self.part(item, value.line_of(i), f"{name}[{i}]") for i, item in enumerate(value)]
            if len(set(refs)) != len(refs):
                self.fail("the list names the same id twice", line, name)
            return refs
        if kind == "cell":
            return self.cell(value, line, name)
        if kind in REFERENCES:
            return self.reference(value, kind, line, name)
        if kind in LISTS:
            if not isinstance(value, LList) or not value:
                self.fail(f"expected a non-empty list of {kind}", line, name)
            refs = [self.reference(item, LISTS[kind], value.line_of(i), f"{name}[{i}]") for i, item in enumerate(value)]
            if len(set(refs)) != len(refs):
                self.fail("the list names the same id twice", line, name)
            return refs
        if kind in ("fact", "facts"):
            # resolved once every fact of the release is known
            if kind == "facts":
                if not isinstance(value, LList):
                    self.fail("expected a list of fact ids", line, name)
                return [self.value(item, ID, value.line_of(i), f"{name}[{i}]") for i, item in enumerate(value)]
            return self.value(value, ID, line, name)
        raise AssertionError(kind)

    def part(self, value, line: int, name: str) -> str:
        """A place or sector id (what a cell may leave out)."""
        registry = self.registry
        if isinstance(value, str) and value in registry.places and value in registry.sectors:
            self.fail(f"'{value}' is both a place and a sector id", line, name)
        if isinstance(value, str) and value in registry.sectors:
            return value
        if isinstance(value, str) and value not in registry.places:
            self.fail(f"unknown place or sector '{value}'{_closest(value, registry.places | registry.sectors)}", line, name)
        return self.reference(value, "place", line, name)

    def cell(self, value, line: int, name: str) -> dict:
        """An ``of`` mapping: cell fields with valid values (``sector: null`` all goods, ``excludes: []`` none)."""
        data = self.mapping(value, line, name)
        if not data:
            self.fail(f"expected at least one of {', '.join(CELL_KEYS)}: the fields in which the whole differs", line, name)
        fields = {f.name: f for f in CELL if f.on == "cell"}
        found: dict = {}
        for key in data:
            where, field_name = data.line_of(key), f"{name}.{key}"
            if key not in fields:
                self.fail(f"'{key}' is not a cell field (one of {', '.join(CELL_KEYS)}){_closest(str(key), CELL_KEYS)}", where, field_name)
            item = data[key]
            if item is None and key == "sector":
                found[key] = None  # all goods
            elif key == "excludes" and isinstance(item, LList) and not item:
                found[key] = []  # no exclusion
            elif item is None:
                self.fail(f"'{key}' of a whole cannot be empty", where, field_name)
            else:
                found[key] = self.value(item, fields[key], where, field_name)
        return found

    def reference(self, value, kind: str, line: int, name: str) -> str:
        registry = self.registry
        if not isinstance(value, str):
            self.fail(f"expected an id, got {_type_name(value)}", line, name)
        pools = {
            "place": registry.places,
            "org": registry.organizations,
            "person": registry.people,
            "role": registry.roles,
            "sector": registry.sectors,
            "agent": set(registry.organizations) | set(registry.people),
        }[kind]
        if value not in pools:
            if kind in ("place", "sector"):
                self.fail(_unknown_vocabulary(kind, value, pools, registry.gazetteer), line, name)
            label = {"org": "organisation", "agent": "organisation or person"}.get(kind, kind)
            self.fail(f"unknown {label} '{value}'{_closest(value, pools)}; known ones are in {registry.path}", line, name)
        return value


def _unknown_vocabulary(kind: str, value: str, ids, gazetteer: Gazetteer | None) -> str:
    """The sentence for a place or sector id that is not one: the ids it perhaps meant (the places it names,
    or those spelled closest), and where ids come from."""
    where = {"place": "places.yaml", "sector": "sectors.yaml"}[kind]
    if gazetteer is None:
        return f"unknown {kind} '{value}'{_closest(value, ids)}; known ones are kg's gazetteer and the data folder's {where}"
    if kind == "place":
        guesses = [f"'{p.id}' ({p.label_en})" for p in gazetteer.suggest(value)]
    else:
        guesses = [f"'{s.id}' ({s.label_en})" for s in gazetteer.suggest_sector(value)]
    hint = f" (did you mean {' or '.join(guesses)}?)" if guesses else ""
    return (f"unknown {kind} '{value}'{hint}; a {kind} is an id of kg's gazetteer (README.md, \"Gazetteer\") "
            f"or of the data folder's {where}")


def _type_name(value) -> str:
    if isinstance(value, LMap):
        return "a mapping"
    if isinstance(value, LList):
        return "a list"
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {value!r}"


def inside(path: Path, root: Path) -> Path:
    """``path``, checked to be a file inside the data folder ``root`` once every symbolic link is
    resolved: a release.txt, annotation.yaml or registry.yaml that is a link to a file elsewhere
    (``/etc/passwd``, a colleague's home) is refused, so nothing outside the data folder can land
    in graph.ttl. A missing file is left to the reader to report."""
    resolved = os.path.realpath(path)  # what Path.resolve does, compared as text (a release reads three files)
    top = os.path.realpath(root)
    if resolved != top and not resolved.startswith(top.rstrip(os.sep) + os.sep):
        raise InputError(f"the file leads outside the data folder {root} (to {resolved}); kg reads only files inside it", path)
    return path


def _check_characters(checker: _Checker, text: str, line: int, name: str) -> None:
    for char in text:
        if 0xD800 <= ord(char) <= 0xDFFF:
            checker.fail("the text contains a lone surrogate character", line, name)


# --------------------------------------------------------------------------- registry


def load_registry(data_dir: Path, vocabulary: Vocabulary, document=None) -> Registry:
    """Read ``data_dir/registry.yaml`` (``document``: its content already parsed); ``vocabulary`` gives the places
    and sectors it may name."""
    path = inside(Path(data_dir) / "registry.yaml", data_dir)
    data = load_yaml(path) if document is None else document
    registry = Registry(path, {}, {}, {}, set(vocabulary.places), set(vocabulary.sectors), vocabulary.gazetteer)
    checker = _Checker(path, registry)
    top = checker.mapping(data, 1, None)
    for key in top:
        if key not in REGISTRY:
            checker.fail(f"unknown section '{key}'{_closest(key, REGISTRY)}", top.line_of(key), key)
    # ids first, so entries may refer to each other in any order
    seen: dict[str, str] = {}
    sections = {}
    for section in REGISTRY:
        entries = top.get(section) or LList()
        if not isinstance(entries, LList):
            checker.fail("expected a list of entries", top.line_of(section), section)
        sections[section] = entries
        for i, entry in enumerate(entries):
            entry = checker.mapping(entry, entries.line_of(i), f"{section}[{i}]")
            entry_id = checker.value(entry.get("id"), ID, entry.line_of("id"), f"{section}[{i}].id")
            if entry_id in seen:
                checker.fail(f"duplicate id '{entry_id}' (already used in {seen[entry_id]})", entry.line_of("id"), f"{section}[{i}].id")
            seen[entry_id] = section
            getattr(registry, section)[entry_id] = None
    for section, entries in sections.items():
        for i, entry in enumerate(entries):
            values = checker.check(entry, REGISTRY[section].fields, f"{section}[{i}].")
            getattr(registry, section)[values["id"]] = values
    return registry


# --------------------------------------------------------------------------- releases


def locate(text: str, quote: str, path: Path, line: int, name: str) -> Span:
    """Find ``quote`` in ``text`` exactly once, or explain why not."""
    starts = ev.find_all(text, quote)
    if not starts:
        hint = ev.near_miss(text, quote)
        short = quote if len(quote) <= 60 else quote[:57] + "..."
        raise InputError(f"evidence «{short}» is not in the release text" + (f": {hint}" if hint else ""), path, line, name)
    if len(starts) > 1:
        raise InputError(
            f"evidence «{quote}» occurs {len(starts)} times in the text; quote a longer passage so it is unique",
            path,
            line,
            name,
        )
    return Span(quote, starts[0], starts[0] + len(quote))


def load_release(folder: Path, registry: Registry, data_dir: Path | None = None, document=None) -> Release:
    """Read and check one release folder, ``data_dir/releases/<id>`` (``data_dir``: the folder's
    grandparent unless given); its files must be inside ``data_dir``, links resolved. ``document``: the
    annotation already parsed (``kg.model.yamlfile.parse_yaml`` of an edited text, as ``kg review``
    checks it before it is saved), instead of the folder's ``annotation.yaml``."""
    folder = Path(folder)
    root = Path(data_dir) if data_dir is not None else folder.parent.parent
    path = inside(folder / "annotation.yaml", root)
    data = load_yaml(path) if document is None else document
    checker = _Checker(path, registry)
    top = checker.mapping(data, 1, None)
    for key in top:
        if key not in ("release", "facts"):
            checker.fail(f"unknown key '{key}'{_closest(key, ('release', 'facts'))}", top.line_of(key), key)
    if "release" not in top:
        checker.fail("missing the 'release' section", 1, "release")
    head = checker.mapping(top["release"], top.line_of("release"), "release")
    meta = checker.check(head, RELEASE.fields, "release.")
    if meta["id"] != folder.name:
        checker.fail(f"the id '{meta['id']}' differs from the folder name '{folder.name}'", head.line_of("id"), "release.id")
    text_path = folder / meta["text"]
    if text_path.parent != folder or not text_path.is_file():
        checker.fail(f"'{meta['text']}' is not a file in {folder}", head.line_of("text"), "release.text")
    inside(text_path, root)
    text = read_release_text(text_path)
    if not text.strip():
        raise InputError("the release text is empty", text_path)
    dateline = locate(text, meta["evidence"], path, head.line_of("evidence"), "release.evidence")
    author_span = None
    if "author_evidence" in meta:
        author_span = locate(text, meta["author_evidence"], path, head.line_of("author_evidence"), "release.author_evidence")

    facts_node = top.get("facts")
    if not isinstance(facts_node, LList) or not facts_node:
        checker.fail("expected a non-empty list of facts", top.line_of("facts"), "facts")
    facts: list[Fact] = []
    ids: dict[str, int] = {}
    raw_refs = []
    sources: list[str] = []  # the ids of the data-source facts
    figures = False
    for i, item in enumerate(facts_node):
        item = checker.mapping(item, facts_node.line_of(i), f"facts[{i}]")
        fid = checker.value(item.get("id"), ID, item.line_of("id"), f"facts[{i}].id")
        prefix = f"facts[{i}] ({fid})."
        if fid in ids:
            checker.fail(f"duplicate fact id '{fid}' (first used on line {ids[fid]})", item.line_of("id"), f"{prefix}id")
        ids[fid] = item.line_of("id")
        kind = item.get("kind")
        if isinstance(kind, str) and kind in RETIRED_KINDS:
            checker.fail(f"the kind '{kind}' is retired: write it as a '{RETIRED_KINDS[kind]}', a figure on a cell "
                         "(README.md, \"Data format\")", item.line_of("kind"), f"{prefix}kind")
        if not isinstance(kind, str) or kind not in KINDS:
            checker.fail(f"unknown kind '{kind}'; one of {', '.join(KINDS)}{_closest(str(kind), KINDS)}", item.line_of("kind"), f"{prefix}kind")
        values = checker.check(item, fact_fields(kind), prefix)
        spans = [locate(text, quote, path, qline, f"{prefix}evidence") for quote, qline in values.pop("evidence")]
        fact = Fact(fid, kind, item.line, values, spans)
        _check_words(fact, item, text, checker, prefix)
        if KINDS[kind].figure:
            figures = True
            _check_figure(fact, item, checker, prefix)
        elif kind == "data-source":
            sources.append(fid)
        facts.append(fact)
        raw_refs.append((fact, item, prefix))

    if figures and len(sources) == 1:  # the release's only data source is every figure's that names none
        for fact in facts:
            if KINDS[fact.kind].figure:
                fact.values.setdefault("source", sources[0])
    by_id = {fact.id: fact for fact in facts}
    for fact, item, prefix in raw_refs:
        _resolve_fact_refs(fact, item, by_id, checker, prefix)
        _check_semantics(fact, item, meta, checker, prefix)

    first_line = text.split("\n", 1)[0].strip()
    return Release(
        id=meta["id"],
        folder=folder,
        text_path=text_path,
        annotation_path=path,
        text=text,
        published=meta["published"],
        language=meta["language"],
        publisher=meta["publisher"],
        author=meta.get("author"),
        dateline=meta.get("dateline"),
        headline=first_line,
        dateline_span=dateline,
        author_span=author_span,
        source=meta.get("source"),
        facts=facts,
        sentences=ev.sentences(text),
    )


def _check_words(fact: Fact, item: LMap, text: str, checker: _Checker, prefix: str):
    """Hedge words, 'stated as' names and the like must be inside the fact's evidence."""
    quotes = [span.quote for span in fact.evidence]
    for key in (f.name for f in KINDS[fact.kind].fields if f.type == "words"):
        if key in fact.values and not any(fact.values[key] in quote for quote in quotes):
            checker.fail(f"«{fact.values[key]}» is not in the fact's evidence", item.line_of(key), f"{prefix}{key}")
    for words in fact.values.get("about", []):
        if not any(words in quote for quote in quotes):
            checker.fail(f"«{words}» is not in the fact's evidence", item.line_of("about"), f"{prefix}about")
    if "attribution" in fact.values:
        attribution = fact.values["attribution"]
        if attribution not in text:
            checker.fail(f"«{attribution}» is not in the release text", item.line_of("attribution"), f"{prefix}attribution")


# how a figure may be written for each measure: a bare figure ("18,2", "767 mila") fits any
FITS = {"money": {"money", ""}, "percent": {"percent", ""}, "points": {"points", ""}, "factor": {""}}
NOUNS = {"money": "amount", "percent": "percentage", "points": "change in points", "factor": "factor"}
WRITTEN_AS = {"money": "an amount of money", "percent": "a percentage", "points": "percentage points"}
DEFAULT_CURRENCY = "EUR"


def _check_currency(fact: Fact, item: LMap, checker: _Checker, prefix: str, name: str, unit_name: str,
                    named: set[str], fitting: list[Written]):
    """The currency named at the figures ``fitting`` (or, failing those, the only one the evidence names) must be
    the fact's unit; a unit other than EUR must be stated."""
    unit = fact.values[unit_name]
    only = next(iter(named)) if len(named) == 1 else None
    currencies = [w.currency or only for w in fitting]
    if unit in currencies or (unit == DEFAULT_CURRENCY and None in currencies):
        return
    stated = next((c for c in currencies if c), None)
    figure = fitting[currencies.index(stated)] if stated else fitting[0]
    if stated:
        message = f"the unit {unit} contradicts the evidence, which gives «{figure.text}» ({name}) in {stated}"
    else:
        message = (f"the unit {unit} is not stated by the evidence, which names no currency for «{figure.text}» "
                   f"({name}); only {DEFAULT_CURRENCY} may go unstated")
    checker.fail(message, item.line_of(unit_name), f"{prefix}{unit_name}")


# --------------------------------------------------------------------------- figures: one measure on one cell

# what the number of a figure measures, by its unit (None: by its kind alone)
UNIT_MEASURES = {"EUR": "money", "USD": "money", "percent": "percent", "points": "points", "factor": "factor"}
# how each measure may be written in words, with the precision the words state
WORD_READINGS = {"factor": find_multiples, "percent": find_fractions, "points": find_word_points}


def _figure_measure(fact: Fact) -> str | None:
    """What a figure's number measures: "money", "percent", "points", "factor"; None for a rank (a position)."""
    if fact.kind == "share":
        return "percent"
    if fact.kind == "rank":
        return None
    unit = fact.values.get("unit")
    return UNIT_MEASURES[unit] if unit is not None else None


def _check_figure(fact: Fact, item: LMap, checker: _Checker, prefix: str):
    """A figure on its own: its cell and whole, hedge words, sign, the change's value and direction, the
    reference period, the number against its evidence (stated, in the unit the evidence writes) and its precision."""
    values = fact.values
    kind = fact.kind
    fact.cell = cell = Cell(values["flow"], values["origin"], values["destination"], values["period"],
                            values.get("sector"), tuple(sorted(values.get("excludes", ()))))
    if cell.origin == cell.destination:
        checker.fail("origin and destination are the same place", item.line_of("destination"), f"{prefix}destination")
    if values["hedge"] != "exact" and "hedge_words" not in values:
        checker.fail(f"a hedge other than exact needs 'hedge_words', the words of the evidence that say '{values['hedge']}'",
                     item.line_of("hedge"), f"{prefix}hedge")
    for key, what in (("of", "whole"), ("contribution_to", "cell contributed to")):
        if key not in values:
            continue
        given = values[key]
        whole = Cell(**{k: getattr(cell, k) for k in CELL_KEYS} | {
            k: (tuple(sorted(value)) if k == "excludes" else value) for k, value in given.items()})
        if whole == cell:
            checker.fail(f"the {what} is this figure's own cell: name the fields in which it differs", item.line_of(key), f"{prefix}{key}")
        if whole.origin == whole.destination:
            checker.fail(f"the {what}'s origin and destination are the same place", item.line_of(key), f"{prefix}{key}")
        values[key] = whole
    name = KINDS[kind].value
    assert name is not None, kind  # only figures come here
    if kind in ("level", "projection") and values["amount"] < 0 and values["flow"] != "balance":
        checker.fail(f"a negative amount ({values['amount']}) is only for a balance (flow: balance); "
                     "write the amount of a flow as a positive number", item.line_of("amount"), f"{prefix}amount")
    if kind == "change":
        _check_change(fact, item, checker, prefix)
    if name not in values:  # a change stated by its direction alone
        if "precision" in values:
            checker.fail("a change without a value has no precision", item.line_of("precision"), f"{prefix}precision")
        return
    _check_figure_number(fact, item, checker, prefix, name)


def _check_contribution(fact: Fact, item: LMap, checker: _Checker, prefix: str):
    """A contribution to the change of another cell: in percentage points, and to a cell that covers this one (the
    same flow and period, the same or a containing origin and destination, the same or a broader sector or all goods,
    no exclusion this cell does not make)."""
    values = fact.values
    line, name = item.line_of("contribution_to"), f"{prefix}contribution_to"
    if values.get("unit") != "points":
        checker.fail("a contribution to another cell's change is in percentage points: give its 'value' with "
                     f"'unit: points', not {values.get('unit') or 'no unit'}", line, name)
    whole: Cell = values["contribution_to"]
    cell = fact.cell
    assert cell is not None, fact.id  # _check_figure gives every figure its cell first
    gazetteer = checker.registry.gazetteer

    def place_covers(outer: str, inner: str) -> bool:
        if outer in (inner, "world"):
            return True
        return gazetteer is not None and outer in {p.id for p in gazetteer.ancestors(inner)}

    def sector_covers(outer: str | None, inner: str | None) -> bool:
        if outer is None or outer == inner:
            return True
        return inner is not None and gazetteer is not None and outer in {s.id for s in gazetteer.broader_sectors(inner)}

    for key, covered, what in (
            ("flow", whole.flow == cell.flow, "the same flow"),
            ("period", whole.period == cell.period, "the same period (the two changes are against the same reference)"),
            ("origin", place_covers(whole.origin, cell.origin), "the same or a containing origin"),
            ("destination", place_covers(whole.destination, cell.destination), "the same or a containing destination"),
            ("sector", sector_covers(whole.sector, cell.sector), "the same or a broader sector, or all goods"),
            ("excludes", set(whole.excludes) <= set(cell.excludes), "no exclusion this cell does not make")):
        if not covered:
            checker.fail(f"the cell a change contributes to must cover this one: {what}; its {key} "
                         f"is {_cell_value(getattr(whole, key))}", line, name)


def _cell_value(value) -> str:
    if value is None:
        return "all goods"
    if isinstance(value, tuple):
        return ", ".join(value) or "none"
    return getattr(value, "notation", str(value))


def _check_change(fact: Fact, item: LMap, checker: _Checker, prefix: str):
    values = fact.values
    value, unit, direction = values.get("value"), values.get("unit"), values.get("direction")
    if value is None and direction is None:
        checker.fail("a change needs a 'value' (with its 'unit') or a 'direction', or both", item.line, f"{prefix}value")
    if value is not None and unit is None:
        checker.fail("missing 'unit' for the change's value (percent, points, factor, EUR or USD)", item.line_of("value"), f"{prefix}unit")
    if value is None and unit is not None:
        checker.fail("a 'unit' without a 'value': a change stated by its direction alone has no unit", item.line_of("unit"), f"{prefix}unit")
    if value is not None:
        if unit == "factor" and value <= 0:
            checker.fail(f"a factor is above 0 (2 for doubled, 0.5 for halved), not {value}", item.line_of("value"), f"{prefix}value")
        difference = value - 1 if unit == "factor" else value
        sign = (difference > 0) - (difference < 0)
        if direction is None:
            values["direction"] = next(d for d in ENUMS["direction"].names if direction_sign(d) == sign)
        else:
            wanted = direction_sign(direction)
            if sign != wanted and not (wanted == 0 and unit in ("percent", "points") and abs(value) < 1):
                needs = {1: "a factor above 1" if unit == "factor" else "a positive value",
                         -1: "a factor below 1" if unit == "factor" else "a negative value",
                         0: "a factor of 1" if unit == "factor" else "a value near 0"}[wanted]
                checker.fail(f"the direction {direction} needs {needs}, not {value}", item.line_of("value"), f"{prefix}value")
    if unit == "points" and "of" not in values and "contribution_to" not in values:
        checker.fail("a change in points needs 'of', the whole of the share it is a change of, or 'contribution_to', "
                     "the cell whose change it contributes to", item.line_of("unit"), f"{prefix}of")
    if "of" in values and "contribution_to" in values:
        checker.fail("a change in points is of a share ('of') or a contribution to another cell's change "
                     "('contribution_to'), not both", item.line_of("contribution_to"), f"{prefix}contribution_to")
    if "of" in values and unit != "points":
        checker.fail("'of' is for a change in points (of a share); this change is not in points", item.line_of("of"), f"{prefix}of")
    if "contribution_to" in values:
        _check_contribution(fact, item, checker, prefix)
    period: Period = values["period"]
    reference = values.get("reference")
    if reference in ("same-period-previous-year", "previous-period"):
        worked_out = period.same_period_previous_year() if reference == "same-period-previous-year" else period.previous_period()
        if "reference_period" in values and values["reference_period"] != worked_out:
            what = "the same period of the previous year" if reference == "same-period-previous-year" else "the previous period"
            checker.fail(f"{what} is {worked_out.notation}, not {values['reference_period'].notation}",
                         item.line_of("reference_period"), f"{prefix}reference_period")
        if "reference_period" not in values:
            values["reference_period"] = worked_out
            values.setdefault("reference_basis", "derived")
    elif "reference_period" not in values:
        checker.fail("missing 'reference_period' (or 'reference': same-period-previous-year or previous-period)",
                     item.line, f"{prefix}reference_period")
    if values["reference_period"] == period:
        checker.fail(f"the reference period is the figure's own period ({period.notation})",
                     item.line_of("reference_period" if "reference_period" in item else "reference"), f"{prefix}reference_period")


def _check_figure_number(fact: Fact, item: LMap, checker: _Checker, prefix: str, name: str):
    """The figure's number is one the evidence states, written in the figure's unit, with the stated precision."""
    values = fact.values
    number = values[name].copy_abs()  # exact: abs() rounds to the context's 28 digits
    quotes = " ".join(span.quote for span in fact.evidence)
    line = item.line_of(name)
    measure = _figure_measure(fact)
    precision = None
    if fact.kind == "rank":
        precision = Decimal(1)  # a position is a whole number
    else:
        figures: list[Written] = [figure for span in fact.evidence for figure in written_figures(span.quote)]
        sources = [w for w in figures if number in (w.value, w.number)]
        if measure is not None:
            _check_written_as(fact, item, checker, prefix, name, measure, "unit" if measure == "money" else None, figures, sources)
        scaled = [w for w in sources if w.value == number]
        if scaled:
            precision = stated_precision(scaled[0])
        elif measure in WORD_READINGS:  # "raddoppiato", "il doppio", "metà", "un quarto", "tre punti"
            read = [p for span in fact.evidence for found, p in WORD_READINGS[measure](span.quote) if found.value == number]
            precision = read[0] if read else None
        if precision is None and measure == "money":
            # the scale written apart from the figure: "da 5.102,0 a 3.683,4 milioni", "9,1 milardi"
            precision = next((stated_precision(w) * scale for w in figures if w.value == w.number
                              for scale in sorted(scales_named(quotes)) if w.number * scale == number), None)
        if precision is None and not states(quotes, number):
            found = sorted({w.value for w in figures})
            checker.fail(f"the {NOUNS.get(measure or '', 'value')} {format(values[name], 'f')} "
                         f"is not a figure the evidence states (it states {', '.join(format(v, 'f') for v in found) or 'no figure'})",
                         line, f"{prefix}{name}")
    if "precision" in values:
        if precision is not None and values["precision"] != precision:
            checker.fail(f"the evidence states {format(values[name], 'f')} to {format(precision, 'f')}, not to "
                         f"{format(values['precision'], 'f')}", item.line_of("precision"), f"{prefix}precision")
    elif precision is None:
        checker.fail(f"the precision of {format(values[name], 'f')} cannot be read off the evidence: give 'precision' "
                     "(one unit of the last digit written)", line, f"{prefix}precision")
    else:
        values["precision"] = precision


def _check_written_as(fact: Fact, item: LMap, checker: _Checker, prefix: str, name: str, measure: str,
                      unit_name: str | None, figures: list[Written], sources: list[Written]):
    """A number written as something else than it measures, or in a currency its evidence contradicts
    or does not state (see :func:`_check_currency`)."""
    fitting = [w for w in sources if w.measure in FITS[measure]]
    if sources and not fitting:
        wrong = sources[0]
        checker.fail(f"the {NOUNS[measure]} {format(fact.values[name], 'f')} is written as {WRITTEN_AS[wrong.measure]} "
                     f"in the evidence («{wrong.text}»)", item.line_of(name), f"{prefix}{name}")
    if unit_name is None or not fitting:
        return
    named = currencies_named(" ".join(span.quote for span in fact.evidence))
    _check_currency(fact, item, checker, prefix, name, unit_name, named, fitting)


def _resolve_fact_refs(fact: Fact, item: LMap, by_id: dict, checker: _Checker, prefix: str):
    for f in KINDS[fact.kind].fields:
        key = f.name
        if f.type not in ("fact", "facts") or key not in fact.values:
            continue
        allowed = f.kinds
        refs = fact.values[key] if f.type == "facts" else [fact.values[key]]
        for ref in refs:
            target = by_id.get(ref)
            if target is None:
                checker.fail(f"unknown fact '{ref}'{_closest(ref, by_id)}", item.line_of(key), f"{prefix}{key}")
            if target.kind not in allowed:
                checker.fail(f"fact '{ref}' is a {target.kind}, expected a {' or '.join(allowed)}", item.line_of(key), f"{prefix}{key}")
            if target is fact:
                checker.fail("a fact cannot refer to itself", item.line_of(key), f"{prefix}{key}")


def _check_semantics(fact: Fact, item: LMap, meta: dict, checker: _Checker, prefix: str):
    values = fact.values
    if fact.kind == "meeting":
        published = meta["published"]
        basis = values.get("date_basis", KINDS["meeting"].field("date_basis").default)
        if values["date"] > published:
            checker.fail(f"the meeting date {values['date']} is after the release date {published}", item.line_of("date"), f"{prefix}date")
        if basis == "derived" and "date_weekday" not in values:
            checker.fail("a derived date needs 'date_weekday', the weekday word it is derived from", item.line_of("date_basis"), f"{prefix}date_basis")
        if "date_weekday" in values:
            word = values["date_weekday"]
            if word not in WEEKDAYS_IT:
                checker.fail(f"'{word}' is not an Italian weekday", item.line_of("date_weekday"), f"{prefix}date_weekday")
            weekday_date = _previous_weekday(published, WEEKDAYS_IT.index(word))
            if values["date"] != weekday_date:
                checker.fail(
                    f"«{word}» before the release date {published} is {weekday_date}, not {values['date']}",
                    item.line_of("date"),
                    f"{prefix}date",
                )
            values["date_note"] = f"«{word}» in a release dated {WEEKDAYS_IT[published.weekday()]} {published.isoformat()}: the most recent {word} before it"
    # a period not stated as such says how it was obtained
    stated = PERIOD_BASIS.default
    if values.get("period_basis", stated) != stated and "period_note" not in values:
        article = "an" if values["period_basis"][0] in "aeiou" else "a"
        checker.fail(f"{article} {values['period_basis']} period needs 'period_note' saying how it was obtained",
                     item.line_of("period_basis"), f"{prefix}period_basis")


def _previous_weekday(published: date, weekday: int) -> date:
    """The most recent given weekday strictly before ``published``."""
    delta = (published.weekday() - weekday) % 7 or 7
    return published - timedelta(days=delta)


def load_corpus(data_dir, vocabulary: Vocabulary) -> Corpus:
    """Read the registry and every release under ``data_dir/releases``, sorted by id."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise InputError("no such data folder", data_dir)
    registry = load_registry(data_dir, vocabulary)
    releases_dir = data_dir / "releases"
    folders = sorted(p for p in releases_dir.iterdir() if p.is_dir()) if releases_dir.is_dir() else []
    if not folders:
        raise InputError("no release folders (expected releases/<id>/annotation.yaml)", data_dir)
    corpus = Corpus(data_dir, registry)
    for folder in folders:
        corpus.releases.append(load_release(folder, registry, data_dir))
    return corpus
