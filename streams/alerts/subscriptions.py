"""Subscriptions as clients ask for them, and the alerts made for them (pure functions).

:class:`SubscriptionRequest` is what ``POST /subscriptions`` and
``wirestream subscribe`` accept; :func:`new_subscription` checks it (the
query parses, the webhook may be called, the look-back is sane) and makes the
:class:`~schemas.Subscription` record that goes on ``alerts.subscriptions``.
:func:`make_alert` builds an :class:`~schemas.Alert`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field

from schemas import (
    Alert,
    AlertKind,
    EnrichedArticle,
    KillNotice,
    MatchedTerm,
    Subscription,
    TextSpan,
)
from streams.alerts.document import Document
from streams.alerts.errors import SubscriptionError
from streams.alerts.query import MAX_QUERY_CHARS, Query, describe_hits, parse
from streams.alerts.vocabulary import Vocabulary
from streams.alerts.webhooks import check_webhook_url

_DURATION = re.compile(r"([0-9]{1,5})\s*([smhd])")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
_ID = re.compile(r"sub_[0-9a-f]{24}")


class SubscriptionRequest(BaseModel):
    """The body of ``POST /subscriptions`` (unknown fields are refused)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    query: str = Field(min_length=1, max_length=MAX_QUERY_CHARS, description="The query.")
    subscriber: str = Field(
        default="anonymous", min_length=1, max_length=100, description="Who is asking."
    )
    name: str | None = Field(default=None, max_length=200, description="A label for people.")
    updates: bool = Field(default=False, description="Alert on later versions too.")
    webhook: str | None = Field(default=None, max_length=2000, description="URL to POST to.")
    since: str | None = Field(
        default=None,
        max_length=16,
        description="Look back over wires.released this far ('24h', '90m', '7d') and alert "
        "on what matches, marked backfill.",
    )
    max_alerts_per_hour: int | None = Field(default=None, ge=1, le=100_000)


def parse_duration(text: str, *, limit: timedelta) -> timedelta:
    """'24h', '90m', '7d', '30s' as a timedelta; SubscriptionError if bad or over ``limit``."""
    m = _DURATION.fullmatch(text.strip().lower())
    if m is None:
        raise SubscriptionError(f"since {text!r} is not a duration such as 30m, 24h or 7d")
    value = timedelta(**{_UNITS[m.group(2)]: int(m.group(1))})
    if value > limit:
        raise SubscriptionError(
            f"since {text!r} is longer than the {limit} that may be looked back"
        )
    return value


def is_subscription_id(text: str) -> bool:
    return _ID.fullmatch(text) is not None


def new_subscription(
    request: SubscriptionRequest,
    *,
    subscription_id: str,
    now: datetime,
    vocabulary: Vocabulary,
    webhook_allow: Sequence[str] = (),
    resolve: Callable[[str], list[str]] | None = None,
    max_since: timedelta = timedelta(days=7),
) -> tuple[Subscription, Query, timedelta | None]:
    """The subscription record, its parsed query and its look-back, or an error.

    Raises :class:`~streams.alerts.errors.QueryError` for a query that does not
    parse, :class:`SubscriptionError` for a bad look-back, and
    :class:`~streams.alerts.errors.WebhookAddressError` for a webhook that may
    not be called (``resolve`` looks host names up; tests pass their own).
    """
    if not is_subscription_id(subscription_id):
        raise SubscriptionError(f"{subscription_id!r} is not a subscription id (sub_ + 24 hex)")
    query = parse(request.query, vocabulary)
    if request.webhook is not None:
        check_webhook_url(request.webhook, allow=webhook_allow, resolve=resolve)
    since = parse_duration(request.since, limit=max_since) if request.since else None
    record = Subscription(
        id=subscription_id,
        subscriber=request.subscriber,
        name=request.name,
        query=request.query,
        updates=request.updates,
        webhook=request.webhook,
        max_alerts_per_hour=request.max_alerts_per_hour,
        created_at=now,
    )
    return record, query, since


def alert_id(subscription_id: str, article_id: str, kind: AlertKind) -> str:
    digest = hashlib.sha256(f"{subscription_id}\x1f{article_id}\x1f{kind}".encode()).hexdigest()
    return "alrt_" + digest[:24]


def make_alert(
    subscription: Subscription,
    query: Query,
    doc: Document,
    kind: AlertKind,
    *,
    source_agency: str | None,
    pipeline_version: str,
    now: datetime,
    backfill: bool = False,
) -> Alert:
    """The alert for one subscription and article; ``matched`` says why when the query held."""
    hits = query.explain(doc)
    if hits:
        reason = describe_hits(hits)  # explain() once: the query is not evaluated again
    elif kind == "kill":
        reason = "the story you were alerted on was killed by its source"
    elif kind == "correction":
        reason = "a correction of the story you were alerted on"
    else:
        reason = "a later version of the story you were alerted on"
    return Alert(
        pipeline_version=pipeline_version,
        alert_id=alert_id(subscription.id, doc.article_id, kind),
        subscription_id=subscription.id,
        subscriber=subscription.subscriber,
        kind=kind,
        story_id=doc.story_id,
        article_id=doc.article_id,
        version=doc.version,
        headline=doc.headline,
        source_agency=source_agency,
        matched=[
            MatchedTerm(
                term=h.term,
                field=h.field,
                value=h.value,
                spans=[TextSpan(section=s.section, start=s.start, end=s.end) for s in h.spans],
            )
            for h in hits
        ],
        reason=reason,
        backfill=backfill,
        created_at=now,
    )


def backfill_alerts(
    subscription: Subscription,
    query: Query,
    records: Sequence[tuple[EnrichedArticle | KillNotice, Document]],
    *,
    now: datetime,
    pipeline_version: str,
) -> list[Alert]:
    """A new subscription's look back: one ``new`` alert (``backfill=true``) per story
    whose released copy matches, for the first matching version in order; none for a
    story killed (the kills are among ``records``)."""
    killed = {doc.story_id for record, doc in records if isinstance(record, KillNotice)}
    seen: set[str] = set()
    out: list[Alert] = []
    for record, doc in records:
        if not isinstance(record, EnrichedArticle) or doc.story_id in killed:
            continue
        if doc.story_id in seen or not query.matches(doc):
            continue
        seen.add(doc.story_id)
        out.append(
            make_alert(
                subscription,
                query,
                doc,
                "new",
                source_agency=record.article.source_agency,
                pipeline_version=pipeline_version,
                now=now,
                backfill=True,
            )
        )
    return out
