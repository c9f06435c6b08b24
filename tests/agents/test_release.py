"""The release agent: what goes to wires.released, when, and from which worker."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any
from unittest.mock import MagicMock

import pytest

from schemas import Article, DeadLetter, EnrichedArticle, KillNotice
from streams import app as app_module
from streams import stories
from streams.agents import release
from streams.topology import HELD_EMBARGOES, KILLS
from tests.agents.fixtures import entries, seed

T0 = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)


def _copy(story: str = "test:20260504:summit", *, version: int = 1, **changes: Any) -> bytes:
    article = Article(
        article_id=f"{story}:v{version}",
        story_id=story,
        version=version,
        wire_id=f"sha256:{story}:{version}",
        source_format="plain-text",
        headline="Leaders meet at summit",
        body=["The leaders met."],
        received_at=T0,
        **changes,
    )
    return EnrichedArticle(
        pipeline_version="wirestream-test",
        article=article,
        stages=["parse", "entities", "topics"],
        enriched_at=T0,
    ).to_json()


def _kill(story: str = "test:20260504:summit") -> bytes:
    return KillNotice(
        pipeline_version="wirestream-test",
        story_id=story,
        article_id=f"{story}:kill",
        wire_id="sha256:kill",
        headline="KILL",
        reason="publication status canceled",
        received_at=T0,
    ).to_json()


def _event(value: bytes, *, topic: str, partition: int = 0, offset: int = 0) -> Any:
    message = SimpleNamespace(
        topic=topic, partition=partition, offset=offset, key=b"k", value=value
    )
    return SimpleNamespace(message=message, value=value)


def _enriched_event(value: bytes, *, partition: int = 0) -> Any:
    return _event(value, topic=app_module.settings.topic("wires.enriched"), partition=partition)


def _kill_event(value: bytes, *, partition: int = 0) -> Any:
    return _event(value, topic=app_module.settings.topic(KILLS.name), partition=partition)


def _released(sent: dict[str, Any]) -> list[str]:
    return [
        EnrichedArticle.model_validate_json(c.kwargs["value"]).article.article_id
        for c in sent["released"].await_args_list
    ]


@pytest.fixture()
def clock(monkeypatch: pytest.MonkeyPatch) -> list[datetime]:
    """The worker's clock, set by the test: ``clock[0]`` is now."""
    now = [T0]
    monkeypatch.setattr(release, "clock", lambda: now[0])
    return now


async def test_releasable_copy_goes_out_at_once_keyed_by_story(
    sent: dict[str, Any], clock: list[datetime]
) -> None:
    async with release.release_gate.test_context() as agent:
        await agent.put(_copy())

    assert _released(sent) == ["test:20260504:summit:v1"]
    assert sent["released"].await_args.kwargs["key"] == b"test:20260504:summit"
    assert entries(release.held_embargoes) == {}


async def test_embargoed_copy_is_held_then_released_by_the_owning_worker_when_it_lifts(
    sent: dict[str, Any], clock: list[datetime], owner: Any, changelogs: dict[str, MagicMock]
) -> None:
    until = T0 + timedelta(minutes=30)
    await release.handle(_enriched_event(_copy(embargoed_until=until), partition=1))
    assert _released(sent) == []
    assert changelogs[HELD_EMBARGOES.name].call_args.args[:2] == (1, "test:20260504:summit")

    owner.add(1)
    assert await release.release_lifted(until - timedelta(seconds=1)) == 0
    assert _released(sent) == [], "never before the embargo"

    assert await release.release_lifted(until) == 1
    assert _released(sent) == ["test:20260504:summit:v1"]
    assert entries(release.held_embargoes) == {}
    tombstone = changelogs[HELD_EMBARGOES.name].call_args
    assert tombstone.args == (1, "test:20260504:summit", None)


async def test_held_copy_of_a_partition_owned_elsewhere_is_left_to_its_owner(
    sent: dict[str, Any], clock: list[datetime], owner: Any
) -> None:
    await release.handle(
        _enriched_event(_copy(embargoed_until=T0 + timedelta(minutes=1)), partition=2)
    )
    owner.add(0)  # a standby replica of partition 2 holds the same entry

    assert await release.release_lifted(T0 + timedelta(hours=1)) == 0
    assert _released(sent) == []
    assert "test:20260504:summit" in entries(release.held_embargoes)


async def test_nothing_is_released_during_a_rebalance(
    sent: dict[str, Any],
    clock: list[datetime],
    owner: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await release.handle(_enriched_event(_copy(embargoed_until=T0 + timedelta(minutes=1))))
    owner.add(0)
    monkeypatch.setattr(app_module.app, "rebalancing", True)

    assert await release.release_lifted(T0 + timedelta(hours=1)) == 0
    assert _released(sent) == []


async def test_copy_restored_from_the_changelog_is_released_after_a_restart(
    sent: dict[str, Any], owner: Any
) -> None:
    # The table as the restore from the changelog rebuilds it on restart.
    held = EnrichedArticle.model_validate_json(_copy(embargoed_until=T0))
    state = stories.GateState(partition=0, held=stories.Held(held, "embargo"), embargo_until=T0)
    seed(release.held_embargoes, "test:20260504:summit", state.to_json())
    owner.add(0)

    assert await release.release_lifted(T0) == 1
    assert _released(sent) == ["test:20260504:summit:v1"]


async def test_kill_drops_the_held_copy_and_later_copy_of_the_story(
    sent: dict[str, Any], clock: list[datetime], owner: Any
) -> None:
    await release.handle(_enriched_event(_copy(embargoed_until=T0 + timedelta(minutes=1))))
    await release.handle(_kill_event(_kill()))
    await release.handle(_enriched_event(_copy(version=2)))
    owner.add(0)

    assert await release.release_lifted(T0 + timedelta(hours=1)) == 0
    assert _released(sent) == []
    assert sent["kills"].await_count == 0, "kills stay on wires.kills; nothing re-sent"


async def test_withheld_copy_waits_for_a_later_usable_version(
    sent: dict[str, Any], clock: list[datetime]
) -> None:
    await release.handle(_enriched_event(_copy(pub_status="withheld")))
    assert _released(sent) == []

    await release.handle(_enriched_event(_copy(version=2)))

    assert _released(sent) == ["test:20260504:summit:v2"]
    assert entries(release.held_embargoes) == {}


async def test_a_record_that_is_not_a_kill_notice_is_dead_lettered(
    sent: dict[str, Any], clock: list[datetime]
) -> None:
    await release.handle(_kill_event(b"{not a kill"))

    letter = DeadLetter.model_validate_json(sent["dlq"].await_args.kwargs["value"])
    assert (letter.stage, letter.error_code, letter.original) == (
        "release",
        "W901",
        b"{not a kill",
    )
    assert _released(sent) == []


async def test_entries_of_partitions_no_longer_assigned_are_forgotten_locally(
    clock: list[datetime], owner: Any, changelogs: dict[str, MagicMock]
) -> None:
    await release.handle(
        _enriched_event(_copy("s:1:a", embargoed_until=T0 + timedelta(1)), partition=0)
    )
    await release.handle(
        _enriched_event(_copy("s:1:b", embargoed_until=T0 + timedelta(1)), partition=1)
    )
    writes = changelogs[HELD_EMBARGOES.name].call_count
    owner.add(1)

    await app_module.outbox.release_unowned()

    assert set(entries(release.held_embargoes)) == {"s:1:b"}
    assert changelogs[HELD_EMBARGOES.name].call_count == writes, "the changelog is not touched"
