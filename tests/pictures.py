"""Pages seen as pictures: a screenshot as pixels, and colours compared as a person tells them apart."""

from __future__ import annotations

import io


def picture(page):
    """The page's screenshot as RGB pixels (Pillow)."""
    from PIL import Image

    return Image.open(io.BytesIO(page.screenshot())).convert("RGB")


def rgb(colour: str) -> tuple[int, ...]:
    """"#rrggbb" as (r, g, b)."""
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def near(pixel, colour: str, tolerance: int) -> bool:
    """Whether a pixel is ``colour``, each channel within ``tolerance``."""
    return max(abs(a - b) for a, b in zip(pixel, rgb(colour), strict=True)) <= tolerance
