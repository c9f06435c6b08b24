"""What a replay selects, how its checkpoint advances, and what the release gate lets out."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas import Article, EnrichedArticle, ReplayCounts, ReplayInfo, ReplayState
from streams.replay import (
    Filters,
    RateLimiter,
    advance,
    describe,
    is_backfill,
    latest_states,
    new_replay_id,
    remaining,
    should_release,
    summary,
)

T0 = datetime(2026, 1, 14, tzinfo=UTC)


def _article(agency: str | None = "Yonhap", fmt: str = "yonhap-text") -> Article:
    return Article(
        article_id="a1",
        story_id="s1",
        version=1,
        wire_id="sha256:00",
        source_format=fmt,
        source_agency=agency,
        headline="Port strike ends",
        body=["Workers returned."],
        received_at=T0,
    )


def _enriched(replay: ReplayInfo | None) -> EnrichedArticle:
    return EnrichedArticle(
        pipeline_version="wirestream-test", article=_article(), enriched_at=T0, replay=replay
    )


def _state(**values: object) -> ReplayState:
    base: dict[str, object] = {
        "kind": "replay",
        "replay_id": "r1",
        "mode": "re-enrich",
        "source_topic": "wires.raw",
        "target_topic": "wires.enriched",
        "window_from": T0,
        "window_to": T0.replace(day=15),
        "pipeline_version": "wirestream-test",
        "started_at": T0,
        "updated_at": T0,
        "positions": {0: 0, 1: 5},
        "ends": {0: 10, 1: 5},
    }
    base.update(values)
    return ReplayState.model_validate(base)


def test_live_records_are_released() -> None:
    assert should_release(_enriched(None))


def test_replayed_records_are_not_released_by_default() -> None:
    mark = ReplayInfo(replay_id="r1", window_from=T0, window_to=T0.replace(day=15))
    assert not should_release(_enriched(mark))


def test_replayed_records_are_released_when_the_replay_asked_for_alerts() -> None:
    mark = ReplayInfo(replay_id="r1", window_from=T0, window_to=T0.replace(day=15), alerts=True)
    assert should_release(_enriched(mark))
    assert is_backfill(_enriched(mark))


def test_live_records_are_not_a_backfill() -> None:
    assert not is_backfill(_enriched(None))


@pytest.mark.parametrize(
    ("filters", "selected"),
    [
        (Filters(), True),
        (Filters(source_agency="yonhap"), True),
        (Filters(source_agency="AP"), False),
        (Filters(source_format="yonhap"), True),
        (Filters(source_format="yonhap-text"), True),
        (Filters(source_format="yon"), False),
        (Filters(source_agency="Yonhap", source_format="anpa"), False),
    ],
)
def test_filters_select_by_agency_and_format_family(filters: Filters, selected: bool) -> None:
    assert filters.selects(_article()) is selected


def test_an_article_without_agency_passes_no_agency_filter() -> None:
    assert not Filters(source_agency="Yonhap").selects(_article(agency=None))


def test_a_checkpoint_finishes_when_every_partition_reached_its_end() -> None:
    state = _state()
    assert remaining(state) == 10
    halfway = advance(state, positions={0: 4}, counts=ReplayCounts(read=4), now=T0)
    assert remaining(halfway) == 6
    assert not halfway.finished
    done = advance(halfway, positions={0: 10}, counts=ReplayCounts(read=10), now=T0)
    assert done.finished
    assert done.positions == {0: 10, 1: 5}


def test_the_latest_state_of_each_replay_wins() -> None:
    first, later, other = _state(), _state(finished=True), _state(replay_id="r2")
    assert latest_states([first, other, later]) == {"r1": later, "r2": other}


def test_replay_ids_sort_by_start() -> None:
    assert new_replay_id(T0, "abc123") == "r20260114-0000-abc123"
    assert new_replay_id(T0, "z") < new_replay_id(T0.replace(hour=1), "a")


def test_list_line_and_summary_give_the_counts() -> None:
    state = _state(counts=ReplayCounts(read=7, produced=5, dead_lettered=1, skipped=1))
    line = describe(state)
    assert "r1" in line and "unfinished, 10 offsets left" in line and "dead-lettered 1" in line
    assert summary(state.counts, seconds=2.0) == (
        "read 7, produced 5, dead-lettered 1, skipped 1 in 2.0 s (3.5 records/s)"
    )


def test_the_rate_limiter_spreads_records_to_the_rate() -> None:
    limiter = RateLimiter(10.0, start=0.0)
    assert limiter.delay(10, 0.0) == 0.0  # one second's worth may go at once
    assert limiter.delay(5, 0.0) == pytest.approx(0.5)
    assert limiter.delay(5, 1.0) == pytest.approx(0.0)


def test_no_rate_means_no_waiting() -> None:
    assert RateLimiter(None, start=0.0).delay(10_000, 0.0) == 0.0
