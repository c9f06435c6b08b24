"""`wirestream status` against the real broker of the test session."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from aiokafka import AIOKafkaProducer

from streams.cli.status import gather, render
from streams.kafka import client_kwargs, ensure_topics
from streams.settings import Settings
from streams.topology import DLQ
from tests.ops.test_status import NOW, _letter

pytestmark = pytest.mark.integration


async def _send(cfg: Settings, topic: str, values: list[bytes]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=cfg.kafka_bootstrap, **client_kwargs(cfg))
    await producer.start()
    try:
        for value in values:
            await producer.send_and_wait(topic, value, partition=0)
    finally:
        await producer.stop()


def test_status_lists_every_topic_and_table_and_counts_dead_letters(
    kafka_settings: Settings,
) -> None:
    run = uuid.uuid4().hex[:8]
    cfg = kafka_settings.model_copy(
        update={"topic_prefix": f"test-status-{run}.", "app_id": f"wirestream-status-{run}"}
    )
    asyncio.run(ensure_topics(cfg))
    asyncio.run(_send(cfg, cfg.topic(DLQ.name), [_letter("W101", NOW), b"garbage"]))

    report = asyncio.run(gather(cfg))

    assert report.broker.controller_id is not None
    assert report.broker.protocol.startswith("Produce v")
    by_name = {t.name: t for t in report.topics}
    assert all(t.exists and t.partitions == cfg.partitions for t in report.topics)
    assert by_name[cfg.topic(DLQ.name)].records == 2
    assert report.dead_letters.total == {"W101": 1, "unreadable": 1}
    assert report.dead_letters.last_hour == {}  # failed_at is in the past
    assert [t.partitions for t in report.tables] == [cfg.partitions] * len(report.tables)
    assert report.groups == []  # no worker of this app id ever joined
    assert "none yet" in render(report, cfg)
