"""The lexicon baseline tagger: sanity on hand-written stories, output contract, speed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from schemas import TopicTag
from streams.classify import ClassifyError, VocabularyError, iptc, topic_names
from streams.classify.iptc import classify  # the baseline; the model is in test_model.py
from tests.classify.stories import PARADE

CONFLICT = "medtop:16000000"
POLITICS = "medtop:11000000"
ECONOMY = "medtop:04000000"
SPORT = "medtop:15000000"
WEATHER = "medtop:17000000"

# Short stories written for these tests (not taken from any agency).
STOCKS = (
    "Stocks slide as chip makers drag Nasdaq lower; dollar firms",
    "Wall Street's main indexes fell on Tuesday as investors sold shares of semiconductor "
    "companies after a disappointing earnings forecast, while Treasury yields rose.\n\n"
    "The S&P 500 lost 1.2% and the Nasdaq Composite dropped 1.9%. The dollar index rose 0.4% "
    "against a basket of currencies, and oil prices eased. Traders now price in two interest "
    "rate cuts by the central bank this year, according to futures markets.",
)
FOOTBALL = (
    "Late header gives United 2-1 win over City in derby",
    "A stoppage-time header from the captain gave United a 2-1 victory over City on Sunday, "
    "lifting them to third in the league table.\n\n"
    "City had taken the lead through a first-half penalty, but United equalised after the "
    "break when their striker volleyed in from the edge of the box. The goalkeeper made three "
    "fine saves before the winner. The manager praised his players after the match.",
)
WEATHER_FORECAST = (
    "Heavy rain and strong winds forecast for the weekend",
    "The national weather service warned on Friday that heavy rain and gusts of up to 90 km/h "
    "would sweep across the north of the country over the weekend, with temperatures dropping "
    "to near freezing at night.\n\n"
    "Forecasters issued a yellow warning for thunderstorms on Saturday afternoon. Sunday should "
    "be drier but cloudy, with sunny spells and highs of 12 degrees Celsius in the south.",
)


def _qcodes(story: tuple[str, str], **kwargs: int) -> list[str]:
    headline, body = story
    return [tag.qcode for tag in classify(headline=headline, body=body, **kwargs)]


@pytest.fixture
def fresh_vocabulary() -> Iterator[None]:
    """Let a test load the vocabulary differently without leaking it to other tests."""
    iptc._vocabulary.cache_clear()
    yield
    iptc._vocabulary.cache_clear()


def test_military_parade_with_leaders_is_conflict_and_politics_in_top_three() -> None:
    top3 = _qcodes(PARADE, top_k=3, min_relevance=0)
    assert CONFLICT in top3
    assert POLITICS in top3


def test_stock_market_story_is_economy_first() -> None:
    assert _qcodes(STOCKS)[0] == ECONOMY


def test_football_match_is_sport_first() -> None:
    assert _qcodes(FOOTBALL)[0] == SPORT


def test_weather_forecast_is_weather_first() -> None:
    assert _qcodes(WEATHER_FORECAST)[0] == WEATHER


def test_same_input_gives_same_output() -> None:
    first = classify(headline=PARADE[0], body=PARADE[1])
    second = classify(headline=PARADE[0], body=PARADE[1])
    assert first == second


def test_output_does_not_depend_on_hash_seed() -> None:
    # Set and dict iteration order changes with PYTHONHASHSEED; results must not.
    code = (
        "import json, sys; from streams.classify.iptc import classify; "
        "h, b = json.load(sys.stdin); "
        "print(json.dumps([t.model_dump() for t in classify(headline=h, body=b, top_k=17, "
        "min_relevance=0)]))"
    )
    outputs = set()
    for seed in ("1", "2", "3"):
        result = subprocess.run(
            [sys.executable, "-c", code],
            input=json.dumps(STOCKS),
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        outputs.add(result.stdout)
    assert len(outputs) == 1


@pytest.mark.parametrize("story", [PARADE, STOCKS, FOOTBALL, WEATHER_FORECAST])
def test_tags_are_sorted_by_relevance_then_qcode(story: tuple[str, str]) -> None:
    tags = classify(headline=story[0], body=story[1], top_k=17, min_relevance=0)
    keys = [(-tag.relevance, tag.qcode) for tag in tags]
    assert keys == sorted(keys)
    assert len({tag.qcode for tag in tags}) == len(tags)


@pytest.mark.parametrize("story", [PARADE, STOCKS, FOOTBALL, WEATHER_FORECAST])
def test_relevance_is_between_1_and_100(story: tuple[str, str]) -> None:
    tags = classify(headline=story[0], body=story[1], top_k=17, min_relevance=0)
    assert tags
    assert all(1 <= tag.relevance <= 100 for tag in tags)


@pytest.mark.parametrize(
    ("headline", "body"), [("", ""), ("   ", "\n\n"), ("1234", "-- (AP) --"), ("Hello", "")]
)
def test_text_without_lexicon_terms_gives_no_tags(headline: str, body: str) -> None:
    assert classify(headline=headline, body=body) == []


def test_tags_are_level_1_with_names_and_lexicon_creator() -> None:
    names = topic_names()
    version = iptc.vocabulary_version()
    for tag in classify(headline=PARADE[0], body=PARADE[1]):
        assert isinstance(tag, TopicTag)
        assert tag.level == 1
        assert tag.name == names[tag.qcode]
        assert tag.creator == f"wirestream.classify.iptc-lexicon/{version}"


def test_top_k_caps_the_number_of_tags() -> None:
    assert len(_qcodes(PARADE, top_k=1, min_relevance=0)) == 1
    assert _qcodes(PARADE, top_k=1, min_relevance=0) == _qcodes(PARADE, top_k=5)[:1]
    assert _qcodes(PARADE, top_k=0) == []


def test_relevance_does_not_depend_on_top_k() -> None:
    one = classify(headline=PARADE[0], body=PARADE[1], top_k=1)
    three = classify(headline=PARADE[0], body=PARADE[1], top_k=3)
    assert one == three[:1]


def test_min_relevance_drops_weaker_tags() -> None:
    tags = classify(headline=PARADE[0], body=PARADE[1], top_k=17, min_relevance=0)
    threshold = tags[1].relevance + 1
    kept = classify(headline=PARADE[0], body=PARADE[1], top_k=17, min_relevance=threshold)
    assert kept == [tag for tag in tags if tag.relevance >= threshold]


def test_headline_counts_more_than_the_same_words_in_the_body() -> None:
    def weather_relevance(*, headline: str, body: str) -> int:
        tags = classify(headline=headline, body=body, top_k=17, min_relevance=0)
        return next((tag.relevance for tag in tags if tag.qcode == WEATHER), 0)

    stocks = "Stocks fell as investors sold shares and the central bank held interest rates."
    in_headline = weather_relevance(headline="Rain forecast", body=stocks)
    in_body = weather_relevance(headline="", body=f"Rain forecast. {stocks}")
    assert in_headline > in_body > 0


def test_a_single_passing_word_does_not_make_a_confident_tag() -> None:
    tags = classify(headline="", body="The minister said so.", min_relevance=0)
    assert all(tag.relevance < 50 for tag in tags)


def test_arguments_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        classify("headline", "body")  # type: ignore[call-arg]


def test_topic_names_are_the_17_level_1_topics_and_a_copy() -> None:
    names = topic_names()
    assert len(names) == 17
    assert names[SPORT] == "sport"
    names.clear()
    assert len(topic_names()) == 17


def test_missing_vocabulary_raises_w301_with_rebuild_hint(
    fresh_vocabulary: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(iptc, "DATA_FILE", "no-such-file.json")
    with pytest.raises(VocabularyError) as info:
        classify(headline="Rain", body="")
    assert info.value.code == "W301"
    assert "wirestream build lexicon" in str(info.value)
    assert isinstance(info.value, ClassifyError)


@pytest.mark.parametrize(
    "data",
    [
        [],
        {"format": 2, "version": "x", "topics": []},
        {"format": 1, "version": "x", "topics": []},
        {"format": 1, "version": "x", "topics": [{"qcode": "sport", "name": "s", "terms": {}}]},
        {
            "format": 1,
            "version": "x",
            "topics": [{"qcode": "medtop:15000000", "name": "sport", "terms": {"goal": "high"}}],
        },
    ],
)
def test_malformed_vocabulary_raises_w301(data: object) -> None:
    with pytest.raises(VocabularyError, match=r"malformed.*wirestream build lexicon"):
        iptc._parse(data)


def test_error_codes_are_in_the_classify_range() -> None:
    assert ClassifyError("x").code == "W300"
    assert VocabularyError("x").code == "W301"
    assert str(VocabularyError("gone")) == "[W301] gone"
