"""People, organisations and what they do in a release: posts, quotations, meetings, acquisitions, the
data source the text names, and the names the registry lacks (listed for review)."""

from __future__ import annotations

import functools
import re

from kg.draft.draft import Draft, slug, unique_span
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


# --------------------------------------------------------------------------- people, roles, organisations

FALLBACK_ROLES = {
    "presidente": "president", "vicepresidente": "vice-president", "direttore generale": "director-general",
    "direttore": "director", "segretario generale": "secretary-general", "amministratore delegato": "chief executive officer",
    "responsabile": "head", "coordinatore": "coordinator", "capo economista": "chief economist", "economista": "economist",
    "assessore": "councillor", "ministro": "minister", "viceministro": "deputy minister", "sindaco": "mayor",
    "consigliere": "board member", "componente della giunta": "member of the executive board", "portavoce": "spokesperson",
    "ambasciatore": "ambassador", "console": "consul", "dirigente": "executive", "fondatore": "founder",
    "titolare": "owner", "ricercatore": "researcher", "analista": "analyst", "rettore": "rector",
    "commissario": "commissioner", "delegato": "delegate", "tesoriere": "treasurer",
}
"""Posts the releases name, with their English label: the extractor's own list, used for a role the registry lacks
(a drafted registry addition, marked for review). The registry's own roles come first."""

ORG_HEADS = ("Camera", "Camere", "Unione", "Regione", "Ufficio", "Centro", "Istituto", "Osservatorio", "Confindustria",
             "Confartigianato", "Confcommercio", "Confesercenti", "Coldiretti", "Federazione", "Associazione", "Consorzio",
             "Sindacato", "Agenzia", "Fondazione", "Comune", "Provincia", "Banca", "Università", "Gruppo", "Ministero",
             "Ente", "Servizio", "Dipartimento", "Unioncamere", "Assessorato", "Ordine", "Collegio", "Comitato", "Cassa")
"""First words of an organisation's name (an unknown capitalised name starting so is an organisation, not a person):
the extractor's own list."""

NOT_NAMES = frozenset((
    "così", "lo", "la", "il", "le", "gli", "i", "un", "una", "sono", "secondo", "per", "ha", "hanno", "anche", "ma", "e",
    "nel", "nella", "in", "a", "da", "dice", "afferma", "dichiara", "commenta", "sottolinea", "spiega", "aggiunge",
    "osserva", "precisa", "ricorda", "conclude", "parole", "tra", "fra", "su", "con", "al", "alla", "dal", "dalla", "del",
    "della"))
"""Capitalised words that start a sentence or an attribution, never a person's name."""

_SPEECH_PRESENT = ("afferma", "dichiara", "commenta", "sottolinea", "spiega", "aggiunge", "osserva", "dice", "precisa",
                   "evidenzia", "rileva", "conclude", "ricorda", "prosegue", "continua", "ribadisce", "avverte", "nota",
                   "segnala", "puntualizza", "sostiene", "insiste", "chiarisce", "annuncia", "auspica", "ammette",
                   "rimarca", "esordisce", "fa sapere", "fa notare", "ha detto", "fa eco")
_SPEECH_PAST = ("detto", "dichiarato", "affermato", "commentato", "sottolineato", "spiegato", "aggiunto", "osservato",
                "precisato", "evidenziato", "rilevato", "concluso", "ricordato", "ribadito", "avvertito", "notato",
                "segnalato", "puntualizzato", "sostenuto", "annunciato", "chiarito", "ammesso", "rimarcato")
SPEECH = (rf"(?:(?:{'|'.join(_SPEECH_PRESENT)})|ha(?:nno)?\s+(?:{'|'.join(_SPEECH_PAST)})|commentando|sottolineando|"
          r"spiegando|aggiungendo|così|parole\s+d(?:i|el|ella|ell['’])|secondo|lo\s+ha\s+detto)")
"""The words of an attribution: a verb of saying ("afferma", "ha dichiarato", "commentando"), "Così", "sono le parole
di", "secondo": the extractor's own list."""
_SPEECH = re.compile(rf"(?<!\w){SPEECH}(?!\w)", re.IGNORECASE)

_TOKEN = r"(?:[A-ZÀ-Ý]['’])?[A-ZÀ-Ý][a-zà-ÿ]+(?:[-’'][A-ZÀ-Ý]?[a-zà-ÿ]+)?"  # "Rossi", "D’Amico", "Bianchi-Neri"
_NAME = rf"{_TOKEN}(?:[ \t]+{_TOKEN}){{1,3}}"
_PREP = r"(?:di|del|dello|della|dell['’]\s*|dei|degli|delle|d['’]\s*|presso(?:\s+(?:il|la|l['’]))?)"
_CAP = r"[A-ZÀ-Ý0-9](?:[\w’'&-]|\.(?=\w))*"  # "Assoenologi", "S.p.A" (a full stop only inside)
_CONN = r"(?:di|del|dello|della|dell['’]|dei|degli|delle|d['’]|per|per\s+l['’]|per\s+la|sul|sulla|sull['’]|in)"
_ORG_CAP = rf"{_CAP}(?:[ \t]+(?:{_CONN}[ \t]*)?{_CAP}|(?<=['’]){_CAP})*"
_ORG_INST = (rf"(?:{'|'.join(ORG_HEADS)})(?:[ \t]+[\w’'-]+|(?<=['’])[\w’'-]+)*?"
             r"(?=\s*(?:[,.;:()–—\"“”«»\n]|$|\s+e\s|\s+(?:che|con|ha|hanno|è|sono|commentando|presentando)\b))")


class Actors:
    """The registry's people, organisations and roles as patterns, with what the text names that the registry lacks
    drafted as additions (``draft.additions``, marked for review)."""

    def __init__(self, registry, draft: Draft, places: PlaceFinder | None, release_id: str, static: dict | None = None,
                 text: str | None = None):
        """``static``: ``patterns(registry)``, when the caller keeps it from text to text (a folder drafts many);
        ``text``: the text read with it (its patterns then hold only the registry's names it contains)."""
        self.registry, self.draft, self.places, self.release_id = registry, draft, places, release_id
        static = patterns(registry) if static is None else static
        self.posts_found: tuple[str, list[dict]] | None = None  # the text and its posts: posts() then quotations()
        self.people, self.orgs, self.roles, self.role_en = static["people"], static["orgs"], static["roles"], static["role_en"]
        self.role = static["role"]
        people_named, orgs_named = _named_in(static, text)
        # the registry's people the text names, longest first (the order a pattern of all their names tries them in)
        self.known_people = [re.compile(w) for w in people_named]
        compiled = _compiled(tuple(w for w in people_named if not _any_name_matches(w, text)), orgs_named, self.role)
        self.person, self.org, self.post_patterns, self.more, self._org_names = compiled

    def org_spans(self, text: str) -> list[tuple[int, int]]:
        """Where the text names an organisation of the registry."""
        return [m.span() for m in self._org_names.finditer(text)] if self._org_names else []

    # -- ids

    def person_id(self, name: str, evidence: str) -> str:
        name = " ".join(name.split())
        if name in self.people:
            return self.people[name]
        # "lo stesso De Zordo": a person already named in full ("Andrea De Zordo"), by the end of the name
        drafted = {entry["name"]: ident for ident, entry in self.draft.additions.get("people", {}).items()}
        fuller = sorted(known for known in [*self.people, *drafted] if known.endswith(" " + name))
        if len(fuller) == 1:
            return self.people.get(fuller[0]) or drafted[fuller[0]]
        return self._add("people", name, {"name": name}, evidence)

    def org_id(self, name: str, evidence: str) -> str:
        name = " ".join(name.split())
        if _key(name) in self.orgs:
            return self.orgs[_key(name)]
        kind = "government" if re.match(r"(?:Camer[ae]|Regione|Comune|Provincia|Ministero|Assessorato)\b", name) else \
            "association" if re.match(r"(?:Conf|Unione|Federazione|Associazione|Consorzio|Sindacato|Unioncamere)", name) else "other"
        return self._add("organizations", name, {"name": name, "kind": kind}, evidence)

    def role_id(self, words: str, evidence: str) -> str:
        words = re.sub(r"\s+nazionale$", "", " ".join(words.split()))  # "presidente nazionale" is the president
        key = _key(_masculine(words))
        ident = self.roles.get(_key(words)) or self.roles.get(key)
        if ident:
            return ident
        base = next((it for it in FALLBACK_ROLES if any(_key(f) == _key(words) for f in _role_forms(it))), None)
        if base is not None:
            english = FALLBACK_ROLES[base]
        else:  # a role with its portfolio: "assessore regionale all’Agricoltura" -> "councillor (regionale all’Agricoltura)"
            base = _masculine(" ".join(words.split()))
            head = next((it for it in sorted(FALLBACK_ROLES, key=len, reverse=True) if _key(base).startswith(it)), None)
            english = f"{FALLBACK_ROLES[head]} ({base[len(head):].strip()})" if head else base
        ident = slug(english)
        additions = self.draft.additions.setdefault("roles", {})
        if ident not in additions and ident not in self.role_en:
            additions[ident] = {"id": ident, "it": base, "en": english}
            self.draft.notes.append(f"review: the role «{words}» is not in the registry: drafted as '{ident}' in the additions")
        return ident

    def _add(self, section: str, name: str, entry: dict, evidence: str) -> str:
        additions = self.draft.additions.setdefault(section, {})
        for ident, drafted in additions.items():
            if drafted["name"] == name:
                return ident
        taken = set(getattr(self.registry, section, {}) or {}) if self.registry is not None else set()
        base = slug(name) or section[:-1]
        ident, n = base, 2
        while ident in taken or ident in additions:
            ident, n = f"{base}-{n}", n + 1
        additions[ident] = {"id": ident, **entry,
                            "source": f"drafted by kg extract from release {self.release_id}: «{evidence}»; review"}
        what = "person" if section == "people" else "organisation"
        self.draft.notes.append(f"review: the {what} «{name}» is not in the registry: drafted as '{ident}' in the additions")
        return ident

    def implied_org(self, role_words: str, text: str, evidence: str) -> str | None:
        """The organisation a role names by itself: "assessore regionale" (or "della Giunta regionale") is in the
        region's government, the region the text names most; "assessore provinciale" in the province's, the province
        the text names most (an organisation of the registry named "Provincia … <province>" when there is one)."""
        level = re.search(r"\b(regional|provincial)[ei]\b", role_words, re.I)
        if level is None or self.places is None:
            return None
        kind = "region" if level.group(1).lower() == "regional" else "province"
        gazetteer = self.places.gazetteer
        counts: dict[str, int] = {}
        for _offset, place, words in self.places.find(text):
            if words[:1].isupper() and gazetteer.place(place).kind == kind:
                counts[place] = counts.get(place, 0) + 1
        dateline = self.draft.release.get("dateline")
        if not counts and isinstance(dateline, str) and dateline in gazetteer:  # else the one of the dateline's town
            counts = {p.id: 1 for p in gazetteer.ancestors(dateline) if p.kind == kind}
        if not counts:
            return None
        place = max(counts, key=lambda p: counts[p])
        label = gazetteer.place(place).label_it
        if kind == "region":
            return self.org_id(f"Regione {label}", evidence)
        town = re.sub(r"^(?i:provincia\s+(?:autonoma\s+)?di)\s+", "", label)  # "provincia di Trento" -> "Trento"
        for name, ident in self.orgs.items():  # "Provincia autonoma di Trento"
            if re.fullmatch(rf"provincia\b.*\b{re.escape(_key(town))}", name):
                return ident
        return self.org_id(f"Provincia di {town}", evidence)

    def antecedent(self, noun: str, text: str, before: int, evidence: str) -> str | None:
        """The organisation "l’associazione", "il consorzio" refers to: the last one named before, by a name that
        starts with that word ("l’Associazione Vignaioli Trentini ... il presidente dell’associazione")."""
        head = noun.lower()
        found: list[tuple[int, str]] = []
        for match in re.finditer(rf"(?<!\w){head.capitalize()}\b", text[:before]):
            name = re.match(rf"{_ORG_INST}|{_ORG_CAP}", text[match.start():before])
            if name and len(name.group(0).split()) > 1:
                found.append((match.start(), name.group(0)))
        for a, b in self.org_spans(text[:before]):
            if _key(text[a:b]).startswith(head):
                found.append((a, text[a:b]))
        if not found:
            return None
        return self.org_id(max(found)[1], evidence)


def patterns(registry) -> dict:
    """The registry's names and the patterns made of them: what :class:`Actors` reads. A caller drafting many texts
    with one registry makes it once and passes it on (its regular expressions take longer to make than a text to
    read); a registry that has grown (a folder's additions) needs it made again."""
    people = registry.people.items() if registry is not None else []
    orgs = registry.organizations.items() if registry is not None else []
    roles = registry.roles.items() if registry is not None else []
    static: dict = {"people": {entry["name"]: ident for ident, entry in people if entry}, "orgs": {}, "roles": {},
                    "role_en": {ident: entry["en"] for ident, entry in roles if entry}}
    for ident, entry in orgs:
        if entry:
            static["orgs"].setdefault(_key(entry["name"]), ident)
            if entry.get("name_en"):
                static["orgs"].setdefault(_key(entry["name_en"]), ident)
    for ident, entry in roles:
        if entry:
            for form in _role_forms(entry["it"]):
                static["roles"].setdefault(_key(form), ident)
    for it in FALLBACK_ROLES:
        for form in _role_forms(it):
            static["roles"].setdefault(_key(form), "")  # "": not in the registry, drafted when used
    # the names as patterns, longest first, each with the key a text must contain for it to match (_named_in)
    static["person_names"] = [(_fold(n), _words(n)) for n in sorted(static["people"], key=len, reverse=True)]
    static["org_names"] = [(_fold(n), _words(n)) for n in sorted(static["orgs"], key=len, reverse=True)]
    # a role with the government it sits in and its portfolio: "assessore regionale all’Agricoltura"
    static["role"] = (rf"(?i:{'|'.join(_words(r) for r in sorted(static['roles'], key=len, reverse=True))})(?!\w)"
                      r"(?:\s+(?:regionale|comunale|provinciale|nazionale))?(?:\s+(?:all['’]|alla|allo|alle|agli|al|ai)\s*"
                      r"[A-ZÀ-Ý][\w’']*(?:\s+[a-zà-ÿ]{4,})?(?=[\s,.;:]))?")
    return static


def _fold(name: str) -> str:
    """A name or a text as compared by :func:`_named_in`: case folded, apostrophes one, spaces one."""
    return " ".join(name.replace("'", "’").casefold().split())


def _named_in(static: dict, text: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The patterns of the registry's people and organisations that ``text`` names (all of them when there is no
    text). A name's pattern matches only where its folded words are in the folded text, so leaving the others out
    changes no match; it keeps the patterns small, made in milliseconds, where a folder's registry grows to
    thousands of names."""
    if text is None:
        return tuple(w for _k, w in static["person_names"]), tuple(w for _k, w in static["org_names"])
    folded = _fold(text)
    return (tuple(w for k, w in static["person_names"] if k in folded),
            tuple(w for k, w in static["org_names"] if k in folded))


_ANY_NAME = re.compile(_NAME)


def _any_name_matches(words: str, text: str | None) -> bool:
    """Whether the pattern of any name (``_NAME``) matches every place of ``text`` the registry's name ``words``
    (a pattern) matches: then the name need not be in the patterns of posts, which are made again for every
    new set of names (tens of milliseconds each)."""
    if text is None:
        return False
    return all(_ANY_NAME.fullmatch(m.group(0)) for m in re.finditer(words, text))


@functools.lru_cache(maxsize=64)
def _compiled(person_names: tuple[str, ...], org_names: tuple[str, ...], role: str):
    """The patterns made of the names: the person, the organisation, the posts, a second post, and the
    organisations' names alone."""
    person = rf"(?:{'|'.join([*person_names, _NAME])})"
    org = "|".join(org_names)
    # atomic: an organisation's name is not cut short to make its last words a person's ("del Consorzio Vini
    # Dolomitici" is not "Consorzio" and "Vini Dolomitici")
    org_pattern = rf"(?>(?i:{org})(?!\w)|{_ORG_INST}|{_ORG_CAP})" if org else rf"(?>{_ORG_INST}|{_ORG_CAP})"
    more = re.compile(rf"(?:\s+e|,\s+che\s+è\s+anche)\s+(?:(?:il|la|l['’])\s*)?(?P<role>{role})\s+{_PREP}\s*"
                      rf"(?P<org>Giunta\s+(?:regionale|provinciale)|{org_pattern})")
    return (person, org_pattern, _post_patterns(person, role, org_pattern), more,
            re.compile(rf"(?i:{org})(?!\w)") if org else None)


def _key(name: str) -> str:
    return " ".join(name.replace("'", "’").lower().split())


def _words(name: str) -> str:
    """A name as a pattern: any apostrophe, any spacing."""
    return r"\s+".join(re.sub(r"['’]", "['’]", re.escape(word)) for word in name.split())


def _role_forms(it: str) -> list[str]:
    """A role's words and their feminine ("segretaria generale", "direttrice", "la presidente" is the same word)."""
    first, *rest = it.split()
    forms = {first}
    if first.endswith("tore"):
        forms.add(first[:-4] + "trice")
    if first.endswith(("ario", "ore")) or (first.endswith("o") and not first.endswith("tore")):
        forms.add(first[:-1] + "a")
    if first.startswith("vice") and len(first) > 4:
        forms.update({"vice " + first[4:], "vice-" + first[4:]})
    return [" ".join([form, *rest]) for form in sorted(forms)]


def _masculine(words: str) -> str:
    first, *rest = words.split()
    low = first.lower()
    if low.endswith("trice"):
        first = first[:-5] + "tore"
    elif low.endswith("aria"):
        first = first[:-1] + "o"
    elif low.endswith("ora"):
        first = first[:-1] + "e"
    return " ".join([first, *rest])


def _clean_name(name: str, actors: Actors) -> str | None:
    """A person's name from a capitalised run: sentence words ("Così") dropped, organisations and places refused."""
    words = name.split()
    while words and words[0].lower() in NOT_NAMES | {_key(r) for r in actors.roles}:
        words = words[1:]
    if len(words) < 2 or words[0] in ORG_HEADS or any(w in ORG_HEADS for w in words):
        return None
    candidate = " ".join(words)
    if candidate in actors.people:
        return candidate
    if actors.places is not None and any(w[:1].isupper() for _o, _p, w in actors.places.find(candidate)):
        return None  # "Lavoro Piemonte", "Reggio Calabria": a place's name is no one's
    if _key(candidate) in actors.orgs:
        return None
    return candidate


_NOUNS = "associazione|consorzio|federazione|fondazione|unione|camera|confederazione|cooperativa"
"""Words that name again an organisation the text named before ("il presidente dell’associazione")."""


def _post_patterns(person: str, role: str, org: str) -> list[re.Pattern]:
    role_org = (rf"(?P<role>{role})(?:\s+{_PREP}\s*(?:(?P<org>{org})|(?P<noun>{_NOUNS})(?!\w))"
                r"(?:\s+in\s+(?P<where>[A-ZÀ-Ý][\wà-ù]+))?"
                r"(?:\s+con\s+delega\s+(?:all['’]|alla|allo|alle|agli|al|ai|a)\s*(?P<delegation>[^,–—\n]+?)(?=\s*[,–—\n]))?)?")
    article = r"(?:\b(?i:il|la|lo|l['’])\s*)?"
    return [
        re.compile(rf"(?P<person>{person}),\s+{article}{role_org}"),  # Nome Cognome, presidente di Org
        re.compile(rf"{article}{role_org},?\s+(?P<person>{person})"),  # il presidente di Org, Nome Cognome
        re.compile(rf"(?P<person>{person})\s*\(\s*{role_org}\s*\)"),  # Nome Cognome (presidente di Org)
        # il presidente di Org Nome Cognome (no comma): the organisation's capitalised words, then two words of a name
        # before a verb or a stop; the words groups of the other forms, never matched here
        re.compile(rf"{article}(?P<role>{role})\s+{_PREP}\s*(?P<org>{_CAP}(?:[ \t]+(?:{_CONN}[ \t]*)?{_CAP})*?)"
                   rf"[ \t]+(?P<person>{_TOKEN}[ \t]+{_TOKEN})(?=\s*[.;:–—»”\"]|\s*,(?!\s*{_TOKEN}[ \t]+{_TOKEN})"
                   r"|\s+(?:ha|hanno|che|è)\b)"
                   r"(?P<where>(?!))?(?P<delegation>(?!))?(?P<noun>(?!))?"),
    ]


def _post_matches(form: int, pattern: re.Pattern, text: str, actors: Actors):
    """The matches of one form of post in ``text``, each with where its person's name ends. The patterns leave
    out the registry's names that the pattern of any name matches (:func:`_compiled`); where the name ends a form
    ("il presidente di Org, Nome Cognome"), the registry's name found there is the person, longest first, as it
    would be with every name in the pattern, and the next match is looked for after it."""
    if form != 1:
        for match in pattern.finditer(text):
            yield match, match.end("person")
        return
    at = 0
    while (found := pattern.search(text, at)) is not None:
        start, end = found.start("person"), found.end("person")
        known = next((m.end() for m in (w.match(text, start) for w in actors.known_people) if m is not None), None)
        if known is not None:
            end = known
        yield found, end
        at = end if end > found.start() else found.end()


def _posts_in(text: str, actors: Actors) -> list[dict]:
    """The posts stated in the text, each with its span (``_span``) and the person's words (``_name``)."""
    if actors.posts_found is not None and actors.posts_found[0] == text:
        return actors.posts_found[1]
    found: list[dict] = []
    more = actors.more
    org_spans = actors.org_spans(text)
    for form, pattern in enumerate(actors.post_patterns):
        for match, person_end in _post_matches(form, pattern, text, actors):
            person = text[match.start("person"):person_end]
            name = _clean_name(person, actors)
            if name is None:
                continue
            # where the words kept as the name begin (the first ones may be dropped; "Luca\nMoser" is "Luca Moser")
            words = [m.start() for m in re.finditer(r"\S+", person)]
            person_start = match.start("person") + words[len(words) - len(name.split())]
            if any(a < person_end and person_start < b for a, b in org_spans):
                continue  # "del Sindacato Lavoro Piemonte" is an organisation, not "Sindacato" and a person
            span_start, span_end = (match.start(), person_end if form == 1 else match.end()) if form in (1, 3) \
                else (person_start, match.end())
            org_words = match.group("org")
            if form == 3:  # "il presidente di Unioncamere Gian Paolo Coscia": where the text names the organisation
                # by fewer of these words elsewhere ("Coscia (Unioncamere)"), the rest begins the person's name
                tokens = org_words.split()
                for cut in range(len(tokens) - 1, 0, -1):
                    shorter = " ".join(tokens[:cut])
                    elsewhere = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(shorter)}(?![\w ]*{re.escape(tokens[cut])})", text)]
                    if any(not match.start() <= at < match.end() for at in elsewhere) and len(tokens) - cut + 2 <= 4:
                        org_words, name = shorter, " ".join([*tokens[cut:], name])
                        break
            stated = [(match.group("role"), org_words, match.group("where"), match.group("delegation"),
                       match.group("noun"))]
            if form == 0:  # "Nome, presidente di A e componente della giunta di B", "…, che è anche …": two posts
                while (extra := more.match(text, span_end)) is not None:
                    stated.append((extra.group("role"), extra.group("org"), None, None, None))
                    span_end = extra.end()
            for role, org, where, delegation, noun in stated:
                found.append({"_name": name, "_role": role, "_org": org, "_span": (span_start, span_end),
                              "_where": where, "_delegation": delegation, "_noun": noun})
    actors.posts_found = (text, found)
    return found


def posts(text: str, draft: Draft, registry, places: PlaceFinder, actors: Actors | None = None) -> None:
    """People in posts, as attributions write them: 'Nome Cognome, presidente di Org', 'il presidente di Org, Nome
    Cognome', 'presidente di Org Nome Cognome', two posts of one person ('presidente di A e componente della giunta
    di B'), a role that names its organisation by itself ('assessore regionale': the region's government). People,
    organisations and roles the registry lacks are drafted as additions (``draft.additions``), marked for review."""
    actors = actors or Actors(registry, draft, places, draft.release.get("id", "draft"), text=text)
    seen = set()
    for found in sorted(_posts_in(text, actors), key=lambda f: f["_span"]):
        a, b = found["_span"]
        evidence = text[a:b].rstrip(" ,")
        org_words = found["_org"]
        role_words = " ".join(found["_role"].split())
        if found["_noun"]:  # "il presidente dell’associazione": the association named before
            antecedent = actors.antecedent(found["_noun"], text, a, evidence)
            if antecedent is None:
                continue
            organization = antecedent
        elif org_words and re.fullmatch(r"Giunta\s+(?:regionale|provinciale)", org_words):  # the region's government
            implied = actors.implied_org(org_words, text, evidence)
            if implied is None:
                continue
            organization = implied
        elif org_words and re.match(r"(?i:sindac[oa])\b", role_words) and not org_words.startswith("Comune"):
            organization = actors.org_id(f"Comune di {org_words}", evidence)  # "sindaco di Bergamo"
        elif org_words and _is_place(org_words, places):
            continue  # "ambasciatore d’Italia": a place is no organisation; left to the analyst
        elif org_words:
            organization = actors.org_id(org_words, evidence)
        else:
            implied = actors.implied_org(role_words, text, evidence)
            if implied is None:
                continue
            organization = implied
        person = actors.person_id(found["_name"], evidence)
        role = actors.role_id(role_words, evidence)
        key = (person, role, organization)
        if key in seen:
            continue
        seen.add(key)
        fact: dict = {"kind": "post", "person": person, "organization": organization, "role": role}
        if found["_delegation"]:
            fact["delegation"] = found["_delegation"].strip()
        if found["_where"]:
            where = [p for _o, p, _w in places.find(found["_where"])]
            if where:
                fact["accredited_to"] = where[0]
        if found["_noun"]:
            fact["review"] = f"the organisation is the one named before as «{found['_noun']}»: check"
        elif not org_words or org_words.startswith("Giunta"):
            fact["review"] = f"the organisation is implied by «{role_words}», not named: check"
        start, end = unique_span(text, a, a + len(evidence), _sentence_of(text, a))
        fact["evidence"] = text[start:end]
        draft.facts.append(fact)


def _is_place(words: str, places: PlaceFinder | None) -> bool:
    """Whether words are a place's whole name ("Bergamo", "Reggio Emilia")."""
    return places is not None and any(w == words.strip() for _o, _p, w in places.find(words))


def _sentence_of(text: str, offset: int) -> tuple[int, int]:
    for start, end in split_sentences(text):
        if start <= offset < end:
            return start, end
    return 0, len(text)


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
    drafted = {entry.get("name") for section in draft.additions.values() for entry in section.values()}
    seen = []
    for match in re.finditer(r"(?<![.!?“\n]\s)(?<!^)\b([A-ZÀ-Ý][a-zà-ÿ’']+(?:\s+(?:di|del|della|dell['’])?\s*[A-ZÀ-Ý][a-zà-ÿ’']+)*)", text):
        name = match.group(1)
        if name in seen or any(name in k or k in name for k in known) or name in place_words or any(d and d in name for d in drafted):
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


_MARKS = (("“", "”"), ("«", "»"), ('"', '"'))
"""Quotation marks: curly, guillemets, straight."""
_INSIDE = re.compile(rf"\s[–—-]\s+(?P<attr>[^–—\n]*?(?<!\w){SPEECH}(?!\w)[^–—\n]*?)\s[–—-][.,;:]?\s+", re.IGNORECASE)
_END = re.compile(r"[.!?](?=\s|$)|\n|[“«\"]")


def _quoted(text: str) -> list[tuple[int, int]]:
    """(start, end) of the words inside each pair of quotation marks, in the text's order; a pair inside another is
    the other's."""
    spans = []
    for opening, closing in _MARKS:
        for match in re.finditer(rf"{re.escape(opening)}([^{re.escape(closing)}\n]+){re.escape(closing)}", text):
            spans.append((match.start(1), match.end(1)))
    spans.sort()
    kept: list[tuple[int, int]] = []
    for span in spans:
        if not any(a <= span[0] and span[1] <= b for a, b in kept):
            kept.append(span)
    return kept


def _after(text: str, end: int, limit: int) -> tuple[int, int] | None:
    """The attribution after a quotation: the clause after its closing mark ('”, afferma X, presidente di Y.') or the
    next sentence when it is one ('”. Così X, direttore di Y.'), up to its end; None when it says no one spoke."""
    start = end + 1
    while start < limit and text[start] in " ,.:;–—-\t":
        start += 1
    stop = _END.search(text, start)
    finish = min(stop.start() if stop else len(text), limit)
    segment = text[start:finish]
    if not segment.strip() or not _SPEECH.search(segment):
        return None
    return start, finish


def _before(text: str, start: int, floor: int) -> tuple[int, int] | None:
    """The attribution before a quotation ('La presidente di X, Nome, commenta: “'), from the start of its sentence."""
    opening = start - 1
    begin = max(floor, text.rfind("\n", 0, opening) + 1)
    for stop in re.finditer(r"[.!?]\s", text[begin:opening]):
        begin = begin + stop.end()
    segment = text[begin:opening].rstrip()
    if not segment or not segment.endswith((":", ",")):
        return None
    if not _SPEECH.search(segment) and not re.match(r"(?i:per)\s", segment):  # "Per il presidente di X, Nome, «…»"
        return None
    return begin, begin + len(segment.rstrip(":, "))


def _speaker(text: str, attribution: tuple[int, int], actors: Actors, posts_found: list[dict]) -> tuple[str | None, list[dict]]:
    """The person an attribution names, and the posts it states: a post stated there, else a person of the registry
    or a capitalised name, else a surname of a person the text names in a post."""
    a, b = attribution
    stated = [p for p in posts_found if p["_span"][0] < b and a < p["_span"][1]]
    if stated:
        return stated[0]["_name"], [p for p in stated if p["_name"] == stated[0]["_name"]]
    segment = text[a:b]
    for name in sorted(actors.people, key=len, reverse=True):
        if re.search(rf"(?<!\w){_words(name)}(?!\w)", segment):
            return name, []
    for match in re.finditer(_NAME, segment):
        words = match.group(0)
        if match.start() and segment[match.start() - 1] in "'’":  # "all’Agricoltura Giulia Pedrotti": a noun first
            words = words.split(None, 1)[1] if " " in words else ""
        name = _clean_name(words, actors)
        if name:
            return name, []
    named = [post["_name"] for post in posts_found] + [name for name in actors.people if name in text] + [
        entry["name"] for entry in actors.draft.additions.get("people", {}).values()]
    for name in named:  # "ha spiegato Rossetti", "conclude Di Fabio": a person the text names in full
        surname = name.split(None, 1)[1] if " " in name else name
        if re.search(rf"(?<!\w){_words(surname)}(?!\w)", segment):
            return name, []
    return None, []


def quotations(text: str, draft: Draft, registry, places: PlaceFinder | None = None, actors: Actors | None = None) -> None:
    """Quoted words (“…”, «…», "…") with their speaker: the attribution inside them between dashes (“… – afferma X –
    …”), after them in the same or the next sentence ('”, dice X, presidente di Y', '”. Così X', '”. Sono le parole
    di X'), or before them ('X, presidente di Y, commenta: “'); two quoted parts around one attribution
    ('“…”, afferma X. “…”') are one quotation. ``posts`` lists the posts its attribution states (else the speaker's
    posts stated elsewhere in the text); a speaker the registry lacks is drafted as an addition."""
    actors = actors or Actors(registry, draft, places, draft.release.get("id", "draft"), text=text)
    posts_found = _posts_in(text, actors)
    quoted = _quoted(text)
    drafted_posts = [f for f in draft.facts if f["kind"] == "post"]
    index = 0
    while index < len(quoted):
        start, end = quoted[index]
        parts: list[tuple[int, int]] = []
        attribution = None
        inside = _INSIDE.search(text, start, end)
        if inside:
            parts = [(start, inside.start()), (inside.end(), end)]
            attribution = inside.span("attr")
        else:
            parts = [(start, end)]
        limit = quoted[index + 1][0] - 1 if index + 1 < len(quoted) else len(text)
        if attribution is None:
            attribution = _after(text, end, limit)
            if attribution and index + 1 < len(quoted):
                # “…”, afferma X, “…”: the next quoted words continue this quotation when nothing but the attribution
                # stands between them and no one else is named after them
                following_start, following_end = quoted[index + 1]
                between = text[end + 1: following_start - 1]
                after_next = _after(text, following_end, quoted[index + 2][0] - 1 if index + 2 < len(quoted) else len(text))
                if "\n" not in between and after_next is None and len(between) < 300:
                    parts.append((following_start, following_end))
                    index += 1
        if attribution is None:
            previous_end = quoted[index - 1][1] + 1 if index > 0 else 0
            attribution = _before(text, start, previous_end)
        index += 1
        words = sum(len(text[a:b].split()) for a, b in parts)
        if attribution is None:
            if words >= 12:
                draft.notes.append(f"review: quoted words with no attribution: «{text[start:end][:60]}…»")
            continue
        name, stated = _speaker(text, attribution, actors, posts_found)
        if name is None:
            draft.notes.append(f"review: no speaker found for the quotation «{text[start:end][:60]}…» "
                               f"(attribution: «{text[attribution[0]:attribution[1]]}»)")
            continue
        evidence = [text[a:b].strip().rstrip(",;:").strip() for a, b in parts]
        evidence = [e for e in evidence if e]
        attribution_words = text[attribution[0]:attribution[1]].strip().rstrip(",:;.")
        if stated:  # the attribution ends with the last post it states ("Lo ha detto X, presidente di Y")
            last = max(p["_span"][1] for p in stated)
            if attribution[0] < last < attribution[1]:
                attribution_words = text[attribution[0]:last].strip().rstrip(",:;.")
        speaker = actors.person_id(name, attribution_words)
        fact: dict = {"kind": "quotation", "speaker": speaker, "attribution": attribution_words, "evidence": evidence}
        keys = {(p["_span"], " ".join(p["_role"].split()).lower()) for p in stated}
        linked = [f for f in drafted_posts if f["person"] == speaker and any(
            text.find(f["evidence"]) <= span[0] < text.find(f["evidence"]) + len(f["evidence"]) for span, _r in keys)]
        linked = linked or [f for f in drafted_posts if f["person"] == speaker]
        if linked:
            fact["_posts"] = linked
        if any(text.count(part) > 1 for part in evidence):
            fact["review"] = "a quoted part occurs twice in the text: quote a longer passage"
        draft.facts.append(fact)
