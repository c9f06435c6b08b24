"""Connection options and failure modes of the admin helpers; no broker needed."""

from __future__ import annotations

import ssl
import time
from collections.abc import Callable

import pytest
from pydantic import SecretStr

from streams.kafka import (
    BrokerUnreachableError,
    KafkaSetupError,
    TopicSetupError,
    client_kwargs,
    cluster_reachable,
    ensure_broker,
    ensure_topics,
    pipeline_topics,
)
from streams.kafka.admin import (
    _changelog_new_topics,
    _raise_for_topic_errors,
    changelog_topics,
)
from streams.settings import Settings
from streams.topology import TABLES
from tests.kafka.conftest import free_port

PASSWORD = "correct-horse-battery-staple"


def test_plaintext_needs_nothing_else(make_settings: Callable[..., Settings]) -> None:
    assert client_kwargs(make_settings()) == {"security_protocol": "PLAINTEXT"}


def test_sasl_ssl_maps_credentials_and_builds_an_ssl_context(
    make_settings: Callable[..., Settings],
) -> None:
    settings = make_settings(
        security_protocol="SASL_SSL",
        sasl_mechanism="SCRAM-SHA-512",
        sasl_username="wirestream",
        sasl_password=SecretStr(PASSWORD),
    )

    options = client_kwargs(settings)

    assert options["security_protocol"] == "SASL_SSL"
    assert options["sasl_mechanism"] == "SCRAM-SHA-512"
    assert options["sasl_plain_username"] == "wirestream"
    assert options["sasl_plain_password"] == PASSWORD
    assert isinstance(options["ssl_context"], ssl.SSLContext)
    for shown in (repr(options), str(options), f"{options}", repr(settings)):
        assert PASSWORD not in shown
    assert "wirestream" in repr(options)


def test_sasl_defaults_to_plain_mechanism(make_settings: Callable[..., Settings]) -> None:
    settings = make_settings(
        security_protocol="SASL_PLAINTEXT", sasl_username="u", sasl_password=SecretStr("p")
    )

    options = client_kwargs(settings)

    assert options["sasl_mechanism"] == "PLAIN"
    assert "ssl_context" not in options


def test_ssl_without_sasl_has_no_credentials(make_settings: Callable[..., Settings]) -> None:
    options = client_kwargs(make_settings(security_protocol="SSL"))

    assert isinstance(options["ssl_context"], ssl.SSLContext)
    assert not any(key.startswith("sasl_") for key in options)


def test_sasl_without_credentials_is_a_setup_error(
    make_settings: Callable[..., Settings],
) -> None:
    with pytest.raises(KafkaSetupError, match="WIRESTREAM_SASL_PASSWORD"):
        client_kwargs(make_settings(security_protocol="SASL_SSL", sasl_username="u"))


def test_pipeline_topics_carry_the_prefix(make_settings: Callable[..., Settings]) -> None:
    assert pipeline_topics(make_settings(topic_prefix="staging.")) == [
        "staging.wires.raw",
        "staging.wires.parsed",
        "staging.wires.parsed.urgent",
        "staging.wires.entities",
        "staging.wires.clustering",
        "staging.wires.enriched",
        "staging.wires.kills",
        "staging.wires.released",
        "staging.wires.dlq",
        "staging.alerts.subscriptions",
        "staging.alerts.matches",
        "staging.alerts.lookback",
        "staging.alerts.dlq",
    ]


def test_each_table_gets_a_compacted_changelog_partitioned_like_its_stream(
    make_settings: Callable[..., Settings],
) -> None:
    settings = make_settings(app_id="ws", topic_prefix="staging.", partitions=3)
    # wires.parsed exists with 5 partitions on this cluster, wires.enriched was not found.
    counts = {"staging.wires.parsed": 5}

    topics = {t.name: t for t in _changelog_new_topics(settings, counts)}

    assert changelog_topics(settings) == [f"ws-{table.name}-changelog" for table in TABLES]
    assert {"ws-story-versions-changelog", "ws-held-embargoes-changelog"} <= set(topics)
    assert topics["ws-story-versions-changelog"].num_partitions == 5
    assert topics["ws-held-embargoes-changelog"].num_partitions == 3
    assert all(
        t.topic_configs == {"cleanup.policy": "compact", "min.insync.replicas": "1"}
        for t in topics.values()
    )


def test_existing_topics_are_fine_other_errors_are_not() -> None:
    _raise_for_topic_errors([("wires.raw", 0, None), ("wires.dlq", 36, "already exists")])

    with pytest.raises(TopicSetupError) as raised:
        _raise_for_topic_errors(
            [("wires.raw", 36, None), ("wires.dlq", 38, "Replication factor: 3 larger than 1")]
        )

    assert raised.value.code == "W406"
    assert "wires.dlq" in raised.value.message
    assert "Replication factor: 3" in raised.value.message
    assert "wires.raw" not in raised.value.message


async def test_nothing_listening_is_unreachable_and_quick() -> None:
    started = time.monotonic()

    assert not await cluster_reachable(f"127.0.0.1:{free_port()}", timeout=5)
    assert time.monotonic() - started < 3


async def test_ensure_topics_without_a_cluster_is_unreachable(
    make_settings: Callable[..., Settings],
) -> None:
    settings = make_settings(kafka_bootstrap=f"127.0.0.1:{free_port()}")

    with pytest.raises(BrokerUnreachableError):
        await ensure_topics(settings, timeout=5)


async def test_ensure_broker_does_not_start_a_broker_for_another_address(
    make_settings: Callable[..., Settings],
) -> None:
    settings = make_settings(kafka_bootstrap=f"127.0.0.1:{free_port()}")

    with pytest.raises(BrokerUnreachableError) as raised:
        await ensure_broker(settings)

    assert raised.value.code == "W405"
    assert "docker compose up -d kafka" in raised.value.message


async def test_ensure_broker_without_start_local_points_to_the_command(
    make_settings: Callable[..., Settings],
) -> None:
    port = free_port()
    settings = make_settings(kafka_bootstrap=f"127.0.0.1:{port}", broker_port=port)

    with pytest.raises(BrokerUnreachableError, match="wirestream broker start"):
        await ensure_broker(settings, start_local=False)
