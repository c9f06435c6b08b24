"""Running a replay against Kafka: window offsets, reading, transactions, checkpoints.

Exactly once, end to end: every batch's output records and the replay's new
checkpoint (on ``wires.replays``) are written in one Kafka transaction, by a
producer whose transactional id is the replay's. A replay killed mid-batch
leaves an open transaction that the resumed replay's producer aborts when it
starts (fencing), and it resumes from the last committed checkpoint, so no
record is missing or doubled for a ``read_committed`` consumer. Readers here
are ``read_committed`` too and join no group; the transaction also commits the
replay's progress as the offsets of its own group (``<app id>-replay-<id>``), never the
workers'.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import NewTopic
from aiokafka.errors import KafkaError, OffsetOutOfRangeError, TopicAlreadyExistsError
from aiokafka.structs import ConsumerRecord, OffsetAndMetadata

from schemas import ReplayCounts, ReplayState
from streams.kafka import client_kwargs, topic_partitions
from streams.kafka.admin import admin_client
from streams.replay.errors import ReplayError, UnknownTopicError
from streams.replay.plan import RateLimiter, advance
from streams.replay.window import Window
from streams.settings import Settings
from streams.topology import REPLAYS, topic_configs

#: A batch's outputs: (topic, key, value, headers, timestamp_ms) of every record to send.
Output = tuple[str, bytes | None, bytes, list[tuple[str, bytes]], int | None]


def group_id(settings: Settings, replay_id: str) -> str:
    """The replay's own consumer group (and transactional id): never the workers'."""
    return f"{settings.app_id}-replay-{replay_id}"


def consumer(settings: Settings) -> AIOKafkaConsumer:
    """A read_committed consumer in no group that never guesses a position (it is told)."""
    return AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap,
        enable_auto_commit=False,
        isolation_level="read_committed",
        auto_offset_reset="none",
        max_partition_fetch_bytes=2 * 1024 * 1024,
        **client_kwargs(settings),
    )


def producer(settings: Settings, transactional_id: str) -> AIOKafkaProducer:
    return AIOKafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap,
        transactional_id=transactional_id,
        enable_idempotence=True,
        acks="all",
        max_request_size=2 * 1024 * 1024,
        **client_kwargs(settings),
    )


async def partitions_of(client: AIOKafkaConsumer, topic: str) -> list[TopicPartition]:
    """The partitions of ``topic``; :class:`UnknownTopicError` when it does not exist."""
    parts = client.partitions_for_topic(topic)
    if not parts:
        # No public call asks for one topic's metadata without subscribing.
        await client._client.add_topic(topic)
        parts = client.partitions_for_topic(topic)
    if not parts:
        raise UnknownTopicError(f"topic {topic!r} does not exist at this cluster")
    return [TopicPartition(topic, p) for p in sorted(parts)]


async def ensure_replays_topic(settings: Settings, *, timeout: float = 30) -> str:
    """Create the compacted ``wires.replays`` if it is missing; returns its name."""
    name = settings.topic(REPLAYS.name)
    new = NewTopic(
        name, 1, settings.replication_factor, topic_configs=topic_configs(REPLAYS, settings)
    )
    async with admin_client(settings.kafka_bootstrap, client_kwargs(settings)) as admin:
        response = await admin.create_topics([new], timeout_ms=int(timeout * 1000))
        for entry in response.topic_errors:
            if entry[1] not in (0, TopicAlreadyExistsError.errno):
                raise ReplayError(f"cannot create {name}: error code {entry[1]}")
        while True:
            described = await admin.describe_topics([name])
            parts = described[0]["partitions"] if described else []
            if parts and all(p["leader"] >= 0 for p in parts):
                return name
            await asyncio.sleep(0.1)


async def check_topics(settings: Settings, names: Sequence[str]) -> dict[str, int]:
    """Partition count of each topic; :class:`UnknownTopicError` names the missing ones."""
    counts = await topic_partitions(settings, list(names))
    missing = [name for name in names if name not in counts]
    if missing:
        raise UnknownTopicError(
            f"no such topic at {settings.kafka_bootstrap}: {', '.join(missing)} (topic names "
            f"get WIRESTREAM_TOPIC_PREFIX={settings.topic_prefix!r} in front)"
        )
    return counts


async def window_offsets(
    settings: Settings, topic: str, window: Window
) -> tuple[dict[int, int], dict[int, int]]:
    """Per partition, the first offset at or after the window's start, and where to stop.

    Kafka finds the first record stamped at or after a time, so the start is
    exact. The end is not: records are stamped by their producers and a later
    offset can carry an earlier time, so reading stops at the partition's
    current (committed) end and every record is checked against the window.
    """
    client = consumer(settings)
    await client.start()
    try:
        tps = await partitions_of(client, topic)
        starts = await client.offsets_for_times(dict.fromkeys(tps, window.start_ms))
        ends = await client.end_offsets(tps)
    finally:
        await client.stop()
    end_of = {tp.partition: ends[tp] for tp in tps}
    start_of = {
        tp.partition: (starts[tp].offset if starts[tp] is not None else ends[tp]) for tp in tps
    }
    return {p: min(start_of[p], end_of[p]) for p in start_of}, end_of


async def read_states(settings: Settings, *, timeout: float = 30) -> list[ReplayState]:
    """Every committed state on ``wires.replays``, oldest first (empty when it does not exist)."""
    name = settings.topic(REPLAYS.name)
    client = consumer(settings)
    await client.start()
    states: list[ReplayState] = []
    try:
        try:
            tps = await partitions_of(client, name)
        except UnknownTopicError:
            return []
        client.assign(tps)
        await client.seek_to_beginning(*tps)
        ends = await client.end_offsets(tps)
        async with asyncio.timeout(timeout):
            while [tp for tp in tps if await client.position(tp) < ends[tp]]:
                batch = await client.getmany(*tps, timeout_ms=500)
                for records in batch.values():
                    for record in records:
                        if record.value is None:
                            continue
                        states.append(ReplayState.model_validate_json(record.value))
    finally:
        await client.stop()
    return states


@dataclass
class WindowReader:
    """The records of a window, every partition in offset order, merged oldest first.

    A record's place in the merged order is (timestamp, partition, offset), so
    every run of a replay reads the window in the same order.
    """

    client: AIOKafkaConsumer
    tps: list[TopicPartition]
    ends: dict[int, int]
    window: Window | None
    next: dict[int, int] = field(default_factory=dict)
    _buffers: dict[int, deque[ConsumerRecord[bytes, bytes]]] = field(default_factory=dict)
    _done: set[int] = field(default_factory=set)

    async def start(self, positions: dict[int, int]) -> None:
        self.client.assign(self.tps)
        for tp in self.tps:
            at = positions.get(tp.partition, self.ends[tp.partition])
            self.next[tp.partition] = at
            self._buffers[tp.partition] = deque()
            if at >= self.ends[tp.partition]:
                self._done.add(tp.partition)
            else:
                self.client.seek(tp, at)

    async def _fill(self, tp: TopicPartition) -> None:
        p = tp.partition
        end = self.ends[p]
        while not self._buffers[p] and p not in self._done:
            batch = await self.client.getmany(tp, timeout_ms=1000, max_records=500)
            records = batch.get(tp, [])
            for record in records:
                if record.offset >= end:
                    break
                if self.window is None or self.window.contains_ms(record.timestamp):
                    self._buffers[p].append(record)
            # Transaction markers and aborted records take offsets but are
            # never returned: the position says when the window is done.
            if not self._buffers[p] and await self.client.position(tp) >= end:
                self._done.add(p)
                self.next[p] = end

    async def take(self, count: int) -> list[ConsumerRecord[bytes, bytes]]:
        """Up to ``count`` records, oldest first; fewer only at the window's end."""
        out: list[ConsumerRecord[bytes, bytes]] = []
        while len(out) < count:
            for tp in self.tps:
                if not self._buffers[tp.partition] and tp.partition not in self._done:
                    await self._fill(tp)
            heads = [tp.partition for tp in self.tps if self._buffers[tp.partition]]
            if not heads:
                break
            p = min(heads, key=lambda q: (self._buffers[q][0].timestamp, q))
            record = self._buffers[p].popleft()
            self.next[p] = record.offset + 1
            if not self._buffers[p] and self.next[p] >= self.ends[p]:
                self._done.add(p)
            out.append(record)
        for tp in self.tps:
            if tp.partition in self._done:
                self.next[tp.partition] = self.ends[tp.partition]
        return out


#: Turns a batch of source records into outputs and the counts they add.
Process = Callable[
    [list[ConsumerRecord[bytes, bytes]]], Awaitable[tuple[list[Output], ReplayCounts]]
]


async def commit(
    out: AIOKafkaProducer,
    settings: Settings,
    outputs: Sequence[Output],
    state: ReplayState,
    *,
    offsets: dict[TopicPartition, int] | None = None,
    group: str | None = None,
) -> None:
    """Send ``outputs`` and ``state`` in one transaction."""
    async with out.transaction():
        for topic, key, value, headers, timestamp_ms in outputs:
            await out.send(topic, value=value, key=key, headers=headers, timestamp_ms=timestamp_ms)
        await out.send(
            settings.topic(REPLAYS.name), key=state.replay_id.encode(), value=state.to_json()
        )
        if offsets and group:
            await out.send_offsets_to_transaction(
                {tp: OffsetAndMetadata(off, "") for tp, off in offsets.items()}, group
            )


async def run_replay(
    settings: Settings,
    state: ReplayState,
    process: Process,
    *,
    window: Window | None,
    batch_size: int,
    max_rate: float | None = None,
    on_progress: Callable[[ReplayState, int], None] | None = None,
) -> ReplayState:
    """Replay from ``state``'s positions to its ends, checkpointing after every batch."""
    group = group_id(settings, state.replay_id)
    # The reader joins no group: positions come from the checkpoint alone. (With a
    # group, aiokafka may fetch the group's committed offsets itself, and while a
    # killed run's transaction is still open it falls back to the log's end.)
    reader_client = consumer(settings)
    writer = producer(settings, group)
    await reader_client.start()
    try:
        # Starting the producer fences an earlier run of this replay and
        # aborts its open transaction, if it was killed in one.
        await writer.start()
        try:
            tps = await partitions_of(reader_client, state.source_topic)
            reader = WindowReader(reader_client, tps, dict(state.ends), window)
            await reader.start(dict(state.positions))
            loop = asyncio.get_running_loop()
            limiter = RateLimiter(max_rate, start=loop.time())
            counts = state.counts
            scanned = sum(reader.next.values())
            if not state.finished:
                state = advance(state, positions=reader.next, counts=counts, now=datetime.now(UTC))
                await commit(writer, settings, [], state)
            while not state.finished:
                want = batch_size
                if state.limit is not None:
                    want = min(want, state.limit - counts.read)
                batch = await reader.take(want) if want > 0 else []
                wait = limiter.delay(len(batch), loop.time())
                if wait > 0:
                    await asyncio.sleep(wait)
                outputs, more = await process(batch)
                counts = ReplayCounts(
                    read=counts.read + len(batch),
                    produced=counts.produced + more.produced,
                    dead_lettered=counts.dead_lettered + more.dead_lettered,
                    skipped=counts.skipped + more.skipped,
                )
                positions = dict(reader.next)
                state = advance(state, positions=positions, counts=counts, now=datetime.now(UTC))
                if state.limit is not None and counts.read >= state.limit:
                    state = state.model_copy(update={"finished": True})
                if not batch:
                    state = state.model_copy(update={"finished": True})
                offsets = {tp: positions[tp.partition] for tp in tps}
                await commit(writer, settings, outputs, state, offsets=offsets, group=group)
                if on_progress is not None:
                    on_progress(state, sum(positions.values()) - scanned)
                scanned = sum(positions.values())
        finally:
            await writer.stop()
    except OffsetOutOfRangeError as exc:
        raise ReplayError(
            f"replay {state.replay_id}: records of the window are gone from "
            f"{state.source_topic} (deleted by its retention?): {exc}"
        ) from exc
    except KafkaError as exc:
        raise ReplayError(f"replay {state.replay_id}: Kafka error: {exc!r}") from exc
    finally:
        await reader_client.stop()
    return state
