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


def replace_store(out_dir, ntriples: bytes) -> Path:
    """Bulk-load N-Triples into a fresh store and swap it in for ``OUT/store``."""
    import pyoxigraph

    fresh, store = new_store(out_dir)
    try:
        store.bulk_load(ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES)
        store.flush()
        del store
        return swap_in(fresh, out_dir)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise


def update_store(out_dir, remove: list[str], add: list[str]) -> Path:
    """Remove and add N-Triples lines in ``OUT/store``, in one transaction (one SPARQL update)."""
    import pyoxigraph

    path = store_path(out_dir)
    store = pyoxigraph.Store(str(path))
    request = f"DELETE DATA {{\n{chr(10).join(remove)}\n}} ;\nINSERT DATA {{\n{chr(10).join(add)}\n}}"
    store.update(request)
    store.flush()
    del store
    return path


def new_store(out_dir):
    """(folder, pyoxigraph.Store): an empty on-disk store beside ``OUT/store``, to fill and then :func:`swap_in`."""
    import pyoxigraph

    target = store_path(out_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=".kg-tmp-store-", dir=target.parent))
    try:
        return fresh, pyoxigraph.Store(str(fresh))
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise


def swap_in(fresh: Path, out_dir) -> Path:
    """Make the (closed) store in ``fresh`` the store of ``OUT/store``, by renames; the old one is removed."""
    target = store_path(out_dir)
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=".kg-tmp-old-", dir=target.parent))
        old.rmdir()
        target.rename(old)
    fresh.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return target


def open_store(out_dir) -> Graph:
    """The store of ``OUT/store`` as an rdflib Graph (oxrdflib)."""
    path = store_path(out_dir)
    if not path.is_dir():
        raise InputError("no Oxigraph store here (run 'kg build --store oxigraph' first)", path)
    import pyoxigraph

    # read-only: no lock, so any number of readers (and the next build) can open it at once
    return graph_of(pyoxigraph.Store.read_only(str(path)))


def graph_of(store, *, check=None) -> Graph:
    """A pyoxigraph ``store``'s default graph as an rdflib Graph (oxrdflib): SPARQL runs in Oxigraph.

    oxrdflib counts triples with a SPARQL COUNT over the store, which pyshacl
    calls three times per validation (1.5 s on a million triples); here the count
    is pyoxigraph's own (only the default graph is used). With ``check``, each
    query text is given to ``check(text, prefixes)`` before Oxigraph runs it
    (the guard of :mod:`kg.check`, which may refuse it).
    """
    from oxrdflib import OxigraphStore
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    class _Store(OxigraphStore):
        def __len__(self, context=None) -> int:
            return len(self._inner)

        def query(self, query, initNs, initBindings, queryGraph, **kwargs):  # noqa: N803 (rdflib's names)
            if check is not None:
                check(query, initNs)
            return super().query(query, initNs, initBindings, queryGraph, **kwargs)

    return Graph(store=_Store(store=store), identifier=DATASET_DEFAULT_GRAPH_ID)  # Oxigraph's default graph


def is_oxigraph(graph: Graph) -> bool:
    return any(cls.__name__ == "OxigraphStore" for cls in type(graph.store).__mro__)
