"""Draft the annotation of a release from its Italian text, every item anchored to its words.

Deterministic rules over the sentences of the text (kg.model.numbers reads the amounts and
percentages, kg.model.periods the periods and writes their notation, kg.model.italian finds
the hedges, the words of a change and the dateline; the registry and the place and sector
vocabularies name the actors). Each drafted fact quotes its evidence verbatim, so
the loader can find it; what the rules are unsure of carries ``review:`` with the
reason, for the analyst to check, instead of being dropped or guessed.

It drafts the release's dateline and press office; figures in the measures of the
fact model (README, "The model"): levels (an amount on a cell: flow, origin,
destination, period, sector, exclusions; a hedge), the change a sentence states against
a reference period, on the cell of its level, and the share of a whole cell; the data
source the text names; people in posts, quotations with their speaker, meetings with a
date derived from a weekday, and acquisitions as stated; names it cannot place are
listed for review. ``evaluate`` scores drafts against curated annotations, figure by
figure and attribute by attribute.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from kg.model import italian as italian
from kg.model.evidence import sentences as split_sentences
from kg.model.numbers import currency_at, find_amounts, find_percentages
from kg.model.periods import WEEKDAYS_IT, PeriodError, find_periods, parse_period
from kg.model.schema import KINDS, direction_sign

CONTEXT_WORDS = [
    (r"\bregional[ei]\b", "marche"),
    (r"\bnazional[ei]\b", "italy"),
]
"""Words that stand for a place only by context ("l'export regionale" of a Marche release): the
extractor's own guesses. Every name, alias, adjective and demonym of a place is the gazetteer's
(:mod:`kg.model.gazetteer`)."""
SKIPPED_KINDS = ("world", "site")
"""Places the extractor does not read from a name: the world is read from the words of a total, a
site from the registry's premises."""
DESTINATION_CUES = (r"(?:verso|in|negli|nei|nel|nella|nello|con|nei rapporti con|diretto in|destinat[oaie] (?:a|al|all['’]))"
                    r"\s+(?:l['’]|il |la |lo |i |gli |le )?")
TOTAL_CUES = r"\btotale\b|\bcomplessiv[oaie]\b|\bin tutto il mondo\b"
SECTOR_WORDS = {
    "moda": "fashion", "abbigliamento": "clothing", "arredo": "furniture", "meccanica": "mechanics",
    "macchinari": "machinery", "elettronica": "electronics", "componentistica": "components",
    "metalmeccanica": "metalworking", "farmaceutica": "pharmaceuticals", "prodotti elettrici": "electrical-products",
}
SAME_PERIOD = re.compile(r"stesso periodo dell['’]anno precedente|stesso periodo del(?:l['’])? ?(?:anno )?(?:19|20)\d{2}", re.I)


@dataclass
class Draft:
    release: dict
    facts: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


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
        # normalised word -> [(place id, is a proper name)]: a name must be written with a capital, an
        # adjective need not ("Centro" is a macro-area, "in centro" is not; "marchigiano" is Marche)
        self._words: dict[str, list[tuple[str, bool]]] = {}
        for place in self.gazetteer.places():
            if place.kind in SKIPPED_KINDS:
                continue
            for word, proper in [(w, True) for w in (*place.names_it, *place.names_en)] + [(w, False) for w in place.adjectives]:
                entries = self._words.setdefault(normalise(word), [])
                if all(entry[0] != place.id for entry in entries):
                    entries.append((place.id, proper))

    def __contains__(self, place: str) -> bool:
        return place in self.gazetteer and (self.known is None or place in self.known)

    def _matches(self, text: str) -> list[tuple[int, int, list[str]]]:
        """(start, end, place ids, best first) of every place word in ``text``, longest first where they overlap."""
        tokens = [(m.start(), m.end()) for m in re.finditer(r"[^\W_]+", text)]
        found = []
        index = 0
        while index < len(tokens):
            for size in range(min(self.MAX_WORDS, len(tokens) - index), 0, -1):
                start, end = tokens[index][0], tokens[index + size - 1][1]
                entries = self._words.get(self._normalise(text[start:end]))
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

    def town(self, name: str) -> str | None:
        """The place a dateline's name is: a town (a municipality or city) before a province of the same name."""
        ids = [place_id for start, end, found in self._matches(name) if (start, end) == (0, len(name))
               for place_id in found if place_id in self]
        towns = [place_id for place_id in ids if self.gazetteer.place(place_id).kind in ("municipality", "city")]
        return next(iter(towns or ids), None)

    def partner(self, place: str) -> bool:
        """Whether a place is one goods are sold to rather than from in the family's releases: a country other than
        Italy, a continent or a group of countries."""
        return place != "italy" and self.gazetteer.place(place).kind in ("country", "continent", "group")

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


def _clause_start(text: str, sentence_start: int, at: int) -> int:
    """Where the clause holding offset ``at`` begins: after the last , ; : – before it, or the sentence."""
    cut = sentence_start
    for match in re.finditer(r"[,;:–]\s", text[sentence_start:at]):
        cut = sentence_start + match.end()
    return cut


def _unique_span(text: str, start: int, end: int, sentence: tuple[int, int]) -> tuple[int, int]:
    """Widen [start, end) until the quote occurs once in the text (at most to the whole sentence)."""
    while text.count(text[start:end]) > 1 and (start > sentence[0] or end < sentence[1]):
        start, end = max(sentence[0], start - 10), min(sentence[1], end + 10)
    return start, end


def _slug(text: str) -> str:
    """An id-safe slug of at most 40 characters."""
    from kg.rdf.iris import slug

    return slug(text)[:40].strip("-")


CELL_FIELDS = ("flow", "origin", "destination", "period", "sector", "excludes")
"""The fields that name a figure's cell (kg.model.schema.CELL_KEYS)."""
REFERENCE_WORDS = re.compile(r"\b(?:rispetto\s+(?:a|al|allo|alla|ai|agli|all['’])|sul|sull['’]|sui)\s*[^,.;]*?(?:(?:19|20)\d{2})"
                             r"|\b(?:il valore|i valori|il livello|i livelli|quell[oaie]) del(?:l['’])?\s*(?:(?:19|20)\d{2})", re.I)
"""A named reference period: "rispetto al 2020", "Rispetto al 2019", "sul 2022", "rispetto al primo semestre 2024",
"oltre 7 volte il valore del 2019"."""
SIGNS = "+-−–"
SHARE_OF = re.compile(r"\s+del(?:l['’]|le)?\s*(?:totale|export|esportazioni|vendite)(?:\s+(?!del)[a-zà-ù]+)?")
"""The whole a percentage is a share of, right after it: "del totale provinciale", "dell'export nazionale"."""


def _cell_fields(figure: dict) -> dict:
    """The cell of a drafted figure, and how its period was read: what a share or a change on the same cell repeats."""
    return {key: figure[key] for key in (*CELL_FIELDS, "period_basis", "period_note") if key in figure}


def _whole_of(part: dict, whole: dict | None, context: str, places: PlaceFinder) -> tuple[dict, str | None]:
    """A share's ``of`` (the fields in which the whole's cell differs from the part's) and a review note, if any.

    The whole is the level of the total drafted in the same sentence when there is one; otherwise the
    words say it ("dell'export italiano": Italy's; "del totale regionale" of a province: its region's; "del
    totale" of a destination: the world's; of a sector: all goods')."""
    if whole is not None:
        of = {}
        for key in CELL_FIELDS:
            mine, theirs = part.get(key), whole.get(key)
            if key == "excludes":
                mine, theirs = sorted(mine or []), sorted(theirs or [])
            if mine != theirs:
                of[key] = theirs
        if of and "TODO" not in of.values():
            return of, None
    note = "the whole is read from the words, not from a level of the sentence: check"
    if re.search(r"\bitalian[oaie]\b|\bnazional[ei]\b", context) and part.get("origin") != "italy":
        return {"origin": "italy"}, note
    origin = str(part.get("origin"))
    if re.search(r"\bregional[ei]\b", context) and origin in places and places.gazetteer.place(origin).kind == "province":
        region = next((p.id for p in places.gazetteer.ancestors(origin) if p.kind == "region"), None)
        if region is not None:
            return {"origin": region}, note
    if part.get("destination") != "world":
        return {"destination": "world"}, note
    if part.get("sector"):
        return {"sector": None}, note
    return {"origin": "italy"}, "the whole this share is of was not found: check"


def _reference(text: str, sentence: tuple[int, int], near: int, subject: dict, change: dict, pieces: list) -> None:
    """The reference period of a change: named right after its number (within 40 characters), else in the
    sentence ("rispetto al 2020", "stesso periodo del 2023"), else assumed to be the same period of the year before."""
    for start, end in ((near, min(sentence[1], near + 40)), sentence):
        same = SAME_PERIOD.search(text, start, end)
        versus = REFERENCE_WORDS.search(text, start, end)
        if same:
            change["reference"] = "same-period-previous-year"
            pieces.append((same.start(), same.end()))
            return
        if versus:
            reference = find_periods(versus.group(0))
            if reference and "period" in subject:
                pieces.append((versus.start(), versus.end()))
                own = parse_period(subject["period"])
                same_year = reference[-1].value == own.same_period_previous_year()
                change["reference"] = "same-period-previous-year" if same_year else "other"
                change["reference_period"] = reference[-1].value.notation
                return
    change["reference"] = "same-period-previous-year"
    change["review"] = "the reference period is assumed to be the same period of the year before"


def _finish_change(text: str, sentence: tuple[int, int], change: dict, pieces: list, subject: dict) -> dict:
    begin = min(a for a, _b in pieces)
    finish = max(b for _a, b in pieces)
    start, end = _unique_span(text, begin, finish, sentence)
    change["evidence"] = text[start:end]
    change["_start"], change["_subject"] = start, subject
    return change


def _attached_change(text: str, sentence: tuple[int, int], amount_end: int, percents: list, subject: dict):
    """A signed percentage right after a level is its change: "384,5 milioni (+0,6%)", "120,5 milioni, +9,2%)".
    Returns the change and the percentage, or None."""
    for number in percents:
        p_start, p_end = sentence[0] + number.start, sentence[0] + number.end
        if not (amount_end <= p_start <= amount_end + 12) or number.text[:1] not in SIGNS or number.value == 0:
            continue
        if not re.fullmatch(r"\s*[(,]\s*", text[amount_end:p_start]):
            continue
        change: dict = {"kind": "change", **_cell_fields(subject), "value": number.value, "unit": "percent",
                        "direction": "increase" if number.value > 0 else "decrease"}
        pieces = [(p_start, p_end)]
        _reference(text, (p_end, min(sentence[1], p_end + 40)), p_end, subject, change, pieces)
        if "review" in change:  # no reference right after the number: the sentence's, else the assumed one
            change.pop("review")
            pieces = [(p_start, p_end)]
            _reference(text, sentence, p_end, subject, change, pieces)
        change["hedge"] = "exact"
        return _finish_change(text, sentence, change, pieces, subject), number
    return None


def _change(text: str, sentence_start: int, sentence_end: int, percents: list, figures: list[dict]) -> dict | None:
    """The change a sentence states against a reference period, on the cell of the last level before its number
    (else the sentence's last level): its value (per cent, signed as written, else by the direction's words),
    direction, reference and hedge."""
    sentence = text[sentence_start:sentence_end]
    number = next((p for p in percents if not re.search(r"pari a", sentence[max(0, p.start - 12):p.start])), None)
    signed = number is not None and number.text[:1] in SIGNS and number.value != 0
    direction = italian.change_direction(sentence)
    if number is not None and signed:
        direction = "increase" if number.value > 0 else "decrease"  # the number's sign, not a verb's
    same = SAME_PERIOD.search(sentence)
    versus = REFERENCE_WORDS.search(sentence)
    if not (figures and direction and (same or percents or versus)):
        return None
    before = [f for f in figures if number is not None and f["_amount_start"] < sentence_start + number.start]
    subject = before[-1] if before else figures[-1]
    change: dict = {"kind": "change", **_cell_fields(subject)}
    pieces = []
    if number is not None:
        change["value"] = number.value if signed else abs(number.value) * direction_sign(direction)
        change["unit"] = "percent"
        pieces.append((sentence_start + number.start, sentence_start + number.end))
    change["direction"] = direction
    _reference(text, (sentence_start, sentence_end), sentence_start + (number.end if number else 0), subject, change, pieces)
    if not signed:
        direction_match = italian.direction_words(sentence, direction)
        if direction_match:
            pieces.append((sentence_start + direction_match.start(), sentence_start + direction_match.end()))
    lieve = re.search(r"\blieve\b|\blegger[oa]\b", sentence)
    if lieve:
        change["magnitude_words"] = lieve.group(0)
        pieces.append((sentence_start + lieve.start(), sentence_start + lieve.end()))
    change["hedge"] = "exact"
    if number is not None:
        clause = _clause_start(sentence, 0, number.start)
        hedge = italian.find_hedge(sentence, number.start, window=number.start - clause)
        if hedge is not None:
            change["hedge"], change["hedge_words"] = hedge.value, hedge.text
            pieces.append((sentence_start + hedge.start, sentence_start + hedge.end))
    return _finish_change(text, (sentence_start, sentence_end), change, pieces, subject)


def extract(text: str, release_id: str, registry=None, places: PlaceFinder | set[str] | None = None) -> Draft:
    """A draft annotation (plain data, ready for YAML) of ``text``; ``places``: the place finder (or the
    place ids it may name) to read places with, default every place of the package's gazetteer."""
    places = places if isinstance(places, PlaceFinder) else PlaceFinder(known=places)
    spans = split_sentences(text)
    release: dict = {"id": release_id, "text": "release.txt", "language": "it"}
    draft = Draft(release)
    dateline = italian.find_dateline(text)
    if dateline:
        release["published"] = dateline.value.isoformat()
        release["evidence"] = dateline.text
        place = places.town(dateline.kind) or _slug(dateline.kind)
        if place in places:
            release["dateline"] = place
    else:
        draft.notes.append("review: no dateline ('Città, 20 febbraio 2026') found; fill release.published and release.evidence")
    if registry is not None:
        for org_id, entry in sorted(registry.organizations.items()):
            if entry and entry.get("kind") == "unit" and entry["name"] in text:
                release["author"] = org_id
                release["author_evidence"] = entry["name"]
                if entry.get("part_of"):
                    release["publisher"] = entry["part_of"]
    if "publisher" not in release:
        draft.notes.append("review: the publisher is not an organisation of the registry; set release.publisher")
        release["publisher"] = "TODO"

    ids: set[str] = set()

    def new_id(base: str) -> str:
        candidate, n = base, 2
        while candidate in ids:
            candidate, n = f"{base}-{n}", n + 1
        ids.add(candidate)
        return candidate

    last: dict[str, str | None] = {"origin": None, "destination": None, "period": None}
    seen_periods: list = []
    body_start = dateline.start if dateline else 0
    for sentence_start, sentence_end in spans:
        if sentence_end <= body_start:
            continue  # the headline restates figures of the body
        sentence = text[sentence_start:sentence_end]
        if "“" in sentence or sentence.startswith('"'):
            continue  # quotations are drafted below; their figures are opinions, not data
        amounts = [a for a in find_amounts(sentence) if a.value >= 1000]
        percents = find_percentages(sentence)
        references = [m.span() for m in REFERENCE_WORDS.finditer(sentence)]
        references += [m.span() for m in SAME_PERIOD.finditer(sentence)]
        periods = [p for p in find_periods(sentence) if not any(a <= p.start < b for a, b in references)]
        sentence_places = places.find(sentence)
        figures: list[dict] = []
        attached: list[dict] = []  # the changes stated right after a level's amount
        used: list = []  # their percentages
        for index, amount in enumerate(amounts):
            a_start, a_end = sentence_start + amount.start, sentence_start + amount.end
            clause_start = _clause_start(text, sentence_start, a_start)
            clause = text[clause_start:a_end]
            # the currency the figure's own words name ("di dollari", "$"), quoted with it; else euro
            currency = None if amount.text.lower().endswith("euro") else currency_at(text, a_start, a_end)
            if currency is not None and currency.end > a_end:
                a_end = currency.end
            amount_end = a_end
            fact: dict = {"kind": "level", "flow": "export", "amount": amount.value, "unit": currency.value if currency else "EUR"}
            review = []
            hedge = italian.find_hedge(text, a_start, window=a_start - clause_start + 1)
            if hedge is None and index > 0 and re.match(r"\s+e\s+$", text[sentence_start + amounts[index - 1].end:a_start][-3:] or ""):
                hedge = None
            if hedge is None and index > 0 and figures and " e " in text[sentence_start + amounts[index - 1].end:a_start]:
                previous = figures[-1]
                if previous.get("hedge") != "exact" and "hedge_words" in previous:
                    fact["hedge"], fact["hedge_words"] = previous["hedge"], previous["hedge_words"]
                    clause_start = min(clause_start, previous["_start"])
                    review.append("the hedge is carried over from the figure before, which shares the verb")
            if "hedge" not in fact:
                fact["hedge"] = hedge.value if hedge else "exact"
                if hedge:
                    fact["hedge_words"] = hedge.text
                    clause_start = min(clause_start, hedge.start)
            # the period: in the clause, else in the sentence, else the last one seen (implied)
            def distance(p, amount=amount):  # bound now: called in this iteration only
                if p.start >= amount.end:  # a period right after the amount ("1,5 milioni nel 2024") is its own
                    gap = p.start - amount.end
                    return gap if gap <= 20 else 1000 + gap
                return 100 + amount.start - p.end
            chosen = min(periods, key=distance) if periods else None
            if chosen is not None:
                fact["period"] = chosen.value.notation
                p_start, p_end = sentence_start + chosen.start, sentence_start + chosen.end
                if p_start < clause_start and p_start >= sentence_start:
                    clause_start = p_start
                elif p_end > a_end and p_start - a_end < 25:
                    a_end = p_end
                last["period"] = fact["period"]
                seen_periods.append(chosen.value)
            elif re.search(r"\bnel(?:lo stesso)? (trimestre|semestre)\b", clause + text[a_end:a_end + 20]):
                months = 3 if "trimestre" in (clause + text[a_end:a_end + 20]) else 6
                same_kind = [p for p in seen_periods if p.months == months]
                if same_kind:
                    fact["period"] = same_kind[-1].notation
                    fact["period_basis"] = "carried"
                    fact["period_note"] = f"«nel {'trimestre' if months == 3 else 'semestre'}»: the last such period named before."
                    last["period"] = fact["period"]  # the figures after it share it, as they share a period named outright
                    review.append("'nel trimestre' / 'nel semestre' read as the last such period named")
                elif last["period"]:
                    fact["period"] = last["period"]
                    review.append("the period is implied by context")
            elif last["period"]:
                fact["period"] = last["period"]
                fact["period_basis"] = "implied"
                fact["period_note"] = "No period in the sentence; the period of the figure before, by context."
                review.append("the period is implied by context")
            else:
                review.append("no period found")
            # origin and destination
            total = re.search(TOTAL_CUES, sentence, re.I)
            origin = destination = None
            for offset, name, code in places.unknown(sentence, {w for _o, _p, w in sentence_places}):
                if re.search(DESTINATION_CUES + r"$", sentence[max(0, offset - 25):offset]) and offset < amount.start + 120:
                    destination = ("TODO", name, offset)
                    review.append(f"the destination «{name}» (ISO {code}) is not a place this draft may name")
                    break
            partner = None
            for offset, place, words in sentence_places:
                cue = re.search(DESTINATION_CUES + r"$", sentence[max(0, offset - 25):offset])
                if cue:
                    if destination is None or (destination[0] == "TODO" and offset < amount.start):
                        destination = (place, words, offset)
                elif offset < amount.start and places.partner(place):
                    partner = (place, words, offset)  # "Seguono Francia (640,2 milioni)": a foreign market, not an origin
                elif offset < amount.start:
                    origin = (place, words, offset)  # the nearest origin word before the amount
            if partner and (destination is None or destination[2] > amount.start):
                destination = partner
            if total and total.start() > amount.start - 80 and amount.start > total.start():
                destination = ("world", total.group(0), total.start())
                review.append("a total over all destinations")
            if destination and destination[0] in places:
                country = places.country_of(destination[0])
                if country != destination[0]:  # goods go to a country: "verso Baku" is to Azerbaijan, stated as Baku
                    fact["stated_as"] = destination[1]
                    destination = (country, destination[1], destination[2])
            if origin and destination and origin[0] == destination[0]:
                # one place cannot be both: the one named nearer the amount keeps its role ("made in Italy, ...
                # dove l'export italiano ha sfiorato i 6 miliardi": Italy is the origin)
                if abs(amount.start - origin[2]) < abs(amount.start - destination[2]):
                    destination = partner if partner and partner[0] != origin[0] else None
                else:
                    origin = None
            origin_id = origin[0] if origin else last["origin"]
            destination_id = destination[0] if destination else last["destination"]
            if destination is None and destination_id == origin_id:
                destination_id = None  # the destination before is this figure's origin: not carried
            if origin is None:
                review.append("origin taken from the figure before")
            if destination is None and destination_id is not None:
                review.append("destination taken from the figure before")
            elif destination_id is None:
                destination_id = "world"  # the model's reading of a figure that names no partner
                review.append("no destination is named before it: the world")
            fact["origin"], fact["destination"] = origin_id or "TODO", destination_id
            if origin:
                last["origin"] = origin[0]
            if destination and destination[0] != "world":
                last["destination"] = destination[0]
            # a sector named right after the amount ("2,1 milioni provengono dalla moda")
            after = text[a_end:min(sentence_end, a_end + 90)]
            sectors = [(after.find(word), sector) for word, sector in SECTOR_WORDS.items() if re.search(rf"\b{word}\b", after[:80])]
            evidence_end = a_end
            if sectors and re.match(r"\s*(?:ciascuno\s+)?(?:provengono|da|dalla|dal|dall['’]|dai|dagli|per)\b", after):
                sectors.sort()
                position, sector = sectors[0]
                fact["sector"] = sector
                word = next(w for w, s in SECTOR_WORDS.items() if s == sector and after.find(w) == position)
                evidence_end = a_end + position + len(word)
                if "ciascuno" in after[:12]:
                    review.append("'ciascuno' spreads the amount over several sectors")
                    listed = [(after.find(w), w) for w, s in SECTOR_WORDS.items() if re.search(rf"\b{w}\b", after[:120])]
                    evidence_end = a_end + max(p + len(w) for p, w in listed)
            scope = re.search(r"\b(?:esclus[oaie]|al netto del(?:la|le|l['’])?|senza)\s+(?:la |il |i |le |l['’])?(?P<what>[\wàèéìòù]+(?: [\wàèéìòù]+)?)",
                              text[clause_start:evidence_end])
            if scope:
                fact["scope"] = scope.group(0)
                excluded = [sector for word, sector in SECTOR_WORDS.items() if scope.group("what").startswith(word)]
                if excluded:
                    fact["excludes"] = excluded
            if "sector" not in fact:
                before_words = [(text[clause_start:a_start].find(w), s) for w, s in SECTOR_WORDS.items()
                                if re.search(rf"\b{w}\b", text[clause_start:a_start]) and s not in fact.get("excludes", ())]
                if before_words:
                    fact["sector"] = sorted(before_words)[-1][1]
                    review.append("the sector is named before the amount: check what it is a part of")
                    tail = re.match(r"\s*nel (?:trimestre|semestre)", text[a_end:])
                    if tail:
                        evidence_end = max(evidence_end, a_end + tail.end())
            start, end = _unique_span(text, clause_start, evidence_end, (sentence_start, sentence_end))
            fact["evidence"] = text[start:end]
            if fact.get("stated_as") and fact["stated_as"] not in fact["evidence"]:
                fact["evidence"] = [fact["stated_as"], fact["evidence"]]  # the name the text uses, quoted too
            fact["_start"] = start
            fact["_amount_start"] = sentence_start + amount.start
            if review:
                fact["review"] = "; ".join(review)
            figures.append(fact)
            attached_change = _attached_change(text, (sentence_start, sentence_end), amount_end, percents, fact)
            if attached_change is not None:
                attached.append(attached_change[0])
                used.append(attached_change[1])
            # one fact per sector when the amount is given "ciascuno" for a list
            if "ciascuno" in after[:12]:
                each = [sector for word, sector in SECTOR_WORDS.items() if re.search(rf"\b{word}\b", after[:120])]
                for sector in each[1:]:
                    copy = dict(fact, sector=sector)
                    figures.append(copy)
        # shares: "pari allo 0,05% del totale", "il 29,3% del totale provinciale": of the cell of the figure before it
        shares = []
        for percent in percents:
            p_start, p_end = sentence_start + percent.start, sentence_start + percent.end
            context = text[p_start - 20:p_end + 30]
            total_cue = re.search(TOTAL_CUES + r"|dell['’](?:export|esportazioni)\s+(?:italian[oaie]|nazional[ei]|regional[ei])", context)
            of_words = SHARE_OF.match(text, p_end, sentence_end)
            before = [f for f in figures if f["_amount_start"] < p_start]
            if before and (of_words or (re.search(r"pari a(?:llo|l|ll['’])?|quota", context) and total_cue)):
                part = before[-1]
                whole = next((f for f in figures if f.get("destination") == "world" and f is not part),
                             next((f for f in figures if f.get("_amount_start", 0) > p_start), None))
                share = {"kind": "share", **_cell_fields(part), "percent": abs(percent.value), "hedge": "exact"}
                share["of"], whole_review = _whole_of(part, whole, context, places)
                if whole_review:
                    share["review"] = whole_review
                pari = re.search(r"pari a\S*\s*$", text[p_start - 12:p_start])
                begin = p_start - len(pari.group(0)) if pari else p_start
                hedge = italian.find_hedge(text, p_start, window=min(20, p_start - _clause_start(text, sentence_start, p_start)))
                if hedge is not None:
                    share["hedge"], share["hedge_words"] = hedge.value, hedge.text
                    begin = min(begin, hedge.start)
                start, end = _unique_span(text, begin, of_words.end() if of_words else p_end, (sentence_start, sentence_end))
                share["evidence"] = text[start:end]
                share["_start"], share["_part"] = start, part
                shares.append(share)
        draft.facts.extend(figures)
        draft.facts.extend(shares)
        # a change against a reference period, on the cell of the sentence's last level
        draft.facts.extend(attached)
        quoted = [(share["_start"], share["_start"] + len(share["evidence"])) for share in shares]
        left = [p for p in percents if p not in used and not any(a <= sentence_start + p.start < b for a, b in quoted)]
        change = _change(text, sentence_start, sentence_end, left, figures) if left or not attached else None
        if change is not None:
            draft.facts.append(change)

    _posts(text, draft, registry, places)
    _quotations(text, draft, registry)
    _meetings(text, draft, registry, places, dateline)
    _acquisitions(text, draft, registry)
    _data_sources(text, draft, registry)
    _candidates(text, draft, registry, places)
    _finish(draft, new_id)
    return draft


def _names(registry) -> tuple[dict, dict, dict]:
    """Registry names -> ids: organisations (Italian and English names), people, roles (Italian word)."""
    if registry is None:
        return {}, {}, {}
    orgs = {}
    for org_id, entry in registry.organizations.items():
        if entry:
            orgs[entry["name"]] = org_id
            if entry.get("name_en"):
                orgs.setdefault(entry["name_en"], org_id)
    people = {entry["name"]: person for person, entry in registry.people.items() if entry}
    roles = {entry["it"].lower(): role for role, entry in registry.roles.items() if entry}
    return orgs, people, roles


def _alternation(names) -> str:
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) or "(?!)"


def _posts(text: str, draft: Draft, registry, places: PlaceFinder) -> None:
    """People in posts, as attributions write them: 'il presidente di X, Nome' or 'Nome, presidente di X'."""
    orgs, people, roles = _names(registry)
    if not (orgs and people and roles):
        return
    role = rf"(?P<role>{_alternation(r[0].upper() + r[1:] for r in roles)}|{_alternation(roles)})"
    org = rf"(?P<org>{_alternation(orgs)})"
    delegation = r"(?:\s+con delega a(?:ll['’]|l|lla|i|gli)?\s*(?P<delegation>[^,]+?))?"
    where = r"(?:\s+in\s+(?P<where>[A-ZÀ-Ý][\wà-ù]+))?"
    person = rf"(?P<person>{_alternation(people)})"
    patterns = [
        rf"\b(?:il |la |l['’])?{role}\s+(?:di|della|del|dell['’])\s+{org}{where}{delegation},\s+{person}",
        rf"{person},\s+{role}\s+(?:di|della|del|dell['’])\s+{org}{where}{delegation}(?=\s*[–,.-])",
    ]
    seen = set()
    for pattern in patterns:
        for match in re.finditer(pattern, text):
            key = (match.group("person"), match.group("role").lower(), match.group("org"))
            if key in seen:
                continue
            seen.add(key)
            fact = {"kind": "post", "person": people[match.group("person")], "organization": orgs[match.group("org")],
                    "role": roles[match.group("role").lower()], "evidence": match.group(0)}
            if match.group("delegation"):
                fact["delegation"] = match.group("delegation").strip()
            if match.group("where"):
                found = [p for _o, p, _w in places.find(match.group("where"))]
                if found:
                    fact["accredited_to"] = found[0]
            if text.count(fact["evidence"]) > 1:
                fact["review"] = "the same words occur twice in the text; quote a longer passage"
            draft.facts.append(fact)


def _meetings(text: str, draft: Draft, registry, places: PlaceFinder, dateline) -> None:
    """'incontro tra X e Y ... che si è tenuto martedì': attendees from the registry, the date derived."""
    from datetime import timedelta

    orgs, people, _roles = _names(registry)
    for match in re.finditer(r"\bincontr[oi]\s+(?:tra|fra|con)\b[^.]*", text):
        clause = match.group(0)
        spans = []
        for name, ident in {**orgs, **people}.items():
            for found in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", clause[:200]):
                spans.append((found.start(), found.end(), ident))
        # a name inside a longer one ("Confindustria" in "Confindustria Ancona") is not an attendee, nor an
        # organisation named only as someone's post ("l’Ambasciatore della Repubblica ..., Rashad Aslanov")
        spans = [(a, b, i) for a, b, i in spans if not any(c <= a and b <= d and (c, d) != (a, b) for c, d, _j in spans)]
        spans = [(a, b, i) for a, b, i in spans
                 if not re.search(r"\b(?:[Aa]mbasciatore|presidente|vicepresidente|direttore)\s+(?:di|della|del|dell['’])\s*$", clause[max(0, a - 40):a])]
        attendees = []
        for _a, _b, ident in sorted(spans):
            if ident not in attendees:
                attendees.append(ident)
        if len(attendees) < 2:
            continue
        fact = {"kind": "meeting", "attendees": attendees}
        day = re.search(rf"\b({'|'.join(WEEKDAYS_IT)})\b", clause)
        end = len(clause)
        if day and dateline is not None:
            published = dateline.value
            delta = (published.weekday() - WEEKDAYS_IT.index(day.group(1))) % 7 or 7
            fact["date"] = (published - timedelta(days=delta)).isoformat()
            fact["date_basis"] = "derived"
            fact["date_weekday"] = day.group(1)
            end = day.end()
            seat = re.search(r"nella sede di\s+(?P<org>" + _alternation(orgs) + ")", clause[day.end():])
            if seat and registry is not None:
                premises = (registry.organizations.get(orgs[seat.group("org")]) or {}).get("premises")
                if premises:
                    fact["location"] = premises
                    end = day.end() + seat.end()
        else:
            fact["review"] = "no weekday or date found for the meeting: fill 'date'"
            fact["date"] = "TODO"
        start = match.start()
        about = re.search(r"([^.;:–]*?)\s+(?:sono stati|sono state|è stato|è stata)\s+al centro dell['’]$", text[max(0, start - 200):start])
        if about:
            start = max(0, start - 200) + about.start(1)
            topics = [t.strip() for t in re.split(r"\s+e\s+(?=l[ea]?\s|il\s|i\s|gli\s)", about.group(1)) if t.strip()]
            if topics:
                fact["about"] = topics
        while start < len(text) and text[start].isspace():
            start += 1
        fact["evidence"] = text[start: match.start() + end]
        draft.facts.append(fact)


def _acquisitions(text: str, draft: Draft, registry) -> None:
    """'l'acquisizione di X da parte di (la compagnia azera) Y': recorded as stated, never as completed."""
    orgs, _people, _roles = _names(registry)
    for match in re.finditer(rf"\bacquisizione di\s+(?P<acquired>{_alternation(orgs)})\s+da parte d(?:i|ella|el|ell['’])\s+(?:[a-zà-ù]+\s+){{0,3}}(?P<acquirer>{_alternation(orgs)})", text):
        completed = re.search(r"\b(?:completat[ao]|conclus[ao]|perfezionat[ao])\b", text[match.end():match.end() + 80])
        fact = {"kind": "acquisition", "acquirer": orgs[match.group("acquirer")], "acquired": orgs[match.group("acquired")],
                "status": "completed" if completed else "not-stated", "evidence": match.group(0)}
        if completed:
            fact["review"] = "the text seems to say the deal was completed: check"
        draft.facts.append(fact)


def _data_sources(text: str, draft: Draft, registry) -> None:
    """Where the figures come from, when the text names it: 'dati Istat', 'su dati Istat', 'i dati delle dogane
    emiratine' (the provider, an organisation of the registry) and who elaborated them, another organisation of
    the registry named in the same sentence beside words of elaborating ('elaborazione', 'elaborati', 'Ufficio
    studi', 'Ufficio', 'rileva')."""
    orgs, _people, _roles = _names(registry)
    if not orgs:
        return
    names = _alternation(orgs)
    provider_words = re.compile(rf"\bdati\s+(?:provvisori\s+)?(?:diffusi\s+)?(?:d(?:al|all['’]|alla|ai|agli|el|ell['’]|ella|elle|ei|egli)\s*)?"
                                rf"(?P<org>{names})(?!\w)")
    seen = set()
    for sentence_start, sentence_end in split_sentences(text):
        sentence = text[sentence_start:sentence_end]
        if "“" in sentence or sentence.startswith(('"', "«")):
            continue
        found = provider_words.search(sentence)
        if found is None or orgs[found.group("org")] in seen:
            continue
        provider = orgs[found.group("org")]
        seen.add(provider)
        fact: dict = {"kind": "data-source", "provider": provider}
        begin, finish = found.start(), found.end()
        if re.search(r"elabora|\bstudi\b|\brileva\b|\bosservatorio\b|\bufficio\b", sentence, re.I):
            others = [(m.start(), m.end(), orgs[m.group(0)]) for m in re.finditer(rf"(?<!\w)(?:{names})(?!\w)", sentence)
                      if orgs[m.group(0)] != provider]
            if others:
                a, b, elaborated_by = min(others, key=lambda o: abs(o[0] - found.start()))
                fact["elaborated_by"] = elaborated_by
                begin, finish = min(begin, a), max(finish, b)
                fact["review"] = "who elaborated the data is the organisation named nearest the provider: check"
        start, end = _unique_span(text, sentence_start + begin, sentence_start + finish, (sentence_start, sentence_end))
        fact["evidence"] = text[start:end]
        draft.facts.append(fact)


def _candidates(text: str, draft: Draft, registry, places: PlaceFinder) -> None:
    """Capitalised names that are neither in the registry nor places: listed for review, not guessed."""
    orgs, people, _roles = _names(registry)
    known = set(orgs) | set(people)
    place_words = {w for _o, _p, w in places.find(text)}
    delegations = {f.get("delegation", "") for f in draft.facts if f["kind"] == "post"}
    seen = []
    for match in re.finditer(r"(?<![.!?“\n]\s)(?<!^)\b([A-ZÀ-Ý][a-zà-ÿ’']+(?:\s+(?:di|del|della|dell['’])?\s*[A-ZÀ-Ý][a-zà-ÿ’']+)*)", text):
        name = match.group(1)
        if name in seen or any(name in k or k in name for k in known) or name in place_words:
            continue
        before = text[max(0, match.start() - 2):match.start()]
        if before.strip() in ("", ".", "“", "–") and (match.start() == 0 or text[match.start() - 1] == "\n"):
            continue
        if len(name.split()) < 2 or name.lower() in WEEKDAYS_IT or any(name in d for d in delegations) or any(
                word in place_words for word in name.split()):
            continue  # single capitalised words are too often sentence starts, continents or headings
        seen.append(name)
    for name in seen:
        draft.notes.append(f"review: «{name}» may be an organisation or a person not in the registry")
    for _offset, name, code in places.unknown(text, place_words):
        note = f"review: «{name}» (ISO {code}) is a place this draft may not name"
        if note not in draft.notes:
            draft.notes.append(note)


def _quotations(text: str, draft: Draft, registry) -> None:
    """“…” passages, joined across the attribution that interrupts them, with their speaker."""
    people = {entry["name"]: person for person, entry in (registry.people.items() if registry else []) if entry}
    for match in re.finditer(r"“([^”]+)”", text):
        inner = match.group(1)
        attribution = re.search(r"\s[–-]\s(?P<attr>(?:afferma|dichiara|commenta|sottolinea|spiega|aggiunge|osserva)\b[^–-]*?)\s*[–-]\.?\s", inner)
        parts = [inner] if attribution is None else [inner[: attribution.start()], inner[attribution.end():]]
        parts = [p.strip().rstrip(".") if i == len(parts) - 1 else p.strip() for i, p in enumerate(parts) if p.strip()]
        speaker = None
        where = attribution.group("attr") if attribution else text[match.end(): match.end() + 160]
        for name, person in people.items():
            if name in where:
                speaker = person
        fact = {"kind": "quotation", "evidence": parts}
        if speaker:
            fact["speaker"] = speaker
        else:
            fact["speaker"] = "TODO"
            fact["review"] = "speaker not found in the registry: " + (where.strip()[:80] if where else "no attribution")
        if attribution:
            fact["attribution"] = attribution.group("attr").split(",")[0].strip()
        draft.facts.append(fact)


def _finish(draft: Draft, new_id) -> None:
    """Give every fact an id (levels first, then what refers to them) and put figures first, in the order of the text."""
    for fact in draft.facts:
        if fact["kind"] == "level":
            base = f"{fact['origin']}-{fact['destination']}-{_slug(str(fact.get('period', 'nd')))}"
            fact["id"] = new_id(_slug(base + (f"-{fact['sector']}" if fact.get("sector") else "")))
        elif fact["kind"] == "quotation":
            fact["id"] = new_id(_slug(f"quote-{fact.get('speaker', 'unknown')}"))
        elif fact["kind"] == "post":
            fact["id"] = new_id(_slug(f"{fact['person']}-{fact['role']}"))
        elif fact["kind"] == "meeting":
            fact["id"] = new_id(_slug("meeting-" + "-".join(fact["attendees"][:2])))
        elif fact["kind"] == "acquisition":
            fact["id"] = new_id(_slug(f"{fact['acquirer']}-acquires-{fact['acquired']}"))
        elif fact["kind"] == "data-source":
            fact["id"] = new_id(_slug(f"{fact['provider']}-data"))
    posts = {f["person"]: f["id"] for f in draft.facts if f["kind"] == "post"}
    for fact in draft.facts:
        if fact["kind"] == "quotation" and fact.get("speaker") in posts:
            fact["posts"] = [posts[fact["speaker"]]]
        if fact["kind"] == "meeting":
            attending = [posts[a] for a in fact["attendees"] if a in posts]
            if attending:
                fact["attendee_posts"] = attending
    for fact in draft.facts:
        if fact["kind"] == "share":
            fact["id"] = new_id(f"{fact.pop('_part')['id']}-share")
        elif fact["kind"] == "change":
            fact["id"] = new_id(f"{fact.pop('_subject')['id']}-change")
    figures = sorted((f for f in draft.facts if KINDS[f["kind"]].figure), key=lambda f: f["_start"])
    draft.facts[:] = figures + [f for f in draft.facts if not KINDS[f["kind"]].figure]
    for fact in draft.facts:
        fact.pop("_start", None)
        fact.pop("_amount_start", None)


ORDER = ["id", "kind", "flow", "origin", "destination", "stated_as", "period", "period_basis", "period_note", "sector",
         "scope", "excludes", "amount", "value", "percent", "unit", "of", "direction", "reference", "reference_period",
         "magnitude_words", "hedge", "hedge_words", "provider", "elaborated_by", "person", "organization", "role", "delegation", "accredited_to", "attendees",
         "attendee_posts", "location", "date", "date_basis", "date_weekday", "about", "acquirer", "acquired", "status",
         "speaker", "posts", "attribution", "review", "evidence"]


def to_yaml(draft: Draft) -> str:
    """The draft in the annotation format (README, "Data format"), review notes kept."""
    from kg.model.yamlfile import dump_yaml

    def ordered(fact: dict) -> dict:
        return {key: fact[key] for key in ORDER if key in fact} | {k: v for k, v in fact.items() if k not in ORDER}

    header = ["# Draft annotation written by `kg extract`: review every `review:` line, then remove it.",
              "# Every evidence quote is copied from release.txt; the builder will check it.", *[f"# {n}" for n in draft.notes]]
    body = dump_yaml({"release": draft.release, "facts": [ordered(f) for f in draft.facts]})
    return "\n".join(header) + "\n" + body


def extract_file(path: Path, release_id: str | None = None, data_dir: Path | None = None) -> Draft:
    """Read a release text and draft its annotation (actors from ``data_dir/registry.yaml`` when given)."""
    from kg.errors import UsageError
    from kg.model.loader import ID_PATTERN, load_registry, read_release_text
    from kg.rdf.vocabularies import Ontology

    path = Path(path)
    # the id names the folder `kg extract --into DIR` writes, DIR/releases/ID: the loader's pattern
    # keeps it one folder name inside DIR (no '/', no '..')
    if release_id is not None and not ID_PATTERN.match(release_id):
        raise UsageError(f"--id '{release_id}' is not a valid release id (lower-case letters, digits, '-' and '_', "
                         "starting with a letter or digit, at most 100)")
    text = read_release_text(path, "; save it as UTF-8 and try again")
    ontology = Ontology()
    registry = load_registry(data_dir, ontology.vocabulary(data_dir)) if data_dir else None
    if release_id is None:
        release_id = _slug(path.stem).replace("-", "_")
        if not ID_PATTERN.match(release_id):
            release_id = "draft"
    return extract(text, release_id, registry, PlaceFinder(ontology.gazetteer(data_dir)))


# --------------------------------------------------------------------------- evaluation

ATTRIBUTES = ("kind", "value", "unit", "hedge", "period", "reference", "origin", "destination")
"""What a figure of a draft must get right, each compared with the curated figure: the measure (``kind``), its
number (signed) and unit, hedge, period, reference period (a change's, worked out as the loader does from
``reference``), origin and destination."""


def _period_key(value) -> str | None:
    if value is None:
        return None
    if hasattr(value, "key"):  # a period the loader has read
        return value.key
    try:
        return parse_period(value).key
    except PeriodError:
        return None


def _reference_key(fact: dict, period) -> str | None:
    """The key of a change's reference period: given, or worked out from ``reference`` and the figure's period."""
    if fact.get("reference_period") is not None:
        return _period_key(fact["reference_period"])
    if period is None or fact.get("reference") not in ("same-period-previous-year", "previous-period"):
        return None
    try:
        own = period if hasattr(period, "key") else parse_period(period)
    except PeriodError:
        return None
    worked_out = own.same_period_previous_year() if fact["reference"] == "same-period-previous-year" else own.previous_period()
    return worked_out.key


def _number(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _figure(kind: str, cell: dict, number, unit, hedge: str, reference=None) -> dict:
    return {"kind": kind, "value": _number(number), "unit": unit, "hedge": hedge, "period": _period_key(cell.get("period")),
            "reference": reference, "origin": cell.get("origin"), "destination": cell.get("destination")}


def _figures(facts: list[dict]) -> list[dict]:
    """Every figure of an annotation, drafted or curated (as the loader reads it), as its :data:`ATTRIBUTES`."""
    figures = []
    for fact in facts:
        kind = fact["kind"]
        if kind in KINDS and KINDS[kind].figure:
            unit = {"share": "percent", "rank": "position"}.get(kind, fact.get("unit"))
            reference = _reference_key(fact, fact.get("period")) if kind == "change" else None
            figures.append(_figure(kind, fact, fact.get(KINDS[kind].value or ""), unit, fact["hedge"], reference))
    return figures


def _match_figures(found: list[dict], expected: list[dict]) -> tuple[list[dict], list[tuple[dict, dict]]]:
    """The drafted figures right in every attribute, and the others paired with a curated figure of the same value
    (the closest, in the number of attributes that agree): what they got wrong is reported by attribute."""
    remaining = list(expected)
    right, rest = [], []
    for figure in found:
        if figure in remaining:
            remaining.remove(figure)
            right.append(figure)
        else:
            rest.append(figure)
    pairs = []
    for figure in rest:
        same_value = [e for e in remaining if e["value"] == figure["value"]]
        if same_value:
            best = max(same_value, key=lambda e: sum(e[a] == figure[a] for a in ATTRIBUTES))
            remaining.remove(best)
            pairs.append((figure, best))
    return right, pairs


def _score(found: list, expected: list, right: int | None = None) -> dict:
    if right is None:
        remaining = list(expected)
        right = 0
        for key in found:
            if key in remaining:
                remaining.remove(key)
                right += 1
    precision = right / len(found) if found else 1.0
    recall = right / len(expected) if expected else 1.0
    return {"found": len(found), "expected": len(expected), "right": right, "precision": precision, "recall": recall}


def _total(scores: list[dict]) -> dict:
    total = {key: sum(s[key] for s in scores) for key in ("found", "expected", "right")}
    total["precision"] = total["right"] / total["found"] if total["found"] else 1.0
    total["recall"] = total["right"] / total["expected"] if total["expected"] else 1.0
    return total


def evaluate(data_dir) -> dict:
    """Precision and recall of the drafts against the curated annotations of ``data_dir``.

    The extractor reads only each release's text (and the registry); the curated annotation is read here, to
    compare. A figure is right when every one of its :data:`ATTRIBUTES` agrees with a curated figure's; a figure
    right in value but wrong in another attribute counts as wrong, and ``attributes`` says which attributes the
    drafts got wrong, over the figures paired by value. Figures are also scored by measure (``level``, ``change``,
    ``share``...). Quotations match on speaker and first quoted words; posts on person, role and organisation;
    meetings on date and attendees; acquisitions on the parties and status; data sources on provider and who
    elaborated the data.
    """
    from kg.model.loader import load_corpus
    from kg.rdf.vocabularies import Ontology

    data_dir = Path(data_dir)
    ontology = Ontology()
    corpus = load_corpus(data_dir, ontology.vocabulary(data_dir))
    registry = corpus.registry
    places = PlaceFinder(ontology.gazetteer(data_dir))
    report: dict = {"releases": {}, "total": {}, "attributes": {a: 0 for a in ATTRIBUTES}, "paired": 0}
    per_kind: dict[str, list[dict]] = {}
    for release in corpus.releases:
        draft = extract(release.text, release.id, registry, places)
        curated = [dict(f.values, id=f.id, kind=f.kind, evidence=[s.quote for s in f.evidence]) for f in release.facts]
        drafted = [dict(f) for f in draft.facts]
        found, expected = _figures(drafted), _figures(curated)
        right, pairs = _match_figures(found, expected)
        report["paired"] += len(pairs)
        for figure, truth in pairs:
            for attribute in ATTRIBUTES:
                report["attributes"][attribute] += figure[attribute] != truth[attribute]
        for kind in sorted({f["kind"] for f in found + expected}):
            per_kind.setdefault(kind, []).append(_score([f for f in found if f["kind"] == kind],
                                                        [f for f in expected if f["kind"] == kind],
                                                        sum(f["kind"] == kind for f in right)))

        def keys(facts: list[dict], kind: str, *fields: str) -> list[tuple]:
            return [tuple(f.get(name) for name in fields) for f in facts if f["kind"] == kind]

        scores = {
            "figures": _score(found, expected, len(right)),
            "quotations": _score([(f.get("speaker"), _first_words(f["evidence"])) for f in drafted if f["kind"] == "quotation"],
                                 [(f.get("speaker"), _first_words(f["evidence"])) for f in curated if f["kind"] == "quotation"]),
            "posts": _score(keys(drafted, "post", "person", "role", "organization"), keys(curated, "post", "person", "role", "organization")),
            "meetings": _score([(str(f.get("date")), tuple(sorted(f["attendees"]))) for f in drafted if f["kind"] == "meeting"],
                               [(str(f.get("date")), tuple(sorted(f["attendees"]))) for f in curated if f["kind"] == "meeting"]),
            "acquisitions": _score(keys(drafted, "acquisition", "acquirer", "acquired", "status"),
                                   keys(curated, "acquisition", "acquirer", "acquired", "status")),
            "data sources": _score(keys(drafted, "data-source", "provider", "elaborated_by"),
                                   keys(curated, "data-source", "provider", "elaborated_by")),
        }
        report["releases"][release.id] = scores
    kinds = next(iter(report["releases"].values())) if report["releases"] else {}
    for kind in kinds:
        report["total"][kind] = _total([scores[kind] for scores in report["releases"].values()])
        if kind == "figures":
            order = [name for name in KINDS if name in per_kind]  # the measures in the schema's order
            for measure in order:
                report["total"][measure] = _total(per_kind[measure])
    return report


def _first_words(evidence) -> str:
    first = evidence[0] if isinstance(evidence, list) else evidence
    return " ".join(str(first).split()[:6])


def format_evaluation(report: dict) -> str:
    """The evaluation as a table: every kind, each measure of the figures indented under them, then which
    attributes the figures right in value got wrong, and each release's figures and quotations."""
    lines = ["kind          found  expected  right  precision  recall"]
    for kind, total in report["total"].items():
        name = kind if kind not in KINDS else f"  {kind}"
        lines.append(f"{name:<13} {total['found']:5d}  {total['expected']:8d}  {total['right']:5d}  "
                     f"{total['precision']:9.0%}  {total['recall']:6.0%}")
    wrong = [f"{attribute} {count}" for attribute, count in report["attributes"].items() if count]
    lines.append(f"figures right in value, wrong in another attribute: {report['paired']}"
                 + (f" ({', '.join(wrong)})" if wrong else ""))
    for release, scores in report["releases"].items():
        figures = scores["figures"]
        lines.append(f"  {release}: figures {figures['right']}/{figures['expected']} right, "
                     f"quotations {scores['quotations']['right']}/{scores['quotations']['expected']}")
    return "\n".join(lines)
