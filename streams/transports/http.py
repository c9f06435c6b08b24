"""``POST /wires`` on the worker's web server: wires pushed over HTTP onto ``wires.raw``.

    curl -H "Authorization: Bearer $TOKEN" --data-binary @story.xml \\
         "http://worker:6066/wires?format=newsml-g2"

The body is the wire's bytes, exactly as a file would hold them. The answer
is ``202 {"key": wire_id, "topic": ..., "partition": ..., "offset": ...}``
and it is sent only after Kafka acknowledged the record, so a sender that got
a 202 may forget the wire; on any other answer it should send it again (the
key is the content hash, so a repeat is recognisable downstream).

Refusals, checked in this order, each with a JSON ``{"error": ...}``:
405 not a POST, 503 no ``WIRESTREAM_INGEST_TOKEN`` configured (the endpoint
is closed until one is), 401 missing or wrong bearer token, 413 over
``WIRESTREAM_MAX_WIRE_BYTES`` (by Content-Length, or while reading), 400
unknown ``?format=`` hint or empty body, 503 Kafka did not acknowledge.

The checks are pure functions (:func:`check_request`, :func:`check_body`);
the view only reads the request, calls them and sends.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from pydantic import SecretStr

from schemas import RawWire
from streams.ingest import wire_id
from streams.parse import UnknownFormatError, format_for_hint
from streams.settings import Settings

log = logging.getLogger(__name__)

PATH = "/wires"
SOURCE = "http"
_BEARER = "bearer"
#: How long the view waits for Kafka's acknowledgement before answering 503.
ACK_TIMEOUT = 30.0


@dataclass(frozen=True)
class Refusal:
    """Why a request is not accepted: its HTTP status and a message for the sender."""

    status: int
    error: str
    headers: dict[str, str] = field(default_factory=dict)


def check_request(
    *,
    method: str,
    authorization: str | None,
    token: SecretStr | None,
    content_length: str | None,
    format_hint: str | None,
    max_bytes: int,
) -> Refusal | None:
    """Everything that can be refused before the body is read; None = go on."""
    if method.upper() != "POST":
        return Refusal(
            405,
            f"{method.upper()} is not allowed: POST the wire's bytes to {PATH}",
            {"Allow": "POST"},
        )
    if token is None or not token.get_secret_value():
        return Refusal(
            503,
            "this worker accepts no wires over HTTP: no ingest token is configured "
            "(set WIRESTREAM_INGEST_TOKEN on the worker)",
        )
    if not token_matches(authorization, token):
        return Refusal(
            401,
            "missing or wrong token: send the header 'Authorization: Bearer <token>'",
            {"WWW-Authenticate": 'Bearer realm="wirestream"'},
        )
    if content_length is not None and content_length.strip():
        try:
            declared = int(content_length)
        except ValueError:
            return Refusal(400, f"Content-Length {content_length!r} is not a number")
        if declared > max_bytes:
            return _too_large(declared, max_bytes)
    try:
        format_for_hint(format_hint)
    except UnknownFormatError as exc:
        return Refusal(400, exc.message)
    return None


def check_body(body: bytes, *, max_bytes: int) -> Refusal | None:
    """The body as read (at most ``max_bytes + 1`` bytes of it); None = send it."""
    if len(body) > max_bytes:
        return _too_large(None, max_bytes)
    if not body.strip():
        return Refusal(400, "the body is empty: POST the wire's bytes")
    return None


def token_matches(authorization: str | None, token: SecretStr) -> bool:
    """Whether the Authorization header carries exactly ``token`` (compared in constant time)."""
    if not authorization:
        return False
    scheme, _, given = authorization.strip().partition(" ")
    if scheme.casefold() != _BEARER or not given.strip():
        return False
    return hmac.compare_digest(given.strip().encode(), token.get_secret_value().encode())


def to_raw_wire(body: bytes, *, format_hint: str | None, now: datetime) -> RawWire:
    hint = format_hint.strip() if format_hint and format_hint.strip() else None
    return RawWire(
        wire_id=wire_id(body),
        content=body,
        source=SOURCE,
        format_hint=hint,
        received_at=now,
    )


class _Readable(Protocol):
    async def read(self, n: int = -1) -> bytes: ...


async def read_limited(stream: _Readable, max_bytes: int) -> bytes:
    """The body, but never more than ``max_bytes + 1`` bytes of it (enough to refuse it)."""
    chunks: list[bytes] = []
    size = 0
    while size <= max_bytes:
        chunk = await stream.read(max_bytes + 1 - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _too_large(size: int | None, max_bytes: int) -> Refusal:
    what = f"{size:,} bytes" if size is not None else "the body"
    return Refusal(413, f"wire too large: {what} is over the {max_bytes:,} byte limit")


async def send_wire(topic: Any, raw: RawWire, *, timeout: float = ACK_TIMEOUT) -> Mapping[str, Any]:
    """Send through the worker's producer and wait for Kafka's acknowledgement."""
    pending = await topic.send(key=raw.wire_id.encode(), value=raw.to_json())
    # Shielded: giving up on the wait must not cancel Faust's own pending message.
    meta = await asyncio.wait_for(asyncio.shield(pending), timeout)
    return {
        "key": raw.wire_id,
        "topic": meta.topic,
        "partition": meta.partition,
        "offset": meta.offset,
    }


def register_ingest_endpoint(app: Any, *, settings: Settings, topic: Any) -> Any:
    """Add ``POST /wires`` to the Faust app's web server; returns the view class."""
    from faust.web import View  # late: the rest of this module is plain functions

    def refuse(view: Any, refusal: Refusal) -> Any:
        return view.error(refusal.status, refusal.error, headers=dict(refusal.headers) or None)

    class WireIngest(View):
        """Accept one wire (the body) for wires.raw."""

        async def post(self, request: Any) -> Any:
            refusal = check_request(
                method=request.method,
                authorization=request.headers.get("Authorization"),
                token=settings.ingest_token,
                content_length=request.headers.get("Content-Length"),
                format_hint=request.query.get("format"),
                max_bytes=settings.max_wire_bytes,
            )
            if refusal is None:
                body = await read_limited(request.content, settings.max_wire_bytes)
                refusal = check_body(body, max_bytes=settings.max_wire_bytes)
            if refusal is not None:
                log.info("POST %s refused: %d %s", PATH, refusal.status, refusal.error)
                return refuse(self, refusal)
            raw = to_raw_wire(body, format_hint=request.query.get("format"), now=datetime.now(UTC))
            try:
                answer = await send_wire(topic, raw)
            except Exception as exc:  # any failure to get the ack: the sender must retry
                log.warning(
                    "POST %s: wire %s not acknowledged by Kafka: %r", PATH, raw.wire_id, exc
                )
                return refuse(
                    self,
                    Refusal(503, f"Kafka did not acknowledge the wire ({exc!r}); send it again"),
                )
            log.info(
                "POST %s: wire %s (%d bytes) -> %s[%d]@%d",
                PATH,
                raw.wire_id,
                len(body),
                answer["topic"],
                answer["partition"],
                answer["offset"],
            )
            return self.json(dict(answer), status=202)

        async def get(self, request: Any) -> Any:
            refusal = check_request(
                method=request.method,
                authorization=None,
                token=None,
                content_length=None,
                format_hint=None,
                max_bytes=settings.max_wire_bytes,
            )
            assert refusal is not None
            return refuse(self, refusal)

    return app.page(PATH, name="wires")(WireIngest)
