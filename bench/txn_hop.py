"""What one exactly-once hop costs on this machine, with bare aiokafka and no Wirestream code.

    PYTHONPATH=. .venv/bin/python bench/txn_hop.py [--hops 3] [--messages 40]

Every stage of the pipeline is a transactional hop: it reads a record read-committed,
writes its output and its consumed offsets in one transaction and commits. This script
measures that floor on its own, in one run, on an embedded broker (free ports, a
temporary directory): a chain of ``--hops`` relays, each a read-committed consumer and a
transactional producer doing exactly that per record (begin, send, send offsets, commit),
between an idempotent source and a read-committed sink. One record at a time, ``--gap``
seconds apart (the lone-wire case), it times source to sink with 0 relays and with
``--hops`` relays; the difference over ``--hops`` is what a hop adds. It also prints the
median time of each step of a relay's transaction (the send until acknowledged, the
offsets, the commit), each one or more broker round trips.

This is the floor under ``bench/latency.py``'s lone-wire figure: Wirestream's wire passes
five such hops (parse, entities, clusters, release, then the reader of wires.released).
A benchmark: it prints, it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.structs import TopicPartition

from streams.kafka import LocalBroker, free_port
from streams.settings import Settings

STEPS = ("send", "offsets", "commit")


def consumer(bootstrap: str, wait_ms: int) -> AIOKafkaConsumer:
    return AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        isolation_level="read_committed",
        enable_auto_commit=False,
        fetch_max_wait_ms=wait_ms,
        auto_offset_reset="earliest",
    )


async def relay(
    bootstrap: str, source: str, target: str, name: str, wait_ms: int, steps: dict[str, list[float]]
) -> None:
    """Read ``source``, write each record to ``target`` in a transaction with its offset."""
    reader = consumer(bootstrap, wait_ms)
    await reader.start()
    tp = TopicPartition(source, 0)
    reader.assign([tp])
    writer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, transactional_id=name, enable_idempotence=True, acks="all"
    )
    await writer.start()
    try:
        while True:
            for records in (await reader.getmany(timeout_ms=1000)).values():
                for record in records:
                    t0 = time.perf_counter()
                    await writer.begin_transaction()
                    await (await writer.send(target, record.value))
                    t1 = time.perf_counter()
                    await writer.send_offsets_to_transaction({tp: record.offset + 1}, f"g-{name}")
                    t2 = time.perf_counter()
                    await writer.commit_transaction()
                    t3 = time.perf_counter()
                    for step, ms in zip(STEPS, (t1 - t0, t2 - t1, t3 - t2), strict=True):
                        steps[step].append(ms * 1000)
    finally:
        await writer.stop()
        await reader.stop()


async def chain(
    bootstrap: str, hops: int, args: argparse.Namespace
) -> tuple[list[float], dict[str, list[float]]]:
    """Source-to-sink times (ms) of ``args.messages`` lone records through ``hops`` relays."""
    prefix = f"h{hops}-"
    names = [f"{prefix}{i}" for i in range(hops + 1)]
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(n, 1, 1) for n in names])
    finally:
        await admin.close()
    steps: dict[str, list[float]] = {s: [] for s in STEPS}
    relays = [
        asyncio.create_task(
            relay(bootstrap, a, b, f"{prefix}relay{i}", args.fetch_max_wait_ms, steps)
        )
        for i, (a, b) in enumerate(pairwise(names))
    ]
    sink = consumer(bootstrap, args.fetch_max_wait_ms)
    await sink.start()
    sink.assign([TopicPartition(names[-1], 0)])
    source = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True, acks="all")
    await source.start()
    times: list[float] = []
    try:
        for i in range(args.messages + args.warm):
            started = time.perf_counter()
            await (await source.send(names[0], str(i).encode()))
            while not any((await sink.getmany(timeout_ms=5000)).values()):
                pass
            if i >= args.warm:
                times.append((time.perf_counter() - started) * 1000)
            await asyncio.sleep(args.gap)
    finally:
        for task in relays:
            task.cancel()
        await asyncio.gather(*relays, return_exceptions=True)
        await source.stop()
        await sink.stop()
    for values in steps.values():
        del values[: args.warm * hops]
    return times, steps


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--hops", type=int, default=3, help="transactional relays in the chain")
    parser.add_argument("--messages", type=int, default=40, help="records timed per chain")
    parser.add_argument("--warm", type=int, default=3, help="records sent first and not timed")
    parser.add_argument("--gap", type=float, default=0.3, help="seconds between records")
    parser.add_argument(
        "--fetch-max-wait-ms", type=int, default=20, help="the consumers' empty-fetch hold"
    )
    args = parser.parse_args(argv)
    if args.hops < 1:
        parser.error("--hops must be at least 1")
    with tempfile.TemporaryDirectory(prefix="wirestream-txn-hop-") as tmp:
        port = free_port()
        cfg = Settings(
            _env_file=None,
            kafka_bootstrap=f"127.0.0.1:{port}",
            broker_port=port,
            controller_port=free_port(),
            broker_dir=Path(tmp) / "kafka",
        )
        broker = LocalBroker(cfg)
        broker.start(timeout=120)
        try:
            print(f"broker: Apache Kafka {broker.status().kafka_version}", file=sys.stderr)
            direct, _ = asyncio.run(chain(cfg.kafka_bootstrap, 0, args))
            through, steps = asyncio.run(chain(cfg.kafka_bootstrap, args.hops, args))
        finally:
            broker.stop()
    p50_direct, p50_through = statistics.median(direct), statistics.median(through)
    print(
        f"{args.messages} lone records, {args.gap} s apart, fetch hold {args.fetch_max_wait_ms} ms"
    )
    print(
        f"source -> sink, no relay                p50 {p50_direct:6.1f} ms  (max {max(direct):.1f})"
    )
    print(
        f"source -> {args.hops} transactional relays -> sink  p50 {p50_through:6.1f} ms  "
        f"(max {max(through):.1f})"
    )
    per_hop = (p50_through - p50_direct) / args.hops
    print(f"one exactly-once hop adds               {per_hop:6.1f} ms (p50 difference / hops)")
    print(
        "a relay's transaction, median per step:  "
        + ", ".join(f"{s} {statistics.median(v):.1f} ms" for s, v in steps.items())
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
