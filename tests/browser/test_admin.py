"""The organisation overview for Recruit administrators, "Repair now", the preview before an Enable, and what
an active card says is in sync; each by keyboard and mouse as a person would use it.

With SCREENSHOTS_DIR set, the new views are also saved there as png (light, dark, 320 px).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import DESKTOP, ConsoleWatch, open_page
from tests.browser.manage import (
    CALENDAR_NAME,
    SSO_USER,
    calendar_names,
    card,
    enable_calendar,
    enable_calendar_as_sso_user,
    expect_status,
    sign_in,
)
from tests.fixtures.stack import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

# Carol: Alice's organisation and tenant (SSO), Recruit's Standard profile; Alice is an Administrator.
COLLEAGUE = "carol@contoso.example"
PAGE_WIDTH = "() => document.documentElement.scrollWidth"


def screenshot(page: Page, name: str) -> None:
    folder = os.environ.get("SCREENSHOTS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.fixture
def colleague_page(
    browser: Browser, request: pytest.FixtureRequest, console: ConsoleWatch, fresh_stack: Stack
) -> Iterator[Page]:
    """A second browser (its own cookies), for the colleague."""
    yield from open_page(browser, request, console, fresh_stack, viewport=DESKTOP)


@pytest.fixture
def dark_narrow_page(
    browser: Browser, request: pytest.FixtureRequest, console: ConsoleWatch, fresh_stack: Stack
) -> Iterator[Page]:
    yield from open_page(
        browser,
        request,
        console,
        fresh_stack,
        viewport={"width": 320, "height": 640},
        is_mobile=True,
        color_scheme="dark",
    )


def overview_user(page: Page, name: str) -> Any:
    return (
        page.get_by_role("region", name="Organisation overview")
        .get_by_role("listitem")
        .filter(has=page.get_by_role("heading", name=name))
    )


def test_admin_sees_the_orgs_users_and_turns_off_a_colleagues_calendar(
    page: Page, colleague_page: Page, fresh_stack: Stack, graph: Any, console: ConsoleWatch
) -> None:
    sign_in(colleague_page, fresh_stack, COLLEAGUE)
    enable_calendar(colleague_page)
    expect_status(colleague_page, "Calendar", "Active")

    sign_in(page, fresh_stack, SSO_USER)
    page.get_by_role("button", name="Organisation overview").focus()
    page.keyboard.press("Enter")
    overview = page.get_by_role("region", name="Organisation overview")
    expect(overview).to_be_visible()
    expect(page.get_by_role("heading", name="Organisation overview")).to_be_focused()
    expect(overview).to_contain_text(re.compile(r"Recruit credits used today: [1-9][\d,]* of 5,000\."))
    expect(overview_user(page, "Alice Anand (you)")).to_contain_text("Disabled")
    carol = overview_user(page, "Carol Clarke")
    expect(carol.locator("[data-kind=calendar]")).to_contain_text("Active")
    expect(carol.locator("[data-kind=calendar]")).to_contain_text(re.compile(r"In sync\s*[1-9]\d* events"))
    screenshot(page, "admin-overview-light")

    carol.get_by_role("button", name="Disable calendar sync for Carol Clarke").click()
    dialog = page.get_by_role("dialog", name="Disable calendar sync for Carol Clarke?")
    expect(dialog).to_contain_text("Their Recruit records stay as they are.")
    dialog.get_by_role("button", name="Disable calendar sync").click()

    expect(carol.locator("[data-kind=calendar]")).to_contain_text("Disabled", timeout=60_000)
    expect_status(colleague_page, "Calendar", "Disabled")
    assert CALENDAR_NAME not in calendar_names(graph, COLLEAGUE)
    assert console.errors == []


def test_a_user_who_is_not_an_administrator_has_no_overview(page: Page, fresh_stack: Stack) -> None:
    sign_in(page, fresh_stack, COLLEAGUE)

    expect(card(page, "Calendar")).to_be_visible()
    expect(page.get_by_role("button", name="Organisation overview")).to_be_hidden()
    assert page.request.get(fresh_stack.url("/api/admin/overview")).status == 403


def test_enable_shows_what_will_be_copied_and_cancel_changes_nothing(
    page: Page, fresh_stack: Stack, graph: Any, console: ConsoleWatch
) -> None:
    sign_in(page, fresh_stack, SSO_USER)

    card(page, "Calendar").get_by_role("button", name="Enable calendar sync").click()
    dialog = page.get_by_role("dialog", name="Enable calendar sync?")
    expect(dialog).to_contain_text(re.compile(r"[1-9]\d* events will be copied to Outlook"))
    # The seed holds an import of 25 events and colleagues' events: both are left out, and say why.
    expect(dialog).to_contain_text("25 came in by import or data migration")
    expect(dialog).to_contain_text(re.compile(r"[1-9]\d* belong to someone else"))
    expect(dialog).to_contain_text("It should take")
    screenshot(page, "enable-preview-light")
    page.keyboard.press("Escape")

    expect(dialog).to_be_hidden()
    expect_status(page, "Calendar", "Disabled")
    assert CALENDAR_NAME not in calendar_names(graph, SSO_USER)
    assert console.errors == []


def test_repair_now_reports_what_it_checked_and_then_waits_ten_minutes(
    page: Page, fresh_stack: Stack, console: ConsoleWatch
) -> None:
    enable_calendar_as_sso_user(page, fresh_stack)
    calendar = card(page, "Calendar")
    expect(calendar.locator(".fact-sync-row")).to_contain_text(re.compile(r"In sync\s*[1-9]\d* events"))

    calendar.get_by_role("button", name="Repair calendar sync now").focus()
    page.keyboard.press("Enter")
    expect(calendar).to_contain_text("Repair started")
    expect(calendar.locator(".repair-note")).to_contain_text("Repair can be used again at")

    calendar.get_by_role("button", name="Show sync log").click()
    expect(calendar.locator(".log-list")).to_contain_text(
        re.compile(r"repair: [1-9]\d* checked, 0 fixed"), timeout=60_000
    )
    screenshot(page, "repair-card-light")
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrf")
    again = page.request.post(fresh_stack.url("/api/sync/calendar/repair"), headers={"X-CSRF-Token": csrf})
    assert again.status == 429
    assert 0 < int(again.headers["retry-after"]) <= 600
    assert console.errors == []


def test_new_views_fit_320_px_in_dark_mode(
    dark_narrow_page: Page, colleague_page: Page, fresh_stack: Stack
) -> None:
    page = dark_narrow_page
    sign_in(colleague_page, fresh_stack, COLLEAGUE)
    enable_calendar_as_sso_user(page, fresh_stack)
    card(page, "Calendar").get_by_role("button", name="Repair calendar sync now").click()
    expect(card(page, "Calendar").locator(".repair-note")).to_be_visible()
    screenshot(page, "repair-card-dark-320")

    page.get_by_role("button", name="Organisation overview").click()
    expect(overview_user(page, "Carol Clarke")).to_be_visible()
    assert page.evaluate(PAGE_WIDTH) <= 320
    screenshot(page, "admin-overview-dark-320")

    card(page, "Contacts").get_by_role("button", name="Enable contacts sync").click()
    dialog = page.get_by_role("dialog", name="Contact fields")
    expect(dialog.locator("#mapping-preview")).to_contain_text("contacts will be copied to Outlook")
    box = dialog.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 320
    screenshot(page, "enable-contacts-preview-dark-320")
