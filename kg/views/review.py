"""``kg review``: the analyst's desk over one release folder, as a library.

A :class:`Desk` opens a release folder (``release.txt`` and ``annotation.yaml``, a draft of ``kg extract``
or a curated annotation) of a data folder, and gives what the page shows: the text, the facts as the
schema (:mod:`kg.model.schema`) describes them, each with its evidence located in the text (character
offsets), the choices a field may take from the registry and the gazetteer (places, groups, sectors,
organisations, people, roles, the periods the text names; each with its id, Italian and English names and
aliases), the loader's errors on the facts and fields they concern, and the validation's findings
(the per-class shapes and the checks within a release, as ``kg build`` runs them) on the facts they name.

Edits (:meth:`Desk.edit`) change the annotation in memory, as ruamel.yaml's round trip read it: a field
set, a fact added from a selection of the text (its evidence the selected words), deleted, duplicated,
its ``review:`` line resolved. :meth:`Desk.save` writes it back atomically, comments and key order kept,
only when the loader accepts it, and only when the file on disk is still the one opened (its SHA-256):
else :class:`kg.errors.ConflictError`.

An organisation, person, role, place or sector may be added to the data folder (``addition``): it is checked
with the annotation, and written by :meth:`save` to ``registry.yaml``, ``places.yaml`` or ``sectors.yaml``.

The desk reads the release folder and the data folder's ``registry.yaml``, ``places.yaml`` and
``sectors.yaml``, and writes only the release's ``annotation.yaml`` and, for additions, those three files.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import ConflictError, InputError, UsageError
from kg.model import evidence as ev
from kg.model.gazetteer import PLACES_FILE, SECTORS_FILE, Gazetteer
from kg.model.gazetteer_yaml import DATA_KINDS
from kg.model.loader import Registry, Release, Vocabulary, inside, load_registry, load_release, read_release_text
from kg.model.periods import Period, PeriodError, find_periods, italian_period, parse_period
from kg.model.schema import CELL_KEYS, ENUMS, FACT, KINDS, REGISTRY, RELEASE, fact_fields
from kg.model.yamlfile import LList, LMap, WrittenDate, WrittenDecimal, dump_yaml, parse_yaml

if TYPE_CHECKING:
    from kg.pipeline.parts import Context

REGISTRY_FILE = "registry.yaml"
MAX_NEIGHBOURS = 200
"""The most other releases of the data folder the checks across releases are run with, as the analyst edits (they
are built once, when the desk first validates: the family's sixteen others in 1.5 s here, about ten a second);
above it, the release is checked alone."""
#: the types of fields whose value is a number (written as a decimal, never a float)
NUMBERS = ("amount", "signed", "percent", "precision", "position")
#: the types of fields whose value is a list of texts or ids
LIST_TYPES = ("sectors", "agents", "wordlist", "facts", "exclusions")
#: the choices a reference field takes (``choices()`` keys), by field type
CHOICES = {"place": ("places",), "sector": ("sectors",), "sectors": ("sectors",), "exclusions": ("places", "sectors"),
           "org": ("organizations",), "person": ("people",), "role": ("roles",), "agent": ("organizations", "people"),
           "agents": ("organizations", "people"), "period": ("periods",)}


@dataclass(frozen=True)
class Problem:
    """A loader error (``source`` "loader") or a validation finding (``source`` its severity: "Violation",
    "Warning", "Info") on a fact (its index in ``facts``; None: the release header or the whole release)
    and a field (None: the fact as a whole). ``file``: the data folder's file it is in, when it is not the
    annotation (an addition to ``registry.yaml``, ``places.yaml`` or ``sectors.yaml``)."""

    source: str
    fact: int | None
    field: str | None
    message: str
    line: int | None = None
    rule: str | None = None
    file: str | None = None


def _field(name: str, kind: str = "text", required: bool = False, enum: str | None = None, values=()) -> dict:
    return {"name": name, "type": kind, "required": required, "enum": enum, "kinds": [], "values": list(values)}


#: what may be added to the data folder from the desk: section -> (file, fields). The registry's sections are
#: kg.model.schema's; places and sectors are those of places.yaml and sectors.yaml (README, "Gazetteer").
ADDITIONS = {
    **{name: (REGISTRY_FILE, [_field(f.name, f.type, f.required, f.enum) for f in record.fields])
       for name, record in REGISTRY.items()},
    "places": (PLACES_FILE, [_field("id", "id", True), _field("kind", "enum", True, values=DATA_KINDS),
                             _field("name", "text", True), _field("name_en"), _field("parent", "place"),
                             _field("aliases", "wordlist")]),
    "sectors": (SECTORS_FILE, [_field("id", "id", True), _field("name", "text", True), _field("name_en"),
                               _field("broader", "sector")]),
}


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _plain(value):
    """A YAML value as JSON: mappings and lists as such, numbers as the text they are written with."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, Decimal):
        return getattr(value, "written", None) or format(value, "f")
    if isinstance(value, int | float):
        return str(value)
    return str(value)


def _field_key(field: str | None) -> tuple[int | None, str | None]:
    """(fact index, the fact's key) of a loader field name: ``facts[3] (id).of.origin`` -> (3, "of");
    ``release.published`` -> (None, "published")."""
    import re

    if not field:
        return None, None
    found = re.match(r"facts\[(\d+)\](?: \([^)]*\))?\.?([A-Za-z_]*)", field)
    if found:
        return int(found.group(1)), found.group(2) or None
    if field.startswith("release."):
        return None, re.match(r"[A-Za-z_]*", field[len("release."):]).group(0) or None  # type: ignore[union-attr]
    return None, field


class Desk:
    """One release folder opened for review (see the module's docstring).

    ``release_dir``: ``DATA/releases/ID``; ``data_dir``: the data folder whose registry, places and sectors
    the annotation names (default: the release folder's grandparent)."""

    def __init__(self, release_dir, data_dir=None, ontology=None) -> None:
        folder = Path(release_dir)
        if not folder.is_dir():
            raise UsageError(f"no such release folder: {folder}")
        data = Path(data_dir) if data_dir is not None else folder.parent.parent
        if not (data / "registry.yaml").is_file():
            raise UsageError(f"no registry.yaml in {data}: give the data folder the release belongs to with --data DIR")
        self.folder, self.data_dir, self.ontology = folder, data, ontology
        self.path = inside(folder / "annotation.yaml", data)
        if not self.path.is_file():
            raise UsageError(f"no annotation.yaml in {folder}: draft one with kg extract TEXT --into DATA_DIR")
        self.open()

    # ------------------------------------------------------------------ the file

    def open(self) -> None:
        """(Re)read ``annotation.yaml``, the text, the registry, places and sectors from disk, forgetting the edits
        not saved."""
        self.gazetteer = Gazetteer.load(self.data_dir)
        self.registry: Registry = load_registry(self.data_dir, Vocabulary.of(self.gazetteer))
        self._context: Context | None = None  # the build's context (ontology, registry nodes), made on the first validation
        self._neighbours: list | None = None  # the other releases' parts
        # the data folder's files with additions not saved: name -> (document, SHA-256 of the file read, "" if none)
        self.data_files: dict[str, tuple[LMap, str]] = {}
        self.additions: list[dict] = []  # {"section", "id"} of each addition not saved
        self.data_problem: Problem | None = None  # what the loader says of the additions
        raw = self.path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"not UTF-8 text (byte {exc.start})", self.path) from None
        document = parse_yaml(text, self.path, comments=True)
        if not isinstance(document, LMap) or not isinstance(document.get("release"), LMap):
            raise InputError("expected a mapping with a 'release' section and a list of 'facts'", self.path, 1)
        if not isinstance(document.get("facts"), LList):
            document["facts"] = LList()
        self.document: LMap = document
        self.digest = _sha256(raw)
        name = document["release"].get("text") or "release.txt"
        text_path = self.folder / str(name)
        if text_path.parent != self.folder or not text_path.is_file():
            raise InputError(f"'{name}' is not a file in {self.folder}", self.path, document["release"].line_of("text"),
                             "release.text")
        self.text = read_release_text(inside(text_path, self.data_dir))
        self.saved = True

    @property
    def facts(self) -> LList:
        return self.document["facts"]

    def yaml(self) -> str:
        """The annotation as it would be saved."""
        return dump_yaml(self.document)

    def save(self) -> str:
        """Write the annotation atomically, comments and key order kept; only when the loader accepts it
        (else its InputError) and the file on disk is still the one opened (else ConflictError). Its new SHA-256."""
        from kg.stores.files import write_atomic

        text = self.yaml()
        if self.data_problem is not None:
            problem = self.data_problem
            raise InputError(problem.message, self.data_dir / str(problem.file), problem.line, problem.field)
        self._load(text)  # raises the loader's error
        files = [(self.path, self.digest, text)]
        files += [(self.data_dir / name, digest, dump_yaml(document)) for name, (document, digest) in self.data_files.items()]
        for path, digest, _text in files:
            current = path.read_bytes() if path.is_file() else b""
            if (_sha256(current) if current or digest else "") != digest:
                raise ConflictError(f"{path} changed on disk since it was opened for review; it was not overwritten: "
                                    "reopen it (the edits made here are lost) or merge the other change by hand")
        # the data folder's additions first: the annotation on disk never names an id its files lack
        for path, _digest, content in files[1:] + files[:1]:
            write_atomic(path, content.encode("utf-8"))
        self.digest = _sha256(text.encode("utf-8"))
        self.data_files = {name: (document, _sha256(dump_yaml(document).encode("utf-8")))
                           for name, (document, _digest) in self.data_files.items()}
        self.additions = []
        self.saved = True
        return self.digest

    # ------------------------------------------------------------------ checks

    def _load(self, text: str, document=None) -> Release:
        if document is None:
            document = parse_yaml(text, self.path)
        return load_release(self.folder, self.registry, self.data_dir, document=document)

    def loader_problems(self) -> tuple[Release | None, list[Problem]]:
        """The release as the loader reads the edited annotation, or None with the loader's errors: the first
        error of the whole file, then each fact's own (each fact checked with the header and the facts it names)."""
        text = self.yaml()
        try:
            return self._load(text), []
        except InputError as exc:
            first = self._problem(exc, {})
        problems = [first]
        header = self.document["release"]
        sources = [item for item in self.facts if isinstance(item, LMap) and item.get("kind") == "data-source"]
        by_id = {item.get("id"): item for item in self.facts if isinstance(item, LMap)}
        for index, item in enumerate(self.facts):
            if not isinstance(item, LMap):
                continue
            named = [by_id[ref] for ref in _references(item) if ref in by_id and by_id[ref] is not item]
            others = [other for other in [*named, *sources] if other is not item]
            others = [other for n, other in enumerate(others) if all(other is not seen for seen in others[:n])]
            mini = {"release": header, "facts": [item, *others]}
            try:
                self._load("", parse_yaml(dump_yaml(mini), self.path))
            except InputError as exc:
                at, _key = _field_key(exc.field)
                if at == 0:
                    problem = self._problem(exc, {0: index}, line=False)
                    if (problem.fact, problem.field, problem.message) != (first.fact, first.field, first.message):
                        problems.append(problem)
        return None, problems

    def _problem(self, error: InputError, indexes: dict[int, int], line: bool = True) -> Problem:
        at, key = _field_key(error.field)
        if at is not None and indexes:
            at = indexes.get(at)
        return Problem("loader", at, key, error.message, error.line if line else None)

    def validation_problems(self, release: Release) -> list[Problem]:
        """The findings on the edited release, as ``kg build`` of its data folder would report them: the per-class
        shapes and the checks within a release, and the checks across releases with the data folder's other
        releases (up to MAX_NEIGHBOURS of them, built once; a larger folder's are left to ``kg build``)."""
        from kg.pipeline.parts import context_of, corpus_checks, release_part
        from kg.rdf.namespaces import KGR

        if self._context is None:
            from kg.rdf.vocabularies import Ontology

            self.ontology = Ontology.of(self.ontology)  # parsed once for the desk's life
            self._context = context_of(self.data_dir, self.ontology, self.registry)
        part = release_part(self._context, release)
        findings = list(part.findings) + corpus_checks(self._context, [part, *self.neighbours()])
        indexes = {item.get("id"): n for n, item in enumerate(self.facts) if isinstance(item, LMap)}
        problems: dict[tuple, Problem] = {}
        for finding in findings:
            release_id, _, rest = finding.node.removeprefix(f"{KGR}release/").partition("/fact/")
            if release_id != release.id and release.id not in finding.message:
                continue  # another release's own finding
            fact_id = rest.split("/", 1)[0] if rest and release_id == release.id else None
            problem = Problem(finding.severity, indexes.get(fact_id), None, f"{finding.message} ({finding.label})",
                              rule=finding.rule)
            problems[(problem.fact, problem.rule, problem.message)] = problem
        return sorted(problems.values(), key=lambda p: (p.fact is None, p.fact or 0, p.rule or "", p.message))

    def neighbours(self) -> list:
        """The parts of the data folder's other releases (kg.pipeline.parts.Part), built on first use; a release the
        loader refuses is left out (``kg build`` reports it)."""
        from kg.pipeline.parts import build_parts

        if self._neighbours is None:
            assert self._context is not None  # made by validation_problems first
            others = sorted(p for p in (self.data_dir / "releases").iterdir()
                            if p.is_dir() and p.resolve() != self.folder.resolve() and (p / "annotation.yaml").is_file())
            if len(others) > MAX_NEIGHBOURS:
                others = []
            try:
                self._neighbours = build_parts(self._context, [(folder, "") for folder in others])
            except InputError:
                self._neighbours = []
                for folder in others:
                    with contextlib.suppress(InputError):
                        self._neighbours += build_parts(self._context, [(folder, "")])
        return self._neighbours

    def problems(self) -> list[Problem]:
        release, problems = self.loader_problems()
        found = problems if release is None else self.validation_problems(release)
        return ([self.data_problem] if self.data_problem is not None else []) + found

    # ------------------------------------------------------------------ what the page shows

    def state(self) -> dict:
        """Everything the page shows, as JSON: the text, the release header, the facts with their evidence
        (offsets in the text, in characters), the problems, and whether the edits are saved."""
        facts: list[dict] = []
        for index, item in enumerate(self.facts):
            if not isinstance(item, LMap):
                facts.append({"index": index, "id": None, "kind": None, "fields": {}, "evidence": [], "review": None})
                continue
            quotes = item.get("evidence")
            quotes = [quotes] if isinstance(quotes, str) else [q for q in quotes or [] if isinstance(q, str)] \
                if isinstance(quotes, list) else []
            spans = []
            for quote in quotes:
                starts = ev.find_all(self.text, quote) if quote else []
                start = starts[0] if len(starts) == 1 else None
                spans.append({"quote": quote, "start": start, "end": None if start is None else start + len(quote),
                              "found": len(starts)})
            facts.append({"index": index, "id": _plain(item.get("id")), "kind": _plain(item.get("kind")),
                          "fields": {str(k): _plain(v) for k, v in item.items() if k not in ("evidence",)},
                          "evidence": spans, "review": _plain(item.get("review"))})
        header = self.document["release"]
        return {
            "release": {str(k): _plain(v) for k, v in header.items()},
            "notes": _header_reviews(self.document),
            "text": self.text,
            "facts": facts,
            "problems": [asdict(problem) for problem in self.problems()],
            "additions": list(self.additions),
            "saved": self.saved,
            "digest": self.digest,
            "path": str(self.path),
        }

    def schema(self) -> dict:
        """The fact kinds and their fields, the release header's and the enums, from :mod:`kg.model.schema`."""
        def fields(record_fields) -> list[dict]:
            return [{"name": f.name, "type": f.type, "required": f.required, "enum": f.enum, "kinds": list(f.kinds)}
                    for f in record_fields]

        return {"kinds": {kind: fields(fact_fields(kind)) for kind in KINDS},
                "figures": [kind for kind, record in KINDS.items() if record.figure],
                "release": fields(RELEASE.fields),
                "cell": list(CELL_KEYS),
                "enums": {name: list(enum.names) for name, enum in ENUMS.items()},
                "additions": {section: fields for section, (_file, fields) in ADDITIONS.items()},
                "choices": {kind: list(keys) for kind, keys in CHOICES.items()}}

    def choices(self) -> dict:
        """What reference fields may name, each with its id, Italian and English names and the other words it
        is found by: places and groups, sectors, organisations, people, roles, and the periods the text names."""
        places = [{"id": p.id, "it": p.label_it, "en": p.label_en, "kind": p.kind,
                   "words": sorted(set(p.words()) - {p.label_it, p.label_en})} for p in self.gazetteer.places()]
        words: dict[str, set[str]] = {}  # the releases' sector words ("nautica": 30)
        for word, ids in self.gazetteer.sector_words().items():
            for ident in ids:
                words.setdefault(ident, set()).add(word)
        sectors = [{"id": s.id, "it": s.label_it, "en": s.label_en, "kind": s.scheme,
                    "words": sorted((set(s.words + s.alt_it + s.alt_en) | words.get(s.id, set())) - {s.label_it, s.label_en})}
                   for s in self.gazetteer.sectors()]
        registry = self.registry
        organizations = [{"id": key, "it": v["name"], "en": v.get("name_en") or v["name"], "kind": v["kind"], "words": []}
                         for key, v in sorted(registry.organizations.items())]
        people = [{"id": key, "it": v["name"], "en": v["name"], "kind": "person", "words": []}
                  for key, v in sorted(registry.people.items())]
        roles = [{"id": key, "it": v["it"], "en": v["en"], "kind": "role", "words": []} for key, v in sorted(registry.roles.items())]
        return {"places": sorted(places, key=lambda c: c["id"]), "sectors": sorted(sectors, key=lambda c: c["id"]),
                "organizations": organizations, "people": people, "roles": roles, "periods": self.periods()}

    def periods(self) -> list[dict]:
        """The periods the text names (read as ``kg extract`` reads them, in the year of the release) and those
        the facts give, each with its notation, Italian and English labels and the words of the text."""
        published = str(self.document["release"].get("published") or "")
        year = int(published[:4]) if published[:4].isdigit() else None
        found: dict[str, dict] = {}

        def add(period: Period, words: str | None = None) -> None:
            try:
                notation = period.notation
            except PeriodError:
                return
            entry = found.setdefault(notation, {"id": notation, "it": period.label("it"), "en": period.label("en"),
                                                "kind": "period", "words": []})
            if words and words not in entry["words"]:
                entry["words"].append(words)

        for mention in find_periods(self.text, year):
            add(mention.value, mention.text)
        for item in self.facts:
            if isinstance(item, LMap):
                for key in ("period", "reference_period"):
                    with contextlib.suppress(PeriodError, TypeError, ValueError):
                        add(parse_period(item.get(key)))
        return sorted(found.values(), key=lambda p: (p["id"][:4], p["id"]))

    # ------------------------------------------------------------------ edits

    def edit(self, change: dict) -> None:
        """Apply one edit to the annotation in memory (:meth:`save` writes it). ``change["op"]`` is

        - ``set``: ``fact`` (an index; absent: the release header), ``field``, ``value`` (empty: the field removed);
        - ``add``: a fact of ``kind`` whose evidence is the text from ``start`` to ``end`` (characters);
        - ``evidence``: the evidence of ``fact`` becomes the text from ``start`` to ``end`` (``"mode": "append"``:
          that quote is added to its evidence, as a quotation quotes several passages);
        - ``unquote``: the quote number ``quote`` of the evidence of ``fact`` removed;
        - ``delete``, ``duplicate``, ``resolve`` (its ``review:`` line removed): of ``fact``;
        - ``resolve-note``: the ``# review:`` comment number ``note`` above the header (its ``text`` given) removed;
        - ``addition``: an ``entry`` (a mapping of its fields, see ADDITIONS) added to the data folder's ``section``
          (organizations, people, roles, places, sectors), written to its file by :meth:`save`; ``unadd``: the
          addition of ``id`` to ``section`` taken back.

        A change naming a fact gives its ``id`` too, checked against the fact at that index (UsageError when the
        page is out of date)."""
        op = change.get("op")
        if op in ("set", "evidence", "unquote") and isinstance(change.get("fact"), int):
            _index, item = self._fact(change)
            with _tail_kept(item):  # a new last value: the blank lines and comments after the fact stay after it
                self._edit(change)
        else:
            self._edit(change)
        self.saved = False

    def _edit(self, change: dict) -> None:
        op = change.get("op")
        if op == "addition":
            self._addition(str(change.get("section")), change.get("entry"))
        elif op == "unadd":
            self._unadd(str(change.get("section")), str(change.get("id")))
        elif op == "resolve-note":
            notes = _review_tokens(self.document)
            number = change.get("note")
            if not isinstance(number, int) or not 0 <= number < len(notes) or notes[number][2] != change.get("text"):
                raise UsageError(f"there is no review note {number} reading «{change.get('text')}»: the page is out of "
                                 "date, reload it")
            token, line, _reason = notes[number]
            _drop_comment_line(self.document, token, line)
        elif op == "add":
            self._add(str(change.get("kind")), change.get("start"), change.get("end"))
        elif op == "set" and change.get("fact") is None:
            self._set(self.document["release"], RELEASE.fields, str(change.get("field")), change.get("value"))
        elif op in ("set", "evidence", "unquote", "delete", "duplicate", "resolve"):
            index, item = self._fact(change)
            if op == "set":
                kind = item.get("kind")
                fields = fact_fields(kind) if kind in KINDS else FACT.fields
                self._set(item, fields, str(change.get("field")), change.get("value"), kind)
            elif op == "evidence":
                quotes = _quotes(item)
                quote = _styled(quotes[0] if quotes else None, self._quote(change.get("start"), change.get("end")))
                item["evidence"] = _evidence([*quotes, quote] if change.get("mode") == "append" else [quote])
            elif op == "unquote":
                quotes = _quotes(item)
                number = change.get("quote")
                if not isinstance(number, int) or not 0 <= number < len(quotes):
                    raise UsageError(f"the fact has no quote {number} (it has {len(quotes)})")
                rest = _evidence(quotes[:number] + quotes[number + 1:])
                if rest is None:
                    del item["evidence"]
                else:
                    item["evidence"] = rest
            elif op == "delete":
                _delete_item(self.document, "facts", index)
            elif op == "duplicate":
                twin = LMap()
                for key, value in item.items():
                    twin[key] = copy.deepcopy(value)
                twin["id"] = self._new_id(f"{item.get('id') or 'fact'}-copy")
                _insert_item(self.facts, index + 1, twin)
            elif "review" in item:
                del item["review"]
        else:
            raise UsageError(f"unknown edit '{op}': one of set, add, evidence, unquote, delete, duplicate, resolve, "
                             "resolve-note, addition, unadd")

    def _data_file(self, name: str, section: str) -> LMap:
        """The data folder's file ``name`` as it will be saved, read with its comments on the first addition (to
        ``section``: a file of comments only gets it after them)."""
        if name not in self.data_files:
            path = inside(self.data_dir / name, self.data_dir)
            if path.is_file():
                raw = path.read_bytes()
                text = raw.decode("utf-8", errors="strict")
                if all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
                    # comments only, which YAML reads as no document: the section is written after them
                    text += ("\n" if text and not text.endswith("\n") else "") + f"{section}:\n"
                document = parse_yaml(text, path, comments=True)
                if not isinstance(document, LMap):
                    document = LMap()
                self.data_files[name] = (document, _sha256(raw))
            else:
                self.data_files[name] = (LMap(), "")
        return self.data_files[name][0]

    def _addition(self, section: str, entry) -> None:
        if section not in ADDITIONS:
            raise UsageError(f"unknown section '{section}': one of {', '.join(ADDITIONS)}")
        if not isinstance(entry, dict):
            raise UsageError("an addition is a mapping of its fields")
        name, fields = ADDITIONS[section]
        known = {f["name"]: f for f in fields}
        for key in entry:
            if key not in known:
                raise UsageError(f"'{key}' is not a field of {section} (one of {', '.join(known)})")
        item = LMap()
        for key, field in known.items():
            value = _value(field["type"], entry.get(key))
            if value is not None:
                item[key] = value
        if not isinstance(item.get("id"), str):
            raise UsageError(f"an addition to {section} needs its id")
        document = self._data_file(name, section)
        if not isinstance(document.get(section), LList):  # missing, empty ("people:") or "people: []"
            document[section] = LList()
        listed = document[section]
        listed.fa.set_block_style()
        _insert_item(listed, len(listed), item)  # the blank lines and comments before the next section kept there
        listed.yaml_set_comment_before_after_key(len(listed) - 1, indent=2,
                                                 before=f"added by kg review for release {self.folder.name}")
        self.additions.append({"section": section, "id": item["id"], "file": name})
        self._reread_data()

    def _unadd(self, section: str, ident: str) -> None:
        found = [a for a in self.additions if (a["section"], a["id"]) == (section, ident)]
        if not found:
            raise UsageError(f"'{ident}' is not an addition to {section} made here")
        document = self.data_files[found[0]["file"]][0]
        entries = document[section]
        for index in range(len(entries) - 1, -1, -1):
            if isinstance(entries[index], LMap) and entries[index].get("id") == ident:
                _delete_item(document, section, index)
                break
        self.additions.remove(found[0])
        self._reread_data()

    def _reread_data(self) -> None:
        """The gazetteer and registry with the additions: what the annotation is checked against."""
        documents = {}
        try:
            for name, (document, _digest) in self.data_files.items():
                documents[name] = parse_yaml(dump_yaml(document), self.data_dir / name)
            gazetteer = Gazetteer.load(self.data_dir, documents=documents)
            registry = load_registry(self.data_dir, Vocabulary.of(gazetteer), document=documents.get(REGISTRY_FILE))
        except InputError as exc:
            file = Path(exc.path).name if exc.path else None
            self.data_problem = Problem("loader", None, exc.field, exc.message, exc.line, file=file)
            return
        self.data_problem = None
        self.gazetteer, self.registry, self._context = gazetteer, registry, None
        self.saved = False

    def _fact(self, change: dict) -> tuple[int, LMap]:
        index = change.get("fact")
        if not isinstance(index, int) or not 0 <= index < len(self.facts) or not isinstance(self.facts[index], LMap):
            raise UsageError(f"there is no fact {index} in the annotation")
        item = self.facts[index]
        if _plain(item.get("id")) != change.get("id"):
            raise UsageError(f"fact {index} is '{_plain(item.get('id'))}', not '{change.get('id')}': "
                             "the page is out of date, reload it")
        return index, item

    def _quote(self, start, end) -> str:
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(self.text)):
            raise UsageError(f"the selection {start}..{end} is not within the text (0..{len(self.text)})")
        text = self.text
        while start > 0 and text[start - 1].isalnum() and text[start].isalnum():  # a word cut by the selection: whole
            start -= 1
        while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
            end += 1
        quote = text[start:end].strip()
        if not quote:
            raise UsageError("the selection holds no words")
        if len(ev.find_all(self.text, quote)) > 1:
            raise UsageError(f"«{quote}» occurs more than once in the text: select a longer passage, so the quote is unique")
        return quote

    def _new_id(self, base: str) -> str:
        taken = {str(item.get("id")) for item in self.facts if isinstance(item, LMap)}
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        return candidate

    def _add(self, kind: str, start, end) -> None:
        """A fact of ``kind`` quoting the selection, placed among the facts in the order of the text; a figure
        takes the cell (flow, origin, destination, period, sector) of the figure before it in the text, and its
        number from the selection (the first the number grammar reads), for the analyst to check."""
        from kg.model.numbers import written_figures

        if kind not in KINDS:
            raise UsageError(f"unknown kind '{kind}': one of {', '.join(KINDS)}")
        quote = self._quote(start, end)
        at = self.text.find(quote)
        item = LMap()
        item["id"] = self._new_id(f"{kind}-{at}")
        item["kind"] = kind
        record = KINDS[kind]
        before = self._figure_before(at) if record.figure else None
        if before is not None:
            for key in ("flow", "origin", "destination", "period", "sector"):
                if key in before:
                    item[key] = copy.deepcopy(before[key])
        if record.value is not None:
            figures = written_figures(quote)
            money = [w for w in figures if w.measure == "money"]
            percent = [w for w in figures if w.measure == "percent"]
            chosen = (money or figures) if kind in ("level", "projection") else (percent or figures)
            if chosen:
                figure = chosen[0]
                number = figure.value if kind in ("level", "projection") else figure.number
                if kind == "change" and quote[max(0, figure.start - 1):figure.start] in ("-", "\u2212"):
                    number = -number  # "-1,8%": the grammar reads figures unsigned
                item[record.value] = Decimal(number)
                if kind in ("level", "projection"):
                    item["unit"] = figure.currency or "EUR"
                elif kind == "change" and figure.measure == "percent":
                    item["unit"] = "percent"
            if "hedge" in record.field_names:
                item["hedge"] = "exact"
        item["evidence"] = quote
        position = sum(1 for other in self.facts if isinstance(other, LMap) and self._first_start(other) <= at)
        _insert_item(self.facts, position, item)

    def _first_start(self, item: LMap) -> int:
        quotes = item.get("evidence")
        quote = quotes if isinstance(quotes, str) else (quotes[0] if isinstance(quotes, list) and quotes else None)
        found = self.text.find(quote) if isinstance(quote, str) and quote else -1
        return found if found >= 0 else len(self.text) + 1

    def _figure_before(self, at: int) -> LMap | None:
        best = None
        for item in self.facts:
            if isinstance(item, LMap) and item.get("kind") in KINDS and KINDS[item["kind"]].figure:
                start = self._first_start(item)
                if start <= at and (best is None or start >= self._first_start(best)):
                    best = item
        return best

    def _set(self, item: LMap, fields, name: str, value, kind=None) -> None:
        known = {f.name: f for f in fields}
        if name not in known:
            raise UsageError(f"'{name}' is not a field of {'the release' if kind is None else f'a {kind}'}: "
                             f"one of {', '.join(known)}")
        field = known[name]
        if name == "kind" and value not in KINDS:
            raise UsageError(f"unknown kind '{value}': one of {', '.join(KINDS)}")
        converted = _value(field.type, value)
        if converted is None:
            if name in item:
                del item[name]
            return
        if name in item:
            item[name] = _styled(item[name], converted)
            return
        order = ["id", "kind", *(f.name for f in fields if f.name not in ("id", "kind", "note", "review", "evidence")),
                 "note", "review", "evidence"]
        rank = order.index(name) if name in order else len(order)
        position = sum(1 for key in item if (order.index(key) if key in order else len(order)) < rank)
        item.insert(position, name, converted)


def _value(kind: str, value):
    """A value the page sent, as the annotation writes it: None (remove the field) for an empty one; numbers as
    decimals of their digits (text the loader will refuse stays text); a period given as an Italian phrase in its
    notation; lists and mappings as YAML lists and mappings."""
    if value is None or value == "" or value == [] or value == {}:
        return None
    if kind in NUMBERS and isinstance(value, str | int):
        written = str(value).strip()
        try:
            number = WrittenDecimal(written)
        except InvalidOperation:
            return written  # the loader says what is wrong with it ("uses a decimal comma")
        number.written = written
        return number
    if kind == "period" and isinstance(value, str):
        try:
            return parse_period(value.strip()).notation
        except PeriodError:
            try:
                return italian_period(value).notation
            except PeriodError:
                return value
    if kind == "date" and isinstance(value, str):
        return WrittenDate(value.strip())
    if kind in LIST_TYPES or (kind == "evidence" and isinstance(value, list)):
        items = value if isinstance(value, list) else [part.strip() for part in str(value).split(",")]
        listed = LList()
        listed.extend(str(item) for item in items if str(item).strip())
        if kind == "evidence":
            return listed[0] if len(listed) == 1 else (listed or None)
        listed.fa.set_flow_style()  # [a, b], as the curated annotations write short lists
        return listed or None
    if kind == "cell" and isinstance(value, dict):
        cell = LMap()
        types = {"flow": "enum", "origin": "place", "destination": "place", "period": "period", "sector": "sector",
                 "excludes": "exclusions"}
        for key, item in value.items():
            converted = _value(types.get(key, "text"), item)
            if converted is not None or key == "sector":
                cell[key] = converted
        cell.fa.set_flow_style()
        return cell or None
    if isinstance(value, dict | list):
        raise UsageError(f"a {kind} field takes a single value, not {type(value).__name__}")
    return str(value)


def _styled(old, new):
    """``new`` written as ``old`` was: in double or single quotes when it was (a text for a text)."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

    if isinstance(new, str) and type(new) is str and isinstance(old, DoubleQuotedScalarString | SingleQuotedScalarString):
        return type(old)(new)
    return new


def _quotes(item: LMap) -> list:
    """The quotes of a fact's evidence, as a list (one quote is written as a text)."""
    quotes = item.get("evidence")
    if quotes is None:
        return []
    return list(quotes) if isinstance(quotes, list) else [quotes]


def _evidence(quotes: list):
    """Evidence as the annotations write it: one quote as a text, several as a list; None for none."""
    if not quotes:
        return None
    if len(quotes) == 1:
        return quotes[0]
    listed = LList()
    listed.extend(quotes)
    return listed


def _references(item: LMap) -> list[str]:
    """The fact ids a fact names (its ``source``, ``posts``, ``attendee_posts``...)."""
    kind = item.get("kind")
    if kind not in KINDS:
        return []
    found = []
    for f in fact_fields(kind):
        if f.type in ("fact", "facts") and f.name in item:
            value = item[f.name]
            found += [str(v) for v in value] if isinstance(value, list) else [str(value)]
    return found


def _tail(node) -> tuple[list, int] | None:
    """Where ruamel.yaml keeps the lines after a block mapping or list, up to what follows it (the end of its last
    line, an end-of-line comment, then the blank lines and the comments above the next item): the slot of the
    comments of its last value, the deepest one. None for a scalar, an empty node or one in flow style."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    while isinstance(node, CommentedMap | CommentedSeq) and node and not node.fa.flow_style():
        key = next(reversed(node)) if isinstance(node, CommentedMap) else len(node) - 1
        value = node[key]
        if isinstance(value, CommentedMap | CommentedSeq) and value and not value.fa.flow_style():
            node = value
            continue
        return node.ca.items.setdefault(key, [None, None, None, None]), 2 if isinstance(node, CommentedMap) else 0
    return None


def _tail_text(node) -> tuple[str, str]:
    """The lines after ``node`` (see _tail) as (the end of its last line: "" or an end-of-line comment and its newline,
    the lines after it: blank lines and comments)."""
    slot = _tail(node)
    token = slot[0][slot[1]] if slot is not None else None
    value = getattr(token, "value", None)
    if not isinstance(value, str) or not value:
        return "", ""
    head, _newline, rest = value.partition("\n")
    return head + "\n", rest


def _set_tail(node, text: str) -> None:
    """Write ``text`` (the end of the last line, then whole lines) after ``node``, replacing what was there (in the
    same comment token when there is one: its column, where an end-of-line comment starts, kept)."""
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    slot = _tail(node)
    if slot is None:
        return
    items, at = slot
    if items[at] is not None:
        items[at].value = text
    elif text != "\n":
        items[at] = CommentToken(text, CommentMark(0))


@contextlib.contextmanager
def _tail_kept(item):
    """Around an edit of a fact: the lines after it (blank lines, comments above the next fact) stay after it when
    its last value changes (a quote added to its evidence, which becomes a list; a field removed)."""
    slot = _tail(item)
    token = slot[0][slot[1]] if slot is not None else None
    if slot is not None:
        slot[0][slot[1]] = None
    try:
        yield
    finally:
        again = _tail(item)
        if token is not None and again is not None:
            again[0][again[1]] = token


def _blank_lines(lines: str) -> str:
    """The blank lines that open ``lines``: what separates one item of a list from the next."""
    return lines[:len(lines) - len(lines.lstrip("\n"))]


def _separator(items: LList, index: int) -> str:
    """The blank lines that set item ``index`` apart from the next one (for the last: those after the one before)."""
    if index == len(items) - 1 and index > 0:
        index -= 1
    return _blank_lines(_tail_text(items[index])[1]) if 0 <= index < len(items) else ""


def _insert_item(items: LList, position: int, item: LMap) -> None:
    """Insert ``item`` into a block list of mappings, keeping the layout: the comments above the item that was at
    ``position`` stay above it (they were held by the item before), and the new one is set apart from its
    neighbours by the same blank lines as they are."""
    separator = _separator(items, position - 1 if position > 0 else 0)
    if position > 0:
        end, after = _tail_text(items[position - 1])
        items.insert(position, item)
        _set_tail(items[position - 1], (end or "\n") + separator)
        _set_tail(item, "\n" + after)
    else:
        items.insert(0, item)
        _set_tail(item, "\n" + separator)


def _delete_item(document: LMap, key: str, index: int) -> None:
    """Delete item ``index`` of the block list ``document[key]``: the comments above it go with it, those above the
    next item stay above it (ruamel.yaml holds them on the deleted item's last line)."""
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    items = document[key]
    _end, after = _tail_text(items[index])
    if index > 0:
        end, _above = _tail_text(items[index - 1])
        _set_tail(items[index - 1], (end or "\n") + after)
    elif len(items) > 1 and after.strip():
        before = document.ca.items.setdefault(key, [None, None, None, None])
        if before[3] is None:
            before[3] = []
        before[3] += [CommentToken(line.strip() + "\n", CommentMark(2)) for line in after.lstrip("\n").splitlines()]
    del items[index]


def _review_tokens(document: LMap) -> list[tuple[object, int, str]]:
    """The ``# review:`` comment lines above the release header (``kg extract``'s registry additions and
    candidates to check): (the comment token holding it, its line in the token, its reason)."""
    found = []
    for group in document.ca.comment or []:
        for token in group if isinstance(group, list) else []:
            value = getattr(token, "value", None)
            for number, line in enumerate(value.splitlines() if isinstance(value, str) else []):
                text = line.strip()
                if text.startswith("#") and text[1:].strip().startswith("review:"):
                    found.append((token, number, text[1:].strip()[len("review:"):].strip()))
    return found


def _drop_comment_line(document: LMap, token, number: int) -> None:
    """Remove line ``number`` of a comment token above the header (the token itself when it was its only line)."""
    lines = token.value.splitlines(keepends=True)
    del lines[number]
    if "".join(lines).strip():
        token.value = "".join(lines)
        return
    for group in document.ca.comment:
        if isinstance(group, list) and any(item is token for item in group):
            group[:] = [item for item in group if item is not token]


def _header_reviews(document: LMap) -> list[str]:
    return [reason for _group, _index, reason in _review_tokens(document)]
