"""``kg init``: a new data folder, laid out from the template that ships with kg.

The template (``kg/resources/template/``) is a ``registry.yaml`` and one
commented, fictional example release (``releases/example/``) that builds and
conforms, so ``kg init DIR && kg build --data DIR`` works from any folder. Its
registry is also where ``kg synth`` starts when it is given no data folder.
"""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path

from kg.errors import UsageError
from kg.resources import TEMPLATE_DIR


def template_files(template_dir: Path = TEMPLATE_DIR) -> list[Path]:
    """The template's files, relative to it, sorted (hidden files and caches left out)."""
    return sorted(
        path.relative_to(template_dir)
        for path in Path(template_dir).rglob("*")
        if path.is_file() and not any(part.startswith((".", "__")) for part in path.relative_to(template_dir).parts)
    )


def init_data(target, template_dir: Path = TEMPLATE_DIR) -> list[Path]:
    """Lay out a data folder at ``target`` (new, or an empty folder); return the files written, relative to it.

    The files are written into a temporary folder (beside ``target``, or inside it when
    it is an empty folder) and moved into place by renames, so a failure leaves no
    half-made data folder.
    """
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target} is a file; kg init lays out a data folder in a new or empty folder")
    if target.is_dir() and any(target.iterdir()):
        raise UsageError(f"{target} is not empty; kg init lays out a data folder only in a new or empty folder")
    files = template_files(template_dir)
    existing = target.is_dir()
    # staged inside an existing (empty) target, else beside it: on the same file system either way
    parent = target if existing else target.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = parent / f".kg-tmp-init-{secrets.token_hex(6)}"
    staging.mkdir()  # with the usual permissions (umask), unlike mkdtemp's 0700
    try:
        for relative in files:
            (staging / relative).parent.mkdir(parents=True, exist_ok=True)
            with open(staging / relative, "wb") as out:  # the folder is the temporary: no rdflib for kg init
                out.write((Path(template_dir) / relative).read_bytes())
                out.flush()
                os.fsync(out.fileno())
        if existing:  # empty: move the entries in
            for entry in sorted(staging.iterdir()):
                os.replace(entry, target / entry.name)
            staging.rmdir()
        else:
            os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return files
