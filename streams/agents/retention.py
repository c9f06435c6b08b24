"""Table retention: a timer drops expired entries, inside the owning stage's transactions."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from streams.outbox import Fenced, NotOwned, Outbox

log = logging.getLogger(__name__)


async def sweep(
    outbox: Outbox,
    *,
    stage: str,
    table: str,
    expired: Callable[[Any, datetime], bool],
    now: datetime | None = None,
) -> int:
    """Delete the entries of ``table`` that ``expired`` says are past; returns how many.

    Only partitions this worker owns, each in a transaction of the stage that
    owns the table, so the deletes reach the changelog exactly once.
    """
    now = now or datetime.now(UTC)
    spec = outbox.stages[stage]
    dropped = 0
    for owned_stage, partition in outbox.owned():
        if owned_stage is not spec:
            continue
        try:
            async with outbox.transaction(spec, partition) as tx:
                for key, value in list(tx.items(table)):
                    try:
                        gone = expired(value, now)
                    except (KeyError, TypeError, ValueError):
                        gone = True  # unreadable entries help nobody
                    if gone:
                        tx.delete(table, key)
                        dropped += 1
        except (NotOwned, Fenced) as exc:
            log.info(
                "%s: retention of partition %d left to its new owner: %s", table, partition, exc
            )
        except Exception as exc:  # the broker away: the next sweep tries again
            log.warning("%s: retention of partition %d failed: %r", table, partition, exc)
    if dropped:
        log.info("%s: %d expired entries dropped", table, dropped)
    return dropped
