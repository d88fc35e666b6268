"""The family corpus is a data folder that kg builds: the loader `kg build --data tests/family` runs
first takes every release with every fact, the two written with a deliberate contradiction (14_,
15_) included; the other fifteen build and conform, and the figures in the graph are the ones read
off the texts (tests/family/README.md). The checks that must catch the two contradictions across
figures are not asked here.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from rdflib import RDF, Namespace, URIRef

from kg.cli import cli

FAMILY = Path(__file__).parent / "family"
RELEASES = sorted(p.name for p in (FAMILY / "releases").iterdir() if p.is_dir())
CONTRADICTIONS = {"14_sicilia_contraddizione", "15_basilicata_contraddizione"}
KGO = Namespace("https://example.org/kg/ontology#")
KGR = "https://example.org/kg/id/"


def annotated_ids(release: str) -> list[str]:
    doc = yaml.safe_load((FAMILY / "releases" / release / "annotation.yaml").read_text(encoding="utf-8"))
    return [fact["id"] for fact in doc["facts"]]


def test_every_release_of_the_family_loads_with_every_fact():
    from kg.pipeline.corpus import load_corpus

    corpus = load_corpus(FAMILY)
    loaded = {release.id: [fact.id for fact in release.facts] for release in corpus.releases}
    assert sorted(loaded) == RELEASES
    for release in RELEASES:
        assert loaded[release] == annotated_ids(release), release


@pytest.fixture(scope="module")
def consistent(tmp_path_factory):
    """The family without its two contradictory releases, built by the command line."""
    data = tmp_path_factory.mktemp("family") / "data"
    shutil.copytree(FAMILY, data)
    for release in CONTRADICTIONS:
        shutil.rmtree(data / "releases" / release)
    out = data.parent / "out"
    result = CliRunner().invoke(cli, ["build", "--data", str(data), "--out", str(out)])
    return result, out


def test_the_consistent_releases_build_and_conform(consistent):
    result, out = consistent
    assert result.exit_code == 0, result.output
    assert f"releases: {len(RELEASES) - len(CONTRADICTIONS)}" in result.output and "conforms: yes" in result.output
    assert (out / "graph.ttl").is_file()


def test_figures_in_the_graph_are_those_read_off_the_texts(consistent):
    from rdflib import Graph

    _result, out = consistent
    graph = Graph().parse(out / "graph.ttl")

    def fact(release: str, fact_id: str) -> URIRef:
        return URIRef(f"{KGR}release/{release}/fact/{fact_id}")

    def cell(path: str) -> URIRef:
        return URIRef(f"{KGR}cell/{path}")

    # 01: "le imprese della provincia di Bergamo hanno esportato merci per 13.152,7 milioni di euro" (Jan-Sep 2024)
    bergamo = fact("01_bergamo_camera_nove_mesi", "bergamo-export-2024-01-to-09")
    assert (bergamo, RDF.type, KGO.Level) in graph
    assert graph.value(bergamo, KGO.tradeValue).toPython() == Decimal("13152700000")
    assert graph.value(bergamo, KGO.cell) == cell("export/bergamo-province/world/2024-01--2024-09")
    # 07: "hanno importato dall'Italia merci per 11,4 miliardi di dollari": a level in dollars
    uae = fact("07_roma_emirati_dollari", "italy-import-united-arab-emirates-2024")
    assert graph.value(uae, KGO.unit) == URIRef("http://publications.europa.eu/resource/authority/currency/USD")
    # 12 and 13 state Chieti's exports to Germany in the first half of 2024 (1.234,6 million, then "1,2 miliardi"): one cell
    chieti = cell("export/chieti-province/germany/2024-H1")
    assert graph.value(fact("12_chieti_germania_semestre", "chieti-export-germany-2024-h1"), KGO.cell) == chieti
    assert graph.value(fact("13_agi_pescara_province", "chieti-export-germany-2024-h1"), KGO.cell) == chieti
    # 10: "Secondo i dati provvisori diffusi dall’Istat": its figures are provisional
    umbria = fact("10_umbria_semestre_provvisorio", "umbria-export-2024-h1")
    assert graph.value(umbria, KGO.status) == KGO.provisional
    # 17: the plant and 03: the union's group of provinces are origins
    assert graph.value(fact("17_lazio_interscambio", "farmalatina-aprilia-export-2023"), KGO.cell) == cell(
        "export/farmalatina-aprilia/world/2023")
    quadrant = fact("03_piemonte_sindacato_province", "quadrante-nord-est-export-2025-q1")
    assert graph.value(graph.value(quadrant, KGO.cell), KGO.origin) == URIRef(f"{KGR}place/quadrante-nord-est")
