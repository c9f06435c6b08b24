"""The alerts agent: subscriptions applied from their topic, alerts once per story."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from datetime import timedelta
from types import SimpleNamespace
from typing import Any
from unittest.mock import AsyncMock

import pytest

from schemas import Alert, KillNotice, ReplayInfo, Subscription
from streams import app as app_module
from streams import observe
from streams.agents import alerts
from streams.alerts import backfill_alerts, document
from streams.outbox import Fenced
from streams.topology import ALERT_STATE, KILLS, LOOKBACK, RELEASED
from tests.agents.fixtures import entries
from tests.alerts.factory import NOW, record

SUB = "sub_" + "1" * 24
FOLLOW = "sub_" + "2" * 24


def _subscription(sid: str, query: str, *, updates: bool = False) -> bytes:
    return Subscription(
        id=sid, subscriber="desk", query=query, updates=updates, created_at=NOW
    ).to_json()


def _event(value: bytes, topic: str) -> Any:
    message = SimpleNamespace(
        topic=app_module.settings.topic(topic), partition=0, offset=0, key=b"story-1", value=value
    )
    return SimpleNamespace(message=message, value=value)


@pytest.fixture()
def matches(monkeypatch: pytest.MonkeyPatch) -> Iterator[AsyncMock]:
    mock = AsyncMock()
    monkeypatch.setattr(alerts.matches_topic, "send", mock)
    monkeypatch.setattr(alerts, "clock", lambda: NOW)
    for sid in (SUB, FOLLOW):
        alerts.registry.delete(sid)
    alerts.apply_subscription(SUB.encode(), _subscription(SUB, '"missile launch"'))
    alerts.apply_subscription(FOLLOW.encode(), _subscription(FOLLOW, "missile", updates=True))
    yield mock
    for sid in (SUB, FOLLOW):
        alerts.registry.delete(sid)


def _sent(mock: AsyncMock) -> list[tuple[str, str]]:
    out = []
    for call in mock.call_args_list:
        alert = Alert.model_validate_json(call.kwargs["value"])
        assert call.kwargs["key"] == alert.subscription_id.encode()
        out.append((alert.subscription_id, alert.kind))
    mock.reset_mock()
    return sorted(out)


V1_RECORD = record("Missile launch seen", "x", article_id="a1")
V1 = V1_RECORD.to_json()
V2 = record("Missile launch (LEAD)", "x", version=2, article_id="a2").to_json()


async def test_first_version_alerts_each_matching_subscription_once(matches: AsyncMock) -> None:
    assert await alerts.handle(_event(V1, RELEASED.name)) == 2
    assert _sent(matches) == [(SUB, "new"), (FOLLOW, "new")]
    await alerts.handle(_event(V1, RELEASED.name))  # redelivered
    assert _sent(matches) == []
    await alerts.handle(_event(V2, RELEASED.name))
    assert _sent(matches) == [(FOLLOW, "update")]


async def test_kill_reaches_the_alerted_subscriptions(matches: AsyncMock) -> None:
    await alerts.handle(_event(V1, RELEASED.name))
    matches.reset_mock()
    kill = KillNotice(
        pipeline_version="t",
        story_id="story-1",
        article_id="k1",
        wire_id="w",
        headline="KILL",
        reason="withdrawn",
        received_at=NOW,
    )
    await alerts.handle(_event(kill.to_json(), KILLS.name))
    assert _sent(matches) == [(SUB, "kill"), (FOLLOW, "kill")]


async def test_state_goes_to_the_changelog_of_the_story_partition(
    matches: AsyncMock, changelogs: dict[str, Any]
) -> None:
    await alerts.handle(_event(V1, RELEASED.name))
    changelogs[ALERT_STATE.name].assert_called_once()
    partition, key, value = changelogs[ALERT_STATE.name].call_args.args[:3]
    assert (partition, key) == (0, "story-1")
    assert set(value["alerted"]) == {SUB, FOLLOW}


async def test_deleted_subscription_stops_alerting(matches: AsyncMock) -> None:
    alerts.apply_subscription(SUB.encode(), None)
    await alerts.handle(_event(V1, RELEASED.name))
    assert _sent(matches) == [(FOLLOW, "new")]


async def test_non_matching_copy_gives_no_alert(matches: AsyncMock) -> None:
    await alerts.handle(_event(record("Port strike", "x").to_json(), RELEASED.name))
    assert _sent(matches) == []


async def test_bad_record_becomes_a_dead_letter(
    matches: AsyncMock, sent: dict[str, AsyncMock]
) -> None:
    await alerts.handle(_event(b"{not json", RELEASED.name))
    assert sent["dlq"].await_count == 1
    assert _sent(matches) == []


async def test_expired_story_state_is_forgotten_on_owned_partitions(
    matches: AsyncMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    await alerts.handle(_event(V1, RELEASED.name))
    assert await alerts.forget_expired(NOW + timedelta(days=6)) == 0
    assert await alerts.forget_expired(NOW + timedelta(days=8)) == 1
    assert entries(alerts.alert_state).get("story-1") is None


async def test_hourly_cap_drops_new_alerts_and_does_not_follow_those_stories(
    matches: AsyncMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streams.alerts import RateLimiter

    capped = "sub_" + "3" * 24
    monkeypatch.setattr(alerts, "limiter", RateLimiter())
    capped_record = Subscription(
        id=capped,
        subscriber="desk",
        query="launch",
        updates=True,
        max_alerts_per_hour=1,
        created_at=NOW,
    )
    alerts.apply_subscription(capped.encode(), capped_record.to_json())
    try:
        first = record("Missile launch", "x", story_id="s-a", article_id="s-a1").to_json()
        second = record("Rocket launch", "x", story_id="s-b", article_id="s-b1").to_json()
        await alerts.handle(_event(first, RELEASED.name))
        await alerts.handle(_event(second, RELEASED.name))
        assert [a for a in _sent(matches) if a[0] == capped] == [(capped, "new")]
        later = record("Rocket launch (LEAD)", "x", story_id="s-b", version=2, article_id="s-b2")
        await alerts.handle(_event(later.to_json(), RELEASED.name))
        assert [a for a in _sent(matches) if a[0] == capped] == []
    finally:
        alerts.registry.delete(capped)


async def test_alerts_from_a_replayed_copy_say_backfill(matches: AsyncMock) -> None:
    live = record("Missile launch seen", "x", article_id="a1")
    replayed = live.model_copy(
        update={"replay": ReplayInfo(replay_id="rp-1", window_from=NOW, window_to=NOW)}
    )
    await alerts.handle(_event(live.to_json(), RELEASED.name))
    assert {
        Alert.model_validate_json(c.kwargs["value"]).backfill for c in matches.call_args_list
    } == {False}
    matches.reset_mock()
    alerts.alert_state.apply(0, [(b"story-1", None)])
    await alerts.handle(_event(replayed.to_json(), RELEASED.name))
    flags = [Alert.model_validate_json(c.kwargs["value"]).backfill for c in matches.call_args_list]
    assert flags == [True, True]


async def test_every_alert_sent_is_counted_by_its_kind(matches: AsyncMock) -> None:
    def counted(kind: str) -> float:
        found = observe.REGISTRY.get_sample_value("wirestream_alert_matches_total", {"kind": kind})
        return found or 0.0

    new, update = counted("new"), counted("update")

    await alerts.handle(_event(V1, RELEASED.name))
    await alerts.handle(_event(V1, RELEASED.name))  # redelivered: no alert, nothing counted
    await alerts.handle(_event(V2, RELEASED.name))

    assert (counted("new") - new, counted("update") - update) == (2, 1)


async def test_alerts_of_a_transaction_given_up_are_not_counted(
    matches: AsyncMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    def counted() -> float:
        found = observe.REGISTRY.get_sample_value("wirestream_alert_matches_total", {"kind": "new"})
        return found or 0.0

    async def fenced(tx: Any) -> None:
        raise Fenced("taken over by a newer producer")

    before = counted()
    with monkeypatch.context() as patch:
        patch.setattr(app_module.outbox.backend, "commit", fenced)
        assert await alerts.handle_events([_event(V1, RELEASED.name)]) == 0
    assert counted() == before  # decided three times, committed never: nothing counted
    assert _sent(matches) == []

    assert await alerts.handle_events([_event(V1, RELEASED.name)]) == 1
    assert counted() == before + 2
    assert _sent(matches) == [(SUB, "new"), (FOLLOW, "new")]


async def test_many_alerts_for_one_article_are_made_off_the_event_loop(
    matches: AsyncMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[str] = []
    to_thread = asyncio.to_thread

    async def recorded(fn: Any, /, *args: Any, **kwargs: Any) -> Any:
        def run() -> Any:
            threads.append(threading.current_thread().name)
            return fn(*args, **kwargs)

        return await to_thread(run)

    monkeypatch.setattr(alerts.asyncio, "to_thread", recorded)
    monkeypatch.setattr(alerts, "OFF_LOOP_ALERTS", 1)  # two alerts: past the bound
    assert await alerts.handle(_event(V1, RELEASED.name)) == 2
    assert len(threads) == 1 and threads[0] != threading.main_thread().name
    assert _sent(matches) == [(SUB, "new"), (FOLLOW, "new")]

    monkeypatch.setattr(alerts, "OFF_LOOP_ALERTS", 2)  # within the bound: made in place
    story = record("Missile launch again", "x", article_id="b1", story_id="story-2").to_json()
    assert await alerts.handle(_event(story, RELEASED.name)) == 2
    assert len(threads) == 1


def _lookback(sid: str) -> bytes:
    """The look-back alert a new subscription's --since makes for V1, as sent to alerts.lookback."""
    subscription, query = alerts.registry.get(sid), alerts.registry.query(sid)
    assert subscription is not None and query is not None
    [alert] = backfill_alerts(
        subscription,
        query,
        [(V1_RECORD, document(V1_RECORD, alerts.registry.vocabulary))],
        now=NOW,
        pipeline_version="t",
    )
    return alert.to_json()


async def test_look_back_alert_goes_on_to_matches_and_a_later_version_is_an_update(
    matches: AsyncMock,
) -> None:
    await alerts.handle(_event(_lookback(FOLLOW), LOOKBACK.name))
    [call] = matches.call_args_list
    alert = Alert.model_validate_json(call.kwargs["value"])
    assert (alert.kind, alert.backfill, call.kwargs["key"]) == ("new", True, FOLLOW.encode())
    matches.reset_mock()
    await alerts.handle(_event(V2, RELEASED.name))
    # SUB never saw the story, so its first match is new; FOLLOW had it in the look-back.
    assert _sent(matches) == [(SUB, "new"), (FOLLOW, "update")]


async def test_look_back_alert_for_a_story_the_live_copy_alerted_is_dropped(
    matches: AsyncMock,
) -> None:
    await alerts.handle(_event(V1, RELEASED.name))
    assert _sent(matches) == [(SUB, "new"), (FOLLOW, "new")]
    await alerts.handle(_event(_lookback(SUB), LOOKBACK.name))
    assert _sent(matches) == []


async def test_unreadable_look_back_record_becomes_a_dead_letter(
    matches: AsyncMock, sent: dict[str, AsyncMock]
) -> None:
    await alerts.handle(_event(b"{not an alert", LOOKBACK.name))
    assert sent["dlq"].await_count == 1
    assert _sent(matches) == []
