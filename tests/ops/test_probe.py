"""What the worker probe reads from a Faust app (a stand-in here, the real one in integration)."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any, NamedTuple

from streams.observe import WorkerProbe


class TP(NamedTuple):
    topic: str
    partition: int


class _Consumer:
    def __init__(self, assigned: set[TP], ends: dict[TP, int | None]) -> None:
        self._assigned = assigned
        self._ends = ends
        self._read_offset: dict[TP, int | None] = {}
        self._committed_offset: dict[TP, int | None] = {}

    def assignment(self) -> set[TP]:
        return self._assigned

    def highwater(self, tp: TP) -> int | None:
        return self._ends[tp]


def _app(consumer: Any, *, rebalancing: bool = False, recovered: bool = True) -> Any:
    completed = asyncio.Event()
    if recovered:
        completed.set()
    table = SimpleNamespace(changelog_topic_name="app-story-versions-changelog", data={"a": 1})
    tables = {"story-versions": table}
    manager = SimpleNamespace(
        values=tables.values,
        items=tables.items,
        recovery=SimpleNamespace(completed=completed, in_recovery=False),
    )
    return SimpleNamespace(consumer=consumer, tables=manager, rebalancing=rebalancing)


def test_lag_counts_from_the_last_read_record_or_the_committed_offset() -> None:
    read, committed, fresh = TP("wires.raw", 0), TP("wires.raw", 1), TP("wires.raw", 2)
    changelog = TP("app-story-versions-changelog", 0)
    consumer = _Consumer(
        {read, committed, fresh, changelog}, {read: 10, committed: 10, fresh: 4, changelog: 99}
    )
    consumer._read_offset[read] = 6  # records 7, 8 and 9 are still to read
    consumer._committed_offset[committed] = 8

    lag = list(WorkerProbe(_app(consumer)).lag())

    assert lag == [("wires.raw", 0, 3), ("wires.raw", 1, 2), ("wires.raw", 2, 4)]


def test_a_partition_without_a_known_end_is_left_out() -> None:
    tp = TP("wires.raw", 0)

    assert list(WorkerProbe(_app(_Consumer({tp}, {tp: None}))).lag()) == []


def test_readiness_needs_an_assignment_outside_a_rebalance_and_a_warm_pool() -> None:
    tp = TP("wires.raw", 0)
    probe = WorkerProbe(_app(_Consumer({tp}, {tp: 0})))
    assert probe.readiness().waiting_for() == ["NLP pool start-up (model loading)"]
    probe.pool_warm = True
    assert probe.readiness().ready

    unassigned = WorkerProbe(_app(_Consumer(set(), {})))
    unassigned.pool_warm = True
    assert unassigned.readiness().waiting_for() == ["partition assignment"]

    moving = WorkerProbe(_app(_Consumer({tp}, {tp: 0}), rebalancing=True, recovered=False))
    moving.pool_warm = True
    assert moving.readiness().waiting_for() == ["partition assignment", "table recovery"]


def test_table_sizes_are_the_entries_held_locally() -> None:
    probe = WorkerProbe(_app(_Consumer(set(), {})))

    assert list(probe.table_sizes()) == [("story-versions", 1)]
