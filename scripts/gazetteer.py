"""Write the gazetteer and the sector scheme that kg ships (kg/resources/gazetteer/) from their sources.

    .venv/bin/python scripts/gazetteer.py          # rewrites gazetteer.json
    .venv/bin/python scripts/gazetteer.py --check  # exit 1 if it differs from what it would write

Where each column comes from:

- countries: every ISO 3166-1 entry of pycountry (alpha-2, alpha-3, numeric, and its names as English
  names), with its Italian and English name from Babel's CLDR data (``Locale('it').territories``),
  and its id from the project's country-ids.tsv (given once, never changed);
- Italy's regions and provinces: the ISO 3166-2:IT codes, types, names and parents of pycountry,
  checked against the project's tables regions.tsv and provinces.tsv, which add Istat's codes,
  macro-areas, English names, chief towns, adjectives and aliases (no maintained source has them);
- continents: Babel's names of the UN M.49 regions, with members from the project's continents.tsv
  (Babel does not ship CLDR's territory containment);
- groups (EU and euro area by date, GCC, ASEAN): the project's groups.tsv; names from Babel where CLDR has
  them (EU, EZ) and group-names.tsv;
- identifiers in other datasets (Wikidata, GeoNames) of the few places checked by hand: identifiers.tsv;
- sectors: the project's sectors.tsv (Istat's scheme) with sector-words.tsv, and release-sectors.tsv (the
  sector words the releases use as ids, linked to NACE divisions). kg.rdf.gazetteer writes them as SKOS.

The output is byte-identical from run to run with the versions pinned in constraints.txt;
tests/test_gazetteer.py regenerates it and compares.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

import pycountry
from babel import Locale

FOLDER = Path(__file__).resolve().parent.parent / "kg" / "resources" / "gazetteer"
ISTAT_AREAS = {"1": "italy-north-west", "2": "italy-north-east", "3": "italy-centre", "4": "italy-south", "5": "italy-islands"}
CONTINENTS = ("002", "009", "019", "142", "150")


def slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def table(name: str) -> list[dict[str, str]]:
    """A tab-separated table of the folder: '#' lines are comments, the first other line is the header."""
    lines = [line for line in (FOLDER / name).read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    header = lines[0].split("\t")
    rows = []
    for number, line in enumerate(lines[1:], 2):
        cells = line.split("\t")
        if len(cells) != len(header):
            raise SystemExit(f"{name}: row {number} has {len(cells)} cells, the header {len(header)}")
        rows.append(dict(zip(header, cells, strict=True)))
    return rows


def split(cell: str, sep: str = "|") -> list[str]:
    return [part.strip() for part in cell.split(sep) if part.strip()]


def _inflect(word: str) -> list[str]:
    """The four forms of an Italian adjective from its masculine singular (two for those in -e)."""
    if word == "greco":
        return ["greco", "greca", "greci", "greche"]
    if word.endswith("o"):
        stem = word[:-1]
        if word.endswith(("iaco", "ico")):  # austriaco, britannico: -ci, -che
            return [word, stem + "a", stem[:-1] + "ci", stem + "he"]
        if word.endswith(("co", "go")):
            return [word, stem + "a", stem + "hi", stem + "he"]
        return [word, stem + "a", stem + "i", stem + "e"]
    if word.endswith("e"):
        return [word, word[:-1] + "i"]
    if word.endswith("a"):
        stem = word[:-1]
        if word.endswith("ga"):
            return [word, stem + "hi", stem + "he"]
        return [word, stem + "i", stem + "e"]
    return [word]


def forms(word: str) -> list[str]:
    """Every form of an adjective; in a compound ("emiliano-romagnolo") only the last part inflects."""
    head, _, last = word.rpartition("-")
    return [f"{head}-{form}" if head else form for form in _inflect(last)]


def unique(items):
    seen: list = []
    for item in items:
        if item and item not in seen:
            seen.append(item)
    return seen


def place(id_, kind, it, en, *, adjectives=(), iso=(), istat=None, m49=None, parent=None, members=None, complement_of=None):
    entry = {"id": id_, "kind": kind, "it": unique(it), "en": unique(en)}
    if adjectives:
        entry["adjectives"] = unique(a for word in adjectives for a in forms(word))
    for key, value in (("iso", list(iso)), ("istat", istat), ("m49", m49), ("parent", parent),
                       ("members", members), ("complement_of", complement_of)):
        if value:
            entry[key] = value
    return entry


def countries(it_names, en_names) -> tuple[list[dict], dict[str, str]]:
    extra = {row["alpha2"]: row for row in table("countries.tsv")}
    given = {row["alpha2"]: row["id"] for row in table("country-ids.tsv")}
    places, ids = [], {}
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        code = country.alpha_2
        en = en_names[code]
        if code not in given:
            raise SystemExit(f"country-ids.tsv: {code} ({en}) has no id: add a row, such as {slug(en)}")
        id_ = given[code]
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", id_):
            raise SystemExit(f"country-ids.tsv: {code}: {id_!r} is not an id")
        ids[code] = id_
        row = extra.get(code, {"aliases_it": "", "aliases_en": "", "demonyms_it": ""})
        english = [en, country.name, getattr(country, "common_name", None), getattr(country, "official_name", None)]
        places.append(place(id_, "country", [it_names[code], *split(row["aliases_it"])], english + split(row["aliases_en"]),
                            adjectives=split(row["demonyms_it"]), iso=[code, country.alpha_3, country.numeric]))
    unknown = set(extra) - set(ids)
    if unknown:
        raise SystemExit(f"countries.tsv: {sorted(unknown)} are not ISO 3166-1 codes")
    return places, ids


def italy() -> list[dict]:
    subdivisions = {s.code: s for s in pycountry.subdivisions.get(country_code="IT")}
    names = {row["id"]: row for row in table("group-names.tsv")}
    out = []
    for number, area in sorted(ISTAT_AREAS.items()):
        row = names[area]
        assert row["istat"] == number, area
        out.append(place(area, "macro-area", split(row["names_it"]), split(row["names_en"]), istat=number, parent="italy"))
    regions = {}
    for row in table("regions.tsv"):
        sub = subdivisions.get(row["iso"])
        if sub is None or sub.type not in ("Region", "Autonomous region") or sub.parent_code is not None:
            raise SystemExit(f"regions.tsv: {row['iso']} is not a region of ISO 3166-2:IT in pycountry")
        if not re.fullmatch(r"\d\d", row["istat"]):
            raise SystemExit(f"regions.tsv: {row['iso']}: Istat code {row['istat']!r} is not 2 digits")
        id_ = slug(row["name_it"])
        regions[row["iso"]] = id_
        out.append(place(id_, "region", [row["name_it"], sub.name, *split(row["aliases"])], [row["name_en"]],
                         adjectives=split(row["adjectives"]), iso=[row["iso"]], istat=row["istat"], parent=ISTAT_AREAS[row["area"]]))
    south = [regions[row["iso"]] for row in table("regions.tsv") if row["area"] in ("4", "5")]
    mezzogiorno = names["mezzogiorno"]
    out.append(place("mezzogiorno", "group", split(mezzogiorno["names_it"]), split(mezzogiorno["names_en"]),
                     members=[[member, None, None] for member in south]))
    provinces = table("provinces.tsv")
    seen_iso = {row["iso"] for row in provinces if row["iso"]}
    missing = {code for code, sub in subdivisions.items() if sub.parent_code} - seen_iso
    if missing or len(provinces) != 107:
        raise SystemExit(f"provinces.tsv: {len(provinces)} rows; pycountry's provinces missing: {sorted(missing)}")
    for row in provinces:
        if not re.fullmatch(r"\d{3}", row["istat"]):
            raise SystemExit(f"provinces.tsv: {row['name_it']}: Istat code {row['istat']!r} is not 3 digits")
        iso = [row["iso"]] if row["iso"] else []
        if row["iso"]:
            sub = subdivisions[row["iso"]]
            if sub.parent_code != row["region"]:
                raise SystemExit(f"provinces.tsv: {row['iso']} is in {sub.parent_code} in pycountry, not {row['region']}")
        metropolitan = row["iso"] and subdivisions[row["iso"]].type == "Metropolitan city"
        name_it, name_en = row["name_it"], row["name_en"] or row["name_it"]
        id_ = slug(name_it) + "-province"
        it = [f"provincia di {name_it}", name_it, *split(row["aliases"])]
        en = [f"Province of {name_en}", name_en]
        if metropolitan:
            it.insert(1, f"città metropolitana di {name_it}")
            en.insert(1, f"Metropolitan City of {name_en}")
        out.append(place(id_, "province", it, en, adjectives=split(row["adjectives"]), iso=iso, istat=row["istat"],
                         parent=regions[row["region"]]))
        if row["capital_it"]:
            out.append(place(slug(row["capital_it"]), "municipality", [row["capital_it"]], [row["capital_en"] or row["capital_it"]],
                             istat="042002" if row["capital_it"] == "Ancona" else None, parent=id_))
    return out


def groups(it_names, en_names, country_ids) -> list[dict]:
    names = {row["id"]: row for row in table("group-names.tsv")}
    members: dict[str, list] = {}
    for row in table("groups.tsv"):
        if row["member"] not in country_ids:
            raise SystemExit(f"groups.tsv: {row['member']} is not an ISO 3166-1 alpha-2 code")
        members.setdefault(row["group"], []).append([country_ids[row["member"]], row["since"] or None, row["until"] or None])
    cldr = {"eu": "EU", "euro-area": "EZ"}
    out = []
    for id_ in ("eu", "euro-area", "extra-eu", "gcc", "asean"):
        row = names[id_]
        it = ([it_names[cldr[id_]]] if id_ in cldr else []) + split(row["names_it"])
        en = ([en_names[cldr[id_]]] if id_ in cldr else []) + split(row["names_en"])
        out.append(place(id_, "group", it, en, members=sorted(members.get(id_, [])), complement_of="eu" if id_ == "extra-eu" else None))
    rows = table("continents.tsv")
    by_code = {row["m49"]: set(row["members"].split()) for row in rows}
    every = [code for code in country_ids if code != "AQ"]
    for code in every:
        inside = [m49 for m49 in CONTINENTS if code in by_code[m49]]
        if len(inside) != 1:
            raise SystemExit(f"continents.tsv: {code} is in {inside or 'no continent'}, not exactly one")
    if by_code["021"] | by_code["419"] != by_code["019"] or by_code["021"] & by_code["419"]:
        raise SystemExit("continents.tsv: 021 and 419 do not split 019")
    for row in rows:
        extra = names.get(row["id"], {"names_it": "", "names_en": ""})
        unknown = set(row["members"].split()) - set(country_ids)
        if unknown:
            raise SystemExit(f"continents.tsv: {sorted(unknown)} are not ISO 3166-1 codes")
        out.append(place(row["id"], "continent", [it_names[row["m49"]], *split(extra["names_it"])],
                         [en_names[row["m49"]], *split(extra["names_en"])], m49=row["m49"],
                         members=[[country_ids[code], None, None] for code in sorted(row["members"].split())]))
    return out


def extra_places(country_ids) -> list[dict]:
    out = []
    for row in table("extra.tsv"):
        if row["iso"] and pycountry.subdivisions.get(code=row["iso"]) is None:
            raise SystemExit(f"extra.tsv: {row['iso']} is not an ISO 3166-2 code")
        out.append(place(row["id"], row["kind"], split(row["names_it"]), split(row["names_en"]),
                         iso=[row["iso"]] if row["iso"] else [], parent=row["parent"] or None))
    return out


def sectors() -> tuple[list[dict], list[list]]:
    rows = table("sectors.tsv")
    notations = {row["notation"] for row in rows}
    out = []
    for row in rows:
        if row["broader"] and row["broader"] not in notations:
            raise SystemExit(f"sectors.tsv: {row['notation']}'s broader {row['broader']} is not in the table")
        if row["source"] not in ("official", "recalled", "own"):
            raise SystemExit(f"sectors.tsv: {row['notation']}: source {row['source']!r}")
        entry = {"id": row["notation"], "it": row["label_it"], "en": row["label_en"], "label_source": row["source"]}
        if row["broader"]:
            entry["broader"] = row["broader"]
        out.append(entry)
    words = []
    for row in table("sector-words.tsv"):
        targets = row["notations"].split()
        if not set(targets) <= notations:
            raise SystemExit(f"sector-words.tsv: {row['word']} maps to {targets}, not all in sectors.tsv")
        words.append([row["lang"], row["word"], targets])
    rows = table("release-sectors.tsv")
    own = {row["id"] for row in rows}
    for row in rows:
        if not re.fullmatch(r"[a-z][a-z0-9-]*", row["id"]) or row["id"] in notations:
            raise SystemExit(f"release-sectors.tsv: {row['id']!r} is not an id of its own")
        if row["broader"] and row["broader"] not in own:
            raise SystemExit(f"release-sectors.tsv: {row['id']}'s broader {row['broader']} is not in the table")
        nace = row["nace"].split()
        if not all(re.fullmatch(r"[A-U]|\d\d", code) for code in nace):
            raise SystemExit(f"release-sectors.tsv: {row['id']}: {nace} are not NACE sections or divisions")
        entry = {"id": row["id"], "it": row["label_it"], "en": row["label_en"], "label_source": "own", "scheme": "releases"}
        for key, value in (("broader", row["broader"]), ("alt_it", split(row["alt_it"])), ("alt_en", split(row["alt_en"])),
                           ("nace", nace), ("note", row["note"])):
            if value:
                entry[key] = value
        out.append(entry)
    return out, words


def identifiers(places: list[dict]) -> None:
    by_id = {entry["id"]: entry for entry in places}
    for row in table("identifiers.tsv"):
        entry = by_id.get(row["id"])
        if entry is None:
            raise SystemExit(f"identifiers.tsv: {row['id']} is not a place")
        if row["wikidata"] and not re.fullmatch(r"Q[1-9][0-9]*", row["wikidata"]):
            raise SystemExit(f"identifiers.tsv: {row['id']}: {row['wikidata']!r} is not a Wikidata id")
        if row["geonames"] and not row["geonames"].isdigit():
            raise SystemExit(f"identifiers.tsv: {row['id']}: {row['geonames']!r} is not a GeoNames id")
        for key in ("wikidata", "geonames"):
            if row[key]:
                entry[key] = row[key]


def gazetteer() -> dict:
    it_names, en_names = Locale("it").territories, Locale("en").territories
    country_places, country_ids = countries(it_names, en_names)
    places = [*extra_places(country_ids), *country_places, *italy(), *groups(it_names, en_names, country_ids)]
    identifiers(places)
    ids = [entry["id"] for entry in places]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise SystemExit(f"two places have the id {duplicates}")
    for entry in places:
        for other in [entry.get("parent")] + [m[0] for m in entry.get("members", [])]:
            if other and other not in ids:
                raise SystemExit(f"{entry['id']} refers to {other}, which is not a place")
    sector_list, words = sectors()
    import babel

    return {
        "about": "Generated by scripts/gazetteer.py from pycountry, Babel (CLDR) and the tables beside this file; do not edit.",
        "sources": {"pycountry": _version("pycountry"), "babel": babel.__version__},
        "places": places,
        "sectors": sector_list,
        "sector_words": words,
    }


def _version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


def outputs() -> dict[str, bytes]:
    """The generated files, by name: what the folder must hold."""
    data = gazetteer()
    text = json.dumps(data, ensure_ascii=False, indent=0, sort_keys=False, separators=(",", ":"))
    return {"gazetteer.json": (text + "\n").encode("utf-8")}


def main(argv: list[str]) -> int:
    files = outputs()
    if "--check" in argv:
        stale = [name for name, content in files.items() if not (FOLDER / name).is_file() or (FOLDER / name).read_bytes() != content]
        for name in stale:
            print(f"{FOLDER / name} is not what scripts/gazetteer.py writes: run it", file=sys.stderr)
        return 1 if stale else 0
    for name, content in files.items():
        (FOLDER / name).write_bytes(content)
        print(f"wrote {FOLDER / name} ({len(content):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
