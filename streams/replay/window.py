"""Time windows: ``--from``/``--to`` as ISO 8601 times with a zone, or relative (``-7d``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from streams.replay.errors import WindowError

_RELATIVE = re.compile(r"^-(\d+(?:\.\d+)?)\s*([smhdw])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


@dataclass(frozen=True)
class Window:
    """A half-open time window: ``start <= t < end``."""

    start: datetime
    end: datetime

    def __contains__(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    @property
    def start_ms(self) -> int:
        return to_ms(self.start)

    @property
    def end_ms(self) -> int:
        return to_ms(self.end)

    def contains_ms(self, timestamp_ms: int) -> bool:
        return self.start_ms <= timestamp_ms < self.end_ms


def to_ms(moment: datetime) -> int:
    """Kafka timestamp (milliseconds since the epoch) of an aware time."""
    return int(moment.timestamp() * 1000)


def parse_time(text: str, *, now: datetime) -> datetime:
    """``-7d``, ``-36h``, ``-90m``, ``-2w``, ``now`` or an ISO 8601 time with a zone.

    A time without a zone is refused rather than guessed: wires come from
    agencies in every zone, and a replay window nine hours off would be
    silently wrong.
    """
    value = text.strip()
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    if value.lower() == "now":
        return now
    relative = _RELATIVE.match(value)
    if relative:
        amount, unit = float(relative.group(1)), relative.group(2)
        return now - timedelta(**{_UNITS[unit]: amount})
    try:
        moment = datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        raise WindowError(
            f"cannot read the time {text!r}: give an ISO 8601 time with a zone "
            "('2026-01-14T09:00:00+09:00', '2026-01-14T00:00Z') or a relative one "
            "('-7d', '-12h', '-30m', '-2w', 'now')"
        ) from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise WindowError(
            f"the time {text!r} has no zone; add one ('Z' for UTC, or an offset such "
            "as '+09:00') so the window means the same everywhere"
        )
    return moment


def parse_window(start: str, end: str | None, *, now: datetime) -> Window:
    """The window from ``start`` to ``end`` (default: now); refuses an empty or reversed one."""
    begin = parse_time(start, now=now)
    finish = parse_time(end, now=now) if end is not None else now
    if begin >= finish:
        raise WindowError(
            f"--from {begin.isoformat(timespec='seconds')} is not before --to "
            f"{finish.isoformat(timespec='seconds')}; "
            "the window would hold nothing"
        )
    if begin > now:
        raise WindowError(f"--from {begin.isoformat(timespec='seconds')} is in the future")
    return Window(begin, finish)
