"""``kg synth``: a synthetic corpus of releases of the family, for benchmarks and fuzzing.

Each release is an Italian text written from templates and its annotation, whose every evidence
quote is a piece of that text, so the corpus builds and validates like curated data. Its figures
use every measure of the fact model: a regional or provincial ``level`` of exports with any hedge,
its ``change`` against the same period of the year before (in per cent, as a signed amount, or in
points of a share), a ``share`` of a whole cell (the world for a partner, the region for a
province, all goods for a sector, Italy for a region), a ``rank`` (a partner among destinations,
a province within its region), a ``ratio`` per resident, a ``projection`` for the whole year and
the ``data-source`` (Istat, elaborated by a fictional study centre), beside posts, quotations,
meetings, acquisitions and sector assessments.

Every figure is read off one set of "true" values (:class:`Truth`): a region's yearly exports,
split into months, provinces, partners and sectors by shares drawn per year. A level is that
value rounded to the precision it is written with (up for an upper bound, down for a lower one),
a share or change is computed from the true values and rounded the same way, so the cross-release
checks on cells find nothing: a province stays under its region, a partner under the world, a
sector under all goods, a quarter under its year, and shares and changes agree with the levels.

Two kinds of restatement are planted, each on a month of a large region that no other release
states: from release 20 on, every :data:`PLANTED_EVERY` releases, a provisional monthly figure
that the next release revises (``status: provisional`` and ``final``, values 2 % apart: one
``kgs:FigureRestated`` warning per pair); from release 22 on, a monthly figure written to the
hundred thousand ("13.412,6 milioni") that the next release rounds ("13,4 miliardi"), which
agrees and warns of nothing. :func:`planted_restatements` counts the warnings a corpus has (none
under 21 releases: a small corpus has no warning).

Everything is drawn from ``random.Random`` seeded with the seed: the same N and seed give the
same bytes. The actors are fictional and say so in the registry; places and sectors come from
the gazetteer (the registry's folder's ``places.yaml`` and ``sectors.yaml`` are copied with it).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from pathlib import Path

from kg.model.periods import MONTHS_IT as MONTHS
from kg.model.periods import WEEKDAYS_IT as WEEKDAYS
from kg.model.periods import Period, parse_period

FIRST_NAMES = ["Marco", "Giulia", "Luca", "Sara", "Paolo", "Elena", "Andrea", "Chiara", "Matteo", "Laura",
               "Davide", "Marta", "Stefano", "Silvia", "Franco", "Irene"]
SURNAMES = ["Ferri", "Galli", "Conti", "Marini", "Costa", "Fontana", "Rinaldi", "Caruso", "Greco", "Lombardi",
            "Moretti", "Barbieri", "Testa", "Serra", "Villa", "Pellegrini"]
ORG_WORDS = ["Unione Imprese", "Associazione Industriali", "Consorzio Export", "Camera Artigiana", "Rete Imprese"]
ORG_PLACES = ["del Conero", "del Piceno", "della Valle", "dell’Adriatico", "del Metauro", "dei Sibillini", "del Chienti",
              "dell’Esino"]
QUOTES = ["I risultati confermano la forza delle nostre filiere", "Dobbiamo investire in formazione e logistica",
          "Le imprese del territorio hanno saputo innovare", "Serve una strategia comune per i mercati esteri",
          "La qualità dei prodotti resta il nostro vantaggio", "Il dialogo con le istituzioni è fondamentale"]


@dataclass(frozen=True)
class Region:
    """A region the releases are about: its names in a sentence, its capital, the order of its yearly exports
    (billions of euro) and of its residents (millions): fictional magnitudes of a plausible size."""

    id: str
    name: str  # "la Lombardia"
    of: str  # "della Lombardia"
    billions: int
    millions: Decimal


REGIONS = (
    Region("lombardia", "la Lombardia", "della Lombardia", 150, Decimal("10.0")),
    Region("piemonte", "il Piemonte", "del Piemonte", 55, Decimal("4.2")),
    Region("lazio", "il Lazio", "del Lazio", 30, Decimal("5.7")),
    Region("campania", "la Campania", "della Campania", 13, Decimal("5.6")),
    Region("liguria", "la Liguria", "della Liguria", 10, Decimal("1.5")),
    Region("sicilia", "la Sicilia", "della Sicilia", 10, Decimal("4.8")),
    Region("abruzzo", "l’Abruzzo", "dell’Abruzzo", 9, Decimal("1.3")),
    Region("sardegna", "la Sardegna", "della Sardegna", 6, Decimal("1.6")),
    Region("umbria", "l’Umbria", "dell’Umbria", 5, Decimal("0.86")),
    Region("basilicata", "la Basilicata", "della Basilicata", 3, Decimal("0.54")),
    Region("molise", "il Molise", "del Molise", 2, Decimal("0.29")),
    Region("calabria", "la Calabria", "della Calabria", 1, Decimal("1.85")),
)
# (id, with its article, bare): the partners a release names
DESTINATIONS = (("germany", "la Germania", "Germania"), ("france", "la Francia", "Francia"),
                ("united-states", "gli Stati Uniti", "Stati Uniti"), ("spain", "la Spagna", "Spagna"),
                ("switzerland", "la Svizzera", "Svizzera"), ("united-kingdom", "il Regno Unito", "Regno Unito"),
                ("china", "la Cina", "Cina"), ("poland", "la Polonia", "Polonia"), ("belgium", "il Belgio", "Belgio"),
                ("austria", "l’Austria", "Austria"))
# (id, with its article, bare): sectors of the releases' own scheme, none broader than another
SECTORS = (("fashion", "la moda", "moda"), ("furniture", "l’arredo", "arredo"), ("mechanics", "la meccanica", "meccanica"),
           ("electronics", "l’elettronica", "elettronica"), ("pharmaceuticals", "la farmaceutica", "farmaceutica"),
           ("components", "la componentistica", "componentistica"))
ORDINALS = ("primo", "secondo", "terzo", "quarto", "quinto", "sesto", "settimo", "ottavo", "nono", "decimo",
            "undicesimo", "dodicesimo")
# the parts of a whole the shares are drawn for: partners and sectors leave the rest of the world and of the goods
DESTINATIONS_SHARE, SECTORS_SHARE, PROVINCES_SHARE = Decimal("0.6"), Decimal("0.7"), Decimal("0.98")
ITALY_SHARE = Decimal("0.7")  # the regions above make this much of Italy's exports
FIRST_YEAR = 2015
PLANTED_FIRST, PLANTED_EVERY = 20, 200
"""Restatements are planted in releases 20 and 21, 22 and 23, then the same every PLANTED_EVERY releases."""
PLANTED_REGIONS = ("lombardia", "piemonte", "lazio")  # a month of theirs is over a billion

HALF = Decimal("0.5")
MILLION, BILLION = Decimal(10**6), Decimal(10**9)


@dataclass
class Actor:
    id: str
    name: str


def planted_restatements(count: int) -> int:
    """How many ``kgs:FigureRestated`` warnings a corpus of ``count`` releases has: one per revised pair."""
    return len(range(PLANTED_FIRST, count, PLANTED_EVERY))


# --------------------------------------------------------------------------- the true values


class Truth:
    """One consistent set of true values per seed: every figure of the corpus is read off it.

    A region's exports in a year grow from a base by a yearly rate; the year is split into quarters and
    months, and the region's exports into provinces, partners and sectors, by weights drawn per year
    that sum to at most the whole. A value is the region's over its period times the province's, partner's
    and sector's shares, so a part is never above its whole."""

    def __init__(self, seed: int, provinces: dict[str, tuple[str, ...]], names: dict[str, str]):
        self.seed = seed
        self.provinces = provinces  # region -> its provinces, sorted
        self.names = names  # province -> its name ("Bergamo")
        self.region_of = {p: r for r, ps in provinces.items() for p in ps} | {r.id: r.id for r in REGIONS}
        self.regions = {r.id: r for r in REGIONS}
        self._memo: dict[tuple, object] = {}

    def _rng(self, *key) -> random.Random:
        return random.Random("/".join(str(part) for part in (self.seed, *key)))

    def _draw(self, low: float, high: float, *key) -> Decimal:
        return Decimal(str(round(self._rng(*key).uniform(low, high), 6)))

    def year(self, region: str, year: int) -> Decimal:
        """The region's exports to the world in ``year``."""
        key = ("year", region, year)
        if key not in self._memo:
            if year <= FIRST_YEAR:
                value = self.regions[region].billions * BILLION * self._draw(0.8, 1.2, "base", region)
            else:
                value = self.year(region, year - 1) * (1 + self._draw(-0.08, 0.12, "growth", region, year))
            self._memo[key] = value
        return self._memo[key]  # type: ignore[return-value]

    def _weights(self, names: tuple[str, ...], total: Decimal, *key, spread: float = 0.7) -> dict[str, Decimal]:
        """Weights of ``names`` summing to ``total``: a fixed base per name (1 give or take ``spread``), varied by
        year (the last key) by up to 15 %."""
        memo = ("weights", names, total, *key)
        if memo not in self._memo:
            raw = [self._draw(1 - spread, 1 + spread, "base", *key[:-1], name) * self._draw(0.85, 1.15, *key, name)
                   for name in names]
            whole = sum(raw)
            self._memo[memo] = {name: total * w / whole for name, w in zip(names, raw, strict=True)}
        return self._memo[memo]  # type: ignore[return-value]

    def month(self, region: str, year: int, month: int) -> Decimal:
        quarters = self._weights(("1", "2", "3", "4"), Decimal(1), "quarters", region, year, spread=0.1)
        q = (month - 1) // 3 + 1
        months = self._weights(("1", "2", "3"), Decimal(1), "months", region, q, year, spread=0.1)
        return self.year(region, year) * quarters[str(q)] * months[str((month - 1) % 3 + 1)]

    def provinces_share(self, region: str, year: int) -> dict[str, Decimal]:
        return self._weights(self.provinces[region], PROVINCES_SHARE, "provinces", region, year)

    def destinations_share(self, region: str, year: int) -> dict[str, Decimal]:
        return self._weights(tuple(d for d, _, _ in DESTINATIONS), DESTINATIONS_SHARE, "destinations", region, year)

    def sectors_share(self, region: str, year: int) -> dict[str, Decimal]:
        return self._weights(tuple(s for s, _, _ in SECTORS), SECTORS_SHARE, "sectors", region, year)

    def value(self, origin: str, destination: str, period: Period, sector: str | None = None) -> Decimal:
        """The true exports of a cell (a period within one year)."""
        if origin == "italy":
            return sum((self.value(r.id, destination, period, sector) for r in REGIONS), Decimal(0)) / ITALY_SHARE
        region, year = self.region_of[origin], period.start.year
        months = range(period.start.month, period.start.month + period.months)
        value = sum((self.month(region, year, m) for m in months), Decimal(0))
        if origin != region:
            value *= self.provinces_share(region, year)[origin]
        if destination != "world":
            value *= self.destinations_share(region, year)[destination]
        if sector is not None:
            value *= self.sectors_share(region, year)[sector]
        return value

    def projected(self, origin: str, year: int) -> Decimal:
        """What the releases forecast for a whole year: the true value off by a fixed few per cent."""
        return self.value(origin, "world", parse_period(str(year))) * self._draw(0.96, 1.06, "projection", origin, year)

    def residents(self, origin: str) -> Decimal:
        region = self.region_of[origin]
        people = self.regions[region].millions * MILLION
        if origin == region:
            return people
        return (people * self._weights(self.provinces[region], Decimal(1), "residents", region, 0)[origin]).quantize(1)

    def position(self, shares: dict[str, Decimal], name: str) -> int:
        """The place of ``name`` when ``shares`` are sorted from the largest."""
        return sorted(shares, key=lambda n: (-shares[n], n)).index(name) + 1


# --------------------------------------------------------------------------- Italian words of numbers


def _it(number: Decimal) -> str:
    """A number as Italian releases write it: '1.234,6', '12,0', '15.842'."""
    return f"{number:,}".translate(str.maketrans(",.", ".,"))


def _sound(words: str) -> str:
    """How a number's words start: 'vowel' (uno, otto, undici, ottanta...: 'dell’8,3%', 'l’11%'), 'z' (zero:
    'dello 0,7%') or 'other' ('del 4,2%')."""
    whole = words.lstrip("+-").split(",")[0].replace(".", "")
    return "vowel" if whole in ("1", "11") or whole.startswith("8") else "z" if whole == "0" else "other"


def _the(words: str) -> str:
    return {"vowel": f"l’{words}", "z": f"lo {words}"}.get(_sound(words), f"il {words}")


def _of_the(words: str) -> str:
    return {"vowel": f"dell’{words}", "z": f"dello {words}"}.get(_sound(words), f"del {words}")


def _plural_the(words: str) -> str:
    """The article of an amount: 'i' (12,3 miliardi), 'gli' (8,1 miliardi)."""
    return "i" if _sound(words) == "other" else "gli"


def _money(value: Decimal, rounding: str = ROUND_HALF_EVEN, style: str | None = None) -> tuple[Decimal, str]:
    """(the amount stated, its words) for ``value`` rounded ``rounding`` in ``style``: 'miliardi' ('1,2 miliardi'),
    'milioni' ('1.234,6 milioni', the default from a million) or 'mila' ('767 mila')."""
    style = style or ("milioni" if value >= MILLION else "mila")
    scale, step = {"miliardi": (BILLION, Decimal("0.1")), "milioni": (MILLION, Decimal("0.1")),
                   "mila": (Decimal(1000), Decimal(1))}[style]
    shown = max((value / scale).quantize(step, rounding=rounding), step)
    return (shown * scale).quantize(1), f"{_it(shown)} {style}"


def _percent(value: Decimal, step: str = "0.1") -> tuple[Decimal, str]:
    shown = value.quantize(Decimal(step), rounding=ROUND_HALF_EVEN)
    return shown, _it(abs(shown))


def _signed(value: Decimal) -> str:
    return ("+" if value > 0 else "-") + _it(abs(value))


# the hedges a level is written with: (hedge, the verb before the amount, its hedge words, how the value is rounded,
# the factor the true value is moved by so the words hold); the exact one twice as often
LEAD_HEDGES = (
    ("exact", "hanno raggiunto {n}", None, ROUND_HALF_EVEN, Decimal(1)),
    ("exact", "si sono attestate a {n}", None, ROUND_HALF_EVEN, Decimal(1)),
    ("about", "sono state pari a circa {n}", "circa", ROUND_HALF_EVEN, Decimal(1)),
    ("more-than", "hanno superato {i} {n}", "hanno superato", ROUND_FLOOR, Decimal("0.97")),
    ("less-than", "si sono fermate poco sotto {i} {n}", "poco sotto", ROUND_CEILING, Decimal("1.03")),
    ("almost", "hanno sfiorato {i} {n}", "sfiorato", ROUND_CEILING, Decimal("1.02")),
    ("at-least", "hanno raggiunto almeno {n}", "almeno", ROUND_FLOOR, Decimal(1)),
    ("at-most", "sono state al massimo di {n}", "al massimo", ROUND_CEILING, Decimal(1)),
)
PROJECTION_HEDGES = (
    ("exact", "arrivino a {n}", None, ROUND_HALF_EVEN),
    ("more-than", "superino {i} {n}", "superino", ROUND_FLOOR),
    ("almost", "sfiorino {i} {n}", "sfiorino", ROUND_CEILING),
)
# no 'about' (circa) projection: the builder marks an estimate with SDMX obsStatus E, and a projection already has F


# --------------------------------------------------------------------------- a release


@dataclass(frozen=True)
class Cell:
    origin: str
    destination: str
    period: Period
    sector: str | None = None


class _Release:
    """The sentences and facts of one release as they are written."""

    def __init__(self, release_id: str, truth: Truth):
        self.id = release_id
        self.truth = truth
        self.body: list[str] = []
        self.facts: list[dict] = []

    def figure(self, kind: str, name: str, cell: Cell, evidence: str, note: str | None = None, **fields) -> dict:
        """A figure fact on ``cell``; ``note`` says where its period comes from when the sentence does not state it."""
        fact: dict = {"id": f"{name}", "kind": kind, "flow": "export", "origin": cell.origin,
                      "destination": cell.destination, "period": cell.period.notation}
        if cell.sector is not None:
            fact["sector"] = cell.sector
        if note is not None:
            fact["period_basis"] = "carried"
            fact["period_note"] = note
        fact.update({key: value for key, value in fields.items() if value is not None})
        fact["evidence"] = evidence
        self.facts.append(fact)
        return fact

    def level(self, name: str, cell: Cell, evidence: str, amount: Decimal, note: str | None = None, **fields) -> dict:
        return self.figure("level", name, cell, evidence, note, amount=amount, unit="EUR", **fields)

    def change_percent(self, name: str, cell: Cell, evidence_of, note: str | None = None) -> tuple[str, Decimal] | None:
        """A change in per cent against the same period of the year before, its words from ``evidence_of(words)``."""
        before = self.truth.value(cell.origin, cell.destination, cell.period.same_period_previous_year(), cell.sector)
        shown, words = _percent(100 * (self.truth.value(cell.origin, cell.destination, cell.period, cell.sector) / before - 1))
        if not shown:
            return None
        evidence = evidence_of(shown, words)
        self.figure("change", name, cell, evidence, note, value=shown, unit="percent",
                    reference="same-period-previous-year", hedge="exact")
        return evidence, shown


def _key(period: Period) -> str:
    """A period as a part of an id: '2023-q1', '2023-01--2023-09'."""
    return period.notation.lower().replace("/", "--")


def _period(rng: random.Random, year: int) -> tuple[Period, str]:
    """A period of ``year`` and the words a sentence starts with ('Nel primo trimestre del 2023')."""
    choice = rng.choice(["year", "year", "quarter", "half", "nine"])
    if choice == "quarter":
        q = rng.randint(1, 4)
        return parse_period(f"{year}-Q{q}"), f"Nel {ORDINALS[q - 1]} trimestre del {year}"
    if choice == "half":
        h = rng.randint(1, 2)
        return parse_period(f"{year}-H{h}"), f"Nel {ORDINALS[h - 1]} semestre del {year}"
    if choice == "nine":
        return parse_period(f"{year}-01/{year}-09"), f"Nei primi nove mesi del {year}"
    return parse_period(str(year)), f"Nel {year}"


def _planted(number: int, count: int) -> tuple[str, int] | None:
    """('provisional' | 'final' | 'precise' | 'rounded', index of its cell) when release ``number`` has a planted
    restatement: releases 20 and 21, 22 and 23, then the same every PLANTED_EVERY releases."""
    pair, at = divmod(number - PLANTED_FIRST, PLANTED_EVERY)
    if number < PLANTED_FIRST or at > 3 or (at in (0, 2) and number + 1 > count):
        return None
    return ("provisional", "final", "precise", "rounded")[at], 2 * pair + at // 2


def _planted_cell(index: int) -> tuple[str, int, int]:
    """(region, year, month) of planted restatement ``index``: each its own."""
    step, month = divmod(index // len(PLANTED_REGIONS), 12)
    return PLANTED_REGIONS[index % len(PLANTED_REGIONS)], 2019 + step, month + 1


def _release(rng: random.Random, number: int, count: int, orgs: list[Actor], people: list[Actor],
             truth: Truth) -> tuple[str, str, dict]:
    release_id = f"{number:05d}_synth"
    planted = _planted(number, count)
    published = date(2020, 1, 1) + timedelta(days=rng.randint(0, 365 * 6))
    if planted:  # published after the month it states, the revision later
        _, year, month = _planted_cell(planted[1])
        month_end = date(year + month // 12, month % 12 + 1, 1)
        published = month_end + timedelta(days=45 if planted[0] in ("provisional", "precise") else 130)
    org, person = rng.choice(orgs), rng.choice(people)
    region = rng.choice(REGIONS)
    origin = region.id if rng.random() < 0.5 else rng.choice(truth.provinces[region.id])
    origin_of = region.of if origin == region.id else f"della provincia di {truth.names[origin]}"
    year = published.year - 1
    period, period_words = _period(rng, year)
    release = _Release(release_id, truth)
    r = release
    lead = Cell(origin, "world", period)
    carried = f"Carried from «{period_words}» at the start of the text."

    # the lead: a level with a hedge, its change against the same period of the year before
    hedge, verb, hedge_words, rounding, factor = rng.choice(LEAD_HEDGES)
    true = truth.value(origin, "world", period)
    # a hedged figure of a billion or more is written in billions, an exact one often to the hundred thousand
    style = "milioni" if true < BILLION or (hedge == "exact" and rng.random() < 0.6) else "miliardi"
    amount, amount_words = _money(true * factor, rounding, style)
    level_words = f"le esportazioni {origin_of} {verb.format(n=amount_words, i=_plural_the(amount_words))} di euro"
    r.level(f"{origin}-{_key(period)}", lead, level_words, amount, hedge=hedge, hedge_words=hedge_words)
    sentence = f"{period_words} {level_words}"
    if rng.random() < 0.45:
        said = r.change_percent(
            f"{origin}-{_key(period)}-change", lead,
            lambda v, w: f"{'in aumento' if v > 0 else 'in calo'} {_of_the(w)}% rispetto allo stesso periodo dell’anno precedente")
        if said:
            sentence += ", " + said[0]
    r.body.append(sentence)
    if rng.random() < 0.2:
        r.body.append(f"I dati, di fonte Istat, sono stati elaborati dal Centro studi {org.name}")
        r.facts.append({"id": "istat-data", "kind": "data-source", "provider": "istat", "elaborated_by": f"{org.id}-studi",
                        "evidence": f"di fonte Istat, sono stati elaborati dal Centro studi {org.name}"})

    # often one more paragraph, a construction of the family (a corpus's size per release stays that of the
    # benchmark's history)
    blocks = [_block_reference, _block_destination, _block_partner, _block_sector, _block_amount, _block_ratio,
              _block_projection, _block_assessment, _block_province if origin != region.id else _block_italy]
    if rng.random() < 0.35:
        rng.choice(blocks)(rng, r, lead, region, origin_of, carried, org)
    if planted:
        _block_planted(r, planted, truth)

    post_words = f"{person.name}, presidente di {org.name}"
    post_id = f"{person.id}-president-{release_id}"
    r.facts.append({"id": post_id, "kind": "post", "person": person.id, "organization": org.id, "role": "president",
                    "evidence": post_words})
    first_quote, second_quote = rng.sample(QUOTES, 2)
    quote = f"“{first_quote} – dichiara {post_words} –. {second_quote}”."
    r.facts.append({"id": f"quote-{release_id}", "kind": "quotation", "speaker": person.id, "posts": [post_id],
                    "evidence": [first_quote, second_quote]})
    if rng.random() < 0.35:
        weekday = rng.randint(0, 6)
        delta = (published.weekday() - weekday) % 7 or 7
        met = published - timedelta(days=delta)
        other = rng.choice([p for p in people if p.id != person.id])
        meeting = f"incontro tra {org.name} e {other.name}, che si è tenuto {WEEKDAYS[weekday]}"
        r.body.append(f"Le prospettive del mercato sono state al centro dell’{meeting}")
        r.facts.append({"id": f"meeting-{release_id}", "kind": "meeting", "attendees": [org.id, other.id],
                        "date": met.isoformat(), "date_basis": "derived", "date_weekday": WEEKDAYS[weekday],
                        "evidence": meeting})
    if rng.random() < 0.15:
        buyer, target = rng.sample(orgs, 2)
        deal = f"acquisizione di {target.name} da parte di {buyer.name}"
        r.body.append(f"Nel quadro rientra anche l’{deal}")
        r.facts.append({"id": f"deal-{release_id}", "kind": "acquisition", "acquirer": buyer.id, "acquired": target.id,
                        "status": "not-stated", "evidence": deal})
    dateline = f"Ancona, {published.day} {MONTHS[published.month - 1]} {published.year}"
    headline = f"Export {origin_of}: i dati del {year}"
    text = f"{headline}\n{dateline} – " + ". ".join(r.body) + ".\n" + quote + "\nUfficio Stampa Confindustria Ancona"
    _check_quotes(text, r.facts, release_id)
    annotation = {
        "release": {"id": release_id, "text": "release.txt", "published": published.isoformat(), "language": "it",
                    "publisher": "confindustria-ancona", "author": "confindustria-ancona-press-office",
                    "dateline": "ancona", "evidence": dateline, "author_evidence": "Ufficio Stampa Confindustria Ancona",
                    "source": f"kg synth (synthetic release {number})"},
        "facts": r.facts,
    }
    return release_id, text, annotation


def _check_quotes(text: str, facts: list[dict], release_id: str) -> None:
    """Every evidence quote occurs once in the text (the loader refuses a release otherwise): a template's bug."""
    from kg.model.evidence import find_all

    for fact in facts:
        quotes = fact["evidence"] if isinstance(fact["evidence"], list) else [fact["evidence"]]
        for quote in quotes:
            found = len(find_all(text, quote))
            if found != 1:
                raise AssertionError(f"{release_id}: «{quote}» occurs {found} times in its text")


# --------------------------------------------------------------------------- the paragraphs


def _block_reference(rng, r: _Release, lead: Cell, region: Region, origin_of: str, carried: str, org: Actor) -> None:
    """The level of the same period a year before: "erano 1.180,2 milioni nello stesso periodo del 2022"."""
    before = Cell(lead.origin, "world", lead.period.same_period_previous_year())
    amount, words = _money(r.truth.value(before.origin, "world", before.period))
    evidence = f"erano {words} nello stesso periodo del {before.period.start.year}"
    r.body.append(f"Un anno prima le vendite estere {origin_of} {evidence}")
    r.level(f"{lead.origin}-{_key(before.period)}", before, evidence, amount,
            f"The same period as the figure before («{words}»), a year earlier.", hedge="exact")


def _block_destination(rng, r: _Release, lead: Cell, region: Region, origin_of: str, carried: str, org: Actor) -> None:
    """A partner's rank, level and share of the world, and the change of that share in points."""
    destination, article, _ = rng.choice(DESTINATIONS)
    year = lead.period.start.year
    shares = r.truth.destinations_share(region.id, year)
    position = r.truth.position(shares, destination)
    cell = Cell(lead.origin, destination, lead.period)
    amount, words = _money(r.truth.value(lead.origin, destination, lead.period))
    share, share_words = _percent(100 * shares[destination])
    rank = f"Verso {article}, {ORDINALS[position - 1]} mercato di sbocco"
    sentence = f"{rank}, le vendite sono state pari a {words}, {_the(share_words)}% del totale"
    name = f"{lead.origin}-{destination}-{_key(lead.period)}"
    r.figure("rank", f"{name}-rank", cell, rank, carried, position=position, among="destinations",
             among_kind="country", by="level", hedge="exact")
    r.level(name, cell, f"le vendite sono state pari a {words}", amount, carried, hedge="exact")
    r.figure("share", f"{name}-share", cell, f"{words}, {_the(share_words)}% del totale", carried, percent=share,
             of={"destination": "world"}, hedge="exact")
    before = r.truth.destinations_share(region.id, year - 1)[destination]
    points, points_words = _percent(100 * (shares[destination] - before))
    if points and rng.random() < 0.5:
        evidence = f"quota {'salita' if points > 0 else 'scesa'} di {points_words} punti in un anno"
        sentence += f", una {evidence}"
        r.figure("change", f"{name}-share-change", cell, evidence, carried, value=points, unit="points",
                 reference="same-period-previous-year", of={"destination": "world"}, hedge="exact")
    r.body.append(sentence)


def _block_partner(rng, r: _Release, lead: Cell, region: Region, origin_of: str, carried: str, org: Actor) -> None:
    """A partner's level and change in per cent: "Tra i mercati di sbocco figura la Francia (640,2 milioni, +3,1%)"."""
    destination, article, _ = rng.choice(DESTINATIONS)
    cell = Cell(lead.origin, destination, lead.period)
    amount, words = _money(r.truth.value(lead.origin, destination, lead.period))
    name = f"{lead.origin}-{destination}-{_key(lead.period)}"
    said = r.change_percent(f"{name}-change", cell, lambda v, w: f"{article} ({words}, {_signed(v)}%)", carried)
    evidence = said[0] if said else f"{article} ({words})"
    r.level(name, cell, evidence, amount, carried, hedge="exact")
    r.body.append(f"Tra i mercati di sbocco figura {evidence}")


def _block_sector(rng, r: _Release, lead: Cell, region: Region, origin_of: str, carried: str, org: Actor) -> None:
    """A sector's level, its change in per cent and its share of all goods."""
    sector, article, _ = rng.choice(SECTORS)
    cell = Cell(lead.origin, "world", lead.period, sector)
    amount, words = _money(r.truth.value(lead.origin, "world", lead.period, sector))
    share, share_words = _percent(100 * r.truth.sectors_share(region.id, lead.period.start.year)[sector])
    name = f"{lead.origin}-{_key(lead.period)}-{sector}"
    level = f"{article} ha esportato {words}"
    said = r.change_percent(f"{name}-change", cell, lambda v, w: f"{words} ({_signed(v)}%)", carried)
    weight = f"pesa per {_the(share_words)}% sul totale"
    r.body.append(f"Tra i comparti, {level}{' (' + _signed(said[1]) + '%)' if said else ''} e {weight}")
    r.level(name, cell, level, amount, carried, hedge="exact")
    r.figure("share", f"{name}-share", cell, weight, carried, percent=share, of={"sector": None}, hedge="exact")


def _block_amount(rng, r: _Release, lead: Cell, region: Region, origin_of: str, carried: str, org: Actor) -> None:
    """The change as a signed amount: "In valore assoluto la crescita è stata di 123,4 milioni di euro"."""
    difference = r.truth.value(lead.origin, "world", lead.period) - r.truth.value(
        lead.origin, "world", lead.period.same_period_previous_year())
    amount, words = _money(abs(difference))
    what = "la crescita è stata" if difference > 0 else "il calo è stato"
    evidence = f"{what} di {words} di euro"
    r.body.append(f"Rispetto allo stesso periodo dell’anno prima, in valore assoluto {evidence}")
    r.figure("change", f"{lead.origin}-{_key(lead.period)}-change-amount", lead, evidence, carried,
             value=amount if difference > 0 else -amount, unit="EUR", reference="same-period-previous-year", hedge="exact")


def _block_ratio(rng, r: _Release, lead: Cell, region: Region, origin_of: str, carried: str, org: Actor) -> None:
    """Exports per resident: "Ogni residente della Liguria ha esportato in media 1.912 euro nel periodo"."""
    value = (r.truth.value(lead.origin, "world", lead.period) / r.truth.residents(lead.origin)).quantize(1)
    evidence = f"Ogni residente {origin_of} ha esportato in media {_it(value)} euro nel periodo"
    r.body.append(evidence)
    r.figure("ratio", f"{lead.origin}-{_key(lead.period)}-per-resident", lead, evidence, carried, value=value,
             unit="EUR", denominator="resident", denominator_words="Ogni residente", hedge="exact")


def _block_projection(rng, r: _Release, lead: Cell, region: Region, origin_of: str, carried: str, org: Actor) -> None:
    """A forecast for the year of the release (the one after the data's): "prevede che nel 2024 le esportazioni
    della Liguria superino i 10,2 miliardi di euro"."""
    year = lead.period.start.year + 1
    hedge, verb, hedge_words, rounding = rng.choice(PROJECTION_HEDGES)
    projected = r.truth.projected(lead.origin, year)
    amount, words = _money(projected, rounding, "miliardi" if projected >= 10 * BILLION else "milioni")
    amount_words = verb.format(n=words, i=_plural_the(words))
    evidence = f"prevede che nel {year} le esportazioni {origin_of} {amount_words} di euro"
    r.body.append(f"Per il futuro {org.name} {evidence}")
    r.figure("projection", f"{lead.origin}-{year}-projection", Cell(lead.origin, "world", parse_period(str(year))),
             evidence, amount=amount, unit="EUR", hedge=hedge, hedge_words=hedge_words)


def _block_assessment(rng, r: _Release, lead: Cell, region: Region, origin_of: str, carried: str, org: Actor) -> None:
    """The sectors the exports are concentrated in (no figure)."""
    chosen = sorted(rng.sample(SECTORS, 3))
    evidence = f"concentrate soprattutto in {chosen[0][2]}, {chosen[1][2]} e {chosen[2][2]}"
    r.body.append(f"Le vendite all’estero restano {evidence}")
    r.facts.append({"id": f"{lead.origin}-{_key(lead.period)}-concentration", "kind": "sectors",
                    "assessment": "concentration", "origin": lead.origin, "period": lead.period.notation,
                    "sectors": [s for s, _, _ in chosen], "evidence": evidence})


def _block_province(rng, r: _Release, lead: Cell, region: Region, origin_of: str, carried: str, org: Actor) -> None:
    """A province's share of its region and its rank among the region's provinces."""
    year = lead.period.start.year
    shares = r.truth.provinces_share(region.id, year)
    share, share_words = _percent(100 * shares[lead.origin])
    position = r.truth.position(shares, lead.origin)
    weight = f"{_the(share_words)}% del totale {region.of}"
    rank = f"colloca la provincia al {ORDINALS[position - 1]} posto tra le province della regione"
    r.body.append(f"Il dato vale {weight} e {rank}")
    r.figure("share", f"{lead.origin}-{_key(lead.period)}-share", lead, weight, carried, percent=share,
             of={"origin": region.id}, hedge="exact")
    r.figure("rank", f"{lead.origin}-{_key(lead.period)}-rank", lead, rank, carried, position=position,
             among="origins", among_kind="province", within=region.id, by="level", hedge="exact")


def _block_italy(rng, r: _Release, lead: Cell, region: Region, origin_of: str, carried: str, org: Actor) -> None:
    """Italy's level and the region's share of it."""
    italy = Cell("italy", "world", lead.period)
    amount, words = _money(r.truth.value("italy", "world", lead.period), style="miliardi")
    share, share_words = _percent(100 * r.truth.value(region.id, "world", lead.period) / r.truth.value("italy", "world", lead.period))
    level = f"a livello nazionale le esportazioni sono state pari a {words}"
    weight = f"{region.name} ne rappresenta {_the(share_words)}%"
    r.body.append(f"Nello stesso periodo {level} e {weight}")
    r.level(f"italy-{_key(lead.period)}", italy, level, amount, carried, hedge="exact")
    r.figure("share", f"{region.id}-{_key(lead.period)}-share", lead, weight, carried, percent=share,
             of={"origin": "italy"}, hedge="exact")


def _block_planted(r: _Release, planted: tuple[str, int], truth: Truth) -> None:
    """A planted restatement of a region's month (see the module's docstring)."""
    what, index = planted
    region_id, year, month = _planted_cell(index)
    region = truth.regions[region_id]
    cell = Cell(region_id, "world", parse_period(f"{year}-{month:02d}"))
    true = truth.value(region_id, "world", cell.period)
    when = f"{MONTHS[month - 1]} {year}"
    name = f"{region_id}-{_key(cell.period)}"
    if what == "provisional":
        amount, words = _money(true * Decimal("0.98"))
        evidence = f"a {when} le esportazioni {region.of} sono state pari a {words} di euro"
        r.body.append(f"Secondo i dati provvisori, {evidence}")
        r.level(name, cell, evidence, amount, status="provisional", hedge="exact")
    elif what == "final":
        amount, words = _money(true)
        evidence = f"Il dato definitivo di {when} porta le esportazioni {region.of} a {words} di euro"
        r.body.append(evidence)
        r.level(name, cell, evidence, amount, status="final", hedge="exact")
    else:
        amount, words = _money(true, style="milioni" if what == "precise" else "miliardi")
        evidence = f"nel solo mese di {when} {region.name} ha esportato {words} di euro"
        r.body.append(f"{'Va ricordato che' if what == 'precise' else 'Come già noto,'} {evidence}")
        r.level(name, cell, evidence, amount, hedge="exact")


# --------------------------------------------------------------------------- the corpus


def synthesize(count: int, out_dir, seed: int = 0, registry_from=None) -> Path:
    """Write ``count`` releases and a registry under ``out_dir`` (the data layout); return it.

    The registry starts from ``registry_from/registry.yaml``, or from the template's that
    ships with kg (:data:`kg.resources.TEMPLATE_DIR`, what ``kg init`` lays out) when
    ``registry_from`` is None: the synthetic actors (and Istat, the data's provider, when
    it lacks it) are added to it. That folder's ``places.yaml`` and ``sectors.yaml``, when
    it has them, are copied beside it.
    """
    from ruamel.yaml.comments import CommentedMap

    from kg.model.gazetteer import PLACES_FILE, SECTORS_FILE, Gazetteer
    from kg.model.yamlfile import dump_yaml, load_yaml
    from kg.resources import TEMPLATE_DIR
    from kg.stores.files import write_atomic, write_yaml

    rng = random.Random(seed)
    out = Path(out_dir)
    people = [Actor(f"{f.lower()}-{s.lower()}", f"{f} {s}") for f in FIRST_NAMES for s in SURNAMES]
    rng.shuffle(people)
    people = people[: max(4, min(len(people), 8 + count // 10))]
    orgs = [Actor(f"org-{i:03d}", f"{w} {p}") for i, (w, p) in enumerate((w, p) for w in ORG_WORDS for p in ORG_PLACES)]
    rng.shuffle(orgs)
    orgs = orgs[: max(3, min(len(orgs), 4 + count // 20))]
    source = Path(TEMPLATE_DIR if registry_from is None else registry_from)
    registry = load_yaml(source / "registry.yaml", comments=True)  # its comments are kept in the corpus's registry
    fictional = "fictional, made by kg synth"
    if not any(o["id"] == "istat" for o in registry["organizations"]):
        registry["organizations"].append({"id": "istat", "name": "Istat", "name_en": "Italian National Institute of Statistics",
                                          "kind": "government", "country": "italy"})
    for o in sorted(orgs, key=lambda a: a.id):
        registry["organizations"] += [
            {"id": o.id, "name": o.name, "kind": "association", "country": "italy", "source": fictional},
            {"id": f"{o.id}-studi", "name": f"Centro studi {o.name}", "name_en": f"{o.name} research centre",
             "kind": "unit", "part_of": o.id, "source": fictional}]
    registry["people"] += [{"id": p.id, "name": p.name, "source": fictional} for p in sorted(people, key=lambda a: a.id)]
    write_yaml(out / "registry.yaml", registry)
    for name in (PLACES_FILE, SECTORS_FILE):  # the places and sectors the registry may name
        if (source / name).is_file():
            write_atomic(out / name, (source / name).read_bytes())
    gazetteer = Gazetteer.bundled()
    provinces = {r.id: tuple(sorted(p.id for p in gazetteer.children(r.id) if p.kind == "province")) for r in REGIONS}
    names = {p: gazetteer.place(p).label_it.removeprefix("provincia di ") for ps in provinces.values() for p in ps}
    truth = Truth(seed, provinces, names)
    for number in range(1, count + 1):
        release_id, text, annotation = _release(rng, number, count, orgs, people, truth)
        folder = out / "releases" / release_id
        write_atomic(folder / "release.txt", text.encode("utf-8"))
        annotation = CommentedMap(annotation)
        annotation.yaml_set_start_comment("Synthetic release made by `kg synth`: fictional figures and actors.")
        write_atomic(folder / "annotation.yaml", dump_yaml(annotation).encode("utf-8"))
    return out
