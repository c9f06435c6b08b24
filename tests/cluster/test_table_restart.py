"""The table-backed cluster index survives a restart: its changelog alone restores it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from streams.agents.clusters import TableStore
from streams.cluster import ClusterIndex, fingerprint

T0 = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)


class FakeTable:
    """The two things TableStore uses of a Faust table: its local store and its changelog."""

    def __init__(self, data: dict[str, Any] | None = None) -> None:
        self.data: dict[str, Any] = dict(data or {})
        self.changelog: list[tuple[int, str, Any]] = []

    def send_changelog(self, partition: int, key: str, value: Any, **kwargs: Any) -> None:
        self.changelog.append((partition, key, value))


def _restored(changelog: list[tuple[int, str, Any]]) -> FakeTable:
    """What Faust rebuilds on the next worker: the last value of each key, tombstones removed."""
    state: dict[str, Any] = {}
    for _, key, value in changelog:
        if value is None:
            state.pop(key, None)
        else:
            state[key] = value
    return FakeTable(state)


def _texts() -> list[dict[str, Any]]:
    with Path(__file__).with_name("pairs.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def test_a_copy_arriving_after_a_restart_joins_the_cluster_founded_before_it() -> None:
    pair = _texts()[0]
    table = FakeTable()
    store = TableStore(table)
    store.partition = 1
    first = ClusterIndex(store).assign(
        story_id="yonhap:1",
        fingerprint=fingerprint(headline=pair["a"]["headline"], body=pair["a"]["body"]),
        at=T0,
    )
    assert [p for p, _, _ in table.changelog] == [1], "writes go to the index partition"

    restarted = ClusterIndex(TableStore(_restored(table.changelog)))
    second = restarted.assign(
        story_id="ap:1",
        fingerprint=fingerprint(headline=pair["b"]["headline"], body=pair["b"]["body"]),
        at=T0 + timedelta(hours=1),
    )
    assert second.cluster_id == first.cluster_id
    assert second.matched == "yonhap:1"


def test_evicted_stories_are_tombstoned_in_the_changelog() -> None:
    texts = _texts()
    table = FakeTable()
    index = ClusterIndex(TableStore(table), window=timedelta(hours=1))
    a, b = texts[0]["a"], texts[3]["a"]
    index.assign(story_id="old", fingerprint=fingerprint(**a), at=T0)
    index.assign(story_id="new", fingerprint=fingerprint(**b), at=T0 + timedelta(hours=2))
    assert (0, "old", None) in table.changelog
    assert set(_restored(table.changelog).data) == {"new"}
