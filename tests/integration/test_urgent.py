"""On the real broker: a flash pushed behind a backlog overtakes it, and nothing comes out twice.

One worker of this test's own (its own topics, group and tables). Routine
wires are put on ``wires.raw`` at once, then one flash (urgency 1); the
records on ``wires.released`` are read committed, in the order they became
visible.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest
from aiokafka import AIOKafkaProducer

from schemas import Article, EnrichedArticle, RawWire
from streams import pipeline
from streams.ingest import wire_id
from streams.kafka import client_kwargs
from streams.reader import read_topic
from streams.settings import Settings
from streams.topology import DLQ, ENRICHED, PARSED, PARSED_URGENT, RAW, RELEASED
from tests.conftest import EXAMPLES
from tests.integration.conftest import start_worker, stop_worker

pytestmark = pytest.mark.integration

#: Routine wires ahead of the flash: a few seconds of NER on this machine.
BACKLOG = 150

#: A real wire's paragraphs, so each article costs the entity stage real work.
PARAGRAPHS = [
    p.strip()
    for p in (EXAMPLES / "plain-20260220-central-bank.txt").read_text().split("\n\n")
    if len(p.strip()) > 40
]


def _wire(run: str, n: int, *, urgency: int) -> RawWire:
    body = "\n\n".join(f"{p} (Item {n} of run {run}.)" for p in PARAGRAPHS)
    content = orjson.dumps(
        {
            "uri": f"urn:test:{run}:{n}",
            "type": "text",
            "version": "1",
            "headline": f"Central bank decision, item {n}",
            "body_text": body,
            "urgency": urgency,
        }
    )
    return RawWire(
        wire_id=wire_id(content), content=content, source="test", received_at=datetime.now(UTC)
    )


def _story(raw: RawWire) -> str:
    return pipeline.parse(raw)[0].story_id


async def _send(cfg: Settings, wires: Sequence[RawWire]) -> None:
    producer = AIOKafkaProducer(
        bootstrap_servers=cfg.kafka_bootstrap, acks="all", **client_kwargs(cfg)
    )
    await producer.start()
    try:
        pending = [
            await producer.send(cfg.topic(RAW.name), key=w.wire_id.encode(), value=w.to_json())
            for w in wires
        ]
        await asyncio.gather(*pending)
    finally:
        await producer.stop()


async def _stories_in_order(
    cfg: Settings, topic: str, wanted: set[str], timeout: float
) -> list[str]:
    """Story ids on ``topic`` (read committed) once every wanted one is there.

    In the order the stage wrote them (each record's timestamp is set when
    the release stage sends it), whatever order the partitions are read in.
    """
    seen: list[tuple[int, str]] = []

    async def follow() -> None:
        async for record in read_topic(cfg, cfg.topic(topic)):
            story = EnrichedArticle.model_validate_json(record.value).article.story_id
            seen.append((record.timestamp_ms, story))
            if wanted <= {s for _, s in seen}:
                return

    await asyncio.wait_for(follow(), timeout)
    return [s for _, s in sorted(seen, key=lambda t: t[0])]


async def _all(cfg: Settings, topic: str) -> list[bytes]:
    return [r.value async for r in read_topic(cfg, cfg.topic(topic), idle_timeout=3)]


def test_a_flash_behind_a_backlog_is_released_before_the_backlog_and_everything_once(
    own_pipeline: Settings, tmp_path: Path
) -> None:
    cfg = own_pipeline
    run = uuid.uuid4().hex[:8]
    warm = _wire(run, BACKLOG + 1, urgency=5)
    backlog = [_wire(run, n, urgency=5) for n in range(BACKLOG)]
    flash = _wire(run, BACKLOG, urgency=1)
    log = tmp_path / "worker.log"
    proc = start_worker(cfg, log)
    try:
        # The model loads and the partitions are prepared before the backlog is sent.
        asyncio.run(_send(cfg, [warm]))
        try:
            asyncio.run(_stories_in_order(cfg, RELEASED.name, {_story(warm)}, timeout=240))
        except TimeoutError:
            pytest.fail(f"the warm-up wire never came out:\n{log.read_text()[-4000:]}")

        asyncio.run(_send(cfg, [*backlog, flash]))
        routine = [_story(w) for w in backlog]
        wanted = {*routine, _story(flash), _story(warm)}
        try:
            order = asyncio.run(_stories_in_order(cfg, RELEASED.name, wanted, timeout=300))
        except TimeoutError:
            pytest.fail(f"not everything came out:\n{log.read_text()[-4000:]}")
        released = Counter(asyncio.run(_stories_lists(cfg)))
        parsed = asyncio.run(_all(cfg, PARSED.name))
        urgent = asyncio.run(_all(cfg, PARSED_URGENT.name))
        enriched = asyncio.run(_all(cfg, ENRICHED.name))
        letters = asyncio.run(_all(cfg, DLQ.name))
    finally:
        stop_worker(proc)

    position = order.index(_story(flash))
    after = [s for s in order[position + 1 :] if s in set(routine)]
    assert len(after) >= BACKLOG // 2, (
        f"the flash came out {position}th; only {len(after)} of the backlog after it"
    )
    assert {s: n for s, n in released.items() if n != 1} == {}, "released more than once"
    assert set(released) == wanted
    enriched_stories = Counter(
        EnrichedArticle.model_validate_json(v).article.story_id for v in enriched
    )
    assert {s: n for s, n in enriched_stories.items() if n != 1} == {}
    assert set(enriched_stories) == wanted
    assert [Article.model_validate_json(v).story_id for v in urgent] == [_story(flash)]
    assert _story(flash) not in {Article.model_validate_json(v).story_id for v in parsed}
    assert len(parsed) == BACKLOG + 1
    assert letters == []


async def _stories_lists(cfg: Settings) -> list[str]:
    return [
        EnrichedArticle.model_validate_json(v).article.story_id
        for v in await _all(cfg, RELEASED.name)
    ]
