"""Parse agent: wires.raw (RawWire) -> wires.parsed (Article, keyed by story), kills -> wires.kills.

Urgent articles (urgency 1-2, :func:`streams.pipeline.is_urgent`) go to
``wires.parsed.urgent`` instead, the entity stage's fast lane, so that a flash
does not queue behind a backlog of routine copy there.

Parsing runs in the light process pool: a large XML wire takes about a
second to parse, which on the event loop would stall every agent of the
worker. A wire that fails is dead-lettered alone (stage ``parse``, its error
code and message, its original bytes); the rest of its batch goes on.

**A backlog on wires.raw.** Urgency is only known once a wire is parsed, so
``wires.raw`` cannot have a lane of its own. The agent takes batches of
:data:`CHUNK` wires and commits each as soon as it is parsed, oldest first
(one transaction per partition, the partitions at once); up to
:data:`BATCH` more wait collected behind. While some wait, a scout task
parses them *newest* first, :data:`SCOUT` at a time, ahead of routine work
in the light pool (a flash that has just arrived behind a backlog is the
newest), and keeps each result for the wire's turn, so the backlog is not
parsed twice. An urgent wire it finds is published at once in a transaction
of its own (its articles, and its ``wire-ids`` entry marked with its offset,
but no input offset: the wires before it are not done). When its turn
comes, that mark says it is already out: the batch's transaction clears the
mark and takes the offset without publishing it again; after a crash in
between, the re-read finds the mark (restored with the table) and does the
same. So the flash leaves ahead of the backlog, and still exactly once.

A kill (``pub_status='canceled'`` or the signal ``kill``) is not an article
to enrich: it becomes a :class:`~schemas.KillNotice` on ``wires.kills``
instead of an article on ``wires.parsed``.

Resends: wires.raw is keyed by the wire id, a hash of the wire's bytes, so
every copy of the same bytes reaches the same partition and the table
``wire-ids`` there. A copy whose id was seen within the dedupe window is
counted (``wirestream_resends``) and goes no further. A new version of a
story has other bytes, so another id, and goes through.
"""

from __future__ import annotations

import asyncio
import heapq
import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from faust.types import EventT, StreamT

from schemas import RawWire
from streams import observe, pipeline, stories
from streams.agents.batching import Item, batches, commit_items, run_batch
from streams.agents.retention import sweep
from streams.app import app, outbox, raw_topic, settings, stage_pool, state_table
from streams.outbox import Fenced, NotOwned, Tx
from streams.topology import KILLS, PARSED, PARSED_URGENT, RAW, WIRE_IDS

log = logging.getLogger(__name__)

VERSION = pipeline.pipeline_version()
STAGE = pipeline.STAGE_PARSE
WINDOW = timedelta(days=settings.dedupe_window_days)

#: Most wires collected ahead of the batch in hand: a whole backlog, so its
#: newest wires (where a flash that just arrived is) can be parsed first.
BATCH = 1024
#: Wires per batch and per commit (about 5 ms each to parse).
CHUNK = 32
#: Wires the scout parses at a time, newest first, looking for a flash.
SCOUT = 8
#: Seconds the scout waits when nothing new waits.
SCOUT_IDLE = 0.02
#: The key of a ``wire-ids`` entry that marks a wire published ahead of its batch.
EARLY = "early"

wire_ids = state_table(WIRE_IDS)
outbox.register(STAGE, topics=[settings.topic(RAW.name)], tables=[wire_ids])


def _wire(raw: RawWire) -> RawWire:
    return raw


def first_copy(tx: Tx, wire_id: str, *, now: datetime) -> bool:
    """Record ``wire_id`` as seen; False when it was already seen within the window."""
    seen = tx.get(WIRE_IDS.name, wire_id)
    if seen is not None and now - datetime.fromisoformat(seen["at"]) < WINDOW:
        # Counted in the table too, so `wirestream status` can show resends.
        tx.put(WIRE_IDS.name, wire_id, {**seen, "resends": int(seen.get("resends", 0)) + 1})
        return False
    tx.put(WIRE_IDS.name, wire_id, {"at": now.isoformat()})
    return True


def _publish(tx: Tx, articles: list[Any]) -> None:
    for article in articles:
        key = article.story_id.encode()
        if stories.is_kill(article):
            notice = stories.kill_notice(article, pipeline_version=VERSION)
            log.info("kill for story %s: %s", notice.story_id, notice.reason)
            tx.send(settings.topic(KILLS.name), key=key, value=notice.to_json())
        else:
            lane = PARSED_URGENT if pipeline.is_urgent(article) else PARSED
            tx.send(settings.topic(lane.name), key=key, value=article.to_json())


def _out_early(seen: Any, offset: int) -> bool:
    """Whether a ``wire-ids`` entry says the wire at ``offset`` was published ahead of its batch."""
    return seen is not None and seen.get(EARLY) == offset


def _emit(tx: Tx, item: Item[RawWire, Any]) -> None:
    raw = item.record
    assert raw is not None and item.result is not None
    seen = tx.get(WIRE_IDS.name, raw.wire_id)
    if _out_early(seen, item.event.message.offset):
        # Out already, in a transaction of its own; now its offset is done too.
        tx.put(WIRE_IDS.name, raw.wire_id, {k: v for k, v in seen.items() if k != EARLY})
        return
    if not first_copy(tx, raw.wire_id, now=datetime.now(UTC)):
        log.info("wire %s is a resend within %s; not processed again", raw.wire_id, WINDOW)
        observe.resend(STAGE)
        return
    _publish(tx, item.result)


def _urgent(item: Item[RawWire, Any]) -> bool:
    return item.error is None and any(
        pipeline.is_urgent(a) and not stories.is_kill(a) for a in item.result or ()
    )


async def publish_early(items: list[Item[RawWire, Any]]) -> int:
    """Publish the urgent wires among ``items`` now, ahead of the wires before them.

    Each in its partition's transaction: the articles and the wire's
    ``wire-ids`` entry marked with its offset, no input offset. A wire already
    processed, already out early, or a resend within the window is left to
    the batch's own transaction. Returns how many went out.
    """
    by_partition: dict[int, list[Item[RawWire, Any]]] = {}
    for item in items:
        if _urgent(item):
            by_partition.setdefault(item.event.message.partition, []).append(item)
    out = 0
    for partition, group in sorted(by_partition.items()):
        try:
            async with outbox.transaction(STAGE, partition) as tx:
                for item in group:
                    raw, message = item.record, item.event.message
                    assert raw is not None and item.result is not None
                    if not outbox.fresh(STAGE, message.topic, partition, message.offset):
                        continue  # its batch's transaction committed before a restart
                    seen = tx.get(WIRE_IDS.name, raw.wire_id)
                    now = datetime.now(UTC)
                    if _out_early(seen, message.offset) or (
                        seen is not None and now - datetime.fromisoformat(seen["at"]) < WINDOW
                    ):
                        continue
                    tx.put(
                        WIRE_IDS.name, raw.wire_id, {"at": now.isoformat(), EARLY: message.offset}
                    )
                    _publish(tx, item.result)
                    out += 1
        except (NotOwned, Fenced) as exc:
            log.info("parse[%d]: urgent wires left to the batch: %s", partition, exc)
    if out:
        log.info("parse: %d urgent wires published ahead of their batch", out)
    return out


async def _parse(
    events: Sequence[EventT[Any]], *, urgent: bool = False
) -> list[Item[RawWire, Any]]:
    return await run_batch(
        events,
        stage=STAGE,
        outbox=outbox,
        decode=RawWire.model_validate_json,
        to_input=_wire,
        run=partial(stage_pool.parse, urgent=True) if urgent else stage_pool.parse,
    )


async def _commit(items: Sequence[Item[RawWire, Any]]) -> None:
    await commit_items(
        items, stage=STAGE, outbox=outbox, pipeline_version=VERSION, emit=_emit, concurrently=True
    )


def _key(event: EventT[Any]) -> tuple[int, int]:
    return event.message.partition, event.message.offset


def _unscanned(
    waiting: Sequence[EventT[Any]], looked: set[tuple[int, int]], limit: int = SCOUT
) -> list[EventT[Any]]:
    """The ``limit`` newest waiting wires the scout has not looked at (by time on wires.raw).

    By record time, not by position: the stream interleaves partitions in
    chunks, so the last wire collected is not always the last one sent.
    Returned oldest first.
    """
    candidates = [e for e in waiting if _key(e) not in looked]
    newest = heapq.nlargest(limit, candidates, key=lambda e: e.message.timestamp)
    return sorted(newest, key=_key)


class Lookahead:
    """What the scout has looked at and parsed among the waiting wires, by (partition, offset)."""

    def __init__(self) -> None:
        self.looked: set[tuple[int, int]] = set()
        self.parsed: dict[tuple[int, int], Item[RawWire, Any]] = {}

    def take(self, events: Sequence[EventT[Any]]) -> dict[tuple[int, int], Item[RawWire, Any]]:
        """The agent takes ``events``: the ones already parsed, which leave the lookahead."""
        keys = [_key(e) for e in events]
        self.looked.difference_update(keys)
        return {k: self.parsed.pop(k) for k in keys if k in self.parsed}

    def trim(self) -> None:
        if len(self.looked) > 2 * BATCH:  # left by partitions that moved away
            self.looked.clear()
            self.parsed.clear()


async def _scout(waiting: list[EventT[Any]], ahead: Lookahead) -> None:
    """While wires wait behind the batch in hand, parse them newest first and publish flashes.

    Runs beside the agent's loop: its parse calls go ahead of routine ones in
    the light pool, a few wires at a time, and what it parses is kept for the
    wire's turn. Each wire is looked at once, even one the parse skips (below
    the checkpoint after a restart). A wire the agent takes while the scout
    is parsing it is parsed twice, never published twice: an early
    transaction skips a wire whose ``wire-ids`` entry is already there.
    """
    while True:
        newest = _unscanned(list(waiting), ahead.looked) if waiting else []
        if not newest:
            await asyncio.sleep(SCOUT_IDLE)
            continue
        ahead.looked.update(_key(e) for e in newest)
        try:
            scanned = await _parse(newest, urgent=True)
            ahead.parsed.update((_key(item.event), item) for item in scanned)
            await publish_early(scanned)
        except asyncio.CancelledError:
            raise
        except Exception:  # the agent's own pass parses and commits these wires anyway
            log.exception("parse scout: %d wires left to their batch", len(newest))
            await asyncio.sleep(SCOUT_IDLE)
        ahead.trim()
        await asyncio.sleep(0)  # never hold the loop, whatever the parse did


@app.agent(raw_topic, name="parse")
async def parse_wires(stream: StreamT[Any]) -> None:
    waiting: list[EventT[Any]] = []  # collected behind the batch in hand (read only)
    ahead = Lookahead()
    scout = asyncio.create_task(_scout(waiting, ahead))
    try:
        async for events in batches(stream, size=CHUNK, capacity=BATCH, pending=waiting):
            done = ahead.take(events)
            todo = [e for e in events if _key(e) not in done]
            done.update((_key(item.event), item) for item in (await _parse(todo) if todo else []))
            items = [
                Item(e, done[k].record, done[k].result, done[k].error)
                for e in events
                if (k := _key(e)) in done
            ]
            await _commit(items)
    finally:
        scout.cancel()


def _wire_expired(value: Any, now: datetime) -> bool:
    return now - datetime.fromisoformat(value["at"]) >= WINDOW


async def _forget_old_wire_ids() -> None:
    await sweep(outbox, stage=STAGE, table=WIRE_IDS.name, expired=_wire_expired)


app.timer(3600.0, name="wire-ids-retention")(_forget_old_wire_ids)
