"""The corpus build: parts cached by content hash, built in several processes, the store updated in place.

The reference is the all-rdflib path (``conftest.reference_graph``, one graph
built in one process, no cache): every way of building must give its triples.
"""

import shutil

import pytest
from rdflib import Graph

from conftest import DATA, value_triple

RESTATED_RULE = "a figure restated with another value"
SEED = "000_c861f582b8da151e"


def triples_of(path) -> set:
    return set(Graph().parse(path, format="turtle"))


def reference(data_dir) -> set:
    from conftest import reference_graph
    from kg.pipeline.corpus import load_corpus

    return set(reference_graph(load_corpus(data_dir)))


def touch(folder):
    """Change a release's files without changing what they say."""
    with open(folder / "annotation.yaml", "a", encoding="utf-8") as handle:
        handle.write("# touched\n")


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """Twelve synthetic releases (kg synth, seed 7): releases 11 and 12 held back in `later/`."""
    from kg.draft.synth import synthesize

    root = tmp_path_factory.mktemp("corpus")
    synthesize(12, root / "data", seed=7)
    (root / "later").mkdir()
    for name in ("00011_synth", "00012_synth"):
        shutil.move(root / "data" / "releases" / name, root / "later" / name)
    return root


@pytest.fixture
def corpus(synthetic, tmp_path):
    """A writable copy of the ten-release corpus, and where the twelve-release one keeps the other two."""
    shutil.copytree(synthetic / "data", tmp_path / "data")
    return tmp_path / "data", synthetic / "later"


def test_the_corpus_build_has_the_triples_of_the_all_rdflib_graph(corpus, tmp_path):
    from kg.pipeline.corpus import build

    data, _later = corpus
    result = build(data, tmp_path / "out", jobs=2)
    assert result.report.conforms, result.report.text()
    assert result.releases == 10 and result.rebuilt == 10
    built, expected = triples_of(tmp_path / "out" / "graph.ttl"), reference(data)
    assert built == expected, f"missing {len(expected - built)}, extra {len(built - expected)}"
    assert set(result.graph) == expected
    assert result.summary["triples"] == len(expected)


def test_jobs_do_not_change_a_byte(corpus, tmp_path):
    from kg.pipeline.corpus import build

    data, _later = corpus
    one = build(data, tmp_path / "one", jobs=1, cache=False)
    two = build(data, tmp_path / "two", jobs=2, cache=False)
    assert one.output.read_bytes() == two.output.read_bytes()
    assert not (tmp_path / "one" / "cache").exists(), "--no-cache writes no cache"


def test_an_unchanged_corpus_comes_from_the_cache(corpus, tmp_path):
    from kg.pipeline.corpus import build

    data, _later = corpus
    first = build(data, tmp_path / "out")
    before = first.output.read_bytes()
    second = build(data, tmp_path / "out")
    assert (first.rebuilt, second.rebuilt) == (10, 0)
    assert second.output.read_bytes() == before


def test_touching_one_release_rebuilds_that_release_only(corpus, tmp_path):
    from kg.pipeline.corpus import build

    data, _later = corpus
    before = build(data, tmp_path / "out").output.read_bytes()
    touch(data / "releases" / "00004_synth")
    again = build(data, tmp_path / "out")
    assert again.rebuilt == 1
    assert again.output.read_bytes() == before


def test_a_rebuild_takes_what_the_checks_can_match_from_the_cache(corpus, tmp_path, monkeypatch):
    """The predicates the checks across releases and within a release can match are recorded with the context's
    digest: a rebuild of the same context does not work them out again (from the shapes), and its graph is the
    same; a changed registry (another context) works them out again."""
    import json

    import kg.check.shacl
    from kg.pipeline.cache import cache_dir
    from kg.pipeline.corpus import build

    data, _later = corpus
    first = build(data, tmp_path / "out")
    recorded = json.loads((cache_dir(tmp_path / "out") / "queries.json").read_text())["sets"]
    assert set(recorded) == {"corpus", "release"}
    assert "https://example.org/kg/ontology#tradeValue" in recorded["corpus"]["predicates"]
    assert recorded["corpus"]["context"] == recorded["release"]["context"]

    def refused(*_args, **_kwargs):
        raise AssertionError("the checks' predicates were worked out again")

    monkeypatch.setattr(kg.check.shacl, "check_predicates", refused)
    touch(data / "releases" / "00004_synth")
    again = build(data, tmp_path / "out")
    assert again.output.read_bytes() == first.output.read_bytes()
    with open(data / "registry.yaml", "a", encoding="utf-8") as handle:
        handle.write("# another context\n")
    with pytest.raises(AssertionError, match="worked out again"):
        build(data, tmp_path / "out")


def test_a_changed_registry_rebuilds_every_release(corpus, tmp_path):
    from kg.pipeline.corpus import build

    data, _later = corpus
    build(data, tmp_path / "out")
    with open(data / "registry.yaml", "a", encoding="utf-8") as handle:
        handle.write("# touched\n")
    assert build(data, tmp_path / "out").rebuilt == 10


def test_added_and_removed_releases_change_the_graph_and_the_cache(corpus, tmp_path):
    from kg.pipeline.corpus import build

    data, later = corpus
    out = tmp_path / "out"
    build(data, out)
    shutil.copytree(later / "00011_synth", data / "releases" / "00011_synth")
    shutil.rmtree(data / "releases" / "00002_synth")
    result = build(data, out)
    assert (result.releases, result.rebuilt) == (10, 1)
    assert triples_of(out / "graph.ttl") == reference(data)
    assert sorted(p.stem for p in (out / "cache" / "releases").glob("*.part")) == sorted(
        p.name for p in (data / "releases").iterdir())


def test_a_corrupt_cache_entry_is_rebuilt(corpus, tmp_path):
    from kg.pipeline.corpus import build

    data, _later = corpus
    out = tmp_path / "out"
    before = build(data, out).output.read_bytes()
    (out / "cache" / "releases" / "00003_synth.part").write_text('{"format": 1, "id": "00003_synth", "key": ')
    (out / "cache" / "releases" / "00005_synth.part").write_text("[]")
    again = build(data, out)
    assert again.rebuilt == 2 and again.report.conforms
    assert again.output.read_bytes() == before


def test_case_44_an_edited_cache_entry_with_its_key_kept_is_rebuilt(corpus, tmp_path):
    """An entry's lines edited to inject a triple, its key kept: its digest (kept in
    OUT/cache/digests.json, apart from the entries) no longer matches, so the release is built
    again, and graph.ttl is a clean build's, byte for byte."""
    from click.testing import CliRunner

    from kg.cli import cli
    from kg.pipeline.cache import decode_entry, encode_entry

    data, _later = corpus
    out = tmp_path / "out"
    args = ["build", "--data", str(data), "--out", str(out), "--store", "memory"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    entry_file = out / "cache" / "releases" / "00003_synth.part"
    entry = decode_entry(entry_file.read_bytes())
    injected = '<https://example.org/kg/id/org/socar> <http://www.w3.org/2000/01/rdf-schema#label> "injected" .'
    entry["lines"] = sorted([*entry["lines"], injected])
    entry_file.write_bytes(encode_entry(entry))
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 0, again.output
    assert again.stdout.startswith("releases: 10 (1 built, 9 cached)"), again.stdout
    clean = CliRunner().invoke(cli, ["build", "--data", str(data), "--out", str(tmp_path / "clean"), "--store", "memory",
                                     "--no-cache"])
    assert clean.exit_code == 0
    assert (out / "graph.ttl").read_bytes() == (tmp_path / "clean" / "graph.ttl").read_bytes()
    assert b"injected" not in (out / "graph.ttl").read_bytes()
    assert injected not in entry_file.read_text(encoding="utf-8"), "the entry was written again"


def test_case_44_entries_without_recorded_digests_are_not_used(corpus, tmp_path):
    """Entries with the right keys are no entries until a build that ran to its end lists their digests."""
    from kg.pipeline.corpus import build

    data, _later = corpus
    out = tmp_path / "out"
    build(data, out)
    (out / "cache" / "digests.json").unlink()
    assert build(data, out).rebuilt == 10, "no digests: every release is built again"
    assert build(data, out).rebuilt == 0


def test_progress_counts_every_release(corpus, tmp_path):
    from kg.pipeline.corpus import build

    data, _later = corpus
    calls = []
    build(data, tmp_path / "out", jobs=2, progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, 10) and calls[-1] == (10, 10)
    assert [done for done, _total in calls] == sorted(done for done, _total in calls)
    calls.clear()
    build(data, tmp_path / "out", progress=lambda done, total: calls.append((done, total)))
    assert calls == [(10, 10)], "all from the cache"
    calls.clear()
    touch(data / "releases" / "00004_synth")
    build(data, tmp_path / "out", progress=lambda done, total: calls.append((done, total)))
    assert calls == [(9, 10), (10, 10)], "the cached ones, then the one built"


def test_the_cache_records_the_key_of_each_entry_and_a_rebuild_builds_aside(corpus, tmp_path):
    """digests.json records the key each entry was built from, so a build knows which releases to build
    before it reads any entry; the one touched is built by a worker (its part finished in another
    process) while the build reads the other nine."""
    import json
    import os

    from kg.pipeline import corpus as pipeline
    from kg.pipeline.cache import decode_entry
    from kg.pipeline.parts import context_of, release_key

    data, _later = corpus
    out = tmp_path / "out"
    pipeline.build(data, out)
    recorded = json.loads((out / "cache" / "digests.json").read_text(encoding="utf-8"))["keys"]
    context = context_of(data)
    folders = sorted((data / "releases").iterdir())
    assert recorded == {folder.name: release_key(context, folder) for folder in folders}
    for folder in folders:
        entry = decode_entry((out / "cache" / "releases" / f"{folder.name}.part").read_bytes())
        assert entry["key"] == recorded[folder.name]

    where = []
    built = pipeline.build_parts_in(context, [(folders[3], "k")], 2, finish_part=lambda part: where.append(os.getpid()),
                                    aside=True)
    try:
        assert [part.id for part in built] == [folders[3].name]
    finally:
        built.close()
    assert where == [], "finished in the worker, not here"
    here = pipeline.build_parts_in(context, [(folders[3], "k")], 2, finish_part=lambda part: where.append(os.getpid()))
    assert [part.id for part in here] == [folders[3].name] and where == [os.getpid()], "without aside: built here"


# ---------------------------------------------------------------- the store, in place or afresh


def store_triples(out) -> set:
    from kg.stores.embedded import open_store

    graph = open_store(out)
    try:
        return {value_triple(t) for t in graph}
    finally:
        graph.close()


def test_the_store_updated_in_place_equals_a_fresh_store(corpus, tmp_path):
    from kg.pipeline.corpus import build

    data, later = corpus
    out = tmp_path / "out"
    assert build(data, out, store="oxigraph").store_update == "reloaded"
    shutil.copytree(later / "00012_synth", data / "releases" / "00012_synth")  # added
    shutil.rmtree(data / "releases" / "00007_synth")  # removed
    touch(data / "releases" / "00001_synth")  # changed files, same content
    result = build(data, out, store="oxigraph")
    assert result.store_update == "in place" and result.rebuilt == 2
    fresh = build(data, tmp_path / "fresh", store="oxigraph", cache=False)
    assert fresh.store_update == "reloaded"
    expected = reference(data)
    assert triples_of(out / "graph.ttl") == expected
    values = {value_triple(t) for t in expected}
    assert store_triples(out) == values
    assert store_triples(tmp_path / "fresh") == values


def test_without_a_manifest_the_store_is_loaded_afresh(corpus, tmp_path):
    from kg.pipeline.corpus import build

    data, _later = corpus
    out = tmp_path / "out"
    build(data, out, store="oxigraph")
    touch(data / "releases" / "00001_synth")
    (out / "cache" / "store.json").unlink()
    assert build(data, out, store="oxigraph").store_update == "reloaded"
    assert store_triples(out) == {value_triple(t) for t in reference(data)}


# ---------------------------------------------------------------- findings survive the cache


def restate(data, amount_words: str, amount: str):
    """A second release: the seed, restating Marche's 2024 exports to Azerbaijan as ``amount_words``."""
    folder = data / "releases" / "001_restated"
    shutil.copytree(data / "releases" / SEED, folder)
    text = (folder / "release.txt").read_text(encoding="utf-8")
    assert text.count("7,5 milioni") == 1
    (folder / "release.txt").write_text(text.replace("7,5 milioni", amount_words), encoding="utf-8")
    annotation = (folder / "annotation.yaml").read_text(encoding="utf-8")
    annotation = annotation.replace(f"id: {SEED}", "id: 001_restated").replace("7,5 milioni", amount_words)
    (folder / "annotation.yaml").write_text(annotation.replace("amount: 7500000\n", f"amount: {amount}\n", 1), encoding="utf-8")
    return folder


def test_a_conflict_between_two_releases_is_found_on_every_build(data_copy, tmp_path):
    """The seed says Marche exported 7.5 million euro to Azerbaijan in 2024; a second release saying
    9.5 million for the same cell (year, places, flow) restates it with another value, and the build
    warns of it whichever of them comes from the cache."""
    from kg.pipeline.corpus import build

    out = tmp_path / "out"
    first = build(data_copy, out).report
    assert first.conforms and not first.findings
    restated = restate(data_copy, "9,5 milioni", "9500000")
    for expected_rebuilt in (1, 0):
        result = build(data_copy, out)
        assert result.rebuilt == expected_rebuilt
        conflicts = [f for f in result.report.findings if f.rule == RESTATED_RULE
                     and f.node.endswith("/release/001_restated/fact/marche-azerbaijan-2024")]
        assert len(conflicts) == 1, result.report.text()
        assert conflicts[0].severity == "Warning"
        assert "9500000 here" in conflicts[0].message and "gives 7500000" in conflicts[0].message
        # the sentence of the restating release, read from its text (the checks' store holds no texts)
        assert "ha raggiunto i 9,5 milioni di euro" in (conflicts[0].sentence or ""), conflicts[0]
    shutil.rmtree(restated)
    last = build(data_copy, out).report
    assert last.conforms and not last.findings


def test_a_cache_entry_lists_the_lines_the_checks_across_releases_read(data_copy, tmp_path):
    """A part's entry lists which of its lines the checks across releases can match (the seed's 7.5 million
    among them, not its text): a part from the cache feeds the checks those lines without looking through
    all of them. Listed for other predicates (another version of the checks), the lines are looked through
    again, and the conflict with a second release is still found."""
    import json

    from kg.pipeline.cache import decode_entry, digest_of, encode_entry
    from kg.pipeline.corpus import build

    out = tmp_path / "out"
    restate(data_copy, "9,5 milioni", "9500000")
    assert build(data_copy, out).rebuilt == 2
    entry_file = out / "cache" / "releases" / f"{SEED}.part"
    entry = decode_entry(entry_file.read_bytes())
    listed = [entry["lines"][i] for i in entry["wanted"]]
    assert any("/fact/marche-azerbaijan-2024> <https://example.org/kg/ontology#tradeValue> \"7500000.0\"" in line
               for line in listed), listed
    assert not any("#rdf-syntax-ns#value>" in line for line in listed), "the release text is not checked across releases"
    assert len(listed) < len(entry["lines"])
    # the lists of both entries made for other predicates, saying no line is wanted; their digests recorded
    digests_file = out / "cache" / "digests.json"
    digests = json.loads(digests_file.read_text(encoding="utf-8"))
    for release in (SEED, "001_restated"):
        path = out / "cache" / "releases" / f"{release}.part"
        entry = decode_entry(path.read_bytes())
        entry["wanted"], entry["wantedFor"] = [], "other predicates"
        data = encode_entry(entry)
        path.write_bytes(data)
        digests["files"][f"releases/{release}.part"] = digest_of(data)
    digests_file.write_text(json.dumps(digests), encoding="utf-8")
    result = build(data_copy, out)
    assert result.rebuilt == 0
    conflicts = [f for f in result.report.findings if f.rule == RESTATED_RULE]
    assert len(conflicts) == 1 and "9500000 here" in conflicts[0].message, result.report.text()


def test_a_finding_within_a_release_is_kept_in_the_cache(data_copy, tmp_path):
    """A stricter shapes file (meetings may not list topics) fails the seed's meeting: the finding is
    stored with the release's part and reported again when the part comes from the cache."""
    from kg.pipeline.corpus import build

    ontology = tmp_path / "ontology"
    shutil.copytree(DATA.parent / "ontology", ontology)
    with open(ontology / "shapes.ttl", "a", encoding="utf-8") as handle:
        handle.write("\nkgs:NoTopics a sh:NodeShape ; sh:targetClass kgo:Meeting ; rdfs:label \"meeting without topics\" ;\n"
                     "    sh:property [ sh:path schema:about ; sh:name \"topics\" ; sh:maxCount 0 ] .\n")
    out = tmp_path / "out"
    for expected_rebuilt in (1, 0):
        result = build(data_copy, out, ontology=ontology)
        assert result.rebuilt == expected_rebuilt
        assert [f.rule for f in result.report.findings] == ["meeting without topics must have a valid topics"]
        assert result.report.findings[0].label == "Meeting of Confindustria Ancona and Rashad Aslanov, 2026-02-17"
    assert build(data_copy, out).rebuilt == 1, "other shapes, another key"


def test_a_check_within_a_release_runs_with_its_part_and_its_finding_is_kept_in_the_cache(data_copy, tmp_path):
    """The seed's sector statement "pesa quasi per intero" is hedged 'about'; without its hedge words
    (kgo:hedgeText) kgs:HedgeKeepsItsWords, a check within a release, fails it. It runs with the part,
    not in the store of the checks across releases, and is reported again from the cache."""
    from kg.pipeline.corpus import build

    annotation = data_copy / "releases" / "000_c861f582b8da151e" / "annotation.yaml"
    text = annotation.read_text(encoding="utf-8")
    assert '    hedge_words: "quasi per intero"\n' in text
    annotation.write_text(text.replace('    hedge_words: "quasi per intero"\n', ""), encoding="utf-8")
    out = tmp_path / "out"
    for expected_rebuilt in (1, 0):
        result = build(data_copy, out)
        assert result.rebuilt == expected_rebuilt
        assert [(f.rule, f.node.rsplit("/", 1)[-1]) for f in result.report.violations] == [
            ("a hedge keeps its words", "marche-azerbaijan-manufacturing")]
        assert "Il manifatturiero pesa quasi per intero" in result.report.violations[0].sentence


# ---------------------------------------------------------------- the command


def test_build_counts_built_and_cached_releases(corpus, tmp_path):
    from click.testing import CliRunner

    from kg.cli import cli

    data, _later = corpus
    args = ["build", "--data", str(data), "--out", str(tmp_path / "out"), "--jobs", "2"]
    first, second = CliRunner().invoke(cli, args), CliRunner().invoke(cli, args)
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert first.stdout.startswith("releases: 10 (10 built, 0 cached)")
    assert second.stdout.startswith("releases: 10 (0 built, 10 cached)")
    assert first.stderr == "", "no progress bar when stderr is not a terminal"
    third = CliRunner().invoke(cli, [*args, "--no-cache"])
    assert third.stdout.startswith("releases: 10 (10 built, 0 cached)")


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_number(jobs, tmp_path):
    from click.testing import CliRunner

    from kg.cli import cli

    result = CliRunner().invoke(cli, ["build", "--out", str(tmp_path / "out"), "--jobs", jobs])
    assert result.exit_code == 2 and "--jobs" in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_a_terminal_gets_a_progress_bar(corpus, tmp_path):
    import os
    import pty
    import subprocess
    import sys

    data, _later = corpus
    leader, follower = pty.openpty()
    process = subprocess.run(
        [sys.executable, "-m", "kg.cli", "build", "--data", str(data), "--out", str(tmp_path / "out")],
        stdout=subprocess.PIPE, stderr=follower, timeout=120,
    )
    os.close(follower)
    drawn = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        drawn += chunk
    os.close(leader)
    assert process.returncode == 0
    assert b"releases" in drawn and b"10/10" in drawn, drawn
    assert process.stdout.startswith(b"releases: 10 (10 built, 0 cached)")


def test_a_bad_release_built_in_a_worker_is_reported_in_one_sentence(corpus, tmp_path):
    """An amount its evidence does not state, in one release of ten built by two processes: the same
    sentence (file, line, field) as in one process, exit 2, and nothing written."""
    from click.testing import CliRunner

    from kg.cli import cli

    data, _later = corpus
    annotation = data / "releases" / "00006_synth" / "annotation.yaml"
    lines = annotation.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.strip().startswith("amount:"))
    lines[index] = lines[index].split("amount:")[0] + "amount: 123456789"
    annotation.write_text("\n".join(lines), encoding="utf-8")
    outputs = []
    for jobs in ("1", "2"):
        result = CliRunner().invoke(cli, ["build", "--data", str(data), "--out", str(tmp_path / jobs), "--jobs", jobs])
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
        assert not (tmp_path / jobs / "graph.ttl").exists()
        outputs.append(result.stderr)
    assert outputs[0] == outputs[1]
    assert f"00006_synth/annotation.yaml, line {index + 1}, field" in outputs[0], outputs[0]


def test_a_failed_update_in_place_means_a_fresh_load_next_time(corpus, tmp_path, monkeypatch):
    import kg.stores.embedded
    from kg.pipeline.corpus import build

    data, _later = corpus
    out = tmp_path / "out"
    build(data, out, store="oxigraph")
    touch(data / "releases" / "00002_synth")

    def fail(*args):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(kg.stores.embedded, "update_store", fail)
        with pytest.raises(OSError):
            build(data, out, store="oxigraph")
    assert not (out / "cache" / "store.json").exists(), "the store's content is unknown now"
    again = build(data, out, store="oxigraph")
    assert again.store_update == "reloaded"
    assert store_triples(out) == {value_triple(t) for t in reference(data)}


def test_the_store_path_writes_the_same_turtle_as_the_memory_path(corpus, tmp_path):
    from kg.pipeline.corpus import build

    data, _later = corpus
    memory = build(data, tmp_path / "memory")
    stored = build(data, tmp_path / "stored", store="oxigraph", jobs=1)
    assert memory.store_update is None and stored.store_update == "reloaded"
    assert memory.output.read_bytes() == stored.output.read_bytes()


def test_a_finding_about_the_context_is_reported_and_kept_in_the_cache(data_copy, tmp_path):
    """A data folder's country without an ISO code, named by the registry: the per-class shapes find it in
    the context (the ontology and the registry with the places it names, checked once, apart from the
    releases), on the first build and again when it comes from the cache; the graph is not written."""
    from kg.pipeline.corpus import build

    with open(data_copy / "places.yaml", "a", encoding="utf-8") as handle:
        handle.write("  - id: atlantis\n    kind: country\n    name: Atlantide\n    name_en: Atlantis\n")
    registry = (data_copy / "registry.yaml").read_text(encoding="utf-8")
    (data_copy / "registry.yaml").write_text(registry.replace("country: italy", "country: atlantis", 1), encoding="utf-8")
    out = tmp_path / "out"
    for expected_rebuilt in (1, 0):
        result = build(data_copy, out)
        assert result.rebuilt == expected_rebuilt
        assert [(f.rule, f.label) for f in result.report.findings] == [("country must have a valid ISO 3166-1 codes", "Atlantis")]
        assert not (out / "graph.ttl").exists()


def test_a_restating_release_moves_the_current_figure_in_the_store_updated_in_place(data_copy, tmp_path):
    """The seed says Marche exported 7.5 million euro to Azerbaijan in 2024. A second release of the same
    day, with a later id, says 9.5 million: its figure becomes the current one (kgo:CurrentFigure), in the
    store updated in place as in a fresh one; without it, the seed's figure is current again."""
    from kg.pipeline.corpus import build
    from kg.query.engine import OnDisk, run_sparql
    from kg.stores.embedded import store_path

    def current_amounts(out) -> list[str]:
        answer = run_sparql(OnDisk(store_path(out)), """
            PREFIX kgo: <https://example.org/kg/ontology#>
            SELECT ?amount ?release WHERE {
              ?f a kgo:CurrentFigure ; kgo:factId "marche-azerbaijan-2024" ; kgo:tradeValue ?amount ;
                 kgo:statedIn/<http://schema.org/identifier> ?release .
            }""")
        from kg.query.results import rows

        return [" ".join(row) for row in rows(answer)[1]]

    out = tmp_path / "out"
    assert build(data_copy, out, store="oxigraph").store_update == "reloaded"
    assert current_amounts(out) == [f"7500000 {SEED}"]
    restated = restate(data_copy, "9,5 milioni", "9500000")
    assert build(data_copy, out, store="oxigraph").store_update == "in place"
    assert current_amounts(out) == ["9500000 001_restated"]
    shutil.rmtree(restated)
    assert build(data_copy, out, store="oxigraph").store_update == "in place"
    assert current_amounts(out) == [f"7500000 {SEED}"]


def test_the_checks_are_fed_only_the_type_triples_of_the_classes_they_name():
    """A check's `?x a kgo:Cell` needs the type triples of kgo:Cell only, not the 67,000 type triples of a
    1,000-release corpus; a variable class, or rdf:type in a path, needs them all."""
    from kg.check.guard import RDF_TYPE, predicates_of, typed
    from kg.pipeline.checker import wanted_lines

    assert predicates_of("SELECT ?x WHERE { ?x a <urn:C> ; <urn:p> ?v }") == {typed("urn:C"), "urn:p"}
    assert predicates_of("SELECT ?x WHERE { ?x <urn:p> ?v FILTER EXISTS { ?x a <urn:D> } }") == {"urn:p", typed("urn:D")}
    assert predicates_of("SELECT ?x WHERE { ?x a ?class }") == {RDF_TYPE}
    assert predicates_of("SELECT ?x WHERE { ?x a/<urn:sub>* <urn:C> }") == {RDF_TYPE, "urn:sub"}
    lines = [b'<urn:a> <urn:p> "1" .', f"<urn:a> <{RDF_TYPE}> <urn:C> .".encode(), f"<urn:b> <{RDF_TYPE}> <urn:D> .".encode(),
             b"<urn:b> <urn:q> <urn:C> ."]
    assert wanted_lines(lines, {"urn:p", typed("urn:C")}) == lines[:2]
    assert wanted_lines(lines, {"urn:p", RDF_TYPE}) == lines[:3]
    assert wanted_lines(lines, {"urn:q"}) == lines[3:]
