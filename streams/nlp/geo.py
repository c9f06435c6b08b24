"""Geocoding place names offline, from the shipped gazetteer (GeoNames data).

Rules, in order:

1. a country name (or a curated alias: "U.S.", "S. Korea") is the country;
2. otherwise the kind of place with the highest tier (see
   :mod:`streams.nlp.gazetteer`): a curated landmark or area or a continent, a
   city, a US state; a match on the place's own name beats a match on an
   alternate name;
3. a name made only of compass words ("the West", "the Far East") is a part of
   the world seen from the writer, never a town that shares it: no city answers it;
4. between cities of the same name, the most populous wins when it clearly
   dominates (:data:`DOMINANCE` times the next, or it is a capital and the
   next is not); else the countries the article names decide; else nothing:
   an ambiguous town is left ungeocoded rather than guessed.

Only cities and curated landmarks carry a point (lat, lon). Countries,
continents, US states and the curated world regions and oceans ("Middle East",
"Pacific Ocean", "Korean Peninsula") are areas: they resolve to their entry, with
ids and codes but no coordinates, so a map never puts a pin for "Europe" on one
town (GeoNames' own continent point for Europe lies near Stuttgart).
"""

from __future__ import annotations

from collections.abc import Collection
from functools import cache

from streams.nlp.canonical import name_key
from streams.nlp.gazetteer import CITY_TIER, PLACE_TYPES, GazetteerEntry, gazetteer

#: How many times more people the first city needs than the second to win alone.
DOMINANCE = 5

#: Words that place an area relative to the writer; see rule 3.
COMPASS_WORDS: frozenset[str] = frozenset(
    {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"}
    | {"northern", "southern", "eastern", "western", "central", "middle", "far", "near"}
)


def is_compass_name(name: str) -> bool:
    """Whether ``name`` is only compass words ("the West", "Far East"), "the" aside."""
    words = name_key(name).split()
    return bool(words) and all(w in COMPASS_WORDS for w in words)


def _dominant(cities: list[GazetteerEntry]) -> GazetteerEntry | None:
    if len(cities) == 1:
        return cities[0]
    ranked = sorted(cities, key=lambda e: (-e.population, e.id))
    first, second = ranked[0], ranked[1]
    if first.population >= DOMINANCE * max(second.population, 1):
        return first
    if first.capital and not second.capital:
        return first
    return None


def resolve_place(name: str, *, countries: Collection[str] = ()) -> GazetteerEntry | None:
    """The place ``name`` stands for, or None when unknown or too ambiguous.

    ``countries`` are ISO codes of countries the article names, used only to
    choose between cities of the same name.
    """
    found = gazetteer().matches(name, types=PLACE_TYPES)
    if not found:
        return None
    best_tier = max(m.entry.tier for m in found)
    tier = [m for m in found if m.entry.tier == best_tier]
    primary = [m.entry for m in tier if m.primary] or [m.entry for m in tier]
    if best_tier != CITY_TIER:
        return min(primary, key=lambda e: (-e.population, e.id))
    if is_compass_name(name):
        return None
    chosen = _dominant(primary)
    if chosen is None and countries:
        local = [e for e in primary if e.geo is not None and e.geo.country_code in countries]
        chosen = _dominant(local) if local else None
    return chosen


def country_code(name: str) -> str | None:
    """ISO code of the country called ``name`` (any alias), else None."""
    entry = resolve_place(name)
    if entry is None or entry.geo is None or entry.geo.feature != "country":
        return None
    return entry.geo.country_code


#: What a country's name adds to its people's: Kazakh-stan, Uzbek-istan, Serb-ia, Somali-a.
#: Not a spelling's "e" (Surinam, Suriname: both the country).
NATIONALITY_ENDINGS: frozenset[str] = frozenset({"stan", "istan", "ia", "a"})


@cache
def _one_word_countries() -> tuple[str, ...]:
    return tuple(
        sorted(
            {
                e.name
                for e in gazetteer().entries
                if e.feature == "country" and " " not in e.name and e.name[:1].isupper()
            }
        )
    )


def nationality_of(word: str) -> str | None:
    """The country whose name ``word`` is the stem of, when ``word`` is no place itself.

    "Kazakh" (Kazakhstan), "Uzbek", "Serb", "Croat", "Somali": nationalities that models
    trained on European news take for places. A place of that spelling wins ("Niger" is a
    country before it is the stem of Nigeria).
    """
    if len(word) < 4 or not word[:1].isupper() or resolve_place(word) is not None:
        return None
    for name in _one_word_countries():
        if name.startswith(word) and name[len(word) :] in NATIONALITY_ENDINGS:
            return name
    return None
