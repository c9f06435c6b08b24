"""Errors of the transports (codes W51x, within ingest's W5xx): how wires arrive."""

from __future__ import annotations

from streams.ingest.errors import IngestError


class TransportError(IngestError):
    code = "W510"


class WatchFolderError(TransportError):
    """The drop folder is missing, not a folder, or its state cannot be written."""

    code = "W511"


class WatcherLockedError(TransportError):
    """Another watcher already owns the drop folder."""

    code = "W512"


__all__ = ["TransportError", "WatchFolderError", "WatcherLockedError"]
