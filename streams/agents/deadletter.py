"""Dead-letter envelopes: which stage failed, why, and the original bytes."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from faust.types import EventT
from pydantic import ValidationError

from schemas import DeadLetter
from streams import observe
from streams.errors import CODE_BAD_RECORD, CODE_UNEXPECTED, WirestreamError
from streams.logs import redact, secrets_of
from streams.outbox import Tx
from streams.topology import DLQ

log = logging.getLogger(__name__)


def error_code(exc: BaseException) -> str:
    if isinstance(exc, WirestreamError):
        return exc.code
    if isinstance(exc, ValidationError | ValueError | UnicodeDecodeError):
        return CODE_BAD_RECORD
    return CODE_UNEXPECTED


def error_message(exc: BaseException) -> str:
    if isinstance(exc, WirestreamError):
        return exc.message
    if isinstance(exc, ValidationError):
        errors = exc.errors()
        if not errors:
            return f"record does not match its schema: {exc}"
        where = ".".join(str(p) for p in errors[0]["loc"]) or "record"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        return f"record does not match its schema: {where}: {errors[0]['msg']}{more}"
    return str(exc) or exc.__class__.__name__


def envelope(
    *,
    stage: str,
    exc: BaseException,
    topic: str,
    partition: int,
    offset: int,
    key: bytes | None,
    value: bytes,
    pipeline_version: str,
    now: datetime | None = None,
) -> DeadLetter:
    return DeadLetter(
        pipeline_version=pipeline_version,
        stage=stage,
        error_code=error_code(exc),
        error_type=type(exc).__name__,
        message=error_message(exc),
        source_topic=topic,
        source_partition=partition,
        source_offset=offset,
        source_key=key,
        original=value,
        failed_at=now or datetime.now(UTC),
    )


def dead_letter(
    tx: Tx, event: EventT[Any], *, stage: str, exc: BaseException, pipeline_version: str
) -> DeadLetter:
    """Put the envelope for ``event`` in ``tx``: it goes out with the rest of the batch, once."""
    from streams.app import settings  # late: keeps this module importable without an app

    msg = event.message
    letter = envelope(
        stage=stage,
        exc=exc,
        topic=msg.topic,
        partition=msg.partition,
        offset=msg.offset,
        key=msg.key if isinstance(msg.key, bytes) else None,
        value=msg.value if isinstance(msg.value, bytes) else bytes(str(msg.value), "utf-8"),
        pipeline_version=pipeline_version,
    )
    # An exception's text can quote a connection string or token; mask any configured secret.
    letter = letter.model_copy(update={"message": redact(letter.message, secrets_of(settings))})
    log.warning(
        "%s stage: %s at %s[%d]@%d -> dead letter",
        stage,
        letter.message,
        msg.topic,
        msg.partition,
        msg.offset,
    )
    tx.send(settings.topic(DLQ.name), key=letter.source_key, value=letter.to_json())
    observe.dead_letter(stage, letter.error_code)
    return letter
