"""Latency: how long a wire takes from ``received_at`` to wires.released and to its alert.

    PYTHONPATH=. .venv/bin/python bench/latency.py [--lone 15] [--load 200] [--steady 60]
                                                   [--backlog 500] [--data PATH]

Everything runs on this machine, in one run: an embedded Kafka broker of its
own (free ports, a temporary directory) and one ``wirestream worker``
subprocess with the default settings (exactly once, read committed). The
articles are CoNLL-2003 English documents (Reuters newswire of 1996-97, the
files ``eng.train`` then ``eng.testa`` in ``../shared/data/conll2003``, read
in place, never copied), each sent as a ninjs wire (first sentence as the
headline, the rest as the body) with urgency 5, or 1 for the flash.

Measured, in this order:

1. **Bare NER**: the spaCy model alone (no shipped NER, as ``bench/pipeline.py``
   calls it bare), one article at a time (headline and body), on the lone-wire
   and steady articles; and the worker's own entity stage (spaCy + the shipped
   CoNLL NER) on the same articles, for comparison.
2. **Lone wire, idle worker**: ``--lone`` wires, each sent only once the one
   before is on wires.released and the worker has been idle a moment.
3. **Full-load throughput**: ``--load`` wires put on wires.raw at once; articles
   a second released, from the first release to the last (the first output
   batch not counted).
4. **Half load**: ``--steady`` wires at half the rate measured in 3.
5. **Flash in a backlog**: ``--backlog`` routine wires at once, then one flash
   (urgency 1); the flash's latency.

Latency is from the wire's ``received_at`` (set when it is sent to wires.raw)
to the moment this script's read-committed consumer sees its record on
wires.released, and, for the lone wires, the half load and the flash, to the
moment it sees the wire's alert on alerts.matches: one subscription
(``urgency<=9``, matching every wire) is registered before the worker starts,
so the matcher runs under the full load too. Prints each figure and its ratio
to the bare per-article NER time. A benchmark: it prints, it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.structs import TopicPartition
from tqdm import tqdm

from schemas import RawWire, Subscription
from streams import pipeline
from streams.eval.ner import read_conll
from streams.ingest import wire_id
from streams.kafka import LocalBroker, client_kwargs, ensure_topics, free_port
from streams.nlp import extract_entities
from streams.nlp.model import BARE, load_model, model_tag
from streams.settings import Settings, get_settings
from streams.topology import (
    CLUSTERING,
    ENRICHED,
    ENTITIES,
    MATCHES,
    PARSED,
    PARSED_URGENT,
    RAW,
    RELEASED,
    SUBSCRIPTIONS,
)

ROOT = Path(__file__).resolve().parents[1]
CONLL = ROOT.parent / "shared" / "data" / "conll2003"


def say(text: str) -> None:
    tqdm.write(text)
    sys.stdout.flush()


# --- articles ----------------------------------------------------------------


def conll_texts(folder: Path, limit: int) -> list[tuple[str, str]]:
    """(headline, body) of the first ``limit`` CoNLL documents with a body (train, then testa)."""
    out: list[tuple[str, str]] = []
    for name in ("eng.train", "eng.testa"):
        for document in read_conll(folder / name):
            lines = [s.text for s in document.sentences]
            if len(lines) < 3:
                continue
            out.append((lines[0], "\n\n".join(lines[1:])))
            if len(out) == limit:
                return out
    raise SystemExit(f"{folder} has only {len(out)} usable documents, {limit} asked for")


@dataclass
class Wire:
    headline: str
    body: str
    urgency: int
    uri: str
    story_id: str = ""
    received: float = 0.0

    def raw(self) -> RawWire:
        content = orjson.dumps(
            {
                "uri": self.uri,
                "type": "text",
                "version": "1",
                "headline": self.headline,
                "body_text": self.body,
                "urgency": self.urgency,
            }
        )
        now = datetime.now(UTC)
        self.received = now.timestamp()
        return RawWire(wire_id=wire_id(content), content=content, source="bench", received_at=now)


def make_wires(
    texts: Sequence[tuple[str, str]], run_id: str, tag: str, urgency: int = 5
) -> list[Wire]:
    wires = [Wire(h, b, urgency, f"urn:bench:{run_id}:{tag}:{n}") for n, (h, b) in enumerate(texts)]
    for wire in wires:
        wire.story_id = pipeline.parse(wire.raw())[0].story_id
    return wires


# --- bare NER ------------------------------------------------------------------


@dataclass
class Ner:
    tag: str
    bare_ms: list[float]
    stage_ms: list[float]


def measure_ner(texts: Sequence[tuple[str, str]], run_id: str) -> Ner:
    cfg = get_settings()
    bare = load_model(cfg.nlp_models, ner=BARE)
    full = load_model(cfg.nlp_models, ner=cfg.nlp_ner)
    articles = [pipeline.parse(w.raw())[0] for w in make_wires(texts, run_id, "ner")]
    for headline, body in texts[:10]:  # warm-up: first calls allocate
        list(bare.pipe([headline, body]))
    extract_entities(full, [pipeline.entities_input(a) for a in articles[:10]])
    bare_ms: list[float] = []
    stage_ms: list[float] = []
    for (headline, body), article in tqdm(
        list(zip(texts, articles, strict=True)), desc="bare NER", unit="article", leave=False
    ):
        start = time.perf_counter()
        list(bare.pipe([headline, body]))
        bare_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        extract_entities(full, [pipeline.entities_input(article)])
        stage_ms.append((time.perf_counter() - start) * 1000)
    return Ner(model_tag(bare), bare_ms, stage_ms)


# --- the pipeline ------------------------------------------------------------------


#: The topics a wire passes through (the breakdown's columns); a flash is
#: parsed onto the urgent lane.
HOPS = (
    ("parsed", PARSED),
    ("parsed", PARSED_URGENT),
    ("entities", ENTITIES),
    ("clustering", CLUSTERING),
    ("enriched", ENRICHED),
    ("released", RELEASED),
)


@dataclass
class Released:
    """Wall-clock time each story was first seen on wires.released (read committed),
    and in ``alerted`` on alerts.matches.

    ``written`` has, by stage, the time each stage's producer stamped the
    story's record (Kafka's CreateTime, before the transaction commits).
    """

    at: dict[str, float] = field(default_factory=dict)
    alerted: dict[str, float] = field(default_factory=dict)
    written: dict[str, dict[str, float]] = field(default_factory=dict)
    changed: asyncio.Event = field(default_factory=asyncio.Event)


def _story(topic: str, value: bytes) -> str:
    data = orjson.loads(value)
    return str(data["story_id"] if "story_id" in data else data["article"]["story_id"])


async def watch(cfg: Settings, released: Released, stop: asyncio.Event) -> None:
    reader = AIOKafkaConsumer(
        bootstrap_servers=cfg.kafka_bootstrap,
        isolation_level="read_committed",
        enable_auto_commit=False,
        fetch_max_wait_ms=20,  # the reader must not add its own wait to what it measures
        **client_kwargs(cfg),
    )
    await reader.start()
    try:
        existing = await reader.topics()  # the code measured may not have every topic
        stage_of = {
            cfg.topic(spec.name): stage for stage, spec in HOPS if cfg.topic(spec.name) in existing
        }
        matches = cfg.topic(MATCHES.name)
        watched = [*stage_of, matches]
        tps = [TopicPartition(t, p) for t in watched for p in range(cfg.partitions)]
        reader.assign(tps)
        await reader.seek_to_beginning(*tps)
        done = cfg.topic(RELEASED.name)
        while not stop.is_set():
            batch = await reader.getmany(*tps, timeout_ms=100)
            now = time.time()
            for tp, records in batch.items():
                if tp.topic == matches:
                    for record in records:
                        released.alerted.setdefault(_story(tp.topic, record.value or b"{}"), now)
                    continue
                stamps = released.written.setdefault(stage_of[tp.topic], {})
                for record in records:
                    story = _story(tp.topic, record.value or b"{}")
                    stamps.setdefault(story, record.timestamp / 1000)
                    if tp.topic == done:
                        released.at.setdefault(story, now)
            if batch:
                released.changed.set()
    finally:
        await reader.stop()


def breakdown(released: Released, wires: Sequence[Wire]) -> str:
    """Median ms from one hop's record to the next (Kafka timestamps), by the topic written.

    A record's timestamp is taken when its stage sends it, before its
    transaction commits, so each figure holds the previous stage's commit,
    the fetch, and this stage's own work.
    """
    parts = []
    previous = {w.story_id: w.received for w in wires}
    for topic in dict.fromkeys(stage for stage, _ in HOPS):
        stamps = released.written.get(topic, {})
        gaps = [stamps[w.story_id] - previous[w.story_id] for w in wires if w.story_id in stamps]
        if not gaps:
            continue  # a topic the code measured does not write
        parts.append(f"{topic} +{statistics.median(gaps) * 1000:.0f}")
        previous = dict(stamps)
    gaps = [released.at[w.story_id] - previous[w.story_id] for w in wires if w.story_id in previous]
    if gaps:
        parts.append(f"read committed +{statistics.median(gaps) * 1000:.0f}")
    gaps = [
        released.alerted[w.story_id] - released.at[w.story_id]
        for w in wires
        if w.story_id in released.alerted and w.story_id in released.at
    ]
    if gaps:
        parts.append(f"alert read committed +{statistics.median(gaps) * 1000:.0f}")
    return ", ".join(parts)


class Sender:
    def __init__(self, cfg: Settings) -> None:
        self.cfg = cfg
        self.producer = AIOKafkaProducer(
            bootstrap_servers=cfg.kafka_bootstrap, acks="all", linger_ms=0, **client_kwargs(cfg)
        )

    async def one(self, wire: Wire) -> None:
        raw = wire.raw()
        await self.producer.send_and_wait(
            self.cfg.topic(RAW.name), key=raw.wire_id.encode(), value=raw.to_json()
        )

    async def many(self, wires: Sequence[Wire]) -> None:
        pending = []
        for wire in wires:
            raw = wire.raw()
            pending.append(
                await self.producer.send(
                    self.cfg.topic(RAW.name), key=raw.wire_id.encode(), value=raw.to_json()
                )
            )
        await asyncio.gather(*pending)

    async def subscribe(self, query: str) -> None:
        """Register a subscription straight on its compacted topic, as the API would."""
        record = Subscription(
            id=f"sub_{uuid.uuid4().hex[:24]}",
            subscriber="bench",
            query=query,
            created_at=datetime.now(UTC),
        )
        await self.producer.send_and_wait(
            self.cfg.topic(SUBSCRIPTIONS.name), key=record.id.encode(), value=record.to_json()
        )


async def wait_for(
    released: Released,
    wires: Sequence[Wire],
    *,
    worker: subprocess.Popen[bytes],
    timeout: float,
    what: str,
    alerts: bool = False,
) -> None:
    """Until every wire is on wires.released (with ``alerts``, also alerted)."""
    seen = released.alerted if alerts else released.at
    wanted = {w.story_id for w in wires}
    deadline = time.monotonic() + timeout
    with tqdm(total=len(wanted), desc=what, unit="wire", leave=False) as bar:
        while True:
            done = len(wanted & seen.keys())
            bar.update(done - bar.n)
            if done == len(wanted):
                return
            if worker.poll() is not None:
                raise SystemExit(f"{what}: the worker exited ({worker.returncode}); see its log")
            if time.monotonic() > deadline:
                raise SystemExit(
                    f"{what}: {len(wanted) - done} of {len(wanted)} not "
                    + ("alerted" if alerts else "released")
                )
            released.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(released.changed.wait(), timeout=0.5)


def batch_sizes(port: int) -> dict[str, tuple[float, float]]:
    """(records, batches) each stage has taken so far, from the worker's /metrics."""
    out: dict[str, list[float]] = {}
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as page:
            text = page.read().decode()
    except OSError:
        return {}
    for line in text.splitlines():
        for suffix, index in (("_sum", 0), ("_count", 1)):
            head = f"wirestream_batch_size{suffix}{{"
            if line.startswith(head) and 'stage="' in line:
                labels, _, value = line[len(head) :].partition("} ")
                stage = labels.split('stage="')[1].split('"')[0]
                with contextlib.suppress(ValueError):
                    out.setdefault(stage, [0.0, 0.0])[index] = float(value)
    return {stage: (v[0], v[1]) for stage, v in out.items()}


def latencies_ms(released: Released, wires: Sequence[Wire], *, alerts: bool = False) -> list[float]:
    seen = released.alerted if alerts else released.at
    return [(seen[w.story_id] - w.received) * 1000 for w in wires]


def quantile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


@dataclass
class Figures:
    lone: list[float]
    full_rate: float
    load_batches: str
    steady_rate: float
    steady: list[float]
    flash_ms: float
    flash_behind: int
    hops: dict[str, str] = field(default_factory=dict)
    load_batch: dict[str, float] = field(default_factory=dict)
    #: From received_at to the wire's alert on alerts.matches.
    lone_alert: list[float] = field(default_factory=list)
    steady_alert: list[float] = field(default_factory=list)
    flash_alert_ms: float = 0.0


async def pipeline_figures(
    args: argparse.Namespace, cfg: Settings, work: Path, wires: dict[str, list[Wire]]
) -> Figures:
    await ensure_topics(cfg)
    released = Released()
    stop = asyncio.Event()
    watcher = asyncio.create_task(watch(cfg, released, stop))
    sender = Sender(cfg)
    await sender.producer.start()
    # Before the worker starts: it reads every subscription before it matches anything.
    await sender.subscribe("urgency<=9")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        "WIRESTREAM_KAFKA_BOOTSTRAP": cfg.kafka_bootstrap,
        "WIRESTREAM_TOPIC_PREFIX": cfg.topic_prefix,
        "WIRESTREAM_APP_ID": cfg.app_id,
        "WIRESTREAM_DATA_DIR": str(cfg.data_dir),
        "WIRESTREAM_PARTITIONS": str(cfg.partitions),
        "WIRESTREAM_WEB_ENABLED": "true",  # for /metrics: the batch sizes under load
        "WIRESTREAM_WEB_PORT": str(web_port := free_port()),
    }
    log_path = work / "worker.log"
    worker = subprocess.Popen(
        [sys.executable, "-m", "streams.cli.main", "worker", "--loglevel", "warn"],
        env=env,
        stdout=log_path.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        # Warm-up: model loading, partition assignment, the first transactions.
        await sender.many(wires["warm"])
        await wait_for(released, wires["warm"], worker=worker, timeout=600, what="warm-up")

        lone = [] if args.throughput_only else wires["lone"]
        for wire in tqdm(lone, desc="lone wires", unit="wire", leave=False):
            await asyncio.sleep(args.idle_gap)
            await sender.one(wire)
            await wait_for(released, [wire], worker=worker, timeout=120, what="lone wire")
            await wait_for(
                released, [wire], worker=worker, timeout=120, what="lone alert", alerts=True
            )
        lone_ms = latencies_ms(released, lone)

        load = wires["load"]
        sizes_before = batch_sizes(web_port)
        await sender.many(load)
        await wait_for(released, load, worker=worker, timeout=1800, what="full load")
        sizes = {
            stage: (total - sizes_before.get(stage, (0.0, 0.0))[0])
            / max(1.0, count - sizes_before.get(stage, (0.0, 0.0))[1])
            for stage, (total, count) in batch_sizes(web_port).items()
        }
        times = sorted(released.at[w.story_id] for w in load)
        first = times[0]
        rate = sum(1 for t in times if t > first + 0.001) / (times[-1] - first)
        batches = len({round(t, 2) for t in times})

        if args.throughput_only:
            return Figures([], rate, f"{len(times)} in {batches}", 0.0, [], 0.0, 0, {}, sizes)
        steady = wires["steady"]
        half = rate / 2
        start = time.monotonic()
        for n, wire in enumerate(tqdm(steady, desc=f"half load {half:.1f}/s", leave=False)):
            await asyncio.sleep(max(0.0, start + n / half - time.monotonic()))
            await sender.one(wire)
        await wait_for(released, steady, worker=worker, timeout=600, what="half load")
        await wait_for(
            released, steady, worker=worker, timeout=600, what="half-load alerts", alerts=True
        )
        steady_ms = latencies_ms(released, steady)

        await asyncio.sleep(args.idle_gap)
        backlog, flash = wires["backlog"], wires["flash"][0]
        await sender.many(backlog)
        await sender.one(flash)
        await wait_for(released, [flash], worker=worker, timeout=1800, what="flash")
        await wait_for(
            released, [flash], worker=worker, timeout=600, what="flash alert", alerts=True
        )
        flash_ms = latencies_ms(released, [flash])[0]
        behind = sum(1 for w in backlog if w.story_id in released.at)
        hops = {
            "lone": breakdown(released, lone),
            "half load": breakdown(released, steady),
            "flash": breakdown(released, [flash]),
        }
        return Figures(
            lone_ms,
            rate,
            f"{len(times)} in {batches}",
            half,
            steady_ms,
            flash_ms,
            behind,
            hops,
            sizes,
            lone_alert=latencies_ms(released, lone, alerts=True),
            steady_alert=latencies_ms(released, steady, alerts=True),
            flash_alert_ms=latencies_ms(released, [flash], alerts=True)[0],
        )
    except SystemExit:
        tail = log_path.read_text(errors="replace").splitlines()[-20:]
        say("--- last lines of the worker log:\n" + "\n".join(tail))
        raise
    finally:
        stop.set()
        await watcher
        await sender.producer.stop()
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)


def report(ner: Ner, fig: Figures, args: argparse.Namespace) -> None:
    bare = statistics.median(ner.bare_ms)
    stage = statistics.median(ner.stage_ms)

    def row(what: str, figure: str, note: str = "") -> None:
        say(f"{what:<38} {figure:<32} {note}")

    load = os.getloadavg()
    say("")
    say(
        f"machine: {os.cpu_count()} cores, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} "
        "(shared with other jobs: every figure is noisy)"
    )
    say(f"model: {ner.tag}; articles: CoNLL-2003 eng.train, eng.testa in {args.data}")
    bare_p99 = quantile(ner.bare_ms, 0.99)
    row(
        "bare NER (spaCy alone), one article",
        f"median {bare:.1f} ms, p99 {bare_p99:.1f} ms",
        f"{len(ner.bare_ms)} articles",
    )
    row(
        "entity stage (spaCy + CoNLL NER), one",
        f"median {stage:.1f} ms",
        f"{stage / bare:.1f}x bare",
    )
    if fig.lone:
        lp50, lp99 = quantile(fig.lone, 0.5), quantile(fig.lone, 0.99)
        row(
            "lone wire, idle worker",
            f"p50 {lp50:.0f} ms, p99 {lp99:.0f} ms",
            f"p50 = {lp50 / bare:.1f}x bare (target <= 2x); {len(fig.lone)} wires",
        )

    def to_alerts(values: list[float], ratio_of: float) -> None:
        """The row under a latency row: the same wires to their alerts."""
        if values:
            a50, a99 = quantile(values, 0.5), quantile(values, 0.99)
            ratio = f"p{round(ratio_of * 100)} = {quantile(values, ratio_of) / bare:.1f}x bare"
            row("  the same wires to their alerts", f"p50 {a50:.0f} ms, p99 {a99:.0f} ms", ratio)

    to_alerts(fig.lone_alert, 0.5)
    row(
        "full-load throughput",
        f"{fig.full_rate:.1f} articles/s",
        f"1 article per {1000 / fig.full_rate / bare:.1f} bare-NER times; "
        f"{fig.load_batches} distinct 10 ms release instants",
    )
    if fig.load_batch:
        row(
            "  mean batch under full load",
            ", ".join(f"{stage} {size:.1f}" for stage, size in sorted(fig.load_batch.items())),
            f"(at most {get_settings().batch_size}, parse more)",
        )
    if not fig.steady:
        return
    sp50, sp99 = quantile(fig.steady, 0.5), quantile(fig.steady, 0.99)
    row(
        f"half load ({fig.steady_rate:.1f} wires/s)",
        f"p50 {sp50:.0f} ms, p99 {sp99:.0f} ms",
        f"p99 = {sp99 / bare:.1f}x bare (target <= 3x); {len(fig.steady)} wires",
    )
    to_alerts(fig.steady_alert, 0.99)
    row(
        f"flash behind a backlog of {args.backlog}",
        f"{fig.flash_ms:.0f} ms",
        f"{fig.flash_ms / bare:.1f}x bare (target <= 1000 ms); "
        f"{fig.flash_behind} of the backlog out before it",
    )
    if fig.flash_alert_ms:
        row("  the flash to its alert", f"{fig.flash_alert_ms:.0f} ms", "")
    say("median ms from each record to the next on the wire's way (Kafka timestamps, set at send):")
    for name, hops in fig.hops.items():
        say(f"  {name:<10} {hops}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0] if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n\n".join(__doc__.split("\n\n")[1:]) if __doc__ else None,
    )
    parser.add_argument("--data", type=Path, default=CONLL, help="folder with eng.train, eng.testa")
    parser.add_argument("--lone", type=int, default=15, help="lone wires on an idle worker")
    parser.add_argument(
        "--throughput-only",
        action="store_true",
        help="only bare NER and the full-load rate (to compare two versions run side by side)",
    )
    parser.add_argument(
        "--idle-gap", type=float, default=1.0, help="seconds idle before each lone wire"
    )
    parser.add_argument(
        "--load", type=int, default=200, help="wires at once for the full-load rate"
    )
    parser.add_argument(
        "--steady", type=int, default=60, help="wires sent at half the full-load rate"
    )
    parser.add_argument("--backlog", type=int, default=500, help="routine wires ahead of the flash")
    parser.add_argument("--partitions", type=int, default=None, help="partitions per topic")
    args = parser.parse_args(argv)

    run_id = uuid.uuid4().hex[:6]
    counts = {
        "warm": 3,
        "lone": args.lone,
        "load": args.load,
        "steady": args.steady,
        "backlog": args.backlog,
        "flash": 1,
    }
    texts = conll_texts(args.data, sum(counts.values()))
    wires: dict[str, list[Wire]] = {}
    offset = 0
    for tag, count in counts.items():
        wires[tag] = make_wires(
            texts[offset : offset + count], run_id, tag, 1 if tag == "flash" else 5
        )
        offset += count
    measured = texts[counts["warm"] : counts["warm"] + args.lone + args.steady]
    say(f"bare NER on {len(measured)} articles (the lone and half-load ones)...")
    ner = measure_ner(measured, run_id)

    with tempfile.TemporaryDirectory(prefix="wirestream-latency-") as tmp:
        work = Path(tmp)
        port = free_port()
        extra = {"partitions": args.partitions} if args.partitions else {}
        cfg = Settings(
            _env_file=None,
            kafka_bootstrap=f"127.0.0.1:{port}",
            broker_port=port,
            controller_port=free_port(),
            broker_dir=work / "kafka",
            topic_prefix=f"lat-{run_id}.",
            app_id=f"bench-latency-{run_id}",
            data_dir=work / "worker",
            **extra,
        )
        broker = LocalBroker(cfg)
        broker.start(timeout=120)
        try:
            say(f"broker: Apache Kafka {broker.status().kafka_version} at {cfg.kafka_bootstrap}")
            figures = asyncio.run(pipeline_figures(args, cfg, work, wires))
        finally:
            broker.stop()
    report(ner, figures, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
