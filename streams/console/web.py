"""The console's routes on the worker's web server (aiohttp, under ``/console/``).

- ``GET /console/``: the page; ``/console/static/<file>``: its CSS and script.
- ``POST /console/api/session`` ``{"token": ...}``: checks the token and sets an
  HttpOnly, SameSite=Strict cookie, so the page's event stream (which cannot
  send headers) is authenticated too; ``DELETE`` signs out. Every API route
  also takes ``Authorization: Bearer <token>``.
- ``GET /console/api/events``: server-sent events, ``story``, ``kill``,
  ``alert`` and ``health`` (every few seconds).
- ``GET /console/api/stories``, ``/stories/<article id>``;
  ``POST /console/api/query/check`` and ``/query/test`` (the last 24 hours);
  ``GET|POST /console/api/subscriptions``, ``DELETE /subscriptions/<id>``,
  ``GET /subscriptions/<id>/alerts``; ``GET /console/api/deadletters``,
  ``POST /deadletters/<id>/redrive``; ``GET /console/api/health``.

Tokens: ``WIRESTREAM_CONSOLE_TOKEN`` or the subscriptions token; with neither
set every route but the page answers 503.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib import resources
from typing import Any

from aiohttp import web
from prometheus_client import CollectorRegistry
from pydantic import SecretStr

from streams.alerts import QueryError, Registry, Vocabulary, parse
from streams.console import health as health_view
from streams.console.feed import CLOSING, OVERFLOW, Event, Hub, StoryBuffer
from streams.console.views import (
    letter_counts,
    letter_view,
    query_check,
    query_test,
    story_detail,
    story_summary,
)
from streams.dlq import (
    DeadLetterError,
    Letter,
    LetterFilter,
    RedriveOutcome,
    UnknownDeadLetterError,
)
from streams.settings import Settings
from streams.transports.subscriptions_http import Refusal, create, listing, read_request

log = logging.getLogger(__name__)

PREFIX = "/console"
COOKIE = "wirestream_console"
HEALTH_EVERY = 3.0
#: Largest JSON body the console takes (queries are at most 2,000 characters).
MAX_BODY = 16 * 1024
STATIC = {
    "console.css": "text/css",
    "console.js": "text/javascript",
}
#: The page runs only its own script and style, and talks only to its own origin.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

SendSubscription = Callable[[str, bytes | None], Awaitable[None]]
ListLetters = Callable[[Settings, LetterFilter | None], Awaitable[list[Letter]]]
Redrive = Callable[[Settings, str], Awaitable[RedriveOutcome]]


def _alerts_agent() -> Any:
    # The registry and the topic belong to the alerts agent, which imports the
    # app; the console is registered before the agents exist.
    from streams.agents import alerts

    return alerts


async def _send_via_agent(key: str, value: bytes | None) -> None:
    pending = await _alerts_agent().subscriptions_topic.send(key=key.encode(), value=value)
    await asyncio.wait_for(asyncio.shield(pending), 30.0)


async def _list_letters(settings: Settings, where: LetterFilter | None) -> list[Letter]:
    from streams.dlq import list_letters

    return await list_letters(settings, where)


async def _redrive_one(settings: Settings, dead_letter_id: str) -> RedriveOutcome:
    from streams.dlq import fetch_letter, redrive

    letter = await fetch_letter(settings, dead_letter_id)
    (outcome,) = await redrive(settings, [letter])
    return outcome


def session_value(token: SecretStr) -> str:
    """What the cookie holds: a MAC of the token, never the token itself."""
    return hmac.new(
        token.get_secret_value().encode(), b"wirestream-console-session", hashlib.sha256
    ).hexdigest()


@dataclass
class Console:
    """Everything the routes need; the defaults are the running worker's."""

    settings: Settings
    buffer: StoryBuffer
    hub: Hub = field(default_factory=Hub)
    registry: Callable[[], Registry] = field(default=lambda: _alerts_agent().registry)
    send_subscription: SendSubscription = _send_via_agent
    list_letters: ListLetters = _list_letters
    redrive: Redrive = _redrive_one
    metrics: CollectorRegistry | None = None
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))

    @property
    def tokens(self) -> list[SecretStr]:
        found = [self.settings.console_token, self.settings.subscriptions_token]
        return [t for t in found if t is not None and t.get_secret_value()]

    def vocabulary(self) -> Vocabulary:
        return self.registry().vocabulary

    def token_accepted(self, given: str) -> SecretStr | None:
        for token in self.tokens:
            if hmac.compare_digest(given.encode(), token.get_secret_value().encode()):
                return token
        return None

    def authorized(self, request: web.Request) -> bool:
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer ") and self.token_accepted(header[7:].strip()):
            return True
        cookie = request.cookies.get(COOKIE, "")
        return bool(cookie) and any(
            hmac.compare_digest(cookie, session_value(t)) for t in self.tokens
        )

    def health(self) -> dict[str, Any]:
        registry = self.metrics
        if registry is None:
            from streams.observe import REGISTRY

            registry = REGISTRY
        return {**health_view.registry_snapshot(registry), "at": self.clock().isoformat()}


def _json(data: Any, status: int = 200) -> web.Response:
    return web.json_response(data, status=status, headers=SECURITY_HEADERS)


def _error(status: int, message: str, **extra: Any) -> web.Response:
    return _json({"error": message, **extra}, status)


async def _body(request: web.Request) -> dict[str, Any] | web.Response:
    if request.content_length is not None and request.content_length > MAX_BODY:
        return _error(413, f"body over the {MAX_BODY:,} byte limit")
    raw = await request.content.read(MAX_BODY + 1)
    if len(raw) > MAX_BODY:
        return _error(413, f"body over the {MAX_BODY:,} byte limit")
    try:
        data = json.loads(raw or b"{}")
    except (ValueError, UnicodeDecodeError) as exc:
        return _error(400, f"body is not JSON: {exc}")
    if not isinstance(data, dict):
        return _error(400, "body must be a JSON object")
    return data


def _query_text(data: dict[str, Any]) -> str | web.Response:
    query = data.get("query")
    if not isinstance(query, str):
        return _error(422, "query: a string is required")
    return query


def routes(console: Console) -> list[web.RouteDef]:
    """The console's routes, for any aiohttp application."""
    settings = console.settings

    def guarded(
        handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
    ) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        async def check(request: web.Request) -> web.StreamResponse:
            if not console.tokens:
                return _error(
                    503,
                    "the console is closed on this worker: no token is configured "
                    "(set WIRESTREAM_CONSOLE_TOKEN)",
                )
            if not console.authorized(request):
                return _error(401, "sign in with the console token")
            return await handler(request)

        return check

    async def page(request: web.Request) -> web.StreamResponse:
        html = resources.files("streams.console").joinpath("static/index.html").read_bytes()
        return web.Response(body=html, content_type="text/html", headers=SECURITY_HEADERS)

    async def to_page(request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound(PREFIX + "/")

    async def static(request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        if name not in STATIC:
            return _error(404, "no such file")
        data = resources.files("streams.console").joinpath("static", name).read_bytes()
        return web.Response(body=data, content_type=STATIC[name], headers=SECURITY_HEADERS)

    async def sign_in(request: web.Request) -> web.StreamResponse:
        if not console.tokens:
            return _error(503, "the console is closed on this worker: no token is configured")
        data = await _body(request)
        if isinstance(data, web.Response):
            return data
        given = data.get("token")
        token = console.token_accepted(given) if isinstance(given, str) else None
        if token is None:
            return _error(401, "wrong token")
        response = _json({"ok": True})
        response.set_cookie(
            COOKIE, session_value(token), httponly=True, samesite="Strict", path=PREFIX
        )
        return response

    async def sign_out(request: web.Request) -> web.StreamResponse:
        response = _json({"ok": True})
        response.del_cookie(COOKIE, path=PREFIX)
        return response

    async def whoami(request: web.Request) -> web.StreamResponse:
        return _json({"ok": True})

    async def events(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(
            headers={
                **SECURITY_HEADERS,
                "Content-Type": "text/event-stream",
                "X-Accel-Buffering": "no",
            }
        )
        await response.prepare(request)
        queue = console.hub.listen()
        loop = asyncio.get_running_loop()
        try:
            await response.write(b"retry: 2000\n\n")
            await response.write(Event("health", console.health()).encode())
            # The health event every few seconds doubles as the keep-alive.
            next_health = loop.time() + HEALTH_EVERY
            while True:
                wait = max(0.0, next_health - loop.time())
                try:
                    event = await asyncio.wait_for(queue.get(), wait)
                except TimeoutError:
                    event = Event("health", console.health())
                    next_health = loop.time() + HEALTH_EVERY
                await response.write(event.encode())
                if event is OVERFLOW or event is CLOSING:
                    break
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        finally:
            console.hub.leave(queue)
        return response

    async def stories(request: web.Request) -> web.StreamResponse:
        raw = request.query.get("limit", "200")
        limit = int(raw) if raw.isdigit() else 200
        return _json(
            {"stories": [story_summary(r) for r in console.buffer.newest(min(limit, 2000))]}
        )

    async def story(request: web.Request) -> web.StreamResponse:
        record = console.buffer.get(request.match_info["article_id"])
        if record is None:
            return _error(404, "no such story among the ones this console holds")
        cluster = console.buffer.cluster(record.cluster_id or record.article.story_id)
        raw = console.buffer.raw(record.article.wire_id)
        return _json(story_detail(record, raw=raw, cluster=cluster))

    async def check_query(request: web.Request) -> web.StreamResponse:
        data = await _body(request)
        if isinstance(data, web.Response):
            return data
        text = _query_text(data)
        if isinstance(text, web.Response):
            return text
        vocabulary = console.vocabulary()
        return _json(await asyncio.to_thread(query_check, text, vocabulary))

    async def test_query(request: web.Request) -> web.StreamResponse:
        data = await _body(request)
        if isinstance(data, web.Response):
            return data
        text = _query_text(data)
        if isinstance(text, web.Response):
            return text
        vocabulary = console.vocabulary()
        try:
            query = parse(text, vocabulary)
        except QueryError as exc:
            return _error(400, f"query: {exc.reason}", column=exc.column, code=exc.code)
        stories = list(console.buffer)
        result = await asyncio.to_thread(
            query_test, query, stories, vocabulary, now=console.clock(), window=timedelta(hours=24)
        )
        return _json(result)

    def refuse(refusal: Refusal) -> web.Response:
        return _error(refusal.status, refusal.error, **refusal.extra)

    async def list_subscriptions(request: web.Request) -> web.StreamResponse:
        return _json(listing(console.registry(), limit=500, after=None, subscriber=None))

    async def create_subscription(request: web.Request) -> web.StreamResponse:
        data = await _body(request)
        if isinstance(data, web.Response):
            return data
        if data.get("since") is not None:
            # The look back runs in the alerts agent and alerts through the
            # subscriber's webhook; the page's "test" button is its preview.
            return _error(
                400,
                "since: a look back is started with POST /subscriptions or "
                "`wirestream subscribe --since`, not from the console",
            )
        data.setdefault("subscriber", "console")
        parsed = read_request(
            json.dumps(data).encode(), max_bytes=settings.alerts_max_request_bytes
        )
        if isinstance(parsed, Refusal):
            return refuse(parsed)
        made = await asyncio.to_thread(
            create, parsed, settings=settings, registry=console.registry(), now=console.clock()
        )
        if isinstance(made, Refusal):
            return refuse(made)
        subscription = made[0]
        try:
            await console.send_subscription(subscription.id, subscription.to_json())
        except Exception as exc:
            return _error(503, f"Kafka did not acknowledge ({exc!r}); retry")
        log.info("console: subscription %s created: %s", subscription.id, subscription.query)
        return _json({"subscription": subscription.model_dump(mode="json")}, 201)

    async def delete_subscription(request: web.Request) -> web.StreamResponse:
        sid = request.match_info["subscription_id"]
        if console.registry().get(sid) is None:
            return _error(404, f"no subscription {sid!r}")
        try:
            await console.send_subscription(sid, None)
        except Exception as exc:
            return _error(503, f"Kafka did not acknowledge ({exc!r}); retry")
        log.info("console: subscription %s deleted", sid)
        return web.Response(status=204, headers=SECURITY_HEADERS)

    async def subscription_alerts(request: web.Request) -> web.StreamResponse:
        sid = request.match_info["subscription_id"]
        return _json(
            {"alerts": [a.model_dump(mode="json") for a in console.buffer.alerts(sid)[:200]]}
        )

    async def dead_letters(request: web.Request) -> web.StreamResponse:
        where = LetterFilter(
            stage=request.query.get("stage") or None, code=request.query.get("code") or None
        )
        try:
            letters = await console.list_letters(settings, where)
        except DeadLetterError as exc:
            return _error(503, exc.message, code=exc.code)
        newest = sorted(letters, key=lambda item: item.letter.failed_at, reverse=True)
        return _json(
            {
                "counts": letter_counts(item.letter for item in letters),
                "letters": [letter_view(item.id, item.letter) for item in newest[:500]],
                "total": len(letters),
            }
        )

    async def redrive_letter(request: web.Request) -> web.StreamResponse:
        letter_id = request.match_info["letter_id"]
        try:
            outcome = await console.redrive(settings, letter_id)
        except DeadLetterError as exc:
            status = 404 if isinstance(exc, UnknownDeadLetterError) else 503
            return _error(status, exc.message, code=exc.code)
        return _json(
            {
                "id": outcome.id,
                "status": outcome.status,
                "topic": outcome.topic,
                "attempt": outcome.attempt,
            }
        )

    async def pipeline_health(request: web.Request) -> web.StreamResponse:
        return _json(console.health())

    api = PREFIX + "/api"
    return [
        web.get(PREFIX, to_page),
        web.get(PREFIX + "/", page),
        web.get(PREFIX + "/static/{name}", static),
        web.post(api + "/session", sign_in),
        web.delete(api + "/session", sign_out),
        web.get(api + "/session", guarded(whoami)),
        web.get(api + "/events", guarded(events)),
        web.get(api + "/stories", guarded(stories)),
        web.get(api + "/stories/{article_id}", guarded(story)),
        web.post(api + "/query/check", guarded(check_query)),
        web.post(api + "/query/test", guarded(test_query)),
        web.get(api + "/subscriptions", guarded(list_subscriptions)),
        web.post(api + "/subscriptions", guarded(create_subscription)),
        web.delete(api + "/subscriptions/{subscription_id}", guarded(delete_subscription)),
        web.get(api + "/subscriptions/{subscription_id}/alerts", guarded(subscription_alerts)),
        web.get(api + "/deadletters", guarded(dead_letters)),
        web.post(api + "/deadletters/{letter_id}/redrive", guarded(redrive_letter)),
        web.get(api + "/health", guarded(pipeline_health)),
    ]


def register_console(app: Any, *, settings: Settings) -> Console:
    """Add the console to the Faust app's web server and follow the stream while it runs."""
    from streams.console.readers import follow

    console = Console(settings=settings, buffer=StoryBuffer(settings.console_story_buffer))
    add_routes(app.web.web_app, routes(console))

    async def follow_stream() -> None:
        if settings.web_enabled:
            await follow(settings, console.buffer, console.hub)

    app.task(follow_stream)

    async def end_streams(sender: Any, /, *args: Any, **kwargs: Any) -> None:
        # Open event streams would hold the web server's shutdown for a minute.
        console.hub.close()

    app.on_before_shutdown.connect(end_streams)
    return console


def add_routes(application: web.Application, defs: Sequence[web.RouteDef]) -> None:
    application.router.add_routes(defs)
