"""The drop-folder watcher: every file dropped into a folder reaches ``wires.raw`` exactly once.

Layout of a watched folder ``DIR``; only its top level is watched (senders
drop files there; sub-folders, including the ones below, are left alone)::

    DIR/story.xml                     dropped by a sender, taken once complete
    DIR/.inflight/story.xml           claimed: being sent
    DIR/processed/story.xml           Kafka acknowledged it
    DIR/error/story.xml               it can never be a record (too large, empty, unreadable)
    DIR/error/story.xml.reason.txt    why, with the error code
    DIR/.journal                      acknowledgements, one JSON line each, fsynced
    DIR/.lock                         held by the one watcher of DIR

A file is complete when its name is not a hidden or temporary one (``.x``,
``*.part``, ``*.tmp``, ``*~`` ...) and it has not been modified for
``settle`` seconds. The content hash is the record key (as for ``ingest``).

Crash safety. Each step is an atomic rename inside ``DIR`` or a fsynced
journal line, in an order that lets a restart tell how far a file got:

1. claim: rename ``DIR/f`` to ``.inflight/f``;
2. send it and wait for Kafka's acknowledgement;
3. journal ``{"event": "acked", "file": "f", partition, offset}``;
4. rename ``.inflight/f`` to ``processed/f``.

On start (and after a failed send) the files left in ``.inflight/`` are
reconciled: journaled as acknowledged (stopped between 3 and 4) -> moved to
``processed/``; otherwise ``wires.raw`` is read from the journal's start
offsets on, looking for the file's key: found (the acknowledgement was lost,
not the record) -> journaled and moved, not sent again; not found -> sent.
Then the journal restarts with the current end offsets of ``wires.raw``: a
record this run sends can only land after them, which is what bounds the
next restart's search. Files are sent one at a time, so at most one file is
ever in doubt after a crash.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import logging
import os
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Protocol

from schemas import RawWire
from streams.errors import WirestreamError
from streams.ingest import (
    DeliveryError,
    InputNotFoundError,
    WireInput,
    iter_inputs,
    to_raw,
    wire_id,
)
from streams.transports.errors import WatcherLockedError, WatchFolderError

log = logging.getLogger(__name__)

INFLIGHT = ".inflight"
PROCESSED = "processed"
ERROR = "error"
JOURNAL = ".journal"
LOCK = ".lock"
REASON_SUFFIX = ".reason.txt"

#: Names that editors, browsers, rsync and sync tools give files still being written.
_TEMP_SUFFIXES = frozenset(
    {".part", ".partial", ".tmp", ".temp", ".crdownload", ".download", ".swp", ".filepart"}
)
#: Acknowledged lines after which an idle journal is folded into a new start line.
_COMPACT_AFTER = 1000


def is_temporary(name: str) -> bool:
    """Whether ``name`` is a hidden file or one still being written by its sender."""
    lowered = name.casefold()
    return (
        name.startswith((".", "~$"))
        or name.endswith("~")
        or any(lowered.endswith(suffix) for suffix in _TEMP_SUFFIXES)
    )


@dataclass(frozen=True)
class Delivery:
    """Where Kafka put a record."""

    topic: str
    partition: int
    offset: int


class RawSink(Protocol):
    """Where the watcher sends wires: ``wires.raw`` (see :mod:`streams.transports.rawsink`)."""

    async def send(self, raw: RawWire) -> Delivery:
        """Send and wait for the acknowledgement; raises DeliveryError."""
        ...

    async def end_offsets(self) -> dict[int, int]: ...

    async def find(
        self, keys: Collection[str], *, start: Mapping[int, int] | None
    ) -> dict[str, Delivery]:
        """Which of ``keys`` are on the topic, from ``start`` (None = the beginning) to its end."""
        ...


# --- the journal -----------------------------------------------------------


@dataclass(frozen=True)
class Acked:
    wire_id: str
    delivery: Delivery


@dataclass
class JournalState:
    #: End offsets of wires.raw when this journal started (None: no journal).
    start: dict[int, int] | None = None
    #: File name in .inflight/ -> its acknowledgement.
    acked: dict[str, Acked] = field(default_factory=dict)
    #: Lines that could not be read (a line cut short by a crash).
    damaged: int = 0


class Journal:
    """Append-only JSON lines, each fsynced before the step that relies on it."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> JournalState:
        state = JournalState()
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return state
        for line in text.splitlines():
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                if entry["event"] == "start":
                    state.start = {int(p): int(o) for p, o in entry["offsets"].items()}
                    state.acked.clear()
                elif entry["event"] == "acked":
                    delivery = Delivery(
                        entry["topic"], int(entry["partition"]), int(entry["offset"])
                    )
                    state.acked[entry["file"]] = Acked(entry["wire_id"], delivery)
            except (ValueError, KeyError, TypeError, AttributeError):
                state.damaged += 1
        return state

    def restart(self, offsets: Mapping[int, int]) -> None:
        """Replace the journal with one start line (written aside, then renamed over it)."""
        line = _json_line({"event": "start", "offsets": {str(p): o for p, o in offsets.items()}})
        tmp = self.path.with_name(self.path.name + ".new")
        with tmp.open("w", encoding="utf-8") as out:
            out.write(line)
            _fsync(out)
        os.replace(tmp, self.path)
        _fsync_dir(self.path.parent)

    def acked(self, name: str, key: str, delivery: Delivery) -> None:
        entry = {
            "event": "acked",
            "file": name,
            "wire_id": key,
            "topic": delivery.topic,
            "partition": delivery.partition,
            "offset": delivery.offset,
            "at": datetime.now(UTC).isoformat(),
        }
        with self.path.open("a", encoding="utf-8") as out:
            out.write(_json_line(entry))
            _fsync(out)


def compacted_start(state: JournalState) -> dict[int, int]:
    """A start line equivalent to ``state`` once nothing is in flight.

    Sends are sequential, so a later send to a partition always lands after
    the last acknowledged one there.
    """
    offsets = dict(state.start or {})
    for acked in state.acked.values():
        d = acked.delivery
        offsets[d.partition] = max(offsets.get(d.partition, 0), d.offset + 1)
    return offsets


# --- the folder ------------------------------------------------------------


class DropFolder:
    """The files of a watched folder and the renames between its sub-folders."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.inflight_dir = root / INFLIGHT
        self.processed_dir = root / PROCESSED
        self.error_dir = root / ERROR
        self.journal = Journal(root / JOURNAL)
        self._lock_file: IO[bytes] | None = None

    def prepare(self) -> None:
        if not self.root.is_dir():
            raise WatchFolderError(f"{self.root}: no such folder to watch")
        try:
            for sub in (self.inflight_dir, self.processed_dir, self.error_dir):
                sub.mkdir(exist_ok=True)
        except OSError as exc:
            raise WatchFolderError(
                f"{self.root}: cannot create {sub.name}/: {exc.strerror}"
            ) from exc

    def lock(self) -> None:
        """Take the folder for this process; a second watcher on it would send files twice."""
        try:
            handle = (self.root / LOCK).open("ab")
        except OSError as exc:
            raise WatchFolderError(f"{self.root}: cannot write {LOCK}: {exc.strerror}") from exc
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise WatcherLockedError(
                f"{self.root} is already watched by another process (it holds {LOCK}); "
                "one watcher per folder"
            ) from None
        self._lock_file = handle

    def unlock(self) -> None:
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None

    def ready(self, *, now: float, settle: float) -> list[Path]:
        """Complete files at the top level, oldest first."""
        found: list[tuple[float, str, Path]] = []
        try:
            entries = list(os.scandir(self.root))
        except OSError as exc:
            raise WatchFolderError(f"{self.root}: cannot list: {exc.strerror}") from exc
        for entry in entries:
            if is_temporary(entry.name):
                continue
            try:
                if not entry.is_file(follow_symlinks=False):
                    continue
                mtime = entry.stat(follow_symlinks=False).st_mtime
            except OSError:
                continue  # gone since the listing
            if now - mtime < settle:
                continue  # may still be being written
            found.append((mtime, entry.name, Path(entry.path)))
        return [path for _, _, path in sorted(found)]

    def claimed(self) -> list[Path]:
        """Files in .inflight/ (left there by a crash or a failed send), oldest first."""
        if not self.inflight_dir.is_dir():
            return []
        files = [p for p in self.inflight_dir.iterdir() if p.is_file()]
        return sorted(files, key=lambda p: (p.stat().st_mtime, p.name))

    def claim(self, path: Path) -> Path | None:
        """Move a ready file into .inflight/; None when it vanished meanwhile."""
        target = _free_name(self.inflight_dir, path.name)
        try:
            os.rename(path, target)
        except FileNotFoundError:
            return None
        _fsync_dir(self.inflight_dir)
        return target

    def done(self, claimed: Path) -> Path:
        target = _free_name(self.processed_dir, claimed.name)
        os.rename(claimed, target)
        _fsync_dir(self.processed_dir)
        return target

    def reject(self, claimed: Path, error: WirestreamError) -> Path:
        """Move a file that can never be a record to error/, with the reason beside it."""
        target = _free_name(self.error_dir, claimed.name, also=REASON_SUFFIX)
        reason = target.with_name(target.name + REASON_SUFFIX)
        reason.write_text(
            f"[{error.code}] {error.message}\n"
            f"file: {claimed.name}\n"
            f"rejected at: {datetime.now(UTC).isoformat()}\n",
            encoding="utf-8",
        )
        os.rename(claimed, target)
        _fsync_dir(self.error_dir)
        return target


# --- the watcher -----------------------------------------------------------


@dataclass
class WatchStats:
    sent: int = 0
    recovered: int = 0  # found acknowledged or on Kafka after a restart: not sent again
    rejected: int = 0
    failed_sends: int = 0

    def summary(self) -> str:
        return (
            f"{self.sent} sent, {self.recovered} recovered after a restart, "
            f"{self.rejected} rejected to error/, {self.failed_sends} failed sends (kept, retried)"
        )


class Watcher:
    """Sends the files of one :class:`DropFolder` to a :class:`RawSink`, one at a time."""

    def __init__(
        self,
        folder: DropFolder,
        sink: RawSink,
        *,
        format_hint: str | None = None,
        max_bytes: int,
        settle: float = 1.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.folder = folder
        self.sink = sink
        self.format_hint = format_hint
        self.max_bytes = max_bytes
        self.settle = settle
        self.clock = clock
        self.stats = WatchStats()
        self._in_doubt = False  # a send failed: what is in .inflight/ may be on Kafka

    async def start(self) -> None:
        """Lock the folder, settle what a previous run left in flight, start a new journal."""
        self.folder.prepare()
        self.folder.lock()
        state = self.folder.journal.read()
        if state.damaged:
            log.warning("watch: %d damaged journal line(s) ignored", state.damaged)
        pending = await self._reconcile(state)
        self.folder.journal.restart(await self.sink.end_offsets())
        for path in pending:
            if not await self._send(path):
                break

    def close(self) -> None:
        self.folder.unlock()

    async def poll(self) -> int:
        """Send every complete file there is now; returns how many files were handled."""
        handled = 0
        if self._in_doubt:
            try:
                pending = await self._reconcile(self.folder.journal.read())
            except DeliveryError as exc:
                log.error("watch: cannot check %s/ against Kafka yet: %s", INFLIGHT, exc)
                return handled
            self._in_doubt = False
            for path in pending:
                if not await self._send(path):
                    return handled
                handled += 1
        for path in self.folder.ready(now=self.clock(), settle=self.settle):
            claimed = self.folder.claim(path)
            if claimed is None:
                continue
            if not await self._send(claimed):
                break  # Kafka is not answering: try again next poll
            handled += 1
        self._maybe_compact()
        return handled

    async def run(self, *, interval: float, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await self.poll()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), interval)

    def _read(self, path: Path) -> WireInput:
        return next(iter_inputs([str(path)], max_bytes=self.max_bytes))

    async def _send(self, claimed: Path) -> bool:
        """Send one claimed file; False when Kafka did not acknowledge it (it stays claimed)."""
        item = self._read(claimed)
        if item.error is not None:
            self._reject(claimed, item.error)
            return True
        raw = to_raw(item, format_hint=self.format_hint, now=datetime.now(UTC))
        try:
            delivery = await self.sink.send(raw)
        except DeliveryError as exc:
            self.stats.failed_sends += 1
            self._in_doubt = True
            log.error(
                "watch: %s not sent, kept in %s/ for the next try: %s", claimed.name, INFLIGHT, exc
            )
            return False
        self.folder.journal.acked(claimed.name, raw.wire_id, delivery)
        moved = self.folder.done(claimed)
        self.stats.sent += 1
        log.info(
            "watch: %s -> %s[%d]@%d (key %s), moved to %s/",
            claimed.name,
            delivery.topic,
            delivery.partition,
            delivery.offset,
            raw.wire_id,
            moved.parent.name,
        )
        return True

    def _reject(self, claimed: Path, error: WirestreamError) -> None:
        if isinstance(error, InputNotFoundError):
            log.warning("watch: %s disappeared before it could be read", claimed.name)
            return
        moved = self.folder.reject(claimed, error)
        self.stats.rejected += 1
        log.warning(
            "watch: %s cannot be sent (%s), moved to %s/%s", claimed.name, error, ERROR, moved.name
        )

    async def _reconcile(self, state: JournalState) -> list[Path]:
        """Settle the files in .inflight/; returns those that still have to be sent."""
        claimed = self.folder.claimed()
        if not claimed:
            return []
        doubtful: dict[str, list[Path]] = {}
        for path in claimed:
            item = self._read(path)
            if item.error is not None:
                self._reject(path, item.error)
                continue
            assert item.content is not None
            key = wire_id(item.content)
            acked = state.acked.get(path.name)
            # The content must match too: a later file may reuse the name.
            if acked is not None and acked.wire_id == key:
                self._recovered(path, "acknowledged before the restart")
                continue
            doubtful.setdefault(key, []).append(path)
        if not doubtful:
            return []
        if state.start is None:
            log.warning(
                "watch: %d file(s) in %s/ and no journal start: searching all of the topic",
                sum(len(p) for p in doubtful.values()),
                INFLIGHT,
            )
        found = await self.sink.find(set(doubtful), start=state.start)
        for key, delivery in found.items():
            for path in doubtful.pop(key, []):
                self.folder.journal.acked(path.name, key, delivery)
                self._recovered(
                    path, f"already on {delivery.topic}[{delivery.partition}]@{delivery.offset}"
                )
        return [path for paths in doubtful.values() for path in paths]

    def _recovered(self, path: Path, why: str) -> None:
        moved = self.folder.done(path)
        self.stats.recovered += 1
        log.info("watch: %s %s, not sent again; moved to %s/", path.name, why, moved.parent.name)

    def _maybe_compact(self) -> None:
        if self._in_doubt or self.folder.claimed():
            return
        state = self.folder.journal.read()
        if len(state.acked) >= _COMPACT_AFTER and state.start is not None:
            self.folder.journal.restart(compacted_start(state))


# --- helpers ---------------------------------------------------------------


def _free_name(folder: Path, name: str, *, also: str = "") -> Path:
    """``folder/name``, or ``stem.N.suffix`` when that (or ``name + also``) is taken."""
    candidate = folder / name
    stem, dot, suffix = name.partition(".") if not name.startswith(".") else (name, "", "")
    n = 1
    while candidate.exists() or (also and candidate.with_name(candidate.name + also).exists()):
        candidate = folder / (f"{stem}.{n}{dot}{suffix}" if dot else f"{stem}.{n}")
        n += 1
    return candidate


def _json_line(entry: Mapping[str, Any]) -> str:
    return json.dumps(entry, sort_keys=True, separators=(",", ":")) + "\n"


def _fsync(handle: IO[str]) -> None:
    handle.flush()
    os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    # A rename is only durable once the folder itself is synced.
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
