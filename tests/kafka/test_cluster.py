"""The local cluster's layout and configuration, replication settings and the check's verdicts.

No Java, Maven or broker needed; the cluster on real brokers is tests/cluster_failover.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from streams.cli.broker import app as broker_cli
from streams.kafka import (
    KafkaSetupError,
    LocalBroker,
    LocalCluster,
    NodePorts,
    TopicReplication,
)
from streams.kafka.admin import replicated
from streams.settings import Settings, get_settings
from tests.kafka.conftest import free_port
from tests.kafka.test_config import parse_properties

runner = CliRunner()


def _three(make_settings: Callable[..., Settings]) -> LocalCluster:
    return LocalCluster(make_settings(broker_nodes=3, broker_port=29092, controller_port=29093))


def test_three_nodes_take_consecutive_port_pairs_and_a_directory_each(
    make_settings: Callable[..., Settings],
) -> None:
    cluster = _three(make_settings)

    assert [(p.node_id, p.broker_port, p.controller_port) for p in cluster.ports] == [
        (1, 29092, 29093),
        (2, 29094, 29095),
        (3, 29096, 29097),
    ]
    assert cluster.bootstrap == "127.0.0.1:29092,127.0.0.1:29094,127.0.0.1:29096"
    dirs = [broker.broker_dir for broker in cluster.brokers]
    assert [d.name for d in dirs] == ["node-1", "node-2", "node-3"]
    assert len({broker.data_dir for broker in cluster.brokers}) == 3


def test_every_node_votes_in_one_quorum_under_its_own_id_and_replicates_internal_topics(
    make_settings: Callable[..., Settings],
) -> None:
    cluster = _three(make_settings)

    props = [parse_properties(b.render_server_properties()) for b in cluster.brokers]

    voters = "1@127.0.0.1:29093,2@127.0.0.1:29095,3@127.0.0.1:29097"
    assert [p["node.id"] for p in props] == ["1", "2", "3"]
    assert {p["controller.quorum.voters"] for p in props} == {voters}
    assert [p["listeners"] for p in props][1] == (
        "PLAINTEXT://127.0.0.1:29094,CONTROLLER://127.0.0.1:29095"
    )
    for p in props:
        assert p["offsets.topic.replication.factor"] == "3"
        assert p["transaction.state.log.replication.factor"] == "3"
        assert p["transaction.state.log.min.isr"] == "2"
        assert p["default.replication.factor"] == "3"
        assert p["min.insync.replicas"] == "2"
    assert len({b.node.cluster_id for b in cluster.brokers if b.node}) == 1


def test_the_single_node_configuration_is_unchanged_by_the_cluster_code(
    make_settings: Callable[..., Settings],
) -> None:
    props = parse_properties(LocalBroker(make_settings()).render_server_properties())

    assert props["node.id"] == "1"
    assert props["offsets.topic.replication.factor"] == "1"
    assert "min.insync.replicas" not in props


def test_replication_is_capped_at_the_nodes_there_are(
    make_settings: Callable[..., Settings],
) -> None:
    cluster = LocalCluster(make_settings(replication_factor=3, min_insync_replicas=2), 2)

    props = parse_properties(cluster.brokers[0].render_server_properties())

    assert props["offsets.topic.replication.factor"] == "2"
    assert props["transaction.state.log.min.isr"] == "2"


def test_the_recorded_layout_is_what_later_commands_find(
    make_settings: Callable[..., Settings],
) -> None:
    settings = make_settings()
    ports = [NodePorts(i, free_port(), free_port()) for i in (1, 2, 3)]
    cluster = LocalCluster(settings, ports=ports)
    cluster.broker_dir.mkdir(parents=True)
    cluster.layout_path.write_text(
        json.dumps({"cluster_id": cluster.cluster_id, "nodes": [vars(p) for p in ports]})
    )

    found = LocalCluster.recorded(settings)

    assert found is not None
    assert found.ports == ports
    assert found.cluster_id == cluster.cluster_id
    assert LocalCluster.recorded(make_settings(broker_dir=settings.broker_dir / "x")) is None


def test_another_node_count_than_the_recorded_cluster_is_refused(
    make_settings: Callable[..., Settings],
) -> None:
    settings = make_settings()
    ports = [NodePorts(i, free_port(), free_port()) for i in (1, 2, 3)]
    cluster = LocalCluster(settings, ports=ports)
    cluster.broker_dir.mkdir(parents=True)
    cluster.layout_path.write_text(
        json.dumps({"cluster_id": cluster.cluster_id, "nodes": [vars(p) for p in ports]})
    )

    with pytest.raises(KafkaSetupError, match="holds a local cluster of 3 nodes, not 5"):
        LocalCluster(settings, 5)


def test_a_cluster_id_looks_like_kafkas_own() -> None:
    ids = {LocalCluster(Settings(_env_file=None, broker_dir=Path("/nonexistent"))).cluster_id}
    ids.add(LocalCluster(Settings(_env_file=None, broker_dir=Path("/nonexistent"))).cluster_id)

    assert len(ids) == 2
    assert all(len(i) == 22 and "=" not in i for i in ids)


# --- settings ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("nodes", "replicas", "min_isr"), [(1, 1, 1), (2, 2, 1), (3, 3, 2), (5, 3, 2)]
)
def test_replication_defaults_follow_the_number_of_brokers(
    nodes: int, replicas: int, min_isr: int
) -> None:
    settings = Settings(_env_file=None, broker_nodes=nodes)

    assert (settings.replication_factor, settings.min_insync_replicas) == (replicas, min_isr)


def test_replication_given_explicitly_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIRESTREAM_BROKER_NODES", "3")
    monkeypatch.setenv("WIRESTREAM_REPLICATION_FACTOR", "2")

    settings = Settings(_env_file=None)

    assert (settings.replication_factor, settings.min_insync_replicas) == (2, 1)


def test_more_in_sync_replicas_than_replicas_is_refused() -> None:
    with pytest.raises(ValidationError, match="min_insync_replicas=3 exceeds"):
        Settings(_env_file=None, replication_factor=2, min_insync_replicas=3)


def test_every_topic_is_created_with_the_min_insync_replicas_of_the_settings() -> None:
    settings = Settings(_env_file=None, broker_nodes=3)

    assert replicated({"cleanup.policy": "compact"}, settings) == {
        "cleanup.policy": "compact",
        "min.insync.replicas": "2",
    }


# --- the check's verdicts ---------------------------------------------------


def _topic(**fields: object) -> TopicReplication:
    values: dict[str, object] = {
        "topic": "wires.raw",
        "exists": True,
        "replicas": 3,
        "in_sync": 3,
        "min_insync": 2,
        "wanted_replicas": 3,
        "wanted_min_insync": 2,
    }
    values.update(fields)
    return TopicReplication(**values)  # type: ignore[arg-type]


def test_a_topic_replicated_as_asked_has_no_problems() -> None:
    assert _topic().problems == []


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"replicas": 1, "in_sync": 1}, "1 replicas, settings ask 3"),
        ({"min_insync": 1}, "min.insync.replicas 1, settings ask 2"),
        ({"in_sync": 2}, "only 2 of 3 replicas in sync"),
        ({"exists": False, "replicas": 0, "in_sync": 0}, "missing"),
    ],
)
def test_each_shortfall_is_named(fields: dict[str, object], problem: str) -> None:
    assert any(problem in found for found in _topic(**fields).problems)


# --- CLI --------------------------------------------------------------------


@pytest.fixture
def cli_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    port = free_port()
    monkeypatch.setenv("WIRESTREAM_BROKER_DIR", str(tmp_path / "broker"))
    monkeypatch.setenv("WIRESTREAM_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("WIRESTREAM_BROKER_PORT", str(port))
    monkeypatch.setenv("WIRESTREAM_CONTROLLER_PORT", str(free_port()))
    monkeypatch.setenv("WIRESTREAM_KAFKA_BOOTSTRAP", f"127.0.0.1:{port}")
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    yield tmp_path / "broker"
    get_settings.cache_clear()


def _record_cluster(broker_dir: Path) -> list[NodePorts]:
    ports = [NodePorts(i, free_port(), free_port()) for i in (1, 2, 3)]
    broker_dir.mkdir(parents=True)
    layout = {"cluster_id": "AAAAAAAAAAAAAAAAAAAAAA", "nodes": [vars(p) for p in ports]}
    (broker_dir / "cluster.json").write_text(json.dumps(layout))
    return ports


def test_status_of_a_recorded_cluster_names_every_node_and_exits_1_when_down(
    cli_settings: Path,
) -> None:
    ports = _record_cluster(cli_settings)

    result = runner.invoke(broker_cli, ["status"])

    assert result.exit_code == 1
    assert "0 of 3 nodes running" in result.stdout
    for p in ports:
        assert f"node {p.node_id}:" in result.stdout
        assert f"127.0.0.1:{p.broker_port}" in result.stdout


def test_stop_of_a_recorded_cluster_that_is_down_says_so(cli_settings: Path) -> None:
    _record_cluster(cli_settings)

    result = runner.invoke(broker_cli, ["stop", "--timeout", "1"])

    assert result.exit_code == 0
    assert "no node was running" in result.stdout


def test_logs_of_a_cluster_show_each_node_in_turn(cli_settings: Path) -> None:
    _record_cluster(cli_settings)
    log = cli_settings / "node-2" / "logs" / "server.log"
    log.parent.mkdir(parents=True)
    log.write_text("node two started\n")

    result = runner.invoke(broker_cli, ["logs", "-n", "5"])

    assert result.exit_code == 0
    assert result.stdout.index("==> node 1") < result.stdout.index("node two started")
    assert "==> node 3" in result.stdout
