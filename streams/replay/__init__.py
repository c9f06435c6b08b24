"""Replays: re-enrich or copy a time window of a topic, exactly once, without alerting anyone.

Pure parts (window parsing, filters, checkpoints, :func:`should_release`)
are in :mod:`~streams.replay.window` and :mod:`~streams.replay.plan`; the
stages in :mod:`~streams.replay.enrich`; Kafka I/O in
:mod:`~streams.replay.runner` and :mod:`~streams.replay.service`.
"""

from streams.replay.enrich import Reenricher, Source
from streams.replay.errors import (
    ReplayError,
    ReplayFinishedError,
    UnknownReplayError,
    UnknownTopicError,
    WindowError,
)
from streams.replay.plan import (
    Filters,
    Mode,
    RateLimiter,
    advance,
    describe,
    is_backfill,
    latest_states,
    new_replay_id,
    remaining,
    should_release,
    summary,
)
from streams.replay.runner import (
    check_topics,
    ensure_replays_topic,
    group_id,
    read_states,
    window_offsets,
)
from streams.replay.service import (
    REPLAY_HEADER,
    ReplayRequest,
    execute,
    find_replay,
    list_replays,
    plan_replay,
)
from streams.replay.window import Window, parse_time, parse_window

__all__ = [
    "REPLAY_HEADER",
    "Filters",
    "Mode",
    "RateLimiter",
    "Reenricher",
    "ReplayError",
    "ReplayFinishedError",
    "ReplayRequest",
    "Source",
    "UnknownReplayError",
    "UnknownTopicError",
    "Window",
    "WindowError",
    "advance",
    "check_topics",
    "describe",
    "ensure_replays_topic",
    "execute",
    "find_replay",
    "group_id",
    "is_backfill",
    "latest_states",
    "list_replays",
    "new_replay_id",
    "parse_time",
    "parse_window",
    "plan_replay",
    "read_states",
    "remaining",
    "should_release",
    "summary",
    "window_offsets",
]
