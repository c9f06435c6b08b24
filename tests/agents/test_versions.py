"""The entity stage says which version each record supersedes, from its story-versions table.

Both its agents (routine and urgent lane) keep the one table.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from unittest.mock import AsyncMock, MagicMock

import pytest

from schemas import Article, EnrichedArticle
from schemas.enriched import LanguageInfo
from streams import app as app_module
from streams import pipeline, stories
from streams.agents.entities import extract_entities, extract_urgent_entities, story_versions
from streams.topology import STORY_VERSIONS
from tests.agents.fixtures import entries, seed

NOW = datetime(2026, 1, 14, tzinfo=UTC)
STORY = "test:20260114:bridge"


def _version(version: int, tag: str, *, story: str = STORY) -> Article:
    return Article(
        article_id=f"{story}:{tag}",
        story_id=story,
        version=version,
        wire_id=f"sha256:{tag}",
        source_format="plain-text",
        headline="Bridge reopens",
        body=["The bridge reopened."],
        received_at=NOW,
    )


@pytest.fixture(autouse=True)
def no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    async def no_entities(batch: list[Any], *, urgent: bool = False) -> list[Any]:
        language = LanguageInfo(code="en", detected="en", confidence=99)
        return [([], pipeline.TopicsResult([], [], language)) for _ in batch]

    monkeypatch.setattr(app_module.stage_pool, "enrich", no_entities)
    monkeypatch.setattr(app_module.stage_pool, "start", AsyncMock(return_value="test-model"))


async def _run(*articles: tuple[Article, int], agent_fn: Any = extract_entities) -> None:
    async with agent_fn.test_context() as agent:
        for article, partition in articles:
            await agent.put(article.to_json(), key=article.story_id.encode(), partition=partition)


def _published(sent: dict[str, Any]) -> list[EnrichedArticle]:
    return [
        EnrichedArticle.model_validate_json(c.kwargs["value"])
        for c in sent["clustering"].await_args_list
    ]


async def test_each_version_supersedes_the_one_before_it(sent: dict[str, Any]) -> None:
    await _run((_version(1, "v1"), 2), (_version(2, "v2"), 2), (_version(2, "v2-fix"), 2))

    out = _published(sent)

    assert [(o.article.article_id, o.supersedes) for o in out] == [
        (f"{STORY}:v1", None),
        (f"{STORY}:v2", f"{STORY}:v1"),
        (f"{STORY}:v2-fix", f"{STORY}:v2"),
    ]
    assert not any(stories.OUT_OF_ORDER in o.article.signals for o in out)


async def test_older_version_arriving_late_is_published_flagged_and_changes_nothing(
    sent: dict[str, Any],
) -> None:
    await _run((_version(3, "v3"), 0), (_version(1, "v1"), 0), (_version(4, "v4"), 0))

    out = _published(sent)

    assert len(out) == 3, "no version is dropped"
    late = out[1]
    assert late.article.version == 1
    assert late.supersedes is None
    assert late.article.signals == [stories.OUT_OF_ORDER]
    assert out[2].supersedes == f"{STORY}:v3", "the late version did not become the latest"


async def test_table_writes_go_to_the_partition_of_the_storys_records(
    sent: dict[str, Any], changelogs: dict[str, MagicMock]
) -> None:
    other = "test:20260114:other"
    await _run((_version(1, "a"), 1), (_version(1, "b", story=other), 2))

    writes = changelogs[STORY_VERSIONS.name].call_args_list
    assert [(c.args[0], c.args[1]) for c in writes] == [(1, STORY), (2, other)]
    stored = entries(story_versions)[STORY]
    assert stories.VersionSeen.from_json(stored).article_id == f"{STORY}:a"


async def test_a_redelivered_version_is_published_with_the_same_supersedes_and_no_write(
    sent: dict[str, Any], changelogs: dict[str, MagicMock]
) -> None:
    for version in (_version(1, "v1"), _version(2, "v2"), _version(2, "v2")):
        await _run((version, 0))

    out = _published(sent)

    assert out[1].supersedes == out[2].supersedes == f"{STORY}:v1"
    assert changelogs[STORY_VERSIONS.name].call_count == 2


async def test_versions_restored_from_the_changelog_are_used(sent: dict[str, Any]) -> None:
    # What the restore from the changelog puts in the table after a restart.
    seed(story_versions, STORY, stories.VersionSeen(5, f"{STORY}:v5", NOW).to_json())

    await _run((_version(6, "v6"), 0))

    assert _published(sent)[0].supersedes == f"{STORY}:v5"


async def test_a_flash_on_the_urgent_lane_makes_a_routine_version_queued_behind_it_late(
    sent: dict[str, Any],
) -> None:
    flash = _version(2, "flash")
    await _run((flash, 1), agent_fn=extract_urgent_entities)
    await _run((_version(1, "routine"), 1))

    out = _published(sent)

    assert [(o.article.article_id, o.supersedes) for o in out] == [
        (f"{STORY}:flash", None),
        (f"{STORY}:routine", None),
    ]
    assert stories.OUT_OF_ORDER in out[1].article.signals, "the routine copy is older"
    assert entries(story_versions)[STORY]["article_id"] == f"{STORY}:flash"
