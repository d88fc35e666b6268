"""The interactive page of `kg viz -o FILE.html`, looked at as a person looks at it: opened in Chromium
(Debian's, driven by Playwright), its picture taken and read pixel by pixel, its labels measured.

What the seed release says and a reader must be able to see: the people, organisations and places it
names as discs in their class's colour, their names written where nothing covers them, a node's facts
with the sentence of the release, the figures the release hedges ("supera i 14 miliardi") marked so."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import pictures
from kg.cli import cli
from pictures import picture

WIDTH, HEIGHT = 1600, 1000
COLOURS = {"organisation": "#0072B2", "person": "#D55E00", "place": "#009E73", "figure": "#E69F00"}

# the geometry of what is drawn, in the page's pixels: each node not hidden, its disc and its label's box
GEOMETRY = """() => {
  const area = document.getElementById("graph").getBoundingClientRect();
  const nodes = kgGraph.nodes(":visible").map(n => {
    const p = n.renderedPosition();
    const label = n.renderedBoundingBox({includeNodes: false, includeEdges: false, includeLabels: true});
    const disc = n.renderedBoundingBox({includeLabels: false});
    const shift = box => [box.x1 + area.left, box.y1 + area.top, box.x2 + area.left, box.y2 + area.top];
    return {id: n.id(), text: n.data("label"), x: p.x + area.left, y: p.y + area.top, radius: n.renderedWidth() / 2,
            colour: n.data("colour"), faded: n.hasClass("faded"), labelled: !n.hasClass("quiet"),
            label: shift(label), disc: shift(disc), fontSize: parseFloat(n.renderedStyle("font-size"))};
  });
  return {nodes, area: [area.left, area.top, area.right, area.bottom], zoom: kgGraph.zoom()};
}"""


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)



@pytest.fixture(scope="module")
def network(graph):
    from kg.views.netgraph import to_networkx

    return to_networkx(graph)


@pytest.fixture(scope="module")
def seed_page(built_ttl, tmp_path_factory):
    target = tmp_path_factory.mktemp("page") / "graph.html"
    assert run("viz", "--graph", built_ttl, "-o", target).exit_code == 0
    return target


def opened(browser, page_file: Path, query: str = ""):
    page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
    page.goto(page_file.resolve().as_uri() + query)
    page.wait_for_selector("body[data-ready]")  # the page has placed its labels with the fonts loaded
    return page


def near(pixel, colour: str, tolerance: int = 40) -> bool:
    return pictures.near(pixel, colour, tolerance)


def overlap(a, b) -> float:
    width, height = min(a[2], b[2]) - max(a[0], b[0]), min(a[3], b[3]) - max(a[1], b[1])
    return width * height if width > 0 and height > 0 else 0.0


def inside(box, area) -> bool:
    return box[0] >= area[0] - 1 and box[1] >= area[1] - 1 and box[2] <= area[2] + 1 and box[3] <= area[3] + 1


def node(geometry, text: str) -> dict:
    found = [n for n in geometry["nodes"] if n["text"] == text]
    assert len(found) == 1, f"{text!r}: {len(found)} nodes drawn with that label"
    return found[0]


def drawn_labels_are_apart(geometry) -> list[dict]:
    """The labels drawn: none over another or over a disc not its own, each inside the drawing."""
    shown = [n for n in geometry["nodes"] if n["labelled"] and not n["faded"]]
    for index, one in enumerate(shown):
        assert inside(one["label"], geometry["area"]), f"{one['text']!r} is cut by the edge of the drawing"
        for other in shown[index + 1:]:
            assert overlap(one["label"], other["label"]) == 0, f"{one['text']!r} is written over {other['text']!r}"
    for one in shown:
        for other in geometry["nodes"]:
            if other is not one and not other["faded"]:
                assert overlap(one["label"], other["disc"]) == 0, f"{one['text']!r} covers the disc of {other['text']!r}"
    return shown


# ---------------------------------------------------------------- the first view


def test_every_node_of_the_seed_is_a_disc_in_its_class_colour(browser, seed_page, network):
    page = opened(browser, seed_page)
    geometry, shot = page.evaluate(GEOMETRY), picture(page)
    assert len(geometry["nodes"]) == network.number_of_nodes()
    for one in geometry["nodes"]:
        assert inside(one["disc"], geometry["area"]), f"{one['text']!r} is drawn outside the view"
        pixel = shot.getpixel((round(one["x"]), round(one["y"])))
        assert near(pixel, one["colour"]), f"the disc of {one['text']!r} is covered: {pixel} at its centre"
    # the people and organisations the release names, in the colours of the legend
    assert node(geometry, "Diego Mingarelli")["colour"] == COLOURS["person"]
    assert node(geometry, "Confindustria Ancona")["colour"] == COLOURS["organisation"]
    assert node(geometry, "Marche")["colour"] == COLOURS["place"]
    page.close()


def test_labels_are_written_apart_and_the_names_of_the_release_are_all_written(browser, seed_page):
    page = opened(browser, seed_page)
    geometry = page.evaluate(GEOMETRY)
    shown = drawn_labels_are_apart(geometry)
    # every person, organisation and place the release names has its name written in the first view
    for name in ("Marche", "Azerbaijan", "Province of Ancona", "Confindustria Ancona", "Diego Mingarelli",
                 "Roberto Morichelli", "Rashad Aslanov", "SOCAR (State Oil Company of Azerbaijan Republic)"):
        assert node(geometry, name)["labelled"], f"{name!r} has no label in the first view"
    # and most of the others: the rest show when zooming in
    assert len(shown) >= 0.75 * len(geometry["nodes"]), f"only {len(shown)} of {len(geometry['nodes'])} labels written"
    page.close()


def test_the_drawing_uses_the_screen(browser, seed_page):
    page = opened(browser, seed_page)
    geometry = page.evaluate(GEOMETRY)
    left, top, right, bottom = geometry["area"]
    xs, ys = [n["x"] for n in geometry["nodes"]], [n["y"] for n in geometry["nodes"]]
    assert right - left >= 0.7 * WIDTH  # the drawing is most of the window, beside a panel
    assert (max(xs) - min(xs)) >= 0.7 * (right - left) and (max(ys) - min(ys)) >= 0.7 * (bottom - top)
    page.close()


def test_labels_keep_their_size_and_more_show_when_zooming_in(browser, seed_page):
    page = opened(browser, seed_page)
    before = page.evaluate(GEOMETRY)
    marche = node(before, "Marche")
    page.evaluate("""() => { const m = kgGraph.nodes().filter(n => n.data("label") === "Marche");
                             kgGraph.zoom({level: kgGraph.zoom() * 3, renderedPosition: m.renderedPosition()}); }""")
    page.wait_for_timeout(100)  # the labels are placed again on the next frame after a zoom
    after = page.evaluate(GEOMETRY)
    assert after["zoom"] == pytest.approx(3 * before["zoom"])
    # an actor's name stays 13 pixels high on the screen
    assert marche["fontSize"] == pytest.approx(13, abs=0.5) and node(after, "Marche")["fontSize"] == pytest.approx(13, abs=0.5)
    in_view = [n for n in after["nodes"] if inside(n["disc"], after["area"])]
    assert all(n["labelled"] for n in in_view if n["text"] in ("Marche", "Azerbaijan"))
    drawn_labels_are_apart(after)
    # every node left in view whose label was not written before has room for it now, or most do
    quiet_before = {n["id"] for n in before["nodes"] if not n["labelled"]}
    now_written = [n for n in in_view if n["id"] in quiet_before and n["labelled"]]
    assert now_written, "zooming in writes no label that the first view left out"
    page.close()


# ---------------------------------------------------------------- a node's facts, its neighbourhood, search, filters


def test_clicking_socar_shows_the_acquisition_and_its_sentence(browser, seed_page):
    page = opened(browser, seed_page)
    socar = node(page.evaluate(GEOMETRY), "SOCAR (State Oil Company of Azerbaijan Republic)")
    page.mouse.click(socar["x"], socar["y"])
    panel = page.inner_text("#detail")
    assert "Acquisition of Api by Socar (completion not stated)" in panel
    assert "In questo quadro rientra anche l’acquisizione di Api da parte della compagnia azera Socar" in panel
    page.close()


def test_focus_on_socar_shows_its_neighbourhood_with_a_ring_of_the_disc_size(browser, seed_page):
    page = opened(browser, seed_page, "?focus=socar")
    geometry, shot = page.evaluate(GEOMETRY), picture(page)
    near_socar = sorted(n["text"] for n in geometry["nodes"] if not n["faded"])
    assert near_socar == ["Acquisition of Api by Socar (completion not stated)", "Azerbaijan",
                          "SOCAR (State Oil Company of Azerbaijan Republic)"]
    for one in geometry["nodes"]:
        if not one["faded"]:
            assert inside(one["disc"], geometry["area"]) and one["labelled"]
    drawn_labels_are_apart(geometry)
    socar = node(geometry, "SOCAR (State Oil Company of Azerbaijan Republic)")
    # the ring is a few pixels around the disc, not a circle the size of the graph
    ring = shot.getpixel((round(socar["x"] + socar["radius"] - 2), round(socar["y"])))
    assert near(ring, "#b00020", 60), ring
    assert socar["disc"][2] - socar["disc"][0] <= 2 * socar["radius"] + 12
    page.close()


def test_search_for_mingarelli_finds_him_his_post_and_his_quotation(browser, seed_page):
    page = opened(browser, seed_page)
    page.fill("#search", "Mingarelli")
    assert page.inner_text("#matches") == "3 matches"
    geometry, shot = page.evaluate(GEOMETRY), picture(page)
    hits = sorted(n["text"] for n in geometry["nodes"] if not n["faded"])
    assert hits[0] == "Diego Mingarelli" and len(hits) == 3
    assert any(text.startswith("Diego Mingarelli: “I nostri Paesi") for text in hits)
    marche = node(geometry, "Marche")  # not a match: drawn pale
    assert not near(shot.getpixel((round(marche["x"]), round(marche["y"]))), COLOURS["place"])
    page.press("#search", "Enter")  # the first match, a person before his facts, is selected
    assert "Diego Mingarelli" in page.inner_text("#detail h2")
    page.close()


def test_hiding_figures_and_sectors_leaves_the_actors(browser, seed_page, network):
    page = opened(browser, seed_page)
    page.uncheck("#filters input[value='figure']")
    page.uncheck("#filters input[value='sector']")
    geometry = page.evaluate(GEOMETRY)
    figures = [n for n, d in network.nodes(data=True) if d["cls"] in ("Level", "Change", "Share", "Cell", "Series")]
    sectors = [n for n, d in network.nodes(data=True) if d["cls"] == "Sector"]
    assert len(geometry["nodes"]) == network.number_of_nodes() - len(figures) - len(sectors)
    assert node(geometry, "Marche") and node(geometry, "Diego Mingarelli")
    assert page.inner_text("#count") == f"Every node shown ({len(geometry['nodes'])} of {network.number_of_nodes()})"
    page.close()


def test_a_figure_the_release_hedges_is_marked(browser, seed_page):
    # «del totale dell’export regionale, che supera i 14 miliardi di euro»: more than, not exactly, 14 billion
    page = opened(browser, seed_page)
    geometry = page.evaluate(GEOMETRY)
    figure = node(geometry, "> 2024: more than €14,000,000,000")
    assert page.evaluate("id => kgGraph.getElementById(id).pstyle('border-style').value", figure["id"]) == "dashed"
    exact = node(geometry, "fashion, 2024: €2,100,000")  # «2,1 milioni» of fashion: stated without a hedge
    assert page.evaluate("id => kgGraph.getElementById(id).pstyle('border-style').value", exact["id"]) == "solid"
    page.mouse.click(figure["x"], figure["y"])
    assert "Hedged: > more than (the release: «supera»)" in page.inner_text("#detail")
    assert "more than" in page.inner_text("#filters")  # the legend says what the marks mean
    page.close()


@pytest.fixture(scope="module")
def two_releases_page(tmp_path_factory):
    """The page of a corpus of two releases of the family: Bolzano's exports per resident, Liguria's yachts."""
    from kg.pipeline.corpus import build

    family = Path(__file__).parent / "family"
    data = tmp_path_factory.mktemp("two")
    for name in ("registry.yaml", "places.yaml", "sectors.yaml"):
        shutil.copy(family / name, data / name)
    for release in ("08_bolzano_per_residente", "09_genova_nautica"):
        shutil.copytree(family / "releases" / release, data / "releases" / release)
    out = tmp_path_factory.mktemp("two-out")
    assert build(data, out).report.conforms
    target = out / "graph.html"
    assert run("viz", "--graph", out / "graph.ttl", "-o", target).exit_code == 0
    return target


def test_the_filter_by_release_keeps_one_release(browser, two_releases_page):
    page = opened(browser, two_releases_page)
    everything = {n["text"] for n in page.evaluate(GEOMETRY)["nodes"]}
    assert {"Thomas Pichler", "Andrea Parodi"} <= everything  # the two releases' speakers
    page.select_option("#release", "09_genova_nautica")
    shown = {n["text"] for n in page.evaluate(GEOMETRY)["nodes"]}
    assert "Andrea Parodi" in shown and "Liguria" in shown  # the Genoa release: its president, its region
    assert "Thomas Pichler" not in shown and "Province of Bolzano" not in shown  # the Bolzano release's
    page.close()
