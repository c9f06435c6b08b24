"""Logging for Wirestream's commands and workers: one line per event, secrets never shown.

Two formats: ``text`` for people (``time level logger: message``) and
``json`` for log shippers (one object per line). A traceback stays on its
event's line: in text its line breaks are written as ``\\n``, in JSON it is
the ``exc_info`` field. Every configured secret (each ``SecretStr`` setting:
SASL password, key password, ingest token, and any added later) is replaced
by ``**********`` in whatever would be written, message and traceback alike,
so a secret that leaks into an exception message from a library does not
reach the log either.
"""

from __future__ import annotations

import logging
import logging.config
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, Literal

import orjson
from pydantic import SecretStr

from streams.settings import Settings

LogFormat = Literal["text", "json"]
FORMATS: tuple[LogFormat, ...] = ("text", "json")
MASK = "**********"
# A secret this short would mask ordinary words and numbers all over the log.
_MIN_SECRET = 4


def secrets_of(settings: Settings) -> list[str]:
    """The values of every ``SecretStr`` setting that is set, longest first."""
    found: list[str] = []
    for name in type(settings).model_fields:
        value = getattr(settings, name)
        if isinstance(value, SecretStr):
            secret = value.get_secret_value()
            if len(secret) >= _MIN_SECRET:
                found.append(secret)
    # Longest first: a secret containing another is masked whole.
    return sorted(set(found), key=len, reverse=True)


def redact(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    return text


class _Redacting(logging.Formatter):
    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = list(secrets)

    def exception_text(self, record: logging.LogRecord) -> str | None:
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        text = record.exc_text
        if record.stack_info:
            text = f"{text}\n{self.formatStack(record.stack_info)}" if text else record.stack_info
        return text or None


class TextFormatter(_Redacting):
    """``2026-03-01T12:00:00.123Z INFO streams.agents.parse: message``, on one line."""

    def format(self, record: logging.LogRecord) -> str:
        line = f"{_timestamp(record)} {record.levelname} {record.name}: {record.getMessage()}"
        extra = self.exception_text(record)
        if extra:
            line = f"{line} | {extra}"
        return redact(line, self.secrets).replace("\r", "\\r").replace("\n", "\\n")


class JsonFormatter(_Redacting):
    """One JSON object per event: ``time level logger message`` and ``exc_info`` if any."""

    def format(self, record: logging.LogRecord) -> str:
        event: dict[str, Any] = {
            "time": _timestamp(record),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage(), self.secrets),
            "process": record.process,
        }
        extra = self.exception_text(record)
        if extra:
            event["exc_info"] = redact(extra, self.secrets)
        return orjson.dumps(event).decode()


def _timestamp(record: logging.LogRecord) -> str:
    moment = datetime.fromtimestamp(record.created, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def logging_config(fmt: LogFormat, level: str, settings: Settings) -> dict[str, Any]:
    """A :func:`logging.config.dictConfig` dictionary: one stderr handler, our formatter."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown log format {fmt!r}; choose one of {', '.join(FORMATS)}")
    formatter = JsonFormatter if fmt == "json" else TextFormatter
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "wirestream": {"()": formatter, "secrets": secrets_of(settings)},
        },
        "handlers": {
            "wirestream": {
                "class": "logging.StreamHandler",
                "formatter": "wirestream",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"level": level.upper(), "handlers": ["wirestream"]},
    }


def configure(fmt: LogFormat, level: str, settings: Settings) -> None:
    """Set the process's logging up (for commands that are not the Faust worker)."""
    logging.config.dictConfig(logging_config(fmt, level, settings))
