"""Reference periods: the notation annotations use and its inverse, labels, and the Italian phrases of releases.

Notations (all Gregorian, whole months)::

    2024                 the year 2024
    2025-H1, 2025-H2     half-years
    2025-Q3              a quarter
    2025-03              a month
    2025-01/2025-09      a run of months (first to last, inclusive)
    2025-Q1/2025-Q3      a run of quarters

"The first nine months of 2025" and "the first three quarters of 2025" are
written ``2025-01/2025-09`` and ``2025-Q1/2025-Q3`` and both become the same
interval, ``kgr:interval/2025-01-01/P9M`` (the UK reference-interval style).

:func:`parse_period` reads a notation into a :class:`Period`; ``period.notation`` is its
inverse, the one canonical notation of a period: the year, half, quarter or month when
the period is one, else the run of months (``2024-01/2025-06``), so that
``parse_period(period.notation) == period`` for every period whose years have four digits.
Drafts write their periods through it, never by putting strings together.

Releases name periods in Italian; :func:`find_periods` finds them in a text and
:func:`italian_period` reads one whole phrase::

    primo semestre 2025, prima metà del 2025            2025-H1
    terzo trimestre del 2024, primo quarto del 2023     2024-Q3, 2023-Q1
    primi nove mesi del 2025, primi tre trimestri       2025-01/2025-09
    primi 18 mesi del 2024                              2024-01/2025-06 (18 months from January 2024)
    primi 18 mesi a partire da gennaio 2024             2024-01/2025-06
    ultimi tre mesi del 2024                            2024-Q4
    gennaio-settembre 2025, da gennaio a settembre 2025 2025-01/2025-09
    novembre 2024–febbraio 2025, novembre-febbraio 2025 2024-11/2025-02
    gen-set 2023 (three letters, in a run only)         2023-01/2023-09
    marzo 2025                                          2025-03 ("20 marzo 2025" is a day, not a period)
    nel 2024, 2024                                      2024

Every Italian label reads back: ``italian_period(period.label("it")) == period``.
The Italian month and weekday names are listed here once (the machine has no Italian
locale for the calendar module to name them); counts in words ("nove", "diciotto") are
read by :func:`kg.model.numbers.cardinal`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from kg.model.numbers import WORD, Found, NumberError, cardinal

MONTHS_IT = ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio",
             "agosto", "settembre", "ottobre", "novembre", "dicembre")
MONTHS_EN = tuple(calendar.month_name[i] for i in range(1, 13))
WEEKDAYS_IT = ("lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica")  # date.weekday() order
ORDINALS_IT = {"primo": 1, "prima": 1, "secondo": 2, "seconda": 2, "terzo": 3, "terza": 3, "quarto": 4, "quarta": 4,
               "i": 1, "ii": 2, "iii": 3, "iv": 4}
"""Ordinals of halves and quarters: words and Roman numerals ("III trimestre"); "3°" is read by its digit."""
LAST_MONTH = 9999 * 12 + 11  # December 9999, counted in months from year 0


class PeriodError(ValueError):
    """The notation or phrase is not a period this module understands."""


@dataclass(frozen=True, order=True)
class Period:
    """``months`` whole months starting on the first day of ``start``."""

    start: date
    months: int

    def __post_init__(self):
        if not isinstance(self.months, int) or self.months < 1 or self.start.day != 1:
            raise PeriodError(f"a period is a whole number of months from the first of a month, not {self.months} from {self.start}")
        if _index(self.start) + self.months - 1 > LAST_MONTH:
            raise PeriodError(f"{self.months} months from {self.start} end after the year 9999")

    @property
    def end(self) -> date:
        """The last day of the interval."""
        year, month = _month(_index(self.start) + self.months - 1)
        return date(year, month, calendar.monthrange(year, month)[1])

    @property
    def duration(self) -> str:
        """ISO 8601 duration: P1Y for a calendar year, PnM otherwise."""
        if self.months == 12 and self.start.month == 1:
            return "P1Y"
        return f"P{self.months}M"

    @property
    def key(self) -> str:
        """The path used in the interval's IRI, e.g. ``2025-01-01/P9M``."""
        return f"{self.start.isoformat()}/{self.duration}"

    @property
    def notation(self) -> str:
        """The canonical notation, the inverse of :func:`parse_period`: '2024', '2025-H1', '2025-Q3', '2025-03',
        '2024-01/2025-06'. A period starting before the year 1000 has none (PeriodError)."""
        first = self.start
        if first.year < 1000:
            raise PeriodError(f"the notation writes years 1000 to 9999, not {first.year}")
        if self.months == 12 and first.month == 1:
            return f"{first.year:04d}"
        if self.months == 6 and first.month in (1, 7):
            return f"{first.year:04d}-H{first.month // 6 + 1}"
        if self.months == 3 and first.month % 3 == 1:
            return f"{first.year:04d}-Q{first.month // 3 + 1}"
        if self.months == 1:
            return f"{first.year:04d}-{first.month:02d}"
        last = self.end
        return f"{first.year:04d}-{first.month:02d}/{last.year:04d}-{last.month:02d}"

    def same_period_previous_year(self) -> Period:
        return Period(date(self.start.year - 1, self.start.month, 1), self.months)

    def previous_period(self) -> Period:
        """The period of the same length just before: 2025-Q2 -> 2025-Q1, 2024 -> 2023, 2025-01/2025-09 -> 2024-04/2024-12."""
        year, month = _month(_index(self.start) - self.months)
        return months_from(year, month, self.months)

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end

    def label(self, lang: str) -> str:
        """A readable label in Italian ('it') or English ('en')."""
        names = MONTHS_IT if lang == "it" else MONTHS_EN
        first, last = self.start, self.end
        if self.duration == "P1Y":
            return str(first.year)
        if self.months == 1:
            return f"{names[first.month - 1]} {first.year}"
        if first.year == last.year:
            return f"{names[first.month - 1]}–{names[last.month - 1]} {first.year}"
        return f"{names[first.month - 1]} {first.year}–{names[last.month - 1]} {last.year}"


def _index(day: date) -> int:
    """Months from January of the year 0 to the month of ``day``."""
    return day.year * 12 + day.month - 1


def _month(index: int) -> tuple[int, int]:
    """(year, month) of a month index (see :func:`_index`)."""
    return index // 12, index % 12 + 1


def months_from(year: int, month: int, months: int) -> Period:
    """``months`` months from ``month`` of ``year``; PeriodError when that is no period."""
    try:
        return Period(date(year, month, 1), months)
    except ValueError as error:  # a month or year out of range
        raise PeriodError(str(error)) from None


# --------------------------------------------------------------------------- the notation

_ONE = re.compile(r"^(\d{4})(?:-(H[12]|Q[1-4]|\d{2}))?$")


def _one(text: str) -> tuple[str, date, int]:
    """(kind, first day, months) of one notation without a slash."""
    match = _ONE.match(text)
    if not match:
        raise PeriodError(text)
    year = int(match.group(1))
    part = match.group(2)
    if year < 1000:
        raise PeriodError(text)
    if part is None:
        return "year", date(year, 1, 1), 12
    if part[0] == "H":
        return "half", date(year, 1 + 6 * (int(part[1]) - 1), 1), 6
    if part[0] == "Q":
        return "quarter", date(year, 1 + 3 * (int(part[1]) - 1), 1), 3
    month = int(part)
    if not 1 <= month <= 12:
        raise PeriodError(text)
    return "month", date(year, month, 1), 1


def parse_period(text) -> Period:
    """Parse a period notation (see the module docstring); raise PeriodError."""
    text = str(text).strip()
    if "/" in text:
        first_text, _, last_text = text.partition("/")
        kind, first, _ = _one(first_text)
        last_kind, last_start, last_months = _one(last_text)
        if kind != last_kind or kind == "year":
            raise PeriodError(text)
        months = _index(last_start) - _index(first) + last_months
        if months < 1:
            raise PeriodError(text)
        return Period(first, months)
    _kind, start, months = _one(text)
    return Period(start, months)


# --------------------------------------------------------------------------- Italian phrases

_MONTH = "|".join(MONTHS_IT)
_MONTH_OR_SHORT = _MONTH + "|" + "|".join(rf"{m[:3]}\.?(?![a-zà-ù])" for m in MONTHS_IT)
"""A month's name or its three letters, in a run of months only: "gen-set 2023"."""


def _month_number(word: str) -> int:
    """1 to 12 for an Italian month's name or its first three letters ("set", "set.")."""
    word = word.lower().rstrip(".")
    return next(i + 1 for i, name in enumerate(MONTHS_IT) if name == word or name[:3] == word)
_YEAR = r"\b\d{4}\b"
_RECENT_YEAR = r"\b(?:19|20)\d{2}\b"  # a bare four-digit number is read as a year only in this range
_OF = r"(?:\s+del(?:l['’]anno)?)?\s+"  # "primo semestre 2025", "... del 2025", "... dell’anno 2025"
_COUNT = rf"\d{{1,3}}|{WORD}"
_HALF = r"(?P<ord>primo|secondo|I{1,2}|[12]\s?[°º])"  # "primo semestre", "II semestre", "1° semestre"
_QUARTER = r"(?P<ord>primo|secondo|terzo|quarto|I{1,3}|IV|[1-4]\s?[°º])"

# (kind, pattern); the earlier pattern wins where two overlap
_PHRASES = (
    ("half", rf"\b{_HALF}\s+semestre{_OF}(?P<year>{_YEAR})"),
    ("half", rf"\b(?P<ord>prima|seconda)\s+metà{_OF}(?P<year>{_YEAR})"),
    ("quarter", rf"\b{_QUARTER}\s+(?:trimestre|quarto){_OF}(?P<year>{_YEAR})"),
    ("months-from", rf"\b(?:primi|ultimi)\s+(?P<count>{_COUNT})\s+mesi\s+(?:a\s+partire\s+)?da(?:l(?:l['’])?)?\s+"
                    rf"(?P<first>{_MONTH})\s+(?P<year>{_YEAR})"),
    ("first-months", rf"\bprimi\s+(?P<count>{_COUNT})\s+mesi{_OF}(?P<year>{_YEAR})"),
    ("last-months", rf"\bultimi\s+(?P<count>{_COUNT})\s+mesi{_OF}(?P<year>{_YEAR})"),
    ("first-quarters", rf"\bprimi\s+(?P<count>{_COUNT})\s+trimestri{_OF}(?P<year>{_YEAR})"),
    ("months", rf"\b(?:(?P<from>da|tra)\s+)?(?P<first>{_MONTH_OR_SHORT})(?:\s+(?P<first_year>{_YEAR}))?"
               rf"(?:\s*[-–—/]\s*|(?(from)\s+(?:ad?|e)\s+|(?!)))(?P<last>{_MONTH_OR_SHORT})\s+(?P<year>{_YEAR})"),
    ("month", rf"(?<!\d\s)(?<!°\s)\b(?P<last>{_MONTH})\s+(?P<year>{_YEAR})"),
    ("year", rf"\b(?:nel|del|per\s+il|il|dal|al|nell['’]anno)\s+(?P<year>{_RECENT_YEAR})"),
    ("year", rf"(?P<year>{_RECENT_YEAR})"),
)


def _phrase_patterns() -> list[tuple[str, re.Pattern]]:
    """The phrases, compiled when first read (by re's own cache after that): a build never reads a phrase,
    and compiling them all took 12 ms of every command's start."""
    return [(kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in _PHRASES]


def _ordinal(words: str) -> int:
    """1 to 4 for "primo", "III", "3°"."""
    return int(words[0]) if words[0].isdigit() else ORDINALS_IT[words.lower()]


def _period_of(kind: str, match: re.Match) -> Period:
    """The period a phrase names; PeriodError when it names none ('primi 0 mesi', 'ultimi 13 mesi')."""
    year = int(match.group("year"))
    if kind in ("half", "quarter"):
        length = 6 if kind == "half" else 3
        return months_from(year, 1 + length * (_ordinal(match.group("ord")) - 1), length)
    if kind == "months-from":  # "primi 18 mesi a partire da gennaio 2024": 18 months from January 2024
        try:
            count = cardinal(match.group("count"))
        except NumberError as error:
            raise PeriodError(str(error)) from None
        return months_from(year, MONTHS_IT.index(match.group("first").lower()) + 1, count)
    if kind in ("first-months", "last-months", "first-quarters"):
        try:
            count = cardinal(match.group("count"))
        except NumberError as error:
            raise PeriodError(str(error)) from None
        if kind == "first-quarters":
            return months_from(year, 1, 3 * count)
        if kind == "last-months":
            if not 1 <= count <= 12:
                raise PeriodError(f"the last {count} months of a year")
            return months_from(year, 13 - count, count)
        return months_from(year, 1, count)
    if kind == "months":
        first = _month_number(match.group("first"))
        last = _month_number(match.group("last"))
        # "novembre-febbraio 2025": a run that wraps round the new year starts in the year before
        first_year = int(match.group("first_year") or (year if first <= last else year - 1))
        return months_from(first_year, first, (year - first_year) * 12 + last - first + 1)
    if kind == "month":
        return months_from(year, MONTHS_IT.index(match.group("last").lower()) + 1, 1)
    return months_from(year, 1, 12)


_YEARLESS = (  # compiled when read, as the phrases are
    ("half", rf"\b{_HALF}\s+semestre\b(?!\s+(?:del(?:l['’]anno)?\s+)?\d)"),
    ("quarter", rf"\b{_QUARTER}\s+trimestre\b(?!\s+(?:del(?:l['’]anno)?\s+)?\d)"),
    ("year", r"(?<!\bdel)(?<!\bdell['’])\b(?:l['’]|nell['’])anno\b(?!\s+(?:precedente|prima|scorso|passato|mobile|\d))"),
    ("first-months", rf"\bprimi\s+(?P<count>{_COUNT})\s+mesi(?:\s+dell['’]anno)?\b(?!\s+(?:del(?:l['’]anno)?\s+)?\d)"),
    ("months", rf"\b(?:(?P<from>da|tra)\s+)?(?P<first>{_MONTH})(?:\s*[-–—/]\s*|(?(from)\s+(?:ad?|e)\s+|(?!)))(?P<last>{_MONTH})\b"
               rf"(?!\s+(?:del(?:l['’]anno)?\s+)?\d)"),
)
"""A half, a quarter or the year named without its number ("Il solo terzo trimestre", "ha chiuso l'anno"): read
in the year the context gives."""


def find_periods(text: str, year: int | None = None) -> list[Found[Period]]:
    """Italian period phrases in ``text``, in its order: each a :class:`Found` whose value is the
    :class:`Period` and whose kind is the phrase's ('half', 'quarter', 'first-months', 'months', 'year'...).
    With ``year`` (the year the context is about), a half or quarter named without a year is read in it."""
    found: list[Found[Period]] = []
    taken: list[tuple[int, int]] = []
    patterns = _phrase_patterns() + ([(kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in _YEARLESS] if year is not None else [])
    for kind, pattern in patterns:
        for match in pattern.finditer(text):
            if any(start < match.end() and match.start() < end for start, end in taken):
                continue
            try:
                if kind == "year" and "year" not in pattern.groupindex:
                    period = months_from(int(year or 0), 1, 12)
                elif kind == "first-months" and "year" not in pattern.groupindex:
                    count = cardinal(match.group("count"))
                    if not 1 <= count <= 12:
                        raise PeriodError(f"the first {count} months of a year")
                    period = months_from(int(year or 0), 1, count)
                elif kind == "months" and "year" not in pattern.groupindex:
                    first = MONTHS_IT.index(match.group("first").lower()) + 1
                    last = MONTHS_IT.index(match.group("last").lower()) + 1
                    if last < first:
                        raise PeriodError("a run of months round the new year, with no year")
                    period = months_from(int(year or 0), first, last - first + 1)
                elif "year" not in pattern.groupindex:
                    length = 6 if kind == "half" else 3
                    period = months_from(int(year or 0), 1 + length * (_ordinal(match.group("ord")) - 1), length)
                else:
                    period = _period_of(kind, match)
            except (PeriodError, NumberError):
                continue
            taken.append(match.span())
            found.append(Found(match.start(), match.end(), match.group(0), period, kind))
    return sorted(found, key=lambda f: f.start)


def italian_period(phrase: str) -> Period:
    """The period one whole Italian phrase names ('primi 18 mesi del 2024', 'gennaio–settembre 2025',
    or a label of :meth:`Period.label`); PeriodError when it names none."""
    phrase = " ".join(str(phrase).split())
    if re.fullmatch(r"\d{4}", phrase):
        return months_from(int(phrase), 1, 12)  # a whole phrase of four digits is a year, whichever
    for kind, pattern in _phrase_patterns():
        match = pattern.fullmatch(phrase)
        if match:
            return _period_of(kind, match)
    raise PeriodError(f"'{phrase}' is not an Italian period phrase this module reads")
