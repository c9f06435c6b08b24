"""Webhook delivery: alerts.matches -> subscribers' URLs, apart from matching.

A consumer in its own group (``<app id>-webhooks``, committed records only)
reads ``alerts.matches``; each alert for a subscription with a webhook joins
that subscription's queue, and one task per subscription POSTs its alerts in
order. A slow or dead endpoint holds up only its own queue: never matching,
never another subscriber. A call that fails (no answer within the timeout, a
refused address, any status but 2xx) is retried with exponential backoff and
full jitter; after the last retry the alert goes to ``alerts.dlq`` in a
DeadLetter envelope (stage ``webhook``, code W613). Every outcome is counted
in ``wirestream_webhook_deliveries{outcome}``: delivered, retried, failed
(gave up after the retries) or refused (never called: an address the rules
refuse, or no secret).

Offsets are committed only up to the oldest alert not yet delivered or
dead-lettered (:class:`OffsetTracker`), so a restart sends again what was in
flight (at least once; ``alert_id`` lets a receiver drop repeats).
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

import aiohttp

from streams import observe
from streams.alerts import (
    DeliveryError,
    WebhookAddressError,
    backoff,
    check_webhook_url,
    sign,
    subscription_secret,
)
from streams.alerts.webhooks import HEADER

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    """One alert to deliver and where it came from."""

    subscription_id: str
    url: str
    body: bytes
    partition: int
    offset: int


class OffsetTracker:
    """Per partition, the offset below which every alert is done (delivered or dead-lettered)."""

    def __init__(self) -> None:
        self._pending: dict[int, set[int]] = {}
        self._next: dict[int, int] = {}

    def started(self, partition: int, offset: int) -> None:
        self._pending.setdefault(partition, set()).add(offset)
        self._next[partition] = max(self._next.get(partition, 0), offset + 1)

    def done(self, partition: int, offset: int) -> None:
        self._pending.get(partition, set()).discard(offset)

    def committable(self) -> dict[int, int]:
        """Partition -> offset to commit (the next record to read after a restart)."""
        return {
            p: min(self._pending[p]) if self._pending.get(p) else nxt
            for p, nxt in self._next.items()
        }


@dataclass(frozen=True)
class Policy:
    secret: bytes | None
    allow: Sequence[str]
    retries: int
    backoff_base: float
    backoff_max: float
    timeout: float


Post = Callable[[str, bytes, dict[str, str], float], Awaitable[int]]
DeadLetterSink = Callable[[Job, Exception, int], Awaitable[None]]


async def http_post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """POST and return the status (aiohttp; no redirects: a redirect could lead anywhere)."""
    client_timeout = aiohttp.ClientTimeout(total=timeout)
    async with (
        aiohttp.ClientSession(timeout=client_timeout) as session,
        session.post(url, data=body, headers=headers, allow_redirects=False) as response,
    ):
        return response.status


class Deliverer:
    """Per-subscription queues and the calls behind them."""

    def __init__(
        self,
        policy: Policy,
        *,
        on_done: Callable[[Job], None],
        dead_letter: DeadLetterSink,
        post: Post = http_post,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.policy = policy
        self._on_done = on_done
        self._dead_letter = dead_letter
        self._post = post
        self._clock = clock
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._queues: dict[str, asyncio.Queue[Job]] = {}
        self._tasks: dict[str, asyncio.Task[None]] = {}

    def submit(self, job: Job) -> None:
        queue = self._queues.get(job.subscription_id)
        if queue is None:
            queue = self._queues[job.subscription_id] = asyncio.Queue()
            self._tasks[job.subscription_id] = asyncio.create_task(
                self._run(queue), name=f"webhook:{job.subscription_id}"
            )
        queue.put_nowait(job)

    async def _run(self, queue: asyncio.Queue[Job]) -> None:
        while True:
            job = await queue.get()
            try:
                await self.deliver(job)
            finally:
                self._on_done(job)
                queue.task_done()

    async def drain(self) -> None:
        """Wait until every submitted job is done (tests, shutdown)."""
        for queue in list(self._queues.values()):
            await queue.join()

    async def close(self) -> None:
        for task in self._tasks.values():
            task.cancel()
        await asyncio.gather(*self._tasks.values(), return_exceptions=True)
        self._tasks.clear()
        self._queues.clear()

    async def attempt(self, job: Job) -> None:
        """One call; raises on any failure."""
        if self.policy.secret is None:
            raise DeliveryError(
                "no webhook secret configured (WIRESTREAM_ALERTS_WEBHOOK_SECRET): not called"
            )
        # Checked at every call, not only at subscription: a name may resolve
        # elsewhere by now.
        await asyncio.to_thread(check_webhook_url, job.url, allow=self.policy.allow)
        timestamp = int(self._clock())
        headers = {
            "Content-Type": "application/json",
            HEADER: sign(
                subscription_secret(self.policy.secret, job.subscription_id), timestamp, job.body
            ),
        }
        status = await self._post(job.url, job.body, headers, self.policy.timeout)
        if not 200 <= status < 300:
            raise DeliveryError(f"webhook answered HTTP {status}")

    async def deliver(self, job: Job) -> bool:
        """Deliver with retries; False when it ended on the dead-letter topic."""
        attempts = 0
        outcome: observe.WebhookOutcome = "failed"
        while True:
            attempts += 1
            try:
                await self.attempt(job)
                observe.webhook_delivery("delivered")
                return True
            except WebhookAddressError as exc:
                failure: Exception = exc  # retrying will not change the address rules
                outcome = "refused"
                break
            except DeliveryError as exc:
                failure = exc
                if self.policy.secret is None:
                    outcome = "refused"
                    break
            except (aiohttp.ClientError, TimeoutError, OSError) as exc:
                failure = exc
            if attempts > self.policy.retries:
                break
            observe.webhook_delivery("retried")
            wait = backoff(
                attempts, base=self.policy.backoff_base, cap=self.policy.backoff_max, rng=self._rng
            )
            log.info(
                "webhook %s for %s failed (%s); retry %d in %.1fs",
                job.url,
                job.subscription_id,
                failure,
                attempts,
                wait,
            )
            await self._sleep(wait)
        log.warning(
            "webhook %s for %s gave up after %d attempts: %s",
            job.url,
            job.subscription_id,
            attempts,
            failure,
        )
        observe.webhook_delivery(outcome)
        await self._dead_letter(job, failure, attempts)
        return False
