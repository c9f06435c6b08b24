"""Starting, resuming and listing replays: the re-enrich and copy modes on the runner."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from aiokafka.structs import ConsumerRecord

from schemas import DeadLetter, ReplayCounts, ReplayState
from streams import pipeline
from streams.errors import CODE_BAD_RECORD, CODE_UNEXPECTED, WirestreamError
from streams.nlp import model_tag
from streams.replay.enrich import Reenricher, Source
from streams.replay.errors import ReplayError, ReplayFinishedError, UnknownReplayError
from streams.replay.plan import Filters, Mode, latest_states, replay_info
from streams.replay.runner import (
    Output,
    WindowReader,
    check_topics,
    consumer,
    ensure_replays_topic,
    partitions_of,
    read_states,
    run_replay,
    window_offsets,
)
from streams.replay.window import Window
from streams.settings import Settings
from streams.topology import DLQ, RAW

#: Header that marks a copied record with the replay that copied it.
REPLAY_HEADER = "wirestream-replay"


@dataclass(frozen=True)
class ReplayRequest:
    """What an operator asked for (topic names without the prefix)."""

    mode: Mode
    window: Window
    topic: str = RAW.name
    to_topic: str | None = None
    filters: Filters = field(default_factory=Filters)
    limit: int | None = None
    alerts: bool = False


def target_of(request: ReplayRequest) -> str:
    if request.to_topic is not None:
        return request.to_topic
    if request.mode == "copy":
        raise ReplayError("--copy needs --to-topic: copying a topic onto itself doubles it")
    return "wires.enriched"


async def plan_replay(
    settings: Settings, request: ReplayRequest, *, replay_id: str, pipeline_version: str
) -> ReplayState:
    """Check the topics and find the window's offsets; nothing is written yet."""
    if request.mode == "re-enrich" and request.topic != RAW.name:
        raise ReplayError(f"--re-enrich reads {RAW.name}; --topic is for --copy")
    if request.mode == "copy" and (
        request.filters.source_agency is not None or request.filters.source_format is not None
    ):
        raise ReplayError("--source and --format filter stories of a re-enrich; --copy copies all")
    source = settings.topic(request.topic)
    target = settings.topic(target_of(request))
    if source == target:
        raise ReplayError(f"--to-topic {target} is the topic being read")
    await check_topics(settings, [source, target])
    starts, ends = await window_offsets(settings, source, request.window)
    now = datetime.now(UTC)
    return ReplayState(
        kind="replay",
        replay_id=replay_id,
        mode=request.mode,
        source_topic=source,
        target_topic=target,
        window_from=request.window.start,
        window_to=request.window.end,
        source_agency=request.filters.source_agency,
        source_format=request.filters.source_format,
        limit=request.limit,
        alerts=request.alerts,
        pipeline_version=pipeline_version,
        started_at=now,
        updated_at=now,
        positions=starts,
        ends=ends,
    )


async def list_replays(settings: Settings) -> list[ReplayState]:
    """The latest state of every replay, oldest first."""
    states = [s for s in await read_states(settings) if s.kind == "replay"]
    return list(latest_states(states).values())


async def find_replay(settings: Settings, replay_id: str) -> ReplayState:
    """The replay to resume; refuses unknown and finished ones."""
    known = {s.replay_id: s for s in await list_replays(settings)}
    state = known.get(replay_id)
    if state is None:
        hint = f"; known: {', '.join(sorted(known)[-5:])}" if known else ""
        raise UnknownReplayError(f"no replay {replay_id!r} was ever started{hint}")
    if state.finished:
        raise ReplayFinishedError(f"replay {replay_id} already finished; nothing to resume")
    return state


def _source(record: ConsumerRecord[bytes, bytes]) -> Source:
    return Source(record.topic, record.partition, record.offset, record.key, record.value or b"")


def copy_process(state: ReplayState) -> Callable[[list[ConsumerRecord[bytes, bytes]]], Any]:
    """Copies records as they are, with their keys, headers and timestamps."""

    async def process(
        batch: list[ConsumerRecord[bytes, bytes]],
    ) -> tuple[list[Output], ReplayCounts]:
        outputs: list[Output] = []
        for record in batch:
            headers = [(k, v) for k, v in (record.headers or ()) if k != REPLAY_HEADER]
            headers.append((REPLAY_HEADER, state.replay_id.encode()))
            outputs.append(
                (state.target_topic, record.key, record.value or b"", headers, record.timestamp)
            )
        return outputs, ReplayCounts(produced=len(outputs))

    return process


def dead_letter(
    source: Source, stage: str, exc: BaseException, state: ReplayState, *, now: datetime
) -> DeadLetter:
    """The envelope of a wire the replay could not process (the agents' layout and codes)."""
    if isinstance(exc, WirestreamError):
        code, message = exc.code, exc.message
    elif isinstance(exc, ValueError | UnicodeDecodeError):
        code, message = CODE_BAD_RECORD, f"record does not match its schema: {exc}"
    else:
        code, message = CODE_UNEXPECTED, str(exc) or type(exc).__name__
    return DeadLetter(
        pipeline_version=state.pipeline_version,
        stage=stage,
        error_code=code,
        error_type=type(exc).__name__,
        message=f"{message} (replay {state.replay_id})",
        source_topic=source.topic,
        source_partition=source.partition,
        source_offset=source.offset,
        source_key=source.key,
        original=source.value,
        failed_at=now,
    )


def enrich_process(
    settings: Settings, state: ReplayState, enricher: Reenricher
) -> Callable[[list[ConsumerRecord[bytes, bytes]]], Any]:
    """Runs the pipeline's stages on each batch (off the event loop) and dead-letters failures."""

    async def process(
        batch: list[ConsumerRecord[bytes, bytes]],
    ) -> tuple[list[Output], ReplayCounts]:
        now = datetime.now(UTC)
        result = await asyncio.to_thread(enricher.run, [_source(r) for r in batch], now=now)
        outputs: list[Output] = [
            (state.target_topic, item.key, item.record.to_json(), [], None)
            for item in result.enriched
        ]
        dlq = settings.topic(DLQ.name)
        for failure in result.failed:
            letter = dead_letter(failure.source, failure.stage, failure.error, state, now=now)
            outputs.append((dlq, letter.source_key, letter.to_json(), [], None))
        counts = ReplayCounts(
            produced=len(result.enriched),
            dead_lettered=len(result.failed),
            skipped=result.skipped,
        )
        return outputs, counts

    return process


async def remember_done(settings: Settings, state: ReplayState, enricher: Reenricher) -> int:
    """Feed a resumed re-enrich the part of its window already done; returns how many wires."""
    if state.window_from is None or state.window_to is None:
        return 0
    window = Window(state.window_from, state.window_to)
    starts, _ = await window_offsets(settings, state.source_topic, window)
    done = ReplayState.model_validate(
        {**state.model_dump(), "positions": starts, "ends": state.positions, "finished": False}
    )
    seen = 0
    # Read only, no group and no producer: this pass neither fences nor checkpoints.
    client = consumer(settings)
    await client.start()
    try:
        tps = await partitions_of(client, state.source_topic)
        reader = WindowReader(client, tps, dict(done.ends), window)
        await reader.start(dict(done.positions))
        while batch := await reader.take(256):
            seen += len(batch)
            await asyncio.to_thread(enricher.remember, [_source(r) for r in batch])
    finally:
        await client.stop()
    return seen


def make_enricher(settings: Settings, state: ReplayState, nlp: Any) -> Reenricher:
    return Reenricher(
        nlp=nlp,
        pipeline_version=state.pipeline_version,
        replay=replay_info(state),
        filters=Filters(state.source_agency, state.source_format),
        cluster_window=timedelta(hours=settings.cluster_window_hours),
        cluster_max_stories=settings.cluster_max_stories,
        batch_size=settings.batch_size,
    )


async def execute(
    settings: Settings,
    state: ReplayState,
    *,
    nlp: Any = None,
    batch_size: int = 32,
    max_rate: float | None = None,
    on_progress: Callable[[ReplayState, int], None] | None = None,
    resumed: bool = False,
) -> ReplayState:
    """Run (or resume) the replay ``state`` to its end."""
    await ensure_replays_topic(settings)
    window = (
        Window(state.window_from, state.window_to)
        if state.window_from is not None and state.window_to is not None
        else None
    )
    if state.mode == "copy":
        process = copy_process(state)
    else:
        if nlp is None:
            raise ReplayError("a re-enrich replay needs the NLP model")
        if state.pipeline_version != _version(nlp):
            raise ReplayError(
                f"replay {state.replay_id} was made by {state.pipeline_version}, this is "
                f"{_version(nlp)}; resuming would mix two pipelines (start a new replay)"
            )
        enricher = make_enricher(settings, state, nlp)
        if resumed:
            await remember_done(settings, state, enricher)
        process = enrich_process(settings, state, enricher)
    return await run_replay(
        settings,
        state,
        process,
        window=window,
        batch_size=batch_size,
        max_rate=max_rate,
        on_progress=on_progress,
    )


def _version(nlp: Any) -> str:
    return pipeline.pipeline_version(model=model_tag(nlp))
