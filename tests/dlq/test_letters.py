"""Dead-letter ids, filters, attempts, the records a redrive sends, and how letters look."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas import DeadLetter, RawWire, RedriveMarker
from streams.dlq import (
    ATTEMPT_HEADER,
    REDRIVE_HEADER,
    LetterFilter,
    UnknownDeadLetterError,
    attempts,
    hexdump,
    is_binary,
    letter_id,
    parse_letter_id,
    redrive_of,
    row,
    show_bytes,
    table,
)

T0 = datetime(2026, 1, 14, 9, 30, tzinfo=UTC)


def _wire(redrive: RedriveMarker | None = None) -> RawWire:
    return RawWire(
        wire_id="sha256:" + "ab" * 16,
        content=b"\x00\x01binary\xff",
        source="file",
        filename="corrupt-upload.bin",
        received_at=T0,
        redrive=redrive,
    )


def _letter(original: bytes, *, stage: str = "parse", **values: object) -> DeadLetter:
    fields: dict[str, object] = {
        "pipeline_version": "wirestream-test",
        "stage": stage,
        "error_code": "W102",
        "error_type": "BinaryWireError",
        "message": "wire looks binary",
        "source_topic": "wires.raw",
        "source_partition": 1,
        "source_offset": 7,
        "source_key": b"sha256:abab",
        "original": original,
        "failed_at": T0,
    }
    fields.update(values)
    return DeadLetter.model_validate(fields)


def test_ids_are_partition_and_offset_and_read_back() -> None:
    assert letter_id(2, 17) == "2-17"
    assert parse_letter_id(" 2-17 ") == (2, 17)


@pytest.mark.parametrize("text", ["17", "a-b", "2-", "-1-3", "2:17"])
def test_a_malformed_id_is_a_clear_error(text: str) -> None:
    with pytest.raises(UnknownDeadLetterError, match="partition-offset") as caught:
        parse_letter_id(text)
    assert caught.value.code == "W711"


def test_filters_take_stage_code_and_time() -> None:
    letter = _letter(_wire().to_json())
    assert LetterFilter().matches(letter)
    assert LetterFilter(stage="parse", code="w102", since=T0).matches(letter)
    assert not LetterFilter(stage="entities").matches(letter)
    assert not LetterFilter(code="W101").matches(letter)
    assert not LetterFilter(since=T0.replace(hour=10)).matches(letter)


def test_a_first_failure_is_one_attempt() -> None:
    letter = _letter(_wire().to_json())
    assert letter.attempts is None
    assert attempts(letter) == 1


def test_a_redriven_wire_that_fails_again_carries_its_attempts_into_the_envelope() -> None:
    # The agents build envelopes knowing nothing of redrives; the count comes from the wire.
    again = _letter(_wire(RedriveMarker(dead_letter_id="1-7", attempt=1)).to_json())
    assert again.attempts == 2
    assert DeadLetter.model_validate_json(again.to_json()).attempts == 2  # survives the topic


def test_redriving_a_wire_marks_it_with_the_dead_letter_and_the_attempt() -> None:
    letter = _letter(_wire().to_json())
    sent = redrive_of(letter, "1-7")
    assert (sent.topic, sent.key, sent.headers, sent.attempt) == (
        "wires.raw",
        b"sha256:abab",
        (),
        1,
    )
    wire = RawWire.model_validate_json(sent.value)
    assert wire.redrive == RedriveMarker(dead_letter_id="1-7", attempt=1)
    assert wire.model_copy(update={"redrive": None}) == _wire()  # otherwise the same wire


def test_redriving_again_counts_up() -> None:
    failed_twice = _letter(_wire(RedriveMarker(dead_letter_id="1-7", attempt=1)).to_json())
    sent = redrive_of(failed_twice, "0-30")
    marker = RawWire.model_validate_json(sent.value).redrive
    assert marker == RedriveMarker(dead_letter_id="0-30", attempt=2)


def test_later_stages_get_their_original_bytes_back_with_headers() -> None:
    letter = _letter(b'{"not": "a wire"}', stage="entities", source_topic="wires.parsed")
    sent = redrive_of(letter, "0-3")
    assert sent.value == b'{"not": "a wire"}'
    assert sent.topic == "wires.parsed"
    assert dict(sent.headers) == {REDRIVE_HEADER: b"0-3", ATTEMPT_HEADER: b"1"}


def test_binary_is_hex_dumped_and_text_shown_as_text() -> None:
    assert is_binary(b"\x00\x01\x02\xff")
    assert not is_binary("Seoul, Jan. 14 (Yonhap) -- caf\u00e9".encode())
    assert show_bytes(b"plain text") == "plain text"
    dump = hexdump(b"ABC\x00" * 5)
    assert dump.splitlines() == [
        "00000000  41 42 43 00 41 42 43 00 41 42 43 00 41 42 43 00  |ABC.ABC.ABC.ABC.|",
        "00000010  41 42 43 00                                      |ABC.|",
    ]
    assert hexdump(bytes(100), limit=32).endswith("... 68 more bytes")


def test_the_list_table_has_one_row_per_letter_under_a_header() -> None:
    letter = _letter(_wire().to_json(), message="wire looks binary " + "x" * 100)
    cells = row("1-7", letter, width=30)
    assert cells[:5] == ("1-7", "2026-01-14 09:30:00Z", "parse", "W102", "1")
    assert len(cells[5]) == 30 and cells[5].endswith("\u2026")
    assert cells[6] == "corrupt-upload.bin (wires.raw[1]@7)"
    lines = table([cells]).splitlines()
    assert lines[0].split()[:5] == ["ID", "TIME", "(UTC)", "STAGE", "CODE"]
    assert lines[1].startswith("1-7")
