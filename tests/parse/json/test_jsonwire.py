"""The shared JSON helpers: safe loading, limits, dates, subjects and ids."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas.article import SourceSubject
from streams.errors import WirestreamError
from streams.parse.errors import (
    InvalidFieldError,
    JsonLimitError,
    MalformedJsonError,
    ParseError,
    UndecodableWireError,
    UnsupportedJsonError,
    WireTooLargeError,
)
from streams.parse.json.jsonwire import (
    BodyPart,
    best_body,
    embargo_of,
    load_object,
    parse_datetime,
    provider_of,
    pub_status_of,
    subject_of,
    uri_key,
)
from tests.parse.json.jsonwires import parse_json


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (MalformedJsonError, "W120"),
        (UnsupportedJsonError, "W121"),
        (JsonLimitError, "W122"),
        (InvalidFieldError, "W123"),
    ],
)
def test_json_error_codes_are_stable_and_in_the_parse_range(
    error: type[ParseError], code: str
) -> None:
    assert issubclass(error, ParseError)
    assert issubclass(error, WirestreamError)
    assert error.code == code
    assert str(error("message")) == f"[{code}] message"


# ------------------------------------------------------------------------- loading


def test_object_is_loaded() -> None:
    assert load_object(b' {"uri": "x", "n": [1, 2]} ', format_name="ninjs") == {
        "uri": "x",
        "n": [1, 2],
    }


def test_utf8_byte_order_mark_is_accepted() -> None:
    assert load_object(b'\xef\xbb\xbf{"a": 1}', format_name="ninjs") == {"a": 1}


def test_malformed_json_reports_where_it_broke() -> None:
    data = b'{"uri": "x",\n "headline": }'
    with pytest.raises(MalformedJsonError) as info:
        load_object(data, format_name="ninjs")
    assert info.value.code == "W120"
    assert info.value.position == data.rindex(b"}")
    assert "line 2" in info.value.message


def test_truncated_json_is_malformed() -> None:
    with pytest.raises(MalformedJsonError):
        load_object(b'{"uri": "x", "headline": "Half', format_name="ninjs")


@pytest.mark.parametrize("data", [b"[1, 2]", b'"text"', b"42", b"null", b"true"])
def test_root_that_is_not_an_object_is_unsupported(data: bytes) -> None:
    with pytest.raises(UnsupportedJsonError, match="not an object"):
        load_object(data, format_name="ninjs")


def test_invalid_utf8_is_undecodable_not_malformed() -> None:
    with pytest.raises(UndecodableWireError, match="byte 0xff at offset 13"):
        load_object(b'{"headline": \xff}', format_name="ninjs")


def test_nesting_beyond_the_limit_is_refused() -> None:
    deep = b'{"a": ' + b"[" * 100 + b"]" * 100 + b"}"
    with pytest.raises(JsonLimitError, match="deeper than 64 levels"):
        load_object(deep, format_name="ninjs")


def test_nesting_beyond_what_the_json_reader_allows_is_refused_as_too_deep() -> None:
    deep = b'{"a": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    with pytest.raises(JsonLimitError):
        load_object(deep, format_name="ninjs")


def test_too_many_values_are_refused() -> None:
    with pytest.raises(JsonLimitError, match="more than 10 JSON values"):
        load_object(b'{"a": [1,2,3,4,5,6,7,8,9,10]}', format_name="ninjs", max_values=10)


def test_size_limit_applies_before_parsing() -> None:
    with pytest.raises(WireTooLargeError):
        load_object(b'{"a": "' + b"x" * 100 + b'"}', format_name="ninjs", max_bytes=50)


def test_nan_is_not_json() -> None:
    with pytest.raises(MalformedJsonError):
        load_object(b'{"urgency": NaN}', format_name="ninjs")


def test_wrongly_typed_fields_count_as_absent() -> None:
    item = {
        "uri": ["not", "a", "string"],
        "headline": "Headline",
        "body_text": "Body.",
        "byline": 42,
        "subject": "not a list",
        "genre": [1, None, {"name": 7}],
        "language": {"x": 1},
        "version": True,
        "urgency": [3],
    }
    [article] = parse_json(item)
    assert article.headline == "Headline"
    assert article.byline == "42"
    assert article.source_subjects == []
    assert article.genre == "7"
    assert article.language == "en"
    assert article.version == 1
    assert article.urgency is not None and article.urgency.value == 5


# ---------------------------------------------------------------------- readings


@pytest.mark.parametrize(
    ("text", "utc", "offset"),
    [
        ("2026-03-04T09:15:00+01:00", datetime(2026, 3, 4, 8, 15, tzinfo=UTC), "+01:00"),
        ("2013-07-09T10:37:00Z", datetime(2013, 7, 9, 10, 37, tzinfo=UTC), "+00:00"),
        ("2019-11-15T13:39:59.123Z",
         datetime(2019, 11, 15, 13, 39, 59, 123000, tzinfo=UTC), "+00:00"),
        ("2026-01-02T03:04:05", datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), None),
        ("2026-01-02", datetime(2026, 1, 2, tzinfo=UTC), None),
        ("2026-05-02T07:42:10-0530", datetime(2026, 5, 2, 13, 12, 10, tzinfo=UTC), "-05:30"),
    ],
)  # fmt: skip
def test_date_times_are_read_into_utc_with_their_offset(
    text: str, utc: datetime, offset: str | None
) -> None:
    moment = parse_datetime(text)
    assert moment is not None
    assert moment.utc == utc
    assert moment.offset == offset


@pytest.mark.parametrize("value", ["2026-13-01T00:00:00Z", "yesterday", "", 20260101, None])
def test_unreadable_date_times_are_none(value: object) -> None:
    assert parse_datetime(value) is None


def test_absent_embargo_is_none_and_blank_counts_as_absent() -> None:
    assert embargo_of({"embargoed": "  "}, "embargoed", what="item") is None
    assert embargo_of({}, "embargoed", what="item") is None


def test_pub_status_defaults_to_usable_only_when_absent() -> None:
    assert pub_status_of(None, what="item") == "usable"
    with pytest.raises(InvalidFieldError):
        pub_status_of(3, what="item")


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"uri": "http://cv.iptc.org/newscodes/mediatopic/15000000", "name": "sport"},
         SourceSubject(code="medtop:15000000", scheme="medtop", name="sport")),
        ({"uri": "https://cv.iptc.org/newscodes/subjectcode/15054000/"},
         SourceSubject(code="subj:15054000", scheme="subj")),
        ({"scheme": "http://cv.iptc.org/newscodes/mediatopic/", "code": "11000000"},
         SourceSubject(code="medtop:11000000", scheme="medtop")),
        ({"scheme": "http://cv.ap.org/c/", "code": "s"},
         SourceSubject(code="ap-category:s", scheme="ap-category")),
        ({"scheme": "medtop", "code": "04000000"},
         SourceSubject(code="medtop:04000000", scheme="medtop")),
        ({"code": "medtop:04000000"}, SourceSubject(code="medtop:04000000", scheme="medtop")),
        ({"scheme": "http://www.freebase.com/m/", "code": "0hzcydt"},
         SourceSubject(code="0hzcydt", scheme="http://www.freebase.com/m/")),
        ({"uri": "http://vocab.example/x/1"}, SourceSubject(code="http://vocab.example/x/1")),
        ({"literal": "13010000", "name": "Teknologi"},
         SourceSubject(code="13010000", name="Teknologi")),
        ({"name": "Technology"}, SourceSubject(code="Technology", name="Technology")),
        ({}, None),
    ],
)  # fmt: skip
def test_subjects_from_every_way_json_names_a_concept(
    kwargs: dict[str, str], expected: SourceSubject | None
) -> None:
    assert subject_of(**kwargs) == expected


@pytest.mark.parametrize(
    ("uri", "provider", "key"),
    [
        ("https://api.ap.org/media/v/content/abc?qt=1&et=2", "ap", "media/v/content/abc"),
        ("urn:newsml:dpa.com:20090101:190510-99-167362", "dpa", "20090101:190510-99-167362"),
        ("http://tt.se/media/text/210526-militarovning", "tt", "media/text/210526-militarovning"),
        ("https://www.yna.co.kr/view/AEN20250903", "yna", "view/AEN20250903"),
        ("tag:reuters.com,2026:newsml_L1N3KT0AB", "reuters", "newsml_L1N3KT0AB"),
        ("urn:8d19cf88-b3ab-4972", None, "8d19cf88-b3ab-4972"),
        ("http://localhost/x", None, "x"),
    ],
)
def test_provider_and_key_of_an_item_uri(uri: str, provider: str | None, key: str) -> None:
    assert provider_of(uri) == provider
    assert uri_key(uri) == key


def test_long_uri_keys_stay_unique() -> None:
    base = "https://news.example/" + "very-long-path-segment-" * 6
    first = parse_json({"uri": base + "one", "headline": "h", "body_text": "b"})[0]
    second = parse_json({"uri": base + "two", "headline": "h", "body_text": "b"})[0]
    assert first.story_id != second.story_id
    assert len(first.story_id) <= 100


def test_body_prefers_plain_text_unless_markup_has_more_paragraphs() -> None:
    plain = BodyPart("text", "One.\n\nTwo.")
    html = BodyPart("html", "<p>Uno.</p><p>Dos.</p>")
    richer = BodyPart("html", "<p>A.</p><p>B.</p><p>C.</p>")
    assert best_body([html, plain]) == ["One.", "Two."]
    assert best_body([plain, richer]) == ["A.", "B.", "C."]
    assert best_body([html]) == ["Uno.", "Dos."]
    assert best_body([]) == []


def test_nitf_body_reads_only_the_body_content() -> None:
    nitf = (
        '<?xml version="1.0"?><nitf><head><title>T</title></head><body><body.head><hedline>'
        "<hl1>Headline</hl1></hedline><byline>By X</byline></body.head><body.content>"
        "<p>First.</p><p>Second &amp; last.</p></body.content></body></nitf>"
    )
    item = {"uri": "u:1", "headlines": [{"value": "Headline"}],
            "bodies": [{"contentType": "text/vnd.IPTC.NITF", "value": nitf}]}  # fmt: skip
    [article] = parse_json(item)
    assert article.body == ["First.", "Second & last."]
