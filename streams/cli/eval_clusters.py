"""`wirestream eval clusters` (placeholder until implemented)."""

from __future__ import annotations

from streams.cli.common import fail


def clusters() -> None:
    """Not implemented yet."""
    fail("eval clusters is not implemented yet")
