"""Errors of dead-letter handling (codes W710-W719)."""

from __future__ import annotations

from streams.errors import WirestreamError


class DeadLetterError(WirestreamError):
    """Dead letters could not be listed, shown or redriven."""

    code = "W710"


class UnknownDeadLetterError(DeadLetterError):
    """A dead-letter id that is malformed or names no record of the dead-letter topic."""

    code = "W711"


class RedriveError(DeadLetterError):
    """A dead letter that cannot be sent back (its stage's input topic is gone ...)."""

    code = "W712"
