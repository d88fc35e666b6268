"""Reference periods: parse the notations annotations use, mint one IRI per interval.

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
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

MONTHS_IT = ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio",
             "agosto", "settembre", "ottobre", "novembre", "dicembre"]
MONTHS_EN = [calendar.month_name[i] for i in range(1, 13)]


class PeriodError(ValueError):
    """The notation is not a period this module understands."""


@dataclass(frozen=True, order=True)
class Period:
    """``months`` whole months starting on the first day of ``start``."""

    start: date
    months: int

    @property
    def end(self) -> date:
        """The last day of the interval."""
        month_index = self.start.month - 1 + self.months - 1  # the last month of the interval
        year = self.start.year + month_index // 12
        month = month_index % 12 + 1
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

    def same_period_previous_year(self) -> "Period":
        return Period(date(self.start.year - 1, self.start.month, 1), self.months)

    def contains(self, other: "Period") -> bool:
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


_YEAR = r"(\d{4})"
_ONE = re.compile(rf"^{_YEAR}(?:-(H[12]|Q[1-4]|\d{{2}}))?$")


def _one(text: str) -> tuple[date, int]:
    match = _ONE.match(text)
    if not match:
        raise PeriodError(text)
    year = int(match.group(1))
    part = match.group(2)
    if year < 1000:
        raise PeriodError(text)
    if part is None:
        return date(year, 1, 1), 12
    if part[0] == "H":
        return date(year, 1 + 6 * (int(part[1]) - 1), 1), 6
    if part[0] == "Q":
        return date(year, 1 + 3 * (int(part[1]) - 1), 1), 3
    month = int(part)
    if not 1 <= month <= 12:
        raise PeriodError(text)
    return date(year, month, 1), 1


def _kind(text: str) -> str:
    part = text.strip()[5:6]
    return {"H": "half", "Q": "quarter", "": "year"}.get(part, "month")


def parse_period(text) -> Period:
    """Parse a period notation (see the module docstring); raise PeriodError."""
    text = str(text).strip()
    if "/" in text:
        first_text, _, last_text = text.partition("/")
        first, _ = _one(first_text)
        last_start, last_months = _one(last_text)
        if _kind(first_text) != _kind(last_text) or _kind(first_text) == "year":
            raise PeriodError(text)
        months = (last_start.year - first.year) * 12 + last_start.month - first.month + last_months
        if months < 1 or first.year * 12 + first.month - 1 + months > 9999 * 12 + 12:
            raise PeriodError(text)
        return Period(first, months)
    start, months = _one(text)
    return Period(start, months)
