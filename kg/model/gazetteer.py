"""Places, groups of places and sectors, looked up by id, code or name: the gazetteer.

The package ships every country (ISO 3166-1, with Italian and English names from CLDR), Italy's
regions, provinces and macro-areas (ISO 3166-2:IT, Istat codes), continents (UN M.49), groups
with their members by date (EU, euro area, extra-EU, GCC, Mezzogiorno), and Istat's product
classification for trade (ATECO 2007 sub-sections and divisions) with the words releases use for
sectors (``kg/resources/gazetteer/``, written by ``scripts/gazetteer.py``). A data folder adds
its own in ``places.yaml`` and ``sectors.yaml`` (:meth:`Gazetteer.load`).

Every name is compared through one normalisation, :func:`normalise` (case, accents, apostrophes
and hyphens do not matter), and a lookup answers every candidate: "Monaco" is the principality
and, in Italian, Munich.

    >>> places = Gazetteer.bundled()
    >>> [p.id for p in places.find("piceno")]
    ['ascoli-piceno-province']
    >>> [p.id for p in places.ancestors("fermo-province")]
    ['marche', 'italy-centre', 'italy']
    >>> from datetime import date
    >>> "united-kingdom" in places.member_ids("eu", date(2019, 6, 30)), "united-kingdom" in places.member_ids("eu", date(2021, 1, 1))
    (True, False)
    >>> [s.id for s in places.find_sector("moda")]
    ['CB']
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kg.errors import InputError, UsageError
from kg.resources import folder

GAZETTEER_DIR = folder("gazetteer")
GAZETTEER_FILE = "gazetteer.json"
PLACES_FILE = "places.yaml"
SECTORS_FILE = "sectors.yaml"
PLACE_KINDS = ("world", "continent", "group", "country", "macro-area", "region", "province", "city", "municipality", "area", "site")
"""The kinds of place: the bundled ones (``city`` is a town outside Italy, ``municipality`` an Italian
comune), and ``area`` (a part of a place a release names, such as a district an association draws)
and ``site`` (a plant, a port, a company's premises), which only a data folder adds."""
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_NON_WORD = re.compile(r"[\W_]+")
_KIND_ORDER = {kind: index for index, kind in enumerate(PLACE_KINDS)}


def normalise(text: str) -> str:
    """The form every name is compared in: no accents, case folded, any run of other characters than
    letters and digits one space ("L’Aquila" and "l'aquila", "Forlì-Cesena" and "forli cesena" match)."""
    plain = text if text.isascii() else "".join(
        char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))
    return " ".join(_NON_WORD.sub(" ", plain.casefold()).split())


@dataclass(frozen=True)
class Membership:
    """A place's membership of a group: from ``since`` to ``until``, both days included (None: open)."""

    place: str
    since: date | None = None
    until: date | None = None

    def on(self, day: date | None) -> bool:
        if day is None:
            return self.until is None
        return (self.since is None or self.since <= day) and (self.until is None or day <= self.until)


@dataclass(frozen=True)
class Place:
    """One place or group of places. ``names_it``/``names_en`` start with the label; ``members`` only for a
    group or continent; ``complement_of`` for a group that is every country outside another (extra-EU)."""

    id: str
    kind: str
    names_it: tuple[str, ...]
    names_en: tuple[str, ...]
    adjectives: tuple[str, ...] = ()
    iso: tuple[str, ...] = ()
    istat: str | None = None
    m49: str | None = None
    parent: str | None = None
    members: tuple[Membership, ...] = ()
    complement_of: str | None = None
    wikidata: str | None = None
    geonames: str | None = None
    source: str = "kg"
    """Where it was defined: "kg" (the package) or the data folder's file."""

    @property
    def label_it(self) -> str:
        return self.names_it[0] if self.names_it else self.names_en[0]

    @property
    def label_en(self) -> str:
        return self.names_en[0] if self.names_en else self.names_it[0]

    def words(self) -> tuple[str, ...]:
        """Every name, alias and adjective it is found by."""
        return self.names_it + self.names_en + self.adjectives


SCHEMES = ("ateco", "releases")
"""The sector schemes: Istat's product classification for trade (``ateco``: sub-sections such as ``CB``
and divisions such as ``14``, their notations as ids), and the sectors named in the releases
(``releases``: the sector words the seed uses as ids, such as ``fashion``, linked to NACE divisions,
and a data folder's own sectors)."""


@dataclass(frozen=True)
class Sector:
    """A concept of a sector scheme (:data:`SCHEMES`): a sub-section (``CB``) or division (``14``) of Istat's
    product classification, a sector word of the releases (``fashion``), or a data folder's own sector.
    ``label_source``: official, recalled, own, or the file. ``nace``: the NACE Rev. 2 sections or divisions
    it is close to (a release sector's; an ATECO division is its own)."""

    id: str
    label_it: str
    label_en: str
    broader: str | None = None
    label_source: str = "own"
    words: tuple[str, ...] = ()
    scheme: str = "releases"
    alt_it: tuple[str, ...] = ()
    alt_en: tuple[str, ...] = ()
    nace: tuple[str, ...] = ()
    note: str | None = None
    source: str = "kg"
    """Where it was defined: "kg" (the package) or the data folder's file."""


@dataclass
class _Index:
    by_id: dict[str, Place] = field(default_factory=dict)
    by_name: dict[str, list[str]] = field(default_factory=dict)
    by_code: dict[str, list[str]] = field(default_factory=dict)
    names_built: bool = False
    sectors: dict[str, Sector] = field(default_factory=dict)
    sector_words: dict[str, list[str]] = field(default_factory=dict)


class Gazetteer:
    """Places and sectors with their indexes. Built once by whoever needs it and passed along (nothing
    is kept at module level); :meth:`bundled` reads the package's file, :meth:`load` adds a data folder's."""

    def __init__(self, places: list[Place], sectors: list[Sector], words: list[tuple[str, list[str]]]):
        self._index = _Index()
        for place in places:
            self.add_place(place)
        for sector in sectors:
            # the sector words of the releases are ids, not words: "moda" finds Istat's CB, not "fashion"
            self.add_sector(sector, index_labels=sector.scheme == "ateco")
        for word, targets in words:
            for target in targets:
                self.add_sector_word(word, target)

    # -- building ----------------------------------------------------------------------------------

    def add_place(self, place: Place) -> None:
        """Add a place, or replace the one with its id (its names stay indexed: a replacement only adds names)."""
        self._index.by_id[place.id] = place
        if self._index.names_built:
            self._index_names(place)

    def _names(self) -> dict[str, list[str]]:
        """The name index, built on the first lookup by name or code (a lookup by id needs none)."""
        if not self._index.names_built:
            self._index.names_built = True
            for place in self._index.by_id.values():
                self._index_names(place)
        return self._index.by_name

    def _codes(self) -> dict[str, list[str]]:
        self._names()
        return self._index.by_code

    def _index_names(self, place: Place) -> None:
        for word in place.words():
            self._add_name(word, place.id)
        for code in (*place.iso, place.istat, place.m49):
            if code:
                ids = self._index.by_code.setdefault(code.upper(), [])
                if place.id not in ids:
                    ids.append(place.id)

    def _add_name(self, word: str, place_id: str) -> None:
        ids = self._index.by_name.setdefault(normalise(word), [])
        if place_id not in ids:
            ids.append(place_id)

    def add_sector(self, sector: Sector, index_labels: bool = True) -> None:
        """Add a sector; its labels (unless ``index_labels`` is false) and words find it."""
        self._index.sectors[sector.id] = sector
        for word in ((sector.label_it, sector.label_en) if index_labels else ()) + sector.words:
            self.add_sector_word(word, sector.id)

    def add_sector_word(self, word: str, sector_id: str) -> None:
        ids = self._index.sector_words.setdefault(normalise(word), [])
        if sector_id not in ids:
            ids.append(sector_id)

    @classmethod
    def bundled(cls, gazetteer_dir: Path | str = GAZETTEER_DIR) -> Gazetteer:
        """The package's gazetteer and sector scheme."""
        path = Path(gazetteer_dir) / GAZETTEER_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError("gazetteer file not found", path) from None
        places = [_place_from_json(entry) for entry in data["places"]]
        sectors = [Sector(s["id"], s["it"], s["en"], s.get("broader"), s["label_source"], scheme=s.get("scheme", "ateco"),
                          alt_it=tuple(s.get("alt_it", ())), alt_en=tuple(s.get("alt_en", ())),
                          nace=tuple(s.get("nace", [s["id"]] if s["id"].isdigit() else [])), note=s.get("note"))
                   for s in data["sectors"]]
        words = [(word, targets) for _lang, word, targets in data["sector_words"]]
        return cls(places, sectors, words)

    @classmethod
    def load(cls, data_folder: Path | str | None = None, gazetteer_dir: Path | str = GAZETTEER_DIR,
             documents: dict | None = None) -> Gazetteer:
        """The package's gazetteer with a data folder's ``places.yaml`` and ``sectors.yaml`` (each optional;
        ``documents``: either already parsed, by file name)."""
        gazetteer = cls.bundled(gazetteer_dir)
        if data_folder is not None:
            from kg.model.gazetteer_yaml import add_data_folder

            add_data_folder(gazetteer, Path(data_folder), documents)
        return gazetteer

    # -- places ------------------------------------------------------------------------------------

    def __contains__(self, place_id: object) -> bool:
        return place_id in self._index.by_id

    def __len__(self) -> int:
        return len(self._index.by_id)

    def places(self) -> list[Place]:
        return list(self._index.by_id.values())

    def get(self, place_id: str) -> Place | None:
        return self._index.by_id.get(place_id)

    def place(self, place_id: str) -> Place:
        """The place with this id; a UsageError naming the id when there is none."""
        found = self._index.by_id.get(place_id)
        if found is None:
            raise UsageError(f"no place has the id '{place_id}'")
        return found

    def by_code(self, code: str) -> list[Place]:
        """The places with this ISO 3166 code (alpha-2, alpha-3, numeric, 3166-2), Istat code or M.49 code.
        Numeric codes of different schemes can meet (ISO 040 is Austria, Istat 040 Forlì-Cesena): both answer."""
        return self._sorted(self._codes().get(code.strip().upper(), []))

    def by_iso(self, code: str) -> Place | None:
        """The place with this ISO 3166-1 or 3166-2 code ("DE", "DEU", "276", "IT-FM")."""
        return next((p for p in self.by_code(code) if code.strip().upper() in p.iso), None)

    def by_istat(self, code: str) -> Place | None:
        """The region ("11"), province ("109"), municipality ("042002") or macro-area ("3") with this Istat code."""
        return next((p for p in self.by_code(code) if p.istat == code.strip()), None)

    def find(self, text: str) -> list[Place]:
        """Every place whose id, name, alias, adjective or code is ``text`` (compared with :func:`normalise`);
        several when the name is ambiguous, none when nothing matches."""
        ids = list(self._names().get(normalise(text), []))
        stripped = text.strip()
        if stripped in self._index.by_id and stripped not in ids:
            ids.append(stripped)
        for place_id in self._codes().get(stripped.upper(), []):
            if place_id not in ids:
                ids.append(place_id)
        return self._sorted(ids)

    def _sorted(self, ids) -> list[Place]:
        places = [self._index.by_id[i] for i in ids]
        return sorted(places, key=lambda p: (_KIND_ORDER.get(p.kind, len(_KIND_ORDER)), p.id))

    def suggest(self, text: str, limit: int = 3) -> list[Place]:
        """The places an unknown id was perhaps meant for: those it names (a name, alias or code instead of
        the id: "Veneto", "IT-AN"), else those whose id or a name is spelled closest ("ancona-provnce")."""
        found = self.find(text)
        if found:
            return found[:limit]
        import difflib

        key = normalise(text)
        ids = difflib.get_close_matches(text.strip(), list(self._index.by_id), n=limit)
        for name in difflib.get_close_matches(key, list(self._names()), n=limit):
            ids += [i for i in self._index.by_name[name] if i not in ids]
        return [self._index.by_id[i] for i in ids[:limit]]

    def ancestors(self, place_id: str) -> list[Place]:
        """The places that contain it, nearest first: a province's region, macro-area and Italy."""
        chain: list[Place] = []
        current = self.place(place_id)
        while current.parent:
            if any(p.id == current.parent for p in chain):  # a data folder's cycle: stop there
                break
            current = self.place(current.parent)
            chain.append(current)
        return chain

    def children(self, place_id: str) -> list[Place]:
        """The places whose parent it is."""
        return self._sorted(p.id for p in self._index.by_id.values() if p.parent == place_id)

    # -- groups ------------------------------------------------------------------------------------

    def members(self, group_id: str, on: date | None = None) -> list[Place]:
        """The members of a group or continent on a day (None: the current members, those with no end).
        A complement (extra-EU) has every country that is not a member of the other group that day."""
        group = self.place(group_id)
        if group.complement_of:
            inside = set(self.member_ids(group.complement_of, on))
            return self._sorted(p.id for p in self._index.by_id.values() if p.kind == "country" and p.id not in inside)
        if not group.members:
            raise UsageError(f"'{group_id}' is a {group.kind}, not a group of places")
        return self._sorted(m.place for m in group.members if m.on(on))

    def member_ids(self, group_id: str, on: date | None = None) -> list[str]:
        return [p.id for p in self.members(group_id, on)]

    def groups_of(self, place_id: str, on: date | None = None) -> list[Place]:
        """The groups and continents a place belongs to on a day (extra-EU included for a country outside the EU)."""
        place = self.place(place_id)
        found = [g.id for g in self._index.by_id.values() if any(m.place == place.id and m.on(on) for m in g.members)]
        for group in self._index.by_id.values():
            if group.complement_of and place.kind == "country" and place.id not in self.member_ids(group.complement_of, on):
                found.append(group.id)
        return self._sorted(found)

    # -- sectors -----------------------------------------------------------------------------------

    def sectors(self) -> list[Sector]:
        return list(self._index.sectors.values())

    def sector(self, sector_id: str) -> Sector:
        found = self._index.sectors.get(sector_id)
        if found is None:
            raise UsageError(f"no sector has the id '{sector_id}'")
        return found

    def find_sector(self, text: str) -> list[Sector]:
        """The sectors a word or label names ("moda": CB; "agroalimentare": AA and CA), or whose id it is."""
        ids = list(self._index.sector_words.get(normalise(text), []))
        if text.strip() in self._index.sectors and text.strip() not in ids:
            ids.append(text.strip())
        return [self._index.sectors[i] for i in sorted(ids)]

    def sector_words(self) -> dict[str, list[str]]:
        """Every indexed sector word (normalised) with the sectors it names: a copy, for a reader of text to index."""
        return {word: list(ids) for word, ids in self._index.sector_words.items()}

    def get_sector(self, sector_id: str) -> Sector | None:
        return self._index.sectors.get(sector_id)

    def suggest_sector(self, text: str, limit: int = 3) -> list[Sector]:
        """The sectors an unknown id was perhaps meant for: those a word names ("moda": CB), else the closest ids."""
        found = self.find_sector(text)
        if found:
            return found[:limit]
        import difflib

        ids = difflib.get_close_matches(text.strip(), list(self._index.sectors), n=limit)
        for word in difflib.get_close_matches(normalise(text), list(self._index.sector_words), n=limit):
            ids += [i for i in self._index.sector_words[word] if i not in ids]
        return [self._index.sectors[i] for i in ids[:limit]]

    def broader_sectors(self, sector_id: str) -> list[Sector]:
        """The sub-section of a division, then its section: nearest first."""
        chain: list[Sector] = []
        current = self.sector(sector_id)
        while current.broader and all(s.id != current.broader for s in chain):
            current = self.sector(current.broader)
            chain.append(current)
        return chain


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _place_from_json(entry: dict) -> Place:
    return Place(
        id=entry["id"], kind=entry["kind"], names_it=tuple(entry["it"]), names_en=tuple(entry["en"]),
        adjectives=tuple(entry.get("adjectives", ())), iso=tuple(entry.get("iso", ())), istat=entry.get("istat"),
        m49=entry.get("m49"), parent=entry.get("parent"),
        members=tuple(Membership(m[0], _day(m[1]), _day(m[2])) for m in entry.get("members", ())),
        complement_of=entry.get("complement_of"), wikidata=entry.get("wikidata"), geonames=entry.get("geonames"),
    )


def valid_id(text: object) -> bool:
    return isinstance(text, str) and bool(_ID.match(text))
