"""The table-backed cluster index survives a restart: its changelog alone restores it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from streams.agents.clusters import TABLE, TxStore
from streams.cluster import ClusterIndex, fingerprint
from streams.outbox import Stage, Tx
from streams.state import Table

T0 = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)


def _tx(table: Table, partition: int = 0) -> Tx:
    return Tx(Stage("clusters", frozenset({"wires.clustering"}), {TABLE: table}), partition, {})


def _committed(tx: Tx, table: Table) -> list[tuple[int, bytes, bytes | None]]:
    """Apply ``tx`` as a commit does; returns its changelog records (partition, key, value)."""
    changes = tx.changes().get(TABLE, [])
    table.apply(tx.partition, changes)
    return [(tx.partition, key, value) for key, value in changes]


def _restored(changelog: list[tuple[int, bytes, bytes | None]]) -> Table:
    """A new worker's table, rebuilt from nothing but the changelog."""
    table = Table(TABLE, changelog="changelog")
    for partition, key, value in changelog:
        table.apply(partition, [(key, value)])
    return table


def _texts() -> list[dict[str, Any]]:
    with Path(__file__).with_name("pairs.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def test_a_copy_arriving_after_a_restart_joins_the_cluster_founded_before_it() -> None:
    pair = _texts()[0]
    table = Table(TABLE, changelog="changelog")
    tx = _tx(table, 1)
    store = TxStore()
    store.bind(tx, epoch=0)
    first = ClusterIndex(store).assign(
        story_id="yonhap:1",
        fingerprint=fingerprint(headline=pair["a"]["headline"], body=pair["a"]["body"]),
        at=T0,
    )
    changelog = _committed(tx, table)
    assert [p for p, _, _ in changelog] == [1], "writes go to the index partition"

    restored = _restored(changelog)
    again = TxStore()
    again.bind(_tx(restored, 1), epoch=1)
    second = ClusterIndex(again).assign(
        story_id="ap:1",
        fingerprint=fingerprint(headline=pair["b"]["headline"], body=pair["b"]["body"]),
        at=T0 + timedelta(hours=1),
    )
    assert second.cluster_id == first.cluster_id
    assert second.matched == "yonhap:1"


def test_evicted_stories_are_tombstoned_in_the_changelog() -> None:
    texts = _texts()
    table = Table(TABLE, changelog="changelog")
    store = TxStore()
    index = ClusterIndex(store, window=timedelta(hours=1))
    a, b = texts[0]["a"], texts[3]["a"]
    tx = _tx(table)
    store.bind(tx, epoch=0)
    index.assign(story_id="old", fingerprint=fingerprint(**a), at=T0)
    changelog = _committed(tx, table)
    tx = _tx(table)
    store.bind(tx, epoch=0)
    index.assign(story_id="new", fingerprint=fingerprint(**b), at=T0 + timedelta(hours=2))
    changelog += _committed(tx, table)
    assert (0, b"old", None) in changelog
    assert [k for k, _ in _restored(changelog).items(0)] == ["new"]
