from __future__ import annotations

import random

import pytest

from streams.alerts import (
    SignatureError,
    StaleSignatureError,
    backoff,
    sign,
    subscription_secret,
    verify,
)

SECRET = b"s3cret"
BODY = b'{"kind":"new"}'


def test_signature_verifies_and_returns_its_time() -> None:
    header = sign(SECRET, 1_767_258_000, BODY)
    assert verify(header, BODY, SECRET, now=1_767_258_100) == 1_767_258_000


@pytest.mark.parametrize(
    ("header", "body", "secret"),
    [
        (None, BODY, SECRET),
        ("garbage", BODY, SECRET),
        (sign(SECRET, 1_767_258_000, BODY), BODY + b" ", SECRET),
        (sign(SECRET, 1_767_258_000, BODY), BODY, b"other"),
    ],
)
def test_missing_malformed_or_wrong_signatures_are_refused(
    header: str | None, body: bytes, secret: bytes
) -> None:
    with pytest.raises(SignatureError):
        verify(header, body, secret, now=1_767_258_000)


def test_old_timestamp_is_refused_as_a_replay() -> None:
    header = sign(SECRET, 1_767_258_000, BODY)
    with pytest.raises(StaleSignatureError):
        verify(header, BODY, SECRET, now=1_767_258_000 + 301)


def test_backoff_grows_exponentially_within_its_cap_with_jitter() -> None:
    rng = random.Random(1)
    waits = [[backoff(a, base=1.0, cap=10.0, rng=rng) for a in range(1, 7)] for _ in range(200)]
    for attempt, ceiling in enumerate([1, 2, 4, 8, 10, 10]):
        column = [w[attempt] for w in waits]
        assert all(0 <= w <= ceiling for w in column)
        assert max(column) > ceiling * 0.8  # jitter spreads over the whole range


def test_subscription_secret_is_64_hex_fixed_per_subscription_and_worker_secret() -> None:
    key = subscription_secret(b"master", "sub_a")
    assert len(key) == 64 and int(key, 16) >= 0
    assert subscription_secret(b"master", "sub_a") == key
    assert subscription_secret(b"master", "sub_b") != key
    assert subscription_secret(b"other", "sub_a") != key
