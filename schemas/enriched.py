"""Records produced by the enrichment stages."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from schemas.article import Article
from schemas.base import Record


class Mention(Record):
    """One occurrence of an entity in the text."""

    text: str = Field(description="Surface form as it appears.")
    section: Literal["headline", "body"] = Field(description="Which text the offsets index.")
    paragraph: int | None = Field(
        default=None, description="Body paragraph index (None in the headline)."
    )
    start: int = Field(ge=0, description="Start offset into the section text.")
    end: int = Field(ge=0, description="End offset (exclusive) into the section text.")


class Entity(Record):
    """A named entity of the article with all its mentions.

    Offsets index ``Article.headline`` (section ``headline``) or the body text,
    i.e. the body paragraphs joined with a blank line (``"\\n\\n".join(body)``).
    """

    name: str = Field(description="Name of the entity (its longest surface form for now).")
    type: str = Field(description="spaCy/OntoNotes label: PERSON, ORG, GPE, LOC, NORP, ...")
    mentions: list[Mention] = Field(description="Every mention, in text order.")


class TopicTag(Record):
    """A subject code assigned to the article (IPTC Media Topics)."""

    qcode: str = Field(description="IPTC qcode, e.g. 'medtop:16000000'.")
    name: str = Field(description="English name of the topic.")
    level: int = Field(ge=1, description="Level in the Media Topics tree.")
    relevance: int = Field(ge=0, le=100, description="How central the topic is, 0-100.")
    creator: str = Field(description="Stage and model that assigned it.")


class EnrichedArticle(Record):
    """An article with the enrichments made so far.

    The same record type travels on ``wires.entities`` (``stages`` ends in
    ``entities``, ``topics`` empty) and ``wires.enriched`` (all stages done).
    """

    schema_version: Literal[1] = 1
    pipeline_version: str = Field(description="Wirestream version and model that produced it.")
    article: Article
    entities: list[Entity] = Field(default_factory=list)
    entities_skipped: str | None = Field(
        default=None,
        description="Why the article has no entities although the stage ran "
        "(e.g. no entity model for its language); None when entities were extracted.",
    )
    topics: list[TopicTag] = Field(default_factory=list)
    stages: list[str] = Field(default_factory=list, description="Stages completed, in order.")
    enriched_at: AwareDatetime = Field(description="When the last stage finished (UTC).")
