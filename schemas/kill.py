"""``KillNotice``: a source withdrew a story; subscribers must pull every version of it."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from schemas.base import Record


class KillNotice(Record):
    """A kill: the story identified by ``story_id`` must not be used any more.

    Published on ``wires.kills`` (key: story id) by the parse stage instead of
    the article itself, so the killed copy never reaches the NLP stages.
    """

    schema_version: Literal[1] = 1
    pipeline_version: str = Field(description="Wirestream version that produced it.")
    story_id: str = Field(description="The story to withdraw, every version of it.")
    article_id: str = Field(description="Id of the kill item itself.")
    wire_id: str = Field(description="Id of the RawWire the kill arrived in.")
    source_agency: str | None = Field(default=None, description="Agency that sent the kill.")
    headline: str = Field(description="Headline of the kill item as the source sent it.")
    reason: str = Field(
        description="Why, in the source's words when it gave any (its note to editors), "
        "else what marked it as a kill ('publication status canceled', 'kill signal')."
    )
    received_at: AwareDatetime = Field(description="When the kill wire was received (UTC).")
