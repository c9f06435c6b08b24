"""Pure replay rules: what a replay selects, where it stands, what it may release."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from schemas import Article, EnrichedArticle, ReplayCounts, ReplayInfo, ReplayState

Mode = Literal["re-enrich", "copy"]


@dataclass(frozen=True)
class Filters:
    """``--source`` and ``--format``: which stories of the window a re-enrich replays."""

    source_agency: str | None = None
    source_format: str | None = None

    def selects(self, article: Article) -> bool:
        """Whether ``article`` passes both filters (case-insensitive).

        A format matches the parser's name or its family: ``yonhap`` takes
        ``yonhap-text`` and ``yonhap-crawl``.
        """
        if self.source_agency is not None:
            agency = (article.source_agency or "").casefold()
            if agency != self.source_agency.casefold():
                return False
        if self.source_format is not None:
            wanted = self.source_format.casefold()
            have = article.source_format.casefold()
            if have != wanted and not have.startswith(wanted + "-"):
                return False
        return True


def should_release(record: EnrichedArticle) -> bool:
    """Whether the release agent may pass ``record`` on to alert services.

    A replayed record is history, not news: it reaches ``wires.released``
    only when its replay was started with ``--alerts`` (and it then says so,
    ``replay.alerts``).
    """
    return record.replay is None or record.replay.alerts


def is_backfill(record: EnrichedArticle) -> bool:
    """Whether an alert made from ``record`` must say ``backfill=true``: it is a replay's."""
    return record.replay is not None


def replay_info(state: ReplayState) -> ReplayInfo:
    """The mark every record of this replay carries."""
    if state.window_from is None or state.window_to is None:
        raise ValueError(f"replay {state.replay_id} has no window")
    return ReplayInfo(
        replay_id=state.replay_id,
        window_from=state.window_from,
        window_to=state.window_to,
        alerts=state.alerts,
    )


def new_replay_id(now: datetime, suffix: str) -> str:
    """``r20260114-0930-1a2b3c``: sortable by start, unique by ``suffix``."""
    return f"r{now.strftime('%Y%m%d-%H%M')}-{suffix}"


def advance(
    state: ReplayState,
    *,
    positions: Mapping[int, int],
    counts: ReplayCounts,
    now: datetime,
) -> ReplayState:
    """The checkpoint after a batch: new read positions and totals; finished when all are read."""
    merged = {**state.positions, **positions}
    finished = all(merged.get(p, 0) >= end for p, end in state.ends.items())
    if state.limit is not None and counts.produced >= state.limit:
        finished = True
    return state.model_copy(
        update={
            "positions": merged,
            "counts": counts,
            "updated_at": now,
            "finished": finished,
        }
    )


def remaining(state: ReplayState) -> int:
    """Offsets still to scan (an upper bound of the records left: some lie outside the window,
    transaction markers take offsets too)."""
    return sum(max(0, end - state.positions.get(p, end)) for p, end in state.ends.items())


def add_counts(counts: ReplayCounts, **more: int) -> ReplayCounts:
    values = counts.model_dump()
    for name, value in more.items():
        values[name] += value
    return ReplayCounts(**values)


def latest_states(states: Iterable[ReplayState]) -> dict[str, ReplayState]:
    """The last state of every replay id, in the order they were read (compaction's view)."""
    latest: dict[str, ReplayState] = {}
    for state in states:
        latest[state.replay_id] = state
    return latest


def describe(state: ReplayState) -> str:
    """One line of ``replay --list``."""
    status = "finished" if state.finished else f"unfinished, {remaining(state):,} offsets left"
    window = (
        f"{state.window_from.isoformat(timespec='seconds')} .. "
        f"{state.window_to.isoformat(timespec='seconds')}"
        if state.window_from and state.window_to
        else "-"
    )
    c = state.counts
    return (
        f"{state.replay_id}  {state.mode:<9} {state.source_topic} -> {state.target_topic}  "
        f"{window}  read {c.read:,} produced {c.produced:,} dead-lettered {c.dead_lettered:,} "
        f"skipped {c.skipped:,}  {status}"
    )


def summary(counts: ReplayCounts, *, seconds: float) -> str:
    """The closing line of a replay."""
    rate = counts.read / seconds if seconds > 0 else 0.0
    return (
        f"read {counts.read:,}, produced {counts.produced:,}, dead-lettered "
        f"{counts.dead_lettered:,}, skipped {counts.skipped:,} in {seconds:.1f} s "
        f"({rate:.1f} records/s)"
    )


class RateLimiter:
    """At most ``rate`` records a second on average (a token bucket one second deep)."""

    def __init__(self, rate: float | None, *, start: float) -> None:
        self.rate = rate
        self._tokens = rate or 0.0
        self._at = start

    def delay(self, records: int, now: float) -> float:
        """Seconds to wait before ``records`` more may go; spends them."""
        if self.rate is None:
            return 0.0
        self._tokens = min(self.rate, self._tokens + (now - self._at) * self.rate)
        self._at = now
        self._tokens -= records
        return 0.0 if self._tokens >= 0 else -self._tokens / self.rate
