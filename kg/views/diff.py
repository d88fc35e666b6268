"""``kg diff OLD NEW``: what a build changed in the graph, as facts and releases added, removed and
changed, named as a person reads them (labels, field names, values), not as triples.

A fact is identified by its IRI (its release and its fact id); two facts with the same IRI are
compared by what they say: their own properties (the cell's dimensions a figure carries, its value,
unit, hedge, period basis, ...) and their evidence (each quote with its character offsets). What the
builder derives from those is left out, so that one edit is reported once: labels, the cell and the
data set a figure is in, the bounds its hedge sets (``schema:minValue``/``maxValue``), the release a
fact is stated in (part of its IRI) and the ids of the evidence's nodes (its sentence, its prefix and
suffix). A release is compared the same way (its headline, date, publisher, dateline, text, ...),
its text by the words that changed; organisations, people, places and sectors (the resources under
``org/``, ``person/``, ``place/`` and ``sector/``) by whether each is there.

Oxigraph reads, Python compares. The question is about two graphs and a SPARQL query answers over one
dataset: putting both in one store as named graphs and asking for the difference would still leave the
grouping by fact, the labelling and the comparison of values (a decimal written ``14000000000.0`` or
``14000000000``) to Python. So each graph is opened as ``kg query`` opens it
(:func:`kg.query.engine.source_for`: the Oxigraph store ``kg build`` wrote beside ``graph.ttl`` when it
holds that file, else the file loaded into an in-memory Oxigraph store, with the refusals of every graph
reader), Oxigraph answers a few SELECTs over the whole graph (every fact's and release's own triples,
every evidence's quote and offsets, the ontology's subclasses, the resources; constants of this module,
into which nothing from outside is put, so none reaches the network or a file), and Python builds one
record per fact and compares the records of the two graphs. Only what differs is labelled, one lookup a
label. Reading each fact's triples one lookup at a time took 11 s of processor time for two graphs of
1,000 releases (``kg synth``), the queries 7 s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from kg.errors import InputError, UsageError

KGO = "https://example.org/kg/ontology#"
KGR = "https://example.org/kg/id/"  # kg.rdf.namespaces.RESOURCE_BASE, written here so that rdflib is not imported
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
#: the type kg build gives the current figure of each measure: shown as the field "current figure", yes or none
CURRENT = KGO + "CurrentFigure"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS_PREF_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
SCHEMA = "http://schema.org/"
OA = "http://www.w3.org/ns/oa#"
XSD = "http://www.w3.org/2001/XMLSchema#"

FORMATS = ("table", "md", "json")
LANGUAGES = ("en", "it")

#: what is left out of a fact or a release: identity, and what the builder derives from the fields compared
DERIVED = frozenset({
    RDFS + "label", SCHEMA + "name", SKOS_PREF_LABEL,
    KGO + "factId", KGO + "statedIn", SCHEMA + "isBasedOn", SCHEMA + "identifier",
    KGO + "cell", "http://purl.org/linked-data/cube#dataSet", SCHEMA + "minValue", SCHEMA + "maxValue",
})
EVIDENCE = KGO + "evidence"

#: the names of the fields whose property the ontology does not label (English, Italian)
NAMES = {
    RDF_TYPE: ("kind", "tipo"),
    RDFS + "comment": ("note", "nota"),
    SCHEMA + "about": ("about", "argomento"),
    SCHEMA + "attendee": ("attendee", "partecipante"),
    SCHEMA + "author": ("author", "autore"),
    SCHEMA + "creator": ("speaker", "chi parla"),
    SCHEMA + "datePublished": ("published", "pubblicato"),
    SCHEMA + "headline": ("headline", "titolo"),
    SCHEMA + "inLanguage": ("language", "lingua"),
    SCHEMA + "location": ("location", "luogo"),
    SCHEMA + "publisher": ("publisher", "editore"),
    SCHEMA + "startDate": ("date", "data"),
    SCHEMA + "text": ("text", "testo"),
    "http://purl.org/dc/terms/source": ("source", "fonte"),
    "http://www.w3.org/ns/org#member": ("person", "persona"),
    "http://www.w3.org/ns/org#organization": ("organisation", "organizzazione"),
    "http://www.w3.org/ns/org#role": ("role", "ruolo"),
    "http://www.w3.org/ns/prov#wasAttributedTo": ("provider", "fornitore"),
    "http://purl.org/linked-data/sdmx/2009/attribute#obsStatus": ("observation status", "stato dell'osservazione"),
    EVIDENCE: ("evidence", "evidenza"),
}
NUMBERS = frozenset(XSD + name for name in (
    "decimal", "integer", "int", "long", "short", "byte", "double", "float", "nonNegativeInteger",
    "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong"))
#: the resources reported as added or removed, by the start of their IRI
RESOURCES = {"org/": "organisation", "person/": "person", "place/": "place", "sector/": "sector"}
LONG = 100  # a text field longer than this is shown by the words that changed
CONTEXT = 4  # words shown either side of a change in a long text
MOST = 5  # changes shown of a long text, at most


@dataclass(frozen=True)
class Fact:
    """A fact: its release, its fact id, its label (in the language asked) and its IRI."""

    release: str
    id: str
    label: str
    iri: str


@dataclass(frozen=True)
class Release:
    """A release: its id, its headline and its IRI."""

    id: str
    label: str
    iri: str


@dataclass(frozen=True)
class FieldChange:
    """One field that changed: its name as the ontology labels it, the values before and after as a
    person reads them (labels, lexical forms, numbers without trailing zeros, a quote with its offsets);
    none before: the field was added, none after: removed. A long text gives the words that changed,
    with a few words around them."""

    field: str
    old: tuple[str, ...]
    new: tuple[str, ...]


@dataclass(frozen=True)
class FactChange:
    fact: Fact
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True)
class ReleaseChange:
    release: Release
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True)
class Resource:
    """An organisation, person, place or sector: its kind, its id (``place/marche``), label and IRI."""

    kind: str
    id: str
    label: str
    iri: str


@dataclass(frozen=True)
class Changes:
    """What NEW says that OLD did not, and the other way round, each part sorted: releases by id, facts
    by release and fact id, resources by kind and id."""

    old: str  # the graph files compared
    new: str
    releases_added: tuple[Release, ...] = ()
    releases_removed: tuple[Release, ...] = ()
    releases_changed: tuple[ReleaseChange, ...] = ()
    facts_added: tuple[Fact, ...] = ()
    facts_removed: tuple[Fact, ...] = ()
    facts_changed: tuple[FactChange, ...] = ()
    resources_added: tuple[Resource, ...] = ()
    resources_removed: tuple[Resource, ...] = ()

    @property
    def same(self) -> bool:
        """Whether the two graphs say the same (as far as facts, releases and resources go)."""
        return not (self.releases_added or self.releases_removed or self.releases_changed or self.facts_added
                    or self.facts_removed or self.facts_changed or self.resources_added or self.resources_removed)


def graph_file(path) -> Path:
    """``path``, a graph file; a folder is refused in one sentence that says which file to give (a
    missing or unreadable file is refused as every graph reader refuses it)."""
    path = Path(path)
    if path.is_dir():
        raise InputError("a folder, not a graph file (kg build writes its graph to OUT/graph.ttl: give that file)", path)
    return path


def diff(old, new, lang: str = "en") -> Changes:
    """What the graph ``new`` says that the graph ``old`` does not, and the other way round: releases
    and facts added, removed and changed (each changed field named, its values before and after), and
    organisations, people, places and sectors added or removed. ``old`` and ``new`` are graph files in
    any RDF syntax kg reads (read from the store ``kg build`` wrote beside one when it holds that file);
    ``lang`` (en, it) chooses the labels and field names. InputError (one sentence naming the file) for
    a missing or unreadable graph."""
    if lang not in LANGUAGES:
        raise UsageError(f"--lang must be one of {', '.join(LANGUAGES)}, not '{lang}'")
    before, after = _Graph(graph_file(old), lang), _Graph(graph_file(new), lang)
    releases = _compare(before, after, before.releases(), after.releases())
    facts = _compare(before, after, before.facts(), after.facts())
    old_resources, new_resources = before.resources(), after.resources()
    return Changes(
        old=str(old), new=str(new),
        releases_added=tuple(after.release(iri) for iri in releases[0]),
        releases_removed=tuple(before.release(iri) for iri in releases[1]),
        releases_changed=tuple(ReleaseChange(after.release(iri), fields) for iri, fields in releases[2]),
        facts_added=_sorted_facts(after.fact(iri) for iri in facts[0]),
        facts_removed=_sorted_facts(before.fact(iri) for iri in facts[1]),
        facts_changed=tuple(sorted((FactChange(after.fact(iri), fields) for iri, fields in facts[2]),
                                   key=lambda change: (change.fact.release, change.fact.id, change.fact.iri))),
        resources_added=tuple(sorted((after.resource(iri) for iri in new_resources - old_resources), key=_resource_order)),
        resources_removed=tuple(sorted((before.resource(iri) for iri in old_resources - new_resources), key=_resource_order)),
    )


def _resource_order(resource: Resource) -> tuple[str, str]:
    return resource.kind, resource.id


def _sorted_facts(facts) -> tuple[Fact, ...]:
    return tuple(sorted(facts, key=lambda fact: (fact.release, fact.id, fact.iri)))


def _compare(before: _Graph, after: _Graph, old: dict, new: dict):
    """(IRIs only in ``new``, IRIs only in ``old``, [(IRI, field changes)] of those in both that differ),
    from the records of each graph (IRI -> {property: values}). Each list sorted by IRI."""
    added = sorted(new.keys() - old.keys())
    removed = sorted(old.keys() - new.keys())
    changed = []
    for iri in sorted(old.keys() & new.keys()):
        if old[iri] != new[iri]:
            fields = [before.field_change(after, prop, old[iri].get(prop, ()), new[iri].get(prop, ()))
                      for prop in sorted(old[iri].keys() | new[iri].keys()) if old[iri].get(prop) != new[iri].get(prop)]
            changed.append((iri, tuple(sorted(fields, key=lambda change: (change.field, change.old, change.new)))))
    return added, removed, changed


def _iri(name: str) -> str:
    return f"<{name}>"


#: the triples of every fact (or release) that has an IRI, but for what is left out (DERIVED); a query a
#: class: with both classes in one VALUES block, Oxigraph took twice as long
OWN = f"""SELECT ?s ?p ?o WHERE {{
  ?s a <{{class}}> ; ?p ?o .
  FILTER(isIRI(?s) && ?p NOT IN ({", ".join(map(_iri, sorted(DERIVED)))}))
}}"""
#: what each evidence says: its quote, and its offsets (not its selectors' IRIs, sentence, prefix or suffix)
EXACT = f"SELECT ?evidence ?exact WHERE {{ ?evidence {_iri(OA + 'hasSelector')} ?quote . ?quote {_iri(OA + 'exact')} ?exact }}"
OFFSETS = f"""SELECT ?evidence ?start ?end WHERE {{
  ?evidence {_iri(OA + "hasSelector")} ?position . ?position {_iri(OA + "start")} ?start ; {_iri(OA + "end")} ?end
}}"""
#: the ontology's subclasses, to keep only the most specific of a fact's types
CLASSES = f"SELECT ?class ?parent WHERE {{ ?class {_iri(RDFS + 'subClassOf')} ?parent }}"
#: the organisations, people, places and sectors: kg's resources under org/, person/, place/, sector/ with a label
LABELLED = f"""SELECT DISTINCT ?s WHERE {{
  ?s {_iri(RDFS + "label")}|{_iri(SKOS_PREF_LABEL)} ?label .
  FILTER(isIRI(?s) && ({" || ".join(f'STRSTARTS(STR(?s), "{KGR}{start}")' for start in RESOURCES)}))
}}"""


class _Graph:
    """One graph, opened in Oxigraph and read by a few queries (the texts above, constants of this module:
    nothing from outside is put in them), run by Oxigraph on the whole graph at once: its facts and releases
    as records (for each property compared, the sorted keys of its values). Labels and ids are looked up
    one by one (index lookups), only for what is shown."""

    def __init__(self, path: Path, lang: str):
        import pyoxigraph

        from kg.query.engine import open_source, source_for

        self.path = path
        self.lang = lang
        self.store = open_source(source_for(path))
        self.node = pyoxigraph.NamedNode
        self._labels: dict[str, str] = {}
        self._release_ids: dict[str, str] = {}
        self._read()

    # ------------------------------------------------------------------ reading

    def _read(self) -> None:
        """The records of every fact and release: property -> the sorted keys of its values (see
        :func:`_key`); the most specific of its types as ``rdf:type``; its evidence as (quote, start, end),
        in the order of the evidence nodes."""
        exact = {row[0]: row[1].value for row in self.store.query(EXACT)}
        offsets = {row[0]: (row[1].value, row[2].value) for row in self.store.query(OFFSETS)}
        quotes = {node: ("evidence", exact.get(node, ""), *offsets.get(node, ("", ""))) for node in exact.keys() | offsets.keys()}
        parents: dict[str, set[str]] = {}
        for row in self.store.query(CLASSES):
            parents.setdefault(row[0].value, set()).add(row[1].value)
        values: dict[str, dict[str, dict[str, set]]] = {KGO + "Fact": {}, KGO + "PressRelease": {}}
        for cls, found in values.items():
            for row in self.store.query(OWN.replace("{class}", cls)):
                found.setdefault(row[0].value, {}).setdefault(row[1].value, set()).add(row[2])
        self._facts = {iri: self._record(found, quotes, parents) for iri, found in values[KGO + "Fact"].items()}
        self._releases = {iri: self._record(found, quotes, parents) for iri, found in values[KGO + "PressRelease"].items()}

    def _record(self, values: dict[str, set], quotes: dict, parents: dict[str, set[str]]) -> dict[str, tuple]:
        record: dict[str, tuple] = {}
        for predicate, objects in values.items():
            if predicate == EVIDENCE:
                record[predicate] = tuple(quotes.get(term) or _key(term) for term in sorted(objects, key=_evidence_order))
            elif predicate == RDF_TYPE:
                names = {term.value for term in objects if hasattr(term, "value")}
                if CURRENT in names:  # the build's mark, moved by other releases: a field of its own, not a kind
                    record[CURRENT] = (("literal", "yes", "", ""),)
                    names.discard(CURRENT)
                    objects = {term for term in objects if getattr(term, "value", None) != CURRENT}
                broader = set().union(*(parents.get(name, set()) - {name} for name in names))
                record[predicate] = tuple(sorted(_key(term) for term in objects if getattr(term, "value", None) not in broader))
            else:
                record[predicate] = tuple(sorted(_key(term) for term in self._in_language(objects)))
        return record

    def _objects(self, subject: str, predicate: str) -> list:
        return [quad.object for quad in self.store.quads_for_pattern(self.node(subject), self.node(predicate), None)]

    def facts(self) -> dict[str, dict[str, tuple]]:
        """Every fact with an IRI (a blank node has no identity to compare by): IRI -> record."""
        return self._facts

    def releases(self) -> dict[str, dict[str, tuple]]:
        return self._releases

    def resources(self) -> set[str]:
        """The IRIs of the organisations, people, places and sectors of the graph."""
        return {row[0].value for row in self.store.query(LABELLED)}

    def resource(self, iri: str) -> Resource:
        local = iri[len(KGR):]
        kind = next(kind for start, kind in RESOURCES.items() if local.startswith(start))
        return Resource(kind, local, self.label(iri), iri)

    def _in_language(self, objects: set) -> set:
        """A field stated in several languages, in the language asked (when it is stated in that one)."""
        import pyoxigraph

        languages = {term.language for term in objects if isinstance(term, pyoxigraph.Literal) and term.language}
        if len(languages) > 1 and self.lang in languages:
            return {term for term in objects if not isinstance(term, pyoxigraph.Literal) or term.language == self.lang}
        return objects

    def label(self, iri: str) -> str:
        """The label of ``iri`` in the language asked (``rdfs:label``, else ``skos:prefLabel``, else any
        label), else its id under kg's resources (``place/marche``), else the end of the IRI (``EUR``)."""
        if iri not in self._labels:
            import pyoxigraph

            labels = sorted((term.language != self.lang, rank, term.language or "", term.value)
                            for rank, predicate in enumerate((RDFS + "label", SKOS_PREF_LABEL))
                            for term in self._objects(iri, predicate) if isinstance(term, pyoxigraph.Literal))
            if labels:
                self._labels[iri] = labels[0][3]
            else:
                self._labels[iri] = iri[len(KGR):] if iri.startswith(KGR) else re.split(r"[#/]", iri.rstrip("/#"))[-1] or iri
        return self._labels[iri]

    def fact(self, iri: str) -> Fact:
        release_iri = next((term.value for term in self._objects(iri, KGO + "statedIn") if hasattr(term, "value")), "")
        fact_id = next((term.value for term in self._objects(iri, KGO + "factId")), None)
        if fact_id is None or not release_iri:  # not a fact as kg writes it: named by its IRI
            match = re.fullmatch(re.escape(KGR) + r"release/(.+)/fact/(.+)", iri)
            release, fact_id = match.groups() if match else ("", iri)
        else:
            release = self.release_id(release_iri)
        return Fact(release, fact_id, self.label(iri), iri)

    def release_id(self, iri: str) -> str:
        if iri not in self._release_ids:
            identifier = next((term.value for term in self._objects(iri, SCHEMA + "identifier")), None)
            self._release_ids[iri] = identifier or (iri[len(KGR) + len("release/"):] if iri.startswith(KGR + "release/") else iri)
        return self._release_ids[iri]

    def release(self, iri: str) -> Release:
        return Release(self.release_id(iri), self.label(iri), iri)

    # ------------------------------------------------------------------ showing

    def field_name(self, predicate: str) -> str:
        """The field's name: the ontology's label of the property in the language asked, else kg's own
        name for it, else its local name in words (``minValue``: ``min value``)."""
        if predicate.startswith(KGO) and self._objects(predicate, RDFS + "label"):
            return self.label(predicate)
        if predicate in NAMES:
            return NAMES[predicate][LANGUAGES.index(self.lang)]
        local = re.split(r"[#/]", predicate)[-1]
        return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local).lower() or predicate

    def show(self, key: tuple) -> str:
        """A value as a person reads it: an IRI's label, a literal's lexical form (a number without
        trailing zeros), a quote in «» with its offsets."""
        if key[0] == "iri":
            return self.label(key[1])
        if key[0] == "evidence":
            return f"«{key[1]}» ({key[2]}–{key[3]})"
        if key[0] == "blank":
            return "(a blank node)"
        return key[1]

    def field_change(self, after: _Graph, predicate: str, old: tuple, new: tuple) -> FieldChange:
        """The change of one field, its values shown as each graph labels them; a long text by the words
        that changed."""
        shown_old = tuple(self.show(key) for key in old)
        shown_new = tuple(after.show(key) for key in new)
        if (len(shown_old) == len(shown_new) == 1 and old[0][0] == new[0][0] == "literal"
                and max(len(shown_old[0]), len(shown_new[0])) > LONG):
            shown_old, shown_new = _excerpts(shown_old[0], shown_new[0])
        return FieldChange(after.field_name(predicate), shown_old, shown_new)


def _evidence_order(term) -> tuple:
    """Evidence nodes in the order of their IRIs' last part, numbers by value (``evidence/2`` before ``evidence/10``)."""
    last = getattr(term, "value", "").rsplit("/", 1)[-1]
    return (0, int(last), "") if last.isdigit() else (1, 0, getattr(term, "value", ""))


def _key(term) -> tuple:
    """What a value is compared by: an IRI by itself; a literal by its lexical form, datatype and
    language, a number by its value (``14000000000.0`` is ``14000000000``); any blank node like any other."""
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return ("iri", term.value)
    if isinstance(term, pyoxigraph.Literal):
        datatype = term.datatype.value if term.datatype is not None else ""
        if datatype in NUMBERS:
            try:
                number = Decimal(term.value.strip())
                if number.is_finite():
                    return ("literal", format(number.normalize(), "f"), "number", "")
            except InvalidOperation:
                pass
        return ("literal", term.value, datatype, term.language or "")
    return ("blank",)


def _excerpts(old: str, new: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The words of two texts that differ, each change with ``CONTEXT`` words either side (difflib's
    matching of the word sequences); at most ``MOST`` changes, then how many more."""
    import difflib

    a, b = old.split(), new.split()
    if a == b:
        return ("(the same words, spaced differently)",), ("(the same words, spaced differently)",)
    spans = [op for op in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes() if op[0] != "equal"]

    def excerpt(words: list[str], start: int, end: int) -> str:
        first, last = max(0, start - CONTEXT), min(len(words), end + CONTEXT)
        return ("… " if first else "") + " ".join(words[first:last]) + (" …" if last < len(words) else "")

    olds = [excerpt(a, i1, i2) for _tag, i1, i2, _j1, _j2 in spans[:MOST]]
    news = [excerpt(b, j1, j2) for _tag, _i1, _i2, j1, j2 in spans[:MOST]]
    if len(spans) > MOST:
        more = f"(and {len(spans) - MOST} more changes)"
        olds.append(more)
        news.append(more)
    return tuple(olds), tuple(news)


# ---------------------------------------------------------------------- formatting


def format_changes(changes: Changes, fmt: str = "table") -> str:
    """The changes as ``kg diff`` prints them: ``table`` (for a terminal: a summary line, then each
    release with its facts, ``+`` added, ``-`` removed, ``~`` changed with its fields, ``old -> new``),
    ``md`` (the same as Markdown) or ``json`` (every part of :class:`Changes`, and ``same``). The same
    changes give the same text."""
    if fmt == "json":
        return _json(changes)
    if fmt not in FORMATS:
        raise UsageError(f"unknown format '{fmt}': give {', '.join(FORMATS)}")
    md = fmt == "md"
    text = _escape_md if md else _plain
    lines = [("**" + _summary(changes) + "**") if md else _summary(changes)]
    if changes.same:
        return lines[0] + "\n"
    by_release: dict[str, list[tuple[str, Fact, tuple[FieldChange, ...]]]] = {}
    for fact in changes.facts_added:
        by_release.setdefault(fact.release, []).append(("+", fact, ()))
    for fact in changes.facts_removed:
        by_release.setdefault(fact.release, []).append(("-", fact, ()))
    for fact_change in changes.facts_changed:
        by_release.setdefault(fact_change.fact.release, []).append(("~", fact_change.fact, fact_change.fields))
    headings: dict[str, tuple[str, Release, tuple[FieldChange, ...]]] = {}
    for release in changes.releases_added:
        headings[release.id] = ("added", release, ())
    for release in changes.releases_removed:
        headings[release.id] = ("removed", release, ())
    for release_change in changes.releases_changed:
        headings[release_change.release.id] = ("changed", release_change.release, release_change.fields)
    words = {"+": "added", "-": "removed", "~": "changed"}
    for release_id in sorted(by_release.keys() | headings.keys()):
        how, release, fields = headings.get(release_id, ("", Release(release_id, "", ""), ()))
        after_id = (f" ({how})" if how else "") + (f": {text(release.label)}" if release.label else "")
        lines += ["", f"## release `{_code(release_id)}`{after_id}" if md else f"release {release_id}{after_id}"]
        if md and (fields or by_release.get(release_id)):
            lines.append("")
        lines += [_field_line(field_change, md, "    " if not md else "", text) for field_change in fields]
        for mark, fact, fact_fields in sorted(by_release.get(release_id, []), key=lambda item: (item[1].id, item[1].iri)):
            if md:
                lines.append(f"- **{words[mark]}** `{_code(fact.id)}`: {text(fact.label)}")
            else:
                lines.append(f"  {mark} {fact.id}: {fact.label}")
            lines += [_field_line(field_change, md, "      " if not md else "  ", text) for field_change in fact_fields]
    for title, resources in (("added", changes.resources_added), ("removed", changes.resources_removed)):
        if resources:
            lines += ["", f"## resources {title}" if md else f"resources {title}:"]
            if md:
                lines.append("")
            for resource in resources:
                lines.append(f"- {resource.kind} `{_code(resource.id)}`: {text(resource.label)}" if md
                             else f"  {'+' if title == 'added' else '-'} {resource.kind} {resource.id}: {resource.label}")
    return "\n".join(lines) + "\n"


def _field_line(change: FieldChange, md: bool, indent: str, text) -> str:
    def values(shown: tuple[str, ...]) -> str:
        return "; ".join(text(value) for value in shown) if shown else "(none)"

    if md:
        return f"{indent}- {text(change.field)}: {values(change.old)} → {values(change.new)}"
    return f"{indent}{change.field}: {values(change.old)} -> {values(change.new)}"


def _summary(changes: Changes) -> str:
    """One line: how many facts, releases and resources were added, removed or changed."""
    if changes.same:
        return f"no changes: {changes.new} says what {changes.old} says"
    parts = []
    for noun, added, removed, changed in (
            ("fact", changes.facts_added, changes.facts_removed, changes.facts_changed),
            ("release", changes.releases_added, changes.releases_removed, changes.releases_changed),
            ("resource", changes.resources_added, changes.resources_removed, None)):
        counts = [f"{len(items)} {how}" for how, items in (("added", added), ("removed", removed), ("changed", changed or ()))
                  if items]
        if counts:
            parts.append(f"{noun}s: {', '.join(counts)}")
    return f"{changes.old} -> {changes.new}: " + "; ".join(parts)


def _plain(value: str) -> str:
    return value.replace("\n", " ")


def _escape_md(value: str) -> str:
    """Text in Markdown as text: its markup characters escaped, line ends as spaces."""
    return re.sub(r"([\\`*_\[\]<>|#~])", r"\\\1", value.replace("\n", " "))


def _code(value: str) -> str:
    return value.replace("`", "'")


def _json(changes: Changes) -> str:
    """The changes as JSON (UTF-8 text, keys in a fixed order), with ``same``; control characters, bidi
    overrides and lone surrogates written as ``\\u`` escapes, so the text is safe on a terminal."""
    import dataclasses
    import json

    document = {"old": changes.old, "new": changes.new, "same": changes.same}
    for part in ("releases", "facts", "resources"):
        document[part] = {how: [dataclasses.asdict(item) for item in getattr(changes, f"{part}_{how}")]
                          for how in ("added", "removed", "changed") if hasattr(changes, f"{part}_{how}")}
    text = json.dumps(document, ensure_ascii=False, indent=2)
    return re.sub("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]",
                  lambda match: f"\\u{ord(match.group(0)):04x}", text) + "\n"
