"""The worker's Prometheus metrics, and the small calls that record them.

Every metric lives in :data:`REGISTRY`, Wirestream's own registry rather than
the library's global one, so a test or a second app in one process can read
exactly what the pipeline recorded. Agents record with one call each
(:func:`batch_started`, :func:`records_out`, :func:`dead_letter`,
:func:`alert_matched`, :func:`webhook_delivery`, :func:`resend`,
:func:`transaction_retried`); what is
read from Faust at scrape time (consumer lag, table sizes) comes from
functions the web module hands to :func:`watch_lag` and :func:`watch_tables`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Literal, get_args

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

#: What Prometheus is told the /metrics body is.
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

REGISTRY = CollectorRegistry(auto_describe=True)

RECORDS_IN = Counter(
    "wirestream_records_in",
    "Records a stage took off its input topic (before decoding).",
    ["stage"],
    registry=REGISTRY,
)
RECORDS_OUT = Counter(
    "wirestream_records_out",
    "Records a stage finished without error, ready for its output topic.",
    ["stage"],
    registry=REGISTRY,
)
DEAD_LETTERS = Counter(
    "wirestream_dead_letters",
    "Records a stage sent to the dead-letter topic, by error code.",
    ["stage", "code"],
    registry=REGISTRY,
)
# A batch of 16 articles through NER takes from tens of milliseconds to
# seconds; parsing one large XML wire about a second.
STAGE_SECONDS = Histogram(
    "wirestream_stage_batch_seconds",
    "Wall time of one batch through a stage's process-pool call, queueing included.",
    ["stage"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0),
    registry=REGISTRY,
)
BATCH_SIZE = Histogram(
    "wirestream_batch_size",
    "Records per batch a stage took off its topic.",
    ["stage"],
    buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256),
    registry=REGISTRY,
)
ALERT_MATCHES = Counter(
    "wirestream_alert_matches",
    "Alerts the matcher produced, by kind (new, update, kill).",
    ["kind"],
    registry=REGISTRY,
)
#: What became of a webhook call. ``retried``: a call failed and will be made
#: again; ``failed``: the last retry failed and the alert was dead-lettered;
#: ``refused``: never called (an address the rules refuse, no secret set) and
#: dead-lettered without retries.
WebhookOutcome = Literal["delivered", "retried", "failed", "refused"]
WEBHOOK_OUTCOMES: tuple[WebhookOutcome, ...] = get_args(WebhookOutcome)
WEBHOOK_DELIVERIES = Counter(
    "wirestream_webhook_deliveries",
    "Webhook calls by outcome: delivered, retried, failed (gave up), refused (not called).",
    ["outcome"],
    registry=REGISTRY,
)
RESENDS = Counter(
    "wirestream_resends",
    "Wires that arrived again inside the dedupe window: counted, not processed.",
    ["stage"],
    registry=REGISTRY,
)
TRANSACTION_RETRIES = Counter(
    "wirestream_transaction_retries",
    "Kafka transactions a stage aborted and ran again.",
    ["stage"],
    registry=REGISTRY,
)
POOL_QUEUE = Gauge(
    "wirestream_pool_queue_depth",
    "Batches handed to the process pool and not finished yet (running or waiting).",
    registry=REGISTRY,
)

LagSource = Callable[[], Iterable[tuple[str, int, int]]]
"""Yields (topic, partition, records not yet consumed) for the assigned partitions."""
SizeSource = Callable[[], Iterable[tuple[str, int]]]
"""Yields (table name, entries held by this worker)."""


class _Watched(Collector):
    """Gauges read at scrape time from whatever the worker registered."""

    def __init__(self) -> None:
        self.lag: LagSource | None = None
        self.tables: SizeSource | None = None

    def collect(self) -> Iterator[GaugeMetricFamily]:
        lag = GaugeMetricFamily(
            "wirestream_consumer_lag",
            "Records on an assigned partition this worker has not consumed yet.",
            labels=["topic", "partition"],
        )
        if self.lag is not None:
            for topic, partition, behind in self.lag():
                lag.add_metric([topic, str(partition)], float(behind))
        yield lag
        sizes = GaugeMetricFamily(
            "wirestream_table_entries",
            "Entries of a table held in this worker's local store.",
            labels=["table"],
        )
        if self.tables is not None:
            for name, size in self.tables():
                sizes.add_metric([name], float(size))
        yield sizes

    def describe(self) -> Iterator[GaugeMetricFamily]:
        # Described without reading the sources, which may need a running worker.
        yield GaugeMetricFamily("wirestream_consumer_lag", "", labels=["topic", "partition"])
        yield GaugeMetricFamily("wirestream_table_entries", "", labels=["table"])


_WATCHED = _Watched()
REGISTRY.register(_WATCHED)


def watch_lag(source: LagSource | None) -> None:
    """Report consumer lag from ``source`` on every scrape (None: stop)."""
    _WATCHED.lag = source


def watch_tables(source: SizeSource | None) -> None:
    """Report table sizes from ``source`` on every scrape (None: stop)."""
    _WATCHED.tables = source


def batch_started(stage: str, size: int) -> None:
    """A stage took ``size`` records off its topic as one batch."""
    RECORDS_IN.labels(stage).inc(size)
    BATCH_SIZE.labels(stage).observe(size)


def records_out(stage: str, count: int) -> None:
    """``count`` records came through ``stage`` without error."""
    if count:
        RECORDS_OUT.labels(stage).inc(count)


def dead_letter(stage: str, code: str) -> None:
    """One record of ``stage`` was dead-lettered with error ``code``."""
    DEAD_LETTERS.labels(stage, code).inc()


def alert_matched(kind: str) -> None:
    """The matcher produced one alert of ``kind`` (new, update, kill)."""
    ALERT_MATCHES.labels(kind).inc()


def webhook_delivery(outcome: WebhookOutcome) -> None:
    """One webhook call ended with ``outcome``, one of :data:`WEBHOOK_OUTCOMES`."""
    if outcome not in WEBHOOK_OUTCOMES:
        raise ValueError(f"webhook outcome {outcome!r} is not one of {WEBHOOK_OUTCOMES}")
    WEBHOOK_DELIVERIES.labels(outcome).inc()


def resend(stage: str) -> None:
    """A wire arrived again inside the dedupe window; ``stage`` counted it and let it be."""
    RESENDS.labels(stage).inc()


def transaction_retried(stage: str) -> None:
    """``stage`` aborted a Kafka transaction and is running it again."""
    TRANSACTION_RETRIES.labels(stage).inc()


@contextmanager
def pool_call(stage: str) -> Iterator[None]:
    """Time one pool call of ``stage`` and count it as queued while it runs."""
    POOL_QUEUE.inc()
    start = time.perf_counter()
    try:
        yield
    finally:
        STAGE_SECONDS.labels(stage).observe(time.perf_counter() - start)
        POOL_QUEUE.dec()


def exposition() -> bytes:
    """The registry in Prometheus' text format, as served on /metrics."""
    return generate_latest(REGISTRY)
