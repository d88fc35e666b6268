"""The family test corpus: releases written by the team (tests/family/releases/NN_slug/release.txt) and
the ground truth a person reads off each of them (truth.yaml, schema in tests/family/README.md).

These tests hold the corpus to what it claims: every evidence is in its text, every stated
number reads as the value recorded, the documented schema is followed, the figures agree with
each other (or are marked as the deliberate contradictions or revisions they are), and every
construction listed in tests/family/COVERAGE.md is used by the fragment the table names.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
import yaml

from family_files import FAMILY, RELEASES_DIR, text, truth

FOLDER = re.compile(r"^\d\d_[a-z0-9_]+$")
RELEASES = sorted(p.name for p in RELEASES_DIR.iterdir() if p.is_dir() and FOLDER.match(p.name))

KINDS = {
    "level": {"EUR", "USD"},
    "projection": {"EUR", "USD"},
    "change_percent": {"percent"},
    "change_amount": {"EUR", "USD"},
    "change_multiple": {"factor"},
    "change_points": {"points"},
    "share": {"percent"},
    "rank": {"position"},
    "ratio": {"EUR", "USD", "percent", "factor"},
}
CHANGES = {"change_percent", "change_amount", "change_multiple", "change_points"}
HEDGES = {"none", "about", "more_than", "less_than", "almost", "at_least", "at_most", "up_to"}
FLOWS = {"export", "import", "turnover", "balance"}
PLACE_KINDS = {"world", "continent", "country", "region", "province", "group", "plant", "company"}
BASES = {"stated", "carried", "implied", "derived"}
MARKS = {"guillemets": ("«", "»"), "straight": ('"', '"'), "curly": ("“", "”")}
CHECK_FIELDS = {
    "part_within_whole": {"part", "whole"},
    "sum_within_whole": {"parts", "whole"},
    "sum_of_parts": {"parts", "whole"},
    "share_of_levels": {"share", "part", "whole"},
    "balance_of_levels": {"balance", "export", "import"},
    "turnover_of_levels": {"turnover", "export", "import"},
    "change_of_levels": {"change", "current", "reference"},
    "ratio_of_ratios": {"ratio", "numerator", "denominator"},
}
OF_FIELDS = {  # kind: (required, optional)
    "share": ({"whole"}, {"whole_figure"}),
    "rank": ({"among", "by"}, set()),
    "ratio": ({"denominator"}, {"denominator_figure"}),
    "change_points": ({"what"}, set()),
}
FIGURE_REQUIRED = {"id", "evidence", "stated", "kind", "value", "unit", "hedge", "precision", "flow", "origin", "destination",
                   "period", "sector", "scope", "source"}
FIGURE_OPTIONAL = {"offset", "scale", "scale_evidence", "hedge_evidence", "reference_period", "of", "in_quotation", "status",
                   "restates", "note"}
RELEASE_REQUIRED = {"id", "headline", "publisher", "publisher_evidence", "published", "published_basis", "published_evidence",
                    "dateline", "language", "data_source", "contradiction"}
DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")
_PART = r"\d{4}(?:-(?:Q[1-4]|H[12]|0[1-9]|1[0-2]))?"
PERIOD = re.compile(rf"^{_PART}(?:/{_PART})?$")


def figures(release: str) -> dict[str, dict]:
    return {f["id"]: f for f in truth(release)["figures"]}


def resolve(release: str, ref: str) -> tuple[str, dict]:
    """A figure named ``fNN`` (this release) or ``NN_slug#fNN`` (another release)."""
    other, _, fid = ref.rpartition("#")
    other = other or release
    return f"{other}#{fid}", figures(other)[fid]


# --- the numbers as written ----------------------------------------------------------------------

MULTIPLIERS = {"mila": 10**3, "milione": 10**6, "milioni": 10**6, "mln": 10**6, "miliardo": 10**9, "miliardi": 10**9,
               "mld": 10**9, "milardi": 10**9}  # "milardi": a typo the family's texts contain, read as miliardi
NUMBER_WORDS = {"un": 1, "uno": 1, "una": 1, "due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sei": 6, "sette": 7, "otto": 8,
                "nove": 9, "dieci": 10}
ORDINALS = {"prim": 1, "second": 2, "terz": 3, "quart": 4, "quint": 5, "sest": 6, "settim": 7, "ottav": 8, "non": 9,
            "decim": 10, "undicesim": 11, "dodicesim": 12, "tredicesim": 13, "quattordicesim": 14, "quindicesim": 15,
            "sedicesim": 16, "diciassettesim": 17, "diciottesim": 18, "diciannovesim": 19, "ventesim": 20}
WORDS = [  # (pattern, value, precision, unit class)
    (r"(?:il )?doppio", "2", "1", "factor"),
    (r"raddoppiat[oaie]", "2", "1", "factor"),
    (r"triplicat[oaie]", "3", "1", "factor"),
    (r"quadruplicat[oaie]", "4", "1", "factor"),
    (r"quintuplicat[oaie]", "5", "1", "factor"),
    (r"dimezzat[oaie]", "0.5", "0.5", "factor"),
    (r"metà", "50", "1", "percent"),
    (r"un quarto", "25", "1", "percent"),
]
NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
UNIT_CLASS = {"%": "percent", "per cento": "percent", "punti": "points", "volte": "factor", "euro": "money", "": "money",
              **dict.fromkeys(MULTIPLIERS, "money")}
UNITS_OF_CLASS = {"percent": {"percent"}, "points": {"points"}, "factor": {"factor"}, "position": {"position"},
                  "money": {"EUR", "USD"}}


def _number(written: str) -> tuple[Decimal, Decimal]:
    if written in NUMBER_WORDS:
        return Decimal(NUMBER_WORDS[written]), Decimal(1)
    whole, _, decimals = written.replace(".", "").partition(",")
    value = Decimal(f"{whole}.{decimals}" if decimals else whole)
    return value, Decimal(1).scaleb(-len(decimals))


def read_stated(stated: str) -> tuple[Decimal, str | None, Decimal, str]:
    """Magnitude, sign ('+', '-' or None), precision and unit class of a number as the text writes it."""
    s = stated.strip()
    for pattern, value, precision, unit in WORDS:
        if re.fullmatch(pattern, s, re.IGNORECASE):
            return Decimal(value), None, Decimal(precision), unit
    if m := re.fullmatch(r"(\d+)°", s):
        return Decimal(m.group(1)), None, Decimal(1), "position"
    for stem, position in ORDINALS.items():
        if re.fullmatch(rf"{stem}[oa]", s, re.IGNORECASE):
            return Decimal(position), None, Decimal(1), "position"
    words = "|".join(NUMBER_WORDS)
    if m := re.fullmatch(rf"({NUMBER}|{words}) miliardi e ({NUMBER}) milioni", s):
        billions, _ = _number(m.group(1))
        millions, precision = _number(m.group(2))
        return billions * 10**9 + millions * 10**6, None, precision * 10**6, "money"
    units = "|".join(sorted(UNIT_CLASS, key=len, reverse=True)[:-1])
    m = re.fullmatch(rf"([+\-−])?\s*({NUMBER}|{words})\s*(?:({units})(?: e mezzo)?)?", s)
    assert m, f"cannot read the stated number {stated!r}"
    sign, written, unit = m.group(1), m.group(2), m.group(3) or ""
    value, precision = _number(written)
    if s.endswith("volte e mezzo"):
        value, precision = value + Decimal("0.5"), Decimal("0.5")
    scale = MULTIPLIERS.get(unit, 1)
    return value * scale, {"−": "-"}.get(sign or "", sign), precision * scale, UNIT_CLASS[unit]


# --- intervals a figure allows, for the checks ---------------------------------------------------


def interval(fig: dict) -> tuple[float, float]:
    """The values a figure allows, given its stated precision (half a unit of the last digit) and hedge."""
    value = float(fig["value"])
    half = float(fig["precision"]) / 2
    m = abs(value)
    lo, hi = {
        "none": (m - half, m + half),
        "about": (m * 0.9 - half, m * 1.1 + half),
        "almost": (m * 0.9 - half, m + half),
        "more_than": (m - half, math.inf),
        "at_least": (m - half, math.inf),
        "less_than": (0.0, m + half),
        "at_most": (0.0, m + half),
        "up_to": (0.0, m + half),
    }[fig["hedge"]]
    return (-hi, -lo) if value < 0 else (lo, hi)


def overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def holds(release: str, check: dict) -> bool:
    def get(name: str) -> dict:
        return resolve(release, check[name])[1]

    def iv(name: str) -> tuple[float, float]:
        return interval(get(name))

    kind = check["kind"]
    if kind == "part_within_whole":
        return iv("part")[0] <= iv("whole")[1]
    if kind in ("sum_within_whole", "sum_of_parts"):
        parts = [interval(resolve(release, ref)[1]) for ref in check["parts"]]
        total = (sum(p[0] for p in parts), sum(p[1] for p in parts))
        return total[0] <= iv("whole")[1] if kind == "sum_within_whole" else overlap(total, iv("whole"))
    if kind == "share_of_levels":
        part, whole = iv("part"), iv("whole")
        return overlap(iv("share"), (part[0] / whole[1] * 100, part[1] / whole[0] * 100))
    if kind == "balance_of_levels":
        e, i = iv("export"), iv("import")
        return overlap(iv("balance"), (e[0] - i[1], e[1] - i[0]))
    if kind == "turnover_of_levels":
        e, i = iv("export"), iv("import")
        return overlap(iv("turnover"), (e[0] + i[0], e[1] + i[1]))
    if kind == "change_of_levels":
        c, r = iv("current"), iv("reference")
        return overlap(iv("change"), ((c[0] / r[1] - 1) * 100, (c[1] / r[0] - 1) * 100))
    if kind == "ratio_of_ratios":
        n, d = iv("numerator"), iv("denominator")
        return overlap(iv("ratio"), (n[0] / d[1], n[1] / d[0]))
    raise AssertionError(f"unknown check {kind!r}")


# --- the corpus ----------------------------------------------------------------------------------


def test_the_corpus_has_at_least_sixteen_releases_each_with_a_text_and_its_truth():
    assert len(RELEASES) >= 16, RELEASES
    for release in RELEASES:
        assert {p.name for p in (RELEASES_DIR / release).iterdir()} == {"release.txt", "truth.yaml", "annotation.yaml"}, release
        assert truth(release)["release"]["id"] == release


@pytest.mark.parametrize("release", RELEASES)
def test_release_text_is_a_release_of_150_to_600_words_with_a_headline(release):
    body = text(release)
    assert 150 <= len(body.split()) <= 600, (release, len(body.split()))
    assert body.splitlines()[0] == truth(release)["release"]["headline"]
    assert "\ufffd" not in body and "\r" not in body


def _problems_place(where: str, place) -> list[str]:
    if not isinstance(place, dict) or not {"name", "kind"} <= set(place) <= {"name", "kind", "stated_as"}:
        return [f"{where}: a place is {{name, kind[, stated_as]}}"]
    problems = [] if place["kind"] in PLACE_KINDS else [f"{where}: place kind {place['kind']!r}"]
    if not isinstance(place["name"], str) or not place["name"]:
        problems.append(f"{where}: place name")
    return problems


def _problems_period(where: str, period) -> list[str]:
    if not isinstance(period, dict) or not {"value", "basis"} <= set(period) <= {"value", "basis", "evidence"}:
        return [f"{where}: a period is {{value, basis[, evidence]}}"]
    problems = []
    if not isinstance(period["value"], str) or not PERIOD.match(period["value"]):
        problems.append(f"{where}: period value {period['value']!r}")
    if period["basis"] not in BASES:
        problems.append(f"{where}: period basis {period['basis']!r}")
    return problems


def schema_problems(release: str) -> list[str]:
    doc = truth(release)
    problems = []
    if set(doc) != {"release", "figures", "quotations", "posts", "checks"}:
        problems.append(f"top-level keys {sorted(doc)}")
    meta = doc["release"]
    missing = RELEASE_REQUIRED - set(meta)
    extra = set(meta) - RELEASE_REQUIRED - {"contradiction_note"}
    if missing or extra:
        problems.append(f"release: missing {sorted(missing)}, unknown {sorted(extra)}")
    if not isinstance(meta.get("published"), str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta["published"]):
        problems.append("release.published: a date string YYYY-MM-DD")
    else:
        date.fromisoformat(meta["published"])
    if meta.get("language") != "it":
        problems.append("release.language")
    if not isinstance(meta.get("contradiction"), bool) or bool(meta.get("contradiction")) != ("contradiction_note" in meta):
        problems.append("release.contradiction: a boolean, with contradiction_note when true")
    if meta.get("dateline") is not None and set(meta["dateline"]) != {"place", "evidence"}:
        problems.append("release.dateline: {place, evidence} or null")
    if meta.get("data_source") is not None and set(meta["data_source"]) != {"name", "elaborated_by", "evidence"}:
        problems.append("release.data_source: {name, elaborated_by, evidence} or null")
    quotation_ids = {q["id"] for q in doc["quotations"]}
    ids = [f["id"] for f in doc["figures"]]
    if len(ids) != len(set(ids)) or not all(re.fullmatch(r"f\d\d", i) for i in ids):
        problems.append(f"figure ids must be unique fNN: {ids}")
    for fig in doc["figures"]:
        where = f"figure {fig.get('id')}"
        missing = FIGURE_REQUIRED - set(fig)
        extra = set(fig) - FIGURE_REQUIRED - FIGURE_OPTIONAL
        if missing or extra:
            problems.append(f"{where}: missing {sorted(missing)}, unknown {sorted(extra)}")
            continue
        kind = fig["kind"]
        if kind not in KINDS:
            problems.append(f"{where}: kind {kind!r}")
            continue
        if fig["unit"] not in KINDS[kind]:
            problems.append(f"{where}: unit {fig['unit']!r} for a {kind}")
        for key in ("value", "precision", "scale"):
            if key in fig and not (isinstance(fig[key], str) and DECIMAL.match(fig[key])):
                problems.append(f"{where}: {key} must be a decimal string, not {fig[key]!r}")
        if fig["hedge"] not in HEDGES:
            problems.append(f"{where}: hedge {fig['hedge']!r}")
        if (fig["hedge"] != "none") != ("hedge_evidence" in fig):
            problems.append(f"{where}: hedge_evidence goes with a hedge, and only then")
        if ("scale" in fig) != ("scale_evidence" in fig):
            problems.append(f"{where}: scale and scale_evidence go together")
        if fig["flow"] not in FLOWS:
            problems.append(f"{where}: flow {fig['flow']!r}")
        problems += _problems_place(f"{where} origin", fig["origin"]) + _problems_place(f"{where} destination", fig["destination"])
        problems += _problems_period(f"{where} period", fig["period"])
        if (kind in CHANGES) != ("reference_period" in fig):
            problems.append(f"{where}: a change has a reference period, and only a change")
        elif kind in CHANGES:
            problems += _problems_period(f"{where} reference_period", fig["reference_period"])
        if fig["sector"] is not None and not isinstance(fig["sector"], str):
            problems.append(f"{where}: sector is a string or null")
        if not isinstance(fig["scope"], list) or not all(isinstance(s, str) for s in fig["scope"]):
            problems.append(f"{where}: scope is a list of strings")
        if not isinstance(fig["source"], str):
            problems.append(f"{where}: source")
        if kind in OF_FIELDS:
            required, optional = OF_FIELDS[kind]
            if not isinstance(fig.get("of"), dict) or not required <= set(fig["of"]) <= required | optional:
                problems.append(f"{where}: a {kind} says what it is of: {sorted(required)}")
        elif "of" in fig:
            problems.append(f"{where}: 'of' is for shares, ranks, ratios and points")
        if "in_quotation" in fig and fig["in_quotation"] not in quotation_ids:
            problems.append(f"{where}: no quotation {fig['in_quotation']!r}")
        if fig.get("status", "provisional") not in {"provisional", "revised"}:
            problems.append(f"{where}: status {fig['status']!r}")
        if "restates" in fig and (set(fig["restates"]) != {"figure", "relation"} or fig["restates"]["relation"] not in {"same", "revision"}):
            problems.append(f"{where}: restates is {{figure, relation: same|revision}}")
        if "offset" in fig and not isinstance(fig["offset"], int):
            problems.append(f"{where}: offset is an integer")
    for q in doc["quotations"]:
        if set(q) != {"id", "speaker", "posts", "marks", "attribution_position", "attribution_evidence", "evidence"}:
            problems.append(f"quotation {q.get('id')}: keys {sorted(q)}")
            continue
        if q["marks"] not in MARKS or q["attribution_position"] not in {"before", "inside", "after"}:
            problems.append(f"quotation {q['id']}: marks or attribution_position")
        if not q["evidence"] or not all(isinstance(e, str) for e in q["evidence"]):
            problems.append(f"quotation {q['id']}: evidence is a list of quoted parts")
        for post in q["posts"]:
            if not {"role", "organisation"} <= set(post) <= {"role", "organisation", "organisation_basis"}:
                problems.append(f"quotation {q['id']}: a post is {{role, organisation[, organisation_basis]}}")
    for post in doc["posts"]:
        if not {"person", "role", "organisation", "evidence"} <= set(post) <= {"person", "role", "organisation", "evidence", "organisation_basis"}:
            problems.append(f"post {post}: keys")
    for check in doc["checks"]:
        kind = check.get("kind")
        if kind not in CHECK_FIELDS or set(check) != CHECK_FIELDS[kind] | {"kind", "holds"} or not isinstance(check["holds"], bool):
            problems.append(f"check {check}: fields for {kind!r} are {sorted(CHECK_FIELDS.get(kind, ()))} and holds")
    return problems


@pytest.mark.parametrize("release", RELEASES)
def test_truth_follows_the_documented_schema(release):
    assert schema_problems(release) == []


def test_the_schema_check_catches_a_percentage_written_as_an_amount(monkeypatch):
    release = RELEASES[0]
    doc = yaml.safe_load((RELEASES_DIR / release / "truth.yaml").read_text(encoding="utf-8"))
    change = next(f for f in doc["figures"] if f["kind"] == "change_percent")
    change["unit"] = "EUR"
    change["value"] = 2.1  # a float, not a decimal string
    monkeypatch.setitem(globals(), "truth", lambda _release: doc)
    problems = schema_problems(release)
    assert any("unit 'EUR' for a change_percent" in p for p in problems)
    assert any("value must be a decimal string" in p for p in problems)


def _evidence_strings(node, path=""):
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, str) and (key.endswith("evidence") or key in {"stated_as", "headline"}):
                yield f"{path}.{key}", value
            elif key == "evidence" and isinstance(value, list):
                for i, part in enumerate(value):
                    yield f"{path}.{key}[{i}]", part
            else:
                yield from _evidence_strings(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _evidence_strings(item, f"{path}[{i}]")


@pytest.mark.parametrize("release", RELEASES)
def test_every_evidence_occurs_verbatim_in_the_text(release):
    body = text(release)
    missing = [(where, s) for where, s in _evidence_strings(truth(release)) if s not in body]
    assert missing == []
    for fig in truth(release)["figures"]:
        if "offset" in fig:
            assert body[fig["offset"]:].startswith(fig["evidence"]), fig["id"]
        else:  # without an offset the evidence must say where it is: it occurs once
            assert body.count(fig["evidence"]) == 1, (fig["id"], fig["evidence"])
        assert fig["stated"] in fig["evidence"], fig["id"]
        if "hedge_evidence" in fig:
            assert fig["hedge_evidence"] in fig["evidence"], fig["id"]
        lowered = body.lower()
        assert all(scope.lower() in lowered for scope in fig["scope"]), fig["id"]
        if fig["sector"] is not None:
            assert fig["sector"].lower() in lowered, fig["id"]


@pytest.mark.parametrize("release", RELEASES)
def test_every_stated_number_reads_as_the_recorded_value_precision_and_unit(release):
    for fig in truth(release)["figures"]:
        magnitude, sign, precision, unit_class = read_stated(fig["stated"])
        scale = Decimal(fig.get("scale", "1"))
        value = Decimal(fig["value"])
        assert abs(value) == magnitude * scale, (fig["id"], fig["stated"], fig["value"])
        assert Decimal(fig["precision"]) == precision * scale, (fig["id"], fig["stated"], fig["precision"])
        assert fig["unit"] in UNITS_OF_CLASS[unit_class], (fig["id"], fig["stated"], fig["unit"])
        if sign is not None:
            assert (value < 0) == (sign == "-"), (fig["id"], "the sign is the number's")


def test_the_reader_of_stated_numbers_knows_the_family_forms():
    assert read_stated("13.152,7 milioni") == (Decimal("13152700000"), None, Decimal("100000"), "money")
    assert read_stated("due miliardi e 170 milioni") == (Decimal("2170000000"), None, Decimal("1000000"), "money")
    assert read_stated("-2,9 punti") == (Decimal("2.9"), "-", Decimal("0.1"), "points")
    assert read_stated("+ 6%") == (Decimal("6"), "+", Decimal("1"), "percent")
    assert read_stated("3 volte e mezzo") == (Decimal("3.5"), None, Decimal("0.5"), "factor")
    assert read_stated("quindicesimo") == (Decimal("15"), None, Decimal("1"), "position")
    assert read_stated("9,1 milardi") == (Decimal("9100000000"), None, Decimal("100000000"), "money")
    assert read_stated("6.127.480 euro") == (Decimal("6127480"), None, Decimal("1"), "money")


@pytest.mark.parametrize("release", RELEASES)
def test_quotations_posts_and_dateline_are_where_the_truth_says(release):
    body = text(release)
    doc = truth(release)
    meta = doc["release"]
    assert meta["publisher_evidence"] in body and meta["published_evidence"] in body
    if meta["dateline"] is not None:
        assert body.splitlines()[1].startswith(meta["dateline"]["evidence"])
    posts = {(p["person"], p["role"], p["organisation"]) for p in doc["posts"]}
    for post in doc["posts"]:
        assert post["person"] in post["evidence"] and post["role"].split()[0].lower() in post["evidence"].lower()
    for q in doc["quotations"]:
        opening, closing = MARKS[q["marks"]]
        first = body.index(q["evidence"][0])
        last = body.index(q["evidence"][-1]) + len(q["evidence"][-1])
        assert body[first - 1] == opening and body[last] == closing, q["id"]
        assert q["speaker"] in q["attribution_evidence"], q["id"]
        attribution = body.index(q["attribution_evidence"])
        position = "before" if attribution < first else "after" if attribution > last else "inside"
        assert position == q["attribution_position"], q["id"]
        assert {(q["speaker"], p["role"], p["organisation"]) for p in q["posts"]} <= posts, q["id"]
    for fig in doc["figures"]:
        if "in_quotation" in fig:
            q = next(q for q in doc["quotations"] if q["id"] == fig["in_quotation"])
            assert any(fig["evidence"] in part for part in q["evidence"]), fig["id"]


@pytest.mark.parametrize("release", RELEASES)
def test_the_checks_hold_or_fail_as_the_truth_says(release):
    doc = truth(release)
    for check in doc["checks"]:
        assert holds(release, check) is check["holds"], check
    failing = [c for c in doc["checks"] if not c["holds"]]
    assert bool(failing) == doc["release"]["contradiction"], "a release marked as contradictory has a failing check, and only then"


def test_the_corpus_has_one_or_two_deliberate_contradictions():
    assert 1 <= sum(truth(r)["release"]["contradiction"] for r in RELEASES) <= 2


def test_shares_whose_part_and_whole_levels_are_stated_are_checked():
    def place_and_time(fig: dict) -> tuple:
        return (fig["flow"], fig["origin"]["name"], fig["destination"]["name"], fig["period"]["value"], fig["sector"], tuple(fig["scope"]))

    for release in RELEASES:
        checked = {c["share"] for c in truth(release)["checks"] if c["kind"] == "share_of_levels"}
        levels = {place_and_time(f) for f in truth(release)["figures"] if f["kind"] == "level"}
        for fig in truth(release)["figures"]:
            if fig["kind"] == "share" and "whole_figure" in fig["of"] and place_and_time(fig) in levels:
                assert fig["id"] in checked, (release, fig["id"])


def _cell(fig: dict) -> tuple:
    of = fig.get("of") or {}
    return (fig["kind"], fig["unit"], fig["flow"], fig["origin"]["name"], fig["destination"]["name"], fig["period"]["value"],
            (fig.get("reference_period") or {}).get("value"), fig["sector"], tuple(fig["scope"]),
            of.get("whole"), of.get("among"), of.get("denominator"))


def test_figures_stated_twice_agree_or_are_listed_as_restatements():
    every = {f"{r}#{f['id']}": (r, f) for r in RELEASES for f in truth(r)["figures"]}
    links: dict[str, set[str]] = defaultdict(set)
    for key, (release, fig) in every.items():
        if "restates" not in fig:
            continue
        target_key, target = resolve(release, fig["restates"]["figure"])
        assert target_key != key
        links[key].add(target_key)
        links[target_key].add(key)
        same_cell = ("kind", "unit", "flow")
        assert all(fig[k] == target[k] for k in same_cell), key
        assert fig["origin"]["name"] == target["origin"]["name"] and fig["destination"]["name"] == target["destination"]["name"], key
        assert fig["period"]["value"] == target["period"]["value"], key
        assert (fig.get("reference_period") or {}).get("value") == (target.get("reference_period") or {}).get("value"), key
        agree = overlap(interval(fig), interval(target))
        if fig["restates"]["relation"] == "same":
            assert agree, f"{key} restates {target_key} but the values disagree"
        else:
            assert not agree, f"{key} revises {target_key} but the values agree"
            assert fig.get("status") == "revised" and target.get("status") == "provisional", key
    by_cell = defaultdict(list)
    for key, (_release, fig) in every.items():
        by_cell[_cell(fig)].append(key)
    for cell, keys in by_cell.items():
        if len(keys) < 2:
            continue
        seen, todo = set(), [keys[0]]
        while todo:
            k = todo.pop()
            if k not in seen:
                seen.add(k)
                todo += links[k]
        assert set(keys) <= seen, f"same cell stated by {keys}, not linked as restatements: {cell}"


def test_a_release_restates_a_figure_of_another_rounded_and_one_revises_a_provisional_figure():
    relations = defaultdict(set)
    for release in RELEASES:
        for fig in truth(release)["figures"]:
            if "#" in fig.get("restates", {}).get("figure", ""):
                relations[fig["restates"]["relation"]].add(release)
    assert relations["same"] and relations["revision"]


# --- COVERAGE.md ---------------------------------------------------------------------------------

REQUIRED_CONSTRUCTIONS = {
    # what is measured
    "level-millions", "level-mln", "level-mld", "level-billions-three-decimals", "level-number-words", "level-hedged",
    "level-full-euro", "level-thousands", "change-percent-list", "change-percent-parenthesis", "change-percent-per-cento-year",
    "change-percent-bare-negative", "change-percent-in-calo", "change-percent-hedged-oltre", "change-percent-hedged-quasi",
    "change-percent-sign-from-number", "change-amount-aumento", "change-amount-in-meno", "change-amount-plus",
    "change-multiple-oltre-volte", "change-multiple-circa-volte-e-mezzo", "change-multiple-raddoppiato",
    "change-multiple-quintuplicato", "change-multiple-piu-che-dimezzato", "change-points", "share-pari-al", "share-del-totale",
    "share-moving", "share-whole-without-level", "rank-in-italia", "rank-posto", "rank-primo-paese", "rank-secondo-mercato",
    "ratio-per-resident", "ratio-value-added", "ratio-national-average", "projection",
    # what it is measured on
    "flow-export", "flow-import", "flow-interscambio", "flow-scambi-commerciali", "flow-saldo", "currency-euro",
    "currency-dollars", "origin-italy", "origin-region", "origin-province", "origin-group-of-provinces", "origin-plant",
    "origin-adjective", "destination-list-with-figures", "destination-list-without-figures", "destination-ue",
    "destination-extra-ue", "destination-area-euro", "destination-continent", "destination-gulf", "destination-world-implied",
    "period-year", "period-quarter", "period-primo-quarto", "period-half", "period-primi-nove-mesi", "period-gennaio-settembre",
    "period-gen-set", "period-anno-mobile", "period-ultimi-dodici-mesi", "period-carried", "period-primi-18-mesi",
    "reference-stesso-periodo", "reference-raffronto-2019", "reference-sul-2019", "reference-tendenziale",
    "reference-congiunturale", "reference-anno-precedente", "sector-istat-pharma", "sector-istat-metals", "sector-istat-coke",
    "sector-colon-list", "sector-moda", "sector-arredo", "sector-meccanica", "sector-calzaturiero", "sector-nautica",
    "sector-agroalimentare", "scope-al-netto-farmaceutico", "scope-esclusa-nautica", "scope-manifatturiero",
    "scope-al-netto-di-company", "source-chamber-elaboration", "source-union-elaboration", "source-partner-customs",
    "source-not-publisher",
    # who says it
    "dateline-city-date", "dateline-agency", "dateline-city-only", "dateline-none", "quote-curly", "quote-straight",
    "quote-guillemets", "attribution-afferma", "attribution-dichiara-inside", "attribution-le-parole-commentando",
    "attribution-cosi", "attribution-dice", "attribution-before", "attribution-next-sentence", "person-two-posts",
    # traps
    "trap-typo-milardi", "trap-figure-in-quotation", "trap-hedge-of-previous-figure", "trap-comparison-year",
    "trap-revised-restatement", "trap-rounded-restatement",
    # hedges and styles the corpus is asked for
    "hedge-sfiorato", "hedge-sui", "hedge-circa", "hedge-oltre", "hedge-quasi", "contradiction",
    "style-chamber-province-quarter", "style-association-region-vs-italy", "style-union-table", "style-news-agency",
    "style-partner-dollars",
}
ROW = re.compile(r"^\|\s*`?([a-z0-9-]+)`?\s*\|(.*?)\|\s*`?(\d\d_[a-z0-9_]+)`?\s*\|\s*`(.+?)`\s*\|\s*([a-z_]*)\s*\|\s*$")


def coverage_rows() -> list[tuple[str, str, str, str]]:
    rows = []
    for line in (FAMILY / "COVERAGE.md").read_text(encoding="utf-8").splitlines():
        if m := ROW.match(line):
            rows.append((m.group(1), m.group(3), m.group(4), m.group(5)))
    return rows


def test_coverage_lists_every_construction():
    ids = {row[0] for row in coverage_rows()}
    assert ids == REQUIRED_CONSTRUCTIONS, (sorted(REQUIRED_CONSTRUCTIONS - ids), sorted(ids - REQUIRED_CONSTRUCTIONS))


def test_every_coverage_fragment_occurs_in_the_release_it_names():
    for construction, release, fragment, kind in coverage_rows():
        assert release in RELEASES, (construction, release)
        assert fragment in text(release), (construction, release, fragment)
        if kind:  # a measure row: the fragment is (part of) a figure of that kind
            assert kind in KINDS, (construction, kind)
            assert any(f["kind"] == kind and (fragment in f["evidence"] or f["evidence"] in fragment)
                       for f in truth(release)["figures"]), (construction, release, fragment, kind)


MONTHS = {"gen": 1, "feb": 2, "mar": 3, "apr": 4, "mag": 5, "giu": 6, "lug": 7, "ago": 8, "set": 9, "ott": 10, "nov": 11, "dic": 12}


@pytest.mark.parametrize("release", RELEASES)
def test_the_publication_date_is_the_one_the_text_gives(release):
    meta = truth(release)["release"]
    m = re.search(r"(\d{1,2}) ([a-z]{3})[a-z]*\.?(?: (\d{4}))?", meta["published_evidence"], re.IGNORECASE)
    assert m, meta["published_evidence"]
    published = date.fromisoformat(meta["published"])
    assert (published.day, published.month) == (int(m.group(1)), MONTHS[m.group(2).lower()])
    if m.group(3):
        assert published.year == int(m.group(3)) and meta["published_basis"].startswith("stated")
    else:  # an agency's dateline: the year is read from the data's period
        assert "year" in meta["published_basis"]


@pytest.mark.parametrize("release", RELEASES)
def test_a_stated_period_has_the_year_its_words_give(release):
    for fig in truth(release)["figures"]:
        for key in ("period", "reference_period"):
            period = fig.get(key)
            if period and period["basis"] == "stated" and "evidence" in period:
                years = re.findall(r"\b(?:19|20)\d\d\b", period["evidence"])
                assert all(y in period["value"] for y in years), (fig["id"], key, period)
