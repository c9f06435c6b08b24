"""The field-accuracy check of the parsers: what counts as a right field, and the gold file."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.parse.xml.xmlwires import fixture, parse_one

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("parse_fields", BENCH / "parse_fields.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["parse_fields"] = module
    spec.loader.exec_module(module)
    return module


def _gold_for(headline: str, **fields: object) -> dict[str, object]:
    digest = hashlib.sha256(" ".join(headline.split()).casefold().encode()).hexdigest()[:16]
    return {"headline_sha256": digest, **fields}


def test_every_field_right_and_each_one_wrong(bench: ModuleType) -> None:
    article = parse_one(fixture("g2_lead_byline_dateline.xml"))
    gold = _gold_for(
        article.headline,
        body_start="A port city switched on",
        body_end="the city said.",
        city="SEOUL",
        byline="Lena Ortiz and Sam Whitlow",
        story_id=article.story_id,
    )
    assert all(bench.check(article, gold).values())
    for key, wrong in [
        ("body_start", "Nothing like it"),
        ("body_end", "never said."),
        ("city", "BUSAN"),
        ("byline", None),
        ("story_id", "other:id"),
    ]:
        result = bench.check(article, {**gold, key: wrong})
        assert [k for k, ok in result.items() if not ok] == [key]
    other = _gold_for("Another headline")["headline_sha256"]
    assert not bench.check(article, {**gold, "headline_sha256": other})["headline"]


def test_gold_keeps_only_ids_and_a_few_words() -> None:
    gold = json.loads((BENCH / "gold" / "parse_fields.json").read_text("utf-8"))["files"]
    assert len(gold) == 51
    for entry in gold.values():
        assert set(entry) <= {
            "format", "refused", "headline_start", "headline_sha256", "body_start", "body_end",
            "city", "byline", "story_id",
        }  # fmt: skip
        for key in ("headline_start", "body_start", "body_end"):
            assert len(str(entry.get(key, "")).split()) <= 6
