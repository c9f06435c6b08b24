"""item_story_id: readable story ids for items that carry their own id."""

from __future__ import annotations

from streams.parse.ids import item_story_id


def test_guid_boilerplate_is_dropped_and_the_rest_normalised() -> None:
    assert (
        item_story_id(source="Reuters", item_id="urn:newsml:example.com:20250304:US-FED")
        == "reuters:example-com-20250304-us-fed"
    )
    assert (
        item_story_id(source="web:xmlteam.com", item_id="tag:xmlteam.com,2016:xt.59-preview")
        == "web-xmlteam-com:xmlteam-com-2016-xt-59-preview"
    )


def test_missing_source_is_unknown_and_an_empty_id_is_hashed() -> None:
    assert item_story_id(source=None, item_id="ABC-1") == "unknown:abc-1"
    key = item_story_id(source="x", item_id="urn:newsml:")
    assert key.startswith("x:h-") and len(key) == len("x:h-") + 10


def test_long_ids_keep_a_readable_start_and_stay_unique() -> None:
    stem = "urn:newsml:example.com:20250304:" + "very-long-slug-" * 10
    first = item_story_id(source="ex", item_id=stem + "one")
    second = item_story_id(source="ex", item_id=stem + "two")
    assert first != second
    assert first.startswith("ex:example-com-20250304-very-long-slug")
    assert len(first.split(":", 1)[1]) <= 80
