"""Faust table access with the partition named explicitly.

Faust takes the changelog partition of a table write from the event being
processed (``current_event()``). Two of our writes have no such single event:
a ``take_events`` batch spans partitions, and the release timer runs outside
any stream. So every write here names the partition of the story's records:
the local store is updated and the change goes to the same partition of the
changelog, which is what restores the table after a restart, on whichever
worker then owns that partition. Our changelogs are created with the partition
count of their stream (``ensure_topics``), so the two always line up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def get(table: Any, key: str) -> Any:
    """The stored value for ``key``, or None."""
    return table.data.get(key)


def put(table: Any, key: str, value: Any, *, partition: int) -> None:
    table.data[key] = value
    table.send_changelog(partition, key, value)


def delete(table: Any, key: str, *, partition: int) -> None:
    table.data.pop(key, None)
    # A None value is Faust's tombstone: compaction removes the key for good.
    table.send_changelog(partition, key, None, value_serializer="raw")


def active_partitions(app: Any, table: Any) -> set[int]:
    """Partitions of ``table`` this worker is the active owner of (standbys excluded)."""
    changelog = table.changelog_topic_name
    return {tp.partition for tp in app.assignor.assigned_actives() if tp.topic == changelog}


def assigned_partitions(app: Any, table: Any) -> set[int]:
    """Partitions of ``table`` this worker holds, as active owner or standby replica."""
    changelog = table.changelog_topic_name
    tps = app.assignor.assigned_actives() | app.assignor.assigned_standbys()
    return {tp.partition for tp in tps if tp.topic == changelog}


def forget_unassigned(app: Any, table: Any, partition_of: Callable[[Any], int | None]) -> int:
    """Drop local entries of partitions this worker no longer holds; returns how many.

    The in-memory store keeps what this worker wrote itself after its
    partition moves to another worker; if the partition came back later, such
    a stale entry could outlive the tombstone that removed it elsewhere. Only
    the local copy is removed: the changelog belongs to the new owner.
    """
    keep = assigned_partitions(app, table)
    stale = [key for key, value in list(table.data.items()) if partition_of(value) not in keep]
    for key in stale:
        table.data.pop(key, None)
    return len(stale)
