"""A data folder's own places, groups and sectors (places.yaml, sectors.yaml) used by its annotations,
and place and sector ids the loader refuses.

The release below was written for these tests: a fictional chamber of commerce, plant, group of
provinces and figures. Each refusal is one sentence naming the file, the line and the field.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, RDFS, SKOS, Literal

from kg.cli import cli
from kg.errors import InputError
from kg.rdf.namespaces import KGO, KGR, SCHEMA

RELEASE_ID = "960_levante"
TEXT = (
    "Levante veneto, un anno di export\n"
    "Venezia, 10 marzo 2026 – Nel 2025 lo stabilimento Vetrerie Adriatiche di Portogruaro ha esportato "
    "merci per 48 milioni di euro. "
    "Le province del Veneto Levante hanno venduto in Germania vetro artistico per 120 milioni di euro.\n"
    "Ufficio studi della Camera di commercio del Levante\n"
)
REGISTRY = """\
organizations:
  - id: camera-levante
    name: Camera di commercio del Levante
    kind: association
    country: italy
    source: "fictional: written for kg's tests"
"""
PLACES = """\
places:
  - id: vetrerie-adriatiche-portogruaro
    kind: site
    name: stabilimento Vetrerie Adriatiche di Portogruaro
    name_en: Vetrerie Adriatiche plant in Portogruaro
    parent: venezia-province
groups:
  - id: veneto-levante
    name: Veneto Levante
    name_en: Eastern Veneto
    members: [venezia-province, treviso-province, rovigo-province]
"""
SECTORS = """\
sectors:
  - id: vetro-artistico
    name: vetro artistico
    name_en: art glass
    broader: "23"
    words: [vetri d'arte]
"""
HEAD = """\
release:
  id: 960_levante
  text: release.txt
  published: 2026-03-10
  language: it
  publisher: camera-levante
  dateline: venezia
  evidence: "Venezia, 10 marzo 2026"

facts:
"""
PLANT = """\
  - id: plant-2025
    kind: level
    flow: export
    origin: {origin}
    destination: world
    period: 2025
    amount: 48000000
    unit: EUR
    hedge: exact
    evidence: "lo stabilimento Vetrerie Adriatiche di Portogruaro ha esportato merci per 48 milioni di euro"
"""
GROUP = """\
  - id: levante-germany-2025
    kind: level
    flow: export
    origin: {origin}
    destination: germany
    period: 2025
    sector: {sector}
    period_basis: implied
    period_note: "The year of the sentence before, by context."
    amount: 120000000
    unit: EUR
    hedge: exact
    evidence: "Le province del Veneto Levante hanno venduto in Germania vetro artistico per 120 milioni di euro"
"""


def data_folder(root: Path, places: str = PLACES, sectors: str = SECTORS, plant_origin: str = "vetrerie-adriatiche-portogruaro",
                group_origin: str = "veneto-levante", sector: str = "vetro-artistico") -> Path:
    data = root / "data"
    folder = data / "releases" / RELEASE_ID
    folder.mkdir(parents=True)
    (data / "registry.yaml").write_text(REGISTRY, encoding="utf-8")
    (data / "places.yaml").write_text(places, encoding="utf-8")
    (data / "sectors.yaml").write_text(sectors, encoding="utf-8")
    (folder / "release.txt").write_text(TEXT, encoding="utf-8")
    annotation = HEAD + PLANT.format(origin=plant_origin) + GROUP.format(origin=group_origin, sector=sector)
    (folder / "annotation.yaml").write_text(annotation, encoding="utf-8")
    return data


def fact(name: str):
    return KGR[f"release/{RELEASE_ID}/fact/{name}"]


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    from kg.pipeline.corpus import build

    root = tmp_path_factory.mktemp("levante")
    result = build(data_folder(root), root / "out", keep_triples=True)
    assert result.report.conforms, result.report.text()
    return result.graph


def test_a_plant_of_the_data_folder_is_an_origin(graph):
    # "lo stabilimento Vetrerie Adriatiche di Portogruaro ha esportato merci per 48 milioni di euro"
    plant = KGR["place/vetrerie-adriatiche-portogruaro"]
    assert (graph.value(fact("plant-2025"), KGO.cell), KGO.origin, plant) in graph
    assert (plant, RDF.type, SCHEMA.Place) in graph
    assert (plant, RDFS.label, Literal("stabilimento Vetrerie Adriatiche di Portogruaro", lang="it")) in graph
    # it lies in the province of Venice, itself in Veneto and Italy: the graph carries them
    assert (plant, SCHEMA.containedInPlace, KGR["place/venezia-province"]) in graph
    assert (KGR["place/venezia-province"], SCHEMA.containedInPlace, KGR["place/veneto"]) in graph
    assert (KGR["place/veneto"], SCHEMA.containedInPlace, KGR["place/italy"]) in graph
    labels = {str(o) for o in graph.objects(fact("plant-2025"), RDFS.label)}
    assert any(label.startswith("Vetrerie Adriatiche plant in Portogruaro exports") for label in labels), labels


def test_a_group_of_the_data_folder_is_an_origin_with_a_sector_of_its_own(graph):
    # "Le province del Veneto Levante hanno venduto in Germania vetro artistico per 120 milioni di euro"
    group, sector = KGR["place/veneto-levante"], KGR["sector/vetro-artistico"]
    assert (graph.value(fact("levante-germany-2025"), KGO.cell), KGO.origin, group) in graph
    assert (group, RDFS.label, Literal("Veneto Levante", lang="it")) in graph
    assert (group, RDFS.label, Literal("Eastern Veneto", lang="en")) in graph
    assert (graph.value(fact("levante-germany-2025"), KGO.cell), KGO.sector, sector) in graph
    assert (sector, RDF.type, KGO.Sector) in graph and (sector, SKOS.inScheme, KGO.SectorScheme) in graph
    assert (sector, SKOS.prefLabel, Literal("vetro artistico", lang="it")) in graph
    # under Istat's division 23 (glass, ceramics, ...), another scheme: a mapping, not skos:broader
    assert (sector, SKOS.broadMatch, KGR["sector/23"]) in graph
    assert (KGR["sector/23"], SKOS.inScheme, KGR["ateco"]) in graph
    labels = {str(o) for o in graph.objects(fact("levante-germany-2025"), RDFS.label)}
    assert any("Eastern Veneto" in label and "art glass" in label for label in labels), labels


def test_the_graph_carries_the_places_named_not_the_whole_gazetteer(graph):
    named = {str(s).rsplit("/", 1)[1] for s in graph.subjects(RDF.type, None) if str(s).startswith(str(KGR["place/"]))}
    # the releases' and the registry's places, what contains them, and the data folder's own
    # the releases' and the registry's places, what contains them, the data folder's own, and the members
    # of the group the data folder defines
    assert {"vetrerie-adriatiche-portogruaro", "venezia-province", "veneto", "italy", "world", "germany",
            "veneto-levante", "venezia", "treviso-province", "rovigo-province"} <= named
    assert "france" not in named and "padova-province" not in named and len(named) < 15


def test_a_group_is_written_with_its_members(graph):
    # places.yaml: "members: [venezia-province, treviso-province, rovigo-province]", no days given
    memberships = set(graph.subjects(KGO.memberOf, KGR["place/veneto-levante"]))
    assert {graph.value(m, KGO.memberPlace) for m in memberships} == {
        KGR["place/venezia-province"], KGR["place/treviso-province"], KGR["place/rovigo-province"]}
    assert all((m, RDF.type, KGO.PlaceMembership) in graph and graph.value(m, KGO.memberUntil) is None for m in memberships)


def test_a_sector_alias_of_the_data_folder_finds_its_sector(tmp_path):
    from kg.model.gazetteer import Gazetteer

    places = Gazetteer.load(data_folder(tmp_path))
    assert [s.id for s in places.find_sector("vetri d'arte")] == ["vetro-artistico"]
    assert [s.id for s in places.broader_sectors("vetro-artistico")] == ["23", "CG", "C"]
    assert places.member_ids("veneto-levante") == ["rovigo-province", "treviso-province", "venezia-province"]


def refusal(data: Path) -> InputError:
    from kg.pipeline.corpus import load_corpus

    with pytest.raises(InputError) as caught:
        load_corpus(data)
    return caught.value


def test_a_name_written_for_a_place_id_is_refused_with_the_id_it_names(tmp_path):
    error = refusal(data_folder(tmp_path, group_origin="Veneto Levante"))
    annotation = tmp_path / "data" / "releases" / RELEASE_ID / "annotation.yaml"
    # the group's fact starts on line 21 of the annotation; its origin is the fact's fourth line
    assert (error.path, error.line, error.field) == (str(annotation), 24, "facts[1] (levante-germany-2025).origin")
    assert "unknown place 'Veneto Levante'" in str(error) and "did you mean 'veneto-levante' (Eastern Veneto)?" in str(error)


def test_a_misspelt_place_id_is_refused_with_the_nearest_ids(tmp_path):
    error = refusal(data_folder(tmp_path, plant_origin="vetrerie-adriatiche-portogruro"))
    assert (error.line, error.field) == (14, "facts[0] (plant-2025).origin")
    assert "did you mean 'vetrerie-adriatiche-portogruaro'" in str(error)


def test_a_word_written_for_a_sector_id_is_refused_with_the_sector_it_names(tmp_path):
    error = refusal(data_folder(tmp_path, sector="vetro"))
    assert (error.line, error.field) == (27, "facts[1] (levante-germany-2025).sector")
    assert "unknown sector 'vetro'" in str(error) and "did you mean '23'" in str(error)


def test_a_place_defined_twice_is_refused(tmp_path):
    twice = PLACES.replace("groups:", "  - id: vetrerie-adriatiche-portogruaro\n    kind: site\n    name: Vetrerie bis\ngroups:")
    error = refusal(data_folder(tmp_path, places=twice))
    assert error.path == str(tmp_path / "data" / "places.yaml")
    assert (error.line, error.field) == (7, "places[1].id")
    assert "already exists" in str(error)


def test_a_place_kg_has_cannot_be_defined_again(tmp_path):
    again = PLACES.replace("groups:", "  - id: veneto\n    kind: region\n    name: Veneto bis\ngroups:")
    error = refusal(data_folder(tmp_path, places=again))
    assert (error.line, error.field) == (7, "places[1].id") and "the id 'veneto' already exists" in str(error)


def test_the_build_says_it_in_one_sentence_and_exits_2(tmp_path):
    data = data_folder(tmp_path, group_origin="veneto-est")
    result = CliRunner().invoke(cli, ["build", "--data", str(data), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "annotation.yaml, line 24, field 'facts[1] (levante-germany-2025).origin': unknown place 'veneto-est'" in result.output
    assert "Traceback" not in result.output


def test_a_group_member_named_instead_of_its_id_is_refused_with_the_id(tmp_path):
    named = PLACES.replace("members: [venezia-province,", "members: [Provincia di Venezia,")
    error = refusal(data_folder(tmp_path, places=named))
    assert (error.path, error.line, error.field) == (str(tmp_path / "data" / "places.yaml"), 11, "groups[0].members[0]")
    assert "the member 'Provincia di Venezia' is not a place (did you mean 'venezia-province'?)" in str(error)
