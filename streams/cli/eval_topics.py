"""`wirestream eval topics` (placeholder until implemented)."""

from __future__ import annotations

from streams.cli.common import fail


def topics() -> None:
    """Not implemented yet."""
    fail("eval topics is not implemented yet")
