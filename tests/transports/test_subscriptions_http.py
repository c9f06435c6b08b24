"""/subscriptions: who may call it, what it accepts and the answers that say why not."""

from __future__ import annotations

import json

import pytest
from pydantic import SecretStr

from schemas import Subscription
from streams.alerts import Registry, SubscriptionRequest
from streams.settings import Settings
from streams.transports.subscriptions_http import (
    Refusal,
    check_auth,
    create,
    listing,
    page_params,
    read_request,
)
from tests.alerts.factory import NOW, VOCABULARY

TOKEN = SecretStr("subs-token")


@pytest.mark.parametrize(
    ("header", "token", "status"),
    [
        ("Bearer subs-token", None, 503),
        (None, TOKEN, 401),
        ("Bearer ingest-token", TOKEN, 401),
        ("Basic subs-token", TOKEN, 401),
    ],
)
def test_missing_or_wrong_token_is_refused(
    header: str | None, token: SecretStr | None, status: int
) -> None:
    refusal = check_auth(header, token)
    assert refusal is not None and refusal.status == status


def test_right_token_passes() -> None:
    assert check_auth("Bearer subs-token", TOKEN) is None


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        (b"x" * 20_000, 413, "limit"),
        (b"{not json", 400, "not JSON"),
        (b"[1, 2]", 400, "JSON object"),
        (b"{}", 422, "query: Field required"),
        (b'{"query": "x", "colour": "red"}', 422, "unknown field 'colour'"),
        (b'{"query": "x", "updates": "often"}', 422, "updates"),
    ],
)
def test_bad_bodies_are_refused_with_a_reason(body: bytes, status: int, says: str) -> None:
    refusal = read_request(body, max_bytes=16384)
    assert isinstance(refusal, Refusal)
    assert refusal.status == status and says in refusal.error


def _settings() -> Settings:
    return Settings(alerts_webhook_allow=["127.0.0.1"])


def test_query_error_answer_carries_the_column() -> None:
    request = SubscriptionRequest(query='entity:"Kim" AND (topic:medtop:16000000')
    refusal = create(request, settings=_settings(), registry=Registry(VOCABULARY), now=NOW)
    assert isinstance(refusal, Refusal) and refusal.status == 400
    assert refusal.extra == {"code": "W601", "column": 40}
    assert "expected ')'" in refusal.error


def test_private_webhook_is_refused() -> None:
    request = SubscriptionRequest(query="x", webhook="https://10.1.2.3/hook")
    refusal = create(request, settings=_settings(), registry=Registry(VOCABULARY), now=NOW)
    assert isinstance(refusal, Refusal) and refusal.extra["code"] == "W610"


def test_good_request_makes_a_subscription_with_a_fresh_id() -> None:
    request = SubscriptionRequest(query="missile", webhook="http://127.0.0.1:9/hook", since="2h")
    made = create(request, settings=_settings(), registry=Registry(VOCABULARY), now=NOW)
    assert not isinstance(made, Refusal)
    subscription, _query, since = made
    assert subscription.id.startswith("sub_") and len(subscription.id) == 28
    assert since is not None and since.total_seconds() == 7200


@pytest.mark.parametrize(
    "query", [{"limit": "0"}, {"limit": "501"}, {"limit": "ten"}, {"after": "x"}]
)
def test_bad_paging_is_refused(query: dict[str, str]) -> None:
    assert isinstance(page_params(query), Refusal)


def test_listing_pages_in_id_order_and_filters_by_subscriber() -> None:
    registry = Registry(VOCABULARY)
    for i in range(5):
        registry.put(
            Subscription(
                id=f"sub_{i:024d}",
                subscriber="desk" if i % 2 == 0 else "other",
                query="missile",
                created_at=NOW,
            )
        )
    first = listing(registry, limit=2, after=None, subscriber=None)
    assert [s["id"][-1] for s in first["subscriptions"]] == ["0", "1"]
    second = listing(registry, limit=2, after=first["next"], subscriber=None)
    assert [s["id"][-1] for s in second["subscriptions"]] == ["2", "3"]
    last = listing(registry, limit=2, after=second["next"], subscriber=None)
    assert [s["id"][-1] for s in last["subscriptions"]] == ["4"] and last["next"] is None
    desk = listing(registry, limit=10, after=None, subscriber="desk")
    assert [s["id"][-1] for s in desk["subscriptions"]] == ["0", "2", "4"]
    json.dumps(desk)
