"""A data folder's own places, groups, aliases and sectors: ``places.yaml`` and ``sectors.yaml``.

Both files are optional and read with the project's YAML reader (:func:`kg.model.yamlfile.load_yaml`:
bounded depth and size, duplicate keys refused). The schema, which the template of ``kg init``
shows with comments (``kg/resources/template/places.yaml`` and ``sectors.yaml``)::

    places:                       # new places
      - id: veneto-est            # lower-case letters, digits, "-", "_"; not an id kg has
        kind: area                # area | site | city | municipality | province | region | country
        name: Veneto Est          # the Italian name (the label)
        name_en: Eastern Veneto   # optional: the English name
        parent: veneto            # optional: the place it lies in (kg's or this file's)
        aliases: [...]            # optional: other names
        adjectives: [...]         # optional: adjectives and demonyms, every form to be matched
    groups:                       # new groups of places
      - id: marche-sud
        name: Marche Sud
        members:                  # place ids, or a mapping with the days of membership
          - fermo-province
          - {place: ascoli-piceno-province, since: 2020-01-01, until: 2024-12-31}
    aliases:                      # more names for a place kg (or this file) has
      - place: ascoli-piceno-province
        names: [Ascoli]

    sectors:                      # new sectors, under a concept of kg's scheme or this file's
      - id: cappelli
        name: cappelli
        name_en: hats
        broader: "14"             # an ATECO notation ("CB", "14") or a sector id of this file
        words: [cappelleria]      # optional: words that name it
    words:                        # words that name sectors kg has
      - word: sistema casa
        sectors: ["31", "23"]

Every error names the file, the line and the field: an unknown key, a missing field, an id kg or
the file already has, a parent or member that is not a place, a name already another place's.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from kg.errors import InputError
from kg.model.gazetteer import PLACES_FILE, SECTORS_FILE, Gazetteer, Membership, Place, Sector, normalise, valid_id
from kg.model.yamlfile import LList, LMap, load_yaml

DATA_KINDS = ("area", "site", "city", "municipality", "province", "region", "country")


class _File:
    """One YAML file being read: its path, for errors."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, message: str, line: int | None, field: str) -> InputError:
        return InputError(message, self.path, line, field)

    def mapping(self, value, line: int, field: str) -> LMap:
        if not isinstance(value, LMap):
            raise self.fail("expected a mapping (key: value lines)", getattr(value, "line", line), field)
        return value

    def items(self, value, line: int, field: str) -> LList:
        if not isinstance(value, LList):
            raise self.fail("expected a list (lines starting with '-')", getattr(value, "line", line), field)
        return value

    def keys(self, entry: LMap, field: str, required: tuple[str, ...], optional: tuple[str, ...]) -> None:
        for key in entry:
            if key not in required and key not in optional:
                known = ", ".join((*required, *optional))
                raise self.fail(f"unknown key '{key}' (known: {known})", entry.line_of(key), f"{field}.{key}")
        for key in required:
            if key not in entry or entry[key] in (None, ""):
                raise self.fail(f"'{key}' is missing", entry.line, f"{field}.{key}")

    def text(self, entry: LMap, key: str, field: str) -> str:
        value = entry[key]
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise self.fail("expected a text", entry.line_of(key), f"{field}.{key}")
        return str(value).strip()

    def texts(self, entry: LMap, key: str, field: str) -> list[str]:
        if key not in entry or entry[key] is None:
            return []
        values = self.items(entry[key], entry.line_of(key), f"{field}.{key}")
        out = []
        for index, value in enumerate(values):
            if isinstance(value, bool) or not isinstance(value, (str, int)) or not str(value).strip():
                raise self.fail("expected a text", values.line_of(index), f"{field}.{key}[{index}]")
            out.append(str(value).strip())
        return out

    def day(self, entry: LMap, key: str, field: str) -> date | None:
        if key not in entry or entry[key] is None:
            return None
        try:
            return date.fromisoformat(str(entry[key]))
        except ValueError:
            raise self.fail(f"'{entry[key]}' is not a date (YYYY-MM-DD)", entry.line_of(key), f"{field}.{key}") from None

    def new_id(self, gazetteer_ids, entry: LMap, field: str, what: str = "place") -> str:
        value = entry["id"]
        if not valid_id(value):
            raise self.fail(f"'{value}' is not an id (lower-case letters, digits, '-', '_')", entry.line_of("id"), f"{field}.id")
        if value in gazetteer_ids:
            raise self.fail(f"a {what} with the id '{value}' already exists", entry.line_of("id"), f"{field}.id")
        return value


def _check_names(source: _File, gazetteer: Gazetteer, place_id: str, names: list[str], line: int, field: str) -> None:
    """A data folder's name must not already name another place (a lookup would turn ambiguous silently)."""
    for name in names:
        others = [p for p in gazetteer.find(name) if p.id != place_id and normalise(name) in {normalise(w) for w in p.words()}]
        if others:
            other = others[0]
            raise source.fail(f"the name '{name}' is already a name of '{other.id}' ({other.label_it})", line, field)


def _hint(gazetteer: Gazetteer, text: str) -> str:
    """" (did you mean 'veneto'?)": the places an unknown id perhaps meant, by name or spelling."""
    guesses = [f"'{p.id}'" for p in gazetteer.suggest(text)]
    return f" (did you mean {' or '.join(guesses)}?)" if guesses else ""


def add_places(gazetteer: Gazetteer, path: Path, document=None) -> None:
    """Add the places, groups and aliases of a ``places.yaml`` (``document``: its content already parsed)."""
    source = _File(path)
    data = source.mapping(load_yaml(path) if document is None else document, 1, "places.yaml")
    source.keys(data, "places.yaml", (), ("places", "groups", "aliases"))
    places = source.items(data["places"], data.line_of("places"), "places") if data.get("places") is not None else LList()
    groups = source.items(data["groups"], data.line_of("groups"), "groups") if data.get("groups") is not None else LList()
    aliases = source.items(data["aliases"], data.line_of("aliases"), "aliases") if data.get("aliases") is not None else LList()
    label = str(path)
    parents: list[tuple[str, str, int, str]] = []
    for index, raw in enumerate(places):
        field = f"places[{index}]"
        entry = source.mapping(raw, places.line_of(index), field)
        source.keys(entry, field, ("id", "kind", "name"), ("name_en", "parent", "aliases", "adjectives"))
        place_id = source.new_id(gazetteer, entry, field)
        kind = source.text(entry, "kind", field)
        if kind not in DATA_KINDS:
            raise source.fail(f"unknown kind '{kind}' (one of {', '.join(DATA_KINDS)})", entry.line_of("kind"), f"{field}.kind")
        name = source.text(entry, "name", field)
        name_en = source.text(entry, "name_en", field) if entry.get("name_en") else None
        aliases_of = source.texts(entry, "aliases", field)
        adjectives = source.texts(entry, "adjectives", field)
        _check_names(source, gazetteer, place_id, [name, *([name_en] if name_en else [])], entry.line_of("name"), f"{field}.name")
        _check_names(source, gazetteer, place_id, aliases_of, entry.line_of("aliases"), f"{field}.aliases")
        _check_names(source, gazetteer, place_id, adjectives, entry.line_of("adjectives"), f"{field}.adjectives")
        parent = None
        if entry.get("parent") is not None:
            parent = source.text(entry, "parent", field)
            parents.append((place_id, parent, entry.line_of("parent"), f"{field}.parent"))
        gazetteer.add_place(Place(place_id, kind, (name, *aliases_of), (name_en,) if name_en else (), tuple(adjectives),
                                  parent=parent, source=label))
    for place_id, parent, line, field in parents:
        if parent not in gazetteer:
            raise source.fail(f"the parent '{parent}' is not a place (an id of kg's gazetteer or of this file){_hint(gazetteer, parent)}",
                              line, field)
        if parent == place_id or any(p.id == place_id for p in gazetteer.ancestors(parent)):
            raise source.fail(f"the parent '{parent}' lies inside '{place_id}'", line, field)
    for index, raw in enumerate(groups):
        field = f"groups[{index}]"
        entry = source.mapping(raw, groups.line_of(index), field)
        source.keys(entry, field, ("id", "name", "members"), ("name_en", "aliases"))
        group_id = source.new_id(gazetteer, entry, field)
        name = source.text(entry, "name", field)
        name_en = source.text(entry, "name_en", field) if entry.get("name_en") else None
        aliases_of = source.texts(entry, "aliases", field)
        _check_names(source, gazetteer, group_id, [name, *([name_en] if name_en else [])], entry.line_of("name"), f"{field}.name")
        _check_names(source, gazetteer, group_id, aliases_of, entry.line_of("aliases"), f"{field}.aliases")
        members = source.items(entry["members"], entry.line_of("members"), f"{field}.members")
        memberships = []
        for number, member in enumerate(members):
            where = f"{field}.members[{number}]"
            line = members.line_of(number)
            if isinstance(member, LMap):
                source.keys(member, where, ("place",), ("since", "until"))
                place_id = source.text(member, "place", where)
                since, until = source.day(member, "since", where), source.day(member, "until", where)
                if since and until and until < since:
                    raise source.fail(f"'until' ({until}) is before 'since' ({since})", member.line_of("until"), f"{where}.until")
            elif isinstance(member, str):
                place_id, since, until = member.strip(), None, None
            else:
                raise source.fail("expected a place id or a mapping with 'place'", line, where)
            if place_id not in gazetteer:
                raise source.fail(f"the member '{place_id}' is not a place{_hint(gazetteer, place_id)}", line, where)
            memberships.append(Membership(place_id, since, until))
        gazetteer.add_place(Place(group_id, "group", (name, *aliases_of), (name_en,) if name_en else (),
                                  members=tuple(memberships), source=label))
    for index, raw in enumerate(aliases):
        field = f"aliases[{index}]"
        entry = source.mapping(raw, aliases.line_of(index), field)
        source.keys(entry, field, ("place", "names"), ())
        place_id = source.text(entry, "place", field)
        if place_id not in gazetteer:
            raise source.fail(f"'{place_id}' is not a place{_hint(gazetteer, place_id)}", entry.line_of("place"), f"{field}.place")
        names = source.texts(entry, "names", field)
        _check_names(source, gazetteer, place_id, names, entry.line_of("names"), f"{field}.names")
        place = gazetteer.place(place_id)
        gazetteer.add_place(replace(place, names_it=(*place.names_it, *names)))


def _notation(source: _File, value, line: int, field: str) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:02d}"  # 14 written without quotes
    if not isinstance(value, str) or not value.strip():
        raise source.fail("expected a sector id or ATECO notation", line, field)
    return value.strip()


def add_sectors(gazetteer: Gazetteer, path: Path, document=None) -> None:
    """Add the sectors and words of a ``sectors.yaml`` (``document``: its content already parsed)."""
    source = _File(path)
    data = source.mapping(load_yaml(path) if document is None else document, 1, "sectors.yaml")
    source.keys(data, "sectors.yaml", (), ("sectors", "words"))
    sectors = source.items(data["sectors"], data.line_of("sectors"), "sectors") if data.get("sectors") is not None else LList()
    words = source.items(data["words"], data.line_of("words"), "words") if data.get("words") is not None else LList()
    known = {s.id for s in gazetteer.sectors()}
    broader: list[tuple[str, int, str]] = []
    for index, raw in enumerate(sectors):
        field = f"sectors[{index}]"
        entry = source.mapping(raw, sectors.line_of(index), field)
        source.keys(entry, field, ("id", "name"), ("name_en", "broader", "words"))
        sector_id = source.new_id(known, entry, field, "sector")
        name = source.text(entry, "name", field)
        name_en = source.text(entry, "name_en", field) if entry.get("name_en") else name
        parent = _notation(source, entry["broader"], entry.line_of("broader"), f"{field}.broader") if entry.get("broader") is not None else None
        if parent:
            broader.append((parent, entry.line_of("broader"), f"{field}.broader"))
        known.add(sector_id)
        gazetteer.add_sector(Sector(sector_id, name, name_en, parent, str(path), tuple(source.texts(entry, "words", field)),
                                    source=str(path)))
    for parent, line, field in broader:
        if parent not in known:
            raise source.fail(f"the broader sector '{parent}' is not in the scheme (an ATECO notation such as CB or 14, or a sector of this file)", line, field)
    for index, raw in enumerate(words):
        field = f"words[{index}]"
        entry = source.mapping(raw, words.line_of(index), field)
        source.keys(entry, field, ("word", "sectors"), ())
        word = source.text(entry, "word", field)
        targets = source.items(entry["sectors"], entry.line_of("sectors"), f"{field}.sectors")
        for number, target in enumerate(targets):
            sector_id = _notation(source, target, targets.line_of(number), f"{field}.sectors[{number}]")
            if sector_id not in known:
                raise source.fail(f"'{sector_id}' is not a sector of the scheme", targets.line_of(number), f"{field}.sectors[{number}]")
            gazetteer.add_sector_word(word, sector_id)


def _only_comments(path: Path) -> bool:
    """A small file of nothing but comments and blank lines: the template with everything commented out."""
    if path.stat().st_size > 1024 * 1024:
        return False  # the YAML reader checks it (and its size)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return False  # the YAML reader says so, naming the byte
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())


def add_data_folder(gazetteer: Gazetteer, folder: Path, documents: dict | None = None) -> Gazetteer:
    """Add a data folder's ``places.yaml`` and ``sectors.yaml``, where it has them; ``documents``: the content of
    either already parsed, by file name (``kg review`` checks additions before they are saved)."""
    for name, add in ((PLACES_FILE, add_places), (SECTORS_FILE, add_sectors)):
        path = Path(folder) / name
        if documents and documents.get(name) is not None:
            add(gazetteer, path, documents[name])
        elif path.is_file():
            if not path.resolve().is_relative_to(Path(folder).resolve()):
                raise InputError("the file links outside the data folder; kg reads only files inside it", path)
            if not _only_comments(path):
                add(gazetteer, path)
    return gazetteer
