"""Broker failover under load: wires flow while the busiest broker of three is SIGKILLed.

    .venv/bin/python bench/failover.py [--wires 1000] [--rate 8] [--kill-after 0.3]
                                       [--outage 30] [--conll ../shared/data/conll2003]

Starts a local three-node KRaft cluster (``LocalCluster``, each JVM 512 MB heap, free ports,
a temporary directory), creates the topics with 3 replicas and ``min.insync.replicas`` 2, and
runs one ``wirestream worker``. Wires are sent at ``--rate`` per second by an idempotent
``acks=all`` producer. Once ``--kill-after`` of them are sent, the broker leading the most
partitions is killed with SIGKILL; ``--outage`` seconds later it is started again. Every input
is then looked for on ``wires.enriched`` (by wire id) and ``wires.dlq`` (dead letters of wires
that do not parse; one input in 50 is random bytes on purpose).

What is printed, each figure from this run:

- **lost**: inputs found on neither topic.
- **duplicated**: output records beyond the first for the same wire, as a read-committed
  consumer sees them on the topics (the pipeline is exactly-once, so the target is 0; the
  figure a consumer de-duplicating by wire id would see is printed too).
- **longest gap in enriched_at**: the longest time between two consecutive enriched records
  (sorted by ``enriched_at``), over the whole run; the outage shows up here.
- the kill and restart times, relative to the first wire sent.

Wires: the CoNLL-2003 Reuters documents in ``--conll`` read in place (as bench/pipeline.py
does), else seeded synthetic wires written by this script. Without ``--seed`` the synthetic
wires are those of seed 18.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from schemas import EnrichedArticle, RawWire  # noqa: E402
from streams.ingest import wire_id  # noqa: E402
from streams.ingest.producer import raw_producer  # noqa: E402
from streams.kafka import LocalCluster, NodePorts, ensure_topics  # noqa: E402
from streams.kafka.admin import admin_client, client_kwargs, pipeline_topics  # noqa: E402
from streams.reader import read_topic  # noqa: E402
from streams.settings import Settings  # noqa: E402
from streams.topology import DLQ, ENRICHED, RAW  # noqa: E402
from tests.faults.harness import WorkerProcess, free_port, wire_of_dead_letter  # noqa: E402

CONLL = ROOT.parent / "shared" / "data" / "conll2003"

_PLACES = ["OSLO", "LAGOS", "LIMA", "HANOI", "PERTH", "QUITO", "RIGA", "TUNIS", "DAKAR", "BERN"]
_SUBJECTS = [
    "Port workers",
    "City council",
    "Rail operator",
    "Grain traders",
    "Nurses' union",
    "Water authority",
    "Airline",
    "Mining company",
    "Fishing fleet",
    "University",
]
_VERBS = ["approves", "rejects", "delays", "announces", "questions", "extends", "cuts", "expands"]
_OBJECTS = [
    "new budget",
    "night shifts",
    "harbour plan",
    "tariff deal",
    "bridge repairs",
    "pension reform",
    "export quota",
    "safety review",
    "wage offer",
    "school timetable",
]


def synthetic_wires(count: int, seed: int, *, junk_every: int = 50) -> list[bytes]:
    """``count`` distinct plain-text wires; every ``junk_every``-th is random bytes instead."""
    rng = random.Random(seed)
    wires: list[bytes] = []
    for i in range(count):
        if junk_every and i % junk_every == junk_every - 1:
            # A NUL byte early makes it binary for certain: a parse dead letter.
            wires.append(b"\x00" + bytes(rng.randrange(256) for _ in range(200)))
            continue
        subject, verb, obj = rng.choice(_SUBJECTS), rng.choice(_VERBS), rng.choice(_OBJECTS)
        place = rng.choice(_PLACES)
        headline = f"{subject} {verb} {obj} after talks, item {i}"
        body = [
            f"{place}, March {1 + i % 28} (Wirestream Test Wire) -- {subject} in {place.title()} "
            f"{verb} the {obj} on {rng.choice(['Monday', 'Tuesday', 'Friday'])}, officials said.",
            f"The decision follows {rng.randrange(2, 9)} weeks of talks. Spokeswoman "
            f"{rng.choice(['Ana', 'Mira', 'Lena'])} {rng.choice(['Okafor', 'Berg', 'Tran'])} "
            f"said figures would follow.",
        ]
        wires.append(("\n\n".join([headline, *body]) + "\n").encode())
    return wires


def conll_wires(folder: Path, limit: int) -> list[bytes]:
    """The first ``limit`` CoNLL documents as plain-text wires (bench/pipeline.py's reading)."""
    from streams.eval.ner import read_conll

    wires: list[bytes] = []
    for name in ("eng.train", "eng.testa"):
        for document in read_conll(folder / name):
            lines = [sentence.text for sentence in document.sentences]
            if len(lines) >= 2:
                wires.append(("\n\n".join(lines) + "\n").encode())
            if len(wires) == limit:
                return wires
    return wires


@dataclass
class Outcome:
    """What went in, what came out, and when the broker was down."""

    sent: list[str]
    enriched: list[tuple[str, datetime]] = field(default_factory=list)
    dead: list[str] = field(default_factory=list)
    send_errors: list[str] = field(default_factory=list)
    killed_node: int = 0
    started_at: float = 0.0
    killed_at: float = 0.0
    restarted_at: float = 0.0
    ready_again_at: float = 0.0

    @property
    def outputs(self) -> Counter[str]:
        return Counter([wid for wid, _ in self.enriched] + self.dead)

    @property
    def lost(self) -> set[str]:
        return set(self.sent) - set(self.outputs)

    @property
    def duplicated(self) -> int:
        """Output records beyond the first per wire, as the topics hold them."""
        return sum(count - 1 for count in self.outputs.values())

    @property
    def both(self) -> set[str]:
        """Wires that came out enriched and as a dead letter."""
        return {wid for wid, _ in self.enriched} & set(self.dead)

    @property
    def longest_gap(self) -> float:
        times = sorted(at for _, at in self.enriched)
        return max(((b - a).total_seconds() for a, b in itertools.pairwise(times)), default=0)

    def enriched_between(self, start: float, end: float) -> int:
        """Enriched records stamped between two ``time.time()`` instants."""
        return sum(1 for _, at in self.enriched if start <= at.timestamp() <= end)


async def leaders_per_node(cfg: Settings) -> Counter[int]:
    """How many partitions of the pipeline topics each broker leads."""
    async with admin_client(cfg.kafka_bootstrap, client_kwargs(cfg)) as admin:
        described = await admin.describe_topics(pipeline_topics(cfg))
    return Counter(
        int(partition["leader"])
        for topic in described
        for partition in topic["partitions"]
        if partition["leader"] >= 0
    )


async def collect(cfg: Settings, outcome: Outcome, *, timeout: float) -> None:
    """Read both output topics whole, again, until every input is there or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while True:
        enriched: list[tuple[str, datetime]] = []
        async for record in read_topic(cfg, cfg.topic(ENRICHED.name), idle_timeout=2):
            article = EnrichedArticle.model_validate_json(record.value)
            enriched.append((article.article.wire_id, article.enriched_at))
        dead = [
            wire_of_dead_letter(record.value, record.key)
            async for record in read_topic(cfg, cfg.topic(DLQ.name), idle_timeout=2)
        ]
        outcome.enriched, outcome.dead = enriched, dead
        if not outcome.lost or time.monotonic() > deadline:
            return
        await asyncio.sleep(2)


async def drive(
    cfg: Settings,
    cluster: LocalCluster,
    wires: list[bytes],
    *,
    rate: float,
    kill_after: float,
    outage: float,
    progress: bool = False,
) -> Outcome:
    """Send ``wires`` at ``rate``/s; kill the busiest broker part-way, restart it ``outage`` later.

    Returns before the outputs are collected (see :func:`collect`).
    """
    outcome = Outcome(sent=[])
    kill_at = max(1, int(len(wires) * kill_after))
    restart: asyncio.Task[None] | None = None

    async def kill_and_restart() -> None:
        leaders = await leaders_per_node(cfg)
        node = max(sorted(leaders), key=lambda n: leaders[n])
        outcome.killed_node = node
        broker = cluster.node(node)
        await asyncio.to_thread(broker.kill)
        outcome.killed_at = time.time()
        if progress:
            print(
                f"  killed node {node} (leads {leaders[node]} of {leaders.total()} partitions)",
                flush=True,
            )
        await asyncio.sleep(outage)
        outcome.restarted_at = time.time()
        await asyncio.to_thread(broker.start, timeout=180)
        outcome.ready_again_at = time.time()
        if progress:
            print(
                f"  node {node} back after {outcome.ready_again_at - outcome.killed_at:.1f} s",
                flush=True,
            )

    async with raw_producer(cfg) as producer:
        outcome.started_at = time.time()
        start = time.monotonic()
        pending: list[asyncio.Future[object]] = []
        for i, body in enumerate(wires):
            delay = start + i / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            if i == kill_at:
                restart = asyncio.create_task(kill_and_restart())
            raw = RawWire(
                wire_id=wire_id(body),
                content=body,
                source="failover",
                format_hint="text",
                received_at=datetime.now(UTC),
            )
            # Not awaited one by one: during the election a send waits for the
            # new leader, and the wires behind it must still go out on time.
            pending.append(
                await producer.send(
                    cfg.topic(RAW.name), key=raw.wire_id.encode(), value=raw.to_json()
                )
            )
            outcome.sent.append(raw.wire_id)
            if progress and (i + 1) % 100 == 0:
                print(f"  sent {i + 1}/{len(wires)}", flush=True)
        for wid, future in zip(outcome.sent, pending, strict=True):
            try:
                await future
            except Exception as exc:  # counted and reported: lost sends are a result
                outcome.send_errors.append(f"{wid}: {exc!r}")
    if restart is not None:
        await restart
    return outcome


def failover_worker(cfg: Settings, work: Path) -> WorkerProcess:
    """The fault harness's worker, told that the cluster has ``cfg.broker_nodes`` brokers."""
    return WorkerProcess(
        cfg,
        work,
        loglevel="warn",
        extra_env={"WIRESTREAM_BROKER_NODES": str(cfg.broker_nodes)},
    )


def start_cluster(work: Path, nodes: int = 3) -> tuple[Settings, LocalCluster]:
    """A fresh local cluster of ``nodes`` on free ports, and settings pointing at it."""
    ports = [NodePorts(i + 1, free_port(), free_port()) for i in range(nodes)]
    run = uuid.uuid4().hex[:8]
    base = Settings(
        broker_nodes=nodes,
        broker_dir=work / "kafka",
        broker_port=ports[0].broker_port,
        controller_port=ports[0].controller_port,
        broker_heap="512m",
    )
    cluster = LocalCluster(base, ports=ports)
    cfg = base.model_copy(
        update={
            "kafka_bootstrap": cluster.bootstrap,
            "topic_prefix": f"failover-{run}.",
            "app_id": f"wirestream-failover-{run}",
            "data_dir": work / "worker",
        }
    )
    cluster.start(timeout=240)
    return cfg, cluster


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--wires", type=int, default=1000, help="wires to send")
    parser.add_argument("--rate", type=float, default=8.0, help="wires per second")
    parser.add_argument(
        "--kill-after", type=float, default=0.3, help="fraction of wires sent before the kill"
    )
    parser.add_argument(
        "--outage", type=float, default=30.0, help="seconds the killed broker stays down"
    )
    parser.add_argument(
        "--conll",
        type=Path,
        default=CONLL,
        help="CoNLL-2003 folder read in place; synthetic wires if absent",
    )
    parser.add_argument("--seed", type=int, default=18, help="seed of the synthetic wires")
    args = parser.parse_args(argv)

    if (args.conll / "eng.train").is_file():
        wires = conll_wires(args.conll, args.wires)
        # A few undecodable inputs, so dead letters are counted too.
        rng = random.Random(args.seed)
        for i in range(49, len(wires), 50):
            wires[i] = b"\x00" + bytes(rng.randrange(256) for _ in range(200))
        source = f"CoNLL-2003 documents from {args.conll} (every 50th replaced by random bytes)"
    else:
        wires = synthetic_wires(args.wires, args.seed)
        source = f"synthetic wires, seed {args.seed}"
    # The same document twice would be one wire id; keep inputs distinct.
    wires = list(dict.fromkeys(wires))
    print(f"inputs: {len(wires)} {source}")
    print(f"machine: {os.cpu_count()} cores, shared with other users' jobs")

    with tempfile.TemporaryDirectory(prefix="wirestream-failover-") as tmp:
        work = Path(tmp)
        print("starting a three-node cluster ...", flush=True)
        cfg, cluster = start_cluster(work)
        worker = failover_worker(cfg, work)
        try:
            asyncio.run(ensure_topics(cfg))
            worker.start()
            print("waiting for the worker ...", flush=True)
            worker.wait_ready(600)
            print(f"sending {len(wires)} wires at {args.rate:g}/s ...", flush=True)
            outcome = asyncio.run(
                drive(
                    cfg,
                    cluster,
                    wires,
                    rate=args.rate,
                    kill_after=args.kill_after,
                    outage=args.outage,
                    progress=True,
                )
            )
            print("collecting outputs ...", flush=True)
            asyncio.run(collect(cfg, outcome, timeout=600))
        finally:
            worker.stop()
            cluster.stop()

    t0 = outcome.started_at
    unique = len(set(outcome.outputs))
    print("\nresult (target: 0 lost, 0 duplicated, longest gap < 30 s)")
    print(f"  inputs sent:          {len(outcome.sent)} ({len(outcome.send_errors)} send errors)")
    print(
        f"  killed node:          {outcome.killed_node}"
        f" (SIGKILL at +{outcome.killed_at - t0:.1f} s,"
        f" restarted at +{outcome.restarted_at - t0:.1f} s,"
        f" ready at +{outcome.ready_again_at - t0:.1f} s)"
    )
    print(f"  out: enriched {len(outcome.enriched)}, dead letters {len(outcome.dead)}")
    print(f"  lost:                 {len(outcome.lost)}")
    print(f"  duplicated (raw):     {outcome.duplicated} records")
    print(f"  distinct wires out:   {unique} (what a consumer de-duplicating by wire id sees)")
    print(f"  enriched and dead:    {len(outcome.both)}")
    print(
        f"  enriched while down:  "
        f"{outcome.enriched_between(outcome.killed_at, outcome.ready_again_at)}"
    )
    print(f"  longest gap in enriched_at: {outcome.longest_gap:.1f} s")
    return 0 if not outcome.lost and not outcome.both and not outcome.duplicated else 1


if __name__ == "__main__":
    sys.exit(main())
