"""The drop-folder watcher on the real broker: once and only once, across crashes."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from schemas import RawWire
from streams.cli.watch import run_watch
from streams.ingest import wire_id
from streams.kafka import ensure_topics
from streams.reader import read_topic
from streams.settings import Settings
from streams.topology import RAW
from streams.transports.dropfolder import Delivery, DropFolder, Watcher
from streams.transports.rawsink import KafkaRawSink
from tests.integration.conftest import offsets_now, worker_env

pytestmark = pytest.mark.integration


class Crash(BaseException):
    """The watcher process dies here."""


@pytest.fixture(scope="module", autouse=True)
def topics(kafka_settings: Settings) -> None:
    # No worker is needed here, only the topics it would have created.
    asyncio.run(ensure_topics(kafka_settings))


def _wire(n: int, tag: str) -> bytes:
    return f"{tag.upper()} STORY {n}\n\nParagraph of story {n} for {tag}.\n".encode()


def _drop(folder: Path, name: str, content: bytes) -> None:
    path = folder / name
    path.write_bytes(content)
    old = time.time() - 5
    os.utime(path, (old, old))


def _keys_on_raw(cfg: Settings, start: dict[int, int]) -> Counter[str]:
    async def read() -> Counter[str]:
        keys: Counter[str] = Counter()
        async for record in read_topic(
            cfg, cfg.topic(RAW.name), start_offsets=start, idle_timeout=3
        ):
            if record.key is not None:
                keys[record.key.decode()] += 1
        return keys

    return asyncio.run(read())


def test_each_dropped_file_goes_to_kafka_once_and_is_moved(
    kafka_settings: Settings, tmp_path: Path
) -> None:
    start = offsets_now(kafka_settings, RAW.name)
    folder = tmp_path / "drop"
    folder.mkdir()
    wires = {f"story-{n}.txt": _wire(n, "once") for n in range(3)}
    for name, content in wires.items():
        _drop(folder, name, content)
    _drop(folder, "huge.bin", b"x" * (kafka_settings.max_wire_bytes + 1))
    _drop(folder, "upload.xml.part", b"<half")

    stats = asyncio.run(
        run_watch(kafka_settings, folder, format_hint=None, interval=0.1, settle=1.0, once=True)
    )

    assert (stats.sent, stats.rejected) == (3, 1)
    assert sorted(p.name for p in (folder / "processed").iterdir()) == sorted(wires)
    assert (folder / "error" / "huge.bin.reason.txt").read_text().startswith("[W502]")
    assert (folder / "upload.xml.part").exists(), "partial files are left alone"
    keys = _keys_on_raw(kafka_settings, start)
    assert {wire_id(c): keys[wire_id(c)] for c in wires.values()} == dict.fromkeys(
        (wire_id(c) for c in wires.values()), 1
    )


class CrashAfterAck:
    """The real sink, but the process dies right after Kafka acknowledged the record."""

    def __init__(self, sink: KafkaRawSink) -> None:
        self.sink = sink

    async def send(self, raw: RawWire) -> Delivery:
        await self.sink.send(raw)
        raise Crash

    def __getattr__(self, name: str) -> object:
        return getattr(self.sink, name)


def test_a_crash_between_the_ack_and_the_journal_sends_nothing_twice(
    kafka_settings: Settings, tmp_path: Path
) -> None:
    start = offsets_now(kafka_settings, RAW.name)
    folder = tmp_path / "drop"
    folder.mkdir()
    content = _wire(1, "crash-after-ack")
    _drop(folder, "story.txt", content)

    async def crash_then_restart() -> tuple[int, int]:
        async with KafkaRawSink(kafka_settings) as sink:
            first = Watcher(
                DropFolder(folder), CrashAfterAck(sink), max_bytes=kafka_settings.max_wire_bytes
            )
            await first.start()
            with pytest.raises(Crash):
                await first.poll()
            first.close()
            assert [p.name for p in (folder / ".inflight").iterdir()] == ["story.txt"]

            second = Watcher(DropFolder(folder), sink, max_bytes=kafka_settings.max_wire_bytes)
            await second.start()
            second.close()
            return second.stats.sent, second.stats.recovered

    sent, recovered = asyncio.run(crash_then_restart())

    assert (sent, recovered) == (0, 1)
    assert [p.name for p in (folder / "processed").iterdir()] == ["story.txt"]
    assert _keys_on_raw(kafka_settings, start)[wire_id(content)] == 1


def _start_watch(cfg: Settings, folder: Path, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streams.cli.main",
                "watch",
                str(folder),
                "--interval",
                "0.1",
                "--settle",
                "0",
            ],
            env=worker_env(cfg),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _wait_processed(folder: Path, count: int, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 120
    processed = folder / "processed"
    while time.monotonic() < deadline:
        done = len(list(processed.iterdir())) if processed.exists() else 0
        if done >= count:
            return
        if proc.poll() is not None:
            pytest.fail(f"watcher exited (code {proc.returncode}):\n{log.read_text()[-3000:]}")
        time.sleep(0.02)
    pytest.fail(f"fewer than {count} files processed in time:\n{log.read_text()[-3000:]}")


def test_killed_repeatedly_at_random_points_the_watcher_loses_and_duplicates_nothing(
    kafka_settings: Settings, tmp_path: Path
) -> None:
    start = offsets_now(kafka_settings, RAW.name)
    folder = tmp_path / "drop"
    folder.mkdir()
    log = tmp_path / "watch.log"
    run = time.time_ns()
    wires = {f"wire-{n:03d}.txt": _wire(n, f"sigkill-{run}") for n in range(120)}
    for name, content in wires.items():
        _drop(folder, name, content)

    # How many files were done when each SIGKILL landed: a kill after the last
    # file would test nothing, so each must have interrupted work.
    done_at_kill = []
    for threshold in (10, 50, 90):
        proc = _start_watch(kafka_settings, folder, log)
        _wait_processed(folder, threshold, proc, log)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        done_at_kill.append(len(list((folder / "processed").iterdir())))
    proc = _start_watch(kafka_settings, folder, log)
    try:
        _wait_processed(folder, len(wires), proc, log)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(30)

    assert all(10 <= done < len(wires) for done in done_at_kill), done_at_kill
    assert sorted(p.name for p in (folder / "processed").iterdir()) == sorted(wires)
    assert list((folder / ".inflight").iterdir()) == []
    keys = _keys_on_raw(kafka_settings, start)
    counts = {name: keys[wire_id(content)] for name, content in wires.items()}
    assert counts == dict.fromkeys(wires, 1), "every file on wires.raw exactly once"
