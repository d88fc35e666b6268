"""Where the project's own files live (the repository layout of the design card)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = ROOT / "ontology"
QUERIES_DIR = ROOT / "queries"
DATA_DIR = Path("data")
OUT_DIR = Path("out")

ONTOLOGY_FILES = ("kg.ttl", "places.ttl", "sectors.ttl")
SHAPES_FILE = "shapes.ttl"
CONTEXT_FILE = "context.jsonld"
