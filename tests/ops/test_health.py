"""/readyz's decision: ready only when assigned, recovered and warm."""

from __future__ import annotations

import itertools

from streams.observe import Readiness


def test_ready_only_when_all_three_conditions_hold() -> None:
    for assigned, recovered, warm in itertools.product([False, True], repeat=3):
        state = Readiness(assigned=assigned, tables_recovered=recovered, pool_warm=warm)
        assert state.ready == (assigned and recovered and warm)


def test_a_waiting_worker_says_what_it_waits_for() -> None:
    state = Readiness(assigned=False, tables_recovered=True, pool_warm=False)

    assert state.as_json() == {
        "ready": False,
        "assigned": False,
        "tables_recovered": True,
        "pool_warm": False,
        "waiting_for": ["partition assignment", "NLP pool start-up (model loading)"],
    }


def test_a_ready_worker_waits_for_nothing() -> None:
    state = Readiness(assigned=True, tables_recovered=True, pool_warm=True)

    assert state.waiting_for() == []
