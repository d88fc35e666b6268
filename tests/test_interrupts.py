"""Builds stopped part-way (Ctrl-C, kill -9, a full disk): the exit message says what changed on
disk, the next build repairs what is left and says so, workers die quietly with their parent, and
a build that stops keeps none of its new cache entries (SECURITY.md, cases 40 to 43).

Each build runs as ``kg build`` in a process of its own, with one step replaced by a stand-in
that prints a marker and then waits (``sleep``: the test signals it there), signals its own
process (``self``: a Ctrl-C that arrives during that step) or fails with a full disk (``full``).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import Graph

from conftest import ROOT, value_triple

STOPPED = """
import errno, os, signal, sys, time, importlib
where, name, mode, in_process = sys.argv[1:5]
module = importlib.import_module(where)
owner = module
for part in name.split(".")[:-1]:
    owner = getattr(owner, part)
attribute = name.split(".")[-1]
original = getattr(owner, attribute)
def stand_in(*args, **kwargs):
    os.write(1, f"at {attribute} {os.getpid()}\\n".encode())  # one write: two workers never interleave a line
    if mode == "sleep":
        time.sleep(float(os.environ.get("STAND_IN_SLEEP", "60")))
    elif mode == "self":
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.5)  # the signal has been delivered: a handler that does not hold it off raises here
    elif mode == "full":
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    return original(*args, **kwargs)
setattr(owner, attribute, stand_in)
import kg.pipeline.corpus
kg.pipeline.corpus.IN_PROCESS = int(in_process)
from kg.cli import main
sys.argv = ["kg", "build", *sys.argv[5:]]
main()
"""
IN_PROCESS = str(1 << 30)  # graph.ttl and the store written in the build's own process
BY_PROCESSES = "0"  # by processes of their own


def start(step: str, mode: str, data: Path, out: Path, *options: str, writers: str = IN_PROCESS, **popen):
    where, _dot, name = step.partition(":")
    return subprocess.Popen(
        [sys.executable, "-c", STOPPED, where, name, mode, writers, "--data", str(data), "--out", str(out), *options],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, **popen)


def kg_build(data: Path, out: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", "build", "--data", str(data), "--out", str(out), *options],
                          capture_output=True, cwd=ROOT, timeout=300)


def snapshot(folder: Path) -> dict:
    """Every file under ``folder`` and its bytes (the store's files by name only: RocksDB rewrites its logs)."""
    return {str(p.relative_to(folder)): (None if "store" in p.relative_to(folder).parts[:1] else p.read_bytes())
            for p in sorted(folder.rglob("*")) if p.is_file()}


def temporaries(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob(".kg-tmp*"))


def store_holds(out: Path) -> set:
    from kg.stores.embedded import open_store

    graph = open_store(out)
    try:
        return {value_triple(t) for t in graph}
    finally:
        graph.close()


def triples(path: Path) -> set:
    return {value_triple(t) for t in Graph().parse(path, format="turtle")}


def holds_graph_ttl(out: Path) -> bool:
    from kg.stores.embedded import store_for

    return store_for(out / "graph.ttl") is not None


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """Four synthetic releases, built once with the store: the previous outputs of every test."""
    from kg.draft.synth import synthesize

    root = tmp_path_factory.mktemp("interrupts")
    synthesize(4, root / "data", seed=7)
    done = kg_build(root / "data", root / "out", "--jobs", "1")
    assert done.returncode == 0, done.stderr
    return root


@pytest.fixture
def previous(synthetic, tmp_path):
    """A data folder, its built outputs (graph.ttl, the store, the cache), and the data changed since:
    one release removed and the registry touched (every release is built again, the store loaded afresh)."""
    data, out = tmp_path / "data", tmp_path / "out"
    shutil.copytree(synthetic / "data", data)
    shutil.copytree(synthetic / "out", out)
    shutil.rmtree(data / "releases" / "00004_synth")
    with open(data / "registry.yaml", "a", encoding="utf-8") as handle:
        handle.write("# touched\n")
    return data, out


def wait_for(process, marker: bytes, count: int = 1) -> list[int]:
    """The pids of the first ``count`` processes that printed ``marker`` (the stand-in was reached)."""
    pids = []
    while len(pids) < count:
        line = process.stdout.readline()
        assert line, process.communicate(timeout=30)
        if line.startswith(b"at " + marker):
            pids.append(int(line.split()[-1]))
    return pids


# ---------------------------------------------------------------- case 40: the exit message says what changed


def test_case_40_ctrl_c_before_any_commit_says_outputs_are_unchanged_and_they_are(previous):
    data, out = previous
    before = snapshot(out)
    process = start("kg.check.shacl:check_store", "sleep", data, out)
    wait_for(process, b"check_store")
    process.send_signal(signal.SIGINT)
    _stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stderr == b"kg: interrupted; outputs are unchanged.\n"
    assert snapshot(out) == before, "graph.ttl, store.sha256 and every cache file as they were"
    assert holds_graph_ttl(out) and temporaries(out) == []


@pytest.mark.parametrize("writers", [IN_PROCESS, BY_PROCESSES], ids=["in process", "by processes"])
def test_case_40_ctrl_c_after_graph_ttl_says_it_was_replaced_and_the_next_build_repairs_the_store(previous, writers):
    data, out = previous
    old_graph = triples(out / "graph.ttl")
    cache_before = {k: v for k, v in snapshot(out).items() if k.startswith("cache/")}
    # the store is finished after graph.ttl is replaced: filled in this process, or waited for
    process = start("kg.pipeline.corpus:_Outputs.finish_store", "sleep", data, out, writers=writers)
    wait_for(process, b"finish_store")
    process.send_signal(signal.SIGINT)
    _stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stderr == (b"kg: interrupted; graph.ttl was replaced; the store still holds the previous graph "
                      b"and the next build brings it up to date.\n")
    new_graph = triples(out / "graph.ttl")
    assert new_graph != old_graph and not any("00004_synth" in str(t) for t in new_graph), "graph.ttl is the new graph"
    assert store_holds(out) == old_graph, "the store holds the previous graph"
    assert not holds_graph_ttl(out), "kg query reads graph.ttl, not the store"
    assert {k: v for k, v in snapshot(out).items() if k.startswith("cache/")} == cache_before
    assert temporaries(out) == []

    again = kg_build(data, out)
    assert again.returncode == 0, again.stderr
    assert f"repaired {out / 'store'}: it did not hold {out / 'graph.ttl'}, so it was loaded afresh" in again.stdout.decode()
    assert store_holds(out) == new_graph and holds_graph_ttl(out)


def test_case_40_ctrl_c_during_the_store_swap_takes_effect_after_it_and_says_both_were_replaced(previous):
    """A Ctrl-C while the store is swapped in is held off until the swap and its record are made:
    the message then says both outputs were replaced, and they were."""
    data, out = previous
    process = start("kg.stores.embedded:swap_in", "self", data, out)
    _stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stderr == b"kg: interrupted; graph.ttl and the store were replaced.\n"
    assert store_holds(out) == triples(out / "graph.ttl") and holds_graph_ttl(out)
    assert temporaries(out) == []


def test_case_40_ctrl_c_during_an_update_in_place_takes_effect_after_it(synthetic, tmp_path):
    """One release removed (the store updated in place, one transaction): a Ctrl-C during the update
    ends the build after it, and the message says the store holds the new graph."""
    data, out = tmp_path / "data", tmp_path / "out"
    shutil.copytree(synthetic / "data", data)
    shutil.copytree(synthetic / "out", out)
    shutil.rmtree(data / "releases" / "00002_synth")
    process = start("kg.stores.embedded:update_store", "self", data, out)
    _stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stderr == b"kg: interrupted; graph.ttl and the store were replaced.\n"
    assert store_holds(out) == triples(out / "graph.ttl") and holds_graph_ttl(out)
    again = kg_build(data, out)
    assert again.returncode == 0 and b"repaired" not in again.stdout
    assert b"(0 built, 3 cached)" in again.stdout, "the interrupted build's cache entries were committed with the outputs"


# ---------------------------------------------------------------- case 41: the next build repairs and cleans up


@pytest.mark.parametrize("writers", [IN_PROCESS, BY_PROCESSES], ids=["in process", "by processes"])
def test_case_41_after_kill_9_the_next_build_removes_the_temporaries_and_reloads_the_store(previous, writers):
    """Killed just before the fresh store is swapped in: graph.ttl is new, the store old, and the
    fresh store, the N-Triples and the staged cache entries are left in temporaries."""
    data, out = previous
    process = start("kg.stores.embedded:swap_in", "sleep", data, out, writers=writers)
    wait_for(process, b"swap_in")
    left = temporaries(out)
    process.kill()
    process.communicate(timeout=30)
    assert any(name.startswith(".kg-tmp-store-") for name in left), left
    assert any(name.startswith(".kg-tmp-cache-") for name in left), left
    if writers == BY_PROCESSES:
        assert any(name.endswith(".nt") for name in left), left
    # what an earlier kill left in the cache folder too
    (out / "cache" / ".kg-tmp-abandoned").write_text("{}")
    left = temporaries(out)
    assert not holds_graph_ttl(out)

    again = kg_build(data, out)
    assert again.returncode == 0, again.stderr
    said = again.stdout.decode()
    assert f"removed {len(left)} temporary files and folders an interrupted build left in {out}" in said, said
    assert f"repaired {out / 'store'}: it did not hold {out / 'graph.ttl'}, so it was loaded afresh" in said
    assert temporaries(out) == []
    assert store_holds(out) == triples(out / "graph.ttl") and holds_graph_ttl(out)
    third = kg_build(data, out)
    assert b"removed" not in third.stdout and b"repaired" not in third.stdout


def test_case_41_a_store_without_its_record_is_reloaded_and_the_build_says_so(synthetic, tmp_path):
    data, out = tmp_path / "data", tmp_path / "out"
    shutil.copytree(synthetic / "data", data)
    shutil.copytree(synthetic / "out", out)
    (out / "store.sha256").unlink()
    again = kg_build(data, out)
    assert again.returncode == 0
    assert f"repaired {out / 'store'}: it did not hold {out / 'graph.ttl'}, so it was loaded afresh" in again.stdout.decode()
    assert holds_graph_ttl(out)


# ---------------------------------------------------------------- case 42: workers die with their parent, quietly


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")


def test_case_42_workers_of_a_killed_build_exit_at_once_and_print_nothing(previous):
    data, out = previous
    env = {**os.environ, "STAND_IN_SLEEP": "3"}
    process = start("kg.pipeline.parts:build_parts", "sleep", data, out, "--jobs", "2", env=env)
    workers = wait_for(process, b"build_parts", 2)
    assert process.pid not in workers
    process.kill()
    process.wait(timeout=30)
    killed = time.monotonic()
    while not all(_gone(pid) for pid in workers) and time.monotonic() - killed < 30:
        time.sleep(0.05)
    assert all(_gone(pid) for pid in workers)
    assert time.monotonic() - killed < 2.5, "the workers left before their chunk was done"
    stdout, stderr = process.communicate(timeout=30)  # every writer of the pipes is gone: the workers' output is all here
    assert stderr == b"", stderr.decode()
    assert b"Traceback" not in stdout


def test_case_42_ctrl_c_to_the_process_group_stops_the_workers_without_tracebacks(previous):
    data, out = previous
    before = snapshot(out)
    process = start("kg.pipeline.parts:build_parts", "sleep", data, out, "--jobs", "2", start_new_session=True)
    workers = wait_for(process, b"build_parts", 2)
    os.killpg(process.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, (stdout, stderr)
    assert stderr == b"kg: interrupted; outputs are unchanged.\n", stderr.decode()
    assert all(_gone(pid) for pid in workers), workers
    assert temporaries(out) == []
    assert snapshot(out) == before


# ---------------------------------------------------------------- case 43: a build that stops keeps no new cache entry


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_case_43_a_full_disk_while_caching_leaves_no_new_cache_entry(previous, jobs):
    """The third entry cannot be written (ENOSPC): the build stops, the message is true, and none of
    the entries written before it reaches the cache."""
    data, out = previous
    before = snapshot(out)
    # the stand-in counts the entries in the file system, which the workers share
    counter = out.parent / "written"
    counter.mkdir()
    full = f"""
import errno, os, sys
import kg.pipeline.cache
original = kg.pipeline.cache.save
def save(folder, part):
    marker = os.path.join({str(counter)!r}, part.id)
    open(marker, "w").close()
    if len(os.listdir({str(counter)!r})) >= 3:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), os.path.join(str(folder), part.id + ".json"))
    return original(folder, part)
kg.pipeline.cache.save = save
from kg.cli import main
sys.argv = ["kg", "build", "--data", {str(data)!r}, "--out", {str(out)!r}, "--jobs", {jobs!r}]
main()
"""
    done = subprocess.run([sys.executable, "-c", full], capture_output=True, cwd=ROOT, timeout=120)
    assert done.returncode == 2, done.stderr
    message = done.stderr.decode()
    assert message.startswith(f"kg: {out}/.kg-tmp-cache-") and message.endswith(
        ".json: No space left on device; outputs are unchanged.\n"), message
    assert len(os.listdir(counter)) >= 3
    assert snapshot(out) == before, "no new cache entry, graph.ttl and the store as they were"
    assert temporaries(out) == []


def test_case_43_a_full_disk_while_the_store_is_written_says_graph_ttl_was_replaced(previous):
    data, out = previous
    cache_before = {k: v for k, v in snapshot(out).items() if k.startswith("cache/")}
    old_graph = triples(out / "graph.ttl")
    process = start("kg.stores.embedded:fill_store", "full", data, out)
    _stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 2
    assert stderr == (b"kg: No space left on device; graph.ttl was replaced; the store still holds the previous "
                      b"graph and the next build brings it up to date.\n")
    assert triples(out / "graph.ttl") != old_graph and store_holds(out) == old_graph
    assert {k: v for k, v in snapshot(out).items() if k.startswith("cache/")} == cache_before
    assert temporaries(out) == []


def test_case_43_an_error_in_a_worker_leaves_no_new_cache_entry(previous):
    """One release of three is wrong: the others, built and saved before the error, are not kept."""
    data, out = previous
    before = snapshot(out)
    annotation = data / "releases" / "00003_synth" / "annotation.yaml"
    annotation.write_text(annotation.read_text(encoding="utf-8").replace("amount:", "amount: 1 #", 1), encoding="utf-8")
    done = kg_build(data, out, "--jobs", "2")
    assert done.returncode == 2 and b"00003_synth/annotation.yaml" in done.stderr, done.stderr
    assert snapshot(out) == before and temporaries(out) == []

