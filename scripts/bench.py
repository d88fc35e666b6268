"""`make bench`: time `kg build` on the data folder against the bare imports, write BENCHMARKS.md.

Each command runs as its own process, several times; we report the median wall
time and the peak resident memory (from wait4's rusage) of each, measured in
the same run on the same machine, and the ratio the issue sets a target for.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("KG_BENCH_RUNS", "9"))
TARGET_RATIO = 3.0


def measure(argv: list[str]) -> tuple[float, int]:
    """(wall seconds, peak RSS in KiB) of one process run."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"bench: {' '.join(argv)} failed: {process.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss


def series(argv: list[str]) -> dict:
    measure(argv)  # warm the file cache
    runs = [measure(argv) for _ in range(RUNS)]
    times = [t for t, _ in runs]
    return {
        "median": statistics.median(times),
        "min": min(times),
        "max": max(times),
        "peak_mib": max(m for _, m in runs) / 1024,
    }


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
        kib = int(next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")).split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, StopIteration):
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}){memory}, Python {platform.python_version()}"


def versions() -> str:
    from importlib.metadata import version

    return ", ".join(f"{name} {version(name)}" for name in ("rdflib", "pyshacl", "click", "PyYAML"))


def main() -> None:
    python = sys.executable
    with tempfile.TemporaryDirectory() as out:
        bare = series([python, "-c", "import rdflib, pyshacl, click"])
        build = series([python, "-m", "kg.cli", "build", "--data", "data", "--out", out])
        query = series([python, "-m", "kg.cli", "query", "exports-by-period", "--graph", f"{out}/graph.ttl"])
    ratio = build["median"] / bare["median"]
    verdict = "met" if ratio <= TARGET_RATIO else "NOT met"
    rows = [
        ("bare `python -c \"import rdflib, pyshacl, click\"`", bare),
        ("`kg build` (load, build, validate, write out/graph.ttl)", build),
        ("`kg query exports-by-period`", query),
    ]
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (scripts/bench.py); do not edit by hand.",
        "",
        f"Machine: {machine()}.  ",
        f"Libraries: {versions()}.  ",
        f"Each command ran {RUNS} times as a fresh process after one warm-up run; wall time median (min–max), peak resident memory.",
        "",
        "| command | median s | min–max s | peak memory MiB |",
        "|---|---:|---:|---:|",
    ]
    for name, s in rows:
        lines.append(f"| {name} | {s['median']:.3f} | {s['min']:.3f}–{s['max']:.3f} | {s['peak_mib']:.0f} |")
    lines += [
        "",
        f"`kg build` / bare import = **{ratio:.2f}x** (target: at most {TARGET_RATIO:.0f}x): **{verdict}**.",
        "",
    ]
    (ROOT / "BENCHMARKS.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
