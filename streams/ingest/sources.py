"""Turning paths and stdin into ``RawWire`` records (no Kafka here)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from schemas import RawWire
from streams.errors import WirestreamError
from streams.ingest.errors import (
    EmptyInputError,
    InputNotFoundError,
    InputTooLargeError,
    InputUnreadableError,
)

STDIN = "-"


@dataclass(frozen=True)
class WireInput:
    """One input: its bytes, or the reason it could not be read."""

    name: str
    source: str
    content: bytes | None = None
    error: WirestreamError | None = None


def wire_id(content: bytes) -> str:
    """Content-derived id: re-sending the same bytes gives the same id and Kafka key."""
    return "sha256:" + hashlib.sha256(content).hexdigest()[:32]


def _expand(path: Path) -> list[Path]:
    if path.is_dir():
        # Sorted so that a folder always goes out in the same order; hidden
        # files are editors' and sync tools' droppings, not wires.
        return sorted(
            p
            for p in path.rglob("*")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
        )
    return [path]


def _read(path: Path, *, max_bytes: int) -> WireInput:
    name = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return WireInput(name, "file", error=InputNotFoundError(f"{name}: no such file"))
    except OSError as exc:
        return WireInput(name, "file", error=InputUnreadableError(f"{name}: {exc.strerror}"))
    if size > max_bytes:
        return WireInput(
            name,
            "file",
            error=InputTooLargeError(f"{name}: {size:,} bytes is over the {max_bytes:,} limit"),
        )
    try:
        content = path.read_bytes()
    except OSError as exc:
        return WireInput(name, "file", error=InputUnreadableError(f"{name}: {exc.strerror}"))
    if not content.strip():
        return WireInput(name, "file", error=EmptyInputError(f"{name}: file is empty"))
    return WireInput(name, "file", content=content)


def iter_inputs(
    paths: Sequence[str], *, stdin: BinaryIO | None = None, max_bytes: int
) -> Iterator[WireInput]:
    """Every wire named by ``paths`` (files, folders recursively, ``-`` for stdin)."""
    for arg in paths:
        if arg == STDIN:
            if stdin is None:
                yield WireInput("<stdin>", "stdin", error=InputUnreadableError("no stdin"))
                continue
            content = stdin.read(max_bytes + 1)
            if len(content) > max_bytes:
                yield WireInput(
                    "<stdin>",
                    "stdin",
                    error=InputTooLargeError(f"<stdin>: over the {max_bytes:,} byte limit"),
                )
            elif not content.strip():
                yield WireInput("<stdin>", "stdin", error=EmptyInputError("<stdin>: empty"))
            else:
                yield WireInput("<stdin>", "stdin", content=content)
            continue
        path = Path(arg)
        if not path.exists():
            yield WireInput(arg, "file", error=InputNotFoundError(f"{arg}: no such file or folder"))
            continue
        for file in _expand(path):
            yield _read(file, max_bytes=max_bytes)


def count_inputs(paths: Sequence[str]) -> int | None:
    """How many inputs ``iter_inputs`` will yield (None when stdin is among them)."""
    if STDIN in paths:
        return None
    return sum(len(_expand(Path(p))) if Path(p).exists() else 1 for p in paths)


def to_raw(item: WireInput, *, format_hint: str | None, now: datetime) -> RawWire:
    """The RawWire for a readable input."""
    assert item.content is not None, "only readable inputs become RawWire records"
    return RawWire(
        wire_id=wire_id(item.content),
        content=item.content,
        source=item.source,
        format_hint=format_hint,
        filename=Path(item.name).name if item.source == "file" else None,
        received_at=now,
    )
