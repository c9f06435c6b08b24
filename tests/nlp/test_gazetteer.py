"""The shipped gazetteer: built from its sources, loaded once, linking names to ids."""

from __future__ import annotations

import json
import re

import pytest

from streams.nlp import build_gazetteer
from streams.nlp.gazetteer import ORG_TYPES, PERSON_TYPES, gazetteer

QID = re.compile(r"^Q[1-9][0-9]*$")


def test_shipped_gazetteer_is_what_the_build_script_makes() -> None:
    shipped = build_gazetteer.OUTPUT.read_text(encoding="utf-8")
    assert shipped == build_gazetteer.render(), (
        "streams/nlp/data/gazetteer.json is stale: run `wirestream build gazetteer`"
    )


def test_gazetteer_is_loaded_once_per_process() -> None:
    assert gazetteer() is gazetteer()


@pytest.mark.parametrize(
    ("name", "types", "qid"),
    [
        ("Kim Jong-un", PERSON_TYPES, "Q56226"),
        ("Kim Jong Un", PERSON_TYPES, "Q56226"),
        ("Xi Jinping", PERSON_TYPES, "Q15031"),
        ("Vladimir Putin", PERSON_TYPES, "Q7747"),
        ("Putin", PERSON_TYPES, "Q7747"),
        ("Donald Trump", PERSON_TYPES, "Q22686"),
        ("United Nations", ORG_TYPES, "Q1065"),
        ("U.N.", ORG_TYPES, "Q1065"),
        ("Samsung Electronics", ORG_TYPES, "Q20718"),
    ],
)
def test_people_and_organisations_link_to_their_wikidata_items(
    name: str, types: frozenset[str], qid: str
) -> None:
    entry = gazetteer().find(name, types=types)
    assert entry is not None and entry.wikidata == qid


def test_known_organisation_without_qid_still_gives_its_acronym_and_type() -> None:
    entry = gazetteer().find("NIS", types=ORG_TYPES)
    assert entry is not None
    assert (entry.name, entry.type, entry.wikidata) == (
        "National Intelligence Service",
        "ORG",
        None,
    )


def test_a_person_name_does_not_find_an_organisation() -> None:
    assert gazetteer().find("Putin", types=ORG_TYPES) is None
    assert gazetteer().find("Nobody Known", types=PERSON_TYPES) is None


def test_curated_qids_are_well_formed_and_not_shared() -> None:
    curated = json.loads(build_gazetteer.CURATED.read_text(encoding="utf-8"))
    qids = [c["wikidata"] for c in curated["countries"].values() if "wikidata" in c]
    qids += [c["wikidata"] for c in curated["cities"].values()]
    qids += [e["wikidata"] for e in curated["entries"] if e.get("wikidata")]
    assert all(QID.match(q) for q in qids)
    assert len(qids) == len(set(qids))


def test_every_country_carries_its_iso_code_and_geonames_id() -> None:
    countries = [e for e in gazetteer().entries if e.feature == "country"]
    assert len(countries) > 240
    for entry in countries:
        assert entry.geo is not None
        assert entry.geo.country_code is not None and len(entry.geo.country_code) == 2
        assert entry.geo.geonames_id is not None


def test_attribution_names_every_source() -> None:
    text = (build_gazetteer.DATA_DIR / "ATTRIBUTION.md").read_text(encoding="utf-8")
    for needle in ("GeoNames", "CC BY 4.0", "Wikidata", "CC0", "people_orgs.json"):
        assert needle in text


def test_only_cities_and_landmarks_carry_a_point() -> None:
    with_point = {
        e.feature for e in gazetteer().entries if e.geo is not None and e.geo.lat is not None
    }
    assert with_point == {"city", "landmark"}


def test_continents_keep_their_geonames_id_without_a_point() -> None:
    continents = {e.name: e for e in gazetteer().entries if e.feature == "continent"}
    assert {"Europe", "Asia", "Africa", "North America", "South America"} <= set(continents)
    for entry in continents.values():
        assert entry.geo is not None and entry.geo.geonames_id is not None
        assert (entry.geo.lat, entry.geo.lon) == (None, None)
        assert entry.uri == f"https://sws.geonames.org/{entry.geo.geonames_id}/"
