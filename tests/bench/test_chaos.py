"""bench/chaos.py's own logic: the fault plan and the figures it reads off logs and outputs."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path
from types import ModuleType

import pytest

from streams.settings import Settings
from streams.topology import DLQ, ENRICHED, RELEASED
from tests.faults.harness import LogLine, OutputRecord, Outputs, WorkerProcess

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def chaos() -> ModuleType:
    spec = importlib.util.spec_from_file_location("chaos", BENCH / "chaos.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["chaos"] = module
    spec.loader.exec_module(module)
    return module


def test_plan_has_every_fault_asked_for_inside_the_stream(chaos: ModuleType) -> None:
    schedule = chaos.plan(random.Random(1), 2000, kills=10, broker=2, join_leave=3)
    kinds = [f.kind for f in schedule.faults]
    assert kinds.count("kill") == 10
    assert kinds.count("broker-restart") == 2
    assert kinds.count("join") == kinds.count("leave") == 3
    moments = [f.at_sent for f in schedule.faults]
    assert moments == sorted(moments)
    assert moments[0] >= 100 and moments[-1] < 1800


def test_plan_is_seeded(chaos: ModuleType) -> None:
    def plan(seed: int) -> list[tuple[str, int]]:
        schedule = chaos.plan(random.Random(seed), 500, kills=4, broker=1, join_leave=1)
        return [(f.kind, f.at_sent) for f in schedule.faults]

    assert plan(3) == plan(3)
    assert plan(3) != plan(4)


@pytest.mark.parametrize("seed", range(20))
def test_a_worker_always_joins_before_it_leaves(chaos: ModuleType, seed: int) -> None:
    schedule = chaos.plan(random.Random(seed), 400, kills=3, broker=1, join_leave=2)
    running = 0
    for fault in schedule.faults:
        running += {"join": 1, "leave": -1}.get(fault.kind, 0)
        assert running in (0, 1)
    assert running == 0


def test_more_faults_than_wires_is_refused(chaos: ModuleType) -> None:
    with pytest.raises(SystemExit):
        chaos.plan(random.Random(1), 20, kills=30, broker=0, join_leave=0)


def _worker(tmp_path: Path, lines: list[tuple[float, str]], starts: list[float]) -> WorkerProcess:
    proc = WorkerProcess(Settings(), tmp_path, name="w1")
    proc.lines = [LogLine(at, text) for at, text in lines]
    proc.started_at = starts
    return proc


def test_rebalance_runs_from_the_rejoin_to_the_next_ready(
    chaos: ModuleType, tmp_path: Path
) -> None:
    proc = _worker(
        tmp_path,
        [
            (9.0, "INFO aiokafka: (Re-)joining group g"),  # before the fault
            (10.5, "INFO faust.tables.recovery: [^---Recovery]: Worker ready"),
            (12.0, "INFO aiokafka: (Re-)joining group g"),
            (14.0, "INFO aiokafka: Joined group 'g' (generation 2)"),
            (15.5, "INFO faust.tables.recovery: [^---Recovery]: Worker ready"),
        ],
        [0.0, 11.0],
    )
    assert chaos._rebalance([proc], 11.0, 100.0) == pytest.approx(3.5)
    assert chaos._rebalance([proc], 11.0, 15.0) is None


def test_recovery_is_the_first_enriched_or_dead_letter_after_the_fault(
    chaos: ModuleType,
) -> None:
    outputs = Outputs(
        [
            OutputRecord(ENRICHED.name, "a", "s", 0, 0, 9_000),
            OutputRecord(RELEASED.name, "a", "s", 0, 0, 10_500),
            OutputRecord(DLQ.name, "b", None, 0, 0, 13_000),
            OutputRecord(ENRICHED.name, "c", "t", 0, 1, 12_000),
        ]
    )
    assert chaos._recovery(outputs, 10.0) == pytest.approx(2.0)
    assert chaos._recovery(outputs, 20.0) is None


def test_restore_lines_are_grouped_by_worker_start(chaos: ModuleType, tmp_path: Path) -> None:
    ready = "INFO streams.state: state ready: stage={} partition={} seconds={} entries={}"
    proc = _worker(
        tmp_path,
        [
            (1.0, ready.format("release", 0, 0.5, 10)),
            (21.0, ready.format("release", 0, 0.25, 100)),
            (21.5, ready.format("clusters", 0, 3.75, 5000)),
        ],
        [0.0, 20.0],
    )
    lines = chaos.restore_table([proc])
    assert lines[0].startswith(
        "  w1 start 1: 1 table partitions, 10 entries, all back in 0.50 s; longest 0.50 s"
    )
    # From the clusters partition's start (21.5 - 3.75) to the last line: 3.75 s.
    assert lines[1].startswith(
        "  w1 start 2: 2 table partitions, 5100 entries, all back in 3.75 s; longest 3.75 s"
    )
    assert lines[2] == "  longest restore: 3.75 s (w1 start 2: stage=clusters partition=0)"


def test_no_restore_lines_give_no_table(chaos: ModuleType, tmp_path: Path) -> None:
    proc = _worker(tmp_path, [(1.0, "INFO faust.worker: [^Worker]: Ready")], [0.0])
    assert chaos.restore_table([proc]) == []
