"""Entities agent: wires.parsed (Article) -> wires.entities (EnrichedArticle).

Batches come from ``take_events`` and go to the process pool in one call.

Each record also says which earlier version of its story it replaces
(``supersedes``), from the table ``story-versions``: story id -> the latest
version seen. wires.parsed is keyed by story id, so every version of a story
comes through the same partition, in order, to the one worker that owns that
partition of the table. The rule, including versions that arrive out of
order, is in :mod:`streams.stories`. Entries older than
``story_versions_retention_days`` are dropped by a timer.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from faust.types import StreamT

from schemas import Article
from streams import pipeline, stories
from streams.agents.batching import Item, batches, commit_items, run_batch
from streams.agents.retention import sweep
from streams.app import app, entities_topic, outbox, parsed_topic, settings, stage_pool, state_table
from streams.outbox import Tx
from streams.topology import ENTITIES, PARSED, STORY_VERSIONS

log = logging.getLogger(__name__)

STAGE = pipeline.STAGE_ENTITIES
RETENTION = timedelta(days=settings.story_versions_retention_days)

story_versions = state_table(STORY_VERSIONS)
outbox.register(STAGE, topics=[settings.topic(PARSED.name)], tables=[story_versions])


def _seen(tx: Tx, story_id: str) -> stories.VersionSeen | None:
    value = tx.get(STORY_VERSIONS.name, story_id)
    if value is None:
        return None
    try:
        return stories.VersionSeen.from_json(value)
    except (KeyError, TypeError, ValueError):
        log.warning("story-versions: unreadable entry for %s, starting the story afresh", story_id)
        return None


def track_version(tx: Tx, article: Article) -> stories.VersionCheck:
    """Check ``article`` against the latest version seen and record it when it is newer."""
    check = stories.check_version(_seen(tx, article.story_id), article)
    if check.changed:
        tx.put(STORY_VERSIONS.name, article.story_id, check.seen.to_json())
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
async def extract_entities(stream: StreamT[Any]) -> None:
    version = pipeline.pipeline_version(model=await stage_pool.start())
    # Silences "never used": the handle is the agent's input and its declared output.
    _ = entities_topic

    def emit(tx: Tx, item: Item[Article, Any]) -> None:
        article, entities = item.record, item.result
        assert article is not None and entities is not None
        check = track_version(tx, article)
        published = stories.mark_out_of_order(article) if check.out_of_order else article
        enriched = pipeline.with_entities(
            published,
            entities,
            pipeline_version=version,
            now=datetime.now(UTC),
            supersedes=check.supersedes,
        )
        tx.send(
            settings.topic(ENTITIES.name), key=article.story_id.encode(), value=enriched.to_json()
        )

    async for events in batches(stream):
        items = await run_batch(
            events,
            stage=STAGE,
            outbox=outbox,
            decode=Article.model_validate_json,
            to_input=pipeline.entities_input,
            run=stage_pool.entities,
        )
        await commit_items(items, stage=STAGE, outbox=outbox, pipeline_version=version, emit=emit)


def _version_expired(value: Any, now: datetime) -> bool:
    return now - stories.VersionSeen.from_json(value).received_at >= RETENTION


async def _forget_old_versions() -> None:
    await sweep(outbox, stage=STAGE, table=STORY_VERSIONS.name, expired=_version_expired)


app.timer(3600.0, name="story-versions-retention")(_forget_old_versions)
