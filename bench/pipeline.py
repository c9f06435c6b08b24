"""The whole pipeline through a real broker, against the limit of its NLP, in one run.

    .venv/bin/python bench/pipeline.py [--articles 1000] [--processes 1 2] [--latency-seconds 60]

Articles: the first ``--articles`` documents of CoNLL-2003 ``eng.train`` then ``eng.testa``
(Reuters newswire of 1996-97, 946 + 216 documents) in ``../shared/data/conll2003``, read in
place and never copied (research terms: never redistributed). Each document becomes a
plain-text wire: its first sentence is the headline, every further sentence a paragraph. The
text is CoNLL's tokenised form (``Germany 's``), which the models read as it is.

What is printed, each figure from this run:

1. **Efficiency**: enriched articles per second end to end (every wire ingested at once into
   ``wires.raw`` of a broker started for the run, a real ``wirestream worker`` with every
   stage, until the last article is on ``wires.enriched``), divided by bare spaCy
   ``nlp.pipe`` articles per second with the same spaCy model as the worker loads it (its NER
   components, without Wirestream's CoNLL NER, merge, topics or clusters) on the same
   articles' headline and body, with the same number of processes (``n_process``).
   Per stage: articles per second of each stage's own function (the code the worker's pool
   runs), one process, timed in this process on the same articles: that names the
   bottleneck. (The worker's ``wirestream_stage_batch_seconds`` include waiting behind the
   other stages in the shared pool, so they cannot.)
2. **Latency**: ``enriched_at - received_at`` p50/p99 of wires sent at half the throughput
   measured in 1 for ``--latency-seconds``, beside the bare model's time for one article alone.
3. **Ingest**: wires per second ``wirestream ingest`` puts on ``wires.raw`` (each acknowledged).
4. **Memory and scaling**: the worker's peak RSS (the worker and its pool processes summed,
   sampled every 0.2 s) and throughput with 1 and 2 NLP processes.

The machine is shared: other people's processes take CPU at the same time, so figures move
between runs. Ratios are measured side by side in one run to lessen that, not remove it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from corpus import timed

from schemas import EnrichedArticle, RawWire
from streams.cli.ingest import run_ingest
from streams.errors import WirestreamError
from streams.eval.ner import read_conll
from streams.ingest import wire_id
from streams.ingest.producer import raw_producer
from streams.kafka import LocalBroker, ensure_topics, free_port
from streams.nlp.model import BARE, load_model, model_tag
from streams.pipeline import entities_input, parse
from streams.reader import end_offsets, read_topic
from streams.settings import Settings, get_settings
from streams.topology import DLQ, ENRICHED, RAW

ROOT = Path(__file__).resolve().parents[1]
CONLL = ROOT.parent / "shared" / "data" / "conll2003"


def conll_wires(folder: Path, limit: int) -> list[bytes]:
    """Plain-text wires of the first ``limit`` CoNLL documents (train, then testa)."""
    wires: list[bytes] = []
    for name in ("eng.train", "eng.testa"):
        for document in read_conll(folder / name):
            lines = [sentence.text for sentence in document.sentences]
            if len(lines) < 2:
                continue  # a headline alone is no article
            wires.append(("\n\n".join(lines) + "\n").encode())
            if len(wires) == limit:
                return wires
    return wires


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


# --- the bare model -----------------------------------------------------------


@dataclass
class Bare:
    tag: str
    pipes: list[str]
    rate: dict[int, float]
    """Articles per second by n_process."""
    one_article_ms: list[float]


def bare_model(texts: list[tuple[str, str]], processes: Sequence[int], batch: int) -> Bare:
    nlp = load_model(get_settings().nlp_models, ner=BARE)
    flat = [t for pair in texts for t in pair]
    for _ in nlp.pipe(flat[:40], batch_size=batch):  # warm-up: first calls allocate
        pass
    rate: dict[int, float] = {}
    for n in processes:

        def run(n: int = n) -> None:
            for _ in nlp.pipe(flat, batch_size=batch, n_process=n):
                pass

        rate[n] = len(texts) / timed(run)
    one: list[float] = []
    for headline, body in texts[:200]:
        start = time.perf_counter()
        for _ in nlp.pipe([headline, body]):
            pass
        one.append((time.perf_counter() - start) * 1000)
    return Bare(model_tag(nlp), list(nlp.pipe_names), rate, one)


# --- each stage alone ------------------------------------------------------------


def stage_rates(raws: list[RawWire], batch: int) -> dict[str, float]:
    """Articles per second of each stage's function, one process, batches as the worker's."""
    from streams import pipeline
    from streams.cluster.minhash import fingerprint
    from streams.nlp.entities import extract_entities

    cfg = get_settings()
    nlp = load_model(cfg.nlp_models, ner=cfg.nlp_ner)
    articles: list[Any] = []
    start = time.perf_counter()
    for raw in raws:
        articles.extend(pipeline.parse(raw))
    parse_s = time.perf_counter() - start
    inputs = [pipeline.entities_input(a) for a in articles]
    extract_entities(nlp, inputs[:batch])  # warm-up
    start = time.perf_counter()
    found: list[Any] = []
    for i in range(0, len(inputs), batch):
        found.extend(extract_entities(nlp, inputs[i : i + batch]))
    entities_s = time.perf_counter() - start
    now = datetime.now(UTC)
    enriched = [
        pipeline.with_entities(a, e, pipeline_version="bench", now=now)
        for a, e in zip(articles, found, strict=True)
    ]
    start = time.perf_counter()
    for e in enriched:
        pipeline.tag(pipeline.topics_stage_input(e))
    topics_s = time.perf_counter() - start
    start = time.perf_counter()
    for e in enriched:
        headline, body = pipeline.cluster_input(e)
        fingerprint(headline=headline, body=body)
    clusters_s = time.perf_counter() - start
    n = len(articles)
    return {
        "parse": n / parse_s,
        "entities": n / entities_s,
        "topics": n / topics_s,
        "clusters": n / clusters_s,
    }


# --- the worker -----------------------------------------------------------------


def _tree(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


@dataclass
class RssWatch:
    pid: int
    peak: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        while not self._stop.wait(0.2):
            self.peak = max(self.peak, sum(_rss_bytes(p) for p in _tree(self.pid)))

    def __enter__(self) -> RssWatch:
        self._thread = threading.Thread(target=self.run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def wait_ready(base: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the worker exited:\n{log.read_text()[-3000:]}")
        try:
            if _get(f"{base}/readyz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"the worker was not ready in {timeout:g} s; log {log}")


def _count(cfg: Settings, topic: str) -> int:
    return sum(asyncio.run(end_offsets(cfg, cfg.topic(topic))).values())


@dataclass
class Run:
    processes: int
    articles: int
    seconds: float
    dead_letters: int
    peak_rss: int
    ingest_rate: float
    latency_ms: list[float] = field(default_factory=list)
    latency_rate: float = 0.0

    @property
    def rate(self) -> float:
        return self.articles / self.seconds


async def _paced(cfg: Settings, wires: list[bytes], rate: float, seconds: float) -> int:
    """Send wires at ``rate`` per second for ``seconds``; returns how many were sent."""
    count = min(len(wires), max(1, round(rate * seconds)))
    async with raw_producer(cfg) as producer:
        start = time.monotonic()
        for i, body in enumerate(wires[:count]):
            delay = start + i / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            raw = RawWire(
                wire_id=wire_id(body),
                content=body,
                source="bench",
                format_hint="text",
                received_at=datetime.now(UTC),
            )
            await producer.send(cfg.topic(RAW.name), key=raw.wire_id.encode(), value=raw.to_json())
        await producer.flush()
    return count


async def _latencies(
    cfg: Settings, start: dict[int, int], count: int, timeout: float
) -> list[float]:
    found: list[float] = []

    async def read() -> None:
        async for record in read_topic(cfg, cfg.topic(ENRICHED.name), start_offsets=start):
            enriched = EnrichedArticle.model_validate_json(record.value)
            delta = enriched.enriched_at - enriched.article.received_at
            found.append(delta.total_seconds() * 1000)
            if len(found) >= count:
                return

    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(read(), timeout)
    return found


def _bulk(
    cfg: Settings, folder: Path, proc: subprocess.Popen[bytes], log: Path, processes: int
) -> Run:
    """Ingest every wire at once; time until the last is enriched (or dead-lettered)."""
    start = time.perf_counter()
    sent, failed = asyncio.run(run_ingest(cfg, [str(folder)], format_hint="text", progress=False))
    ingest_seconds = time.perf_counter() - start
    if failed:
        print(f"  {len(failed)} wires not sent, e.g. {failed[0][1]}", file=sys.stderr)
    while True:
        done, dead = _count(cfg, ENRICHED.name), _count(cfg, DLQ.name)
        if done + dead >= sent:
            break
        if proc.poll() is not None:
            raise SystemExit(f"the worker exited:\n{log.read_text()[-3000:]}")
        time.sleep(0.1)
    seconds = time.perf_counter() - start
    return Run(processes, done, seconds, dead, 0, sent / ingest_seconds)


def run_pipeline(
    base_cfg: Settings,
    wires: list[bytes],
    processes: int,
    work: Path,
    *,
    latency_rate: float | None,
    latency_seconds: float,
) -> Run:
    run_id = uuid.uuid4().hex[:8]
    port = free_port()
    cfg = base_cfg.model_copy(
        update={
            "topic_prefix": f"bench-{run_id}.",
            "app_id": f"wirestream-bench-{run_id}",
            "data_dir": work / f"worker-{run_id}",
            "nlp_processes": processes,
        }
    )
    asyncio.run(ensure_topics(cfg))
    folder = work / f"wires-{run_id}"
    folder.mkdir()
    for i, body in enumerate(wires):
        (folder / f"{i:05d}.txt").write_bytes(body)
    log = work / f"worker-{run_id}.log"
    env = {
        **os.environ,
        "WIRESTREAM_KAFKA_BOOTSTRAP": cfg.kafka_bootstrap,
        "WIRESTREAM_TOPIC_PREFIX": cfg.topic_prefix,
        "WIRESTREAM_APP_ID": cfg.app_id,
        "WIRESTREAM_DATA_DIR": str(cfg.data_dir),
        "WIRESTREAM_NLP_PROCESSES": str(processes),
        "WIRESTREAM_WEB_ENABLED": "true",
        "WIRESTREAM_WEB_PORT": str(port),
    }
    base = f"http://127.0.0.1:{port}"
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streams.cli.main", "worker", "--loglevel", "warn"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        with RssWatch(proc.pid) as rss:
            wait_ready(base, proc, log)
            if latency_rate:
                # Only the paced wires: the worker starts idle, as at half load it would be.
                result = Run(processes, 0, 1.0, 0, 0, 0.0)
                marker = [b.replace(b"\n\n", b" (latency run)\n\n", 1) for b in wires]
                ends = asyncio.run(end_offsets(cfg, cfg.topic(ENRICHED.name)))
                count = asyncio.run(_paced(cfg, marker, latency_rate, latency_seconds))
                result.latency_ms = asyncio.run(_latencies(cfg, ends, count, timeout=300))
                result.latency_rate = latency_rate
            else:
                result = _bulk(cfg, folder, proc, log, processes)
        result.peak_rss = rss.peak
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(folder, ignore_errors=True)
    return result


def start_broker(work: Path) -> tuple[Settings, LocalBroker | None]:
    cfg = Settings()
    if os.environ.get("WIRESTREAM_KAFKA_BOOTSTRAP") or os.environ.get("KAFKA_BOOTSTRAP"):
        return cfg, None  # the configured cluster
    cfg = cfg.model_copy(
        update={
            "broker_port": (port := free_port()),
            "controller_port": free_port(),
            "kafka_bootstrap": f"127.0.0.1:{port}",
            "broker_dir": work / "kafka",
        }
    )
    broker = LocalBroker(cfg)
    broker.start(timeout=180)
    return cfg, broker


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=CONLL, help="folder with eng.train, eng.testa")
    parser.add_argument("--articles", type=int, default=1000, help="documents to use")
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2], help="NLP processes")
    parser.add_argument("--batch-size", type=int, default=16, help="bare nlp.pipe batch size")
    parser.add_argument("--latency-seconds", type=float, default=60, help="half-load run length")
    args = parser.parse_args(argv)

    wires = conll_wires(args.data, args.articles)
    if len(wires) < args.articles:
        print(f"only {len(wires)} documents in {args.data}", file=sys.stderr)
    now = datetime.now(UTC)
    texts: list[tuple[str, str]] = []
    raws = [
        RawWire(
            wire_id=wire_id(body), content=body, source="bench", format_hint="text", received_at=now
        )
        for body in wires
    ]
    for raw in raws:
        for article in parse(raw):
            item = entities_input(article)
            texts.append((item.headline, item.body))
    words = sum(len(h.split()) + len(b.split()) for h, b in texts)
    print(f"corpus: {len(wires)} CoNLL-2003 documents (eng.train, then eng.testa) from {args.data}")
    print(f"        {len(texts)} articles, {words:,} words, {words / len(texts):.0f} per article")
    print(f"machine: {os.cpu_count()} cores, shared with other users' jobs: figures are noisy")

    print("\nbare spaCy nlp.pipe ...", flush=True)
    bare = bare_model(texts, args.processes, args.batch_size)
    print(f"  model {bare.tag}, pipes {bare.pipes}")
    print("  " + ", ".join(f"{n} process(es) {r:.1f} articles/s" for n, r in bare.rate.items()))
    print("each stage alone ...", flush=True)
    stage_alone = stage_rates(raws, get_settings().batch_size)
    print("  " + ", ".join(f"{s} {r:.1f}/s" for s, r in stage_alone.items()), flush=True)

    with tempfile.TemporaryDirectory(prefix="wirestream-bench-") as tmp:
        work = Path(tmp)
        try:
            cfg, broker = start_broker(work)
        except WirestreamError as exc:
            print(f"error: no broker: {exc}", file=sys.stderr)
            return 2
        runs: dict[int, Run] = {}
        try:
            for n in args.processes:
                print(f"pipeline, {n} NLP process(es) ...", flush=True)
                runs[n] = run_pipeline(cfg, wires, n, work, latency_rate=None, latency_seconds=0)
                print(f"  {runs[n].rate:.1f} articles/s", flush=True)
            first = args.processes[0]
            half = runs[first].rate / 2
            print(f"latency at half load ({half:.1f} wires/s, {first} process) ...", flush=True)
            latency = run_pipeline(
                cfg, wires, first, work, latency_rate=half, latency_seconds=args.latency_seconds
            )
        finally:
            if broker is not None:
                broker.stop()

    print("\n1. throughput (articles/s) and efficiency")
    print(f"   {'processes':>9} {'pipeline':>9} {'bare pipe':>9} {'efficiency':>10} {'dlq':>4}")
    for n, run in runs.items():
        print(
            f"   {n:>9} {run.rate:>9.1f} {bare.rate[n]:>9.1f} {run.rate / bare.rate[n]:>10.2f}"
            f" {run.dead_letters:>4}"
        )
    print("   per stage alone, one process (articles/s; all four share the pool's processes):")
    for stage, rate in stage_alone.items():
        print(f"   {stage:>9} {rate:>9.1f}/s  {1000 / rate:7.1f} ms/article")
    serial = 1 / sum(1 / r for r in stage_alone.values())
    print(f"   all four in series: {serial:.1f}/s; bare model {bare.rate[first]:.1f}/s")
    print(f"   bottleneck: {min(stage_alone, key=lambda s: stage_alone[s])}")

    one = bare.one_article_ms
    lat = latency.latency_ms
    print("\n2. latency, enriched_at - received_at, at half load")
    if lat:
        print(
            f"   {len(lat)} wires at {latency.latency_rate:.1f}/s:"
            f" p50 {percentile(lat, 0.5):.0f} ms, p99 {percentile(lat, 0.99):.0f} ms"
        )
    else:
        print("   no enriched records came back")
    print(
        f"   bare model, one article alone: median {statistics.median(one):.1f} ms,"
        f" p99 {percentile(one, 0.99):.1f} ms"
    )
    if lat:
        print(f"   p99 / bare median = {percentile(lat, 0.99) / statistics.median(one):.1f}x")
    print(
        "   note: stages batch adaptively (no wait for a batch to fill); each hop adds a"
        " transaction commit and a fetch; bench/latency.py breaks the time down by hop"
    )

    print("\n3. ingest (`wirestream ingest`, each wire acknowledged)")
    for n, run in runs.items():
        print(f"   run with {n} process(es): {run.ingest_rate:.0f} wires/s")

    print("\n4. worker peak RSS (worker + pool processes) and scaling")
    for n, run in runs.items():
        print(f"   {n} process(es): {run.peak_rss / 2**20:.0f} MiB, {run.rate:.1f} articles/s")
    if len(runs) > 1:
        a, b = args.processes[0], args.processes[1]
        print(f"   {b} vs {a} processes: {runs[b].rate / runs[a].rate:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
