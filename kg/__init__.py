"""kg: knowledge graphs from trade-relations press releases.

The library is the product; the ``kg`` command is a thin layer over it.
Every function here takes rdflib objects; queries run in Oxigraph and answer
like an rdflib Result (rows of rdflib terms)::

    from kg import build_graph, validate_graph, run_query
    graph = build_graph("data")
    report = validate_graph(graph)
    rows = run_query(graph, "exports-by-period")
"""

__version__ = "0.1.0"

__all__ = [
    "build_graph",
    "load_corpus",
    "run_query",
    "validate_graph",
]


def __getattr__(name):  # lazy: `kg query` must not pay for pyshacl
    if name == "build_graph":
        from kg.pipeline.corpus import build_graph

        return build_graph
    if name == "load_corpus":
        from kg.pipeline.corpus import load_corpus

        return load_corpus
    if name == "validate_graph":
        from kg.check.shacl import validate_graph

        return validate_graph
    if name == "run_query":
        from kg.query.library import run_query

        return run_query
    raise AttributeError(name)
