from __future__ import annotations

from datetime import timedelta

from schemas import DeadLetter, RawWire
from schemas.enriched import Geo
from streams.alerts import parse
from streams.console.views import (
    badge,
    letter_counts,
    letter_view,
    query_check,
    query_test,
    story_detail,
    story_summary,
)
from tests.alerts.factory import NOW, VOCABULARY, entity, record

BODY = (
    "SEOUL, March 1 (Yonhap) -- Kim Jong-un oversaw a launch.\n\n"
    "Xi Jinping attended the parade in Pyongyang with Kim Jong-un."
)
TEXT = ("Kim Jong-un watches launch", BODY)
STORY = record(
    "Kim Jong-un watches launch",
    BODY,
    entities=[
        entity("Kim Jong-un", "PERSON", TEXT, wikidata="Q56226"),
        entity(
            "Pyongyang",
            "GPE",
            TEXT,
            geo=Geo(lat=39.03, lon=125.75, country_code="KP", feature="city"),
        ),
    ],
    topics=("medtop:20000053",),
    urgency=2,
)


def test_summary_carries_what_the_wire_row_shows() -> None:
    row = story_summary(STORY)
    assert row["headline"] == "Kim Jong-un watches launch"
    assert row["source"] == "Yonhap"
    assert row["urgency"] == 2
    assert row["badge"] == "first"
    assert row["topics"] == [{"qcode": "medtop:20000053", "name": "armed conflict"}]
    assert row["cluster_id"] == STORY.article.story_id  # no cluster: the story is its own


def test_badge_names_the_wire_tag_or_the_kind() -> None:
    assert badge(record("x", version_tags=("LEAD",), version=2)) == "LEAD"
    assert badge(record("x", version_tags=("urgent",))) == "first"
    assert badge(record("x", signals=("correction",))) == "correction"
    assert badge(record("x", version=3)) == "update"


def test_body_is_cut_into_runs_with_each_mention_marked_in_its_paragraph() -> None:
    detail = story_detail(STORY, raw=None)
    first, second = detail["paragraphs"]
    marked = [(s["text"], s.get("entity")) for s in second if "entity" in s]
    assert marked == [("Pyongyang", 1), ("Kim Jong-un", 0)]
    assert "".join(s["text"] for s in second) == STORY.article.body[1]
    assert [s["text"] for s in first if "entity" in s] == ["Kim Jong-un"]
    kim, pyongyang = detail["entities"]
    assert kim["wikidata_url"] == "https://www.wikidata.org/wiki/Q56226"
    assert pyongyang["geo"] == {"lat": 39.03, "lon": 125.75, "country": "KP", "feature": "city"}


def test_a_mention_whose_offsets_do_not_fit_the_text_is_left_unmarked() -> None:
    kim = STORY.entities[0]
    last = kim.mentions[-1]
    moved = last.model_copy(update={"start": last.start + 3, "end": last.end + 3})
    shifted = kim.model_copy(update={"mentions": [*kim.mentions[:-1], moved]})
    stale = STORY.model_copy(update={"entities": [shifted, STORY.entities[1]]})
    detail = story_detail(stale, raw=None)
    assert [s["text"] for s in detail["paragraphs"][1] if "entity" in s] == ["Pyongyang"]


def test_raw_wire_is_shown_as_text_or_hex() -> None:
    wire = RawWire(
        wire_id="sha256:" + "0" * 32, content=b"ZCZC\nplain", source="file", received_at=NOW
    )
    assert story_detail(STORY, raw=wire)["raw"]["text"] == "ZCZC\nplain"
    binary = wire.model_copy(update={"content": bytes(range(256))})
    shown = story_detail(STORY, raw=binary)["raw"]
    assert shown["binary"] is True
    assert shown["text"].startswith("00000000  00 01 02")


def test_query_check_points_at_the_column() -> None:
    assert query_check('entity:"Kim Jong-un"', VOCABULARY) == {"ok": True}
    bad = query_check("urgency<=3 AND (", VOCABULARY)
    assert bad["ok"] is False
    assert bad["column"] == 17
    assert query_check("   ", VOCABULARY)["ok"] is False


def test_query_test_matches_only_the_window_and_says_why() -> None:
    old = record("Kim Jong-un old story", story_id="old").model_copy(
        update={"enriched_at": NOW - timedelta(hours=30)}
    )
    other = record("Markets rally", story_id="markets")
    result = query_test(
        parse("Kim", VOCABULARY), [STORY, old, other], VOCABULARY, now=NOW + timedelta(hours=1)
    )
    assert result["checked"] == 2
    assert [m["article_id"] for m in result["matched"]] == [STORY.article.article_id]
    assert "Kim" in result["matched"][0]["reason"]


def _letter(stage: str, code: str, original: bytes) -> DeadLetter:
    return DeadLetter(
        pipeline_version="t",
        stage=stage,
        error_code=code,
        error_type="ParseError",
        message="no headline",
        source_topic="wires.raw",
        source_partition=0,
        source_offset=4,
        original=original,
        failed_at=NOW,
    )


def test_dead_letter_shows_the_wire_inside_its_envelope() -> None:
    wire = RawWire(
        wire_id="sha256:" + "1" * 32,
        content=bytes(range(16)) + b"broken",
        source="file",
        filename="a.txt",
        received_at=NOW,
    )
    view = letter_view("0-4", _letter("parse", "W101", wire.to_json()))
    assert view["filename"] == "a.txt"
    assert view["original"]["binary"] is True
    assert view["original"]["bytes"] == 16 + len(b"broken")
    assert view["source"] == "wires.raw[0]@4"


def test_dead_letters_are_counted_by_stage_and_code_most_first() -> None:
    letters = [
        _letter("parse", "W101", b"x"),
        _letter("entities", "W201", b"y"),
        _letter("entities", "W201", b"z"),
    ]
    assert letter_counts(letters) == [
        {"stage": "entities", "code": "W201", "count": 2},
        {"stage": "parse", "code": "W101", "count": 1},
    ]
