"""`wirestream status` against the real broker of the test session."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from aiokafka import AIOKafkaProducer

from streams.cli.status import gather, render
from streams.kafka import client_kwargs, ensure_topics
from streams.replay import ensure_replays_topic
from streams.settings import Settings
from streams.topology import DLQ, REPLAYS, STORY_VERSIONS
from tests.ops.test_status import NOW, _letter, _state

pytestmark = pytest.mark.integration


async def _send(cfg: Settings, topic: str, values: list[bytes]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=cfg.kafka_bootstrap, **client_kwargs(cfg))
    await producer.start()
    try:
        for value in values:
            await producer.send_and_wait(topic, value, partition=0)
    finally:
        await producer.stop()


def _own(kafka_settings: Settings, name: str) -> Settings:
    run = uuid.uuid4().hex[:8]
    return kafka_settings.model_copy(
        update={"topic_prefix": f"test-{name}-{run}.", "app_id": f"wirestream-{name}-{run}"}
    )


async def _send_keyed(
    cfg: Settings, topic: str, records: list[tuple[bytes, bytes | None]], *, abort: bool = False
) -> None:
    """``records`` in one transaction on partition 0, committed or aborted."""
    producer = AIOKafkaProducer(
        bootstrap_servers=cfg.kafka_bootstrap,
        transactional_id=f"{cfg.app_id}-{uuid.uuid4().hex[:6]}",
        enable_idempotence=True,
        **client_kwargs(cfg),
    )
    await producer.start()
    try:
        await producer.begin_transaction()
        for key, value in records:
            await producer.send_and_wait(topic, value, key=key, partition=0)
        if abort:
            await producer.abort_transaction()
        else:
            await producer.commit_transaction()
    finally:
        await producer.stop()


def test_status_counts_live_table_entries_and_unfinished_replays_from_committed_records(
    kafka_settings: Settings,
) -> None:
    cfg = _own(kafka_settings, "status-sizes")
    asyncio.run(ensure_topics(cfg))
    changelog = STORY_VERSIONS.changelog(cfg.app_id)
    asyncio.run(
        _send_keyed(
            cfg,
            changelog,
            [(b"s1", b"1"), (b"s2", b"1"), (b"s3", b"1"), (b"s1", b"2"), (b"s2", None)],
        )
    )
    asyncio.run(_send_keyed(cfg, changelog, [(b"s4", b"1")], abort=True))  # never committed
    asyncio.run(ensure_replays_topic(cfg))
    replays = cfg.topic(REPLAYS.name)
    asyncio.run(
        _send_keyed(
            cfg,
            replays,
            [
                (b"r-open", _state("r-open", finished=False, position=60)),
                (b"r-done", _state("r-done", finished=True, position=100)),
            ],
        )
    )
    asyncio.run(
        _send_keyed(cfg, replays, [(b"r-open", _state("r-open", finished=True))], abort=True)
    )

    report = asyncio.run(gather(cfg))

    sizes = {t.name: t.entries for t in report.tables}
    assert sizes[STORY_VERSIONS.name] == 2  # s1 and s3: s2 deleted, s4 aborted
    assert set(sizes.values()) == {2, 0}  # the other tables' changelogs are empty
    assert [r.replay_id for r in report.replays] == ["r-open"]
    assert report.replays[0].offsets_left == 50
    text = render(report, cfg)
    assert "unfinished replays: 1" in text and "r-open" in text


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
