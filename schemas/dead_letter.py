"""``DeadLetter``: the envelope of a record that a stage could not process."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from schemas.base import Record


class DeadLetter(Record):
    """Everything needed to understand, and replay, a failed record."""

    schema_version: Literal[1] = 1
    pipeline_version: str
    stage: str = Field(description="Stage that failed: 'parse', 'entities', 'topics'.")
    error_code: str = Field(description="Stable Wirestream error code, e.g. 'W101'.")
    error_type: str = Field(description="Exception class name.")
    message: str = Field(description="Human-readable reason.")
    source_topic: str
    source_partition: int
    source_offset: int
    source_key: bytes | None = Field(default=None, description="Original key bytes (base64).")
    original: bytes = Field(description="The original record value bytes (base64).")
    failed_at: AwareDatetime
