"""End to end on the real broker: ingest -> worker -> wires.enriched / wires.dlq."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest
from aiokafka import AIOKafkaProducer

from schemas import DeadLetter, EnrichedArticle, RawWire
from streams.cli.ingest import run_ingest
from streams.reader import read_topic
from streams.settings import Settings
from streams.topology import DLQ, ENRICHED, RAW, RELEASED
from tests.conftest import EXAMPLES
from tests.integration.conftest import offsets_now, wait_for_record

pytestmark = pytest.mark.integration

YONHAP = EXAMPLES / "yonhap-20260114-port-strike.txt"
PLAIN = EXAMPLES / "plain-20260220-central-bank.txt"
CORRUPT = EXAMPLES / "corrupt-upload.bin"


def _ingest(cfg: Settings, *paths: Path) -> None:
    sent, failed = asyncio.run(
        run_ingest(cfg, [str(p) for p in paths], format_hint=None, progress=False)
    )
    assert failed == []
    assert sent == len(paths)


def _wire_id(path: Path) -> str:
    from streams.ingest import wire_id

    return wire_id(path.read_bytes())


def test_ingested_yonhap_wire_comes_out_enriched_with_entities(
    kafka_settings: Settings, worker: Path
) -> None:
    start = offsets_now(kafka_settings, ENRICHED.name)
    _ingest(kafka_settings, YONHAP)
    wid = _wire_id(YONHAP)

    record = wait_for_record(
        kafka_settings,
        ENRICHED.name,
        lambda r: EnrichedArticle.model_validate_json(r.value).article.wire_id == wid,
        start=start,
        log=worker,
    )
    enriched = EnrichedArticle.model_validate_json(record.value)
    article = enriched.article
    assert record.key == article.story_id.encode()
    assert article.headline.startswith("Dockworkers at Busan port end three-day strike")
    assert article.byline == "Han Ji-woo"
    assert article.dateline is not None and article.dateline.cities == ["BUSAN"]
    assert article.version_tags == ["LEAD"]
    assert not any("(END)" in p or "@yna.co.kr" in p for p in article.body)
    people = {e.name for e in enriched.entities if e.type == "PERSON"}
    assert "Choi Dong-hyun" in people
    assert "Yonhap" not in {e.name for e in enriched.entities}
    assert enriched.stages == ["parse", "entities", "topics"]
    assert enriched.topics, "every enriched record carries topic tags"
    assert enriched.pipeline_version.startswith("wirestream-")


def test_random_bytes_land_on_dlq_and_the_next_good_wire_is_still_processed(
    kafka_settings: Settings, worker: Path
) -> None:
    dlq_start = offsets_now(kafka_settings, DLQ.name)
    enriched_start = offsets_now(kafka_settings, ENRICHED.name)
    _ingest(kafka_settings, CORRUPT, PLAIN)

    bad_id = _wire_id(CORRUPT)
    letter_record = wait_for_record(
        kafka_settings,
        DLQ.name,
        lambda r: r.key == bad_id.encode(),
        start=dlq_start,
        log=worker,
    )
    letter = DeadLetter.model_validate_json(letter_record.value)
    assert letter.stage == "parse"
    assert letter.error_code.startswith("W1")
    assert letter.message
    assert letter.source_topic == kafka_settings.topic(RAW.name)
    assert RawWire.model_validate_json(letter.original).content == CORRUPT.read_bytes()

    good_id = _wire_id(PLAIN)
    good = wait_for_record(
        kafka_settings,
        ENRICHED.name,
        lambda r: EnrichedArticle.model_validate_json(r.value).article.wire_id == good_id,
        start=enriched_start,
        log=worker,
    )
    article = EnrichedArticle.model_validate_json(good.value).article
    assert article.headline == "Central bank holds rates steady as inflation cools"


def test_a_record_that_is_not_json_is_dead_lettered_with_its_bytes(
    kafka_settings: Settings, worker: Path
) -> None:
    dlq_start = offsets_now(kafka_settings, DLQ.name)
    junk = b"\x00not a RawWire record\xff"

    async def send() -> None:
        producer = AIOKafkaProducer(bootstrap_servers=kafka_settings.kafka_bootstrap)
        await producer.start()
        try:
            await producer.send_and_wait(
                kafka_settings.topic(RAW.name), key=b"junk-record", value=junk
            )
        finally:
            await producer.stop()

    asyncio.run(send())
    record = wait_for_record(
        kafka_settings, DLQ.name, lambda r: r.key == b"junk-record", start=dlq_start, log=worker
    )
    letter = DeadLetter.model_validate_json(record.value)
    assert letter.stage == "parse"
    assert letter.error_code == "W901"
    assert letter.original == junk


def _records_since(cfg: Settings, topic: str, start: dict[int, int]) -> list[bytes]:
    async def collect() -> list[bytes]:
        return [
            r.value
            async for r in read_topic(cfg, cfg.topic(topic), start_offsets=start, idle_timeout=3)
        ]

    return asyncio.run(collect())


def test_the_same_wire_ingested_three_times_comes_out_once_enriched_and_once_released(
    kafka_settings: Settings, worker: Path, tmp_path: Path
) -> None:
    # Unique bytes, so no earlier test's copy makes the first one a resend.
    marker = uuid.uuid4().hex
    wire = tmp_path / "resent.txt"
    wire.write_bytes(PLAIN.read_bytes() + f"\n\nReference {marker}.\n".encode())
    sentinel = tmp_path / "sentinel.txt"
    sentinel.write_bytes(PLAIN.read_bytes() + f"\n\nSentinel {marker}.\n".encode())
    starts = {t: offsets_now(kafka_settings, t) for t in (ENRICHED.name, RELEASED.name)}

    for _ in range(3):
        _ingest(kafka_settings, wire)
    _ingest(kafka_settings, sentinel)

    sentinel_id = _wire_id(sentinel)
    wait_for_record(
        kafka_settings,
        RELEASED.name,
        lambda r: EnrichedArticle.model_validate_json(r.value).article.wire_id == sentinel_id,
        start=starts[RELEASED.name],
        log=worker,
    )
    wid = _wire_id(wire)
    for topic, start in starts.items():
        copies = [
            v
            for v in _records_since(kafka_settings, topic, start)
            if EnrichedArticle.model_validate_json(v).article.wire_id == wid
        ]
        assert len(copies) == 1, f"{topic}: {len(copies)} records of the wire sent three times"
