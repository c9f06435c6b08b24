"""Chaos run: wires flow while workers are killed, the broker restarts, a worker joins and leaves.

    .venv/bin/python bench/chaos.py [--wires 2000] [--kills 10] [--broker-restarts 0]
                                    [--join-leave 0] [--rate 10] [--seed N]
                                    [--bootstrap HOST:PORT] [--session-timeout 6]

The same faults as the fault tests (tests/faults), with more wires and more of them. Starts
its own single-node broker (``LocalBroker`` on free ports, in a temporary directory) unless
``--bootstrap`` names a cluster; every run has its own topic prefix and consumer group. The
wires are the fault harness's seeded ones (plain text, ninjs, NITF, IPTC 7901, about one in
twenty poison that must end on ``wires.dlq``), sent to ``wires.raw`` at ``--rate`` per second
the way ``wirestream ingest`` sends them. One worker runs from the start; the faults happen at
seeded moments spread over the stream:

- **kill**: the worker gets SIGKILL and is started again at once (same local state directory);
- **broker restart**: the broker is stopped (SIGTERM) for ``--outage`` seconds and started again;
- **join-leave**: a second worker starts, and later leaves with SIGTERM.

What is printed, each figure from this run:

- inputs, outputs per topic (read with ``isolation_level=read_committed``), **lost** (inputs on
  neither ``wires.enriched`` nor ``wires.dlq``) and **duplicated** (records beyond the first per
  input there, and stories released more than once on ``wires.released``);
- per fault: **recovery**, the time from the fault to the first output record written after it,
  and **rebalance**, the time from the first worker log line of the group re-forming after the
  fault (``(Re-)joining group`` / ``Revoking previously assigned partitions``) to the next
  ``Worker ready`` (Faust's recovery done, every partition assigned and its tables restored);
- where the lost inputs stopped (on which of wires.raw, wires.parsed, wires.entities,
  wires.clustering they are), when some are lost;
- table restore times: every ``state ready: stage=… partition=… seconds=… entries=…`` line
  a worker logged after a start.

Exit status 0 when nothing was lost or duplicated, else 1. ``WIRESTREAM_FAULT_SEED`` or
``--seed`` makes a run repeatable (the wires and the moments; not the machine's timing).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import re
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from streams.kafka import LocalBroker, ensure_topics  # noqa: E402
from streams.settings import Settings  # noqa: E402
from streams.topology import DLQ, ENRICHED  # noqa: E402
from tests.faults.harness import (  # noqa: E402
    Feeder,
    LogLine,
    Outputs,
    WorkerProcess,
    check_exactly_once,
    collect_outputs,
    fault_seed,
    free_port,
    generate_wires,
    raw_copies,
    state_ready_lines,
    where_lost,
)

REJOIN = re.compile(r"\(Re-\)joining group|Revoking previously assigned partitions")
WORKER_READY = re.compile(r"Worker ready")


@dataclass
class Fault:
    """One fault of the run, when it happened and what it cost."""

    kind: str  # kill, broker-restart, join, leave
    at_sent: int
    started: float = 0.0  # the signal / the stop
    ended: float = 0.0  # restarted (kill), broker back, joined worker ready, left worker gone
    recovery: float | None = None
    rebalance: float | None = None


@dataclass
class Schedule:
    faults: list[Fault] = field(default_factory=list)


def plan(rng: random.Random, wires: int, *, kills: int, broker: int, join_leave: int) -> Schedule:
    """Seeded fault moments (by wires sent) spread over 5% .. 90% of the stream."""
    low, high = max(1, int(wires * 0.05)), max(2, int(wires * 0.9))
    needed = kills + broker + 2 * join_leave
    if needed > high - low:
        raise SystemExit(f"{needed} faults do not fit in {wires} wires; send more wires")
    moments = sorted(rng.sample(range(low, high), needed))
    kinds = ["kill"] * kills + ["broker-restart"] * broker + ["pair"] * (2 * join_leave)
    rng.shuffle(kinds)
    # The pair slots, in stream order, alternate join, leave: a worker leaves after it joined.
    pair_slots = [i for i, kind in enumerate(kinds) if kind == "pair"]
    for n, i in enumerate(pair_slots):
        kinds[i] = "join" if n % 2 == 0 else "leave"
    faults = [Fault(kind, at) for kind, at in zip(kinds, moments, strict=True)]
    faults.sort(key=lambda f: f.at_sent)
    return Schedule(faults)


def _own_settings(base: Settings, work: Path) -> Settings:
    run = uuid.uuid4().hex[:8]
    return base.model_copy(
        update={
            "topic_prefix": f"chaos-{run}.",
            "app_id": f"wirestream-chaos-{run}",
            "data_dir": work / "unused",
        }
    )


def _start_broker(work: Path) -> tuple[Settings, LocalBroker]:
    broker_port, controller_port = free_port(), free_port()
    base = Settings(
        kafka_bootstrap=f"127.0.0.1:{broker_port}",
        broker_port=broker_port,
        controller_port=controller_port,
        broker_dir=work / "kafka",
    )
    broker = LocalBroker(base)
    broker.start(timeout=180)
    return base, broker


def _lines(workers: Sequence[WorkerProcess], since: float) -> list[tuple[str, LogLine]]:
    return sorted(
        ((w.name, line) for w in workers for line in w.log_lines(since)), key=lambda x: x[1].at
    )


def _rebalance(workers: Sequence[WorkerProcess], since: float, until: float) -> float | None:
    """First re-join line after ``since`` to the next ``Worker ready`` (before ``until``)."""
    start: float | None = None
    for _, line in _lines(workers, since):
        if line.at > until:
            break
        if start is None and REJOIN.search(line.text):
            start = line.at
        elif start is not None and WORKER_READY.search(line.text):
            return line.at - start
    return None


def _recovery(outputs: Outputs, since: float) -> float | None:
    """Fault to the first enriched or dead-letter record written after it."""
    after = [
        r.timestamp_ms / 1000
        for r in outputs.records
        if r.topic in (ENRICHED.name, DLQ.name) and r.timestamp_ms / 1000 > since
    ]
    return min(after) - since if after else None


def restore_table(workers: Sequence[WorkerProcess]) -> list[str]:
    """One line per worker start that logged ``state ready:`` lines, and the longest overall."""
    out: list[str] = []
    longest: tuple[float, str] | None = None
    for proc in workers:
        starts = [*proc.started_at, float("inf")]
        for n, (begin, end) in enumerate(itertools.pairwise(starts), start=1):
            ready = [r for r in state_ready_lines(proc.log_lines(begin)) if r.at < end]
            if not ready:
                continue
            worst = max(ready, key=lambda r: r.seconds)
            where = f"{proc.name} start {n}: stage={worst.stage} partition={worst.partition}"
            # From the first partition's start to the last one ready: the whole worker's tables.
            span = max(r.at for r in ready) - min(r.at - r.seconds for r in ready)
            out.append(
                f"  {proc.name} start {n}: {len(ready)} table partitions, "
                f"{sum(r.entries for r in ready)} entries, all back in {span:.2f} s; longest "
                f"{worst.seconds:.2f} s (stage={worst.stage} partition={worst.partition}, "
                f"{worst.entries} entries)"
            )
            if longest is None or worst.seconds > longest[0]:
                longest = (worst.seconds, where)
    if longest is not None:
        out.append(f"  longest restore: {longest[0]:.2f} s ({longest[1]})")
    return out


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} s"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--wires", type=int, default=2000, help="wires to send")
    parser.add_argument("--kills", type=int, default=10, help="SIGKILLs of the worker")
    parser.add_argument("--broker-restarts", type=int, default=0, help="broker stops and starts")
    parser.add_argument(
        "--join-leave", type=int, default=0, help="times a second worker joins, then leaves"
    )
    parser.add_argument("--rate", type=float, default=10.0, help="wires per second")
    parser.add_argument("--outage", type=float, default=5.0, help="seconds the broker stays down")
    parser.add_argument("--poison-share", type=float, default=0.05, help="share of poison wires")
    parser.add_argument("--seed", type=int, default=None, help="seed (else WIRESTREAM_FAULT_SEED)")
    parser.add_argument(
        "--bootstrap", default=None, help="use this cluster instead of starting a broker"
    )
    parser.add_argument(
        "--session-timeout", type=float, default=6.0, help="the workers' session timeout, s"
    )
    parser.add_argument(
        "--collect-timeout",
        type=float,
        default=300.0,
        help="longest wait for every output after the last wire is sent, s; "
        "an input still missing then is counted lost",
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder (worker logs)")
    args = parser.parse_args(argv)
    if args.bootstrap and args.broker_restarts:
        parser.error("--broker-restarts needs the broker this script starts (no --bootstrap)")

    seed = args.seed if args.seed is not None else fault_seed(os.environ)
    rng = random.Random(seed)
    wires = generate_wires(args.wires, seed, poison_share=args.poison_share)
    schedule = plan(
        rng, len(wires), kills=args.kills, broker=args.broker_restarts, join_leave=args.join_leave
    )
    poison = sum(w.poison for w in wires)
    print(f"seed {seed}: {len(wires)} wires ({poison} poison) at {args.rate:g}/s")
    print(
        f"faults: {args.kills} kills, {args.broker_restarts} broker restarts, "
        f"{args.join_leave} join/leave; session timeout {args.session_timeout:g} s"
    )
    print(f"machine: {os.cpu_count()} cores, shared with other users' jobs", flush=True)

    work_dir = Path(tempfile.mkdtemp(prefix="wirestream-chaos-"))
    broker: LocalBroker | None = None
    workers: list[WorkerProcess] = []
    try:
        if args.bootstrap:
            base = Settings(kafka_bootstrap=args.bootstrap)
        else:
            print("starting a broker ...", flush=True)
            base, broker = _start_broker(work_dir)
        cfg = _own_settings(base, work_dir)
        asyncio.run(ensure_topics(cfg))
        first = WorkerProcess(cfg, work_dir, name="w1", session_timeout=args.session_timeout)
        workers.append(first)
        print("starting the worker ...", flush=True)
        first.start().wait_ready(600)
        second: WorkerProcess | None = None

        feeder = Feeder(cfg, wires, rate=args.rate, retry_for=max(120.0, args.outage * 4))
        bar = tqdm(total=len(wires), unit="wire", desc="sent", file=sys.stderr, mininterval=1.0)
        done = threading.Event()

        def refresh() -> None:
            while not done.is_set():
                if feeder.sent_count > bar.n:
                    bar.set_postfix(
                        faults=sum(1 for f in schedule.faults if f.ended), refresh=False
                    )
                    bar.update(feeder.sent_count - bar.n)
                time.sleep(0.5)

        ticker = threading.Thread(target=refresh, daemon=True)
        feeder.start()
        ticker.start()
        for fault in schedule.faults:
            feeder.wait_sent(fault.at_sent, timeout=3600)
            time.sleep(rng.uniform(0.0, 1.0))
            if fault.kind == "kill":
                fault.started = first.kill()
                first.restart()
                first.wait_ready(600)
                fault.ended = time.time()
            elif fault.kind == "broker-restart":
                assert broker is not None
                fault.started = time.time()
                broker.stop()
                time.sleep(args.outage)
                broker.start(timeout=180)
                fault.ended = time.time()
            elif fault.kind == "join":
                second = WorkerProcess(
                    cfg, work_dir, name=f"w{len(workers) + 1}", session_timeout=args.session_timeout
                )
                workers.append(second)
                fault.started = time.time()
                second.start().wait_ready(600)
                fault.ended = time.time()
            else:
                assert second is not None
                fault.started = second.terminate(60)
                fault.ended = time.time()
                second = None
            tqdm.write(f"  {fault.kind} after {fault.at_sent} sent", file=sys.stderr)
        log = feeder.join(timeout=3600)
        done.set()
        ticker.join()
        bar.update(feeder.sent_count - bar.n)
        bar.close()
        print(f"sent {len(log.sent)} ({len(log.failed)} failed, {log.retries} retried)")
        print("waiting for every output ...", flush=True)
        outputs = collect_outputs(cfg, wires, timeout=args.collect_timeout, settle=5.0)
        end = time.time()
        report = check_exactly_once(wires, outputs, seed=seed)
        if report.lost:
            report.notes.append(where_lost(cfg, report.lost))
        if log.retries:
            report.notes.append(
                f"the feeder retried {log.retries} sends; wires on wires.raw twice: "
                f"{raw_copies(cfg)}"
            )
        for i, fault in enumerate(schedule.faults):
            following = schedule.faults[i + 1].started if i + 1 < len(schedule.faults) else end
            fault.recovery = _recovery(outputs, fault.started)
            fault.rebalance = _rebalance(workers, fault.started, following)
        restores = restore_table(workers)
    finally:
        for proc in workers:
            if proc.alive:
                proc.stop()
        if broker is not None:
            broker.stop()

    print("\nresult (target: 0 lost, 0 duplicated)")
    print(f"  inputs:      {report.inputs} ({report.poison} poison)")
    print(
        "  outputs:     " + ", ".join(f"{topic} {n}" for topic, n in sorted(report.counts.items()))
    )
    print(f"  lost:        {len(report.lost)}")
    print(
        f"  duplicated:  {report.duplicate_records} records on wires.enriched/wires.dlq "
        f"({len(report.duplicated)} inputs), "
        f"{sum(n - 1 for n in report.released_duplicated.values())} on wires.released "
        f"({len(report.released_duplicated)} stories)"
    )
    print(
        f"  misrouted:   {len(report.poison_enriched)} poison enriched, "
        f"{len(report.good_dead)} good wires dead-lettered; "
        f"{len(report.released_missing)} stories never released"
    )
    print(
        "\nfaults (fault took: kill -> restarted worker ready, broker down -> back; "
        "recovery: fault -> first new output; rebalance: group re-join -> worker ready; "
        "- = none complete before the next fault)"
    )
    for i, fault in enumerate(schedule.faults):
        took = f"{fault.ended - fault.started:5.1f} s" if fault.ended else "   - "
        later = schedule.faults[i + 1] if i + 1 < len(schedule.faults) else None
        overlap = (
            f"  (the next fault came {later.started - fault.started:.1f} s later)"
            if later is not None
            and fault.recovery is not None
            and later.started - fault.started < fault.recovery
            else ""
        )
        print(
            f"  {fault.kind:15s} after {fault.at_sent:5d} sent  fault took {took}  "
            f"recovery {_fmt(fault.recovery):>8s}  rebalance {_fmt(fault.rebalance):>8s}" + overlap
        )
    recoveries = [f.recovery for f in schedule.faults if f.recovery is not None]
    if recoveries:
        print(
            f"  recovery: max {max(recoveries):.1f} s, mean "
            f"{sum(recoveries) / len(recoveries):.1f} s"
        )
    print("\ntable restores (worker log 'state ready:' lines, per worker start)")
    if not restores:
        print("  none: the workers logged no 'state ready:' lines")
    for line in restores:
        print(line)
    if not report.ok:
        print("\n" + report.summary())
    if args.keep or not report.ok:
        print(f"\nworker logs: {', '.join(str(w.log_path) for w in workers)}")
    else:
        import shutil

        shutil.rmtree(work_dir, ignore_errors=True)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
