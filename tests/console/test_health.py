from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge

from streams.console.health import registry_snapshot


def test_snapshot_sums_the_counters_per_stage_code_and_topic() -> None:
    registry = CollectorRegistry()
    records_in = Counter("wirestream_records_in", "", ["stage"], registry=registry)
    out = Counter("wirestream_records_out", "", ["stage"], registry=registry)
    dead = Counter("wirestream_dead_letters", "", ["stage", "code"], registry=registry)
    lag = Gauge("wirestream_consumer_lag", "", ["topic", "partition"], registry=registry)
    Gauge("wirestream_pool_queue_depth", "", registry=registry).set(2)
    records_in.labels("parse").inc(10)
    out.labels("parse").inc(8)
    dead.labels("parse", "W101").inc(1)
    dead.labels("parse", "W102").inc(1)
    lag.labels("wires.raw", "0").set(3)
    lag.labels("wires.raw", "1").set(4)
    snap = registry_snapshot(registry)
    assert snap["stages"] == [{"stage": "parse", "in": 10.0, "out": 8.0, "dead": 2.0}]
    assert snap["dead_letters"] == [
        {"stage": "parse", "code": "W101", "count": 1.0},
        {"stage": "parse", "code": "W102", "count": 1.0},
    ]
    assert snap["lag"] == [{"topic": "wires.raw", "lag": 7.0}]
    assert snap["pool_queue"] == 2.0
