"""An article as the matcher reads it: words, entities, topics and facts, indexed once.

:func:`document` turns a released :class:`~schemas.EnrichedArticle` (or a
:class:`~schemas.KillNotice`, which has only a headline) into a
:class:`Document`. Building it costs one pass over the text; every query term
is then a set or dict lookup. ``keys`` are the index keys the percolator
looks up (see :mod:`streams.alerts.percolator`): ``w:`` a word, ``h:`` a headline
word, ``b:``/``hb:`` two words side by side (anywhere / in the headline), ``e:``
an entity name, ``q:`` a QID, ``p:`` a place's name or QID, ``t:``/``k:`` an
entity label or kind, ``tp:`` a topic, ``g:``/``c:`` a GeoNames id or country,
``s:``, ``l:``, ``u:``, ``v:`` the source, language, urgency and version kind.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Literal

from schemas import EnrichedArticle, Entity, KillNotice
from streams.alerts.text import name_key, spans
from streams.alerts.vocabulary import Vocabulary

VersionKind = Literal["first", "update", "correction", "kill"]
VERSION_KINDS: tuple[VersionKind, ...] = ("first", "update", "correction", "kill")
Section = Literal["headline", "body"]

#: Version tags that mark urgency, not a later version of the story.
_URGENCY_TAGS = frozenset({"urgent", "flash", "bulletin", "alert"})
_UPDATE_SIGNALS = frozenset({"update", "writethru"})


def version_kind(record: EnrichedArticle) -> VersionKind:
    """What version of its story an article is: the first, an update or a correction.

    A correction says so in its signals; an update replaces a version seen
    before (``supersedes``), carries a version number above 1, an update or
    write-through signal, or a version tag such as LEAD or ROUNDUP. Version 0
    (an urgent first take) and version 1 are first versions.
    """
    article = record.article
    signals = {s.casefold() for s in article.signals}
    if "correction" in signals:
        return "correction"
    tags = {t.casefold() for t in article.version_tags} - _URGENCY_TAGS
    if record.supersedes or article.version > 1 or signals & _UPDATE_SIGNALS or tags:
        return "update"
    return "first"


def _positions(items: list[tuple[str, int, int]]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = defaultdict(list)
    for i, (word, _start, _end) in enumerate(items):
        out[word].append(i)
    return dict(out)


def _primary(language: str) -> str:
    return language.split("-", 1)[0]


@dataclass(frozen=True, eq=False)
class Document:
    """One article, prepared for matching. Build with :func:`document`."""

    story_id: str
    article_id: str
    version: int
    kind: VersionKind
    headline: str
    body: str
    #: (word, start, end) of the headline and of the body (paragraphs joined by a blank line).
    headline_words: list[tuple[str, int, int]]
    body_words: list[tuple[str, int, int]]
    headline_positions: dict[str, list[int]]
    body_positions: dict[str, list[int]]
    headline_set: frozenset[str]
    word_set: frozenset[str]
    entities: tuple[Entity, ...]
    #: name key or QID -> indexes into ``entities``.
    entity_index: dict[str, list[int]]
    entity_keys: frozenset[str]
    labels: frozenset[str]
    kinds: frozenset[str]
    #: qcode of every topic tag and of each broader topic above it -> the tag's qcode.
    topics: dict[str, str]
    source: str | None
    language: str
    urgency: int | None
    geonames: dict[int, list[int]]
    countries: dict[str, list[int]]
    keys: frozenset[str] = field(repr=False)


def document(record: EnrichedArticle | KillNotice, vocabulary: Vocabulary) -> Document:
    """The matcher's view of a released article or a kill notice."""
    if isinstance(record, KillNotice):
        return _build(
            story_id=record.story_id,
            article_id=record.article_id,
            version=0,
            kind="kill",
            headline=record.headline,
            body="",
            entities=(),
            topic_qcodes=(),
            source=record.source_agency,
            language="",
            urgency=None,
            vocabulary=vocabulary,
        )
    article = record.article
    return _build(
        story_id=article.story_id,
        article_id=article.article_id,
        version=article.version,
        kind=version_kind(record),
        headline=article.headline,
        body="\n\n".join(article.body),
        entities=tuple(record.entities),
        topic_qcodes=tuple(t.qcode for t in record.topics),
        source=article.source_agency,
        language=article.language,
        urgency=article.urgency.value if article.urgency else None,
        vocabulary=vocabulary,
    )


def _build(
    *,
    story_id: str,
    article_id: str,
    version: int,
    kind: VersionKind,
    headline: str,
    body: str,
    entities: tuple[Entity, ...],
    topic_qcodes: tuple[str, ...],
    source: str | None,
    language: str,
    urgency: int | None,
    vocabulary: Vocabulary,
) -> Document:
    head = list(spans(headline))
    words = list(spans(body))
    head_set = frozenset(w for w, _, _ in head)
    word_set = head_set | {w for w, _, _ in words}

    entity_index: dict[str, list[int]] = defaultdict(list)
    place_keys: set[str] = set()
    geonames: dict[int, list[int]] = defaultdict(list)
    countries: dict[str, list[int]] = defaultdict(list)
    for i, entity in enumerate(entities):
        names = {name_key(entity.name), *(name_key(s) for s in entity.surface_forms)}
        if entity.wikidata:
            names.add(entity.wikidata.upper())
        for key in names - {""}:
            entity_index[key].append(i)
            if entity.kind == "place":
                place_keys.add(key)
        if entity.geo is not None:
            if entity.geo.geonames_id is not None:
                geonames[entity.geo.geonames_id].append(i)
            if entity.geo.country_code:
                countries[entity.geo.country_code.upper()].append(i)

    topics: dict[str, str] = {}
    for qcode in topic_qcodes:
        for broader in vocabulary.lineage(qcode):
            topics.setdefault(broader, qcode)

    source_key = name_key(source) if source else None
    lang = language.casefold()
    labels = frozenset(e.type.upper() for e in entities)
    kinds = frozenset(e.kind for e in entities)

    keys: set[str] = {"w:" + w for w in word_set}
    keys.update("e:" + k if not _is_qid(k) else "q:" + k for k in entity_index)
    keys.update("h:" + w for w in head_set)
    keys.update(_pairs("b:", head))
    keys.update(_pairs("b:", words))
    keys.update(_pairs("hb:", head))
    keys.update("p:" + k for k in place_keys)
    keys.update("t:" + label for label in labels)
    keys.update("k:" + k for k in kinds)
    keys.update("tp:" + q for q in topics)
    keys.update("g:" + str(g) for g in geonames)
    keys.update("c:" + c for c in countries)
    keys.add("v:" + kind)
    if source_key:
        keys.add("s:" + source_key)
    if lang:
        keys.add("l:" + _primary(lang))
    if urgency is not None:
        keys.add(f"u:{urgency}")

    return Document(
        story_id=story_id,
        article_id=article_id,
        version=version,
        kind=kind,
        headline=headline,
        body=body,
        headline_words=head,
        body_words=words,
        headline_positions=_positions(head),
        body_positions=_positions(words),
        headline_set=head_set,
        word_set=word_set,
        entities=entities,
        entity_index=dict(entity_index),
        entity_keys=frozenset(entity_index),
        labels=labels,
        kinds=kinds,
        topics=topics,
        source=source_key,
        language=lang,
        urgency=urgency,
        geonames=dict(geonames),
        countries=dict(countries),
        keys=frozenset(keys),
    )


def _pairs(prefix: str, items: list[tuple[str, int, int]]) -> list[str]:
    """A key for each two words side by side: phrases are looked up by their pairs."""
    return [f"{prefix}{a} {b}" for (a, _, _), (b, _, _) in pairwise(items)]


def _is_qid(key: str) -> bool:
    # Name keys are case-folded, so an upper-case Q followed by digits is a QID.
    return len(key) > 1 and key[0] == "Q" and key[1:].isascii() and key[1:].isdigit()
