"""Errors of the table state (W95x)."""

from __future__ import annotations

from streams.errors import WirestreamError


class StateError(WirestreamError):
    """A table's local store cannot be used."""

    code = "W950"


class StoreUnavailable(StateError):
    """The on-disk store could not be opened (another process holds it, or the disk failed)."""

    code = "W951"
