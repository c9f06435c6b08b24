"""The newsroom console: a web page over the stream, the subscriptions and the dead letters.

``streams.app`` adds it to the worker's web server with
:func:`register_console`; the page lives at ``/console/``. Pure views in
:mod:`~streams.console.views` and :mod:`~streams.console.health`, the
in-memory state in :mod:`~streams.console.feed`, Kafka reading in
:mod:`~streams.console.readers`, routes in :mod:`~streams.console.web`.
"""

from streams.console.errors import ConsoleError
from streams.console.feed import Event, Hub, StoryBuffer
from streams.console.web import PREFIX, Console, register_console, routes

__all__ = [
    "PREFIX",
    "Console",
    "ConsoleError",
    "Event",
    "Hub",
    "StoryBuffer",
    "register_console",
    "routes",
]
