"""Errors of replays (codes W700-W709).

Every one is raised before anything is read or written, so an operator's
mistake changes nothing.
"""

from __future__ import annotations

from streams.errors import WirestreamError


class ReplayError(WirestreamError):
    """A replay could not be started, resumed or run."""

    code = "W700"


class WindowError(ReplayError):
    """A time or window that cannot be read, has no zone, or ends before it starts."""

    code = "W701"


class UnknownTopicError(ReplayError):
    """A topic to read or write does not exist on the cluster."""

    code = "W702"


class UnknownReplayError(ReplayError):
    """``--resume`` names no replay that was ever started."""

    code = "W703"


class ReplayFinishedError(ReplayError):
    """``--resume`` names a replay that already finished."""

    code = "W704"
