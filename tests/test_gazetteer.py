"""The gazetteer and the sector scheme: facts a person knows, the generated files, and a data folder's YAML."""

from __future__ import annotations

import importlib.util
import textwrap
from datetime import date
from pathlib import Path

import pycountry
import pytest
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import SKOS

from kg.errors import InputError
from kg.model.gazetteer import GAZETTEER_DIR, Gazetteer, normalise
from kg.resources import TEMPLATE_DIR

ROOT = Path(__file__).resolve().parent.parent
KGR = Namespace("https://example.org/kg/id/")


@pytest.fixture(scope="module")
def places() -> Gazetteer:
    return Gazetteer.bundled()


def ids(found) -> list[str]:
    return [p.id for p in found]


# -- the generated files --------------------------------------------------------------------------


def test_regenerating_the_gazetteer_gives_the_same_bytes():
    spec = importlib.util.spec_from_file_location("gazetteer_script", ROOT / "scripts" / "gazetteer.py")
    assert spec and spec.loader
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    for name, content in script.outputs().items():
        assert (GAZETTEER_DIR / name).read_bytes() == content, f"{name} is stale: run scripts/gazetteer.py"


def test_every_iso_country_and_italian_subdivision_is_there(places):
    for country in pycountry.countries:
        found = places.by_iso(country.alpha_2)
        assert found is not None and found.kind == "country", country.alpha_2
        assert places.by_iso(country.alpha_3) == found and places.by_iso(country.numeric) == found
    for sub in pycountry.subdivisions.get(country_code="IT"):
        found = places.by_iso(sub.code)
        assert found is not None and found.kind == ("province" if sub.parent_code else "region"), sub.code
    assert len([p for p in places.places() if p.kind == "region"]) == 20
    assert len([p for p in places.places() if p.kind == "province"]) == 107


# -- Italy ----------------------------------------------------------------------------------------


def test_fermo_is_a_province_of_marche_with_its_codes(places):
    fermo = places.by_iso("IT-FM")
    assert fermo.id == "fermo-province" and fermo.kind == "province"
    assert fermo.istat == "109"
    assert places.by_istat("109") == fermo
    assert ids(places.ancestors("fermo-province")) == ["marche", "italy-centre", "italy"]
    assert places.place("marche").istat == "11" and places.place("marche").iso == ("IT-57",)


def test_known_istat_codes(places):
    assert places.by_istat("042").id == "ancona-province"
    assert places.by_istat("042002").id == "ancona"
    assert places.by_istat("001").label_it == "provincia di Torino"
    assert places.by_istat("111").id == "sud-sardegna-province"
    assert places.by_istat("007").id == "aosta-province"  # the province Istat codes, ISO has none
    assert places.by_istat("03").id == "lombardia"
    assert places.by_istat("20").id == "sardegna"


def test_regions_lie_in_istat_macro_areas(places):
    assert places.place("lombardia").parent == "italy-north-west"
    assert places.place("veneto").parent == "italy-north-east"
    assert places.place("marche").parent == "italy-centre"
    assert places.place("puglia").parent == "italy-south"
    assert places.place("sicilia").parent == "italy-islands"
    assert ids(places.ancestors("ancona")) == ["ancona-province", "marche", "italy-centre", "italy"]
    assert "sicilia" in places.member_ids("mezzogiorno") and "marche" not in places.member_ids("mezzogiorno")


@pytest.mark.parametrize("word, place_id", [
    ("piceno", "ascoli-piceno-province"), ("picene", "ascoli-piceno-province"),
    ("fermano", "fermo-province"), ("esportazioni picene", None),
    ("marchigiano", "marche"), ("marchigiana", "marche"), ("marchigiani", "marche"), ("marchigiane", "marche"),
    ("lombardo", "lombardia"), ("lombarde", "lombardia"), ("veneto", "veneto"), ("bergamaschi", "bergamo-province"),
    ("Puglia", "puglia"), ("Apulia", "puglia"), ("Sicily", "sicilia"),
])
def test_adjectives_and_names_of_italian_places(places, word, place_id):
    assert ids(places.find(word)) == ([place_id] if place_id else [])


@pytest.mark.parametrize("word, place_id", [
    # as the family's releases (tests/family/) write them: "export bergamasco", "esportazioni pontine"...
    ("bergamasco", "bergamo-province"), ("pontine", "latina-province"), ("teatine", "chieti-province"),
    ("frusinate", "frosinone-province"), ("altoatesine", "bolzano-province"),
    ("città metropolitana di Milano", "milano-province"), ("Alto Adige", "bolzano-province"),
    ("lucane", "basilicata"), ("italiane", "italy"), ("America settentrionale", "northern-america"),
    ("area del Golfo", "gcc"),
])
def test_words_of_the_family_releases(places, word, place_id):
    assert ids(places.find(word)) == [place_id]


def test_a_province_and_its_chief_town_share_a_name(places):
    assert ids(places.find("Fermo")) == ["fermo-province", "fermo"]
    assert ids(places.find("provincia di Fermo")) == ["fermo-province"]
    assert ids(places.find("Milan")) == ["milano-province", "milano"]


def test_names_match_whatever_the_case_accents_and_apostrophes(places):
    assert normalise("L’Aquila") == normalise("l'aquila") == "l aquila"
    assert ids(places.find("L’AQUILA")) == ["l-aquila-province", "l-aquila"]
    assert ids(places.find("forli cesena")) == ["forli-cesena-province"]
    assert ids(places.find("Forlì-Cesena")) == ["forli-cesena-province"]
    assert ids(places.find("provincia dell’Aquila")) == ["l-aquila-province"]


# -- countries and groups -------------------------------------------------------------------------


@pytest.mark.parametrize("name, place_id", [
    ("Stati Uniti", "united-states"), ("Usa", "united-states"), ("USA", "united-states"), ("United States", "united-states"),
    ("Regno Unito", "united-kingdom"), ("UK", "united-kingdom"), ("Gran Bretagna", "united-kingdom"),
    ("Emirati", "united-arab-emirates"), ("Germania", "germany"), ("germany", "germany"), ("tedesca", "germany"),
    ("Azerbaigian", "azerbaijan"), ("Cina", "china"), ("Francia", "france"), ("Turchia", "turkiye"), ("Turkey", "turkiye"),
    ("Birmania", "myanmar"), ("Hong Kong", "hong-kong"), ("Paesi Bassi", "netherlands"), ("Olanda", "netherlands"),
    ("Repubblica Ceca", "czechia"), ("Corea del Sud", "south-korea"), ("Sudafrica", "south-africa"),
])
def test_country_names_and_aliases(places, name, place_id):
    assert ids(places.find(name)) == [place_id]


def test_country_ids_are_a_table_not_derived_from_names():
    rows = [line.split("\t") for line in (GAZETTEER_DIR / "country-ids.tsv").read_text(encoding="utf-8").splitlines()
            if line and not line.startswith(("#", "alpha2"))]
    assert {code for code, _id in rows} == {c.alpha_2 for c in pycountry.countries}
    assert ["TR", "turkiye"] in rows and ["US", "united-states"] in rows and ["GB", "united-kingdom"] in rows


def test_country_labels_and_codes(places):
    germany = places.place("germany")
    assert germany.label_it == "Germania" and germany.label_en == "Germany"
    assert germany.iso == ("DE", "DEU", "276")
    assert places.place("italy").iso == ("IT", "ITA", "380")


def test_ambiguous_names_answer_every_candidate(places):
    assert ids(places.find("Monaco")) == ["monaco", "munich"]  # the principality, and Munich in Italian
    assert ids(places.by_code("040")) == ["austria", "forli-cesena-province"]  # ISO numeric and Istat
    assert places.find("Atlantide") == []


def test_the_uk_left_the_eu_in_2020(places):
    assert "united-kingdom" in places.member_ids("eu", date(2019, 6, 30))
    assert "united-kingdom" in places.member_ids("eu", date(2020, 1, 31))
    assert "united-kingdom" not in places.member_ids("eu", date(2020, 2, 1))
    assert "united-kingdom" not in places.member_ids("eu", date(2021, 1, 1))
    assert "united-kingdom" in places.member_ids("extra-eu", date(2021, 1, 1))
    assert "united-kingdom" not in places.member_ids("extra-eu", date(2019, 6, 30))
    assert "eu" in ids(places.groups_of("united-kingdom", date(2019, 6, 30)))
    assert ids(places.groups_of("united-kingdom", date(2021, 1, 1))) == ["europe", "extra-eu"]


def test_eu_and_euro_area_by_date(places):
    assert len(places.members("eu", date(2019, 6, 30))) == 28
    assert len(places.members("eu", date(2021, 1, 1))) == 27
    assert "croatia" not in places.member_ids("eu", date(2013, 6, 30))
    assert "croatia" in places.member_ids("eu", date(2013, 7, 1))
    assert "croatia" in places.member_ids("euro-area", date(2023, 1, 1))
    assert "croatia" not in places.member_ids("euro-area", date(2022, 12, 31))
    assert "italy" in places.member_ids("euro-area", date(1999, 1, 1))
    assert "sweden" in places.member_ids("eu", date(2024, 1, 1)) and "sweden" not in places.member_ids("euro-area", date(2024, 1, 1))
    assert "italy" not in places.member_ids("extra-eu", date(2024, 1, 1))
    assert "switzerland" in places.member_ids("extra-eu", date(2024, 1, 1))


@pytest.mark.parametrize("name, group_id", [
    ("Paesi Ue", "eu"), ("Unione europea", "eu"), ("extra Ue", "extra-eu"), ("extra-Ue", "extra-eu"),
    ("area euro", "euro-area"), ("Paesi del Golfo", "gcc"), ("Europa", "europe"), ("Asia", "asia"), ("Mezzogiorno", "mezzogiorno"),
])
def test_group_names(places, name, group_id):
    assert ids(places.find(name)) == [group_id]


def test_gulf_countries_and_continents(places):
    assert places.member_ids("gcc") == ["bahrain", "kuwait", "oman", "qatar", "saudi-arabia", "united-arab-emirates"]
    assert "germany" in places.member_ids("europe") and "japan" in places.member_ids("asia")
    assert "brazil" in places.member_ids("latin-america") and "canada" in places.member_ids("northern-america")
    assert places.place("europe").m49 == "150"
    assert "vietnam" in places.member_ids("asean", date(2024, 1, 1)) and "vietnam" not in places.member_ids("asean", date(1995, 7, 27))
    assert "timor-leste" not in places.member_ids("asean", date(2024, 1, 1))
    assert ids(places.find("paesi ASEAN")) == ["asean"]


# -- sectors --------------------------------------------------------------------------------------


@pytest.mark.parametrize("word, sector_ids", [
    ("moda", ["CB"]), ("Moda", ["CB"]), ("calzaturiero", ["15"]), ("calzature", ["15"]), ("arredo", ["31"]),
    ("meccanica", ["28"]), ("nautica", ["30"]), ("agroalimentare", ["AA", "CA"]), ("farmaceutica", ["CF"]),
    ("automotive", ["29"]), ("mezzi di trasporto", ["CL"]), ("fashion", ["CB", "fashion"]),  # the English word, and the release sector id
    ("Articoli farmaceutici, chimico-medicinali e botanici", ["CF"]),
    ("Metalli di base e prodotti in metallo, esclusi macchine e impianti", ["CH"]),
    ("Coke e prodotti petroliferi raffinati", ["CD"]), ("Coke and refined petroleum products", ["19", "CD"]),
    ("Macchinari e apparecchiature n.c.a.", ["CK"]), ("aerospazio", ["30"]), ("yacht", ["30"]), ("vetture", ["29"]),
])
def test_sector_words(places, word, sector_ids):
    assert [s.id for s in places.find_sector(word)] == sector_ids


def test_fashion_is_textiles_clothing_and_leather(places):
    cb = places.sector("CB")
    assert cb.label_it == "Prodotti tessili, abbigliamento, pelli e accessori" and cb.label_source == "official"
    assert [s.id for s in places.broader_sectors("15")] == ["CB", "C"]
    assert sorted(s.id for s in places.sectors() if s.broader == "CB") == ["13", "14", "15"]


def test_the_sector_scheme_is_skos(places):
    from rdflib import RDF

    from kg.rdf.gazetteer import sectors_graph

    graph = sectors_graph(places)
    scheme = KGR["ateco"]
    assert (scheme, RDF.type, SKOS.ConceptScheme) in graph
    concepts = set(graph.subjects(SKOS.inScheme, scheme))
    assert len(concepts) > 60
    for concept in concepts:
        assert (concept, RDF.type, URIRef("https://example.org/kg/ontology#Sector")) in graph
        assert {label.language for label in graph.objects(concept, SKOS.prefLabel)} == {"it", "en"}
        assert graph.value(concept, SKOS.notation) is not None
    cb = KGR["sector/CB"]
    assert Literal("Prodotti tessili, abbigliamento, pelli e accessori", lang="it") in set(graph.objects(cb, SKOS.prefLabel))
    assert (KGR["sector/14"], SKOS.broader, cb) in graph
    assert (KGR["sector/28"], SKOS.closeMatch, URIRef("http://data.europa.eu/ux2/nace2/28")) in graph


def test_the_sector_words_of_the_releases_are_ids_linked_to_nace(places):
    # the seed's "moda", "arredo", "industriale" (README: the releases' sector words), each its own concept
    assert places.sector("fashion").label_it == "moda" and places.sector("fashion").nace == ("13", "14", "15")
    assert places.sector("furniture").nace == ("31",) and places.sector("industrial").nace == ()
    assert [s.id for s in places.broader_sectors("clothing")] == ["fashion", "manufacturing"]
    # a word finds Istat's concept, not the release's: "moda" is CB
    assert [s.id for s in places.find_sector("moda")] == ["CB"]


# -- a data folder's places.yaml and sectors.yaml -------------------------------------------------


def test_the_template_adds_its_places_and_sectors():
    places = Gazetteer.load(TEMPLATE_DIR)
    assert ids(places.find("Colline delle Marche")) == ["colline-marchigiane"]
    assert ids(places.ancestors("colline-marchigiane")) == ["marche", "italy-centre", "italy"]
    assert ids(places.find("Ascoli")) == ["ascoli-piceno-province"]
    assert places.member_ids("marche-sud", date(2024, 1, 1)) == ["ascoli-piceno-province", "fermo-province"]
    assert places.member_ids("marche-sud", date(2009, 6, 10)) == ["fermo-province"]
    assert [s.id for s in places.find_sector("sistema casa")] == ["23", "31"]
    assert [s.id for s in places.broader_sectors("cappelli")] == ["14", "CB", "C"]


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.mark.parametrize("name, text, line, field, words", [
    ("places.yaml", """\
        places:
          - id: veneto-est
            kind: area
            name: Veneto Est
            parent: veneto-ovest
        """, 5, "places[0].parent", "'veneto-ovest' is not a place"),
    ("places.yaml", """\
        places:
          - id: marche
            kind: region
            name: Marche bis
        """, 2, "places[0].id", "the id 'marche' already exists"),
    ("places.yaml", """\
        places:
          - id: zona-a
            kind: area
            name: Zona A
          - id: zona-a
            kind: area
            name: Zona B
        """, 5, "places[1].id", "the id 'zona-a' already exists"),
    ("places.yaml", """\
        groups:
          - id: marche-nord
            name: Marche Nord
            members:
              - ancona-province
              - pesaro-province
        """, 6, "groups[0].members[1]", "'pesaro-province' is not a place"),
    ("places.yaml", """\
        places:
          - id: fermo-district
            kind: area
            name: Fermo
        """, 4, "places[0].name", "'Fermo' is already a name of 'fermo-province'"),
    ("places.yaml", """\
        aliases:
          - place: macerata-province
            names: [Regno Unito]
        """, 3, "aliases[0].names", "'Regno Unito' is already a name of 'united-kingdom'"),
    ("places.yaml", """\
        places:
          - id: zona-a
            kind: area
            name: Zona A
            parent: zona-b
          - id: zona-b
            kind: area
            name: Zona B
            parent: zona-a
        """, 5, "places[0].parent", "the parent 'zona-b' lies inside 'zona-a'"),
    ("places.yaml", """\
        places:
          - id: porto
            kind: harbour
            name: Porto franco
        """, 3, "places[0].kind", "unknown kind 'harbour'"),
    ("places.yaml", """\
        places:
          - id: porto
            kind: site
            name: Porto franco
            parnt: ancona
        """, 5, "places[0].parnt", "unknown key 'parnt'"),
    ("places.yaml", """\
        groups:
          - id: g
            name: Gruppo
            members:
              - place: italy
                since: 2020-02-30
        """, 6, "groups[0].members[0].since", "'2020-02-30' is not a date"),
    ("places.yaml", """\
        groups:
          - id: g
            name: Gruppo
            members:
              - place: italy
                since: 2021-01-01
                until: 2020-01-01
        """, 7, "groups[0].members[0].until", "'until' (2020-01-01) is before 'since' (2021-01-01)"),
    ("sectors.yaml", """\
        sectors:
          - id: cappelli
            name: cappelli
            broader: "99"
        """, 4, "sectors[0].broader", "'99' is not in the scheme"),
    ("sectors.yaml", """\
        words:
          - word: sistema casa
            sectors: ["31", "ZZ"]
        """, 3, "words[0].sectors[1]", "'ZZ' is not a sector"),
    ("sectors.yaml", """\
        sectors:
          - id: CB
            name: moda bis
        """, 2, "sectors[0].id", "'CB' is not an id"),
])
def test_a_wrong_data_folder_file_is_one_sentence_naming_file_line_and_field(tmp_path, name, text, line, field, words):
    path = write(tmp_path / "data", name, text)
    with pytest.raises(InputError) as caught:
        Gazetteer.load(tmp_path / "data")
    error = caught.value
    assert (error.path, error.line, error.field) == (str(path), line, field)
    assert words in str(error)
    assert str(error).startswith(f"{path}, line {line}, field '{field}': ")


def test_a_data_folder_file_linking_outside_it_is_refused(tmp_path):
    outside = write(tmp_path / "elsewhere", "places.yaml", "places: []\n")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "places.yaml").symlink_to(outside)
    with pytest.raises(InputError, match="outside the data folder"):
        Gazetteer.load(tmp_path / "data")


def test_a_data_folder_without_the_files_adds_nothing(tmp_path):
    assert len(Gazetteer.load(tmp_path)) == len(Gazetteer.bundled())


def test_a_file_of_comments_only_adds_nothing(tmp_path):
    commented = "".join(f"# {line}\n" if line.strip() else "\n" for line in (TEMPLATE_DIR / "places.yaml").read_text(encoding="utf-8").splitlines())
    write(tmp_path / "data", "places.yaml", commented)
    write(tmp_path / "data", "sectors.yaml", "\n")
    assert len(Gazetteer.load(tmp_path / "data")) == len(Gazetteer.bundled())


def test_a_top_level_list_is_refused_naming_the_file(tmp_path):
    path = write(tmp_path / "data", "places.yaml", "- id: a\n")
    with pytest.raises(InputError) as caught:
        Gazetteer.load(tmp_path / "data")
    assert caught.value.path == str(path) and caught.value.line == 1 and "expected a mapping" in str(caught.value)


# -- the places as triples (kg.rdf.gazetteer) -----------------------------------------------------


def test_a_place_is_written_with_its_codes_and_identifiers(places):
    from rdflib import OWL, RDF, RDFS

    from kg.rdf.gazetteer import places_graph

    schema = Namespace("http://schema.org/")
    kgo = Namespace("https://example.org/kg/ontology#")
    graph = places_graph(places, ["marche", "baku"])
    marche = KGR["place/marche"]
    assert set(graph.objects(marche, RDF.type)) == {kgo.Region}
    assert set(graph.objects(marche, RDFS.label)) == {Literal("Marche", lang="it"), Literal("Marche", lang="en")}
    assert set(graph.objects(marche, kgo.iso3166Code)) == {Literal("IT-57")}
    assert set(graph.objects(marche, kgo.istatCode)) == {Literal("11")}
    assert (marche, schema.sameAs, URIRef("http://www.wikidata.org/entity/Q1279")) in graph
    assert not set(graph.objects(marche, OWL.sameAs))
    assert (marche, schema.sameAs, URIRef("https://sws.geonames.org/3174004/")) in graph
    # a region lies in its country: the macro-area between them in the gazetteer is not written
    assert set(graph.objects(marche, schema.containedInPlace)) == {KGR["place/italy"]}
    assert (KGR["place/baku"], schema.containedInPlace, KGR["place/azerbaijan"]) in graph
    assert (KGR["place/baku"], RDF.type, schema.City) in graph


def test_the_eu_is_written_with_its_members_and_their_days(places):
    from rdflib import XSD

    from kg.rdf.gazetteer import places_graph

    kgo = Namespace("https://example.org/kg/ontology#")
    graph = places_graph(places, ["extra-eu"])
    uk = KGR["place/eu/member/united-kingdom"]
    # the United Kingdom joined on 1 January 1973 and left on 31 January 2020
    assert (uk, kgo.memberOf, KGR["place/eu"]) in graph and (uk, kgo.memberPlace, KGR["place/united-kingdom"]) in graph
    assert graph.value(uk, kgo.memberSince) == Literal("1973-01-01", datatype=XSD.date)
    assert graph.value(uk, kgo.memberUntil) == Literal("2020-01-31", datatype=XSD.date)
    assert graph.value(KGR["place/eu/member/croatia"], kgo.memberSince) == Literal("2013-07-01", datatype=XSD.date)
    assert len(set(graph.subjects(kgo.memberOf, KGR["place/eu"]))) == 28
    assert (KGR["place/extra-eu"], kgo.complementOf, KGR["place/eu"]) in graph
    assert (KGR["place/united-kingdom"], URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal("Regno Unito", lang="it")) in graph


def test_a_place_comes_with_the_places_that_contain_it(places):
    from kg.rdf.gazetteer import places_graph

    graph = places_graph(places, ["fermo-province"])
    subjects = {str(s).rsplit("/", 1)[-1] for s in graph.subjects()}
    assert subjects == {"fermo-province", "marche", "italy"}
    assert (KGR["place/fermo-province"], URIRef("https://example.org/kg/ontology#istatCode"), Literal("109")) in graph
    assert (KGR["place/macerata-province"], None, None) not in graph
