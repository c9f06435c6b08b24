"""The stages as plain functions: what the agents and ``wirestream enrich`` share.

Nothing here touches Kafka, Faust or the clock: the caller passes ``now``, so
the same input always gives the same output (replays and exactly-once
processing rely on that).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from schemas import Article, EnrichedArticle, Entity, RawWire, TopicTag
from schemas.enriched import Keyword, LanguageInfo
from streams import __version__
from streams.classify import classify
from streams.classify import keywords as find_keywords
from streams.lang import detect_language, resolve_language
from streams.nlp.entities import EntityInput, entity_input
from streams.parse import parse_items

STAGE_PARSE = "parse"
STAGE_ENTITIES = "entities"
STAGE_TOPICS = "topics"

#: IPTC urgency at or below which an article takes the urgent lane (1 = flash).
URGENT_AT_MOST = 2


def pipeline_version(*, model: str | None = None) -> str:
    """Version stamp of every output record: our release plus the model that ran."""
    base = f"wirestream-{__version__}"
    return f"{base}+{model}" if model else base


def parse(raw: RawWire) -> list[Article]:
    """Stage 1: bytes to normalised articles (one per story in the wire).

    Each article's language is settled here (:func:`with_language`), before
    the entity stage decides whether it has a model for it. Raises a
    ``ParseError`` subclass on bad input.
    """
    return [with_language(article) for article in parse_items(raw)]


def is_urgent(article: Article) -> bool:
    """Whether ``article`` goes ahead of routine copy (a flash or an urgent, IPTC 1-2)."""
    return article.urgency is not None and article.urgency.value <= URGENT_AT_MOST


def language_text(article: Article) -> str:
    """The text language detection reads: headline and body."""
    return "\n\n".join([article.headline, *article.body])


def with_language(article: Article) -> Article:
    """The article with its language detected when the parser did not set one.

    A language the parser set explicitly stands unless detection confidently
    finds another in a text long enough to judge (:func:`resolve_language`).
    """
    declared = article.language if "language" in article.model_fields_set else None
    code, _ = resolve_language(declared=declared, text=language_text(article))
    if code == article.language and declared is not None:
        return article
    return article.model_copy(update={"language": code})


def entities_input(article: Article) -> EntityInput:
    """What the entity stage feeds the model for this article."""
    return entity_input(
        headline=article.headline,
        paragraphs=article.body,
        language=article.language,
        dateline=article.dateline.cities if article.dateline else (),
    )


def with_entities(
    article: Article,
    entities: Sequence[Entity],
    *,
    pipeline_version: str,
    now: datetime,
    model_language: str = "en",
    supersedes: str | None = None,
) -> EnrichedArticle:
    """Stage 2 result: the article and its entities.

    ``supersedes`` is the article id of the version this one replaces, when
    the caller tracks versions (see :mod:`streams.stories`).
    """
    skipped = None
    if article.language.split("-")[0].lower() != model_language:
        skipped = f"no entity model for language {article.language!r}"
    return EnrichedArticle(
        pipeline_version=pipeline_version,
        article=article,
        entities=list(entities),
        entities_skipped=skipped,
        stages=[STAGE_PARSE, STAGE_ENTITIES],
        supersedes=supersedes,
        enriched_at=now,
    )


@dataclass(frozen=True)
class TopicsInput:
    """What the topic stage reads of an article."""

    headline: str
    paragraphs: tuple[str, ...]
    language: str

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class TopicsResult:
    """Topics, key phrases and language evidence of one article."""

    topics: list[TopicTag]
    keywords: list[Keyword]
    language: LanguageInfo


def topics_input(article: Article) -> TopicsInput:
    """What the topic work reads of an article (it needs no entities)."""
    return TopicsInput(article.headline, tuple(article.body), article.language)


def topics_stage_input(enriched: EnrichedArticle) -> TopicsInput:
    return topics_input(enriched.article)


def language_info(language: str, text: str) -> LanguageInfo:
    guess = detect_language(text)
    return LanguageInfo(code=language, detected=guess.code, confidence=guess.confidence)


def tag(item: TopicsInput) -> TopicsResult:
    """Stage 3 work (CPU, run in the pool): IPTC topics, key phrases, language evidence.

    Topics and keywords are English models: for another language the result
    has no topics and no keywords rather than wrong ones.
    """
    language = language_info(item.language, "\n\n".join([item.headline, *item.paragraphs]))
    if item.language.split("-")[0].lower() != "en":
        return TopicsResult([], [], language)
    return TopicsResult(
        classify(headline=item.headline, body=item.body),
        find_keywords(headline=item.headline, paragraphs=item.paragraphs),
        language,
    )


def with_topics(
    enriched: EnrichedArticle,
    topics: Sequence[TopicTag],
    *,
    now: datetime,
    keywords: Sequence[Keyword] | None = None,
    language: LanguageInfo | None = None,
) -> EnrichedArticle:
    """Stage 3 result: the fully enriched article.

    Keywords and language evidence not given (callers that only tag topics)
    are computed here from the article.
    """
    article = enriched.article
    if language is None:
        language = language_info(article.language, language_text(article))
    if keywords is None:
        english = article.language.split("-")[0].lower() == "en"
        keywords = (
            find_keywords(headline=article.headline, paragraphs=article.body) if english else []
        )
    return enriched.model_copy(
        update={
            "topics": list(topics),
            "keywords": list(keywords),
            "language": language,
            "stages": [*enriched.stages, STAGE_TOPICS],
            "enriched_at": now,
        }
    )


def cluster_input(enriched: EnrichedArticle) -> tuple[str, str]:
    """(headline, body) that story clustering fingerprints."""
    return enriched.article.headline, "\n\n".join(enriched.article.body)


def with_cluster(enriched: EnrichedArticle, cluster_id: str) -> EnrichedArticle:
    """The enriched article with its story cluster."""
    return enriched.model_copy(update={"cluster_id": cluster_id})
