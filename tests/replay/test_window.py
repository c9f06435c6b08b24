"""--from/--to: relative or ISO times with a zone; bad windows are refused with W701."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from streams.replay import Window, WindowError, parse_time, parse_window

NOW = datetime(2026, 1, 14, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-7d", NOW - timedelta(days=7)),
        ("-36h", NOW - timedelta(hours=36)),
        ("-90m", NOW - timedelta(minutes=90)),
        ("-2w", NOW - timedelta(weeks=2)),
        ("-1.5d", NOW - timedelta(hours=36)),
        ("now", NOW),
        ("2026-01-14T09:00:00+09:00", datetime(2026, 1, 14, 0, 0, tzinfo=UTC)),
        ("2026-01-13T00:00Z", datetime(2026, 1, 13, tzinfo=UTC)),
    ],
)
def test_times_are_read_relative_to_now_or_with_their_zone(text: str, expected: datetime) -> None:
    assert parse_time(text, now=NOW) == expected


@pytest.mark.parametrize("text", ["2026-01-14T09:00:00", "2026-01-14"])
def test_a_time_without_a_zone_is_refused_not_guessed(text: str) -> None:
    with pytest.raises(WindowError, match="has no zone") as caught:
        parse_time(text, now=NOW)
    assert caught.value.code == "W701"


@pytest.mark.parametrize("text", ["yesterday", "-7x", "7d", ""])
def test_an_unreadable_time_says_which_forms_work(text: str) -> None:
    with pytest.raises(WindowError, match="-7d"):
        parse_time(text, now=NOW)


def test_from_after_to_is_refused() -> None:
    with pytest.raises(WindowError, match="is not before --to"):
        parse_window("2026-01-14T00:00Z", "2026-01-13T00:00Z", now=NOW)


def test_an_empty_window_is_refused() -> None:
    with pytest.raises(WindowError, match="is not before --to"):
        parse_window("2026-01-13T00:00Z", "2026-01-13T09:00+09:00", now=NOW)


def test_a_window_ends_now_unless_told() -> None:
    assert parse_window("-1d", None, now=NOW) == Window(NOW - timedelta(days=1), NOW)


def test_the_window_is_half_open() -> None:
    window = parse_window("2026-01-13T00:00Z", "2026-01-14T00:00Z", now=NOW)
    assert window.contains_ms(window.start_ms)
    assert not window.contains_ms(window.end_ms)
    assert window.contains_ms(window.end_ms - 1)
    assert datetime(2026, 1, 13, 9, tzinfo=timezone(timedelta(hours=9))) in window
