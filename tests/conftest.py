"""Shared fixtures. The broker fixture is session-wide: one real Kafka for all
integration tests, started here when no cluster answers."""

from __future__ import annotations

import asyncio
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from streams.settings import Settings

pytest_plugins = ["tests.agents.fixtures"]

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "wires"


def _free_port() -> int:
    # The broker the tests start takes whatever ports are free, so a
    # developer's demo broker and a second test run never collide with it.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _base_settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def kafka_settings(
    tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config
) -> Iterator[Settings]:
    """Settings pointing at a real, reachable Kafka, with topic names unique to this run.

    Uses the configured cluster when one is configured (WIRESTREAM_KAFKA_BOOTSTRAP
    or KAFKA_BOOTSTRAP); otherwise starts an embedded broker of its own on test
    ports, leaving a developer's demo broker alone. In CI a broker that cannot
    be had fails the run; on a developer machine without Java the integration
    tests are skipped.
    """
    from streams.errors import WirestreamError
    from streams.kafka import LocalBroker, cluster_reachable

    base = _base_settings()
    run = uuid.uuid4().hex[:8]
    overrides = {
        "topic_prefix": f"test-{run}.",
        "app_id": f"wirestream-test-{run}",
        "data_dir": tmp_path_factory.mktemp("worker"),
    }
    broker: LocalBroker | None = None
    configured = base.kafka_bootstrap != Settings.model_fields["kafka_bootstrap"].default
    if configured:
        if not asyncio.run(cluster_reachable(base.kafka_bootstrap)):
            message = f"the configured Kafka cluster {base.kafka_bootstrap} does not answer"
            if base.ci:
                pytest.fail(f"CI: {message}", pytrace=False)
            pytest.skip(message)
        cfg = base.model_copy(update=overrides)
    else:
        broker_port, controller_port = _free_port(), _free_port()
        cfg = base.model_copy(
            update={
                **overrides,
                "kafka_bootstrap": f"127.0.0.1:{broker_port}",
                "broker_port": broker_port,
                "controller_port": controller_port,
                "broker_dir": tmp_path_factory.mktemp("kafka"),
            }
        )
        broker = LocalBroker(cfg)
        try:
            broker.start(timeout=120)
        except WirestreamError as exc:
            if cfg.ci:
                pytest.fail(f"CI: the Kafka broker did not start: {exc}", pytrace=False)
            pytest.skip(f"no Kafka broker: {exc}")
    status = LocalBroker(cfg).status() if broker else None
    # Said on the terminal, not captured: the CI log must show which real
    # broker the integration tests ran against.
    reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
    capture = pytestconfig.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(
                f"\n[wirestream] Kafka at {cfg.kafka_bootstrap}: "
                + (
                    f"local Apache Kafka {status.kafka_version} (pid {status.pid})"
                    if status
                    else "existing cluster"
                )
                + f"; topic prefix {cfg.topic_prefix!r}"
            )
    try:
        yield cfg
    finally:
        if broker is not None:
            broker.stop()


@pytest.fixture(scope="session")
def kafka_bootstrap(kafka_settings: Settings) -> str:
    return kafka_settings.kafka_bootstrap
