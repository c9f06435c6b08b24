"""The committed JSON Schemas are the subscriber contract: they must match the models."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from schemas import EXPORTED, DeadLetter, RawWire
from schemas.export import path_for, render, stale


def test_committed_schema_files_match_the_models() -> None:
    assert stale() == [], "run `wirestream schemas` and commit schemas/json/"


#: Types that travel only inside a versioned record.
NESTED = {"entity", "topic_tag"}


@pytest.mark.parametrize("name", sorted(set(EXPORTED) - NESTED))
def test_every_topic_record_type_has_a_schema_version(name: str) -> None:
    schema = json.loads(render(name))
    assert "schema_version" in schema["properties"]


def test_drift_is_detected_when_a_file_differs(tmp_path: pytest.TempPathFactory) -> None:
    original = path_for("raw_wire").read_text(encoding="utf-8")
    try:
        path_for("raw_wire").write_text(original.replace("wire_id", "wireid"), encoding="utf-8")
        assert "raw_wire" in stale()
    finally:
        path_for("raw_wire").write_text(original, encoding="utf-8")


def test_raw_wire_bytes_survive_a_json_round_trip_even_when_not_utf8() -> None:
    content = bytes(range(256))
    raw = RawWire(wire_id="sha256:x", content=content, source="file", received_at=datetime.now(UTC))
    assert RawWire.model_validate_json(raw.to_json()).content == content


def test_records_reject_unknown_fields() -> None:
    letter = {
        "pipeline_version": "v",
        "stage": "parse",
        "error_code": "W101",
        "error_type": "E",
        "message": "m",
        "source_topic": "t",
        "source_partition": 0,
        "source_offset": 1,
        "original": "",
        "failed_at": "2026-01-01T00:00:00Z",
        "surprise": 1,
    }
    with pytest.raises(ValueError, match="surprise"):
        DeadLetter.model_validate(letter)
