"""Kafka for Wirestream: a self-provisioned local broker, connection options, topics.

``await ensure_broker(settings)`` is the entry point for anything that needs a
cluster: it uses ``settings.kafka_bootstrap`` when something answers there and
otherwise starts the local KRaft broker (``broker_nodes`` of them), if that is the address.
"""

from __future__ import annotations

import asyncio

from streams.kafka.admin import (
    ClientKwargs,
    TopicReplication,
    client_kwargs,
    cluster_reachable,
    ensure_topics,
    parse_bootstrap,
    pipeline_topics,
    topic_cleanup_policy,
    topic_partitions,
    topic_replication,
    topic_retention,
)
from streams.kafka.errors import (
    ALTERNATIVES,
    BrokerAuthenticationError,
    BrokerStartError,
    BrokerUnreachableError,
    JarFetchError,
    JavaMissingError,
    KafkaSetupError,
    MavenMissingError,
    TopicSetupError,
)
from streams.kafka.local import (
    BrokerStatus,
    LocalBroker,
    LocalCluster,
    NodePorts,
    SaslSslListener,
    free_port,
)
from streams.settings import Settings

__all__ = [
    "BrokerAuthenticationError",
    "BrokerStartError",
    "BrokerStatus",
    "BrokerUnreachableError",
    "ClientKwargs",
    "JarFetchError",
    "JavaMissingError",
    "KafkaSetupError",
    "LocalBroker",
    "LocalCluster",
    "MavenMissingError",
    "NodePorts",
    "SaslSslListener",
    "TopicReplication",
    "TopicSetupError",
    "client_kwargs",
    "cluster_reachable",
    "ensure_broker",
    "ensure_topics",
    "free_port",
    "parse_bootstrap",
    "pipeline_topics",
    "topic_cleanup_policy",
    "topic_partitions",
    "topic_replication",
    "topic_retention",
]


async def ensure_broker(
    settings: Settings, *, start_local: bool = True, timeout: float = 60
) -> str:
    """A reachable bootstrap address for ``settings``, starting the local broker if needed.

    Raises :class:`BrokerUnreachableError` when nothing answers and the local
    broker cannot stand in (another address, or ``start_local=False``), and
    the :class:`KafkaSetupError` subclasses of :meth:`LocalBroker.start`.
    """
    bootstrap = settings.kafka_bootstrap
    if await cluster_reachable(bootstrap, options=client_kwargs(settings)):
        return bootstrap
    broker = LocalBroker(settings)
    if settings.security_protocol != "PLAINTEXT":
        raise BrokerUnreachableError(
            f"no Kafka cluster answers at {bootstrap} ({settings.security_protocol}); the "
            f"local broker speaks PLAINTEXT only, so it cannot stand in. {ALTERNATIVES}"
        )
    if not broker.serves(bootstrap):
        raise BrokerUnreachableError(
            f"no Kafka cluster answers at {bootstrap}. The local broker only stands in for "
            f"its own address, {broker.bootstrap} (port: WIRESTREAM_BROKER_PORT). {ALTERNATIVES}"
        )
    if not start_local:
        raise BrokerUnreachableError(
            f"no Kafka broker answers at {bootstrap}; start the local one with "
            f"`wirestream broker start`. {ALTERNATIVES}"
        )
    # start() blocks for seconds (JVM start-up); keep the event loop free.
    if settings.broker_nodes > 1:
        await asyncio.to_thread(LocalCluster(settings).start, timeout=timeout)
    else:
        await asyncio.to_thread(broker.start, timeout=timeout)
    return bootstrap
