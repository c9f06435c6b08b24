"""`wirestream eval ner` (placeholder until implemented)."""

from __future__ import annotations

from streams.cli.common import fail


def ner() -> None:
    """Not implemented yet."""
    fail("eval ner is not implemented yet")
