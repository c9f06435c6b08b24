"""The story-cluster index: versions, agencies, unrelated stories, window, restore."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from streams.cluster import ClusterIndex, Entry, cluster_id_for, fingerprint, minhash
from streams.cluster import index as index_module

T0 = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
PAIRS = Path(__file__).with_name("pairs.jsonl")


def _pairs() -> list[dict[str, Any]]:
    with PAIRS.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _fp(text: dict[str, str]) -> Any:
    return fingerprint(headline=text["headline"], body=text["body"])


def _same(a: dict[str, str], b: dict[str, str]) -> bool:
    index = ClusterIndex()
    first = index.assign(story_id="agency-a:1", fingerprint=_fp(a), at=T0)
    second = index.assign(story_id="agency-b:1", fingerprint=_fp(b), at=T0 + timedelta(hours=1))
    return first.cluster_id == second.cluster_id


@pytest.mark.parametrize("pair", [p for p in _pairs() if p["same"]], ids=lambda p: p["note"])
def test_the_same_story_from_two_agencies_or_resent_shares_a_cluster(pair: dict[str, Any]) -> None:
    assert _same(pair["a"], pair["b"])


@pytest.mark.parametrize("pair", [p for p in _pairs() if not p["same"]], ids=lambda p: p["note"])
def test_unrelated_stories_of_the_same_day_do_not_share_a_cluster(pair: dict[str, Any]) -> None:
    assert not _same(pair["a"], pair["b"])


def test_every_version_of_a_story_gets_its_first_cluster_whatever_its_text() -> None:
    pairs = _pairs()
    index = ClusterIndex()
    first = index.assign(story_id="s1", fingerprint=_fp(pairs[0]["a"]), at=T0)
    rewritten = index.assign(story_id="s1", fingerprint=_fp(pairs[-1]["b"]), at=T0)
    assert first.founded
    assert rewritten.cluster_id == first.cluster_id
    assert not rewritten.founded
    assert len(index) == 1


def test_a_new_cluster_is_named_after_its_founding_story() -> None:
    index = ClusterIndex()
    assignment = index.assign(story_id="s1", fingerprint=_fp(_pairs()[0]["a"]), at=T0)
    assert assignment.cluster_id == cluster_id_for("s1")
    assert cluster_id_for("s1") != cluster_id_for("s2")
    assert cluster_id_for("s1").startswith("cl-")


def test_a_copy_joins_the_earliest_matching_story() -> None:
    strike_a, strike_b = _pairs()[0]["a"], _pairs()[0]["b"]
    index = ClusterIndex()
    index.assign(story_id="late", fingerprint=_fp(strike_a), at=T0 + timedelta(hours=2))
    # Founded separately (a different, unrelated text at first) ...
    early = index.assign(story_id="early", fingerprint=_fp(_pairs()[10]["a"]), at=T0)
    index.assign(story_id="early", fingerprint=_fp(strike_a), at=T0)  # ... then updated
    third = index.assign(story_id="third", fingerprint=_fp(strike_b), at=T0 + timedelta(hours=3))
    assert third.cluster_id == early.cluster_id
    assert third.matched == "early"


def test_stories_further_apart_than_the_window_never_match() -> None:
    a, b = _pairs()[0]["a"], _pairs()[0]["b"]
    index = ClusterIndex(window=timedelta(hours=6))
    first = index.assign(story_id="a", fingerprint=_fp(a), at=T0)
    later = index.assign(story_id="b", fingerprint=_fp(b), at=T0 + timedelta(hours=7))
    assert later.cluster_id != first.cluster_id


def test_old_entries_leave_the_index_and_the_store() -> None:
    store: dict[str, str] = {}
    index = ClusterIndex(store, window=timedelta(hours=1))
    index.assign(story_id="old", fingerprint=_fp(_pairs()[0]["a"]), at=T0)
    index.assign(story_id="new", fingerprint=_fp(_pairs()[3]["a"]), at=T0 + timedelta(hours=2))
    assert set(store) == {"new"}
    assert len(index) == 1


def test_the_index_never_holds_more_than_max_stories() -> None:
    store: dict[str, str] = {}
    index = ClusterIndex(store, max_stories=3)
    for i, pair in enumerate(_pairs()[8:14]):
        index.assign(story_id=f"s{i}", fingerprint=_fp(pair["a"]), at=T0 + timedelta(minutes=i))
    assert len(index) == 3
    assert set(store) == {"s3", "s4", "s5"}


def test_an_index_rebuilt_from_its_store_decides_as_the_original_would() -> None:
    a, b = _pairs()[0]["a"], _pairs()[0]["b"]
    store: dict[str, str] = {}
    before = ClusterIndex(store).assign(story_id="a", fingerprint=_fp(a), at=T0)
    restarted = ClusterIndex(store)  # a new process: empty buckets, the same store
    after = restarted.assign(story_id="b", fingerprint=_fp(b), at=T0 + timedelta(hours=1))
    assert after.cluster_id == before.cluster_id


def test_an_unreadable_entry_is_dropped_not_fatal() -> None:
    store = {"broken": "{not json", "also": json.dumps({"story_id": "also"})}
    index = ClusterIndex(store)
    index.assign(story_id="s1", fingerprint=_fp(_pairs()[0]["a"]), at=T0)
    assert set(store) == {"s1"}


def test_entries_round_trip_through_json() -> None:
    entry = Entry("s1", "cl-x", T0.timestamp(), _fp(_pairs()[0]["a"]))
    again = Entry.from_json(entry.to_json())
    assert again.story_id == "s1" and again.cluster_id == "cl-x" and again.at == entry.at
    assert again.fingerprint.size == entry.fingerprint.size
    assert (again.fingerprint.signature == entry.fingerprint.signature).all()


def _words(start: int, stop: int) -> str:
    # Made-up words that no stemming or stop list touches, so set sizes are exact.
    return " ".join(f"w{n}k" for n in range(start, stop))


def test_a_first_take_joins_the_full_story_it_is_part_of() -> None:
    take = {"headline": "Port strike", "body": _words(0, 20)}
    full = {"headline": "Port strike", "body": _words(0, 20) + ". " + _words(20, 90)}
    index = ClusterIndex()
    first = index.assign(story_id="wire:take", fingerprint=_fp(take), at=T0)
    second = index.assign(story_id="wire:full", fingerprint=_fp(full), at=T0 + timedelta(hours=1))
    assert second.cluster_id == first.cluster_id
    assert second.similarity >= 0.6  # joined by containment, not by Jaccard


def test_a_brief_does_not_join_a_long_digest_that_carries_it_among_many_others() -> None:
    brief = _fp({"headline": "", "body": _words(0, 20)})
    digest = _fp({"headline": "", "body": _words(2, 20) + ". " + _words(100, 300)})

    def same(floor: float) -> bool:
        decided, _ = minhash.similar(
            brief,
            digest,
            min_jaccard=index_module.MIN_JACCARD,
            min_containment=index_module.MIN_CONTAINMENT,
            min_size=index_module.MIN_WORDS,
            min_containment_jaccard=floor,
        )
        return decided

    # Containment estimated from a Jaccard of about 0.06 says "most of it is in there".
    assert same(0.0)
    assert not same(index_module.MIN_CONTAINMENT_JACCARD)
