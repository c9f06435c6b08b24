"""The console's one Kafka reader: released stories, kills, raw wires and alerts, as they come.

It joins no consumer group and reads committed records only (a story of an
aborted transaction never shows), from the last 24 hours on, so a console
opened after a restart still has the day's stories to show and to test
queries against. Every record goes into the :class:`StoryBuffer` and out to
open pages through the :class:`Hub`.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from pydantic import ValidationError

from schemas import Alert, EnrichedArticle, KillNotice, RawWire
from streams.console.feed import Event, Hub, StoryBuffer
from streams.console.views import story_summary
from streams.settings import Settings
from streams.topology import KILLS, MATCHES, RAW, RELEASED
from streams.transports.alerts_kafka import committed_consumer, topic_partitions

log = logging.getLogger(__name__)

LOOK_BACK = timedelta(hours=24)
RETRY_SECONDS = 5.0


def apply(
    topic: str, value: bytes | None, *, settings: Settings, buffer: StoryBuffer, hub: Hub
) -> None:
    """One record of one of the four topics into the buffer and out to the pages."""
    if value is None:
        return
    try:
        if topic == settings.topic(RELEASED.name):
            record = EnrichedArticle.model_validate_json(value)
            buffer.add(record)
            hub.publish(Event("story", story_summary(record)))
        elif topic == settings.topic(KILLS.name):
            kill = KillNotice.model_validate_json(value)
            gone = buffer.kill(kill.story_id)
            hub.publish(Event("kill", {"story_id": kill.story_id, "article_ids": gone}))
        elif topic == settings.topic(RAW.name):
            buffer.add_raw(RawWire.model_validate_json(value))
        elif topic == settings.topic(MATCHES.name):
            alert = Alert.model_validate_json(value)
            buffer.add_alert(alert)
            hub.publish(Event("alert", alert.model_dump(mode="json")))
    except (ValidationError, ValueError) as exc:
        # Not the console's to dead-letter: the stage that wrote it has.
        log.debug("console: unreadable record on %s skipped: %s", topic, exc)


async def _read(settings: Settings, buffer: StoryBuffer, hub: Hub) -> None:
    consumer = committed_consumer(settings)
    await consumer.start()
    try:
        raw_topic = settings.topic(RAW.name)
        tps = []
        for spec in (RAW, RELEASED, KILLS, MATCHES):
            tps += await topic_partitions(consumer, settings.topic(spec.name))
        consumer.assign(tps)
        since = int((datetime.now(UTC) - LOOK_BACK).timestamp() * 1000)
        found = await consumer.offsets_for_times({tp: since for tp in tps})
        ends = await consumer.end_offsets(tps)
        for tp in tps:
            at = found.get(tp)
            consumer.seek(tp, at.offset if at is not None else ends[tp])
        log.info("console: following %d partitions from the last %s", len(tps), LOOK_BACK)
        while True:
            batch = await consumer.getmany(timeout_ms=1000)
            # Raw wires first, so a story's wire is there when its page asks.
            for tp, messages in sorted(batch.items(), key=lambda kv: kv[0].topic != raw_topic):
                for m in messages:
                    apply(tp.topic, m.value, settings=settings, buffer=buffer, hub=hub)
    finally:
        await consumer.stop()


async def follow(settings: Settings, buffer: StoryBuffer, hub: Hub) -> None:
    """Read for as long as the worker runs; after a Kafka error, start again a little later."""
    while True:
        try:
            await _read(settings, buffer, hub)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("console: reading the stream failed; again in %.0f s", RETRY_SECONDS)
            await asyncio.sleep(RETRY_SECONDS)
