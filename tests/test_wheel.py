"""The wheel is the product: built from this checkout, installed with its pinned dependencies
into a fresh virtual environment, and used from an empty folder outside the checkout, as a
person who ran `pip install kg-VERSION-py3-none-any.whl` would use it.

One virtual environment per session (module-scoped fixtures): the build and the install take
most of this module's time; pip's cache makes the install quick after the first run.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import kg
from kg.resources import QUERIES_DIR

ROOT = Path(__file__).resolve().parent.parent
CONSTRAINTS = ROOT / "constraints.txt"
# generated or local folders of a checkout, left out of the copy the wheel is built from
NOT_SOURCE = {".git", ".venv", "out", "build", "dist", "docs", ".pytest_cache", ".hypothesis"}

QUERIES = sorted(path.stem for path in QUERIES_DIR.glob("*.rq"))
EXAMPLE_ORG = "<https://example.org/kg/id/org/consorzio-colline-marchigiane>"
# parameters for the queries that declare them (`# param ?name:` in the .rq header), chosen to
# match the example release that kg init lays out
PARAMS = {
    "actor": EXAMPLE_ORG,
    "fact": "macerata-germany-2025",
    "originName": "Province of Macerata",
    "destinationName": "germania",  # a name in Italian, any case
    "containerName": "Marche",
    "assessment": "growth opportunity",
    "sectorName": "arredo",
    "personName": "Lucia Brandoni",
    "speakerName": "lucia brandoni",
    "roleName": "presidente",
    "organizationName": "consorzio-colline-marchigiane",
    "companyName": "consorzio-colline-marchigiane",
    "publisher": "Consorzio Export Colline Marchigiane",
    "periodName": "2025",
    "referencePeriodName": "2024",
}
# what a person reading each answer about the example release would look for
EXPECTED = {
    "posts": ["Lucia Brandoni", "president"],
    "quotations": ["Lucia Brandoni", "I risultati premiano le imprese"],
    "actor-facts": ["brandoni-president"],
    "all-figures": ["macerata-germany-2025", "macerata-germany-2025-furniture"],
    "exports-by-period": ["Province of Macerata", "Germany", "180000000"],
    "sector-breakdown": ["furniture", "60000000"],
    "sectors": ["furniture", "arredo"],  # sectorName=arredo: the furniture row alone
    "fact-evidence": ["circa 180 milioni di euro"],
    "places-within": ["Province of Macerata"],
    "derived-values": ["macerata-germany-2025-furniture"],
    "period-comparison": ["Province of Macerata", "Germany", "4.2", "2024"],  # "in aumento del 4,2% rispetto all'anno precedente"
    "releases": ["example", "2026-03-12"],
}


def run(args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=900, **kwargs)


def declared_params(name: str) -> dict[str, str]:
    """The parameters a library query declares, each given a value: ours, else the header's example."""
    values = {}
    for line in (QUERIES_DIR / f"{name}.rq").read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        match = re.match(r"^#\s*param\s+\?(\w+)\s*(?:\([^)]*\))?\s*:(.*)$", line)  # "?name (required, actor):"
        if match:
            param, text = match.groups()
            example = re.search(r"e\.g\.\s+(<[^>]+>|\"[^\"]*\"|\S+)", text)
            values[param] = PARAMS.get(param) or (example.group(1).strip('"') if example else "x")
    return values


def _copy_source(target: Path) -> Path:
    def ignore(folder, names):
        top = Path(folder).resolve() == ROOT
        return [n for n in names if (top and n in NOT_SOURCE) or n == "__pycache__" or n.endswith(".egg-info")]

    shutil.copytree(ROOT, target, symlinks=True, ignore=ignore)
    return target


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built (with the pinned setuptools) from a copy of the checkout: no build/ or egg-info left here."""
    source = _copy_source(tmp_path_factory.mktemp("source") / "kg")
    dist = tmp_path_factory.mktemp("dist")
    built = run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--build-constraint", CONSTRAINTS,
                 "-w", dist, source])
    assert built.returncode == 0, built.stderr
    (path,) = dist.glob("kg-*.whl")
    return path


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    """A fresh virtual environment with the wheel installed, dependencies pinned by constraints.txt."""
    folder = tmp_path_factory.mktemp("venv")
    made = run([sys.executable, "-m", "venv", folder])
    assert made.returncode == 0, made.stderr
    installed = run([folder / "bin" / "python", "-m", "pip", "install", "--quiet", "-c", CONSTRAINTS, wheel])
    assert installed.returncode == 0, installed.stderr
    return folder


@pytest.fixture(scope="module")
def env(venv) -> dict[str, str]:
    """The environment of a shell in which the venv is active, and nothing points at the checkout."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(venv)
    return env


def empty_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("work")
    assert not list(folder.iterdir()) and ROOT not in folder.resolve().parents
    return folder


@pytest.fixture(scope="module")
def example(venv, env, tmp_path_factory) -> Path:
    """An empty folder in which `kg init mydata` and `kg build --data mydata` ran."""
    work = empty_folder(tmp_path_factory)
    init = run([venv / "bin" / "kg", "init", "mydata"], cwd=work, env=env)
    assert init.returncode == 0, init.stderr
    built = run([venv / "bin" / "kg", "build", "--data", "mydata"], cwd=work, env=env)
    assert built.returncode == 0, built.stderr
    return work


def test_the_wheel_holds_the_package_data_and_the_licence(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    resources = ROOT / "kg" / "resources"
    data = [p for p in resources.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")]
    assert {"ontology/kg.ttl", "gazetteer/gazetteer.json", "ontology/shapes.ttl",
            "ontology/context.jsonld", "ontology/shapes-checked.json", "queries/posts.rq", "static/query.html",
            "template/registry.yaml", "template/releases/example/annotation.yaml",
            "template/releases/example/release.txt"} <= {p.relative_to(resources).as_posix() for p in data}
    missing = [p for p in data if f"kg/{p.relative_to(ROOT / 'kg').as_posix()}" not in names]
    assert not missing, missing
    assert "kg/py.typed" in names
    assert f"kg-{kg.__version__}.dist-info/licenses/LICENSE" in names
    assert not [n for n in names if n.startswith(("tests/", "data/", "out/", "docs/"))]
    metadata = zipfile.ZipFile(wheel).read(f"kg-{kg.__version__}.dist-info/METADATA").decode("utf-8")
    assert f"\nVersion: {kg.__version__}\n" in metadata and "\nLicense-Expression: MIT\n" in metadata


def test_the_installed_kg_is_the_wheels_not_the_checkouts(venv, env, tmp_path_factory):
    work = empty_folder(tmp_path_factory)
    where = run([venv / "bin" / "python", "-c", "import kg; print(kg.__file__)"], cwd=work, env=env)
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).resolve().is_relative_to(venv.resolve())
    version = run([venv / "bin" / "kg", "--version"], cwd=work, env=env)
    assert version.returncode == 0 and kg.__version__ in version.stdout


def test_build_in_a_folder_without_data_says_what_to_do(venv, env, tmp_path_factory):
    work = empty_folder(tmp_path_factory)
    result = run([venv / "bin" / "kg", "build"], cwd=work, env=env)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "kg init" in result.stderr and "Traceback" not in result.stderr
    assert list(work.iterdir()) == []


def test_init_then_build_writes_a_graph_that_validates(venv, env, example):
    assert (example / "out" / "graph.ttl").is_file()
    assert run([venv / "bin" / "kg", "validate"], cwd=example, env=env).returncode == 0


def test_the_installed_library_lists_every_query(venv, env, example):
    listed = run([venv / "bin" / "kg", "queries"], cwd=example, env=env)
    assert listed.returncode == 0
    assert sorted(line for line in listed.stdout.splitlines() if line and not line.startswith(" ")) == QUERIES


@pytest.mark.parametrize("name", QUERIES)
def test_every_library_query_answers_on_the_example(venv, env, example, name):
    args = ["query", name, "--format", "csv"]
    for param, value in declared_params(name).items():
        args += ["--param", f"{param}={value}"]
    result = run([venv / "bin" / "kg", *args], cwd=example, env=env)
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows and rows[0], "no header row"
    cells = {cell for row in rows[1:] for cell in row}
    for wanted in EXPECTED.get(name, []):
        assert any(wanted in cell for cell in cells), f"{name}: no row mentions {wanted!r}"


def test_synth_then_build_outside_the_checkout(venv, env, tmp_path_factory):
    work = empty_folder(tmp_path_factory)
    synth = run([venv / "bin" / "kg", "synth", "20", "--out", "corpus"], cwd=work, env=env)
    assert synth.returncode == 0, synth.stderr
    assert len([p for p in (work / "corpus" / "releases").iterdir() if (p / "annotation.yaml").is_file()]) == 20
    built = run([venv / "bin" / "kg", "build", "--data", "corpus"], cwd=work, env=env)
    assert built.returncode == 0, built.stderr
    assert run([venv / "bin" / "kg", "validate"], cwd=work, env=env).returncode == 0
    listed = run([venv / "bin" / "kg", "query", "releases", "--format", "csv"], cwd=work, env=env)
    assert listed.returncode == 0
    releases = {row[1] for row in list(csv.reader(io.StringIO(listed.stdout)))[1:]}
    assert len(releases) == 20
