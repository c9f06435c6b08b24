"""Errors of ingest (codes W5xx): inputs that never become a RawWire."""

from __future__ import annotations

from streams.errors import WirestreamError


class IngestError(WirestreamError):
    code = "W500"


class InputNotFoundError(IngestError):
    code = "W501"


class InputTooLargeError(IngestError):
    code = "W502"


class EmptyInputError(IngestError):
    code = "W503"


class InputUnreadableError(IngestError):
    code = "W504"


class DeliveryError(IngestError):
    """Kafka did not acknowledge the record."""

    code = "W505"
