"""A table: JSON values by text key, one store per partition, restored from a changelog.

The table never writes its changelog itself: a stage's transaction
(:mod:`streams.outbox`) sends the change with the stage's output and applies
it here only once the transaction has committed, so the local copy never
holds a change the changelog does not.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import orjson

from streams.state.store import MemoryStore, RocksStore, Store

StoreKind = Literal["rocksdb", "memory"]


def encode(value: Any) -> bytes:
    return orjson.dumps(value)


def decode(raw: bytes) -> Any:
    return orjson.loads(raw)


class Table:
    """One table of one stage, by partition (the partitions of the stage's input)."""

    def __init__(
        self,
        name: str,
        *,
        changelog: str,
        directory: Path | None = None,
        store: StoreKind = "memory",
    ) -> None:
        self.name = name
        self.changelog = changelog
        self._directory = directory
        self._kind: StoreKind = store if directory is not None else "memory"
        self._stores: dict[int, Store] = {}

    def store(self, partition: int) -> Store:
        store = self._stores.get(partition)
        if store is None:
            if self._kind == "rocksdb" and self._directory is not None:
                store = RocksStore(self._directory / self.name / str(partition))
            else:
                store = MemoryStore()
            self._stores[partition] = store
        return store

    def get(self, key: str, *, partition: int) -> Any:
        raw = self.store(partition).get(key.encode())
        return decode(raw) if raw is not None else None

    def items(self, partition: int) -> Iterator[tuple[str, Any]]:
        for key, raw in self.store(partition).items():
            yield key.decode(), decode(raw)

    def apply(
        self,
        partition: int,
        changes: list[tuple[bytes, bytes | None]],
        *,
        next_offset: int | None = None,
    ) -> None:
        """Apply committed changes (key, JSON value or None to delete)."""
        self.store(partition).apply(changes, next_offset=next_offset)

    def next_offset(self, partition: int) -> int:
        return self.store(partition).next_offset

    def partitions(self) -> list[int]:
        return sorted(self._stores)

    def sizes(self) -> dict[int, int]:
        return {p: len(store) for p, store in sorted(self._stores.items())}

    def __len__(self) -> int:
        return sum(len(store) for store in self._stores.values())

    def close(self, partition: int) -> None:
        """Let go of a partition this worker no longer owns; its files stay for a comeback."""
        store = self._stores.pop(partition, None)
        if store is not None:
            store.close()

    def close_all(self) -> None:
        for partition in list(self._stores):
            self.close(partition)
