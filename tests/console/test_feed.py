from __future__ import annotations

from datetime import timedelta

from schemas import Alert, KillNotice, RawWire
from streams.console.feed import CLOSING, OVERFLOW, Event, Hub, StoryBuffer
from streams.console.readers import apply
from streams.settings import Settings
from streams.topology import KILLS, MATCHES, RAW, RELEASED
from tests.alerts.factory import NOW, record


def test_buffer_keeps_the_newest_stories_and_a_rerelease_moves_to_the_front() -> None:
    buffer = StoryBuffer(2)
    a, b, c = (record(h, story_id=h) for h in ("a", "b", "c"))
    for story in (a, b, c):
        buffer.add(story)
    assert [r.article.headline for r in buffer.newest()] == ["c", "b"]
    buffer.add(b)
    assert [r.article.headline for r in buffer.newest()] == ["b", "c"]
    assert buffer.get(a.article.article_id) is None


def test_a_kill_removes_every_version_of_its_story() -> None:
    buffer = StoryBuffer(10)
    buffer.add(record("v1", story_id="s", version=1))
    buffer.add(record("v2", story_id="s", version=2))
    buffer.add(record("other", story_id="t"))
    assert sorted(buffer.kill("s")) == ["s-v1", "s-v2"]
    assert [r.article.headline for r in buffer.newest()] == ["other"]


def test_cluster_members_come_newest_first() -> None:
    buffer = StoryBuffer(10)
    for name in ("x", "y"):
        buffer.add(record(name, story_id=name).model_copy(update={"cluster_id": "c"}))
    buffer.add(record("z", story_id="z"))
    assert [r.article.headline for r in buffer.cluster("c")] == ["y", "x"]


async def test_hub_drops_a_listener_that_falls_behind_and_closes_the_rest() -> None:
    hub = Hub(backlog=2)
    slow, quick = hub.listen(), hub.listen()
    hub.publish(Event("story", {"n": 1}))
    quick.get_nowait()
    hub.publish(Event("story", {"n": 2}))
    hub.publish(Event("story", {"n": 3}))
    assert [slow.get_nowait() for _ in range(3)][-1] is OVERFLOW
    assert len(hub) == 1
    hub.close()
    assert [quick.get_nowait() for _ in range(3)][-1] is CLOSING
    assert len(hub) == 0


def test_records_of_each_topic_reach_buffer_and_pages() -> None:
    settings = Settings(topic_prefix="t.")
    buffer, hub = StoryBuffer(10), Hub()
    page = hub.listen()
    story = record("Quake", story_id="q")
    wire = RawWire(wire_id=story.article.wire_id, content=b"Quake", source="file", received_at=NOW)
    apply(settings.topic(RAW.name), wire.to_json(), settings=settings, buffer=buffer, hub=hub)
    apply(settings.topic(RELEASED.name), story.to_json(), settings=settings, buffer=buffer, hub=hub)
    apply(settings.topic(RELEASED.name), b"{not json", settings=settings, buffer=buffer, hub=hub)
    assert buffer.raw(story.article.wire_id) == wire
    assert page.get_nowait().data["headline"] == "Quake"
    alert = Alert(
        pipeline_version="t",
        alert_id="a1",
        subscription_id="sub_1",
        subscriber="desk",
        kind="new",
        story_id="q",
        article_id=story.article.article_id,
        version=1,
        headline="Quake",
        reason="matched Quake",
        created_at=NOW + timedelta(seconds=1),
    )
    apply(settings.topic(MATCHES.name), alert.to_json(), settings=settings, buffer=buffer, hub=hub)
    assert page.get_nowait().name == "alert"
    assert [a.alert_id for a in buffer.alerts("sub_1")] == ["a1"]
    assert buffer.alerts("sub_2") == []
    kill = KillNotice(
        pipeline_version="t",
        story_id="q",
        article_id="kill-1",
        wire_id="sha256:" + "2" * 32,
        headline="KILL Quake",
        reason="withdrawn",
        received_at=NOW,
    )
    apply(settings.topic(KILLS.name), kill.to_json(), settings=settings, buffer=buffer, hub=hub)
    assert page.get_nowait().data == {"story_id": "q", "article_ids": [story.article.article_id]}
    assert len(buffer) == 0
