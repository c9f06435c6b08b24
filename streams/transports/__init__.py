"""Ways wires arrive besides ``wirestream ingest``: a watched drop folder, HTTP pushes.

Both end as :class:`~schemas.RawWire` records on ``wires.raw``, keyed by
wire id, and both let go of a wire only once Kafka acknowledged it.
"""

from streams.transports.errors import TransportError, WatcherLockedError, WatchFolderError

__all__ = ["TransportError", "WatchFolderError", "WatcherLockedError"]
