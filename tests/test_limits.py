"""Limits that hold under attack (SECURITY.md cases 20-24): every query stops at its time limit,
all its work counted (guard, evaluation, serializing) on `kg query` and at `kg serve`; Ctrl-C
stops `kg query`; `kg serve` bounds bodies, queries, rows and triples, memory per request,
connections and waiting, keeps answering cheap queries while slow ones run, serves only its
own Host names and refuses other sites' pages; a busy port is said in one sentence."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from conftest import DATA, start_server, stop_server

ROOT = Path(__file__).resolve().parent.parent
KG = [sys.executable, "-m", "kg.cli"]
POSTS = "SELECT ?post WHERE { ?post a <http://www.w3.org/ns/org#Post> } ORDER BY ?post"
# a cross join of every triple with every triple with every triple: billions of rows on the seed
CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def slow_to_guard(size: int) -> str:
    """A valid query of about ``size`` bytes that rdflib's parser (the guard) takes tens of seconds to read."""
    terms = []
    length = 0
    i = 0
    while length < size:
        terms.append(f'?o = "value {i}"')
        length += len(terms[-1]) + 4
        i += 1
    return "SELECT * WHERE { ?s ?p ?o FILTER (" + " || ".join(terms) + ") }"


start, stop = start_server, stop_server


def sparql(base, **kwargs):
    return requests.request(kwargs.pop("method", "GET"), base + "/sparql", timeout=kwargs.pop("timeout", 60), **kwargs)


def timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def children(pid: int) -> list[int]:
    """The child processes of ``pid``, forked by any of its threads."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:  # the thread ended
            continue
    return found


def high_water_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """`kg build` of the seed: graph.ttl and the Oxigraph store beside it."""
    out = tmp_path_factory.mktemp("limits")
    subprocess.run([*KG, "build", "--data", str(DATA), "--out", str(out)], cwd=ROOT, check=True, capture_output=True)
    return out


@pytest.fixture(scope="module")
def server(built):
    process, base = start(built / "graph.ttl", "--timeout", "2", "--max-rows", "50")
    yield base, process
    stop(process)


# ---------------------------------------------------------------- case 20: kg query on the store


def test_kg_query_on_the_store_stops_a_cross_join_at_its_timeout(built):
    (result, elapsed) = timed(lambda: subprocess.run(
        [*KG, "query", "--store", "oxigraph", "--out", str(built), "--timeout", "2", "--sparql", CROSS_JOIN],
        cwd=ROOT, capture_output=True, text=True, timeout=60))
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "timed out after 2 s" in result.stderr
    assert elapsed < 8, elapsed


def test_kg_query_counts_the_guard_in_its_timeout(built, tmp_path):
    """A 300 KB query that the guard alone takes tens of seconds to parse stops at --timeout 1."""
    query = tmp_path / "slow.rq"
    query.write_text(slow_to_guard(300_000), encoding="utf-8")
    (result, elapsed) = timed(lambda: subprocess.run(
        [*KG, "query", str(query), "--store", "oxigraph", "--out", str(built), "--timeout", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=120))
    assert result.returncode == 2, result.stderr
    assert "timed out after 1 s" in result.stderr and "Traceback" not in result.stderr
    assert elapsed < 7, elapsed


def test_kg_query_on_an_endpoint_counts_the_guard_in_its_timeout(listener, tmp_path):
    """--endpoint: the guard's parsing runs under --timeout too; nothing is sent."""
    import conftest

    query = tmp_path / "slow.rq"
    query.write_text(slow_to_guard(300_000), encoding="utf-8")
    (result, elapsed) = timed(lambda: subprocess.run(
        [*KG, "query", str(query), "--endpoint", f"{listener}sparql", "--timeout", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=120))
    assert result.returncode == 2, result.stderr
    assert "timed out after 1 s" in result.stderr and "Traceback" not in result.stderr
    assert elapsed < 7, elapsed
    assert conftest.Counting.hits == 0


SLOW_VALIDATION = """
import sys, time
import kg.check.shacl
def slow(graph, ontology=None):
    time.sleep(120)  # a validation that would run for minutes
kg.check.shacl.validate_graph = slow
from kg.cli import main
sys.argv = ["kg", "validate", sys.argv[1], "--timeout", "1"]
main()
"""


def test_kg_validate_stops_at_its_timeout(built):
    """The checks of `kg validate` run under --timeout like any query: stopped at 1 s, exit 2, one sentence."""
    (result, elapsed) = timed(lambda: subprocess.run(
        [sys.executable, "-c", SLOW_VALIDATION, str(built / "graph.ttl")], cwd=ROOT, capture_output=True, text=True,
        timeout=60))
    assert result.returncode == 2, result.stderr
    assert result.stderr == f"kg: the validation of {built / 'graph.ttl'} timed out after 1 s and was stopped (raise --timeout to allow more).\n"
    assert elapsed < 10, elapsed


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_kg_query_caps_rows_and_triples_as_it_reads_them(built, store):
    """`kg query --max-rows 5` on the seed's 2,709 triples: five rows (or triples) come out, and
    stderr says the answer was cut; with no cap (the default) every triple comes out."""
    def query(*args):
        return subprocess.run([*KG, "query", "--store", store, "--graph", str(built / "graph.ttl"), *args],
                              cwd=ROOT, capture_output=True, text=True, timeout=60)

    rows = query("--max-rows", "5", "--format", "csv", "--sparql", "SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert rows.returncode == 0, rows.stderr
    assert rows.stdout.splitlines()[0] == "s,p,o" and len(rows.stdout.splitlines()) == 1 + 5
    assert rows.stderr == "kg: the answer was cut to its first 5 rows (--max-rows; 0 for none).\n"
    triples = query("--max-rows", "7", "--sparql", "CONSTRUCT WHERE { ?s ?p ?o }")  # printed as Turtle
    assert triples.returncode == 0, triples.stderr
    import pyoxigraph

    assert len(list(pyoxigraph.parse(triples.stdout.encode("utf-8"), format=pyoxigraph.RdfFormat.TURTLE))) == 7
    assert "cut to its first 7 triples" in triples.stderr
    whole = query("--format", "json", "--sparql", "SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert whole.returncode == 0 and whole.stderr == ""
    import json

    assert len(json.loads(whole.stdout)["results"]["bindings"]) == 3167


def test_ctrl_c_stops_kg_query_on_the_store_with_exit_130(built):
    process = subprocess.Popen([*KG, "query", "--store", "oxigraph", "--out", str(built), "--timeout", "60", "--sparql", CROSS_JOIN],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    running: list[int] = []
    for _ in range(300):  # until the query runs in its child
        running = children(process.pid)
        if running or process.poll() is not None:
            break
        time.sleep(0.05)
    assert running, process.communicate()
    time.sleep(0.5)  # Oxigraph is in the cross join by now
    process.send_signal(signal.SIGINT)
    (_stdout, stderr), elapsed = timed(lambda: process.communicate(timeout=30))
    assert process.returncode == 130, stderr
    assert elapsed < 3, elapsed
    assert b"interrupted" in stderr and b"Traceback" not in stderr
    assert not any(os.path.exists(f"/proc/{child}") for child in running)


# ---------------------------------------------------------------- case 21: the endpoint's budget


def test_endpoint_stops_a_cross_join_at_its_timeout_and_goes_on(server):
    base, _process = server
    response, elapsed = timed(lambda: sparql(base, params={"query": CROSS_JOIN}))
    assert response.status_code == 503 and "timed out after 2 s" in response.text
    assert elapsed < 4, elapsed
    assert sparql(base, params={"query": POSTS}).status_code == 200


def test_a_huge_body_is_refused_413_quickly(server):
    base, _process = server
    body = b"ASK {}" + b" " * (2 << 20)
    response, elapsed = timed(lambda: sparql(base, method="POST", data=body,
                                             headers={"Content-Type": "application/sparql-query"}))
    assert response.status_code == 413
    assert elapsed < 3, elapsed


def test_a_300_kb_query_is_refused_413_by_default(server):
    base, _process = server
    response, elapsed = timed(lambda: sparql(base, method="POST", data={"query": slow_to_guard(300_000)}))
    assert response.status_code == 413  # over the body's limit (256 KiB)
    assert elapsed < 3, elapsed
    response, elapsed = timed(lambda: sparql(base, method="POST", data={"query": slow_to_guard(100_000)}))
    assert response.status_code == 413 and "over the limit of 65536 (--max-query)" in response.text
    assert elapsed < 3, elapsed


def test_a_300_kb_query_allowed_in_is_stopped_within_the_budget(built):
    """With --max-query raised, the guard's parsing runs in the worker under the budget: 503 at 2 s,
    not 200 after half a minute; the server goes on."""
    process, base = start(built / "graph.ttl", "--timeout", "2", "--max-query", "1000000", "--max-body", "2000000")
    try:
        response, elapsed = timed(lambda: sparql(base, method="POST", data=slow_to_guard(300_000).encode(),
                                                 headers={"Content-Type": "application/sparql-query"}))
        assert response.status_code == 503 and "timed out after 2 s" in response.text
        assert elapsed < 4.5, elapsed
        assert sparql(base, params={"query": POSTS}).status_code == 200
    finally:
        stop(process)


def test_limit_300000_on_a_big_graph_is_capped_within_the_budget_in_bounded_memory(tmp_path):
    lines = [f'<https://example.org/s/{i}> <https://example.org/p/{i % 7}> "value {i}" .\n' for i in range(320_000)]
    big = tmp_path / "big.nt"
    big.write_text("".join(lines), encoding="utf-8")
    del lines
    process, base = start(big, "--timeout", "5")
    try:
        before = high_water_kib(process.pid)
        response, elapsed = timed(lambda: sparql(base, params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 300000"}))
        assert response.status_code == 200, response.text
        assert len(response.json()["results"]["bindings"]) == 10000
        assert response.headers["X-KG-Truncated"] == "10000 of more than 10000 rows"
        assert elapsed < 5, elapsed
        # the server only passed on the capped answer; its workers read 10,001 solutions, not 300,000
        assert high_water_kib(process.pid) - before < 32 * 1024
        for worker in children(process.pid):
            assert high_water_kib(worker) < before + 64 * 1024
    finally:
        stop(process)


def test_construct_is_capped_with_x_kg_truncated(server):
    base, _process = server
    response = sparql(base, params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    assert len(response.text.splitlines()) == 50
    assert response.headers["X-KG-Truncated"] == "50 of more than 50 triples"
    describe = sparql(base, params={"query": "DESCRIBE ?s WHERE { ?s ?p ?o }"}, headers={"Accept": "application/n-triples"})
    assert len(describe.text.splitlines()) == 50 and "X-KG-Truncated" in describe.headers


def test_a_cheap_ask_is_answered_while_slow_queries_run(server):
    base, _process = server
    slow = [threading.Thread(target=sparql, args=(base,), kwargs={"params": {"query": CROSS_JOIN + f" # {n}"}}) for n in range(6)]
    for thread in slow:
        thread.start()
    time.sleep(0.5)  # the six run
    response, elapsed = timed(lambda: sparql(base, params={"query": "ASK { ?s a <http://www.w3.org/ns/org#Post> } # cheap"}))
    assert response.status_code == 200 and response.json()["boolean"] is True
    assert elapsed < 1, elapsed
    for thread in slow:
        thread.join()


def test_a_slow_query_past_its_budget_gets_a_fresh_worker(server):
    base, process = server
    workers = set(children(process.pid))
    assert len(workers) == 8
    assert sparql(base, params={"query": CROSS_JOIN + " # replaced"}).status_code == 503
    after = set(children(process.pid))
    assert len(after) == 8 and after != workers
    for worker in after:  # each cut off from the network (seccomp, kg/check/sandbox.py), the fresh one too
        for _ in range(100):  # once it has set itself up
            if "Seccomp:\t2" in Path(f"/proc/{worker}/status").read_text():
                break
            time.sleep(0.05)
        assert "Seccomp:\t2" in Path(f"/proc/{worker}/status").read_text()


def test_many_idle_connections_do_not_lock_out_a_new_client(server):
    base, _process = server
    port = int(base.rsplit(":", 1)[1])
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(150)]
    try:
        response, elapsed = timed(lambda: sparql(base, params={"query": POSTS}, timeout=10))
        assert response.status_code == 200
        assert elapsed < 2, elapsed
    finally:
        for sock in idle:
            sock.close()


def test_idle_connections_are_closed_after_the_idle_timeout(built):
    """Even past --max-connections, idle connections are closed after --idle-timeout and the client gets in."""
    process, base = start(built / "graph.ttl", "--max-connections", "10", "--idle-timeout", "1")
    port = int(base.rsplit(":", 1)[1])
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(30)]
    try:
        response, elapsed = timed(lambda: sparql(base, params={"query": POSTS}, timeout=20))
        assert response.status_code == 200
        assert elapsed < 8, elapsed
    finally:
        for sock in idle:
            sock.close()
        stop(process)


def test_a_full_queue_gets_503_at_once(built):
    process, base = start(built / "graph.ttl", "--timeout", "3", "--workers", "1")
    try:
        slow = [threading.Thread(target=sparql, args=(base,), kwargs={"params": {"query": CROSS_JOIN + f" # {n}"}}) for n in range(3)]
        for thread in slow:  # one runs, two wait (twice the workers)
            thread.start()
        time.sleep(0.5)
        response, elapsed = timed(lambda: sparql(base, params={"query": POSTS}))
        assert response.status_code == 503 and "busy" in response.text
        assert elapsed < 1, elapsed
        for thread in slow:
            thread.join()
    finally:
        stop(process)


# ---------------------------------------------------------------- case 22: Host and Origin


def test_a_foreign_host_header_is_refused(server):
    base, _process = server
    response = sparql(base, params={"query": POSTS}, headers={"Host": "rebound.example:7878"})
    assert response.status_code == 403 and "rebound.example" in response.text and "--allow-host" in response.text
    page = requests.get(base + "/", headers={"Host": "rebound.example"}, timeout=10)
    assert page.status_code == 403
    for host in ("localhost:7878", "127.0.0.1", "[::1]:7878"):
        assert sparql(base, params={"query": POSTS}, headers={"Host": host}).status_code == 200


def test_allow_host_adds_a_name(built):
    process, base = start(built / "graph.ttl", "--allow-host", "kg.example", "--allow-host", "other.example")
    try:
        assert sparql(base, params={"query": POSTS}, headers={"Host": "kg.example:7878"}).status_code == 200
        assert sparql(base, params={"query": POSTS}, headers={"Host": "other.example"}).status_code == 200
        assert sparql(base, params={"query": POSTS}, headers={"Host": "evil.example"}).status_code == 403
    finally:
        stop(process)


def test_a_foreign_origins_post_is_refused_unless_cors_allows_it(built, server):
    base, _process = server
    form = {"query": POSTS}
    refused = sparql(base, method="POST", data=form, headers={"Origin": "http://evil.example"})
    assert refused.status_code == 403 and "Access-Control-Allow-Origin" not in refused.headers
    own = sparql(base, method="POST", data=form, headers={"Origin": base})
    assert own.status_code == 200  # the server's own page
    process, cors_base = start(built / "graph.ttl", "--cors", "http://good.example")
    try:
        good = sparql(cors_base, method="POST", data=form, headers={"Origin": "http://good.example"})
        assert good.status_code == 200 and good.headers["Access-Control-Allow-Origin"] == "http://good.example"
        evil = sparql(cors_base, method="POST", data=form, headers={"Origin": "http://evil.example"})
        assert evil.status_code == 403
    finally:
        stop(process)


# ---------------------------------------------------------------- case 23: throughput and the cache


def test_a_cached_answer_needs_no_worker_and_cache_0_turns_it_off(built):
    """With its one worker busy on a slow query, the server still answers a query it answered before
    (from the cache) at once; with --cache 0 the same query waits for the worker."""
    for cache, expected in (("64", True), ("0", False)):
        process, base = start(built / "graph.ttl", "--timeout", "3", "--workers", "1", "--cache", cache)
        try:
            first = sparql(base, params={"query": POSTS})
            slow = threading.Thread(target=sparql, args=(base,), kwargs={"params": {"query": CROSS_JOIN}})
            slow.start()
            time.sleep(0.5)  # the worker is in the cross join
            again, elapsed = timed(lambda: sparql(base, params={"query": POSTS}))  # noqa: B023 - called at once
            slow.join()
            if expected:
                assert again.status_code == 200 and again.content == first.content and elapsed < 0.5, elapsed
            else:
                assert elapsed > 2, elapsed  # it waited for the worker, until its own budget passed
        finally:
            stop(process)


# ---------------------------------------------------------------- case 24: a busy port


def test_a_busy_port_is_said_in_one_sentence(built):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([*KG, "serve", "--graph", str(built / "graph.ttl"), "--port", str(port)],
                                cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0] == (f"kg: port {port} on 127.0.0.1 is already in use (another server is listening there): "
                         "stop it or choose another --port.")
    assert "unchanged" not in result.stderr and "Traceback" not in result.stderr


# ---------------------------------------------------------------- kg build's own SPARQL checks


def test_the_checks_of_a_build_stop_at_its_time_limit(tmp_path, data_copy):
    """A shapes file whose check across releases is a cross join of every triple (billions of rows):
    the build stops it after --timeout, in one sentence, and writes nothing."""
    from kg.errors import TimedOut
    from kg.pipeline.corpus import build

    ontology = tmp_path / "ontology"
    shutil.copytree(ROOT / "ontology", ontology)
    with open(ontology / "shapes.ttl", "a", encoding="utf-8") as handle:
        handle.write('\nkgs:CorpusChecks sh:sparql [ a sh:SPARQLConstraint ; sh:message "never ends" ;\n'
                     '    sh:select "SELECT $this WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }" ] .\n')
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.ttl").write_bytes(b"# previous\n")
    started = time.monotonic()
    with pytest.raises(TimedOut) as stopped:
        build(data_copy, out, ontology=ontology, timeout=2)
    assert time.monotonic() - started < 60, "stopped at its limit, not after the join"
    assert str(stopped.value).startswith("the checking of the graph timed out after 2 s and was stopped")
    assert (out / "graph.ttl").read_bytes() == b"# previous\n"
    assert sorted(p.name for p in out.iterdir()) == ["graph.ttl"], "no store, no temporary file, no cache entry"


SLOW_CHECKS = """
import sys
import kg.check.shacl
real = kg.check.shacl.check_store
def cross_join(store, ontology=None, which="corpus", *args, **kwargs):
    if which == "release":  # the checks within a release, run with the parts: as they are
        return real(store, ontology, which, *args, **kwargs)
    # the checks across releases, in the checks' process: a real query that does not end
    return list(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"))
kg.check.shacl.check_store = cross_join
from kg.cli import main
sys.argv = ["kg", "build", "--data", sys.argv[1], "--out", sys.argv[2], "--timeout", "2"]
main()
"""


def test_kg_build_timeout_stops_the_checks_and_says_so(tmp_path):
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-c", SLOW_CHECKS, str(DATA), str(out)], capture_output=True, text=True,
                            timeout=120, cwd=ROOT)
    assert result.returncode == 2, result.stderr
    assert result.stderr == "kg: the checking of the graph timed out after 2 s and was stopped (raise --timeout to allow more).\n"
    assert not (out / "graph.ttl").exists() and not (out / "store").exists()


@pytest.mark.parametrize("value", ["nan", "-1", "1e308"])
def test_kg_build_refuses_a_time_limit_that_is_not_one(value, tmp_path):
    result = subprocess.run([*KG, "build", "--out", str(tmp_path / "out"), "--timeout", value], capture_output=True,
                            text=True, cwd=ROOT)
    assert result.returncode == 2
    assert result.stderr.startswith("kg: --timeout must be a number of seconds from 0 (no limit) to 86400 (a day)")
