"""The stages as plain functions: what the agents and ``wirestream enrich`` share.

Nothing here touches Kafka, Faust or the clock: the caller passes ``now``, so
the same input always gives the same output (replays and exactly-once
processing rely on that).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from schemas import Article, EnrichedArticle, Entity, RawWire, TopicTag
from streams import __version__
from streams.nlp.entities import EntityInput, entity_input
from streams.parse import parse_items

STAGE_PARSE = "parse"
STAGE_ENTITIES = "entities"
STAGE_TOPICS = "topics"


def pipeline_version(*, model: str | None = None) -> str:
    """Version stamp of every output record: our release plus the model that ran."""
    base = f"wirestream-{__version__}"
    return f"{base}+{model}" if model else base


def parse(raw: RawWire) -> list[Article]:
    """Stage 1: bytes to normalised articles (one per story in the wire).

    Raises a ``ParseError`` subclass on bad input.
    """
    return parse_items(raw)


def entities_input(article: Article) -> EntityInput:
    """What the entity stage feeds the model for this article."""
    return entity_input(
        headline=article.headline, paragraphs=article.body, language=article.language
    )


def with_entities(
    article: Article,
    entities: Sequence[Entity],
    *,
    pipeline_version: str,
    now: datetime,
    model_language: str = "en",
) -> EnrichedArticle:
    """Stage 2 result: the article and its entities."""
    skipped = None
    if article.language.split("-")[0].lower() != model_language:
        skipped = f"no entity model for language {article.language!r}"
    return EnrichedArticle(
        pipeline_version=pipeline_version,
        article=article,
        entities=list(entities),
        entities_skipped=skipped,
        stages=[STAGE_PARSE, STAGE_ENTITIES],
        enriched_at=now,
    )


def topics_input(enriched: EnrichedArticle) -> tuple[str, str]:
    """(headline, body) for the topic tagger."""
    return enriched.article.headline, "\n\n".join(enriched.article.body)


def with_topics(
    enriched: EnrichedArticle, topics: Sequence[TopicTag], *, now: datetime
) -> EnrichedArticle:
    """Stage 3 result: the fully enriched article."""
    return enriched.model_copy(
        update={
            "topics": list(topics),
            "stages": [*enriched.stages, STAGE_TOPICS],
            "enriched_at": now,
        }
    )
