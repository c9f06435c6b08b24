"""A real worker process against the real broker, shared by the pipeline tests."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from streams.kafka import ensure_topics
from streams.reader import TopicRecord, end_offsets, read_topic
from streams.settings import Settings
from tests.conftest import _free_port

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
            # Faust binds its web port even with the web server off; a port of
            # its own keeps two test workers (or a developer's) from colliding.
            "WIRESTREAM_WEB_PORT": str(_free_port()),
        }
    )
    return env


@dataclass(frozen=True)
class WebEndpoint:
    """Where the session worker's web server listens, and the ingest token it accepts."""

    url: str
    token: str


@pytest.fixture(scope="session")
def web_endpoint() -> WebEndpoint:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    return WebEndpoint(f"http://127.0.0.1:{port}", f"test-token-{uuid.uuid4().hex}")


def start_worker(
    cfg: Settings, log_path: Path, *, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """Start `wirestream worker` for ``cfg``, logging to ``log_path``; fails if it dies at once."""
    with log_path.open("ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streams.cli.main", "worker", "--loglevel", "info"],
            env={**worker_env(cfg), **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    time.sleep(1)
    if proc.poll() is not None:
        pytest.fail(f"worker exited at once:\n{log_path.read_text()[-3000:]}")
    return proc


def stop_worker(proc: subprocess.Popen[bytes], *, timeout: float = 30) -> None:
    """SIGTERM (a clean shutdown, as an operator's restart), SIGKILL if it hangs."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


@pytest.fixture(scope="session")
def worker(
    kafka_settings: Settings,
    tmp_path_factory: pytest.TempPathFactory,
    web_endpoint: WebEndpoint,
) -> Iterator[Path]:
    """A running `wirestream worker` (web server on, POST /wires open); yields its log file."""
    asyncio.run(ensure_topics(kafka_settings))
    log_path = tmp_path_factory.mktemp("logs") / "worker.log"
    proc = start_worker(
        kafka_settings,
        log_path,
        env={
            "WIRESTREAM_WEB_ENABLED": "true",
            "WIRESTREAM_WEB_PORT": web_endpoint.url.rsplit(":", 1)[1],
            "WIRESTREAM_INGEST_TOKEN": web_endpoint.token,
        },
    )
    try:
        yield log_path
    finally:
        stop_worker(proc)


@pytest.fixture()
def own_pipeline(kafka_settings: Settings, tmp_path: Path) -> Settings:
    """Settings for a pipeline of this test alone: its own topics, consumer group and tables.

    For tests that start, stop and restart their own workers without
    disturbing the session worker.
    """
    run = uuid.uuid4().hex[:8]
    cfg = kafka_settings.model_copy(
        update={
            "topic_prefix": f"test-own-{run}.",
            "app_id": f"wirestream-own-{run}",
            "data_dir": tmp_path / "worker",
        }
    )
    asyncio.run(ensure_topics(cfg))
    return cfg


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
