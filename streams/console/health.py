"""Pipeline health for the console, from the very registry ``/metrics`` serves.

Counters are totals; the page turns two snapshots into rates, so the server
keeps no history and every console sees the numbers Prometheus would.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from prometheus_client import CollectorRegistry
from prometheus_client.metrics_core import Metric


def _total(sample_name: str, family: str) -> bool:
    return sample_name in (f"{family}_total", family)


def snapshot(families: Iterable[Metric]) -> dict[str, Any]:
    """Records in and out per stage, dead letters per stage and code, lag per topic."""
    stages: dict[str, dict[str, float]] = {}
    dead: dict[tuple[str, str], float] = {}
    lag: dict[str, float] = {}
    queue = 0.0

    def stage(name: str) -> dict[str, float]:
        return stages.setdefault(name, {"in": 0.0, "out": 0.0, "dead": 0.0})

    for family in families:
        for sample in family.samples:
            labels = sample.labels
            if family.name == "wirestream_records_in" and _total(sample.name, family.name):
                stage(labels["stage"])["in"] += sample.value
            elif family.name == "wirestream_records_out" and _total(sample.name, family.name):
                stage(labels["stage"])["out"] += sample.value
            elif family.name == "wirestream_dead_letters" and _total(sample.name, family.name):
                key = (labels["stage"], labels["code"])
                dead[key] = dead.get(key, 0.0) + sample.value
                stage(labels["stage"])["dead"] += sample.value
            elif family.name == "wirestream_consumer_lag":
                lag[labels["topic"]] = lag.get(labels["topic"], 0.0) + sample.value
            elif family.name == "wirestream_pool_queue_depth":
                queue = sample.value
    return {
        "stages": [{"stage": name, **counts} for name, counts in sorted(stages.items())],
        "dead_letters": [{"stage": s, "code": c, "count": n} for (s, c), n in sorted(dead.items())],
        "lag": [{"topic": t, "lag": n} for t, n in sorted(lag.items())],
        "pool_queue": queue,
    }


def registry_snapshot(registry: CollectorRegistry) -> dict[str, Any]:
    return snapshot(registry.collect())
