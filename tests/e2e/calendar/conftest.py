"""Calendar sync end to end: a browser on the dev host, the queue consumers running in it, the emulators as
Microsoft 365 and Zoho Recruit. Every wait is a condition polled against a deadline. Synchronous on purpose:
the browser tests' Playwright keeps an event loop in the main thread, which async tests after them trip on.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeVar

import httpx
import pytest

from sync_core.functions import session as sessions
from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.polling import poll
from tests.fixtures.stack import Stack

T = TypeVar("T")
MAX_REDIRECTS = 8


@pytest.fixture
def browser(fresh_stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=fresh_stack.base_url, trust_env=False, timeout=30) as client:
        yield client


def calendar_status(browser: httpx.Client) -> dict[str, Any]:
    response = browser.get("/api/me")
    response.raise_for_status()
    return dict(response.json()["calendar"])


def sign_in(browser: httpx.Client, email: str) -> None:
    """Signs in with Zoho as `email` (the emulator approves a `login_hint` at once)."""
    response = browser.get("/api/auth/zoho/start", params={"login_hint": email})
    for _ in range(MAX_REDIRECTS):
        location = response.headers.get("location", "")
        if not response.is_redirect or location.startswith("/api/ui"):
            break
        response = browser.get(location)
    assert sessions.CSRF_COOKIE in browser.cookies, f"sign-in stopped at {response.status_code}"


def csrf_headers(browser: httpx.Client) -> dict[str, str]:
    return {sessions.CSRF_HEADER: browser.cookies[sessions.CSRF_COOKIE]}


def enable_calendar(browser: httpx.Client, email: str) -> None:
    """Sign in with Zoho and press Enable (through Microsoft sign-in when the user is not SSO)."""
    sign_in(browser, email)
    response = browser.post("/api/sync/calendar/enable", headers=csrf_headers(browser))
    if response.status_code == 200:
        approved = browser.get(response.json()["redirect"])  # login_hint approves at once
        callback = browser.get(approved.headers["location"])
        assert callback.status_code == 302, callback.text[:300]
    else:
        assert response.status_code == 202, response.text[:300]


def until_active(browser: httpx.Client) -> dict[str, Any]:
    return poll(
        lambda: calendar_status(browser), lambda s: s["status"] == "active", "calendar sync to be active"
    )


class Outlook:
    """Acting as one user in Outlook (the Graph emulator), on the dedicated calendar."""

    def __init__(self, graph: GraphEmulatorHandle, email: str) -> None:
        self.user = graph.user(email)
        self.client = httpx.Client(
            base_url=f"{graph.base_url}/v1.0/users/{self.user['id']}",
            headers={"Authorization": f"Bearer {graph.token_for(email)}"},
            trust_env=False,
        )

    def calendar_id(self) -> str | None:
        calendars = self.client.get("/calendars").json()["value"]
        return next((str(c["id"]) for c in calendars if c["name"] == "Zoho Recruit"), None)

    def subjects(self) -> list[str]:
        calendar_id = self.calendar_id()
        if calendar_id is None:
            return []
        response = self.client.get(f"/calendars/{calendar_id}/events", params={"$top": "500"})
        return sorted(str(event["subject"]) for event in response.json()["value"])
