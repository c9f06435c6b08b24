"""What queries may name beyond the article itself: IPTC topics and entity variants.

The parser resolves names against a :class:`Vocabulary` once, when a
subscription is created, so matching never looks anything up. The default
vocabulary is the one the pipeline tags with: the topic model's IPTC Media
Topics (level 1 and the level-2 topics under them) and the gazetteer's
people, organisations and places with their aliases and Wikidata QIDs. Tests
pass a small vocabulary of their own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache

from streams.alerts.text import name_key

_QID = re.compile(r"[Qq][0-9]+")
_MAX_CACHED = 200_000


@dataclass(frozen=True)
class EntityNames:
    """Every way an entity may appear in an article: name keys and Wikidata QIDs."""

    names: frozenset[str]
    qids: frozenset[str]


def _no_variants(value: str) -> EntityNames:
    return EntityNames(frozenset(), frozenset())


@dataclass(frozen=True)
class Vocabulary:
    """IPTC topic tree and entity variants the query parser resolves against."""

    #: narrower qcode -> its broader qcode (level 2 -> level 1 ...).
    topic_parent: Mapping[str, str]
    #: qcode -> English name, for every topic the tagger can assign.
    topic_name: Mapping[str, str]
    #: Known variants of an entity given by name or QID (none by default).
    entity_variants: Callable[[str], EntityNames] = _no_variants
    _by_name: dict[str, str] = field(init=False, repr=False, compare=False)
    _keys: dict[str, frozenset[str]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {name_key(n): q for q, n in self.topic_name.items()})
        object.__setattr__(self, "_keys", {})

    def entity_keys(self, value: str) -> frozenset[str]:
        """Every key an entity given as ``value`` may carry in an article: its name key,
        its variants' and its QIDs (upper case). Empty for a value with no letters or digits.

        One shared set per distinct value: many subscriptions name the same people
        and places, and 100,000 subscriptions must stay small.
        """
        found = self._keys.get(value)
        if found is not None:
            return found
        own = value.upper() if _QID.fullmatch(value) else name_key(value)
        if not own:
            return frozenset()
        variants = self.entity_variants(value)
        keys = frozenset({own} | variants.names | variants.qids)
        if len(self._keys) >= _MAX_CACHED:
            self._keys.clear()
        self._keys[value] = keys
        return keys

    def topic_by_name(self, name: str) -> str | None:
        """The qcode of a topic given by its English name (any case, any punctuation)."""
        return self._by_name.get(name_key(name))

    def lineage(self, qcode: str) -> tuple[str, ...]:
        """``qcode`` and every broader topic above it, narrowest first."""
        out = [qcode]
        seen = {qcode}
        parent = self.topic_parent.get(qcode)
        while parent is not None and parent not in seen:
            out.append(parent)
            seen.add(parent)
            parent = self.topic_parent.get(parent)
        return tuple(out)


def _gazetteer_variants() -> Callable[[str], EntityNames]:
    from streams.nlp.gazetteer import gazetteer

    gaz = gazetteer()
    by_qid = {e.wikidata: e for e in gaz.entries if e.wikidata}

    def variants(value: str) -> EntityNames:
        entry = by_qid.get(value.upper())
        if entry is None:
            found = gaz.matches(value)
            primary = [m for m in found if m.primary] or found
            # An ambiguous name ("Georgia") widens to nothing: the query then
            # matches the name as written, never a namesake's QID.
            if len(primary) != 1:
                return EntityNames(frozenset(), frozenset())
            entry = primary[0].entry
        names = frozenset(name_key(n) for n in (entry.name, *entry.aliases))
        qids = frozenset({entry.wikidata}) if entry.wikidata else frozenset()
        return EntityNames(names - {""}, qids)

    return variants


@cache
def default_vocabulary() -> Vocabulary:
    """The pipeline's own topic tree and gazetteer, read once per process."""
    from streams.classify.model import load_model

    model = load_model()
    names = dict(zip(model.qcodes, model.names, strict=True))
    names.update(zip(model.level2_qcodes, model.level2_names, strict=True))
    parents = {
        q: model.qcodes[p] for q, p in zip(model.level2_qcodes, model.level2_parents, strict=True)
    }
    return Vocabulary(topic_parent=parents, topic_name=names, entity_variants=_gazetteer_variants())
