from __future__ import annotations

from datetime import timedelta

from schemas import KillNotice
from streams.alerts import (
    RateLimiter,
    StoryAlerts,
    decide,
    decide_lookback,
    document,
    expired,
)
from tests.alerts.factory import NOW, VOCABULARY, record

FIRST = document(record("Missile launch", "x", version=1, article_id="a1"), VOCABULARY)
LEAD = document(
    record("Missile launch (LEAD)", "x", version=2, version_tags=("LEAD",), article_id="a2"),
    VOCABULARY,
)
CORRECTION = document(
    record("Missile launch", "x", version=3, signals=("correction",), article_id="a3"), VOCABULARY
)
KILL = document(
    KillNotice(
        pipeline_version="t",
        story_id="story-1",
        article_id="k1",
        wire_id="w",
        headline="KILL",
        reason="kill signal",
        received_at=NOW,
    ),
    VOCABULARY,
)
SUBS = {"plain": False, "follow": True}


def step(state: StoryAlerts | None, doc: object, matched: list[str]) -> tuple[list, StoryAlerts]:
    decision = decide(state, doc, matched, wants_updates=SUBS, partition=0, now=NOW)  # type: ignore[arg-type]
    return decision.alerts, decision.state


def test_first_match_gives_one_new_alert_per_subscription() -> None:
    alerts, state = step(None, FIRST, ["plain", "follow"])
    assert alerts == [("follow", "new"), ("plain", "new")]
    assert state.alerted == {"follow": 1, "plain": 1}


def test_later_version_updates_only_those_who_asked() -> None:
    _, state = step(None, FIRST, ["plain", "follow"])
    alerts, state = step(state, LEAD, ["plain", "follow"])
    assert alerts == [("follow", "update")]


def test_update_reaches_an_alerted_follower_even_when_the_new_version_does_not_match() -> None:
    _, state = step(None, FIRST, ["follow"])
    alerts, _ = step(state, LEAD, [])
    assert alerts == [("follow", "update")]


def test_first_match_on_a_later_version_is_new() -> None:
    _, state = step(None, FIRST, [])
    alerts, _ = step(state, LEAD, ["plain"])
    assert alerts == [("plain", "new")]


def test_correction_and_kill_reach_every_alerted_subscription() -> None:
    _, state = step(None, FIRST, ["plain"])
    alerts, state = step(state, CORRECTION, [])
    assert alerts == [("plain", "correction")]
    alerts, state = step(state, KILL, [])
    assert alerts == [("plain", "kill")]
    assert state.killed


def test_nothing_more_after_a_kill() -> None:
    _, state = step(None, FIRST, ["plain"])
    _, state = step(state, KILL, [])
    alerts, _ = step(state, LEAD, ["plain", "follow"])
    assert alerts == []


def test_kill_of_a_story_never_alerted_reaches_nobody_unless_asked() -> None:
    assert step(None, KILL, [])[0] == []
    assert step(None, KILL, ["plain"])[0] == [("plain", "kill")]


def test_redelivered_article_alerts_nobody_again() -> None:
    _, state = step(None, FIRST, ["plain"])
    assert step(state, FIRST, ["plain"])[0] == []


def test_deleted_subscription_is_skipped() -> None:
    _, state = step(None, FIRST, ["plain"])
    decision = decide(state, CORRECTION, [], wants_updates={}, partition=0, now=NOW)
    assert decision.alerts == []
    assert decide(None, FIRST, ["gone"], wants_updates={}, partition=0, now=NOW).alerts == []


def test_state_round_trips_through_json() -> None:
    _, state = step(None, FIRST, ["plain", "follow"])
    assert StoryAlerts.from_json(state.to_json()) == state


def test_state_expires_after_retention() -> None:
    _, state = step(None, FIRST, ["plain"])
    assert not expired(state, NOW + timedelta(days=6), timedelta(days=7))
    assert expired(state, NOW + timedelta(days=8), timedelta(days=7))


def test_rate_limiter_caps_alerts_per_hour() -> None:
    limiter = RateLimiter()
    assert [limiter.allow("s", 2, NOW + timedelta(minutes=i)) for i in range(3)] == [
        True,
        True,
        False,
    ]
    assert limiter.allow("s", 2, NOW + timedelta(minutes=61))
    assert limiter.allow("t", None, NOW)


def test_look_back_alert_counts_as_the_new_one_so_a_later_version_is_an_update() -> None:
    sent, state = decide_lookback(None, subscription_id="follow", partition=0, now=NOW)
    assert sent and state.alerted == {"follow": 1}
    sent, state = decide_lookback(state, subscription_id="plain", partition=0, now=NOW)
    assert sent
    alerts, _ = step(state, LEAD, ["plain", "follow"])
    assert alerts == [("follow", "update")]


def test_look_back_alert_after_the_live_one_is_not_sent() -> None:
    _, state = step(None, FIRST, ["plain"])
    sent, after = decide_lookback(state, subscription_id="plain", partition=0, now=NOW)
    assert not sent and after == state


def test_look_back_alert_of_a_killed_story_is_not_sent() -> None:
    _, state = step(None, KILL, [])
    assert state.killed
    sent, _ = decide_lookback(state, subscription_id="plain", partition=0, now=NOW)
    assert not sent


def test_look_back_does_not_remember_the_article_for_other_subscriptions() -> None:
    _, state = decide_lookback(None, subscription_id="plain", partition=0, now=NOW)
    alerts, _ = step(state, FIRST, ["plain", "follow"])
    assert alerts == [("follow", "new")]
