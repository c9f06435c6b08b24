"""Running a batch through the pool without letting one article sink the rest."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

In = TypeVar("In")
Out = TypeVar("Out")


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
