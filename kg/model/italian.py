"""How Italian trade releases hedge amounts, name changes and date themselves: the words of ``kg extract``.

Deterministic rules, no model. Numbers (amounts, percentages, signed changes) are read by
the one Italian number grammar, :mod:`kg.model.numbers`; periods ("primi nove mesi del
2025") and the month and weekday names by :mod:`kg.model.periods`. This module has the
rest: hedge words ("circa", "poco sotto"), the words of a rise or a fall, and the dateline.
Each ``find_*`` function returns matches with their character offsets in the text, so a
draft annotation can quote them.

    >>> find_hedge("ha superato 1,5 milioni", 12).value
    'more-than'
    >>> find_dateline("Ancona, 20 febbraio 2026 – Testo").value
    datetime.date(2026, 2, 20)
"""

from __future__ import annotations

import re
from datetime import date

from kg.model.numbers import Found
from kg.model.periods import MONTHS_IT

# hedge words, as the annotation format names them; the longest phrase wins where two overlap
HEDGES = [
    ("poco meno di", "less-than"), ("poco sotto", "less-than"), ("sotto", "less-than"), ("meno di", "less-than"),
    ("vicino a", "about"), ("vicino ai", "about"), ("circa", "about"), ("quasi", "almost"), ("quasi per intero", "about"),
    ("intorno a", "about"), ("intorno ai", "about"), ("attorno a", "about"), ("attorno ai", "about"), ("sui", "about"),
    ("sfiora", "almost"), ("sfiorato", "almost"), ("sfiorano", "almost"), ("sfiorando", "almost"), ("sfiorare", "almost"),
    ("oltre", "more-than"), ("più di", "more-than"), ("superato", "more-than"), ("supera", "more-than"),
    ("superano", "more-than"), ("superando", "more-than"),
]

NEXT_TO_THE_NUMBER = ("sui",)
"""Hedge words that hedge only the number right after them."""

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


_DATELINE = re.compile(
    rf"^(?P<place>[A-ZÀ-Ý][\wÀ-ÿ’' -]+),\s+(?P<day>\d{{1,2}})\s+(?P<month>{'|'.join(MONTHS_IT)})\s+(?P<year>\d{{4}})",
    re.M | re.I,
)


def find_dateline(text: str) -> Found[date] | None:
    """'Ancona, 20 febbraio 2026' -> Found(value=date(2026, 2, 20), text=..., kind='Ancona' (the place's words)).

    None when the text has no dateline, or its day is not in the calendar ('31 febbraio').
    """
    for match in _DATELINE.finditer(text):
        try:
            day = date(int(match.group("year")), MONTHS_IT.index(match.group("month").lower()) + 1, int(match.group("day")))
        except ValueError:
            continue
        return Found(match.start(), match.end(), match.group(0), day, match.group("place").strip())
    return None
