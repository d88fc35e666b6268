"""The RDF graph as a NetworkX graph, and the analyses made on it.

``to_networkx(graph)`` keeps the graph's resources (actors, facts, posts, places,
sectors, periods, releases) as nodes with their label (Italian or English),
class and id, and the relations between them as edges carrying the property's
label. Literals, provenance (evidence, selectors, sentences) and the ontology's
own terms stay out unless asked for with ``include``.
"""

from __future__ import annotations

import difflib
import itertools

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from kg.errors import UsageError
from kg.rdf.namespaces import KGO, KGR, OA

INCLUDE = ("provenance", "literals")
ACTOR_CLASSES = ("Organization", "Person", "Country", "Region", "Province", "Municipality", "City", "Place",
                 "AdministrativeArea", "Premises", "AllDestinations")
# the class shown for a node: the most specific of its types, in this order of preference
CLASS_ORDER = (
    "Level", "Change", "Share", "Rank", "Ratio", "Projection", "Cell", "Series", "DataSource",
    "SectorStatement", "Meeting", "Quotation", "PostHolding",
    "Acquisition", "PressRelease", "Post", "Person", "Organization", "Country", "Region", "Province", "Municipality",
    "City", "Premises", "AllDestinations", "Sector", "Role", "ProperInterval", "Instant", "Evidence", "Sentence",
    "TextQuoteSelector", "TextPositionSelector", "DataSet",
)
PROVENANCE_PARTS = ("/evidence/", "/sentence/", "/dataset")
SKIP_PREDICATES = {RDF.type, RDFS.label, SKOS.prefLabel, KGO.factId}
# where a fact comes from: shown with include=("provenance",) only (every fact is stated in its release)
PROVENANCE_PREDICATES = {
    KGO.statedIn, KGO.evidence, KGO.inSentence, OA.hasSource, OA.hasSelector,
    URIRef("http://schema.org/isBasedOn"), URIRef("http://purl.org/linked-data/cube#dataSet"),
}


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _class_of(graph: Graph, node) -> str:
    names = {_local(str(t)) for t in graph.objects(node, RDF.type)}
    for name in CLASS_ORDER:
        if name in names:
            return name
    return sorted(names)[0] if names else "Resource"


def label_of(graph: Graph, node, lang: str = "en") -> str:
    """The node's label in ``lang`` (falling back to any label, then to its id)."""
    if isinstance(node, Literal):
        return str(node)
    labels = list(graph.objects(node, RDFS.label)) + list(graph.objects(node, SKOS.prefLabel))
    for wanted in (lang, None):
        for label in sorted(labels, key=str):
            if wanted is None or getattr(label, "language", None) == wanted:
                return str(label)
    return node_id(node)


def node_id(node) -> str:
    text = str(node)
    return text[len(str(KGR)):] if text.startswith(str(KGR)) else text


def _is_provenance(node) -> bool:
    text = str(node)
    return text.startswith(str(KGR)) and any(part in text for part in PROVENANCE_PARTS)


def _is_ontology_term(node) -> bool:
    return isinstance(node, URIRef) and not str(node).startswith(str(KGR))


def to_networkx(graph: Graph, lang: str = "en", include=()) -> nx.MultiDiGraph:
    """A MultiDiGraph of the graph's resources; see the module docstring."""
    unknown = set(include) - set(INCLUDE)
    if unknown:
        raise UsageError(f"cannot include {', '.join(sorted(unknown))}: choose from {', '.join(INCLUDE)}")
    with_provenance, with_literals = "provenance" in include, "literals" in include
    property_labels: dict = {}
    network: nx.MultiDiGraph[str] = nx.MultiDiGraph()

    def keep(node) -> bool:
        if isinstance(node, Literal):
            return with_literals
        if _is_ontology_term(node):
            return False
        if str(node).startswith(str(KGR) + "instant/"):
            return with_literals
        return with_provenance or not _is_provenance(node)

    def add_node(node):
        key = node_id(node) if not isinstance(node, Literal) else f"literal:{node}"
        if key not in network:
            kind = "Literal" if isinstance(node, Literal) else _class_of(graph, node)
            network.add_node(key, label=label_of(graph, node, lang), cls=kind, id=key,
                             iri="" if isinstance(node, Literal) else str(node),
                             actor=kind in ACTOR_CLASSES)
        return key

    for subject, predicate, obj in sorted(graph, key=lambda t: (str(t[0]), str(t[1]), str(t[2]))):
        if predicate in SKIP_PREDICATES or (predicate in PROVENANCE_PREDICATES and not with_provenance):
            continue
        if not isinstance(subject, URIRef) or not keep(subject) or not keep(obj):
            continue
        if predicate not in property_labels:
            property_labels[predicate] = label_of(graph, predicate, lang) if (predicate, RDFS.label, None) in graph else _local(str(predicate))
        source, target = add_node(subject), add_node(obj)
        network.add_edge(source, target, key=str(predicate), label=property_labels[predicate], property=str(predicate))
    return network


def resolve(network: nx.MultiDiGraph, name: str) -> str:
    """The node named ``name`` (an id, a label, any case); UsageError with close matches."""
    wanted = name.strip().casefold()
    matches = sorted(
        key for key, data in network.nodes(data=True)
        if wanted in (key.casefold(), key.rsplit("/", 1)[-1].casefold(), str(data.get("label", "")).casefold())
    )
    actors = [m for m in matches if network.nodes[m].get("actor")]
    if len(actors) == 1 or len(matches) == 1:
        return (actors or matches)[0]
    if matches:
        raise UsageError(f"'{name}' names several nodes ({', '.join(matches[:5])}); use an id")
    names = sorted({str(d.get("label")) for _k, d in network.nodes(data=True) if d.get("actor")} |
                   {k.rsplit("/", 1)[-1] for k, d in network.nodes(data=True) if d.get("actor")})
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    close += [n for n in names if wanted in n.casefold() and n not in close][: 3 - len(close)]
    raise UsageError(f"no actor named '{name}'" + (f"; close matches: {', '.join(close)}" if close else ""))


def neighbourhood(network: nx.MultiDiGraph, name: str, depth: int = 1) -> nx.MultiDiGraph:
    """The part of the network within ``depth`` relations of the node ``name`` (either direction)."""
    if depth < 0:
        raise UsageError("--depth must be 0 or more")
    centre = resolve(network, name)
    near = nx.single_source_shortest_path_length(network.to_undirected(as_view=True), centre, cutoff=depth)
    return network.subgraph(sorted(near)).copy()


def shortest_path(network: nx.MultiDiGraph, source: str, target: str) -> list[tuple[str, str, str, bool]]:
    """The shortest chain of relations between two nodes: (from, property label, to, forward) per hop."""
    start, end = resolve(network, source), resolve(network, target)
    undirected: nx.Graph[str] = nx.Graph()
    undirected.add_nodes_from(network.nodes)
    for u, v, data in sorted(network.edges(data=True), key=lambda e: (e[0], e[1], e[2]["property"])):
        if not undirected.has_edge(u, v):
            undirected.add_edge(u, v, label=data["label"], forward=(u, v))
    try:
        nodes = nx.shortest_path(undirected, start, end)
    except nx.NetworkXNoPath:
        raise UsageError(f"no chain of relations links '{source}' and '{target}'") from None
    hops = []
    for a, b in itertools.pairwise(nodes):
        data = undirected.edges[a, b]
        hops.append((a, data["label"], b, data["forward"] == (a, b)))
    return hops


def hubs(network: nx.MultiDiGraph, top: int = 10) -> list[tuple[str, str, str, float]]:
    """Actors (people, organisations, places) ranked by betweenness centrality.

    Betweenness is computed on the undirected graph of all resources (facts included,
    since actors are linked through the facts that name them), normalised to 0..1;
    ties are broken by degree, then by label. Returns (id, label, class, score).
    """
    undirected: nx.Graph[str] = nx.Graph(network.to_undirected(as_view=True))
    scores = nx.betweenness_centrality(undirected, normalized=True)
    actors = [(node, data) for node, data in network.nodes(data=True) if data.get("actor")]
    ranked = sorted(actors, key=lambda item: (-round(scores[item[0]], 12), -undirected.degree(item[0]), item[1]["label"]))
    return [(node, data["label"], data["cls"], scores[node]) for node, data in ranked[:top]]


# the characters a GraphML id keeps as they are: ASCII letters, digits, '.', '-' and '_' (':' stands for '/')
_NAME_TOKEN_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_")


def graphml_id(key: str) -> str:
    """The node ``key`` as a GraphML id: ``place/marche`` is ``place:marche``.

    GraphML's schema types ids as XML name tokens, which have no '/' (nor spaces, '#', '%'...).
    '/' is written ':'; any other character outside ASCII letters, digits, '.', '-' and '_' (':'
    included), and a '_' before an 'x', as ``_xHHHH_`` with its code point in hex (the escape of
    SQL/XML and of .NET's XmlConvert.EncodeName), so that two keys never give one id.
    """
    parts = []
    for index, char in enumerate(key):
        if char == "/":
            parts.append(":")
        elif char in _NAME_TOKEN_CHARACTERS and not (char == "_" and key.startswith("x", index + 1)):
            parts.append(char)
        else:
            parts.append(f"_x{ord(char):04X}_")
    return "".join(parts)


def export_bytes(network: nx.MultiDiGraph, fmt: str) -> bytes:
    """GraphML or GEXF of the network, the same bytes from run to run and from day to day.

    Nodes carry ``label``, ``cls`` (class), ``iri`` and ``actor``; edges ``label`` and ``property``
    (the property's IRI). Nodes come in the order of their keys, edges in the order of (source,
    target, property), numbered ``e0``, ``e1``... in that order: the edge ids of both formats, unique
    though several edges share a property. GraphML node ids are the keys as ``graphml_id`` writes
    them (its schema allows no '/'); GEXF's are the keys themselves.
    """
    import io

    if fmt not in ("graphml", "gexf"):
        raise UsageError(f"unknown graph format '{fmt}'")
    node_id = graphml_id if fmt == "graphml" else str
    clean: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for node in sorted(network.nodes):
        data = network.nodes[node]
        clean.add_node(node_id(node), label=str(data["label"]), cls=str(data["cls"]), iri=str(data["iri"]),
                       actor=bool(data["actor"]))
    edges = sorted((u, v, str(data["property"]), str(data["label"])) for u, v, data in network.edges(data=True))
    for number, (u, v, prop, label) in enumerate(edges):
        # networkx writes the key as GraphML's edge id, and an "id" as GEXF's (the key goes in networkx_key)
        ids = {"id": f"e{number}"} if fmt == "gexf" else {}
        clean.add_edge(node_id(u), node_id(v), key=f"e{number}", label=label, property=prop, **ids)
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(clean, buffer, encoding="utf-8", prettyprint=True)
        return buffer.getvalue()
    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    # networkx dates <meta> with the day of writing: left out, the file depends on the graph alone
    writer.xml.find("meta").attrib.pop("lastmodifieddate", None)
    writer.add_graph(clean)
    # networkx names the <graph> (name=""), an attribute GEXF 1.2's schema does not have
    writer.xml.find("graph").attrib.pop("name", None)
    writer.write(buffer)
    return buffer.getvalue()
