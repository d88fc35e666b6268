"""Pictures of the graph: PNG/SVG with matplotlib, an interactive page that works offline,
and bar charts of a query's figures. Imported only by the commands that draw."""

from __future__ import annotations

import html
import json
from pathlib import Path

import networkx as nx
from rdflib import Graph
from rdflib.namespace import RDF

from kg.errors import UsageError
from kg.rdf.namespaces import KGO

# classes grouped into what a reader tells apart, with a colour each (colour-blind safe palette)
GROUPS = {
    "organisation": (("Organization",), "#0072B2"),
    "person": (("Person",), "#D55E00"),
    "place": (("Country", "Region", "Province", "Municipality", "City", "Premises", "AllDestinations", "Place"), "#009E73"),
    # a figure (kgo:Figure: one measure) and the cell it measures, with the cell's series
    "figure": (("Level", "Change", "Share", "Rank", "Ratio", "Projection", "Cell", "Series"), "#E69F00"),
    "statement": (("SectorStatement", "Quotation", "Meeting", "Acquisition", "PostHolding"), "#CC79A7"),
    "post or role": (("Post", "Role"), "#56B4E9"),
    "sector": (("Sector",), "#999999"),
    "period": (("ProperInterval", "Instant"), "#F0E442"),
    "release": (("PressRelease",), "#000000"),
}
OTHER = ("other", "#BBBBBB")
FIGURES = ("Level", "Change", "Share", "Rank", "Ratio", "Projection")  # kgo:Figure's classes


def group_of(cls: str) -> tuple[str, str]:
    for name, (classes, colour) in GROUPS.items():
        if cls in classes:
            return name, colour
    return OTHER


def _short(text: object, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def short_label(data: dict) -> str:
    """A figure's label without its cell's (repeated) flow, origin and destination: 'furniture, 2024: about €1,000,000'."""
    label = str(data["label"])
    if data.get("cls") in FIGURES and ", " in label:
        return label.split(", ", 1)[1]
    return label


def layout(network: nx.MultiDiGraph) -> dict:
    """Deterministic positions (a seeded spring layout on the undirected graph)."""
    simple: nx.Graph[str] = nx.Graph()
    simple.add_nodes_from(sorted(network.nodes))
    simple.add_edges_from(sorted({tuple(sorted((u, v))) for u, v in network.edges()}))
    if simple.number_of_nodes() == 0:
        return {}
    k = 2.2 / max(simple.number_of_nodes(), 1) ** 0.5
    return nx.spring_layout(simple, seed=7, k=k, iterations=300)


def title_of(graph: Graph) -> str:
    from kg.rdf.namespaces import SCHEMA, ordered

    releases = ordered(graph.subjects(RDF.type, KGO.PressRelease))
    if len(releases) == 1:
        headline = graph.value(releases[0], SCHEMA.headline)
        published = graph.value(releases[0], SCHEMA.datePublished)
        return f"{_short(headline, 90)} ({published})"
    return f"{len(releases)} releases"


def draw(network: nx.MultiDiGraph, path: Path, title: str, focus: str | None = None) -> Path:
    """Write a PNG or SVG picture of ``network`` (at least 1600x1000 pixels for PNG), the format by the
    extension of ``path``, atomically."""
    from kg.stores.files import write_atomic

    path = Path(path)
    return write_atomic(path, picture(network, path.suffix.lower().lstrip("."), title, focus))


def picture(network: nx.MultiDiGraph, fmt: str, title: str, focus: str | None = None) -> bytes:
    """A PNG or SVG picture (``fmt`` "png" or "svg") of ``network``, 1920x1200 pixels, as bytes: the
    same from run to run (no date in the metadata, SVG ids salted with a constant)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    matplotlib.rcParams["svg.hashsalt"] = "kg"  # stable ids in SVG output
    if network.number_of_nodes() == 0:
        raise UsageError("nothing to draw: the graph has no resources")
    positions = layout(network)
    figure, axes = plt.subplots(figsize=(19.2, 12), dpi=100)
    axes.set_axis_off()
    simple_edges = sorted({(u, v): d["label"] for u, v, d in network.edges(data=True)}.items())
    nx.draw_networkx_edges(network, positions, edgelist=[e for e, _ in simple_edges], ax=axes,
                           edge_color="#9a9a9a", width=0.8, arrows=True, arrowsize=8, alpha=0.8,
                           connectionstyle="arc3,rad=0.04", node_size=260)
    if network.number_of_edges() <= 220:
        nx.draw_networkx_edge_labels(network, positions, edge_labels={e: _short(label, 16) for e, label in simple_edges},
                                     font_size=6, font_color="#555555", ax=axes, rotate=False,
                                     bbox={"alpha": 0.0, "pad": 0}, connectionstyle="arc3,rad=0.04", node_size=260)
    seen_groups = []
    for node, data in sorted(network.nodes(data=True)):
        name, colour = group_of(data["cls"])
        if name not in seen_groups:
            seen_groups.append(name)
        size = 520 if data.get("actor") else 260
        if focus and node == focus:
            size = 900
        nx.draw_networkx_nodes(network, positions, nodelist=[node], node_color=colour, node_size=size,
                               edgecolors="white", linewidths=1.0, ax=axes)
    labels = {node: _short(short_label(data), 30 if data.get("actor") else 26) for node, data in network.nodes(data=True)}
    for node, (x, y) in positions.items():
        data = network.nodes[node]
        axes.annotate(labels[node], (x, y), xytext=(0, 9 if data.get("actor") else 7), textcoords="offset points",
                      ha="center", fontsize=8 if data.get("actor") else 6.5,
                      fontweight="bold" if data.get("actor") else "normal", color="#1b1b1b",
                      bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7})
    handles = [Line2D([0], [0], marker="o", color="w", markerfacecolor=GROUPS.get(name, (None, OTHER[1]))[1],
                      markersize=10, label=name) for name in GROUPS if name in seen_groups]
    if "other" in seen_groups:
        handles.append(Line2D([0], [0], marker="o", color="w", markerfacecolor=OTHER[1], markersize=10, label="other"))
    axes.legend(handles=handles, loc="lower left", frameon=False, fontsize=10, title="class", title_fontsize=10)
    axes.set_title(title, fontsize=14, loc="left")
    figure.tight_layout()
    import io

    buffer = io.BytesIO()
    metadata = {"Software": "kg"} if fmt == "png" else {"Date": None, "Creator": "kg"}
    figure.savefig(buffer, format=fmt, metadata=metadata)
    plt.close(figure)
    return buffer.getvalue()


def _facts_of(graph: Graph, network: nx.MultiDiGraph, node: str) -> list[dict]:
    """The facts shown when a node is clicked: its own sentence for a fact, else its facts'."""
    from rdflib import Literal, URIRef

    from kg.rdf.namespaces import KGR

    def sentences(fact_iri) -> list[str]:
        found = set()
        for evidence in graph.objects(fact_iri, KGO.evidence):
            for sentence in graph.objects(evidence, KGO.inSentence):
                index = graph.value(sentence, KGO.sentenceIndex)
                found.add((int(index) if isinstance(index, Literal) else 0, str(graph.value(sentence, RDF.value))))
        return [text for _i, text in sorted(found)]

    iri = URIRef(str(KGR) + node)
    facts = [iri] if (iri, RDF.type, KGO.Fact) in graph else sorted(
        {URIRef(str(KGR) + other) for other in nx.all_neighbors(network, node)
         if (URIRef(str(KGR) + other), RDF.type, KGO.Fact) in graph})
    return [{"label": network.nodes[f[len(str(KGR)):]]["label"] if f[len(str(KGR)):] in network else str(f),
             "sentences": sentences(f)} for f in facts]


def _releases_of(graph: Graph, network: nx.MultiDiGraph) -> tuple[dict[str, list[str]], list[list[str]]]:
    """Each node's releases (the ids of the releases that state it: a fact's own; a node next to facts, theirs;
    else its neighbours'), and every release as [id, "id: headline"], for the page's filter by release."""
    from rdflib import URIRef

    from kg.rdf.namespaces import KGR, SCHEMA

    def iri(node: str) -> URIRef:
        return URIRef(str(KGR) + node)

    releases: dict[str, set[str]] = {node: set() for node in network}
    listed = {}
    for release in graph.subjects(RDF.type, KGO.PressRelease):
        identifier = str(graph.value(release, SCHEMA.identifier) or release)
        listed[identifier] = f"{identifier}: {_short(graph.value(release, SCHEMA.headline) or '', 60)}"
        node = str(release)[len(str(KGR)):]
        if node in releases:
            releases[node].add(identifier)
    for node in network:
        for release in graph.objects(iri(node), KGO.statedIn):
            releases[node].add(str(graph.value(release, SCHEMA.identifier) or release))
    stated = {node: set(found) for node, found in releases.items()}
    for rounds in range(2):  # next to a fact, then next to those
        known = {node: set(found) for node, found in releases.items()}
        for node in network:
            if not releases[node]:
                for other in nx.all_neighbors(network, node):
                    releases[node] |= (stated if rounds == 0 else known)[other]
    return ({node: sorted(found) for node, found in releases.items()},
            [[identifier, label] for identifier, label in sorted(listed.items())])


def page(graph: Graph, network: nx.MultiDiGraph, title: str) -> str:
    """A self-contained HTML page drawn by Cytoscape.js (inlined from the package: nothing fetched)."""
    from rdflib import URIRef

    from kg.model.schema import ENUMS
    from kg.rdf.namespaces import KGR

    positions = layout(network)
    releases, listed = _releases_of(graph, network)
    hedges = ENUMS["hedge"]
    nodes = []
    for node, data in sorted(network.nodes(data=True)):
        name, colour = group_of(data["cls"])
        x, y = positions[node]
        item = {"id": node, "label": data["label"], "short": short_label(data), "cls": data["cls"], "group": name,
                "colour": colour, "actor": bool(data.get("actor")), "figure": data["cls"] in FIGURES,
                "x": round(float(x), 4), "y": round(float(y), 4), "releases": releases[node],
                "facts": _facts_of(graph, network, node), "hedge": "", "mark": "", "hedgeWords": ""}
        hedge = graph.value(URIRef(str(KGR) + node), KGO.hedge)
        if hedge is not None and str(hedge) != str(KGO.exact):
            value = next(v for v in hedges.values if v.term == "kgo:" + str(hedge).rsplit("#", 1)[-1])
            item.update(hedge=value.en.strip(), mark=MARKS[value.name],
                        hedgeWords=str(graph.value(URIRef(str(KGR) + node), KGO.hedgeText) or ""))
        nodes.append(item)
    edges = sorted({(u, v, d["label"]) for u, v, d in network.edges(data=True)})
    data = {"title": title, "nodes": nodes,
            "edges": [{"id": f"e{index}", "s": u, "t": v, "label": label} for index, (u, v, label) in enumerate(edges)],
            "legend": [[name, colour] for name, (_c, colour) in GROUPS.items() if any(n["group"] == name for n in nodes)],
            "releases": listed,
            "marks": [[MARKS[v.name], v.en.strip()] for v in hedges.values if v.name in MARKS]}
    from kg.resources import STATIC_DIR

    template = (STATIC_DIR / "graph.html").read_text(encoding="utf-8")
    library = (STATIC_DIR / "vendor" / "cytoscape.min.js").read_text(encoding="utf-8")
    return fill_page(template.replace("/*__LIBRARY__*/", library, 1), data)


# what JSON may hold that HTML or an old JavaScript parser would read as something else: written as
# \uXXXX escapes (JSON.parse reads them back), so no text of the data can end the <script>
# element ("</script>"), open a comment ("<!--"), or end a line in a script
_JSON_ESCAPES = {ord(c): f"\\u{ord(c):04x}" for c in "<>&\u2028\u2029"}


def page_json(data) -> str:
    """``data`` as JSON that is inert inside ``<script type="application/json">``: only ASCII and
    the characters of the text outside ``< > &`` U+2028 U+2029, which are escaped."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_JSON_ESCAPES)


def fill_page(template: str, data) -> str:
    """The page: ``data`` in its one ``__DATA__`` place (in a JSON script element), and in
    ``__POLICY__`` a Content-Security-Policy that lets only the page's own script and style run
    (by their SHA-256), refuses inline event handlers, style attributes and every load (no
    network, no frame, no form). One pass over the template: nothing inserted is read again."""
    import base64
    import hashlib
    import re

    def digest(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"

    scripts = re.findall(r"<script>(.*?)</script>", template, re.DOTALL)
    styles = re.findall(r"<style(?: id=\"[\w-]+\")?>(.*?)</style>", template, re.DOTALL)
    if template.count("__DATA__") != 1 or template.count("__POLICY__") != 1:
        raise ValueError("a page template has one __DATA__ and one __POLICY__")
    policy = (f"default-src 'none'; script-src {' '.join(map(digest, scripts))}; "
              f"style-src {' '.join(map(digest, styles))}; img-src 'none'; connect-src 'none'; "
              "base-uri 'none'; form-action 'none'")
    values = {"__DATA__": page_json(data), "__POLICY__": html.escape(policy, quote=False)}
    return re.sub(r"__DATA__|__POLICY__", lambda match: values[match.group(0)], template)


# the mark a hedged figure carries in pictures, by hedge (an exact figure carries none)
MARKS = {"about": "≈", "more-than": ">", "less-than": "<", "almost": "≲", "at-least": "≥", "at-most": "≤"}
# the same by the hedge's English words, as queries give them
HEDGE_MARKS = {"exact": "", **{name.replace("-", " "): mark for name, mark in MARKS.items()}}


def chart_data(result):
    """(bar labels, values, hedges, axis label, scale) of a query result's figures."""
    names = [str(v) for v in result.vars or []]
    rows = [dict(zip(names, row, strict=False)) for row in result]
    if not rows:
        raise UsageError("the query returned no rows to chart")
    numeric = [n for n in names if all(r[n] is not None and getattr(r[n], "datatype", None) is not None
                                       and str(r[n].datatype).rsplit("#", 1)[-1] in ("decimal", "integer", "double", "float")
                                       for r in rows)]
    value_column = next((n for n in ("share", "amount", "value") if n in numeric), numeric[0] if numeric else None)
    if value_column is None:
        raise UsageError("the query has no numeric column to chart")
    skip = {value_column, "hedge", "hedgeWords", "unit", "fact", "periodBasis", "scope", "part", "total"}
    text_columns = [n for n in names if n not in skip and n not in numeric]
    label_columns = [n for n in ("sector", "origin", "destination", "period") if n in names and n not in numeric]
    if not label_columns:
        label_columns = text_columns[:1] or ["fact"]
    labels, values, hedges = [], [], []
    for row in rows:
        hedge = str(row.get("hedge") or "exact")
        parts = [str(row.get(c)) for c in label_columns if row.get(c) is not None]
        labels.append(f"{HEDGE_MARKS.get(hedge, '')}{', '.join(parts)}".strip())
        values.append(float(row[value_column].toPython()))
        hedges.append(hedge)
    units = {str(r["unit"]) for r in rows if r.get("unit") is not None}
    unit = units.pop() if len(units) == 1 else ("%" if value_column == "share" else "")
    scale, scale_name = (1e6, "million ") if max(values) >= 1e6 else (1, "")
    axis_label = f"{value_column} ({scale_name}{unit})".replace("( ", "(").replace(" )", ")").replace(" ()", "")
    return labels, values, hedges, axis_label, scale


def chart(result, path: Path, title: str) -> Path:
    """Write :func:`chart_png` of a query result to ``path``, atomically."""
    from kg.stores.files import write_atomic

    return write_atomic(path, chart_png(result, title))


def chart_png(result, title: str) -> bytes:
    """A bar chart of a query result's figures as PNG bytes, hedges shown as ≈ > <, units on the axis."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels, values, hedges, axis_label, scale = chart_data(result)
    figure, axes = plt.subplots(figsize=(16, 10), dpi=100)
    colours = ["#E69F00" if h == "exact" else "#56B4E9" if h == "about" else "#009E73" if h == "more than" else "#D55E00"
               for h in hedges]
    bars = axes.barh(range(len(values)), values, color=colours)
    axes.set_yticks(range(len(values)), labels, fontsize=11)
    axes.invert_yaxis()
    axes.set_xlabel(axis_label, fontsize=12)
    axes.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _p: f"{v / scale:g}"))
    for bar, hedge, value in zip(bars, hedges, values, strict=True):
        axes.annotate(f"{HEDGE_MARKS.get(hedge, '')}{value / scale:g}", (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                      xytext=(4, 0), textcoords="offset points", va="center", fontsize=10)
    axes.set_title(title, fontsize=13, loc="left")
    axes.text(1.0, -0.08, "≈ about   > more than   < less than (as the release states)", transform=axes.transAxes,
              ha="right", fontsize=9, color="#555555")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": "kg"})
    plt.close(figure)
    return buffer.getvalue()
