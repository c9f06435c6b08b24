"""Story and article ids: readable, deterministic, shared across versions."""

from __future__ import annotations

from datetime import UTC, date, datetime

from streams.parse import parse_wire
from streams.parse.ids import article_id, normalise_key, story_id
from tests.parse.wires import LEAD, SECOND_LD, fixture_bytes, raw_wire


def test_story_id_is_agency_local_date_and_normalised_slug() -> None:
    sid = story_id(
        agency="Yonhap",
        local_date=date(2025, 9, 3),
        slug="NK leader-military parade",
        headline="ignored when there is a slug",
    )
    assert sid == "yonhap:20250903:nk-leader-military-parade"


def test_story_id_falls_back_to_the_headline_without_a_slug() -> None:
    sid = story_id(
        agency="Yonhap", local_date=date(2025, 3, 4), slug=None, headline="Exports rise 4.1%!"
    )
    assert sid == "yonhap:20250304:exports-rise-4-1"


def test_story_id_without_agency_says_unknown() -> None:
    sid = story_id(agency=None, local_date=date(2025, 3, 4), slug=None, headline="Quake hits")
    assert sid == "unknown:20250304:quake-hits"


def test_story_id_of_a_headline_without_letters_uses_a_hash() -> None:
    sid = story_id(agency="AP", local_date=date(2025, 3, 4), slug="---", headline="?!")
    assert sid.startswith("ap:20250304:h-")
    assert sid == story_id(agency="AP", local_date=date(2025, 3, 4), slug="---", headline="?!")


def test_normalise_key_keeps_hangul_and_cuts_long_text_at_a_word_boundary() -> None:
    assert normalise_key("  서울 Shares, UP!  ") == "서울-shares-up"
    key = normalise_key("word " * 40, max_chars=22)
    assert key == "word-word-word-word"


def test_article_id_is_story_id_plus_a_short_wire_hash() -> None:
    aid = article_id(story_id="yonhap:20250304:s-korea-economy", wire_id="sha256:abc")
    prefix, _, digest = aid.rpartition(":")
    assert prefix == "yonhap:20250304:s-korea-economy"
    assert len(digest) == 10
    assert all(c in "0123456789abcdef" for c in digest)


def test_ids_are_stable_across_reparse() -> None:
    first = parse_wire(raw_wire(fixture_bytes(LEAD)))
    again = parse_wire(raw_wire(fixture_bytes(LEAD)))
    assert (first.story_id, first.article_id) == (again.story_id, again.article_id)
    assert first == again


def test_two_versions_of_one_story_share_story_id_but_not_article_id() -> None:
    lead = parse_wire(raw_wire(fixture_bytes(LEAD)))
    second = parse_wire(raw_wire(fixture_bytes(SECOND_LD)))
    assert (lead.version, second.version) == (2, 3)
    assert lead.story_id == second.story_id == "yonhap:20250304:s-korea-economy"
    assert lead.article_id != second.article_id


def test_story_id_uses_the_seoul_day_not_the_utc_day() -> None:
    # Filed 08:30 KST on March 4 = 23:30 UTC on March 3: the story belongs to March 4.
    lead = parse_wire(raw_wire(fixture_bytes(LEAD)))
    assert lead.published_at == datetime(2025, 3, 3, 23, 30, tzinfo=UTC)
    assert ":20250304:" in lead.story_id


def test_receipt_time_does_not_change_ids_of_a_timestamped_wire() -> None:
    early = parse_wire(raw_wire(fixture_bytes(LEAD), received_at=datetime(2025, 3, 4, tzinfo=UTC)))
    late = parse_wire(raw_wire(fixture_bytes(LEAD), received_at=datetime(2025, 3, 8, tzinfo=UTC)))
    assert early.article_id == late.article_id
