"""The rules for versions, kills and release, without Kafka."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from schemas import Article, EnrichedArticle, KillNotice
from streams import stories
from streams.stories import GateState, Hold, Release, VersionSeen

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
STORY = "xyz:20260302:harbour-bridge"


def _article(version: int = 1, *, tag: str = "a", **changes: Any) -> Article:
    fields: dict[str, Any] = {
        "article_id": f"{STORY}:{tag}",
        "story_id": STORY,
        "version": version,
        "wire_id": f"sha256:{tag}",
        "source_format": "plain-text",
        "headline": "Harbour bridge reopens after repairs",
        "body": ["The bridge reopened on Monday."],
        "received_at": T0,
    }
    fields.update(changes)
    return Article(**fields)


def _copy(version: int = 1, *, tag: str = "a", **changes: Any) -> EnrichedArticle:
    return EnrichedArticle(
        pipeline_version="wirestream-test",
        article=_article(version, tag=tag, **changes),
        stages=["parse", "entities", "topics"],
        enriched_at=T0,
    )


def _notice(**changes: Any) -> KillNotice:
    fields: dict[str, Any] = {
        "pipeline_version": "wirestream-test",
        "story_id": STORY,
        "article_id": f"{STORY}:kill",
        "wire_id": "sha256:kill",
        "headline": "KILL: Harbour bridge reopens",
        "reason": "publication status canceled",
        "received_at": T0 + timedelta(minutes=5),
    }
    fields.update(changes)
    return KillNotice(**fields)


# --- kills -----------------------------------------------------------------


def test_canceled_status_and_kill_signal_are_kills_other_statuses_are_not() -> None:
    assert stories.is_kill(_article(pub_status="canceled"))
    assert stories.is_kill(_article(signals=["KILL"]))
    assert not stories.is_kill(_article(pub_status="withheld"))
    assert not stories.is_kill(_article(signals=["correction"]))


def test_kill_notice_carries_the_story_and_the_sources_reason() -> None:
    article = _article(
        pub_status="canceled", editorial_notes=["Editors: the story is withdrawn. ", "No sub."]
    )

    notice = stories.kill_notice(article, pipeline_version="wirestream-9")

    assert (notice.story_id, notice.article_id, notice.wire_id) == (
        STORY,
        article.article_id,
        article.wire_id,
    )
    assert notice.reason == (
        "publication status canceled: Editors: the story is withdrawn. No sub."
    )
    assert notice.received_at == T0
    assert notice.pipeline_version == "wirestream-9"


def test_kill_reason_without_notes_names_the_marker() -> None:
    assert stories.kill_reason(_article(signals=["kill"])) == "kill signal"


# --- versions --------------------------------------------------------------


def test_first_version_supersedes_nothing_and_becomes_the_latest() -> None:
    check = stories.check_version(None, _article(1))

    assert check.supersedes is None
    assert not check.out_of_order
    assert check.changed
    assert check.seen == VersionSeen(1, f"{STORY}:a", T0, None)


def test_newer_version_supersedes_the_latest_seen() -> None:
    seen = VersionSeen(1, f"{STORY}:a", T0)

    check = stories.check_version(seen, _article(2, tag="b"))

    assert check.supersedes == f"{STORY}:a"
    assert check.seen.article_id == f"{STORY}:b"
    assert check.seen.supersedes == f"{STORY}:a"


def test_same_version_resent_or_corrected_supersedes_the_earlier_copy() -> None:
    seen = VersionSeen(2, f"{STORY}:b", T0)

    check = stories.check_version(seen, _article(2, tag="b-corrected"))

    assert check.supersedes == f"{STORY}:b"
    assert not check.out_of_order
    assert check.seen.article_id == f"{STORY}:b-corrected"


def test_older_version_after_a_newer_one_is_out_of_order_and_leaves_the_latest() -> None:
    seen = VersionSeen(3, f"{STORY}:c", T0, supersedes=f"{STORY}:b")

    check = stories.check_version(seen, _article(1, tag="a"))

    assert check.supersedes is None
    assert check.out_of_order
    assert not check.changed
    assert check.seen == seen


def test_redelivered_latest_version_gets_the_same_answer_as_the_first_time() -> None:
    first = stories.check_version(VersionSeen(1, f"{STORY}:a", T0), _article(2, tag="b"))

    again = stories.check_version(first.seen, _article(2, tag="b"))

    assert again.supersedes == first.supersedes == f"{STORY}:a"
    assert not again.changed
    assert not again.out_of_order


def test_version_seen_survives_its_table_encoding() -> None:
    seen = VersionSeen(4, "id", T0, supersedes="older")
    assert VersionSeen.from_json(seen.to_json()) == seen


def test_out_of_order_mark_is_a_signal_added_once() -> None:
    marked = stories.mark_out_of_order(_article(signals=["update"]))
    assert marked.signals == ["update", stories.OUT_OF_ORDER]
    assert stories.mark_out_of_order(marked).signals == marked.signals


# --- release gate ----------------------------------------------------------


def test_usable_copy_without_embargo_is_released_at_once() -> None:
    copy = _copy()

    outcome = stories.admit(None, copy, partition=2, now=T0)

    assert outcome.action == Release(copy)
    assert outcome.state is None


def test_embargoed_copy_is_held_until_its_embargo_and_not_a_moment_before() -> None:
    until = T0 + timedelta(hours=1)
    copy = _copy(embargoed_until=until)

    held = stories.admit(None, copy, partition=2, now=T0)

    assert held.action == Hold("embargo", until)
    assert held.state is not None and held.state.partition == 2
    assert not stories.due(held.state, until - timedelta(microseconds=1))
    assert stories.release_due(held.state, until - timedelta(microseconds=1)) is None
    released = stories.release_due(held.state, until)
    assert released is not None
    assert released.action == Release(copy)
    assert released.state is None


def test_copy_whose_embargo_has_passed_goes_straight_out() -> None:
    copy = _copy(embargoed_until=T0 - timedelta(seconds=1))
    assert stories.admit(None, copy, partition=0, now=T0).action == Release(copy)


def test_later_version_keeps_an_earlier_embargo_and_replaces_the_held_copy() -> None:
    until = T0 + timedelta(hours=1)
    first = stories.admit(None, _copy(1, embargoed_until=until), partition=1, now=T0)
    v2 = _copy(2, tag="b")

    second = stories.admit(first.state, v2, partition=1, now=T0 + timedelta(minutes=1))

    assert second.action == Hold("embargo", until)
    assert second.discarded is not None and second.discarded.article.version == 1
    assert second.state is not None and second.state.held is not None
    assert second.state.held.copy == v2


def test_withheld_copy_is_held_until_a_later_usable_version_replaces_it() -> None:
    withheld = stories.admit(None, _copy(1, pub_status="withheld"), partition=0, now=T0)
    assert withheld.action == Hold("withheld", None)
    assert withheld.state is not None
    assert not stories.due(withheld.state, T0 + timedelta(days=365))

    usable = _copy(2, tag="b")
    later = stories.admit(withheld.state, usable, partition=0, now=T0)

    assert later.action == Release(usable)
    assert later.state is None
    assert later.discarded is not None and later.discarded.article.pub_status == "withheld"


def test_kill_drops_the_held_copy_and_nothing_of_the_story_goes_out_afterwards() -> None:
    held = stories.admit(None, _copy(embargoed_until=T0 + timedelta(hours=1)), partition=0, now=T0)

    killed = stories.kill(held.state, _notice(), partition=0)

    assert killed.discarded is not None
    assert killed.state is not None and killed.state.killed_at == T0 + timedelta(minutes=5)
    assert killed.state.held is None
    assert not stories.due(killed.state, T0 + timedelta(days=1))
    late = stories.admit(killed.state, _copy(3, tag="c"), partition=0, now=T0)
    assert isinstance(late.action, stories.Drop)
    assert "killed" in late.action.reason


def test_copy_overtaken_by_its_kill_is_not_released() -> None:
    # Kills skip the NLP stages, so they usually reach the gate first.
    killed = stories.kill(None, _notice(), partition=0)

    outcome = stories.admit(killed.state, _copy(1), partition=0, now=T0)

    assert isinstance(outcome.action, stories.Drop)


def test_out_of_order_and_older_than_held_versions_are_not_released() -> None:
    marked = _copy(1, signals=[stories.OUT_OF_ORDER])
    assert isinstance(stories.admit(None, marked, partition=0, now=T0).action, stories.Drop)

    held = stories.admit(None, _copy(3, embargoed_until=T0 + timedelta(1)), partition=0, now=T0)
    older = stories.admit(held.state, _copy(2, tag="b"), partition=0, now=T0)
    assert isinstance(older.action, stories.Drop)
    assert older.state == held.state


def test_gate_state_survives_its_table_encoding() -> None:
    state = GateState(
        partition=1,
        held=stories.Held(_copy(embargoed_until=T0), "embargo"),
        embargo_until=T0,
        killed_at=None,
    )
    killed = GateState(partition=2, killed_at=T0, kill_article_id="k")

    assert GateState.from_json(state.to_json()) == state
    assert GateState.from_json(killed.to_json()) == killed
