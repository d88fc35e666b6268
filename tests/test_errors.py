"""The error hierarchy: each error knows its exit code and HTTP status, is chosen by what went
wrong (not by words in a message), and crosses process boundaries whole."""

import pickle

import pytest
from click.testing import CliRunner

from kg.errors import (
    InputError,
    KgError,
    NotAcceptable,
    NotConformingError,
    QuerySyntaxError,
    RefusedError,
    StoppedError,
    StoreError,
    TimedOut,
    UsageError,
)


@pytest.mark.parametrize(
    "error, exit_code, status",
    [
        (InputError("bad", "a.yaml", 3, "facts[0].amount"), 2, 400),
        (UsageError("bad option"), 2, 400),
        (QuerySyntaxError("not SPARQL"), 2, 400),
        (RefusedError("uses SERVICE"), 2, 403),
        (NotAcceptable("rows cannot be written as Turtle"), 2, 406),
        (TimedOut("too slow"), 2, 503),
        (StoreError("unreachable"), 2, 502),
        (StoppedError("the query stopped without an answer"), 2, 500),
        (NotConformingError("does not conform"), 1, 422),
    ],
)
def test_each_error_knows_its_exit_code_and_http_status(error, exit_code, status):
    assert isinstance(error, KgError)
    assert (error.exit_code, error.http_status) == (exit_code, status)


def test_an_input_error_pickles_whole():
    error = InputError("the amount 7 is not a figure the evidence states", "releases/x/annotation.yaml", 12, "facts[3] (f).amount")
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is InputError
    assert (back.path, back.line, back.field, back.message) == (error.path, 12, "facts[3] (f).amount", error.message)
    assert str(back) == "releases/x/annotation.yaml, line 12, field 'facts[3] (f).amount': the amount 7 is not a figure the evidence states."


@pytest.mark.parametrize("cls", [UsageError, QuerySyntaxError, RefusedError, TimedOut, StoreError, StoppedError,
                                 NotConformingError])
def test_every_error_type_survives_pickling(cls):
    back = pickle.loads(pickle.dumps(cls("what went wrong")))
    assert type(back) is cls and str(back) == "what went wrong."


def test_an_unknown_prefix_is_a_syntax_error_not_a_refusal():
    """`?s a FROMAGE:y` names no FROM clause: the guard's type says 400, whatever the words."""
    from kg.check.guard import check_query

    with pytest.raises(QuerySyntaxError) as caught:
        check_query("SELECT ?s WHERE { ?s a FROMAGE:y }")
    assert not isinstance(caught.value, RefusedError) and caught.value.http_status == 400


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
        "INSERT DATA { <http://x/s> <http://x/p> 1 }",
    ],
)
def test_what_the_guard_forbids_is_refused_403(text):
    from kg.check.guard import check_query

    with pytest.raises(RefusedError) as caught:
        check_query(text)
    assert caught.value.http_status == 403


def test_an_error_in_a_time_limited_child_arrives_with_its_type_and_fields():
    from kg.check.deadline import run_with_deadline

    def fails():
        raise InputError("broken", "x.yaml", 4, "release.id")

    with pytest.raises(InputError) as caught:
        run_with_deadline(fails, 30, "the work")
    assert (caught.value.path, caught.value.line, caught.value.field) == ("x.yaml", 4, "release.id")


def test_a_graph_that_does_not_conform_exits_1(tmp_path):
    """kg validate on a graph with a fact whose hedge is unknown: the report, then exit 1 by type."""
    from kg.cli import cli

    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix kgo: <https://example.org/kg/ontology#> .\n"
        "<https://example.org/kg/resource/release/r/fact/f> a kgo:Fact, kgo:Level .\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["validate", str(bad)])
    assert result.exit_code == 1, result.output
    assert "Conforms: no" in result.output
    assert "does not conform" in result.stderr


def test_an_unknown_publisher_names_the_registry_of_the_data_folder_given(tmp_path):
    """Outside the checkout (`--data elsewhere`), the sentence points at the registry that was read."""
    import shutil

    from conftest import DATA
    from kg.pipeline.corpus import load_corpus

    data = tmp_path / "elsewhere"
    shutil.copytree(DATA, data)
    annotation = data / "releases" / "000_c861f582b8da151e" / "annotation.yaml"
    text = annotation.read_text(encoding="utf-8")
    assert "publisher: confindustria-ancona\n" in text
    annotation.write_text(text.replace("publisher: confindustria-ancona\n", "publisher: nobody\n"), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_corpus(data)
    assert caught.value.field == "release.publisher"
    assert f"known ones are in {data / 'registry.yaml'}" in str(caught.value)


def test_a_child_that_dies_without_an_answer_is_the_servers_fault():
    """A query's child process that ends without sending anything (an engine crash, not the input's
    fault) is a StoppedError: HTTP 500 at the endpoint, not 400."""
    import os

    from kg.check.deadline import Child

    with pytest.raises(StoppedError) as caught:
        Child(lambda: os._exit(3), "the query").result(10)
    assert caught.value.http_status == 500
    assert str(caught.value) == "the query stopped without an answer (exit status 3)."


@pytest.mark.parametrize("fact_id, index, old, new", [
    ("marche-2023q1", 1, "trade", "level"),
    ("marche-2023q1-change", 2, "comparison", "change"),
    ("marche-2023q1-share", 4, "share-of-facts", "share"),
])
def test_a_retired_kind_is_refused_naming_the_kind_that_replaced_it(tmp_path, fact_id, index, old, new):
    """The kinds before figures on cells are gone: an annotation still using one is told, in one sentence
    naming the file, the line and the field, which kind to write instead."""
    import shutil

    from conftest import MEASURES
    from kg.pipeline.corpus import load_corpus

    data = tmp_path / "data"
    shutil.copytree(MEASURES, data)
    annotation = data / "releases" / "950_marche_trimestre" / "annotation.yaml"
    text = annotation.read_text(encoding="utf-8")
    marker = f"  - id: {fact_id}\n    kind: {new}\n"
    assert text.count(marker) == 1
    annotation.write_text(text.replace(marker, f"  - id: {fact_id}\n    kind: {old}\n"), encoding="utf-8")
    line = text[:text.index(marker)].count("\n") + 2  # the kind's line, after the id's

    with pytest.raises(InputError) as caught:
        load_corpus(data)
    assert str(caught.value) == (
        f"{annotation}, line {line}, field 'facts[{index}] ({fact_id}).kind': the kind '{old}' is retired: "
        f"write it as a '{new}', a figure on a cell (README.md, \"Data format\").")

    from kg.cli import cli

    result = CliRunner().invoke(cli, ["build", "--data", str(data), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"the kind '{old}' is retired: write it as a '{new}'" in result.stderr
