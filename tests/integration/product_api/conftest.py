"""Product API tests drive the dev host over HTTP (the `stack` fixture) as a browser would.

Each test starts with signed-out users, no stored connection, an empty lifecycle queue and fresh emulators.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from azure.storage.queue.aio import QueueClient

from sync_core.config import Settings
from sync_core.engine.context import EngineContext
from sync_core.engine.sync_kinds.registry import KIND_NAMES
from sync_core.functions import session as sessions
from sync_core.store import keys
from sync_core.store.connections import ConnectionKey
from sync_core.store.queues import LifecycleRequest, parse_lifecycle_request
from tests.fixtures.stack import Stack

ORG_ID = "874920001"
USERS = {
    "alice@contoso.example": "461233000000191001",
    "carol@contoso.example": "461233000000191002",
    "bob@fabrikam.example": "461233000000191003",
}
MAX_REDIRECTS = 8


def key_of(email: str) -> ConnectionKey:
    return ConnectionKey(org_id=ORG_ID, user_id=USERS[email])


def stack_settings(stack: Stack) -> Settings:
    """The dev host's settings, read from the environment the stack gave it."""
    env = {name.lower(): value for name, value in stack.env.items() if name != "AzureWebJobsStorage"}
    return Settings(storage_connection_string=stack.env["AzureWebJobsStorage"], **env)


@pytest.fixture
async def product(stack: Stack, graph: Any, recruit: Any) -> AsyncIterator[EngineContext]:
    """The stack's storage seen from the test; every seeded user starts with no connection, state or log."""
    ctx = EngineContext.create(stack_settings(stack))
    log_table = await ctx.storage.table("synclog")
    for email in USERS:
        key = key_of(email)
        partition = {"pk": keys.escape(str(key))}
        async for row in log_table.query_entities("PartitionKey eq @pk", parameters=partition):
            await log_table.delete_entity(row["PartitionKey"], row["RowKey"])
        if await ctx.connections.get(key) is not None:
            await ctx.connections.delete(key)
        for kind in KIND_NAMES:
            if await ctx.syncstate.get(key, kind) is not None:
                await ctx.syncstate.delete(key, kind)
    await (await ctx.storage.queue(ctx.settings.queue_lifecycle)).clear_messages()
    yield ctx
    await ctx.close()


@pytest.fixture
async def browser(stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=stack.base_url, trust_env=False, timeout=30) as client:
        yield client


@pytest.fixture
async def second_browser(stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=stack.base_url, trust_env=False, timeout=30) as client:
        yield client


async def follow(client: httpx.AsyncClient, url: str) -> tuple[httpx.Response, list[httpx.Response]]:
    """GETs `url` and the redirects after it; returns the last response and every response on the way."""
    seen: list[httpx.Response] = []
    response = await client.get(url)
    seen.append(response)
    for _ in range(MAX_REDIRECTS):
        if response.status_code not in (301, 302, 303, 307):
            break
        response = await client.get(httpx.URL(str(response.url)).join(response.headers["location"]))
        seen.append(response)
    return response, seen


def landing(responses: list[httpx.Response]) -> str:
    """Where the last redirect of a sign-in sent the browser (path and query)."""
    location = urlsplit(responses[-1].headers["location"]) if responses[-1].is_redirect else None
    assert location is not None, f"no redirect at the end: {responses[-1].status_code}"
    return location.path + (f"?{location.query}" if location.query else "")


async def sign_in(
    client: httpx.AsyncClient, email: str, next_path: str | None = None
) -> list[httpx.Response]:
    """Signs in with Zoho as `email` (the emulator approves a `login_hint` at once) up to the landing page.

    Stops before following the final redirect to our own page, so the caller can check where it points.
    """
    params = {"login_hint": email} | ({"next": next_path} if next_path else {})
    seen = [await client.get("/api/auth/zoho/start", params=params)]
    for _ in range(MAX_REDIRECTS):
        location = seen[-1].headers.get("location", "")
        if not seen[-1].is_redirect or location.startswith("/api/ui"):
            break
        seen.append(await client.get(location))
    assert seen[-1].is_redirect, f"sign-in stopped at {seen[-1].status_code}: {seen[-1].text[:200]}"
    return seen


def csrf_headers(client: httpx.AsyncClient) -> dict[str, str]:
    return {sessions.CSRF_HEADER: client.cookies[sessions.CSRF_COOKIE]}


def forged_session_cookie(stack: Stack, email: str, issued_at: datetime) -> tuple[str, str]:
    """A correctly signed (session, csrf) cookie pair issued at `issued_at`: how an expired session looks."""
    secret = stack.env["SESSION_SECRET"]
    key = key_of(email)
    value, session = sessions.issue(secret, key.org_id, key.user_id, issued_at)
    return value, sessions.csrf_token(secret, session)


async def lifecycle_messages(ctx: EngineContext) -> list[LifecycleRequest]:
    queue: QueueClient = await ctx.storage.queue(ctx.settings.queue_lifecycle)
    return [parse_lifecycle_request(message.content) async for message in _peek(queue)]


async def _peek(queue: QueueClient) -> AsyncIterator[Any]:
    for message in await queue.peek_messages(max_messages=32):
        yield message


def now() -> datetime:
    return datetime.now(UTC)
