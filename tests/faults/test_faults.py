"""Exactly once under faults, on the real broker.

Each test sends a seeded stream of wires with poison mixed in while something
goes wrong, then checks that every input is on wires.enriched or wires.dlq
exactly once (read committed) and every good story once on wires.released.
WIRESTREAM_FAULT_SEED=<n> re-runs a failed test with the same wires and the
same fault moments; the seed is in every assertion message.
"""

from __future__ import annotations

import random
import time

import pytest

from streams.kafka import LocalBroker
from tests.faults.conftest import FaultRun
from tests.faults.harness import (
    Feeder,
    Report,
    Wire,
    WorkerProcess,
    check_exactly_once,
    collect_outputs,
    generate_wires,
    raw_copies,
    where_lost,
)

pytestmark = [pytest.mark.integration, pytest.mark.faults]

WIRES = 300
#: Wires per second: slow enough that the faults land while wires still arrive.
RATE = 7.0
READY = 180.0
#: Longest wait for the outputs after the last send; an input still missing then is lost.
#: Short enough that even failing tests keep the three of them near the 5-minute budget.
COLLECT = 90.0


def _finish(run: FaultRun, wires: list[Wire], feeder: Feeder, seed: int) -> Report:
    log = feeder.join(timeout=300)
    assert not log.failed, f"seed {seed}: sends failed for good: {log.failed[:5]}"
    outputs = collect_outputs(run.cfg, wires, timeout=COLLECT)
    for proc in run.workers:
        proc.stop()
    report = check_exactly_once(wires, outputs, seed=seed)
    if log.retries:
        report.notes.append(
            f"the feeder retried {log.retries} sends; wires on wires.raw twice: "
            f"{raw_copies(run.cfg)}"
        )
    if report.lost:
        report.notes.append(f"lost = no output {COLLECT:g} s after the last wire was sent")
        report.notes.append(where_lost(run.cfg, report.lost))
    # Shown with -rP: what the run gave, also when it passed.
    print(report.summary())
    print(f"feeder: {len(log.sent)} sent, {log.retries} sends retried")
    return report


def _moments(rng: random.Random, count: int, low: float, high: float) -> list[int]:
    """``count`` distinct send counts between ``low`` and ``high`` of the stream, ascending."""
    return sorted(rng.sample(range(int(WIRES * low), int(WIRES * high)), count))


def _start(
    fault_run: FaultRun, seed: int
) -> tuple[random.Random, list[Wire], WorkerProcess, Feeder]:
    """The seeded fault plan, the wires, a ready first worker and the feeder sending them."""
    rng = random.Random(seed)
    wires = generate_wires(WIRES, seed)
    worker = fault_run.worker("w1").start()
    worker.wait_ready(READY)
    return rng, wires, worker, Feeder(fault_run.cfg, wires, rate=RATE).start()


def test_worker_killed_three_times_loses_and_duplicates_nothing(
    fault_run: FaultRun, seed: int
) -> None:
    rng, wires, worker, feeder = _start(fault_run, seed)
    kills = []
    for at in _moments(rng, 3, 0.1, 0.8):
        feeder.wait_sent(at, timeout=120)
        # Somewhere inside a batch, not always right on a send.
        time.sleep(rng.uniform(0.0, 1.5))
        kills.append((feeder.sent_count, worker.kill()))
        worker.restart()
        worker.wait_ready(READY)
    report = _finish(fault_run, wires, feeder, seed)
    where = ", ".join(f"after {n} sent" for n, _ in kills)
    assert report.ok, f"SIGKILL x3 ({where}):\n{report.summary()}\n{fault_run.logs()}"


def test_broker_stopped_and_started_mid_stream_loses_and_duplicates_nothing(
    fault_run: FaultRun, local_broker: LocalBroker, seed: int
) -> None:
    rng, wires, _worker, feeder = _start(fault_run, seed)
    (at,) = _moments(rng, 1, 0.2, 0.6)
    feeder.wait_sent(at, timeout=120)
    outage = rng.uniform(3.0, 8.0)
    local_broker.stop()
    assert not local_broker.status().running, f"seed {seed}: the broker did not stop"
    time.sleep(outage)
    local_broker.start(timeout=120)
    report = _finish(fault_run, wires, feeder, seed)
    assert report.ok, (
        f"broker stopped after {at} sent, {outage:.1f} s down:\n{report.summary()}\n"
        f"{fault_run.logs()}"
    )


def test_second_worker_joining_then_leaving_loses_and_duplicates_nothing(
    fault_run: FaultRun, seed: int
) -> None:
    rng, wires, _first, feeder = _start(fault_run, seed)
    join_at, leave_at = _moments(rng, 2, 0.1, 0.8)
    feeder.wait_sent(join_at, timeout=120)
    second = fault_run.worker("w2").start()
    second.wait_ready(READY)
    feeder.wait_sent(leave_at, timeout=120)
    time.sleep(rng.uniform(0.0, 1.5))
    second.terminate(timeout=60)
    report = _finish(fault_run, wires, feeder, seed)
    assert report.ok, (
        f"second worker joined after {join_at} sent, left (SIGTERM) after {leave_at}:\n"
        f"{report.summary()}\n{fault_run.logs()}"
    )
