"""wires.raw keeps its history for the retention we set, and `broker topics` says so."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from streams.cli.broker import describe_retention
from streams.settings import Settings
from streams.topology import ENRICHED, RAW, REPLAYS, topic_configs


def _settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


def test_raw_wires_are_kept_thirty_days_by_default() -> None:
    assert topic_configs(RAW, _settings()) == {"retention.ms": str(30 * 24 * 3600 * 1000)}


def test_minus_one_keeps_raw_wires_for_ever() -> None:
    assert topic_configs(RAW, _settings(raw_retention_days=-1)) == {"retention.ms": "-1"}


def test_other_pipeline_topics_keep_the_broker_default() -> None:
    assert topic_configs(ENRICHED, _settings(raw_retention_days=7)) == {}


def test_the_replay_bookkeeping_topic_is_compacted() -> None:
    assert topic_configs(REPLAYS, _settings()) == {"cleanup.policy": "compact"}


@pytest.mark.parametrize("days", [0, -2])
def test_a_retention_that_deletes_everything_or_means_nothing_is_refused(days: int) -> None:
    with pytest.raises(ValidationError, match="raw_retention_days"):
        _settings(raw_retention_days=days)


@pytest.mark.parametrize(
    ("retention_ms", "shown"),
    [
        (-1, "kept for ever"),
        (30 * 86_400_000, "kept 30 days"),
        (86_400_000, "kept 1 day"),
        (7 * 86_400_000, "kept 7 days"),
        (3_600_000, "kept 1 h"),
        (None, "retention unknown"),
    ],
)
def test_retention_is_shown_in_days(retention_ms: int | None, shown: str) -> None:
    assert describe_retention(retention_ms) == shown


@pytest.mark.parametrize(
    ("policy", "shown"),
    [
        ("compact", "compacted"),
        ("compact,delete", "compacted, kept 7 days"),
        ("delete", "kept 7 days"),
        (None, "kept 7 days"),
    ],
)
def test_a_compacted_topic_is_shown_as_compacted_not_by_its_retention(
    policy: str | None, shown: str
) -> None:
    assert describe_retention(7 * 86_400_000, policy) == shown
