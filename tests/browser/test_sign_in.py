"""Signing in with Zoho: the header names the user and their organisation; only SSO users get the badge."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ConsoleWatch
from tests.browser.manage import NON_SSO_USER, SSO_USER, enable_calendar, sign_in
from tests.fixtures.stack import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


def test_without_a_session_the_page_offers_sign_in_with_zoho(page: Page, fresh_stack: Stack) -> None:
    page.goto(fresh_stack.url("/api/ui"))

    expect(page.get_by_role("link", name="Sign in with Zoho")).to_be_visible()
    expect(page.get_by_role("article")).to_have_count(0)


def test_a_signed_out_visit_leaves_nothing_in_the_console(
    page: Page, fresh_stack: Stack, console: ConsoleWatch
) -> None:
    failed: list[str] = []
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    page.goto(fresh_stack.url("/api/ui"))

    expect(page.get_by_role("link", name="Sign in with Zoho")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert console.errors == []
    assert failed == []


def test_sso_user_sees_name_org_and_sso_badge(page: Page, fresh_stack: Stack, console: ConsoleWatch) -> None:
    sign_in(page, fresh_stack, SSO_USER)

    header = page.get_by_role("banner")
    expect(header).to_contain_text("Alice")
    expect(header).to_contain_text("Acme Recruiting")
    expect(header.get_by_text("SSO", exact=True)).to_be_visible()
    expect(page.get_by_role("article", name="Calendar")).to_contain_text("Disabled")
    expect(page.get_by_role("article", name="Contacts")).to_contain_text("Disabled")
    assert console.errors == []


def test_non_sso_user_has_no_sso_badge(page: Page, fresh_stack: Stack) -> None:
    sign_in(page, fresh_stack, NON_SSO_USER)

    header = page.get_by_role("banner")
    expect(header).to_contain_text("Bob")
    expect(header.get_by_text("SSO", exact=True)).to_be_hidden()


def test_sign_out_returns_to_sign_in(page: Page, fresh_stack: Stack) -> None:
    sign_in(page, fresh_stack, NON_SSO_USER)

    page.get_by_role("button", name="Sign out").click()

    expect(page.get_by_role("link", name="Sign in with Zoho")).to_be_visible()
    page.reload()
    expect(page.get_by_role("link", name="Sign in with Zoho")).to_be_visible()


def test_after_microsoft_sign_in_the_page_names_the_mailbox_and_the_recruit_user(
    page: Page, fresh_stack: Stack
) -> None:
    sign_in(page, fresh_stack, NON_SSO_USER)

    enable_calendar(page)

    info = page.get_by_role("status").filter(has_text="is now connected to")
    expect(info).to_contain_text(f"Microsoft 365 mailbox {NON_SSO_USER}")
    expect(info).to_contain_text(f"Zoho Recruit user {NON_SSO_USER}")


def test_disconnect_asks_first_then_signs_out_and_forgets_the_user(page: Page, fresh_stack: Stack) -> None:
    sign_in(page, fresh_stack, NON_SSO_USER)

    page.get_by_role("button", name="Disconnect").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("access to Zoho is revoked, and every token it kept is deleted")
    expect(dialog).to_contain_text("myapps.microsoft.com")
    dialog.get_by_role("button", name="Disconnect").click()

    expect(page.get_by_role("link", name="Sign in with Zoho")).to_be_visible()
    assert page.request.get(fresh_stack.url("/api/me")).status == 401
