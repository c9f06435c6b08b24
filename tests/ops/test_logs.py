"""Log lines: one per event, text or JSON, secrets masked everywhere they could show."""

from __future__ import annotations

import json
import logging

import pytest
from typer.testing import CliRunner

from schemas import DeadLetter
from streams import logs
from streams.errors import WirestreamError
from streams.settings import Settings

PASSWORD = "sasl-pass-7f3a"
TOKEN = "ingest-token-9c1e"


def _settings() -> Settings:
    return Settings(
        _env_file=None,
        security_protocol="SASL_SSL",
        sasl_username="wirestream",
        sasl_password=PASSWORD,
        ingest_token=TOKEN,
        ssl_key_password="abc",  # too short to mask safely
    )


def _record(message: str, *args: object, exc: BaseException | None = None) -> logging.LogRecord:
    exc_info = (type(exc), exc, exc.__traceback__) if exc is not None else None
    return logging.LogRecord("streams.test", logging.ERROR, __file__, 1, message, args, exc_info)


def _failure() -> BaseException:
    try:
        raise RuntimeError(f"login failed for wirestream:{PASSWORD}\nretrying")
    except RuntimeError as exc:
        return exc


def test_every_secret_setting_is_collected_longest_first_and_short_ones_left_alone() -> None:
    assert logs.secrets_of(_settings()) == [TOKEN, PASSWORD]


def test_a_text_event_with_a_traceback_is_one_line_with_the_secret_masked() -> None:
    formatter = logs.TextFormatter(logs.secrets_of(_settings()))

    line = formatter.format(_record("connecting with %s", TOKEN, exc=_failure()))

    assert "\n" not in line
    assert "ERROR streams.test: connecting with **********" in line
    assert "Traceback (most recent call last):\\n" in line
    assert PASSWORD not in line and TOKEN not in line


def test_a_json_event_is_one_object_with_the_traceback_as_a_field_and_secrets_masked() -> None:
    formatter = logs.JsonFormatter(logs.secrets_of(_settings()))

    line = formatter.format(_record("token %s", TOKEN, exc=_failure()))

    assert "\n" not in line
    event = json.loads(line)
    assert event["level"] == "ERROR"
    assert event["logger"] == "streams.test"
    assert event["message"] == "token **********"
    assert event["time"].endswith("Z")
    assert "RuntimeError: login failed for wirestream:**********" in event["exc_info"]
    assert PASSWORD not in line


def test_configure_sends_json_events_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    root = logging.getLogger()
    saved = (root.level, root.handlers[:])
    try:
        logs.configure("json", "info", _settings())
        logging.getLogger("streams.x").info("password is %s", PASSWORD)
        logging.getLogger("streams.x").debug("not at info level")
        for handler in root.handlers:
            handler.flush()
    finally:
        root.setLevel(saved[0])
        root.handlers[:] = saved[1]
    err = capsys.readouterr().err
    assert [json.loads(line)["message"] for line in err.splitlines()] == ["password is **********"]


def test_an_unknown_log_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown log format 'xml'"):
        logs.logging_config("xml", "info", _settings())  # type: ignore[arg-type]


def test_the_worker_refuses_an_unknown_log_format_before_doing_anything() -> None:
    from streams.cli.main import app

    result = CliRunner().invoke(app, ["worker", "--log-format", "xml"])

    assert result.exit_code == 2
    assert "not a log format" in result.output


@pytest.mark.parametrize("command", [["worker"], ["status"], ["ingest"], []])
def test_help_never_shows_a_configured_secret(
    command: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from streams.cli.main import app
    from streams.settings import get_settings

    monkeypatch.setenv("WIRESTREAM_SASL_PASSWORD", PASSWORD)
    monkeypatch.setenv("WIRESTREAM_INGEST_TOKEN", TOKEN)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, [*command, "--help"])
    finally:
        get_settings.cache_clear()

    assert result.exit_code == 0
    assert PASSWORD not in result.output and TOKEN not in result.output


async def test_a_dead_letter_never_carries_a_configured_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from streams import app as app_module
    from streams.agents.deadletter import dead_letter
    from streams.outbox import Stage, Tx

    monkeypatch.setattr(app_module, "settings", _settings())
    tx = Tx(Stage("parse", frozenset({"wires.raw"})), 0, {})

    class _Msg:
        topic, partition, offset, key, value = "wires.raw", 0, 3, b"k", b"v"

    class _Event:
        message = _Msg()

    dead_letter(
        tx,
        _Event(),  # type: ignore[arg-type]
        stage="parse",
        exc=WirestreamError(f"fetch http://u:{TOKEN}@host failed"),
        pipeline_version="test",
    )

    [(topic, _key, value)] = tx.sends
    assert topic.endswith("wires.dlq")
    letter = DeadLetter.model_validate_json(value)
    assert letter.message == "fetch http://u:**********@host failed"
