"""Reading a topic from the outside (no consumer group): for `tail` and the demo."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, TopicPartition

from streams.kafka import client_kwargs
from streams.settings import Settings


@dataclass(frozen=True)
class TopicRecord:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    timestamp_ms: int


def _consumer(settings: Settings) -> AIOKafkaConsumer:
    # Committed records only: the stages write in transactions, and an
    # aborted one (a crash, a fenced worker) must never be seen as output.
    return AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap,
        enable_auto_commit=False,
        isolation_level="read_committed",
        **client_kwargs(settings),
    )


async def _partitions(consumer: AIOKafkaConsumer, topic: str) -> list[TopicPartition]:
    # A consumer without a subscription tracks no topic's metadata; aiokafka
    # has no public call to ask for one, so use the client's (it resolves once
    # the metadata has been fetched).
    partitions = consumer.partitions_for_topic(topic)
    if not partitions:
        await consumer._client.add_topic(topic)
        partitions = consumer.partitions_for_topic(topic)
    if not partitions:
        raise LookupError(f"topic {topic!r} does not exist")
    return [TopicPartition(topic, p) for p in sorted(partitions)]


async def end_offsets(settings: Settings, topic: str) -> dict[int, int]:
    """Current end offset of every partition of ``topic``."""
    consumer = _consumer(settings)
    await consumer.start()
    try:
        ends = await consumer.end_offsets(await _partitions(consumer, topic))
        return {tp.partition: off for tp, off in ends.items()}
    finally:
        await consumer.stop()


async def read_topic(
    settings: Settings,
    topic: str,
    *,
    from_beginning: bool = True,
    start_offsets: dict[int, int] | None = None,
    idle_timeout: float | None = None,
) -> AsyncIterator[TopicRecord]:
    """Records of every partition of ``topic``, until ``idle_timeout`` seconds pass quietly.

    ``start_offsets`` (partition -> offset) wins over ``from_beginning``.
    ``idle_timeout=None`` follows the topic until the caller stops iterating.
    """
    consumer = _consumer(settings)
    await consumer.start()
    try:
        tps = await _partitions(consumer, topic)
        consumer.assign(tps)
        for tp in tps:
            if start_offsets is not None and tp.partition in start_offsets:
                consumer.seek(tp, start_offsets[tp.partition])
        rest = [tp for tp in tps if start_offsets is None or tp.partition not in start_offsets]
        if rest:
            if from_beginning:
                await consumer.seek_to_beginning(*rest)
            else:
                await consumer.seek_to_end(*rest)
        loop = asyncio.get_running_loop()
        last_record = loop.time()
        while True:
            batch = await consumer.getmany(timeout_ms=500)
            if not batch:
                if idle_timeout is not None and loop.time() - last_record > idle_timeout:
                    return
                continue
            last_record = loop.time()
            for _tp, messages in sorted(batch.items(), key=lambda kv: kv[0].partition):
                for m in messages:
                    yield TopicRecord(m.topic, m.partition, m.offset, m.key, m.value, m.timestamp)
    finally:
        await consumer.stop()
