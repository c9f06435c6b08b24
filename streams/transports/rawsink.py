"""``wires.raw`` for the drop-folder watcher: send with acknowledgement, find keys after a crash."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Collection, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from types import TracebackType
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.errors import KafkaError

from schemas import RawWire
from streams.ingest import DeliveryError
from streams.ingest.producer import raw_producer
from streams.kafka import client_kwargs
from streams.settings import Settings
from streams.topology import RAW
from streams.transports.dropfolder import Delivery

#: Seconds to wait for one acknowledgement before the send counts as failed.
SEND_TIMEOUT = 30.0


class KafkaRawSink:
    """An idempotent producer for ``wires.raw`` plus the reads that reconcile a restart."""

    def __init__(self, settings: Settings, *, send_timeout: float = SEND_TIMEOUT) -> None:
        self.settings = settings
        self.topic = settings.topic(RAW.name)
        self.send_timeout = send_timeout
        self._stack = AsyncExitStack()
        self._producer: AIOKafkaProducer | None = None

    async def __aenter__(self) -> KafkaRawSink:
        self._producer = await self._stack.enter_async_context(raw_producer(self.settings))
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._stack.aclose()
        self._producer = None

    async def send(self, raw: RawWire) -> Delivery:
        assert self._producer is not None, "use KafkaRawSink as an async context manager"
        try:
            meta = await asyncio.wait_for(
                self._producer.send_and_wait(
                    self.topic, key=raw.wire_id.encode(), value=raw.to_json()
                ),
                self.send_timeout,
            )
        except Exception as exc:
            raise DeliveryError(
                f"{raw.filename or raw.wire_id}: not acknowledged by Kafka: {exc!r}"
            ) from exc
        return Delivery(meta.topic, meta.partition, meta.offset)

    async def end_offsets(self) -> dict[int, int]:
        async with self._consumer() as consumer:
            tps = await self._partitions(consumer)
            ends = await consumer.end_offsets(tps)
            return {tp.partition: offset for tp, offset in ends.items()}

    async def find(
        self, keys: Collection[str], *, start: Mapping[int, int] | None
    ) -> dict[str, Delivery]:
        """The first record of each key in ``keys``, reading from ``start`` to the current end."""
        wanted = {key.encode(): key for key in keys}
        found: dict[str, Delivery] = {}
        if not wanted:
            return found
        async with self._consumer() as consumer:
            tps = await self._partitions(consumer)
            consumer.assign(tps)
            firsts = await consumer.beginning_offsets(tps)
            ends = await consumer.end_offsets(tps)
            remaining: set[Any] = set()
            for tp in tps:
                # Clamped: a start past the end means the topic was re-created.
                begin = firsts[tp]
                if start is not None and tp.partition in start:
                    begin = min(max(start[tp.partition], firsts[tp]), ends[tp])
                consumer.seek(tp, begin)
                if begin < ends[tp]:
                    remaining.add(tp)
            while remaining and len(found) < len(wanted):
                batch = await consumer.getmany(*remaining, timeout_ms=1000)
                for tp, messages in batch.items():
                    for m in messages:
                        if m.offset >= ends[tp]:
                            break
                        key = wanted.get(m.key) if m.key is not None else None
                        if key is not None and key not in found:
                            found[key] = Delivery(m.topic, m.partition, m.offset)
                for tp in list(remaining):
                    if await consumer.position(tp) >= ends[tp]:
                        remaining.discard(tp)
        return found

    @asynccontextmanager
    async def _consumer(self) -> AsyncIterator[AIOKafkaConsumer]:
        """A started consumer outside any consumer group."""
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self.settings.kafka_bootstrap,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            **client_kwargs(self.settings),
        )
        try:
            await consumer.start()
            try:
                yield consumer
            finally:
                await consumer.stop()
        except (KafkaError, OSError) as exc:
            raise DeliveryError(
                f"cannot read {self.topic} at {self.settings.kafka_bootstrap}: {exc!r}"
            ) from exc

    async def _partitions(self, consumer: AIOKafkaConsumer) -> list[TopicPartition]:
        partitions = consumer.partitions_for_topic(self.topic)
        if not partitions:
            # Without a subscription the consumer fetches no topic metadata by itself.
            await consumer._client.add_topic(self.topic)
            partitions = consumer.partitions_for_topic(self.topic)
        if not partitions:
            raise DeliveryError(f"topic {self.topic} does not exist")
        return [TopicPartition(self.topic, p) for p in sorted(partitions)]
