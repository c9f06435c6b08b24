"""Batches that follow the load: nothing waits for a batch that will not fill.

Faust's ``take_events(n, within)`` holds every batch until it has ``n``
events or ``within`` seconds have passed, so at low load each stage adds
``within`` to every record's latency. :func:`adaptive_batches` waits only for
the *first* event; it then takes whatever else has already arrived (up to
``max_size``) and hands the batch on at once. While that batch runs, the
stream keeps filling the next one, so under load the batch is as large as
the arrivals during one run of the stage (up to ``max_size``): the batch size
follows the load and throughput keeps the benefit of batching.

Events are acknowledged to Faust only after the caller has finished with
their batch (the caller commits its own offsets in its transaction; Faust's
group commit is capped at those checkpoints anyway).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from typing import Any

from faust.types import EventT, StreamT

#: Passes of the event loop granted to move records already queued for the
#: stream into the batch; each pass usually moves many, so this is a bound,
#: not a wait.
_DRAIN_PASSES = 64


def _queued(stream: Any) -> int:
    """Events delivered to the stream's channel and not taken from it yet."""
    queue = getattr(getattr(stream, "channel", None), "queue", None)
    try:
        return int(queue.qsize()) if queue is not None else 0
    except (AttributeError, NotImplementedError):
        return 0


async def adaptive_batches(
    stream: StreamT[Any],
    max_size: int,
    *,
    capacity: int | None = None,
    pending: list[EventT[Any]] | None = None,
) -> AsyncIterator[Sequence[EventT[Any]]]:
    """``stream`` in batches of 1 to ``max_size`` events, each yielded as soon as it is ready.

    Up to ``capacity`` events (default ``max_size``) are collected ahead while
    a batch runs. A caller that looks ahead at them (the parse stage, for a
    flash behind a backlog) passes ``pending``, the list they wait in, in
    arrival order: to read, never to change.
    """
    s: Any = stream  # Faust's processor and passive-drain API is on Stream, not on StreamT
    limit = max(capacity or max_size, max_size)
    pending = [] if pending is None else pending
    arrived = asyncio.Event()
    room = asyncio.Event()
    room.set()

    async def collect(value: Any) -> Any:
        # Runs for each event as the stream reads it, while the caller may be
        # busy with the previous batch; only a full collection holds it up.
        await room.wait()
        event = s.current_event
        if event is None:
            raise RuntimeError("an event reached the batch without its Faust event")
        pending.append(event)
        arrived.set()
        if len(pending) >= limit:
            room.clear()
        return value

    acks = s.enable_acks
    s.enable_acks = False  # acknowledged below, once the batch is done
    s.add_processor(collect)
    s._enable_passive(aiter(s.channel))
    try:
        while not s.should_stop:
            await s.wait_for_stopped(arrived, timeout=1.0)
            if not pending:
                continue
            for _ in range(_DRAIN_PASSES):
                if len(pending) >= max_size or not _queued(s):
                    break
                await asyncio.sleep(0)
            batch = pending[:max_size]
            del pending[:max_size]
            if not pending:
                arrived.clear()
            room.set()
            try:
                yield batch
            finally:
                for event in batch:
                    await s.ack(event)
    finally:
        s.enable_acks = acks
        s._processors.remove(collect)
