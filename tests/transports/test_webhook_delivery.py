"""Webhook delivery: retries with backoff, the dead-letter topic, one queue per subscription."""

from __future__ import annotations

import asyncio
import random

import pytest

from streams import observe
from streams.alerts import SignatureError, subscription_secret, verify
from streams.transports.webhook_delivery import Deliverer, Job, OffsetTracker, Policy

SECRET = b"k"


def _policy(**changes: object) -> Policy:
    fields: dict[str, object] = {
        "secret": SECRET,
        "allow": ("127.0.0.1",),
        "retries": 3,
        "backoff_base": 1.0,
        "backoff_max": 8.0,
        "timeout": 1.0,
    }
    fields.update(changes)
    return Policy(**fields)  # type: ignore[arg-type]


def _job(sid: str = "sub_a", offset: int = 0, url: str = "http://127.0.0.1:9/hook") -> Job:
    return Job(sid, url, b'{"kind":"new"}', 0, offset)


class Recorder:
    def __init__(self, statuses: dict[str, list[int]]) -> None:
        self.statuses = statuses
        self.calls: list[tuple[str, dict[str, str], bytes]] = []
        self.slept: list[float] = []
        self.dead: list[tuple[Job, str, int]] = []
        self.done: list[Job] = []

    async def post(self, url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
        self.calls.append((url, headers, body))
        return self.statuses[url].pop(0) if self.statuses[url] else 200

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)

    async def dead_letter(self, job: Job, failure: Exception, attempts: int) -> None:
        self.dead.append((job, str(failure), attempts))

    def deliverer(self, policy: Policy | None = None) -> Deliverer:
        return Deliverer(
            policy or _policy(),
            on_done=self.done.append,
            dead_letter=self.dead_letter,
            post=self.post,
            clock=lambda: 1_767_258_000.0,
            sleep=self.sleep,
            rng=random.Random(3),
        )


async def test_call_is_signed_over_timestamp_and_body_with_the_subscriptions_own_key() -> None:
    rec = Recorder({"http://127.0.0.1:9/hook": [200]})
    assert await rec.deliverer().deliver(_job("sub_a"))
    _url, headers, body = rec.calls[0]
    header = headers["Wirestream-Signature"]
    key = subscription_secret(SECRET, "sub_a")
    assert verify(header, body, key, now=1_767_258_010) == 1_767_258_000
    # Neither the worker's secret nor another subscriber's key verifies it.
    for other in (SECRET, subscription_secret(SECRET, "sub_b")):
        with pytest.raises(SignatureError):
            verify(header, body, other, now=1_767_258_010)


async def test_failures_are_retried_with_growing_jittered_waits_then_dead_lettered() -> None:
    rec = Recorder({"http://127.0.0.1:9/hook": [500, 500, 503, 500]})
    assert not await rec.deliverer().deliver(_job())
    assert len(rec.calls) == 4  # the call and 3 retries
    assert all(0 <= w <= cap for w, cap in zip(rec.slept, [1, 2, 4], strict=True))
    [(job, why, attempts)] = rec.dead
    assert attempts == 4 and "HTTP 500" in why and job.offset == 0


async def test_a_retry_that_succeeds_is_not_dead_lettered() -> None:
    rec = Recorder({"http://127.0.0.1:9/hook": [500, 200]})
    assert await rec.deliverer().deliver(_job())
    assert rec.dead == [] and len(rec.slept) == 1


async def test_refused_address_is_not_retried() -> None:
    rec = Recorder({})
    assert not await rec.deliverer().deliver(_job(url="https://10.0.0.7/hook"))
    assert rec.calls == [] and rec.slept == []
    assert "private" in rec.dead[0][1]


async def test_without_a_secret_nothing_is_called_and_the_alert_is_dead_lettered() -> None:
    rec = Recorder({})
    assert not await rec.deliverer(_policy(secret=None)).deliver(_job())
    assert rec.calls == [] and "no webhook secret" in rec.dead[0][1]


async def test_a_hanging_endpoint_does_not_hold_up_another_subscription() -> None:
    release = asyncio.Event()
    delivered: list[str] = []

    async def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
        if "slow" in url:
            await release.wait()
        delivered.append(url)
        return 200

    async def dead_letter(job: Job, failure: Exception, attempts: int) -> None:
        raise AssertionError("nothing fails here")

    deliverer = Deliverer(_policy(), on_done=lambda job: None, dead_letter=dead_letter, post=post)
    deliverer.submit(_job("sub_slow", 0, "http://127.0.0.1:9/slow"))
    deliverer.submit(_job("sub_fast", 1, "http://127.0.0.1:9/fast"))
    for _ in range(50):
        if delivered:
            break
        await asyncio.sleep(0.01)
    assert delivered == ["http://127.0.0.1:9/fast"]
    release.set()
    await deliverer.drain()
    assert delivered == ["http://127.0.0.1:9/fast", "http://127.0.0.1:9/slow"]
    await deliverer.close()


def test_offsets_are_committed_only_below_the_oldest_alert_in_flight() -> None:
    tracker = OffsetTracker()
    for offset in (5, 6, 7):
        tracker.started(0, offset)
    tracker.started(1, 2)
    tracker.done(0, 6)
    tracker.done(1, 2)
    assert tracker.committable() == {0: 5, 1: 3}
    tracker.done(0, 5)
    assert tracker.committable() == {0: 7, 1: 3}
    tracker.done(0, 7)
    assert tracker.committable() == {0: 8, 1: 3}


def _outcomes() -> dict[str, float]:
    return {
        outcome: observe.REGISTRY.get_sample_value(
            "wirestream_webhook_deliveries_total", {"outcome": outcome}
        )
        or 0.0
        for outcome in observe.WEBHOOK_OUTCOMES
    }


def _counted_since(before: dict[str, float]) -> dict[str, float]:
    after = _outcomes()
    return {k: after[k] - before[k] for k in after if after[k] != before[k]}


async def test_a_delivery_after_one_retry_counts_one_retried_and_one_delivered() -> None:
    rec = Recorder({"http://127.0.0.1:9/hook": [500, 200]})
    before = _outcomes()

    assert await rec.deliverer().deliver(_job())

    assert _counted_since(before) == {"retried": 1.0, "delivered": 1.0}


async def test_giving_up_counts_each_retry_and_one_failure() -> None:
    rec = Recorder({"http://127.0.0.1:9/hook": [500, 500, 500, 500]})
    before = _outcomes()

    assert not await rec.deliverer().deliver(_job())

    assert _counted_since(before) == {"retried": 3.0, "failed": 1.0}


async def test_an_address_never_called_counts_as_refused_not_failed() -> None:
    rec = Recorder({})
    before = _outcomes()

    assert not await rec.deliverer().deliver(_job(url="https://10.0.0.7/hook"))
    assert not await rec.deliverer(_policy(secret=None)).deliver(_job())

    assert _counted_since(before) == {"refused": 2.0}
