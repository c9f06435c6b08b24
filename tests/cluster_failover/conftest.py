"""A three-node local KRaft cluster for the failover tests, on free ports, started once."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from streams.errors import WirestreamError
from streams.kafka import LocalCluster
from streams.settings import Settings

BENCH = Path(__file__).resolve().parents[2] / "bench"


def load_failover_bench() -> ModuleType:
    """bench/failover.py: the test drives the cluster with the benchmark's own harness."""
    spec = importlib.util.spec_from_file_location("failover", BENCH / "failover.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["failover"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def failover() -> ModuleType:
    return load_failover_bench()


@pytest.fixture(scope="session")
def three_brokers(
    failover: ModuleType, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Settings, LocalCluster]]:
    """Settings for, and the handle of, a fresh three-node cluster (3 replicas, min ISR 2)."""
    work = tmp_path_factory.mktemp("cluster")
    try:
        cfg, cluster = failover.start_cluster(work)
    except WirestreamError as exc:
        if Settings().ci:
            pytest.fail(f"CI: the three-node Kafka cluster did not start: {exc}", pytrace=False)
        pytest.skip(f"no local Kafka cluster: {exc}")
    try:
        yield cfg, cluster
    finally:
        cluster.stop()
