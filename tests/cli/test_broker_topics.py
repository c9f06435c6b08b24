"""`wirestream broker topics` on the real broker: partitions and how long each topic keeps."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from streams.cli.main import app
from streams.settings import Settings, get_settings
from streams.topology import RAW, STORY_VERSIONS, SUBSCRIPTIONS

pytestmark = pytest.mark.integration


@pytest.fixture()
def own(kafka_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    run = uuid.uuid4().hex[:8]
    cfg = kafka_settings.model_copy(
        update={"topic_prefix": f"test-topics-{run}.", "app_id": f"wirestream-topics-{run}"}
    )
    monkeypatch.setenv("WIRESTREAM_KAFKA_BOOTSTRAP", cfg.kafka_bootstrap)
    monkeypatch.setenv("WIRESTREAM_TOPIC_PREFIX", cfg.topic_prefix)
    monkeypatch.setenv("WIRESTREAM_APP_ID", cfg.app_id)
    monkeypatch.setenv("WIRESTREAM_PARTITIONS", str(cfg.partitions))
    get_settings.cache_clear()
    yield cfg
    get_settings.cache_clear()


def test_compacted_topics_are_shown_as_compacted_and_the_others_by_retention(
    own: Settings,
) -> None:
    result = CliRunner().invoke(app, ["broker", "topics", "--timeout", "30"])

    assert result.exit_code == 0, result.output
    shown = {line.split()[0]: line for line in result.output.splitlines()[1:]}
    assert shown[own.topic(SUBSCRIPTIONS.name)].endswith("  compacted")
    assert shown[STORY_VERSIONS.changelog(own.app_id)].endswith("  compacted")
    assert shown[own.topic(RAW.name)].endswith("  kept 30 days")
