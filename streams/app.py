"""The Faust application and the topics it reads and writes.

Agents live in :mod:`streams.agents`, one module per stage; they import
``app`` and the topic handles from here. Every topic carries raw bytes:
agents decode the pydantic records themselves so that a record that does not
decode becomes a dead letter instead of an error Faust would log and skip.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import faust
from faust.transport import drivers as faust_transports
from faust.transport.drivers import aiokafka as faust_aiokafka

from streams.outbox import Outbox
from streams.pool import StagePool
from streams.settings import Settings, get_settings
from streams.state import Table
from streams.topology import (
    CLUSTERING,
    DLQ,
    ENRICHED,
    ENTITIES,
    KILLS,
    PARSED,
    RAW,
    RELEASED,
    TableSpec,
    TopicSpec,
)
from streams.transactions import create_backend


def broker_credentials(settings: Settings) -> Any:
    """Faust credentials for the configured security protocol (None = PLAINTEXT)."""
    password = settings.sasl_password.get_secret_value() if settings.sasl_password else None
    ssl_context = None
    if settings.security_protocol in ("SSL", "SASL_SSL"):
        from aiokafka.helpers import create_ssl_context

        ssl_context = create_ssl_context(
            cafile=str(settings.ssl_cafile) if settings.ssl_cafile else None,
            certfile=str(settings.ssl_certfile) if settings.ssl_certfile else None,
            keyfile=str(settings.ssl_keyfile) if settings.ssl_keyfile else None,
            password=(
                settings.ssl_key_password.get_secret_value() if settings.ssl_key_password else None
            ),
        )
    if settings.security_protocol.startswith("SASL"):
        return faust.SASLCredentials(
            username=settings.sasl_username,
            password=password,
            mechanism=settings.sasl_mechanism or "PLAIN",
            ssl_context=ssl_context,
        )
    if ssl_context is not None:
        return faust.SSLCredentials(ssl_context)
    return None


class _IdempotentProducer(faust_aiokafka.Producer):
    # Faust asks for idempotence only inside transactions; outside them a
    # send retried after a broker failover could write a record twice.
    def _settings_extra(self) -> Any:
        return {**super()._settings_extra(), "acks": "all", "enable_idempotence": True}


class _CommittedConsumerThread(faust_aiokafka.AIOKafkaConsumerThread):
    # Faust reads committed records only when its own transactions are on;
    # ours are (streams.outbox), so every stage must skip aborted output.
    def _create_worker_consumer(self, transport: Any) -> Any:
        consumer = super()._create_worker_consumer(transport)
        if settings.processing_guarantee == "exactly_once":
            consumer._isolation_level = "read_committed"
        # Faust asks the broker to hold an empty fetch for 1.5 s; a shorter
        # hold lets a record committed meanwhile reach its stage sooner.
        consumer._fetch_max_wait_ms = settings.fetch_max_wait_ms
        # Faust's own assignor gives partition p of every co-subscribed topic of
        # one size to one worker (Faust keeps it for apps with tables, and ours
        # are not Faust's), so a stage reading two topics (release, alerts)
        # owns partition p of both or of neither: one owner per transactional id.
        self._assignor = self.app.assignor
        consumer._partition_assignment_strategy = [self._assignor]
        return consumer


class _StageConsumer(faust_aiokafka.Consumer):
    def _new_consumer_thread(self) -> faust_aiokafka.AIOKafkaConsumerThread:
        return _CommittedConsumerThread(self, loop=self.loop, beacon=self.beacon)

    async def _commit(self, offsets: Mapping[Any, int]) -> bool:
        # The stage checkpoints are the truth; the group's offsets only say
        # where to start reading again, so they never pass a checkpoint.
        capped = outbox.safe_offsets({(tp.topic, tp.partition): o for tp, o in offsets.items()})
        safe = {
            tp: capped[(tp.topic, tp.partition)]
            for tp in offsets
            if (tp.topic, tp.partition) in capped
        }
        if not safe:
            return False
        return bool(await super()._commit(safe))


class _IdempotentTransport(faust_aiokafka.Transport):
    Producer = _IdempotentProducer
    Consumer = _StageConsumer


# Faust picks the transport by the broker URL's scheme.
faust_transports.TRANSPORTS.aliases["wirestream-kafka"] = (
    f"{__name__}:{_IdempotentTransport.__name__}"
)


def create_app(settings: Settings) -> faust.App:
    return faust.App(
        settings.app_id,
        broker=[f"wirestream-kafka://{host}" for host in settings.kafka_bootstrap.split(",")],
        broker_credentials=broker_credentials(settings),
        datadir=str(settings.data_dir),
        # Topics are created by `wirestream broker topics` / the worker start-up
        # with partition counts from the settings; the cluster has
        # auto-creation off, so Faust must not try on its own.
        topic_allow_declare=False,
        topic_disable_leader=True,
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication_factor,
        producer_acks=-1,
        web_enabled=settings.web_enabled,
        web_port=settings.web_port,
        consumer_auto_offset_reset="earliest",
        broker_session_timeout=settings.session_timeout,
        # Three heartbeats per session, as Kafka advises.
        broker_heartbeat_interval=settings.session_timeout / 3,
    )


log = logging.getLogger(__name__)

settings = get_settings()
app = create_app(settings)


async def _send(topic: str, key: bytes | None, value: bytes | None, partition: int | None) -> None:
    await app.producer.send_and_wait(topic, key, value, partition, None, None)


#: Every stage's output, table changes and offsets go through here (exactly once by default).
outbox = Outbox(create_backend(settings, send=_send))


def state_table(spec: TableSpec) -> Table:
    """The local state of a table, on RocksDB under the data directory unless set otherwise."""
    return Table(
        spec.name,
        changelog=spec.changelog(settings.app_id),
        directory=settings.data_dir / "tables",
        store=settings.state_store,
    )


@app.on_partitions_revoked.connect
async def _revoked(sender: Any, /, *args: Any, signal: Any, **kwargs: Any) -> None:
    revoked = args[0] if args else kwargs.get("revoked", ())
    outbox.revoke((tp.topic, tp.partition) for tp in revoked)


def _owned() -> set[tuple[str, int]]:
    try:
        return {(tp.topic, tp.partition) for tp in app.consumer.assignment()}
    except Exception:  # no consumer yet
        return set()


@app.on_partitions_assigned.connect
async def _assigned(sender: Any, /, *args: Any, signal: Any, **kwargs: Any) -> None:
    outbox.assign(_owned())
    # Fencing, checkpoints and table restores run in the background, so the
    # rebalance completes; a stage's first transaction waits for its own.
    app.loop.create_task(_prepare())


async def _prepare() -> None:
    try:
        await outbox.release_unowned()
        await outbox.prepare_owned()
    except Exception as exc:  # retried by each stage's first transaction
        log.warning("preparing the stages' partitions failed: %r", exc)


def topic_handle(*specs: TopicSpec) -> Any:
    """The app's handle on one topic, or on several read as one stream; values stay raw bytes."""
    return app.topic(
        *(settings.topic(spec.name) for spec in specs),
        key_serializer="raw",
        value_serializer="raw",
        partitions=settings.partitions,
    )


raw_topic = topic_handle(RAW)
parsed_topic = topic_handle(PARSED)
entities_topic = topic_handle(ENTITIES)
clustering_topic = topic_handle(CLUSTERING)
enriched_topic = topic_handle(ENRICHED)
kills_topic = topic_handle(KILLS)
released_topic = topic_handle(RELEASED)
dlq_topic = topic_handle(DLQ)

#: Every CPU-bound stage runs here, never on the event loop.
stage_pool = StagePool(
    models=settings.nlp_models, ner=settings.nlp_ner, processes=settings.nlp_processes
)


@app.on_before_shutdown.connect
async def _close_pool(sender: Any, /, *args: Any, signal: Any, **kwargs: Any) -> None:
    stage_pool.close()
    await outbox.close()


# POST /wires on the worker's web server (when WIRESTREAM_WEB_ENABLED).
from streams.transports.http import register_ingest_endpoint  # noqa: E402

register_ingest_endpoint(app, settings=settings, topic=raw_topic)

# /metrics, /healthz and /readyz on the same web server.
from streams.observe import register_observability  # noqa: E402

register_observability(
    app, pool=stage_pool, tables=outbox.table_sizes, tables_ready=outbox.all_prepared
)

# /subscriptions (alert subscriptions) on the same web server.
from streams.transports.subscriptions_http import register_subscriptions_endpoint  # noqa: E402

register_subscriptions_endpoint(app, settings=settings)

# The newsroom console at /console/ on the same web server.
from streams.console import register_console  # noqa: E402

register_console(app, settings=settings)
