"""Agent tests run in Faust's test context: no broker, sends captured."""

from __future__ import annotations

from collections.abc import Iterator
from unittest.mock import AsyncMock, MagicMock

import pytest

import streams.agents  # noqa: F401  (registers the agents)
from streams import app as app_module
from streams.agents import entities


@pytest.fixture()
def sent(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, AsyncMock]]:
    """Replace ``send`` of every output topic with a mock, by topic name."""
    mocks: dict[str, AsyncMock] = {}
    for attr in (
        "parsed_topic",
        "entities_topic",
        "clustering_topic",
        "enriched_topic",
        "kills_topic",
        "released_topic",
        "dlq_topic",
    ):
        topic = getattr(app_module, attr)
        mock = AsyncMock()
        monkeypatch.setattr(topic, "send", mock)
        mocks[attr.removesuffix("_topic")] = mock
    urgent = AsyncMock()
    monkeypatch.setattr(entities.urgent_topic, "send", urgent)
    mocks["parsed_urgent"] = urgent
    yield mocks


@pytest.fixture(autouse=True)
def changelogs(capture: dict[str, MagicMock]) -> dict[str, MagicMock]:
    """Empty tables whose changelog writes are captured instead of sent, by table name."""
    return capture
