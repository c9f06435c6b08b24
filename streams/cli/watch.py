"""`wirestream watch`: send every file dropped into a folder to ``wires.raw``, exactly once."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from pathlib import Path
from typing import Annotated

import typer

from streams.cli.common import FormatHint, fail, settings, warn
from streams.errors import WirestreamError
from streams.kafka import ensure_topics
from streams.parse import format_for_hint
from streams.settings import Settings
from streams.topology import RAW
from streams.transports.dropfolder import DropFolder, Watcher, WatchStats
from streams.transports.rawsink import KafkaRawSink

log = logging.getLogger("streams.transports.dropfolder")

#: How often a long-running watcher logs its counts.
PROGRESS_EVERY = 60.0


async def run_watch(
    cfg: Settings,
    folder: Path,
    *,
    format_hint: str | None,
    interval: float,
    settle: float,
    once: bool,
    stop: asyncio.Event | None = None,
) -> WatchStats:
    """Watch ``folder`` until ``stop`` is set (or, with ``once``, until it is empty)."""
    await ensure_topics(cfg)
    stop = stop or asyncio.Event()
    async with KafkaRawSink(cfg) as sink:
        watcher = Watcher(
            DropFolder(folder),
            sink,
            format_hint=format_hint,
            max_bytes=cfg.max_wire_bytes,
            settle=settle,
        )
        await watcher.start()
        try:
            if once:
                await watcher.poll()
                return watcher.stats
            progress = asyncio.create_task(_progress(watcher, stop))
            try:
                await watcher.run(interval=interval, stop=stop)
            finally:
                progress.cancel()
        finally:
            watcher.close()
    return watcher.stats


async def _progress(watcher: Watcher, stop: asyncio.Event) -> None:
    while not stop.is_set():
        await asyncio.sleep(PROGRESS_EVERY)
        log.info("watch: %s so far", watcher.stats.summary())


def watch(
    folder: Annotated[
        Path,
        typer.Argument(help="Drop folder to watch (its top level; files in sub-folders are left)."),
    ],
    format_hint: FormatHint = None,
    interval: Annotated[
        float, typer.Option("--interval", min=0.05, help="Seconds between looks at the folder.")
    ] = 1.0,
    settle: Annotated[
        float,
        typer.Option(
            "--settle",
            min=0.0,
            help="Skip files modified within this many seconds (being written).",
        ),
    ] = 1.0,
    once: Annotated[
        bool, typer.Option("--once", help="Send what is in the folder now, then exit.")
    ] = False,
) -> None:
    """Send each complete file dropped into FOLDER to wires.raw, then move it.

    A file goes to FOLDER/processed/ once Kafka acknowledged it, or to
    FOLDER/error/ with a .reason.txt beside it when it cannot be a record at
    all (too large, empty, unreadable). Hidden and temporary names (.x, *.part,
    *.tmp, *~) are skipped. A watcher killed at any point neither loses nor
    duplicates a file: on restart it checks wires.raw for what was in flight.
    One watcher per folder (FOLDER/.lock).
    """
    cfg = settings()
    try:
        format_for_hint(format_hint)
    except WirestreamError as exc:
        fail(exc)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr
    )

    async def main() -> WatchStats:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        warn(f"watch: {folder} -> {cfg.topic(RAW.name)} at {cfg.kafka_bootstrap}")
        return await run_watch(
            cfg,
            folder,
            format_hint=format_hint,
            interval=interval,
            settle=settle,
            once=once,
            stop=stop,
        )

    try:
        stats = asyncio.run(main())
    except WirestreamError as exc:
        fail(exc)
    warn(f"watch: {stats.summary()}")
