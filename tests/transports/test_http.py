"""POST /wires: which requests are refused, with which status, and what an accepted one becomes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import SecretStr

from streams.ingest import wire_id
from streams.transports.http import (
    check_body,
    check_request,
    read_limited,
    send_wire,
    to_raw_wire,
    token_matches,
)

TOKEN = SecretStr("s3cret-token")
NOW = datetime(2026, 4, 1, tzinfo=UTC)


def _check(**changes: Any) -> Any:
    request: dict[str, Any] = {
        "method": "POST",
        "authorization": "Bearer s3cret-token",
        "token": TOKEN,
        "content_length": "120",
        "format_hint": None,
        "max_bytes": 1000,
    }
    request.update(changes)
    return check_request(**request)


def test_a_well_formed_post_passes() -> None:
    assert _check() is None
    assert _check(format_hint="yonhap", content_length=None) is None


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "head"])
def test_other_methods_are_405_and_say_to_post(method: str) -> None:
    refusal = _check(method=method)
    assert refusal.status == 405
    assert "POST" in refusal.error
    assert refusal.headers == {"Allow": "POST"}


@pytest.mark.parametrize("token", [None, SecretStr("")])
def test_without_a_configured_token_the_endpoint_is_closed_and_says_why(
    token: SecretStr | None,
) -> None:
    refusal = _check(token=token)
    assert refusal.status == 503
    assert "WIRESTREAM_INGEST_TOKEN" in refusal.error


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer wrong", "Basic czNjcmV0LXRva2Vu", "Bearer", "s3cret-token"],
)
def test_missing_or_wrong_tokens_are_401(authorization: str | None) -> None:
    refusal = _check(authorization=authorization)
    assert refusal.status == 401
    assert refusal.headers["WWW-Authenticate"].startswith("Bearer")
    assert "s3cret" not in refusal.error


def test_the_token_check_comes_before_anything_about_the_body() -> None:
    assert _check(authorization="Bearer nope", content_length="99999").status == 401


def test_bearer_scheme_is_case_insensitive_and_surrounding_space_is_ignored() -> None:
    assert token_matches("bearer  s3cret-token ", TOKEN)
    assert not token_matches("Bearer s3cret-token2", TOKEN)


def test_declared_length_over_the_limit_is_413_before_reading() -> None:
    refusal = _check(content_length="1001")
    assert refusal.status == 413
    assert "1,001 bytes" in refusal.error and "1,000 byte limit" in refusal.error


def test_a_content_length_that_is_not_a_number_is_400() -> None:
    assert _check(content_length="lots").status == 400


def test_an_unknown_format_hint_is_400_naming_the_known_ones() -> None:
    refusal = _check(format_hint="telex")
    assert refusal.status == 400
    assert "telex" in refusal.error and "'yonhap'" in refusal.error


def test_body_checks_empty_and_too_large() -> None:
    assert check_body(b"HEADLINE\n\nBody.", max_bytes=100) is None
    assert check_body(b" \n\t", max_bytes=100).status == 400
    assert check_body(b"", max_bytes=100).status == 400
    assert check_body(b"x" * 101, max_bytes=100).status == 413


class _Stream:
    def __init__(self, data: bytes, chunk: int) -> None:
        self.data, self.chunk, self.asked = data, chunk, 0

    async def read(self, n: int = -1) -> bytes:
        self.asked += 1
        size = min(n, self.chunk)
        out, self.data = self.data[:size], self.data[size:]
        return out


async def test_read_limited_reads_the_whole_body_across_chunks() -> None:
    assert await read_limited(_Stream(b"abcdefghij", chunk=3), 100) == b"abcdefghij"


async def test_read_limited_stops_one_byte_past_the_limit() -> None:
    stream = _Stream(b"x" * 10_000, chunk=64)

    body = await read_limited(stream, 100)

    assert len(body) == 101
    assert len(stream.data) == 10_000 - 101, "the rest is never read"


def test_the_record_is_keyed_by_content_and_keeps_the_hint() -> None:
    raw = to_raw_wire(b"wire bytes", format_hint=" yonhap ", now=NOW)

    assert raw.wire_id == wire_id(b"wire bytes")
    assert (raw.source, raw.format_hint, raw.content, raw.received_at) == (
        "http",
        "yonhap",
        b"wire bytes",
        NOW,
    )
    assert to_raw_wire(b"x", format_hint="", now=NOW).format_hint is None


async def test_send_wire_answers_with_where_kafka_put_it() -> None:
    class Meta:
        topic, partition, offset = "t.wires.raw", 2, 41

    class Topic:
        def __init__(self) -> None:
            self.sent: dict[str, Any] = {}

        async def send(self, *, key: bytes, value: bytes) -> Any:
            self.sent = {"key": key, "value": value}

            async def acked() -> Meta:
                return Meta()

            return acked()

    topic = Topic()
    raw = to_raw_wire(b"wire bytes", format_hint=None, now=NOW)

    answer = await send_wire(topic, raw)

    assert answer == {"key": raw.wire_id, "topic": "t.wires.raw", "partition": 2, "offset": 41}
    assert topic.sent["key"] == raw.wire_id.encode()
