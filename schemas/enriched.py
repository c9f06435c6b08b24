"""Records produced by the enrichment stages."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AwareDatetime, Field, model_validator

from schemas.article import Article
from schemas.base import Record
from schemas.replay import ReplayInfo


class Mention(Record):
    """One occurrence of an entity in the text."""

    text: str = Field(description="Surface form as it appears.")
    section: Literal["headline", "body"] = Field(description="Which text the offsets index.")
    paragraph: int | None = Field(
        default=None, description="Body paragraph index (None in the headline)."
    )
    start: int = Field(ge=0, description="Start offset into the section text.")
    end: int = Field(ge=0, description="End offset (exclusive) into the section text.")


EntityKind = Literal["person", "organisation", "place", "event", "other"]

#: ninjs kind of each spaCy/OntoNotes label; anything else is "other".
KIND_OF_LABEL: dict[str, EntityKind] = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "EVENT": "event",
}


class Geo(Record):
    """Where a place is, from the gazetteer shipped with Wirestream (GeoNames, CC BY 4.0)."""

    lat: float | None = Field(
        default=None, description="WGS84 latitude; None for an area without a representative point."
    )
    lon: float | None = Field(default=None, description="WGS84 longitude; None with lat.")
    country_code: str | None = Field(
        default=None, description="ISO 3166-1 alpha-2 code of the country it lies in."
    )
    geonames_id: int | None = Field(default=None, description="GeoNames feature id, if known.")
    feature: Literal["country", "city", "region", "continent", "landmark"] = Field(
        description="What kind of place the coordinates stand for."
    )


class Entity(Record):
    """A named entity of the article with all its mentions, shaped like a ninjs 3 entity.

    Offsets index ``Article.headline`` (section ``headline``) or the body text,
    i.e. the body paragraphs joined with a blank line (``"\\n\\n".join(body)``).
    Fields derived from the mentions (``kind``, ``surface_forms``,
    ``mention_count``, ``in_headline``, ``in_lead``) are filled in when omitted.
    """

    name: str = Field(
        description="Canonical name: the full name the article uses, or the gazetteer name "
        "of a linked place or organisation."
    )
    type: str = Field(description="spaCy/OntoNotes label: PERSON, ORG, GPE, LOC, NORP, ...")
    kind: EntityKind = Field(
        default="other", description="ninjs kind: person, organisation, place, event, other."
    )
    surface_forms: list[str] = Field(
        default_factory=list, description="Every distinct way the article writes it, in order."
    )
    mention_count: int = Field(default=0, ge=0, description="Number of mentions.")
    mentions: list[Mention] = Field(description="Every mention: headline first, then text order.")
    in_headline: bool = Field(default=False, description="Mentioned in the headline.")
    in_lead: bool = Field(default=False, description="Mentioned in the first body paragraph.")
    in_dateline: bool = Field(default=False, description="Named in the dateline.")
    relevance: int = Field(
        default=0, ge=0, le=100, description="How central it is to the story, 0-100."
    )
    confidence: int = Field(
        default=0, ge=0, le=100, description="How sure the grouping and type are, 0-100."
    )
    title: str | None = Field(
        default=None, description="Role or title given with a person's name ('Foreign Minister')."
    )
    wikidata: str | None = Field(default=None, description="Wikidata QID when linked, e.g. 'Q884'.")
    uri: str | None = Field(
        default=None, description="Wikidata entity URI, or the GeoNames URI of a place without one."
    )
    local_id: str | None = Field(
        default=None,
        description="Stable id of an entity without a Wikidata QID: 'ws:' + hash of type and name.",
    )
    geo: Geo | None = Field(default=None, description="Coordinates and codes of a place.")

    @model_validator(mode="before")
    @classmethod
    def _derive_from_mentions(cls, data: Any) -> Any:
        if not isinstance(data, dict) or "mentions" not in data:
            return data
        mentions = [
            m if isinstance(m, Mention) else Mention.model_validate(m) for m in data["mentions"]
        ]
        derived: dict[str, Any] = {
            "kind": KIND_OF_LABEL.get(str(data.get("type")), "other"),
            "surface_forms": list(dict.fromkeys(m.text for m in mentions)),
            "mention_count": len(mentions),
            "in_headline": any(m.section == "headline" for m in mentions),
            "in_lead": any(m.section == "body" and m.paragraph == 0 for m in mentions),
        }
        return {**derived, **data, "mentions": mentions}


class TopicTag(Record):
    """A subject code assigned to the article (IPTC Media Topics)."""

    qcode: str = Field(description="IPTC qcode, e.g. 'medtop:16000000'.")
    name: str = Field(description="English name of the topic.")
    level: int = Field(ge=1, description="Level in the Media Topics tree.")
    relevance: int = Field(ge=0, le=100, description="How central the topic is, 0-100.")
    confidence: int | None = Field(
        default=None,
        ge=0,
        le=100,
        description="How sure the tagger is that the topic applies, 0-100 (None: not estimated).",
    )
    creator: str = Field(description="Stage and model that assigned it.")


class Keyword(Record):
    """A key phrase of the article, in its own words."""

    text: str = Field(description="The phrase as the article writes it.")
    score: float = Field(ge=0, le=1, description="Weight relative to the best phrase (1.0).")


class LanguageInfo(Record):
    """The article's language beside what language detection found in its text.

    ``code`` is ``article.language``: what the wire declared, unless detection
    overruled it at parse time (a long text, a confident guess of another
    language), or detection's answer when the wire declared nothing. When
    ``detected`` differs from ``code``, the declaration stood.
    """

    code: str = Field(description="BCP-47 language of the article (= article.language).")
    detected: str = Field(description="What detection found (ISO 639-1; 'und' for no text).")
    confidence: int = Field(ge=0, le=100, description="Detection's confidence, 0-100.")


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
    topics: list[TopicTag] = Field(
        default_factory=list,
        description="IPTC Media Topics as ninjs subjects: level-1 tags, most relevant first, "
        "then level-2 tags (level 2, several possible) where the model is confident.",
    )
    keywords: list[Keyword] = Field(
        default_factory=list, description="Key phrases of the article, best first."
    )
    language: LanguageInfo | None = Field(
        default=None, description="Language of the article and its detection (topics stage)."
    )
    cluster_id: str | None = Field(
        default=None,
        description="Story cluster: shared by every version of a story and by near-duplicate "
        "copies from other agencies or re-sends seen within the index window.",
    )
    stages: list[str] = Field(default_factory=list, description="Stages completed, in order.")
    supersedes: str | None = Field(
        default=None,
        description="article_id of the version of the story this one replaces: the latest "
        "version seen before it with a lower or the same version number (a re-sent or "
        "corrected version). None for the first version seen and for an older version that "
        "arrives after a newer one (its article.signals then carry 'out-of-order').",
    )
    enriched_at: AwareDatetime = Field(description="When the last stage finished (UTC).")
    replay: ReplayInfo | None = Field(
        default=None,
        description="Set on records made by `wirestream replay` (replay id, requested window); "
        "None on the live pipeline's. Apart from this and enriched_at, a replayed record equals "
        "any other made from the same wire by the same pipeline_version.",
    )
