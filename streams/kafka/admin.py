"""Talking to a Kafka cluster: connection options, reachability, pipeline topics.

:func:`client_kwargs` is the one translation of Wirestream's security settings
into aiokafka keyword arguments; producers, consumers and admin clients
elsewhere should all be built with it so they agree on how to connect.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections.abc import AsyncIterator, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress
from dataclasses import dataclass
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.conn import create_conn
from aiokafka.errors import (
    AuthenticationFailedError,
    KafkaConnectionError,
    KafkaError,
    SaslAuthenticationFailed,
    TopicAlreadyExistsError,
    UnsupportedSaslMechanismError,
    for_code,
)
from aiokafka.helpers import create_ssl_context

from streams.kafka.errors import (
    BrokerAuthenticationError,
    BrokerUnreachableError,
    KafkaSetupError,
    TopicSetupError,
)
from streams.settings import Settings
from streams.topology import ALL, TABLES, topic_configs

log = logging.getLogger(__name__)

DEFAULT_KAFKA_PORT = 9092
_SECRET_KEYS = frozenset({"sasl_plain_password"})
_NO_ERROR = 0


class ClientKwargs(dict[str, Any]):
    """Keyword arguments for aiokafka clients whose repr hides secrets.

    aiokafka needs the SASL password as a plain string, so it is in here; the
    repr masks it because these dicts end up in debug logs and tracebacks.
    """

    def __repr__(self) -> str:
        shown = {key: "**********" if key in _SECRET_KEYS else value for key, value in self.items()}
        return f"{type(self).__name__}({shown!r})"


def client_kwargs(settings: Settings) -> ClientKwargs:
    """aiokafka ``security_protocol``/``sasl_*``/``ssl_context`` arguments for ``settings``."""
    protocol = settings.security_protocol
    options = ClientKwargs(security_protocol=protocol)
    if protocol.startswith("SASL_"):
        if settings.sasl_username is None or settings.sasl_password is None:
            raise KafkaSetupError(
                f"security_protocol={protocol} needs WIRESTREAM_SASL_USERNAME and "
                "WIRESTREAM_SASL_PASSWORD"
            )
        options["sasl_mechanism"] = settings.sasl_mechanism or "PLAIN"
        options["sasl_plain_username"] = settings.sasl_username
        options["sasl_plain_password"] = settings.sasl_password.get_secret_value()
    if protocol in ("SSL", "SASL_SSL"):
        key_password = settings.ssl_key_password
        options["ssl_context"] = create_ssl_context(
            cafile=settings.ssl_cafile,
            certfile=settings.ssl_certfile,
            keyfile=settings.ssl_keyfile,
            password=key_password.get_secret_value() if key_password is not None else None,
        )
    return options


def parse_bootstrap(bootstrap: str) -> list[tuple[str, int]]:
    """``host:port`` pairs of a bootstrap string (``a:9092,[::1]:9093,PLAINTEXT://b``)."""
    addresses: list[tuple[str, int]] = []
    for raw in bootstrap.split(","):
        item = raw.strip()
        if not item:
            continue
        item = item.rpartition("://")[2]
        if item.startswith("["):  # [IPv6]:port
            host, _, rest = item[1:].partition("]")
            port_text = rest.removeprefix(":")
        elif item.count(":") == 1:
            host, _, port_text = item.partition(":")
        else:  # bare host name or bare IPv6 address
            host, port_text = item, ""
        try:
            port = int(port_text) if port_text else DEFAULT_KAFKA_PORT
        except ValueError:
            raise KafkaSetupError(f"bad port in Kafka bootstrap address {raw.strip()!r}") from None
        addresses.append((host, port))
    if not addresses:
        raise KafkaSetupError("the Kafka bootstrap address is empty")
    return addresses


async def port_open(host: str, port: int, *, timeout: float = 1.0) -> bool:
    """Whether something accepts TCP connections at ``host:port``."""
    try:
        _, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    except (OSError, TimeoutError):
        return False
    writer.close()
    with suppress(OSError):
        await writer.wait_closed()
    return True


@asynccontextmanager
async def admin_client(
    bootstrap: str, options: Mapping[str, Any] | None = None, *, timeout: float = 30
) -> AsyncIterator[Any]:
    """A started ``AIOKafkaAdminClient``, closed on exit."""
    admin = AIOKafkaAdminClient(
        bootstrap_servers=bootstrap,
        request_timeout_ms=max(1, int(timeout * 1000)),
        **(options or {}),
    )
    try:
        await admin.start()
        yield admin
    finally:
        await admin.close()


def _settings_admin(settings: Settings, timeout: float) -> AbstractAsyncContextManager[Any]:
    return admin_client(settings.kafka_bootstrap, client_kwargs(settings), timeout=timeout)


async def cluster_reachable(
    bootstrap: str, *, timeout: float = 5, options: Mapping[str, Any] | None = None
) -> bool:
    """Whether a Kafka cluster answers a metadata request at ``bootstrap``.

    ``options`` are :func:`client_kwargs` for clusters that need TLS or SASL.
    """
    addresses = parse_bootstrap(bootstrap)
    # aiokafka logs an ERROR for every refused connection; a plain TCP probe
    # first keeps "nothing is running there" quiet and fast.
    probes = [port_open(host, port, timeout=min(timeout, 2.0)) for host, port in addresses]
    if not any(await asyncio.gather(*probes)):
        return False
    try:
        async with (
            asyncio.timeout(timeout),
            admin_client(bootstrap, options, timeout=timeout) as admin,
        ):
            cluster = await admin.describe_cluster()
    except (KafkaError, OSError, TimeoutError):
        if options and options.get("security_protocol", "PLAINTEXT") != "PLAINTEXT":
            refusal = await _login_refusal(addresses, options, timeout=timeout)
            if refusal is not None:
                raise BrokerAuthenticationError(refusal) from None
        return False
    return bool(cluster.get("brokers"))


async def _login_refusal(
    addresses: list[tuple[str, int]], options: Mapping[str, Any], *, timeout: float
) -> str | None:
    """Why the cluster refuses our login or TLS handshake, or None if that is not the problem.

    aiokafka's bootstrap reduces every failure to "Unable to bootstrap"; one
    direct connection tells a wrong password or CA apart from a cluster that
    is down, so an operator is not sent looking for the wrong fault.
    """
    user = options.get("sasl_plain_username")
    mechanism = options.get("sasl_mechanism")
    for host, port in addresses:
        try:
            async with asyncio.timeout(timeout):
                conn = await create_conn(
                    host, port, request_timeout_ms=int(timeout * 1000), **options
                )
        except (SaslAuthenticationFailed, AuthenticationFailedError) as exc:
            return (
                f"Kafka at {host}:{port} refused the login of user {user!r} ({mechanism}): "
                f"{exc}. Check WIRESTREAM_SASL_USERNAME, WIRESTREAM_SASL_PASSWORD and "
                "WIRESTREAM_SASL_MECHANISM"
            )
        except UnsupportedSaslMechanismError as exc:
            return f"Kafka at {host}:{port}: {exc}. Set WIRESTREAM_SASL_MECHANISM to one it enables"
        except ssl.SSLError as exc:
            return (
                f"the TLS handshake with Kafka at {host}:{port} failed: {exc}. Check "
                "WIRESTREAM_SSL_CAFILE (the CA that signed the broker's certificate) and that "
                "the address matches a name in that certificate"
            )
        except (KafkaError, OSError, TimeoutError):
            continue
        conn.close()
    return None


def pipeline_topics(settings: Settings) -> list[str]:
    """Full names of the pipeline topics, in pipeline order."""
    return [settings.topic(spec.name) for spec in ALL]


def changelog_topics(settings: Settings) -> list[str]:
    """Names of the Faust table changelog topics (named by app id, not topic prefix)."""
    return [table.changelog(settings.app_id) for table in TABLES]


def replicated(configs: Mapping[str, str], settings: Settings) -> dict[str, str]:
    """``configs`` plus the ``min.insync.replicas`` the settings ask for.

    Set per topic rather than left to the broker default, so a topic keeps
    its guarantee on a cluster whose brokers were configured by someone else.
    """
    return {**configs, "min.insync.replicas": str(settings.min_insync_replicas)}


def _changelog_new_topics(settings: Settings, counts: Mapping[str, int]) -> list[Any]:
    # A changelog needs exactly the partition count of the stream that updates
    # its table, or partition p of the table is not restored on the worker that
    # owns partition p of the stream; so take the count the source topic really
    # has, which may differ from the settings on an older cluster.
    return [
        NewTopic(
            table.changelog(settings.app_id),
            counts.get(settings.topic(table.source), settings.partitions),
            settings.replication_factor,
            topic_configs=replicated({"cleanup.policy": "compact"}, settings),
        )
        for table in TABLES
    ]


async def ensure_topics(settings: Settings, *, timeout: float = 30) -> list[str]:
    """Create every pipeline and table changelog topic that does not exist yet.

    Returns all their names, pipeline topics first. Returns only once every
    topic has a leader for each partition, so a worker started right
    afterwards finds them. Existing topics are left as they are (a different
    partition count is logged, not changed; nor is a retention). New topics get
    :func:`~streams.topology.topic_configs` (``wires.raw``: its retention).
    Changelog topics are compacted and get the partition count of the topic
    their table is co-partitioned with.
    """
    names = pipeline_topics(settings)
    wanted = [
        NewTopic(
            settings.topic(spec.name),
            settings.partitions,
            settings.replication_factor,
            topic_configs=replicated(topic_configs(spec, settings), settings),
        )
        for spec in ALL
    ]
    try:
        async with (
            asyncio.timeout(timeout),
            _settings_admin(settings, timeout) as admin,
        ):
            response = await admin.create_topics(wanted, timeout_ms=max(1, int(timeout * 1000)))
            _raise_for_topic_errors(response.topic_errors)
            counts = await _wait_for_leaders(admin, names)
            if TABLES:
                changelogs = _changelog_new_topics(settings, counts)
                response = await admin.create_topics(
                    changelogs, timeout_ms=max(1, int(timeout * 1000))
                )
                _raise_for_topic_errors(response.topic_errors)
                changelog_counts = await _wait_for_leaders(admin, changelog_topics(settings))
                for topic in changelogs:
                    if changelog_counts[topic.name] != topic.num_partitions:
                        log.warning(
                            "changelog %s has %d partitions, its stream %d; the table "
                            "cannot be restored correctly until they match",
                            topic.name,
                            changelog_counts[topic.name],
                            topic.num_partitions,
                        )
    except TimeoutError:
        raise TopicSetupError(
            f"timed out after {timeout:g}s creating topics at {settings.kafka_bootstrap}"
        ) from None
    except KafkaConnectionError as exc:
        options = client_kwargs(settings)
        if settings.security_protocol != "PLAINTEXT":
            addresses = parse_bootstrap(settings.kafka_bootstrap)
            refusal = await _login_refusal(addresses, options, timeout=min(timeout, 10))
            if refusal is not None:
                raise BrokerAuthenticationError(refusal) from None
        raise BrokerUnreachableError(
            f"cannot connect to Kafka at {settings.kafka_bootstrap}: {exc}"
        ) from exc
    except KafkaError as exc:
        raise TopicSetupError(f"creating topics at {settings.kafka_bootstrap}: {exc}") from exc
    for name, count in counts.items():
        if count != settings.partitions:
            log.warning(
                "topic %s exists with %d partitions, settings ask for %d; left unchanged",
                name,
                count,
                settings.partitions,
            )
    return names + changelog_topics(settings)


async def topic_partitions(
    settings: Settings, names: list[str] | None = None, *, timeout: float = 10
) -> dict[str, int]:
    """Partition count of each existing topic in ``names`` (default: the pipeline topics)."""
    wanted = names if names is not None else pipeline_topics(settings)
    try:
        async with (
            asyncio.timeout(timeout),
            _settings_admin(settings, timeout) as admin,
        ):
            described = await admin.describe_topics(wanted)
    except TimeoutError:
        raise BrokerUnreachableError(
            f"no answer from Kafka at {settings.kafka_bootstrap} within {timeout:g}s"
        ) from None
    except KafkaError as exc:
        raise BrokerUnreachableError(
            f"cannot describe topics at {settings.kafka_bootstrap}: {exc}"
        ) from exc
    return {
        str(topic["topic"]): len(topic["partitions"])
        for topic in described
        if topic["error_code"] == _NO_ERROR
    }


async def _topic_config(
    settings: Settings, names: list[str], key: str, *, timeout: float
) -> dict[str, str]:
    """The value of config ``key`` of each existing topic in ``names``."""
    resources = [ConfigResource(ConfigResourceType.TOPIC, name, None) for name in names]
    try:
        async with (
            asyncio.timeout(timeout),
            _settings_admin(settings, timeout) as admin,
        ):
            responses = await admin.describe_configs(resources)
    except (TimeoutError, KafkaError) as exc:
        raise BrokerUnreachableError(
            f"cannot describe topic configs at {settings.kafka_bootstrap}: {exc!r}"
        ) from None
    values: dict[str, str] = {}
    for response in responses:
        for error_code, _message, _type, name, entries, *_ in response.resources:
            if error_code != _NO_ERROR:
                continue
            for entry in entries:
                if entry[0] == key and entry[1] is not None:
                    values[str(name)] = str(entry[1])
    return values


async def topic_retention(
    settings: Settings, names: list[str], *, timeout: float = 10
) -> dict[str, int]:
    """``retention.ms`` of each existing topic in ``names`` (-1 = kept for ever)."""
    found = await _topic_config(settings, names, "retention.ms", timeout=timeout)
    return {name: int(value) for name, value in found.items()}


async def topic_cleanup_policy(
    settings: Settings, names: list[str], *, timeout: float = 10
) -> dict[str, str]:
    """``cleanup.policy`` of each existing topic in ``names`` (``delete``, ``compact``, both)."""
    return await _topic_config(settings, names, "cleanup.policy", timeout=timeout)


@dataclass(frozen=True)
class TopicReplication:
    """How one topic is replicated right now, beside what the settings ask."""

    topic: str
    exists: bool
    replicas: int
    """Fewest replicas any partition has (0: the topic does not exist)."""
    in_sync: int
    """Fewest in-sync replicas any partition has right now."""
    min_insync: int | None
    """The topic's ``min.insync.replicas`` (None: not readable)."""
    wanted_replicas: int
    wanted_min_insync: int

    @property
    def problems(self) -> list[str]:
        """What falls short, in words; empty when the topic is as the settings ask."""
        if not self.exists:
            return ["missing"]
        found: list[str] = []
        if self.replicas < self.wanted_replicas:
            found.append(f"{self.replicas} replicas, settings ask {self.wanted_replicas}")
        if self.min_insync is not None and self.min_insync < self.wanted_min_insync:
            found.append(
                f"min.insync.replicas {self.min_insync}, settings ask {self.wanted_min_insync}"
            )
        if self.in_sync < self.replicas:
            found.append(
                f"only {self.in_sync} of {self.replicas} replicas in sync (a broker down?)"
            )
        return found


async def topic_replication(
    settings: Settings, names: list[str] | None = None, *, timeout: float = 10
) -> list[TopicReplication]:
    """Replication of each topic in ``names`` (default: pipeline and changelog topics)."""
    wanted = names if names is not None else pipeline_topics(settings) + changelog_topics(settings)
    resources = [ConfigResource(ConfigResourceType.TOPIC, name, None) for name in wanted]
    failure: Exception | None = None
    try:
        async with (
            asyncio.timeout(timeout),
            _settings_admin(settings, timeout) as admin,
        ):
            attempts = 0
            while True:
                attempts += 1
                try:
                    described = await admin.describe_topics(wanted)
                    existing = [r for r in resources if _exists(described, r.name)]
                    responses = await admin.describe_configs(existing) if existing else []
                except KafkaError as exc:
                    # Right after a broker dies the metadata still names it,
                    # and a request sent its way fails; this check is most
                    # wanted exactly then, so ask again until the timeout.
                    failure = exc
                    await asyncio.sleep(0.5)
                    continue
                min_insync = _min_insync(responses)
                # Each broker learns of new topics from the metadata log on its
                # own time, so one that lags calls a fresh topic unknown.
                complete = len(existing) == len(wanted) == len(min_insync)
                if complete or attempts >= 5:
                    break
                await asyncio.sleep(0.5)
    except (TimeoutError, KafkaError) as exc:
        raise BrokerUnreachableError(
            f"cannot describe topics at {settings.kafka_bootstrap}: {failure or exc!r}"
        ) from None
    by_name = {str(topic["topic"]): topic for topic in described}
    report: list[TopicReplication] = []
    for name in wanted:
        topic = by_name.get(name)
        partitions = topic["partitions"] if topic and topic["error_code"] == _NO_ERROR else []
        report.append(
            TopicReplication(
                topic=name,
                exists=bool(partitions),
                replicas=min((len(p["replicas"]) for p in partitions), default=0),
                in_sync=min((len(p["isr"]) for p in partitions), default=0),
                min_insync=min_insync.get(name),
                wanted_replicas=settings.replication_factor,
                wanted_min_insync=settings.min_insync_replicas,
            )
        )
    return report


def _min_insync(responses: list[Any]) -> dict[str, int]:
    found: dict[str, int] = {}
    for response in responses:
        for error_code, _message, _type, name, entries, *_ in response.resources:
            if error_code != _NO_ERROR:
                continue
            for entry in entries:
                if entry[0] == "min.insync.replicas" and entry[1] is not None:
                    found[str(name)] = int(entry[1])
    return found


def _exists(described: list[dict[str, Any]], name: str) -> bool:
    return any(t["topic"] == name and t["error_code"] == _NO_ERROR for t in described)


def _raise_for_topic_errors(topic_errors: list[tuple[Any, ...]]) -> None:
    failures: list[str] = []
    for entry in topic_errors:
        # v0 responses have no error message, later ones do.
        topic, code = entry[0], entry[1]
        if code in (_NO_ERROR, TopicAlreadyExistsError.errno):
            continue
        detail = entry[2] if len(entry) > 2 and entry[2] else for_code(code).description
        failures.append(f"{topic}: {for_code(code).__name__} ({detail})")
    if failures:
        raise TopicSetupError("could not create topics: " + "; ".join(failures))


async def _wait_for_leaders(admin: Any, names: list[str]) -> dict[str, int]:
    # CreateTopics returns before leaders are elected; producing in that
    # window fails with NOT_LEADER errors, so callers are made to wait here.
    while True:
        described = await admin.describe_topics(names)
        ready = {
            str(topic["topic"]): len(topic["partitions"])
            for topic in described
            if topic["error_code"] == _NO_ERROR
            and topic["partitions"]
            and all(partition["leader"] >= 0 for partition in topic["partitions"])
        }
        if len(ready) == len(names):
            return ready
        await asyncio.sleep(0.1)
