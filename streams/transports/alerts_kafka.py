"""Kafka I/O of the alerts: subscriptions in and out, reading alerts, the look back.

Every consumer here reads committed records only (``read_committed``) and
joins no consumer group: it reads every partition of its topic itself. Used
by the alerts agent (the subscription loader), the /subscriptions API and the
``subscribe``/``subscriptions``/``alerts`` commands.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from pydantic import ValidationError

from schemas import Alert, EnrichedArticle, KillNotice, Subscription
from streams.alerts import Query, Vocabulary, document
from streams.alerts.subscriptions import backfill_alerts
from streams.kafka import client_kwargs
from streams.settings import Settings
from streams.topology import KILLS, LOOKBACK, RELEASED, SUBSCRIPTIONS

ACK_TIMEOUT = 30.0


def committed_consumer(settings: Settings) -> AIOKafkaConsumer:
    """A consumer without a group that sees only committed records."""
    return AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap,
        enable_auto_commit=False,
        isolation_level="read_committed",
        # Every reader here seeks explicitly; should a reset happen first, it
        # must not skip what is there.
        auto_offset_reset="earliest",
        **client_kwargs(settings),
    )


async def topic_partitions(consumer: AIOKafkaConsumer, topic: str) -> list[TopicPartition]:
    partitions = consumer.partitions_for_topic(topic)
    if not partitions:
        # A consumer without a subscription fetches no topic's metadata on its own.
        await consumer._client.add_topic(topic)
        partitions = consumer.partitions_for_topic(topic)
    if not partitions:
        raise LookupError(f"topic {topic!r} does not exist (run `wirestream broker topics`)")
    return [TopicPartition(topic, p) for p in sorted(partitions)]


async def read_to_end(
    settings: Settings, topic: str, *, since: datetime | None = None
) -> AsyncIterator[Any]:
    """Every committed record of ``topic`` (from ``since``, else the start) up to its end
    as it was when reading began, then stop."""
    consumer = committed_consumer(settings)
    try:
        await consumer.start()
        tps = await topic_partitions(consumer, topic)
        ends = await consumer.end_offsets(tps)
        consumer.assign(tps)
        if since is None:
            await consumer.seek_to_beginning(*tps)
        else:
            found = await consumer.offsets_for_times(
                {tp: int(since.timestamp() * 1000) for tp in tps}
            )
            for tp in tps:
                at = found.get(tp)
                consumer.seek(tp, at.offset if at is not None else ends[tp])
        pending = {tp for tp in tps if ends[tp] > 0}
        while pending:
            batch = await consumer.getmany(*pending, timeout_ms=500)
            for tp, messages in batch.items():
                for m in messages:
                    if m.offset < ends[tp]:
                        yield m
            for tp in list(pending):
                if await consumer.position(tp) >= ends[tp]:
                    pending.discard(tp)
    finally:
        await consumer.stop()


async def follow(
    settings: Settings, topic: str, *, from_beginning: bool, idle_timeout: float | None
) -> AsyncIterator[Any]:
    """Committed records of ``topic`` as they come, until ``idle_timeout`` quiet seconds."""
    consumer = committed_consumer(settings)
    try:
        await consumer.start()
        tps = await topic_partitions(consumer, topic)
        consumer.assign(tps)
        if from_beginning:
            await consumer.seek_to_beginning(*tps)
        else:
            await consumer.seek_to_end(*tps)
        loop = asyncio.get_running_loop()
        last = loop.time()
        while True:
            batch = await consumer.getmany(timeout_ms=500)
            if not batch:
                if idle_timeout is not None and loop.time() - last > idle_timeout:
                    return
                continue
            last = loop.time()
            for _tp, messages in sorted(batch.items(), key=lambda kv: kv[0].partition):
                for m in messages:
                    yield m
    finally:
        await consumer.stop()


@asynccontextmanager
async def producer(settings: Settings) -> AsyncIterator[AIOKafkaProducer]:
    """An idempotent producer: its own retries never write a record twice."""
    client = AIOKafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap,
        enable_idempotence=True,
        acks="all",
        **client_kwargs(settings),
    )
    await client.start()
    try:
        yield client
    finally:
        await client.stop()


async def send_subscription(
    client: AIOKafkaProducer, settings: Settings, subscription: Subscription
) -> None:
    await asyncio.wait_for(
        client.send_and_wait(
            settings.topic(SUBSCRIPTIONS.name),
            key=subscription.id.encode(),
            value=subscription.to_json(),
        ),
        ACK_TIMEOUT,
    )


async def send_tombstone(
    client: AIOKafkaProducer, settings: Settings, subscription_id: str
) -> None:
    """Delete a subscription: a null value, which compaction keeps until it removes the key."""
    await asyncio.wait_for(
        client.send_and_wait(
            settings.topic(SUBSCRIPTIONS.name), key=subscription_id.encode(), value=None
        ),
        ACK_TIMEOUT,
    )


def apply_subscription_record(
    subscriptions: dict[str, Subscription], key: bytes | None, value: bytes | None
) -> str | None:
    """Apply one record of alerts.subscriptions to ``subscriptions``; returns a problem, if any."""
    if key is None:
        return "record without a key ignored"
    sid = key.decode("utf-8", errors="replace")
    if value is None:
        subscriptions.pop(sid, None)
        return None
    try:
        record = Subscription.model_validate_json(value)
    except ValidationError as exc:
        return f"subscription {sid}: unreadable record ignored ({exc.error_count()} errors)"
    if record.id != sid:
        return f"subscription {sid}: record names id {record.id}; ignored"
    subscriptions[sid] = record
    return None


async def current_subscriptions(settings: Settings) -> dict[str, Subscription]:
    """Every subscription in force: the compacted topic read to its end."""
    out: dict[str, Subscription] = {}
    async for m in read_to_end(settings, settings.topic(SUBSCRIPTIONS.name)):
        apply_subscription_record(out, m.key, m.value)
    return out


async def backfill(
    settings: Settings,
    subscription: Subscription,
    query: Query,
    *,
    since: timedelta,
    now: datetime,
    vocabulary: Vocabulary,
    pipeline_version: str,
    on_progress: Callable[[int], None] | None = None,
) -> list[Alert]:
    """Match a new subscription against ``wires.released`` of the last ``since``; the
    alerts (``backfill=true``, one per story, none for a story killed) go to
    alerts.lookback, keyed by story id, where the matcher sends each on to alerts.matches
    in the story's transaction, unless the live copy alerted the subscription first."""
    start = now - since
    records: list[EnrichedArticle | KillNotice] = []
    async for m in read_to_end(settings, settings.topic(KILLS.name), since=start):
        try:
            records.append(KillNotice.model_validate_json(m.value))
        except ValidationError:
            continue
    async for m in read_to_end(settings, settings.topic(RELEASED.name), since=start):
        try:
            records.append(EnrichedArticle.model_validate_json(m.value))
        except ValidationError:
            continue
        if on_progress is not None:
            on_progress(len(records))
    alerts = backfill_alerts(
        subscription,
        query,
        [(r, document(r, vocabulary)) for r in records],
        now=now,
        pipeline_version=pipeline_version,
    )
    if alerts:
        async with producer(settings) as client:
            for alert in alerts:
                await client.send_and_wait(
                    settings.topic(LOOKBACK.name),
                    key=alert.story_id.encode(),
                    value=alert.to_json(),
                )
    return alerts
