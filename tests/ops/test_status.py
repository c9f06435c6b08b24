"""`wirestream status`: the pieces it computes, its output, and a cluster that does not answer."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from schemas import DeadLetter
from streams.cli.main import app
from streams.cli.status import (
    BrokerInfo,
    DeadLetterCounts,
    GroupInfo,
    MemberInfo,
    StatusReport,
    TableInfo,
    TopicInfo,
    count_dead_letters,
    render,
    retention_text,
    security_text,
)
from streams.settings import Settings, get_settings

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _letter(code: str, failed_at: datetime) -> bytes:
    return DeadLetter(
        pipeline_version="test",
        stage="parse",
        error_code=code,
        error_type="ParseError",
        message="cannot parse",
        source_topic="wires.raw",
        source_partition=0,
        source_offset=1,
        source_key=None,
        original=b"x",
        failed_at=failed_at,
    ).to_json()


def test_dead_letters_are_counted_by_code_in_total_and_within_the_last_hour() -> None:
    values = [
        _letter("W101", NOW - timedelta(minutes=5)),
        _letter("W101", NOW - timedelta(hours=3)),
        _letter("W999", NOW - timedelta(minutes=59)),
        b"not a dead letter",
    ]

    counts = count_dead_letters(values, now=NOW)

    assert counts.total == {"W101": 2, "W999": 1, "unreadable": 1}
    assert counts.last_hour == {"W101": 1, "W999": 1}


@pytest.mark.parametrize(
    ("ms", "text"),
    [("604800000", "7d"), ("-1", "forever"), ("3600000", "1h"), ("1500", "1500ms"), (None, None)],
)
def test_retention_is_shown_in_the_largest_whole_unit(ms: str | None, text: str | None) -> None:
    assert retention_text(ms) == text


def _secured() -> Settings:
    return Settings(
        _env_file=None,
        security_protocol="SASL_SSL",
        sasl_mechanism="SCRAM-SHA-512",
        sasl_username="wirestream",
        sasl_password="s3cret-do-not-print",
    )


def test_the_rendered_status_names_the_user_but_never_the_password() -> None:
    cfg = _secured()
    report = StatusReport(
        broker=BrokerInfo(
            bootstrap="kafka:9093",
            cluster_id="abc",
            controller_id=1,
            brokers=["1@kafka:9093"],
            protocol="Produce v13, Fetch v18 (75 APIs)",
            release=None,
            security=security_text(cfg),
        ),
        topics=[
            TopicInfo("wires.raw", True, 3, "7d", "delete", 10),
            TopicInfo("wires.dlq", False),
        ],
        groups=[GroupInfo("wirestream", "Stable", [MemberInfo("faust", "10.0.0.2", 9)], {"a": 4})],
        dead_letters=DeadLetterCounts(total={"W101": 2}, last_hour={}),
        tables=[TableInfo("story-versions", "wirestream-story-versions-changelog", 3, "wires.x")],
    )

    text = render(report, cfg)

    assert "SASL_SSL SCRAM-SHA-512 as wirestream" in text
    assert "s3cret" not in text
    assert "wires.dlq" in text and "missing" in text
    assert "last hour: none" in text and "total:     W101 2" in text
    assert "Stable, 1 member(s)" in text


@pytest.fixture()
def nothing_listening(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    bootstrap = f"127.0.0.1:{port}"
    monkeypatch.setenv("WIRESTREAM_KAFKA_BOOTSTRAP", bootstrap)
    get_settings.cache_clear()
    yield bootstrap
    get_settings.cache_clear()


def test_status_says_the_cluster_does_not_answer_and_exits_non_zero(
    nothing_listening: str,
) -> None:
    result = CliRunner().invoke(app, ["status", "--timeout", "5"])

    assert result.exit_code == 2
    assert f"no Kafka cluster answers at {nothing_listening}" in result.output
    assert "Traceback" not in result.output
