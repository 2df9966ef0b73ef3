"""The contacts Configuration popup: opened by Enable, default rows, errors at their row, save, edit later."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.manage import NON_SSO_USER, SSO_USER, card, expect_status, outlook_client, sign_in
from tests.fixtures.stack import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

CONTACT_FOLDER = "Zoho Recruit Contacts"


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


def contact_folder_names(graph: Any, email: str) -> list[str]:
    with outlook_client(graph, email) as outlook:
        response = outlook.get("/me/contactFolders")
    response.raise_for_status()
    return [folder["displayName"] for folder in response.json()["value"]]


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


def test_valid_change_is_saved_sync_becomes_active_and_edit_mapping_shows_it(
    page: Page, fresh_stack: Stack, graph: Any
) -> None:
    sign_in(page, fresh_stack, SSO_USER)
    contacts = card(page, "Contacts")
    contacts.get_by_role("button", name="Enable contacts sync").click()
    dialog = page.get_by_role("dialog", name="Contact fields")
    dialog.get_by_role("button", name="Add row").click()
    new_row = dialog.get_by_role("listitem").count()
    dialog.get_by_label(f"Microsoft field, row {new_row}", exact=True).select_option("nickName")
    dialog.get_by_label(f"Recruit field, row {new_row}", exact=True).select_option("Twitter")

    dialog.get_by_role("button", name="Save and enable").click()

    expect(dialog).to_be_hidden()
    expect_status(page, "Contacts", "Active")
    assert {"graph": "nickName", "recruit": "Twitter"} in saved_mapping(page, fresh_stack)["mapping"]
    assert CONTACT_FOLDER in contact_folder_names(graph, SSO_USER)

    contacts.get_by_role("button", name="Edit mapping").click()
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label(f"Microsoft field, row {new_row}", exact=True)).to_have_value("nickName")
    expect(dialog.get_by_label(f"Recruit field, row {new_row}", exact=True)).to_have_value("Twitter")
    expect(dialog.get_by_role("button", name="Save", exact=True)).to_be_visible()


def test_saving_a_changed_mapping_says_contacts_will_be_updated(page: Page, fresh_stack: Stack) -> None:
    sign_in(page, fresh_stack, SSO_USER)
    contacts = card(page, "Contacts")
    contacts.get_by_role("button", name="Enable contacts sync").click()
    page.get_by_role("dialog", name="Contact fields").get_by_role("button", name="Save and enable").click()
    expect_status(page, "Contacts", "Active")

    contacts.get_by_role("button", name="Edit mapping").click()
    dialog = page.get_by_role("dialog", name="Contact fields")
    dialog.get_by_role("button", name="Remove row 1", exact=True).click()
    dialog.get_by_role("button", name="Save", exact=True).click()

    expect(dialog).to_be_hidden()
    expect(contacts.get_by_role("status").filter(has_text="Mapping saved")).to_contain_text(
        "contacts in Outlook will be updated"
    )
