"""The parse stage settles each article's language before the entity stage reads it."""

from __future__ import annotations

from datetime import UTC, datetime

from schemas import Article
from streams import pipeline

NOW = datetime(2026, 1, 14, tzinfo=UTC)
FRENCH = [
    "Le gouvernement a annoncé mardi un vaste plan de construction de logements sociaux dans "
    "les grandes villes du pays, après des mois de hausse des loyers.",
    "Le ministre du logement a précisé que les premiers chantiers commenceraient au printemps "
    "et que les collectivités locales recevraient des aides supplémentaires.",
]


def _article(**fields: object) -> Article:
    base: dict[str, object] = {
        "article_id": "a1",
        "story_id": "test:20260114:logement",
        "version": 1,
        "wire_id": "sha256:test",
        "source_format": "plain-text",
        "headline": "Le gouvernement lance un plan logement",
        "body": FRENCH,
        "received_at": NOW,
    }
    return Article.model_validate({**base, **fields})


def test_an_article_without_a_declared_language_gets_the_detected_one() -> None:
    assert pipeline.with_language(_article()).language == "fr"


def test_a_wire_that_calls_a_long_french_story_english_is_corrected() -> None:
    assert pipeline.with_language(_article(language="en")).language == "fr"


def test_a_declared_language_that_detection_confirms_is_kept_as_is() -> None:
    article = _article(language="fr-FR")
    assert pipeline.with_language(article) is article


def test_non_english_article_gets_language_evidence_but_no_english_topics_or_keywords() -> None:
    article = pipeline.with_language(_article())
    enriched = pipeline.with_entities(article, [], pipeline_version="v", now=NOW)
    assert enriched.entities_skipped is not None
    result = pipeline.tag(pipeline.topics_stage_input(enriched))
    assert result.topics == []
    assert result.keywords == []
    assert (result.language.code, result.language.detected) == ("fr", "fr")
    assert result.language.confidence >= 90


def test_with_topics_fills_keywords_and_language_when_not_given() -> None:
    article = _article(
        language="en",
        headline="Heavy rain and strong winds forecast for the weekend",
        body=["Forecasters warned of heavy rain and thunderstorms across the north on Saturday."],
    )
    enriched = pipeline.with_entities(article, [], pipeline_version="v", now=NOW)
    done = pipeline.with_topics(enriched, [], now=NOW)
    assert done.keywords
    assert done.language is not None and done.language.detected == "en"
    assert done.stages[-1] == "topics"
