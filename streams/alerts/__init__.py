"""Alert subscriptions: the query language, the percolator and the once-per-story rules.

Pure code, no Kafka or Faust: the alerts agent (:mod:`streams.agents.alerts`),
the subscriptions HTTP API and the ``subscribe``/``match`` commands all call
these functions.
"""

from streams.alerts.document import VERSION_KINDS, Document, VersionKind, document, version_kind
from streams.alerts.errors import (
    AlertError,
    DeliveryError,
    QueryError,
    SignatureError,
    StaleSignatureError,
    SubscriptionError,
    WebhookAddressError,
)
from streams.alerts.percolator import Percolator, anchor
from streams.alerts.query import FIELDS, Hit, Query, Span, check, parse, terms
from streams.alerts.registry import Registry
from streams.alerts.story import (
    Decision,
    RateLimiter,
    StoryAlerts,
    decide,
    decide_lookback,
    expired,
)
from streams.alerts.subscriptions import (
    SubscriptionRequest,
    alert_id,
    backfill_alerts,
    is_subscription_id,
    make_alert,
    new_subscription,
    parse_duration,
)
from streams.alerts.vocabulary import EntityNames, Vocabulary, default_vocabulary
from streams.alerts.webhooks import (
    HEADER,
    backoff,
    check_webhook_url,
    sign,
    subscription_secret,
    verify,
)

__all__ = [
    "FIELDS",
    "HEADER",
    "VERSION_KINDS",
    "AlertError",
    "Decision",
    "DeliveryError",
    "Document",
    "EntityNames",
    "Hit",
    "Percolator",
    "Query",
    "QueryError",
    "RateLimiter",
    "Registry",
    "SignatureError",
    "Span",
    "StaleSignatureError",
    "StoryAlerts",
    "SubscriptionError",
    "SubscriptionRequest",
    "VersionKind",
    "Vocabulary",
    "WebhookAddressError",
    "alert_id",
    "anchor",
    "backfill_alerts",
    "backoff",
    "check",
    "check_webhook_url",
    "decide",
    "decide_lookback",
    "default_vocabulary",
    "document",
    "expired",
    "is_subscription_id",
    "make_alert",
    "new_subscription",
    "parse",
    "parse_duration",
    "sign",
    "subscription_secret",
    "terms",
    "verify",
    "version_kind",
]
