"""Pipeline topics on a real broker (the ``kafka_bootstrap`` fixture of tests/conftest.py)."""

from __future__ import annotations

import uuid

import pytest

from streams.kafka import client_kwargs, ensure_topics, pipeline_topics, topic_partitions
from streams.kafka.admin import admin_client
from streams.settings import Settings
from streams.topics import ALL

pytestmark = pytest.mark.integration


@pytest.fixture
def topic_settings(kafka_bootstrap: str) -> Settings:
    # Own prefix and an unusual partition count: proves the topics were made
    # here, with these settings, not found from an earlier run.
    return Settings(
        kafka_bootstrap=kafka_bootstrap,
        topic_prefix=f"test-topics-{uuid.uuid4().hex[:8]}.",
        partitions=2,
    )


async def test_ensure_topics_creates_all_pipeline_topics_idempotently(
    topic_settings: Settings,
) -> None:
    expected = [topic_settings.topic(spec.name) for spec in ALL]
    try:
        created = await ensure_topics(topic_settings)
        assert created == expected
        assert len(created) == 5
        assert await topic_partitions(topic_settings) == dict.fromkeys(expected, 2)

        assert await ensure_topics(topic_settings) == expected  # second call: no error
        assert await topic_partitions(topic_settings) == dict.fromkeys(expected, 2)
    finally:
        async with admin_client(
            topic_settings.kafka_bootstrap, client_kwargs(topic_settings)
        ) as admin:
            await admin.delete_topics(pipeline_topics(topic_settings))
