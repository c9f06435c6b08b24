"""Seeing a running worker: Prometheus metrics, health and readiness probes.

Agents record with one call each (:func:`batch_started`, :func:`records_out`,
:func:`pool_call`, :func:`dead_letter`, :func:`alert_matched`,
:func:`webhook_delivery`, :func:`resend`, :func:`transaction_retried`);
``streams.app`` adds the routes with :func:`register_observability`.
"""

from streams.observe.health import Readiness
from streams.observe.metrics import (
    CONTENT_TYPE,
    REGISTRY,
    WEBHOOK_OUTCOMES,
    WebhookOutcome,
    alert_matched,
    batch_started,
    dead_letter,
    exposition,
    pool_call,
    records_out,
    resend,
    transaction_retried,
    watch_lag,
    watch_tables,
    webhook_delivery,
)
from streams.observe.web import WorkerProbe, register_observability

__all__ = [
    "CONTENT_TYPE",
    "REGISTRY",
    "WEBHOOK_OUTCOMES",
    "Readiness",
    "WebhookOutcome",
    "WorkerProbe",
    "alert_matched",
    "batch_started",
    "dead_letter",
    "exposition",
    "pool_call",
    "records_out",
    "register_observability",
    "resend",
    "transaction_retried",
    "watch_lag",
    "watch_tables",
    "webhook_delivery",
]
