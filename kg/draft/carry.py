"""What the sentences of a release hand to the sentences after them: the period, origin, market and reference
that a figure takes when its own words name none, by explicit named rules.

:class:`Carried` is made once per release by :func:`kg.draft.figures.draft_figures` and told what each
sentence and each drafted figure names; the figures and measures of the next sentences read it. Each rule
is a method with its own test (tests/test_extract_carry.py):

- :meth:`Carried.next_sentence`: at the start of each sentence, *headline* (the headline restates the
  body's subject: its period is the release's), *part of the release's period* (a quarter of the release's
  year named before is that sentence's only), *subject's origin* (a place named only in a sentence before is
  not the next sentence's origin: the release's subject is) and *market of its sentence* (a market is
  named for the sentence it is in, unless the release is about it);
- :meth:`Carried.period_named`: a figure's period is carried to the figures after it, unless it is past
  (it ends before the release's period starts: "a fronte dei 9.150,0 milioni del primo semestre 2024");
  the first one named is the release's period;
- :meth:`Carried.current`: "agli attuali 310,4 milioni" is of the release's own period;
- :meth:`Carried.figure_drafted`: the origin of a figure is carried; the origin of the first export level
  is the release's subject; the market of the release's first figure is its subject's market while the
  release names no other market (one that is not it, a part or a whole of it);
- :attr:`Carried.factor_reference`: the reference period of a multiple is carried to the next multiple.

These rules are the project's own: they are how the family's releases write, and no library reads them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from kg.model.periods import Period, parse_period


@dataclass
class Carried:
    """The period, origin and market carried from the figures before, and what the release is about."""

    origin: str | None = None
    """The origin of the figure before (or the release's subject, at a sentence's start)."""
    destination: str | None = None
    """The market carried to this sentence: the release's subject's market, else none."""
    period: str | None = None
    """The period of the figure before, in the period notation."""
    subject_origin: str | None = None
    """What the release is about: the origin of its first export level."""
    subject_destination: str | None = None
    """The market of the release's first figure, while the release names no other market."""
    release_period: str | None = None
    """The period of the release's first figure with a period: the release's own."""
    named_year: int | None = None
    """The year of the last period named with its year, a figure's or not."""
    factor_reference: str | None = None
    """The reference period of the last multiple ("7 volte il valore del 2019"), carried to the next."""
    seen_periods: list[Period] = field(default_factory=list)
    """The periods named for figures so far, in order ("nel trimestre": the last quarter named)."""
    first: bool = True
    """Whether no figure is drafted yet."""

    def next_sentence(self, headline: bool = False) -> None:
        """The rules at the start of a sentence (``headline``: the headline, read after the body, begins)."""
        if headline:  # the headline restates the body's subject
            self.period = self.release_period
        if self.period and self.release_period and self.period != self.release_period and \
                _within(parse_period(self.period), parse_period(self.release_period)):
            self.period = self.release_period  # a part of the release's period (a quarter of its year) is its sentence's only
        if self.subject_origin is not None:  # a place named only in a sentence before is not the next sentence's origin
            self.origin = self.subject_origin
        self.destination = self.subject_destination  # a market is named for its sentence, unless the release is about it

    def context_year(self) -> int | None:
        """The year a period named without its year is read in ("il terzo trimestre"): the carried period's, else
        the release's, else the last year named."""
        carried = self.period or self.release_period
        return parse_period(carried).start.year if carried else self.named_year

    def period_named(self, period: Period) -> None:
        """A figure names ``period``: carried to the figures after it unless it is past; the first is the release's."""
        if self.release_period is None or period.end >= parse_period(self.release_period).start:
            self.period = period.notation
        self.seen_periods.append(period)
        self.release_period = self.release_period or period.notation

    def current(self) -> None:
        """"agli attuali": the release's own period, carried on."""
        self.period = self.release_period

    def figure_drafted(self, named_origin: str | None, origin: str, named_destination: str | None, destination: str | None,
                       export: bool, same_or_part: Callable[[str | None, str | None], bool]) -> None:
        """A figure is drafted with ``origin`` and ``destination`` (``named_origin``, ``named_destination``: the ones
        its own words name, else None): carry the origin and market its words name; the first export level's
        origin is the release's subject; the first figure's market is the subject's market until another market
        is named (``same_or_part(a, b)``: whether place a is b, lies within it or holds it)."""
        if named_origin is not None:
            self.origin = named_origin
        if self.subject_origin is None and origin != "TODO" and export:
            self.subject_origin = origin
        if self.first:
            self.first = False
            if destination not in (None, "world", "TODO"):
                self.subject_destination = destination
        elif named_destination is not None and named_destination not in ("world", "TODO", self.subject_destination) \
                and not same_or_part(named_destination, self.subject_destination):
            self.subject_destination = None  # the release names other markets too: it is not about one market
        if named_destination is not None and named_destination != "world":
            self.destination = named_destination

def _within(part: Period, whole: Period) -> bool:
    """Whether period ``part`` lies inside period ``whole``."""
    return whole.start <= part.start and part.end <= whole.end
