"""Replays on the real broker: exact windows, exactly once across a kill -9, no alerts."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import NewTopic

from schemas import DeadLetter, EnrichedArticle, RawWire, ReplayState
from streams import pipeline
from streams.dlq import fetch_letter, letter_id, original_wire, redrive
from streams.ingest.sources import wire_id
from streams.kafka import client_kwargs, ensure_topics, topic_retention
from streams.kafka.admin import admin_client
from streams.nlp import load_model, model_tag
from streams.replay import (
    REPLAY_HEADER,
    Filters,
    ReplayRequest,
    UnknownReplayError,
    UnknownTopicError,
    Window,
    execute,
    find_replay,
    list_replays,
    plan_replay,
    read_states,
)
from streams.replay.runner import consumer, partitions_of
from streams.settings import Settings
from streams.topology import DLQ, ENRICHED, RAW, RELEASED
from tests.integration.conftest import offsets_now, wait_for_record, worker_env

pytestmark = pytest.mark.integration

#: The window every test replays; records are stamped before, in and after it. Recent,
#: or wires.raw's retention (30 days) deletes them under the test.
START = (datetime.now(UTC) - timedelta(hours=3)).replace(minute=0, second=0, microsecond=0)
WINDOW = Window(START, START + timedelta(hours=1))
BEFORE, INSIDE, AFTER = START - timedelta(minutes=5), START + timedelta(minutes=1), WINDOW.end

CITIES = ["SEOUL", "BUSAN", "INCHEON", "DAEGU", "GWANGJU", "ULSAN", "SUWON", "JEJU"]
SUBJECTS = [
    "city council approves a harbour budget",
    "rail workers end a two-day strike",
    "university opens a battery research centre",
    "coast guard rescues fishing crew",
    "museum returns ancient ceramics",
    "football club signs a new coach",
    "hospital expands cancer ward",
    "farmers report a record rice harvest",
]


def plain_wire(n: int) -> bytes:
    """A short plain-text wire of our own, different for every ``n``."""
    city, subject = CITIES[n % len(CITIES)], SUBJECTS[n % len(SUBJECTS)]
    return (
        f"{subject.capitalize()} in item {n}\n\n"
        f"{city}, Jan. 14 (Wirestream Test Wire) -- Officials said on Wednesday that the "
        f"{subject} plan number {n} would go ahead in {city.title()} after a vote.\n\n"
        f"Minister Kim Min-jae told reporters the decision on item {n} was final.\n"
    ).encode()


def raw_record(content: bytes) -> RawWire:
    return RawWire(
        wire_id=wire_id(content),
        content=content,
        source="file",
        received_at=START,  # fixed, so a wire always parses to the same story id
    )


async def produce(cfg: Settings, topic: str, records: list[tuple[bytes, bytes, datetime]]) -> None:
    producer = AIOKafkaProducer(
        bootstrap_servers=cfg.kafka_bootstrap, acks="all", **client_kwargs(cfg)
    )
    await producer.start()
    try:
        for key, value, at in records:
            await producer.send_and_wait(
                topic, key=key, value=value, timestamp_ms=int(at.timestamp() * 1000)
            )
    finally:
        await producer.stop()


async def _high_watermarks(cfg: Settings, tps: list[Any]) -> dict[Any, int]:
    plain = AIOKafkaConsumer(
        bootstrap_servers=cfg.kafka_bootstrap, enable_auto_commit=False, **client_kwargs(cfg)
    )
    await plain.start()
    try:
        ends: dict[Any, int] = await plain.end_offsets(tps)
        return ends
    finally:
        await plain.stop()


async def committed(cfg: Settings, topic: str) -> list[Any]:
    """Every committed record of ``topic`` now (what a read_committed consumer sees).

    A transaction that has just committed becomes readable only once the broker
    has written its commit markers; until then the last stable offset stays below
    the high watermark. So wait (a few seconds at most) for the stable offset to
    reach the high watermark as it was when asked, then read up to it.
    """
    client = consumer(cfg)
    await client.start()
    out: list[Any] = []
    try:
        tps = await partitions_of(client, topic)
        client.assign(tps)
        await client.seek_to_beginning(*tps)
        written = await _high_watermarks(cfg, tps)
        deadline = time.monotonic() + 15
        ends = await client.end_offsets(tps)
        while any(ends[tp] < written[tp] for tp in tps) and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
            ends = await client.end_offsets(tps)
        while [tp for tp in tps if await client.position(tp) < ends[tp]]:
            for records in (await client.getmany(*tps, timeout_ms=500)).values():
                out.extend(records)
    finally:
        await client.stop()
    return out


async def create_topic(cfg: Settings, name: str, partitions: int = 3) -> None:
    async with admin_client(cfg.kafka_bootstrap, client_kwargs(cfg)) as admin:
        await admin.create_topics([NewTopic(name, partitions, 1)])
        while True:
            described = await admin.describe_topics([name])
            parts = described[0]["partitions"]
            if parts and all(p["leader"] >= 0 for p in parts):
                return
            await asyncio.sleep(0.1)


@pytest.fixture()
def own(kafka_settings: Settings, tmp_path: Path) -> Settings:
    """Pipeline topics of this test alone (no worker reads them)."""
    run = uuid.uuid4().hex[:8]
    cfg = kafka_settings.model_copy(
        update={
            "topic_prefix": f"test-replay-{run}.",
            "app_id": f"wirestream-replay-{run}",
            "data_dir": tmp_path / "worker",
        }
    )
    asyncio.run(ensure_topics(cfg))
    return cfg


@pytest.fixture(scope="module")
def nlp() -> Iterator[Any]:
    cfg = Settings()
    yield load_model(cfg.nlp_models, ner=cfg.nlp_ner)


def version_of(nlp: Any) -> str:
    return pipeline.pipeline_version(model=model_tag(nlp))


def test_wires_raw_is_created_with_thirty_days_retention(own: Settings) -> None:
    names = [own.topic(RAW.name), own.topic(ENRICHED.name)]
    retention = asyncio.run(topic_retention(own, names))
    assert retention[own.topic(RAW.name)] == 30 * 86_400_000
    assert retention[own.topic(ENRICHED.name)] != 30 * 86_400_000  # the broker's default


def test_copy_gives_exactly_the_records_of_the_window(own: Settings) -> None:
    source, target = own.topic("copy.src"), own.topic("copy.dst")
    asyncio.run(create_topic(own, source))
    asyncio.run(create_topic(own, target))
    sent: list[tuple[bytes, bytes, datetime]] = []
    for n in range(30):
        at = (BEFORE, INSIDE, AFTER)[n % 3] + timedelta(seconds=n)
        sent.append((f"k{n}".encode(), f"v{n}".encode(), at))
    asyncio.run(produce(own, source, sent))
    inside = {value for _, value, at in sent if at in WINDOW}

    request = ReplayRequest(mode="copy", window=WINDOW, topic="copy.src", to_topic="copy.dst")
    state = asyncio.run(plan_replay(own, request, replay_id="copy-1", pipeline_version="t"))
    final = asyncio.run(execute(own, state, batch_size=4))

    copied = asyncio.run(committed(own, target))
    assert sorted(r.value for r in copied) == sorted(inside)  # none outside, none twice
    assert final.finished and final.counts.read == final.counts.produced == len(inside)
    by_value = {value: (key, at) for key, value, at in sent}
    for record in copied:
        assert (record.key, record.timestamp) == (
            by_value[record.value][0],
            int(by_value[record.value][1].timestamp() * 1000),
        )
        assert (REPLAY_HEADER, b"copy-1") in list(record.headers)


def test_unknown_topics_and_replay_ids_are_refused_and_change_nothing(own: Settings) -> None:
    request = ReplayRequest(mode="copy", window=WINDOW, topic="no.such.topic", to_topic="dlq")
    with pytest.raises(UnknownTopicError, match=r"no\.such\.topic"):
        asyncio.run(plan_replay(own, request, replay_id="x", pipeline_version="t"))
    with pytest.raises(UnknownReplayError, match="was ever started"):
        asyncio.run(find_replay(own, "r-unknown"))
    assert asyncio.run(read_states(own)) == []


def _raw_window(cfg: Settings, inside: int, *, broken: int = 0) -> list[bytes]:
    """Wires before, in and after the window; returns the contents of those inside."""
    records: list[tuple[bytes, bytes, datetime]] = []
    contents: list[bytes] = []
    for n in range(inside + 6):
        content = plain_wire(n)
        at = BEFORE if n < 3 else AFTER if n >= inside + 3 else INSIDE + timedelta(seconds=n)
        if at in WINDOW:
            contents.append(content)
        raw = raw_record(content)
        records.append((raw.wire_id.encode(), raw.to_json(), at))
    for n in range(broken):
        raw = raw_record(bytes(range(256)) * 4 + bytes([n]))
        records.append((raw.wire_id.encode(), raw.to_json(), INSIDE))
    asyncio.run(produce(cfg, cfg.topic(RAW.name), records))
    return contents


def _story_ids(contents: list[bytes]) -> set[str]:
    return {a.story_id for c in contents for a in pipeline.parse(raw_record(c))}


def _enriched(cfg: Settings, topic: str) -> list[EnrichedArticle]:
    return [
        EnrichedArticle.model_validate_json(r.value) for r in asyncio.run(committed(cfg, topic))
    ]


def _without_replay_marks(record: EnrichedArticle) -> dict[str, Any]:
    return record.model_dump(exclude={"enriched_at", "replay"})


def test_re_enrich_twice_yields_the_window_once_per_replay_and_equal_records(
    own: Settings, nlp: Any
) -> None:
    contents = _raw_window(own, 6, broken=1)
    request = ReplayRequest(mode="re-enrich", window=WINDOW)
    first = asyncio.run(
        plan_replay(own, request, replay_id="twice-1", pipeline_version=version_of(nlp))
    )
    done = asyncio.run(execute(own, first, nlp=nlp, batch_size=4))
    assert done.finished
    assert (done.counts.read, done.counts.produced, done.counts.dead_lettered) == (7, 6, 1)

    out = _enriched(own, own.topic(ENRICHED.name))
    assert {r.article.story_id for r in out} == _story_ids(contents)
    assert len(out) == 6
    assert all(r.replay is not None and r.replay.replay_id == "twice-1" for r in out)
    assert all(r.replay is not None and r.replay.window_from == START for r in out)
    letters = [
        DeadLetter.model_validate_json(r.value)
        for r in asyncio.run(committed(own, own.topic(DLQ.name)))
    ]
    assert [(d.stage, d.error_code) for d in letters] == [("parse", "W102")]

    second = asyncio.run(
        plan_replay(own, request, replay_id="twice-2", pipeline_version=version_of(nlp))
    )
    asyncio.run(execute(own, second, nlp=nlp, batch_size=3))
    both = _enriched(own, own.topic(ENRICHED.name))
    by_replay: dict[str, dict[str, EnrichedArticle]] = {}
    for record in both:
        assert record.replay is not None
        by_replay.setdefault(record.replay.replay_id, {})[record.article.article_id] = record
    assert by_replay["twice-1"].keys() == by_replay["twice-2"].keys()
    for article_id, record in by_replay["twice-1"].items():
        # Same wire, same pipeline version: the same record apart from the marks.
        again = by_replay["twice-2"][article_id]
        assert _without_replay_marks(record) == _without_replay_marks(again)
    deduplicated = {(r.article.story_id, r.article.article_id) for r in both}
    assert len(deduplicated) == 6

    listed = {s.replay_id: s for s in asyncio.run(list_replays(own))}
    assert listed["twice-1"].finished and listed["twice-2"].finished


def test_filters_replay_only_the_chosen_agency(own: Settings, nlp: Any) -> None:
    _raw_window(own, 4)
    request = ReplayRequest(
        mode="re-enrich",
        window=WINDOW,
        to_topic="wires.released",  # any existing topic will do as a target
        filters=Filters(source_agency="Nobody Press"),
    )
    state = asyncio.run(
        plan_replay(own, request, replay_id="f-1", pipeline_version=version_of(nlp))
    )
    done = asyncio.run(execute(own, state, nlp=nlp))
    assert (done.counts.read, done.counts.produced, done.counts.skipped) == (4, 0, 4)


def _replay_cli(cfg: Settings, *args: str, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "streams.cli.main", "replay", *args],
            env={**worker_env(cfg), "PYTHONUNBUFFERED": "1"},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _states(cfg: Settings) -> dict[str, ReplayState]:
    return {s.replay_id: s for s in asyncio.run(list_replays(cfg))}


def test_a_replay_killed_halfway_resumes_and_completes_exactly(
    own: Settings, tmp_path: Path
) -> None:
    contents = _raw_window(own, 16)
    log = tmp_path / "replay.log"
    window = ["--from", WINDOW.start.isoformat(), "--to", WINDOW.end.isoformat()]
    proc = _replay_cli(own, *window, "--batch-size", "2", "--max-rate", "3", log=log)
    try:
        deadline = time.monotonic() + 120
        replay_id = None
        while time.monotonic() < deadline:
            states = _states(own)
            started = [s for s in states.values() if s.counts.read >= 6]
            if started:
                replay_id = started[0].replay_id
                break
            assert proc.poll() is None, log.read_text()
            time.sleep(0.5)
        assert replay_id is not None, log.read_text()
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # no clean shutdown: mid-batch, mid-transaction
        proc.wait()
    halfway = _states(own)[replay_id]
    assert not halfway.finished

    resumed = _replay_cli(own, "--resume", replay_id, log=log)
    assert resumed.wait(timeout=180) == 0, log.read_text()
    final = _states(own)[replay_id]
    assert final.finished and final.counts.read == 16, log.read_text()

    out = _enriched(own, own.topic(ENRICHED.name))
    stories = [r.article.story_id for r in out]
    assert sorted(stories) == sorted(_story_ids(contents))  # none missing, none doubled
    assert f"replay {replay_id} finished" in log.read_text()


# --- with the session's worker: redrive, and the release gate ---------------------------------


async def _send_letters(cfg: Settings, letters: list[DeadLetter]) -> list[str]:
    producer = AIOKafkaProducer(
        bootstrap_servers=cfg.kafka_bootstrap, acks="all", **client_kwargs(cfg)
    )
    await producer.start()
    try:
        ids = []
        for letter in letters:
            meta = await producer.send_and_wait(
                cfg.topic(DLQ.name), key=letter.source_key, value=letter.to_json()
            )
            ids.append(letter_id(meta.partition, meta.offset))
        return ids
    finally:
        await producer.stop()


def _parse_letter(cfg: Settings, raw: RawWire, *, code: str, message: str) -> DeadLetter:
    return DeadLetter(
        pipeline_version="wirestream-itest",
        stage="parse",
        error_code=code,
        error_type="RuntimeError",
        message=message,
        source_topic=cfg.topic(RAW.name),
        source_partition=0,
        source_offset=0,
        source_key=raw.wire_id.encode(),
        original=raw.to_json(),
        failed_at=datetime.now(UTC),
    )


def test_redrive_sends_each_dead_letter_once_and_a_broken_wire_returns_with_its_attempts(
    kafka_settings: Settings, worker: Path
) -> None:
    cfg = kafka_settings
    tag = uuid.uuid4().hex[:6]
    fixed = raw_record(plain_wire(1000) + f"Reference {tag}.\n".encode())
    broken = raw_record(bytes(range(256)) * 8 + tag.encode())
    # As if a parser bug had dead-lettered a good wire (since fixed), beside a wire that
    # no fix will ever read.
    letters = [
        _parse_letter(cfg, fixed, code="W999", message="simulated bug, since fixed"),
        _parse_letter(cfg, broken, code="W102", message="wire looks binary"),
    ]
    enriched_start = offsets_now(cfg, ENRICHED.name)
    dlq_start = offsets_now(cfg, DLQ.name)
    fixed_id, broken_id = asyncio.run(_send_letters(cfg, letters))
    chosen = [asyncio.run(fetch_letter(cfg, i)) for i in (fixed_id, broken_id)]

    dry = asyncio.run(redrive(cfg, chosen, dry_run=True))
    assert [o.status for o in dry] == ["would send", "would send"]
    first = asyncio.run(redrive(cfg, chosen))
    second = asyncio.run(redrive(cfg, chosen))
    assert [o.status for o in first] == ["sent", "sent"]
    assert [o.status for o in second] == ["already redriven", "already redriven"]

    def redriven(value: bytes) -> bool:
        wire = original_wire(DeadLetter.model_validate_json(value))
        return wire is not None and wire.redrive is not None

    story = next(a.story_id for a in pipeline.parse(fixed))
    wait_for_record(
        cfg,
        ENRICHED.name,
        lambda r: EnrichedArticle.model_validate_json(r.value).article.story_id == story,
        start=enriched_start,
        log=worker,
    )
    again = wait_for_record(
        cfg,
        DLQ.name,
        lambda r: r.key == broken.wire_id.encode() and redriven(r.value),
        start=dlq_start,
        log=worker,
    )
    letter = DeadLetter.model_validate_json(again.value)
    assert (letter.error_code, letter.attempts) == ("W102", 2)
    wire = original_wire(letter)
    assert wire is not None and wire.redrive is not None
    assert wire.redrive.dead_letter_id == broken_id

    # The broken wire's second dead letter came after the fixed one's result; by now
    # a second send of the fixed wire would have been enriched too.
    results = [r for r in _enriched(cfg, cfg.topic(ENRICHED.name)) if r.article.story_id == story]
    assert len(results) == 1


def test_a_default_replay_alerts_nobody(kafka_settings: Settings, worker: Path, nlp: Any) -> None:
    cfg = kafka_settings
    tag = uuid.uuid4().hex[:6]
    content = plain_wire(2000) + f"Reference {tag}.\n".encode()
    at = datetime.now(UTC) - timedelta(minutes=50, seconds=uuid.uuid4().int % 600)
    raw = raw_record(content)
    released_start = offsets_now(cfg, RELEASED.name)
    asyncio.run(produce(cfg, cfg.topic(RAW.name), [(raw.wire_id.encode(), raw.to_json(), at)]))
    story = next(a.story_id for a in pipeline.parse(raw))

    def released(replayed: bool) -> Any:
        def match(record: Any) -> bool:
            copy = EnrichedArticle.model_validate_json(record.value)
            return copy.article.story_id == story and (copy.replay is not None) == replayed

        return match

    # The live pipeline alerts once ...
    wait_for_record(cfg, RELEASED.name, released(False), start=released_start, log=worker)
    window = Window(at - timedelta(milliseconds=1), at + timedelta(milliseconds=1))
    request = ReplayRequest(mode="re-enrich", window=window)
    state = asyncio.run(
        plan_replay(cfg, request, replay_id=f"quiet-{tag}", pipeline_version=version_of(nlp))
    )
    done = asyncio.run(execute(cfg, state, nlp=nlp))
    assert done.counts.produced == 1
    # ... and the replay of the same wire, a while later, not at all.
    with pytest.raises(pytest.fail.Exception, match="no matching record"):
        wait_for_record(cfg, RELEASED.name, released(True), start=released_start, timeout=20)


def _cli(cfg: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "streams.cli.main", *args],
        env=worker_env(cfg),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_dlq_and_replay_list_commands_show_what_is_there(own: Settings) -> None:
    broken = raw_record(bytes(range(256)) * 2)
    (letter,) = asyncio.run(
        _send_letters(own, [_parse_letter(own, broken, code="W102", message="wire looks binary")])
    )

    listed = _cli(own, "dlq", "list", "--code", "W102", "--since", "-1h")
    assert listed.returncode == 0, listed.stderr
    header, row = listed.stdout.splitlines()
    assert header.split()[:4] == ["ID", "TIME", "(UTC)", "STAGE"]
    assert row.split()[0] == letter and " parse " in row and " W102 " in row
    assert _cli(own, "dlq", "list", "--stage", "entities").stdout.strip() == "no dead letters match"

    shown = _cli(own, "dlq", "show", letter)
    assert shown.returncode == 0, shown.stderr
    assert '"error_code": "W102"' in shown.stdout
    assert "00000000  00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f  |................|" in (
        shown.stdout
    )

    unknown = _cli(own, "dlq", "show", "0-999999")
    assert unknown.returncode == 2 and "[W711] no dead letter 0-999999" in unknown.stderr
    unfiltered = _cli(own, "dlq", "redrive")
    assert unfiltered.returncode == 2 and "name dead-letter ids or a filter" in unfiltered.stderr

    assert _cli(own, "replay", "--list").stdout.strip() == "no replays yet"
    resumed = _cli(own, "replay", "--resume", "r-nope")
    assert resumed.returncode == 2 and "[W703]" in resumed.stderr
    missing = _cli(
        own, "replay", "--copy", "--topic", "no.such", "--to-topic", "x", "--from", "-1h"
    )
    assert missing.returncode == 2 and "[W702] no such topic" in missing.stderr
    assert _cli(own, "replay", "--list").stdout.strip() == "no replays yet"  # nothing changed
