"""``wirestream replay``: re-enrich or copy a window of history, resumable, without alerts."""

from __future__ import annotations

import asyncio
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Annotated

import typer
from tqdm import tqdm

from schemas import ReplayState
from streams import pipeline
from streams.cli.common import fail, settings, warn
from streams.errors import WirestreamError
from streams.kafka import ensure_broker
from streams.nlp import load_model, model_tag
from streams.replay import (
    Filters,
    Mode,
    ReplayError,
    ReplayRequest,
    describe,
    execute,
    find_replay,
    list_replays,
    new_replay_id,
    parse_window,
    plan_replay,
    remaining,
    summary,
)


def replay(
    start: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="Start of the window: ISO 8601 with a zone ('2026-01-14T00:00Z') or relative "
            "('-7d', '-12h'). Records at or after it are replayed.",
        ),
    ] = None,
    end: Annotated[
        str | None,
        typer.Option("--to", help="End of the window (exclusive), same forms; default: now."),
    ] = None,
    copy: Annotated[
        bool,
        typer.Option(
            "--copy",
            help="Copy the window's records as they are (keys, headers, times) from --topic "
            "to --to-topic, e.g. to bootstrap a new consumer.",
        ),
    ] = False,
    re_enrich: Annotated[
        bool,
        typer.Option(
            "--re-enrich",
            help="(default) Run the current pipeline's stages on wires.raw's window and "
            "produce to wires.enriched or --to-topic, marked with a `replay` field.",
        ),
    ] = False,
    topic: Annotated[
        str | None,
        typer.Option("--topic", help="Topic to copy (with --copy), e.g. wires.released."),
    ] = None,
    to_topic: Annotated[
        str | None,
        typer.Option(
            "--to-topic", help="Topic to write to; it must exist. Default: wires.enriched."
        ),
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="Only stories of this agency (re-enrich).")
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="Only stories of this wire format or family, e.g. 'yonhap'."),
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="Read at most this many records.")
    ] = None,
    max_rate: Annotated[
        float | None,
        typer.Option(
            "--max-rate", min=0.1, help="At most this many records a second (spare live traffic)."
        ),
    ] = None,
    alerts: Annotated[
        bool,
        typer.Option(
            "--alerts",
            help="Let the replayed records reach wires.released and alert services, marked as "
            "a backfill. Off by default: a replay alerts nobody.",
        ),
    ] = False,
    resume: Annotated[
        str | None,
        typer.Option("--resume", help="Finish an interrupted replay, by its id (see --list)."),
    ] = None,
    list_: Annotated[
        bool, typer.Option("--list", help="Show past and unfinished replays, then exit.")
    ] = False,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="Records per batch and checkpoint.")
    ] = 32,
) -> None:
    """Replay a time window of history exactly once: re-enrich wires or copy records.

    Every batch's output and the replay's checkpoint are written in one Kafka
    transaction, so Ctrl-C or kill -9 loses nothing: `--resume ID` finishes
    the replay with no record missing or doubled. Replayed records carry a
    `replay` field and never reach wires.released unless --alerts is given.
    """
    cfg = settings()
    if list_:
        _list()
        return
    if copy and re_enrich:
        fail("--copy and --re-enrich exclude each other", code=2)
    now = datetime.now(UTC)
    nlp = None
    try:
        if resume is not None:
            if start is not None or end is not None or copy or topic or to_topic:
                raise ReplayError("--resume takes the replay's own window and topics; no others")
            asyncio.run(ensure_broker(cfg, start_local=False))
            state = asyncio.run(find_replay(cfg, resume))
            if state.mode == "re-enrich":
                nlp = load_model(cfg.nlp_models, ner=cfg.nlp_ner)
            typer.echo(
                f"resuming replay {state.replay_id}: {remaining(state):,} records left to scan"
            )
        else:
            if start is None:
                raise ReplayError("give --from (and --to), --resume ID or --list")
            window = parse_window(start, end, now=now)
            mode: Mode = "copy" if copy else "re-enrich"
            if copy and topic is None:
                raise ReplayError("--copy needs --topic (e.g. wires.released) and --to-topic")
            request = ReplayRequest(
                mode=mode,
                window=window,
                topic=topic or "wires.raw",
                to_topic=to_topic,
                filters=Filters(source, fmt),
                limit=limit,
                alerts=alerts,
            )
            asyncio.run(ensure_broker(cfg, start_local=False))
            if mode == "re-enrich":
                nlp = load_model(cfg.nlp_models, ner=cfg.nlp_ner)
                version = pipeline.pipeline_version(model=model_tag(nlp))
            else:
                version = pipeline.pipeline_version()
            replay_id = new_replay_id(now, uuid.uuid4().hex[:6])
            state = asyncio.run(
                plan_replay(cfg, request, replay_id=replay_id, pipeline_version=version)
            )
            typer.echo(
                f"replay {replay_id}: {state.mode} {state.source_topic} -> "
                f"{state.target_topic}, {remaining(state):,} records to scan"
            )
        final, seconds = _run(
            state, nlp=nlp, batch_size=batch_size, max_rate=max_rate, resumed=bool(resume)
        )
    except KeyboardInterrupt:
        started = resume or locals().get("replay_id")
        warn(f"interrupted; finish it with: wirestream replay --resume {started}")
        raise typer.Exit(130) from None
    except WirestreamError as exc:
        fail(exc)
    typer.echo(f"replay {final.replay_id} finished: {summary(final.counts, seconds=seconds)}")


def _run(
    state: ReplayState, *, nlp: object, batch_size: int, max_rate: float | None, resumed: bool
) -> tuple[ReplayState, float]:
    cfg = settings()
    started = time.monotonic()
    bar = tqdm(
        total=remaining(state),
        unit="rec",
        desc=state.replay_id,
        file=sys.stderr,
        disable=None,  # a bar on a terminal, nothing in logs and pipes
        dynamic_ncols=True,
    )
    with bar:

        def progress(current: ReplayState, read: int) -> None:
            bar.update(read)
            c = current.counts
            bar.set_postfix(produced=c.produced, dlq=c.dead_lettered, skipped=c.skipped)

        final = asyncio.run(
            execute(
                cfg,
                state,
                nlp=nlp,
                batch_size=batch_size,
                max_rate=max_rate,
                on_progress=progress,
                resumed=resumed,
            )
        )
    return final, time.monotonic() - started


def _list() -> None:
    cfg = settings()
    try:
        asyncio.run(ensure_broker(cfg, start_local=False))
        states = asyncio.run(list_replays(cfg))
    except WirestreamError as exc:
        fail(exc)
    if not states:
        typer.echo("no replays yet")
        return
    for state in states:
        typer.echo(describe(state))
