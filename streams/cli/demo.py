"""`wirestream demo`: broker, worker, sample wires in, enriched records out."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from tqdm import tqdm

from schemas import Article, DeadLetter, EnrichedArticle, RawWire
from streams.cli.common import describe_dead_letter, describe_enriched, fail, settings
from streams.cli.ingest import run_ingest
from streams.errors import WirestreamError
from streams.ingest import iter_inputs, wire_id
from streams.kafka import LocalBroker, cluster_reachable, ensure_broker, ensure_topics
from streams.reader import end_offsets, read_topic
from streams.settings import Settings
from streams.topology import DLQ, ENRICHED, RAW

#: Our own example wires, plus the Yonhap story the project started from when
#: the shared development data sits beside the checkout.
DEFAULT_SAMPLES = (
    "examples/wires",
    "../shared/data/wires/yonhap/kvibe-20250903-nk-leader-military-parade.txt",
)


def _start_worker(cfg: Settings) -> tuple[subprocess.Popen[bytes], Path]:
    cfg.log_dir.mkdir(parents=True, exist_ok=True)
    log_path = cfg.log_dir / "worker.log"
    log = log_path.open("ab")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streams.cli.main", "worker", "--loglevel", "info"],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return proc, log_path


def _stop_worker(proc: subprocess.Popen[bytes], *, timeout: float = 30) -> None:
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _wire_of(letter: DeadLetter) -> str | None:
    """The wire a dead letter came from, whichever stage's record it carries."""
    for model in (RawWire, Article):
        try:
            return model.model_validate_json(letter.original).wire_id
        except ValueError:
            continue
    try:
        return EnrichedArticle.model_validate_json(letter.original).article.wire_id
    except ValueError:
        return letter.source_key.decode(errors="replace") if letter.source_key else None


async def _collect(
    cfg: Settings,
    starts: dict[str, dict[int, int]],
    *,
    expected: set[str],
    timeout: float,
    worker: subprocess.Popen[bytes],
    log_path: Path,
) -> tuple[list[EnrichedArticle], list[DeadLetter], int]:
    """Results until every expected wire has one; returns them and how many were repeats.

    Processing is at least once: after a rebalance a record can be processed
    again, so results are told apart by what they are, not counted.
    """
    enriched: dict[str, EnrichedArticle] = {}
    letters: dict[tuple[str, int, int, str], DeadLetter] = {}
    done: set[str] = set()
    repeats = 0
    bar = tqdm(total=len(expected), unit="wire", desc="results", file=sys.stderr)

    async def follow(name: str) -> None:
        nonlocal repeats
        async for rec in read_topic(cfg, cfg.topic(name), start_offsets=starts[name]):
            if name == ENRICHED.name:
                record = EnrichedArticle.model_validate_json(rec.value)
                repeats += record.article.article_id in enriched
                enriched[record.article.article_id] = record
                wire = record.article.wire_id
            else:
                letter = DeadLetter.model_validate_json(rec.value)
                key = (
                    letter.source_topic,
                    letter.source_partition,
                    letter.source_offset,
                    letter.stage,
                )
                repeats += key in letters
                letters[key] = letter
                wire = _wire_of(letter) or ""
            if wire in expected and wire not in done:
                done.add(wire)
                bar.update(1)

    tasks = [asyncio.create_task(follow(ENRICHED.name)), asyncio.create_task(follow(DLQ.name))]
    deadline = time.monotonic() + timeout
    try:
        while not expected <= done:
            if worker.poll() is not None:
                raise RuntimeError(f"the worker exited (code {worker.returncode}); see {log_path}")
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"results for only {len(done)} of {len(expected)} wires after "
                    f"{timeout:.0f} s; see {log_path}"
                )
            await asyncio.sleep(0.2)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        bar.close()
    return list(enriched.values()), list(letters.values()), repeats


def demo(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Wires to send (default: examples/wires and the shared Yonhap story)."),
    ] = None,
    timeout: Annotated[
        float, typer.Option("--timeout", min=1, help="Seconds to wait for the results.")
    ] = 180,
    keep_broker: Annotated[
        bool,
        typer.Option("--keep-broker", help="Leave a broker this command started running."),
    ] = False,
    show_json: Annotated[
        bool, typer.Option("--json", help="Also print each enriched record as JSON.")
    ] = False,
) -> None:
    """Run the whole pipeline once on this machine and show what comes out.

    Starts the embedded Kafka broker (unless a cluster already answers at the
    bootstrap), creates the topics, starts a worker, sends the sample wires,
    prints every enriched record and dead letter, then stops what it started.
    """
    cfg = settings()
    samples = paths or [p for p in DEFAULT_SAMPLES if Path(p).exists()]
    if not samples:
        fail("no sample wires found; pass files or folders to send")
    started_broker = False
    worker: subprocess.Popen[bytes] | None = None
    try:
        already = asyncio.run(cluster_reachable(cfg.kafka_bootstrap))
        asyncio.run(ensure_broker(cfg, start_local=True))
        started_broker = not already
        status = LocalBroker(cfg).status()
        where = (
            f"local Apache Kafka {status.kafka_version}, log {status.log_path}"
            if status.running
            else "existing cluster"
        )
        typer.echo(f"[1/5] broker   {cfg.kafka_bootstrap} ({where})")
        topics = asyncio.run(ensure_topics(cfg))
        typer.echo(f"[2/5] topics   {', '.join(topics)} ({cfg.partitions} partitions each)")
        # Only what this run produces is shown: remember where the outputs end now.
        starts = {
            name: asyncio.run(end_offsets(cfg, cfg.topic(name)))
            for name in (ENRICHED.name, DLQ.name)
        }
        worker, log_path = _start_worker(cfg)
        typer.echo(f"[3/5] worker   pid {worker.pid}, log {log_path}")
        sent, failed = asyncio.run(run_ingest(cfg, samples, format_hint=None, progress=False))
        typer.echo(
            f"[4/5] ingest   {sent} wires sent to {cfg.topic(RAW.name)}"
            + (f", {len(failed)} not sent" if failed else "")
        )
        for name, exc in failed:
            typer.echo(f"        not sent: {name}: {exc}")
        typer.echo("[5/5] results  waiting for the worker (the first batch loads the model)")
        not_sent = {name for name, _ in failed}
        expected = {
            wire_id(item.content)
            for item in iter_inputs(samples, max_bytes=cfg.max_wire_bytes)
            if item.content is not None and item.name not in not_sent
        }
        enriched, letters, repeats = asyncio.run(
            _collect(
                cfg, starts, expected=expected, timeout=timeout, worker=worker, log_path=log_path
            )
        )
    except (WirestreamError, RuntimeError, TimeoutError) as exc:
        if worker is not None:
            _stop_worker(worker)
        if started_broker and not keep_broker:
            LocalBroker(cfg).stop()
        fail(exc if isinstance(exc, WirestreamError) else str(exc))

    typer.echo("")
    for record in sorted(enriched, key=lambda r: r.article.headline):
        typer.echo(describe_enriched(record) + "\n")
        if show_json:
            typer.echo(record.model_dump_json(indent=2) + "\n")
    for letter in letters:
        typer.echo(describe_dead_letter(letter) + "\n")
    typer.echo(
        f"{len(enriched)} enriched on {cfg.topic(ENRICHED.name)}, "
        f"{len(letters)} dead letters on {cfg.topic(DLQ.name)}. "
        f"Read them again with `wirestream tail enriched --pretty --idle 5`."
    )
    if repeats:
        typer.echo(
            f"({repeats} repeated deliveries not shown: processing is at least once, so a "
            "record handled just before a rebalance can be handled again)"
        )
    _stop_worker(worker)
    if started_broker and not keep_broker:
        LocalBroker(cfg).stop()
        typer.echo("stopped the worker and the local broker (use --keep-broker to keep it)")
    else:
        typer.echo("stopped the worker")
