"""The JSON fixture wires (invented stories, modelled on the ninjs and AP Media API layouts)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from schemas.article import Article
from streams.parse import parse_items
from tests.parse.wires import RECEIVED_AT, raw_wire

FIXTURES = Path(__file__).parent / "fixtures"

NINJS1 = "ninjs1_text.json"
NINJS1_V2 = "ninjs1_text_v2.json"
NINJS2 = "ninjs2_html.json"
NINJS3 = "ninjs3_text.json"
NINJS3_PACKAGE = "ninjs3_package.json"
AP_ITEM = "ap_item.json"
AP_WRITETHRU = "ap_item_writethru.json"
AP_FEED = "ap_feed.json"
AP_FEED_NO_TEXT = "ap_feed_no_text.json"

NINJS_FIXTURES = (NINJS1, NINJS1_V2, NINJS2, NINJS3, NINJS3_PACKAGE)
AP_FIXTURES = (AP_ITEM, AP_WRITETHRU, AP_FEED, AP_FEED_NO_TEXT)


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def fixture_json(name: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(fixture_bytes(name))
    return value


def to_bytes(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def parse_json(
    value: object | bytes, *, hint: str | None = None, received_at: datetime = RECEIVED_AT
) -> list[Article]:
    """Parse a JSON value (or raw bytes) as a wire through the public entry point."""
    data = value if isinstance(value, bytes) else to_bytes(value)
    return parse_items(raw_wire(data, hint=hint, received_at=received_at))


def parse_fixture(name: str, *, hint: str | None = None) -> list[Article]:
    return parse_json(fixture_bytes(name), hint=hint)
