"""The package's own data, read with :mod:`importlib.resources`: it travels in the wheel.

=====================  =====================================================
``ontology/``          the OWL ontology (``kg.ttl``), the SHACL shapes, the
                       JSON-LD context, the recorded digests of the shapes'
                       SPARQL checks
``queries/``           the query library, one ``.rq`` file per question
``static/``            the offline pages of ``kg serve`` and ``kg viz``
``gazetteer/``         places, groups and the sector schemes (ATECO and
                       the releases' sector words): ``gazetteer.json``,
                       written by ``scripts/gazetteer.py`` from pycountry,
                       Babel and the project's tables beside it
``template/``          the data folder ``kg init`` lays out: a registry and
                       one commented, fictional example release; ``kg synth``
                       starts from its registry when given no data folder
=====================  =====================================================

The repository shows the first two at its top level as ``ontology/`` and
``queries/`` (links to these folders). Nothing here reads files beside the
package: an installed wheel works from any folder.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

ONTOLOGY_FILES = ("kg.ttl",)
SHAPES_FILE = "shapes.ttl"
CONTEXT_FILE = "context.jsonld"


def folder(name: str) -> Path:
    """A folder of package data as a path (wheels are installed unpacked, so it is a real folder)."""
    return Path(str(files(__name__).joinpath(name)))


ONTOLOGY_DIR = folder("ontology")
QUERIES_DIR = folder("queries")
STATIC_DIR = folder("static")
TEMPLATE_DIR = folder("template")
