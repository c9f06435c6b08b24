"""The clusters agent: one cluster id per story, shared by copies, kept in its table."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from unittest.mock import AsyncMock, MagicMock

import pytest

import streams.agents  # noqa: F401  (registers the agents)
from schemas import Article, EnrichedArticle
from streams import app as app_module
from streams import pool as pool_module
from streams.agents import clusters as clusters_agent
from streams.topology import CLUSTER_INDEX_KEY, STORY_CLUSTERS

NOW = datetime(2026, 3, 4, 9, tzinfo=UTC)


@pytest.fixture()
def captured(
    monkeypatch: pytest.MonkeyPatch, capture: dict[str, MagicMock]
) -> Iterator[dict[str, Any]]:
    """Sends to wires.enriched and the dlq captured, the table and the index emptied."""
    enriched, dlq = AsyncMock(), AsyncMock()
    changelog = capture[STORY_CLUSTERS.name]
    monkeypatch.setattr(app_module.enriched_topic, "send", enriched)
    monkeypatch.setattr(app_module.dlq_topic, "send", dlq)
    clusters_agent.cluster_store.invalidate()
    clusters_agent.cluster_index.rebuild()

    async def fingerprints(batch: list[tuple[str, str]]) -> list[Any]:
        return pool_module._worker_fingerprints(list(batch))

    monkeypatch.setattr(app_module.stage_pool, "fingerprints", fingerprints)
    yield {"enriched": enriched, "dlq": dlq, "changelog": changelog}
    clusters_agent.cluster_store.invalidate()
    clusters_agent.cluster_index.rebuild()


def _texts() -> list[dict[str, Any]]:
    with Path(__file__).with_name("pairs.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _record(story_id: str, text: dict[str, str], *, article_id: str | None = None) -> bytes:
    article = Article(
        article_id=article_id or story_id,
        story_id=story_id,
        version=1,
        wire_id="sha256:test",
        source_format="plain-text",
        headline=text["headline"],
        body=text["body"].split("\n\n"),
        received_at=NOW,
    )
    return EnrichedArticle(
        pipeline_version="v",
        article=article,
        stages=["parse", "entities", "topics"],
        enriched_at=NOW,
    ).to_json()


async def test_copies_share_a_cluster_and_unrelated_stories_do_not(
    captured: dict[str, Any],
) -> None:
    pairs = _texts()
    strike_a, strike_b = pairs[0]["a"], pairs[0]["b"]
    unrelated = pairs[3]["a"]  # the earthquake
    async with clusters_agent.assign_clusters.test_context() as agent:
        for story_id, text in (
            ("yonhap:strike", strike_a),
            ("ap:strike", strike_b),
            ("yonhap:strike", strike_a),  # a re-sent version of the first story
            ("afp:quake", unrelated),
        ):
            await agent.put(_record(story_id, text), key=CLUSTER_INDEX_KEY, partition=0)
    out = [
        (c.kwargs["key"], EnrichedArticle.model_validate_json(c.kwargs["value"]))
        for c in captured["enriched"].await_args_list
    ]
    assert [key for key, _ in out] == [
        b"yonhap:strike",
        b"ap:strike",
        b"yonhap:strike",
        b"afp:quake",
    ]
    clusters = [record.cluster_id for _, record in out]
    assert clusters[0] is not None
    assert clusters[0] == clusters[1] == clusters[2]
    assert clusters[3] != clusters[0]
    assert not captured["dlq"].await_args_list


async def test_the_index_is_written_to_its_changelog_on_the_records_partition(
    captured: dict[str, Any],
) -> None:
    async with clusters_agent.assign_clusters.test_context() as agent:
        await agent.put(
            _record("yonhap:strike", _texts()[0]["a"]),
            key=CLUSTER_INDEX_KEY,
            partition=2,
        )
    [call] = captured["changelog"].call_args_list
    partition, key, value = call.args[:3]
    assert (partition, key) == (2, "yonhap:strike")
    assert json.loads(value)["cluster_id"].startswith("cl-")
    assert clusters_agent.story_clusters.name == STORY_CLUSTERS.name
