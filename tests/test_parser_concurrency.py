"""SECURITY.md, case 18: a freshly started ``kg serve`` hit by many clients at once answers every one.

rdflib's SPARQL grammar (pyparsing) settles how to call its parse actions on their first calls;
several threads parsing at once for the first time left it broken for the life of the server
(every later request answered 400: "Param.postParse2() missing 1 required positional argument").
Only the public HTTP behaviour is used here: POST /sparql with application/sparql-query.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from conftest import free_port, stop_server

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 20

LIBRARY = (ROOT / "queries" / "posts.rq").read_text(encoding="utf-8")  # recorded: run without parsing
# the same query, its comments dropped: a text not recorded, so rdflib's parser reads it
POSTS_PARSED = "\n".join(line for line in LIBRARY.splitlines() if not line.startswith("#"))
# other texts not recorded, each through other parts of the grammar
OTHERS = [
    "SELECT ?post WHERE { ?post a <http://www.w3.org/ns/org#Post> } ORDER BY ?post",
    'PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nSELECT (COUNT(DISTINCT ?s) AS ?n) '
    'WHERE { ?s rdfs:label ?l . FILTER (LANG(?l) = "en" && STRLEN(STR(?l)) > 0) }',
    "ASK { ?s a <http://www.w3.org/ns/org#Post> }",
    "SELECT ?s (STR(?o) AS ?label) WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?o "
    "OPTIONAL { ?s a ?t } BIND (1 + 2 AS ?three) VALUES ?x { 1 2 } } ORDER BY ?s ?label LIMIT 7",
]
TEXTS = [LIBRARY, POSTS_PARSED, *OTHERS]


@pytest.fixture(scope="module")
def seed_graph(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("concurrency-out")
    done = subprocess.run([sys.executable, "-m", "kg.cli", "build", "--data", str(ROOT / "data"), "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return out / "graph.ttl"


def _expected(graph: Path, text: str) -> dict:
    """The answer computed here, in this process, as ``kg query`` computes it (sorted, to compare)."""
    from kg.query.engine import GraphFile, run_sparql

    return _normal(json.loads(run_sparql(GraphFile(graph), text).data))


def _normal(answer: dict) -> dict:
    if "boolean" in answer:
        return {"boolean": answer["boolean"]}
    rows = sorted(json.dumps(row, sort_keys=True) for row in answer["results"]["bindings"])
    return {"vars": answer["head"]["vars"], "rows": rows}


def _wait_for_port(process: subprocess.Popen, port: int) -> None:
    """Until the server accepts connections: a TCP connect, so no HTTP request comes before the clients'."""
    for _ in range(300):
        if process.poll() is not None:
            raise AssertionError(process.stderr.read().decode() if process.stderr else "kg serve stopped")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("kg serve did not start")


def test_a_cold_server_answers_concurrent_first_requests_and_the_next(seed_graph):
    expected = {text: _expected(seed_graph, text) for text in TEXTS}
    assert len(expected[LIBRARY]["rows"]) == 3  # the seed's three posts
    assert expected[POSTS_PARSED] == expected[LIBRARY]
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--graph", str(seed_graph), "--port", str(port)],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_for_port(process, port)
        url = f"http://127.0.0.1:{port}/sparql"
        headers = {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}
        start = threading.Barrier(CLIENTS)
        answers: list = [None] * CLIENTS

        def client(index: int) -> None:
            text = TEXTS[index % len(TEXTS)]
            start.wait(timeout=30)
            try:
                response = requests.post(url, data=text.encode("utf-8"), headers=headers, timeout=120)
                answers[index] = (text, response.status_code, response.text)
            except requests.RequestException as exc:
                answers[index] = (text, None, repr(exc))

        threads = [threading.Thread(target=client, args=(index,)) for index in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=180)
        wrong = [(status, body[:200]) for text, status, body in answers
                 if status != 200 or _normal(json.loads(body)) != expected[text]]
        assert not wrong, f"{len(wrong)} of {CLIENTS} concurrent first requests went wrong: {wrong[:3]}"
        for text in (POSTS_PARSED, OTHERS[1]):  # and the server goes on parsing afterwards
            response = requests.post(url, data=text.encode("utf-8"), headers=headers, timeout=120)
            assert response.status_code == 200, response.text
            assert _normal(response.json()) == expected[text]
    finally:
        stop_server(process)
