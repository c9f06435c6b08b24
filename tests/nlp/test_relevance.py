"""Relevance and confidence scores, and the ranking they give our invented stories."""

from __future__ import annotations

import pytest

from schemas import Mention
from streams.nlp.entities import group_mentions
from streams.nlp.relevance import confidence, relevance
from tests.nlp.fixtures.stories import Story, all_stories, load

BODY = 2000


def mention(section: str, start: int, paragraph: int | None = None) -> Mention:
    return Mention(text="X", section=section, paragraph=paragraph, start=start, end=start + 1)  # type: ignore[arg-type]


def score(mentions: list[Mention], *, in_dateline: bool = False) -> int:
    return relevance(mentions, body_length=BODY, lead_end=300, in_dateline=in_dateline)


def test_headline_and_lead_outrank_a_late_mention() -> None:
    top = score([mention("headline", 0), mention("body", 10, 0)])
    late = score([mention("body", 1900, 5)])
    assert top > late


def test_more_mentions_spread_through_the_story_rank_higher() -> None:
    once = score([mention("body", 500, 1)])
    often = score([mention("body", s, i) for i, s in enumerate((500, 900, 1300, 1700))])
    assert often > once


def test_dateline_counts_for_a_place() -> None:
    assert score([], in_dateline=True) > score([])


def test_relevance_stays_between_0_and_100() -> None:
    many = [mention("headline", 0)] + [mention("body", s, s // 100) for s in range(0, BODY, 20)]
    assert score(many) == 100
    assert score([]) == 0


def test_confidence_rewards_agreement_and_links_and_punishes_ambiguity() -> None:
    base = confidence(
        label_share=1.0, linked=False, multi_word_or_repeated=True, ambiguous_share=0.0
    )
    assert (
        confidence(label_share=1.0, linked=True, multi_word_or_repeated=True, ambiguous_share=0.0)
        > base
    )
    assert (
        confidence(label_share=0.5, linked=False, multi_word_or_repeated=True, ambiguous_share=0.0)
        < base
    )
    assert (
        confidence(label_share=1.0, linked=False, multi_word_or_repeated=True, ambiguous_share=0.5)
        < base
    )


def ranked(story: Story) -> list[str]:
    entities = group_mentions(
        story.spans(), body=story.body, headline=story.headline, dateline=story.dateline
    )
    return [e.name for e in entities]


@pytest.mark.parametrize("story", all_stories(), ids=lambda s: s.id)
def test_central_entities_rank_in_the_top_five(story: Story) -> None:
    top5 = ranked(story)[:5]
    for name in story.gold["central"]:
        assert name in top5, f"{name} not in {top5}"


def test_the_leader_tops_the_people_of_the_kim_family_story() -> None:
    story = load("kim_family")
    entities = group_mentions(
        story.spans(), body=story.body, headline=story.headline, dateline=story.dateline
    )
    people = [e for e in entities if e.kind == "person"]
    assert people[0].name == "Kim Jong-un"
    assert entities[0].name == "Kim Jong-un"


def test_the_subject_of_the_headline_ranks_above_a_place_named_as_often() -> None:
    from streams.nlp.mentions import Span

    headline = "Lee offers apologies over crash in Muan"
    body = "Lee Jae Myung apologised on Monday in Muan. Muan officials and Lee met later."
    spans = [
        Span("PERSON", "Lee", "headline", 0, 3),
        Span("GPE", "Muan", "headline", 35, 39),
        Span("PERSON", "Lee Jae Myung", "body", 0, 13),
        Span("GPE", "Muan", "body", 38, 42),
        Span("GPE", "Muan", "body", 44, 48),
        Span("PERSON", "Lee", "body", 63, 66),
    ]
    assert headline[35:39] == "Muan" and body[38:42] == "Muan" and body[63:66] == "Lee"
    found = group_mentions(spans, body=body, headline=headline)
    assert [e.name for e in found][:2] == ["Lee Jae Myung", "Muan"]
    assert found[0].relevance > found[1].relevance


def test_a_subject_bonus_adds_to_relevance() -> None:
    from schemas.enriched import Mention

    mentions = [Mention(text="Lee", section="body", paragraph=0, start=0, end=3)]
    plain = relevance(mentions, body_length=500, lead_end=200)
    assert relevance(mentions, body_length=500, lead_end=200, subject=1) > plain
    assert relevance(mentions, body_length=500, lead_end=200, subject=3) > relevance(
        mentions, body_length=500, lead_end=200, subject=2
    )
