"""Release agent: wires.enriched + wires.kills -> wires.released, the feed for alert services.

Copy that may be published goes out at once; embargoed copy waits in the
table ``held-embargoes`` until a timer sees its embargo lift; withheld copy
waits until a later version replaces it; a kill throws away what is held for
its story and stops anything more of it from going out. The rules are in
:mod:`streams.stories`. Kills themselves stay on ``wires.kills``: alert
services subscribe to both topics.

Held copy survives a restart: every change to the table goes to its
changelog topic in the same transaction as the release it goes with
(:mod:`streams.outbox`), and the table is restored from there on whichever
worker owns the partition next. The table has one partition per partition of
``wires.enriched`` (both topics are keyed by story id and have the same
partition count, so a story's copy and its kill meet on one worker), and
only the worker that is the *active* owner of a partition releases what is
held there: and nothing is released while a rebalance is in progress. The clock that
decides whether an embargo has lifted is this worker's clock
(:data:`clock`); a copy is never released before ``embargoed_until``.

A release and the removal of the held copy commit together: a crash
releases it once, never twice and never not at all. Entries leave the
table once the story is released; a kill's marker and copy nobody released
go ``held_embargoes_grace_days`` after their last date.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from faust.types import EventT, StreamT

from schemas import EnrichedArticle, KillNotice
from streams import pipeline, stories
from streams.agents.batching import Item, batches, commit_items
from streams.agents.deadletter import dead_letter
from streams.agents.retention import sweep
from streams.app import app, outbox, settings, state_table, topic_handle
from streams.outbox import Fenced, NotOwned, Tx
from streams.replay import should_release
from streams.topology import ENRICHED, HELD_EMBARGOES, KILLS, RELEASED

log = logging.getLogger(__name__)

STAGE_RELEASE = "release"
VERSION = pipeline.pipeline_version()
TABLE = HELD_EMBARGOES.name
GRACE = timedelta(days=settings.held_embargoes_grace_days)

held_embargoes = state_table(HELD_EMBARGOES)
outbox.register(
    STAGE_RELEASE,
    topics=[settings.topic(ENRICHED.name), settings.topic(KILLS.name)],
    tables=[held_embargoes],
)

#: Both inputs in one stream, so a story's copy and its kill are handled in arrival order.
gate_input = topic_handle(ENRICHED, KILLS)


def _utc_now() -> datetime:
    return datetime.now(UTC)


#: The worker's clock, which decides when an embargo has lifted (tests replace it).
clock: Callable[[], datetime] = _utc_now


def _state(tx: Tx, story_id: str) -> stories.GateState | None:
    value = tx.get(TABLE, story_id)
    if value is None:
        return None
    try:
        return stories.GateState.from_json(value)
    except (KeyError, TypeError, ValueError):
        log.error("held-embargoes: unreadable entry for story %s left untouched", story_id)
        return None


def _apply(
    tx: Tx,
    story_id: str,
    before: stories.GateState | None,
    outcome: stories.GateOutcome,
    *,
    why: str,
) -> None:
    action = outcome.action
    if isinstance(action, stories.Release):
        tx.send(
            settings.topic(RELEASED.name),
            key=action.copy.article.story_id.encode(),
            value=action.copy.to_json(),
        )
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
            tx.delete(TABLE, story_id)
    elif outcome.state != before:
        tx.put(TABLE, story_id, outcome.state.to_json())


def decide(tx: Tx, event: EventT[Any]) -> None:
    """One event of ``gate_input`` (a kill or an enriched copy), inside its transaction."""
    message = event.message
    try:
        record: KillNotice | EnrichedArticle
        if message.topic == settings.topic(KILLS.name):
            record = KillNotice.model_validate_json(event.value)
        else:
            record = EnrichedArticle.model_validate_json(event.value)
    except Exception as exc:  # a worker never dies of bad input
        dead_letter(tx, event, stage=STAGE_RELEASE, exc=exc, pipeline_version=VERSION)
        return
    if isinstance(record, EnrichedArticle) and not should_release(record):
        return  # a replay's copy: never released unless the replay asked for alerts
    if isinstance(record, KillNotice):
        story_id = record.story_id
        before = _state(tx, story_id)
        outcome = stories.kill(before, record, partition=message.partition)
    else:
        story_id = record.article.story_id
        before = _state(tx, story_id)
        outcome = stories.admit(before, record, partition=message.partition, now=clock())
    _apply(tx, story_id, before, outcome, why="releasable")


def _emit(tx: Tx, item: Item[Any, Any]) -> None:
    decide(tx, item.event)


async def handle_events(events: list[EventT[Any]]) -> int:
    """A batch of ``gate_input`` events: one transaction per partition, the partitions at once."""
    items: list[Item[Any, Any]] = [Item(event) for event in events]
    return await commit_items(
        items,
        stage=STAGE_RELEASE,
        outbox=outbox,
        pipeline_version=VERSION,
        emit=_emit,
        concurrently=True,
    )


async def handle(event: EventT[Any]) -> None:
    """One event of ``gate_input`` in a transaction of its own."""
    await handle_events([event])


async def release_lifted(now: datetime) -> int:
    """Release the held copy whose embargo has lifted by ``now``; returns how many.

    Only the partitions this worker owns, and nothing during a rebalance.
    """
    if app.rebalancing:
        return 0
    released = 0
    spec = outbox.stages[STAGE_RELEASE]
    for stage, partition in outbox.owned():
        if stage is not spec:
            continue
        try:
            async with outbox.transaction(spec, partition) as tx:
                for story_id, value in list(tx.items(TABLE)):
                    try:
                        before = stories.GateState.from_json(value)
                    except (KeyError, TypeError, ValueError):
                        continue
                    outcome = stories.release_due(before, now)
                    if outcome is None:
                        continue
                    _apply(tx, story_id, before, outcome, why="embargo lifted")
                    released += 1
        except (NotOwned, Fenced) as exc:
            log.info("release timer: partition %d left to its new owner: %s", partition, exc)
            return 0
    return released


@app.agent(gate_input, name="release")
async def release_gate(stream: StreamT[Any]) -> None:
    async for events in batches(stream):
        await handle_events(list(events))


async def _release_embargoes() -> None:
    try:
        await release_lifted(clock())
    except Exception as exc:  # the broker away: the next tick tries again
        log.warning("release timer: %r", exc)


# Registered by call: Faust's timer decorator is untyped.
app.timer(settings.release_interval, name="release-embargoes")(_release_embargoes)


def gate_expired(value: Any, now: datetime) -> bool:
    """A kill marker or unreleased copy past the grace period after its last date."""
    state = stories.GateState.from_json(value)
    dates = [d for d in (state.embargo_until, state.killed_at) if d is not None]
    if state.held is not None:
        dates.append(state.held.copy.article.received_at)
    return bool(dates) and now - max(dates) > GRACE


async def _forget_expired_gates() -> None:
    await sweep(outbox, stage=STAGE_RELEASE, table=TABLE, expired=gate_expired, now=clock())


app.timer(3600.0, name="held-embargoes-retention")(_forget_expired_gates)
