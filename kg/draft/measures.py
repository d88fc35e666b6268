"""The measures of a sentence other than levels and changes: shares, ranks, ratios and projections.

:func:`draft_measures` is called by :func:`kg.draft.figures.draft_figures` once for every sentence, after the
sentence's levels are drafted: it turns the levels that are not observed levels into what they are (an amount
per resident is a ratio, an amount expected at the end of the year a projection), adds the sentence's levels
and measures to the draft and returns the measures, whose words the changes of the sentence then leave alone.

- **Shares**: a percentage (or a fraction word: "un quarto", "metà") followed by the whole it is of ("pari al
  71,4% del totale regionale", "il 10,8% dell'export lombardo", "il 61,2% delle vendite altoatesine"), or
  after the words of a share and its whole ("il peso ... sul totale nazionale è salito dal 24,6% del 2019 al
  25,9%": two shares, each with its period). The part is the level the sentence states before it, else the
  place the clause names, else the release's subject; the whole (``of``) is what the words say.
- **Ranks**: an ordinal before a noun that says what is ranked ("quarta provincia esportatrice", "al 16°
  posto", "primo Paese di riferimento", "secondo mercato di sbocco", "la prima voce"): the position, among
  origins, destinations or sectors, within a place when the words name one ("d'Italia", "extra Ue", "tra i
  Paesi del Golfo"), by level unless the words say by growth.
- **Ratios**: an amount per resident or employee ("19.219 euro per residente", "Per ogni residente ... 3.090
  euro"), the national average it is set against ("contro i 10.375 della media italiana"), a percentage of
  value added, GDP or the national average ("3,8% del valore aggiunto", "circa il 30% della media nazionale")
  and a multiple of the average ("il doppio della media nazionale").
- **Projections**: an amount in a sentence that looks ahead ("prevede", "stima che", "potrebbe", "possa", "a
  fine anno"): not an observed level; "a fine anno" makes its period the whole year.

Ordinals are read by text2num (already the project's reader of number words), which reads Italian ordinals
from "terzo" up ("quindicesimo": 15); the project's own table adds the words it leaves out on purpose or
misses: "primo"/"prima" and "secondo"/"seconda" (it keeps them as words: "secondo i dati" is "according to",
"prima" also "before"; they are ranks here only before a noun of ranking) and "sedicesimo"/"sedicesima" (not
read by text2num 3.1). Babel has no Italian ordinal parser.
"""

from __future__ import annotations

import re
from decimal import Decimal

from kg.draft.carry import Carried
from kg.draft.draft import Draft, explain, unique_span
from kg.draft.mentions import Mention, hedge_before, relative
from kg.draft.places import PlaceFinder
from kg.model import italian as italian
from kg.model.numbers import FIGURE, Found, find_fractions, read_figure
from kg.model.periods import find_periods, parse_period
from kg.model.schema import CELL_KEYS

TOTAL_CUES = r"\btotale\b|\bcomplessiv[oaie]\b|\bin tutto il mondo\b"
WHOLE = r"(?:totale|export|esportazioni|vendite|importazioni|import)"
SHARE_OF = re.compile(rf"\s+del(?:l['’]|le|la)?\s*{WHOLE}(?:\s+(?!del|verso\b|e\b|che\b)[a-zà-ù]+)?"
                      r"(?:\s+del(?:l['’]|la)?\s*(?:isola|regione|provincia|Paese|Italia|(?-i:[A-ZÀ-Ý][\wà-ù]+(?:\s+[A-ZÀ-Ý][\wà-ù]+)?))\b)?", re.I)
"""The whole a percentage is a share of, right after it: "del totale provinciale", "dell'export nazionale",
"dell'export dell'isola", "delle vendite altoatesine"."""
SHARE_ON = re.compile(rf"\b(?:peso|quota|incidenza)\b[^.;%]{{0,60}}?\bsu(?:l|ll['’]|lle|i)\s*{WHOLE}(?:\s+[a-zà-ù]+)?", re.I)
"""The words of a share stated before its percentages: "il peso della regione sul totale nazionale"."""
QUOTA_BEFORE = re.compile(r"\b(?:quota|peso|incidenza)\s+(?:pari\s+)?(?:a|al|allo|all['’]|del|dello|dell['’]|di)\s*$"
                          r"|\b(?:pes|incid)(?:a|ano|e|ono|ando|endo)\s+(?:per\s+)?(?:il|l['’]|lo)?\s*$", re.I)
"""The words of a share right before its percentage, its whole unstated or after it: "con una quota del 13,9%",
"pesa per il 22% sulle vendite regionali"."""
SHARE_ON_AFTER = re.compile(rf"\s+su(?:l|ll['’]|lle|i|lo)\s*{WHOLE}(?:\s+(?!del|verso\b|e\b|che\b)[a-zà-ù]+)?", re.I)
BARE_WHOLE = re.compile(rf"\s*del(?:l['’]|le|la)?\s*{WHOLE}\s*", re.I)
"""A whole named by its word alone ("dell'export", "del totale"): the exports of the part's origin to the world."""
CHANGE_NOUN_BEFORE = re.compile(r"\b(?:flessione|calo|crescita|aumento|incremento|diminuzione|contrazione|riduzione|rialzo"
                                r"|ribasso|crollo|balzo|progresso|variazione)\s+(?:del|dell['’]|di)\s*$", re.I)
"""The noun of a change right before its percentage: what follows the number is what changed, not a whole."""
NE_SHARE = re.compile(r"\bne\s+(?:rappresenta(?:no)?|val(?:e|gono)|costituisc(?:e|ono)|realizza(?:no)?|copr(?:e|ono)|assorb(?:e|ono))"
                      r"\s+(?:circa\s+|quasi\s+|oltre\s+)?(?:il|l['’]|lo)?\s*$", re.I)
"""A share whose whole is the level just before it, named by "ne": "e la Sicilia ne rappresenta il 2,2%"."""
MOVE_WORDS = re.compile(r"\b(?:dal|dall['’]|dallo|al|all['’]|allo)\s*$", re.I)
"""A percentage a share moves from or to: "dal 24,6% ... al 25,9%"."""
NATIONAL = re.compile(r"\bitalian[oaie]\b|\bnazional[ei]\b|\bdel Paese\b|\bd['’]Italia\b", re.I)
CONTEXT_WORD = re.compile(r"regional[ei]|nazional[ei]", re.I)
"""Words that name a place only by context: the rules read them on their own."""
REGIONAL = re.compile(r"\bregional[ei]\b|\bdella regione\b|\bdell['’]isola\b", re.I)

ORDINAL_WORDS = {"primo": 1, "prima": 1, "secondo": 2, "seconda": 2, "sedicesimo": 16, "sedicesima": 16, "principale": 1}
"""The ordinals text2num does not read (see the module's docstring)."""
ORDINAL = (r"(?P<ordinal>(?P<digits>\d{1,3})\s?[°ºª]|\b(?:prim[oa]|second[oa]|terz[oa]|quart[oa]|quint[oa]|sest[oa]"
           r"|settim[oa]|ottav[oa]|non[oa]|decim[oa]|[a-zà-ù]+esim[oa]|(?<=\bil\s)principale|(?<=\bla\s)principale)\b)")
"""An ordinal; "il principale mercato" (singular) is the first."""
RANK_NOUNS = {
    "provincia": ("origins", "province"), "regione": ("origins", "region"), "comune": ("origins", "municipality"),
    "città": ("origins", "city"), "esportatore": ("origins", None), "esportatrice": ("origins", None),
    "paese": ("destinations", None), "mercato": ("destinations", None), "partner": ("destinations", None),
    "destinazione": ("destinations", None), "cliente": ("destinations", None), "sbocco": ("destinations", None),
    "voce": ("sectors", None), "settore": ("sectors", None), "comparto": ("sectors", None), "prodotto": ("sectors", None),
    "posto": (None, None), "posizione": (None, None),
}
"""What a noun after an ordinal ranks: among origins (and the kind of place), destinations or sectors; a place
("posto") ranks what its subject is."""
RANK = re.compile(ORDINAL + r"\s+(?:(?:grande|principale)\s+)?(?:(?P<noun>" + "|".join(RANK_NOUNS) + r")\b|(?P<peers>in\s+Italia|d['’]Italia|del\s+Paese|della\s+regione|nella\s+regione|della\s+provincia)\b)"
                  r"(?P<tail>(?:\s+(?:esportatric[ei]|esportator[ei]|di\s+(?:sbocco|riferimento|destinazione)"
                  r"|per\s+(?:valore|export|esportazioni|crescita|variazione|aumento)|del\s+made\s+in\s+Italy"
                  r"|d['’]Italia|del\s+Paese|in\s+Italia|extra[ -]Ue|(?:tra|fra)\s+(?:i|le|gli)\s+[\wà-ù]+(?:\s+(?:della|dell['’]|del)\s*[\wà-ù]+"
                  r"|\s+esportatric[ei]|\s+di\s+\w+)?|della\s+regione|della\s+provincia))*)", re.I)
COUNTRY_RANK = re.compile(r"\bpaese\s+(?:esportatore|produttore|fornitore)", re.I)
BY_CHANGE = re.compile(r"\bper\s+(?:crescita|variazione|aumento)\b", re.I)
NOT_AFTER = re.compile(r"\b(?:dopo|davanti|seguit[oa]|prima)\b", re.I)
"""The places named after these words are the ones ranked next to the subject, not the subject or its scope."""
ANAPHOR = re.compile(r"\b(?:la|questa)\s+(?P<kind>provincia|regione)\b(?!\s+(?:di|del|dell['’]|della)\b)\s*[^,;]*$", re.I)
"""A place named only by its kind right before a rank ("colloca la provincia al terzo posto"): the one the text is about."""
BACK_REFERENCE = re.compile(r"\bquest(?:i|e)\s+ultim[ie]\b|\bquest['’]ultim[oa]\b", re.I)

PER_HEAD = re.compile(r"\s*(?:per|a)\s+(?:ogni\s+)?(?P<resident>residente|abitante)\b|\s*pro\s*capite\b"
                      r"|\s*per\s+(?:ogni\s+)?(?P<employee>addetto|occupato|dipendente)\b", re.I)
HEAD_FIRST = re.compile(r"\b(?:(?:per|a)\s+(?:ogni\s+)?|ogni\s+)(?:(?P<resident>residente|abitante)|(?P<employee>addetto|occupato|dipendente))\b"
                        r"|\bpro\s*capite\b", re.I)
AVERAGE = re.compile(r"\s*(?:della|la|alla)\s+media\s+(?P<which>nazionale|italiana|del Paese|regionale|europea|[a-zà-ù]+)", re.I)
"""The average a figure is set against, right after it: "della media nazionale", "la media italiana"."""
AVERAGE_NAMED = re.compile(r"\bmedia\s+(?P<which>nazionale|italiana|del Paese)\b[^.;:]{0,30}?$", re.I)
RATIO_OF = re.compile(r"\s*del(?:l['’]|la)?\s*(?P<what>valore aggiunto|PIL|prodotto interno lordo)(?:\s+(?!del\b|e\b)[a-zà-ù]+)?", re.I)

PROJECTION_CUES = re.compile(r"\b(?:prevede|prevedono|previst[oaie]|prevision[ei]|stima(?:no)?\s+che|si\s+stima|potrebbe|potrebbero"
                             r"|possa|possano|dovrebbe|dovrebbero|potrà|potranno|dovrà|dovranno|obiettivo|traguardo"
                             r"|punta(?:no)?\s+a|puntiamo\s+a|si\s+attende|si\s+attendono|(?:ci|si)\s+aspett(?:iamo|a|ano)|aspettiamo|prevediamo"
                             r"|contiamo\s+di|(?:può|possono)\s+(?:super|oltrepass|raggiung|sfior|arriv|tocc)[a-z]*)\b", re.I)
YEAR_END = re.compile(r"\b(?:a|entro(?:\s+la)?)\s+fine\s+(?:d['’]?)?anno\b|\bnell['’]intero\s+anno\b", re.I)
_FUTURE = r"(?:are|i|ino|erà|eranno|erebbe|erebbero)"
"""The endings of a verb looking ahead: "superare", "superi", "superino", "supererà", "supererebbe"."""
PROJECTION_HEDGES = (
    (re.compile(rf"\b(?:(?:possa|possano|potrebbe|potrebbero|dovrebbe|dovrebbero|potrà|potranno|dovrà|dovranno)\s+)?"
                rf"(?:super|oltrepass){_FUTURE}\b|\bsopra\b", re.I), "more-than"),
    (re.compile(rf"\b(?:(?:possa|possano|potrebbe|potrebbero|dovrebbe|dovrebbero|potrà|potranno|dovrà|dovranno)\s+)?"
                rf"(?:sfior|avvicin){_FUTURE}\b", re.I), "almost"),
    (re.compile(r"\balmeno\b", re.I), "at-least"),
)
"""The hedges of an amount looked ahead to that the hedges of levels (kg.model.italian) do not name: "possa superare"."""


def _clause_start(text: str, sentence_start: int, at: int) -> int:
    """Where the clause holding offset ``at`` begins: after the last , ; : – before it, or the sentence."""
    cut = sentence_start
    for match in re.finditer(r"[,;:–]\s", text[sentence_start:at]):
        cut = sentence_start + match.end()
    return cut


def _clause_end(text: str, at: int, sentence_end: int) -> int:
    """Where the clause holding offset ``at`` ends: at the next , ; : – or the sentence's end."""
    match = re.compile(r"[,;:–](?:\s|$)").search(text, at, sentence_end)
    return match.start() if match else sentence_end


def _cell_fields(figure: dict) -> dict:
    """The cell of a drafted figure, and how its period was read: what a measure on the same cell repeats."""
    return {key: figure[key] for key in (*CELL_KEYS, "period_basis", "period_note") if key in figure}


def ordinal(words: str) -> int | None:
    """The position an Italian ordinal states: "4°", "16º", "quarta", "quindicesimo", "primo"; None if it states none."""
    digits = re.fullmatch(r"(\d{1,3})\s?[°ºª]", words.strip())
    if digits:
        return int(digits.group(1)) or None
    word = words.strip().lower()
    if word in ORDINAL_WORDS:
        return ORDINAL_WORDS[word]
    from text_to_num import alpha2digit

    read = re.fullmatch(r"(\d+)[ºª°]", alpha2digit(word, "it"))
    return int(read.group(1)) if read else None


class _Context:
    """What the rules of one sentence share: the text, the sentence's bounds, its places and periods, the
    figures before it (``last``: the origin, destination and period carried over)."""

    def __init__(self, text: str, sentence: tuple[int, int], places: PlaceFinder, last: Carried, earlier: list[dict],
                 found: list[Mention]):
        self.text, self.start, self.end = text, sentence[0], sentence[1]
        self.found = found  # the sentence's mentions (kg.draft.mentions)
        self.places, self.last = places, last
        # what the release is about: the origin of its first export level, else the one carried over
        first = next((f["origin"] for f in earlier if f.get("kind") == "level" and f.get("flow") == "export"
                      and f.get("origin") not in (None, "TODO")), None)
        self.subject: str | None = first or last.origin
        self.sentence = text[self.start:self.end]
        # (absolute offset, place id, words), in the order of the text
        self.named = [(m.start, m.value, m.text) for m in found if m.kind in ("place", "group")]
        # the periods named, those the mentions name or compare with (not the dateline's date, which they leave out)
        spans = [(m.start, m.end) for m in found if m.kind in ("period", "reference")]
        self.compared = [(m.start, m.end) for m in found if m.kind == "reference"]  # "rispetto allo 0,5% del 2023"
        self.periods = [(self.start + p.start, self.start + p.end, p) for p in find_periods(self.sentence)
                        if any(a <= self.start + p.start < b for a, b in spans)]

    def kind(self, place: str) -> str | None:
        return self.places.gazetteer.place(place).kind if place in self.places.gazetteer else None

    def partner(self, place: str) -> bool:
        return place in self.places.gazetteer and self.places.partner(place)

    def region_of(self, place: str | None) -> str | None:
        """The region a place lies in (itself, if a region): what "regionale" means in its sentence."""
        if place is None or place not in self.places.gazetteer:
            return None
        if self.kind(place) == "region":
            return place
        return next((p.id for p in self.places.gazetteer.ancestors(place) if p.kind == "region"), None)

    def places_in(self, start: int, end: int) -> list[tuple[int, str, str]]:
        return [(offset, place, words) for offset, place, words in self.named if start <= offset < end]

    def origin_in(self, start: int, end: int, nearest: bool = False) -> tuple[int, str, str] | None:
        """A place goods come from named in [start, end): not a foreign market; "regionale" is the region of
        the release's subject."""
        found = []
        for offset, place, words in self.places_in(start, end):
            if self.partner(place):
                continue
            if re.fullmatch(r"regional[ei]", words, re.I):
                region = self.region_of(self.subject)
                if region is None:
                    continue
                place = region
            found.append((offset, place, words))
        if not found:
            return None
        return found[-1] if nearest else found[0]

    def destination_in(self, start: int, end: int) -> tuple[int, str, str] | None:
        """The last foreign market named in [start, end)."""
        found = [(offset, place, words) for offset, place, words in self.places_in(start, end) if self.partner(place)]
        return found[-1] if found else None

    def period(self, start: int, end: int, near: int | None = None) -> tuple[str, dict]:
        """The period named in [start, end) (the one right after ``near``, if any), else the one carried over: its
        notation and how it was read; ("", {}) when there is none."""
        if near is not None:
            right_after = [p for s, _e, p in self.periods if near <= s <= near + 12]
            if right_after:
                return right_after[0].value.notation, {}
        named = [p for s, _e, p in self.periods if start <= s < end and not any(a <= s < b for a, b in self.compared)]
        if named:
            return named[-1].value.notation, {}
        carried = self.last.period
        if carried:
            return str(carried), {"period_basis": "carried", "period_note": "The period of the figures before it, carried over."}
        return "", {}

    def quote(self, begin: int, finish: int) -> tuple[int, str]:
        start, end = unique_span(self.text, max(begin, self.start), min(finish, self.end), (self.start, self.end))
        return start, self.text[start:end]


def draft_measures(text: str, sentence: tuple[int, int], percents: list, figures: list[dict], draft: Draft,
                   places: PlaceFinder, last: Carried, found: list[Mention]) -> list[dict]:
    """Add to ``draft`` the levels of a sentence (``figures``, from which the ratios and projections drafted as
    levels are taken out) and its shares, ranks, ratios and projections; return these measures. ``found``: the
    sentence's mentions (:func:`kg.draft.mentions.mentions`)."""
    context = _Context(text, sentence, places, last, draft.facts, found)
    measures: list[dict] = []
    measures += _ratios(context, percents, figures)
    measures += _projections(context, figures, draft.facts)
    taken = [(m["_start"], m["_start"] + len(m["evidence"])) for m in measures]
    free = [p for p in percents if not any(a <= sentence[0] + p.start < b for a, b in taken)]
    measures += _shares(context, free, figures)
    measures += _ranks(context, figures)
    measures += _ranks_of_places(context)
    draft.facts.extend(figures)
    draft.facts.extend(measures)
    return measures


# --------------------------------------------------------------------------- shares


NOT_FOUND = "the whole this share is of was not found: check"


def _key(cell: dict, key: str):
    return sorted(cell.get(key) or []) if key == "excludes" else cell.get(key)


def _whole_of(part: dict, levels: list[dict], words: str, context: _Context) -> tuple[dict, str | None]:
    """A share's ``of`` (the fields in which the whole's cell differs from the part's) and a review note, unless a
    level of the sentence (``levels``) is on the whole's cell.

    The words say what the whole is ("dell'export italiano": Italy's; "del totale regionale" or "dell'isola" of a
    province: its region's; "dell'export lombardo" of a province: Lombardy's; "del totale" of a destination: the
    world's; of a sector: all goods')."""
    of, note = _whole_from_words(part, words, context)
    whole = {key: of[key] if key in of else part.get(key) for key in CELL_KEYS}
    if note is not None and any(all(_key(level, key) == _key(whole, key) for key in CELL_KEYS) for level in levels):
        return of, None  # the sentence states the whole's level too
    return of, note


def _whole_from_words(part: dict, words: str, context: _Context) -> tuple[dict, str | None]:
    note = "the whole is read from the words, not from a level of the sentence: check"
    origin = str(part.get("origin"))
    if NATIONAL.search(words) and origin != "italy":
        return {"origin": "italy"}, note
    if REGIONAL.search(words) and context.kind(origin) == "province":
        region = context.region_of(origin)
        if region is not None:
            return {"origin": region}, note
    named = [place for _o, place, w in context.places.find(words) if not context.partner(place) and not CONTEXT_WORD.fullmatch(w)]
    if named and named[0] != origin and context.kind(origin) in ("province", "region", "municipality", "city"):
        return {"origin": named[0]}, note
    if part.get("destination") != "world":
        return {"destination": "world"}, note
    if part.get("sector"):
        return {"sector": None}, note
    subject = context.subject
    if subject and origin in context.places.gazetteer and subject in [p.id for p in context.places.gazetteer.ancestors(origin)]:
        return {"origin": subject}, note  # "dopo Bari (che pesa il 40%)" in a release about Apulia: Apulia's
    return {"origin": "italy"}, NOT_FOUND


def _part_from_words(context: _Context, at: int, whole_words: str, whole_at: tuple[int, int], near: int,
                     moving: bool) -> dict | None:
    """The cell of a share no level of its sentence states: the place its clause names (else the one its whole's
    words name, when the clause names a market; else the release's subject), the market its clause names (else the
    world), the period right after it or in its sentence (else the one carried over)."""
    clause = _clause_start(context.text, context.start, at)
    origin = context.origin_in(clause, at)
    if origin is not None and whole_at[0] <= origin[0] < whole_at[1]:
        origin = None  # a place the whole's words name ("sul totale nazionale") is not the part's
    destination = context.destination_in(clause, at)
    if destination is None and origin is None and (not whole_words or BARE_WHOLE.fullmatch(whole_words)):
        destination = context.destination_in(context.start, at)  # "La Germania, con una quota del 13,9%", "assorbendo
        # il 14,2% dell'export"
    # "dell'export regionale" is the region of the release's subject, not a region of its own
    whole_named = [context.region_of(context.subject) if re.fullmatch(r"regional[ei]", words, re.I) else place
                   for _o, place, words in context.places.find(whole_words) if not context.partner(place)]
    whole_named = [place for place in whole_named if place]
    origin_id = origin[1] if origin else (whole_named[0] if whole_named and destination else context.subject)
    if origin is None and re.search(r"\bdella regione\b", context.text[clause:at], re.I):
        origin_id = context.region_of(origin_id) or origin_id
    if not origin_id:
        return None
    period, basis = context.period(context.start, context.end, near) if not moving else context.period(0, 0, near)
    if moving and (not period or basis):  # a share that moves names no period of its own after it
        named = [p for s, _e, p in context.periods if context.start <= s < context.end]  # the sentence's first
        own = (named[0].value.notation, {}) if named and not period else (period, basis)
        if own[0] and re.search(r"\b(?:dal|dall['’]|dallo)\s*$", context.text[max(context.start, at - 8):at], re.I):
            period = parse_period(own[0]).same_period_previous_year().notation  # "è scesa dal 1,5% all'1,3%" in 2024
            basis = {"period_basis": "implied", "period_note": "The value a share moved from: the same period of the year before."}
        else:
            period, basis = own
    if not period:
        return None
    part: dict = {"flow": "export", "origin": origin_id, "destination": destination[1] if destination else "world", "period": period}
    part.update(basis)
    if re.search(r"\bimport", context.text[clause:at], re.I):
        part["flow"] = "import"
    return part


def _shares(context: _Context, percents: list, figures: list[dict]) -> list[dict]:
    """The shares of a sentence: a percentage (or a fraction word) before the whole it is of, or after the words of a
    share and its whole ("il peso ... sul totale nazionale è salito dal 24,6% del 2019 al 25,9%")."""
    text, sentence_start, sentence_end = context.text, context.start, context.end
    numbers = [(sentence_start + p.start, sentence_start + p.end, abs(p.value)) for p in percents]
    for fraction, _precision in find_fractions(context.sentence):
        numbers.append((sentence_start + fraction.start, sentence_start + fraction.end, fraction.value))
    share_on = SHARE_ON.search(context.sentence)
    shares: list[dict] = []
    for p_start, p_end, value in sorted(numbers):
        window = text[p_start - 20:p_end + 30]
        total_cue = re.search(TOTAL_CUES + r"|dell['’](?:export|esportazioni)\s+(?:italian[oaie]|nazional[ei]|regional[ei])", window)
        of_words = SHARE_OF.match(text, p_end, sentence_end)
        if of_words and CHANGE_NOUN_BEFORE.search(text, max(sentence_start, p_start - 30), p_start):
            of_words = None  # "La flessione del 3,5% delle esportazioni lucane": a change of them, not a share
        moving = (share_on is not None and sentence_start + share_on.end() <= p_start
                  and MOVE_WORDS.search(text[max(sentence_start, p_start - 8):p_start]))
        compared = re.search(r"\brispetto\s+a(?:l|llo|ll['’]|i)?\s*$", text[max(sentence_start, p_start - 16):p_start], re.I)
        if compared and shares and not of_words:  # "una quota dello 0,4% ... (in calo rispetto allo 0,5% del 2023)"
            shares.append(_compared_share(context, shares[-1], p_start, p_end, value, p_start - len(compared.group(0))))
            continue
        ne = NE_SHARE.search(text[max(sentence_start, p_start - 40):p_start])
        if ne and not of_words:
            share = _share_of_the_level_before(context, figures, p_start, p_end, value, max(sentence_start, p_start - 40) + ne.start())
            if share is not None:
                shares.append(share)
            continue
        quota = QUOTA_BEFORE.search(text[max(sentence_start, p_start - 30):p_start])
        if quota and not of_words:
            of_words = SHARE_ON_AFTER.match(text, p_end, sentence_end)
        if share_on is not None and not moving and not of_words and re.fullmatch(
                r"\s*(?:è|era|resta|rimane|si\s+attesta)?\s*(?:pari\s+)?(?:a|al|allo|all['’]|del|dello|dell['’]|di|il|lo|l['’])?\s*",
                text[sentence_start + share_on.end():p_start]):  # "La quota sul totale nazionale è dello 0,4%"
            quota, whole_from_on = share_on, True
        else:
            whole_from_on = False
        stated = of_words or moving or quota or (re.search(r"pari a(?:llo|l|ll['’])?|quota", window) and total_cue)
        if not stated:
            inner = _part_of_subject(context, p_start)
            if inner is not None:
                shares.append(_share_of_subject(context, inner, p_start, p_end, value))
            continue
        whole_words = of_words.group(0) if of_words else (share_on.group(0) if (moving or whole_from_on) and share_on
                                                          else ("" if quota else window))
        before = [f for f in figures if f["_amount_start"] < p_start]
        clause = _clause_start(text, sentence_start, p_start)
        own = [f for f in before if f["_amount_start"] >= clause or re.search(r"pari a\S*\s*$", text[p_start - 12:p_start])]
        part = before[-1] if before and (own or not context.origin_in(clause, p_start)) else None
        if part is not None and moving:
            part = None  # a share that moves is the subject's, not a level's
        if part is not None:
            cell = _cell_fields(part)
        else:
            on = re.search(r"\bsu(?:l|ll['’]|lle|i)\b", share_on.group(0)) if (moving or whole_from_on) and share_on else None
            whole_at = (p_end, of_words.end()) if of_words else \
                ((sentence_start + share_on.start() + (on.start() if on else 0), sentence_start + share_on.end())
                 if (moving or whole_from_on) and share_on else (p_start, p_end))  # "la quota lucana sull'export
            # nazionale": lucana is the part
            found = _part_from_words(context, p_start, whole_words, whole_at, p_end, bool(moving))
            if found is None:
                continue
            cell = found
        share = {"kind": "share", **cell, "percent": value, "hedge": "exact"}
        rule = ("a percentage after the words of a share that moves" if moving else
                "a percentage right after the words of a share" if quota else "a percentage before the whole it is of")
        explain(share, "percent", rule, text[p_start:p_end])
        explain(share, "origin", "the cell of the level the share follows" if part is not None else
                "the place its clause names, else the release's subject", share["origin"])
        share["of"], whole_review = _whole_of(cell, [f for f in figures if f is not part], whole_words, context)
        if whole_review == NOT_FOUND and not cell.get("sector"):
            sectors = _sector_hits(context, sentence_start, p_start)
            whole_end = of_words.end() if of_words else p_end
            within = [place for _o, place, _w in context.places_in(whole_end, _clause_end(text, whole_end, sentence_end))
                      if cell.get("origin") in [p.id for p in context.places.gazetteer.ancestors(place)] if place in context.places]
            if within:  # "la metà dell'export regionale viene dalla provincia di Siracusa": the part is named after it
                share["of"], share["origin"], part = {"origin": share["origin"]}, within[0], None
                whole_review = "the part is the place named after the share, the whole the place it lies in: check"
            elif sectors:  # "L'export manifatturiero ... il 96,2% del totale regionale": a sector's share of all goods
                share["sector"], share["of"] = sectors[0][1], {"sector": None}
                whole_review = "the sector is read from the words before the share, the whole is all goods: check"
        explain(share, "of", "what the whole's words say, else a level of the sentence on it", whole_words.strip())
        if whole_review:
            share["review"] = whole_review
        pari = re.search(r"pari a\S*\s*$", text[p_start - 12:p_start])
        begin = p_start - len(pari.group(0)) if pari else p_start
        if whole_from_on and share_on is not None:
            begin = sentence_start + share_on.start()
        elif quota:
            begin = max(sentence_start, p_start - 30) + quota.start()
        hedge = hedge_before(context.found, p_start, window=min(20, p_start - clause))
        if hedge is not None:
            share["hedge"], share["hedge_words"] = hedge.value, hedge.text
            begin = min(begin, hedge.start)
        finish = of_words.end() if of_words else p_end
        if moving and share_on is not None:
            begin = min(begin, sentence_start + share_on.start())
            own_period = [e for s, e, _p in context.periods if p_end <= s <= p_end + 12]
            finish = max([finish, *own_period])
        share["_start"], share["evidence"] = context.quote(begin, finish)
        share["_part"] = part
        shares.append(share)
    return shares


def _part_of_subject(context: _Context, p_start: int) -> tuple[int, str, str] | None:
    """The place a bare percentage is the share of, in a release about a place that holds it ("la provincia di
    Potenza, con il 91,2%, è seguita da Matera (8,8%)" of a Basilicata release): the place named last before it,
    within 40 characters, when the percentage stands after "con il" or in a bracket, has no sign and no words of a
    change around it; else None."""
    text = context.text
    if context.subject is None or text[p_start] in "+-−–" or \
            not re.search(r"(?:\bcon\s+(?:il|l['’]|lo)\s*|\(\s*)$", text[max(context.start, p_start - 10):p_start], re.I):
        return None
    before = [n for n in context.named if p_start - 40 <= n[0] < p_start]
    if not before or italian.change_direction(text[_clause_start(text, context.start, p_start):p_start + 12]):
        return None
    if text[p_start - 1:p_start] == "(" and italian.change_direction(text[context.start:p_start]):
        return None  # "Crescono Matera (4,1%), Potenza (2,2%)": a list of changes, the rise named once
    place = before[-1]
    if place[1] not in context.places.gazetteer or \
            context.subject not in [p.id for p in context.places.gazetteer.ancestors(place[1])]:
        return None
    return place


def _share_of_subject(context: _Context, place: tuple[int, str, str], p_start: int, p_end: int, value: Decimal) -> dict:
    period, basis = context.period(context.start, context.end)
    share: dict = {"kind": "share", "flow": "export", "origin": place[1], "destination": "world", "period": period, **basis,
                   "percent": value, "hedge": "exact", "of": {"origin": context.subject},
                   "review": "a bare percentage of a place within the release's subject, read as its share of the subject: check"}
    explain(share, "percent", "a bare percentage after a place within the release's subject ('con il', a bracket)",
            context.text[p_start:p_end])
    explain(share, "of", "the release's subject, which holds the place", context.subject)
    share["_start"], share["evidence"] = context.quote(place[0], p_end)
    share["_part"] = None
    return share


def _compared_share(context: _Context, share: dict, p_start: int, p_end: int, value: Decimal, begin: int) -> dict:
    """The share a share is compared with ("rispetto allo 0,5% del 2023"): the same part and whole, of the period
    named right after it, else of the same period the year before."""
    right_after = [p for s, _e, p in context.periods if p_end <= s <= p_end + 12]
    compared: dict = {key: value_ for key, value_ in share.items() if key in (*CELL_KEYS, "of")}
    compared.update({"kind": "share", "percent": value, "hedge": "exact"})
    if right_after:
        compared["period"] = right_after[0].value.notation
        finish = next(e for s, e, _p in context.periods if p_end <= s <= p_end + 12)
    else:
        compared["period"] = parse_period(share["period"]).same_period_previous_year().notation
        compared["period_basis"] = "implied"
        compared["period_note"] = "The value a share is compared with: the same period of the year before."
        finish = p_end
    explain(compared, "percent", "a percentage a share is compared with ('rispetto allo')", context.text[p_start:p_end])
    compared["_start"], compared["evidence"] = context.quote(begin, finish)
    compared["_part"] = None
    return compared


def _share_of_the_level_before(context: _Context, figures: list[dict], p_start: int, p_end: int, value: Decimal,
                               begin: int) -> dict | None:
    """"le esportazioni sono state pari a 105,7 miliardi e la Sicilia ne rappresenta il 2,2%": the share of the place
    its clause names in the cell of the level before it."""
    whole = [f for f in figures if f["_amount_start"] < p_start]
    if not whole:
        return None
    clause = _clause_start(context.text, context.start, p_start)
    clause = max([clause, *[context.start + m.end() for m in re.finditer(r"\s(?:e|mentre)\s", context.text[context.start:p_start])]])
    cell = _cell_fields(whole[-1])
    origin = context.origin_in(clause, p_start, nearest=True)
    market = context.destination_in(clause, p_start)
    if market is not None and market[1] != cell.get("destination"):
        of, cell["destination"] = {"destination": cell.get("destination")}, market[1]
    elif origin is not None and origin[1] != cell.get("origin"):
        of, cell["origin"] = {"origin": cell.get("origin")}, origin[1]
    else:
        return None
    share = {"kind": "share", **cell, "percent": value, "hedge": "exact", "of": of}
    hedge = hedge_before(context.found, p_start, window=min(20, p_start - begin))
    if hedge is not None:
        share["hedge"], share["hedge_words"] = hedge.value, hedge.text
    explain(share, "percent", "'ne rappresenta il': a share of the level before it", context.text[begin:p_end])
    share["_start"], share["evidence"] = context.quote((origin or market or (begin,))[0], p_end)
    share["_part"] = None
    return share


# --------------------------------------------------------------------------- ranks


def _ranks(context: _Context, figures: list[dict]) -> list[dict]:
    """The ranks of a sentence: an ordinal before a noun of ranking, on the cell of the place it ranks."""
    ranks = []
    for match in RANK.finditer(context.sentence):
        words = match.group("ordinal")
        position = ordinal(words)
        if position is None:
            continue
        r_start, r_end = context.start + match.start(), context.start + match.end()
        noun = (match.group("noun") or "").lower()  # none: "quinta in Italia", a place ranked among its peers
        tail = match.group("tail") or ""
        among, among_kind = RANK_NOUNS[noun] if noun else ("origins", None)
        if noun == "paese" and COUNTRY_RANK.search(context.sentence, match.start("noun")):
            among, among_kind = "origins", "country"
        clause = _clause_start(context.text, context.start, r_start)
        # the place ranked: the nearest named before the ordinal in the sentence (the one "questi ultimi" points
        # back to), else the first named after it in its clause
        before = [n for n in context.named if n[0] < r_start and not NOT_AFTER.search(context.text[max(context.start, n[0] - 12):n[0]])]
        clause_end = _clause_end(context.text, r_end, context.end)
        after_end = min([clause_end, *[context.start + m.start() for m in NOT_AFTER.finditer(context.sentence, match.end())]])
        after = context.places_in(context.start + (match.end("noun") if noun else match.end("ordinal")), after_end)  # its scope: "extra Ue", "tra i Paesi del Golfo"
        sector = None
        if among is None:  # "al 16° posto": what its subject is
            scope = re.search(r"\b(?:tra|fra)\s+(?:i|le|gli)\s+(?P<what>regioni|province|paesi|mercati|comuni|città|settori|comparti)", tail, re.I)
            what = scope.group("what").lower() if scope else None
            among = {"mercati": "destinations", "settori": "sectors", "comparti": "sectors"}.get(what or "")
            among_kind = {"regioni": "region", "province": "province", "comuni": "municipality", "città": "city"}.get(what or "")
            if among is None:
                subject_near = [n for n in before if n[0] >= clause]
                among = "destinations" if subject_near and context.partner(subject_near[-1][1]) else "origins"
        if among == "sectors":
            sector = _sector_in(context, clause, r_start)
            if sector is None:
                continue
        if among == "destinations":
            subjects = [n for n in before if context.partner(n[1])]
            subject = subjects[-1] if subjects else next((n for n in after if context.partner(n[1]) and context.kind(n[1]) == "country"), None)
            if subject is None:
                continue
            destination = subject[1]
            origin = context.origin_in(clause, r_start, nearest=True) or next(
                ((o, p, w) for o, p, w in after if not context.partner(p)), None)
            origin_id = origin[1] if origin else context.subject
            if origin_id and re.search(r"\b(?:della|dalla)\s+regione\b", tail, re.I):
                origin_id = context.region_of(origin_id) or origin_id
            within = next((p for _o, p, w in after if context.kind(p) in ("group", "continent") and p != destination), None)
            among_kind = among_kind or ("country" if context.kind(destination) == "country" else None)
        else:
            subjects = [n for n in before if not context.partner(n[1])]
            subject = subjects[-1] if subjects and subjects[-1][0] >= clause - 80 else None
            anaphor = ANAPHOR.search(context.text, clause, r_start)
            if anaphor is not None:  # "la provincia": the last place of that kind named, else the release's subject
                kind = {"provincia": "province", "regione": "region"}[anaphor.group("kind").lower()]
                named = [(o, p, w) for o, p, w in context.named if o < r_start and context.kind(p) == kind]
                if named:
                    subject = named[-1]
                elif context.subject and context.kind(context.subject) == kind:
                    subject = (anaphor.start(), context.subject, anaphor.group(0))
            if among == "origins":
                if subject is not None and among_kind in ("province", "region") and context.kind(subject[1]) != among_kind:
                    # "la seconda provincia è Matera": the place of the noun's kind named after it, not the region before
                    subject = next((n for n in after if context.kind(n[1]) == among_kind), subject)
                subject = subject or next((n for n in after if not context.partner(n[1])), None)
                if subject is None:
                    continue
                origin_id = subject[1]
            else:
                origin_id = subject[1] if subject else context.subject
            destination = "world"
            market = context.destination_in(clause, r_start)
            if market is not None and among == "sectors":
                destination = market[1]
            within = None
            if among == "origins":
                among_kind = among_kind or context.kind(str(origin_id))
                within_words = re.search(r"d['’]Italia|del Paese|in Italia|italian[oaie]|nazional[ei]", tail + context.text[r_end:r_end + 30])
                within = "italy" if within_words or among_kind in ("region", "province") else None
                peers = (match.group("peers") or "").lower() or ("della regione" if re.search(r"\bdella\s+regione\b", tail, re.I) else "")
                if re.search(r"regione|provincia", peers):  # "la prima della regione": among the region's places
                    container = context.region_of(origin_id) if "regione" in peers else next(
                        (p.id for p in context.places.gazetteer.ancestors(str(origin_id)) if p.kind == "province"), None) \
                        if origin_id in context.places.gazetteer else None
                    within = container if container != origin_id else None
                elif peers:
                    within = "italy"
        if not origin_id:
            continue
        period, basis = context.period(clause, clause_end)
        if not period:
            continue
        rank: dict = {"kind": "rank", "flow": "export", "origin": origin_id, "destination": destination, "period": period, **basis}
        if sector:
            rank["sector"] = sector
        rank.update({"position": position, "among": among})
        if among_kind in ("country", "region", "province", "municipality", "city"):
            rank["among_kind"] = among_kind
        if within:
            rank["within"] = within
        rank["by"] = "change" if BY_CHANGE.search(tail) else "level"
        explain(rank, "position", "an ordinal before a noun of ranking (text2num, else the project's table)", match.group(0))
        explain(rank, "among", "what the noun ranks" if noun else "'in Italia': the place among its peers", match.group(0))
        if subject is not None:
            explain(rank, "destination" if among == "destinations" else "origin",
                    "the place named nearest before the ordinal, else the first after it", subject[2])
        rank["hedge"] = "exact"
        begin = subject[0] if among != "sectors" and subject and subject[0] < r_start else r_start
        if among == "sectors":
            begin = min(begin, _sector_start(context, clause, r_start))
        rank["_start"], rank["evidence"] = context.quote(begin, r_end)
        rank["_part"] = None
        ranks.append(rank)
        if among == "destinations":
            both = _both(context, rank, r_end)
            if both:
                ranks[-1:] = both
                continue
            ranks += _followed_by(context, rank, r_end)
    return ranks


PLACE_RANK = re.compile(r"(?:^|[,;:]\s+|\be\s+|\bsegu(?:e|ono)\s+)" + ORDINAL + r"\s+(?=[A-ZÀ-Ý])", re.I)
"""An ordinal right before a place's name: "Seconda Salerno con 3,1 miliardi, terza Caserta con 1,4 miliardi"."""


def _ranks_of_places(context: _Context) -> list[dict]:
    """The ranks an ordinal states right before a province's or region's name: among the places of its kind, within
    the region (a province's) or Italy (a region's), by level."""
    ranks = []
    for match in PLACE_RANK.finditer(context.sentence):
        position = ordinal(match.group("ordinal"))
        o_start = context.start + match.start("ordinal")
        place = next((n for n in context.named if n[0] == context.start + match.end()), None)
        if position is None or place is None or context.kind(place[1]) not in ("province", "region"):
            continue
        kind = context.kind(place[1])
        within = context.region_of(place[1]) if kind == "province" else "italy"
        clause = _clause_start(context.text, context.start, o_start)
        period, basis = context.period(clause, _clause_end(context.text, o_start, context.end))
        if not period or not within:
            continue
        rank: dict = {"kind": "rank", "flow": "export", "origin": place[1], "destination": "world", "period": period, **basis,
                      "position": position, "among": "origins", "among_kind": kind, "within": within, "by": "level",
                      "hedge": "exact"}
        explain(rank, "position", "an ordinal right before a place's name", match.group(0).strip())
        rank["review"] = "the places ranked are read as the region's (a province's) or Italy's (a region's): check"
        rank["_start"], rank["evidence"] = context.quote(o_start, place[0] + len(place[2]))
        rank["_part"] = None
        ranks.append(rank)
    return ranks


BOTH = re.compile(r"\s+per\s+entramb[ie]\s+(?:le\s+|i\s+)?(?P<kind>province|regioni|comuni)\b", re.I)
""""il primo mercato per entrambe le province": one rank for each of the two places named last."""


def _both(context: _Context, rank: dict, r_end: int) -> list[dict]:
    """A market's rank "per entrambe le province": the same rank for each of the last two places of that kind the
    text names up to the rank, in the order named; [] when the words are not there or two such places are not."""
    found = BOTH.match(context.text, r_end)
    if found is None:
        return []
    kind = {"province": "province", "regioni": "region", "comuni": "municipality"}[found.group("kind").lower()]
    named: list[str] = []
    for _offset, place, _words in context.places.find(context.text[:r_end]):
        if context.kind(place) == kind:
            if place in named:
                named.remove(place)
            named.append(place)
    if len(named) < 2:
        return []
    pair = named[-2:]
    order = [p for _o, p, _w in context.places.find(context.text[:r_end]) if p in pair]
    pair = sorted(pair, key=order.index)  # in the order the text first names them
    both = []
    for place in pair:
        each = {k: v for k, v in rank.items() if k not in ("evidence", "_start", "_explain")}
        each["_explain"] = dict(rank.get("_explain", {}))
        each["origin"] = place
        explain(each, "origin", "«per entrambe»: each of the last two places of that kind named", found.group(0).strip())
        each["_start"], each["evidence"] = context.quote(rank["_start"], found.end())
        both.append(each)
    return both


FOLLOWED = re.compile(r"\s*,?\s*seguit[oaie]\s+(?:a\s+distanza\s+)?(?:da|dal|dallo|dalla|dall['’]|dai|dagli|dalle)\b", re.I)
""""…il primo mercato, seguita da Stati Uniti e Francia": the markets named next rank next, in the order named."""


def _followed_by(context: _Context, rank: dict, r_end: int) -> list[dict]:
    """The markets named after "seguita da" right after a market's rank: the next positions, in the order named,
    up to the end of the clause (a market named twice, or a place that is no market, ends the list)."""
    found = FOLLOWED.match(context.text, r_end)
    if found is None:
        return []
    end = _clause_end(context.text, found.end(), context.end)
    stop = re.search(r"[;:(]|\bmentre\b|\bche\b", context.text[found.end():end])
    if stop:
        end = found.end() + stop.start()
    following: list[dict] = []
    for offset, place, words in context.places_in(found.end(), end):
        if not context.partner(place) or place == rank["destination"] or any(f["destination"] == place for f in following):
            break
        nxt = {k: v for k, v in rank.items() if not k.startswith("_") and k != "evidence"}
        nxt["_explain"] = dict(rank.get("_explain", {}))
        nxt["destination"] = place
        nxt["position"] = rank["position"] + 1 + len(following)
        if context.kind(place) != "country":
            nxt.pop("among_kind", None)
        explain(nxt, "position", "named after «seguita da», in the order named, after the market ranked before", found.group(0).strip())
        nxt["_start"], nxt["evidence"] = context.quote(rank["_start"], offset + len(words))
        nxt["_part"] = None
        following.append(nxt)
    return following


def _sector_hits(context: _Context, start: int, end: int) -> list[tuple[int, str]]:
    """(offset, sector code) of every sector mention in [start, end) that the gazetteer's word table names: of a word
    of several sectors ("agroalimentare"), the one it is the id of, if any, else the first code ("moda": CB)."""
    hits = []
    for mention in context.found:
        if mention.kind == "sector" and start <= mention.start and mention.end <= end and mention.codes:
            own = [code for code in mention.codes if code == mention.text.lower()]
            hits.append((mention.start, own[0] if own else mention.codes[0]))
    return hits


def _sector_in(context: _Context, start: int, end: int) -> str | None:
    hits = _sector_hits(context, start, end)
    return hits[-1][1] if hits else None


def _sector_start(context: _Context, start: int, end: int) -> int:
    hits = _sector_hits(context, start, end)
    return hits[-1][0] if hits else end


# --------------------------------------------------------------------------- ratios


def _ratios(context: _Context, percents: list, figures: list[dict]) -> list[dict]:
    """The ratios of a sentence: amounts per resident or employee (taken out of ``figures`` where they were drafted
    as levels), the averages set against them, percentages of value added, GDP or an average, multiples of an average."""
    text, start, end = context.text, context.start, context.end
    ratios: list[dict] = []
    head_first = HEAD_FIRST.search(context.sentence)
    amounts = [relative(m, start) for m in context.found if m.kind == "amount" and m.detail == ""]
    # a bare figure set against an average, its unit the ratio's it follows: "contro i 10.375 della media italiana"
    for bare in re.finditer(rf"(?<![\w,.]){FIGURE}(?=\s*(?:della|la|alla)\s+media\b)", context.sentence):
        if not any(a.start <= bare.start() < a.end for a in amounts):
            amounts.append(Found(bare.start(), bare.end(), bare.group(0), read_figure(bare.group(0)), "amount"))
    for amount in sorted(amounts, key=lambda a: a.start):
        a_start, a_end = start + amount.start, start + amount.end
        euro = re.match(r"\s*(?:di\s+)?euro\b", text[a_end:end], re.I)
        money_end = a_end + (euro.end() if euro else 0)
        per = PER_HEAD.match(text, money_end, end)
        average = AVERAGE.match(text, money_end, end)
        named_average = AVERAGE_NAMED.search(text[max(start, a_start - 40):a_start])
        clause = _clause_start(text, start, a_start)
        leading = head_first is not None and start + head_first.start() >= clause - 1 and start + head_first.end() <= a_start
        level = next((f for f in figures if f["_amount_start"] == a_start), None)
        if per or leading:
            found = per if per else head_first
            assert found is not None
            denominator = "employee" if found.group("employee") else "resident"
            ratio = _ratio(context, level, a_start, amount.value, "EUR", denominator, clause)
            if ratio is None:
                continue
            words_at = found.span() if per else (start + found.start(), start + found.end())
            ratio["denominator_words"] = text[slice(*words_at)].strip()
            explain(ratio, "value", "an amount per resident or employee", text[a_start:money_end])
            begin, finish = min(a_start, words_at[0]), max(money_end, words_at[1])
        elif (average or named_average) and any(r["kind"] == "ratio" and r["unit"] == "EUR" for r in ratios):
            which = (average or named_average).group("which").lower()  # type: ignore[union-attr]
            per_head = next(r for r in ratios if r["unit"] == "EUR")
            place = "italy" if which in ("nazionale", "italiana", "del paese") else None
            if place is None:
                continue
            ratio = {"kind": "ratio", **{k: per_head[k] for k in per_head if k in (*CELL_KEYS, "period_basis", "period_note")},
                     "origin": place, "destination": "world", "value": amount.value, "unit": "EUR",
                     "denominator": per_head["denominator"]}
            begin, finish = a_start, average.end() if average else money_end
            explain(ratio, "origin", "the average set against the ratio before it", (average or named_average).group(0).strip())  # type: ignore[union-attr]
        else:
            continue
        if level is not None:
            figures.remove(level)
        ratio["hedge"] = "exact"
        hedge = hedge_before(context.found, a_start, window=min(20, a_start - clause))
        if hedge is not None:
            ratio["hedge"], ratio["hedge_words"] = hedge.value, hedge.text
            begin = min(begin, hedge.start)
        ratio["_start"], ratio["evidence"] = context.quote(begin, finish)
        ratios.append(ratio)
    # a percentage of value added, GDP or an average; a multiple of an average
    numbers = [(start + p.start, start + p.end, abs(p.value), "percent") for p in percents]
    numbers += [(m.start, m.end, m.value, "factor") for m in context.found if m.kind == "multiple"]
    for n_start, n_end, value, unit in sorted(numbers):
        of_value = RATIO_OF.match(text, n_end, end) if unit == "percent" else None
        average = AVERAGE.match(text, n_end, end)
        if of_value:
            denominator = "value-added" if of_value.group("what").lower() == "valore aggiunto" else "gdp"
            words = of_value
        elif average and average.group("which").lower() in ("nazionale", "italiana", "del paese"):
            denominator, words = "national-average", average
        else:
            continue
        clause = _clause_start(text, start, n_start)
        beside: dict | None = next((r for r in ratios if r["unit"] == "EUR" and r["origin"] != "italy"), None)
        ratio = _ratio(context, None, n_start, value, unit, denominator, clause, beside)
        if ratio is None:
            continue
        ratio["denominator_words"] = words.group(0).strip()
        explain(ratio, "denominator", "a percentage or multiple before what it is of", words.group(0).strip())
        begin = n_start
        ratio["hedge"] = "exact"
        hedge = hedge_before(context.found, n_start, window=min(20, n_start - clause))
        if hedge is not None:
            ratio["hedge"], ratio["hedge_words"] = hedge.value, hedge.text
            begin = min(begin, hedge.start)
        ratio["_start"], ratio["evidence"] = context.quote(begin, n_end + words.end() - n_end)
        ratios.append(ratio)
    for ratio in ratios:
        ratio["_part"] = None
    return ratios


def _ratio(context: _Context, level: dict | None, at: int, value: Decimal, unit: str, denominator: str, clause: int,
           beside: dict | None = None) -> dict | None:
    """A ratio's cell: the level it was drafted as (its origin and period; the world, unless its clause names a
    market), else the ratio ``beside`` it in the sentence, else the place its sentence names before it (the
    market too, for a percentage of value added), else the release's subject."""
    if level is not None:
        cell = {k: level[k] for k in ("flow", "origin", "period", "period_basis", "period_note") if k in level}
        market = context.destination_in(clause, at)
        cell["destination"] = market[1] if market else "world"
    elif beside is not None:
        cell = {k: beside[k] for k in (*CELL_KEYS, "period_basis", "period_note") if k in beside}
    else:
        origin = context.origin_in(context.start, at, nearest=True)
        origin_id = origin[1] if origin else context.subject
        market = context.destination_in(context.start, at) if denominator in ("value-added", "gdp") else context.destination_in(clause, at)
        period, basis = context.period(context.start, context.end)
        if not origin_id or not period:
            return None
        cell = {"flow": "export", "origin": origin_id, "destination": market[1] if market else "world", "period": period, **basis}
    if cell.get("origin") in (None, "TODO") or not cell.get("period"):
        return None
    return {"kind": "ratio", **cell, "value": value, "unit": unit, "denominator": denominator}


# --------------------------------------------------------------------------- projections


def _projections(context: _Context, figures: list[dict], earlier: list[dict]) -> list[dict]:
    """The levels of a sentence that looks ahead, turned into projections (taken out of ``figures``): the hedge of
    the words before the amount ("possa superare", "oltre"), the whole year for "a fine anno", the origin of the
    release's last figure of the same flow and market when the sentence names none."""
    text = context.text
    cue = PROJECTION_CUES.search(context.sentence)
    year_end = YEAR_END.search(context.sentence)
    if cue is None:
        return []
    projections = []
    for level in list(figures):
        a_start = level["_amount_start"]
        if context.start + cue.start() > a_start and (
                year_end is None or not 0 <= context.start + year_end.start() - a_start <= 40):
            continue  # the words that look ahead come after the amount, which no year's end follows close
        clause = _clause_start(text, context.start, a_start)
        projection = {k: v for k, v in level.items() if not k.startswith("_") and k not in ("evidence", "review", "stated_as")}
        projection["kind"] = "projection"
        explain(projection, "kind", "an amount in a sentence that looks ahead", cue.group(0))
        begin = a_start
        if projection.get("hedge", "exact") == "exact":
            for pattern, hedge in PROJECTION_HEDGES:
                found = list(pattern.finditer(text, clause, a_start))
                if found:
                    projection["hedge"], projection["hedge_words"] = hedge, found[-1].group(0)
                    break
        if projection.get("hedge_words"):
            words_at = text.rfind(projection["hedge_words"], clause, a_start)
            if words_at >= 0:
                begin = words_at
        amount = next(m for m in context.found if m.kind == "amount" and m.start == a_start)
        finish = amount.end
        currency = re.match(r"\s*(?:di\s+)?(?:euro|dollari)\b", text[finish:context.end], re.I)
        if currency:
            finish += currency.end()
        if year_end is not None and 0 <= context.start + year_end.start() - finish <= 12:
            finish = context.start + year_end.end()
        if year_end is not None and projection.get("period"):
            year = str(parse_period(projection["period"]).start.year)
            if projection["period"] != year:
                projection["period"] = year
                projection["period_basis"] = "implied"
                projection["period_note"] = "«a fine anno»: the whole of the year of the figures before it."
                explain(projection, "period", "the whole year of the figures before it", year_end.group(0))
        origin_named = context.origin_in(clause, a_start)
        if origin_named is None:
            same = [f for f in earlier if f.get("kind") == "level" and f.get("flow") == projection["flow"]
                    and f.get("destination") == projection["destination"] and f.get("origin") not in (None, "TODO")]
            if same:
                projection["origin"] = same[-1]["origin"]
        elif re.fullmatch(r"regional[ei]", origin_named[2], re.I):
            projection["origin"] = origin_named[1]
        projection["review"] = "a projection, not an observed value: check its period and who states it"
        projection["_start"], projection["evidence"] = context.quote(begin, finish)
        projection["_part"] = None
        figures.remove(level)
        projections.append(projection)
    return projections
