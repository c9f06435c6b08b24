"""The optional SASL_SSL listener of the local broker: its properties and SCRAM users."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.kafka import LocalBroker, SaslSslListener
from streams.settings import Settings


def _listener(**overrides: object) -> SaslSslListener:
    values: dict[str, object] = {
        "port": 29094,
        "keystore": Path("/tmp/certs/broker.p12"),
        "keystore_password": "store-pass",
        "users": (("alice", "alice-pass"), ("bob", "bob-pass")),
    }
    values.update(overrides)
    return SaslSslListener(**values)  # type: ignore[arg-type]


def _properties(text: str) -> dict[str, str]:
    """Like java.util.Properties: the last value of a key wins."""
    found: dict[str, str] = {}
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            found[key.strip()] = value.strip()
    return found


def _settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None, broker_port=29092, controller_port=29093, broker_dir=tmp_path / "k"
    )


def test_the_listener_joins_the_plaintext_one_and_its_keys_win(tmp_path: Path) -> None:
    props = _properties(
        LocalBroker(_settings(tmp_path), sasl_ssl=_listener()).render_server_properties()
    )

    assert props["listeners"] == (
        "PLAINTEXT://127.0.0.1:29092,CONTROLLER://127.0.0.1:29093,SASL_SSL://127.0.0.1:29094"
    )
    assert props["advertised.listeners"].endswith(",SASL_SSL://127.0.0.1:29094")
    assert "SASL_SSL:SASL_SSL" in props["listener.security.protocol.map"]
    assert props["inter.broker.listener.name"] == "PLAINTEXT"
    assert props["listener.name.sasl_ssl.sasl.enabled.mechanisms"] == "SCRAM-SHA-512"
    assert props["listener.name.sasl_ssl.ssl.keystore.location"] == "/tmp/certs/broker.p12"
    assert (
        "ScramLoginModule required;"
        in props["listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config"]
    )


def test_without_the_listener_the_properties_are_the_template_alone(tmp_path: Path) -> None:
    text = LocalBroker(_settings(tmp_path)).render_server_properties()

    assert "SASL_SSL" not in text
    assert _properties(text)["listeners"] == (
        "PLAINTEXT://127.0.0.1:29092,CONTROLLER://127.0.0.1:29093"
    )


def test_each_user_becomes_one_add_scram_argument() -> None:
    assert _listener().scram_arguments() == [
        "--add-scram",
        "SCRAM-SHA-512=[name=alice,password=alice-pass]",
        "--add-scram",
        "SCRAM-SHA-512=[name=bob,password=bob-pass]",
    ]


@pytest.mark.parametrize("password", ["a,b", "x]y", "p=q", "two words"])
def test_a_password_kafka_storage_cannot_parse_is_refused(password: str) -> None:
    with pytest.raises(ValueError, match="SCRAM user 'alice'"):
        _listener(users=(("alice", password),))
