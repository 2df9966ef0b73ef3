"""What a user does on the Manage page, as small steps the browser tests share.

Locators go by role and visible text, the way a person (or a screen reader) finds things.
"""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

from tests.fixtures.stack import Stack

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


def enable_calendar_as_sso_user(page: Page, stack: Stack) -> None:
    sign_in(page, stack, SSO_USER)
    card(page, "Calendar").get_by_role("button", name="Enable calendar sync").click()
    expect_status(page, "Calendar", "Active")


def open_disable_dialog(page: Page, title: str) -> Locator:
    card(page, title).get_by_role("button", name=f"Disable {title.lower()} sync").click()
    dialog = page.get_by_role("dialog", name=f"Disable {title.lower()} sync?")
    expect(dialog).to_be_visible()
    return dialog
