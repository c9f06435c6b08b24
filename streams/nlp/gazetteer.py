"""The gazetteer shipped with Wirestream: places, people and organisations with ids.

``data/gazetteer.json`` is built by :mod:`streams.nlp.build_gazetteer` from
GeoNames (countries, cities, continents, US states; CC BY 4.0) and our curated
``data/people_orgs.json`` (Wikidata QIDs, CC0; landmarks, world regions, oceans).
Only cities and landmarks have a point: countries, continents, US states and
curated areas are areas, and carry ids and codes only. The built file keeps
GeoNames' continent points as GeoNames gives them; :func:`_entry` drops them
(:data:`AREA_FEATURES`). The file is read once per process and indexed by
:func:`streams.nlp.canonical.name_key`, so a lookup is a dict access.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from schemas.enriched import Geo
from streams.nlp.canonical import name_key

PERSON_TYPES = frozenset({"PERSON"})
ORG_TYPES = frozenset({"ORG"})
PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})

#: Order of preference between kinds of gazetteer entries with the same name:
#: "Georgia" is the country before the US state, "Washington" the capital city
#: before the state, a curated landmark or area ("Middle East") and a continent
#: before a city of the same name: news copy that names a continent or a region
#: of the world never means a town that shares its name.
_TIER = {"country": 5, "landmark": 4, "curated": 4, "continent": 4, "city": 3, "region": 1}
CITY_TIER = _TIER["city"]

#: Features that are areas, never a point, whatever the source gives: GeoNames'
#: point for a continent is where a map prints its label (Europe's lies near
#: Stuttgart), and a pin there would read as that town.
AREA_FEATURES = frozenset({"continent"})


@dataclass(frozen=True)
class GazetteerEntry:
    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    wikidata: str | None
    population: int
    capital: bool
    geo: Geo | None

    @property
    def feature(self) -> str:
        return self.geo.feature if self.geo is not None else "curated"

    @property
    def tier(self) -> int:
        return _TIER.get(self.feature, 0)

    @property
    def uri(self) -> str | None:
        if self.wikidata:
            return f"http://www.wikidata.org/entity/{self.wikidata}"
        if self.geo is not None and self.geo.geonames_id is not None:
            return f"https://sws.geonames.org/{self.geo.geonames_id}/"
        return None


#: Longest name (letters) read as an acronym when written in capitals.
SHORT_ACRONYM = 4


def _in_capitals(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and " " not in name and all(c.isupper() for c in letters)


@dataclass(frozen=True)
class Match:
    """A gazetteer entry found for a name, and whether by its own name or an alias."""

    entry: GazetteerEntry
    primary: bool
    capitals: bool = False  # the name or alias is written in capitals ("DPRK", "U.S.")


class Gazetteer:
    """Entries indexed by the name key of their name and of each alias."""

    def __init__(self, entries: Iterable[GazetteerEntry]) -> None:
        self.entries = tuple(entries)
        self._index: dict[str, list[Match]] = {}
        self._by_word: dict[str, set[str]] = {}
        self._types: dict[str, str] = {}
        for entry in self.entries:
            self._add(entry.name, Match(entry, True, _in_capitals(entry.name)))
            for alias in entry.aliases:
                self._add(alias, Match(entry, False, _in_capitals(alias)))
            for name in (entry.name, *entry.aliases):
                if " " in name:
                    self._types.setdefault(name, entry.type)
                    for word in set(name.split()):
                        self._by_word.setdefault(word, set()).add(name)

    def _add(self, name: str, match: Match) -> None:
        bucket = self._index.setdefault(name_key(name), [])
        if all(m.entry.id != match.entry.id for m in bucket):
            bucket.append(match)

    def matches(self, name: str, *, types: frozenset[str] | None = None) -> list[Match]:
        """Entries named ``name`` (any spelling with the same key), optionally of ``types``.

        A short name in capitals is an acronym: it matches only a name or alias written in
        capitals too, so "NIS" (the spy agency) is not Niš and "SUV" not Suva.
        """
        found = self._index.get(name_key(name), [])
        acronym = _in_capitals(name) and len(name_key(name)) <= SHORT_ACRONYM
        return [
            m
            for m in found
            if (types is None or m.entry.type in types) and (m.capitals or not acronym)
        ]

    def names_containing(self, text: str) -> list[tuple[str, str]]:
        """Multi-word names and aliases that contain ``text`` (as written), longest first,
        each with its entry's type."""
        words = text.split()
        if not words:
            return []
        found = self._by_word.get(words[0], set())
        return [
            (n, self._types[n])
            for n in sorted(found, key=lambda n: (-len(n), n))
            if text in n and len(n) > len(text)
        ]

    def find(self, name: str, *, types: frozenset[str]) -> GazetteerEntry | None:
        """The one person or organisation of ``types`` named ``name``; None if none or several."""
        found = self.matches(name, types=types)
        primary = [m for m in found if m.primary] or found
        return primary[0].entry if len(primary) == 1 else None


def _entry(raw: dict[str, Any]) -> GazetteerEntry:
    geo = raw.get("geo")
    if geo and geo.get("feature") in AREA_FEATURES:
        geo = {**geo, "lat": None, "lon": None}
    return GazetteerEntry(
        id=raw["id"],
        name=raw["name"],
        type=raw["type"],
        aliases=tuple(raw.get("aliases", ())),
        wikidata=raw.get("wikidata"),
        population=int(raw.get("population", 0)),
        capital=bool(raw.get("capital", False)),
        geo=Geo.model_validate(geo) if geo else None,
    )


@cache
def gazetteer() -> Gazetteer:
    """The shipped gazetteer, loaded and indexed once per process."""
    text = (
        resources.files("streams.nlp").joinpath("data/gazetteer.json").read_text(encoding="utf-8")
    )
    return Gazetteer(_entry(raw) for raw in json.loads(text)["entries"])
