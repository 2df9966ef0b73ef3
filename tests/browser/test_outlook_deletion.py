"""Deleting the dedicated calendar in Outlook turns sync off, and the card says so and what to do."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.manage import (
    CALENDAR_NAME,
    SSO_USER,
    card,
    enable_calendar_as_sso_user,
    expect_status,
    outlook_client,
)
from tests.fixtures.stack import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


def test_calendar_deleted_in_outlook_shows_disabled_with_the_reason(
    page: Page, fresh_stack: Stack, graph: Any
) -> None:
    enable_calendar_as_sso_user(page, fresh_stack)

    with outlook_client(graph, SSO_USER) as outlook:
        calendars = outlook.get("/me/calendars").json()["value"]
        calendar_id = next(c["id"] for c in calendars if c["name"] == CALENDAR_NAME)
        outlook.delete(f"/me/calendars/{calendar_id}").raise_for_status()

    expect_status(page, "Calendar", "Disabled")
    reason = card(page, "Calendar").get_by_role("alert")
    expect(reason).to_contain_text("was deleted in Outlook, so sync was turned off")
    expect(reason).to_contain_text("Enable to start again")
