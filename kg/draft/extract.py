"""Draft the annotation of a release from its Italian text, every item anchored to its words.

Deterministic rules over the sentences of the text (kg.model.numbers reads the amounts and
percentages, kg.model.periods the periods and writes their notation, kg.model.italian finds
the hedges, the words of a change and the dateline; the registry and the place and sector
vocabularies name the actors). Each drafted fact quotes its evidence verbatim, so
the loader can find it; what the rules are unsure of carries ``review:`` with the
reason, for the analyst to check, instead of being dropped or guessed.

It drafts the release's dateline and press office; figures in the measures of the
fact model (README, "The model"): levels (an amount on a cell: flow, origin,
destination, period, sector, exclusions; a hedge), the change a sentence states against
a reference period, on the cell of its level, and the share of a whole cell; the data
source the text names; people in posts, quotations with their speaker, meetings with a
date derived from a weekday, and acquisitions as stated; names it cannot place are
listed for review. ``evaluate`` scores drafts against curated annotations, figure by
figure and attribute by attribute.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from kg.draft import people
from kg.draft.draft import Draft, explain, slug, unique_span
from kg.draft.figures import draft_figures
from kg.draft.places import PlaceFinder
from kg.model import italian as italian
from kg.model.evidence import sentences as split_sentences
from kg.model.numbers import Found
from kg.model.periods import MONTHS_IT
from kg.model.schema import KINDS

__all__ = ["Draft", "PlaceFinder", "extract", "extract_file", "to_yaml"]

def extract(text: str, release_id: str, registry=None, places: PlaceFinder | set[str] | None = None,
            actor_patterns: dict | None = None) -> Draft:
    """A draft annotation (plain data, ready for YAML) of ``text``; ``places``: the place finder (or the
    place ids it may name) to read places with, default every place of the package's gazetteer;
    ``actor_patterns``: ``people.patterns(registry)``, when the caller drafts many texts with one registry."""
    places = places if isinstance(places, PlaceFinder) else PlaceFinder(known=places)
    spans = split_sentences(text)
    release: dict = {"id": release_id, "text": "release.txt", "language": "it"}
    draft = Draft(release)
    dateline = header(text, draft, registry, places)

    ids: set[str] = set()

    def new_id(base: str) -> str:
        candidate, n = base, 2
        while candidate in ids:
            candidate, n = f"{base}-{n}", n + 1
        ids.add(candidate)
        return candidate

    dated = dateline is not None and isinstance(getattr(dateline, "start", None), int)
    where = (dateline.start, dateline.end) if dated else None
    if where is None and (dash := _PLACE_DASH.search(text)) is not None and text.count("\n", 0, dash.start()) < 3:
        where = (dash.start(), dash.end("place"))  # "POTENZA - ": where it was written, not what it is about
    draft_figures(text, spans, _body_start(text, dateline), draft, places, dateline=where)

    actors = people.Actors(registry, draft, places, release_id, actor_patterns, text)
    people.posts(text, draft, registry, places, actors)
    people.quotations(text, draft, registry, places, actors)
    people.meetings(text, draft, registry, places, dateline)
    people.acquisitions(text, draft, registry)
    people.data_sources(text, draft, registry)
    people.candidates(text, draft, registry, places)
    _finish(draft, new_id)
    return draft


MONTHS = "|".join(MONTHS_IT)
_AGENCY_DATELINE = re.compile(
    r"^\((?P<agency>[A-Za-z][\w.&' -]{0,30})\)\s*[-–—]\s*(?P<evidence>(?P<place>[A-ZÀ-Ý][\wÀ-ÿ’' ]*?),\s*(?P<day>\d{1,2})\s+"
    r"(?P<month>[A-Za-z]{3,9})\b\.?(?:\s+(?P<year>(?:19|20)\d{2}))?)\s*[-–—]", re.M)
"""An agency's dateline: "(ANSA) - MILANO, 13 DIC -", "(AGI) - Pescara, 18 ott. -" (the year is often left out)."""
_PUBLISHED_ON = re.compile(rf"\b(?:[Pp]ubblicat[oa]|[Dd]iffus[oa]|[Aa]ggiornat[oa])\s+(?:il|in data)\s+(?P<day>\d{{1,2}})\s+"
                           rf"(?P<month>{MONTHS})\s+(?P<year>(?:19|20)\d{{2}})", re.I)
"""A date of publication said in words: "Pubblicato il 20 marzo 2024"."""
_PLACE_DASH = re.compile(r"^(?P<place>[A-ZÀ-Ý][A-ZÀ-Ý’' ]*[A-ZÀ-Ý])(?:\s+[-–—]\s|\.\s+(?=[A-ZÀ-Ý][a-zà-ù]))", re.M)
"""A news dateline of the place alone, in capitals, at the start of a line: "CAGLIARI - Le esportazioni ...",
"SASSARI. Le esportazioni ..."."""
_ANY_DATE = re.compile(rf"\b(?P<day>\d{{1,2}})\s+(?P<month>{MONTHS})\s+(?P<year>(?:19|20)\d{{2}})\b", re.I)
_YEAR = re.compile(r"(?<![\d.,])(?:19|20)\d{2}(?![\d.,]\d)")
PRESS_WORDS = re.compile(r"\b(?:[Uu]fficio\s+(?:[Ss]tampa|[Cc]omunicazione)|[Cc]omunicato\s+[Ss]tampa|[Pp]ress\s+[Oo]ffice)\b")
"""The words of a press office's signature."""


def _day(year: int, month: str, day: int) -> date | None:
    """The date of an Italian day and month (the name or its first three letters, any case), None if not a day."""
    month = month.lower().rstrip(".")
    number = next((i for i, name in enumerate(MONTHS_IT, 1) if name == month or (len(month) >= 3 and name.startswith(month))), None)
    if number is None:
        return None
    try:
        return date(year, number, day)
    except ValueError:
        return None


def _latest_year(text: str) -> int | None:
    """The latest year (1900-2099) the text names, if any."""
    years = [int(m.group(0)) for m in _YEAR.finditer(text)]
    return max(years) if years else None


def _unique(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) widened to the line it is in until it occurs once in the text."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return unique_span(text, start, end, (line_start, len(text) if line_end < 0 else line_end))


def _dateline_place(text: str, words: str, places: PlaceFinder) -> str | None:
    place = places.town(words) or places.town(words.title())
    return place if place is not None and place in places else None


def _signature(text: str) -> tuple[int, str] | None:
    """The release's signature, its last line when it is short and not a sentence of the text (no quote, no final
    full stop): "Ufficio stampa Camera di Commercio X", "Osservatorio Y – Comunicato stampa"."""
    stripped = text.rstrip()
    start = stripped.rfind("\n") + 1
    line = stripped[start:].strip()
    if not line or len(line) > 120 or len(line.split()) > 14 or line[0] in "\"“«'(" or line.endswith((".", "”", "»", '"', ":")):
        return None
    return start + stripped[start:].index(line), line


def header(text: str, draft: Draft, registry, places: PlaceFinder):
    """Fill ``draft.release``: published, evidence, dateline, publisher and author, from the dateline and the
    text, every value with the rule it came from (``explain``); what the rules cannot decide gets its best
    value and a review note. Returns the dateline found (a Found of its date), or None."""
    release = draft.release
    found: Found[date] | None = italian.find_dateline(text)
    place_words = None
    if found is not None:
        release["published"] = found.value.isoformat()
        release["evidence"] = found.text
        place_words = found.kind
        if getattr(found, "basis", "stated") == "implied":
            explain(release, "published", "dateline without a year: the first such day after the latest period the lead names", found.text)
            draft.notes.append(f"review: the dateline «{found.text}» gives no year; published is drafted as {found.value.isoformat()}, "
                               "the first such day after the latest period the text names")
        else:
            explain(release, "published", "the dateline's date", found.text)
    elif (agency := _AGENCY_DATELINE.search(text)) is not None:
        year = int(agency.group("year")) if agency.group("year") else _latest_year(text)
        day = _day(year, agency.group("month"), int(agency.group("day"))) if year else None
        if day is not None:
            start, end = _unique(text, agency.start("evidence"), agency.end("evidence"))
            found = Found(start, end, text[start:end], day, agency.group("place").strip())
            release["published"] = day.isoformat()
            release["evidence"] = found.text
            place_words = found.kind
            if agency.group("year"):
                explain(release, "published", "agency dateline '(AGENZIA) - CITTÀ, giorno mese -'", found.text)
            else:
                explain(release, "published", "agency dateline without a year: the latest year the text names", found.text)
                draft.notes.append(f"review: the dateline «{found.text}» gives no year; published is drafted in {year}, "
                                   "the latest year the text names")
    if found is None and (said := _PUBLISHED_ON.search(text)) is not None:
        day = _day(int(said.group("year")), said.group("month"), int(said.group("day")))
        if day is not None:
            start, end = _unique(text, said.start(), said.end())
            found = Found(start, end, text[start:end], day, "")
            release["published"] = day.isoformat()
            release["evidence"] = found.text
            explain(release, "published", "'Pubblicato il giorno mese anno'", found.text)
    if found is None and (any_day := _ANY_DATE.search(text)) is not None:
        day = _day(int(any_day.group("year")), any_day.group("month"), int(any_day.group("day")))
        if day is not None:
            start, end = _unique(text, any_day.start(), any_day.end())
            found = Found(start, end, text[start:end], day, "")
            release["published"] = day.isoformat()
            release["evidence"] = found.text
            explain(release, "published", "the first full date the text names", found.text)
            draft.notes.append(f"review: no dateline found; published is the first full date the text names, «{found.text}»")
    if found is None:
        year = _latest_year(text)
        published = date((year or 2000) + 1, 1, 1)
        first = split_sentences(text)[0] if text.strip() else (0, len(text))
        start, end = unique_span(text, first[0], min(first[1], first[0] + 80), (first[0], len(text)))  # once in the text
        release["published"] = published.isoformat()
        release["evidence"] = text[start:end]
        explain(release, "published", "no date in the text: 1 January after the latest year it names", str(year or ""))
        draft.notes.append("review: no dateline or date found; release.published is a placeholder "
                           f"({published.isoformat()}) and release.evidence the first words: fill both")
    if place_words:
        place = _dateline_place(text, place_words, places)
        if place is not None:
            release["dateline"] = place
            explain(release, "dateline", "the dateline's place, a town of the gazetteer", place_words)
    if "dateline" not in release and (dash := _PLACE_DASH.search(text)) is not None:
        place = _dateline_place(text, dash.group("place"), places)
        if place is not None:
            release["dateline"] = place
            explain(release, "dateline", "a place in capitals opening a line, 'CITTÀ - '", dash.group(0).strip())
    if "dateline" not in release:
        draft.notes.append("review: the dateline names no town of the gazetteer; add release.dateline if the text has one")
    _publisher(text, draft, registry)
    return found


def _publisher(text: str, draft: Draft, registry) -> None:
    """release.publisher (and author, the press office or unit that signs), by the first rule that decides:
    the agency of an agency dateline; a unit of the registry in the signature, then any press office of the
    registry the text names, then any unit it names (its parent organisation publishes); an organisation of
    the registry in the signature; else an organisation drafted from the signature or the press office line,
    as a registry addition for review."""
    release = draft.release
    orgs: dict[str, str] = {}
    if registry is not None:
        for org_id, entry in registry.organizations.items():
            if entry:
                orgs.setdefault(entry["name"], org_id)
    entries = registry.organizations if registry is not None else {}

    def named(words: str) -> list[tuple[int, str, str]]:
        """(offset, name, id) of the registry's organisations named in ``words``, longest names first."""
        hits: list[tuple[int, str, str]] = []
        for name, org_id in sorted(orgs.items(), key=lambda item: -len(item[0])):
            for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", words):
                if not any(a <= match.start() < a + len(n) for a, n, _i in hits):
                    hits.append((match.start(), name, org_id))
        return hits

    def publish(org_id: str, rule: str, words: str, author_words: str | None = None) -> None:
        """A press office of the registry signs (author) for its organisation (publisher); another unit publishes."""
        entry = entries.get(org_id) or {}
        if entry.get("kind") == "unit" and entry.get("part_of") and author_words is not None and PRESS_WORDS.search(entry["name"]):
            release["author"] = org_id
            release["author_evidence"] = author_words
            explain(release, "author", rule, author_words)
            org_id = entry["part_of"]
        release["publisher"] = org_id
        explain(release, "publisher", rule, words)

    agency = _AGENCY_DATELINE.search(text) or re.search(r"^\((?P<agency>[A-Z][A-Za-z]{1,10})\)\s*[-–—]", text, re.M)
    if agency is not None:
        name = agency.group("agency").strip()
        known = [org_id for org_name, org_id in orgs.items() if org_name.lower() == name.lower()]
        if known:
            publish(known[0], "the news agency of the dateline '(AGENZIA) -'", agency.group(0))
        else:
            release["publisher"] = _addition(draft, registry, name, "company", f"the news agency of the dateline «{agency.group(0).strip()}»")
            explain(release, "publisher", "the news agency of the dateline, not in the registry: drafted", agency.group(0))
        return
    signature = _signature(text)
    if signature is not None:
        hits = named(signature[1])
        units = [h for h in hits if (entries.get(h[2]) or {}).get("kind") == "unit"]
        if units:
            _at, name, org_id = min(units)
            publish(org_id, "a unit of the registry in the signature (its organisation publishes)", signature[1], name)
            return
    units = [(at, name, org_id) for at, name, org_id in sorted(named(text)) if (entries.get(org_id) or {}).get("kind") == "unit"]
    for _at, name, org_id in units:
        if PRESS_WORDS.search(name):
            publish(org_id, "a press office of the registry named in the text (its organisation publishes)", name, name)
            return
    if signature is not None:
        hits = named(signature[1])
        if hits:
            _at, name, org_id = min(hits)
            publish(org_id, "an organisation of the registry in the signature", signature[1])
            return
    press_line = re.search(rf"{PRESS_WORDS.pattern}\s*(?:di|della|del|dell['’])?\s*(?P<org>[A-ZÀ-Ý][^\n,.;:–—]{{2,80}})", text)
    if press_line is not None:
        for _at, _name, org_id in named(press_line.group("org")):
            publish(org_id, "the organisation of the press office line, in the registry", press_line.group(0))
            return
    for _at, name, org_id in units:
        publish(org_id, "a unit of the registry named in the text", name, name)
        return
    name = None
    if signature is not None:
        name = _signature_name(signature[1])
    if name is None and press_line is not None:
        name = press_line.group("org").strip()
    if name:
        release["publisher"] = _addition(draft, registry, name, "other", f"the signature of release {release['id']}")
        explain(release, "publisher", "the organisation of the signature, not in the registry: drafted", name)
        draft.notes.append(f"review: the publisher «{name}» is not in the registry: drafted as a registry addition "
                           f"({release['publisher']}); check its name and kind")
        return
    release["publisher"] = _addition(draft, registry, f"Publisher of release {release['id']}", "other",
                                     f"no organisation signs release {release['id']}")
    explain(release, "publisher", "no signature nor press office line: a placeholder organisation", "")
    draft.notes.append(f"review: no organisation signs the release; the publisher is a placeholder registry addition "
                       f"({release['publisher']}): name it")


def _signature_name(line: str) -> str | None:
    """The organisation a signature names: the line without its date and its press-office words."""
    line = _ANY_DATE.sub("", _PUBLISHED_ON.sub("", line))
    parts = [p.strip(" ,–—-") for p in re.split(r"\s+[–—-]\s+|,\s+", line)]
    names = []
    for part in parts:
        part = PRESS_WORDS.sub("", part).strip(" ,–—-")
        part = re.sub(r"^(?:di|della|del|dell['’]|dei|degli)\s*", "", part).strip()
        if part and part[0].isupper() and not re.fullmatch(r"[\d\s./]+", part):
            names.append(part)
    return names[0] if names else None


def _addition(draft: Draft, registry, name: str, kind: str, why: str) -> str:
    """The id of an organisation named ``name``: the registry's, or one drafted in ``draft.additions`` for review."""
    if registry is not None:
        for org_id, entry in registry.organizations.items():
            if entry and entry["name"] == name:
                return org_id
    drafted = draft.additions.setdefault("organizations", {})
    for org_id, entry in drafted.items():
        if entry["name"] == name:
            return org_id
    taken = set(drafted) | (set(registry.organizations) | set(registry.people) | set(registry.roles) if registry is not None else set())
    base = slug(name) or "organization"
    org_id, n = base, 2
    while org_id in taken:
        org_id, n = f"{base}-{n}", n + 1
    drafted[org_id] = {"id": org_id, "name": name, "kind": kind, "source": f"drafted by kg extract from {why}: review"}
    return org_id


def _body_start(text: str, dateline) -> int:
    """Where the body of the release begins: where kg.model.italian's dateline says; for a date the fallbacks of
    ``header`` found, at it when it opens the body (in the first three lines, not the signature on the last),
    else at a line opened by a place in capitals ("CAGLIARI - "), else at the start."""
    if hasattr(dateline, "body"):
        return dateline.body
    if dateline is not None and text.count("\n", 0, dateline.start) < 3 and "\n" in text.rstrip()[dateline.end:]:
        return dateline.start
    dash = _PLACE_DASH.search(text)
    if dash is not None and text.count("\n", 0, dash.start()) < 3:
        return dash.start()
    return 0


def _finish(draft: Draft, new_id) -> None:
    """Give every fact an id (levels first, then what refers to them) and put figures first, in the order of the text."""
    for fact in draft.facts:
        if fact["kind"] == "level":
            base = f"{fact['origin']}-{fact['destination']}-{slug(str(fact.get('period', 'nd')))}"
            fact["id"] = new_id(slug(base + (f"-{fact['sector']}" if fact.get("sector") else "")))
        elif fact["kind"] == "quotation":
            fact["id"] = new_id(slug(f"quote-{fact.get('speaker', 'unknown')}"))
        elif fact["kind"] == "post":
            fact["id"] = new_id(slug(f"{fact['person']}-{fact['role']}"))
        elif fact["kind"] == "meeting":
            fact["id"] = new_id(slug("meeting-" + "-".join(fact["attendees"][:2])))
        elif fact["kind"] == "acquisition":
            fact["id"] = new_id(slug(f"{fact['acquirer']}-acquires-{fact['acquired']}"))
        elif fact["kind"] == "data-source":
            fact["id"] = new_id(slug(f"{fact['provider']}-data"))
    posts = {f["person"]: f["id"] for f in draft.facts if f["kind"] == "post"}
    for fact in draft.facts:
        if fact["kind"] == "quotation" and fact.get("_posts"):
            fact["posts"] = [post["id"] for post in fact.pop("_posts")]
            explain(fact, "posts", "the posts the attribution states (else the speaker's posts in the text)",
                    fact.get("attribution", fact["speaker"]))
        if fact["kind"] == "meeting":
            attending = [posts[a] for a in fact["attendees"] if a in posts]
            if attending:
                fact["attendee_posts"] = attending
                explain(fact, "attendee_posts", "the posts the release drafts for the attendees", ", ".join(
                    a for a in fact["attendees"] if a in posts))
    for fact in draft.facts:
        if fact["kind"] in ("share", "rank", "ratio", "projection"):  # after the level they are a part of, if any
            part = fact.pop("_part", None)
            base = part["id"] if part else slug(f"{fact['origin']}-{fact['destination']}-{slug(str(fact.get('period', 'nd')))}"
                                                + (f"-{fact['sector']}" if fact.get("sector") else ""))
            fact["id"] = new_id(f"{base}-{fact['kind']}")
        elif fact["kind"] == "change":
            fact["id"] = new_id(f"{fact.pop('_subject')['id']}-change")
    figures = sorted((f for f in draft.facts if KINDS[f["kind"]].figure), key=lambda f: f["_start"])
    draft.facts[:] = figures + [f for f in draft.facts if not KINDS[f["kind"]].figure]
    for fact in draft.facts:
        fact.pop("_start", None)
        fact.pop("_amount_start", None)
        fact.pop("_circa_after", None)


ORDER = ["id", "kind", "flow", "origin", "destination", "stated_as", "period", "period_basis", "period_note", "sector",
         "scope", "excludes", "amount", "value", "percent", "position", "among", "among_kind", "within", "by", "unit",
         "denominator", "denominator_words", "of", "direction", "reference", "reference_period",
         "magnitude_words", "hedge", "hedge_words", "provider", "elaborated_by", "person", "organization", "role", "delegation", "accredited_to", "attendees",
         "attendee_posts", "location", "date", "date_basis", "date_weekday", "about", "acquirer", "acquired", "status",
         "speaker", "posts", "attribution", "review", "evidence"]


def _plain(value):
    """``value`` without the keys only the extractor reads (``_explain``, ``_start``, ...)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if not str(k).startswith("_")}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _explanation(item: dict) -> str | None:
    """The comment lines naming, for each attribute of ``item``, the rule and the words it came from."""
    lines = [f"  {attribute}: {rule}" + (f" «{' '.join(str(words).split())}»" if words else "")
             for attribute, (rule, words) in (item.get("_explain") or {}).items()]
    return "\n".join(lines) or None


def to_yaml(draft: Draft, explain: bool = False) -> str:
    """The draft in the annotation format (README, "Data format"), review notes kept, written by
    ruamel.yaml with its comments; with ``explain``, above the release and above each fact, comment
    lines naming the rule and the words of each drafted attribute."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from kg.model.yamlfile import dump_yaml

    def ordered(fact: dict) -> CommentedMap:
        fact = _plain(fact)
        return CommentedMap({key: fact[key] for key in ORDER if key in fact} | {k: v for k, v in fact.items() if k not in ORDER})

    facts = CommentedSeq(ordered(fact) for fact in draft.facts)
    document = CommentedMap(release=_plain(draft.release), facts=facts)
    document.yaml_set_start_comment("\n".join([
        "Draft annotation written by `kg extract`: review every `review:` line, then remove it.",
        "Every evidence quote is copied from release.txt; the builder will check it.",
        *(" ".join(note.split()) for note in draft.notes)]))
    if explain:
        if lines := _explanation(draft.release):
            document.yaml_set_comment_before_after_key("release", before=lines)
        for index, fact in enumerate(draft.facts):
            if lines := _explanation(fact):
                facts.yaml_set_comment_before_after_key(index, before=lines, indent=2)
    return dump_yaml(document)


def settle(draft: Draft, text: str, registry=None, vocabulary=None) -> str | None:
    """Make the draft load (the loader's checks, against the registry with the draft's additions): every
    fact the loader refuses (a place or person the rules could not name, a quote not unique ...) leaves the
    facts for a ``# review:`` note with the loader's reason and its words, so that the analyst can restore it.
    Returns the annotation the loader read (``to_yaml(draft)``), or None when no fact is left."""
    import tempfile

    from kg.errors import InputError
    from kg.model.loader import Registry, load_release
    from kg.rdf.vocabularies import Ontology

    if vocabulary is None:
        vocabulary = Ontology().vocabulary(None)
    known = Registry(Path("registry.yaml"), {}, {}, {}, set(vocabulary.places), set(vocabulary.sectors), vocabulary.gazetteer)
    if registry is not None:
        known.organizations.update(registry.organizations)
        known.people.update(registry.people)
        known.roles.update(registry.roles)
    known.organizations.update(draft.additions.get("organizations", {}))
    known.people.update(draft.additions.get("people", {}))
    known.roles.update(draft.additions.get("roles", {}))
    release_id = draft.release["id"]
    with tempfile.TemporaryDirectory(prefix="kg-draft-") as temp:
        folder = Path(temp) / "releases" / release_id
        folder.mkdir(parents=True)
        (folder / "release.txt").write_text(text, encoding="utf-8")
        for _attempt in range(len(draft.facts) + 2):
            if not draft.facts:
                return None
            annotation = to_yaml(draft)
            (folder / "annotation.yaml").write_text(annotation, encoding="utf-8")
            try:
                load_release(folder, known, Path(temp))
                return annotation
            except InputError as error:
                where = re.match(r"facts\[(\d+)\]", error.field or "")
                if where is None or int(where.group(1)) >= len(draft.facts):
                    if (error.field or "").startswith("release.dateline") and "dateline" in draft.release:
                        draft.notes.append(f"review: the dateline place «{draft.release.pop('dateline')}» was refused ({error.message})")
                        continue
                    raise
                fact = draft.facts.pop(int(where.group(1)))
                field_name = (error.field or "").split(".", 1)[1] if "." in (error.field or "") else ""
                evidence = fact.get("evidence")
                quote = " … ".join(evidence) if isinstance(evidence, list) else str(evidence)
                reason = re.split(r" \(|; ", error.message.rstrip("."))[0]
                why = f"; {fact['review']}" if fact.get("review") else ""
                draft.notes.append(f"review: a {fact['kind']} left out of the draft, the loader refused its {field_name or 'fields'} "
                                   f"({reason}{why}): «{' '.join(quote.split())[:160]}»")
                for other in draft.facts:
                    for key in ("posts", "attendee_posts"):
                        if fact.get("id") in other.get(key, []):
                            other[key] = [ref for ref in other[key] if ref != fact.get("id")]
                            if not other[key]:
                                del other[key]
    return None  # not reached: every refusal takes a fact out


def _release_id(path: Path) -> str:
    from kg.model.loader import ID_PATTERN
    from kg.rdf.iris import slug as iri_slug

    release_id = iri_slug(path.stem)[:100].strip("-").replace("-", "_")  # the whole name, as long as an id may be
    return release_id if ID_PATTERN.match(release_id) else "draft"


def _context(data_dir: Path | None):
    """The registry (None without ``data_dir/registry.yaml``), the loader's vocabulary and the place finder of ``data_dir``."""
    from kg.model.loader import load_registry
    from kg.rdf.vocabularies import Ontology

    ontology = Ontology()
    vocabulary = ontology.vocabulary(data_dir)
    registry = load_registry(data_dir, vocabulary) if data_dir is not None and (Path(data_dir) / "registry.yaml").is_file() else None
    return registry, vocabulary, PlaceFinder(ontology.gazetteer(data_dir))


def extract_file(path: Path, release_id: str | None = None, data_dir: Path | None = None, settled: bool = True) -> Draft:
    """Read a release text and draft its annotation (actors from ``data_dir/registry.yaml`` when given); with
    ``settled``, every fact the loader would refuse is left out for a review note (``settle``)."""
    path = Path(path)
    return _drafted(_checked_text(path, release_id), path, release_id, data_dir, settled)


def extract_into(path: Path, into: Path, release_id: str | None = None, data_dir: Path | None = None,
                 explained: bool = False) -> tuple[Draft, Path]:
    """``kg extract TEXT --into DATA``: the draft of ``path`` laid out in the data folder ``into``
    (``prepare_into``, then ``write_release``); returns the draft and its folder. Nothing is written
    before the id and the text are known to be good."""
    path = Path(path)
    text = _checked_text(path, release_id)
    prepare_into(into, data_dir)
    draft = _drafted(text, path, release_id, into, True)
    return draft, write_release(draft, path, into, explained)


def _checked_text(path: Path, release_id: str | None) -> str:
    """The text of ``path``, once ``release_id`` is known to be a valid id (the folder `kg extract --into DIR`
    writes, DIR/releases/ID: the loader's pattern keeps it one folder name inside DIR, no '/', no '..')."""
    from kg.errors import UsageError
    from kg.model.loader import ID_PATTERN, read_release_text

    if release_id is not None and not ID_PATTERN.match(release_id):
        raise UsageError(f"--id '{release_id}' is not a valid release id (lower-case letters, digits, '-' and '_', "
                         "starting with a letter or digit, at most 100)")
    return read_release_text(path, "; save it as UTF-8 and try again")


def _drafted(text: str, path: Path, release_id: str | None, data_dir: Path | None, settled: bool) -> Draft:
    registry, vocabulary, places = _context(data_dir)
    draft = extract(text, release_id or _release_id(path), registry, places)
    if settled:
        settle(draft, text, registry, vocabulary)
    return draft


def write_release(draft: Draft, text_path: Path, into: Path, explained: bool = False, annotation: str | None = None,
                  merge: bool = True) -> Path:
    """Lay out ``into/releases/ID/`` with the text and the draft (refused if the folder exists); the draft's
    registry additions go into ``into/registry.yaml`` (``merge_additions``; ``merge=False``: the caller merges
    them, as ``extract_folder`` does once for the folder); ``annotation``: ``to_yaml(draft)`` when the caller has
    it already. Returns the folder."""
    import shutil

    from kg.errors import UsageError
    from kg.stores.files import write_atomic

    folder = Path(into) / "releases" / draft.release["id"]
    if folder.exists():
        raise UsageError(f"{folder} already exists; choose another --id")
    if not draft.facts:
        raise UsageError(f"no fact drafted from {text_path} that the loader accepts; nothing written for it")
    folder.mkdir(parents=True)
    shutil.copyfile(text_path, folder / "release.txt")
    if annotation is None or explained:
        annotation = to_yaml(draft, explained)
    write_atomic(folder / "annotation.yaml", annotation.encode("utf-8"))
    if merge:
        merge_additions(Path(into) / "registry.yaml", draft.additions, draft.release["id"])
    return folder


def merge_additions(path: Path, additions: dict[str, dict], release_id: str) -> list[str]:
    """Add the drafted registry entries to the registry file ``path`` (created if missing), each under a comment
    saying kg extract drafted it for review, at the end of its section; the rest of the file (comments, order,
    layout) stays as written: ruamel.yaml reads and writes it back. Entries whose id the file already has are
    left out. Written atomically; returns the ids added."""
    return merge_all_additions(path, [(additions, release_id)])


def merge_all_additions(path: Path, batches: list[tuple[dict[str, dict], str]]) -> list[str]:
    """``merge_additions`` for the additions of several releases, (additions, release id) in order: the file is
    read and written once (a folder of a thousand texts would otherwise read and write a growing registry a
    thousand times)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from kg.model.yamlfile import load_yaml
    from kg.stores.files import write_yaml

    path = Path(path)
    batches = [(additions, release_id) for additions, release_id in batches
               if any(additions.get(section) for section in ("organizations", "people"))]
    if not batches:
        return []
    exists = path.is_file() and path.read_text(encoding="utf-8").strip()
    registry = load_yaml(path, comments=True) if exists else CommentedMap()
    if not isinstance(registry, CommentedMap):
        from kg.errors import InputError

        raise InputError("expected a mapping of organizations, people and roles", path, 1)
    present = {str(entry["id"]) for section in ("organizations", "people", "roles")
               for entry in (registry.get(section) or []) if isinstance(entry, dict) and "id" in entry}
    added: list[str] = []
    for additions, release_id in batches:
        for section in ("organizations", "people", "roles"):
            entries = [e for e_id, e in (additions.get(section) or {}).items() if e_id not in present]
            if not entries:
                continue
            if not isinstance(registry.get(section), CommentedSeq):  # missing, empty ("people:") or "people: []"
                registry[section] = CommentedSeq()
            listed = registry[section]
            listed.fa.set_block_style()
            first = len(listed)
            listed.extend(CommentedMap(entry) for entry in entries)
            listed.yaml_set_comment_before_after_key(
                first, before=f"drafted by kg extract from release {release_id}: review the name, the kind and the id", indent=2)
            added.extend(entry["id"] for entry in entries)
            present.update(entry["id"] for entry in entries)
    if added:
        write_yaml(path, registry)
    return added


def prepare_into(into: Path, data_dir: Path | None) -> Path:
    """The data folder drafts go into, ready to read: ``into`` gets ``data_dir``'s registry.yaml, places.yaml and
    sectors.yaml when it has none of its own (drafts name the places and actors of the folder they are built in)."""
    import shutil

    into = Path(into)
    into.mkdir(parents=True, exist_ok=True)
    if data_dir is not None and not (into / "registry.yaml").exists():
        for name in ("registry.yaml", "places.yaml", "sectors.yaml"):
            if (Path(data_dir) / name).is_file() and not (into / name).exists():
                shutil.copyfile(Path(data_dir) / name, into / name)
    return into


def extract_folder(folder: Path, into: Path, data_dir: Path | None = None, progress=None,
                   explained: bool = False) -> list[tuple[Path, Draft | None, str]]:
    """Draft every ``*.txt`` of ``folder`` (one release each, its id from the file name) into the data folder
    ``into`` (``prepare_into``: with ``data_dir``'s registry, places and sectors when it has none), as ``kg
    extract TEXT --into`` does: each release's registry additions are merged into ``into/registry.yaml`` and
    known to the releases drafted after it. ``progress(done, total)`` is called after each text. Returns
    (text, draft or None, what was done) for each text, in name order."""
    from kg.errors import KgError
    from kg.model.loader import Registry, read_release_text

    texts = sorted(p for p in Path(folder).iterdir() if p.suffix == ".txt" and p.is_file())
    prepare_into(into, data_dir)
    registry, vocabulary, places = _context(into)
    actor_patterns: dict | None = None
    if registry is None:  # the additions of each release are known to the next ones
        registry = Registry(Path(into) / "registry.yaml", {}, {}, {}, set(vocabulary.places), set(vocabulary.sectors), vocabulary.gazetteer)
    results: list[tuple[Path, Draft | None, str]] = []
    additions: list[tuple[dict[str, dict], str]] = []  # merged into the registry file once, even when interrupted
    try:
        for done, path in enumerate(texts, 1):
            try:
                text = read_release_text(path, "; save it as UTF-8 and try again")
                if actor_patterns is None:  # made again only when the registry has grown
                    actor_patterns = people.patterns(registry)
                draft = extract(text, _release_id(path), registry, places, actor_patterns)
                annotation = settle(draft, text, registry, vocabulary)
                written = write_release(draft, path, into, explained, annotation, merge=False)
                additions.append((draft.additions, draft.release["id"]))
                results.append((path, draft, f"wrote {written}"))
                registry.organizations.update(draft.additions.get("organizations", {}))
                registry.people.update(draft.additions.get("people", {}))
                if any(draft.additions.values()):
                    actor_patterns = None
            except KgError as error:
                results.append((path, None, f"skipped: {error}"))
            if progress is not None:
                progress(done, len(texts))
    finally:
        merge_all_additions(Path(into) / "registry.yaml", additions)
    return results
