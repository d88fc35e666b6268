"""The measures of a sentence other than levels and changes: shares (and, in later steps, ranks, ratios, projections).

:func:`draft_measures` is called by :func:`kg.draft.figures.draft_figures` once for every sentence, after the
sentence's levels are drafted: it adds the sentence's levels and its measures to the draft and returns the
measures, whose words the changes of the sentence then leave alone.
"""

from __future__ import annotations

import re

from kg.draft.draft import Draft, unique_span
from kg.draft.places import PlaceFinder
from kg.model import italian as italian
from kg.model.schema import CELL_KEYS

TOTAL_CUES = r"\btotale\b|\bcomplessiv[oaie]\b|\bin tutto il mondo\b"
SHARE_OF = re.compile(r"\s+del(?:l['’]|le)?\s*(?:totale|export|esportazioni|vendite)(?:\s+(?!del)[a-zà-ù]+)?")
"""The whole a percentage is a share of, right after it: "del totale provinciale", "dell'export nazionale"."""


def _clause_start(text: str, sentence_start: int, at: int) -> int:
    """Where the clause holding offset ``at`` begins: after the last , ; : – before it, or the sentence."""
    cut = sentence_start
    for match in re.finditer(r"[,;:–]\s", text[sentence_start:at]):
        cut = sentence_start + match.end()
    return cut


def _cell_fields(figure: dict) -> dict:
    """The cell of a drafted figure, and how its period was read: what a measure on the same cell repeats."""
    return {key: figure[key] for key in (*CELL_KEYS, "period_basis", "period_note") if key in figure}


def _whole_of(part: dict, whole: dict | None, context: str, places: PlaceFinder) -> tuple[dict, str | None]:
    """A share's ``of`` (the fields in which the whole's cell differs from the part's) and a review note, if any.

    The whole is the level of the total drafted in the same sentence when there is one; otherwise the
    words say it ("dell'export italiano": Italy's; "del totale regionale" of a province: its region's; "del
    totale" of a destination: the world's; of a sector: all goods')."""
    if whole is not None:
        of = {}
        for key in CELL_KEYS:
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


def draft_measures(text: str, sentence: tuple[int, int], percents: list, figures: list[dict], draft: Draft,
                   places: PlaceFinder, last: dict) -> list[dict]:
    """Add to ``draft`` the levels of a sentence (``figures``) and its shares; return the shares.

    A share: "pari allo 0,05% del totale", "il 29,3% del totale provinciale", of the cell of the level before it."""
    sentence_start, sentence_end = sentence
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
            start, end = unique_span(text, begin, of_words.end() if of_words else p_end, (sentence_start, sentence_end))
            share["evidence"] = text[start:end]
            share["_start"], share["_part"] = start, part
            shares.append(share)
    draft.facts.extend(figures)
    draft.facts.extend(shares)
    return shares
