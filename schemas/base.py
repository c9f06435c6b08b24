"""Shared base for every record that crosses a Kafka topic.

Records are serialised with orjson-compatible JSON. Bytes fields travel as
base64 (URL-safe alphabet, as pydantic writes it) so that any wire, including
one that is not valid UTF-8, survives the trip unchanged.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Record(BaseModel):
    """Base class: strict about unknown fields so that schema drift is loud."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        ser_json_bytes="base64",
        val_json_bytes="base64",
        ser_json_timedelta="iso8601",
    )

    def to_json(self) -> bytes:
        """Serialise to the bytes that go on the topic."""
        return self.model_dump_json(exclude_none=False).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes | str) -> Record:
        """Parse a topic value; raises :class:`pydantic.ValidationError` on bad input."""
        return cls.model_validate_json(data)
