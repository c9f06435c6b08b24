"""Root of Wirestream's error hierarchy.

Every error carries a stable code (``W`` and three digits) that appears in
dead-letter envelopes and CLI messages, so operators can search for it.
Codes by package: W1xx parse, W2xx nlp, W3xx classify, W4xx kafka/broker,
W5xx ingest, W9xx anything else.
"""

from __future__ import annotations


class WirestreamError(Exception):
    """Base class for every error Wirestream raises on purpose."""

    code: str = "W900"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else self.__class__.__name__

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"
