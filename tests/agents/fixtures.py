"""Agent test fixtures: the outbox on a capturing backend, tables in memory, every partition owned.

A plugin (``pytest_plugins`` in tests/conftest.py) so that agent tests in any
package can ask for it. Sends go to the app's topic handles' ``send``, which
the tests replace with mocks; changelog writes go to one mock per table.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from unittest.mock import MagicMock

import pytest


class Owner:
    """The partitions this worker owns; the first ``add`` narrows ownership to what is added."""

    def __init__(self, outbox: Any) -> None:
        self._outbox = outbox
        self.partitions: set[int] = set()

    def add(self, partition: int) -> None:
        self.partitions.add(partition)
        topics = {t for stage in self._outbox.stages.values() for t in stage.topics}
        self._outbox.assign({(t, p) for t in topics for p in self.partitions})


@pytest.fixture()
def capture(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, MagicMock]]:
    """Install the capturing outbox; yields the changelog mocks by table name."""
    import streams.agents  # noqa: F401  (registers the agents and their stages)
    from streams import app as app_module
    from streams.agents import alerts, entities
    from streams.outbox import DirectBackend
    from streams.state import decode

    settings = app_module.settings
    handles = {
        settings.topic(name): handle
        for name, handle in (
            ("wires.parsed", app_module.parsed_topic),
            ("wires.parsed.urgent", entities.urgent_topic),
            ("wires.entities", app_module.entities_topic),
            ("wires.clustering", app_module.clustering_topic),
            ("wires.enriched", app_module.enriched_topic),
            ("wires.kills", app_module.kills_topic),
            ("wires.released", app_module.released_topic),
            ("wires.dlq", app_module.dlq_topic),
            ("alerts.matches", alerts.matches_topic),
        )
    }
    outbox = app_module.outbox
    tables = {t.name: t for s in outbox.stages.values() for t in s.tables.values()}
    changelogs = {name: MagicMock(name=f"changelog {name}") for name in tables}
    by_changelog = {t.changelog: t.name for t in tables.values()}

    async def send(
        topic: str, key: bytes | None, value: bytes | None, partition: int | None
    ) -> None:
        if topic in by_changelog:
            changelogs[by_changelog[topic]](
                partition, (key or b"").decode(), decode(value) if value is not None else None
            )
            return
        await handles[topic].send(key=key, value=value)

    before = outbox.backend
    for table in tables.values():
        table.close_all()
        monkeypatch.setattr(table, "_kind", "memory")
    outbox.use(DirectBackend(send))
    topics = {t for stage in outbox.stages.values() for t in stage.topics}
    outbox.assign({(t, p) for t in topics for p in range(settings.partitions)})
    monkeypatch.setattr(app_module.app, "rebalancing", False)
    yield changelogs
    for table in tables.values():
        table.close_all()
    outbox.use(before)
    outbox.assign(set())


@pytest.fixture()
def owner(capture: Any) -> Owner:
    from streams import app as app_module

    return Owner(app_module.outbox)


def entries(table: Any) -> dict[str, Any]:
    """Every entry of a table, all partitions together."""
    return {k: v for p in table.partitions() for k, v in table.items(p)}


def seed(table: Any, key: str, value: Any, *, partition: int = 0) -> None:
    """Put an entry in the local store as a restore from the changelog would."""
    from streams.state import encode

    table.apply(partition, [(key.encode(), encode(value))])
