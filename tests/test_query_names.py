"""Query parameters that name a thing (issue 12, item 6): ids and Italian or English names, any case,
found in the graph being queried; a name that matches nothing, or several things, is one sentence.

The figures are read off the seed release by a person: Marche exported 7,5 milioni di euro to
Azerbaijan in 2024; "In provincia di Ancona le esportazioni hanno superato 1,5 milioni di euro nel
2024"; Diego Mingarelli is "presidente di Confindustria Ancona"; Socar acquires Api."""

from __future__ import annotations

import pytest
import requests
from click.testing import CliRunner

from conftest import one_line_error, start_server, stop_server
from kg.cli import cli
from kg.errors import UsageError
from kg.query.names import resolve

PLACE = "https://example.org/kg/id/place/"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def csv_rows(result) -> list[list[str]]:
    assert result.exit_code == 0, result.output
    return [line.split(",") for line in result.stdout.strip().splitlines()[1:]]


@pytest.mark.parametrize("name", ["Marche", "marche", "MARCHE", "<https://example.org/kg/id/place/marche>"])
def test_an_origin_by_id_or_name_in_any_case(built_ttl, name):
    rows = csv_rows(run("query", "exports-by-period", "--graph", built_ttl, "--format", "csv",
                        "--param", f"originName={name}", "--param", "destinationName=Azerbaijan"))
    assert ("Marche", "Azerbaijan", "2024", "7500000") in {tuple(row[:4]) for row in rows}
    assert {row[0] for row in rows} == {"Marche"}


@pytest.mark.parametrize("name", ["provincia di Ancona", "Province of Ancona", "PROVINCIA DI ANCONA", "ancona-province"])
def test_a_place_by_its_italian_or_english_name(built_ttl, name):
    rows = csv_rows(run("query", "exports-by-period", "--graph", built_ttl, "--format", "csv", "--param", f"originName={name}"))
    figures = {(row[2], row[3]) for row in rows}
    assert ("2024", "1500000") in figures  # "hanno superato 1,5 milioni di euro nel 2024"
    assert {row[0] for row in rows} == {"Province of Ancona"}


def test_a_destination_by_its_italian_name(built_ttl):
    rows = csv_rows(run("query", "exports-by-period", "--graph", built_ttl, "--format", "csv",
                        "--param", "destinationName=azerbaigian"))
    assert rows and {row[1] for row in rows} == {"Azerbaijan"}


def test_a_role_a_person_an_organisation_and_a_sector_by_name(built_ttl):
    posts = csv_rows(run("query", "posts", "--graph", built_ttl, "--format", "csv", "--param", "roleName=Presidente"))
    assert [row[:3] for row in posts] == [["Diego Mingarelli", "president", "Confindustria Ancona"]]
    quotes = csv_rows(run("query", "quotations", "--graph", built_ttl, "--format", "csv", "--param", "speakerName=diego mingarelli"))
    assert quotes and {row[0] for row in quotes} == {"Diego Mingarelli"}
    deals = csv_rows(run("query", "acquisitions", "--graph", built_ttl, "--format", "csv", "--param", "companyName=socar"))
    assert [row[-1] for row in deals] == ["socar-acquires-api"]
    fashion = csv_rows(run("query", "sectors", "--graph", built_ttl, "--format", "csv", "--param", "sectorName=Moda"))
    assert fashion and {row[3] for row in fashion} == {"moda"}


def test_a_name_that_matches_nothing_is_one_sentence_with_a_close_name(built_ttl):
    result = run("query", "exports-by-period", "--graph", built_ttl, "--param", "originName=Marchee")
    line = one_line_error(result, 2, "originName", "'Marchee'", "no place")
    assert "did you mean 'Marche'?" in line


def test_a_name_far_from_every_name_gets_no_suggestion(built_ttl):
    line = one_line_error(run("query", "exports-by-period", "--graph", built_ttl, "--param", "destinationName=Xyzzy"),
                          2, "destinationName", "'Xyzzy'")
    assert "did you mean" not in line


def test_a_name_of_several_things_says_which(tmp_path):
    graph = tmp_path / "g.ttl"
    graph.write_text(
        "@prefix schema: <http://schema.org/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        f"<{PLACE}springfield-il> a schema:Place ; rdfs:label \"Springfield\"@en .\n"
        f"<{PLACE}springfield-ma> a schema:Place ; rdfs:label \"Springfield\"@en .\n", encoding="utf-8")
    line = one_line_error(run("query", "exports-by-period", "--graph", graph, "--param", "originName=springfield"),
                          2, "originName", "'springfield'", "several places")
    assert "springfield-il" in line and "springfield-ma" in line


ROWS = [(PLACE + "united-kingdom", "United Kingdom"), (PLACE + "united-kingdom", "Regno Unito"),
        (PLACE + "forli-cesena-province", "provincia di Forlì-Cesena"), (PLACE + "marche", "Marche"),
        (PLACE + "marche", "Marche")]


@pytest.mark.parametrize("name", ["Regno Unito", "regno unito", "united kingdom", "UNITED KINGDOM", "united-kingdom",
                                  "place/united-kingdom"])
def test_names_and_ids_are_compared_without_case_and_hyphens(name):
    assert resolve(name, "place", ROWS).iri == PLACE + "united-kingdom"


def test_accents_and_apostrophes_do_not_matter():
    assert resolve("Provincia di Forli Cesena", "place", ROWS).iri == PLACE + "forli-cesena-province"


def test_a_did_you_mean_names_the_closest():
    with pytest.raises(UsageError, match=r"parameter 'x': no place named 'Regno Unto' in the graph; did you mean 'Regno Unito'\?"):
        resolve("Regno Unto", "place", ROWS, "parameter 'x'")


@pytest.fixture(scope="module")
def server(built_ttl):
    process, base = start_server(built_ttl)
    yield base
    stop_server(process)


def test_the_endpoint_runs_a_library_query_with_names(server):
    response = requests.get(server + "/query/exports-by-period", params={"originName": "marche", "destinationName": "Azerbaigian"},
                            headers={"Accept": "text/csv"}, timeout=30)
    assert response.status_code == 200, response.text
    assert "Marche,Azerbaijan,2024,7500000," in response.text


def test_the_endpoint_says_what_kg_query_says_of_an_unknown_name(server, built_ttl):
    response = requests.get(server + "/query/exports-by-period", params={"originName": "Marchee"}, timeout=30)
    assert response.status_code == 400
    said = one_line_error(run("query", "exports-by-period", "--graph", built_ttl, "--param", "originName=Marchee"))
    assert response.text == said.removeprefix("kg: ") + "\n"


@pytest.mark.parametrize("path", ["/query/..%2Fetc%2Fpasswd", "/query/posts.rq", "/query/Posts", "/query/"])
def test_the_endpoint_runs_library_queries_by_name_only(server, path):
    assert requests.get(server + path, timeout=30).status_code == 404


def test_the_endpoint_refuses_an_unknown_parameter_as_kg_query_does(server):
    response = requests.get(server + "/query/posts", params={"nope": "x"}, timeout=30)
    assert response.status_code == 400 and "has no parameter 'nope'" in response.text
