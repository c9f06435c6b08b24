"""Inputs to RawWire: files, folders, stdin, and the reasons an input is refused."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from streams.ingest import (
    EmptyInputError,
    InputNotFoundError,
    InputTooLargeError,
    count_inputs,
    iter_inputs,
    to_raw,
    wire_id,
)


def test_wire_id_depends_only_on_the_bytes() -> None:
    assert wire_id(b"abc") == wire_id(b"abc")
    assert wire_id(b"abc") != wire_id(b"abd")
    assert wire_id(b"abc").startswith("sha256:")


def test_folders_are_read_recursively_in_order_without_hidden_files(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_bytes(b"two")
    (tmp_path / "1.txt").write_bytes(b"one")
    (tmp_path / ".DS_Store").write_bytes(b"junk")
    items = list(iter_inputs([str(tmp_path)], max_bytes=100))
    assert [Path(i.name).name for i in items] == ["1.txt", "2.txt"]
    assert count_inputs([str(tmp_path)]) == 2


def test_missing_empty_and_oversized_inputs_are_refused_with_a_reason(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"  \n")
    (tmp_path / "big.txt").write_bytes(b"x" * 101)
    missing = str(tmp_path / "nope.txt")
    items = {
        Path(i.name).name: i
        for i in iter_inputs(
            [missing, str(tmp_path / "empty.txt"), str(tmp_path / "big.txt")], max_bytes=100
        )
    }
    assert isinstance(items["nope.txt"].error, InputNotFoundError)
    assert isinstance(items["empty.txt"].error, EmptyInputError)
    assert isinstance(items["big.txt"].error, InputTooLargeError)
    assert "101" in str(items["big.txt"].error)


def test_stdin_is_one_wire() -> None:
    (item,) = iter_inputs(["-"], stdin=io.BytesIO(b"Headline\n\nBody."), max_bytes=100)
    assert item.source == "stdin" and item.content == b"Headline\n\nBody."
    assert count_inputs(["-"]) is None


def test_raw_wire_keeps_the_original_bytes_and_file_name(tmp_path: Path) -> None:
    path = tmp_path / "wire.txt"
    path.write_bytes(b"\xff\xfe odd bytes")
    (item,) = iter_inputs([str(path)], max_bytes=100)
    raw = to_raw(item, format_hint="text", now=datetime(2026, 1, 1, tzinfo=UTC))
    assert raw.content == b"\xff\xfe odd bytes"
    assert raw.filename == "wire.txt"
    assert raw.wire_id == wire_id(b"\xff\xfe odd bytes")
    assert raw.format_hint == "text"
