"""Pipeline topics on a real broker (the ``kafka_bootstrap`` fixture of tests/conftest.py)."""

from __future__ import annotations

import uuid

import pytest

from streams.kafka import client_kwargs, ensure_topics, pipeline_topics, topic_partitions
from streams.kafka.admin import admin_client, changelog_topics
from streams.settings import Settings
from streams.topology import ALL, TABLES

pytestmark = pytest.mark.integration


@pytest.fixture
def topic_settings(kafka_bootstrap: str) -> Settings:
    # Own prefix and an unusual partition count: proves the topics were made
    # here, with these settings, not found from an earlier run.
    run = uuid.uuid4().hex[:8]
    return Settings(
        kafka_bootstrap=kafka_bootstrap,
        topic_prefix=f"test-topics-{run}.",
        # Changelog topics are named by app id: never the default one, which
        # may be a real deployment's on a configured cluster.
        app_id=f"test-topics-{run}",
        partitions=2,
    )


async def test_ensure_topics_creates_all_pipeline_topics_idempotently(
    topic_settings: Settings,
) -> None:
    expected = [topic_settings.topic(spec.name) for spec in ALL] + changelog_topics(topic_settings)
    try:
        created = await ensure_topics(topic_settings)
        assert created == expected
        assert len(created) == len(ALL) + len(TABLES)  # one changelog per table
        assert await topic_partitions(topic_settings, expected) == dict.fromkeys(expected, 2)

        assert await ensure_topics(topic_settings) == expected  # second call: no error
        assert await topic_partitions(topic_settings, expected) == dict.fromkeys(expected, 2)
    finally:
        async with admin_client(
            topic_settings.kafka_bootstrap, client_kwargs(topic_settings)
        ) as admin:
            await admin.delete_topics(
                pipeline_topics(topic_settings) + changelog_topics(topic_settings)
            )
