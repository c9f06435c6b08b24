"""What the versions, kills and embargoes of a story mean downstream: the rules, as pure code.

The entities and release agents keep the state these functions read and
return (Faust tables keyed by story id); everything here is plain data in,
plain data out, with the clock passed in, so every rule is tested without
Kafka.

Versions (entities agent, table ``story-versions``)
    Every enriched record says which version of its story it replaces:
    ``supersedes`` is the ``article_id`` of the latest version seen before it
    whose version number is lower or the same (a re-sent or corrected version
    of the same number replaces the one seen before it). An *older* version
    that arrives after a newer one is still enriched and published on
    ``wires.enriched`` (no record is dropped), but says ``supersedes=None``,
    carries the signal ``out-of-order`` and leaves the table as it was: the
    newer version stays the latest. A redelivered record (same ``article_id``
    as the latest) gets the same ``supersedes`` as the first time, so a replay
    after a crash writes the same output.

Kills (parse agent)
    An article with ``pub_status='canceled'`` or the signal ``kill`` never
    goes to the NLP stages; a :class:`~schemas.KillNotice` goes to
    ``wires.kills`` instead.

Release (release agent, table ``held-embargoes``), in this order:
    1. A story that was killed releases nothing more, ever: kills usually
       overtake the copy they kill (they skip the NLP stages), and agencies
       reissue withdrawn stories under a new story id.
    2. A kill itself is never released; it stays on ``wires.kills`` (alert
       services subscribe to both topics).
    3. A version marked ``out-of-order``, or older than the copy held for its
       story, is not released: a newer version has gone out or is waiting.
    4. ``withheld`` copy is held (never released itself) until a later
       version arrives, which then follows its own status and embargo.
    5. Copy under an embargo is held until the embargo lifts. An embargo
       stays in force for later versions that arrive while the story is held
       (a later version never lifts an earlier embargo early).
    6. Anything else is released at once. A held copy that a newer version
       replaces is dropped, not released.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from schemas import Article, EnrichedArticle, KillNotice

#: Signal the entities agent adds to an older version arriving after a newer one.
OUT_OF_ORDER = "out-of-order"
KILL_SIGNAL = "kill"

_MAX_REASON_CHARS = 500


# --- kills -----------------------------------------------------------------


def is_kill(article: Article) -> bool:
    """Whether the source withdrew the story with this item."""
    return article.pub_status == "canceled" or any(
        signal.casefold() == KILL_SIGNAL for signal in article.signals
    )


def kill_reason(article: Article) -> str:
    """The source's own words when it gave any, else what marked it as a kill."""
    marker = "publication status canceled" if article.pub_status == "canceled" else "kill signal"
    notes = " ".join(note.strip() for note in article.editorial_notes if note.strip())
    if not notes:
        return marker
    if len(notes) > _MAX_REASON_CHARS:
        notes = notes[: _MAX_REASON_CHARS - 1].rstrip() + "\u2026"
    return f"{marker}: {notes}"


def kill_notice(article: Article, *, pipeline_version: str) -> KillNotice:
    return KillNotice(
        pipeline_version=pipeline_version,
        story_id=article.story_id,
        article_id=article.article_id,
        wire_id=article.wire_id,
        source_agency=article.source_agency,
        headline=article.headline,
        reason=kill_reason(article),
        received_at=article.received_at,
    )


# --- versions --------------------------------------------------------------


@dataclass(frozen=True)
class VersionSeen:
    """The latest version of a story seen so far (a ``story-versions`` table value)."""

    version: int
    article_id: str
    received_at: datetime
    supersedes: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "article_id": self.article_id,
            "received_at": self.received_at.isoformat(),
            "supersedes": self.supersedes,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> VersionSeen:
        return cls(
            version=int(data["version"]),
            article_id=str(data["article_id"]),
            received_at=datetime.fromisoformat(data["received_at"]),
            supersedes=data.get("supersedes"),
        )


@dataclass(frozen=True)
class VersionCheck:
    """What an arriving version replaces, and what the table holds afterwards."""

    supersedes: str | None
    out_of_order: bool
    seen: VersionSeen
    changed: bool  # whether ``seen`` differs from what the table held


def check_version(seen: VersionSeen | None, article: Article) -> VersionCheck:
    """Apply the versions rule (module docstring) to one arriving article."""
    if seen is not None and seen.article_id == article.article_id:
        return VersionCheck(seen.supersedes, out_of_order=False, seen=seen, changed=False)
    if seen is not None and article.version < seen.version:
        return VersionCheck(None, out_of_order=True, seen=seen, changed=False)
    supersedes = seen.article_id if seen is not None else None
    latest = VersionSeen(article.version, article.article_id, article.received_at, supersedes)
    return VersionCheck(supersedes, out_of_order=False, seen=latest, changed=True)


def mark_out_of_order(article: Article) -> Article:
    if OUT_OF_ORDER in article.signals:
        return article
    return article.model_copy(update={"signals": [*article.signals, OUT_OF_ORDER]})


# --- release gate ----------------------------------------------------------

HoldKind = Literal["embargo", "withheld"]


@dataclass(frozen=True)
class Held:
    copy: EnrichedArticle
    kind: HoldKind


@dataclass(frozen=True)
class GateState:
    """What the release agent keeps for one story (a ``held-embargoes`` table value).

    ``partition`` is the partition of the story's records: only the worker
    that owns it may release what is held (standby replicas of the table
    carry the same values).
    """

    partition: int
    held: Held | None = None
    embargo_until: datetime | None = None
    killed_at: datetime | None = None
    kill_article_id: str | None = None

    @property
    def empty(self) -> bool:
        """Nothing worth keeping: the table entry can go."""
        return self.held is None and self.killed_at is None

    def to_json(self) -> dict[str, Any]:
        return {
            "partition": self.partition,
            "held": (
                {"kind": self.held.kind, "copy": self.held.copy.model_dump(mode="json")}
                if self.held is not None
                else None
            ),
            "embargo_until": _iso(self.embargo_until),
            "killed_at": _iso(self.killed_at),
            "kill_article_id": self.kill_article_id,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> GateState:
        held = data.get("held")
        return cls(
            partition=int(data["partition"]),
            held=(
                Held(EnrichedArticle.model_validate(held["copy"]), held["kind"])
                if held is not None
                else None
            ),
            embargo_until=_from_iso(data.get("embargo_until")),
            killed_at=_from_iso(data.get("killed_at")),
            kill_article_id=data.get("kill_article_id"),
        )


@dataclass(frozen=True)
class Release:
    copy: EnrichedArticle


@dataclass(frozen=True)
class Hold:
    kind: HoldKind
    until: datetime | None  # when an embargo lifts; None for withheld copy


@dataclass(frozen=True)
class Drop:
    reason: str


Action = Release | Hold | Drop


@dataclass(frozen=True)
class GateOutcome:
    action: Action
    #: The story's state afterwards; None = remove it from the table.
    state: GateState | None
    #: A held copy this event threw away (superseded, or its story killed).
    discarded: EnrichedArticle | None = None


def admit(
    state: GateState | None, copy: EnrichedArticle, *, partition: int, now: datetime
) -> GateOutcome:
    """Apply the release rules (module docstring) to one enriched copy arriving at ``now``."""
    article = copy.article
    current = state if state is not None else GateState(partition=partition)
    if current.killed_at is not None:
        return GateOutcome(Drop(f"story killed at {current.killed_at:%Y-%m-%dT%H:%M:%SZ}"), state)
    if is_kill(article):
        return GateOutcome(Drop("a kill is published on wires.kills, not released"), state)
    if OUT_OF_ORDER in article.signals:
        return GateOutcome(Drop("an older version that arrived after a newer one"), state)
    held = current.held
    if held is not None and article.version < held.copy.article.version:
        return GateOutcome(
            Drop(f"older than version {held.copy.article.version} held for the story"), state
        )
    discarded = held.copy if held is not None else None
    embargo = _latest(article.embargoed_until, current.embargo_until)
    if article.pub_status == "withheld":
        kept = GateState(partition, Held(copy, "withheld"), embargo_until=embargo)
        return GateOutcome(Hold("withheld", None), kept, discarded)
    if embargo is not None and embargo > now:
        kept = GateState(partition, Held(copy, "embargo"), embargo_until=embargo)
        return GateOutcome(Hold("embargo", embargo), kept, discarded)
    return GateOutcome(Release(copy), None, discarded)


def kill(state: GateState | None, notice: KillNotice, *, partition: int) -> GateOutcome:
    """A kill: whatever is held for the story is dropped, and nothing is released after it."""
    held = state.held if state is not None else None
    if state is not None and state.killed_at is not None:
        return GateOutcome(Drop("story already killed"), state)
    killed = GateState(partition, killed_at=notice.received_at, kill_article_id=notice.article_id)
    reason = "story killed" + (f": {notice.reason}" if notice.reason else "")
    return GateOutcome(Drop(reason), killed, held.copy if held is not None else None)


def due(state: GateState, now: datetime) -> bool:
    """Whether the copy held for this story may go out at ``now`` (never before its embargo)."""
    return (
        state.held is not None
        and state.held.kind == "embargo"
        and state.embargo_until is not None
        and state.embargo_until <= now
    )


def release_due(state: GateState, now: datetime) -> GateOutcome | None:
    """The timer's step for one story: release the held copy if its embargo has lifted.

    None when nothing is due (the state stays as it is).
    """
    if state.held is None or not due(state, now):
        return None
    return GateOutcome(Release(state.held.copy), None)


def _latest(*times: datetime | None) -> datetime | None:
    known = [t for t in times if t is not None]
    return max(known) if known else None


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _from_iso(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
