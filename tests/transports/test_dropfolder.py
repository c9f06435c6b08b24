"""The drop-folder watcher's state machine: claim, send, journal, move, and every restart case."""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from pathlib import Path

import pytest

from schemas import RawWire
from streams.ingest import DeliveryError, wire_id
from streams.transports.dropfolder import (
    Acked,
    Delivery,
    DropFolder,
    Journal,
    JournalState,
    Watcher,
    compacted_start,
    is_temporary,
)
from streams.transports.errors import WatcherLockedError, WatchFolderError

NOW = 1_800_000_000.0
TOPIC = "wires.raw"


class Crash(BaseException):
    """The process dies here (not an Exception: nothing in the watcher may catch it)."""


class FakeSink:
    """wires.raw as a list: partition 0, offset = index."""

    def __init__(self, records: list[str] | None = None) -> None:
        self.records: list[str] = list(records or [])
        self.fail_next = False  # not acknowledged, not written
        self.lose_ack_next = False  # written, but the acknowledgement never arrives
        self.crash_after_write = False
        self.find_fails_next = False
        self.searches: list[Mapping[int, int] | None] = []

    def keys(self) -> list[str]:
        return list(self.records)

    async def send(self, raw: RawWire) -> Delivery:
        if self.fail_next:
            self.fail_next = False
            raise DeliveryError("broker down")
        self.records.append(raw.wire_id)
        if self.crash_after_write:
            raise Crash
        if self.lose_ack_next:
            self.lose_ack_next = False
            raise DeliveryError("request timed out")
        return Delivery(TOPIC, 0, len(self.records) - 1)

    async def end_offsets(self) -> dict[int, int]:
        return {0: len(self.records)}

    async def find(
        self, keys: Collection[str], *, start: Mapping[int, int] | None
    ) -> dict[str, Delivery]:
        if self.find_fails_next:
            self.find_fails_next = False
            raise DeliveryError("cannot read wires.raw")
        self.searches.append(start)
        first = (start or {}).get(0, 0)
        found: dict[str, Delivery] = {}
        for offset in range(first, len(self.records)):
            key = self.records[offset]
            if key in keys and key not in found:
                found[key] = Delivery(TOPIC, 0, offset)
        return found


def _drop(root: Path, name: str, content: bytes, *, age: float = 10.0) -> Path:
    path = root / name
    path.write_bytes(content)
    os.utime(path, (NOW - age, NOW - age))
    return path


def _watcher(root: Path, sink: FakeSink, *, max_bytes: int = 1000) -> Watcher:
    return Watcher(DropFolder(root), sink, max_bytes=max_bytes, settle=1.0, clock=lambda: NOW)


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "drop"
    folder.mkdir()
    return folder


# --- what counts as a complete file ---------------------------------------


@pytest.mark.parametrize(
    "name",
    [".hidden", "story.xml.part", "story.tmp", "story.txt~", "~$story.doc", "dl.crdownload"],
)
def test_hidden_and_temporary_names_are_not_wires(name: str) -> None:
    assert is_temporary(name)


@pytest.mark.parametrize("name", ["story.xml", "20260101-PARADE.TXT", "wire"])
def test_ordinary_names_are_wires(name: str) -> None:
    assert not is_temporary(name)


def test_ready_skips_temporary_fresh_and_non_files_oldest_first(root: Path) -> None:
    _drop(root, "b.txt", b"B", age=5)
    _drop(root, "a.txt", b"A", age=9)
    _drop(root, "c.txt.part", b"C", age=9)
    _drop(root, "fresh.txt", b"F", age=0.2)
    (root / "sub").mkdir()
    _drop(root / "sub", "deep.txt", b"D")

    ready = DropFolder(root).ready(now=NOW, settle=1.0)

    assert [p.name for p in ready] == ["a.txt", "b.txt"]


# --- the normal path -------------------------------------------------------


async def test_each_complete_file_is_sent_once_then_moved_to_processed(root: Path) -> None:
    sink = FakeSink()
    _drop(root, "one.txt", b"HEADLINE ONE\n\nBody one.")
    _drop(root, "two.txt", b"HEADLINE TWO\n\nBody two.")
    _drop(root, "busy.txt", b"still being written", age=0.1)
    watcher = _watcher(root, sink)
    await watcher.start()

    assert await watcher.poll() == 2
    assert await watcher.poll() == 0

    assert sink.keys() == [
        wire_id(b"HEADLINE ONE\n\nBody one."),
        wire_id(b"HEADLINE TWO\n\nBody two."),
    ]
    assert _names(root / "processed") == ["one.txt", "two.txt"]
    assert _names(root / ".inflight") == []
    assert (root / "busy.txt").exists()
    acked = Journal(root / ".journal").read().acked
    assert acked["one.txt"] == Acked(wire_id(b"HEADLINE ONE\n\nBody one."), Delivery(TOPIC, 0, 0))
    assert watcher.stats.sent == 2


async def test_a_file_that_can_never_be_a_record_goes_to_error_with_its_reason(
    root: Path,
) -> None:
    sink = FakeSink()
    _drop(root, "huge.xml", b"x" * 1001)
    _drop(root, "empty.txt", b"  \n")
    watcher = _watcher(root, sink, max_bytes=1000)
    await watcher.start()

    await watcher.poll()

    assert sink.keys() == []
    assert _names(root / "error") == [
        "empty.txt",
        "empty.txt.reason.txt",
        "huge.xml",
        "huge.xml.reason.txt",
    ]
    reason = (root / "error" / "huge.xml.reason.txt").read_text()
    assert reason.startswith("[W502]") and "1,001 bytes is over the 1,000 limit" in reason
    assert (root / "error" / "empty.txt.reason.txt").read_text().startswith("[W503]")
    assert watcher.stats.rejected == 2


async def test_a_name_dropped_again_later_does_not_overwrite_the_processed_one(
    root: Path,
) -> None:
    sink = FakeSink()
    watcher = _watcher(root, sink)
    await watcher.start()
    _drop(root, "story.txt", b"FIRST\n\nfirst")
    await watcher.poll()
    _drop(root, "story.txt", b"SECOND\n\nsecond")
    await watcher.poll()

    assert _names(root / "processed") == ["story.1.txt", "story.txt"]
    assert (root / "processed" / "story.txt").read_bytes() == b"FIRST\n\nfirst"


async def test_a_second_watcher_on_the_same_folder_is_refused(root: Path) -> None:
    first = _watcher(root, FakeSink())
    await first.start()

    with pytest.raises(WatcherLockedError, match="already watched"):
        await _watcher(root, FakeSink()).start()
    first.close()
    await _watcher(root, FakeSink()).start()


async def test_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(WatchFolderError, match="no such folder"):
        await _watcher(tmp_path / "nope", FakeSink()).start()


# --- crashes and restarts --------------------------------------------------


async def test_killed_after_kafka_acknowledged_but_before_the_journal_nothing_is_resent(
    root: Path,
) -> None:
    sink = FakeSink()
    _drop(root, "story.txt", b"STORY\n\nbody")
    first = _watcher(root, sink)
    await first.start()
    sink.crash_after_write = True
    with pytest.raises(Crash):
        await first.poll()
    first.close()
    assert _names(root / ".inflight") == ["story.txt"]

    sink.crash_after_write = False
    restarted = _watcher(root, sink)
    await restarted.start()

    assert sink.keys() == [wire_id(b"STORY\n\nbody")], "found on the topic, not sent again"
    assert _names(root / "processed") == ["story.txt"]
    assert restarted.stats.recovered == 1
    assert sink.searches == [{0: 0}], "searched from the journal's start offsets"


async def test_killed_after_the_journal_but_before_the_move_nothing_is_resent(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sink = FakeSink()
    _drop(root, "story.txt", b"STORY\n\nbody")
    first = _watcher(root, sink)
    await first.start()

    def crash(claimed: Path) -> Path:
        raise Crash

    monkeypatch.setattr(first.folder, "done", crash)
    with pytest.raises(Crash):
        await first.poll()
    first.close()

    restarted = _watcher(root, sink)
    await restarted.start()

    assert sink.keys() == [wire_id(b"STORY\n\nbody")]
    assert _names(root / "processed") == ["story.txt"]
    assert sink.searches == [], "the journal answered; Kafka was not even asked"


async def test_killed_after_the_claim_before_sending_the_file_is_sent_on_restart(
    root: Path,
) -> None:
    sink = FakeSink()
    first = _watcher(root, sink)
    await first.start()
    claimed = first.folder.claim(_drop(root, "story.txt", b"STORY\n\nbody"))
    assert claimed is not None
    first.close()  # and the process dies

    restarted = _watcher(root, sink)
    await restarted.start()

    assert sink.keys() == [wire_id(b"STORY\n\nbody")]
    assert _names(root / "processed") == ["story.txt"]
    assert restarted.stats.sent == 1


async def test_the_search_starts_where_the_crashed_run_started(root: Path) -> None:
    # The same bytes went out before this run started (someone dropped them
    # twice): that earlier record must not count as this file's delivery.
    content = b"REPEAT\n\nbody"
    sink = FakeSink(records=[wire_id(content), "sha256:other"])
    first = _watcher(root, sink)
    await first.start()
    first.folder.claim(_drop(root, "repeat.txt", content))
    first.close()

    await _watcher(root, sink).start()

    assert sink.searches == [{0: 2}]
    assert sink.keys() == [wire_id(content), "sha256:other", wire_id(content)]


async def test_a_journaled_name_reused_by_different_content_is_still_sent(root: Path) -> None:
    sink = FakeSink()
    first = _watcher(root, sink)
    await first.start()
    _drop(root, "story.txt", b"FIRST\n\nfirst")
    await first.poll()
    first.folder.claim(_drop(root, "story.txt", b"SECOND\n\nsecond"))
    first.close()

    await _watcher(root, sink).start()

    assert sink.keys() == [wire_id(b"FIRST\n\nfirst"), wire_id(b"SECOND\n\nsecond")]


async def test_without_a_journal_the_whole_topic_is_searched(root: Path) -> None:
    content = b"STORY\n\nbody"
    sink = FakeSink(records=[wire_id(content)])
    folder = DropFolder(root)
    folder.prepare()
    _drop(root / ".inflight", "story.txt", content)

    watcher = _watcher(root, sink)
    await watcher.start()

    assert sink.searches == [None]
    assert sink.keys() == [wire_id(content)]
    assert _names(root / "processed") == ["story.txt"]


async def test_a_failed_send_keeps_the_file_and_the_next_poll_sends_it_once(root: Path) -> None:
    sink = FakeSink()
    watcher = _watcher(root, sink)
    await watcher.start()
    _drop(root, "story.txt", b"STORY\n\nbody", age=20)
    _drop(root, "later.txt", b"LATER\n\nbody", age=10)
    sink.fail_next = True

    await watcher.poll()
    assert _names(root / ".inflight") == ["story.txt"]
    assert (root / "later.txt").exists(), "no further claims while Kafka is not answering"

    await watcher.poll()
    assert sink.keys() == [wire_id(b"STORY\n\nbody"), wire_id(b"LATER\n\nbody")]
    assert _names(root / "processed") == ["later.txt", "story.txt"]
    assert watcher.stats.failed_sends == 1


async def test_a_send_whose_acknowledgement_was_lost_is_not_sent_again(root: Path) -> None:
    sink = FakeSink()
    watcher = _watcher(root, sink)
    await watcher.start()
    _drop(root, "story.txt", b"STORY\n\nbody")
    sink.lose_ack_next = True

    await watcher.poll()
    await watcher.poll()

    assert sink.keys() == [wire_id(b"STORY\n\nbody")]
    assert _names(root / "processed") == ["story.txt"]
    assert watcher.stats.recovered == 1


async def test_while_kafka_cannot_be_asked_the_doubtful_file_waits_and_nothing_new_is_taken(
    root: Path,
) -> None:
    sink = FakeSink()
    watcher = _watcher(root, sink)
    await watcher.start()
    _drop(root, "story.txt", b"STORY\n\nbody", age=20)
    sink.lose_ack_next = True
    await watcher.poll()
    _drop(root, "next.txt", b"NEXT\n\nbody")
    sink.find_fails_next = True

    assert await watcher.poll() == 0
    assert _names(root / ".inflight") == ["story.txt"]
    assert (root / "next.txt").exists()

    await watcher.poll()
    assert sink.keys() == [wire_id(b"STORY\n\nbody"), wire_id(b"NEXT\n\nbody")]


# --- the journal -----------------------------------------------------------


def test_a_line_cut_short_by_a_crash_is_ignored(tmp_path: Path) -> None:
    journal = Journal(tmp_path / ".journal")
    journal.restart({0: 5, 1: 7})
    journal.acked("a.txt", "sha256:a", Delivery(TOPIC, 1, 9))
    with (tmp_path / ".journal").open("a") as out:
        out.write('{"event":"acked","file":"b.t')

    state = journal.read()

    assert state.start == {0: 5, 1: 7}
    assert set(state.acked) == {"a.txt"}
    assert state.damaged == 1


def test_a_restart_line_forgets_earlier_acknowledgements(tmp_path: Path) -> None:
    journal = Journal(tmp_path / ".journal")
    journal.restart({0: 1})
    journal.acked("a.txt", "sha256:a", Delivery(TOPIC, 0, 3))
    journal.restart({0: 4})

    assert journal.read() == JournalState(start={0: 4}, acked={}, damaged=0)


def test_compaction_moves_the_start_past_every_acknowledged_record() -> None:
    state = JournalState(
        start={0: 10, 1: 20, 2: 5},
        acked={
            "a": Acked("k1", Delivery(TOPIC, 0, 14)),
            "b": Acked("k2", Delivery(TOPIC, 0, 12)),
            "c": Acked("k3", Delivery(TOPIC, 1, 25)),
        },
    )
    assert compacted_start(state) == {0: 15, 1: 26, 2: 5}
