"""Pure dead-letter rules: ids, filters, attempts, what a redrive sends, how it looks."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import datetime

from pydantic import ValidationError

from schemas import DeadLetter, RawWire, RedriveMarker
from streams.dlq.errors import UnknownDeadLetterError

#: Header that marks a redriven record that has no field for it (stages after parse).
REDRIVE_HEADER = "wirestream-redrive"
#: Header with the attempt number of such a record.
ATTEMPT_HEADER = "wirestream-attempt"

_ID = re.compile(r"^(\d+)-(\d+)$")


def letter_id(partition: int, offset: int) -> str:
    """A dead letter's id: where it lies on the dead-letter topic, ``partition-offset``."""
    return f"{partition}-{offset}"


def parse_letter_id(text: str) -> tuple[int, int]:
    """(partition, offset) of a dead-letter id; :class:`UnknownDeadLetterError` if malformed."""
    match = _ID.match(text.strip())
    if match is None:
        raise UnknownDeadLetterError(
            f"{text!r} is not a dead-letter id; ids look like '0-17' (partition-offset), "
            "see `wirestream dlq list`"
        )
    return int(match.group(1)), int(match.group(2))


def receipt_key(dead_letter_id: str) -> str:
    """Key of the receipt on ``wires.replays`` that says a dead letter was redriven."""
    return f"redrive:{dead_letter_id}"


@dataclass(frozen=True)
class LetterFilter:
    """``--stage``, ``--code``, ``--since``: which dead letters a command takes."""

    stage: str | None = None
    code: str | None = None
    since: datetime | None = None

    def matches(self, letter: DeadLetter) -> bool:
        if self.stage is not None and letter.stage != self.stage:
            return False
        if self.code is not None and letter.error_code.upper() != self.code.upper():
            return False
        return self.since is None or letter.failed_at >= self.since


def original_wire(letter: DeadLetter) -> RawWire | None:
    """The wire in a dead letter, when its original is one (a parse-stage failure)."""
    try:
        return RawWire.model_validate_json(letter.original)
    except (ValidationError, ValueError):
        return None


def attempts(letter: DeadLetter) -> int:
    """How often the record has failed: 1, plus one per redrive that failed again."""
    if letter.attempts is not None:
        return letter.attempts
    wire = original_wire(letter) if b'"redrive"' in letter.original else None
    if wire is not None and wire.redrive is not None:
        return wire.redrive.attempt + 1
    return 1


@dataclass(frozen=True)
class Redrive:
    """What ``dlq redrive`` sends for one dead letter, and where."""

    dead_letter_id: str
    topic: str
    key: bytes | None
    value: bytes
    headers: tuple[tuple[str, bytes], ...]
    attempt: int


def redrive_of(letter: DeadLetter, dead_letter_id: str) -> Redrive:
    """The record that sends ``letter``'s original back to the stage that failed on it.

    A wire gets its :class:`RedriveMarker` (dead letter id, attempt) in the
    record itself, so a wire that fails again carries the count into its next
    dead letter; records of later stages have no field for it and carry
    headers instead.
    """
    attempt = attempts(letter)
    wire = original_wire(letter)
    if wire is not None:
        marked = wire.model_copy(
            update={"redrive": RedriveMarker(dead_letter_id=dead_letter_id, attempt=attempt)}
        )
        return Redrive(
            dead_letter_id,
            letter.source_topic,
            letter.source_key,
            marked.to_json(),
            (),
            attempt,
        )
    headers = (
        (REDRIVE_HEADER, dead_letter_id.encode()),
        (ATTEMPT_HEADER, str(attempt).encode()),
    )
    return Redrive(
        dead_letter_id, letter.source_topic, letter.source_key, letter.original, headers, attempt
    )


def is_binary(data: bytes) -> bool:
    """Whether bytes are better shown as a hex dump than as text."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    printable = set(string.printable)
    odd = sum(1 for ch in text if ch not in printable and not ch.isprintable())
    return odd > max(2, len(text) // 100)


def hexdump(data: bytes, *, limit: int = 4096) -> str:
    """``offset  hex bytes  |ascii|`` lines, 16 bytes a line, at most ``limit`` bytes."""
    lines = []
    for start in range(0, min(len(data), limit), 16):
        chunk = data[start : start + 16]
        hexes = " ".join(f"{b:02x}" for b in chunk)
        text = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
        lines.append(f"{start:08x}  {hexes:<47}  |{text}|")
    if len(data) > limit:
        lines.append(f"... {len(data) - limit:,} more bytes")
    return "\n".join(lines)


def show_bytes(data: bytes) -> str:
    """Text as it is, binary as a hex dump."""
    return hexdump(data) if is_binary(data) else data.decode("utf-8")


def row(dead_letter_id: str, letter: DeadLetter, *, width: int = 60) -> tuple[str, ...]:
    """One line of ``dlq list``: id, time, stage, code, attempts, message, source."""
    message = " ".join(letter.message.split())
    if len(message) > width:
        message = message[: width - 1] + "\u2026"
    wire = original_wire(letter)
    origin = f"{letter.source_topic}[{letter.source_partition}]@{letter.source_offset}"
    if wire is not None:
        origin = f"{wire.filename or wire.source} ({origin})"
    return (
        dead_letter_id,
        letter.failed_at.strftime("%Y-%m-%d %H:%M:%SZ"),
        letter.stage,
        letter.error_code,
        str(attempts(letter)),
        message,
        origin,
    )


def table(rows: list[tuple[str, ...]]) -> str:
    """Rows under a header, columns padded to their widest cell."""
    header = ("ID", "TIME (UTC)", "STAGE", "CODE", "TRIES", "MESSAGE", "SOURCE")
    cells = [header, *rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells
    )
