"""Find quoted evidence in a release text, and split the text into sentences.

Offsets are Python string indices (Unicode code points), the same positions
SPARQL's SUBSTR counts, so the graph can check ``oa:exact`` against the text.
"""

from __future__ import annotations

import re
import unicodedata

# A sentence ends at . ! ? (optionally followed by a closing quote) before a
# space and an upper-case letter or opening quote, or at a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?])[”\"’»]?\s+(?=[“\"«A-ZÀ-Ý])|\n+")

_QUOTE_MAP = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "«": '"', "»": '"'})


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, trailing spaces excluded."""
    spans = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.start()
        # keep a closing quote with its sentence
        segment_end = end + len(match.group(0)) - len(match.group(0).lstrip("”\"’»"))
        if segment_end > start and text[start:segment_end].strip():
            spans.append((start, segment_end))
        start = match.end()
    if start < len(text) and text[start:].strip():
        end = len(text.rstrip())
        spans.append((start, end))
    return spans


def find_all(text: str, quote: str) -> list[int]:
    """Start offsets of every occurrence of ``quote`` in ``text``."""
    found, at = [], text.find(quote)
    while at != -1:
        found.append(at)
        at = text.find(quote, at + 1)
    return found


def near_miss(text: str, quote: str) -> str | None:
    """Why a quote is not found, when a likely cause is visible."""
    plain_text = unicodedata.normalize("NFC", text).translate(_QUOTE_MAP)
    plain_quote = unicodedata.normalize("NFC", quote).translate(_QUOTE_MAP)
    if plain_quote in plain_text:
        return "it differs from the text only in apostrophes, quotation marks or dashes (the text uses ’ “ ” –)"
    squeezed = " ".join(quote.split())
    if squeezed != quote and squeezed in text:
        return "it differs from the text only in spacing"
    if quote.lower() in text.lower():
        return "it differs from the text only in upper/lower case"
    return None


def overlapping(spans: list[tuple[int, int]], start: int, end: int) -> list[int]:
    """Indices of the sentences that share characters with [start, end)."""
    return [index for index, (s_start, s_end) in enumerate(spans) if s_start < end and start < s_end]
