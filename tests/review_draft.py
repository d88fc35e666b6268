"""A draft with known mistakes, for the tests of `kg review`: the curated annotation of the family's
Genoa release (`09_genova_nautica`), written as a hurried first pass would leave it.

What the text says (read off release.txt by a person):

- «Nel periodo gennaio-settembre 2024 le esportazioni liguri hanno raggiunto 7.318,4 mln euro»: Liguria's
  exports of January to September 2024 were EUR 7,318.4 million. The draft gives that figure the period of
  the comparison after it, January to September 2023 (WRONG_PERIOD), with a `review:` line asking to check it.
- «La Spezia si è attestata a 1.690,2 milioni»: the province of La Spezia exported EUR 1,690.2 million over
  the same months. The draft misses the figure (MISSED).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

FAMILY = Path(__file__).parent / "family"
RELEASE = "09_genova_nautica"
LEVEL = "liguria-export-2024-01-to-09"  # the figure drafted with the wrong period
RIGHT_PERIOD, WRONG_PERIOD = "2024-01/2024-09", "2023-01/2023-09"
REVIEW = "the period is read from «gen-set 2023»: check it"
MISSED = "la-spezia-export-2024-01-to-09"
MISSED_QUOTE = "La Spezia si è attestata a 1.690,2 milioni"


def fact_block(text: str, fact_id: str) -> re.Match:
    """The lines of the fact ``fact_id`` in an annotation's text, up to the next fact."""
    found = re.search(rf"^  - id: {re.escape(fact_id)}\n(?:    .*\n|\n)*?(?=  - id: |\Z)", text, re.M)
    assert found, fact_id
    return found


def make_draft(root: Path) -> tuple[Path, Path]:
    """A data folder (the family's registry, places and sectors, and the Genoa release with the draft):
    (data folder, release folder)."""
    data = root / "data"
    (data / "releases").mkdir(parents=True)
    for name in ("registry.yaml", "places.yaml", "sectors.yaml"):
        shutil.copy(FAMILY / name, data / name)
    folder = data / "releases" / RELEASE
    shutil.copytree(FAMILY / "releases" / RELEASE, folder)
    (folder / "truth.yaml").unlink()
    annotation = folder / "annotation.yaml"
    text = annotation.read_text(encoding="utf-8")
    level = fact_block(text, LEVEL).group(0)
    assert f"    period: {RIGHT_PERIOD}\n" in level
    wrong = level.replace(f"    period: {RIGHT_PERIOD}\n", f"    period: {WRONG_PERIOD}\n")
    wrong = wrong.replace("    evidence:", f"    review: \"{REVIEW}\"\n    evidence:")
    text = text.replace(level, wrong)
    text = text.replace(fact_block(text, MISSED).group(0), "")
    annotation.write_text(text, encoding="utf-8")
    return data, folder
