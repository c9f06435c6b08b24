"""Our own small vocabulary and article builder for the alerts tests (invented stories)."""

from __future__ import annotations

from datetime import UTC, datetime

from schemas import Article, EnrichedArticle, Entity, Mention, TopicTag
from schemas.article import Urgency
from schemas.enriched import Geo
from streams.alerts import EntityNames, Vocabulary
from streams.alerts.text import name_key

NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)

TOPICS = {
    "medtop:16000000": "conflict, war and peace",
    "medtop:20000053": "armed conflict",
    "medtop:11000000": "politics",
    "medtop:20000574": "election",
    "medtop:04000000": "economy, business and finance",
    "medtop:15000000": "sport",
}
PARENTS = {"medtop:20000053": "medtop:16000000", "medtop:20000574": "medtop:11000000"}

_PEOPLE = {
    "Q56226": ("Kim Jong-un", ("Kim Jong Un",)),
    "Q15031": ("Xi Jinping", ("Xi",)),
}


def _variants(value: str) -> EntityNames:
    for qid, (name, aliases) in _PEOPLE.items():
        if value.upper() == qid or name_key(value) in {name_key(n) for n in (name, *aliases)}:
            return EntityNames(frozenset(name_key(n) for n in (name, *aliases)), frozenset({qid}))
    return EntityNames(frozenset(), frozenset())


VOCABULARY = Vocabulary(topic_parent=PARENTS, topic_name=TOPICS, entity_variants=_variants)


def entity(
    name: str,
    type_: str,
    text: tuple[str, str],
    *,
    relevance: int = 50,
    wikidata: str | None = None,
    geo: Geo | None = None,
    surface: str | None = None,
) -> Entity:
    """An entity with a mention wherever ``surface`` (default: the name) occurs."""
    headline, body = text
    form = surface or name
    mentions = []
    for section, section_text in (("headline", headline), ("body", body)):
        start = section_text.find(form)
        while start >= 0:
            mentions.append(
                Mention(text=form, section=section, start=start, end=start + len(form))  # type: ignore[arg-type]
            )
            start = section_text.find(form, start + 1)
    if not mentions:
        mentions.append(Mention(text=form, section="body", start=0, end=len(form)))
    return Entity(
        name=name, type=type_, mentions=mentions, relevance=relevance, wikidata=wikidata, geo=geo
    )


def record(
    headline: str,
    body: str = "",
    *,
    entities: tuple[tuple[str, str], ...] | list[Entity] = (),
    topics: tuple[str, ...] = (),
    source: str | None = "Yonhap",
    language: str = "en",
    urgency: int | None = None,
    version: int = 1,
    signals: tuple[str, ...] = (),
    version_tags: tuple[str, ...] = (),
    supersedes: str | None = None,
    story_id: str = "story-1",
    article_id: str | None = None,
) -> EnrichedArticle:
    """A released article; ``entities`` as (name, type) pairs or ready Entity records."""
    text = (headline, body)
    ents = [e if isinstance(e, Entity) else entity(e[0], e[1], text) for e in entities]
    article = Article(
        article_id=article_id or f"{story_id}-v{version}",
        story_id=story_id,
        version=version,
        version_tags=list(version_tags),
        wire_id="sha256:" + "0" * 32,
        source_format="plain-text",
        source_agency=source,
        language=language,
        headline=headline,
        body=body.split("\n\n") if body else [],
        urgency=Urgency(value=urgency) if urgency is not None else None,
        received_at=NOW,
        signals=list(signals),
    )
    return EnrichedArticle(
        pipeline_version="wirestream-test",
        article=article,
        entities=ents,
        topics=[
            TopicTag(
                qcode=q,
                name=TOPICS.get(q, q),
                level=2 if q in PARENTS else 1,
                relevance=80,
                creator="test",
            )
            for q in topics
        ],
        stages=["parse", "entities", "topics"],
        supersedes=supersedes,
        enriched_at=NOW,
    )
