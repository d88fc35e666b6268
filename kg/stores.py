"""The on-disk Oxigraph store: written by ``kg build --store oxigraph``, read by ``kg query --store oxigraph``.

The store lives in ``OUT/store`` (pyoxigraph, RocksDB). It is written beside the
old one and swapped in by renames, so a failed build leaves the previous store.
Reading goes through the rdflib plugin oxrdflib, so every command keeps working
on an ``rdflib.Graph``; queries run in Oxigraph's own SPARQL engine.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from rdflib import Graph

from kg.errors import InputError

STORE_DIR = "store"


def store_path(out_dir) -> Path:
    return Path(out_dir) / STORE_DIR


def write_store(graph: Graph, out_dir) -> Path:
    """Bulk-load ``graph`` into a fresh Oxigraph store and swap it in for ``OUT/store``."""
    import pyoxigraph

    from kg.io import serialize

    target = store_path(out_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=".kg-tmp-store-", dir=target.parent))
    try:
        store = pyoxigraph.Store(str(fresh))
        store.bulk_load(serialize(graph, "nt"), format=pyoxigraph.RdfFormat.N_TRIPLES)
        store.flush()
        del store
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=".kg-tmp-old-", dir=target.parent))
            old.rmdir()
            target.rename(old)
        fresh.rename(target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    return target


def open_store(out_dir) -> Graph:
    """The store of ``OUT/store`` as an rdflib Graph (oxrdflib)."""
    path = store_path(out_dir)
    if not path.is_dir():
        raise InputError("no Oxigraph store here (run 'kg build --store oxigraph' first)", path)
    import pyoxigraph
    from oxrdflib import OxigraphStore
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    # read-only: no lock, so any number of readers (and the next build) can open it at once
    store = OxigraphStore(store=pyoxigraph.Store.read_only(str(path)))
    graph = Graph(store=store, identifier=DATASET_DEFAULT_GRAPH_ID)  # Oxigraph's default graph
    return graph


def is_oxigraph(graph: Graph) -> bool:
    return type(graph.store).__name__ == "OxigraphStore"
