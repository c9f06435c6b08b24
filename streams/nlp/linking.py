"""Gazetteer linking: which shipped gazetteer entry (Wikidata, GeoNames) an entity is."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from streams.nlp.gazetteer import ORG_TYPES, PERSON_TYPES, GazetteerEntry, gazetteer
from streams.nlp.geo import country_code, resolve_place
from streams.nlp.mentions import Item

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


def gazetteer_type(forms: Iterable[str], label: str) -> str | None:
    """The type the gazetteer gives a name, when it knows the name under one type only."""
    for form in sorted(forms, key=lambda f: (-len(f), f)):
        types = {m.entry.type for m in gazetteer().matches(form)}
        if label in types:
            return label
        if len(types) == 1:
            return types.pop()
    return None


def types_for(label: str) -> frozenset[str]:
    if label == "PERSON":
        return PERSON_TYPES
    if label == "ORG":
        return ORG_TYPES
    return frozenset()


def link(items: Sequence[Item], label: str, countries: frozenset[str]) -> GazetteerEntry | None:
    """The gazetteer entry the entity is, trying its longest written forms first."""
    forms = sorted({i.text for i in items}, key=lambda t: (-len(t.split()), -len(t), t))
    for form in forms:
        if label in PLACE_LABELS:
            entry = resolve_place(form, countries=countries)
        elif label in ("PERSON", "ORG"):
            entry = gazetteer().find(form, types=types_for(label))
        else:
            entry = None
        if entry is not None:
            return entry
    return None


def story_countries(items: Iterable[Item]) -> frozenset[str]:
    """Country codes of the places a story names, to prefer their towns when linking."""
    codes = set()
    for item in items:
        if item.label in PLACE_LABELS:
            code = country_code(item.text)
            if code:
                codes.add(code)
    return frozenset(codes)
