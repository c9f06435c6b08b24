"""`wirestream ingest`: files, folders or stdin into ``wires.raw``."""

from __future__ import annotations

import asyncio
import sys
from collections import Counter
from datetime import UTC, datetime
from typing import Annotated

import typer
from tqdm import tqdm

from streams.cli.common import FormatHint, WirePaths, fail, settings, warn
from streams.errors import WirestreamError
from streams.ingest import count_inputs, iter_inputs, to_raw
from streams.ingest.producer import raw_producer, send_raw
from streams.kafka import ensure_topics
from streams.settings import Settings
from streams.topology import RAW


async def run_ingest(
    cfg: Settings, paths: list[str], *, format_hint: str | None, progress: bool
) -> tuple[int, list[tuple[str, WirestreamError]]]:
    """Send every input; returns (sent, [(input, reason), ...])."""
    await ensure_topics(cfg)
    sent = 0
    failed: list[tuple[str, WirestreamError]] = []
    bar = tqdm(
        total=count_inputs(paths),
        unit="wire",
        desc="ingest",
        disable=not progress,
        file=sys.stderr,
    )
    async with raw_producer(cfg) as producer:
        for item in iter_inputs(paths, stdin=sys.stdin.buffer, max_bytes=cfg.max_wire_bytes):
            if item.error is not None:
                failed.append((item.name, item.error))
            else:
                raw = to_raw(item, format_hint=format_hint, now=datetime.now(UTC))
                try:
                    await send_raw(producer, cfg, raw)
                    sent += 1
                except WirestreamError as exc:
                    failed.append((item.name, exc))
            bar.update(1)
            bar.set_postfix(sent=sent, failed=len(failed))
    bar.close()
    return sent, failed


def ingest(
    paths: WirePaths,
    format_hint: FormatHint = None,
    progress: Annotated[
        bool, typer.Option("--progress/--no-progress", help="Show a progress bar on stderr.")
    ] = True,
) -> None:
    """Send wires to the wires.raw topic, keyed by their content id.

    Prints a closing summary: how many were sent and which failed, and why.
    Exit code 0 when every input was sent, 1 when some failed.
    """
    cfg = settings()
    try:
        sent, failed = asyncio.run(
            run_ingest(cfg, paths, format_hint=format_hint, progress=progress)
        )
    except WirestreamError as exc:
        fail(exc)
    reasons = Counter(error.code for _, error in failed)
    warn(f"ingest: {sent} sent to {cfg.topic(RAW.name)}, {len(failed)} failed")
    for name, error in failed:
        warn(f"  failed: {name}: {error}")
    if reasons:
        warn("  by reason: " + ", ".join(f"{code} x{n}" for code, n in sorted(reasons.items())))
    if failed:
        raise typer.Exit(1)
