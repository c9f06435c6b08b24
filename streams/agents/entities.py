"""Entities agent: wires.parsed (Article) -> wires.entities (EnrichedArticle).

Batches come from ``take_events`` and go to the process pool in one call.

Each record also says which earlier version of its story it replaces
(``supersedes``), from the table ``story-versions``: story id -> the latest
version seen. wires.parsed is keyed by story id, so every version of a story
comes through the same partition, in order, to the one worker that owns that
partition of the table. The rule, including versions that arrive out of
order, is in :mod:`streams.stories`.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from schemas import Article
from streams import pipeline, stories
from streams.agents import tables
from streams.agents.batching import process_batch
from streams.app import app, entities_topic, parsed_topic, settings, stage_pool
from streams.topology import STORY_VERSIONS

log = logging.getLogger(__name__)

story_versions = app.Table(
    STORY_VERSIONS.name, partitions=settings.partitions, help=STORY_VERSIONS.doc
)


def _seen(story_id: str) -> stories.VersionSeen | None:
    value = tables.get(story_versions, story_id)
    if value is None:
        return None
    try:
        return stories.VersionSeen.from_json(value)
    except (KeyError, TypeError, ValueError):
        log.warning("story-versions: unreadable entry for %s, starting the story afresh", story_id)
        return None


def track_version(article: Article, *, partition: int) -> stories.VersionCheck:
    """Check ``article`` against the latest version seen and record it when it is newer."""
    check = stories.check_version(_seen(article.story_id), article)
    if check.changed:
        tables.put(story_versions, article.story_id, check.seen.to_json(), partition=partition)
    if check.out_of_order:
        log.info(
            "story %s: version %d (%s) arrived after version %d; published as out-of-order",
            article.story_id,
            article.version,
            article.article_id,
            check.seen.version,
        )
    return check


@app.agent(parsed_topic, name="entities")
async def extract_entities(stream: Any) -> None:
    version = pipeline.pipeline_version(model=await stage_pool.start())
    async for events in stream.take_events(settings.batch_size, within=settings.batch_within):
        done = await process_batch(
            events,
            stage=pipeline.STAGE_ENTITIES,
            decode=Article.model_validate_json,
            to_input=pipeline.entities_input,
            run=stage_pool.entities,
            pipeline_version=version,
        )
        now = datetime.now(UTC)
        for event, article, entities in done:
            check = track_version(article, partition=event.message.partition)
            published = stories.mark_out_of_order(article) if check.out_of_order else article
            enriched = pipeline.with_entities(
                published,
                entities,
                pipeline_version=version,
                now=now,
                supersedes=check.supersedes,
            )
            await entities_topic.send(key=article.story_id.encode(), value=enriched.to_json())
