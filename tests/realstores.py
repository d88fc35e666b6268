"""Real SPARQL stores for the tests, each started on a free loopback port with its own temporary
database and stopped after: Oxigraph (the `oxigraph` PyPI package's server binary) and Virtuoso 7
(Debian's package `virtuoso-opensource`, which `make stores` installs; its binary `virtuoso-t` runs
with an ini file written here).

A :class:`Server` knows its Graph Store Protocol URL (``gsp``, what `kg push --endpoint` takes), its
SPARQL query URL (``query``, what `kg query --endpoint` takes) and, for Virtuoso, the credentials of
its authenticated endpoints.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from conftest import free_port

VIRTUOSO_USER, VIRTUOSO_PASSWORD = "dba", "dba"  # a new Virtuoso database's administrator


@dataclass
class Server:
    name: str
    base: str
    gsp: str  # the Graph Store Protocol URL: kg push --endpoint
    query: str  # the SPARQL query URL: kg query --endpoint
    process: subprocess.Popen
    credentials: dict[str, str] = field(default_factory=dict)  # the environment kg push needs
    log: Path | None = None

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def select(self, text: str, graph_iri: str | None = None) -> dict:
        """The store's own SPARQL results JSON for ``text`` (parsed by the json module), asked directly."""
        data = {"query": text}
        if graph_iri:
            data["default-graph-uri"] = graph_iri
        response = requests.post(self.query, data=data, headers={"Accept": "application/sparql-results+json"},
                                 timeout=60)
        response.raise_for_status()
        return response.json()

    def count(self, graph_iri: str) -> int:
        """The triples the store holds in the named graph ``graph_iri``, as it counts them."""
        answer = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} }}")
        return int(answer["results"]["bindings"][0]["n"]["value"])


def _wait(process: subprocess.Popen, url: str, what: str, seconds: float, log: Path | None = None) -> None:
    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            detail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
            raise AssertionError(f"{what} exited with {process.returncode}: {detail}")
        try:
            if requests.get(url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"{what} did not answer within {seconds:g} s")
        time.sleep(0.2)


def start_oxigraph(folder: Path) -> Server:
    """`oxigraph serve` with a store in ``folder``."""
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent))
    assert binary, "the oxigraph server binary (PyPI package 'oxigraph') is not installed next to python"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = folder / "oxigraph.log"
    with log.open("wb") as out:
        process = subprocess.Popen([binary, "serve", "--location", str(folder / "store"), "--bind", f"127.0.0.1:{port}"],
                                   stdout=out, stderr=subprocess.STDOUT)
    _wait(process, f"{base}/query", "oxigraph", 15, log)
    return Server("oxigraph", base, f"{base}/store", f"{base}/query", process, log=log)


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = {folder}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 120
"""


def start_virtuoso(folder: Path) -> Server:
    """Virtuoso 7 (`virtuoso-t +foreground`) with a new database and its own ini file in ``folder``, its SQL
    and HTTP ports free loopback ports. Its Graph Store endpoint for writes, /sparql-graph-crud-auth, asks
    for Digest (user dba, password dba in a new database); /sparql answers queries to anyone."""
    binary = shutil.which("virtuoso-t")
    assert binary, "Virtuoso (virtuoso-t, Debian's package virtuoso-opensource) is not installed: run `make stores`"
    http_port, sql_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(folder=folder, sql_port=sql_port, http_port=http_port), encoding="utf-8")
    log = folder / "virtuoso.out"
    with log.open("wb") as out:
        process = subprocess.Popen([binary, "+foreground", "+configfile", str(ini)], cwd=folder,
                                   stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{http_port}"
    _wait(process, f"{base}/sparql", "virtuoso", 120, log)
    return Server("virtuoso", base, f"{base}/sparql-graph-crud-auth", f"{base}/sparql", process,
                  {"KG_STORE_USER": VIRTUOSO_USER, "KG_STORE_PASSWORD": VIRTUOSO_PASSWORD}, log)
