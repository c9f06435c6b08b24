"""A real worker process against the real broker, shared by the pipeline tests."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from streams.kafka import ensure_topics
from streams.reader import TopicRecord, end_offsets, read_topic
from streams.settings import Settings

pytestmark = pytest.mark.integration


def worker_env(cfg: Settings) -> dict[str, str]:
    """The environment that points a worker process at the test cluster and topics."""
    env = dict(os.environ)
    env.update(
        {
            "WIRESTREAM_KAFKA_BOOTSTRAP": cfg.kafka_bootstrap,
            "WIRESTREAM_TOPIC_PREFIX": cfg.topic_prefix,
            "WIRESTREAM_APP_ID": cfg.app_id,
            "WIRESTREAM_DATA_DIR": str(cfg.data_dir),
            "WIRESTREAM_PARTITIONS": str(cfg.partitions),
            "WIRESTREAM_BATCH_WITHIN": "0.2",
        }
    )
    return env


@pytest.fixture(scope="session")
def worker(kafka_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A running `wirestream worker`; yields its log file."""
    asyncio.run(ensure_topics(kafka_settings))
    log_path = tmp_path_factory.mktemp("logs") / "worker.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streams.cli.main", "worker", "--loglevel", "info"],
            env=worker_env(kafka_settings),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        time.sleep(1)
        if proc.poll() is not None:
            pytest.fail(f"worker exited at once:\n{log_path.read_text()[-3000:]}")
        yield log_path
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def wait_for_record(
    cfg: Settings,
    topic: str,
    match: Callable[[TopicRecord], bool],
    *,
    start: dict[int, int],
    timeout: float = 120,
    log: Path | None = None,
) -> TopicRecord:
    """The first record on ``topic`` (from ``start``) that ``match`` accepts."""

    async def find() -> TopicRecord:
        async for record in read_topic(cfg, cfg.topic(topic), start_offsets=start):
            if match(record):
                return record
        raise AssertionError("unreachable: read_topic follows forever")

    try:
        return asyncio.run(asyncio.wait_for(find(), timeout))
    except TimeoutError:
        tail = log.read_text(errors="replace")[-4000:] if log else ""
        pytest.fail(f"no matching record on {topic} within {timeout} s\nworker log:\n{tail}")


def offsets_now(cfg: Settings, topic: str) -> dict[int, int]:
    return asyncio.run(end_offsets(cfg, cfg.topic(topic)))
