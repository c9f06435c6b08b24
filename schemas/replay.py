"""Replay and redrive records: the marks on replayed and redriven records, and checkpoints."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from schemas.base import Record


class ReplayInfo(Record):
    """Marks a record made by `wirestream replay`, not by the live pipeline."""

    replay_id: str = Field(description="The replay that produced the record.")
    window_from: AwareDatetime = Field(description="Start of the requested window (inclusive).")
    window_to: AwareDatetime = Field(description="End of the requested window (exclusive).")
    alerts: bool = Field(
        default=False,
        description="True when the replay was allowed to reach alert services (--alerts): "
        "the record is a backfill, not news.",
    )


class RedriveMarker(Record):
    """Marks a wire sent back to its stage by `wirestream dlq redrive`."""

    dead_letter_id: str = Field(description="The dead letter it came from ('partition-offset').")
    attempt: int = Field(ge=1, description="Redrives of this record so far, this one included.")


class ReplayCounts(Record):
    """What a replay or redrive has done so far."""

    read: int = 0
    produced: int = 0
    dead_lettered: int = 0
    skipped: int = 0


class ReplayState(Record):
    """One replay's checkpoint, or one redrive's receipt, on the compacted ``wires.replays``.

    Written in the same Kafka transaction as the records it accounts for, so
    the latest state of a replay names exactly what has been produced.
    """

    schema_version: Literal[1] = 1
    kind: Literal["replay", "redrive"]
    replay_id: str = Field(description="Replay id, or 'redrive:' and the dead letter id.")
    mode: Literal["re-enrich", "copy", "redrive"]
    source_topic: str
    target_topic: str
    window_from: AwareDatetime | None = None
    window_to: AwareDatetime | None = None
    source_agency: str | None = Field(default=None, description="--source filter, if any.")
    source_format: str | None = Field(default=None, description="--format filter, if any.")
    limit: int | None = Field(default=None, description="--limit, if any.")
    alerts: bool = False
    pipeline_version: str
    started_at: AwareDatetime
    updated_at: AwareDatetime
    finished: bool = False
    positions: dict[int, int] = Field(
        default_factory=dict, description="Next offset to read, per source partition."
    )
    ends: dict[int, int] = Field(
        default_factory=dict, description="Offset where the window ends, per source partition."
    )
    counts: ReplayCounts = Field(default_factory=ReplayCounts)
