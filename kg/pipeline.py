"""``kg build`` as one library call: load, build, validate, write atomically."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import FOAF, RDF

from kg.namespaces import KGO, ORG


@dataclass
class BuildResult:
    graph: Graph
    report: object  # kg.validate.Report
    output: Path | None
    releases: int

    @property
    def summary(self) -> dict:
        g = self.graph
        return {
            "releases": self.releases,
            "triples": len(g),
            "facts": len(set(g.subjects(RDF.type, KGO.Fact))),
            "actors": len(set(g.subjects(RDF.type, ORG.Organization)) | set(g.subjects(RDF.type, FOAF.Person))),
            "conforms": self.report.conforms,
            "violations": len(self.report.findings),
        }


def build(data_dir="data", out_dir="out", *, write: bool = True) -> BuildResult:
    """Build the graph of ``data_dir``, validate it, and (if it conforms) write ``out_dir/graph.ttl``.

    A graph that does not conform is not written: the previous output stays.
    """
    from kg.annotation import load_corpus
    from kg.build import graph_from_corpus
    from kg.io import serialize, write_atomic
    from kg.validate import validate_graph

    corpus = load_corpus(data_dir)
    graph = graph_from_corpus(corpus)
    report = validate_graph(graph)
    output = None
    if write and report.conforms:
        output = write_atomic(Path(out_dir) / "graph.ttl", serialize(graph, "turtle"))
    return BuildResult(graph, report, output, len(corpus.releases))
