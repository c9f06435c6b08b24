"""The stage functions shared by the agents and `wirestream enrich`."""

from __future__ import annotations

from datetime import UTC, datetime

from schemas import RawWire
from streams import __version__, pipeline
from tests.conftest import EXAMPLES

NOW = datetime(2026, 1, 14, 1, 0, tzinfo=UTC)


def _raw() -> RawWire:
    content = (EXAMPLES / "yonhap-20260114-port-strike.txt").read_bytes()
    return RawWire(wire_id="sha256:abc", content=content, source="file", received_at=NOW)


def test_parse_is_deterministic() -> None:
    assert pipeline.parse(_raw()) == pipeline.parse(_raw())


def test_pipeline_version_names_release_and_model() -> None:
    assert pipeline.pipeline_version() == f"wirestream-{__version__}"
    assert pipeline.pipeline_version(model="en_x-1.0") == f"wirestream-{__version__}+en_x-1.0"


def test_entity_input_is_headline_and_paragraphs_joined_by_a_blank_line() -> None:
    article = pipeline.parse(_raw())[0]
    text = pipeline.entities_input(article)
    assert text.headline == article.headline
    assert text.body == "\n\n".join(article.body)


def test_stages_are_recorded_in_order_and_the_article_is_kept() -> None:
    article = pipeline.parse(_raw())[0]
    step = pipeline.with_entities(article, [], pipeline_version="v", now=NOW)
    done = pipeline.with_topics(step, [], now=NOW)
    assert step.stages == ["parse", "entities"]
    assert done.stages == ["parse", "entities", "topics"]
    assert done.article == article
    assert done.pipeline_version == "v"
