"""Running a batch of events through a pool stage, then committing it once per input partition."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any, Generic, TypeVar

from faust.types import EventT, StreamT

from streams import observe
from streams.agents.adaptive import adaptive_batches
from streams.agents.deadletter import dead_letter
from streams.outbox import Fenced, NotOwned, Outbox, Tx

log = logging.getLogger(__name__)

In = TypeVar("In")
Out = TypeVar("Out")
Rec = TypeVar("Rec")


class Item(Generic[Rec, Out]):
    """One event of a batch: its decoded record and the stage's result, or why it failed."""

    __slots__ = ("error", "event", "record", "result")

    def __init__(
        self,
        event: EventT[Any],
        record: Rec | None = None,
        result: Out | None = None,
        error: BaseException | None = None,
    ) -> None:
        self.event = event
        self.record = record
        self.result = result
        self.error = error


async def run_isolated(
    run: Callable[[Sequence[In]], Awaitable[list[Out]]], items: Sequence[In]
) -> list[Out | BaseException]:
    """Run the whole batch at once; if that fails, run each item alone.

    The common case costs one call. When the batch fails (one poisonous
    article, or a pool worker that died on it), the retry one by one pins the
    failure on the article that caused it, so only that one is dead-lettered.
    """
    try:
        return list(await run(items))
    except Exception:
        results: list[Out | BaseException] = []
        for item in items:
            try:
                results.extend(await run([item]))
            except Exception as exc:
                results.append(exc)
        return results


def batches(
    stream: StreamT[Any],
    *,
    size: int | None = None,
    capacity: int | None = None,
    pending: list[EventT[Any]] | None = None,
) -> AsyncIterator[Sequence[EventT[Any]]]:
    """The stream in batches of up to ``size`` (``batch_size``) events, each run once ready.

    ``capacity`` and ``pending``: see :func:`~streams.agents.adaptive.adaptive_batches`.
    """
    from streams.app import settings  # late: keeps this module importable without an app

    return adaptive_batches(stream, size or settings.batch_size, capacity=capacity, pending=pending)


def fresh(outbox: Outbox, stage: str, events: Sequence[EventT[Any]]) -> list[EventT[Any]]:
    """The events no earlier transaction of ``stage`` has processed (a re-read after a crash)."""
    return [
        e
        for e in events
        if outbox.fresh(stage, e.message.topic, e.message.partition, e.message.offset)
    ]


async def run_batch(
    events: Sequence[EventT[Any]],
    *,
    stage: str,
    outbox: Outbox,
    decode: Callable[[bytes], Rec],
    to_input: Callable[[Rec], In],
    run: Callable[[Sequence[In]], Awaitable[list[Out]]],
) -> list[Item[Rec, Out]]:
    """Decode and run a batch through the pool; nothing is published yet."""
    events = fresh(outbox, stage, events)
    observe.batch_started(stage, len(events))
    items: list[Item[Rec, Out]] = []
    runnable: list[Item[Rec, Out]] = []
    for event in events:
        try:
            item: Item[Rec, Out] = Item(event, decode(event.value))
            runnable.append(item)
        except Exception as exc:  # a worker never dies of bad input
            item = Item(event, error=exc)
        items.append(item)
    if runnable:
        with observe.pool_call(stage):
            results = await run_isolated(
                run,
                [to_input(i.record) for i in runnable],  # type: ignore[arg-type]
            )
        for item, result in zip(runnable, results, strict=True):
            if isinstance(result, BaseException):
                item.error = result
            else:
                item.result = result
    return items


#: Tries at a batch whose transaction was fenced while its partition is still this worker's.
_FENCED_ATTEMPTS = 3


async def _commit_group(
    group: Sequence[Item[Rec, Out]],
    *,
    stage: str,
    partition: int,
    outbox: Outbox,
    pipeline_version: str,
    emit: Callable[[Tx, Item[Rec, Out]], Awaitable[None] | None],
) -> int:
    async with outbox.transaction(stage, partition) as tx:
        done = 0
        for item in group:
            message = item.event.message
            if not tx.take(message.topic, message.offset):
                continue  # processed before a restart; already out
            if item.error is not None:
                dead_letter(
                    tx, item.event, stage=stage, exc=item.error, pipeline_version=pipeline_version
                )
                continue
            pending = emit(tx, item)
            if pending is not None:
                await pending
            done += 1
    return done


async def commit_items(
    items: Sequence[Item[Rec, Out]],
    *,
    stage: str,
    outbox: Outbox,
    pipeline_version: str,
    emit: Callable[[Tx, Item[Rec, Out]], Awaitable[None] | None],
    on_abort: Callable[[], None] | None = None,
    on_commit: Callable[[int], None] | None = None,
    concurrently: bool = False,
) -> int:
    """One transaction per input partition: ``emit`` each good item, dead-letter the rest.

    Returns how many items were emitted. Events of a partition this worker no
    longer owns are left to their new owner. ``on_commit(partition)`` runs once
    a partition's transaction has committed (``on_abort`` when one was given up).
    With ``concurrently``, the partitions' transactions run at the same time
    (each has its own producer and lock; only for stages that keep no state
    across partitions), so a batch over several partitions takes one commit's
    time, not one per partition.
    """
    by_partition: dict[int, list[Item[Rec, Out]]] = {}
    for item in items:
        by_partition.setdefault(item.event.message.partition, []).append(item)

    async def one(partition: int, group: list[Item[Rec, Out]]) -> int:
        for attempt in range(1, _FENCED_ATTEMPTS + 1):
            try:
                emitted = await _commit_group(
                    group,
                    stage=stage,
                    partition=partition,
                    outbox=outbox,
                    pipeline_version=pipeline_version,
                    emit=emit,
                )
                if on_commit is not None:
                    on_commit(partition)
                return emitted
            except (NotOwned, Fenced) as exc:
                if on_abort is not None:
                    on_abort()
                if isinstance(exc, NotOwned) or attempt == _FENCED_ATTEMPTS:
                    log.info("%s: %d events left to their new owner: %s", stage, len(group), exc)
                    return 0
                # Fenced while the partition is still ours: our producer was
                # older than the partition's last owner; prepare afresh (the new
                # checkpoint says which of these events are done) and go again.
                log.info("%s[%d]: fenced (%s); preparing again", stage, partition, exc)
        return 0

    groups = sorted(by_partition.items())
    if concurrently and len(groups) > 1:
        # Every partition's transaction ends (commits or aborts) before an error goes up.
        results = await asyncio.gather(*(one(p, g) for p, g in groups), return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                raise result
        emitted = sum(r for r in results if isinstance(r, int))
    else:
        emitted = 0
        for partition, group in groups:
            emitted += await one(partition, group)
    observe.records_out(stage, emitted)
    return emitted
