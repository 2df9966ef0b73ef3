"""What a user does on the Manage page, as small steps the browser tests share.

Locators go by role and visible text, the way a person (or a screen reader) finds things.
"""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import Locator, Page, expect

from tests.fixtures.stack import Stack

CALENDAR_NAME = "Zoho Recruit"
SSO_USER = "alice@contoso.example"
NON_SSO_USER = "bob@fabrikam.example"
# Initial syncs on the emulators take seconds; the engine retries transient faults, so allow a little more.
SYNC_TIMEOUT_MS = 60_000


def sign_in(page: Page, stack: Stack, email: str) -> None:
    """Signs in through the Recruit accounts server, picking the user on its page."""
    page.goto(stack.url("/api/ui"))
    page.get_by_role("link", name="Sign in with Zoho").click()
    page.get_by_role("link", name=email).click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def card(page: Page, title: str) -> Locator:
    return page.get_by_role("article", name=title)


def status_of(page: Page, title: str) -> Locator:
    return card(page, title).locator(".status-text")


def expect_status(page: Page, title: str, status: str, timeout: float = SYNC_TIMEOUT_MS) -> None:
    expect(status_of(page, title)).to_have_text(status, timeout=timeout)


def enable_calendar(page: Page) -> Locator:
    """Presses Enable on the Calendar card and confirms the preview dialog; returns that dialog."""
    card(page, "Calendar").get_by_role("button", name="Enable calendar sync").click()
    dialog = page.get_by_role("dialog", name="Enable calendar sync?")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Enable calendar sync").click()
    return dialog


def enable_calendar_as_sso_user(page: Page, stack: Stack) -> None:
    sign_in(page, stack, SSO_USER)
    enable_calendar(page)
    expect_status(page, "Calendar", "Active")


def open_disable_dialog(page: Page, title: str) -> Locator:
    card(page, title).get_by_role("button", name=f"Disable {title.lower()} sync").click()
    dialog = page.get_by_role("dialog", name=f"Disable {title.lower()} sync?")
    expect(dialog).to_be_visible()
    return dialog


def outlook_client(graph: Any, email: str) -> httpx.Client:
    """Acting as the user in Outlook: the Graph API with the user's token."""
    headers = {"Authorization": f"Bearer {graph.token_for(email)}"}
    return httpx.Client(base_url=f"{graph.base_url}/v1.0", headers=headers, trust_env=False)


def calendar_names(graph: Any, email: str) -> list[str]:
    """The user's calendars as Outlook lists them."""
    with outlook_client(graph, email) as outlook:
        response = outlook.get("/me/calendars")
    response.raise_for_status()
    return [calendar["name"] for calendar in response.json()["value"]]
