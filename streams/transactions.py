"""The Kafka side of :mod:`streams.outbox`: transactional producers, checkpoints, table restore."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError, ProducerFenced
from aiokafka.structs import TopicPartition

from streams import observe
from streams.kafka import client_kwargs
from streams.outbox import READY_LOG, DirectBackend, Fenced, SendFn, Stage, Tx
from streams.settings import Settings
from streams.state import Table

log = logging.getLogger(__name__)

#: Longest wait between two attempts at a transaction the broker refused.
_MAX_BACKOFF = 5.0


def checkpoint_group(app_id: str, stage: str) -> str:
    """The consumer group a stage's transactions commit its input offsets to."""
    return f"{app_id}.{stage}"


def transactional_id(app_id: str, stage: str, partition: int) -> str:
    return f"{app_id}-{stage}-{partition}"


async def restore_table(
    settings: Settings, table: Table, partition: int, *, isolation_level: str = "read_committed"
) -> int:
    """Bring a table partition's local store up to the end of its changelog; returns entries.

    Reads from the offset the store has reached, so a RocksDB store after a
    restart reads only the tail. Read committed: an aborted transaction's
    changes never reach the table.
    """
    tp = TopicPartition(table.changelog, partition)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap,
        enable_auto_commit=False,
        isolation_level=isolation_level,
        auto_offset_reset="earliest",
        **client_kwargs(settings),
    )
    await consumer.start()
    try:
        consumer.assign([tp])
        end = (await consumer.end_offsets([tp]))[tp]
        start = table.next_offset(partition)
        if start > end:
            # The changelog is younger than the store (topic re-created): start afresh.
            log.warning(
                "%s[%d]: local store ahead of its changelog; rebuilding", table.name, partition
            )
            table.store(partition).clear()
            start = 0
        if start < end:
            consumer.seek(tp, start)
            while await consumer.position(tp) < end:
                batch = await consumer.getmany(tp, timeout_ms=1000, max_records=5000)
                records = batch.get(tp, [])
                if records:
                    table.apply(
                        partition,
                        [(bytes(r.key or b""), r.value) for r in records],
                        next_offset=records[-1].offset + 1,
                    )
            table.apply(partition, [], next_offset=end)
        return len(table.store(partition))
    finally:
        await consumer.stop()


async def _stop(producer: AIOKafkaProducer, key: tuple[str, int]) -> None:
    try:
        await producer.stop()
    except Exception as exc:  # a producer in error may fail to stop cleanly
        log.debug("stopping producer %s: %r", key, exc)


def _retrieve(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()


class _Ready:
    def __init__(self, producer: AIOKafkaProducer, checkpoint: dict[str, int]) -> None:
        self.producer = producer
        self.checkpoint = checkpoint


class TransactionalBackend:
    """One transactional producer per stage and input partition this worker owns."""

    exactly_once = True

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._ready: dict[tuple[str, int], _Ready] = {}
        self._admin: AIOKafkaAdminClient | None = None
        self._stopping: set[asyncio.Task[None]] = set()
        self._admin_lock = asyncio.Lock()

    def checkpoint(self, stage: Stage, partition: int) -> Mapping[str, int] | None:
        ready = self._ready.get((stage.name, partition))
        return ready.checkpoint if ready is not None else None

    async def _admin_client(self) -> AIOKafkaAdminClient:
        # Partitions are prepared concurrently: one client for all of them.
        async with self._admin_lock:
            if self._admin is None:
                admin = AIOKafkaAdminClient(
                    bootstrap_servers=self._settings.kafka_bootstrap,
                    **client_kwargs(self._settings),
                )
                await admin.start()
                self._admin = admin
            return self._admin

    async def _read_checkpoint(self, stage: Stage, partition: int) -> dict[str, int]:
        admin = await self._admin_client()
        tps = [TopicPartition(topic, partition) for topic in sorted(stage.topics)]
        group = checkpoint_group(self._settings.app_id, stage.name)
        found: dict[Any, Any] = await admin.list_consumer_group_offsets(group, partitions=tps)
        checkpoint: dict[str, int] = {}
        for tp, meta in found.items():
            if meta is not None and meta.offset is not None and meta.offset >= 0:
                checkpoint[tp.topic] = meta.offset
        return checkpoint

    async def prepare(self, stage: Stage, partition: int) -> Mapping[str, int]:
        """Fence any earlier owner, then read the checkpoint and restore the tables.

        The order matters: only once our producer is initialised can no older
        transaction still commit, so the checkpoint read afterwards is final.
        """
        key = (stage.name, partition)
        ready = self._ready.get(key)
        if ready is not None:
            return ready.checkpoint
        started = time.monotonic()
        producer = AIOKafkaProducer(
            bootstrap_servers=self._settings.kafka_bootstrap,
            transactional_id=transactional_id(self._settings.app_id, stage.name, partition),
            enable_idempotence=True,
            acks="all",
            **client_kwargs(self._settings),
        )
        try:
            await producer.start()
            checkpoint = await self._read_checkpoint(stage, partition)
            entries = 0
            for table in stage.tables.values():
                entries += await restore_table(self._settings, table, partition)
        except BaseException:
            await producer.stop()
            raise
        self._ready[key] = _Ready(producer, checkpoint)
        log.info(READY_LOG, stage.name, partition, time.monotonic() - started, entries)
        return checkpoint

    async def _drop(self, key: tuple[str, int]) -> None:
        ready = self._ready.pop(key, None)
        if ready is not None:
            await _stop(ready.producer, key)

    def forget(self, stage: Stage, partition: int) -> None:
        key = (stage.name, partition)
        ready = self._ready.pop(key, None)
        if ready is not None:
            # A transaction still running on it keeps its reference and ends
            # (committed or fenced) before the producer stops.
            task = asyncio.get_running_loop().create_task(_stop(ready.producer, key))
            self._stopping.add(task)
            task.add_done_callback(self._stopping.discard)

    def prepared(self, stage: Stage) -> list[int]:
        return sorted(p for name, p in self._ready if name == stage.name)

    async def _attempt(self, ready: _Ready, tx: Tx) -> list[tuple[Table, list[Any], list[Any]]]:
        producer = ready.producer
        await producer.begin_transaction()
        pending = [await producer.send(topic, value, key=key) for topic, key, value in tx.sends]
        tables: list[tuple[Table, list[Any], list[Any]]] = []
        for name, changes in tx.changes().items():
            table = tx.stage.tables[name]
            futures = [
                await producer.send(table.changelog, raw, key=key, partition=tx.partition)
                for key, raw in changes
            ]
            tables.append((table, changes, futures))
        try:
            if tx.offsets:
                offsets = {TopicPartition(t, tx.partition): o for t, o in tx.offsets.items()}
                group = checkpoint_group(self._settings.app_id, tx.stage.name)
                await producer.send_offsets_to_transaction(offsets, group)
            await producer.commit_transaction()
        finally:
            # Every send's outcome is retrieved, now or when it comes, so a failed
            # transaction leaves no "exception was never retrieved" behind.
            for future in [*pending, *(f for _, _, fs in tables for f in fs)]:
                future.add_done_callback(_retrieve)
        return tables

    async def commit(self, tx: Tx) -> None:
        """Commit ``tx``; a broker failure is retried until it is known to have landed once.

        After a failed attempt the producer is made anew (which aborts the
        attempt unless it had committed) and the checkpoint is read again: if
        it covers the transaction's offsets, the attempt had committed and is
        not repeated. A transaction with no offsets (a timer's) is not
        retried: its caller recomputes it from the restored tables next time.
        """
        key = (tx.stage.name, tx.partition)
        attempt = 0
        while True:
            ready = self._ready.get(key)
            if ready is None:
                checkpoint = await self._prepare_retrying(tx, attempt)
                if tx.offsets and all(checkpoint.get(t, 0) >= o for t, o in tx.offsets.items()):
                    return
                ready = self._ready[key]
            try:
                tables = await self._attempt(ready, tx)
            except ProducerFenced as exc:
                await self._drop(key)
                raise Fenced(f"{tx.stage.name}[{tx.partition}] was taken over: {exc}") from exc
            except (TimeoutError, KafkaError, OSError) as exc:
                attempt += 1
                observe.transaction_retried(tx.stage.name)
                log.warning(
                    "%s[%d]: transaction failed (%r); attempt %d",
                    tx.stage.name,
                    tx.partition,
                    exc,
                    attempt,
                )
                await self._drop(key)
                if not tx.offsets:
                    raise
                await asyncio.sleep(min(0.25 * 2**attempt, _MAX_BACKOFF))
                continue
            for table, changes, futures in tables:
                offsets = [(await f).offset for f in futures]
                last = max(offsets) if offsets else None
                table.apply(
                    tx.partition, changes, next_offset=last + 1 if last is not None else None
                )
            ready.checkpoint.update(tx.offsets)
            return

    async def _prepare_retrying(self, tx: Tx, attempt: int) -> Mapping[str, int]:
        while True:
            try:
                return await self.prepare(tx.stage, tx.partition)
            except ProducerFenced as exc:
                raise Fenced(f"{tx.stage.name}[{tx.partition}] was taken over: {exc}") from exc
            except (TimeoutError, KafkaError, OSError) as exc:
                attempt += 1
                log.warning(
                    "%s[%d]: cannot prepare (%r); attempt %d",
                    tx.stage.name,
                    tx.partition,
                    exc,
                    attempt,
                )
                await asyncio.sleep(min(0.25 * 2**attempt, _MAX_BACKOFF))

    async def release(self, stage: Stage, partition: int) -> None:
        await self._drop((stage.name, partition))

    async def close(self) -> None:
        for key in list(self._ready):
            await self._drop(key)
        if self._admin is not None:
            await self._admin.close()
            self._admin = None


def create_backend(settings: Settings, *, send: SendFn) -> TransactionalBackend | DirectBackend:
    """The backend the processing guarantee asks for."""
    if settings.processing_guarantee == "exactly_once":
        return TransactionalBackend(settings)

    async def restore(stage: Stage, partition: int) -> int:
        return sum(
            [
                await restore_table(settings, t, partition, isolation_level="read_uncommitted")
                for t in stage.tables.values()
            ]
        )

    return DirectBackend(send, restore=restore)
