"""Record models: the contract between Wirestream and its subscribers.

Every model here is exported as a JSON Schema file under ``schemas/json``;
``tests/schemas/test_drift.py`` fails when a committed file no longer matches.
"""

from schemas.alert import Alert, AlertKind, MatchedTerm, Subscription, TextSpan
from schemas.article import Article, Copyright, Dateline, PubStatus, SourceSubject, Urgency
from schemas.base import Record
from schemas.dead_letter import DeadLetter
from schemas.enriched import EnrichedArticle, Entity, Mention, TopicTag
from schemas.kill import KillNotice
from schemas.raw import RawWire
from schemas.replay import RedriveMarker, ReplayCounts, ReplayInfo, ReplayState

#: Models exported as top-level JSON Schema files, by file stem.
EXPORTED: dict[str, type[Record]] = {
    "raw_wire": RawWire,
    "article": Article,
    "entity": Entity,
    "topic_tag": TopicTag,
    "enriched_article": EnrichedArticle,
    "dead_letter": DeadLetter,
    "kill_notice": KillNotice,
    "subscription": Subscription,
    "alert": Alert,
    "replay_state": ReplayState,
}

__all__ = [
    "EXPORTED",
    "Alert",
    "AlertKind",
    "Article",
    "Copyright",
    "Dateline",
    "DeadLetter",
    "EnrichedArticle",
    "Entity",
    "KillNotice",
    "MatchedTerm",
    "Mention",
    "PubStatus",
    "RawWire",
    "Record",
    "RedriveMarker",
    "ReplayCounts",
    "ReplayInfo",
    "ReplayState",
    "SourceSubject",
    "Subscription",
    "TextSpan",
    "TopicTag",
    "Urgency",
]
