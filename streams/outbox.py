"""Exactly-once stage output: records, table changes and input offsets in one Kafka transaction.

A stage (parse, entities, ...) hands everything one input partition's events
produce to a :class:`Tx`: the records to send, the table changes, and the
offsets it consumed. :meth:`Outbox.transaction` commits them together, so
after any crash either all of it is visible to read-committed readers or none
of it is, and the input is read again from exactly where the output stops.

Why one producer per stage and input partition, and not Faust's own
``exactly_once``: faust-streaming picks the transaction by the partition of
the *output* record and commits offsets in a separate step, which breaks when
a batch spans partitions, and its table changelogs are written outside the
transaction (see its open issues on exactly_once). Here the transactional id
is ``<app>-<stage>-<partition>``: when a partition moves to another worker,
the new owner's producer fences the old one (a zombie's late commit fails
instead of writing twice) and aborts whatever it left open. Offsets are
committed into the transaction for a consumer group of the stage's own
(``<app>.<stage>``: two stages read ``wires.kills``); the new owner reads them
back after fencing, restores the stage's tables from their changelogs to the
last committed record, and only then takes events, skipping any it sees
below the checkpoint. Faust's own group commits are capped at the
checkpoints (:meth:`Outbox.safe_offsets`), so they only tell the consumer
where to start reading again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from streams.errors import WirestreamError
from streams.state import Table, encode

log = logging.getLogger(__name__)

#: Longest wait between two attempts at preparing a partition while the broker is away.
_MAX_PREPARE_BACKOFF = 5.0

#: The log line chaos scripts read to time table restores.
READY_LOG = "state ready: stage=%s partition=%d seconds=%.3f entries=%d"


class OutboxError(WirestreamError):
    """A stage's transaction could not be made."""

    code = "W960"


class NotOwned(OutboxError):
    """The partition belongs to another worker now: its events are that worker's to process."""

    code = "W961"


class Fenced(OutboxError):
    """Another worker took the partition over while a transaction was open; it was aborted."""

    code = "W962"


@dataclass(frozen=True)
class Stage:
    """A stage: the topics it reads (full names, co-partitioned) and the tables it keeps."""

    name: str
    topics: frozenset[str]
    tables: Mapping[str, Table] = field(default_factory=dict)


class Tx:
    """What one stage does for one input partition: sends, table changes, consumed offsets.

    Reads through :meth:`get` see the transaction's own writes first.
    """

    def __init__(self, stage: Stage, partition: int, checkpoint: Mapping[str, int]) -> None:
        self.stage = stage
        self.partition = partition
        self.sends: list[tuple[str, bytes | None, bytes]] = []
        self.writes: dict[tuple[str, str], Any] = {}
        self.offsets: dict[str, int] = {}
        self._checkpoint = checkpoint

    def take(self, topic: str, offset: int) -> bool:
        """Claim an input record; False when an earlier transaction already processed it."""
        done = max(self._checkpoint.get(topic, 0), self.offsets.get(topic, 0))
        if offset < done:
            return False
        self.offsets[topic] = offset + 1
        return True

    def send(self, topic: str, *, key: bytes | None, value: bytes) -> None:
        self.sends.append((topic, key, value))

    def _table(self, name: str) -> Table:
        try:
            return self.stage.tables[name]
        except KeyError:
            raise OutboxError(f"stage {self.stage.name} has no table {name!r}") from None

    def get(self, table: str, key: str) -> Any:
        if (table, key) in self.writes:
            return self.writes[(table, key)]
        return self._table(table).get(key, partition=self.partition)

    def put(self, table: str, key: str, value: Any) -> None:
        self._table(table)
        if value is None:
            raise ValueError("a table value cannot be None; use delete()")
        self.writes[(table, key)] = value

    def delete(self, table: str, key: str) -> None:
        self._table(table)
        self.writes[(table, key)] = None

    def items(self, table: str) -> Iterator[tuple[str, Any]]:
        """The partition's entries as this transaction sees them."""
        pending = {k: v for (t, k), v in self.writes.items() if t == table}
        for key, value in self._table(table).items(self.partition):
            if key not in pending:
                yield key, value
        for key, value in pending.items():
            if value is not None:
                yield key, value

    @property
    def empty(self) -> bool:
        return not (self.sends or self.writes or self.offsets)

    def changes(self) -> dict[str, list[tuple[bytes, bytes | None]]]:
        """Table changes as changelog records, by table name."""
        out: dict[str, list[tuple[bytes, bytes | None]]] = {}
        for (table, key), value in self.writes.items():
            raw = encode(value) if value is not None else None
            out.setdefault(table, []).append((key.encode(), raw))
        return out


class Backend(Protocol):
    exactly_once: bool

    async def prepare(self, stage: Stage, partition: int) -> Mapping[str, int]: ...
    async def commit(self, tx: Tx) -> None: ...
    def checkpoint(self, stage: Stage, partition: int) -> Mapping[str, int] | None: ...
    def forget(self, stage: Stage, partition: int) -> None: ...
    def prepared(self, stage: Stage) -> list[int]: ...
    async def release(self, stage: Stage, partition: int) -> None: ...
    async def close(self) -> None: ...


SendFn = Callable[[str, bytes | None, bytes | None, int | None], Awaitable[Any]]
"""send(topic, key, value, partition): publish one record and wait for its acknowledgement."""


class DirectBackend:
    """Plain sends (at least once) and, in tests, a capture of everything sent.

    Output first, then the changelog, then the local table: a crash in between
    repeats output, never loses it. Faust commits the input offsets itself.
    """

    exactly_once = False

    def __init__(
        self,
        send: SendFn,
        *,
        restore: Callable[[Stage, int], Awaitable[int]] | None = None,
    ) -> None:
        self._send = send
        self._restore = restore
        self._ready: set[tuple[str, int]] = set()

    async def prepare(self, stage: Stage, partition: int) -> Mapping[str, int]:
        key = (stage.name, partition)
        if key not in self._ready:
            started = time.monotonic()
            entries = await self._restore(stage, partition) if self._restore else 0
            log.info(READY_LOG, stage.name, partition, time.monotonic() - started, entries)
            self._ready.add(key)
        return {}

    def checkpoint(self, stage: Stage, partition: int) -> Mapping[str, int] | None:
        return {} if (stage.name, partition) in self._ready else None

    async def commit(self, tx: Tx) -> None:
        for topic, key, value in tx.sends:
            await self._send(topic, key, value, None)
        for name, changes in tx.changes().items():
            table = tx.stage.tables[name]
            for key_bytes, raw in changes:
                await self._send(table.changelog, key_bytes, raw, tx.partition)
            table.apply(tx.partition, changes)

    def forget(self, stage: Stage, partition: int) -> None:
        self._ready.discard((stage.name, partition))

    def prepared(self, stage: Stage) -> list[int]:
        return sorted(p for name, p in self._ready if name == stage.name)

    async def release(self, stage: Stage, partition: int) -> None:
        self.forget(stage, partition)

    async def close(self) -> None:
        self._ready.clear()


class Outbox:
    """Every stage's transactions, one at a time per stage and partition."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.stages: dict[str, Stage] = {}
        self._locks: dict[tuple[str, int], asyncio.Lock] = {}
        self._owned: set[tuple[str, int]] = set()
        self._assigned: set[tuple[str, int]] = set()
        self._epoch = 0

    def use(self, backend: Backend) -> None:
        """Swap the backend (tests, or the guarantee chosen at start-up)."""
        self.backend = backend
        self._locks.clear()

    def register(self, name: str, *, topics: Iterable[str], tables: Iterable[Table] = ()) -> Stage:
        stage = Stage(name, frozenset(topics), {t.name: t for t in tables})
        self.stages[name] = stage
        return stage

    # --- ownership -------------------------------------------------------
    def assign(self, tps: Iterable[tuple[str, int]]) -> None:
        """The consumer's whole assignment after a rebalance (topic, partition).

        A partition this worker held at the last assignment and not now may
        have been processed elsewhere by the time it comes back: what this
        worker knew of it (producer, checkpoint) is forgotten at once, so it
        is prepared afresh (fenced, checkpoint read, tables caught up).
        """
        new = set(tps)
        for stage in self.stages.values():
            for p in {p for t, p in self._assigned - new if t in stage.topics}:
                if not any((t, p) in new for t in stage.topics):
                    self.backend.forget(stage, p)
        self._assigned = new
        self._owned = set(new)
        self._epoch += 1

    def revoke(self, tps: Iterable[tuple[str, int]]) -> None:
        """Partitions taken away: no transaction of theirs starts here any more."""
        self._owned -= set(tps)
        self._epoch += 1

    @property
    def epoch(self) -> int:
        """Changes at every rebalance; caches built from tables compare it."""
        return self._epoch

    def owns(self, stage: Stage, partition: int) -> bool:
        return any((topic, partition) in self._owned for topic in stage.topics)

    def owned(self) -> list[tuple[Stage, int]]:
        return [
            (stage, p)
            for stage in self.stages.values()
            for p in sorted({p for t, p in self._owned if t in stage.topics})
        ]

    def _lock(self, stage: Stage, partition: int) -> asyncio.Lock:
        key = (stage.name, partition)
        lock = self._locks.get(key)
        if lock is None:
            lock = self._locks[key] = asyncio.Lock()
        return lock

    async def release_unowned(self) -> None:
        """Let go of producers and table partitions of partitions now elsewhere."""
        for stage in self.stages.values():
            for p in self.backend.prepared(stage):
                if not self.owns(stage, p):
                    async with self._lock(stage, p):
                        await self.backend.release(stage, p)
            for table in stage.tables.values():
                for p in table.partitions():
                    if not self.owns(stage, p):
                        async with self._lock(stage, p):
                            await self.backend.release(stage, p)
                            table.close(p)

    async def prepare_owned(self, *, concurrency: int = 8) -> None:
        """Make every owned stage partition ready (fence, read checkpoint, restore tables).

        Several at once: each is mostly waiting on the broker (a producer's
        initialisation, a checkpoint read, a changelog's tail), and a worker
        owns a few dozen of them.
        """
        slots = asyncio.Semaphore(concurrency)

        async def one(stage: Stage, p: int) -> None:
            async with slots, self._lock(stage, p):
                if self.owns(stage, p) and self.backend.checkpoint(stage, p) is None:
                    await self.backend.prepare(stage, p)

        await asyncio.gather(
            *(
                one(stage, p)
                for stage, p in self.owned()
                if self.backend.checkpoint(stage, p) is None
            )
        )

    def all_prepared(self) -> bool:
        return all(self.backend.checkpoint(s, p) is not None for s, p in self.owned())

    # --- transactions ----------------------------------------------------
    @asynccontextmanager
    async def transaction(self, stage: str | Stage, partition: int) -> AsyncIterator[Tx]:
        """A transaction of ``stage`` for ``partition``, committed when the block ends.

        Raises :class:`NotOwned` when the partition is not this worker's, and
        :class:`Fenced` when it was taken over meanwhile: either way the events
        are another worker's to process, and nothing of this block is kept.
        """
        spec = self.stages[stage] if isinstance(stage, str) else stage
        if not self.owns(spec, partition):
            raise NotOwned(f"{spec.name}[{partition}] is not assigned to this worker")
        async with self._lock(spec, partition):
            checkpoint = await self._prepare_until_ready(spec, partition)
            tx = Tx(spec, partition, checkpoint)
            yield tx
            if not tx.empty:
                await self.backend.commit(tx)

    async def _prepare_until_ready(self, stage: Stage, partition: int) -> Mapping[str, int]:
        """Prepare, retrying while the broker is away: a stage never dies of an outage."""
        attempt = 0
        while True:
            try:
                return await self.backend.prepare(stage, partition)
            except (NotOwned, Fenced):
                raise
            except Exception as exc:
                attempt += 1
                if not self.owns(stage, partition):
                    raise NotOwned(f"{stage.name}[{partition}] moved while preparing") from exc
                log.warning(
                    "%s[%d]: cannot prepare (%r); attempt %d", stage.name, partition, exc, attempt
                )
                await asyncio.sleep(min(0.25 * 2**attempt, _MAX_PREPARE_BACKOFF))

    def fresh(self, stage: str, topic: str, partition: int, offset: int) -> bool:
        """Cheap pre-check before pool work: False only for a record already processed."""
        checkpoint = self.backend.checkpoint(self.stages[stage], partition)
        return checkpoint is None or offset >= checkpoint.get(topic, 0)

    def safe_offsets(self, offsets: Mapping[tuple[str, int], int]) -> dict[tuple[str, int], int]:
        """Faust's group commit, capped at what every stage reading the topic has committed.

        A partition some stage has not checkpointed yet is left out.
        """
        if not self.backend.exactly_once:
            return dict(offsets)
        safe: dict[tuple[str, int], int] = {}
        for (topic, p), offset in offsets.items():
            readers = [s for s in self.stages.values() if topic in s.topics]
            marks = [self.backend.checkpoint(s, p) for s in readers]
            if not readers or any(m is None for m in marks):
                continue
            capped = min([offset, *(m.get(topic, 0) for m in marks if m is not None)])
            if capped > 0:
                safe[(topic, p)] = capped
        return safe

    def table_sizes(self) -> list[tuple[str, int]]:
        return [
            (table.name, len(table))
            for stage in self.stages.values()
            for table in stage.tables.values()
        ]

    async def close(self) -> None:
        await self.backend.close()
        for stage in self.stages.values():
            for table in stage.tables.values():
                table.close_all()
