from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError

from streams.alerts import (
    QueryError,
    SubscriptionError,
    SubscriptionRequest,
    WebhookAddressError,
    alert_id,
    document,
    make_alert,
    new_subscription,
    parse_duration,
)
from tests.alerts.factory import NOW, VOCABULARY, record

SID = "sub_" + "a" * 24


def make(**fields: object) -> tuple:
    request = SubscriptionRequest.model_validate({"query": "missile", **fields})
    return new_subscription(
        request,
        subscription_id=SID,
        now=NOW,
        vocabulary=VOCABULARY,
        webhook_allow=["127.0.0.1"],
        resolve=lambda host: {"hooks.example.com": ["93.184.216.34"]}.get(host, ["10.0.0.5"]),
    )


def test_valid_request_makes_a_subscription_with_its_look_back() -> None:
    subscription, query, since = make(
        subscriber="desk",
        name="missiles",
        updates=True,
        since="24h",
        webhook="https://hooks.example.com/alerts",
    )
    assert subscription.id == SID and subscription.updates and subscription.subscriber == "desk"
    assert since == timedelta(hours=24)
    assert query.root.describe() == "missile"


def test_bad_query_is_refused_with_its_column() -> None:
    with pytest.raises(QueryError, match="column 12: expected a term"):
        make(query="missile AND")


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(ValidationError):
        SubscriptionRequest.model_validate({"query": "x", "colour": "red"})


@pytest.mark.parametrize(
    "url",
    [
        "https://internal.example.com/x",  # resolves to 10.0.0.5
        "http://hooks.example.com/x",  # plain http to a public host
        "https://169.254.169.254/latest",  # link-local (cloud metadata)
        "https://[::1]/x",
        "ftp://hooks.example.com/x",
        "https://user:pw@hooks.example.com/x",
    ],
)
def test_webhooks_to_private_addresses_or_without_https_are_refused(url: str) -> None:
    with pytest.raises(WebhookAddressError):
        make(webhook=url)


def test_allow_listed_loopback_webhook_is_accepted() -> None:
    subscription, _, _ = make(webhook="http://127.0.0.1:8080/hook")
    assert subscription.webhook == "http://127.0.0.1:8080/hook"


@pytest.mark.parametrize(("text", "value"), [("30s", 30), ("90m", 5400), ("24h", 86400)])
def test_parse_duration(text: str, value: int) -> None:
    assert parse_duration(text, limit=timedelta(days=7)).total_seconds() == value


@pytest.mark.parametrize("text", ["yesterday", "8d", "-1h", ""])
def test_bad_or_too_long_look_back_is_refused(text: str) -> None:
    with pytest.raises(SubscriptionError):
        parse_duration(text, limit=timedelta(days=7))


def test_alert_says_why_with_offsets_and_has_a_stable_id() -> None:
    subscription, query, _ = make(query='"missile launch"')
    rec = record("Missile launch at dawn", "", article_id="a1")
    alert = make_alert(
        subscription,
        query,
        document(rec, VOCABULARY),
        "new",
        source_agency="Yonhap",
        pipeline_version="t",
        now=NOW,
    )
    assert alert.kind == "new" and not alert.backfill
    assert alert.alert_id == alert_id(SID, "a1", "new")
    assert alert.reason == 'matched "missile launch" (missile launch)'
    span = alert.matched[0].spans[0]
    assert rec.article.headline[span.start : span.end] == "Missile launch"


def test_kill_alert_without_a_match_explains_itself() -> None:
    subscription, query, _ = make(query="football")
    alert = make_alert(
        subscription,
        query,
        document(record("Missile", ""), VOCABULARY),
        "kill",
        source_agency=None,
        pipeline_version="t",
        now=NOW,
    )
    assert alert.matched == [] and "killed" in alert.reason


def test_backfill_gives_one_alert_per_matching_story_and_none_for_a_killed_one() -> None:
    from schemas import KillNotice
    from streams.alerts import backfill_alerts

    subscription, query, _ = make(query="missile")
    v1 = record("Missile test", "", story_id="s1", article_id="s1v1")
    v2 = record("Missile test (LEAD)", "", story_id="s1", version=2, article_id="s1v2")
    killed = record("Missile story later killed", "", story_id="s2", article_id="s2v1")
    other = record("Port strike", "", story_id="s3", article_id="s3v1")
    kill = KillNotice(
        pipeline_version="t",
        story_id="s2",
        article_id="k",
        wire_id="w",
        headline="KILL",
        reason="r",
        received_at=NOW,
    )
    records = [(r, document(r, VOCABULARY)) for r in (v1, v2, killed, other, kill)]
    alerts = backfill_alerts(subscription, query, records, now=NOW, pipeline_version="t")
    assert [(a.story_id, a.article_id, a.kind, a.backfill) for a in alerts] == [
        ("s1", "s1v1", "new", True)
    ]
