"""The places a draft may name, found in Italian text with the gazetteer (kg.model.gazetteer)."""

from __future__ import annotations

import re

CONTEXT_WORDS = [
    (r"\bregional[ei]\b", "italy"),
    (r"\bnazional[ei]\b", "italy"),
]
"""Words that stand for a place only by context: "nazionale" is Italy; "regionale" is read by the stages as the
region of the release's subject (the place given here only lets the finder return the words; where no subject
is known yet, "regionale" names no place). Every name, alias, adjective and demonym of a place is the gazetteer's
(:mod:`kg.model.gazetteer`)."""
SKIPPED_KINDS = ("world", "site")
"""Places the extractor does not read from a name: the world is read from the words of a total, a
site from the registry's premises."""
class PlaceFinder:
    """The places the extractor can name, read with the gazetteer (:class:`kg.model.gazetteer.Gazetteer`:
    the package's places with the data folder's): every name, alias and adjective of a place, and
    :data:`CONTEXT_WORDS`. ``known`` limits the places it may name (None: every place of the gazetteer);
    a place of the gazetteer outside it is listed for review (:meth:`unknown`). Made once per
    extraction run and passed down."""

    MAX_WORDS = 6  # the longest name, in words, looked for ("Saint Vincent e Grenadine")

    def __init__(self, gazetteer=None, known: set[str] | None = None):
        from kg.model.gazetteer import Gazetteer, normalise

        self.gazetteer = Gazetteer.bundled() if gazetteer is None else gazetteer
        self.known = None if known is None else set(known)
        self._normalise = normalise
        # normalised word -> [(place id, is a proper name)]: a name the gazetteer writes with a capital must be
        # written with one, an adjective or a name it writes in lower case need not ("Centro" is a macro-area, "in
        # centro" is not; "marchigiano" is Marche; "area euro", "area del Golfo", "extra Ue" are groups)
        self._words: dict[str, list[tuple[str, bool]]] = {}
        for place in self.gazetteer.places():
            if place.kind in SKIPPED_KINDS:
                continue
            names = [(w, w[:1].isupper()) for w in (*place.names_it, *place.names_en)]
            for word, proper in names + [(w, False) for w in place.adjectives]:
                entries = self._words.setdefault(normalise(word), [])
                if all(entry[0] != place.id for entry in entries):
                    entries.append((place.id, proper))
                elif not proper:  # "Trentino" is a name and "trentino" its adjective: lower case too
                    entries[:] = [(place_id, False if place_id == place.id else flag) for place_id, flag in entries]
        # the first word of every place name -> the most words a name starting with it has
        self._heads: dict[str, int] = {}
        for name in self._words:
            head, size = name.split(" ", 1)[0], len(name.split())
            self._heads[head] = max(size, self._heads.get(head, 0))
        # normalised Italian name -> sector ids: every sector's Italian label and aliases first (a release sector's
        # "moda" is fashion), a data folder's sector words, then the gazetteer's word table ("moda": CB)
        self._sector_names: dict[str, list[str]] = {}
        for sector in self.gazetteer.sectors():
            for word in (sector.label_it, *sector.alt_it, *sector.words):
                ids = self._sector_names.setdefault(normalise(word), [])
                if sector.id not in ids:
                    ids.append(sector.id)
        self._sector_table = self.gazetteer.sector_words()
        for word, targets in self._sector_table.items():
            ids = self._sector_names.setdefault(word, [])
            ids.extend(target for target in sorted(targets) if target not in ids)
        # the first word of every name -> the most words a name starting with it has
        self._sector_heads: dict[str, int] = {}
        for name in self._sector_names:
            head, size = name.split(" ", 1)[0], len(name.split())
            self._sector_heads[head] = max(size, self._sector_heads.get(head, 0))

    def __contains__(self, place: str) -> bool:
        return place in self.gazetteer and (self.known is None or place in self.known)

    def _matches(self, text: str) -> list[tuple[int, int, list[str]]]:
        """(start, end, place ids, best first) of every place word in ``text``, longest first where they overlap."""
        tokens = [(m.start(), m.end()) for m in re.finditer(r"[^\W_]+", text)]
        # each word normalised once: a name's normal form is its words' joined by a space (a word that
        # normalises to nothing, which no letter or digit does, has the span normalised whole)
        words = [self._normalise(text[start:end]) for start, end in tokens]
        found = []
        index = 0
        while index < len(tokens):
            longest = min(self.MAX_WORDS, self._heads.get(words[index].split(" ", 1)[0], 0), len(tokens) - index)
            for size in range(longest, 0, -1):
                start, end = tokens[index][0], tokens[index + size - 1][1]
                parts = words[index:index + size]
                entries = self._words.get(" ".join(parts) if all(parts) else self._normalise(text[start:end]))
                capital = text[start].isupper()
                ids = [place_id for place_id, proper in (entries or []) if capital or not proper]
                if ids:
                    ordered = [p.id for p in self.gazetteer.find(text[start:end]) if p.id in ids] or ids
                    found.append((start, end, ordered))
                    index += size
                    break
            else:
                index += 1
        return found

    def find(self, text: str) -> list[tuple[int, str, str]]:
        """(offset, place id, words) of every place word in ``text`` it may name; a longer name hides the shorter inside it."""
        found = []
        for start, end, ids in self._matches(text):
            allowed = [place_id for place_id in ids if place_id in self]
            if allowed:
                found.append((start, allowed[0], text[start:end]))
        taken = [(start, start + len(words)) for start, _p, words in found]
        for pattern, place in CONTEXT_WORDS:
            if place not in self:
                continue
            for match in re.finditer(pattern, text):
                if not any(s <= match.start() < e for s, e in taken):
                    found.append((match.start(), place, match.group(0)))
        return sorted(found)

    def find_sectors(self, text: str) -> list[tuple[int, int, list[str], list[str]]]:
        """(start, end, sector ids, codes) of every sector named in ``text`` (the longest where they overlap). The ids:
        a sector's Italian label or alias first (the release sectors' "moda" is fashion, "farmaceutica"
        pharmaceuticals; Istat's "Metalli di base e prodotti in metallo, esclusi macchine e impianti"; a data folder's
        own sectors), then what the gazetteer's word table maps the words to. The codes: what the word table and the
        indexed labels alone map them to, sorted ("moda": CB, "calzature": 15; none for "industriale"). A word right
        after "anno" is not a sector: "anno mobile" is a rolling year, not furniture."""
        tokens = [(m.start(), m.end()) for m in re.finditer(r"[^\W\d_]+", text)]
        words = [self._normalise(text[start:end]) for start, end in tokens]
        found = []
        index = 0
        while index < len(tokens):
            longest = min(self._sector_heads.get(words[index], 0), len(tokens) - index)
            for size in range(longest, 0, -1):
                ids = self._sector_names.get(" ".join(words[index:index + size]))
                start, end = tokens[index][0], tokens[index + size - 1][1]
                if ids and not re.search(r"\banno\s+$", text[max(0, start - 6):start], re.I):
                    found.append((start, end, list(ids), sorted(self._sector_table.get(" ".join(words[index:index + size]), []))))
                    index += size
                    break
            else:
                index += 1
        return found

    def town(self, name: str) -> str | None:
        """The place a dateline's name is: a town (a municipality or city) before a province of the same name."""
        ids = [place_id for start, end, found in self._matches(name) if (start, end) == (0, len(name))
               for place_id in found if place_id in self]
        towns = [place_id for place_id in ids if self.gazetteer.place(place_id).kind in ("municipality", "city")]
        return next(iter(towns or ids), None)

    def partner(self, place: str) -> bool:
        """Whether a place is one goods are sold to rather than from in the family's releases: a country other than
        Italy, a continent or a group of countries."""
        kind = self.gazetteer.place(place).kind
        if kind == "group":  # a group of Italian regions ("Mezzogiorno", "Nord-Ovest") is a place goods come from
            return not self.domestic(place)
        return place != "italy" and kind in ("country", "continent")

    def domestic(self, place: str) -> bool:
        """Whether ``place`` is Italy, lies in Italy or groups Italian places only: where exports come from, never go."""
        if place == "italy" or any(p.id == "italy" for p in self.gazetteer.ancestors(place)):
            return True
        members = self.gazetteer.members(place) if self.gazetteer.place(place).kind == "group" else []
        return bool(members) and all(any(p.id == "italy" for p in self.gazetteer.ancestors(m.id)) for m in members)

    def country_of(self, place: str) -> str:
        """The country a town or city of the gazetteer is in (the destination of goods sent to it); any other place itself."""
        if self.gazetteer.place(place).kind not in ("municipality", "city"):
            return place
        return next((p.id for p in self.gazetteer.ancestors(place) if p.kind == "country" and p.id in self), place)

    def unknown(self, text: str, known_words: set[str]) -> list[tuple[int, str, str]]:
        """(offset, name, code) of the gazetteer's places in ``text`` that it may not name (outside ``known``):
        the code is the place's ISO 3166 code, else its id."""
        found = []
        for start, end, ids in self._matches(text):
            name = text[start:end]
            if name in known_words or any(place_id in self for place_id in ids):
                continue
            place = self.gazetteer.place(ids[0])
            found.append((start, name, place.iso[0] if place.iso else place.id))
        return found
