"""Running a batch of events through a pool stage without losing any of them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from streams import observe
from streams.agents.deadletter import send_dead_letter

In = TypeVar("In")
Out = TypeVar("Out")
Rec = TypeVar("Rec")


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


async def process_batch(
    events: Sequence[Any],
    *,
    stage: str,
    decode: Callable[[bytes], Rec],
    to_input: Callable[[Rec], In],
    run: Callable[[Sequence[In]], Awaitable[list[Out]]],
    pipeline_version: str,
) -> list[tuple[Any, Rec, Out]]:
    """Decode, run and pair up a batch; every failure becomes a dead letter.

    Returns (event, decoded record, result) for the events that made it, in
    order, for the agent to publish.
    """
    observe.batch_started(stage, len(events))
    decoded: list[tuple[Any, Rec]] = []
    for event in events:
        try:
            decoded.append((event, decode(event.value)))
        except Exception as exc:  # a worker never dies of bad input
            await send_dead_letter(event, stage=stage, exc=exc, pipeline_version=pipeline_version)
    if not decoded:
        return []
    with observe.pool_call(stage):
        results = await run_isolated(run, [to_input(record) for _, record in decoded])
    done: list[tuple[Any, Rec, Out]] = []
    for (event, record), result in zip(decoded, results, strict=True):
        if isinstance(result, BaseException):
            await send_dead_letter(
                event, stage=stage, exc=result, pipeline_version=pipeline_version
            )
        else:
            done.append((event, record, result))
    observe.records_out(stage, len(done))
    return done
