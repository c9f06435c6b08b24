"""The console's routes through aiohttp's test client, with the worker's parts replaced."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from prometheus_client import CollectorRegistry, Counter
from pydantic import SecretStr

from schemas import DeadLetter, Subscription
from streams.alerts import Registry
from streams.console import Console, Event, Hub, StoryBuffer, routes
from streams.console.web import COOKIE
from streams.dlq import Letter, LetterFilter, RedriveOutcome, UnknownDeadLetterError
from streams.settings import Settings
from tests.alerts.factory import NOW, VOCABULARY, record

TOKEN = "console-secret"
SUBS_TOKEN = "subs-secret"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@dataclass
class Parts:
    console: Console
    sent: list[tuple[str, bytes | None]] = field(default_factory=list)
    redriven: list[str] = field(default_factory=list)


def _letter() -> Letter:
    return Letter(
        "0-7",
        0,
        7,
        DeadLetter(
            pipeline_version="t",
            stage="parse",
            error_code="W101",
            error_type="ParseError",
            message="no headline found",
            source_topic="wires.raw",
            source_partition=0,
            source_offset=7,
            original=b"garbage",
            failed_at=NOW,
        ),
    )


def make_parts(*, console_token: str | None = TOKEN, subs_token: str | None = None) -> Parts:
    settings = Settings(
        console_token=SecretStr(console_token) if console_token else None,
        subscriptions_token=SecretStr(subs_token) if subs_token else None,
    )
    registry = Registry(VOCABULARY)
    metrics = CollectorRegistry()
    Counter("wirestream_records_out", "", ["stage"], registry=metrics).labels("parse").inc(5)
    parts: Parts

    async def send(key: str, value: bytes | None) -> None:
        parts.sent.append((key, value))
        if value is None:
            registry.delete(key)
        else:
            registry.put(Subscription.model_validate_json(value))

    async def letters(cfg: Settings, where: LetterFilter | None) -> list[Letter]:
        found = [_letter()]
        return [x for x in found if where is None or where.matches(x.letter)]

    async def redrive(cfg: Settings, letter_id: str) -> RedriveOutcome:
        if letter_id != "0-7":
            raise UnknownDeadLetterError(f"no dead letter {letter_id}")
        parts.redriven.append(letter_id)
        return RedriveOutcome(letter_id, "sent", "wires.raw", 1)

    console = Console(
        settings=settings,
        buffer=StoryBuffer(50),
        hub=Hub(),
        registry=lambda: registry,
        send_subscription=send,
        list_letters=letters,
        redrive=redrive,
        metrics=metrics,
        clock=lambda: NOW + timedelta(hours=1),
    )
    parts = Parts(console)
    return parts


@pytest.fixture()
def parts() -> Parts:
    return make_parts()


@pytest.fixture()
async def client(parts: Parts) -> AsyncIterator[TestClient[web.Request, web.Application]]:
    application = web.Application()
    application.router.add_routes(routes(parts.console))
    async with TestClient(TestServer(application)) as c:
        yield c


async def test_page_and_assets_are_served_without_a_token_and_forbid_inline_script(
    client: TestClient[web.Request, web.Application],
) -> None:
    page = await client.get("/console/")
    assert page.status == 200
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert "/console/static/console.js" in await page.text()
    script = await client.get("/console/static/console.js")
    assert script.status == 200
    assert "innerHTML" not in (await script.text()).replace("never through innerHTML", "")
    assert (await client.get("/console/static/..%2Fweb.py")).status == 404


async def test_api_refuses_without_token_and_when_no_token_is_configured() -> None:
    for token, status in ((TOKEN, 401), (None, 503)):
        application = web.Application()
        application.router.add_routes(routes(make_parts(console_token=token).console))
        async with TestClient(TestServer(application)) as c:
            assert (await c.get("/console/api/stories")).status == status
            wrong = await c.get("/console/api/stories", headers={"Authorization": "Bearer nope"})
            assert wrong.status == status


async def test_sign_in_sets_a_cookie_that_opens_the_api_but_is_not_the_token(
    client: TestClient[web.Request, web.Application],
) -> None:
    assert (await client.post("/console/api/session", json={"token": "wrong"})).status == 401
    signed = await client.post("/console/api/session", json={"token": TOKEN})
    assert signed.status == 200
    cookie = signed.cookies[COOKIE]
    assert TOKEN not in cookie.value
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    assert (await client.get("/console/api/stories")).status == 200
    await client.delete("/console/api/session")
    client.session.cookie_jar.clear()
    assert (await client.get("/console/api/stories")).status == 401


async def test_the_subscriptions_token_opens_the_console_too() -> None:
    application = web.Application()
    application.router.add_routes(routes(make_parts(subs_token=SUBS_TOKEN).console))
    async with TestClient(TestServer(application)) as c:
        ok = await c.get("/console/api/stories", headers={"Authorization": f"Bearer {SUBS_TOKEN}"})
        assert ok.status == 200


async def test_stories_newest_first_and_one_story_with_its_cluster(
    client: TestClient[web.Request, web.Application], parts: Parts
) -> None:
    first = record("Quake hits coast", story_id="a").model_copy(update={"cluster_id": "c1"})
    second = record("Coast quake kills 3", story_id="b", source="AFP").model_copy(
        update={"cluster_id": "c1"}
    )
    parts.console.buffer.add(first)
    parts.console.buffer.add(second)
    listed = await (await client.get("/console/api/stories", headers=AUTH)).json()
    assert [s["headline"] for s in listed["stories"]] == ["Coast quake kills 3", "Quake hits coast"]
    one = await client.get(f"/console/api/stories/{first.article.article_id}", headers=AUTH)
    detail = await one.json()
    assert [c["headline"] for c in detail["cluster"]] == ["Coast quake kills 3"]
    assert (await client.get("/console/api/stories/nope", headers=AUTH)).status == 404


async def test_query_check_and_test_against_the_last_day(
    client: TestClient[web.Request, web.Application], parts: Parts
) -> None:
    parts.console.buffer.add(record("Kim meets Xi", story_id="k"))
    parts.console.buffer.add(record("Markets rally", story_id="m"))
    bad = await client.post("/console/api/query/check", json={"query": "Kim AND ("}, headers=AUTH)
    assert (await bad.json())["column"] == 10  # where a term was wanted
    good = await client.post("/console/api/query/check", json={"query": "Kim"}, headers=AUTH)
    assert (await good.json()) == {"ok": True}
    tested = await client.post("/console/api/query/test", json={"query": "Kim"}, headers=AUTH)
    body = await tested.json()
    assert body["checked"] == 2
    assert [m["headline"] for m in body["matched"]] == ["Kim meets Xi"]
    refused = await client.post("/console/api/query/test", json={"query": "("}, headers=AUTH)
    assert refused.status == 400
    assert "column" in await refused.json()
    assert (await client.post("/console/api/query/check", data=b"[", headers=AUTH)).status == 400


async def test_subscription_create_list_and_delete_go_through_the_topic(
    client: TestClient[web.Request, web.Application], parts: Parts
) -> None:
    made = await client.post(
        "/console/api/subscriptions", json={"query": "Kim", "name": "Korea"}, headers=AUTH
    )
    assert made.status == 201
    sub = (await made.json())["subscription"]
    assert sub["subscriber"] == "console"
    assert parts.sent[0][0] == sub["id"]
    listed = await (await client.get("/console/api/subscriptions", headers=AUTH)).json()
    assert [s["name"] for s in listed["subscriptions"]] == ["Korea"]
    look_back = await client.post(
        "/console/api/subscriptions", json={"query": "Kim", "since": "24h"}, headers=AUTH
    )
    assert look_back.status == 400
    assert len(parts.sent) == 1
    bad = await client.post("/console/api/subscriptions", json={"query": "Kim AND"}, headers=AUTH)
    assert bad.status == 400
    assert (await bad.json())["column"] == 8
    gone = await client.delete(f"/console/api/subscriptions/{sub['id']}", headers=AUTH)
    assert gone.status == 204
    assert parts.sent[-1] == (sub["id"], None)
    again = await client.delete(f"/console/api/subscriptions/{sub['id']}", headers=AUTH)
    assert again.status == 404


async def test_dead_letters_listed_by_stage_and_code_and_redriven(
    client: TestClient[web.Request, web.Application], parts: Parts
) -> None:
    listed = await (await client.get("/console/api/deadletters", headers=AUTH)).json()
    assert listed["counts"] == [{"stage": "parse", "code": "W101", "count": 1}]
    assert listed["letters"][0]["original"]["text"] == "garbage"
    other = await client.get("/console/api/deadletters?stage=topics", headers=AUTH)
    assert (await other.json())["total"] == 0
    sent = await client.post("/console/api/deadletters/0-7/redrive", headers=AUTH)
    assert (await sent.json())["status"] == "sent"
    assert parts.redriven == ["0-7"]
    missing = await client.post("/console/api/deadletters/0-99/redrive", headers=AUTH)
    assert missing.status == 404


async def test_health_reads_the_metrics_registry(
    client: TestClient[web.Request, web.Application],
) -> None:
    body = await (await client.get("/console/api/health", headers=AUTH)).json()
    assert body["stages"] == [{"stage": "parse", "in": 0.0, "out": 5.0, "dead": 0.0}]


async def test_event_stream_pushes_stories_as_they_are_published(
    client: TestClient[web.Request, web.Application], parts: Parts
) -> None:
    response = await client.get("/console/api/events", headers=AUTH)
    assert response.headers["Content-Type"].startswith("text/event-stream")
    seen = b""
    async with asyncio.timeout(5):
        while b"event: health" not in seen:
            seen += await response.content.readany()
        while not len(parts.console.hub):
            await asyncio.sleep(0.01)
        parts.console.hub.publish(Event("story", {"headline": "<script>x</script>\nline"}))
        while b"event: story" not in seen:
            seen += await response.content.readany()
    story_line = next(line for line in seen.split(b"\n") if b"<script>" in line)
    assert story_line.startswith(b"data: ")  # the line break stays inside the JSON
    response.close()
