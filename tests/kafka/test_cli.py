"""``wirestream broker ...`` without a broker: exit codes and error format."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from streams.cli.broker import app
from streams.settings import get_settings
from tests.kafka.conftest import free_port

runner = CliRunner()


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    port = free_port()
    monkeypatch.setenv("WIRESTREAM_BROKER_DIR", str(tmp_path / "broker"))
    monkeypatch.setenv("WIRESTREAM_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("WIRESTREAM_BROKER_PORT", str(port))
    monkeypatch.setenv("WIRESTREAM_CONTROLLER_PORT", str(free_port()))
    monkeypatch.setenv("WIRESTREAM_KAFKA_BOOTSTRAP", f"127.0.0.1:{port}")
    monkeypatch.chdir(tmp_path)  # away from any .env in the checkout
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_status_exits_1_when_not_running() -> None:
    result = runner.invoke(app, ["status"])

    assert result.exit_code == 1
    assert "not running" in result.stdout


def test_setup_errors_are_one_line_with_code_and_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)

    result = runner.invoke(app, ["start", "--timeout", "5"])

    assert result.exit_code == 2
    assert result.stderr.startswith("error: [W401] ")
    assert "Traceback" not in result.output


def test_topics_without_a_cluster_is_a_clear_error() -> None:
    result = runner.invoke(app, ["topics", "--timeout", "5"])

    assert result.exit_code == 2
    assert result.stderr.startswith("error: [W405] ")


def test_stop_and_logs_without_a_broker() -> None:
    assert runner.invoke(app, ["stop"]).exit_code == 0
    logs = runner.invoke(app, ["logs", "--lines", "5"])
    assert logs.exit_code == 1
    assert "no broker log" in logs.stderr


@pytest.mark.parametrize(
    ("command", "option"),
    [
        ("fetch", "--verbose"),
        ("start", "--timeout"),
        ("stop", "--timeout"),
        ("topics", "--timeout"),
        ("logs", "--lines"),
    ],
)
def test_every_option_is_documented(command: str, option: str) -> None:
    result = runner.invoke(app, [command, "--help"])

    assert result.exit_code == 0
    line = next(line for line in result.stdout.splitlines() if option in line)
    assert len(line.split(option, 1)[1].strip()) > 10
