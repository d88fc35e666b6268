"""The family test corpus's files (tests/family/releases/NN_slug/): its texts and their truth.yaml, read once."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

FAMILY = Path(__file__).parent / "family"
RELEASES_DIR = FAMILY / "releases"


@cache
def text(release: str) -> str:
    return (RELEASES_DIR / release / "release.txt").read_text(encoding="utf-8")


@cache
def truth(release: str) -> dict:
    return yaml.safe_load((RELEASES_DIR / release / "truth.yaml").read_text(encoding="utf-8"))
