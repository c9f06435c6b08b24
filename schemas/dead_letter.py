"""``DeadLetter``: the envelope of a record that a stage could not process."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AwareDatetime, Field, model_validator

from schemas.base import Record
from schemas.raw import RawWire


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
    attempts: int | None = Field(
        default=None,
        ge=1,
        description="How often this record has failed, redrives included. Filled in from the "
        "redrive marker of a wire that failed again; None (read as 1) from older writers.",
    )

    @model_validator(mode="before")
    @classmethod
    def _attempts_from_redrive(cls, data: Any) -> Any:
        # The agents build envelopes without knowing about redrives; the count
        # travels in the redriven wire itself, so it is read from there.
        if not isinstance(data, dict) or data.get("attempts") is not None:
            return data
        original = data.get("original")
        if not isinstance(original, bytes) or b'"redrive"' not in original:
            return data
        try:
            marker = RawWire.model_validate_json(original).redrive
        except ValueError:
            return data
        if marker is None:
            return data
        return {**data, "attempts": marker.attempt + 1}
