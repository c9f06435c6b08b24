"""Parse agent: wires.raw (RawWire) -> wires.parsed (Article, keyed by story), kills -> wires.kills.

Parsing runs in the process pool, a ``take_events`` batch per call: a large
XML wire takes about a second to parse, which on the event loop would stall
every agent of the worker. A wire that fails is dead-lettered alone (stage
``parse``, its error code and message, its original bytes); the rest of its
batch goes on.

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

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from faust.types import StreamT

from schemas import RawWire
from streams import observe, pipeline, stories
from streams.agents.batching import Item, batches, commit_items, run_batch
from streams.agents.retention import sweep
from streams.app import app, outbox, raw_topic, settings, stage_pool, state_table
from streams.outbox import Tx
from streams.topology import KILLS, PARSED, RAW, WIRE_IDS

log = logging.getLogger(__name__)

VERSION = pipeline.pipeline_version()
STAGE = pipeline.STAGE_PARSE
WINDOW = timedelta(days=settings.dedupe_window_days)

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


def _emit(tx: Tx, item: Item[RawWire, Any]) -> None:
    raw = item.record
    assert raw is not None and item.result is not None
    if not first_copy(tx, raw.wire_id, now=datetime.now(UTC)):
        log.info("wire %s is a resend within %s; not processed again", raw.wire_id, WINDOW)
        observe.resend(STAGE)
        return
    for article in item.result:
        key = article.story_id.encode()
        if stories.is_kill(article):
            notice = stories.kill_notice(article, pipeline_version=VERSION)
            log.info("kill for story %s: %s", notice.story_id, notice.reason)
            tx.send(settings.topic(KILLS.name), key=key, value=notice.to_json())
        else:
            tx.send(settings.topic(PARSED.name), key=key, value=article.to_json())


@app.agent(raw_topic, name="parse")
async def parse_wires(stream: StreamT[Any]) -> None:
    async for events in batches(stream):
        items = await run_batch(
            events,
            stage=STAGE,
            outbox=outbox,
            decode=RawWire.model_validate_json,
            to_input=_wire,
            run=stage_pool.parse,
        )
        await commit_items(items, stage=STAGE, outbox=outbox, pipeline_version=VERSION, emit=_emit)


def _wire_expired(value: Any, now: datetime) -> bool:
    return now - datetime.fromisoformat(value["at"]) >= WINDOW


async def _forget_old_wire_ids() -> None:
    await sweep(outbox, stage=STAGE, table=WIRE_IDS.name, expired=_wire_expired)


app.timer(3600.0, name="wire-ids-retention")(_forget_old_wire_ids)
