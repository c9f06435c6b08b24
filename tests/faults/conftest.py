"""Fixtures of the fault tests: a pipeline of each test's own, its workers, the seed."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from streams.kafka import LocalBroker, ensure_topics
from streams.settings import Settings
from tests.faults.harness import WorkerProcess, fault_seed

SEED_KEY = pytest.StashKey[int]()


@pytest.fixture()
def seed(request: pytest.FixtureRequest) -> int:
    """WIRESTREAM_FAULT_SEED, or a fresh one; said in the report of a failed test."""
    # Test code, not the product: the seed is a knob of the test run, so it is
    # read here rather than through Settings.
    value = fault_seed(os.environ)
    request.node.stash[SEED_KEY] = value
    return value


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    value = item.stash.get(SEED_KEY, None)
    if value is not None and report.failed:
        report.sections.append(
            ("fault seed", f"re-run with WIRESTREAM_FAULT_SEED={value} (test {item.nodeid})")
        )
    return None


@dataclass
class FaultRun:
    """One test's pipeline (own topics, consumer group) and the workers it started."""

    cfg: Settings
    work_dir: Path
    workers: list[WorkerProcess] = field(default_factory=list)

    def worker(self, name: str) -> WorkerProcess:
        proc = WorkerProcess(self.cfg, self.work_dir, name=name)
        self.workers.append(proc)
        return proc

    def logs(self, lines: int = 12) -> str:
        """Each worker's log file and its last warnings and errors, for a failure message."""
        parts = []
        for proc in self.workers:
            noted = [
                line.text
                for line in proc.log_lines()
                if " WARNING " in line.text or " ERROR " in line.text or "Traceback" in line.text
            ]
            parts.append(f"--- {proc.name}: {proc.log_path}")
            parts.extend(noted[-lines:])
        return "\n".join(parts)


@pytest.fixture()
def fault_run(kafka_settings: Settings, tmp_path: Path) -> Iterator[FaultRun]:
    run = uuid.uuid4().hex[:8]
    cfg = kafka_settings.model_copy(
        update={
            "topic_prefix": f"faults-{run}.",
            "app_id": f"wirestream-faults-{run}",
            "data_dir": tmp_path / "unused",
        }
    )
    asyncio.run(ensure_topics(cfg))
    state = FaultRun(cfg, tmp_path)
    try:
        yield state
    finally:
        for proc in state.workers:
            if proc.alive:
                proc.kill()


@pytest.fixture()
def local_broker(kafka_settings: Settings) -> Iterator[LocalBroker]:
    """The session's embedded broker, to stop and start; skips against an existing cluster.

    Started again afterwards if a failed test left it stopped, so the tests
    after it still have their broker.
    """
    broker = LocalBroker(kafka_settings)
    if not broker.status().running:
        pytest.skip("the broker is not one the tests started, so they may not stop it")
    yield broker
    if not broker.status().running:
        broker.start(timeout=120)
