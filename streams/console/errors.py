"""Errors of the newsroom console (codes W8xx)."""

from __future__ import annotations

from streams.errors import WirestreamError


class ConsoleError(WirestreamError):
    """Something the console was asked cannot be done."""

    code = "W800"
