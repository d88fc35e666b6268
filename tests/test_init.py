"""`kg init`: a new data folder from the template that ships with kg, and `kg synth` without one."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml
from click.testing import CliRunner

from kg.cli import cli
from kg.resources import TEMPLATE_DIR

EXAMPLE = TEMPLATE_DIR / "releases" / "example"
LAYOUT = ["places.yaml", "registry.yaml", "releases/example/annotation.yaml", "releases/example/release.txt", "sectors.yaml"]


def files_under(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_init_lays_out_a_folder_that_builds_and_conforms(tmp_path):
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "mydata")])
    assert result.exit_code == 0, result.output
    assert files_under(tmp_path / "mydata") == LAYOUT
    for name in LAYOUT:  # the template's bytes, comments included
        assert (tmp_path / "mydata" / name).read_bytes() == (TEMPLATE_DIR / name).read_bytes()
    built = CliRunner().invoke(cli, ["build", "--data", str(tmp_path / "mydata"), "--out", str(tmp_path / "out")])
    assert built.exit_code == 0, built.output
    posts = CliRunner().invoke(cli, ["query", "posts", "--graph", str(tmp_path / "out" / "graph.ttl"), "--format", "csv"])
    assert posts.exit_code == 0
    assert "Lucia Brandoni" in posts.output


def test_init_in_an_existing_empty_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    assert CliRunner().invoke(cli, ["init", str(tmp_path / "empty")]).exit_code == 0
    assert files_under(tmp_path / "empty") == LAYOUT
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty"]  # no temporary folder left


@pytest.mark.parametrize("what", ["folder", "file"])
def test_init_refuses_a_non_empty_target_in_one_sentence(tmp_path, what):
    target = tmp_path / "taken"
    if what == "folder":
        target.mkdir()
        (target / "notes.txt").write_text("mine", encoding="utf-8")
    else:
        target.write_text("mine", encoding="utf-8")
    before = files_under(tmp_path)
    result = CliRunner().invoke(cli, ["init", str(target)])
    assert result.exit_code == 2
    assert str(target) in result.stderr and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert files_under(tmp_path) == before


def test_a_failed_init_leaves_nothing(tmp_path, monkeypatch):
    import builtins

    real_open, opened = builtins.open, []

    def open_failing_on_the_second_write(file, mode="r", *args, **kwargs):
        if "w" in mode:
            opened.append(file)
            if len(opened) == 2:
                raise OSError(28, "No space left on device", str(file))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", open_failing_on_the_second_write)
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "mydata")])
    monkeypatch.undo()
    assert len(opened) == 2
    assert result.exit_code == 2 and "No space left" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_init_imports_no_rdf_library(tmp_path):
    code = (
        "import sys\nfrom kg.cli import cli\n"
        f"try:\n    cli(['init', {str(tmp_path / 'd')!r}], prog_name='kg')\nexcept SystemExit as exit:\n    assert not exit.code\n"
        "print('HEAVY', sorted(m for m in ('rdflib', 'pyshacl', 'pyoxigraph', 'yaml') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "HEAVY []" in out.stdout, out.stdout + out.stderr
    assert (tmp_path / "d" / "registry.yaml").is_file()


def test_every_field_of_the_example_annotation_is_explained():
    """Each field name of the example has a comment on at least one of its lines (id, kind and
    evidence are explained in the file's header)."""
    text = (EXAMPLE / "annotation.yaml").read_text(encoding="utf-8")
    header = text.split("\nrelease:", 1)[0]
    fields = {}
    for line in text.splitlines():
        match = re.match(r"^\s*(?:- )?([a-z_]+):", line)
        if match:
            fields.setdefault(match.group(1), []).append(line)
    assert {"release", "facts", "publisher", "amount", "hedge", "sector", "reference", "speaker"} <= set(fields)
    unexplained = [name for name, lines in fields.items()
                   if name not in ("release", "facts") and name not in header and not any("#" in line for line in lines)]
    assert not unexplained, unexplained


def test_the_example_is_fictional_and_says_so():
    annotation = yaml.safe_load((EXAMPLE / "annotation.yaml").read_text(encoding="utf-8"))
    registry = yaml.safe_load((TEMPLATE_DIR / "registry.yaml").read_text(encoding="utf-8"))
    assert "fictional" in annotation["release"]["source"]
    publisher = next(o for o in registry["organizations"] if o["id"] == annotation["release"]["publisher"])
    assert "fictional" in publisher["source"]
    assert all("fictional" in person["source"] for person in registry["people"])


def test_synth_outside_a_checkout_starts_from_the_template_registry(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no data/ here
    result = CliRunner().invoke(cli, ["synth", "6", "--out", "corpus"])
    assert result.exit_code == 0, result.output
    registry = yaml.safe_load((tmp_path / "corpus" / "registry.yaml").read_text(encoding="utf-8"))
    template = yaml.safe_load((TEMPLATE_DIR / "registry.yaml").read_text(encoding="utf-8"))
    assert registry["organizations"][: len(template["organizations"])] == template["organizations"]
    built = CliRunner().invoke(cli, ["build", "--data", "corpus", "--out", "out"])
    assert built.exit_code == 0, built.output


def test_synth_refuses_a_data_folder_without_a_registry(tmp_path):
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(cli, ["synth", "2", "--out", str(tmp_path / "x"), "--data", str(tmp_path / "empty")])
    assert result.exit_code == 2 and "no registry.yaml" in result.stderr
    assert not (tmp_path / "x").exists()
