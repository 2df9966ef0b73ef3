"""Calendar sync end to end: a browser on the dev host, the queue consumers running in it, the emulators as
Microsoft 365 and Zoho Recruit. Every wait is a condition polled against a deadline.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

import httpx
import pytest

from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.stack import Stack
from tests.integration.product_api.conftest import csrf_headers, sign_in

T = TypeVar("T")
DEADLINE_SECONDS = 60.0


async def eventually(read: Callable[[], Awaitable[T]], done: Callable[[T], bool], what: str) -> T:
    """Polls `read` until `done` holds for its answer, or fails after the deadline saying `what`."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while True:
        value = await read()
        if done(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}; last seen: {value!r}"[:2000])
        await asyncio.sleep(0.25)


@pytest.fixture
async def browser(fresh_stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=fresh_stack.base_url, trust_env=False, timeout=30) as client:
        yield client


async def calendar_status(browser: httpx.AsyncClient) -> dict[str, Any]:
    response = await browser.get("/api/me")
    response.raise_for_status()
    return dict(response.json()["calendar"])


async def enable_calendar(browser: httpx.AsyncClient, email: str) -> None:
    """Sign in with Zoho and press Enable (through Microsoft sign-in when the user is not SSO)."""
    await sign_in(browser, email)
    response = await browser.post("/api/sync/calendar/enable", headers=csrf_headers(browser))
    if response.status_code == 200:
        approved = await browser.get(response.json()["redirect"])  # login_hint approves at once
        callback = await browser.get(approved.headers["location"])
        assert callback.status_code == 302, callback.text[:300]
    else:
        assert response.status_code == 202, response.text[:300]


async def until_active(browser: httpx.AsyncClient) -> dict[str, Any]:
    return await eventually(
        lambda: calendar_status(browser), lambda s: s["status"] == "active", "calendar sync to be active"
    )


class Outlook:
    """Acting as one user in Outlook (the Graph emulator), on the dedicated calendar."""

    def __init__(self, graph: GraphEmulatorHandle, email: str) -> None:
        self.user = graph.user(email)
        self.client = httpx.AsyncClient(
            base_url=f"{graph.base_url}/v1.0/users/{self.user['id']}",
            headers={"Authorization": f"Bearer {graph.token_for(email)}"},
            trust_env=False,
        )

    async def calendar_id(self) -> str | None:
        calendars = (await self.client.get("/calendars")).json()["value"]
        return next((str(c["id"]) for c in calendars if c["name"] == "Zoho Recruit"), None)

    async def subjects(self) -> list[str]:
        calendar_id = await self.calendar_id()
        if calendar_id is None:
            return []
        response = await self.client.get(f"/calendars/{calendar_id}/events", params={"$top": "500"})
        return sorted(str(event["subject"]) for event in response.json()["value"])
