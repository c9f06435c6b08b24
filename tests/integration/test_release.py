"""Kills, versions and the release gate on the real broker, with real worker processes."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from schemas import Article, EnrichedArticle, KillNotice, RawWire
from streams.cli.ingest import run_ingest
from streams.kafka import client_kwargs
from streams.kafka.admin import admin_client, changelog_topics
from streams.parse import ParseError, parse_items
from streams.reader import TopicRecord, read_topic
from streams.settings import Settings
from streams.topology import ENRICHED, KILLS, RELEASED
from tests.integration.conftest import offsets_now, start_worker, stop_worker, wait_for_record

pytestmark = pytest.mark.integration

#: A NewsML-G2 kill, invented for this test: pubStatus canceled, a note saying why.
G2_KILL = b"""<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:newsml:example.test:{day}:ferry"
    version="3" standard="NewsML-G2" standardversion="2.33">
  <itemMeta>
    <itemClass qcode="ninat:text"/>
    <provider qcode="nprov:EXT"><name>Example Test Agency</name></provider>
    <versionCreated>2026-03-01T10:15:00Z</versionCreated>
    <pubStatus qcode="stat:canceled"/>
    <edNote>KILL: the story named the wrong ferry operator. Do not use.</edNote>
  </itemMeta>
  <contentMeta>
    <headline>KILL - Harbour ferry service suspended</headline>
  </contentMeta>
  <contentSet>
    <inlineData contenttype="text/plain">This story has been withdrawn.</inlineData>
  </contentSet>
</newsItem>
"""


def _article(story: str, *, embargoed_until: datetime | None = None) -> Article:
    return Article(
        article_id=f"{story}:v1",
        story_id=story,
        version=1,
        wire_id=f"sha256:{story}",
        source_format="plain-text",
        headline="Finance ministers agree on a new fiscal rule",
        body=["Finance ministers agreed on a new fiscal rule on Tuesday in Brussels."],
        received_at=datetime.now(UTC),
        embargoed_until=embargoed_until,
    )


def _publish(cfg: Settings, *articles: Article) -> None:
    """Put enriched copies straight on wires.enriched, as the topics agent would.

    The gate is tested on its own: the NLP stages in front of it have tests of their own.
    """

    async def send() -> None:
        producer = AIOKafkaProducer(
            bootstrap_servers=cfg.kafka_bootstrap, acks="all", **client_kwargs(cfg)
        )
        await producer.start()
        try:
            for article in articles:
                copy = EnrichedArticle(
                    pipeline_version="wirestream-itest",
                    article=article,
                    stages=["parse", "entities", "topics"],
                    enriched_at=datetime.now(UTC),
                )
                await producer.send_and_wait(
                    cfg.topic(ENRICHED.name), key=article.story_id.encode(), value=copy.to_json()
                )
        finally:
            await producer.stop()

    asyncio.run(send())


def _wait_for_log(log: Path, text: str, *, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in log.read_text(errors="replace"):
            return
        time.sleep(0.2)
    pytest.fail(f"{text!r} not in the worker log:\n{log.read_text(errors='replace')[-3000:]}")


def _all_records(cfg: Settings, topic: str, start: dict[int, int]) -> list[TopicRecord]:
    async def read() -> list[TopicRecord]:
        return [
            r async for r in read_topic(cfg, cfg.topic(topic), start_offsets=start, idle_timeout=3)
        ]

    return asyncio.run(read())


def _article_id(record: TopicRecord) -> str:
    return EnrichedArticle.model_validate_json(record.value).article.article_id


def _unique_story(name: str) -> str:
    return f"itest:{datetime.now(UTC):%Y%m%d}:{name}-{time.monotonic_ns()}"


def test_a_canceled_story_becomes_a_kill_notice_and_is_not_enriched(
    kafka_settings: Settings, worker: Path, tmp_path: Path
) -> None:
    wire = G2_KILL.replace(b"{day}", f"{time.time_ns()}".encode())
    probe = RawWire(
        wire_id="sha256:probe", content=wire, source="file", received_at=datetime.now(UTC)
    )
    try:
        expected = parse_items(probe)[0]
    except ParseError as exc:
        pytest.skip(f"the NewsML-G2 parser cannot read the kill fixture yet: {exc}")
    if expected.pub_status != "canceled":
        pytest.skip("the NewsML-G2 parser does not report pubStatus canceled yet")
    path = tmp_path / "kill.xml"
    path.write_bytes(wire)
    kills_start = offsets_now(kafka_settings, KILLS.name)
    enriched_start = offsets_now(kafka_settings, ENRICHED.name)

    sent, failed = asyncio.run(
        run_ingest(kafka_settings, [str(path)], format_hint=None, progress=False)
    )
    assert (sent, failed) == (1, [])

    record = wait_for_record(
        kafka_settings,
        KILLS.name,
        lambda r: r.key == expected.story_id.encode(),
        start=kills_start,
        log=worker,
    )
    notice = KillNotice.model_validate_json(record.value)
    assert notice.story_id == expected.story_id
    assert notice.headline == "KILL - Harbour ferry service suspended"
    assert "wrong ferry operator" in notice.reason
    assert notice.source_agency == "Example Test Agency"
    enriched = _all_records(kafka_settings, ENRICHED.name, enriched_start)
    assert expected.story_id.encode() not in {r.key for r in enriched}, "a kill is never enriched"


def test_embargoed_copy_is_released_when_its_embargo_lifts_and_not_before(
    kafka_settings: Settings, worker: Path
) -> None:
    embargo = datetime.now(UTC) + timedelta(seconds=12)
    held = _article(_unique_story("embargoed"), embargoed_until=embargo)
    free = _article(_unique_story("free"))
    start = offsets_now(kafka_settings, RELEASED.name)

    _publish(kafka_settings, held, free)

    first = wait_for_record(kafka_settings, RELEASED.name, lambda r: True, start=start, log=worker)
    assert _article_id(first) == free.article_id, "copy without embargo goes out at once"
    _wait_for_log(worker, f"story {held.story_id}: held, embargo until")
    released = wait_for_record(
        kafka_settings,
        RELEASED.name,
        lambda r: r.key == held.story_id.encode(),
        start=start,
        log=worker,
    )
    assert released.timestamp_ms >= embargo.timestamp() * 1000, "released before its embargo"
    assert _article_id(released) == held.article_id


def test_held_embargo_survives_a_worker_restart(own_pipeline: Settings, tmp_path: Path) -> None:
    cfg = own_pipeline
    log = tmp_path / "worker.log"
    embargo = datetime.now(UTC) + timedelta(seconds=60)
    article = _article(_unique_story("restart"), embargoed_until=embargo)
    released_start = offsets_now(cfg, RELEASED.name)

    first = start_worker(cfg, log)
    try:
        _publish(cfg, article)
        _wait_for_log(log, f"story {article.story_id}: held, embargo until")
    finally:
        stop_worker(first)
    stopped_at = datetime.now(UTC)
    assert _all_records(cfg, RELEASED.name, released_start) == [], "released before its time"
    if stopped_at >= embargo:
        pytest.fail("the first worker ran past the embargo; the test proves nothing")

    second = start_worker(cfg, log)
    try:
        released = wait_for_record(
            cfg,
            RELEASED.name,
            lambda r: r.key == article.story_id.encode(),
            start=released_start,
            log=log,
            timeout=180,
        )
    finally:
        stop_worker(second)

    assert _article_id(released) == article.article_id
    assert released.timestamp_ms >= embargo.timestamp() * 1000
    assert len(_all_records(cfg, RELEASED.name, released_start)) == 1, "released exactly once"
    # The second worker restored the held copy from the changelog before releasing it.
    ready = [line for line in log.read_text(errors="replace").splitlines() if "state ready" in line]
    assert any("stage=release" in line and "entries=0" not in line for line in ready), ready


def test_changelog_topics_are_compacted(own_pipeline: Settings) -> None:
    async def policies() -> dict[str, str]:
        async with admin_client(own_pipeline.kafka_bootstrap, client_kwargs(own_pipeline)) as admin:
            resources = [
                ConfigResource(ConfigResourceType.TOPIC, name)
                for name in changelog_topics(own_pipeline)
            ]
            responses = await admin.describe_configs(resources)
        found: dict[str, str] = {}
        for response in responses:
            for resource in response.resources:
                name, entries = resource[3], resource[4]
                for entry in entries:
                    if entry[0] == "cleanup.policy":
                        found[name] = entry[1]
        return found

    assert asyncio.run(policies()) == dict.fromkeys(changelog_topics(own_pipeline), "compact")
