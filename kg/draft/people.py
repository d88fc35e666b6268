"""People, organisations and what they do in a release: posts, quotations, meetings, acquisitions, the
data source the text names, and the names the registry lacks (listed for review)."""

from __future__ import annotations

import re

from kg.draft.draft import Draft, unique_span
from kg.draft.places import PlaceFinder
from kg.model.evidence import sentences as split_sentences
from kg.model.periods import WEEKDAYS_IT


def _names(registry) -> tuple[dict, dict, dict]:
    """Registry names -> ids: organisations (Italian and English names), people, roles (Italian word)."""
    if registry is None:
        return {}, {}, {}
    orgs = {}
    for org_id, entry in registry.organizations.items():
        if entry:
            orgs[entry["name"]] = org_id
            if entry.get("name_en"):
                orgs.setdefault(entry["name_en"], org_id)
    people = {entry["name"]: person for person, entry in registry.people.items() if entry}
    roles = {entry["it"].lower(): role for role, entry in registry.roles.items() if entry}
    return orgs, people, roles


def _alternation(names) -> str:
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) or "(?!)"


def posts(text: str, draft: Draft, registry, places: PlaceFinder) -> None:
    """People in posts, as attributions write them: 'il presidente di X, Nome' or 'Nome, presidente di X'."""
    orgs, people, roles = _names(registry)
    if not (orgs and people and roles):
        return
    role = rf"(?P<role>{_alternation(r[0].upper() + r[1:] for r in roles)}|{_alternation(roles)})"
    org = rf"(?P<org>{_alternation(orgs)})"
    delegation = r"(?:\s+con delega a(?:ll['’]|l|lla|i|gli)?\s*(?P<delegation>[^,]+?))?"
    where = r"(?:\s+in\s+(?P<where>[A-ZÀ-Ý][\wà-ù]+))?"
    person = rf"(?P<person>{_alternation(people)})"
    patterns = [
        rf"\b(?:il |la |l['’])?{role}\s+(?:di|della|del|dell['’])\s+{org}{where}{delegation},\s+{person}",
        rf"{person},\s+{role}\s+(?:di|della|del|dell['’])\s+{org}{where}{delegation}(?=\s*[–,.-])",
    ]
    seen = set()
    for pattern in patterns:
        for match in re.finditer(pattern, text):
            key = (match.group("person"), match.group("role").lower(), match.group("org"))
            if key in seen:
                continue
            seen.add(key)
            fact = {"kind": "post", "person": people[match.group("person")], "organization": orgs[match.group("org")],
                    "role": roles[match.group("role").lower()], "evidence": match.group(0)}
            if match.group("delegation"):
                fact["delegation"] = match.group("delegation").strip()
            if match.group("where"):
                found = [p for _o, p, _w in places.find(match.group("where"))]
                if found:
                    fact["accredited_to"] = found[0]
            if text.count(fact["evidence"]) > 1:
                fact["review"] = "the same words occur twice in the text; quote a longer passage"
            draft.facts.append(fact)


def meetings(text: str, draft: Draft, registry, places: PlaceFinder, dateline) -> None:
    """'incontro tra X e Y ... che si è tenuto martedì': attendees from the registry, the date derived."""
    from datetime import timedelta

    orgs, people, _roles = _names(registry)
    for match in re.finditer(r"\bincontr[oi]\s+(?:tra|fra|con)\b[^.]*", text):
        clause = match.group(0)
        spans = []
        for name, ident in {**orgs, **people}.items():
            for found in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", clause[:200]):
                spans.append((found.start(), found.end(), ident))
        # a name inside a longer one ("Confindustria" in "Confindustria Ancona") is not an attendee, nor an
        # organisation named only as someone's post ("l’Ambasciatore della Repubblica ..., Rashad Aslanov")
        spans = [(a, b, i) for a, b, i in spans if not any(c <= a and b <= d and (c, d) != (a, b) for c, d, _j in spans)]
        spans = [(a, b, i) for a, b, i in spans
                 if not re.search(r"\b(?:[Aa]mbasciatore|presidente|vicepresidente|direttore)\s+(?:di|della|del|dell['’])\s*$", clause[max(0, a - 40):a])]
        attendees = []
        for _a, _b, ident in sorted(spans):
            if ident not in attendees:
                attendees.append(ident)
        if len(attendees) < 2:
            continue
        fact = {"kind": "meeting", "attendees": attendees}
        day = re.search(rf"\b({'|'.join(WEEKDAYS_IT)})\b", clause)
        end = len(clause)
        if day and dateline is not None:
            published = dateline.value
            delta = (published.weekday() - WEEKDAYS_IT.index(day.group(1))) % 7 or 7
            fact["date"] = (published - timedelta(days=delta)).isoformat()
            fact["date_basis"] = "derived"
            fact["date_weekday"] = day.group(1)
            end = day.end()
            seat = re.search(r"nella sede di\s+(?P<org>" + _alternation(orgs) + ")", clause[day.end():])
            if seat and registry is not None:
                premises = (registry.organizations.get(orgs[seat.group("org")]) or {}).get("premises")
                if premises:
                    fact["location"] = premises
                    end = day.end() + seat.end()
        else:
            fact["review"] = "no weekday or date found for the meeting: fill 'date'"
            fact["date"] = "TODO"
        start = match.start()
        about = re.search(r"([^.;:–]*?)\s+(?:sono stati|sono state|è stato|è stata)\s+al centro dell['’]$", text[max(0, start - 200):start])
        if about:
            start = max(0, start - 200) + about.start(1)
            topics = [t.strip() for t in re.split(r"\s+e\s+(?=l[ea]?\s|il\s|i\s|gli\s)", about.group(1)) if t.strip()]
            if topics:
                fact["about"] = topics
        while start < len(text) and text[start].isspace():
            start += 1
        fact["evidence"] = text[start: match.start() + end]
        draft.facts.append(fact)


def acquisitions(text: str, draft: Draft, registry) -> None:
    """'l'acquisizione di X da parte di (la compagnia azera) Y': recorded as stated, never as completed."""
    orgs, _people, _roles = _names(registry)
    for match in re.finditer(rf"\bacquisizione di\s+(?P<acquired>{_alternation(orgs)})\s+da parte d(?:i|ella|el|ell['’])\s+(?:[a-zà-ù]+\s+){{0,3}}(?P<acquirer>{_alternation(orgs)})", text):
        completed = re.search(r"\b(?:completat[ao]|conclus[ao]|perfezionat[ao])\b", text[match.end():match.end() + 80])
        fact = {"kind": "acquisition", "acquirer": orgs[match.group("acquirer")], "acquired": orgs[match.group("acquired")],
                "status": "completed" if completed else "not-stated", "evidence": match.group(0)}
        if completed:
            fact["review"] = "the text seems to say the deal was completed: check"
        draft.facts.append(fact)


def data_sources(text: str, draft: Draft, registry) -> None:
    """Where the figures come from, when the text names it: 'dati Istat', 'su dati Istat', 'i dati delle dogane
    emiratine' (the provider, an organisation of the registry) and who elaborated them, another organisation of
    the registry named in the same sentence beside words of elaborating ('elaborazione', 'elaborati', 'Ufficio
    studi', 'Ufficio', 'rileva')."""
    orgs, _people, _roles = _names(registry)
    if not orgs:
        return
    names = _alternation(orgs)
    provider_words = re.compile(rf"\bdati\s+(?:provvisori\s+)?(?:diffusi\s+)?(?:d(?:al|all['’]|alla|ai|agli|el|ell['’]|ella|elle|ei|egli)\s*)?"
                                rf"(?P<org>{names})(?!\w)")
    seen = set()
    for sentence_start, sentence_end in split_sentences(text):
        sentence = text[sentence_start:sentence_end]
        if "“" in sentence or sentence.startswith(('"', "«")):
            continue
        found = provider_words.search(sentence)
        if found is None or orgs[found.group("org")] in seen:
            continue
        provider = orgs[found.group("org")]
        seen.add(provider)
        fact: dict = {"kind": "data-source", "provider": provider}
        begin, finish = found.start(), found.end()
        if re.search(r"elabora|\bstudi\b|\brileva\b|\bosservatorio\b|\bufficio\b", sentence, re.I):
            others = [(m.start(), m.end(), orgs[m.group(0)]) for m in re.finditer(rf"(?<!\w)(?:{names})(?!\w)", sentence)
                      if orgs[m.group(0)] != provider]
            if others:
                a, b, elaborated_by = min(others, key=lambda o: abs(o[0] - found.start()))
                fact["elaborated_by"] = elaborated_by
                begin, finish = min(begin, a), max(finish, b)
                fact["review"] = "who elaborated the data is the organisation named nearest the provider: check"
        start, end = unique_span(text, sentence_start + begin, sentence_start + finish, (sentence_start, sentence_end))
        fact["evidence"] = text[start:end]
        draft.facts.append(fact)


def candidates(text: str, draft: Draft, registry, places: PlaceFinder) -> None:
    """Capitalised names that are neither in the registry nor places: listed for review, not guessed."""
    orgs, people, _roles = _names(registry)
    known = set(orgs) | set(people)
    place_words = {w for _o, _p, w in places.find(text)}
    delegations = {f.get("delegation", "") for f in draft.facts if f["kind"] == "post"}
    seen = []
    for match in re.finditer(r"(?<![.!?“\n]\s)(?<!^)\b([A-ZÀ-Ý][a-zà-ÿ’']+(?:\s+(?:di|del|della|dell['’])?\s*[A-ZÀ-Ý][a-zà-ÿ’']+)*)", text):
        name = match.group(1)
        if name in seen or any(name in k or k in name for k in known) or name in place_words:
            continue
        before = text[max(0, match.start() - 2):match.start()]
        if before.strip() in ("", ".", "“", "–") and (match.start() == 0 or text[match.start() - 1] == "\n"):
            continue
        if len(name.split()) < 2 or name.lower() in WEEKDAYS_IT or any(name in d for d in delegations) or any(
                word in place_words for word in name.split()):
            continue  # single capitalised words are too often sentence starts, continents or headings
        seen.append(name)
    for name in seen:
        draft.notes.append(f"review: «{name}» may be an organisation or a person not in the registry")
    for _offset, name, code in places.unknown(text, place_words):
        note = f"review: «{name}» (ISO {code}) is a place this draft may not name"
        if note not in draft.notes:
            draft.notes.append(note)


def quotations(text: str, draft: Draft, registry) -> None:
    """“…” passages, joined across the attribution that interrupts them, with their speaker."""
    people = {entry["name"]: person for person, entry in (registry.people.items() if registry else []) if entry}
    for match in re.finditer(r"“([^”]+)”", text):
        inner = match.group(1)
        attribution = re.search(r"\s[–-]\s(?P<attr>(?:afferma|dichiara|commenta|sottolinea|spiega|aggiunge|osserva)\b[^–-]*?)\s*[–-]\.?\s", inner)
        parts = [inner] if attribution is None else [inner[: attribution.start()], inner[attribution.end():]]
        parts = [p.strip().rstrip(".") if i == len(parts) - 1 else p.strip() for i, p in enumerate(parts) if p.strip()]
        speaker = None
        where = attribution.group("attr") if attribution else text[match.end(): match.end() + 160]
        for name, person in people.items():
            if name in where:
                speaker = person
        fact = {"kind": "quotation", "evidence": parts}
        if speaker:
            fact["speaker"] = speaker
        else:
            fact["speaker"] = "TODO"
            fact["review"] = "speaker not found in the registry: " + (where.strip()[:80] if where else "no attribution")
        if attribution:
            fact["attribution"] = attribution.group("attr").split(",")[0].strip()
        draft.facts.append(fact)
