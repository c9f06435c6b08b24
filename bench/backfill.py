"""A backfill beside live traffic: what it costs live latency, and how fast it goes.

    .venv/bin/python bench/backfill.py [--articles 2000] [--live-rate 2] [--idle 60]
                                       [--max-rate-fraction 0.3] [--huffpost PATH]

Everything runs on this machine, in one run: an embedded broker of its own
(free ports, a temporary directory), a `wirestream worker` and, for the
backfill, `wirestream replay --re-enrich` as an operator would start it.
The articles are HuffPost records (headline and short description, read in
place from ../shared/data, never copied), sent as plain-text wires.

1. **Full throughput**: ``--articles`` wires are put on wires.raw, then the
   worker starts and processes them as fast as it can; the rate is articles
   per second from its first enriched record to its last.
2. **Idle**: live wires at ``--live-rate`` a second for ``--idle`` seconds;
   the latency of each is from our send to its enriched record on
   wires.enriched (read here, read_committed).
3. **Backfill**: the same live traffic while `wirestream replay` re-enriches
   the window of step 1 at ``--max-rate`` = ``--max-rate-fraction`` x the
   full throughput; live latencies of the wires sent during the backfill, and
   the backfill's rate (replayed articles per second, first to last).

Both rates are counted the same way, from the first output to the last,
without the first output batch (its articles were done before the clock
started), so start-up time (model loading) is in neither.

Prints p50/p99 live latency idle and during the backfill, their ratio (the
target is p99 during <= 2 x idle), the backfill's throughput as a fraction of
the full throughput, and how many bytes a wire takes on disk in wires.raw.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiokafka import AIOKafkaProducer

from schemas import RawWire
from streams import pipeline
from streams.ingest import wire_id
from streams.kafka import LocalBroker, client_kwargs, ensure_topics, free_port
from streams.replay.runner import consumer, partitions_of
from streams.settings import Settings
from streams.topology import ENRICHED, RAW

HUFFPOST = (
    Path(__file__).resolve().parents[1].parent
    / "shared"
    / "data"
    / "huffpost"
    / "News_Category_Dataset_v3.first10000.jsonl"
)


def load_wires(path: Path, count: int) -> list[bytes]:
    """Plain-text wires of HuffPost headlines and descriptions (distinct, non-empty)."""
    wires: list[bytes] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            headline = " ".join(record.get("headline", "").split())
            body = " ".join(record.get("short_description", "").split())
            if not headline or len(body) < 40 or headline in seen:
                continue
            seen.add(headline)
            wires.append(f"{headline}\n\n{body}\n".encode())
            if len(wires) == count:
                break
    if len(wires) < count:
        raise SystemExit(f"{path} has only {len(wires)} usable records, {count} asked for")
    return wires


@dataclass
class Wire:
    raw: RawWire
    story_id: str
    sent: float = 0.0


def to_wires(contents: Sequence[bytes]) -> list[Wire]:
    now = datetime.now(UTC)
    out = []
    for content in contents:
        raw = RawWire(wire_id=wire_id(content), content=content, source="bench", received_at=now)
        articles = pipeline.parse(raw)
        out.append(Wire(raw, articles[0].story_id))
    return out


@dataclass
class Arrivals:
    """First arrival (monotonic clock) of every story on wires.enriched, live and replayed."""

    live: dict[str, float] = field(default_factory=dict)
    replayed: dict[str, float] = field(default_factory=dict)


async def track(cfg: Settings, arrivals: Arrivals, stop: asyncio.Event) -> None:
    client = consumer(cfg)
    await client.start()
    try:
        tps = await partitions_of(client, cfg.topic(ENRICHED.name))
        client.assign(tps)
        await client.seek_to_beginning(*tps)
        while not stop.is_set():
            batch = await client.getmany(*tps, timeout_ms=200)
            now = time.monotonic()
            for records in batch.values():
                for record in records:
                    data = json.loads(record.value or b"{}")
                    story = data["article"]["story_id"]
                    target = arrivals.replayed if data.get("replay") else arrivals.live
                    target.setdefault(story, now)
    finally:
        await client.stop()


async def send_live(
    cfg: Settings, wires: list[Wire], rate: float, stop: asyncio.Event
) -> list[Wire]:
    """Send wires at ``rate`` a second until ``stop``; returns those sent."""
    producer = AIOKafkaProducer(
        bootstrap_servers=cfg.kafka_bootstrap, acks="all", **client_kwargs(cfg)
    )
    await producer.start()
    sent: list[Wire] = []
    try:
        start = time.monotonic()
        for n, wire in enumerate(wires):
            if stop.is_set():
                break
            await asyncio.sleep(max(0.0, start + n / rate - time.monotonic()))
            wire.sent = time.monotonic()
            await producer.send_and_wait(
                cfg.topic(RAW.name), key=wire.raw.wire_id.encode(), value=wire.raw.to_json()
            )
            sent.append(wire)
        else:
            raise SystemExit("ran out of live wires; lower --live-rate or raise --articles")
    finally:
        await producer.stop()
    return sent


async def preload(cfg: Settings, wires: list[Wire]) -> tuple[datetime, datetime]:
    producer = AIOKafkaProducer(
        bootstrap_servers=cfg.kafka_bootstrap, acks="all", linger_ms=5, **client_kwargs(cfg)
    )
    await producer.start()
    start = datetime.now(UTC) - timedelta(seconds=1)
    try:
        pending = [
            await producer.send(
                cfg.topic(RAW.name), key=w.raw.wire_id.encode(), value=w.raw.to_json()
            )
            for w in wires
        ]
        await asyncio.gather(*pending)
    finally:
        await producer.stop()
    return start, datetime.now(UTC) + timedelta(seconds=1)


async def wait_for(
    arrivals: dict[str, float],
    stories: set[str],
    *,
    timeout: float,
    what: str,
    worker: subprocess.Popen[bytes],
) -> None:
    deadline = time.monotonic() + timeout
    while not stories <= arrivals.keys():
        if worker.poll() is not None:
            raise SystemExit(f"{what}: the worker exited ({worker.returncode}); see its log")
        if time.monotonic() > deadline:
            missing = len(stories - arrivals.keys())
            raise SystemExit(f"{what}: {missing} of {len(stories)} never arrived in {timeout:g}s")
        await asyncio.sleep(0.5)


def steady_rate(arrived: list[float]) -> float:
    """Articles a second from the first arrival to the last, not counting the first batch.

    Both the worker and a replay publish in batches; the records that arrive
    with the first one were processed before the clock started.
    """
    first, last = min(arrived), max(arrived)
    return sum(1 for t in arrived if t > first) / (last - first)


def quantiles(values: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49], cuts[98]


def latencies(wires: list[Wire], arrivals: Arrivals) -> list[float]:
    return [arrivals.live[w.story_id] - w.sent for w in wires if w.story_id in arrivals.live]


def env_for(cfg: Settings) -> dict[str, str]:
    return {
        **os.environ,
        "WIRESTREAM_KAFKA_BOOTSTRAP": cfg.kafka_bootstrap,
        "WIRESTREAM_TOPIC_PREFIX": cfg.topic_prefix,
        "WIRESTREAM_APP_ID": cfg.app_id,
        "WIRESTREAM_DATA_DIR": str(cfg.data_dir),
        "WIRESTREAM_PARTITIONS": str(cfg.partitions),
        # Faust's web server binds its port even when unused; other workers may hold 6066.
        "WIRESTREAM_WEB_PORT": str(free_port()),
    }


def raw_disk_bytes(broker: LocalBroker, topic: str) -> int:
    return sum(
        f.stat().st_size
        for d in broker.data_dir.glob(f"{topic}-*")
        for f in d.glob("*.log")
        if d.name.rsplit("-", 1)[0] == topic
    )


async def run(args: argparse.Namespace, cfg: Settings, broker: LocalBroker, work: Path) -> None:
    contents = load_wires(args.huffpost, args.articles + args.live_pool)
    history = to_wires(contents[: args.articles])
    live = to_wires(contents[args.articles :])
    await ensure_topics(cfg)
    window_from, window_to = await preload(cfg, history)
    value_bytes = sum(len(w.raw.to_json()) + len(w.raw.wire_id) for w in history)
    await asyncio.sleep(2)
    on_disk = raw_disk_bytes(broker, cfg.topic(RAW.name))
    say(
        f"wires.raw: {len(history):,} wires, {value_bytes / len(history):,.0f} bytes of key and "
        f"value each, {on_disk / len(history):,.0f} bytes each on disk "
        f"(x{on_disk / value_bytes:.2f}; uncompressed)"
    )

    arrivals = Arrivals()
    stop_tracking = asyncio.Event()
    tracker = asyncio.create_task(track(cfg, arrivals, stop_tracking))
    worker_log = (work / "worker.log").open("ab")
    worker = subprocess.Popen(
        [sys.executable, "-m", "streams.cli.main", "worker", "--loglevel", "warn"],
        env=env_for(cfg),
        stdout=worker_log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        stories = {w.story_id for w in history}
        await wait_for(
            arrivals.live, stories, timeout=args.timeout, what="full throughput", worker=worker
        )
        full = steady_rate([arrivals.live[s] for s in stories])
        say(f"full throughput: {full:.1f} articles/s (worker, {len(stories):,} articles)")

        stop = asyncio.Event()
        sender = asyncio.create_task(send_live(cfg, live, args.live_rate, stop))
        await asyncio.sleep(args.idle)
        stop.set()
        idle_sent = await sender
        await wait_for(
            arrivals.live,
            {w.story_id for w in idle_sent},
            timeout=120,
            what="idle live wires",
            worker=worker,
        )

        max_rate = args.max_rate or max(0.5, args.max_rate_fraction * full)
        stop = asyncio.Event()
        rest = live[len(idle_sent) :]
        sender = asyncio.create_task(send_live(cfg, rest, args.live_rate, stop))
        await asyncio.sleep(2)  # live traffic first, as in production
        started = time.monotonic()
        replay_log = (work / "replay.log").open("ab")
        replay = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "streams.cli.main",
            "replay",
            "--from",
            window_from.isoformat(),
            "--to",
            window_to.isoformat(),
            "--max-rate",
            f"{max_rate:.2f}",
            env=env_for(cfg),
            stdout=replay_log,
            stderr=subprocess.STDOUT,
        )
        code = await replay.wait()
        ended = time.monotonic()
        stop.set()
        busy_sent = await sender
        if code != 0:
            raise SystemExit(f"replay failed ({code}); see {work / 'replay.log'}")
        during = [w for w in busy_sent if started <= w.sent <= ended]
        await wait_for(
            arrivals.live,
            {w.story_id for w in busy_sent},
            timeout=120,
            what="busy live wires",
            worker=worker,
        )
        replayed = list(arrivals.replayed.values())
        backfill = steady_rate(replayed)
    finally:
        stop_tracking.set()
        await tracker
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(60)

    idle_p50, idle_p99 = quantiles(latencies(idle_sent, arrivals))
    busy_p50, busy_p99 = quantiles(latencies(during, arrivals))
    say(
        f"backfill: {len(replayed):,} articles replayed in {ended - started:.1f} s "
        "(the replay command from start to exit, model loading included)"
    )
    say(
        f"live latency idle:            p50 {idle_p50:.2f} s  p99 {idle_p99:.2f} s "
        f"({len(idle_sent)} wires at {args.live_rate:g}/s)"
    )
    say(
        f"live latency during backfill: p50 {busy_p50:.2f} s  p99 {busy_p99:.2f} s "
        f"({len(during)} wires)"
    )
    verdict = "met" if busy_p99 <= 2 * idle_p99 else "NOT met"
    say(f"p99 during / idle: {busy_p99 / idle_p99:.2f} (target <= 2: {verdict})")
    say(
        f"backfill throughput: {backfill:.1f} articles/s at --max-rate {max_rate:.1f} = "
        f"{backfill / full:.2f} of the full throughput ({full:.1f}/s)"
    )


def say(text: str) -> None:
    print(text, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--articles", type=int, default=2000, help="articles to backfill")
    parser.add_argument("--live-rate", type=float, default=2.0, help="live wires a second")
    parser.add_argument("--idle", type=float, default=60.0, help="seconds of idle measurement")
    parser.add_argument("--live-pool", type=int, default=2000, help="live wires available")
    parser.add_argument(
        "--max-rate-fraction",
        type=float,
        default=0.3,
        help="backfill --max-rate as a fraction of the measured full throughput",
    )
    parser.add_argument("--max-rate", type=float, default=None, help="absolute --max-rate")
    parser.add_argument("--huffpost", type=Path, default=HUFFPOST, help="HuffPost JSON lines")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per phase at most")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="wirestream-backfill-") as tmp:
        work = Path(tmp)
        run_id = uuid.uuid4().hex[:6]
        cfg = Settings(
            _env_file=None,  # type: ignore[call-arg]
            kafka_bootstrap=f"127.0.0.1:{(port := free_port())}",
            broker_port=port,
            controller_port=free_port(),
            broker_dir=work / "kafka",
            topic_prefix=f"bench-{run_id}.",
            app_id=f"bench-backfill-{run_id}",
            data_dir=work / "worker",
        )
        broker = LocalBroker(cfg)
        broker.start(timeout=120)
        try:
            say(f"broker: Apache Kafka {broker.status().kafka_version} at {cfg.kafka_bootstrap}")
            asyncio.run(run(args, cfg, broker, work))
        except SystemExit:
            for log in ("worker.log", "replay.log"):
                if (work / log).exists():
                    tail = (work / log).read_text(errors="replace").splitlines()[-15:]
                    say(f"--- last lines of {log}:\n" + "\n".join(tail))
            raise
        finally:
            broker.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
