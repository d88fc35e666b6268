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

from pathlib import Path

from kg.draft import people
from kg.draft.draft import Draft, slug
from kg.draft.figures import draft_figures
from kg.draft.places import PlaceFinder
from kg.model import italian as italian
from kg.model.evidence import sentences as split_sentences
from kg.model.schema import KINDS

__all__ = ["Draft", "PlaceFinder", "extract", "extract_file", "to_yaml"]

def extract(text: str, release_id: str, registry=None, places: PlaceFinder | set[str] | None = None) -> Draft:
    """A draft annotation (plain data, ready for YAML) of ``text``; ``places``: the place finder (or the
    place ids it may name) to read places with, default every place of the package's gazetteer."""
    places = places if isinstance(places, PlaceFinder) else PlaceFinder(known=places)
    spans = split_sentences(text)
    release: dict = {"id": release_id, "text": "release.txt", "language": "it"}
    draft = Draft(release)
    dateline = italian.find_dateline(text)
    if dateline:
        release["published"] = dateline.value.isoformat()
        release["evidence"] = dateline.text
        place = places.town(dateline.kind) or slug(dateline.kind)
        if place in places:
            release["dateline"] = place
    else:
        draft.notes.append("review: no dateline ('Città, 20 febbraio 2026') found; fill release.published and release.evidence")
    if registry is not None:
        for org_id, entry in sorted(registry.organizations.items()):
            if entry and entry.get("kind") == "unit" and entry["name"] in text:
                release["author"] = org_id
                release["author_evidence"] = entry["name"]
                if entry.get("part_of"):
                    release["publisher"] = entry["part_of"]
    if "publisher" not in release:
        draft.notes.append("review: the publisher is not an organisation of the registry; set release.publisher")
        release["publisher"] = "TODO"

    ids: set[str] = set()

    def new_id(base: str) -> str:
        candidate, n = base, 2
        while candidate in ids:
            candidate, n = f"{base}-{n}", n + 1
        ids.add(candidate)
        return candidate

    draft_figures(text, spans, dateline.body if dateline else 0, draft, places)

    people.posts(text, draft, registry, places)
    people.quotations(text, draft, registry)
    people.meetings(text, draft, registry, places, dateline)
    people.acquisitions(text, draft, registry)
    people.data_sources(text, draft, registry)
    people.candidates(text, draft, registry, places)
    _finish(draft, new_id)
    return draft


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
        if fact["kind"] == "quotation" and fact.get("speaker") in posts:
            fact["posts"] = [posts[fact["speaker"]]]
        if fact["kind"] == "meeting":
            attending = [posts[a] for a in fact["attendees"] if a in posts]
            if attending:
                fact["attendee_posts"] = attending
    for fact in draft.facts:
        if fact["kind"] == "share":
            fact["id"] = new_id(f"{fact.pop('_part')['id']}-share")
        elif fact["kind"] == "change":
            fact["id"] = new_id(f"{fact.pop('_subject')['id']}-change")
    figures = sorted((f for f in draft.facts if KINDS[f["kind"]].figure), key=lambda f: f["_start"])
    draft.facts[:] = figures + [f for f in draft.facts if not KINDS[f["kind"]].figure]
    for fact in draft.facts:
        fact.pop("_start", None)
        fact.pop("_amount_start", None)


ORDER = ["id", "kind", "flow", "origin", "destination", "stated_as", "period", "period_basis", "period_note", "sector",
         "scope", "excludes", "amount", "value", "percent", "unit", "of", "direction", "reference", "reference_period",
         "magnitude_words", "hedge", "hedge_words", "provider", "elaborated_by", "person", "organization", "role", "delegation", "accredited_to", "attendees",
         "attendee_posts", "location", "date", "date_basis", "date_weekday", "about", "acquirer", "acquired", "status",
         "speaker", "posts", "attribution", "review", "evidence"]


def to_yaml(draft: Draft) -> str:
    """The draft in the annotation format (README, "Data format"), review notes kept."""
    from kg.model.yamlfile import dump_yaml

    def ordered(fact: dict) -> dict:
        return {key: fact[key] for key in ORDER if key in fact} | {k: v for k, v in fact.items() if k not in ORDER}

    header = ["# Draft annotation written by `kg extract`: review every `review:` line, then remove it.",
              "# Every evidence quote is copied from release.txt; the builder will check it.", *[f"# {n}" for n in draft.notes]]
    body = dump_yaml({"release": draft.release, "facts": [ordered(f) for f in draft.facts]})
    return "\n".join(header) + "\n" + body


def extract_file(path: Path, release_id: str | None = None, data_dir: Path | None = None) -> Draft:
    """Read a release text and draft its annotation (actors from ``data_dir/registry.yaml`` when given)."""
    from kg.errors import UsageError
    from kg.model.loader import ID_PATTERN, load_registry, read_release_text
    from kg.rdf.vocabularies import Ontology

    path = Path(path)
    # the id names the folder `kg extract --into DIR` writes, DIR/releases/ID: the loader's pattern
    # keeps it one folder name inside DIR (no '/', no '..')
    if release_id is not None and not ID_PATTERN.match(release_id):
        raise UsageError(f"--id '{release_id}' is not a valid release id (lower-case letters, digits, '-' and '_', "
                         "starting with a letter or digit, at most 100)")
    text = read_release_text(path, "; save it as UTF-8 and try again")
    ontology = Ontology()
    registry = load_registry(data_dir, ontology.vocabulary(data_dir)) if data_dir else None
    if release_id is None:
        release_id = slug(path.stem).replace("-", "_")
        if not ID_PATTERN.match(release_id):
            release_id = "draft"
    return extract(text, release_id, registry, PlaceFinder(ontology.gazetteer(data_dir)))
