"""The contacts Configuration popup: opened by Enable, default rows, errors at their row, save, edit later."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.manage import NON_SSO_USER, card, sign_in
from tests.fixtures.stack import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


def open_mapping_popup(page: Page, stack: Stack) -> Locator:
    sign_in(page, stack, NON_SSO_USER)
    card(page, "Contacts").get_by_role("button", name="Enable contacts sync").click()
    dialog = page.get_by_role("dialog", name="Contact fields")
    expect(dialog).to_be_visible()
    return dialog


def saved_mapping(page: Page, stack: Stack) -> dict[str, Any]:
    response = page.request.get(stack.url("/api/sync/contacts/mapping"))
    assert response.ok
    body: dict[str, Any] = response.json()
    return body


def rows_shown(dialog: Locator) -> list[dict[str, str]]:
    rows = dialog.get_by_role("listitem")
    return [
        {
            "graph": rows.nth(i).locator("select.row-graph").input_value(),
            "recruit": rows.nth(i).locator("select.row-recruit").input_value(),
        }
        for i in range(rows.count())
    ]


def test_enable_contacts_opens_popup_with_default_mapping(page: Page, fresh_stack: Stack) -> None:
    dialog = open_mapping_popup(page, fresh_stack)

    default = saved_mapping(page, fresh_stack)["default"]
    expect(dialog.get_by_role("listitem")).to_have_count(len(default))
    assert rows_shown(dialog) == default
    expect(dialog.get_by_label("Microsoft field, row 1", exact=True)).to_have_value("givenName")
    expect(dialog.get_by_label("Recruit field, row 1", exact=True)).to_have_value("First_Name")


def test_invalid_change_shows_error_at_its_row_and_saves_nothing(page: Page, fresh_stack: Stack) -> None:
    dialog = open_mapping_popup(page, fresh_stack)
    before = saved_mapping(page, fresh_stack)["mapping"]

    # Row 2 now also writes Recruit's First_Name, which row 1 already maps.
    dialog.get_by_label("Recruit field, row 2", exact=True).select_option("First_Name")
    dialog.get_by_role("button", name="Save and enable").click()

    row_two = dialog.get_by_role("listitem").nth(1)
    expect(row_two.locator(".row-error")).to_contain_text("mapped twice")
    expect(dialog.get_by_label("Recruit field, row 2", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(dialog.get_by_role("listitem").nth(0).locator(".row-error")).to_be_hidden()
    expect(dialog).to_be_visible()
    assert saved_mapping(page, fresh_stack)["mapping"] == before
    expect(card(page, "Contacts").locator(".status-text")).to_have_text("Disabled")


def test_escape_closes_popup_without_saving_or_enabling(page: Page, fresh_stack: Stack) -> None:
    dialog = open_mapping_popup(page, fresh_stack)
    dialog.get_by_role("button", name="Add row").click()

    page.keyboard.press("Escape")

    expect(dialog).to_be_hidden()
    expect(card(page, "Contacts").get_by_role("button", name="Enable contacts sync")).to_be_focused()
    expect(card(page, "Contacts").locator(".status-text")).to_have_text("Disabled")


def test_reset_to_default_restores_the_default_rows(page: Page, fresh_stack: Stack) -> None:
    dialog = open_mapping_popup(page, fresh_stack)
    default = saved_mapping(page, fresh_stack)["default"]
    dialog.get_by_role("button", name="Remove row 1", exact=True).click()
    dialog.get_by_role("button", name="Add row").click()

    dialog.get_by_role("button", name="Reset to default").click()

    assert rows_shown(dialog) == default
