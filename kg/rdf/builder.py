"""Annotation -> rdflib.Graph.

Every fact becomes its own node (an n-ary relation, since rdflib 7 has no
RDF-star) typed ``kgo:Fact`` plus its standard class, with IRIs minted from
ids (never blank nodes) and provenance as W3C Web Annotation selectors back to
the release, whose full text is in the graph. See README.md, "Ontology".
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, TIME, XSD

from kg import __version__
from kg.model.loader import Corpus, Fact, Release, Span
from kg.rdf.namespaces import (
    EUR,
    FOAF,
    KGO,
    KGO_IMPORT,
    KGR,
    OA,
    ORG,
    PERCENT,
    QB,
    SCHEMA,
    new_graph,
)
from kg.model.numbers import decimal_places
from kg.resources import ONTOLOGY_DIR
from kg.rdf.iris import (
    agent_iri,
    fact_iri,
    interval_iri,
    org_iri,
    person_iri,
    place_iri,
    post_iri,
    release_iri,
    role_iri,
    sector_iri,
)
from kg.model.periods import Period
from kg.rdf.vocabularies import add_ontology, ontology_graph

SDMX_ESTIMATED = URIRef("http://purl.org/linked-data/sdmx/2009/code#obsStatus-E")
SDMX_OBS_STATUS = URIRef("http://purl.org/linked-data/sdmx/2009/attribute#obsStatus")
SOFTWARE = KGR["software/kg"]

HEDGE = {"exact": KGO.exact, "about": KGO.about, "more-than": KGO.moreThan, "less-than": KGO.lessThan}
BASIS = {"stated": KGO.stated, "implied": KGO.implied, "derived": KGO.derived}
DIRECTION = {"increase": KGO.increase, "decrease": KGO.decrease, "stable": KGO.stable}
ASSESSMENT = {
    "concentration": KGO.concentration,
    "growth-opportunity": KGO.growthOpportunity,
    "main-products": KGO.mainProducts,
    "predominant": KGO.predominant,
}
STATUS = {"not-stated": KGO.statusNotStated, "announced": KGO.announced, "completed": KGO.completed}
FLOW = {"export": KGO.export, "import": KGO_IMPORT}
REFERENCE = {
    "same-period-previous-year": KGO.samePeriodPreviousYear,
    "previous-period": KGO.previousPeriod,
    "other": KGO.otherPeriod,
}
ORG_CLASSES = {
    "association": (ORG.FormalOrganization, SCHEMA.Organization),
    "unit": (ORG.OrganizationalUnit, SCHEMA.Organization),
    "government": (ORG.FormalOrganization, SCHEMA.GovernmentOrganization),
    "company": (ORG.FormalOrganization, SCHEMA.Corporation),
    "other": (SCHEMA.Organization,),
}
HEDGE_WORDS = {
    "it": {"exact": "", "about": "circa ", "more-than": "oltre ", "less-than": "meno di "},
    "en": {"exact": "", "about": "about ", "more-than": "more than ", "less-than": "less than "},
}
CONTEXT_CHARS = 32  # length of oa:prefix / oa:suffix


# --------------------------------------------------------------------------- builder


def decimal_literal(value: Decimal) -> Literal:
    """An xsd:decimal in canonical form ("7500000.0", "0.05"), exact and stable through Turtle."""
    text = format(value, "f")
    if "." not in text:
        text += ".0"
    return Literal(text, datatype=XSD.decimal)


_dec = decimal_literal


def _money(value: Decimal, lang: str) -> str:
    """7500000 -> '7,500,000' (en) or '7.500.000' (it), for labels."""
    text = f"{value:,}" if value == value.to_integral_value() else f"{value:,f}"
    return text.translate(str.maketrans(",.", ".,")) if lang == "it" else text


class Builder:
    """Writes the triples of the registry, releases and their facts into ``graph`` (labels from ``vocab``)."""

    def __init__(self, corpus: Corpus, graph: Graph, vocab: Graph):
        self.corpus = corpus
        self.registry = corpus.registry
        self.g = graph
        self.vocab = vocab
        self.intervals: set[Period] = set()

    # labels of referenced things, from the vocabularies and the registry
    def place_label(self, place_id: str, lang: str) -> str:
        for label in self.vocab.objects(place_iri(place_id), RDFS.label):
            if label.language == lang:
                return str(label)
        return place_id

    def sector_label(self, sector_id: str, lang: str) -> str:
        for label in self.vocab.objects(sector_iri(sector_id), SKOS.prefLabel):
            if label.language == lang:
                return str(label)
        return sector_id

    def agent_name(self, agent_id: str, lang: str = "it") -> str:
        if agent_id in self.registry.people:
            return self.registry.people[agent_id]["name"]
        entry = self.registry.organizations[agent_id]
        return entry.get("name_en", entry["name"]) if lang == "en" else entry["name"]

    def add(self, s, p, o):
        self.g.add((s, p, o))

    def labels(self, node: URIRef, it: str, en: str):
        self.add(node, RDFS.label, Literal(it, lang="it"))
        self.add(node, RDFS.label, Literal(en, lang="en"))

    # ----------------------------------------------------------------- shared
    def registry_nodes(self):
        for org_id, entry in sorted(self.registry.organizations.items()):
            node = org_iri(org_id)
            self.add(node, RDF.type, ORG.Organization)
            for cls in ORG_CLASSES[entry["kind"]]:
                self.add(node, RDF.type, cls)
            self.add(node, SCHEMA.name, Literal(entry["name"]))
            self.labels(node, entry["name"], entry.get("name_en", entry["name"]))
            if "country" in entry:
                self.add(node, KGO.country, place_iri(entry["country"]))
            if "part_of" in entry:
                parent = org_iri(entry["part_of"])
                prop = ORG.unitOf if entry["kind"] == "unit" else ORG.subOrganizationOf
                self.add(node, prop, parent)
            if "premises" in entry:
                self.add(node, SCHEMA.location, place_iri(entry["premises"]))
            if "source" in entry:
                self.add(node, DCTERMS.source, Literal(entry["source"]))
        for person_id, entry in sorted(self.registry.people.items()):
            node = person_iri(person_id)
            self.add(node, RDF.type, FOAF.Person)
            self.add(node, RDF.type, SCHEMA.Person)
            self.add(node, FOAF.name, Literal(entry["name"]))
            self.add(node, SCHEMA.name, Literal(entry["name"]))
            self.labels(node, entry["name"], entry["name"])
            if "source" in entry:
                self.add(node, DCTERMS.source, Literal(entry["source"]))
        for role_id, entry in sorted(self.registry.roles.items()):
            node = role_iri(role_id)
            self.add(node, RDF.type, ORG.Role)
            self.add(node, RDF.type, SKOS.Concept)
            self.add(node, SKOS.inScheme, KGO.RoleScheme)
            self.add(node, SKOS.prefLabel, Literal(entry["it"], lang="it"))
            self.add(node, SKOS.prefLabel, Literal(entry["en"], lang="en"))
            self.labels(node, entry["it"], entry["en"])
        self.add(SOFTWARE, RDF.type, PROV.SoftwareAgent)
        self.add(SOFTWARE, RDFS.label, Literal(f"kg {__version__}"))

    def interval(self, period: Period) -> URIRef:
        node = interval_iri(period)
        if period in self.intervals:
            return node
        self.intervals.add(period)
        self.add(node, RDF.type, TIME.ProperInterval)
        self.labels(node, period.label("it"), period.label("en"))
        self.add(node, TIME.hasXSDDuration, Literal(period.duration, datatype=XSD.duration))
        for prop, day in ((TIME.hasBeginning, period.start), (TIME.hasEnd, period.end)):
            instant = KGR[f"instant/{day.isoformat()}"]
            self.add(node, prop, instant)
            self.add(instant, RDF.type, TIME.Instant)
            self.add(instant, TIME.inXSDDate, Literal(day, datatype=XSD.date))
        return node

    def interval_containment(self):
        for triple in interval_containment(self.intervals):
            self.add(*triple)

    # ----------------------------------------------------------------- release
    def release(self, release: Release):
        node = release_iri(release.id)
        g = self.add
        g(node, RDF.type, KGO.PressRelease)
        g(node, RDF.type, SCHEMA.NewsArticle)
        g(node, SCHEMA.identifier, Literal(release.id))
        g(node, SCHEMA.headline, Literal(release.headline, lang=release.language))
        g(node, RDFS.label, Literal(release.headline, lang=release.language))
        g(node, SCHEMA.datePublished, Literal(release.published, datatype=XSD.date))
        g(node, SCHEMA.inLanguage, Literal(release.language))
        g(node, SCHEMA.publisher, org_iri(release.publisher))
        if release.author:
            g(node, SCHEMA.author, org_iri(release.author))
        if release.dateline:
            g(node, KGO.datelinePlace, place_iri(release.dateline))
        g(node, SCHEMA.text, Literal(release.text))
        # where the text came from: the annotation's own words, else its path inside the data folder
        g(node, DCTERMS.source, Literal(release.source or f"releases/{release.id}/{release.text_path.name}"))
        self.evidence(release, node, "dateline", [release.dateline_span])
        if release.author_span:
            self.evidence(release, node, "author", [release.author_span])
        dataset = KGR[f"release/{release.id}/dataset"]
        g(dataset, RDF.type, QB.DataSet)
        g(dataset, QB.structure, KGO.tradeStructure)
        g(dataset, KGO.statedIn, node)
        self.labels(dataset, f"cifre del comunicato {release.id}", f"figures of release {release.id}")
        for index, (start, end) in enumerate(release.sentences):
            sentence = KGR[f"release/{release.id}/sentence/{index}"]
            selector = KGR[f"release/{release.id}/sentence/{index}/position"]
            g(sentence, RDF.type, KGO.Sentence)
            g(sentence, OA.hasSource, node)
            g(sentence, KGO.sentenceIndex, Literal(index))
            g(sentence, RDF.value, Literal(release.text[start:end]))
            g(sentence, OA.hasSelector, selector)
            g(selector, RDF.type, OA.TextPositionSelector)
            g(selector, OA.start, Literal(start))
            g(selector, OA.end, Literal(end))
        for fact in release.facts:
            getattr(self, f"fact_{fact.kind}")(release, fact, fact_iri(release.id, fact.id))

    def evidence(self, release: Release, subject: URIRef, key: str, spans: list[Span]):
        from kg.model.evidence import overlapping

        text = release.text
        for index, span in enumerate(spans):
            base = f"{subject}/evidence/{index}" if key == "fact" else f"{subject}/evidence/{key}"
            node, quote, position = URIRef(base), URIRef(base + "/quote"), URIRef(base + "/position")
            self.add(subject, KGO.evidence, node)
            self.add(node, RDF.type, KGO.Evidence)
            self.add(node, RDF.type, OA.SpecificResource)
            self.add(node, OA.hasSource, release_iri(release.id))
            self.add(node, OA.hasSelector, quote)
            self.add(node, OA.hasSelector, position)
            self.add(quote, RDF.type, OA.TextQuoteSelector)
            self.add(quote, OA.exact, Literal(span.quote))
            prefix = text[max(0, span.start - CONTEXT_CHARS) : span.start]
            suffix = text[span.end : span.end + CONTEXT_CHARS]
            if prefix:
                self.add(quote, OA.prefix, Literal(prefix))
            if suffix:
                self.add(quote, OA.suffix, Literal(suffix))
            self.add(position, RDF.type, OA.TextPositionSelector)
            self.add(position, OA.start, Literal(span.start))
            self.add(position, OA.end, Literal(span.end))
            for sentence in overlapping(release.sentences, span.start, span.end):
                self.add(node, KGO.inSentence, KGR[f"release/{release.id}/sentence/{sentence}"])

    def fact_common(self, release: Release, fact: Fact, node: URIRef, classes, it: str, en: str):
        self.add(node, RDF.type, KGO.Fact)
        for cls in classes:
            self.add(node, RDF.type, cls)
        self.add(node, KGO.factId, Literal(fact.id))
        self.add(node, KGO.statedIn, release_iri(release.id))
        self.labels(node, it, en)
        if "note" in fact.values:
            self.add(node, RDFS.comment, Literal(fact.values["note"], lang="en"))
        self.evidence(release, node, "fact", fact.evidence)

    def hedge(self, node: URIRef, values: dict, lang: str):
        if "hedge" in values:
            self.add(node, KGO.hedge, HEDGE[values["hedge"]])
        if "hedge_words" in values:
            self.add(node, KGO.hedgeText, Literal(values["hedge_words"], lang=lang))
        if values.get("hedge") == "about":
            self.add(node, SDMX_OBS_STATUS, SDMX_ESTIMATED)

    def dimensions(self, node: URIRef, values: dict, release: Release):
        if "flow" in values:
            self.add(node, KGO.flow, FLOW[values["flow"]])
        for key, prop in (("origin", KGO.origin), ("destination", KGO.destination)):
            if key in values:
                self.add(node, prop, place_iri(values[key]))
        if "period" in values:
            self.add(node, KGO.period, self.interval(values["period"]))
            self.add(node, KGO.periodBasis, BASIS[values.get("period_basis", "stated")])
        if "period_note" in values:
            self.add(node, KGO.derivationNote, Literal(values["period_note"], lang="en"))
        if "stated_as" in values:
            self.add(node, KGO.statedAs, Literal(values["stated_as"], lang=release.language))

    def trade_label(self, v: dict, lang: str) -> str:
        flow = {"export": ("export", "exports"), "import": ("import", "imports")}[v["flow"]]
        origin, destination = self.place_label(v["origin"], lang), self.place_label(v["destination"], lang)
        period = v["period"].label(lang)
        hedge = HEDGE_WORDS[lang][v["hedge"]]
        amount = _money(v["amount"], lang)
        if lang == "it":
            to = "verso" if v["flow"] == "export" else "da"
            sector = f", {self.sector_label(v['sector'], 'it')}" if "sector" in v else ""
            return f"{flow[0].capitalize()} {origin} {to} {destination}{sector}, {period}: {hedge}{amount} {v['unit']}"
        to = "to" if v["flow"] == "export" else "from"
        sector = f", {self.sector_label(v['sector'], 'en')}" if "sector" in v else ""
        return f"{origin} {flow[1]} {to} {destination}{sector}, {period}: {hedge}{v['unit']} {amount}"

    # ----------------------------------------------------------------- fact kinds
    def fact_trade(self, release: Release, fact: Fact, node: URIRef):
        v = fact.values
        self.fact_common(release, fact, node, (KGO.TradeObservation, QB.Observation), self.trade_label(v, "it"), self.trade_label(v, "en"))
        self.add(node, QB.dataSet, KGR[f"release/{release.id}/dataset"])
        self.dimensions(node, v, release)
        if "sector" in v:
            self.add(node, KGO.sector, sector_iri(v["sector"]))
        self.add(node, KGO.tradeValue, _dec(v["amount"]))
        self.add(node, KGO.unit, EUR)
        self.hedge(node, v, release.language)
        if v["hedge"] in ("exact", "more-than"):
            self.add(node, SCHEMA.minValue, _dec(v["amount"]))
        if v["hedge"] in ("exact", "less-than"):
            self.add(node, SCHEMA.maxValue, _dec(v["amount"]))
        if "part_of" in v:
            self.add(node, KGO.partOf, fact_iri(release.id, v["part_of"]))
        if "scope" in v:
            self.add(node, KGO.scopeNote, Literal(v["scope"], lang=release.language))
        for sector in v.get("excludes", []):
            self.add(node, KGO.excludesSector, sector_iri(sector))

    def fact_share(self, release: Release, fact: Fact, node: URIRef):
        v = fact.values
        part = release.fact(v["part"]).values
        whole = release.fact(v["whole"]).values
        dims = {k: part[k] for k in ("flow", "origin", "destination", "period")}
        dims["period_basis"] = part.get("period_basis", "stated")
        percent = v["percent"]
        hedge_it, hedge_en = HEDGE_WORDS["it"][v["hedge"]], HEDGE_WORDS["en"][v["hedge"]]
        whole_it = f"{self.place_label(whole['origin'], 'it')} verso {self.place_label(whole['destination'], 'it')}"
        whole_en = f"{self.place_label(whole['origin'], 'en')} to {self.place_label(whole['destination'], 'en')}"
        # a destination's share of one origin's exports, or an origin's share of a larger total
        which = part["destination"] if part["origin"] == whole["origin"] else part["origin"]
        percent_it = str(percent).replace(".", ",")
        it = f"Quota di {self.place_label(which, 'it')} sull'export {whole_it}, {part['period'].label('it')}: {hedge_it}{percent_it}%"
        en = f"Share of {self.place_label(which, 'en')} in exports {whole_en}, {part['period'].label('en')}: {hedge_en}{percent}%"
        self.fact_common(release, fact, node, (KGO.ShareObservation, QB.Observation), it, en)
        self.add(node, QB.dataSet, KGR[f"release/{release.id}/dataset"])
        self.dimensions(node, dims, release)
        self.add(node, KGO.part, fact_iri(release.id, v["part"]))
        self.add(node, KGO.whole, fact_iri(release.id, v["whole"]))
        self.add(node, KGO.sharePercent, _dec(percent))
        self.add(node, KGO.unit, PERCENT)
        self.add(node, KGO.statedPrecision, _dec(Decimal(1).scaleb(-decimal_places(percent))))
        self.hedge(node, v, release.language)

    def fact_comparison(self, release: Release, fact: Fact, node: URIRef):
        v = fact.values
        subject = release.fact(v["subject"])
        sv = subject.values
        direction_it = {"increase": "in aumento", "decrease": "in calo", "stable": "stabile"}[v["direction"]]
        direction_en = {"increase": "up", "decrease": "down", "stable": "stable"}[v["direction"]]
        magnitude = f"{v['magnitude_words']} " if "magnitude_words" in v else ""
        ref = v["reference_period"]
        it = f"{self.place_label(sv['origin'], 'it')} verso {self.place_label(sv['destination'], 'it')}, {sv['period'].label('it')}: {magnitude}{direction_it} rispetto a {ref.label('it')}"
        en = f"{self.place_label(sv['origin'], 'en')} to {self.place_label(sv['destination'], 'en')}, {sv['period'].label('en')}: {direction_en} on {ref.label('en')}" + (f" ({v['magnitude_words']})" if magnitude else "")
        self.fact_common(release, fact, node, (KGO.Comparison,), it, en)
        self.add(node, KGO.comparedObservation, fact_iri(release.id, subject.id))
        self.add(node, KGO.referencePeriod, self.interval(ref))
        self.add(node, KGO.referenceKind, REFERENCE[v["reference"]])
        self.add(node, KGO.periodBasis, BASIS[v.get("reference_period_basis", "stated")])
        if v["reference"] == "same-period-previous-year":
            self.add(node, KGO.derivationNote, Literal(
                f"The same period one year earlier than the compared figure's ({sv['period'].label('en')} -> {ref.label('en')}).", lang="en"))
        self.add(node, KGO.direction, DIRECTION[v["direction"]])
        if "magnitude_words" in v:
            self.add(node, KGO.magnitudeText, Literal(v["magnitude_words"], lang=release.language))
        if "reference_fact" in v:
            self.add(node, KGO.referenceObservation, fact_iri(release.id, v["reference_fact"]))
        if "change_percent" in v:
            self.add(node, KGO.changePercent, _dec(v["change_percent"]))
        if "change_amount" in v:
            self.add(node, KGO.changeAmount, _dec(v["change_amount"]))
            self.add(node, KGO.unit, EUR)
        self.hedge(node, v, release.language)

    def fact_sectors(self, release: Release, fact: Fact, node: URIRef):
        v = fact.values
        kind_it = {"concentration": "settori di concentrazione", "growth-opportunity": "settori con margini di crescita",
                   "main-products": "principali voci", "predominant": "settore prevalente"}[v["assessment"]]
        kind_en = {"concentration": "sectors of concentration", "growth-opportunity": "sectors with room to grow",
                   "main-products": "main product groups", "predominant": "predominant sector"}[v["assessment"]]
        where_it = where_en = ""
        if "origin" in v and "destination" in v:
            where_it = f" dell'export {self.place_label(v['origin'], 'it')} verso {self.place_label(v['destination'], 'it')}"
            where_en = f" of {self.place_label(v['origin'], 'en')} exports to {self.place_label(v['destination'], 'en')}"
        sectors_it = ", ".join(self.sector_label(s, "it") for s in v["sectors"])
        sectors_en = ", ".join(self.sector_label(s, "en") for s in v["sectors"])
        self.fact_common(release, fact, node, (KGO.SectorStatement,), f"{kind_it.capitalize()}{where_it}: {sectors_it}", f"{kind_en.capitalize()}{where_en}: {sectors_en}")
        self.add(node, KGO.assessment, ASSESSMENT[v["assessment"]])
        for sector in v["sectors"]:
            self.add(node, KGO.sector, sector_iri(sector))
        if "flow" not in v and ("origin" in v or "destination" in v):
            self.add(node, KGO.flow, KGO.export)
        self.dimensions(node, v, release)
        self.hedge(node, v, release.language)

    def fact_post(self, release: Release, fact: Fact, node: URIRef):
        v = fact.values
        post = post_iri(v)
        role = self.registry.roles[v["role"]]
        org_it, org_en = self.agent_name(v["organization"], "it"), self.agent_name(v["organization"], "en")
        person = self.agent_name(v["person"])
        post_it, post_en = f"{role['it']} di {org_it}", f"{role['en']} of {org_en}"
        if "accredited_to" in v:
            post_it += f" in {self.place_label(v['accredited_to'], 'it')}"
            post_en += f" to {self.place_label(v['accredited_to'], 'en')}"
        if "delegation" in v:
            post_it += f" con delega a {v['delegation']}"
            post_en += f" (delegation: {v['delegation']})"
        self.add(post, RDF.type, ORG.Post)
        self.add(post, ORG.postIn, org_iri(v["organization"]))
        self.add(post, ORG.role, role_iri(v["role"]))
        self.add(post, ORG.heldBy, person_iri(v["person"]))
        self.labels(post, post_it, post_en)
        if "delegation" in v:
            self.add(post, KGO.delegation, Literal(v["delegation"], lang=release.language))
        if "accredited_to" in v:
            self.add(post, KGO.accreditedTo, place_iri(v["accredited_to"]))
        self.fact_common(release, fact, node, (KGO.PostHolding, ORG.Membership), f"{person}, {post_it}", f"{person}, {post_en}")
        self.add(node, ORG.member, person_iri(v["person"]))
        self.add(node, ORG.organization, org_iri(v["organization"]))
        self.add(node, ORG.role, role_iri(v["role"]))
        self.add(node, KGO.post, post)

    def fact_meeting(self, release: Release, fact: Fact, node: URIRef):
        v = fact.values
        names = [self.agent_name(a) for a in v["attendees"]]
        day = v["date"].isoformat()
        it = f"Incontro tra {' e '.join(names)}, {day}"
        en = f"Meeting of {' and '.join(names)}, {day}"
        self.fact_common(release, fact, node, (KGO.Meeting, SCHEMA.Event), it, en)
        self.add(node, SCHEMA.name, Literal(it, lang="it"))
        for attendee in v["attendees"]:
            self.add(node, SCHEMA.attendee, agent_iri(self.registry, attendee))
        for post_fact in v.get("attendee_posts", []):
            self.add(node, KGO.post, post_iri(release.fact(post_fact).values))
        if "location" in v:
            self.add(node, SCHEMA.location, place_iri(v["location"]))
        self.add(node, SCHEMA.startDate, Literal(v["date"], datatype=XSD.date))
        self.add(node, KGO.dateBasis, BASIS[v.get("date_basis", "stated")])
        if "date_note" in v:
            self.add(node, KGO.derivationNote, Literal(v["date_note"], lang="en"))
        for topic in v.get("about", []):
            self.add(node, SCHEMA.about, Literal(topic, lang=release.language))

    def fact_quotation(self, release: Release, fact: Fact, node: URIRef):
        v = fact.values
        text = " […] ".join(span.quote for span in fact.evidence)
        speaker = self.agent_name(v["speaker"])
        short = text if len(text) <= 60 else text[:57].rstrip() + "…"
        self.fact_common(release, fact, node, (KGO.Quotation, SCHEMA.Quotation), f"{speaker}: «{short}»", f"{speaker}: “{short}”")
        self.add(node, SCHEMA.text, Literal(text, lang=release.language))
        self.add(node, SCHEMA.inLanguage, Literal(release.language))
        self.add(node, SCHEMA.creator, person_iri(v["speaker"]))
        self.add(node, SCHEMA.isBasedOn, release_iri(release.id))
        if "post" in v:
            self.add(node, KGO.speakerPost, post_iri(release.fact(v["post"]).values))

    def fact_acquisition(self, release: Release, fact: Fact, node: URIRef):
        v = fact.values
        acquirer, acquired = self.agent_name(v["acquirer"]), self.agent_name(v["acquired"])
        status_it = {"not-stated": "completamento non dichiarato", "announced": "annunciata", "completed": "completata"}[v["status"]]
        status_en = {"not-stated": "completion not stated", "announced": "announced", "completed": "completed"}[v["status"]]
        self.fact_common(release, fact, node, (KGO.Acquisition, SCHEMA.Event),
                         f"Acquisizione di {acquired} da parte di {acquirer} ({status_it})",
                         f"Acquisition of {acquired} by {acquirer} ({status_en})")
        self.add(node, KGO.acquirer, org_iri(v["acquirer"]))
        self.add(node, KGO.acquired, org_iri(v["acquired"]))
        self.add(node, KGO.dealStatus, STATUS[v["status"]])
        if v["status"] == "completed":
            self.add(org_iri(v["acquired"]), SCHEMA.parentOrganization, org_iri(v["acquirer"]))


def interval_containment(periods) -> list[tuple]:
    """time:intervalDuring between every two periods where one lies within the other,
    so "the same or a containing period" is a short path for queries and checks."""
    periods = sorted(periods)
    return [
        (interval_iri(inner), TIME.intervalDuring, interval_iri(outer))
        for inner in periods
        for outer in periods
        if inner != outer and outer.contains(inner)
    ]
