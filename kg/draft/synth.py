"""``kg synth``: a synthetic corpus of releases of the family, for benchmarks and fuzzing.

Each release is an Italian text written from templates and its annotation, whose
every evidence quote is a piece of that text, so the corpus builds and validates
like curated data. Everything is drawn from one ``random.Random(seed)``: the same
N and seed give the same bytes. The actors are fictional and say so in the
registry; places and sectors come from the gazetteer (the registry's folder's ``places.yaml`` and
``sectors.yaml`` are copied with it).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import yaml

from kg.model.periods import MONTHS_IT as MONTHS
from kg.model.periods import WEEKDAYS_IT as WEEKDAYS
from kg.model.schema import ENUMS, Value, direction_sign

FIRST_NAMES = ["Marco", "Giulia", "Luca", "Sara", "Paolo", "Elena", "Andrea", "Chiara", "Matteo", "Laura",
               "Davide", "Marta", "Stefano", "Silvia", "Franco", "Irene"]
SURNAMES = ["Ferri", "Galli", "Conti", "Marini", "Costa", "Fontana", "Rinaldi", "Caruso", "Greco", "Lombardi",
            "Moretti", "Barbieri", "Testa", "Serra", "Villa", "Pellegrini"]
ORG_WORDS = ["Unione Imprese", "Associazione Industriali", "Consorzio Export", "Camera Artigiana", "Rete Imprese"]
ORG_PLACES = ["del Conero", "del Piceno", "della Valle", "dell’Adriatico", "del Metauro", "dei Sibillini", "del Chienti",
              "dell’Esino"]
ORIGINS = [("marche", "delle Marche", "marchigiane"), ("ancona-province", "della provincia di Ancona", "anconetane"),
           ("macerata-province", "della provincia di Macerata", "maceratesi")]
DESTINATIONS = [("azerbaijan", "l’Azerbaigian"), ("germany", "la Germania"), ("france", "la Francia"),
                ("united-states", "gli Stati Uniti")]
SECTORS = [("fashion", "moda"), ("furniture", "arredo"), ("mechanics", "meccanica"), ("electronics", "elettronica"),
           ("machinery", "macchinari"), ("components", "componentistica")]
QUOTES = ["I risultati confermano la forza delle nostre filiere", "Dobbiamo investire in formazione e logistica",
          "Le imprese del territorio hanno saputo innovare", "Serve una strategia comune per i mercati esteri",
          "La qualità dei prodotti resta il nostro vantaggio", "Il dialogo con le istituzioni è fondamentale"]


@dataclass
class Actor:
    id: str
    name: str


ORIGIN_SHARE = {"marche": Decimal(1), "ancona-province": Decimal("0.3"), "macerata-province": Decimal("0.2")}

# the hedges of kg.model.schema, the exact one (its figure both bounds) drawn twice as often as each other
HEDGES = ENUMS["hedge"].values
EXACT = next(hedge for hedge in HEDGES if hedge.lower and hedge.upper)
# the directions a change can be stated with a figure: those with a sign
CHANGES = tuple(direction for direction in ENUMS["direction"].values if direction.sign)


def _phrase(hedge: Value) -> tuple[str, str]:
    """(the verb before the amount, the hedge words the annotation quotes) for a figure with this hedge:
    a lower bound 'hanno superato', an upper bound 'si sono fermate poco sotto', else 'hanno raggiunto'
    and the hedge's own words ('circa')."""
    if hedge.lower and not hedge.upper:
        return "hanno superato", "hanno superato"
    if hedge.upper and not hedge.lower:
        return "si sono fermate poco sotto", "poco sotto"
    return f"hanno raggiunto {hedge.it}".rstrip(), hedge.it.strip()


def _rounded(value: Decimal, up: bool | None = None) -> tuple[Decimal, str]:
    """``value`` rounded to what a release writes, and the words: '7,5 milioni', '767 mila', '1,2 miliardi'."""
    from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN

    mode = ROUND_HALF_EVEN if up is None else (ROUND_CEILING if up else ROUND_FLOOR)
    if value >= 10**9:
        unit, scale, step = "miliardi", Decimal(10**9), Decimal("0.1")
    elif value >= 10**6:
        unit, scale, step = "milioni", Decimal(10**6), Decimal("0.1")
    else:
        unit, scale, step = "mila", Decimal(1000), Decimal(1)
    shown = (value / scale).quantize(step, rounding=mode)
    if shown <= 0:
        shown = step
    text = str(shown).replace(".", ",").removesuffix(",0")
    return shown * scale, f"{text} {unit}"


def _truth(seed: int, origin: str, destination: str, period: str) -> Decimal:
    """One consistent 'true' value per origin, destination and period, so releases never contradict each other:
    a province is a fixed share of its region, a part of a year a fixed share of the year."""
    from kg.model.periods import parse_period

    parsed = parse_period(period)
    yearly = random.Random(f"{seed}/{destination}/{parsed.start.year}").randint(40, 900) * Decimal(10**6)
    return yearly * ORIGIN_SHARE[origin] * Decimal(parsed.months) / 12


def _period(rng: random.Random, year: int) -> tuple[str, str]:
    """(annotation notation, Italian words) of a period of ``year``."""
    choice = rng.choice(["year", "year", "quarter", "half", "nine"])
    if choice == "quarter":
        q = rng.randint(1, 4)
        return f"{year}-Q{q}", f"{['primo', 'secondo', 'terzo', 'quarto'][q - 1]} trimestre del {year}"
    if choice == "half":
        h = rng.randint(1, 2)
        return f"{year}-H{h}", f"{['primo', 'secondo'][h - 1]} semestre del {year}"
    if choice == "nine":
        return f"{year}-01/{year}-09", f"primi nove mesi del {year}"
    return str(year), str(year)


def _release(rng: random.Random, number: int, orgs: list[Actor], people: list[Actor], seed: int) -> tuple[str, str, dict]:
    release_id = f"{number:05d}_synth"
    published = date(2020, 1, 1) + timedelta(days=rng.randint(0, 365 * 6))
    org, person = rng.choice(orgs), rng.choice(people)
    origin_id, origin_words, origin_adjective = rng.choice(ORIGINS)
    destination_id, destination_words = rng.choice(DESTINATIONS)
    year = published.year - 1
    period, period_words = _period(rng, year)
    hedge = rng.choice([EXACT, *HEDGES])
    truth = _truth(seed, origin_id, destination_id, period)
    if hedge.lower and not hedge.upper:  # the figure stated is under the true one
        value, value_words = _rounded(truth * Decimal("0.9"), up=False)
    elif hedge.upper and not hedge.lower:  # over it
        value, value_words = _rounded(truth * Decimal("1.05"), up=True)
    else:
        value, value_words = _rounded(truth)
    verb, hedge_words = _phrase(hedge)
    dateline = f"Ancona, {published.day} {MONTHS[published.month - 1]} {published.year}"
    headline = f"Export {origin_adjective} verso {destination_words.split('’')[-1].split(' ')[-1]}: i dati del {year}"
    first = f"Nel {period_words} le esportazioni {origin_words} verso {destination_words} {verb} {value_words} di euro"
    facts: list[dict] = []
    figure_id = f"{origin_id}-{destination_id}-{release_id}"
    fact = {"id": figure_id, "kind": "trade", "flow": "export", "origin": origin_id, "destination": destination_id,
            "period": period, "amount": value, "unit": "EUR", "hedge": hedge.name, "evidence": first}
    if hedge_words:
        fact["hedge_words"] = hedge_words
    facts.append(fact)
    body = [first]
    if rng.random() < 0.7:
        change = Decimal(rng.randint(5, 250)) / 10
        direction = rng.choice(CHANGES)
        words = f"{direction.it} del {str(change).replace('.', ',')}% rispetto allo stesso periodo dell’anno precedente"
        body[-1] += ", " + words
        facts.append({"id": f"{figure_id}-change", "kind": "comparison", "subject": figure_id,
                      "reference": "same-period-previous-year", "direction": direction.name,
                      "change_percent": change * direction_sign(direction.name), "evidence": words})
    if rng.random() < 0.6 and hedge is EXACT and value >= 2 * 10**6:
        sector_id, sector_words = rng.choice(SECTORS)
        part, part_words = _rounded(value / rng.choice([3, 4, 5]), up=False)
        sentence = f"Di questi, {part_words} provengono da {sector_words}"
        body.append(sentence)
        facts.append({"id": f"{figure_id}-{sector_id}", "kind": "trade", "flow": "export", "origin": origin_id,
                      "destination": destination_id, "period": period, "period_basis": "implied",
                      "period_note": "The sector figure follows the total of the same period.", "sector": sector_id,
                      "part_of": figure_id, "amount": part, "unit": "EUR", "hedge": EXACT.name,
                      "evidence": sentence.removeprefix("Di questi, ")})
    post_words = f"{person.name}, presidente di {org.name}"
    post_id = f"{person.id}-president-{release_id}"
    facts.append({"id": post_id, "kind": "post", "person": person.id, "organization": org.id, "role": "president",
                  "evidence": post_words})
    first_quote, second_quote = rng.sample(QUOTES, 2)
    quote = f"“{first_quote} – dichiara {post_words} –. {second_quote}”."
    facts.append({"id": f"quote-{release_id}", "kind": "quotation", "speaker": person.id, "posts": [post_id],
                  "evidence": [first_quote, second_quote]})
    if rng.random() < 0.4:
        weekday = rng.randint(0, 6)
        delta = (published.weekday() - weekday) % 7 or 7
        met = published - timedelta(days=delta)
        other = rng.choice([p for p in people if p.id != person.id])
        meeting = f"l’incontro tra {org.name} e {other.name}, che si è tenuto {WEEKDAYS[weekday]}"
        body.append(f"Le prospettive del mercato sono state al centro dell’{meeting.removeprefix('l’')}")
        facts.append({"id": f"meeting-{release_id}", "kind": "meeting", "attendees": [org.id, other.id],
                      "date": met.isoformat(), "date_basis": "derived", "date_weekday": WEEKDAYS[weekday],
                      "evidence": f"incontro tra {org.name} e {other.name}, che si è tenuto {WEEKDAYS[weekday]}"})
    if rng.random() < 0.2:
        buyer, target = rng.sample(orgs, 2)
        deal = f"l’acquisizione di {target.name} da parte di {buyer.name}"
        body.append(f"Nel quadro rientra anche {deal}")
        facts.append({"id": f"deal-{release_id}", "kind": "acquisition", "acquirer": buyer.id, "acquired": target.id,
                      "status": "not-stated", "evidence": deal.removeprefix("l’")})
    text = f"{headline}\n{dateline} – " + ". ".join(body) + ".\n" + quote + "\nUfficio Stampa Confindustria Ancona"
    annotation = {
        "release": {"id": release_id, "text": "release.txt", "published": published.isoformat(), "language": "it",
                    "publisher": "confindustria-ancona", "author": "confindustria-ancona-press-office",
                    "dateline": "ancona", "evidence": dateline, "author_evidence": "Ufficio Stampa Confindustria Ancona",
                    "source": f"kg synth (synthetic release {number})"},
        "facts": facts,
    }
    return release_id, text, annotation


def synthesize(count: int, out_dir, seed: int = 0, registry_from=None) -> Path:
    """Write ``count`` releases and a registry under ``out_dir`` (the data layout); return it.

    The registry starts from ``registry_from/registry.yaml``, or from the template's that
    ships with kg (:data:`kg.resources.TEMPLATE_DIR`, what ``kg init`` lays out) when
    ``registry_from`` is None: the synthetic actors are added to it. That folder's
    ``places.yaml`` and ``sectors.yaml``, when it has them, are copied beside it.
    """
    from kg.model.gazetteer import PLACES_FILE, SECTORS_FILE
    from kg.model.yamlfile import dump_yaml
    from kg.resources import TEMPLATE_DIR
    from kg.stores.files import write_atomic

    rng = random.Random(seed)
    out = Path(out_dir)
    people = [Actor(f"{f.lower()}-{s.lower()}", f"{f} {s}") for f in FIRST_NAMES for s in SURNAMES]
    rng.shuffle(people)
    people = people[: max(4, min(len(people), 8 + count // 10))]
    orgs = [Actor(f"org-{i:03d}", f"{w} {p}") for i, (w, p) in enumerate((w, p) for w in ORG_WORDS for p in ORG_PLACES)]
    rng.shuffle(orgs)
    orgs = orgs[: max(3, min(len(orgs), 4 + count // 20))]
    source = Path(TEMPLATE_DIR if registry_from is None else registry_from)
    registry = yaml.safe_load((source / "registry.yaml").read_text(encoding="utf-8"))
    registry["organizations"] += [{"id": o.id, "name": o.name, "kind": "association", "country": "italy",
                                   "source": "fictional, made by kg synth"} for o in sorted(orgs, key=lambda a: a.id)]
    registry["people"] += [{"id": p.id, "name": p.name, "source": "fictional, made by kg synth"}
                           for p in sorted(people, key=lambda a: a.id)]
    write_atomic(out / "registry.yaml", dump_yaml(registry).encode("utf-8"))
    for name in (PLACES_FILE, SECTORS_FILE):  # the places and sectors the registry may name
        if (source / name).is_file():
            write_atomic(out / name, (source / name).read_bytes())
    for number in range(1, count + 1):
        release_id, text, annotation = _release(rng, number, orgs, people, seed)
        folder = out / "releases" / release_id
        write_atomic(folder / "release.txt", text.encode("utf-8"))
        header = "# Synthetic release made by `kg synth`: fictional figures and actors.\n"
        body = dump_yaml(annotation)
        write_atomic(folder / "annotation.yaml", (header + body).encode("utf-8"))
    return out
