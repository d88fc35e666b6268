"""How Italian trade releases hedge amounts, name changes and date themselves: the words of ``kg extract``.

Deterministic rules, no model. Numbers (amounts, percentages, signed changes) are read by
the one Italian number grammar, :mod:`kg.model.numbers`; periods ("primi nove mesi del
2025") and the month and weekday names by :mod:`kg.model.periods`. This module has the
rest: hedge words ("circa", "poco sotto"), the words of a rise or a fall, and the dateline (where it
stands is this module's grammar; its date's words are read by dateparser's Italian data, not a month table).
Each ``find_*`` function returns matches with their character offsets in the text, so a
draft annotation can quote them.

    >>> find_hedge("ha superato 1,5 milioni", 12).value
    'more-than'
    >>> find_dateline("Ancona, 20 febbraio 2026 – Testo").value
    datetime.date(2026, 2, 20)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from kg.model.numbers import Found
from kg.model.periods import WEEKDAYS_IT

# hedge words, as the annotation format names them; the longest phrase wins where two overlap
HEDGES = [
    ("poco meno di", "less-than"), ("poco sotto", "less-than"), ("sotto", "less-than"), ("meno di", "less-than"),
    ("sopra", "more-than"), ("almeno", "at-least"), ("al massimo", "at-most"), ("non oltre", "at-most"),
    ("vicino a", "about"), ("vicino ai", "about"), ("circa", "about"), ("quasi", "almost"), ("quasi per intero", "about"),
    ("intorno a", "about"), ("intorno ai", "about"), ("attorno a", "about"), ("attorno ai", "about"), ("sui", "about"),
    ("sfiora", "almost"), ("sfiorato", "almost"), ("sfiorano", "almost"), ("sfiorando", "almost"), ("sfiorare", "almost"),
    ("oltre", "more-than"), ("più di", "more-than"), ("superato", "more-than"), ("superati", "more-than"),
    ("superata", "more-than"), ("superate", "more-than"), ("supera", "more-than"), ("superano", "more-than"),
    ("superando", "more-than"),
]

NOT_BEYOND = re.compile(r"\s*(?:confin[ei]|frontier[ae]|quell[oaie]|a|al|allo|alla|ai|agli|alle|all['’])\b")
"""What "oltre" is followed by when it means abroad, beyond or besides, not "more than"."""
COMPARED = re.compile(r"\s+(?:il|i|lo|la|gli|le|quello|quella)\s+(?:dato|dati|valor[ei]|livell[oi]|risultat[oi]|media|precedente)\b|\s+quell[oaie]\b")
"""What "superato" is followed by when a change is set against it, not a hedge of an amount: "superato il dato 2018"."""
NEXT_TO_THE_NUMBER = ("sui",)
"""Hedge words that hedge only the number right after them."""

_UP = (r"(?:in\s+(?:crescita|aumento)|cresciut[oaie]|aumentat[oaie]|salit[oaie]|crescono|aumentano|\bpiù\b|\bpiu['’]|rialzo|incremento|\bsuperat[oaie]\b"
       r"|\bcrescita\b|\bcresce(?:re)?\b|\baument[oi]\b|\bguadagn\w*|\bsuperior[ei]\b|\bprogress\w*"
       r"|\bbalz[oi]\b|\bbalzat[oaie]\b|\bimpennat\w*|\bsal(?:e|gono)\b|\bincrementat[oaie]\b|\bin\s+positivo\b|\bsegno\s+(?:positivo|più)\b)")
_DOWN = (r"(?:in\s+(?:calo|flessione|diminuzione)|calat[oaie]|scese?|scesi|diminuit[oaie]|flessione|ribasso|contrazione|\bmeno\b"
         r"|\bcal(?:o|a|ano)\b|\bperd\w*|\bpers[oaie]\b|\bgiù\b|\bdimezzat\w*|\bin\s+rosso\b|\bscend\w*|\bridott\w*"
         r"|\briduzione\b|\binferior[ei]\b|\bdiminuzione\b|\bcroll\w*|\bdecresc\w*|\barretr\w*|\bced(?:e|ono|ut[oaie])\b"
         r"|\bin\s+negativo\b|\bsegno\s+(?:negativo|meno)\b|\bflession\w*|\bfless[oaie]\b|\bflett(?:e|ono)\b)")


def change_direction(clause: str) -> str | None:
    """'increase', 'decrease' or None from the words of a clause."""
    up, down = re.search(_UP, clause, re.IGNORECASE), re.search(_DOWN, clause, re.IGNORECASE)
    if up and not down:
        return "increase"
    if down and not up:
        return "decrease"
    if up and down:
        return "increase" if up.start() < down.start() else "decrease"
    return None


def direction_words(clause: str, direction: str) -> re.Match | None:
    """The first words of ``clause`` that say it rose ('increase') or fell ('decrease')."""
    return re.search(_UP if direction == "increase" else _DOWN, clause, re.IGNORECASE)


def find_hedge(text: str, before: int, window: int = 40) -> Found[str] | None:
    """The hedge words closest before offset ``before`` (within ``window`` characters)."""
    start = max(0, before - window)
    segment = text[start:before].lower()
    best = None
    for words, hedge in HEDGES:
        for match in re.finditer(rf"\b{re.escape(words)}\b", segment):
            if words in NEXT_TO_THE_NUMBER and segment[match.end():].strip():
                continue  # "sui 95 milioni" is about 95 millions; "sui dati Istat" is no hedge
            candidate = Found(start + match.start(), start + match.end(), text[start + match.start(): start + match.end()], hedge, "hedge")
            if best is None or candidate.end > best.end or (candidate.end == best.end and candidate.start < best.start):
                best = candidate
    return best


def find_hedges(text: str) -> list[Found[str]]:
    """Every hedge of ``text`` (:data:`HEDGES`), in its order, the longest phrase where two overlap; "sui" only
    right before a figure ("sui 95 milioni", not "sui dati Istat")."""
    found: list[Found[str]] = []
    lowered = text.lower()
    for words, hedge in sorted(HEDGES, key=lambda item: -len(item[0])):
        for match in re.finditer(rf"\b{re.escape(words)}\b", lowered):
            if words in NEXT_TO_THE_NUMBER and not re.match(r"\s+\d", lowered[match.end():]):
                continue
            if words == "sopra" and not re.match(r"\s+(?:(?:i|il|gli|le|la)\s+|l['’]\s*)?\d", lowered[match.end():]):
                continue  # "sopra i 3,1 miliardi", not "sopra la media"
            if words.startswith("super") and COMPARED.match(lowered, match.end()):
                continue  # "ha superato il dato 2018 dell'8,2%": a change against it, not a hedge
            if words == "oltre" and NOT_BEYOND.match(lowered, match.end()):
                continue  # "vendite oltre confine", "va oltre quella nazionale", "oltre alla Germania": no hedge
            if any(f.start < match.end() and match.start() < f.end for f in found):
                continue
            found.append(Found(match.start(), match.end(), text[match.start():match.end()], hedge, "hedge"))
    return sorted(found, key=lambda f: f.start)


# ---------------------------------------------------------------------------- the dateline
#
# The grammar is the project's own (where a dateline stands and what surrounds it); the date's words ("20
# febbraio 2026", "13 DIC", "18 ott.", "5/3/2024") are read by dateparser's Italian data, no month table here,
# and a day written in words ("ventotto giugno 2023") by text2num.

_AGENCY = r"\([A-Za-zÀ-ÿ.&' ]{2,20}\)"  # "(ANSA)", "(AGI)", "(askanews)"
_PLACE = r"(?P<place>[A-ZÀ-Ý][\wÀ-ÿ’'.]*(?:[ -](?:[a-zà-ÿ’']{1,3}[ ’'])?[A-ZÀ-Ý][\wÀ-ÿ’'.]*){0,3})"
_WEEKDAY = rf"(?:(?:{'|'.join(WEEKDAYS_IT)}),?[ \t]+)?"
_DAY_WORDS = (r"(?:primo|uno|due|tre|quattro|cinque|sei|sette|otto|nove|dieci|undici|dodici|tredici|quattordici|quindici|"
              r"sedici|diciassette|diciotto|diciannove|venti|ventuno|ventidue|ventitré|ventitre|ventiquattro|venticinque|"
              r"ventisei|ventisette|ventotto|ventinove|trenta|trentuno)")
_DATE = (rf"(?P<date>{_WEEKDAY}(?:(?P<day>\d{{1,2}})°?|(?P<dayword>{_DAY_WORDS}))[ \t]+(?P<month>[A-Za-zÀ-ÿ]{{3,10}}\.?)"
         r"(?:[ \t]+(?P<year>\d{4}))?|(?P<numeric>\d{1,2}[/.]\d{1,2}[/.]\d{4}))")
_DASH = r"[ \t]*[–—-]"
_S = r"[ \t]*"
# at the head of the body: "Ancona, 20 febbraio 2026 –", "(ANSA) - ANCONA, 13 DIC -", "(AGI) - Pescara, 18 ott. -",
# "Roma, martedì 21 maggio 2025 -", "Milano, 13 dic. (askanews) -", and a town alone: "CAGLIARI -", "ROMA (ANSA) -"
_HEAD = re.compile(
    rf"^{_S}(?:{_AGENCY}{_DASH}{_S})?{_PLACE}{_S}(?:{_AGENCY}{_S})?(?:,{_S}{_DATE}{_S}(?:\(\w[^)\n]{{0,20}}\){_S})?"
    rf"(?:\.?{_DASH}|\.?{_S}$)|{_DASH}{_S}\S)", re.M)
# a date standing elsewhere: a closing line "Sardegna Economia, 28 giugno 2023" or "Pubblicato il 20 marzo 2024 – ..."
_LINE_DATE = re.compile(rf"^{_S}(?P<lead>[^\n,.:;]{{0,60}}?(?:,{_S}|\b(?:[Pp]ubblicato|[Dd]iffuso|[Aa]ggiornato){_S}(?:il{_S})?))"
                        rf"{_DATE}{_S}(?:[–—-]|\.?{_S}$)", re.M)


@dataclass(frozen=True)
class Dateline(Found[date]):
    """A release's dateline: ``start``, ``end`` and ``text`` are the words that give the date (with the place when
    they stand together: "Ancona, 20 febbraio 2026"), ``value`` the date, ``kind`` the place's words ("Ancona",
    "MILANO"; "" when the text names none), ``body`` the offset the body starts at (the dateline at its head, else
    the line after the headline) and ``basis`` how the date was read: 'stated', or 'implied' when the dateline gives
    no year and it is that of the latest period the lead names."""

    body: int = 0
    basis: str = "stated"


@cache
def _date_parser():
    from dateparser.date import DateDataParser

    # absolute dates only: "3 sett" is not "three weeks ago"
    return DateDataParser(languages=["it"], settings={"DATE_ORDER": "DMY", "REQUIRE_PARTS": ["day", "month"],
                                                      "PARSERS": ["absolute-time"]})


def _parse(words: str):
    try:
        return _date_parser().get_date_data(words).date_obj
    except (ValueError, OverflowError):
        return None


def _read_date(match: re.Match, text: str, lead: str) -> tuple[date, str] | None:
    """The date a _DATE match states, and 'stated' or 'implied' (no year: the first such day after the end of the
    latest period the lead sentence names, else of the text)."""
    words = match.group("date")
    if match.group("dayword"):
        from text_to_num import text2num

        word = match.group("dayword").lower()
        number = 1 if word == "primo" else text2num(word.replace("é", "e"), "it")
        words = words.replace(match.group("dayword"), str(number), 1)
    words = re.sub(r"^\w+\.?,?\s+(?=\d)", "", words) if match.group("day") or match.group("dayword") else words
    found = _parse(words)
    if found is None and match.group("month"):  # "sett.", "febb.": an abbreviation dateparser knows by three letters
        found = _parse(words.replace(match.group("month"), match.group("month")[:3], 1))
    if found is None:
        return None
    if match.group("year") or match.group("numeric"):
        return found.date(), "stated"
    from kg.model.periods import find_periods

    periods = find_periods(lead) or find_periods(text)
    ends = [f.value.end for f in periods]
    if not ends:
        return None
    latest = max(ends)
    try:
        day = date(latest.year, found.month, found.day)
        if day <= latest:
            day = date(latest.year + 1, found.month, found.day)
    except ValueError:
        return None
    return day, "implied"


def find_dateline(text: str) -> Dateline | None:
    """'Ancona, 20 febbraio 2026' -> Dateline(value=date(2026, 2, 20), text=..., kind='Ancona' (the place's words)).

    The dateline at the head of the body (the first lines): a place and a date ("Ancona, 20 febbraio 2026 –"), an
    agency's ("(ANSA) - ANCONA, 13 DIC -": no year, see :class:`Dateline`), or a town alone ("CAGLIARI -", "UDINE –"),
    the date then read from a line that states one (a closing "Sardegna Economia, 28 giugno 2023", "Pubblicato il
    20 marzo 2024"). None when the text states no date, or its day is not in the calendar ('31 febbraio').
    """
    lines = [m.start() for m in re.finditer(r"^", text, re.M)]
    head_end = lines[5] if len(lines) > 5 else len(text)  # a headline, subtitles, then the dateline
    body = lines[1] if len(lines) > 1 else 0
    place, place_start = "", None
    for match in _HEAD.finditer(text, 0, head_end):
        if match.start("place") >= head_end:
            break
        lead_end = text.find("\n", match.end())
        lead = text[match.end(): lead_end if lead_end >= 0 else len(text)]
        if match.group("date"):
            read = _read_date(match, text, lead)
            if read is None:
                continue
            start, end = match.start("place"), match.end("date")
            return Dateline(start, end, text[start:end], read[0], match.group("place").strip(), body=match.start(),
                            basis=read[1])
        if _looks_like_town(match.group("place")):
            place, place_start = match.group("place").strip(), match.start()
            break
    for match in _LINE_DATE.finditer(text):
        lead_end = text.find("\n", match.end())
        read = _read_date(match, text, text[match.end(): lead_end if lead_end >= 0 else len(text)])
        if read is None:
            continue
        start = match.start("lead") + len(match.group("lead")) - len(match.group("lead").lstrip())
        end = match.end("date")
        return Dateline(start, end, text[start:end], read[0], place, body=place_start if place_start is not None else body,
                        basis=read[1])
    return None


def _looks_like_town(words: str) -> bool:
    """A place alone at the head of the body is written in capitals ("CAGLIARI", "REGGIO EMILIA")."""
    letters = [c for c in words if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)
