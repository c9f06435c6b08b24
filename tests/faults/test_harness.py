"""The fault harness itself, without a broker: the wires it makes and the check it runs."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import orjson
import pytest
from pydantic import ValidationError

from schemas import Article, DeadLetter, RawWire
from streams.parse import ParseError, parse_items
from streams.topology import DLQ, ENRICHED, RELEASED
from tests.faults.harness import (
    POISON_KINDS,
    SEED_ENV,
    LogLine,
    OutputRecord,
    Outputs,
    Wire,
    accounted_for,
    check_exactly_once,
    fault_seed,
    generate_wires,
    state_ready_lines,
    wire_of_dead_letter,
)

NOW = datetime(2026, 3, 4, 6, 0, tzinfo=UTC)


def _raw(wire: Wire) -> RawWire:
    return RawWire(
        wire_id=wire.wire_id,
        content=wire.content,
        source="fault",
        format_hint=wire.format_hint,
        received_at=NOW,
    )


def _parse(wire: Wire) -> list[Article]:
    return parse_items(_raw(wire))


# --- the wires ------------------------------------------------------------------


def test_same_seed_gives_the_same_wires_in_the_same_order() -> None:
    first, again = generate_wires(300, 42), generate_wires(300, 42)
    assert [(w.kind, w.content, w.format_hint) for w in first] == [
        (w.kind, w.content, w.format_hint) for w in again
    ]


def test_another_seed_gives_other_wires() -> None:
    ids = {w.wire_id for w in generate_wires(300, 1)}
    assert ids.isdisjoint(w.wire_id for w in generate_wires(300, 2))


def test_every_wire_of_a_run_has_its_own_id() -> None:
    wires = generate_wires(2000, 5)
    assert len({w.wire_id for w in wires}) == 2000


def test_about_one_wire_in_twenty_is_poison_and_every_poison_kind_is_in() -> None:
    wires = generate_wires(300, 9)
    kinds = Counter(w.kind for w in wires if w.poison)
    assert sum(kinds.values()) == 15
    assert set(kinds) == set(POISON_KINDS)


def test_poison_share_can_be_set() -> None:
    wires = generate_wires(1000, 9, poison_share=0.2)
    assert sum(w.poison for w in wires) == 200


def test_poison_is_spread_over_the_stream_not_bunched_at_one_end() -> None:
    wires = generate_wires(300, 11)
    at = [w.index for w in wires if w.poison]
    assert min(at) < 150 < max(at)


@pytest.mark.parametrize("seed", [3, 17])
def test_every_good_wire_parses_to_one_releasable_story_of_its_own(seed: int) -> None:
    stories: list[str] = []
    for wire in generate_wires(300, seed):
        if wire.poison:
            continue
        (article,) = _parse(wire)
        assert article.wire_id == wire.wire_id
        assert article.pub_status == "usable"
        assert article.embargoed_until is None
        assert "kill" not in article.signals
        stories.append(article.story_id)
    assert len(set(stories)) == len(stories)


def test_good_wires_come_in_several_formats() -> None:
    formats = Counter(_parse(w)[0].source_format for w in generate_wires(300, 4) if not w.poison)
    assert set(formats) == {"plain-text", "ninjs", "nitf", "iptc-7901"}


@pytest.mark.parametrize("kind", [k for k in POISON_KINDS if k != "not-a-record"])
def test_poison_inside_a_raw_wire_fails_to_parse(kind: str) -> None:
    poison = [w for w in generate_wires(300, 21) if w.kind == kind]
    assert poison
    for wire in poison:
        with pytest.raises(ParseError):
            _parse(wire)


def test_not_a_record_poison_is_no_raw_wire_at_all() -> None:
    poison = [w for w in generate_wires(300, 21) if w.kind == "not-a-record"]
    assert poison
    for wire in poison:
        with pytest.raises(ValidationError):
            RawWire.model_validate_json(wire.content)


def test_seed_comes_from_the_environment_else_the_default() -> None:
    assert fault_seed({SEED_ENV: " 1234 "}) == 1234
    assert fault_seed({}, default=7) == 7
    assert fault_seed({SEED_ENV: ""}, default=8) == 8
    assert fault_seed({}) >= 1


# --- dead letters ------------------------------------------------------------------


def _letter(original: bytes, key: bytes | None) -> bytes:
    return DeadLetter(
        pipeline_version="test",
        stage="parse",
        error_code="W102",
        error_type="UndecodableWireError",
        message="binary",
        source_topic="wires.raw",
        source_partition=0,
        source_offset=1,
        source_key=key,
        original=original,
        failed_at=NOW,
    ).to_json()


def test_a_parse_dead_letter_is_known_by_the_wire_id_inside_its_original() -> None:
    wire = generate_wires(300, 1)[0]
    letter = _letter(_raw(wire).to_json(), b"other-key")
    assert wire_of_dead_letter(letter, b"dlq-key") == wire.wire_id


def test_a_later_stage_dead_letter_is_known_by_its_article_wire_id() -> None:
    original = orjson.dumps({"article": {"wire_id": "sha256:abc", "story_id": "s"}})
    assert wire_of_dead_letter(_letter(original, b"s"), b"s") == "sha256:abc"


def test_a_dead_letter_of_bytes_that_were_no_record_is_known_by_its_source_key() -> None:
    wire = next(w for w in generate_wires(300, 1) if w.kind == "not-a-record")
    letter = _letter(wire.content, wire.wire_id.encode())
    assert wire_of_dead_letter(letter, None) == wire.wire_id


# --- the check -----------------------------------------------------------------------


def _record(topic: str, wire: Wire, offset: int = 0) -> OutputRecord:
    story = None if topic == DLQ.name else f"story-{wire.index}"
    return OutputRecord(topic, wire.wire_id, story, 0, offset, 0)


def _clean_outputs(wires: list[Wire]) -> Outputs:
    outputs = Outputs()
    for n, wire in enumerate(wires):
        if wire.poison:
            outputs.records.append(_record(DLQ.name, wire, n))
        else:
            outputs.records.append(_record(ENRICHED.name, wire, n))
            outputs.records.append(_record(RELEASED.name, wire, n))
    return outputs


@pytest.fixture()
def wires() -> list[Wire]:
    return generate_wires(40, 13)


def test_every_input_once_is_exactly_once(wires: list[Wire]) -> None:
    report = check_exactly_once(wires, _clean_outputs(wires), seed=13)
    assert report.ok, report.summary()
    assert report.counts[ENRICHED.name] + report.counts[DLQ.name] == len(wires)
    assert accounted_for(wires, _clean_outputs(wires))


def test_an_input_with_no_output_is_lost(wires: list[Wire]) -> None:
    outputs = _clean_outputs(wires)
    gone = next(w for w in wires if not w.poison)
    outputs.records = [r for r in outputs.records if r.wire_id != gone.wire_id]
    report = check_exactly_once(wires, outputs)
    assert report.lost == [gone.wire_id]
    assert report.released_missing == [gone.wire_id]
    assert not report.ok
    assert not accounted_for(wires, outputs)


def test_a_lost_dead_letter_is_lost_too(wires: list[Wire]) -> None:
    outputs = _clean_outputs(wires)
    poison = next(w for w in wires if w.poison)
    outputs.records = [r for r in outputs.records if r.wire_id != poison.wire_id]
    assert check_exactly_once(wires, outputs).lost == [poison.wire_id]


def test_an_input_enriched_twice_is_duplicated(wires: list[Wire]) -> None:
    outputs = _clean_outputs(wires)
    twice = next(w for w in wires if not w.poison)
    outputs.records.append(_record(ENRICHED.name, twice, 999))
    report = check_exactly_once(wires, outputs, seed=5)
    assert report.duplicated == {twice.wire_id: 2}
    assert report.duplicate_records == 1
    assert not report.ok
    assert "seed 5" in report.summary()
    assert twice.wire_id in report.summary()


def test_a_dead_letter_written_twice_is_duplicated(wires: list[Wire]) -> None:
    outputs = _clean_outputs(wires)
    poison = next(w for w in wires if w.poison)
    outputs.records.append(_record(DLQ.name, poison, 999))
    assert check_exactly_once(wires, outputs).duplicated == {poison.wire_id: 2}


def test_an_input_both_enriched_and_dead_lettered_is_a_duplicate(wires: list[Wire]) -> None:
    outputs = _clean_outputs(wires)
    good = next(w for w in wires if not w.poison)
    outputs.records.append(_record(DLQ.name, good, 999))
    report = check_exactly_once(wires, outputs)
    assert report.in_both == [good.wire_id]
    assert report.good_dead == [good.wire_id]
    assert good.wire_id in report.duplicated


def test_a_story_released_twice_is_reported(wires: list[Wire]) -> None:
    outputs = _clean_outputs(wires)
    good = next(w for w in wires if not w.poison)
    outputs.records.append(_record(RELEASED.name, good, 999))
    report = check_exactly_once(wires, outputs)
    assert report.released_duplicated == {f"story-{good.index}": 2}
    assert not report.duplicated
    assert not report.ok


def test_poison_that_came_out_enriched_is_reported(wires: list[Wire]) -> None:
    outputs = _clean_outputs(wires)
    poison = next(w for w in wires if w.poison)
    outputs.records = [r for r in outputs.records if r.wire_id != poison.wire_id]
    outputs.records.append(_record(ENRICHED.name, poison, 999))
    report = check_exactly_once(wires, outputs)
    assert report.poison_enriched == [poison.wire_id]
    assert not report.lost
    assert not report.ok


def test_an_output_of_no_input_is_unexpected(wires: list[Wire]) -> None:
    outputs = _clean_outputs(wires)
    stranger = generate_wires(40, 99)[0]
    outputs.records.append(_record(ENRICHED.name, stranger, 999))
    report = check_exactly_once(wires, outputs)
    assert report.unexpected == [stranger.wire_id]
    assert not report.ok


# --- worker log lines -------------------------------------------------------------


def test_state_ready_lines_are_read_from_the_worker_log() -> None:
    lines = [
        LogLine(1.0, "2026-12-07T03:20:36Z INFO faust.worker: [^Worker]: Ready"),
        LogLine(
            2.0,
            "2026-12-07T03:20:37Z INFO streams.state: state ready: stage=release "
            "partition=2 seconds=0.125 entries=5000",
        ),
    ]
    (ready,) = state_ready_lines(lines)
    assert (ready.stage, ready.partition, ready.seconds, ready.entries, ready.at) == (
        "release",
        2,
        0.125,
        5000,
        2.0,
    )
