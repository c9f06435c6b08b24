"""Offline geocoding from the shipped gazetteer."""

from __future__ import annotations

from typing import Any

import pytest

from schemas.enriched import Geo
from streams.nlp import entity_input, extract_entities, geo
from streams.nlp.gazetteer import Gazetteer, GazetteerEntry, gazetteer
from streams.nlp.geo import country_code, is_compass_name, resolve_place


@pytest.mark.parametrize(
    ("name", "cc", "geonames_id", "lat", "lon"),
    [
        ("Beijing", "CN", 1816670, 39.9, 116.4),
        ("BEIJING", "CN", 1816670, 39.9, 116.4),
        ("Seoul", "KR", 1835848, 37.57, 126.98),
        ("Pyongyang", "KP", 1871859, 39.03, 125.75),
        ("Washington", "US", 4140963, 38.9, -77.04),
        ("Moscow", "RU", 524901, 55.75, 37.62),
    ],
)
def test_cities_get_coordinates_country_code_and_geonames_id(
    name: str, cc: str, geonames_id: int, lat: float, lon: float
) -> None:
    entry = resolve_place(name)
    assert entry is not None and entry.geo is not None
    assert entry.geo.feature == "city"
    assert (entry.geo.country_code, entry.geo.geonames_id) == (cc, geonames_id)
    assert entry.geo.lat == pytest.approx(lat, abs=0.05)
    assert entry.geo.lon == pytest.approx(lon, abs=0.05)


def test_a_landmark_not_in_geonames_comes_from_the_curated_list() -> None:
    entry = resolve_place("Tiananmen Square")
    assert entry is not None and entry.geo is not None
    assert entry.geo.feature == "landmark"
    assert entry.geo.country_code == "CN"
    assert entry.geo.lat == pytest.approx(39.90, abs=0.01)
    assert entry.geo.lon == pytest.approx(116.39, abs=0.01)


@pytest.mark.parametrize(
    ("name", "cc", "qid"),
    [
        ("South Korea", "KR", "Q884"),
        ("S. Korea", "KR", "Q884"),
        ("North Korea", "KP", "Q423"),
        ("U.S.", "US", "Q30"),
        ("United States of America", "US", "Q30"),
        ("Britain", "GB", "Q145"),
        ("Georgia", "GE", "Q230"),
    ],
)
def test_country_names_and_aliases_resolve_to_the_country(name: str, cc: str, qid: str) -> None:
    entry = resolve_place(name)
    assert entry is not None and entry.geo is not None
    assert entry.geo.feature == "country"
    assert (entry.geo.country_code, entry.wikidata) == (cc, qid)
    assert country_code(name) == cc


def test_the_most_populous_city_wins_when_it_clearly_dominates() -> None:
    # Alexandria, Egypt has some 25 times the people of Alexandria, Virginia.
    entry = resolve_place("Alexandria")
    assert entry is not None and entry.geo is not None and entry.geo.country_code == "EG"


@pytest.mark.parametrize("name", ["Springfield", "Cambridge", "Valencia"])
def test_ambiguous_towns_are_left_ungeocoded(name: str) -> None:
    assert resolve_place(name) is None


def test_countries_named_in_the_article_settle_an_ambiguous_city() -> None:
    entry = resolve_place("Valencia", countries={"ES"})
    assert entry is not None and entry.geo is not None and entry.geo.country_code == "ES"
    venezuela = resolve_place("Valencia", countries={"VE"})
    assert venezuela is not None and venezuela.geo is not None
    assert venezuela.geo.country_code == "VE"


def test_unknown_places_and_non_places_are_not_geocoded() -> None:
    assert resolve_place("Nowhereville") is None
    assert resolve_place("Kim Jong-un") is None
    assert country_code("Seoul") is None


@pytest.mark.parametrize(
    "name", ["Europe", "Asia", "Africa", "North America", "South America", "Oceania"]
)
def test_a_continent_is_the_continent_with_no_point(name: str) -> None:
    entry = resolve_place(name)
    assert entry is not None and entry.geo is not None
    assert entry.name == name and entry.geo.feature == "continent"
    assert entry.geo.geonames_id is not None
    # GeoNames' continent point is a map label (Europe's is near Stuttgart), not a place.
    assert (entry.geo.lat, entry.geo.lon) == (None, None)


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("Middle East", "Middle East"),
        ("Mideast", "Middle East"),
        ("the Pacific", "Pacific Ocean"),
        ("Korean Peninsula", "Korean Peninsula"),
        ("Korean peninsula", "Korean Peninsula"),
        ("Southeast Asia", "Southeast Asia"),
        ("Latin America", "Latin America"),
        ("the Mediterranean", "Mediterranean Sea"),
        ("Horn of Africa", "Horn of Africa"),
    ],
)
def test_world_regions_and_oceans_are_curated_areas_with_no_point(
    name: str, canonical: str
) -> None:
    entry = resolve_place(name)
    assert entry is not None and entry.name == canonical
    assert entry.geo is None


def test_america_is_the_united_states_not_a_town() -> None:
    entry = resolve_place("America")
    assert entry is not None and entry.geo is not None
    assert (entry.geo.feature, entry.geo.country_code, entry.geo.lat) == ("country", "US", None)


@pytest.mark.parametrize("name", ["the West", "West", "the Far East", "North", "the South"])
def test_compass_names_are_parts_of_the_world_not_places_to_geocode(name: str) -> None:
    assert is_compass_name(name)
    assert resolve_place(name) is None


def test_compass_words_inside_a_place_name_do_not_block_it() -> None:
    assert not is_compass_name("West Africa")
    assert not is_compass_name("North Korea")
    entry = resolve_place("North Korea")
    assert entry is not None and entry.geo is not None and entry.geo.country_code == "KP"


def _town(name: str, geonames_id: int) -> GazetteerEntry:
    return GazetteerEntry(
        id=f"geonames:{geonames_id}",
        name=name,
        type="GPE",
        aliases=(),
        wikidata=None,
        population=2_000,
        capital=False,
        geo=Geo(lat=48.7, lon=9.1, country_code="DE", geonames_id=geonames_id, feature="city"),
    )


@pytest.fixture()
def towns_named_like_areas(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped areas plus small towns that share their names, as a fuller gazetteer has."""
    areas = [e for e in gazetteer().entries if e.name in {"Europe", "Middle East"}]
    towns = [_town("Europe", 1), _town("Middle East", 2), _town("West", 3), _town("Far East", 4)]
    fuller = Gazetteer([*areas, *towns])
    monkeypatch.setattr(geo, "gazetteer", lambda: fuller)


@pytest.mark.usefixtures("towns_named_like_areas")
def test_a_town_never_takes_the_name_of_a_continent_region_or_compass_point() -> None:
    europe = resolve_place("Europe")
    assert europe is not None and europe.geo is not None
    assert europe.geo.feature == "continent" and europe.geo.lat is None
    middle_east = resolve_place("the Middle East")
    assert middle_east is not None and middle_east.id == "curated:middle-east"
    assert resolve_place("the West") is None
    assert resolve_place("Far East") is None


def test_no_continent_or_curated_area_of_the_gazetteer_resolves_to_a_point() -> None:
    areas = [
        e
        for e in gazetteer().entries
        if e.type == "LOC" and (e.geo is None or e.geo.feature == "continent")
    ]
    assert len(areas) > 30
    for area in areas:
        for name in (area.name, *area.aliases):
            entry = resolve_place(name)
            assert entry is not None, name
            assert entry.geo is None or entry.geo.lat is None, (name, entry.name)


def test_an_article_gets_points_for_its_cities_only(nlp: Any) -> None:
    paragraphs = [
        "Shipments of kimchi from Busan to Europe and Africa rose sharply last year, while "
        "exports to Asia fell, the trade ministry said.",
        "Officials said tensions in the Middle East and on the Korean Peninsula had pushed "
        "freight rates across the Pacific higher.",
        "Buyers in America and the West asked for longer contracts, the ministry added.",
    ]
    (entities,) = extract_entities(
        nlp, [entity_input(headline="Kimchi exports to Europe rise", paragraphs=paragraphs)]
    )
    by_name = {e.name: e for e in entities}
    busan = by_name["Busan"].geo
    assert busan is not None and busan.feature == "city" and busan.lat is not None
    for name in ("Europe", "Africa", "Asia"):
        point = by_name[name].geo
        assert point is not None and point.feature == "continent" and point.lat is None
    for name in ("Middle East", "Korean Peninsula", "Pacific Ocean"):
        assert by_name[name].geo is None
    located = {e.name for e in entities if e.geo is not None and e.geo.lat is not None}
    assert located == {"Busan"}
