"""Rendering of the local broker's configuration; no Java, Maven or broker needed."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path

import pytest

from streams.kafka import KafkaSetupError, LocalBroker, parse_bootstrap
from streams.kafka.local import java_major_version, tail
from streams.settings import Settings

REPO = Path(__file__).resolve().parents[2]
POM_NS = {"m": "http://maven.apache.org/POM/4.0.0"}


def parse_properties(text: str) -> dict[str, str]:
    pairs = (
        line.split("=", 1)
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    )
    return {key.strip(): value.strip() for key, value in pairs}


def test_server_properties_use_configured_ports_and_dirs(
    make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    broker = LocalBroker(make_settings(broker_port=29192, controller_port=29193, partitions=4))

    text = broker.render_server_properties()
    props = parse_properties(text)

    assert "{{" not in text
    assert props["process.roles"] == "broker,controller"
    assert props["controller.quorum.voters"] == "1@127.0.0.1:29193"
    assert props["listeners"] == "PLAINTEXT://127.0.0.1:29192,CONTROLLER://127.0.0.1:29193"
    assert props["advertised.listeners"] == "PLAINTEXT://127.0.0.1:29192"
    assert props["log.dirs"] == str(tmp_path / "broker" / "data")
    assert props["auto.create.topics.enable"] == "false"
    assert props["offsets.topic.replication.factor"] == "1"
    assert props["transaction.state.log.replication.factor"] == "1"
    assert props["transaction.state.log.min.isr"] == "1"
    assert props["num.partitions"] == "4"
    assert broker.bootstrap == "127.0.0.1:29192"


def test_log4j_config_writes_to_server_log(make_settings: Callable[..., Settings]) -> None:
    broker = LocalBroker(make_settings())

    text = broker.render_log4j_config()

    assert "{{" not in text
    assert f"fileName: {json.dumps(str(broker.log_path))}" in text
    assert broker.log_path == broker.broker_dir / "logs" / "server.log"


def test_write_config_creates_the_layout(make_settings: Callable[..., Settings]) -> None:
    broker = LocalBroker(make_settings())

    broker.write_config()

    assert broker.server_properties_path.read_text() == broker.render_server_properties()
    assert broker.log4j_config_path.read_text() == broker.render_log4j_config()
    assert broker.data_dir.is_dir()
    assert broker.logs_dir.is_dir()


def test_relative_broker_dir_is_relative_to_the_current_directory(
    make_settings: Callable[..., Settings], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    broker = LocalBroker(make_settings(broker_dir=Path("var/kafka")))

    monkeypatch.chdir(REPO)  # a later chdir must not move the broker

    assert broker.broker_dir == tmp_path / "var" / "kafka"
    assert broker.pid_path == tmp_path / "var" / "kafka" / "broker.pid"


def test_jars_are_cached_per_version_outside_the_broker_dir(
    make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    broker = LocalBroker(make_settings(kafka_version="4.2.0"))

    assert broker.kafka_version == "4.2.0"
    assert broker.libs_dir == tmp_path / "cache" / "kafka-4.2.0" / "libs"
    assert broker.kafka_jar.name == "kafka_2.13-4.2.0.jar"


def test_default_jar_cache_is_outside_the_repository() -> None:
    cache = Settings(_env_file=None).cache_dir
    assert not cache.absolute().is_relative_to(REPO)


def test_pom_default_version_matches_settings_and_is_overridable() -> None:
    pom = ET.fromstring(files("streams.kafka").joinpath("broker", "pom.xml").read_text())

    version = pom.find("m:properties/m:kafka.version", POM_NS)
    artifacts = {
        dep.findtext("m:artifactId", namespaces=POM_NS): dep.findtext(
            "m:version", namespaces=POM_NS
        )
        for dep in pom.findall("m:dependencies/m:dependency", POM_NS)
    }

    assert version is not None
    assert version.text == Settings.model_fields["kafka_version"].default
    assert artifacts["kafka_2.13"] == "${kafka.version}"
    assert "log4j-slf4j-impl" in artifacts


@pytest.mark.parametrize(
    ("output", "major"),
    [
        ('openjdk version "17.0.15" 2025-04-15', 17),
        ('openjdk version "21" 2023-09-19', 21),
        ('java version "1.8.0_392"', 8),
        ('openjdk version "11.0.22" 2024-01-16 LTS', 11),
        ("something else entirely", None),
    ],
)
def test_java_major_version(output: str, major: int | None) -> None:
    assert java_major_version(output) == major


@pytest.mark.parametrize(
    ("bootstrap", "addresses"),
    [
        ("127.0.0.1:19092", [("127.0.0.1", 19092)]),
        ("a:1, b:2", [("a", 1), ("b", 2)]),
        ("PLAINTEXT://kafka:29092", [("kafka", 29092)]),
        ("[::1]:9093", [("::1", 9093)]),
        ("broker", [("broker", 9092)]),
    ],
)
def test_parse_bootstrap(bootstrap: str, addresses: list[tuple[str, int]]) -> None:
    assert parse_bootstrap(bootstrap) == addresses


@pytest.mark.parametrize("bootstrap", ["", " , ", "host:port"])
def test_parse_bootstrap_rejects_garbage(bootstrap: str) -> None:
    with pytest.raises(KafkaSetupError):
        parse_bootstrap(bootstrap)


@pytest.mark.parametrize(
    ("bootstrap", "served"),
    [
        ("127.0.0.1:29192", True),
        ("localhost:29192", True),
        ("[::1]:29192", True),
        ("127.0.0.1:19092", False),
        ("kafka:29092", False),
        ("10.0.0.5:29192", False),
    ],
)
def test_serves_only_its_own_loopback_address(
    make_settings: Callable[..., Settings], bootstrap: str, served: bool
) -> None:
    assert LocalBroker(make_settings(broker_port=29192)).serves(bootstrap) is served


def test_tail_returns_last_lines(tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    log.write_text("".join(f"line {n}\n" for n in range(100_000)))

    assert tail(log, 3) == ["line 99997", "line 99998", "line 99999"]
    assert tail(tmp_path / "missing.log", 3) == []
    assert tail(log, 0) == []
