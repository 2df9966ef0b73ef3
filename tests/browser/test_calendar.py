"""Calendar card: enabling (one click for SSO users, Microsoft sign-in for others) and disabling."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ConsoleWatch
from tests.browser.manage import (
    CALENDAR_NAME,
    NON_SSO_USER,
    SSO_USER,
    calendar_names,
    card,
    enable_calendar,
    enable_calendar_as_sso_user,
    expect_status,
    open_disable_dialog,
    sign_in,
)
from tests.fixtures.stack import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


def test_sso_user_enables_calendar_with_one_click(
    page: Page, fresh_stack: Stack, graph: Any, console: ConsoleWatch
) -> None:
    # A slower Outlook keeps the initial sync of the seeded events on screen long enough to be seen.
    slow_outlook = {"prefix": "/v1.0/", "rate": 0, "statuses": [500], "latency_ms": 500}
    graph.control("faults", {"rules": [slow_outlook]})
    sign_in(page, fresh_stack, SSO_USER)
    calendar = card(page, "Calendar")

    enable_calendar(page)

    expect(calendar.get_by_role("progressbar")).to_be_visible()
    expect(calendar.locator(".progress-text")).to_have_text(re.compile(r"\d+ / [1-9]\d* events · .*left"))
    expect(calendar.get_by_text("upcoming ones first")).to_be_visible()
    expect_status(page, "Calendar", "Active")
    expect(calendar.get_by_role("progressbar")).to_be_hidden()
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
        enable_calendar(page)

    # The app names the user to Microsoft (login_hint), so the emulator's sign-in page approves at once.
    page.wait_for_url(fresh_stack.url("/api/ui"))
    calendar = card(page, "Calendar")
    expect(calendar).to_contain_text(NON_SSO_USER)
    expect_status(page, "Calendar", "Active")
    assert CALENDAR_NAME in calendar_names(graph, NON_SSO_USER)


def test_disable_asks_first_then_the_calendar_is_gone_from_outlook(
    page: Page, fresh_stack: Stack, graph: Any
) -> None:
    enable_calendar_as_sso_user(page, fresh_stack)

    dialog = open_disable_dialog(page, "Calendar")
    expect(dialog).to_contain_text("calendar and the events in it will be deleted from Outlook")
    expect(dialog).to_contain_text("Your Recruit records stay as they are")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect_status(page, "Calendar", "Active")

    open_disable_dialog(page, "Calendar").get_by_role("button", name="Disable calendar sync").click()

    expect_status(page, "Calendar", "Disabled")
    expect(card(page, "Calendar").get_by_role("button", name="Enable calendar sync")).to_be_visible()
    assert CALENDAR_NAME not in calendar_names(graph, SSO_USER)
