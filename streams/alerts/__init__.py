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
from streams.alerts.vocabulary import EntityNames, Vocabulary, default_vocabulary

__all__ = [
    "FIELDS",
    "VERSION_KINDS",
    "AlertError",
    "DeliveryError",
    "Document",
    "EntityNames",
    "Hit",
    "Percolator",
    "Query",
    "QueryError",
    "SignatureError",
    "Span",
    "StaleSignatureError",
    "SubscriptionError",
    "VersionKind",
    "Vocabulary",
    "WebhookAddressError",
    "anchor",
    "check",
    "default_vocabulary",
    "document",
    "parse",
    "terms",
    "version_kind",
]
