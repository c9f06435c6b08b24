"""Release agent: wires.enriched + wires.kills -> wires.released, the feed for alert services.

Copy that may be published goes out at once; embargoed copy waits in the
table ``held-embargoes`` until a timer sees its embargo lift; withheld copy
waits until a later version replaces it; a kill throws away what is held for
its story and stops anything more of it from going out. The rules are in
:mod:`streams.stories`. Kills themselves stay on ``wires.kills``: alert
services subscribe to both topics.

Held copy survives a restart: every change to the table goes to its
changelog topic, from which Faust restores the table on whichever worker
owns the partition next. The table has one partition per partition of
``wires.enriched`` (both topics are keyed by story id and have the same
partition count, so a story's copy and its kill meet on one worker), and
only the worker that is the *active* owner of a partition releases what is
held there: standby replicas hold the same entries but never act on them,
and nothing is released while a rebalance is in progress. The clock that
decides whether an embargo has lifted is this worker's clock
(:data:`clock`); a copy is never released before ``embargoed_until``.

Release order: the copy is sent and acknowledged first, then forgotten. A
crash in between releases it again after the restart (at least once),
never not at all.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from weakref import WeakKeyDictionary

from schemas import EnrichedArticle, KillNotice
from streams import pipeline, stories
from streams.agents import tables
from streams.agents.deadletter import send_dead_letter
from streams.app import app, released_topic, settings, topic_handle
from streams.replay import should_release
from streams.topology import ENRICHED, HELD_EMBARGOES, KILLS

log = logging.getLogger(__name__)

STAGE_RELEASE = "release"
VERSION = pipeline.pipeline_version()

held_embargoes = app.Table(
    HELD_EMBARGOES.name, partitions=settings.partitions, help=HELD_EMBARGOES.doc
)

#: Both inputs in one stream, so a story's copy and its kill are handled in arrival order.
gate_input = topic_handle(ENRICHED, KILLS)


def _utc_now() -> datetime:
    return datetime.now(UTC)


#: The worker's clock, which decides when an embargo has lifted (tests replace it).
clock: Callable[[], datetime] = _utc_now

_locks: WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = WeakKeyDictionary()


def _lock() -> asyncio.Lock:
    # The agent and the timer both read-modify-write a story's entry with a
    # send awaited in between; one lock keeps them from overwriting each other.
    loop = asyncio.get_running_loop()
    lock = _locks.get(loop)
    if lock is None:
        lock = _locks[loop] = asyncio.Lock()
    return lock


def _state(story_id: str) -> stories.GateState | None:
    value = tables.get(held_embargoes, story_id)
    if value is None:
        return None
    try:
        return stories.GateState.from_json(value)
    except (KeyError, TypeError, ValueError):
        log.error("held-embargoes: unreadable entry for story %s left untouched", story_id)
        return None


async def _release(copy: EnrichedArticle) -> None:
    pending = await released_topic.send(key=copy.article.story_id.encode(), value=copy.to_json())
    # Only an acknowledged release lets the held copy be forgotten.
    await pending


async def _apply(
    story_id: str,
    before: stories.GateState | None,
    outcome: stories.GateOutcome,
    *,
    partition: int,
    why: str,
) -> None:
    action = outcome.action
    if isinstance(action, stories.Release):
        await _release(action.copy)
        log.info("story %s: %s released (%s)", story_id, action.copy.article.article_id, why)
    elif isinstance(action, stories.Hold):
        until = f" until {action.until.isoformat()}" if action.until else ""
        log.info("story %s: held, %s%s", story_id, action.kind, until)
    else:
        log.info("story %s: not released: %s", story_id, action.reason)
    if outcome.discarded is not None:
        log.info(
            "story %s: held copy %s dropped, never released",
            story_id,
            outcome.discarded.article.article_id,
        )
    if outcome.state is None:
        if before is not None:
            tables.delete(held_embargoes, story_id, partition=partition)
    elif outcome.state != before:
        tables.put(held_embargoes, story_id, outcome.state.to_json(), partition=partition)


async def handle(event: Any) -> None:
    """One event of ``gate_input``: a kill or an enriched copy."""
    message = event.message
    try:
        record: KillNotice | EnrichedArticle
        if message.topic == settings.topic(KILLS.name):
            record = KillNotice.model_validate_json(event.value)
        else:
            record = EnrichedArticle.model_validate_json(event.value)
    except Exception as exc:  # a worker never dies of bad input
        await send_dead_letter(event, stage=STAGE_RELEASE, exc=exc, pipeline_version=VERSION)
        return
    if isinstance(record, EnrichedArticle) and not should_release(record):
        return  # a replay's copy: never released unless the replay asked for alerts
    async with _lock():
        if isinstance(record, KillNotice):
            story_id = record.story_id
            before = _state(story_id)
            outcome = stories.kill(before, record, partition=message.partition)
        else:
            story_id = record.article.story_id
            before = _state(story_id)
            outcome = stories.admit(before, record, partition=message.partition, now=clock())
        await _apply(story_id, before, outcome, partition=message.partition, why="releasable")


async def release_lifted(now: datetime) -> int:
    """Release the held copy whose embargo has lifted by ``now``; returns how many.

    Only the partitions this worker actively owns, and nothing during a rebalance.
    """
    if app.rebalancing:
        return 0
    owned = tables.active_partitions(app, held_embargoes)
    released = 0
    for story_id, value in list(held_embargoes.data.items()):
        partition = value.get("partition") if isinstance(value, dict) else None
        if partition not in owned:
            continue
        async with _lock():
            before = _state(story_id)  # the agent may have changed it meanwhile
            if before is None:
                continue
            outcome = stories.release_due(before, now)
            if outcome is None:
                continue
            await _apply(
                story_id, before, outcome, partition=before.partition, why="embargo lifted"
            )
            released += 1
    return released


@app.agent(gate_input, name="release")
async def release_gate(stream: Any) -> None:
    async for event in stream.events():
        await handle(event)


async def _release_embargoes() -> None:
    await release_lifted(clock())


# Registered by call: Faust's timer decorator is untyped.
app.timer(settings.release_interval, name="release-embargoes")(_release_embargoes)


@held_embargoes.on_recover
async def _forget_moved_partitions() -> None:
    forgotten = tables.forget_unassigned(
        app,
        held_embargoes,
        lambda value: value.get("partition") if isinstance(value, dict) else None,
    )
    if forgotten:
        log.info("held-embargoes: %d entries of partitions now elsewhere forgotten", forgotten)
