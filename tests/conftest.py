"""Shared fixtures: the seed release built once per session, and helpers."""

from __future__ import annotations

import http.server
import os
import shutil
import signal
import threading
from pathlib import Path

import pytest

# A suite started in the background by a non-interactive shell (`nohup make test &`) inherits SIGINT ignored,
# and so would every kg process it starts: the tests of Ctrl-C would send it to processes that cannot hear
# it. Python's own handler here: what this process starts gets SIGINT as a terminal gives it.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
MEASURES = ROOT / "tests" / "measures"  # two releases with every measure kind (tests/measures/README.md)
SEED = "000_c861f582b8da151e"
# the seed's values for the parameters library queries require (`# param ?name (required)`): Socar, the
# actor of its acquisition, and the acquisition's fact id ("l'acquisizione di Api da parte ... Socar")
SEED_REQUIRED = {"actor": ("iri", "https://example.org/kg/id/org/socar"), "fact": ("text", "socar-acquires-api")}


def required_bindings(entry, oxigraph: bool = False) -> dict:
    """The bindings of ``entry``'s required parameters on the seed (:data:`SEED_REQUIRED`): rdflib terms, or
    pyoxigraph's."""
    if oxigraph:
        import pyoxigraph

        iri, text = pyoxigraph.NamedNode, pyoxigraph.Literal
    else:
        from rdflib import Literal, URIRef

        iri, text = URIRef, Literal
    return {name: (iri if how == "iri" else text)(value) for name in entry.required for how, value in [SEED_REQUIRED[name]]}


def required_options(entry) -> tuple[str, ...]:
    """``--param`` options for ``entry``'s required parameters on the seed (:data:`SEED_REQUIRED`)."""
    return tuple(option for name in entry.required for how, value in [SEED_REQUIRED[name]]
                 for option in ("--param", f"{name}=<{value}>" if how == "iri" else f"{name}={value}"))


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/ from the current build")


@pytest.fixture(scope="session")
def corpus():
    from kg.pipeline.corpus import load_corpus

    return load_corpus(DATA)


@pytest.fixture(scope="session")
def graph():
    """The seed's graph, built as ``kg build`` builds it (one job, no cache)."""
    from kg.pipeline.corpus import build_graph

    return build_graph(DATA)


def reference_graph(corpus):
    """The all-rdflib graph of a loaded corpus, every release into one graph: the oracle the
    corpus build (parts, cache, workers, store) is compared with."""
    from kg.rdf.builder import Builder
    from kg.rdf.namespaces import new_graph
    from kg.rdf.vocabularies import add_ontology

    graph = add_ontology(new_graph())
    builder = Builder(corpus, graph, graph)
    builder.registry_nodes()
    for release in corpus.releases:
        builder.release(release)
    builder.interval_containment()
    builder.current_figures()
    return graph


@pytest.fixture(scope="session")
def measures_graph():
    """The graph of tests/measures, built as ``kg build`` builds it (one job, no cache)."""
    from kg.pipeline.corpus import build_graph

    return build_graph(MEASURES)


@pytest.fixture(scope="session")
def report(graph):
    from kg.check.shacl import validate_graph

    return validate_graph(graph)


@pytest.fixture
def data_copy(tmp_path):
    """A writable copy of data/ for tests that break it."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture(scope="session")
def built_ttl(tmp_path_factory):
    """out/graph.ttl built by the pipeline into a temporary folder."""
    from kg.pipeline.corpus import build

    out = tmp_path_factory.mktemp("out")
    result = build(DATA, out)
    assert result.report.conforms, result.report.text()
    return out / "graph.ttl"


def select(graph, name, **params):
    """Rows of a library query as dicts of Python values (str / Decimal / int / date)."""
    from kg.query.library import run_query

    result = run_query(graph, name, params)
    names = [str(v) for v in result.vars]
    return [{n: (row[i].toPython() if row[i] is not None else None) for i, n in enumerate(names)} for row in result]


class Counting(http.server.BaseHTTPRequestHandler):
    """A local listener that counts the requests it receives (to prove that none was sent)."""

    hits = 0

    def do_GET(self):  # http.server's name
        Counting.hits += 1
        self.send_response(200)
        self.end_headers()

    do_POST = do_GET

    def log_message(self, *args):
        pass


@pytest.fixture
def listener():
    """The base URL of a Counting listener on a free loopback port; Counting.hits counts requests."""
    server = http.server.HTTPServer(("127.0.0.1", 0), Counting)
    Counting.hits = 0
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def chromium() -> str:
    """Debian's Chromium, installed by `make test`; under CI a missing browser fails the run."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is missing: `make test` installs Debian's chromium package")
        pytest.skip("Chromium is not installed here; `make test` installs it (and CI fails without it)")
    return path


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright, one per test module (the pages' tests: the graph page, the desk)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=chromium(), args=["--no-sandbox", "--disable-gpu"])
        yield launched
        launched.close()


def value_triple(triple):
    """A triple with its literal compared by value: Oxigraph stores literals in canonical form
    ("1500000" for rdflib's "1500000.0", a plain literal as an explicit xsd:string, an
    xsd:nonNegativeInteger or an xsd:int as the xsd:integer they are derived from, the same values)."""
    from rdflib import Literal
    from rdflib.namespace import XSD

    s, p, o = triple
    if isinstance(o, Literal):
        datatype = None if o.datatype in (None, XSD.string) else XSD.integer if o.datatype in (XSD.nonNegativeInteger, XSD.int) else o.datatype
        o = (o.toPython() if datatype else str(o), datatype, o.language)
    return s, p, o


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(graph_file, *options, tries: int = 300):
    """`kg serve` on ``graph_file`` at a free port, as a subprocess: (process, base URL) once it answers."""
    import subprocess
    import sys
    import time

    import requests

    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "serve", "--graph", str(graph_file), "--port", str(port), *options],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(tries):
        try:
            requests.get(base + "/", timeout=1)
            return process, base
        except (requests.ConnectionError, requests.Timeout):  # not listening yet, or listening but still forking its workers
            if process.poll() is not None:
                raise AssertionError(process.stderr.read().decode()) from None
            time.sleep(0.1)
    stop_server(process)
    raise AssertionError("kg serve did not start")


def stop_server(process) -> None:
    """Stop a `kg serve` subprocess (terminate, then kill after 10 s)."""
    import subprocess

    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def stores():
    """Makes fake stores (tests/fakestore.py: ``stores(handle)``, or ``stores()`` for a scripted one);
    closes them after the test."""
    from fakestore import Store

    made = []

    def make(handle=None):
        store = Store(handle)
        made.append(store)
        return store

    yield make
    for store in made:
        store.close()


@pytest.fixture
def fake(stores):
    """One scripted fake store (``fake.answer(...)``)."""
    return stores()


CREDENTIAL_ENV = ("KG_STORE_TOKEN", "KG_STORE_USER", "KG_STORE_PASSWORD", "KG_STORE_AUTH")


@pytest.fixture
def no_credentials(monkeypatch):
    """No store credentials from the environment of whoever runs the tests (`kg push`, `--endpoint`)."""
    for name in CREDENTIAL_ENV:
        monkeypatch.delenv(name, raising=False)


def one_line_error(result, code: int = 2, *words: str) -> str:
    """The one line a failed CliRunner run printed (exit ``code``, no traceback), holding ``words``."""
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])
    return lines[0]
