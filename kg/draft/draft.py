"""A draft annotation, and what every stage of the extractor shares: quoting the text, ids."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Draft:
    release: dict
    facts: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    additions: dict[str, dict] = field(default_factory=dict)
    """Registry entries the draft names and the registry lacks, for review: "people"/"organizations"/"roles", id -> entry."""


def unique_span(text: str, start: int, end: int, sentence: tuple[int, int]) -> tuple[int, int]:
    """Widen [start, end) until the quote occurs once in the text (at most to the whole sentence)."""
    while text.count(text[start:end]) > 1 and (start > sentence[0] or end < sentence[1]):
        start, end = max(sentence[0], start - 10), min(sentence[1], end + 10)
        while start > sentence[0] and text[start - 1].isalnum() and text[start].isalnum():
            start -= 1  # whole words: a quote never starts or ends inside one
        while end < sentence[1] and text[end].isalnum() and text[end - 1].isalnum():
            end += 1
    return start, end


def slug(text: str) -> str:
    """An id-safe slug of at most 40 characters."""
    from kg.rdf.iris import slug as iri_slug

    return iri_slug(text)[:40].strip("-")


def explain(fact: dict, attribute: str, rule: str, words: str | None = None) -> None:
    """Record why ``fact[attribute]`` was drafted: the rule's name and the words of the text it read.

    Every stage may call it on a fact (or on ``draft.release``); `to_yaml` leaves it out of the
    annotation and `kg extract --explain` prints it after the fact, one line per attribute."""
    fact.setdefault("_explain", {})[attribute] = (rule, words or "")
