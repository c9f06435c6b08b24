"""``RawWire``: a wire exactly as it arrived, before any parsing."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from schemas.base import Record
from schemas.replay import RedriveMarker


class RawWire(Record):
    """The original bytes of one wire plus what the transport knew about it."""

    schema_version: Literal[1] = 1
    wire_id: str = Field(
        description="Stable id of this wire: 'sha256:' and the first 32 hex digits of the "
        "SHA-256 of its bytes, so re-sending the same file gives the same id and key."
    )
    content: bytes = Field(description="The wire's original bytes (base64 in JSON).")
    source: str = Field(description="Where it came from: 'file', 'stdin', 'http', ...")
    format_hint: str | None = Field(
        default=None,
        description="Format the sender declared ('yonhap', 'text', ...); None = detect.",
    )
    filename: str | None = Field(default=None, description="Original file name, if any.")
    received_at: AwareDatetime = Field(description="When Wirestream received it (UTC).")
    redrive: RedriveMarker | None = Field(
        default=None,
        description="Set when `wirestream dlq redrive` sent this wire back after it failed: "
        "the dead letter's id and the attempt number. None for wires as received.",
    )
