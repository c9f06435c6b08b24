"""Where one partition of a table lives on this worker: memory or RocksDB.

A store holds raw bytes (keys and JSON values) and the changelog offset it has
read up to (``next_offset``): after a restart, restoring means reading the
changelog from there to its end, not from the beginning. The offset is
written after the entries it covers, so a crash in between only makes the
restore re-apply a few changelog records, which are idempotent puts.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from streams.state.errors import StoreUnavailable

#: The store's own bookkeeping key; table keys are text and never start with NUL.
_NEXT_OFFSET = b"\x00next-offset"


class Store(Protocol):
    def get(self, key: bytes) -> bytes | None: ...
    def apply(
        self, changes: list[tuple[bytes, bytes | None]], *, next_offset: int | None
    ) -> None: ...
    def items(self) -> Iterator[tuple[bytes, bytes]]: ...
    def __len__(self) -> int: ...
    @property
    def next_offset(self) -> int: ...
    def clear(self) -> None: ...
    def close(self) -> None: ...


class MemoryStore:
    """A dict: a restart rebuilds it from the whole changelog."""

    def __init__(self) -> None:
        self._data: dict[bytes, bytes] = {}
        self._next = 0

    def get(self, key: bytes) -> bytes | None:
        return self._data.get(key)

    def apply(self, changes: list[tuple[bytes, bytes | None]], *, next_offset: int | None) -> None:
        for key, value in changes:
            if value is None:
                self._data.pop(key, None)
            else:
                self._data[key] = value
        if next_offset is not None:
            self._next = max(self._next, next_offset)

    def items(self) -> Iterator[tuple[bytes, bytes]]:
        return iter(list(self._data.items()))

    def __len__(self) -> int:
        return len(self._data)

    @property
    def next_offset(self) -> int:
        return self._next

    def clear(self) -> None:
        self._data.clear()
        self._next = 0

    def close(self) -> None:
        self.clear()


class RocksStore:
    """A RocksDB database per table partition, under the worker's data directory."""

    def __init__(self, path: Path) -> None:
        from rocksdict import Options, Rdict

        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = Rdict(str(path), options=Options(raw_mode=True))
        except Exception as exc:  # rocksdict raises plain exceptions (lock held, corrupt files)
            raise StoreUnavailable(f"cannot open the table store {path}: {exc}") from exc
        self.path = path
        raw = self._db.get(_NEXT_OFFSET)
        self._next = int(raw) if raw is not None else 0
        self._count = sum(1 for key in self._db.keys() if key != _NEXT_OFFSET)  # noqa: SIM118

    def get(self, key: bytes) -> bytes | None:
        value = self._db.get(key)
        return bytes(value) if value is not None else None

    def apply(self, changes: list[tuple[bytes, bytes | None]], *, next_offset: int | None) -> None:
        from rocksdict import WriteBatch

        batch = WriteBatch(raw_mode=True)
        for key, value in dict(changes).items():  # the last change of a key wins
            had = self._db.get(key) is not None
            if value is None:
                if had:
                    batch.delete(key)
                    self._count -= 1
            else:
                batch.put(key, value)
                if not had:
                    self._count += 1
        self._db.write(batch)
        if next_offset is not None and next_offset > self._next:
            self._next = next_offset
            self._db[_NEXT_OFFSET] = str(next_offset).encode()

    def items(self) -> Iterator[tuple[bytes, bytes]]:
        for key, value in self._db.items():
            if key != _NEXT_OFFSET:
                yield bytes(key), bytes(value)  # type: ignore[arg-type]

    def __len__(self) -> int:
        return self._count

    @property
    def next_offset(self) -> int:
        return self._next

    def clear(self) -> None:
        """Every entry and the offset gone: the store starts again from offset 0."""
        from rocksdict import WriteBatch

        batch = WriteBatch(raw_mode=True)
        for key in list(self._db.keys()):
            batch.delete(key)
        self._db.write(batch)
        self._count = 0
        self._next = 0

    def close(self) -> None:
        self._db.close()
