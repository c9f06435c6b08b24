"""`wirestream subscribe`, `unsubscribe`, `subscriptions`: alert subscriptions from the shell.

They write to and read ``alerts.subscriptions`` directly (the worker's
``/subscriptions`` API does the same over HTTP); every worker applies a change
within seconds.
"""

from __future__ import annotations

import asyncio
import secrets
from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer
from aiokafka.errors import KafkaError

from schemas import Subscription
from streams import pipeline
from streams.alerts import (
    AlertError,
    Query,
    QueryError,
    SubscriptionRequest,
    default_vocabulary,
    is_subscription_id,
    new_subscription,
    subscription_secret,
)
from streams.cli.common import fail, settings, warn
from streams.cli.match import show_query_error
from streams.errors import WirestreamError
from streams.kafka import ensure_topics
from streams.settings import Settings
from streams.transports.alerts_kafka import (
    backfill,
    current_subscriptions,
    producer,
    send_subscription,
    send_tombstone,
)


async def _subscribe(
    cfg: Settings, subscription: Subscription, query: Query, since: timedelta | None
) -> int:
    await ensure_topics(cfg)
    async with producer(cfg) as client:
        await send_subscription(client, cfg, subscription)
    if since is None:
        return 0
    found = await backfill(
        cfg,
        subscription,
        query,
        since=since,
        now=datetime.now(UTC),
        vocabulary=default_vocabulary(),
        pipeline_version=pipeline.pipeline_version(),
    )
    return len(found)


def subscribe(
    query: Annotated[str, typer.Argument(help="The query (see README: query language).")],
    name: Annotated[str | None, typer.Option("--name", help="A label for people.")] = None,
    subscriber: Annotated[
        str, typer.Option("--subscriber", help="Who is asking (shown in every alert).")
    ] = "cli",
    webhook: Annotated[
        str | None, typer.Option("--webhook", help="https URL each alert is POSTed to.")
    ] = None,
    updates: Annotated[
        bool, typer.Option("--updates", help="Alert on later versions of alerted stories too.")
    ] = False,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Also alert on released copy of this far back: 24h, 90m, 7d."),
    ] = None,
    max_per_hour: Annotated[
        int | None, typer.Option("--max-per-hour", min=1, help="Cap on new alerts per hour.")
    ] = None,
) -> None:
    """Create an alert subscription; prints its id.

    Example: wirestream subscribe 'entity:"Kim Jong-un" AND urgency<=3' --updates --since 24h
    """
    cfg = settings()
    try:
        request = SubscriptionRequest(
            query=query,
            subscriber=subscriber,
            name=name,
            updates=updates,
            webhook=webhook,
            since=since,
            max_alerts_per_hour=max_per_hour,
        )
    except ValueError as exc:
        fail(str(exc))
    try:
        subscription, parsed, look_back = new_subscription(
            request,
            subscription_id="sub_" + secrets.token_hex(12),
            now=datetime.now(UTC),
            vocabulary=default_vocabulary(),
            webhook_allow=cfg.alerts_webhook_allow,
            max_since=timedelta(hours=cfg.alerts_max_since_hours),
        )
    except QueryError as exc:
        show_query_error(query, exc)
        raise typer.Exit(2) from exc
    except AlertError as exc:
        fail(exc)
    try:
        found = asyncio.run(_subscribe(cfg, subscription, parsed, look_back))
    except (WirestreamError, LookupError, TimeoutError, KafkaError) as exc:
        fail(f"subscription not created: {exc}")
    typer.echo(subscription.id)
    master = cfg.alerts_webhook_secret
    if subscription.webhook is not None:
        if master is None:
            warn(
                "no WIRESTREAM_ALERTS_WEBHOOK_SECRET here: ask the operator for this "
                "subscription's webhook secret (workers without one call no webhook)"
            )
        else:
            key = subscription_secret(master.get_secret_value().encode(), subscription.id)
            warn(f"webhook secret (verify its signatures with it): {key.decode()}")
    if look_back is not None:
        warn(
            f"look back over {since}: {found} alerts (backfill) sent to the matcher "
            "(alerts.lookback), which puts each on alerts.matches unless the story's live "
            "copy alerted this subscription first"
        )


async def _unsubscribe(cfg: Settings, subscription_id: str) -> bool:
    known = await current_subscriptions(cfg)
    if subscription_id not in known:
        return False
    async with producer(cfg) as client:
        await send_tombstone(client, cfg, subscription_id)
    return True


def unsubscribe(
    subscription_id: Annotated[str, typer.Argument(help="The id `subscribe` printed.")],
) -> None:
    """Delete a subscription (its alerts stop within seconds on every worker)."""
    if not is_subscription_id(subscription_id):
        fail(f"{subscription_id!r} is not a subscription id (sub_ + 24 hex)")
    try:
        deleted = asyncio.run(_unsubscribe(settings(), subscription_id))
    except (WirestreamError, LookupError, TimeoutError, KafkaError) as exc:
        fail(str(exc))
    if not deleted:
        fail(f"no subscription {subscription_id}", code=1)
    warn(f"deleted {subscription_id}")


def subscriptions(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """List the subscriptions in force."""
    try:
        found = asyncio.run(current_subscriptions(settings()))
    except (WirestreamError, LookupError, TimeoutError, KafkaError) as exc:
        fail(str(exc))
    for sid in sorted(found):
        sub = found[sid]
        if as_json:
            typer.echo(sub.model_dump_json())
            continue
        extras = [
            f"name={sub.name!r}" if sub.name else "",
            "updates" if sub.updates else "",
            f"webhook={sub.webhook}" if sub.webhook else "",
        ]
        typer.echo(f"{sid}  {sub.subscriber}  {sub.query}  {' '.join(e for e in extras if e)}")
    warn(f"{len(found)} subscriptions")
