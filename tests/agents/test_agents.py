"""The agents route results and failures; the stage logic is tested elsewhere."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from unittest.mock import AsyncMock

import pytest

from schemas import (
    Article,
    DeadLetter,
    EnrichedArticle,
    Entity,
    KillNotice,
    Mention,
    RawWire,
    TopicTag,
    Urgency,
)
from schemas.enriched import LanguageInfo
from streams import app as app_module
from streams import ingest, pipeline
from streams import pool as pool_module
from streams.agents.entities import extract_entities, extract_urgent_entities
from streams.agents.parse import parse_wires
from streams.agents.tagging import tag_topics
from streams.topology import CLUSTER_INDEX_KEY
from tests.conftest import EXAMPLES

NOW = datetime(2026, 1, 14, tzinfo=UTC)


def _raw(content: bytes) -> bytes:
    return RawWire(wire_id="sha256:test", content=content, source="file", received_at=NOW).to_json()


def _article() -> Article:
    return Article(
        article_id="a1",
        story_id="test:20260114:story",
        version=1,
        wire_id="sha256:test",
        source_format="plain-text",
        headline="Kim meets Xi in Beijing",
        body=["Kim Jong-un met Xi Jinping in Beijing."],
        received_at=NOW,
    )


def _flash() -> Article:
    return _article().model_copy(
        update={
            "article_id": "f1",
            "story_id": "test:20260114:flash",
            "urgency": Urgency(value=1, source_value="flash"),
        }
    )


@pytest.fixture()
def inline_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pool's parse, run in this process: the same per-wire results, no worker start-up."""

    async def parse(batch: list[RawWire]) -> list[Any]:
        return pool_module._worker_parse(list(batch))

    monkeypatch.setattr(app_module.stage_pool, "parse", parse)


def _sent_value(mock: AsyncMock) -> bytes:
    assert mock.await_count == 1, mock.await_args_list
    value: bytes = mock.await_args.kwargs["value"]
    return value


async def test_parse_agent_publishes_the_article_keyed_by_story(
    sent: dict[str, Any], inline_parse: None
) -> None:
    wire = (EXAMPLES / "yonhap-20260114-port-strike.txt").read_bytes()
    async with parse_wires.test_context() as agent:
        await agent.put(_raw(wire))
    article = Article.model_validate_json(_sent_value(sent["parsed"]))
    assert sent["parsed"].await_args.kwargs["key"] == article.story_id.encode()
    assert sent["dlq"].await_count == 0


async def test_parse_agent_dead_letters_bad_bytes_and_keeps_going(
    sent: dict[str, Any], inline_parse: None
) -> None:
    good = (EXAMPLES / "plain-20260220-central-bank.txt").read_bytes()
    async with parse_wires.test_context() as agent:
        await agent.put(_raw(b"\x00\x01\x02\xff" * 50))
        await agent.put(b"{not json")
        await agent.put(_raw(good))
    letters = [
        DeadLetter.model_validate_json(c.kwargs["value"]) for c in sent["dlq"].await_args_list
    ]
    # One batch: records that are not even JSON are dead-lettered before the parse runs.
    by_code = {d.error_code[:2]: d for d in letters}
    assert sorted((d.stage, d.error_code[:2]) for d in letters) == [
        ("parse", "W1"),
        ("parse", "W9"),
    ]
    assert by_code["W9"].original == b"{not json"
    assert RawWire.model_validate_json(by_code["W1"].original).content.startswith(b"\x00\x01")
    assert sent["parsed"].await_count == 1


async def test_parse_agent_sends_a_kill_to_the_kills_topic_instead_of_nlp(
    sent: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    kill = _article().model_copy(
        update={"pub_status": "canceled", "editorial_notes": ["Withdrawn: wrong name."]}
    )
    update = _article().model_copy(update={"article_id": "a2", "version": 2})

    async def parse(batch: list[RawWire]) -> list[Any]:
        return [[kill, update] for _ in batch]

    monkeypatch.setattr(app_module.stage_pool, "parse", parse)
    async with parse_wires.test_context() as agent:
        await agent.put(_raw(b"a wire with a kill and an update"))

    notice = KillNotice.model_validate_json(_sent_value(sent["kills"]))
    assert sent["kills"].await_args.kwargs["key"] == kill.story_id.encode()
    assert (notice.story_id, notice.article_id) == (kill.story_id, "a1")
    assert notice.reason == "publication status canceled: Withdrawn: wrong name."
    assert [
        Article.model_validate_json(c.kwargs["value"]).article_id
        for c in (sent["parsed"].await_args_list)
    ] == ["a2"]


async def test_entities_agent_sends_entities_and_tags_to_clustering_and_isolates_a_failure(
    sent: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    entity = Entity(
        name="Kim",
        type="PERSON",
        mentions=[Mention(text="Kim", section="headline", start=0, end=3)],
    )
    tag = TopicTag(qcode="medtop:11000000", name="politics", level=1, relevance=80, creator="test")
    language = LanguageInfo(code="en", detected="en", confidence=99)
    calls: list[bool] = []

    async def fake_enrich(batch: list[Any], *, urgent: bool = False) -> list[Any]:
        calls.append(urgent)
        if any("poison" in item.body for item, _ in batch):
            raise RuntimeError("model crashed")
        return [([entity], pipeline.TopicsResult([tag], [], language)) for _ in batch]

    monkeypatch.setattr(app_module.stage_pool, "enrich", fake_enrich)
    monkeypatch.setattr(app_module.stage_pool, "start", AsyncMock(return_value="test-model"))
    poison = _article().model_copy(update={"body": ["poison"]})
    async with extract_entities.test_context() as agent:
        await agent.put(_article().to_json())
        await agent.put(poison.to_json())
    # The batches may hold both together or not: either way one result, one letter.
    out = [
        EnrichedArticle.model_validate_json(c.kwargs["value"])
        for c in sent["clustering"].await_args_list
    ]
    letters = [
        DeadLetter.model_validate_json(c.kwargs["value"]) for c in sent["dlq"].await_args_list
    ]
    assert [o.entities for o in out] == [[entity]]
    assert out[0].topics == [tag]
    assert out[0].stages == ["parse", "entities", "topics"]
    assert out[0].pipeline_version.endswith("+test-model")
    assert {c.kwargs["key"] for c in sent["clustering"].await_args_list} == {CLUSTER_INDEX_KEY}
    assert [(d.stage, d.message) for d in letters] == [("entities", "model crashed")]
    assert sent["entities"].await_count == 0, "no hop through wires.entities any more"
    assert set(calls) == {False}, "routine copy is not run as urgent"


async def test_the_urgent_entities_agent_runs_its_articles_as_urgent(
    sent: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    language = LanguageInfo(code="en", detected="en", confidence=99)
    calls: list[bool] = []

    async def fake_enrich(batch: list[Any], *, urgent: bool = False) -> list[Any]:
        calls.append(urgent)
        return [([], pipeline.TopicsResult([], [], language)) for _ in batch]

    monkeypatch.setattr(app_module.stage_pool, "enrich", fake_enrich)
    monkeypatch.setattr(app_module.stage_pool, "start", AsyncMock(return_value="test-model"))
    async with extract_urgent_entities.test_context() as agent:
        await agent.put(_flash().to_json())
    done = EnrichedArticle.model_validate_json(_sent_value(sent["clustering"]))
    assert done.article.article_id == "f1"
    assert calls == [True]


async def test_topics_agent_adds_tags_and_marks_the_stage(
    sent: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    tag = TopicTag(qcode="medtop:11000000", name="politics", level=1, relevance=80, creator="test")
    language = LanguageInfo(code="en", detected="en", confidence=99)

    async def fake_topics(batch: list[Any]) -> list[pipeline.TopicsResult]:
        return [pipeline.TopicsResult([tag], [], language) for _ in batch]

    monkeypatch.setattr(app_module.stage_pool, "topics", fake_topics)
    enriched = EnrichedArticle(
        pipeline_version="wirestream-test",
        article=_article(),
        stages=["parse", "entities"],
        enriched_at=NOW,
    )
    async with tag_topics.test_context() as agent:
        await agent.put(enriched.to_json())
    # On to the story-cluster index, which publishes to wires.enriched.
    done = EnrichedArticle.model_validate_json(_sent_value(sent["clustering"]))
    assert done.topics == [tag]
    assert done.language == language
    assert done.stages == ["parse", "entities", "topics"]
    assert done.pipeline_version == "wirestream-test"


async def test_the_same_wire_bytes_again_within_the_window_are_a_counted_resend(
    sent: dict[str, Any], inline_parse: None
) -> None:
    from streams.observe.metrics import RESENDS

    before = RESENDS.labels(stage="parse")._value.get()
    wire = (EXAMPLES / "plain-20260220-central-bank.txt").read_bytes()
    lead = wire.replace(b"holds rates steady", b"holds rates steady again", 1)
    async with parse_wires.test_context() as agent:
        for content in (wire, wire, wire, lead):
            raw = RawWire(
                wire_id=ingest.wire_id(content), content=content, source="file", received_at=NOW
            )
            await agent.put(raw.to_json())
    assert sent["parsed"].await_count == 2, "one for the wire, one for its new version"
    assert RESENDS.labels(stage="parse")._value.get() - before == 2


async def test_parse_agent_sends_an_urgent_article_to_the_urgent_lane(
    sent: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    async def parse(batch: list[RawWire]) -> list[Any]:
        return [[_flash(), _article()] for _ in batch]

    monkeypatch.setattr(app_module.stage_pool, "parse", parse)
    async with parse_wires.test_context() as agent:
        await agent.put(_raw(b"a flash and a routine article"))

    flash = Article.model_validate_json(_sent_value(sent["parsed_urgent"]))
    assert flash.article_id == "f1"
    assert sent["parsed_urgent"].await_args.kwargs["key"] == flash.story_id.encode()
    assert Article.model_validate_json(_sent_value(sent["parsed"])).article_id == "a1"


class _Message:
    def __init__(self, offset: int, partition: int = 0) -> None:
        self.topic = app_module.settings.topic("wires.raw")
        self.partition = partition
        self.offset = offset
        self.timestamp = 1_800_000_000.0 + offset


class _Event:
    def __init__(self, raw: RawWire, offset: int) -> None:
        self.message = _Message(offset)
        self.value = raw.to_json()


def _wire_event(offset: int, *, flash: bool, content: bytes | None = None) -> Any:
    from streams.agents.batching import Item

    content = content or f"wire {offset}".encode()
    raw = RawWire(wire_id=ingest.wire_id(content), content=content, source="file", received_at=NOW)
    article = _flash() if flash else _article()
    article = article.model_copy(
        update={"article_id": f"x{offset}", "story_id": f"test:20260114:s{offset}"}
    )
    return Item(_Event(raw, offset), raw, [article])


def _ids(mock: AsyncMock) -> list[str]:
    return [Article.model_validate_json(c.kwargs["value"]).article_id for c in mock.await_args_list]


async def test_an_urgent_wire_goes_out_ahead_of_its_batch_and_only_once(
    sent: dict[str, Any],
) -> None:
    from streams.agents import parse
    from tests.agents.fixtures import entries

    routine = [_wire_event(n, flash=False) for n in range(3)]
    flash = _wire_event(3, flash=True)

    assert await parse.publish_early([flash]) == 1
    assert _ids(sent["parsed_urgent"]) == ["x3"], "out before the wires ahead of it"
    assert _ids(sent["parsed"]) == []
    assert entries(parse.wire_ids)[flash.record.wire_id][parse.EARLY] == 3

    # The same newest chunk again (a re-read after a crash): nothing goes out twice.
    assert await parse.publish_early([flash]) == 0

    await parse._commit([*routine, flash])

    assert _ids(sent["parsed"]) == ["x0", "x1", "x2"]
    assert _ids(sent["parsed_urgent"]) == ["x3"], "its batch does not publish it again"
    assert parse.EARLY not in entries(parse.wire_ids)[flash.record.wire_id]


async def test_a_resend_of_an_urgent_wire_is_not_published_early(sent: dict[str, Any]) -> None:
    from streams.agents import parse

    first = _wire_event(0, flash=True, content=b"flash")
    await parse._commit([first])
    again = _wire_event(1, flash=True, content=b"flash")  # the same bytes, the same wire id

    assert await parse.publish_early([again]) == 0
    await parse._commit([again])
    assert _ids(sent["parsed_urgent"]) == ["x0"]


def test_the_lookahead_takes_the_newest_waiting_wires_not_parsed_yet() -> None:
    from streams.agents import parse

    waiting = [_wire_event(n, flash=False).event for n in range(20)]
    waiting = waiting[10:] + waiting[:10]  # partitions delivered out of time order
    looked = {parse._key(e) for e in waiting[5:10]}

    picked = parse._unscanned(waiting, looked, limit=8)

    assert [e.message.offset for e in picked] == list(range(7, 15))


async def test_a_wire_its_batch_committed_first_is_not_published_early_after(
    sent: dict[str, Any],
) -> None:
    from streams.agents import parse

    flash = _wire_event(0, flash=True)
    await parse._commit([flash])  # the agent took it while the scout was parsing it

    assert await parse.publish_early([flash]) == 0
    assert _ids(sent["parsed_urgent"]) == ["x0"]


async def test_the_scout_looks_at_a_wire_once_even_when_its_parse_skips_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Wires below the checkpoint (a restart) parse to nothing: the scout must not spin on them."""
    import asyncio

    from streams.agents import parse

    calls: list[int] = []

    async def nothing_fresh(events: Any, *, urgent: bool = False) -> list[Any]:
        calls.append(len(events))
        if len(calls) > 3:
            raise RuntimeError("the scout keeps parsing the same wires")
        return []

    monkeypatch.setattr(parse, "_parse", nothing_fresh)
    waiting = [_wire_event(n, flash=False).event for n in range(3)]
    ahead = parse.Lookahead()
    scout = asyncio.create_task(parse._scout(waiting, ahead))
    try:
        await asyncio.sleep(0.1)
    finally:
        scout.cancel()
    assert calls == [3]
    assert ahead.take(waiting) == {}
    assert ahead.looked == set()
