"""``/subscriptions`` on the worker's web server: create, list, read and delete alert subscriptions.

    curl -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\
         -d '{"query": "entity:\\"Kim Jong-un\\" AND urgency<=3", "subscriber": "desk"}' \\
         http://worker:6066/subscriptions

- ``POST /subscriptions``: body :class:`~streams.alerts.SubscriptionRequest` as JSON;
  ``201 {"subscription": {...}}`` once Kafka acknowledged the record on
  ``alerts.subscriptions`` (every worker applies it within seconds). With
  ``"since": "24h"`` the look back starts at once and the answer says so.
- ``GET /subscriptions?limit=50&after=<id>&subscriber=<name>``: a page in id
  order, ``{"subscriptions": [...], "next": <id or null>}``.
- ``GET /subscriptions/<id>``, ``DELETE /subscriptions/<id>`` (204; a tombstone).

Authenticated by its own bearer token (``WIRESTREAM_SUBSCRIPTIONS_TOKEN``, not
the ingest token). Refusals, each ``{"error": ...}`` and changing nothing:
503 no token configured, 401 missing or wrong token, 413 body over
``WIRESTREAM_ALERTS_MAX_REQUEST_BYTES``, 400 body not JSON, a query that does not
parse (with ``column``), a refused webhook or look back, 422 a field missing,
unknown or of the wrong type, 404 unknown subscription, 503 Kafka did not
acknowledge, 503 (``Retry-After``) for a list, read or delete while the worker is still
reading ``alerts.subscriptions`` after its start.

The checks are functions (:func:`check_auth`, :func:`read_request`,
:func:`page_params`); the views read the request, call them and send.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import SecretStr, ValidationError

from schemas import Subscription
from streams.alerts import (
    AlertError,
    QueryError,
    Registry,
    SubscriptionRequest,
    is_subscription_id,
    new_subscription,
    subscription_secret,
)
from streams.settings import Settings
from streams.transports.http import read_limited, token_matches

log = logging.getLogger(__name__)

PATH = "/subscriptions"
ACK_TIMEOUT = 30.0
MAX_PAGE = 500


@dataclass(frozen=True)
class Refusal:
    status: int
    error: str
    extra: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


def check_auth(authorization: str | None, token: SecretStr | None) -> Refusal | None:
    if token is None or not token.get_secret_value():
        return Refusal(
            503,
            "subscriptions are closed on this worker: no token is configured "
            "(set WIRESTREAM_SUBSCRIPTIONS_TOKEN)",
        )
    if not token_matches(authorization, token):
        return Refusal(
            401,
            "missing or wrong token: send 'Authorization: Bearer <subscriptions token>'",
            headers={"WWW-Authenticate": 'Bearer realm="wirestream-subscriptions"'},
        )
    return None


def _validation_message(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors()[:5]:
        where = ".".join(str(p) for p in error["loc"]) or "body"
        if error["type"] == "extra_forbidden":
            parts.append(f"unknown field {where!r}")
        else:
            parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)


def read_request(body: bytes, *, max_bytes: int) -> SubscriptionRequest | Refusal:
    """The request in the body, or why not."""
    if len(body) > max_bytes:
        return Refusal(413, f"body over the {max_bytes:,} byte limit")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        return Refusal(400, f"body is not JSON: {exc}")
    if not isinstance(data, dict):
        return Refusal(400, "body must be a JSON object")
    try:
        return SubscriptionRequest.model_validate(data)
    except ValidationError as exc:
        return Refusal(422, _validation_message(exc))


def create(
    request: SubscriptionRequest, *, settings: Settings, registry: Registry, now: datetime
) -> tuple[Subscription, Any, timedelta | None] | Refusal:
    """The new subscription, or why it is refused (a query error carries its column)."""
    try:
        return new_subscription(
            request,
            subscription_id="sub_" + secrets.token_hex(12),
            now=now,
            vocabulary=registry.vocabulary,
            webhook_allow=settings.alerts_webhook_allow,
            max_since=timedelta(hours=settings.alerts_max_since_hours),
        )
    except QueryError as exc:
        return Refusal(400, f"query: {exc.message}", {"code": exc.code, "column": exc.column})
    except AlertError as exc:
        return Refusal(400, exc.message, {"code": exc.code})


def page_params(query: Mapping[str, str]) -> tuple[int, str | None, str | None] | Refusal:
    """(limit, after, subscriber) from the query string."""
    raw = query.get("limit", "50")
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        return Refusal(400, f"limit must be a whole number from 1 to {MAX_PAGE}")
    after = query.get("after") or None
    if after is not None and not is_subscription_id(after):
        return Refusal(400, "after must be a subscription id (the 'next' of the previous page)")
    return int(raw), after, query.get("subscriber") or None


def listing(
    registry: Registry, *, limit: int, after: str | None, subscriber: str | None
) -> dict[str, Any]:
    found: list[Subscription] = []
    cursor = after
    # Filtering by subscriber may skip whole pages; walk on until one is full.
    while len(found) < limit:
        page = registry.page(after=cursor, limit=limit)
        if not page:
            cursor = None
            break
        for sub in page:
            if subscriber is None or sub.subscriber == subscriber:
                found.append(sub)
                if len(found) == limit:
                    break
        cursor = found[-1].id if len(found) == limit else page[-1].id
    more = bool(found) and bool(registry.page(after=found[-1].id, limit=1))
    return {
        "subscriptions": [s.model_dump(mode="json") for s in found],
        "next": found[-1].id if more else None,
    }


def _agent() -> Any:
    # The registry, the topic handle and the look back belong to the alerts
    # agent, which imports the app; the app registers this endpoint before the
    # agents exist, so they are looked up when a request comes.
    from streams.agents import alerts

    return alerts


def register_subscriptions_endpoint(
    app: Any,
    *,
    settings: Settings,
    registry: Callable[[], Registry] | None = None,
    topic: Callable[[], Any] | None = None,
    backfill: Callable[[Subscription, Any, timedelta], Any] | None = None,
    loaded: Callable[[], bool] | None = None,
) -> None:
    """Add ``/subscriptions`` and ``/subscriptions/{id}`` to the Faust app's web server.

    By default the subscriptions, the topic and the look back are the alerts
    agent's (:mod:`streams.agents.alerts`); tests pass their own.
    """
    from faust.web import View  # late: the rest of this module is plain functions

    get_registry: Callable[[], Registry] = registry or (lambda: _agent().registry)
    get_topic: Callable[[], Any] = topic or (lambda: _agent().subscriptions_topic)
    start_backfill: Callable[[Subscription, Any, timedelta], Any] = backfill or (
        lambda sub, query, since: _agent().start_backfill(sub, query, since)
    )
    is_loaded: Callable[[], bool] = loaded or (lambda: _agent().subscriptions_loaded.is_set())

    def check(request: Any, *, needs_registry: bool) -> Refusal | None:
        refusal = check_auth(request.headers.get("Authorization"), settings.subscriptions_token)
        if refusal is None and not settings.alerts_enabled:
            refusal = Refusal(
                503, "alerts are disabled on this worker (WIRESTREAM_ALERTS_ENABLED=false)"
            )
        if refusal is None and needs_registry and not is_loaded():
            # Until alerts.subscriptions has been read once, a list or a 404
            # would be wrong, not merely late.
            refusal = Refusal(
                503,
                "subscriptions are still loading on this worker; retry in a moment",
                headers={"Retry-After": "1"},
            )
        return refusal

    def refuse(view: Any, refusal: Refusal) -> Any:
        log.info("%s refused: %d %s", PATH, refusal.status, refusal.error)
        return view.error(
            refusal.status, refusal.error, headers=dict(refusal.headers) or None, **refusal.extra
        )

    async def send(key: str, value: bytes | None) -> None:
        pending = await get_topic().send(key=key.encode(), value=value)
        await asyncio.wait_for(asyncio.shield(pending), ACK_TIMEOUT)

    class Subscriptions(View):
        async def post(self, request: Any) -> Any:
            refusal = check(request, needs_registry=False)
            if refusal is not None:
                return refuse(self, refusal)
            body = await read_limited(request.content, settings.alerts_max_request_bytes)
            parsed = read_request(body, max_bytes=settings.alerts_max_request_bytes)
            if isinstance(parsed, Refusal):
                return refuse(self, parsed)
            made = await asyncio.to_thread(
                create, parsed, settings=settings, registry=get_registry(), now=datetime.now(UTC)
            )
            if isinstance(made, Refusal):
                return refuse(self, made)
            subscription, query, since = made
            try:
                await send(subscription.id, subscription.to_json())
            except Exception as exc:  # no ack: nothing was created as far as the client knows
                return refuse(self, Refusal(503, f"Kafka did not acknowledge ({exc!r}); retry"))
            answer: dict[str, Any] = {"subscription": subscription.model_dump(mode="json")}
            master = settings.alerts_webhook_secret
            if subscription.webhook is not None and master is not None:
                # The key its webhooks are signed with; derived, so stored nowhere.
                answer["webhook_secret"] = subscription_secret(
                    master.get_secret_value().encode(), subscription.id
                ).decode()
            if since is not None:
                start_backfill(subscription, query, since)
                answer["backfill"] = {"since": parsed.since, "status": "started"}
            log.info("subscription %s created: %s", subscription.id, subscription.query)
            return self.json(answer, status=201)

        async def get(self, request: Any) -> Any:
            refusal = check(request, needs_registry=True)
            if refusal is not None:
                return refuse(self, refusal)
            params = page_params(request.query)
            if isinstance(params, Refusal):
                return refuse(self, params)
            limit, after, subscriber = params
            return self.json(
                listing(get_registry(), limit=limit, after=after, subscriber=subscriber)
            )

    class OneSubscription(View):
        async def get(self, request: Any, subscription_id: str) -> Any:
            refusal = check(request, needs_registry=True)
            if refusal is not None:
                return refuse(self, refusal)
            found = get_registry().get(subscription_id)
            if found is None:
                return refuse(self, Refusal(404, f"no subscription {subscription_id!r}"))
            return self.json({"subscription": found.model_dump(mode="json")})

        async def delete(self, request: Any, subscription_id: str) -> Any:
            refusal = check(request, needs_registry=True)
            if refusal is not None:
                return refuse(self, refusal)
            if get_registry().get(subscription_id) is None:
                return refuse(self, Refusal(404, f"no subscription {subscription_id!r}"))
            try:
                await send(subscription_id, None)
            except Exception as exc:
                return refuse(self, Refusal(503, f"Kafka did not acknowledge ({exc!r}); retry"))
            log.info("subscription %s deleted", subscription_id)
            return self.bytes(b"", status=204)

    app.page(PATH, name="subscriptions")(Subscriptions)
    app.page(PATH + "/{subscription_id}", name="subscription")(OneSubscription)
