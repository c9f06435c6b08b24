from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.enriched import Geo
from streams.alerts import Query, QueryError, document, parse
from tests.alerts.factory import VOCABULARY, entity, record

PARADE = record(
    "Kim Jong-un watches missile launch with Xi",
    "SEOUL, March 1 (Yonhap) -- North Korean leader Kim Jong Un oversaw a missile launch "
    "on Sunday.\n\nChinese President Xi Jinping attended the military parade in Pyongyang.",
    entities=[
        entity(
            "Kim Jong-un", "PERSON", ("Kim Jong-un watches", ""), relevance=90, wikidata="Q56226"
        ),
        entity(
            "Xi Jinping", "PERSON", ("", "Xi Jinping attended"), relevance=40, wikidata="Q15031"
        ),
        entity(
            "Pyongyang",
            "GPE",
            ("", "in Pyongyang."),
            relevance=30,
            geo=Geo(country_code="KP", geonames_id=1871859, feature="city"),
        ),
    ],
    topics=("medtop:20000053",),
    source="Yonhap",
    urgency=2,
)
DOC = document(PARADE, VOCABULARY)


def q(text: str) -> Query:
    return parse(text, VOCABULARY)


@pytest.mark.parametrize(
    "text",
    [
        'entity:"Kim Jong-un"',
        'entity:"kim jong un"',  # a variant spelling, any case
        "entity:Q56226",  # the QID
        'entity:"Kim Jong-un">=90',
        "entity:Xi",  # an alias the vocabulary knows
        "type:PERSON",
        "type:place",
        "topic:medtop:16000000",  # broader topic matches the narrower tag
        'topic:"conflict, war and peace"',
        "topic:medtop:20000053",
        "missile",
        '"missile launch"',
        "MISSILE",
        'headline:"missile launch"',
        "source:yonhap",
        "language:en",
        "urgency<=3",
        "urgency:2",
        "urgency=2",
        "place:1871859",
        "place:KP",
        "country:kp",
        "place:Pyongyang",
        "version:first",
        'entity:"Kim Jong-un" AND (topic:medtop:16000000 OR "missile launch") AND urgency<=3 '
        "AND NOT source:kcna",
        "missile launch",  # implicit AND
        "NOT sport",
        "parade OR football",
    ],
)
def test_query_matches_the_parade_story(text: str) -> None:
    assert q(text).matches(DOC)


@pytest.mark.parametrize(
    "text",
    [
        "launches",  # whole words only
        '"launch missile"',  # order matters in a phrase
        "headline:Pyongyang",  # in the body only
        'entity:"Xi Jinping">=50',  # relevance 40
        "entity:Q1",
        "type:ORG",
        "topic:medtop:11000000",
        "topic:medtop:16000000 AND NOT missile",
        "source:kcna",
        "language:ko",
        "language:en-gb",
        "urgency<2",
        "urgency>=3",
        "place:1835848",
        "country:KR",
        "version:update",
        "missile AND football",
    ],
)
def test_query_does_not_match_the_parade_story(text: str) -> None:
    assert not q(text).matches(DOC)


def test_narrower_topic_does_not_match_its_broader_tag() -> None:
    broad = document(record("Fighting", "x", topics=("medtop:16000000",)), VOCABULARY)
    assert q("topic:medtop:16000000").matches(broad)
    assert not q("topic:medtop:20000053").matches(broad)


def test_article_without_urgency_matches_no_urgency_comparison() -> None:
    plain = document(record("Talks", "x"), VOCABULARY)
    assert not q("urgency<=9").matches(plain)
    assert q("NOT urgency<=9").matches(plain)


def test_language_matches_its_regional_variants() -> None:
    british = document(record("Talks", "x", language="en-GB"), VOCABULARY)
    assert q("language:en").matches(british)
    assert q("language:en-GB").matches(british)
    assert not q("language:en-US").matches(british)


@pytest.mark.parametrize(
    ("kwargs", "kind"),
    [
        ({}, "first"),
        ({"version": 0, "version_tags": ("URGENT",)}, "first"),
        ({"version": 2}, "update"),
        ({"version_tags": ("LEAD",)}, "update"),
        ({"supersedes": "story-1-v1"}, "update"),
        ({"signals": ("writethru",)}, "update"),
        ({"signals": ("correction",), "version": 3}, "correction"),
    ],
)
def test_version_kind(kwargs: dict[str, object], kind: str) -> None:
    doc = document(record("Talks", "x", **kwargs), VOCABULARY)  # type: ignore[arg-type]
    assert doc.kind == kind
    assert q(f"version:{kind}").matches(doc)


def test_explain_gives_entity_and_phrase_offsets() -> None:
    hits = q('entity:"Kim Jong-un" AND "missile launch" AND NOT source:kcna').explain(DOC)
    assert [h.field for h in hits] == ["entity", "text"]
    entity_hit, phrase_hit = hits
    assert entity_hit.value == "Kim Jong-un"
    assert PARADE.article.headline[entity_hit.spans[0].start : entity_hit.spans[0].end] == (
        "Kim Jong-un"
    )
    body = "\n\n".join(PARADE.article.body)
    sections = {"headline": PARADE.article.headline, "body": body}
    assert [sections[s.section][s.start : s.end] for s in phrase_hit.spans] == [
        "missile launch",
        "missile launch",
    ]


def test_reason_names_the_terms_that_held() -> None:
    assert q("football OR missile").reason(DOC) == "matched missile (missile)"
    assert q("football").reason(DOC) == ""


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        ('entity:"Kim Jong-un" AND (topic:medtop:16000000 OR "missile launch"', 68, "expected ')'"),
        ("(a OR b", 8, "expected ')'"),
        ("a OR b)", 7, "unexpected ')'"),
        ("", 1, "empty query"),
        ("missile AND", 12, "expected a term"),
        ("OR missile", 1, "expected a term before 'OR'"),
        ("colour:red", 1, "unknown field 'colour'"),
        ("entity:", 8, "expected a value right after 'entity:'"),
        ('"missile launch', 1, "unterminated phrase"),
        ("urgency<=10", 10, "urgency must be between 1 and 9"),
        ("urgency<=x", 10, "expected a number for urgency"),
        ("topic:weather", 7, "unknown topic 'weather'"),
        ("type:animal", 6, "unknown entity type 'animal'"),
        ("version:draft", 9, "version is one of first, update, correction, kill"),
        ("country:Korea", 9, "ISO 3166 alpha-2"),
        ("language:english", 10, "not a language code"),
        ('entity:"Kim"<=50', 13, "entity relevance takes '>='"),
        ("source<3", 7, "cannot be compared"),
        ("--- AND x", 1, "no letters or digits"),
        ("x AND " + "(" * 30 + "y" + ")" * 30, 1, "nested deeper"),
    ],
)
def test_parse_errors_say_where_and_why(text: str, column: int, message: str) -> None:
    with pytest.raises(QueryError) as caught:
        q(text)
    if "nested" not in message:
        assert caught.value.column == column
    assert message in str(caught.value)
    assert str(caught.value).startswith(f"[W601] column {caught.value.column}: ")


def test_overlong_query_is_refused() -> None:
    with pytest.raises(QueryError, match="longer than"):
        q("a " * 1500)


def test_describe_round_trips() -> None:
    text = (
        'entity:"Kim Jong-un">=50 AND (topic:medtop:16000000 OR "missile launch") AND '
        "urgency<=3 AND NOT source:kcna"
    )
    first = q(text)
    again = q(first.root.describe())
    assert again.root.describe() == first.root.describe()
    assert again.matches(DOC) == first.matches(DOC)


_ALPHABET = st.sampled_from(
    [
        *list('()":<>=!\\ -'),
        "AND",
        "OR",
        "NOT",
        "entity",
        "topic",
        "urgency",
        "medtop",
        "16000000",
        "Q5",
        "kim",
        "²",
        "٣",
        "é",
        "ß",
        "\t",
        "\x00",
        "type",
        "place",
        "version",
        "first",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=80), st.lists(_ALPHABET, max_size=25).map("".join)))
def test_parser_raises_only_its_parse_error(text: str) -> None:
    try:
        query = q(text)
    except QueryError as exc:
        assert 1 <= exc.column <= len(text) + 1
        return
    query.matches(DOC)
    query.explain(DOC)
