"""Pictures, the offline page in a real browser, paths and hubs (GraphML and GEXF: test_graph_exports.py)."""

import subprocess
import urllib.parse
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import chromium
from kg.cli import cli


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture(scope="module")
def network(graph):
    from kg.views.netgraph import to_networkx

    return to_networkx(graph)


# ---------------------------------------------------------------- RDF -> NetworkX


def test_nodes_are_resources_with_label_class_and_id(network):
    socar = network.nodes["org/socar"]
    assert socar["label"] == "SOCAR (State Oil Company of Azerbaijan Republic)"
    assert socar["cls"] == "Organization" and socar["id"] == "org/socar" and socar["actor"]
    assert network.nodes["place/marche"]["cls"] == "Region"
    assert network.nodes["person/diego-mingarelli"]["cls"] == "Person"


def test_figures_and_their_cells_are_nodes_of_their_own_class(network):
    # the seed states ten levels (7,5 milioni; 14 miliardi; moda, arredo, meccanica, elettronica,
    # componentistica; 5 milioni; 1,5 milioni; 767 mila), one share (0,05%) and one change ("in lieve
    # flessione"), on ten cells: Marche to Azerbaijan in 2024 and in its first nine months of 2025, each of
    # the five sectors of 2024, Marche to the world in 2024, Ancona to Azerbaijan in the two periods
    from collections import Counter

    from kg.views.viz import group_of, short_label

    classes = Counter(data["cls"] for _, data in network.nodes(data=True))
    assert (classes["Level"], classes["Share"], classes["Change"], classes["Cell"]) == (10, 1, 1, 10)
    assert not {"TradeObservation", "ShareObservation", "Comparison"} & set(classes)
    fashion = network.nodes["release/000_c861f582b8da151e/fact/marche-azerbaijan-2024-fashion"]
    assert fashion["cls"] == "Level" and group_of("Level")[0] == group_of("Cell")[0] == "figure"
    assert short_label(fashion) == "fashion, 2024: €2,100,000"
    cell = "cell/export/marche/azerbaijan/2024/sector/fashion"
    assert cell in network["release/000_c861f582b8da151e/fact/marche-azerbaijan-2024-fashion"]


def test_edges_carry_the_property_label(network):
    labels = {d["label"] for d in network.get_edge_data("release/000_c861f582b8da151e/fact/socar-acquires-api", "org/socar").values()}
    assert labels == {"acquirer"}


def test_literals_provenance_and_ontology_terms_stay_out_by_default(network, graph):
    from kg.views.netgraph import to_networkx

    keys = list(network.nodes)
    assert not any(k.startswith("literal:") for k in keys)
    assert not any("/evidence/" in k or "/sentence/" in k for k in keys)
    assert not any(k.startswith("http") for k in keys)  # kgo: terms, wd:, nace: links
    with_provenance = to_networkx(graph, include=("provenance",))
    assert any("/evidence/" in k for k in with_provenance.nodes) and any("/sentence/" in k for k in with_provenance.nodes)
    with_literals = to_networkx(graph, include=("literals",))
    assert "literal:Rashad Aslanov" in with_literals.nodes


def test_labels_in_italian(graph):
    from kg.views.netgraph import to_networkx

    italian = to_networkx(graph, lang="it")
    assert italian.nodes["place/azerbaijan"]["label"] == "Azerbaigian"
    assert italian.nodes["sector/furniture"]["label"] == "arredo"


# ---------------------------------------------------------------- pictures


def png_size_and_spread(path: Path):
    from PIL import Image, ImageStat

    with Image.open(path) as image:
        grey = image.convert("L")
        return image.size, ImageStat.Stat(grey).stddev[0], len(grey.getcolors(1 << 16) or [])


@pytest.mark.parametrize("args", [[], ["--focus", "Socar", "--depth", "2"], ["--lang", "it"]])
def test_png_is_large_and_not_blank(built_ttl, tmp_path, args):
    target = tmp_path / "graph.png"
    result = run("viz", "--graph", built_ttl, "-o", target, *args)
    assert result.exit_code == 0, result.output
    (width, height), spread, colours = png_size_and_spread(target)
    assert width >= 1600 and height >= 1000
    assert spread > 10 and colours > 50  # drawn, not a blank canvas


def test_focus_shows_only_the_neighbourhood(built_ttl, tmp_path):
    whole = run("viz", "--graph", built_ttl, "-o", tmp_path / "a.png")
    focus = run("viz", "--graph", built_ttl, "-o", tmp_path / "b.png", "--focus", "socar", "--depth", "1")
    count = lambda out: int(out.split("(")[1].split(" nodes")[0])  # noqa: E731
    assert count(focus.output) < count(whole.output)
    # Socar's own facts at depth 1: the acquisition; its country Azerbaijan
    from kg.stores.files import load_graph
    from kg.views.netgraph import neighbourhood, to_networkx

    near = neighbourhood(to_networkx(load_graph(built_ttl)), "socar", 1)
    assert set(near.nodes) == {"org/socar", "release/000_c861f582b8da151e/fact/socar-acquires-api", "place/azerbaijan"}


def test_svg_names_the_release(built_ttl, tmp_path):
    target = tmp_path / "graph.svg"
    assert run("viz", "--graph", built_ttl, "-o", target).exit_code == 0
    text = target.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "<svg" in text
    assert "Ampi margini di crescita" in text and "2026-02-20" in text


def test_unknown_picture_format_and_unknown_focus_exit_2(built_ttl, tmp_path):
    assert run("viz", "--graph", built_ttl, "-o", tmp_path / "graph.gif").exit_code == 2
    result = run("viz", "--graph", built_ttl, "-o", tmp_path / "g.png", "--focus", "Socr")
    assert result.exit_code == 2 and "socar" in result.stderr.lower()


# ---------------------------------------------------------------- the page, in a real browser


def render(page: Path, tmp_path: Path, **params) -> str:
    url = page.resolve().as_uri() + ("?" + urllib.parse.urlencode(params) if params else "")
    result = subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--allow-file-access-from-files", f"--user-data-dir={tmp_path / 'profile'}",
         "--virtual-time-budget=5000", "--dump-dom", url],
        capture_output=True, text=True, timeout=60,
    )
    return result.stdout


@pytest.fixture(scope="module")
def html_page(built_ttl, tmp_path_factory):
    target = tmp_path_factory.mktemp("page") / "graph.html"
    assert run("viz", "--graph", built_ttl, "-o", target).exit_code == 0
    return target


def test_page_is_self_contained(html_page):
    text = html_page.read_text(encoding="utf-8")
    assert "<script src" not in text and "<link" not in text and "@import" not in text
    assert "cdn" not in text.lower()


def test_page_draws_every_node_in_chromium(html_page, tmp_path, network):
    dom = render(html_page, tmp_path)
    assert dom.count('class="node') == network.number_of_nodes()
    assert "SOCAR (State Oil Company of Azerbaijan Republic)" in dom


def test_clicking_an_actor_shows_its_facts_and_sentences(html_page, tmp_path):
    dom = render(html_page, tmp_path, select="socar")
    panel = dom.split('<aside id="panel">', 1)[1].split("</aside>", 1)[0]
    assert "Acquisition of Api by Socar (completion not stated)" in panel
    assert "<blockquote>In questo quadro rientra anche l’acquisizione di Api da parte della compagnia azera Socar" in panel


def test_search_finds_an_actor(html_page, tmp_path):
    dom = render(html_page, tmp_path, search="Mingarelli")
    assert ">3 matches<" in dom  # the person, his post holding, his quotation
    assert dom.count('class="node actor hit"') + dom.count('class="node hit"') == 3


# ---------------------------------------------------------------- charts


def test_chart_of_the_sector_breakdown(graph, built_ttl, tmp_path):
    from kg.query.library import run_query
    from kg.views.viz import chart_data

    labels, values, _hedges, axis, _scale = chart_data(run_query(graph, "sector-breakdown"))
    assert labels == ["fashion", "≈components", "≈electronics", "≈furniture", "≈mechanics"]
    assert values == [2100000.0, 1000000.0, 1000000.0, 1000000.0, 1000000.0]
    assert axis == "amount (million EUR)"
    target = tmp_path / "chart.png"
    result = run("chart", "sector-breakdown", "--graph", built_ttl, "-o", target)
    assert result.exit_code == 0, result.output
    (width, height), spread, _colours = png_size_and_spread(target)
    assert width >= 1600 and height >= 1000 and spread > 10


def test_chart_shows_more_and_less_than(graph):
    from kg.query.library import run_query
    from kg.views.viz import chart_data

    labels = chart_data(run_query(graph, "exports-by-period"))[0]
    assert "<Marche, Azerbaijan, January–September 2025" in labels
    assert ">Province of Ancona, Azerbaijan, 2024" in labels


# ---------------------------------------------------------------- analytics


def test_path_from_socar_to_confindustria_ancona(built_ttl):
    result = run("path", "Socar", "Confindustria Ancona", "--graph", built_ttl)
    assert result.exit_code == 0, result.output
    # the release says Socar acquires Api; the registry says Api and Confindustria Ancona are Italian
    assert result.output.splitlines() == [
        "SOCAR (State Oil Company of Azerbaijan Republic) <--[acquirer]-- Acquisition of Api by Socar (completion not stated)",
        "Acquisition of Api by Socar (completion not stated) --[acquired]--> api (Italian energy group)",
        "api (Italian energy group) --[country]--> Italy",
        "Italy <--[country]-- Confindustria Ancona",
        "(4 hops)",
    ]


def test_path_between_people_goes_through_their_posts(network):
    from kg.views.netgraph import shortest_path

    hops = shortest_path(network, "Diego Mingarelli", "Roberto Morichelli")
    assert hops[0][1] in ("heldBy", "held by", "member", "creator", "speaker post")
    assert hops[-1][2] == "person/roberto-morichelli"


def test_path_with_an_unknown_name_exits_2_with_close_matches(built_ttl):
    result = run("path", "Socr", "Marche", "--graph", built_ttl)
    assert result.exit_code == 2
    assert "no actor named 'Socr'" in result.stderr and "close matches: socar" in result.stderr


def test_hubs_rank_actors_only(built_ttl, network):
    result = run("hubs", "--top", "5", "--graph", built_ttl)
    assert result.exit_code == 0
    assert result.output.startswith("betweenness centrality")
    ranked = [line.split("(")[-1].split(",")[0] for line in result.output.splitlines()[1:]]
    assert len(ranked) == 5
    assert set(ranked) <= {"Organization", "Person", "Country", "Region", "Province", "Municipality", "City"}
    # Marche, Italy, Confindustria Ancona and Azerbaijan bridge the release's facts
    top = [line.split("  ", 2)[-1].split(" (")[0] for line in result.output.splitlines()[1:5]]
    assert set(top) == {"Marche", "Italy", "Confindustria Ancona", "Azerbaijan"}
