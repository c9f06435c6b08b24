"""Table stores: memory and RocksDB keep entries and the changelog offset they reached."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.state import MemoryStore, RocksStore, StoreUnavailable, Table


@pytest.mark.parametrize("kind", ["memory", "rocksdb"])
def test_changes_apply_in_order_and_the_last_change_of_a_key_wins(
    kind: str, tmp_path: Path
) -> None:
    store = MemoryStore() if kind == "memory" else RocksStore(tmp_path / "t" / "0")
    store.apply(
        [(b"a", b"1"), (b"b", b"2"), (b"a", None), (b"c", b"3"), (b"c", b"4")], next_offset=5
    )
    assert dict(store.items()) == {b"b": b"2", b"c": b"4"}
    assert len(store) == 2
    assert store.next_offset == 5
    store.apply([(b"b", None), (b"missing", None)], next_offset=3)
    assert len(store) == 1
    assert store.next_offset == 5, "the offset never goes back"
    store.close()


def test_a_reopened_rocksdb_store_has_its_entries_and_offset(tmp_path: Path) -> None:
    path = tmp_path / "story-versions" / "2"
    store = RocksStore(path)
    store.apply([(b"s1", b'{"v": 1}'), (b"s2", b'{"v": 2}')], next_offset=42)
    store.close()

    again = RocksStore(path)
    assert again.get(b"s1") == b'{"v": 1}'
    assert len(again) == 2
    assert again.next_offset == 42
    again.close()


def test_a_store_another_process_holds_is_refused_with_a_code(tmp_path: Path) -> None:
    path = tmp_path / "t" / "0"
    first = RocksStore(path)
    with pytest.raises(StoreUnavailable) as caught:
        RocksStore(path)
    assert caught.value.code == "W951"
    first.close()


def test_a_table_keeps_partitions_apart_and_decodes_json(tmp_path: Path) -> None:
    table = Table(
        "wire-ids", changelog="app-wire-ids-changelog", directory=tmp_path, store="rocksdb"
    )
    table.apply(0, [(b"w1", b'{"at": "x"}')], next_offset=1)
    table.apply(1, [(b"w2", b'{"at": "y"}')], next_offset=7)
    assert table.get("w1", partition=0) == {"at": "x"}
    assert table.get("w1", partition=1) is None
    assert table.sizes() == {0: 1, 1: 1}
    assert table.next_offset(1) == 7
    table.close(1)
    assert table.partitions() == [0]
    assert table.get("w2", partition=1) == {"at": "y"}, "a closed partition reopens from disk"
    table.close_all()


def test_a_memory_table_forgets_a_closed_partition() -> None:
    table = Table("t", changelog="c")
    table.apply(0, [(b"k", b"1")], next_offset=1)
    table.close(0)
    assert table.get("k", partition=0) is None
    assert table.next_offset(0) == 0


@pytest.mark.parametrize("kind", ["memory", "rocksdb"])
def test_a_cleared_store_starts_again_from_offset_zero(kind: str, tmp_path: Path) -> None:
    store = MemoryStore() if kind == "memory" else RocksStore(tmp_path / "t" / "0")
    store.apply([(b"a", b"1"), (b"b", b"2")], next_offset=9)
    store.clear()
    assert (len(store), store.next_offset, list(store.items())) == (0, 0, [])
    store.apply([(b"c", b"3")], next_offset=1)
    assert store.next_offset == 1
    store.close()
