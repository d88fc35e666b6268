"""A draft annotation, and what every stage of the extractor shares: quoting the text, ids."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Draft:
    release: dict
    facts: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def unique_span(text: str, start: int, end: int, sentence: tuple[int, int]) -> tuple[int, int]:
    """Widen [start, end) until the quote occurs once in the text (at most to the whole sentence)."""
    while text.count(text[start:end]) > 1 and (start > sentence[0] or end < sentence[1]):
        start, end = max(sentence[0], start - 10), min(sentence[1], end + 10)
    return start, end


def slug(text: str) -> str:
    """An id-safe slug of at most 40 characters."""
    from kg.rdf.iris import slug as iri_slug

    return iri_slug(text)[:40].strip("-")
