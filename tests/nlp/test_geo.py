"""Offline geocoding from the shipped gazetteer."""

from __future__ import annotations

import pytest

from streams.nlp.geo import country_code, resolve_place


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
