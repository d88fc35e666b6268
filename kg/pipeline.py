"""``kg build`` as one library call: load, build, validate, write atomically."""

from __future__ import annotations

import os
import tempfile
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


class _TurtleWriter:
    """Serialize the graph to a temporary file next to the target while validation runs.

    Where the platform can fork, a child process writes the Turtle (the machine has
    cores to spare and rdflib holds the GIL), so serialization overlaps validation.
    The temporary file becomes the output only by :meth:`commit`; :meth:`discard`
    removes it. Without fork, the bytes are written in :meth:`commit`.
    """

    def __init__(self, graph: Graph, target: Path):
        self.graph, self.target = graph, target
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=".kg-tmp-", dir=target.parent)
        os.close(handle)
        self.temp = Path(name)
        self.pid = None
        if hasattr(os, "fork") and not os.environ.get("KG_NO_FORK"):
            from rdflib.plugin import get
            from rdflib.serializer import Serializer

            get("turtle", Serializer)  # import the plugin before forking
            self.pid = os.fork()
            if self.pid == 0:  # the child: write, flush, leave without running the parent's exit handlers
                code = 1
                try:
                    self._write()
                    code = 0
                finally:
                    os._exit(code)

    def _write(self):
        from kg.io import serialize

        with open(self.temp, "wb") as handle:
            handle.write(serialize(self.graph, "turtle"))
            handle.flush()
            os.fsync(handle.fileno())

    def _wait(self) -> bool:
        if self.pid is None:
            return True
        _pid, status = os.waitpid(self.pid, 0)
        self.pid = None
        return os.waitstatus_to_exitcode(status) == 0

    def commit(self) -> Path:
        if self.pid is None:
            self._write()
        elif not self._wait():
            self.discard()
            raise OSError(f"could not write {self.target}")
        from kg.io import _umask

        os.chmod(self.temp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
        os.replace(self.temp, self.target)
        return self.target

    def discard(self):
        if self.pid is not None:
            try:
                os.kill(self.pid, 9)
            except ProcessLookupError:
                pass
            self._wait()
        try:
            self.temp.unlink()
        except FileNotFoundError:
            pass


def build(data_dir="data", out_dir="out", *, write: bool = True, store: str = "memory") -> BuildResult:
    """Build the graph of ``data_dir``, validate it, and (if it conforms) write ``out_dir/graph.ttl``.

    A graph that does not conform is not written, and a failed or interrupted
    build leaves no temporary file: the previous output stays as it was.
    """
    from kg.annotation import load_corpus
    from kg.build import graph_from_corpus
    from kg.validate import validate_graph

    corpus = load_corpus(data_dir)
    graph = graph_from_corpus(corpus)
    writer = _TurtleWriter(graph, Path(out_dir) / "graph.ttl") if write else None
    try:
        report = validate_graph(graph, parallel=True)
        output = writer.commit() if writer and report.conforms else None
    finally:
        if writer is not None and writer.temp.exists():
            writer.discard()
    if store == "oxigraph" and output is not None:
        from kg.stores import write_store

        write_store(graph, out_dir)
    return BuildResult(graph, report, output, len(corpus.releases))
