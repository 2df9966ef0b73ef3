"""Calendar card: enabling (one click for SSO users, Microsoft sign-in for others) and disabling."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ConsoleWatch
from tests.browser.manage import (
    NON_SSO_USER,
    SSO_USER,
    card,
    expect_status,
    sign_in,
)
from tests.fixtures.stack import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

CALENDAR_NAME = "Zoho Recruit"


def calendar_names(graph: Any, email: str) -> list[str]:
    """The user's calendars as Outlook lists them."""
    token = graph.token_for(email)
    response = httpx.get(
        f"{graph.base_url}/v1.0/me/calendars",
        headers={"Authorization": f"Bearer {token}"},
        trust_env=False,
    )
    response.raise_for_status()
    return [calendar["name"] for calendar in response.json()["value"]]


def test_sso_user_enables_calendar_with_one_click(
    page: Page, fresh_stack: Stack, graph: Any, console: ConsoleWatch
) -> None:
    sign_in(page, fresh_stack, SSO_USER)
    calendar = card(page, "Calendar")

    calendar.get_by_role("button", name="Enable calendar sync").click()

    expect(calendar.get_by_text("upcoming ones first")).to_be_visible()
    expect_status(page, "Calendar", "Active")
    assert page.url == fresh_stack.url("/api/ui")
    expect(calendar).to_contain_text(SSO_USER)
    assert CALENDAR_NAME in calendar_names(graph, SSO_USER)
    assert console.errors == []


def test_non_sso_user_enables_calendar_through_microsoft_sign_in(
    page: Page, fresh_stack: Stack, graph: Any
) -> None:
    sign_in(page, fresh_stack, NON_SSO_USER)

    authorize = f"{graph.base_url}/"
    with page.expect_request(
        lambda request: request.url.startswith(authorize) and "/authorize" in request.url
    ):
        card(page, "Calendar").get_by_role("button", name="Enable calendar sync").click()

    # The app names the user to Microsoft (login_hint), so the emulator's sign-in page approves at once.
    page.wait_for_url(fresh_stack.url("/api/ui"))
    calendar = card(page, "Calendar")
    expect(calendar).to_contain_text(NON_SSO_USER)
    expect_status(page, "Calendar", "Active")
    assert CALENDAR_NAME in calendar_names(graph, NON_SSO_USER)
