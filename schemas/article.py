"""``Article``: one wire parsed and normalised, independent of its source format."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from schemas.base import Record


class Dateline(Record):
    """The dateline that opens a wire story, e.g. ``BEIJING/SEOUL, Sept. 3 (Yonhap) --``."""

    cities: list[str] = Field(default_factory=list, description="Cities as written, in order.")
    date_text: str | None = Field(default=None, description="The date as written ('Sept. 3').")
    agency: str | None = Field(default=None, description="Agency named in the dateline.")


class Urgency(Record):
    """Urgency on the IPTC 1 (most urgent) to 9 scale, with the source's own value kept."""

    value: int = Field(ge=1, le=9, description="IPTC urgency, 1 = flash, 5 = normal, 9 = lowest.")
    source_value: str | None = Field(
        default=None, description="What the source said, verbatim ('URGENT', '3', 'f' ...)."
    )


class Copyright(Record):
    """Rights line of the wire."""

    holder: str | None = Field(default=None, description="Who holds the rights.")
    notice: str | None = Field(default=None, description="The notice as printed.")


class SourceSubject(Record):
    """A subject code the source itself assigned (IPTC subject, Media Topic, its own)."""

    code: str = Field(description="The code as given, e.g. 'medtop:11000000', 'subj:15054000'.")
    scheme: str | None = Field(
        default=None, description="Vocabulary, e.g. 'medtop', 'subj', 'ap-category'."
    )
    name: str | None = Field(default=None, description="Label the source gave, if any.")
    relevance: int | None = Field(default=None, ge=0, le=100, description="0-100, if given.")
    confidence: int | None = Field(default=None, ge=0, le=100, description="0-100, if given.")


PubStatus = Literal["usable", "withheld", "canceled"]


class Article(Record):
    """A parsed, normalised wire story: what every later stage works on."""

    schema_version: Literal[1] = 1
    article_id: str = Field(description="Stable id of this version of the story.")
    story_id: str = Field(
        description="Id shared by every version of one story; the Kafka key from here on."
    )
    version: int = Field(
        ge=0, description="Version within the story (0 = urgent/flash, 1 = first)."
    )
    version_tags: list[str] = Field(
        default_factory=list, description="Source version tags as written ('ROUNDUP', '2nd LD')."
    )
    wire_id: str = Field(description="Id of the RawWire this was parsed from.")
    source_format: str = Field(description="Parser that read it ('yonhap-text', 'plain-text').")
    source_agency: str | None = Field(default=None, description="Agency that wrote the story.")
    language: str = Field(default="en", description="BCP-47 language of the text.")
    headline: str = Field(description="Headline without version tags.")
    slug: str | None = Field(default=None, description="Wire slug/keyword line.")
    byline: str | None = Field(default=None, description="Reporter name(s) in the story language.")
    byline_native: str | None = Field(
        default=None, description="Reporter name in its native script, if the wire gives it."
    )
    dateline: Dateline | None = None
    body: list[str] = Field(description="Body paragraphs, free of wire markup.")
    editorial_notes: list[str] = Field(
        default_factory=list, description="Notes to editors (ATTN lines), kept out of the body."
    )
    urgency: Urgency | None = None
    copyright: Copyright | None = None
    published_at: AwareDatetime | None = Field(
        default=None, description="Publication time, normalised to UTC."
    )
    published_offset: str | None = Field(
        default=None, description="UTC offset the source gave the time in ('+09:00')."
    )
    received_at: AwareDatetime = Field(description="When the wire was received (UTC).")
    source_item_id: str | None = Field(
        default=None, description="The source's own id of the item (guid, doc-id, ninjs uri)."
    )
    pub_status: PubStatus = Field(
        default="usable",
        description="IPTC publication status; 'canceled' is a kill, 'withheld' is on hold.",
    )
    embargoed_until: AwareDatetime | None = Field(
        default=None, description="Not to be published before this time (UTC)."
    )
    signals: list[str] = Field(
        default_factory=list,
        description="Processing signals: 'update', 'correction', 'writethru', 'kill' ...",
    )
    genre: str | None = Field(default=None, description="Genre, e.g. 'news', 'feature'.")
    source_subjects: list[SourceSubject] = Field(
        default_factory=list, description="Subject codes the source assigned."
    )
    source_encoding: str | None = Field(
        default=None, description="Text encoding the wire was decoded from ('utf-8', 'cp949')."
    )
