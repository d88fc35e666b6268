"""Figures in the sentences of a release: levels on cells, the changes and shares stated with them.

Each sentence is read for amounts and percentages (kg.model.numbers), periods (kg.model.periods),
places (kg.draft.places) and hedges (kg.model.italian); a level is drafted for every amount, on the
cell its words name, and the changes and shares the sentence states beside it on that cell.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, localcontext

from kg.draft.carry import Carried
from kg.draft.draft import Draft, explain, slug, unique_span
from kg.draft.frames import Frame, frames
from kg.draft.measures import CHANGE_NOUN_BEFORE, SHARE_OF, draft_measures
from kg.draft.mentions import (
    SIGNS,
    Mention,
    hedge_before,
    mentions,
    of_kind,
    reference_spans,
    relative,
)
from kg.draft.places import PlaceFinder
from kg.model import italian as italian
from kg.model.numbers import FIGURE, SCALES, read_figure
from kg.model.periods import Period, find_periods, parse_period
from kg.model.schema import direction_sign

DESTINATION_CUES = (r"(?:verso|in|negli|nei|nel|nella|nello|con|nei rapporti con|diretto in|destinat[oaie] (?:a|al|all['’]))"
                    r"\s+(?:l['’]|il |la |lo |i |gli |le )?(?:mercat[oi] )?")
TOTAL_CUES = r"\btotale\b|\bcomplessiv[oaie]\b|\bin tutto il mondo\b"
LEAP = re.compile(r"\b(?:balz[oi]|salt[oi]|impennat[ae])\s+(?:di|del|dell['’])", re.I)
"""Words of a rise that kg.model.italian does not read, before the size of it: "con un balzo del 14,7 per cento", "un salto
del 12%" (not "il salto è netto", which states no change by itself)."""


def _direction(clause: str) -> str | None:
    """'increase', 'decrease' or None from the words of a clause (kg.model.italian), a leap ("balzo", "salto") a rise."""
    return italian.change_direction(clause) or ("increase" if LEAP.search(clause) else None)


def _direction_words(clause: str, direction: str) -> re.Match | None:
    """The first words of ``clause`` that say it rose or fell, a leap among those of a rise."""
    found = italian.direction_words(clause, direction)
    return found if found is not None or direction != "increase" else LEAP.search(clause)


def _clause_start(text: str, sentence_start: int, at: int) -> int:
    """Where the clause holding offset ``at`` begins: after the last , ; : – before it, or the sentence."""
    cut = sentence_start
    for match in re.finditer(r"(?:[,;:–]|\s-)\s", text[sentence_start:at]):
        cut = sentence_start + match.end()
    return cut


CELL_FIELDS = ("flow", "origin", "destination", "period", "sector", "excludes")
"""The fields that name a figure's cell (kg.model.schema.CELL_KEYS)."""
FLOW_WORDS = re.compile(r"(?P<import>\bimportazion[ei]\b|\bimport\b|\bimportat[oaie]\b|\bimportano\b)"
                        r"|(?P<balance>\bsaldo\b|\bavanzo\b|\bdisavanzo\b|\bsurplus\b|\bdeficit\b|\bbilancia\s+commerciale\b"
                        r"|\bbilancia\b(?=\s+(?:resta|è|rimane|chiude|torna)\b))"
                        r"|(?P<turnover>\binterscambio\b|\bscambi commerciali\b|\bflussi commerciali\b)"
                        r"|(?P<export>\besport\w*|\bexport\b|\bvendit[ae]\b|\bvendut[oaie]\b)", re.I)
"""The words of a flow, the last one before an amount in its clause naming it: "Le importazioni ... 8.041,3 milioni",
"un saldo negativo per 1.114,2 milioni", "un interscambio di 4,9 miliardi"; none: exports."""
SOURCE_CUE = re.compile(r"\b(?:da|dal|dall['’]|dalla|dai|dagli|dalle)\s*(?:l['’]|la |il |i |gli |le )?$", re.I)
"""The words before the place goods are bought from: "importato dall'Italia"."""
DEFICIT = re.compile(r"\b(?:negativ[oa]|passiv[oa]|deficit|disavanzo)\b", re.I)
"""A balance stated as a deficit: its amount is negative, though written without a sign."""


def _sites(places: PlaceFinder) -> list[tuple[str, re.Pattern]]:
    """The plants the gazetteer names (the data folder's sites: "stabilimento automobilistico di Melfi"), each with a
    pattern of its names: an origin of exports when a sentence names one."""
    sites = []
    for place in places.gazetteer.places():
        names = sorted((n for n in place.names_it if len(n) >= 6), key=len, reverse=True)
        if place.kind == "site" and names:
            sites.append((place.id, re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b", re.I)))
    return sites


def _read_places(places: PlaceFinder, sentence: str, subject: str | None, sites=(),
                 named: list[tuple[int, str, str]] | None = None) -> list[tuple[int, str, str]]:
    """The places of a sentence (``named``: its place mentions, else PlaceFinder.find), read in the release's context: "regionale" is the region of
    the place the release is about; a lower-case adjective after a reflexive "si" is a verb ("si fermano a 405
    milioni" is not Fermo's); a plant of the gazetteer is named by its words, and hides the town in them."""
    found = []
    plants = [(m.start(), m.end(), site) for site, pattern in sites for m in pattern.finditer(sentence)]
    for start, end, site in plants:
        found.append((start, site, sentence[start:end]))
    for offset, place, words in places.find(sentence) if named is None else named:
        if any(start <= offset < end for start, end, _s in plants):
            continue
        if words[:1].islower() and re.search(r"\bsi\s+$", sentence[max(0, offset - 4):offset]):
            continue
        if re.search(r"\bmedi[ao]\s+(?:(?:del|della|dello|dei|delle|degli)\s+|dell['’]\s*)$", sentence[max(0, offset - 20):offset], re.I):
            continue  # "sopra la media del Sud": the average set against, not where the goods come from
        if re.fullmatch(r"nazional[ei]", words, re.I) and \
                re.search(r"\b(?:classifica|graduatoria|panorama|contesto|scenario)\s+$", sentence[max(0, offset - 14):offset], re.I):
            continue  # "guida la classifica nazionale": a ranking among Italy's places, not Italy
        if re.fullmatch(r"regional[ei]", words, re.I):  # the region of the release's subject; none known: no place
            if subject is None or subject not in places.gazetteer:
                continue
            region = subject if places.gazetteer.place(subject).kind == "region" else \
                next((p.id for p in places.gazetteer.ancestors(subject) if p.kind == "region"), None)
            if region is None:
                continue
            place = region
        found.append((offset, place, words))
    return sorted(found)


def _same_or_part(places: PlaceFinder, place: str | None, other: str | None) -> bool:
    """Whether ``place`` is ``other``, lies within it (a province of a region) or holds it (the country of a province)."""
    if place is None or other is None or place == other:
        return True
    if place not in places.gazetteer or other not in places.gazetteer:
        return False
    return any(p.id == other for p in places.gazetteer.ancestors(place)) or \
        any(p.id == place for p in places.gazetteer.ancestors(other))


def _cell_fields(figure: dict) -> dict:
    """The cell of a drafted figure, and how its period was read: what a share or a change on the same cell repeats."""
    return {key: figure[key] for key in (*CELL_FIELDS, "period_basis", "period_note") if key in figure}


def _named_reference(found: list[Mention], start: int, end: int, detail: str) -> Mention | None:
    """The first reference mention of ``detail`` ("named", "same-period") within [start, end)."""
    return next((m for m in found if m.kind == "reference" and m.detail == detail and start <= m.start and m.end <= end), None)


def _reference(text: str, sentence: tuple[int, int], near: int, subject: dict, change: dict, pieces: list,
               found: list[Mention]) -> None:
    """The reference period of a change: named right after its number (within 40 characters), else in the
    sentence ("rispetto al 2020", "stesso periodo del 2023"), else assumed to be the same period of the year before;
    the named ones are the sentence's reference mentions (``found``)."""
    previous = next((m for m in found if m.kind == "reference" and m.detail == "previous-period" and near <= m.start
                     and m.end <= sentence[1] and not text[near:m.start].strip()), None)
    span = (near, previous.end) if previous else None
    words = previous.text if previous else None
    if previous is None and pieces:  # "una crescita congiunturale dell'1,5%": the word right before the number
        number_start = pieces[0][0]
        before = re.search(r"\bcongiuntural[ei]\s+(?:del|dell['’]|di)\s*\Z", text[max(0, number_start - 30):number_start])
        span = (number_start - len(before.group(0)), number_start) if before else None
        words = before.group(0).strip() if before else None
    if words and span and "period" in subject:  # "del 6,2% congiunturale", "sul trimestre precedente": the period before
        change["reference"] = "previous-period"
        change["reference_period"] = parse_period(subject["period"]).previous_period().notation
        pieces.append(span)
        explain(change, "reference", "'congiunturale', 'sul trimestre precedente': against the period before", words)
        return
    for start, end in ((near, min(sentence[1], near + 40)), sentence):
        same = _named_reference(found, start, end, "same-period")
        versus = _named_reference(found, start, end, "named")
        if same:
            change["reference"] = "same-period-previous-year"
            pieces.append((same.start, same.end))
            explain(change, "reference", "'stesso periodo': the same months of the year before (or of the year named)", same.text)
            year = re.search(r"(?:19|20)\d{2}", same.text)
            if year and "period" in subject:  # "lo stesso periodo del 2019": the same months of that year
                own = parse_period(subject["period"])
                if int(year.group(0)) != own.start.year - 1:
                    change["reference"] = "other"
                    change["reference_period"] = Period(own.start.replace(year=int(year.group(0))), own.months).notation
            return
        if versus and "period" in subject:
            pieces.append((versus.start, versus.end))
            own = parse_period(subject["period"])
            against = versus.value
            if against.months == 12 and against.start.month == 1 and own.months < 12 and not re.search(
                    r"\b(?:anno|annual)", versus.text, re.I):  # "nel secondo trimestre ... rispetto al 2023": the same quarter
                against = Period(own.start.replace(year=against.start.year), own.months)
            same_year = against == own.same_period_previous_year()
            change["reference"] = "same-period-previous-year" if same_year else "other"
            change["reference_period"] = against.notation
            explain(change, "reference", "a reference period named ('rispetto al', 'sul', 'il valore del')", versus.text)
            return
    change["reference"] = "same-period-previous-year"
    change["review"] = "the reference period is assumed to be the same period of the year before"
    explain(change, "reference", "no reference named: assumed the same period of the year before")


def _part_of(text: str, sentence: tuple[int, int], at: int) -> tuple[int, int]:
    """The part of a sentence between semicolons that holds offset ``at``: where a change's reference is looked for."""
    start = text.rfind(";", sentence[0], at)
    end = text.find(";", at, sentence[1])
    return (sentence[0] if start < 0 else start + 1, sentence[1] if end < 0 else end)


def _finish_change(text: str, sentence: tuple[int, int], change: dict, pieces: list, subject: dict) -> dict:
    """The change's evidence (from its first piece of text to its last) and what it was read from: its value from
    its first piece (the number, or the words of its direction), its cell from the figure it is on."""
    begin = min(a for a, _b in pieces)
    finish = max(b for _a, b in pieces)
    start, end = unique_span(text, begin, finish, sentence)
    change["evidence"] = text[start:end]
    first = text[pieces[0][0]:pieces[0][1]]
    if "value" in change:
        explain(change, "value", f"a change in {change.get('unit', 'per cent')}, signed as written, else by the words of its direction",
                first)
    explain(change, "direction", "the sign of its value, else the words of a rise or a fall", first)
    if "_amount_start" in subject or subject.get("kind") == "level":
        explain(change, "cell", "the cell of the level it follows", str(subject.get("evidence", ""))[:80])
    else:
        explain(change, "cell", "the places and period its own words name, else those of the figure before")
    change["_start"], change["_subject"] = start, subject
    return change


def _attached(found: list[Frame]) -> dict[int, Mention]:
    """The change written right after a level (a signed percentage, in brackets or after a comma: "384,5 milioni
    (+0,6%)", "120,5 milioni, +9,2%)"), by the offset of the level's amount: read off the frames of its sentence."""
    attached: dict[int, Mention] = {}
    for frame in found:
        level, change = frame.get("level"), frame.get("change")
        if level is not None and change is not None and change.kind == "percent" and change.signed:
            attached.setdefault(level.start, change)
    return attached


def _attached_change(text: str, sentence: tuple[int, int], attached: Mention | None, percents: list, subject: dict,
                     found: list[Mention]):
    """The level's change its frame holds (``attached``, see :func:`_attached`). Returns the change and the
    percentage (of ``percents``), or None."""
    if attached is None:
        return None
    number = next(p for p in percents if sentence[0] + p.start == attached.start)
    p_start, p_end = attached.start, attached.end
    change: dict = {"kind": "change", **_cell_fields(subject), "value": number.value, "unit": "percent",
                    "direction": "increase" if number.value > 0 else "decrease"}
    pieces = [(p_start, p_end)]
    _reference(text, (p_end, min(sentence[1], p_end + 40)), p_end, subject, change, pieces, found)
    if "review" in change:  # no reference right after the number: the sentence's, else the assumed one
        change.pop("review")
        pieces = [(p_start, p_end)]
        _reference(text, _part_of(text, sentence, p_start), p_end, subject, change, pieces, found)
    change["hedge"] = "exact"
    return _finish_change(text, sentence, change, pieces, subject), number


def _change(text: str, sentence_start: int, sentence_end: int, percents: list, figures: list[dict],
            found: list[Mention]) -> dict | None:
    """The change a sentence states against a reference period, on the cell of the last level before its number
    (else the sentence's last level): its value (per cent, signed as written, else by the direction's words),
    direction, reference and hedge."""
    sentence = text[sentence_start:sentence_end]
    number = next((p for p in percents if not re.search(r"pari a", sentence[max(0, p.start - 12):p.start])), None)
    signed = number is not None and number.text[:1] in SIGNS and number.value != 0
    direction = _direction(sentence)
    if number is not None and signed:
        direction = "increase" if number.value > 0 else "decrease"  # the number's sign, not a verb's
    named = any(m.kind == "reference" and m.detail in ("same-period", "named") for m in found)
    if not (figures and direction and (named or percents)):
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
    _reference(text, (sentence_start, sentence_end), sentence_start + (number.end if number else 0), subject, change, pieces, found)
    if not signed:
        direction_match = _direction_words(sentence, direction)
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


CHANGE_WORDS_AFTER = re.compile(r"\s*(?:in\s+(?:più|meno)\b|tendenzial[ei]|congiuntural[ei])", re.I)


def _changes(text: str, sentence: tuple[int, int], percents: list, figures: list[dict], cell_at, found: list[Mention],
             places: PlaceFinder, unit: str = "percent", unread: list[str] | None = None) -> list[dict]:
    """Every change a sentence states in per cent, one for each percentage not read as a share or as a level's
    attached change: "cresciuto del 5,6 per cento", "in calo dell'1,4%", "l'8,3% in meno", "Ancona +23,4%".
    Signed as written, else by the words of a rise or a fall around it (none: not a change); on the cell of the
    last level before it in the sentence, unless a place is named between them (then ``cell_at`` reads the cell
    from the words, as it does when no level comes before)."""
    sentence_start, sentence_end = sentence
    changes: list[dict] = []
    previous_end = sentence_start
    for number in percents:
        p_start, p_end = sentence_start + number.start, sentence_start + number.end
        if (re.search(r"pari a\S*\s*$", text[max(sentence_start, p_start - 12):p_start]) and number.text[:1] not in SIGNS
                and not CHANGE_WORDS_AFTER.match(text, p_end)) \
                or (SHARE_OF.match(text, p_end, sentence_end)
                    and not CHANGE_NOUN_BEFORE.search(text, max(sentence_start, p_start - 30), p_start)):
            continue  # "pari al 7,9%", "il 30% del totale": a part of a whole, not a change
        value = number.value
        apart = re.search(r"([+\-−–])\s$", text[max(sentence_start, p_start - 2):p_start])
        if apart and value > 0:  # "di quasi + 6%": a sign set apart from its digits
            value = -value if apart.group(1) != "+" else value
        signed = (number.text[:1] in SIGNS or apart is not None) and value != 0
        clause_start = max(_clause_start(text, sentence_start, p_start), previous_end)
        window = text[clause_start:min(sentence_end, p_end + 14)]
        direction = _direction(window)
        if signed:
            direction = "increase" if value > 0 else "decrease"  # the number's sign, not a verb's
        elif direction is None and changes and re.fullmatch(r"\s*(?:(?:su\s+base\s+|in\s+termini\s+)?(?:tendenzial[ei]|congiuntural[ei]|annu[ae]|annual[ei]))?(?:\s*(?:rispetto\s+\S+|sul\S*|sui|sugli)\s[^,;.%]{0,40}?)?"
                                                             r"[\s,;]*(?:e\s+)?(?:[A-ZÀ-Ý][\w'’-]*\s+){0,3}d(?:el|ell['’]|i)\s*",
                                                             text[previous_end:p_start]):
            direction = changes[-1]["direction"]  # "in calo dell'1,4% tendenziale e del 6,2% congiunturale", "Cosenza dell'8,1%"
        elif direction is None and changes and p_start - previous_end <= 60 and LIST_GAP.fullmatch(text[previous_end:p_start]) \
                and italian.change_direction(text[previous_end:p_start]) is None:
            direction = changes[-1]["direction"]  # "crescono Matera (4,1%) e Potenza (2,2%)": the rise named once for the list
        if direction is None and RESPECTIVELY.match(text, clause_start):  # "crescono Potenza e Matera, rispettivamente
            # del 4,1% e del 2,2%": the verb of the clause before
            direction = _direction(text[_clause_start(text, sentence_start, max(sentence_start, clause_start - 2)):p_end])
        if direction is None:  # "scese a un valore di 1,2 miliardi di euro, del 14,6%": the level's verb tells
            level_before = [f for f in figures if f["_amount_start"] < p_start and isinstance(f.get("evidence"), str)]
            if level_before:
                level_end = level_before[-1]["_start"] + len(level_before[-1]["evidence"])
                if re.fullmatch(r"\s*,\s*(?:del|dell['’]|di)\s*", text[level_end:p_start]):
                    direction = _direction(level_before[-1]["evidence"])
        if direction is None:
            if unread is not None:  # told, not dropped in silence
                unread.append(f"review: a percentage with no sign and no words of a rise or a fall was not drafted: "
                              f"«{text[clause_start:p_end].strip()}»")
            continue
        before = [f for f in figures if f["_amount_start"] < p_start]
        subject = before[-1] if before else None
        if subject is None or cell_at(p_start, subject["_amount_start"]) is not None:
            subject = cell_at(p_start, None)
        change: dict = {"kind": "change", **_cell_fields(subject), "value": value if signed else abs(value) * direction_sign(direction),
                        "unit": unit, "direction": direction}
        if "_amount_start" not in subject and "sector" not in change:  # a change on no level: the sector its clause
            # names before it ("In calo i mobili (-8%)"; "la chimica, le cui vendite scendono (-9,4%)": the one before)
            reach = clause_start
            if re.match(r"(?:il|la|i|le)\s+cui\b|che\b|in\s+(?:crescita|calo|aumento|flessione|diminuzione|contrazione)\b",
                        text[clause_start:p_start]):  # "i macchinari, in crescita dell'83%": the clause before
                reach = _clause_start(text, sentence_start, max(sentence_start, clause_start - 2))
            named = [m for m in found if m.kind == "sector" and reach <= m.start and m.end <= p_start]
            between = [m for m in found if m.kind in ("percent", "amount") and named and named[-1].end <= m.start < p_start]
            if named and not between:  # the sector nearest before, no other figure between them
                change["sector"] = named[-1].value
        if "_amount_start" in subject and not subject.get("sector"):  # "vale 900 milioni: bene i macchinari, in
            # crescita dell'83%": a sector named between the level and the change is the change's
            between_sectors = [m for m in found if m.kind == "sector" and subject["_amount_start"] < m.start < p_start
                               and not any(n.kind in ("percent", "amount") and m.end <= n.start < p_start for n in found)]
            if between_sectors:
                change["sector"] = between_sectors[-1].value
        pieces = [(p_start, p_end)]
        whose = OF_AFTER.match(text, p_end, sentence_end)
        named_after = next((m for m in found if whose and m.start == whose.end() and m.kind in ("place", "group", "sector")
                            and not (m.kind == "place" and m.detail == "context")), None)
        if named_after is not None:  # "il +3,1 per cento del Nord-ovest", "il -8,0 per cento della carta": whose change
            if named_after.kind == "sector":
                change["sector"] = named_after.value
            elif places.domestic(named_after.value):
                change["origin"] = named_after.value
            else:
                change["destination"] = places.country_of(named_after.value)
            if "id" in change:
                change["id"] = slug(f"{change['origin']}-{change['destination']}-{change.get('period', 'nd')}")
            explain(change, "cell", "the place or sector named right after the number ('del', 'della')", named_after.text)
            pieces.append((named_after.start, named_after.end))
        if not signed:
            words = _direction_words(window, direction)
            if words:
                pieces.append((clause_start + words.start(), clause_start + words.end()))
        _reference(text, (p_end, min(sentence_end, p_end + 40)), p_end, subject, change, pieces, found)
        if "review" in change:  # no reference right after the number: the sentence's, else the assumed one
            change.pop("review")
            pieces = pieces[:2] if not signed else pieces[:1]
            _reference(text, _part_of(text, sentence, p_start), p_end, subject, change, pieces, found)
        change["hedge"] = "exact"
        hedge = hedge_before(found, p_start, window=p_start - clause_start)
        if hedge is not None:
            change["hedge"], change["hedge_words"] = hedge.value, hedge.text
            pieces.append((hedge.start, hedge.end))
        changes.append(_finish_change(text, sentence, change, pieces, subject))
        previous_end = p_end
    return changes


TABLE_HEADER = re.compile(r"\b(?P<words>(?P<scale>milioni|miliardi|mln|mld)\s+(?:di\s+)?euro)\b[^.]*:\s*$", re.I)
"""The header of a list whose rows give bare figures: "(primo trimestre 2025, milioni di euro e variazione tendenziale):"."""
TABLE_ROW = re.compile(rf"^\s*[A-ZÀ-Ý][\w'’-]*(?:[ -][A-ZÀ-Ýa-zà-ù][\w'’-]*){{0,4}}\s*[:–-]?\s+(?P<figure>{FIGURE})(?:\s*\(|\s*$|\s*[;,])")
"""A row of such a list: a name, then its figure, perhaps its change in brackets: "Verbano-Cusio-Ossola 170,3 (-0,7%)"."""
WHOLE_BEFORE = re.compile(r"%\s+del(?:l['’]|le)?\s*(?:totale|export|esportazioni|vendite)\b[^,;]*,\s*che\b", re.I)
"""A share's whole, whose amount follows in a relative clause: "il 30% dell'export provinciale, che si è fermato a"."""


AMOUNT_CHANGE_BEFORE = re.compile(
    r"(?:\b(?:un|una|l['’])\s*(?:aumento|incremento|crescita|calo|flessione|diminuzione|riduzione|perdita|contrazione|decrescita"
    r"|crollo|balzo|rialzo|ribasso)(?:\s+rispetto\s+a(?:l|ll['’])?\s*(?:19|20)\d{2})?"
    r"|\b(?:cresciut|aumentat|calat|diminuit|sces|salit|ridott)[oaie]|\b(?:perso|guadagnato|persi|guadagnati))"
    r"\s+(?:di\s+)?(?:(?:circa|oltre|quasi|ben)\s+)?$", re.I)
AMOUNT_CHANGE_AFTER = re.compile(r"\s*(?:di\s+euro\s*)?(?:in\s+(?:più|piu['’]|meno)(?!\w)|di\s+(?:flessione|calo|crescita|aumento|incremento|"
                                 r"diminuzione|perdita|contrazione|riduzione)\b)", re.I)
"""A change written after its amount: "423 milioni in meno", "306 milioni di euro di flessione"."""


def _change_of_level(text: str, sentence: tuple[int, int], a_start: int, a_end: int, level: dict,
                     found: list[Mention]) -> dict | None:
    """A level's change stated as an amount, drafted as a change in the amount's unit, not as a level: "un aumento di
    984 milioni", "423 milioni in meno", "(+22 milioni sul primo semestre 2023"; signed as written, else by the words."""
    sign = re.search(r"([+\-−–])\s?$", text[max(sentence[0], a_start - 2):a_start])
    before = AMOUNT_CHANGE_BEFORE.search(text[max(sentence[0], a_start - 40):a_start])
    after = AMOUNT_CHANGE_AFTER.match(text, a_end)
    if not (sign or before or after):
        return None
    direction: str | None
    if sign:
        direction = "increase" if sign.group(1) == "+" else "decrease"
        begin = a_start - len(sign.group(0))
    else:
        words = (before.group(0) if before else "") + (after.group(0) if after else "")
        direction = _direction(words)
        if direction is None:
            return None
        begin = a_start - len(before.group(0)) if before else a_start
    end = a_end + after.end() - after.start() if after else a_end
    amount = level["amount"]
    change: dict = {"kind": "change", **_cell_fields(level), "value": abs(amount) * direction_sign(direction), "unit": level["unit"],
                    "direction": direction}
    pieces = [(begin, end)]
    _reference(text, (end, min(sentence[1], end + 40)), end, level, change, pieces, found)
    if "review" in change:
        change.pop("review")
        pieces = [(begin, end)]
        _reference(text, _part_of(text, sentence, begin), end, level, change, pieces, found)
    change["hedge"] = level.get("hedge", "exact")
    if "hedge_words" in level:
        change["hedge_words"] = level["hedge_words"]
    subject = {"id": slug(f"{level['origin']}-{level['destination']}-{level.get('period', 'nd')}")}
    return _finish_change(text, sentence, change, pieces, subject)


MULTIPLE_OF = re.compile(r"\s+(?:il|i)\s+(?:valor[ei]|livell[oi])\b|\s+(?:quello|quanto)\b", re.I)
"""What a count of times is a multiple of, for it to be a change: "7 volte il valore del 2019"."""
DOUBLE_OF_YEAR = re.compile(r"\s+(?:del(?:l['’])?\s*|rispetto\s+al(?:l['’])?\s*)(?:19|20)\d{2}", re.I)
"""A year after "il doppio", "il triplo": a change against that year ("il doppio del 2019"), not a comparison with another cell."""


CONTRIBUTION = re.compile(r"\s*(?:punti(?:\s+percentuali)?\s+)?(?:alla|sulla)\s+(?:variazione|crescita|dinamica|flessione|"
                          r"calo|performance)\s+(?:dell['’]export\s+|delle\s+esportazioni\s+)?(?P<whose>regionale|nazionale|"
                          r"italiana|del\s+Paese)\b", re.I)
"""Whose change a contribution in points is to: "un contributo di -1,4 punti alla variazione nazionale"."""


def _contribution(text: str, change: dict, places) -> None:
    """A change in points stated as a contribution ("contributo di -1,4 punti alla variazione regionale") contributes
    to the change of the region of its origin (or of Italy): ``contribution_to``, its evidence up to those words."""
    start, end = change["_start"], change["_start"] + len(change["evidence"])
    whose = CONTRIBUTION.match(text, end)
    if whose is None or not re.search(r"\bcontribut\w*\s+(?:\w+\s+){0,2}$", text[max(0, start - 40):start], re.I):
        return
    if whose.group("whose").lower() == "regionale":
        origin = change.get("origin")
        ancestors = places.gazetteer.ancestors(origin) if origin in places.gazetteer else []
        region = next((p.id for p in ancestors if p.kind == "region"), None)
        if region is None:
            return
        target = region
    else:
        target = "italy"
    change["contribution_to"] = {"origin": target}
    change["evidence"] = text[start:whose.end()]
    explain(change, "contribution_to", "a contribution in points to the change of the region (or of Italy) its words name",
            whose.group(0).strip())


YEAR_BEFORE = re.compile(r"\b(?:l['’]anno\s+(?:prima|precedente|scorso)|un\s+anno\s+prima|dell['’]anno\s+(?:prima|precedente))\b", re.I)
"""Words that put an amount a year before its sentence's period: "l'anno prima era a 1,5 miliardi"."""
BARE_FIGURE = re.compile(rf"(?:(?:\bcon|\be|,)\s+|\(\s*)(?:circa\s+|oltre\s+|quasi\s+)?(?P<figure>{FIGURE})"
                         r"(?!\s*(?:%|per\s*cento|punt|mld|mln|milion|miliard|mila|euro|dollar|volte|€|\$|[,.]\d))", re.I)
"""A figure without its scale after "con", "e", a comma or a bracket: read at the scale of the amount before it when
it follows a place or sector ("seguono Latina con 8,2 e Frosinone con 3,9")."""
COUNTED = re.compile(r"\s+(?:di\s+)?(?:imprese|aziende|addetti|occupati|lavoratori|dipendenti|unità|persone|posti|operatori"
                     r"|esportatori|abitanti|residenti|tonnellate|visitatori|turisti|famiglie|partecipanti)\b", re.I)
"""What a number counts when it is not money: "12mila imprese", "5 mila addetti"."""
OF_AFTER = re.compile(r"\)?\s+(?:(?:della|dello|delle|degli|dei|del)\b|dell['’]|per\s+(?:(?:il|la|lo|i|gli|le)\b|l['’])?)\s*"
                      r"(?:(?:export|esportazion[ei]|vendite)\s+)?", re.I)
LIST_GAP = re.compile(r"[^.;:]*?(?:\be\b|,)[^.;:]*")
"""What stands between two percentages of one list: a comma or "e", no stop ("Matera (4,1%) e Potenza (")."""
"""The words between a change and the place or sector it is of, named after it: "il -2,4 per cento delle Isole"."""
RESPECTIVELY = re.compile(r"\brispettivamente\b", re.I)


def _respectively(text: str, sentence_start: int, changes: list[dict], sentence_places: list[tuple[int, str, str]],
                  places: PlaceFinder, found: list[Mention]) -> None:
    """"verso Francia e Grecia (rispettivamente +12,1% e +30,4%)": the changes after "rispettivamente" go, in their
    order, to the places named in the words before it (markets: destinations; Italian places: origins), when
    there are as many of each."""
    sentence = text[sentence_start:]
    for word in RESPECTIVELY.finditer(text, sentence_start, sentence_start + len(sentence)):
        after = [c for c in changes if 0 <= c["_start"] - word.end() <= 60  # "(rispettivamente +12,1% e +30,4%)"
                 or (word.start() - 60 <= c["_start"] < word.start()  # "con +21,5% e +14,2% rispettivamente"
                     and not re.search(r"[.;:]", text[c["_start"]:word.start()]))]
        after = sorted({id(c): c for c in after}.values(), key=lambda c: c["_start"])
        named = [(o, p) for o, p, _w in sentence_places if sentence_start + o < min([word.start(), *(c["_start"] for c in after)])]
        first = min([word.start(), *(c["_start"] for c in after)])
        sectors = [m for m in found if m.kind == "sector" and sentence_start <= m.start < first][-len(after):]
        if len(after) >= 2 and len(sectors) == len(after) and \
                (not named or sectors[0].start > sentence_start + named[-1][0]):  # "gomma e legno, con +21,5% e +14,2%
            # rispettivamente": the sectors named after the last place
            for change, sector in zip(after, sectors, strict=True):
                change["sector"] = sector.value
                explain(change, "sector", "'rispettivamente': the sectors named before it, in their order", sector.text)
            continue
        if len(after) < 2 or len(named) < len(after):
            continue
        listed = named[-len(after):]
        for change, (_o, place) in zip(after, listed, strict=True):
            key = "origin" if places.domestic(place) else "destination"
            change[key] = places.country_of(place) if key == "destination" else place
            change["id"] = slug(f"{change['origin']}-{change['destination']}-{change.get('period', 'nd')}-change")
            explain(change, key, "'rispettivamente': the places named before it, in their order", place)


def _export_before(facts: list[dict], key: str) -> str | None:
    """The origin of the first export figure drafted, a change's too, the release's subject ("l'export lombardo è
    triplicato. Verso la Russia è più che dimezzato" is Lombardy's; a place it is compared with after it is not),
    or the period of the last one; else None."""
    found = [f[key] for f in facts if f.get("flow") == "export" and f.get(key) not in (None, "TODO")]
    return (found[0] if key == "origin" else found[-1]) if found else None


def _factor_changes(text: str, sentence: tuple[int, int], cell_at, carried: Carried, mentioned: list[Mention]) -> list[dict]:
    """The changes a sentence states as multiples: "sono quintuplicati", "raddoppiate", "oltre 7 volte il valore del
    2019", "più che dimezzato" (a factor of 0.5, less than it). The reference is the year named after it or in the
    sentence ("rispetto al 2019"), else the one of the multiple before it (``carried.factor_reference``, updated)."""
    sentence_start, sentence_end = sentence
    found = []
    for multiple in (m for m in mentioned if m.kind == "multiple"):
        m_start, m_end = multiple.start, multiple.end
        if not (re.match(r"(?:raddoppi|triplic|quadruplic|quintuplic|sestuplic|decuplic|dimezz)", multiple.text, re.I)
                or (re.search(r"\bvolte\b", multiple.text) and MULTIPLE_OF.match(text, m_end))
                or (re.search(r"\b(?:doppio|triplo)\b", multiple.text, re.I) and DOUBLE_OF_YEAR.match(text, m_end))):
            continue  # "il doppio della media" compares with another cell: not a change
        subject = cell_at(m_start, None)
        change: dict = {"kind": "change", **_cell_fields(subject), "value": multiple.value, "unit": "factor",
                        "direction": "increase" if multiple.value > 1 else "decrease"}
        pieces = [(m_start, m_end)]
        for start, end in ((m_start, min(sentence_end, m_end + 40)), (sentence_start, sentence_end)):  # "il doppio del 2019"
            versus = _named_reference(mentioned, start, end, "named")
            if versus:
                carried.factor_reference = versus.value.notation
                pieces.append((versus.start, versus.end))
                break
        if carried.factor_reference is None:
            if any(m.kind == "percent" and re.fullmatch(r"\s*\(?\s*", text[m_end:m.start]) for m in mentioned if m.start >= m_end):
                continue  # "più che dimezzate (-52,1%)" with no year named: the percentage states the change, the words describe it
            change["review"] = "no reference period is named for this multiple"
        else:
            change["reference"], change["reference_period"] = "other", carried.factor_reference
        clause_start = _clause_start(text, sentence_start, m_start)
        change["hedge"] = "exact"
        more = re.search(r"\bpiù che\s+$", text[max(sentence_start, m_start - 10):m_start])
        hedge = hedge_before(mentioned, m_start, window=m_start - clause_start)
        if more:  # "più che dimezzato": less than half; "più che raddoppiato": more than double
            change["hedge"], change["hedge_words"] = ("less-than" if multiple.value < 1 else "more-than"), "più che"
            pieces.append((m_start - len(more.group(0)), m_start))
        elif hedge is not None:
            change["hedge"], change["hedge_words"] = hedge.value, hedge.text
            pieces.append((hedge.start, hedge.end))
        found.append(_finish_change(text, sentence, change, pieces, subject))
    return found


QUOTATION = re.compile(r"[“\"]([^”\"]{1,3000})[”\"]")
"""Words between curly or straight quotation marks: a quotation when four words or more, every sentence of it
left to the quotations ("“macchinari”" is a word quoted, its sentence read); the sentences of a quotation in
guillemets (« ») are read for figures, as the curated family annotations read them."""


def _assumed_period(published: date) -> dict:
    """The period of a figure when the text names none: the last whole year before the release's date, implied."""
    return {"period": str(published.year - 1), "period_basis": "implied",
            "period_note": f"No period is named; the last whole year before the release's date ({published.isoformat()}) is assumed."}


def _published(draft: Draft) -> date | None:
    """The release's date as its header was drafted (None when the text gives none)."""
    try:
        return date.fromisoformat(str(draft.release.get("published", "")))
    except ValueError:
        return None


def draft_figures(text: str, spans: list[tuple[int, int]], body_start: int, draft: Draft, places: PlaceFinder,
                  dateline: tuple[int, int] | None = None) -> None:
    """Add to ``draft`` the figures of every sentence after ``body_start`` (the dateline's: a headline restates
    figures of the body), quotations left out (their figures are opinions, not data). ``dateline``: where the
    dateline is, whose date is the release's, not a figure's period."""
    last = Carried()  # the period, origin, market and reference carried across sentences (kg.draft.carry)
    # the headline (the first line, when the text does not open with its dateline) is read after the body: it
    # restates the body's figures in short, and its places and periods are the body's subject's
    headline_end = text.find("\n") if body_start > 0 and "\n" in text else 0
    headline = [span for span in spans if span[1] <= headline_end]
    body = [span for span in spans if span[1] > headline_end]
    sites = _sites(places)
    table: tuple[Decimal, str | None] | None = None  # the scale and period a list's header names, while its rows go on
    table_words: tuple[int, int] = (0, 0)  # where the header names that scale: quoted with each row's figure
    published = _published(draft)
    carried_scale: dict[int, Mention] = {}  # a bare figure's offset -> the amount whose scale it is read at
    quotations = [m.span() for m in QUOTATION.finditer(text) if len(m.group(1).split()) >= 4]  # said, in “” or ""
    for h_start, h_end in headline:  # the period the headline names is the release's, for a body that names none
        headline_periods = [m for m in mentions(text, (h_start, h_end), places) if m.kind == "period"]
        if headline_periods and last.release_period is None:  # for a body that names none: the body's own comes first
            last.period = headline_periods[0].value.notation
    for sentence_start, sentence_end in body + headline:
        sentence = text[sentence_start:sentence_end]
        last.next_sentence(headline=sentence_end <= headline_end and sentence_start == headline[0][0])
        if any(a < sentence_end and sentence_start < b for a, b in quotations):
            continue  # quotations are drafted below; the figures said in “” are opinions, not data (a word quoted is read)
        # the first stage: the sentence's mentions (kg.draft.mentions), read once; a period without its year in the
        # year of the context
        # a period named without its year is in the year named before it in its sentence, else the context's
        compared = reference_spans(text[sentence_start:sentence_end])  # not a comparison's year ("rispetto al 2023")
        named_years = [p.value.start.year for p in find_periods(text[sentence_start:sentence_end])
                       if (dateline is None or not dateline[0] <= sentence_start + p.start < dateline[1])
                       and not any(a <= p.start < b for a, b in compared)]
        year = (named_years[0] if named_years else None) or last.context_year() or \
            (published.year if published is not None else None)
        found = mentions(text, (sentence_start, sentence_end), places, year=year, published=published)
        if dateline is not None:  # "CAMPOBASSO, 12 settembre 2024 – Le vendite ...": 2024 is the release's date and
            # Campobasso where it was written, not a figure's period or origin
            found = [m for m in found if not (m.kind in ("period", "place", "group") and dateline[0] <= m.start < dateline[1])]
        amount_mentions = [m for m in found if m.kind == "amount" and m.value >= 1000
                           and not (m.unit is None and COUNTED.match(text, m.end))]  # "5 mila imprese" is no money
        if not any(m.kind in ("amount", "percent", "points", "multiple") for m in found):
            lead_periods = of_kind(found, "period")
            if lead_periods and last.release_period is None:  # "Esportazioni lombarde, i dati del 3° trimestre 2022":
                last.period = lead_periods[0].value.notation  # a lead without figures names the period, until a figure does
            lead_places = {m.value for m in of_kind(found, "place", "group") if places.domestic(m.value)}
            if len(lead_places) == 1 and last.origin is None and not draft.facts:  # "L'export in Piemonte cresce ...":
                last.origin = lead_places.pop()  # the place a lead without figures is about, for the figures after it
        row = TABLE_ROW.match(sentence) if table is not None and not amount_mentions else None
        if row is not None and table is not None:  # "Torino 6.512,3 (-6,1%)" under "(..., milioni di euro ...):"
            with localcontext(prec=28):
                value = (read_figure(row.group("figure")) * table[0]).normalize() + 0
            amount_mentions = [Mention("amount", sentence_start + row.start("figure"), sentence_start + row.end("figure"),
                                       row.group("figure"), value, scale=table[0], detail="row")]
            found = sorted(found + amount_mentions, key=lambda m: m.start)
            if table[1] is not None:
                last.period = table[1]
                if last.context_year() != year:
                    found = sorted(mentions(text, (sentence_start, sentence_end), places, year=last.context_year(),
                                            published=published)
                                   + amount_mentions, key=lambda m: m.start)
        elif table is not None:
            table = None
        scaled_before = [m for m in amount_mentions if m.scale and m.scale >= 1000 and m.detail == ""]
        if scaled_before:  # "in testa Roma con 12,1 miliardi, seguono Latina con 8,2 e Frosinone con 3,9": the scale carried
            places_at = [m.end for m in found if m.kind in ("place", "group", "sector")]
            taken = [(m.start, m.end) for m in found if m.kind in ("amount", "percent", "points", "period", "reference")]
            for bare in BARE_FIGURE.finditer(text, scaled_before[0].end, sentence_end):
                at = bare.start("figure")
                if any(a <= at < b for a, b in taken) or not any(
                        0 <= at - end <= 14 and re.fullmatch(r"\s*(?:con|\(|:)?\s*(?:circa\s+|oltre\s+|quasi\s+)?", text[end:at])
                        for end in places_at):
                    continue  # right after a place or sector and "con", "(" or ":" only
                carrier = [m for m in scaled_before if m.end <= at][-1]
                with localcontext(prec=28):
                    value = (read_figure(bare.group("figure")) * (carrier.scale or 1)).normalize() + 0
                amount_mentions.append(Mention("amount", at, bare.end("figure"), bare.group("figure"), value, unit=carrier.unit,
                                               scale=carrier.scale, detail="carried-scale"))
                carried_scale[at] = carrier
            amount_mentions.sort(key=lambda m: m.start)
            found = sorted([m for m in found if m.kind != "amount"] + amount_mentions, key=lambda m: m.start)
        header = TABLE_HEADER.search(sentence)
        if header is not None and not amount_mentions:
            header_periods = [m for m in of_kind(found, "period") if not m.implied]
            table = (SCALES[header.group("scale").lower()], header_periods[0].value.notation if header_periods else None)
            table_words = unique_span(text, sentence_start + header.start("words"), sentence_start + header.end("words"),
                                      (sentence_start, sentence_end))
        amounts = [relative(m, sentence_start) for m in amount_mentions]
        from_values = {m.start - sentence_start for m in amount_mentions if m.detail == "from"}
        currencies = {m.start: m for m in amount_mentions}
        percents = [relative(m, sentence_start) for m in of_kind(found, "percent")]
        periods = [relative(m, sentence_start) for m in of_kind(found, "period")]
        sector_mentions = of_kind(found, "sector")
        # the second stage: which mentions belong to one figure (kg.draft.frames); a level's change written right after it
        sentence_frames = frames(text, (sentence_start, sentence_end),
                                 sorted([m for m in found if m.kind != "amount"] + amount_mentions, key=lambda m: m.start))
        attached_to = _attached(sentence_frames)
        row_sectors = {}  # the sector of a row of a colon list of sectors, by the offset of the row's level
        list_changes = set()  # (the place's offset, its change's) of a list: "Germania +5,0%", "Francia (-2,2%)"
        for frame in sentence_frames:
            level, sector = frame.get("level"), frame.get("sector")
            if frame.kind == "sector-list" and level is not None and sector is not None:
                row_sectors[level.start] = sector
            listed, listed_change = frame.get("place"), frame.get("change")
            if frame.kind == "list" and listed is not None and listed_change is not None and frame.get("level") is None:
                list_changes.add((listed.start, listed_change.start))
        last.named_year = next((m.value.start.year for m in reversed(of_kind(found, "period")) if not m.implied), last.named_year)
        sentence_places = _read_places(places, sentence, last.subject_origin, sites,
                                       [(m.start - sentence_start, m.value, m.text) for m in of_kind(found, "place", "group")])
        unknown_places = places.unknown(sentence, {w for _o, _p, w in sentence_places}) if amounts else []
        figures: list[dict] = []
        attached: list[dict] = []  # the changes stated right after a level's amount
        amount_changes: list[dict] = []  # the changes stated as amounts ("423 milioni in meno")
        used: list = []  # their percentages
        for index, amount in enumerate(amounts):
            a_start, a_end = sentence_start + amount.start, sentence_start + amount.end
            clause_start = _clause_start(text, sentence_start, a_start)
            clause = text[clause_start:a_end]
            # the currency the figure's own words name ("di dollari", "$"), quoted with it; else euro
            mention = currencies[a_start]
            currency_code = None if amount.text.lower().endswith("euro") else mention.unit
            if mention.unit_end is not None:
                a_end = mention.unit_end
            amount_end = a_end
            flow_words = list(FLOW_WORDS.finditer(text, clause_start, a_start))
            if not flow_words:  # the sentence's flow, named since the amount before ("le importazioni crescono del
                # 2,4%, per un valore di 23,1 miliardi")
                flow_words = list(FLOW_WORDS.finditer(text, sentence_start + amounts[index - 1].end if index else sentence_start, a_start))
            flow = flow_words[-1].lastgroup if flow_words else "export"
            fact: dict = {"kind": "level", "flow": flow, "amount": amount.value, "unit": currency_code or "EUR"}
            explain(fact, "amount", "an amount read by the Italian number grammar (kg.model.numbers)", amount.text)
            named = currency_code is not None or amount.text.lower().endswith("euro")
            explain(fact, "unit", "the currency its words name" if named else "no currency named with it: euro",
                    text[mention.end:mention.unit_end] if mention.unit_end is not None else amount.text)
            explain(fact, "flow", "the flow named in its clause or since the amount before" if flow_words else
                    "no flow named: exports", flow_words[-1].group(0) if flow_words else None)
            review = []
            previous_end = sentence_start + amounts[index - 1].end if index > 0 else sentence_start
            # a hedge of the amount before does not reach this one ("da oltre 5 miliardi ... agli attuali 730,1 milioni")
            hedge = hedge_before(found, a_start, window=a_start - max(clause_start, previous_end) + 1)
            if hedge is None and index > 0 and re.match(r"\s+e\s+$", text[sentence_start + amounts[index - 1].end:a_start][-3:] or ""):
                hedge = None
            if hedge is None and index > 0 and figures and " e " in text[sentence_start + amounts[index - 1].end:a_start]:
                previous = figures[-1]
                if previous.get("hedge") != "exact" and "hedge_words" in previous and not previous.get("_circa_after"):
                    fact["hedge"], fact["hedge_words"] = previous["hedge"], previous["hedge_words"]
                    clause_start = min(clause_start, previous["_start"])
                    review.append("the hedge is carried over from the figure before, which shares the verb")
            circa_after = re.match(r"\s+circa\b", text[a_end:sentence_end]) if hedge is None else None
            if "hedge" not in fact and circa_after:  # "150 milioni circa"
                fact["hedge"], fact["hedge_words"], fact["_circa_after"] = "about", "circa", True
                explain(fact, "hedge", "'circa' right after the amount", "circa")
                a_end += circa_after.end()
            elif "hedge" not in fact:
                fact["hedge"] = hedge.value if hedge else "exact"
                if hedge:
                    fact["hedge_words"] = hedge.text
                    clause_start = min(clause_start, hedge.start)
                explain(fact, "hedge", "the hedge words before it in its clause (kg.model.italian)" if hedge else
                        "no hedge words before it in its clause: exact", hedge.text if hedge else None)
            else:
                explain(fact, "hedge", "carried from the figure before, which shares the verb", fact["hedge_words"])
            # the period: in the clause, else in the sentence, else the last one seen (implied)
            def distance(p, amount=amount, sentence=sentence):  # bound now: called in this iteration only
                if p.start >= amount.end:  # a period right after the amount ("1,5 milioni nel 2024") is its own
                    gap = p.start - amount.end
                    if re.search(r"[;:]|\bmentre\b", sentence[amount.end:p.start]):
                        return 2000 + gap  # not across a clause of its own ("2.958,0 milioni; nel secondo semestre")
                    return gap if gap <= 20 else 1000 + gap
                return 100 + amount.start - p.end
            own_periods = periods
            if index > 0:  # a period right after the amount before is that amount's ("1,1 miliardi nei primi nove mesi del 2021")
                before_end = amounts[index - 1].end
                own_periods = [p for p in periods if not (before_end <= p.start < amount.start and p.start - before_end <= 20
                                                          and not re.search(r"[;:]|\bmentre\b", sentence[before_end:p.start]))]
            current = re.search(r"\battual[ei]\s*$", text[clause_start:a_start])
            # a period after the amount in a clause of its own is not the amount's ("8.912,3 milioni, a fronte dei 9.150,0
            # milioni del primo semestre 2024")
            own_periods = [p for p in own_periods if p.start < amount.end or p.start - amount.end <= 20
                           or not re.search(r"[,;:]", sentence[amount.end:p.start])]
            chosen = min(own_periods, key=distance) if own_periods else None
            if current and last.release_period and (chosen is None or chosen.start > amount.end):
                chosen = None  # "agli attuali 310,4 milioni": the release's own period
                last.current()
            if chosen is not None:
                fact["period"] = chosen.value.notation
                explain(fact, "period", "the period named nearest the amount in its sentence (kg.model.periods)", chosen.text)
                p_start, p_end = sentence_start + chosen.start, sentence_start + chosen.end
                if p_start < clause_start and p_start >= sentence_start and ";" not in text[p_end:a_start]:
                    clause_start = p_start
                elif p_end > a_end and p_start - a_end < 25:
                    a_end = p_end
                last.period_named(chosen.value)  # a past period ("a fronte dei 9.150,0 milioni del 2024") is not carried
                if amount.start in from_values:  # "sceso da 5.102,0 a 3.683,4 milioni nel 2023": 5.102,0 is of 2022
                    fact["period"] = chosen.value.same_period_previous_year().notation
                    fact["period_basis"] = "implied"
                    fact["period_note"] = "«da ... a»: the value it moved from, of the same period the year before."
                    review.append("the value moved from is read as of the same period the year before")
            elif re.search(r"\bnel(?:lo stesso)? (trimestre|semestre)\b", clause + text[a_end:a_end + 20]):
                months = 3 if "trimestre" in (clause + text[a_end:a_end + 20]) else 6
                same_kind = [p for p in last.seen_periods if p.months == months]
                if same_kind:
                    fact["period"] = same_kind[-1].notation
                    fact["period_basis"] = "carried"
                    fact["period_note"] = f"«nel {'trimestre' if months == 3 else 'semestre'}»: the last such period named before."
                    explain(fact, "period", "'nel trimestre' / 'nel semestre': the last such period named before",
                            f"nel {'trimestre' if months == 3 else 'semestre'}")
                    last.period = fact["period"]  # the figures after it share it, as they share a period named outright
                    review.append("'nel trimestre' / 'nel semestre' read as the last such period named")
                elif last.period:
                    fact["period"] = last.period
                    review.append("the period is implied by context")
            elif last.period:
                fact["period"] = last.period
                fact["period_basis"] = "implied"
                fact["period_note"] = "No period in the sentence; the period of the figure before, by context."
                explain(fact, "period", "no period in the sentence: the period of the figure before")
                review.append("the period is implied by context")
            elif published is not None:
                fact.update(_assumed_period(published))
                explain(fact, "period", "no period named before it: the last whole year before the release's date")
                review.append("no period is named: the last whole year before the release's date is assumed")
            else:
                review.append("no period found")
            stop = re.compile(r"[;:,(]|\s(?:e|mentre)\s").search(text, a_end, min(sentence_end, a_end + 30))
            year_before = YEAR_BEFORE.search(text, clause_start, stop.start() if stop else min(sentence_end, a_end + 30))
            if year_before is not None and fact.get("period") and not re.search(
                    r"\b(?:rispetto|confronto|sul|sull['’]|su)\s*\S*\s*$", text[max(clause_start, year_before.start() - 14):year_before.start()]) \
                    and not re.search(r"\bin\s+(?:meno|più|piu['’])\b|\b(?:superior|inferior)[ei]\b",
                                      text[a_end:year_before.start()]):  # "31 milioni in meno di un anno prima": a change
                # "l'anno prima era a 1,5 miliardi", "contro i 700 milioni di un anno prima": the same period the year before
                fact["period"] = parse_period(fact["period"]).same_period_previous_year().notation
                fact["period_basis"] = "implied"
                fact["period_note"] = f"«{year_before.group(0)}»: the same period of the year before."
                explain(fact, "period", "'l'anno prima': the same period of the year before", year_before.group(0))
            # origin and destination
            total = re.search(TOTAL_CUES, sentence, re.I)
            origin = destination = None
            for offset, name, code in unknown_places:
                if re.search(DESTINATION_CUES + r"$", sentence[max(0, offset - 25):offset]) and offset < amount.start + 120:
                    destination = ("TODO", name, offset)
                    review.append(f"the destination «{name}» (ISO {code}) is not a place this draft may name")
                    break
            partner = None
            for offset, place, words in sentence_places:
                cue = re.search(DESTINATION_CUES + r"$", sentence[max(0, offset - 25):offset])
                if cue and not places.domestic(place):  # "l'export in Molise" is Molise's
                    if offset > amount.end and re.search(r"[,;:()]|\bmentre\b", sentence[amount.end:offset]):
                        continue  # a market named in a clause after the amount's is that clause's
                    if destination is None or destination[0] == "TODO" or offset < amount.start:
                        destination = (place, words, offset)  # the market named last before the amount, else right after it
                elif offset < amount.start and places.partner(place):
                    partner = (place, words, offset)  # "Seguono Francia (640,2 milioni)": a foreign market, not an origin
                elif offset < amount.start:
                    origin = (place, words, offset)  # the nearest origin word before the amount
            if origin is None and last.origin is None:  # "superati i 9 miliardi di export ligure": the adjective after
                origin = next(((place, words, offset) for offset, place, words in sentence_places
                               if amount.end <= offset < amount.end + 30 and places.domestic(place)
                               and not re.search(r"[,;:()]|\bmentre\b", sentence[amount.end:offset])), None)
            if origin is not None:  # a group named before its members ("il Quadrante Nord-Est, ... delle province di
                # Novara, Vercelli, Biella e Verbano-Cusio-Ossola, che arriva a"): the group is the origin
                for offset, place, words in sentence_places:
                    if offset < origin[2] and places.gazetteer.place(place).kind == "group" \
                            and origin[0] in [m.id for m in places.gazetteer.members(place)]:
                        origin = (place, words, offset)
                        break
            if partner and (destination is None or destination[2] > amount.start
                            or (destination[2] < partner[2]
                                and re.search(r"[;:()]|\bmentre\b", sentence[destination[2]:partner[2]]))):
                destination = partner  # "verso gli Stati Uniti ..., mentre la Francia ... con 640 milioni": Francia's
            market_before = destination is not None and destination[0] != "TODO" and destination[2] < total.start() \
                if total else False  # "il principale mercato ... quello tedesco, con un valore complessivo di": Germany's
            if total and total.start() > amount.start - 80 and amount.start > total.start() \
                    and not (market_before and total.group(0).lower().startswith("complessiv")):
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
            origin_id = origin[0] if origin else (last.origin or _export_before(draft.facts, "origin"))
            destination_id = destination[0] if destination else last.destination
            whole = WHOLE_BEFORE.search(text, previous_end, a_start) if index > 0 else None
            if whole is not None and not re.search(r"\b(?:verso|negli|nei|nel|nella|in)\b", whole.group(0), re.I):
                destination_id = "world"  # "il 30% dell'export provinciale, che si è fermato a 4,2 miliardi": the whole's
            if destination is None and destination_id is not None and destination_id == last.subject_destination \
                    and not _same_or_part(places, origin_id, last.subject_origin):
                destination_id = None  # the release's market is carried to its subject and its parts, not to other places
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
            explain(fact, "origin", "the place named nearest before the amount (the gazetteer's names, adjectives and demonyms)"
                    if origin else "no place named before it: the origin of the figure before", origin[1] if origin else None)
            explain(fact, "destination", "the market its words name (after 'verso', 'in', 'negli'..., a total, a foreign country "
                    "before it)" if destination else "no market named: the one before, else the world",
                    destination[1] if destination else None)
            if flow == "import":  # goods bought by the place the text is about, from the partner named "da" (else the world)
                source = next((place for offset, place, _w in sentence_places if offset < amount.start
                               and SOURCE_CUE.search(sentence, max(0, offset - 10), offset)), None)
                if source is not None:
                    buyer = destination_id if destination_id not in (None, "world", source) else origin_id
                    fact["origin"], fact["destination"] = source, buyer or "TODO"
                else:
                    fact["origin"], fact["destination"] = destination_id or "world", origin_id or "TODO"
            if flow == "balance" and DEFICIT.search(text, flow_words[-1].start(), a_start):
                fact["amount"] = -amount.value
            last.figure_drafted(origin[0] if origin else None, fact["origin"], destination[0] if destination else None,
                                destination_id, flow == "export", lambda a, b: _same_or_part(places, a, b))
            # a sector named right after the amount ("2,1 milioni provengono dalla moda")
            after = text[a_end:min(sentence_end, a_end + 90)]
            # the sectors named after it: the mentions of the gazetteer's sector names (kg.draft.mentions)
            sectors = [m for m in sector_mentions if a_end <= m.start and m.end <= a_end + 80]
            evidence_end = a_end
            if sectors and re.match(r"\s*(?:ciascuno\s+)?(?:provengono|da|dalla|dal|dall['’]|dai|dagli|per)\b", after):
                fact["sector"] = sectors[0].value
                explain(fact, "sector", "a sector named right after the amount ('provengono dalla', 'per')", sectors[0].text)
                evidence_end = sectors[0].end
                if "ciascuno" in after[:12]:
                    review.append("'ciascuno' spreads the amount over several sectors")
                    evidence_end = max(m.end for m in sector_mentions if a_end <= m.start and m.end <= a_end + 120)
            scope = re.search(r"\b(?:esclus[oaie]|al netto del(?:la|le|l['’])?|senza)\s+(?:la |il |i |le |l['’])?(?P<what>[\wàèéìòù]+(?: [\wàèéìòù]+)?)",
                              text[clause_start:evidence_end])
            if scope:
                fact["scope"] = scope.group(0)
                excluded = [m.value for m in sector_mentions if m.start == clause_start + scope.start("what")]
                if excluded:
                    fact["excludes"] = excluded
            row_sector = row_sectors.get(a_start)
            if "sector" not in fact and row_sector is not None:  # "Per settori: tessile 1,2 miliardi (+3%), meccanica ..."
                fact["sector"] = row_sector.value
                explain(fact, "sector", "the sector of its row in a colon list of sectors (kg.draft.frames)", row_sector.text)
                clause_start = min(clause_start, row_sector.start)
            if "sector" not in fact:
                relative_start = clause_start
                if re.match(r"(?:il|la|i|le)\s+cui\b", text[clause_start:a_start], re.I):  # "la chimica, il cui valore"
                    relative_start = _clause_start(text, sentence_start, max(sentence_start, clause_start - 2))
                before_words = [m for m in sector_mentions if relative_start <= m.start and m.end <= a_start
                                and m.value not in fact.get("excludes", ())]
                if before_words:
                    fact["sector"] = before_words[-1].value
                    explain(fact, "sector", "a sector named before the amount in its clause", before_words[-1].text)
                    review.append("the sector is named before the amount: check what it is a part of")
                    tail = re.match(r"\s*nel (?:trimestre|semestre)", text[a_end:])
                    if tail:
                        evidence_end = max(evidence_end, a_end + tail.end())
            if amount.start in from_values:  # "da 4.210,5 a 3.100,2 milioni": quoted up to the scale it is read at
                to = next((m for m in amount_mentions if m.start > a_start and m.detail != "from"), None)
                if to is not None:
                    evidence_end = max(evidence_end, to.unit_end if to.unit_end is not None else to.end)
            start, end = unique_span(text, clause_start, evidence_end, (sentence_start, sentence_end))
            fact["evidence"] = text[start:end]
            if fact.get("stated_as") and fact["stated_as"] not in fact["evidence"]:
                fact["evidence"] = [fact["stated_as"], fact["evidence"]]  # the name the text uses, quoted too
            if mention.detail == "row":  # "Udine 7.012,4" under "(anno 2024, milioni di euro ...):": the scale quoted too
                fact["evidence"] = [text[table_words[0]:table_words[1]], fact["evidence"]]
            if mention.detail == "carried-scale":  # "seguono Latina con 8,2": the amount whose scale it is read at, quoted
                carrier = carried_scale[mention.start]
                c_start, c_end = unique_span(text, carrier.start, carrier.unit_end or carrier.end, (sentence_start, sentence_end))
                fact["evidence"] = [text[c_start:c_end], fact["evidence"]]
                review.append("the scale is the one of the amount named before it in the sentence")
            fact["_start"] = start
            fact["_amount_start"] = sentence_start + amount.start
            if review:
                fact["review"] = "; ".join(review)
            change_of_level = _change_of_level(text, (sentence_start, sentence_end), a_start, amount_end, fact, found)
            if change_of_level is not None:
                amount_changes.append(change_of_level)
                continue
            figures.append(fact)
            attached_change = _attached_change(text, (sentence_start, sentence_end), attached_to.get(a_start), percents, fact, found)
            if attached_change is not None:
                attached.append(attached_change[0])
                used.append(attached_change[1])
            # one fact per sector when the amount is given "ciascuno" for a list
            if "ciascuno" in after[:12]:
                each = [m.value for m in sector_mentions if a_end <= m.start and m.end <= a_end + 120]
                for sector in each[1:]:
                    copy = dict(fact, sector=sector)
                    figures.append(copy)
        shares = draft_measures(text, (sentence_start, sentence_end), percents, figures, draft, places, last, found)
        # a change against a reference period, on the cell of the sentence's last level
        draft.facts.extend(attached)
        quoted = [(share["_start"], share["_start"] + len(share["evidence"])) for share in shares]
        left = [p for p in percents if p not in used and not any(a <= sentence_start + p.start < b for a, b in quoted)]

        def cell_at(at: int, after: int | None, sentence_start=sentence_start, sentence=sentence, sentence_places=sentence_places,
                    periods=periods, quoted=quoted, list_changes=list_changes):
            """The cell the words before offset ``at`` name (after offset ``after`` only: None when they name no
            place there): the origin named last, else the release's subject; the sentence's period, else the last.
            A place in a share's words names its whole ("pari al 1,5% del totale nazionale"), not a change's cell."""
            sentence_places = [(o, p, w) for o, p, w in sentence_places if not any(a <= sentence_start + o < b for a, b in quoted)]
            named = [(o, p) for o, p, _w in sentence_places if sentence_start + o < at and not places.partner(p)
                     and (after is None or sentence_start + o > after)]
            def market(o: int, p: str, w: str) -> bool:  # "verso la Russia", or a list's "Germania +5,0%", "Francia (-2,2%)"
                return places.partner(p) and bool(re.search(DESTINATION_CUES + r"$", sentence[max(0, o - 25):o], re.I)
                                                     or (sentence_start + o, at) in list_changes
                                                     or re.match(r"\s*,\s*dove\b", sentence[o + len(w):]))

            if after is not None:  # a place or a market named since the level: the cell is read from the words
                markets_since = [o for o, p, w in sentence_places if after < sentence_start + o < at and market(o, p, w)]
                return ({"origin": named[-1][1]} if named else {} if markets_since else None)
            flows = list(FLOW_WORDS.finditer(text, sentence_start, at))
            cell: dict = {"flow": flows[-1].lastgroup if flows else "export",
                          "origin": named[-1][1] if named else (last.origin or _export_before(draft.facts, "origin") or "TODO"),
                          "destination": "world"}
            markets = [p for o, p, w in sentence_places if sentence_start + o < at and market(o, p, w)]
            if markets:
                cell["destination"] = places.country_of(markets[-1])
            if cell["flow"] == "import":  # bought from the market (else the world) by the place
                cell["origin"], cell["destination"] = cell["destination"], cell["origin"]
            own = [p for p in periods if sentence_start + p.start < at + 40]
            if own:
                cell["period"] = min(own, key=lambda p: abs(sentence_start + p.start - at)).value.notation
            elif carried_period := last.period or _export_before(draft.facts, "period"):
                cell["period"], cell["period_basis"] = carried_period, "carried"
                cell["period_note"] = "The period of the figures before it, carried over."
            elif published is not None:
                cell.update(_assumed_period(published))
            cell["id"] = slug(f"{cell['origin']}-{cell['destination']}-{cell.get('period', 'nd')}")
            return cell

        changes = _changes(text, (sentence_start, sentence_end), left, figures, cell_at, found, places,
                           unread=draft.notes) if left else []
        points = [relative(m, sentence_start) for m in of_kind(found, "points")]
        if points:  # "un contributo di -2,9 punti", "in calo di 1,5 punti percentuali"
            point_changes = _changes(text, (sentence_start, sentence_end), points, figures, cell_at, found, places, unit="points")
            for point_change in point_changes:
                _contribution(text, point_change, places)
            changes += point_changes
        for percent_change in changes:  # "prodotti farmaceutici (+40 milioni di euro, +15%)": the same cell's
            twin = next((a for a in amount_changes if isinstance(a.get("evidence"), str) and
                         re.fullmatch(r"\s*,\s*", text[a["_start"] + len(a["evidence"]):percent_change["_start"]])), None)
            if twin is not None and twin.get("sector") and "sector" not in percent_change:
                percent_change.update({key: twin[key] for key in ("origin", "destination", "sector") if key in twin})
                percent_change["id"] = slug(f"{percent_change['origin']}-{percent_change['destination']}-"
                                            f"{percent_change.get('period', 'nd')}-change")
                explain(percent_change, "cell", "the cell of the change in euro it follows in its bracket", twin["evidence"])
        _respectively(text, sentence_start, changes, sentence_places, places, found)
        draft.facts.extend(changes)
        draft.facts.extend(amount_changes)
        draft.facts.extend(_factor_changes(text, (sentence_start, sentence_end), cell_at, last, found))
        change = _change(text, sentence_start, sentence_end, [], figures, found) if not (left or attached or amount_changes) else None
        if change is not None:
            draft.facts.append(change)
