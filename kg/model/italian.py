"""How Italian trade releases write amounts, percentages, changes, hedges and periods.

Deterministic rules, no model: each ``find_*`` function returns matches with
their character offsets in the text, so a draft annotation can quote them.

    >>> [m.value for m in find_amounts("ha raggiunto i 7,5 milioni di euro")]
    [Decimal('7500000')]
    >>> [m.value for m in find_amounts("12 miliardi e 400 milioni di euro")]
    [Decimal('12400000000')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, localcontext

from kg.model.periods import Period

NUMBER_WORDS = {
    "un": 1, "uno": 1, "una": 1, "il": 1, "due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sei": 6, "sette": 7,
    "otto": 8, "nove": 9, "dieci": 10, "undici": 11, "dodici": 12, "tredici": 13, "quattordici": 14,
    "quindici": 15, "venti": 20, "trenta": 30, "quaranta": 40, "cinquanta": 50, "cento": 100,
}
SCALE_WORDS = {"mila": 10**3, "mille": 10**3, "milione": 10**6, "milioni": 10**6, "miliardo": 10**9, "miliardi": 10**9,
               "mln": 10**6, "mld": 10**9, "mln.": 10**6, "mld.": 10**9}
ORDINALS = {"primo": 1, "prima": 1, "secondo": 2, "seconda": 2, "terzo": 3, "terza": 3, "quarto": 4, "quarta": 4}
COUNT_WORDS = {"due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sei": 6, "sette": 7, "otto": 8, "nove": 9,
               "dieci": 10, "undici": 11}
MONTHS = ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
          "ottobre", "novembre", "dicembre"]

# hedge words, as the annotation format names them; the longest phrase wins where two overlap
HEDGES = [
    ("poco meno di", "less-than"), ("poco sotto", "less-than"), ("sotto", "less-than"), ("meno di", "less-than"),
    ("vicino a", "about"), ("vicino ai", "about"), ("circa", "about"), ("quasi", "about"), ("intorno a", "about"),
    ("oltre", "more-than"), ("più di", "more-than"), ("superato", "more-than"), ("supera", "more-than"),
    ("superano", "more-than"), ("superando", "more-than"),
]

_NUMERAL = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_WORD = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_SCALE = "|".join(sorted((re.escape(s) for s in SCALE_WORDS), key=len, reverse=True))
def _part_pattern(i: int) -> str:
    return rf"(?:(?P<n{i}>{_NUMERAL})|(?P<w{i}>{_WORD}))\s*(?P<s{i}>{_SCALE})(?![\w])"



_AMOUNT = re.compile(
    rf"(?<![\w,.])(?:{_part_pattern(1)}(?:\s+e\s+(?:(?P<half>mezzo)\b|{_part_pattern(2)}))?"
    rf"|(?P<bare>{_NUMERAL})(?=\s*(?:di\s+)?euro\b))(?P<euro>\s*(?:di\s+)?euro)?",
    re.IGNORECASE,
)
_PERCENT = re.compile(rf"(?<![\w,.])(?P<sign>[+\-−–])?\s?(?P<n>{_NUMERAL})\s?(?:%|per\s?cento)", re.IGNORECASE)


@dataclass(frozen=True)
class Found:
    """A match in the text: [start, end) and what it means."""

    start: int
    end: int
    text: str
    value: object = None
    kind: str = ""


def numeral(text: str) -> Decimal:
    """'7,5' -> 7.5; '14.000' -> 14000."""
    return Decimal(text.replace(".", "").replace(",", "."))


def _part(match, i: int) -> Decimal | None:
    number, word, scale = match.group(f"n{i}"), match.group(f"w{i}"), match.group(f"s{i}")
    if scale is None:
        return None
    base = numeral(number) if number else Decimal(NUMBER_WORDS[word.lower()])
    return base * SCALE_WORDS[scale.lower()]


def find_amounts(text: str) -> list[Found]:
    """Amounts: '7,5 milioni di euro', '767 mila', '12 miliardi e 400 milioni', 'due miliardi e mezzo'."""
    found = []
    with localcontext() as context:
        context.prec = 60
        for match in _AMOUNT.finditer(text):
            if match.group("bare"):
                value = numeral(match.group("bare"))
            else:
                value = _part(match, 1)
                if match.group("half"):
                    value += Decimal(SCALE_WORDS[match.group("s1").lower()]) / 2
                elif match.group("s2"):
                    value += _part(match, 2)
            if value is None:
                continue
            found.append(Found(match.start(), match.end(), match.group(0), value.normalize() + 0, "amount"))
    return found


def find_percentages(text: str) -> list[Found]:
    """Percentages, signed where the text signs them: '0,05%', '+12,3%', '-4,1%'."""
    found = []
    for match in _PERCENT.finditer(text):
        value = numeral(match.group("n"))
        if match.group("sign") in ("-", "−", "–") and match.group("sign") == text[match.start()]:
            value = -value
        found.append(Found(match.start(), match.end(), match.group(0), value, "percent"))
    return found


_UP = r"(?:in\s+(?:crescita|aumento)|cresciut[oaie]|aumentat[oaie]|salit[oaie]|crescono|aumentano|\bpiù\b|rialzo|incremento)"
_DOWN = r"(?:in\s+(?:calo|flessione|diminuzione)|calat[oaie]|scese?|scesi|diminuit[oaie]|flessione|ribasso|contrazione|\bmeno\b)"


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


def find_hedge(text: str, before: int, window: int = 40) -> Found | None:
    """The hedge words closest before offset ``before`` (within ``window`` characters)."""
    start = max(0, before - window)
    segment = text[start:before].lower()
    best = None
    for words, hedge in HEDGES:
        for match in re.finditer(rf"\b{re.escape(words)}\b", segment):
            candidate = Found(start + match.start(), start + match.end(), text[start + match.start(): start + match.end()], hedge, "hedge")
            if best is None or candidate.end > best.end or (candidate.end == best.end and candidate.start < best.start):
                best = candidate
    return best


_YEAR = r"(?P<year>(?:19|20)\d{2})"
_PERIODS = [
    (re.compile(rf"\b(?P<ord>primo|secondo)\s+semestre(?:\s+del(?:l')?)?\s+{_YEAR}", re.I), "half"),
    (re.compile(rf"\b(?P<ord>primo|secondo|terzo|quarto)\s+trimestre(?:\s+del(?:l')?)?\s+{_YEAR}", re.I), "quarter"),
    (re.compile(rf"\bprimi\s+(?P<count>{'|'.join(COUNT_WORDS)}|\d{{1,2}})\s+mesi(?:\s+del(?:l')?)?\s+{_YEAR}", re.I), "months"),
    (re.compile(rf"\bprimi\s+(?P<count>due|tre)\s+trimestri(?:\s+del(?:l')?)?\s+{_YEAR}", re.I), "quarters"),
    (re.compile(rf"\b(?:nel|del|per\s+il|il|dal|al|nell'anno)\s+{_YEAR}\b", re.I), "year"),
    (re.compile(rf"\b{_YEAR}\b"), "year"),
]


def find_periods(text: str) -> list[Found]:
    """Periods with their interval: 'primo semestre 2024', 'primi nove mesi del 2025', 'nel 2024'."""
    found: list[Found] = []
    taken: list[tuple[int, int]] = []
    for pattern, kind in _PERIODS:
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            year = int(match.group("year"))
            if kind == "half":
                period = Period(__import__("datetime").date(year, 1 + 6 * (ORDINALS[match.group("ord").lower()] - 1), 1), 6)
            elif kind == "quarter":
                period = Period(__import__("datetime").date(year, 1 + 3 * (ORDINALS[match.group("ord").lower()] - 1), 1), 3)
            elif kind == "months":
                count = match.group("count").lower()
                period = Period(__import__("datetime").date(year, 1, 1), int(COUNT_WORDS.get(count, count)))
            elif kind == "quarters":
                period = Period(__import__("datetime").date(year, 1, 1), 3 * COUNT_WORDS[match.group("count").lower()])
            else:
                period = Period(__import__("datetime").date(year, 1, 1), 12)
            taken.append((match.start(), match.end()))
            found.append(Found(match.start(), match.end(), match.group(0), period, kind))
    return sorted(found, key=lambda f: f.start)


_DATELINE = re.compile(rf"^(?P<place>[A-ZÀ-Ý][\wÀ-ÿ’' -]+),\s+(?P<day>\d{{1,2}})\s+(?P<month>{'|'.join(MONTHS)})\s+(?P<year>\d{{4}})", re.M | re.I)


def find_dateline(text: str) -> Found | None:
    """'Ancona, 20 febbraio 2026' -> Found(value=date(2026, 2, 20), text=...)."""
    from datetime import date

    match = _DATELINE.search(text)
    if not match:
        return None
    day = date(int(match.group("year")), MONTHS.index(match.group("month").lower()) + 1, int(match.group("day")))
    return Found(match.start(), match.end(), match.group(0), day, match.group("place").strip())
