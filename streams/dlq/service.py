"""Reading the dead-letter topic and redriving, exactly once per dead letter.

A redrive sends the record and a receipt (``redrive:<id>`` on the compacted
``wires.replays``) in one Kafka transaction, and skips every dead letter
that already has a receipt, so redriving the same dead letter twice sends
it once. The producer's transactional id is one per app: a second redrive
started meanwhile fences the first (which then stops with an error) before
it reads the receipts, so the two never both send one dead letter.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from aiokafka import TopicPartition
from aiokafka.errors import KafkaError
from pydantic import ValidationError

from schemas import DeadLetter, ReplayCounts, ReplayState
from streams.dlq.errors import DeadLetterError, RedriveError, UnknownDeadLetterError
from streams.dlq.letters import LetterFilter, letter_id, parse_letter_id, receipt_key, redrive_of
from streams.replay import check_topics, ensure_replays_topic, read_states
from streams.replay.runner import consumer, partitions_of, producer
from streams.settings import Settings
from streams.topology import DLQ, REPLAYS


@dataclass(frozen=True)
class Letter:
    """A dead letter and where it lies."""

    id: str
    partition: int
    offset: int
    letter: DeadLetter


def _decode(partition: int, offset: int, value: bytes | None) -> Letter | None:
    if value is None:
        return None
    try:
        letter = DeadLetter.model_validate_json(value)
    except (ValidationError, ValueError):
        return None
    return Letter(letter_id(partition, offset), partition, offset, letter)


async def list_letters(
    settings: Settings, where: LetterFilter | None = None, *, timeout: float = 60
) -> list[Letter]:
    """Every committed dead letter that ``where`` takes, oldest first per partition."""
    client = consumer(settings)
    await client.start()
    found: list[Letter] = []
    try:
        tps = await partitions_of(client, settings.topic(DLQ.name))
        client.assign(tps)
        await client.seek_to_beginning(*tps)
        ends = await client.end_offsets(tps)
        async with asyncio.timeout(timeout):
            while [tp for tp in tps if await client.position(tp) < ends[tp]]:
                for tp, records in (await client.getmany(*tps, timeout_ms=500)).items():
                    for record in records:
                        if record.offset >= ends[tp]:
                            continue
                        item = _decode(tp.partition, record.offset, record.value)
                        if item is not None and (where is None or where.matches(item.letter)):
                            found.append(item)
    except TimeoutError:
        raise DeadLetterError(
            f"reading {settings.topic(DLQ.name)} took over {timeout:g}s"
        ) from None
    finally:
        await client.stop()
    return sorted(found, key=lambda item: (item.letter.failed_at, item.partition, item.offset))


async def fetch_letter(settings: Settings, dead_letter_id: str, *, timeout: float = 30) -> Letter:
    """The dead letter with this id; :class:`UnknownDeadLetterError` if there is none."""
    partition, offset = parse_letter_id(dead_letter_id)
    topic = settings.topic(DLQ.name)
    client = consumer(settings)
    await client.start()
    try:
        tps = await partitions_of(client, topic)
        tp = TopicPartition(topic, partition)
        if tp not in tps:
            raise UnknownDeadLetterError(f"{topic} has no partition {partition}")
        (start,) = (await client.beginning_offsets([tp])).values()
        (end,) = (await client.end_offsets([tp])).values()
        if not start <= offset < end:
            raise UnknownDeadLetterError(
                f"no dead letter {dead_letter_id}: partition {partition} holds offsets "
                f"{start}..{end - 1}"
                if end > start
                else f"no dead letter {dead_letter_id}"
            )
        client.assign([tp])
        client.seek(tp, offset)
        async with asyncio.timeout(timeout):
            while True:
                records = (await client.getmany(tp, timeout_ms=500)).get(tp, [])
                for record in records:
                    if record.offset == offset:
                        item = _decode(partition, offset, record.value)
                        if item is None:
                            raise UnknownDeadLetterError(
                                f"record {dead_letter_id} of {topic} is not a dead letter"
                            )
                        return item
                    if record.offset > offset:
                        raise UnknownDeadLetterError(
                            f"no dead letter {dead_letter_id} (an aborted or compacted record)"
                        )
                if await client.position(tp) > offset and not records:
                    raise UnknownDeadLetterError(f"no dead letter {dead_letter_id}")
    except TimeoutError:
        raise DeadLetterError(f"reading {dead_letter_id} took over {timeout:g}s") from None
    finally:
        await client.stop()


Status = Literal["sent", "already redriven", "would send"]


@dataclass(frozen=True)
class RedriveOutcome:
    """What happened to one dead letter."""

    id: str
    status: Status
    topic: str
    attempt: int


async def redrive(
    settings: Settings, letters: Sequence[Letter], *, dry_run: bool = False
) -> list[RedriveOutcome]:
    """Send every dead letter's original back to its stage's input topic, once."""
    if not letters:
        return []
    targets = sorted({item.letter.source_topic for item in letters})
    await check_topics(settings, targets)
    if dry_run:
        done = _receipts(await read_states(settings))
        return [
            _outcome(item, "already redriven" if item.id in done else "would send")
            for item in letters
        ]
    await ensure_replays_topic(settings)
    writer = producer(settings, f"{settings.app_id}-redrive")
    outcomes: list[RedriveOutcome] = []
    try:
        await writer.start()  # fences any redrive still running, before receipts are read
        done = _receipts(await read_states(settings))
        for item in letters:
            if item.id in done:
                outcomes.append(_outcome(item, "already redriven"))
                continue
            record = redrive_of(item.letter, item.id)
            now = datetime.now(UTC)
            receipt = ReplayState(
                kind="redrive",
                replay_id=receipt_key(item.id),
                mode="redrive",
                source_topic=settings.topic(DLQ.name),
                target_topic=record.topic,
                pipeline_version=item.letter.pipeline_version,
                started_at=now,
                updated_at=now,
                finished=True,
                counts=ReplayCounts(read=1, produced=1),
            )
            async with writer.transaction():
                await writer.send(
                    record.topic, value=record.value, key=record.key, headers=list(record.headers)
                )
                await writer.send(
                    settings.topic(REPLAYS.name),
                    key=receipt.replay_id.encode(),
                    value=receipt.to_json(),
                )
            done.add(item.id)
            outcomes.append(_outcome(item, "sent"))
    except KafkaError as exc:
        raise RedriveError(f"redrive stopped after {len(outcomes)}: {exc!r}") from exc
    finally:
        await writer.stop()
    return outcomes


def _receipts(states: Sequence[ReplayState]) -> set[str]:
    prefix = receipt_key("")
    return {s.replay_id.removeprefix(prefix) for s in states if s.kind == "redrive"}


def _outcome(item: Letter, status: Status) -> RedriveOutcome:
    record = redrive_of(item.letter, item.id)
    return RedriveOutcome(item.id, status, record.topic, record.attempt)
