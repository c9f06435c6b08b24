"""Every failure is a ParseError subclass with a stable code and a readable message."""

from __future__ import annotations

import random

import pytest

from streams.errors import WirestreamError
from streams.parse import (
    DEFAULT_MAX_BYTES,
    EmptyWireError,
    LayoutError,
    ParseError,
    UndecodableWireError,
    UnknownFormatError,
    WireTooLargeError,
    parse_wire,
)
from tests.parse.wires import LEAD, fixture_bytes, raw_wire


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (ParseError, "W100"),
        (EmptyWireError, "W101"),
        (UndecodableWireError, "W102"),
        (UnknownFormatError, "W103"),
        (LayoutError, "W104"),
        (WireTooLargeError, "W105"),
    ],
)
def test_error_codes_are_stable_and_in_the_parse_range(error: type[ParseError], code: str) -> None:
    assert issubclass(error, ParseError)
    assert issubclass(error, WirestreamError)
    assert error.code == code
    assert str(error("message")) == f"[{code}] message"


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  ", b"\xef\xbb\xbf", b"\xef\xbb\xbf \n"])
def test_empty_or_whitespace_wire_raises_empty_wire_error(content: bytes) -> None:
    with pytest.raises(EmptyWireError) as info:
        parse_wire(raw_wire(content))
    assert info.value.code == "W101"
    assert "empty" in str(info.value) or "no text" in str(info.value)


def test_random_bytes_are_refused_as_binary() -> None:
    noise = random.Random(20250903).randbytes(8192)
    with pytest.raises(UndecodableWireError, match="wire is binary") as info:
        parse_wire(raw_wire(noise))
    assert info.value.code == "W102"


def test_random_bytes_without_nul_report_the_control_byte_share() -> None:
    noise = bytes(b for b in random.Random(7).randbytes(12000) if b != 0)
    with pytest.raises(UndecodableWireError) as info:
        parse_wire(raw_wire(noise))
    message = str(info.value)
    assert "control bytes in first 4 KiB" in message
    assert "%" in message


def test_control_byte_share_is_in_the_message() -> None:
    with pytest.raises(UndecodableWireError, match="100% control bytes in first 4 KiB"):
        parse_wire(raw_wire(b"\x01\x02\x03" * 2000))


def test_nul_byte_is_refused_with_its_offset() -> None:
    with pytest.raises(UndecodableWireError, match="NUL byte at offset 9"):
        parse_wire(raw_wire(b"Headline\n\x00Body text."))


def test_utf16_text_is_refused_with_a_hint() -> None:
    with pytest.raises(UndecodableWireError, match="UTF-16"):
        parse_wire(raw_wire("Headline\nBody.".encode("utf-16")))


def test_a_few_framing_control_bytes_do_not_make_a_wire_binary() -> None:
    framed = b"\x01\x02" + fixture_bytes(LEAD) + b"\x03\x04"
    article = parse_wire(raw_wire(framed))
    assert article.byline_native == "김하늘"


def test_wire_over_max_bytes_raises_too_large_with_both_sizes() -> None:
    with pytest.raises(WireTooLargeError) as info:
        parse_wire(raw_wire(b"x" * 2049), max_bytes=2048)
    assert info.value.code == "W105"
    assert "2,049 bytes" in str(info.value)
    assert "2,048 bytes" in str(info.value)


def test_default_limit_is_five_mib() -> None:
    assert DEFAULT_MAX_BYTES == 5 * 1024 * 1024
    with pytest.raises(WireTooLargeError, match=r"5\.0 MiB"):
        parse_wire(raw_wire(b"a" * (DEFAULT_MAX_BYTES + 1)))


def test_wire_at_the_limit_is_accepted() -> None:
    content = fixture_bytes(LEAD)
    assert parse_wire(raw_wire(content), max_bytes=len(content)).headline


def test_unknown_hint_raises_unknown_format_error_naming_the_known_ones() -> None:
    with pytest.raises(UnknownFormatError) as info:
        parse_wire(raw_wire(fixture_bytes(LEAD), hint="telex-2000"))
    message = str(info.value)
    assert info.value.code == "W103"
    assert "'telex-2000'" in message
    assert "'yonhap'" in message and "'text'" in message


def test_headline_without_body_raises_layout_error() -> None:
    with pytest.raises(LayoutError) as info:
        parse_wire(raw_wire(b"Just a headline\n"))
    assert info.value.code == "W104"
