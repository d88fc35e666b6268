"""`kg review`'s library (kg.views.review): a release folder opened for review, edited and saved.

The draft is the family's Genoa release with known mistakes (tests/review_draft.py says what the text
states and what the draft gets wrong)."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from kg.errors import ConflictError, InputError, UsageError
from kg.model.yamlfile import load_yaml
from kg.views.review import Desk
from review_draft import LEVEL, MISSED_QUOTE, REVIEW, RIGHT_PERIOD, WRONG_PERIOD, make_draft

FAMILY = Path(__file__).parent / "family"


@pytest.fixture
def draft(tmp_path):
    return make_draft(tmp_path)


@pytest.fixture
def desk(draft):
    _data, folder = draft
    return Desk(folder)


def fact(state: dict, fact_id: str) -> dict:
    found = [f for f in state["facts"] if f["id"] == fact_id]
    assert len(found) == 1, fact_id
    return found[0]


def test_the_desk_gives_the_text_and_every_fact_with_its_evidence_located(desk):
    state = desk.state()
    text = state["text"]
    assert text.startswith("Liguria, la nautica spinge l’export")
    level = fact(state, LEVEL)
    assert level["kind"] == "level" and level["review"] == REVIEW
    assert level["fields"]["amount"] == "7318400000" and level["fields"]["period"] == WRONG_PERIOD
    [span] = level["evidence"]
    assert text[span["start"]:span["end"]] == "le esportazioni liguri hanno raggiunto 7.318,4 mln euro"
    # the quotation's two quoted passages, each where the text has it
    quotation = fact(state, "andrea-parodi-quotation")
    first, second = (text[s["start"]:s["end"]] for s in quotation["evidence"])
    assert first == "I cantieri stanno facendo un lavoro straordinario"
    assert second.startswith("ma il resto della manifattura ligure") and second.endswith("all’altezza del porto")
    assert state["problems"] == [] and state["saved"] is True


def test_the_choices_are_found_by_italian_or_english_name_and_alias(desk):
    choices = desk.choices()
    places = {p["id"]: p for p in choices["places"]}
    assert places["la-spezia-province"]["it"].startswith("Provincia della Spezia") or "La Spezia" in \
        places["la-spezia-province"]["words"] + [places["la-spezia-province"]["it"]]
    assert (places["germany"]["it"], places["germany"]["en"]) == ("Germania", "Germany")
    assert "Regno Unito" in [places["united-kingdom"]["it"], *places["united-kingdom"]["words"]]
    # the data folder's own place: the yard the release names
    assert "cantieri-tigullio-riva-trigoso" in places
    sectors = {s["id"]: s for s in choices["sectors"]}
    assert "nautica" in " ".join([sectors["30"]["it"], *sectors["30"]["words"]]).lower()
    people = {p["id"]: p for p in choices["people"]}
    assert people["andrea-parodi"]["it"] == "Andrea Parodi"
    # the periods the text names: «Nel periodo gennaio-settembre 2024», «rispetto a gen-set 2023»
    periods = {p["id"]: p for p in choices["periods"]}
    assert "gennaio-settembre 2024" in periods["2024-01/2024-09"]["words"]
    assert "gen-set 2023" in periods["2023-01/2023-09"]["words"]
    assert periods["2024-01/2024-09"]["en"] == "January–September 2024"


def test_the_loaders_errors_are_on_the_facts_and_fields_they_concern(desk, draft):
    _data, folder = draft
    before = (folder / "annotation.yaml").read_bytes()
    state = desk.state()
    index = fact(state, LEVEL)["index"]
    genova = fact(state, "genova-export-2024-01-to-09")["index"]
    desk.edit({"op": "set", "fact": index, "id": LEVEL, "field": "amount", "value": "7318,4"})
    desk.edit({"op": "set", "fact": genova, "id": "genova-export-2024-01-to-09", "field": "origin", "value": "Genova"})
    problems = {(p["fact"], p["field"]): p for p in desk.state()["problems"]}
    assert set(problems) == {(index, "amount"), (genova, "origin")}
    assert "decimal comma" in problems[(index, "amount")]["message"]
    assert "unknown place 'Genova'" in problems[(genova, "origin")]["message"]
    with pytest.raises(InputError):
        desk.save()
    assert (folder / "annotation.yaml").read_bytes() == before


def test_the_checks_across_facts_are_shown_on_the_fact_they_name(tmp_path):
    """«Siracusa ... ha esportato 6.870,2 milioni» is more than Sicily's «6.412,5 milioni di euro» in the
    same half-year: the release written with a deliberate contradiction."""
    data = tmp_path / "data"
    shutil.copytree(FAMILY, data, ignore=shutil.ignore_patterns("truth.yaml", "*.md"))
    desk = Desk(data / "releases" / "14_sicilia_contraddizione")
    state = desk.state()
    on = {(p["fact"], p["rule"]) for p in state["problems"] if p["source"] == "Violation"}
    syracuse = fact(state, "siracusa-export-2024-h1")["index"]
    assert any(at == syracuse and rule.startswith("a part does not exceed its whole") for at, rule in on)


def test_fixing_the_draft_and_saving_keeps_the_comments_and_builds(desk, draft, tmp_path):
    from kg.pipeline.corpus import build

    data, folder = draft
    state = desk.state()
    level = fact(state, LEVEL)
    desk.edit({"op": "set", "fact": level["index"], "id": LEVEL, "field": "period", "value": "gennaio-settembre 2024"})
    desk.edit({"op": "resolve", "fact": level["index"], "id": LEVEL})
    text = desk.text
    start = text.index(MISSED_QUOTE)
    desk.edit({"op": "add", "kind": "level", "start": start, "end": start + len(MISSED_QUOTE)})
    added = [f for f in desk.state()["facts"] if f["evidence"] and f["evidence"][0]["quote"] == MISSED_QUOTE]
    assert len(added) == 1
    new = added[0]
    # the number the selection states, and the cell of the figure before it in the text, to be checked
    assert new["fields"]["amount"] == "1690200000" and new["fields"]["unit"] == "EUR"
    desk.edit({"op": "set", "fact": new["index"], "id": new["id"], "field": "origin", "value": "la-spezia-province"})
    desk.edit({"op": "set", "fact": new["index"], "id": new["id"], "field": "excludes", "value": []})
    assert desk.state()["problems"] == []
    desk.save()
    saved = (folder / "annotation.yaml").read_text(encoding="utf-8")
    assert saved.startswith("# The curated annotation of release.txt")  # the comment kept
    assert REVIEW not in saved
    annotation = load_yaml(folder / "annotation.yaml")
    facts = {f["id"]: f for f in annotation["facts"]}
    assert str(facts[LEVEL]["period"]) == RIGHT_PERIOD and facts[LEVEL]["amount"] == 7318400000
    spezia = facts[new["id"]]
    assert (spezia["kind"], spezia["origin"], str(spezia["period"]), spezia["amount"], spezia["unit"]) == \
        ("level", "la-spezia-province", RIGHT_PERIOD, 1690200000, "EUR")
    result = build(data, tmp_path / "out", jobs=1)
    assert result.report.conforms
    assert result.summary["facts"] == 17


def test_a_change_on_disk_since_opening_is_not_overwritten(desk, draft):
    _data, folder = draft
    annotation = folder / "annotation.yaml"
    level = fact(desk.state(), LEVEL)
    desk.edit({"op": "resolve", "fact": level["index"], "id": LEVEL})
    other = annotation.read_text(encoding="utf-8") + "# a colleague's note\n"
    annotation.write_text(other, encoding="utf-8")
    with pytest.raises(ConflictError) as refused:
        desk.save()
    assert refused.value.http_status == 409 and refused.value.exit_code == 2
    assert annotation.read_text(encoding="utf-8") == other


def test_duplicate_and_delete(desk):
    state = desk.state()
    level = fact(state, LEVEL)
    desk.edit({"op": "duplicate", "fact": level["index"], "id": LEVEL})
    copy = fact(desk.state(), f"{LEVEL}-copy")
    assert copy["index"] == level["index"] + 1 and copy["fields"]["amount"] == "7318400000"
    # the same quote twice is not two facts: the loader's duplicate-figure checks are the analyst's cue
    desk.edit({"op": "delete", "fact": copy["index"], "id": copy["id"]})
    assert [f["id"] for f in desk.state()["facts"]] == [f["id"] for f in state["facts"]]


def test_deleting_duplicating_and_quoting_keep_the_files_layout(draft):
    """Comments and blank lines stay where they were: the comment above a fact stays above it when the fact before
    is deleted or duplicated (ruamel.yaml holds it on that fact's last line); a copy is set apart by a blank line;
    an amount typed as digits is written as the curated file writes it (1690200000, an integer)."""
    _data, folder = draft
    annotation = folder / "annotation.yaml"
    comment = "  # the chamber's own reckoning, not Istat's\n"
    text = annotation.read_text(encoding="utf-8").replace("  - id: own-estimate\n", comment + "  - id: own-estimate\n")
    annotation.write_text(text, encoding="utf-8")
    first = text[text.index("  - id: istat-data\n"):text.index(comment)]  # its lines and the blank line after
    assert first.endswith("su dati Istat\"\n\n")

    desk = Desk(folder)
    desk.edit({"op": "delete", "fact": 0, "id": "istat-data"})
    assert desk.yaml() == text.replace(first, "")

    desk = Desk(folder)
    last = text[text.index("  - id: andrea-parodi-quotation\n"):]
    desk.edit({"op": "duplicate", "fact": len(desk.facts) - 1, "id": "andrea-parodi-quotation"})
    assert desk.yaml() == text + "\n" + last.replace("andrea-parodi-quotation", "andrea-parodi-quotation-copy")

    desk = Desk(folder)
    index = [item["id"] for item in desk.facts].index("own-estimate")
    at = desk.text.index("Lo rileva")
    desk.edit({"op": "evidence", "mode": "append", "fact": index - 1, "id": "istat-data", "start": at, "end": at + 9})
    desk.edit({"op": "set", "fact": index - 1, "id": "istat-data", "field": "elaborated_by", "value": ""})
    genova = [item["id"] for item in desk.facts].index("genova-export-2024-01-to-09")
    desk.edit({"op": "set", "fact": genova, "id": "genova-export-2024-01-to-09", "field": "amount", "value": "4406300000"})
    quoted = text.replace("    elaborated_by: camera-tirreno-ligure\n", "").replace(
        '    evidence: "Lo rileva la Camera di commercio Tirreno Ligure su dati Istat"\n',
        '    evidence:\n      - "Lo rileva la Camera di commercio Tirreno Ligure su dati Istat"\n      - "Lo rileva"\n')
    assert desk.yaml() == quoted  # the comment after the quotes kept, the amount written as it was


def test_an_edit_from_a_page_out_of_date_is_refused(desk):
    with pytest.raises(UsageError, match="out of date"):
        desk.edit({"op": "delete", "fact": 0, "id": "not-this-one"})
    with pytest.raises(UsageError, match="occurs more than once"):
        at = desk.text.index("milioni")  # «7.318,4 mln euro» is the only figure not written so
        desk.edit({"op": "add", "kind": "level", "start": at, "end": at + len("milioni")})


def test_amounts_keep_their_digits(desk):
    level = fact(desk.state(), LEVEL)
    desk.edit({"op": "set", "fact": level["index"], "id": LEVEL, "field": "precision", "value": "100000.0"})
    assert desk.document["facts"][level["index"]]["precision"] == Decimal("100000.0")
    assert "precision: 100000.0\n" in desk.yaml()


# ---------------------------------------------------------------- the server: safe as kg serve is


@pytest.fixture
def client(desk):
    from werkzeug.test import Client

    from kg.views.review_server import ReviewApp

    return Client(ReviewApp(desk))


def test_the_api_answers_the_state_and_takes_edits_as_json(client, desk):
    import json

    state = client.get("/api/state")
    assert state.status_code == 200 and state.mimetype == "application/json"
    level = fact(state.json, LEVEL)
    answer = client.post("/api/edit", json={"op": "resolve", "fact": level["index"], "id": LEVEL})
    assert answer.status_code == 200 and fact(answer.json, LEVEL)["review"] is None and answer.json["saved"] is False
    stale = client.post("/api/edit", json={"op": "delete", "fact": 0, "id": "no-such-fact"})
    assert stale.status_code == 400 and "out of date" in stale.json["error"]
    page = client.get("/")
    assert page.status_code == 200 and b"/review.js" in page.data
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    assert json.loads(client.get("/api/schema").data)["kinds"]["level"][0]["name"] == "id"


def test_a_save_the_loader_refuses_is_a_400_and_a_change_on_disk_a_409(client, draft):
    _data, folder = draft
    level = fact(client.get("/api/state").json, LEVEL)
    client.post("/api/edit", json={"op": "set", "fact": level["index"], "id": LEVEL, "field": "amount", "value": "7,5"})
    refused = client.post("/api/save", json={})
    assert refused.status_code == 400 and "decimal comma" in refused.json["error"]
    client.post("/api/edit", json={"op": "set", "fact": level["index"], "id": LEVEL, "field": "amount", "value": "7318400000"})
    (folder / "annotation.yaml").write_text("# changed\n" + (folder / "annotation.yaml").read_text(encoding="utf-8"),
                                            encoding="utf-8")
    conflict = client.post("/api/save", json={})
    assert conflict.status_code == 409 and "changed on disk" in conflict.json["error"]


@pytest.mark.parametrize("request_, status", [
    ({"path": "/api/state", "headers": {"Host": "evil.example:7880"}}, 403),  # DNS rebinding
    ({"path": "/api/save", "method": "POST", "json": {}, "headers": {"Origin": "http://evil.example"}}, 403),
    ({"path": "/api/save", "method": "POST", "data": {"op": "save"}}, 415),  # a form another page could send
    ({"path": "/api/edit", "method": "POST", "data": b"{" * 10, "content_type": "application/json"}, 400),
    ({"path": "/api/edit", "method": "POST", "data": b" " * (1 << 21), "content_type": "application/json"}, 413),
    ({"path": "/api/state", "method": "POST", "json": {}}, 404),
    ({"path": "/api/save", "method": "GET"}, 405),
    ({"path": "/../annotation.yaml"}, 404),
    ({"path": "/release.txt"}, 404),
    ({"path": "/review.js", "method": "DELETE"}, 405),
])
def test_the_server_refuses_what_it_does_not_serve(client, draft, request_, status):
    _data, folder = draft
    before = (folder / "annotation.yaml").read_bytes()
    answer = client.open(**request_)
    assert answer.status_code == status, answer.data
    assert answer.json["error"].endswith(".")  # one sentence
    assert (folder / "annotation.yaml").read_bytes() == before


def test_it_listens_on_loopback_only(desk):
    from kg.views.review_server import make_server

    server = make_server(desk, 0)
    try:
        assert server.effective_host == "127.0.0.1" and int(server.effective_port) > 0
    finally:
        server.close()


def test_the_command_says_what_is_wrong_in_one_sentence(tmp_path, draft):
    from click.testing import CliRunner

    from kg.cli import cli

    missing = CliRunner().invoke(cli, ["review", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2 and missing.stderr.strip() == f"kg: no such release folder: {tmp_path / 'nowhere'}."
    _data, folder = draft
    alone = tmp_path / "alone" / "x"
    shutil.copytree(folder, alone)
    orphan = CliRunner().invoke(cli, ["review", str(alone)])
    assert orphan.exit_code == 2 and "give the data folder the release belongs to with --data DIR" in orphan.stderr
    assert "Traceback" not in orphan.output


def test_the_readmes_example_runs_on_the_seed(tmp_path, monkeypatch):
    """The README's Python example of `kg review`, run on a copy of the seed's data folder."""
    import re

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### `kg review", 1)[1].split("\n### ", 1)[0]
    [example] = re.findall(r"```python\n(.*?)```", section, re.S)
    shutil.copytree(Path(__file__).resolve().parent.parent / "data", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    scope: dict = {}
    exec(compile(example, "README.md", "exec"), scope)  # the README's own example
    saved = load_yaml(tmp_path / "data" / "releases" / "000_c861f582b8da151e" / "annotation.yaml")
    assert saved["facts"][0]["id"] == scope["state"]["facts"][0]["id"] and "review" not in saved["facts"][0]


def test_evidence_from_a_selection_takes_whole_words_and_quotes_add_up(desk):
    """The quotation of Andrea Parodi quotes two passages of «I cantieri stanno facendo un lavoro straordinario –
    dichiara ... – ma il resto della manifattura ligure ...»."""
    state = desk.state()
    quotation = fact(state, "andrea-parodi-quotation")
    desk.edit({"op": "unquote", "fact": quotation["index"], "id": quotation["id"], "quote": 1})
    assert fact(desk.state(), quotation["id"])["evidence"][0]["quote"] == "I cantieri stanno facendo un lavoro straordinario"
    assert desk.document["facts"][quotation["index"]]["evidence"] == "I cantieri stanno facendo un lavoro straordinario"
    text = desk.text
    at = text.index("resto della manifattura ligure")
    # the selection cuts «resto» and «ligure»: the words are taken whole
    desk.edit({"op": "evidence", "mode": "append", "fact": quotation["index"], "id": quotation["id"],
               "start": at + 2, "end": at + len("resto della manifattura lig")})
    quotes = [q["quote"] for q in fact(desk.state(), quotation["id"])["evidence"]]
    assert quotes == ["I cantieri stanno facendo un lavoro straordinario", "resto della manifattura ligure"]
    assert desk.state()["problems"] == []


def test_a_place_added_to_the_data_folder_is_named_and_saved_with_the_annotation(desk, draft, tmp_path):
    """«La Spezia si è attestata a 1.690,2 milioni»: a figure on a place the folder defines here, the port's
    district, to show that an addition is checked with the annotation and written beside it."""
    from kg.pipeline.corpus import build

    data, _folder = draft
    places_before = (data / "places.yaml").read_text(encoding="utf-8")
    desk.edit({"op": "addition", "section": "places",
               "entry": {"id": "golfo-della-spezia", "kind": "area", "name": "Golfo della Spezia", "name_en": "Gulf of La Spezia",
                         "parent": "la-spezia-province", "aliases": "Golfo dei Poeti"}})
    places = {p["id"]: p for p in desk.choices()["places"]}
    assert places["golfo-della-spezia"]["en"] == "Gulf of La Spezia" and "Golfo dei Poeti" in places["golfo-della-spezia"]["words"]
    genova = fact(desk.state(), "genova-export-2024-01-to-09")
    desk.edit({"op": "set", "fact": genova["index"], "id": genova["id"], "field": "origin", "value": "golfo-della-spezia"})
    assert desk.state()["problems"] == []
    assert (data / "places.yaml").read_text(encoding="utf-8") == places_before  # nothing written before Save
    desk.save()
    written = (data / "places.yaml").read_text(encoding="utf-8")
    import difflib

    changed = [line for line in difflib.ndiff(places_before.splitlines(), written.splitlines()) if line[:2] in ("- ", "+ ")]
    assert changed == ["+   # added by kg review for release 09_genova_nautica", "+   - id: golfo-della-spezia",
                       "+     kind: area", "+     name: Golfo della Spezia", "+     name_en: Gulf of La Spezia",
                       "+     parent: la-spezia-province", "+     aliases: [Golfo dei Poeti]"]  # every other line kept
    assert build(data, tmp_path / "out", jobs=1).report.conforms


def test_an_addition_the_loader_refuses_is_shown_and_not_saved(desk, draft):
    data, folder = draft
    before = (data / "registry.yaml").read_bytes(), (folder / "annotation.yaml").read_bytes()
    desk.edit({"op": "addition", "section": "organizations",
               "entry": {"id": "istat", "name": "Istituto nazionale di statistica", "kind": "government"}})
    [problem] = desk.state()["problems"]
    assert problem["file"] == "registry.yaml" and "duplicate id 'istat'" in problem["message"]
    with pytest.raises(InputError, match="duplicate id 'istat'"):
        desk.save()
    assert ((data / "registry.yaml").read_bytes(), (folder / "annotation.yaml").read_bytes()) == before
    desk.edit({"op": "unadd", "section": "organizations", "id": "istat"})
    assert desk.state()["problems"] == [] and desk.state()["additions"] == []


# ---------------------------------------------------------------- every family draft, brought to its curated annotation

FAMILY_RELEASES = sorted(p.name for p in (FAMILY / "releases").iterdir() if p.is_dir())


def _sent(value):
    """A value as the page sends it (JSON): numbers and dates as text, lists and mappings as such."""
    if isinstance(value, dict):
        return {key: _sent(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_sent(item) for item in value]
    return None if value is None else str(value)


@pytest.mark.parametrize("release_id", FAMILY_RELEASES)
def test_every_family_draft_is_brought_to_its_curated_annotation_by_the_desks_edits(tmp_path, release_id):
    """What the page can do is enough: from `kg extract`'s draft of each family release, the desk's own edits
    (the page's: the draft's facts deleted, each curated fact added from a selection of its first quote, its
    fields set, its other quotes added, the header's fields set) give the curated annotation, fact for fact, as
    the loader reads both."""
    from kg.draft.extract import extract_into
    from kg.model.gazetteer import Gazetteer
    from kg.model.loader import Vocabulary, load_registry, load_release

    data = tmp_path / "data"
    data.mkdir()
    for name in ("registry.yaml", "places.yaml", "sectors.yaml"):
        shutil.copy(FAMILY / name, data / name)
    _draft, folder = extract_into(FAMILY / "releases" / release_id / "release.txt", data, release_id, data)
    desk = Desk(folder)
    curated = load_yaml(FAMILY / "releases" / release_id / "annotation.yaml")
    header = curated["release"]
    for key in list(desk.document["release"]):
        if key not in header:
            desk.edit({"op": "set", "fact": None, "field": key, "value": ""})
    for key, value in header.items():
        desk.edit({"op": "set", "fact": None, "field": key, "value": _sent(value)})
    while len(desk.facts):
        desk.edit({"op": "delete", "fact": 0, "id": desk.document["facts"][0]["id"]})
    for wanted in curated["facts"]:
        quotes = wanted["evidence"] if isinstance(wanted["evidence"], list) else [wanted["evidence"]]
        at = desk.text.index(quotes[0])
        before = {item["id"] for item in desk.facts}
        desk.edit({"op": "add", "kind": wanted["kind"], "start": at, "end": at + len(quotes[0])})
        [index] = [n for n, item in enumerate(desk.facts) if item["id"] not in before]
        ident = desk.facts[index]["id"]
        for key in [k for k in desk.facts[index] if k not in ("id", "kind", "evidence") and k not in wanted]:
            desk.edit({"op": "set", "fact": index, "id": ident, "field": key, "value": ""})  # a prefilled guess, not curated
        for key, value in wanted.items():
            if key not in ("kind", "evidence"):
                desk.edit({"op": "set", "fact": index, "id": ident, "field": key, "value": _sent(value)})
                ident = wanted["id"] if key == "id" else ident
        for quote in quotes[1:]:
            at = desk.text.index(quote)
            desk.edit({"op": "evidence", "mode": "append", "fact": index, "id": ident, "start": at, "end": at + len(quote)})
    desk.save()  # the loader accepts it, or this raises its error
    gazetteer = Gazetteer.load(data)
    registry = load_registry(data, Vocabulary.of(gazetteer))
    made = load_release(folder, registry, data)
    expected = load_release(FAMILY / "releases" / release_id, registry, FAMILY)
    made_facts = {f.id: (f.kind, f.values, f.evidence, f.cell) for f in made.facts}
    expected_facts = {f.id: (f.kind, f.values, f.evidence, f.cell) for f in expected.facts}
    assert made_facts == expected_facts
    assert (made.published, made.publisher, made.author, made.dateline, made.dateline_span) == \
        (expected.published, expected.publisher, expected.author, expected.dateline, expected.dateline_span)


def test_kg_review_serves_the_desk_at_the_address_it_prints(draft):
    """The command as a person runs it: `kg review RELEASE_DIR --port 0` prints where the desk is, and it is there."""
    import re
    import subprocess
    import sys

    import requests

    _data, folder = draft
    process = subprocess.Popen([sys.executable, "-m", "kg.cli", "review", str(folder), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stderr.readline()
        found = re.search(r"at (http://127\.0\.0\.1:\d+/) \(127\.0\.0\.1 only; Ctrl-C to stop\)", line)
        assert found, line
        assert line.startswith(f"reviewing {folder / 'annotation.yaml'} (16 facts)")
        state = requests.get(found.group(1) + "api/state", timeout=60).json()
        assert fact(state, LEVEL)["fields"]["amount"] == "7318400000"
        assert requests.get(found.group(1), timeout=10).text.startswith("<!DOCTYPE html>")
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_drafts_review_comments_above_the_header_are_resolved_one_by_one(tmp_path):
    """`kg extract` of the Genoa text leaves two notes on the whole file: «Cantieri Tigullio di Riva Trigoso» and
    «Cantieri Tigullio», capitalised names it could not place."""
    from kg.draft.extract import extract_into

    data = tmp_path / "data"
    data.mkdir()
    for name in ("registry.yaml", "places.yaml", "sectors.yaml"):
        shutil.copy(FAMILY / name, data / name)
    _draft, folder = extract_into(FAMILY / "releases" / "09_genova_nautica" / "release.txt", data, "09_genova_nautica", data)
    desk = Desk(folder)
    notes = desk.state()["notes"]
    assert notes == ["«Cantieri Tigullio di Riva Trigoso» may be an organisation or a person not in the registry",
                     "«Cantieri Tigullio» may be an organisation or a person not in the registry"]
    with pytest.raises(UsageError, match="out of date"):
        desk.edit({"op": "resolve-note", "note": 0, "text": notes[1]})
    desk.edit({"op": "resolve-note", "note": 0, "text": notes[0]})
    desk.save()
    saved = (folder / "annotation.yaml").read_text(encoding="utf-8")
    assert "# review: «Cantieri Tigullio di Riva Trigoso»" not in saved
    assert saved.startswith("# Draft annotation written by `kg extract`")  # the other comments kept
    assert "# review: «Cantieri Tigullio» may be" in saved
    assert Desk(folder).state()["notes"] == notes[1:]
