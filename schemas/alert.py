"""Alert subscriptions and the alerts they produce.

``Subscription`` travels on ``alerts.subscriptions`` (compacted, key = its id,
a tombstone deletes it); ``Alert`` on ``alerts.matches`` (key = subscription
id). Offsets in ``MatchedTerm.spans`` index the headline or the body
paragraphs joined by a blank line, as entity mentions do.
"""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from schemas.base import Record

AlertKind = Literal["new", "update", "correction", "kill"]


class Subscription(Record):
    """What an alert service asked to be told about."""

    schema_version: Literal[1] = 1
    id: str = Field(description="Subscription id ('sub_' + 24 hex); the Kafka key.")
    subscriber: str = Field(description="Who asked: the client name given with the request.")
    name: str | None = Field(default=None, description="A label for people.")
    query: str = Field(description="The query, as written (see the README's query language).")
    updates: bool = Field(
        default=False,
        description="Also alert on later versions of a story already alerted (LEAD, ROUNDUP, "
        "write-throughs). Corrections and kills of an alerted story are always sent.",
    )
    webhook: str | None = Field(
        default=None, description="https (or allow-listed http) URL each alert is POSTed to."
    )
    max_alerts_per_hour: int | None = Field(
        default=None, ge=1, description="Optional cap on new alerts per hour (None: no cap)."
    )
    created_at: AwareDatetime = Field(description="When it was created (UTC).")


class TextSpan(Record):
    """Where a matched term stands in the article."""

    section: Literal["headline", "body"] = Field(description="Which text the offsets index.")
    start: int = Field(ge=0, description="Start offset into the section text.")
    end: int = Field(ge=0, description="End offset (exclusive).")


class MatchedTerm(Record):
    """A query term that held for the article, and what in the article made it hold."""

    term: str = Field(description="The term in query syntax, e.g. 'entity:\"Kim Jong-un\"'.")
    field: str = Field(description="Query field: entity, topic, text, headline, urgency ...")
    value: str = Field(
        description="What matched: entity names, a topic qcode, the words found, a source ..."
    )
    spans: list[TextSpan] = Field(
        default_factory=list, description="Mentions or words to highlight (none for facts)."
    )


class Alert(Record):
    """One alert: a story matched a subscription (or a story it was alerted on changed)."""

    schema_version: Literal[1] = 1
    pipeline_version: str = Field(description="Wirestream version that produced it.")
    alert_id: str = Field(
        description="Stable id: the same subscription, article and kind give the same id, so "
        "a client can drop a repeat delivered after a worker restart."
    )
    subscription_id: str
    subscriber: str
    kind: AlertKind = Field(
        description="new: first alert of the story for this subscription; update: a later "
        "version (only when asked for); correction and kill: sent to every subscription "
        "alerted on the story."
    )
    story_id: str
    article_id: str = Field(description="The version (or kill item) alerted on.")
    version: int = Field(ge=0, description="Version number of the article (0 for a kill).")
    headline: str
    source_agency: str | None = None
    matched: list[MatchedTerm] = Field(
        default_factory=list,
        description="Terms that held; empty for a correction or kill sent because of an "
        "earlier alert.",
    )
    reason: str = Field(description="Why, in one line a person can read.")
    backfill: bool = Field(
        default=False, description="Found by a new subscription's look back (--since)."
    )
    created_at: AwareDatetime = Field(description="When the alert was made (UTC).")
