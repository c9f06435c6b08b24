"""Alerts agents: subscriptions held by every worker, the matcher, webhook delivery.

``alerts.subscriptions`` is compacted and read whole by every worker
(:func:`load_subscriptions`: a consumer of its own, no group, committed records
only), into :data:`registry`; changes are in force within a second or so. The
matcher waits until the topic has been read to its end once before it matches
anything, so a restarted worker never misses a subscription it had.

The matcher (``match_alerts``) reads ``wires.released``, ``wires.kills`` and
``alerts.lookback`` in one stream (all keyed by story id and co-partitioned), percolates
each released copy or kill
through the registry, applies the once-per-story rules
(:mod:`streams.alerts.story`) with the state in the table ``alert-state``
(keyed by story id, co-partitioned with ``wires.released``) and sends the
alerts to ``alerts.matches`` keyed by subscription id, in one transaction with
the state change and the input offsets (:mod:`streams.outbox`): one alert per
story and subscription even across crashes. A new subscription's look-back alerts
(made by :func:`streams.transports.alerts_kafka.backfill`) pass the same state, so a
story alerted in the look-back gives no second ``new`` when a later version comes.
Entries older than the retention are dropped by a timer.
Matching runs on the event loop (under 1 ms per article at 100,000 subscriptions,
``bench/alert_match.py``); making the alerts (about 40 us each) moves to a thread past
:data:`OFF_LOOP_ALERTS` for one article. ``wirestream_alert_matches_total`` counts alerts
whose transaction has committed.

Webhooks are delivered by :mod:`streams.transports.webhook_delivery`, from
``alerts.matches``, apart from matching.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from aiokafka import AIOKafkaConsumer
from aiokafka.structs import OffsetAndMetadata, TopicPartition
from faust.types import EventT, StreamT

from schemas import Alert, AlertKind, DeadLetter, EnrichedArticle, KillNotice, Subscription
from streams import observe, pipeline
from streams.agents.batching import Item, batches, commit_items
from streams.agents.deadletter import dead_letter as dead_letter_of
from streams.agents.retention import sweep
from streams.alerts import (
    Document,
    Query,
    RateLimiter,
    Registry,
    StoryAlerts,
    decide,
    decide_lookback,
    default_vocabulary,
    document,
    expired,
    make_alert,
)
from streams.app import app, outbox, settings, state_table, topic_handle
from streams.kafka import client_kwargs
from streams.outbox import Tx
from streams.replay import is_backfill
from streams.topology import (
    ALERT_STATE,
    ALERTS_DLQ,
    KILLS,
    LOOKBACK,
    MATCHES,
    RELEASED,
    SUBSCRIPTIONS,
)
from streams.transports.alerts_kafka import (
    apply_subscription_record,
    backfill,
    committed_consumer,
    topic_partitions,
)
from streams.transports.webhook_delivery import Deliverer, Job, OffsetTracker, Policy

log = logging.getLogger(__name__)

STAGE_ALERTS = "alerts"
VERSION = pipeline.pipeline_version()
RETENTION = timedelta(hours=settings.alerts_state_retention_hours)

alert_state = state_table(ALERT_STATE)

#: Released copy, kills and look-back alerts in one stream (all keyed by story id and
#: co-partitioned), so each passes the story's state in its partition's transactions.
alerts_input = topic_handle(RELEASED, KILLS, LOOKBACK)
matches_topic = topic_handle(MATCHES)
subscriptions_topic = topic_handle(SUBSCRIPTIONS)
alerts_dlq_topic = topic_handle(ALERTS_DLQ)


def _utc_now() -> datetime:
    return datetime.now(UTC)


#: The worker's clock (tests replace it).
clock: Callable[[], datetime] = _utc_now

#: Every subscription in force on this worker.
registry = Registry(default_vocabulary())
#: Set once alerts.subscriptions has been read to its end after start-up.
subscriptions_loaded = asyncio.Event()
limiter = RateLimiter()


def apply_subscription(key: bytes | None, value: bytes | None) -> None:
    """One record of alerts.subscriptions: a subscription or a tombstone."""
    records: dict[str, Any] = {}
    problem = apply_subscription_record(records, key, value)
    if problem is not None:
        log.warning("alerts.subscriptions: %s", problem)
        return
    sid = (key or b"").decode("utf-8", errors="replace")
    if value is None:
        if registry.delete(sid):
            log.info("subscription %s deleted", sid)
        return
    error = registry.put(records[sid])
    if error is not None:
        log.warning("subscription %s left out: its query no longer parses: %s", sid, error)


async def load_subscriptions() -> None:
    """Keep :func:`follow_subscriptions` running: the matcher waits for it, so a failure
    (the topic not there yet, the broker away) is retried, never the end of it."""
    while True:
        try:
            await follow_subscriptions()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.error("alerts.subscriptions: reading failed (%r); retrying in 5 s", exc)
            await asyncio.sleep(5)


async def follow_subscriptions() -> None:
    """Read alerts.subscriptions whole, then follow it; set :data:`subscriptions_loaded`
    once the records there at start-up are all applied."""
    consumer = committed_consumer(settings)
    try:
        await consumer.start()
        topic = settings.topic(SUBSCRIPTIONS.name)
        tps = await topic_partitions(consumer, topic)
        ends = await consumer.end_offsets(tps)
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        behind = {tp for tp in tps if ends[tp] > 0}
        if not behind:
            subscriptions_loaded.set()
        while True:
            batch = await consumer.getmany(timeout_ms=250)
            for messages in batch.values():
                for m in messages:
                    apply_subscription(m.key, m.value)
            if behind:
                for tp in list(behind):
                    if await consumer.position(tp) >= ends[tp]:
                        behind.discard(tp)
                if not behind:
                    log.info("alerts: %d subscriptions loaded", len(registry))
                    subscriptions_loaded.set()
    finally:
        await consumer.stop()


def _state(tx: Tx, story_id: str) -> StoryAlerts | None:
    value = tx.get(ALERT_STATE.name, story_id)
    if value is None:
        return None
    try:
        return StoryAlerts.from_json(value)
    except (KeyError, TypeError, ValueError):
        log.error("alert-state: unreadable entry for story %s replaced", story_id)
        return None


#: Past this many alerts for one article they are made in a thread: explaining a query and
#: writing its alert's JSON costs some 40 us each, 50 ms for a thousand, which the event
#: loop (and every other agent on it) would otherwise wait for.
OFF_LOOP_ALERTS = 64

#: What one alert is made from: subscription, query, kind.
_Job = tuple[Subscription, Query, AlertKind]


def _make_alerts(
    jobs: list[_Job], doc: Document, *, source: str | None, backfill: bool, now: datetime
) -> list[tuple[str, AlertKind, bytes]]:
    """The alerts' JSON (pure: safe in a thread; every input is read, none changed)."""
    return [
        (
            subscription.id,
            kind,
            make_alert(
                subscription,
                query,
                doc,
                kind,
                source_agency=source,
                pipeline_version=VERSION,
                now=now,
                backfill=backfill,
            ).to_json(),
        )
        for subscription, query, kind in jobs
    ]


async def decide_alerts(tx: Tx, event: EventT[Any]) -> list[str]:
    """One released copy or kill, inside its transaction: the kinds of the alerts it makes
    (counted by :func:`_count` once the transaction has committed)."""
    message = event.message
    if message.topic == settings.topic(LOOKBACK.name):
        return lookback_alert(tx, event)
    try:
        record: KillNotice | EnrichedArticle
        if message.topic == settings.topic(KILLS.name):
            record = KillNotice.model_validate_json(event.value)
        else:
            record = EnrichedArticle.model_validate_json(event.value)
    except Exception as exc:  # a worker never dies of bad input
        dead_letter_of(tx, event, stage=STAGE_ALERTS, exc=exc, pipeline_version=VERSION)
        return []
    now = clock()
    doc = document(record, registry.vocabulary)
    matched = registry.percolator.match(doc)
    before = _state(tx, doc.story_id)
    decision = decide(
        before,
        doc,
        matched,
        wants_updates=registry.wants_updates,
        partition=message.partition,
        now=now,
    )
    source = (
        record.source_agency if isinstance(record, KillNotice) else record.article.source_agency
    )
    jobs: list[_Job] = []
    capped: set[str] = set()
    for sid, kind in decision.alerts:
        subscription = registry.get(sid)
        query = registry.query(sid)
        if subscription is None or query is None:
            continue
        if kind == "new" and not limiter.allow(sid, subscription.max_alerts_per_hour, now):
            log.info(
                "subscription %s: over its hourly cap, story %s not alerted", sid, doc.story_id
            )
            capped.add(sid)
            continue
        jobs.append((subscription, query, kind))
    make = partial(
        _make_alerts,
        jobs,
        doc,
        source=source,
        # Released only by `replay --alerts`: its recipients must see it is history.
        backfill=isinstance(record, EnrichedArticle) and is_backfill(record),
        now=now,
    )
    made = await asyncio.to_thread(make) if len(jobs) > OFF_LOOP_ALERTS else make()
    sent: list[str] = []
    for sid, kind, value in made:
        tx.send(settings.topic(MATCHES.name), key=sid.encode(), value=value)
        sent.append(kind)
    state = decision.state
    if capped:
        # Not alerted, so not followed either: no update or kill without the new.
        state = replace(state, alerted={k: v for k, v in state.alerted.items() if k not in capped})
    if state != before:
        tx.put(ALERT_STATE.name, doc.story_id, state.to_json())
    if sent:
        log.info("story %s (%s): %d alerts", doc.story_id, doc.kind, len(sent))
    return sent


def lookback_alert(tx: Tx, event: EventT[Any]) -> list[str]:
    """A look-back alert made by a new subscription's ``--since``: sent on to
    alerts.matches, and recorded in the story's state, unless the subscription was
    alerted on the story already or the story was killed. The registry is not asked:
    the look-back may come before this worker has read the new subscription."""
    try:
        alert = Alert.model_validate_json(event.value)
    except Exception as exc:  # a worker never dies of bad input
        dead_letter_of(tx, event, stage=STAGE_ALERTS, exc=exc, pipeline_version=VERSION)
        return []
    before = _state(tx, alert.story_id)
    send, state = decide_lookback(
        before,
        subscription_id=alert.subscription_id,
        partition=event.message.partition,
        now=clock(),
    )
    if not send:
        return []
    tx.send(settings.topic(MATCHES.name), key=alert.subscription_id.encode(), value=event.value)
    tx.put(ALERT_STATE.name, alert.story_id, state.to_json())
    return [alert.kind]


def _count(kinds: list[str]) -> None:
    """Alerts out: counted once their transaction has committed (a transaction given up
    or retried counts nothing)."""
    for kind in kinds:
        observe.alert_matched(kind)


async def handle_events(events: list[EventT[Any]]) -> int:
    """A batch of released copy and kills: one transaction per partition."""
    sent: dict[int, list[str]] = {}

    async def emit(tx: Tx, item: Item[Any, Any]) -> None:
        sent.setdefault(tx.partition, []).extend(await decide_alerts(tx, item.event))

    def committed(partition: int) -> None:
        _count(sent.pop(partition, []))

    return await commit_items(
        [Item(event) for event in events],
        stage=STAGE_ALERTS,
        outbox=outbox,
        pipeline_version=VERSION,
        emit=emit,
        # Partitions go one after another and a committed one is counted at once,
        # so what is left when one is given up is that partition's alone.
        on_abort=sent.clear,
        on_commit=committed,
    )


async def handle(event: EventT[Any]) -> int:
    """One released copy or kill in a transaction of its own; returns how many alerts it made."""
    message = event.message
    async with outbox.transaction(STAGE_ALERTS, message.partition) as tx:
        if not tx.take(message.topic, message.offset):
            return 0
        kinds = await decide_alerts(tx, event)
    _count(kinds)
    return len(kinds)


async def match_alerts(stream: StreamT[Any]) -> None:
    async for events in batches(stream):
        # A restarted worker must know every subscription before it matches.
        await subscriptions_loaded.wait()
        await handle_events(list(events))


def _state_expired(value: Any, now: datetime) -> bool:
    return bool(expired(StoryAlerts.from_json(value), now, RETENTION))


async def forget_expired(now: datetime) -> int:
    """Drop alert-state entries past the retention on partitions this worker owns."""
    if app.rebalancing:
        return 0
    return await sweep(
        outbox, stage=STAGE_ALERTS, table=ALERT_STATE.name, expired=_state_expired, now=now
    )


async def _forget_expired() -> None:
    await forget_expired(clock())


_backfills: set[asyncio.Task[Any]] = set()


def start_backfill(subscription: Subscription, query: Query, since: timedelta) -> None:
    """Look back over wires.released for a new subscription, in the background."""

    async def run() -> None:
        found = await backfill(
            settings,
            subscription,
            query,
            since=since,
            now=clock(),
            vocabulary=registry.vocabulary,
            pipeline_version=VERSION,
        )
        log.info(
            "subscription %s: look back of %s gave %d alerts", subscription.id, since, len(found)
        )

    task = asyncio.create_task(run(), name=f"backfill:{subscription.id}")
    _backfills.add(task)
    task.add_done_callback(_backfills.discard)


# --- webhooks ------------------------------------------------------------------


def _policy() -> Policy:
    secret = settings.alerts_webhook_secret
    return Policy(
        secret=secret.get_secret_value().encode() if secret else None,
        allow=tuple(settings.alerts_webhook_allow),
        retries=settings.alerts_webhook_retries,
        backoff_base=settings.alerts_webhook_backoff,
        backoff_max=settings.alerts_webhook_backoff_max,
        timeout=settings.alerts_webhook_timeout,
    )


async def dead_letter(job: Job, failure: Exception, attempts: int) -> None:
    error = getattr(failure, "code", "W613")
    letter = DeadLetter(
        pipeline_version=VERSION,
        stage="webhook",
        error_code=error if isinstance(error, str) else "W613",
        error_type=type(failure).__name__,
        message=f"webhook {job.url} failed after {attempts} attempts: {failure}",
        source_topic=settings.topic(MATCHES.name),
        source_partition=job.partition,
        source_offset=job.offset,
        source_key=job.subscription_id.encode(),
        original=job.body,
        failed_at=clock(),
    )
    await alerts_dlq_topic.send(key=job.subscription_id.encode(), value=letter.to_json())


async def deliver_webhooks() -> None:
    """Follow alerts.matches in the webhook group and hand each alert to its queue."""
    await subscriptions_loaded.wait()
    tracker = OffsetTracker()
    deliverer = Deliverer(
        _policy(),
        on_done=lambda job: tracker.done(job.partition, job.offset),
        dead_letter=dead_letter,
        rng=random.Random(),
    )
    topic = settings.topic(MATCHES.name)
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=settings.kafka_bootstrap,
        group_id=f"{settings.app_id}-webhooks",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        isolation_level="read_committed",
        **client_kwargs(settings),
    )
    try:
        await consumer.start()
        while True:
            batch = await consumer.getmany(timeout_ms=500)
            for tp, messages in batch.items():
                for m in messages:
                    tracker.started(tp.partition, m.offset)
                    sid = (m.key or b"").decode("utf-8", errors="replace")
                    subscription = registry.get(sid)
                    if subscription is None or subscription.webhook is None:
                        tracker.done(tp.partition, m.offset)
                        continue
                    deliverer.submit(
                        Job(sid, subscription.webhook, m.value, tp.partition, m.offset)
                    )
            offsets = {
                TopicPartition(topic, p): OffsetAndMetadata(o, "")
                for p, o in tracker.committable().items()
            }
            if offsets:
                await consumer.commit(offsets)
    finally:
        await deliverer.close()
        await consumer.stop()


if settings.alerts_enabled:
    outbox.register(
        STAGE_ALERTS,
        topics=[settings.topic(RELEASED.name), settings.topic(KILLS.name)],
        tables=[alert_state],
    )
    # Registered only when enabled: an agent that waits for subscriptions no
    # loader reads would stall the stream it shares with the release agent.
    # Registered by call: Faust's decorators are untyped.
    app.agent(alerts_input, name="alerts")(match_alerts)
    app.task(load_subscriptions)
    app.task(deliver_webhooks)
    app.timer(600.0, name="alert-state-retention")(_forget_expired)
