"""Root of Wirestream's error hierarchy.

Every error carries a stable code (``W`` and three digits) that appears in
dead-letter envelopes and CLI messages, so operators can search for it.
Codes by package: W1xx parse, W2xx nlp, W3xx classify, W4xx kafka/broker,
W5xx ingest, W9xx anything else.

This module is the registry's one shared part: the root class and the codes
that belong to no error class. Each package keeps its own classes (and codes)
in its ``errors`` module; ``tests/test_errors.py`` walks every module of the
project and fails when two classes, or a class and a constant here, share a
code.
"""

from __future__ import annotations

#: A record on a topic that does not match its schema (dead letters).
CODE_BAD_RECORD = "W901"

#: A bug, not a bad input: an exception no stage meant to raise. Dead letters,
#: the process pool and ``wirestream parse`` report it under this one code.
CODE_UNEXPECTED = "W999"

#: Codes that belong to no error class, with what they mean.
SHARED_CODES: dict[str, str] = {
    CODE_BAD_RECORD: "record does not match its schema",
    CODE_UNEXPECTED: "unexpected exception (a bug)",
}


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
