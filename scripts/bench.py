"""`make bench`: time kg on corpora of 1, 100, 1,000 and 10,000 releases; write BENCHMARKS.md and its plot.

Every command runs as its own process; we report the median wall time and the
peak memory of the whole process tree (kg build forks workers and starts a Turtle
writer: their proportional and their resident memory, each summed, sampled every 50 ms from /proc).
The targets' ratios are taken in pairs (a build, then its yardstick, then the next build), timed without the
memory sampler (see :func:`rounds`). For each size:

- `kg build` from nothing (no cache, no store: it writes graph.ttl and the store), and
  beside it: `oxigraph load` of the same triples (Oxigraph's own bulk loader,
  the practical limit), `kg build --store memory` (graph.ttl only), and the all-rdflib path
  (one rdflib graph, pyshacl on rdflib alone, rdflib's Turtle: how kg built
  before the corpus work; skipped where it would take too long);
- the rebuild after touching one release (its annotation gains a comment);
- at 1,000 releases, `kg extract DIR --into DATA` on the corpus's 1,000 texts (one run, against the
  one-minute target);
- every library query as a whole command by the default path, `kg query NAME --graph OUT/graph.ttl`, timed
  without the memory sampler
  with no other flag (the store beside graph.ttl; actor-facts needs its actor, Marche, and fact-evidence its
  fact, the quotation of the first release), the median
  of at least five runs, against the 0.5 s target.

The 1-release corpus is data/ (the seed); the others come from `kg synth N --seed 0`.
`KG_BENCH_SIZES=1,100` limits the sizes; `KG_BENCH_RUNS` sets the runs of the small ones.

And the endpoint's throughput: `kg serve` and `oxigraph serve-read-only` on the seed graph (built
once: graph.ttl for kg, its store for Oxigraph), one after the other, each asked the `posts` library
query by 20 concurrent clients (keep-alive connections, POST application/sparql-query) for a few
seconds (`KG_BENCH_ENDPOINT_SECONDS`, 5 by default); requests/s and the 99th percentile latency of each,
and their ratio against the 0.25 target; `kg serve` with its answer cache (the default) and with
`--cache 0`. `python scripts/bench.py --only endpoint` runs this part alone and prints it.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SIZES = [int(s) for s in os.environ.get("KG_BENCH_SIZES", "1,100,1000,10000").split(",")]
SMALL_RUNS = int(os.environ.get("KG_BENCH_RUNS", "9"))
ALL_RDFLIB_MAX = 1000  # beyond this the all-rdflib path takes many minutes
ALL_RDFLIB_LIMIT = 60.0  # seconds: a yardstick slower than this is stopped and reported as "over"
TARGET_STARTUP = 2.0  # kg build on the seed, against the bare imports
TARGET_LOAD_RATIO = 5.0  # 1,000 releases, kg build from nothing against oxigraph load
TARGET_MEMORY_MIB = 2 * 1024  # 10,000 releases, peak of the process tree
TARGET_REBUILD = 0.25
TARGET_QUERY_S = 0.5
TARGET_EXTRACT_S = 60.0  # kg extract DIR --into DATA on the texts of EXTRACT_SIZE releases
EXTRACT_SIZE = 1000
TARGET_ENDPOINT_RATIO = 0.25  # kg serve's requests/s against oxigraph serve-read-only's, the same graph and run
ENDPOINT_CLIENTS = 20
ENDPOINT_SECONDS = float(os.environ.get("KG_BENCH_ENDPOINT_SECONDS", "5"))
QUERY_RUNS = 5
PAIRS = 5  # rounds of the 1,000-release targets' ratios (at least)
ACTOR = "<https://example.org/kg/id/place/marche>"  # actor-facts' required parameter: facts in every corpus
# fact-evidence's: the quotation of the first release of `kg synth` (every release quotes its speaker), the seed's acquisition
SEED_FACT, FIRST_QUOTE = "socar-acquires-api", "quote-00001_synth"

ALL_RDFLIB = """
import sys
from pathlib import Path
import pyshacl
from kg.pipeline.corpus import load_corpus
from kg.rdf.builder import Builder
from kg.rdf.namespaces import new_graph
from kg.rdf.vocabularies import add_ontology
from kg.check.shacl import shapes_graph
corpus = load_corpus(sys.argv[1])
graph = add_ontology(new_graph())
builder = Builder(corpus, graph, graph)
builder.registry_nodes()
for release in corpus.releases:
    builder.release(release)
builder.interval_containment()
builder.current_figures()
conforms, _report, text = pyshacl.validate(graph, shacl_graph=shapes_graph(), inference="none")
assert conforms, text
Path(sys.argv[2]).mkdir(parents=True, exist_ok=True)
Path(sys.argv[2], "graph.ttl").write_bytes(graph.serialize(format="turtle", encoding="utf-8"))
"""


def runs_for(size: int) -> int:
    return SMALL_RUNS if size <= 1 else 5 if size <= 100 else 3 if size <= 1000 else 1


def _tree_memory_kib(session: int) -> tuple[int, int]:
    """(resident, proportional) memory of the process tree, KiB. Resident memory counts a page that forked
    processes share (copy on write) once in each of them; the proportional set size (Pss, from
    /proc/PID/smaps_rollup) splits it among them, so the sum is what the tree holds."""
    rss = pss = 0
    page = os.sysconf("SC_PAGE_SIZE") // 1024
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            if int(fields[3]) != session:  # the session id: the command and everything it forked
                continue
            resident = int(Path(f"/proc/{entry}/statm").read_text().split()[1]) * page
            rss += resident
            try:
                rollup = Path(f"/proc/{entry}/smaps_rollup").read_text()
                pss += int(re.search(r"^Pss:\s+(\d+) kB", rollup, re.M).group(1))  # type: ignore[union-attr]
            except (OSError, AttributeError):
                pss += resident
        except (OSError, ValueError, IndexError):
            continue
    return rss, pss


class TooSlow(Exception):
    """A run stopped at its limit (the yardstick only)."""


def measure(argv: list[str], before=None, limit: float | None = None, sample: bool = True) -> tuple[float, tuple[int, int], str]:
    """(wall seconds, peak (resident, proportional) memory of the process tree in KiB, stdout) of one run;
    TooSlow past ``limit`` s. ``sample=False``: the time alone (no memory sampled: (0, 0))."""
    if before:
        before()
    start = time.perf_counter()
    process = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    peak = [0, 0]
    done = threading.Event()

    def sample_memory():
        while not done.is_set():
            rss, pss = _tree_memory_kib(process.pid)
            peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)
            done.wait(0.05)

    sampler = threading.Thread(target=sample_memory, daemon=True)
    if sample:
        sampler.start()
    try:
        stdout, stderr = process.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        process.communicate()
        done.set()
        raise TooSlow from None
    elapsed = time.perf_counter() - start
    done.set()
    if sample:
        sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"bench: {' '.join(argv)} failed ({process.returncode}): {stderr.decode()[-2000:]}")
    return elapsed, (peak[0], peak[1]), stdout.decode()


def series(argv: list[str], runs: int, before=None, warm: bool = True, limit: float | None = None,
           sample: bool = True) -> dict:
    """The median, min and max wall time of ``runs`` runs and their peak memory (``sample=False``: the times
    alone, without the memory sampler, see :func:`rounds`; peaks 0)."""
    if warm:
        measure(argv, before, limit, sample)  # warm the file cache
    results = [measure(argv, before, limit, sample) for _ in range(runs)]
    times = [t for t, _m, _o in results]
    return {
        "median": statistics.median(times),
        "min": min(times),
        "max": max(times),
        "peak_mib": max(m[0] for _t, m, _o in results) / 1024,
        "peak_pss_mib": max(m[1] for _t, m, _o in results) / 1024,
        "runs": runs,
        "stdout": results[-1][2],
    }


def rounds(steps: list[tuple], runs: int) -> list[tuple[float, ...]]:
    """The wall times of ``steps`` ((argv, before) each) run one after the other, ``runs`` times, after one
    warm-up of each; timed alone, without the memory sampler. Reading each process's smaps_rollup every
    50 ms slowed kg build, which allocates in several processes at once, by about 9 % (4 alternating pairs
    of 1,000-release builds) and oxigraph load by nothing measurable: a ratio would have weighed the probe."""
    for argv, before in steps:
        measure(argv, before, sample=False)
    return [tuple(measure(argv, before, sample=False)[0] for argv, before in steps) for _ in range(runs)]


def ratio_of(times: list[tuple[float, ...]], first: int, second: int) -> dict:
    """The median of the ratios of steps ``first`` / ``second`` of each round of :func:`rounds`. Paired, a
    ratio is taken on a machine in one state (a shared machine slows both sides of a pair alike, not two
    series minutes apart)."""
    return {"ratio": statistics.median(t[first] / t[second] for t in times), "first": statistics.median(t[first] for t in times),
            "second": statistics.median(t[second] for t in times), "runs": len(times)}


def paired(first: tuple, second: tuple, runs: int) -> dict:
    """``first`` and ``second`` ((argv, before) each) in :func:`rounds`: the median of the ratios first / second."""
    return ratio_of(rounds([first, second], runs), 0, 1)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(next(row for row in Path("/proc/meminfo").read_text().splitlines() if row.startswith("MemTotal")).split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, StopIteration):
        pass
    disk = ""
    try:
        usage = shutil.disk_usage(tempfile.gettempdir())
        disk = f", {usage.total / 1024**3:.0f} GB temporary disk"
    except OSError:
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}){memory}{disk}, Python {platform.python_version()}"


def versions() -> str:
    from importlib.metadata import version

    names = ("rdflib", "pyshacl", "pyoxigraph", "oxrdflib", "oxigraph", "click", "ruamel.yaml")
    return ", ".join(f"{name} {version(name)}" for name in names)


def library_queries() -> list[str]:
    return sorted(p.stem for p in (ROOT / "queries").glob("*.rq"))


def query_args(name: str, size: int) -> list[str]:
    """The flags a library query needs: only its required parameters."""
    required = {"actor-facts": ["--param", f"actor={ACTOR}"], "fact-evidence": ["--param", f"fact={SEED_FACT if size == 1 else FIRST_QUOTE}"]}
    return required.get(name, [])


def bench_size(size: int, work: Path) -> dict:
    kg = str(BIN / "kg")
    python = sys.executable
    runs = runs_for(size)
    if size == 1:
        data = ROOT / "data"
    else:
        data = work / f"corpus-{size}"
        subprocess.run([kg, "synth", str(size), "--out", str(data), "--seed", "0"], check=True, stdout=subprocess.DEVNULL)
    out = work / f"out-{size}"
    fresh = lambda: shutil.rmtree(out, ignore_errors=True)  # noqa: E731 - a build from nothing
    result = {"size": size, "runs": runs}
    print(f"bench: {size} release(s), {runs} run(s) each", flush=True)
    result["store"] = series([kg, "build", "--data", str(data), "--out", str(out)], runs, fresh, warm=size <= 100)
    match = re.search(r"triples: (\d+)", result["store"]["stdout"])
    result["triples"] = int(match.group(1)) if match else 0
    # the store stays from the last run: now the rebuild after touching one release, a different one each run
    folders = sorted(p for p in (data / "releases").iterdir() if p.is_dir())
    if size > 1:
        touched = iter(folders[len(folders) // 2 :])

        def touch():
            with open(next(touched) / "annotation.yaml", "a", encoding="utf-8") as handle:
                handle.write("# touched by make bench\n")

        result["rebuild"] = series([kg, "build", "--data", str(data), "--out", str(out)], runs, touch, warm=False)
    ttl = out / "graph.ttl"
    location = work / f"oxigraph-load-{size}"
    result["oxigraph_load"] = series([str(BIN / "oxigraph"), "load", "--location", str(location), "--file", str(ttl)], runs,
                                     lambda: shutil.rmtree(location, ignore_errors=True), warm=size <= 100)
    if size == 1:  # the target's ratio: the seed's build from nothing, each followed by the bare imports
        result["startup_pairs"] = paired(([kg, "build", "--data", str(data), "--out", str(out)], fresh),
                                         ([python, "-c", "import rdflib, pyshacl, click"], None), runs)
    if size == 1000:  # the targets' ratios: builds from nothing, each followed by oxigraph load of its graph.ttl, then by
        # the rebuild after touching one release
        build = [kg, "build", "--data", str(data), "--out", str(out)]
        times = rounds([(build, fresh), ([str(BIN / "oxigraph"), "load", "--location", str(location), "--file", str(ttl)],
                                          lambda: shutil.rmtree(location, ignore_errors=True)), (build, touch)], max(runs, PAIRS))
        result["load_pairs"] = ratio_of(times, 0, 1)
        result["rebuild_pairs"] = ratio_of(times, 2, 0)
    result["queries"] = {  # the default path: the store the build wrote beside graph.ttl
        name: series([kg, "query", name, "--graph", str(ttl), *query_args(name, size)], max(QUERY_RUNS, runs), warm=True,
                     sample=False)  # times only (the table shows no memory of a query)
        for name in library_queries()
    }
    if size == EXTRACT_SIZE:  # kg extract on a folder: every text of the corpus drafted into a data folder
        texts, drafts = work / f"texts-{size}", work / f"drafts-{size}"
        texts.mkdir()
        for folder in sorted(p for p in (data / "releases").iterdir() if p.is_dir()):
            shutil.copyfile(folder / "release.txt", texts / f"{folder.name}.txt")
        result["extract"] = series([kg, "extract", str(texts), "--into", str(drafts)], 1, warm=False)
        shutil.rmtree(texts, ignore_errors=True)
        shutil.rmtree(drafts, ignore_errors=True)
    memory_out = work / f"memory-{size}"
    result["memory"] = series([kg, "build", "--data", str(data), "--out", str(memory_out), "--store", "memory"], runs,
                              lambda: shutil.rmtree(memory_out, ignore_errors=True), warm=size <= 100)
    if size <= ALL_RDFLIB_MAX:
        rdflib_out = work / f"rdflib-{size}"
        try:  # a yardstick only: one run, stopped past its limit
            result["all_rdflib"] = series([python, "-c", ALL_RDFLIB, str(data), str(rdflib_out)], 1, warm=False,
                                          limit=ALL_RDFLIB_LIMIT)
        except TooSlow:
            result["all_rdflib_over"] = True
    for folder in (location, memory_out, work / f"rdflib-{size}"):
        shutil.rmtree(folder, ignore_errors=True)
    if size > 1:
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(data, ignore_errors=True)
    return result


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int, path: str, process: subprocess.Popen) -> None:
    import http.client

    for _ in range(600):
        if process.poll() is not None:
            raise SystemExit(f"bench: a server stopped at start: {process.stderr.read().decode()[-2000:] if process.stderr else ''}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", path)
            connection.getresponse().read()
            connection.close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("bench: a server did not start")


def hammer(port: int, path: str, query: str, seconds: float, clients: int = ENDPOINT_CLIENTS) -> dict:
    """``clients`` threads, each on its own keep-alive connection, POSTing ``query`` for ``seconds``:
    requests/s of the answers 200, their 99th percentile latency, and the other answers."""
    import http.client

    body = query.encode("utf-8")
    headers = {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}
    latencies: list[list[float]] = [[] for _ in range(clients)]
    failures = [0] * clients
    start = threading.Barrier(clients + 1)
    deadline = [0.0]

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        start.wait()
        while time.perf_counter() < deadline[0]:
            began = time.perf_counter()
            try:
                connection.request("POST", path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            if ok:
                latencies[index].append(time.perf_counter() - began)
            else:
                failures[index] += 1
        connection.close()

    threads = [threading.Thread(target=client, args=(index,)) for index in range(clients)]
    for thread in threads:
        thread.start()
    deadline[0] = time.perf_counter() + seconds
    began = time.perf_counter()
    start.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    times = sorted(t for series_ in latencies for t in series_)
    return {
        "requests_s": len(times) / elapsed,
        "p99_ms": 1000 * times[min(len(times) - 1, int(0.99 * len(times)))] if times else float("nan"),
        "answered": len(times),
        "failed": sum(failures),
    }


def bench_endpoint(work: Path, seconds: float = ENDPOINT_SECONDS) -> dict:
    """kg serve (with its cache, then with --cache 0) and oxigraph serve-read-only on the seed graph, the
    `posts` query by 20 clients each: their requests/s, p99 and ratio."""
    out = work / "endpoint"
    subprocess.run([str(BIN / "kg"), "build", "--data", str(ROOT / "data"), "--out", str(out)], check=True,
                   cwd=ROOT, stdout=subprocess.DEVNULL)
    query = (ROOT / "queries" / "posts.rq").read_text(encoding="utf-8")
    servers = {
        "oxigraph": ([str(BIN / "oxigraph"), "serve-read-only", "--location", str(out / "store"), "--bind", "127.0.0.1:{port}"],
                     "/query"),
        "kg": ([str(BIN / "kg"), "serve", "--graph", str(out / "graph.ttl"), "--port", "{port}"], "/sparql"),
        "kg_no_cache": ([str(BIN / "kg"), "serve", "--graph", str(out / "graph.ttl"), "--port", "{port}", "--cache", "0"], "/sparql"),
    }
    result: dict = {"clients": ENDPOINT_CLIENTS, "seconds": seconds}
    for name, (argv, path) in servers.items():
        port = _free_port()
        process = subprocess.Popen([arg.replace("{port}", str(port)) for arg in argv], cwd=ROOT,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            _wait_for(port, "/", process)
            hammer(port, path, query, min(1.0, seconds))  # warm up
            result[name] = hammer(port, path, query, seconds)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        print(f"bench: endpoint {name}: {result[name]['requests_s']:,.0f} requests/s, p99 {result[name]['p99_ms']:.1f} ms", flush=True)
    result["ratio"] = result["kg"]["requests_s"] / result["oxigraph"]["requests_s"]
    result["ratio_no_cache"] = result["kg_no_cache"]["requests_s"] / result["oxigraph"]["requests_s"]
    return result


def endpoint_lines(endpoint: dict) -> list[str]:
    """The endpoint section of BENCHMARKS.md."""
    lines = [
        f"## Endpoint throughput (the `posts` query on the seed graph, {endpoint['clients']} concurrent clients, "
        f"{endpoint['seconds']:g} s each)",
        "",
        "| server | requests/s | p99 ms | answered | failed |",
        "|---|---:|---:|---:|---:|",
    ]
    labels = {"oxigraph": "`oxigraph serve-read-only`", "kg": "`kg serve` (answer cache on, the default)",
              "kg_no_cache": "`kg serve --cache 0` (no answer cache)"}
    for name, label in labels.items():
        row = endpoint[name]
        lines.append(f"| {label} | {row['requests_s']:,.0f} | {row['p99_ms']:.1f} | {row['answered']:,} | {row['failed']:,} |")
    lines += [
        "",
        f"- `kg serve` (cache on) against `oxigraph serve-read-only`: **{endpoint['ratio']:.2f}** of its requests/s "
        f"(at least {TARGET_ENDPOINT_RATIO}): {verdict(endpoint['ratio'] >= TARGET_ENDPOINT_RATIO)}; with `--cache 0`: "
        f"{endpoint['ratio_no_cache']:.2f}.",
        "",
    ]
    return lines


def plot(results: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [r["size"] for r in results]
    fig, ax = plt.subplots(figsize=(8, 5), dpi=120)
    lines = [
        ("kg build (from nothing: graph.ttl and the store)", lambda r: r["store"]["median"], "o-"),
        ("kg build --store memory (from nothing: graph.ttl only)", lambda r: r["memory"]["median"], "s--"),
        ("kg build after touching one release", lambda r: r.get("rebuild", {}).get("median"), "^-"),
        ("oxigraph load of the same triples", lambda r: r["oxigraph_load"]["median"], "d:"),
        ("all-rdflib path (before)", lambda r: r.get("all_rdflib", {}).get("median"), "x-."),
    ]
    for label, value, style in lines:
        points = [(s, value(r)) for s, r in zip(sizes, results, strict=True) if value(r) is not None]
        if points:
            ax.plot([p[0] for p in points], [p[1] for p in points], style, label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("releases in the corpus")
    ax.set_ylabel("wall time, seconds (median)")
    ax.set_title(f"Build time against corpus size ({os.cpu_count()} cores)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def verdict(ok: bool) -> str:
    return "met" if ok else "**NOT met**"


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Benchmark kg; write BENCHMARKS.md.")
    parser.add_argument("--only", choices=["endpoint"], help="Run only this part and print it (BENCHMARKS.md is left alone).")
    if parser.parse_args().only == "endpoint":
        with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
            print("\n".join(endpoint_lines(bench_endpoint(Path(tmp)))))
        return
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        work = Path(tmp)
        bare = series([python, "-c", "import rdflib, pyshacl, click"], SMALL_RUNS)
        results = [bench_size(size, work) for size in SIZES]
        endpoint = bench_endpoint(work)
    by_size = {r["size"]: r for r in results}
    plot_path = ROOT / "docs" / "bench-build-time.png"
    plot(results, plot_path)

    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (scripts/bench.py); do not edit by hand.",
        "",
        f"Machine: {machine()}.  ",
        f"Libraries: {versions()}.  ",
        "Each command ran as a fresh process; wall time is the median of the runs (after one warm-up run for",
        "the small corpora and the queries); memory is the peak memory of the whole process tree (kg build forks",
        "workers and starts a Turtle writer), sampled every 50 ms: the proportional set sizes summed (Pss: a page",
        "forked processes share counted once) and the resident sizes summed (such a page counted in each). Builds \"from nothing\"",
        "start without `out/` (no cache, no store). The corpora of more than one release are `kg synth N --seed 0`.",
        "",
        "## Builds",
        "",
        "| releases | triples | `kg build` s | triples/s | peak MiB (Pss / resident) | rebuild after touching one s | `oxigraph load` s | build / load | `kg build --store memory` s | all-rdflib path s | runs |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        store, load = r["store"], r["oxigraph_load"]
        rebuild = f"{r['rebuild']['median']:.2f}" if "rebuild" in r else "–"
        all_rdflib = (f"{r['all_rdflib']['median']:.2f}" if "all_rdflib" in r else
                      f"over {ALL_RDFLIB_LIMIT:.0f}" if r.get("all_rdflib_over") else "not run")
        lines.append(
            f"| {r['size']:,} | {r['triples']:,} | {store['median']:.2f} ({store['min']:.2f}–{store['max']:.2f}) | "
            f"{r['triples'] / store['median']:,.0f} | {store['peak_pss_mib']:.0f} / {store['peak_mib']:.0f} | {rebuild} | {load['median']:.2f} | "
            f"{store['median'] / load['median']:.1f}x | {r['memory']['median']:.2f} | {all_rdflib} | {r['runs']} |")
    lines += ["", "![Build time against corpus size](docs/bench-build-time.png)", "", "## Library queries (whole command, `kg query NAME --graph OUT/graph.ttl`: the store beside it)", ""]
    header = "| query | " + " | ".join(f"{r['size']:,} releases s" for r in results) + " |"
    lines += [header, "|---|" + "---:|" * len(results)]
    for name in library_queries():
        lines.append(f"| `{name}` | " + " | ".join(f"{r['queries'][name]['median']:.2f}" for r in results) + " |")

    lines += ["", "## Targets", ""]
    seed = by_size.get(1)
    if seed:
        pairs = seed["startup_pairs"]
        ratio = pairs["ratio"]
        lines.append(f"- `kg build` on the seed: {pairs['first']:.3f} s against {pairs['second']:.3f} s for the bare "
                     f"`import rdflib, pyshacl, click`, run in {pairs['runs']} pairs: median ratio **{ratio:.2f}x** "
                     f"(at most {TARGET_STARTUP:.1f}x): {verdict(ratio <= TARGET_STARTUP)}. (The two series above, "
                     f"minutes apart: {seed['store']['median']:.3f} s and {bare['median']:.3f} s.)")
    k = by_size.get(1000)
    if k:
        pairs = k["load_pairs"]
        load_ratio = pairs["ratio"]
        lines.append(f"- 1,000 releases, full build (graph.ttl and the store): {pairs['first']:.2f} s against {pairs['second']:.2f} s "
                     f"for `oxigraph load` of its graph.ttl, run in {pairs['runs']} pairs timed without the memory sampler: "
                     f"median ratio **{load_ratio:.2f}x** "
                     f"(at most {TARGET_LOAD_RATIO:.0f}x): {verdict(load_ratio <= TARGET_LOAD_RATIO)}.")
        pairs = k["rebuild_pairs"]
        share = pairs["ratio"]
        lines.append(f"- 1,000 releases, rebuild after touching one: {pairs['first']:.2f} s against {pairs['second']:.2f} s for "
                     f"the full build before it, in the same {pairs['runs']} rounds: median share **{share:.3f}** "
                     f"(at most {TARGET_REBUILD}): {verdict(share <= TARGET_REBUILD)}.")
        slowest = max(k["queries"], key=lambda n: k["queries"][n]["median"])
        worst = k["queries"][slowest]["median"]
        lines.append(f"- 1,000 releases, every library query as a whole command by the default path: slowest `{slowest}` "
                     f"**{worst:.2f} s** (at most {TARGET_QUERY_S:.1f} s): {verdict(worst <= TARGET_QUERY_S)}.")
        if "extract" in k:
            took = k["extract"]["median"]
            lines.append(f"- `kg extract DIR --into DATA` on the {EXTRACT_SIZE:,} texts of the 1,000-release corpus: **{took:.1f} s** "
                         f"(at most {TARGET_EXTRACT_S:.0f} s): {verdict(took <= TARGET_EXTRACT_S)}.")
    big = by_size.get(10000)
    if big:
        conforms = "conforms: yes" in big["store"]["stdout"]
        ok = conforms and big["store"]["peak_pss_mib"] <= TARGET_MEMORY_MIB
        lines.append(f"- 10,000 releases: {big['triples']:,} triples in {big['store']['median']:.0f} s, "
                     f"{'conforming' if conforms else 'NOT conforming'}, peak **{big['store']['peak_pss_mib']:.0f} MiB** "
                     f"of the process tree, each page counted once (Pss; {big['store']['peak_mib']:.0f} MiB of resident "
                     f"memory summed over the processes, which counts the pages the forked workers share with the build "
                     f"once in each) (at most {TARGET_MEMORY_MIB:.0f} MiB): {verdict(ok)}.")
    lines.append("")
    lines += endpoint_lines(endpoint)
    (ROOT / "BENCHMARKS.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
