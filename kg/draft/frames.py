"""The extractor's second stage: which mentions of a sentence belong to one figure.

:func:`frames` groups the mentions of one sentence (:func:`kg.draft.mentions.mentions`) by the
constructions releases write a figure with, each a :class:`Frame` whose ``roles`` name what each
mention is to the figure:

- ``parenthetical``: a level and its change right after it, in brackets or after a comma: "384,5
  milioni di euro (+0,6%)", "120,5 milioni, +9,2%" (roles ``level``, ``change``);
- ``sector-list``: the rows of a list of sectors after a colon: "Per settori: tessile 1,2 miliardi
  (+3%), meccanica 800 milioni" (``sector``, ``hedge``, ``level``, ``change``), one frame a row;
- ``list``: a place and the figure written right after it: "Ancona +23,4%, Pesaro +18,2%",
  "Francia (-2,2%)", "Germania 1,2 miliardi" (``place``, ``level``, ``change``), one frame a place (a
  change right after its place, or after a bracket; a level also after a colon);
- ``from-to``: a figure and the one it moved from: "da oltre 5 miliardi agli attuali 730,1
  milioni", "dal 24,6% del 2019 al 25,9%", "da 5.102,0 a 3.683,4 milioni" (``from``,
  ``from-hedge``, ``from-period``, ``to``, ``to-hedge``).

The constructions are the project's own reading of release prose; no library has them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.draft.mentions import Mention

FRAME_KINDS = ("parenthetical", "sector-list", "list", "from-to")

_ATTACHED = re.compile(r"\s*[(,]\s*")
"""Between a level and its change: "384,5 milioni (+0,6%)", "120,5 milioni, +9,2%"."""
_ROW_GAP = re.compile(r"\s*(?:[:–-]\s*|con\s+|a\s+|per\s+)?")
"""Between a sector or place and its figure in a list: "tessile 1,2 miliardi", "meccanica: 800 milioni"."""
_PLACE_GAP = re.compile(r"\s*(?:\(\s*|:\s*)?")
"""Between a place and its level in a list: "Germania 1,2 miliardi", "Francia (640,2 milioni)", "Germania: 1,2 miliardi"."""
_PLACE_CHANGE_GAP = re.compile(r"\s*\(?\s*")
"""Between a place and its change in a list: "Ancona +23,4%", "Francia (-2,2%)"."""
_FROM = re.compile(r"\b(?:da|dal|dall['’]|dallo|dalla|dai|dagli|dalle)\s*$", re.I)
_TO = re.compile(r"(?P<between>[^;:]*?)\b(?:a|al|all['’]|allo|alla|ai|agli|alle)\s*(?:(?:gli\s+|i\s+|l['’])?attual[ei]\s+)?$", re.I)
"""The words between the figure moved from and the one moved to: "... a", "... agli attuali"."""


@dataclass(frozen=True)
class Frame:
    """The mentions of one figure: ``kind`` (:data:`FRAME_KINDS`), the words text[start:end] and ``roles``,
    (role, mention) pairs in the order of the text."""

    kind: str
    start: int
    end: int
    roles: tuple[tuple[str, Mention], ...]

    def get(self, role: str) -> Mention | None:
        """The mention in ``role``, None if the frame has none."""
        return next((mention for name, mention in self.roles if name == role), None)


def _end(mention: Mention) -> int:
    """Where a mention's words end, the currency named after an amount included."""
    return mention.unit_end if mention.unit_end is not None else mention.end


def _change_after(text: str, level: Mention, found: list[Mention], signed_only: bool) -> Mention | None:
    """The change written right after ``level``: a percentage or points in brackets or after a comma."""
    for mention in found:
        if mention.kind in ("percent", "points") and _end(level) <= mention.start <= _end(level) + 12 \
                and _ATTACHED.fullmatch(text, _end(level), mention.start) and (mention.signed or not signed_only) \
                and mention.value != 0:
            return mention
    return None


def _hedge_before(text: str, mention: Mention, found: list[Mention]) -> Mention | None:
    """The hedge right before a figure ("oltre 5 miliardi", "circa il 12%", "sui 95 milioni")."""
    for hedge in found:
        if hedge.kind == "hedge" and hedge.end <= mention.start and \
                re.fullmatch(r"\s*(?:(?:a|i|il|l['’]|le|gli|di|del|dei|degli)\s*)?", text[hedge.end:mention.start], re.I):
            return hedge
    return None


def frames(text: str, sentence: tuple[int, int], found: list[Mention]) -> list[Frame]:
    """The frames of the sentence text[sentence[0]:sentence[1]] whose mentions are ``found``, in the order of the
    text. A mention is in at most one frame of each kind; a level in a row of a sector list is not also in a
    parenthetical frame."""
    start, end = sentence
    result: list[Frame] = []
    figures = [m for m in found if m.kind in ("amount", "percent", "points")]
    in_rows: set[int] = set()

    colon = text.find(":", start, end)
    if colon >= 0:  # "Per settori: tessile 1,2 miliardi (+3%), meccanica 800 milioni (-2,1%)"
        for sector in (m for m in found if m.kind == "sector" and m.start > colon):
            level = next((m for m in figures if m.kind == "amount" and m.start >= sector.end), None)
            hedge = _hedge_before(text, level, found) if level is not None else None
            gap_end = hedge.start if hedge is not None else level.start if level is not None else sector.end
            if level is None or not _ROW_GAP.fullmatch(text, sector.end, gap_end):
                continue
            roles: list[tuple[str, Mention]] = [("sector", sector)]
            if hedge is not None:
                roles.append(("hedge", hedge))
            roles.append(("level", level))
            change = _change_after(text, level, found, signed_only=False)
            if change is not None:
                roles.append(("change", change))
            in_rows.add(level.start)
            result.append(Frame("sector-list", sector.start, _end(roles[-1][1]), tuple(roles)))

    for level in (m for m in figures if m.kind == "amount" and m.start not in in_rows):
        change = _change_after(text, level, found, signed_only=True)
        if change is not None:  # "384,5 milioni di euro (+0,6%)"
            result.append(Frame("parenthetical", level.start, change.end, (("level", level), ("change", change))))

    for place in (m for m in found if m.kind in ("place", "group")):
        figure = next((m for m in figures if m.start >= place.end), None)
        if figure is None:
            continue
        if figure.kind == "amount" and _PLACE_GAP.fullmatch(text, place.end, figure.start):  # "Germania 1,2 miliardi (+3,4%)"
            roles = [("place", place), ("level", figure)]
            change = _change_after(text, figure, found, signed_only=False)
            if change is not None:
                roles.append(("change", change))
        elif figure.kind != "amount" and _PLACE_CHANGE_GAP.fullmatch(text, place.end, figure.start):  # "Ancona +23,4%"
            roles = [("place", place), ("change", figure)]
        else:
            continue
        result.append(Frame("list", place.start, _end(roles[-1][1]), tuple(roles)))

    for first in figures:  # "da oltre 5 miliardi agli attuali 730,1 milioni", "dal 24,6% del 2019 al 25,9%"
        hedge = _hedge_before(text, first, found)
        lead = hedge.start if hedge is not None else first.start
        opening = _FROM.search(text, max(start, lead - 8), lead)
        if opening is None:
            continue
        second = next((m for m in figures if m.start >= _end(first) and m.kind == first.kind), None)
        if second is None or second.start - _end(first) > 80:
            continue
        to_hedge = _hedge_before(text, second, found)
        gap_end = to_hedge.start if to_hedge is not None else second.start
        moved = _TO.match(text, _end(first), gap_end)
        if moved is None or moved.end() != gap_end:
            continue
        roles = [("from", first)]
        if hedge is not None:
            roles.insert(0, ("from-hedge", hedge))
        period = next((m for m in found if m.kind == "period" and _end(first) <= m.start <= _end(first) + 3), None)
        if period is not None:
            roles.append(("from-period", period))
        if to_hedge is not None:
            roles.append(("to-hedge", to_hedge))
        roles.append(("to", second))
        result.append(Frame("from-to", opening.start(), _end(second), tuple(roles)))
    closed = [Frame(f.kind, f.start, f.end + 1, f.roles) if text[f.end:f.end + 1] == ")" and "(" in text[f.start:f.end] else f
              for f in result]  # the bracket a change was opened with is closed
    return sorted(closed, key=lambda f: (f.start, FRAME_KINDS.index(f.kind)))
