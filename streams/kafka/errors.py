"""Errors of the Kafka layer (codes W400-W499).

The codes are stable: they are printed by the CLI and searched for by
operators, so a subclass keeps its code even if its message changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from streams.errors import WirestreamError

# Every error that stops the local broker from coming up ends with this, so
# nobody is stuck when Java or Maven cannot be installed on their machine.
ALTERNATIVES = (
    "Alternatives: point WIRESTREAM_KAFKA_BOOTSTRAP (or KAFKA_BOOTSTRAP) at an existing "
    "Kafka cluster, or run `docker compose up -d kafka` and use localhost:9092."
)


class KafkaSetupError(WirestreamError):
    """Kafka could not be provisioned, reached or prepared."""

    code = "W400"


class JavaMissingError(KafkaSetupError):
    """No usable Java runtime (17 or newer) for the local broker."""

    code = "W401"


class MavenMissingError(KafkaSetupError):
    """``mvn`` is needed to fetch the broker's jars and is not on PATH."""

    code = "W402"


class JarFetchError(KafkaSetupError):
    """Maven failed to resolve the broker's jars."""

    code = "W403"


class BrokerStartError(KafkaSetupError):
    """The local broker process exited or did not become ready in time."""

    code = "W404"


class BrokerUnreachableError(KafkaSetupError):
    """No Kafka cluster answers at the configured bootstrap address."""

    code = "W405"


class BrokerAuthenticationError(KafkaSetupError):
    """The cluster answers but refuses our login (SASL) or our TLS handshake fails."""

    code = "W407"


class TopicSetupError(KafkaSetupError):
    """A pipeline topic could not be created or checked."""

    code = "W406"


def with_tail(message: str, lines: Iterable[str], *, source: str | Path) -> str:
    """``message`` followed by the given output lines, indented, naming their source."""
    body = "\n".join(f"    {line.rstrip()}" for line in lines)
    if not body:
        return f"{message}\n  ({source} is empty)"
    return f"{message}\n  last lines of {source}:\n{body}"
