"""The extractor's first stage: the mentions of one sentence, everything a figure can be made of.

:func:`mentions` reads one sentence of a release once and returns what its words name, each a
:class:`Mention` with its offsets in the text: amounts (value, currency, scale), percentages,
percentage points, multiples, places and demonyms, groups of places, periods, reference periods,
sectors and hedges. It reads them with the project's one grammar of each: numbers with
:mod:`kg.model.numbers`, periods with :mod:`kg.model.periods`, hedges with :mod:`kg.model.italian`,
places, demonyms and sectors with the gazetteer (:class:`kg.draft.places.PlaceFinder`). The next
stages decide which mentions belong to one figure (:mod:`kg.draft.frames`) and what the figure is
(:mod:`kg.draft.figures`, :mod:`kg.draft.measures`).

    >>> from kg.draft.places import PlaceFinder
    >>> text = "Nel 2024 l'export marchigiano ha superato i 14 miliardi di euro (+3,1% sul 2023)."
    >>> [(m.kind, m.text) for m in mentions(text, (0, len(text)), PlaceFinder())]  # doctest: +NORMALIZE_WHITESPACE
    [('period', 'Nel 2024'), ('place', 'marchigiano'), ('hedge', 'superato'), ('amount', '14 miliardi di euro'),
     ('percent', '+3,1%'), ('reference', 'sul 2023')]

The patterns of this module (reference periods, percentage points, a misspelt scale, the figure an
amount moved from) are the project's own: no library reads them. The number inside each is read by
:mod:`kg.model.numbers`; there is no second number grammar here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext
from typing import Any

from kg.draft.places import CONTEXT_WORDS, PlaceFinder
from kg.model import italian as italian
from kg.model.gazetteer import normalise
from kg.model.numbers import FIGURE, SCALES, Found, currency_at, find_amounts, find_multiples, find_percentages, read_figure
from kg.model.periods import Period, find_periods

KINDS = ("amount", "percent", "points", "multiple", "place", "group", "period", "reference", "sector", "hedge")
"""The kinds of mention, in the order :func:`mentions` lists two that start at the same offset."""

SIGNS = "+-−–"
SAME_PERIOD = re.compile(r"(?:stess[oi]|analog[oa]|corrispondente) (?:periodo|mesi|bimestre|trimestre|quadrimestre|semestre) "
                         r"(?:dell['’]anno (?:precedente|scorso|passato)|dello scorso anno)"
                         r"|(?:stess[oi]|analog[oa]|corrispondente) (?:periodo|mesi|bimestre|trimestre|quadrimestre|semestre) "
                         r"del(?:l['’])? ?(?:anno )?(?:19|20)\d{2}", re.I)
"""The same months of a year: "stesso periodo del 2023", "stesso semestre del 2024", "stessi mesi del 2022"."""
PREVIOUS_PERIOD = re.compile(r"\s*(?:(?:su\s+base\s+|in\s+termini\s+)?congiuntural[ei]\b|(?:rispetto\s+(?:al|allo|alla)|sul|sullo|sulla|nei\s+confronti\s+del)\s+"
                             r"(?:mese|bimestre|trimestre|quadrimestre|semestre)\s+precedente\b)", re.I)
"""A change against the period before: "del 6,2% congiunturale", "sul trimestre precedente", "rispetto al semestre precedente"."""
REFERENCE_WORDS = re.compile(r"\b(?:rispetto\s+(?:a|al|allo|alla|ai|agli|all['’])|(?:nel\s+)?confronto\s+con|in\s+raffronto\s+(?:a|al|allo|alla|ai|agli|all['’]|con))"
                             r"\s*(?:[^,.;]|(?<=\d)[,.](?=\d))*?(?:(?:19|20)\d{2})"
                             r"|\b(?:sul|sull['’]|sui|sugli)\s*(?:(?:primo|secondo|terzo|quarto|I{1,3}|IV|[1-4]\s?[°º]|primi|ultimi|\d{1,2}|due|tre|"
                             r"quattro|cinque|sei|sette|otto|nove|dieci|undici|dodici|corrispondente|stess[oi]|mesi|trimestre|semestre|"
                             r"periodo|anno|del|dell['’])\s*)*(?:19|20)\d{2}"
                             r"|\b(?:il|al|sul|del|dal)\s+dato\s+(?:del\s+)?(?:(?:19|20)\d{2})"
                             r"|\b(?:(?:a|su|de)?(?:l|i)\s+valor[ei]|(?:a|su|de)?(?:l|i)\s+livell[oi]|(?:il|i)\s+valor[ei]|(?:il|i)\s+livell[oi]|quell[oaie])\s+del(?:l['’])?\s*(?:(?:19|20)\d{2})"
                             r"|\b(?:il\s+)?(?:doppio|triplo)\s+(?:del(?:l['’])?\s*|rispetto\s+al(?:l['’])?\s*)(?:19|20)\d{2}"
                             r"|\b(?:in\s+(?:più|meno)|superior[ei]|inferior[ei])\s+(?:a|al|ai|agli|all['’]|del|dei|degli|dell['’])\s*[^,.;%]*?(?:19|20)\d{2}", re.I)
"""A named reference period: "rispetto al 2020", "Rispetto al 2019", "sul 2022", "rispetto al primo semestre 2024",
"oltre 7 volte il valore del 2019", "il 4,2% in più del 2023", "superiori ai livelli del 2019", "il doppio del 2019"."""
POINTS = re.compile(rf"(?<![\w,.])(?P<sign>[+\-−–]\s?)?(?P<n>{FIGURE})\s+punt[oi](?:\s+percentual[ei])?\b", re.I)
"""Percentage points, signed where a sign comes before the digits: "-2,9 punti", "1,5 punti percentuali"."""
MISSPELT = re.compile(rf"(?<![\w,.])(?P<figure>{FIGURE})\s+(?P<word>[a-zà-ù]{{6,}})\b", re.I)
"""A figure and a word that may be a scale misspelt by a letter ("9,1 milardi")."""
FROM_VALUE = re.compile(rf"\bda\s+(?:(?:oltre|circa|quasi)\s+)?(?P<figure>{FIGURE})\s+(?:a|ai|agli|al)\s+$", re.I)
"""The bare figure an amount moved from, its scale written once after the other: "da 5.102,0 a 3.683,4 milioni"."""


LAST_YEAR = re.compile(r"\b(?:(?:lo|nello|dello|allo)\s+scorso\s+anno|(?:l|nell|dell)['’]anno\s+(?:scorso|passato))\b", re.I)
"""The year before the release's: "lo scorso anno", "nell'anno passato"."""


@dataclass(frozen=True)
class Mention:
    """What the words text[start:end] name, of ``kind`` (:data:`KINDS`), and its ``value``:

    - ``amount``: the value (Decimal, scaled); ``unit`` the ISO 4217 code of the currency its words name
      (None: none named), ``unit_end`` where those words end (None: none after it), ``scale`` the scale
      written (10**6 for "milioni"; None for "500 euro"); ``detail`` "from" for a bare figure read at the
      scale of the amount it moved to ("da 5.102,0 a 3.683,4 milioni"), "misspelt" for "9,1 milardi";
    - ``percent``, ``points``: the value (Decimal), negative when a minus sign touches its digits;
      ``signed`` whether a sign is written;
    - ``multiple``: the factor (Decimal: 2 for "raddoppiato", 0.5 for "dimezzato");
    - ``place``, ``group``: the place id; ``detail`` the gazetteer's kind of the place ("region",
      "country"...), "context" for a word that names one only by context ("regionale");
      ``demonym`` whether the words are an adjective or demonym ("marchigiano", "picene");
    - ``period``: the :class:`kg.model.periods.Period`; ``detail`` the kind of phrase ("half", "year"...);
      ``implied`` when it is named without its year and read in the year of the context ("il terzo trimestre");
    - ``reference``: the period a change is set against (a Period; None when the words name it only as the
      period before or as the same months of the year before); ``detail`` "named" ("rispetto al 2020"),
      "same-period" ("stesso periodo del 2023", "dell'anno precedente") or "previous-period" ("congiunturale");
    - ``sector``: a sector id, the Italian name's (``ids``: every sector the words name, ``value`` first; ``codes``:
      the ones the gazetteer's word table and indexed labels give, sorted: "moda" is fashion, its code CB);
    - ``hedge``: the hedge's name ("about", "more-than", ...).
    """

    kind: str
    start: int
    end: int
    text: str
    value: Any
    unit: str | None = None
    unit_end: int | None = None
    scale: Decimal | None = None
    signed: bool = False
    detail: str = ""
    demonym: bool = False
    ids: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    implied: bool = False


def _scale(words: str) -> Decimal | None:
    scale = next((word for word in re.findall(r"[\w.]+", words.lower()) if word in SCALES), None)
    return SCALES[scale] if scale else None


def misspelt_amounts(sentence: str, amounts: list) -> list[Found[Decimal]]:
    """Amounts whose scale is misspelt by a letter ("9,1 milardi"), as :func:`kg.model.numbers.scales_named` forgives."""
    import difflib

    found = []
    for match in MISSPELT.finditer(sentence):
        word = match.group("word").lower()
        close = difflib.get_close_matches(word, [w for w in SCALES if len(w) >= 6], n=1, cutoff=0.85)
        if word in SCALES or not close or any(a.start <= match.start() < a.end for a in amounts):
            continue
        with localcontext(prec=28):
            value = (read_figure(match.group("figure")) * SCALES[close[0]]).normalize() + 0
        found.append(Found(match.start(), match.end(), match.group(0), value, "amount"))
    return found


def from_values(sentence: str, amounts: list) -> tuple[list, set[int]]:
    """The amounts of a sentence with the figures they moved from ("da 5.102,0 a 3.683,4 milioni"), each read at the
    scale of the amount after it; and the offsets of those figures."""
    found, starts = [], set()
    for amount in amounts:
        before = FROM_VALUE.search(sentence, max(0, amount.start - 40), amount.start)
        scale = re.search(r"\b(milioni|miliardi|mln|mld)\b", amount.text, re.I)
        if before and scale and not any(a.start <= before.start("figure") < a.end for a in amounts):
            with localcontext(prec=28):
                value = (read_figure(before.group("figure")) * SCALES[scale.group(1).lower()]).normalize() + 0
            found.append(Found(before.start("figure"), before.end("figure"), before.group("figure"), value, "amount"))
            starts.add(before.start("figure"))
        found.append(amount)
    return found, starts


def points(sentence: str) -> list[Found[Decimal]]:
    """Changes in percentage points (:data:`POINTS`), signed where a sign comes before the digits."""
    found = []
    for match in POINTS.finditer(sentence):
        value = read_figure(match.group("n"))
        if match.group("sign") and match.group("sign").strip() != "+":
            value = -value
        found.append(Found(match.start(), match.end(), match.group(0), value, "points"))
    return found


def sentence_amounts(sentence: str) -> tuple[list[Found[Decimal]], set[int]]:
    """The amounts of a sentence in its order (:func:`kg.model.numbers.find_amounts`, with a misspelt scale and the
    figure of "da X a Y milioni"), and the offsets of the figures moved from."""
    amounts = find_amounts(sentence)
    amounts = sorted(amounts + misspelt_amounts(sentence, amounts), key=lambda a: a.start)
    return from_values(sentence, amounts)


def reference_spans(sentence: str) -> list[tuple[int, int]]:
    """The spans of a sentence's named reference periods ("rispetto al 2020", "stesso periodo del 2023"): a period
    in them is a comparison's, not a figure's."""
    return [m.span() for m in REFERENCE_WORDS.finditer(sentence)] + [m.span() for m in SAME_PERIOD.finditer(sentence)]


def mentions(text: str, sentence: tuple[int, int], places: PlaceFinder, year: int | None = None,
             published: date | None = None) -> list[Mention]:
    """Every mention of the sentence text[sentence[0]:sentence[1]], sorted by start (then by :data:`KINDS`);
    offsets are in ``text``. ``year``: the year the context is about, in which a period named without its
    year ("il terzo trimestre") is read; ``published``: the release's date, when known: a period named without
    its year that would end after it is the year before's (a release reports periods that are over), and "lo
    scorso anno" is the year before it."""
    start, end = sentence
    words = text[start:end]
    found: list[Mention] = []

    amounts, moved_from = sentence_amounts(words)
    for amount in amounts:
        a_start, a_end = start + amount.start, start + amount.end
        currency = None if amount.text.lower().endswith("euro") else currency_at(text, a_start, a_end)
        misspelt = MISSPELT.fullmatch(amount.text)
        if misspelt is not None and misspelt.group("word").lower() in SCALES:
            misspelt = None
        detail = "from" if amount.start in moved_from else "misspelt" if misspelt else ""
        found.append(Mention("amount", a_start, a_end, amount.text, amount.value,
                             unit="EUR" if amount.text.lower().endswith("euro") else currency.value if currency else None,
                             unit_end=currency.end if currency is not None and currency.end > a_end else None,
                             scale=_scale(text[a_end:end][:40]) if detail == "from" else
                             (amount.value / read_figure(misspelt.group("figure"))).normalize() if misspelt else _scale(amount.text),
                             detail=detail))
    for percent in find_percentages(words):
        found.append(Mention("percent", start + percent.start, start + percent.end, percent.text, percent.value,
                             unit="percent", signed=percent.text[:1] in SIGNS))
    for point in points(words):
        found.append(Mention("points", start + point.start, start + point.end, point.text, point.value,
                             unit="points", signed=point.text[:1] in SIGNS))
    for multiple, _precision in find_multiples(words):
        found.append(Mention("multiple", start + multiple.start, start + multiple.end, multiple.text, multiple.value,
                             unit="factor"))

    gazetteer = places.gazetteer
    context = re.compile("|".join(pattern for pattern, _place in CONTEXT_WORDS))
    for offset, place, name in places.find(words):
        kind = gazetteer.place(place).kind
        adjective = name[:1].islower() and any(normalise(name) == normalise(a) for a in gazetteer.place(place).adjectives)
        found.append(Mention("group" if kind == "group" else "place", start + offset, start + offset + len(name), name, place,
                             detail="context" if context.fullmatch(name) else kind, demonym=adjective))

    references = reference_spans(words)
    for match in REFERENCE_WORDS.finditer(words):
        named = find_periods(match.group(0))
        if named:
            found.append(Mention("reference", start + match.start(), start + match.end(), match.group(0), named[-1].value,
                                 detail="named"))
    for match in SAME_PERIOD.finditer(words):
        named = find_periods(match.group(0))
        found.append(Mention("reference", start + match.start(), start + match.end(), match.group(0),
                             named[-1].value if named else None, detail="same-period"))
    for match in PREVIOUS_PERIOD.finditer(words):
        lead = len(match.group(0)) - len(match.group(0).lstrip())
        found.append(Mention("reference", start + match.start() + lead, start + match.end(), match.group(0).strip(), None,
                             detail="previous-period"))
    with_year = {(p.start, p.end) for p in find_periods(words)} if year is not None else None
    for period in find_periods(words, year=year):
        if not any(a <= period.start < b for a, b in references):
            implied = with_year is not None and (period.start, period.end) not in with_year
            value = period.value
            if implied and published is not None and value.end > published:
                value = value.same_period_previous_year()
            found.append(Mention("period", start + period.start, start + period.end, period.text, value,
                                 detail=period.kind, implied=implied))
    if published is not None:
        for match in LAST_YEAR.finditer(words):
            if not any(a <= match.start() < b for a, b in references) and \
                    not any(m.kind == "period" and m.start <= start + match.start() < m.end for m in found):
                found.append(Mention("period", start + match.start(), start + match.end(), match.group(0),
                                     Period(date(published.year - 1, 1, 1), 12), detail="year", implied=True))

    for s_start, s_end, ids, codes in places.find_sectors(words):
        found.append(Mention("sector", start + s_start, start + s_end, words[s_start:s_end], ids[0], ids=tuple(ids),
                             codes=tuple(codes)))
    for hedge in italian.find_hedges(words):
        found.append(Mention("hedge", start + hedge.start, start + hedge.end, hedge.text, hedge.value))
    return sorted(found, key=lambda m: (m.start, KINDS.index(m.kind), m.end))


def hedge_before(found: list[Mention], at: int, window: int = 40) -> Mention | None:
    """The hedge mention closest before offset ``at`` and starting within ``window`` characters of it (as
    :func:`kg.model.italian.find_hedge` reads the text), None if there is none."""
    near = [m for m in found if m.kind == "hedge" and at - window <= m.start and m.end <= at]
    return max(near, key=lambda m: (m.end, -m.start)) if near else None


def of_kind(found: list[Mention], *kinds: str) -> list[Mention]:
    """The mentions of ``kinds``, in their order."""
    return [m for m in found if m.kind in kinds]


def relative(mention: Mention, sentence_start: int) -> Found:
    """A mention as a :class:`kg.model.numbers.Found` with offsets in its sentence (what the rules of
    :mod:`kg.draft.figures` read)."""
    return Found(mention.start - sentence_start, mention.end - sentence_start, mention.text, mention.value,
                 mention.kind if mention.kind != "period" else mention.detail)
