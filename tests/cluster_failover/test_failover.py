"""Broker failover on three local brokers: the busiest one is SIGKILLed while wires flow."""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import ModuleType

import pytest

from streams.kafka import LocalCluster, ensure_topics, topic_replication
from streams.settings import Settings

pytestmark = pytest.mark.integration

WIRES = 160
RATE = 4.0
OUTAGE = 35.0


def test_topics_are_created_with_three_replicas_and_two_in_sync(
    three_brokers: tuple[Settings, LocalCluster],
) -> None:
    cfg, _ = three_brokers
    asyncio.run(ensure_topics(cfg))

    report = asyncio.run(topic_replication(cfg))

    assert {(t.replicas, t.min_insync) for t in report} == {(3, 2)}, report
    assert [t.topic for t in report if t.problems] == []


def test_every_wire_comes_out_once_while_the_leading_broker_is_killed_and_restarted(
    three_brokers: tuple[Settings, LocalCluster],
    failover: ModuleType,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    cfg, cluster = three_brokers
    asyncio.run(ensure_topics(cfg))
    wires = failover.synthetic_wires(WIRES, seed=18)
    worker = failover.failover_worker(cfg, tmp_path).start()
    try:
        worker.wait_ready(300)
        outcome = asyncio.run(
            failover.drive(cfg, cluster, wires, rate=RATE, kill_after=0.15, outage=OUTAGE)
        )
        asyncio.run(failover.collect(cfg, outcome, timeout=150))
    finally:
        worker.stop()
    tail = worker.log_tail(3000)

    with capsys.disabled():
        print(
            f"\n[failover] node {outcome.killed_node} killed; {len(outcome.enriched)} enriched, "
            f"{len(outcome.dead)} dead letters, {outcome.duplicated} raw duplicates, "
            f"longest gap {outcome.longest_gap:.1f} s"
        )
    assert outcome.send_errors == []
    assert outcome.lost == set(), f"lost {len(outcome.lost)} wires\nworker log:\n{tail}"
    # Exactly once, read committed, with no de-duplication by the reader: a record of
    # a transaction the broker's death aborted is never seen.
    assert outcome.duplicated == 0, f"{outcome.duplicated} duplicates\nworker log:\n{tail}"
    assert outcome.both == set()
    assert set(outcome.outputs) == set(outcome.sent)
    assert len(outcome.dead) >= WIRES // 50, "the undecodable inputs became dead letters"
    # It kept going while a broker was down, not only after the restart.
    assert outcome.enriched_between(outcome.killed_at + 1, outcome.restarted_at) > 0
    assert cluster.status()[outcome.killed_node - 1].running
