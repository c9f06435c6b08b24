"""Entity stage: wires.parsed + wires.parsed.urgent (Article) -> wires.clustering (EnrichedArticle).

The stage finds each article's entities and tags its topics (IPTC Media
Topics, key phrases, language evidence) and hands it to the clusters agent
on ``wires.clustering``: tagging needs nothing a user sees between the two,
so it is not a hop of its own any more (it was ``wires.entities`` and the
tagging agent, which now only drains what an older version left there).

Two agents of the one stage:

- ``entities`` reads ``wires.parsed``, routine copy, in batches: NER in the
  NER pool while the light pool tags;
- ``entities-urgent`` reads ``wires.parsed.urgent`` (urgency 1-2): NER and
  tags in the light pool, which no routine NER batch holds up, so a flash
  goes by a backlog queued on ``wires.parsed``.

Both topics are keyed by story id with the same partitions, and both are the
stage's inputs: partition p of each is on one worker, and every transaction
of partition p (either agent's) holds its outputs, its ``story-versions``
changes and the offsets it consumed of both topics, one at a time.

Each record also says which earlier version of its story it replaces
(``supersedes``), from the table ``story-versions``: story id -> the latest
version seen. Every version of a story comes through the same partition to
the one worker that owns that partition of the table; one that arrives out
of order (a flash ahead of an earlier routine version still queued, say) is
handled by the rule in :mod:`streams.stories`. Entries older than
``story_versions_retention_days`` are dropped by a timer.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from faust.types import StreamT

from schemas import Article
from streams import pipeline, stories
from streams.agents.batching import Item, batches, commit_items, run_batch
from streams.agents.retention import sweep
from streams.app import app, outbox, parsed_topic, settings, stage_pool, state_table, topic_handle
from streams.nlp import EntityInput
from streams.outbox import Tx
from streams.pool import Enriched
from streams.topology import CLUSTER_INDEX_KEY, CLUSTERING, PARSED, PARSED_URGENT, STORY_VERSIONS

log = logging.getLogger(__name__)

STAGE = pipeline.STAGE_ENTITIES
RETENTION = timedelta(days=settings.story_versions_retention_days)

story_versions = state_table(STORY_VERSIONS)
outbox.register(
    STAGE,
    topics=[settings.topic(PARSED.name), settings.topic(PARSED_URGENT.name)],
    tables=[story_versions],
)

#: The urgent lane: read by its own agent, so it never waits behind routine batches.
urgent_topic = topic_handle(PARSED_URGENT)


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


def stage_input(article: Article) -> tuple[EntityInput, pipeline.TopicsInput]:
    return pipeline.entities_input(article), pipeline.topics_input(article)


def emitter(version: str) -> Callable[[Tx, Item[Article, Enriched]], None]:
    def emit(tx: Tx, item: Item[Article, Enriched]) -> None:
        article, result = item.record, item.result
        assert article is not None and result is not None
        entities, tags = result
        check = track_version(tx, article)
        published = stories.mark_out_of_order(article) if check.out_of_order else article
        now = datetime.now(UTC)
        enriched = pipeline.with_entities(
            published,
            entities,
            pipeline_version=version,
            now=now,
            supersedes=check.supersedes,
        )
        tagged = pipeline.with_topics(
            enriched, tags.topics, keywords=tags.keywords, language=tags.language, now=now
        )
        tx.send(settings.topic(CLUSTERING.name), key=CLUSTER_INDEX_KEY, value=tagged.to_json())

    return emit


async def _run_stage(
    stream: StreamT[Any], run: Callable[[Sequence[tuple[EntityInput, Any]]], Awaitable[Any]]
) -> None:
    version = pipeline.pipeline_version(model=await stage_pool.start())
    emit = emitter(version)
    async for events in batches(stream):
        items = await run_batch(
            events,
            stage=STAGE,
            outbox=outbox,
            decode=Article.model_validate_json,
            to_input=stage_input,
            run=run,
        )
        await commit_items(
            items,
            stage=STAGE,
            outbox=outbox,
            pipeline_version=version,
            emit=emit,
            concurrently=True,
        )


async def _urgent(batch: Sequence[tuple[EntityInput, pipeline.TopicsInput]]) -> list[Enriched]:
    return await stage_pool.enrich(batch, urgent=True)


@app.agent(parsed_topic, name="entities")
async def extract_entities(stream: StreamT[Any]) -> None:
    await _run_stage(stream, stage_pool.enrich)


@app.agent(urgent_topic, name="entities-urgent")
async def extract_urgent_entities(stream: StreamT[Any]) -> None:
    await _run_stage(stream, _urgent)


def _version_expired(value: Any, now: datetime) -> bool:
    return now - stories.VersionSeen.from_json(value).received_at >= RETENTION


async def _forget_old_versions() -> None:
    await sweep(outbox, stage=STAGE, table=STORY_VERSIONS.name, expired=_version_expired)


app.timer(3600.0, name="story-versions-retention")(_forget_old_versions)
