"""How good drafts are: each release of a data folder drafted and compared, figure by figure and attribute
by attribute, with its curated annotation."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from kg.model.periods import PeriodError, parse_period
from kg.model.schema import KINDS

ATTRIBUTES = ("kind", "value", "unit", "hedge", "period", "reference", "origin", "destination")
"""What a figure of a draft must get right, each compared with the curated figure: the measure (``kind``), its
number (signed) and unit, hedge, period, reference period (a change's, worked out as the loader does from
``reference``), origin and destination."""


def _period_key(value) -> str | None:
    if value is None:
        return None
    if hasattr(value, "key"):  # a period the loader has read
        return value.key
    try:
        return parse_period(value).key
    except PeriodError:
        return None


def _reference_key(fact: dict, period) -> str | None:
    """The key of a change's reference period: given, or worked out from ``reference`` and the figure's period."""
    if fact.get("reference_period") is not None:
        return _period_key(fact["reference_period"])
    if period is None or fact.get("reference") not in ("same-period-previous-year", "previous-period"):
        return None
    try:
        own = period if hasattr(period, "key") else parse_period(period)
    except PeriodError:
        return None
    worked_out = own.same_period_previous_year() if fact["reference"] == "same-period-previous-year" else own.previous_period()
    return worked_out.key


def _number(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _figure(kind: str, cell: dict, number, unit, hedge: str, reference=None) -> dict:
    return {"kind": kind, "value": _number(number), "unit": unit, "hedge": hedge, "period": _period_key(cell.get("period")),
            "reference": reference, "origin": cell.get("origin"), "destination": cell.get("destination")}


def _figures(facts: list[dict]) -> list[dict]:
    """Every figure of an annotation, drafted or curated (as the loader reads it), as its :data:`ATTRIBUTES`."""
    figures = []
    for fact in facts:
        kind = fact["kind"]
        if kind in KINDS and KINDS[kind].figure:
            unit = {"share": "percent", "rank": "position"}.get(kind, fact.get("unit"))
            reference = _reference_key(fact, fact.get("period")) if kind == "change" else None
            figures.append(_figure(kind, fact, fact.get(KINDS[kind].value or ""), unit, fact["hedge"], reference))
    return figures


def _match_figures(found: list[dict], expected: list[dict]) -> tuple[list[dict], list[tuple[dict, dict]]]:
    """The drafted figures right in every attribute, and the others paired with a curated figure of the same value
    (the closest, in the number of attributes that agree): what they got wrong is reported by attribute."""
    remaining = list(expected)
    right, rest = [], []
    for figure in found:
        if figure in remaining:
            remaining.remove(figure)
            right.append(figure)
        else:
            rest.append(figure)
    pairs = []
    for figure in rest:
        same_value = [e for e in remaining if e["value"] == figure["value"]]
        if same_value:
            best = max(same_value, key=lambda e: sum(e[a] == figure[a] for a in ATTRIBUTES))
            remaining.remove(best)
            pairs.append((figure, best))
    return right, pairs


def _score(found: list, expected: list, right: int | None = None) -> dict:
    if right is None:
        remaining = list(expected)
        right = 0
        for key in found:
            if key in remaining:
                remaining.remove(key)
                right += 1
    precision = right / len(found) if found else 1.0
    recall = right / len(expected) if expected else 1.0
    return {"found": len(found), "expected": len(expected), "right": right, "precision": precision, "recall": recall}


def _total(scores: list[dict]) -> dict:
    total = {key: sum(s[key] for s in scores) for key in ("found", "expected", "right")}
    total["precision"] = total["right"] / total["found"] if total["found"] else 1.0
    total["recall"] = total["right"] / total["expected"] if total["expected"] else 1.0
    return total


def evaluate(data_dir) -> dict:
    """Precision and recall of the drafts against the curated annotations of ``data_dir``.

    The extractor reads only each release's text (and the registry); the curated annotation is read here, to
    compare. A figure is right when every one of its :data:`ATTRIBUTES` agrees with a curated figure's; a figure
    right in value but wrong in another attribute counts as wrong, and ``attributes`` says which attributes the
    drafts got wrong, over the figures paired by value. Figures are also scored by measure (``level``, ``change``,
    ``share``...). Quotations match on speaker and first quoted words; posts on person, role and organisation;
    meetings on date and attendees; acquisitions on the parties and status; data sources on provider and who
    elaborated the data; datelines on the date of publication and the dateline's place together.
    """
    from kg.draft.extract import extract
    from kg.draft.people import patterns
    from kg.draft.places import PlaceFinder
    from kg.model.loader import load_corpus
    from kg.rdf.vocabularies import Ontology

    data_dir = Path(data_dir)
    ontology = Ontology()
    corpus = load_corpus(data_dir, ontology.vocabulary(data_dir))
    registry = corpus.registry
    places = PlaceFinder(ontology.gazetteer(data_dir))
    report: dict = {"releases": {}, "total": {}, "attributes": {a: 0 for a in ATTRIBUTES}, "paired": 0}
    per_kind: dict[str, list[dict]] = {}
    actor_patterns = patterns(registry)  # made once: the registry is the same for every release
    for release in corpus.releases:
        draft = extract(release.text, release.id, registry, places, actor_patterns)
        curated = [dict(f.values, id=f.id, kind=f.kind, evidence=[s.quote for s in f.evidence]) for f in release.facts]
        drafted = [dict(f) for f in draft.facts]
        found, expected = _figures(drafted), _figures(curated)
        right, pairs = _match_figures(found, expected)
        report["paired"] += len(pairs)
        for figure, truth in pairs:
            for attribute in ATTRIBUTES:
                report["attributes"][attribute] += figure[attribute] != truth[attribute]
        for kind in sorted({f["kind"] for f in found + expected}):
            per_kind.setdefault(kind, []).append(_score([f for f in found if f["kind"] == kind],
                                                        [f for f in expected if f["kind"] == kind],
                                                        sum(f["kind"] == kind for f in right)))

        def keys(facts: list[dict], kind: str, *fields: str) -> list[tuple]:
            return [tuple(f.get(name) for name in fields) for f in facts if f["kind"] == kind]

        scores = {
            "figures": _score(found, expected, len(right)),
            "quotations": _score([(f.get("speaker"), _first_words(f["evidence"])) for f in drafted if f["kind"] == "quotation"],
                                 [(f.get("speaker"), _first_words(f["evidence"])) for f in curated if f["kind"] == "quotation"]),
            "posts": _score(keys(drafted, "post", "person", "role", "organization"), keys(curated, "post", "person", "role", "organization")),
            "meetings": _score([(str(f.get("date")), tuple(sorted(f["attendees"]))) for f in drafted if f["kind"] == "meeting"],
                               [(str(f.get("date")), tuple(sorted(f["attendees"]))) for f in curated if f["kind"] == "meeting"]),
            "acquisitions": _score(keys(drafted, "acquisition", "acquirer", "acquired", "status"),
                                   keys(curated, "acquisition", "acquirer", "acquired", "status")),
            "data sources": _score(keys(drafted, "data-source", "provider", "elaborated_by"),
                                   keys(curated, "data-source", "provider", "elaborated_by")),
            # a dateline is right when the date of publication and the place both agree (no place: None in both)
            "datelines": _score([(str(draft.release.get("published")), draft.release.get("dateline"))],
                                [(str(release.published), release.dateline)]),
        }
        report["releases"][release.id] = scores
    kinds = next(iter(report["releases"].values())) if report["releases"] else {}
    for kind in kinds:
        report["total"][kind] = _total([scores[kind] for scores in report["releases"].values()])
        if kind == "figures":
            order = [name for name in KINDS if name in per_kind]  # the measures in the schema's order
            for measure in order:
                report["total"][measure] = _total(per_kind[measure])
    return report


def _first_words(evidence) -> str:
    first = evidence[0] if isinstance(evidence, list) else evidence
    return " ".join(str(first).split()[:6])


def format_evaluation(report: dict) -> str:
    """The evaluation as a table: every kind, each measure of the figures indented under them, then which
    attributes the figures right in value got wrong, and each release's figures and quotations."""
    lines = ["kind          found  expected  right  precision  recall"]
    for kind, total in report["total"].items():
        name = kind if kind not in KINDS else f"  {kind}"
        lines.append(f"{name:<13} {total['found']:5d}  {total['expected']:8d}  {total['right']:5d}  "
                     f"{total['precision']:9.0%}  {total['recall']:6.0%}")
    wrong = [f"{attribute} {count}" for attribute, count in report["attributes"].items() if count]
    lines.append(f"figures right in value, wrong in another attribute: {report['paired']}"
                 + (f" ({', '.join(wrong)})" if wrong else ""))
    for release, scores in report["releases"].items():
        figures = scores["figures"]
        lines.append(f"  {release}: figures {figures['right']}/{figures['expected']} right, "
                     f"quotations {scores['quotations']['right']}/{scores['quotations']['expected']}, "
                     f"dateline {'right' if scores['datelines']['right'] else 'wrong'}")
    return "\n".join(lines)
