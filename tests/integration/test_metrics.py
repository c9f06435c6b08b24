"""/metrics, /healthz and /readyz of a real worker while wires flow through the real broker."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from streams.cli.ingest import run_ingest
from streams.settings import Settings
from streams.topology import DLQ, ENRICHED
from tests.conftest import EXAMPLES
from tests.integration.conftest import offsets_now, stop_worker, wait_for_record, worker_env

pytestmark = pytest.mark.integration

TOKEN = "ingest-token-that-must-never-be-logged"
PLAIN = EXAMPLES / "plain-20260220-central-bank.txt"
CORRUPT = EXAMPLES / "corrupt-upload.bin"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _get(url: str) -> tuple[int, Any]:
    async with (
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session,
        session.get(url) as response,
    ):
        if response.content_type == "application/json":
            return response.status, await response.json()
        return response.status, await response.text()


def _start_json_worker(cfg: Settings, log: Path, port: int) -> subprocess.Popen[bytes]:
    env = {
        **worker_env(cfg),
        "WIRESTREAM_WEB_ENABLED": "true",
        "WIRESTREAM_WEB_PORT": str(port),
        "WIRESTREAM_INGEST_TOKEN": TOKEN,
    }
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "streams.cli.main", "worker", "--log-format", "json"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _readiness_until_ready(base: str, log: Path, *, timeout: float = 180) -> list[Any]:
    """Every /readyz answer from the first one the server gives until a 200."""
    answers: list[Any] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            status, body = asyncio.run(_get(f"{base}/readyz"))
        except (aiohttp.ClientError, TimeoutError):
            time.sleep(0.2)
            continue
        answers.append((status, body))
        if status == 200:
            return answers
        time.sleep(0.2)
    pytest.fail(f"/readyz never answered 200: {answers[-3:]}\n{log.read_text()[-3000:]}")


def _samples(base: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    status, text = asyncio.run(_get(f"{base}/metrics"))
    assert status == 200
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def _total(
    samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **want: str
) -> float:
    return sum(
        v
        for (n, labels), v in samples.items()
        if n == name and all(dict(labels).get(k) == w for k, w in want.items())
    )


def test_probes_metrics_and_json_logs_of_a_running_worker(
    own_pipeline: Settings, tmp_path: Path
) -> None:
    cfg = own_pipeline
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "worker.log"
    proc = _start_json_worker(cfg, log, port)
    try:
        answers = _readiness_until_ready(base, log)
        # The model takes seconds to load: the first answers must be "not ready".
        assert answers[0][0] == 503, answers[0]
        assert answers[0][1]["waiting_for"], answers[0]
        assert answers[-1][1] == {
            "ready": True,
            "assigned": True,
            "tables_recovered": True,
            "pool_warm": True,
            "waiting_for": [],
        }
        assert asyncio.run(_get(f"{base}/healthz")) == (200, {"alive": True})

        before = _samples(base)
        enriched_start = offsets_now(cfg, ENRICHED.name)
        dlq_start = offsets_now(cfg, DLQ.name)
        sent, failed = asyncio.run(
            run_ingest(cfg, [str(PLAIN), str(CORRUPT)], format_hint=None, progress=False)
        )
        assert (sent, failed) == (2, [])
        wait_for_record(cfg, ENRICHED.name, lambda r: True, start=enriched_start, log=log)
        wait_for_record(cfg, DLQ.name, lambda r: True, start=dlq_start, log=log)
        after = _samples(base)
    finally:
        stop_worker(proc)

    def moved(name: str, **labels: str) -> float:
        return _total(after, name, **labels) - _total(before, name, **labels)

    assert moved("wirestream_records_in_total", stage="parse") == 2
    assert moved("wirestream_records_out_total", stage="parse") == 1
    assert moved("wirestream_dead_letters_total", stage="parse") == 1
    # Tagging runs inside the entity stage (the "topics" stage only drains what an
    # older version left on wires.entities), so it reports no records of its own.
    for stage in ("entities", "clusters"):
        assert moved("wirestream_records_out_total", stage=stage) >= 1, stage
        assert moved("wirestream_stage_batch_seconds_count", stage=stage) >= 1, stage
    assert moved("wirestream_batch_size_count", stage="parse") >= 1
    lag_topics = {dict(labels)["topic"] for n, labels in after if n == "wirestream_consumer_lag"}
    assert cfg.topic("wires.raw") in lag_topics
    tables = {dict(labels)["table"] for n, labels in after if n == "wirestream_table_entries"}
    assert tables >= {"story-versions", "held-embargoes", "story-clusters"}
    assert _total(after, "wirestream_table_entries", table="story-versions") >= 1

    # --log-format json: every line the worker wrote is one JSON event, the token in none.
    lines = [line for line in log.read_text().splitlines() if line.strip()]
    events = [json.loads(line) for line in lines]
    assert {"time", "level", "logger", "message"} <= set(events[0])
    assert any("NLP pool warm" in e["message"] for e in events)
    assert TOKEN not in log.read_text()
