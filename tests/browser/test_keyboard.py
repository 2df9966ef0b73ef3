"""Keyboard alone: the contacts popup opens, is filled, saved and closed without a mouse, focus kept in it."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.manage import SSO_USER, card, sign_in
from tests.fixtures.stack import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

NAME_OF_FOCUSED = (
    "() => { const e = document.activeElement; return e.getAttribute('aria-label') || e.textContent.trim(); }"
)


def focused_name(page: Page) -> str:
    return str(page.evaluate(NAME_OF_FOCUSED))


def tab_to(page: Page, name: str, key: str = "Tab", limit: int = 60) -> None:
    """Presses Tab (or Shift+Tab) until the control named `name` has focus."""
    for _ in range(limit):
        if focused_name(page) == name:
            return
        page.keyboard.press(key)
    raise AssertionError(f"{name!r} never got focus; last focused: {focused_name(page)!r}")


def mapping(page: Page, stack: Stack) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = page.request.get(stack.url("/api/sync/contacts/mapping")).json()[
        "mapping"
    ]
    return entries


def test_popup_opens_fills_saves_and_closes_with_the_keyboard(page: Page, fresh_stack: Stack) -> None:
    sign_in(page, fresh_stack, SSO_USER)
    page.keyboard.press("Tab")

    tab_to(page, "Enable contacts sync")
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Contact fields")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Microsoft field, row 1", exact=True)).to_be_focused()

    # Shift+Tab from the first control wraps to the last: focus stays in the popup.
    page.keyboard.press("Shift+Tab")
    expect(dialog.get_by_role("button", name="Save and enable")).to_be_focused()
    tab_to(page, "Add row", key="Shift+Tab", limit=5)
    page.keyboard.press("Enter")
    rows = dialog.get_by_role("listitem")
    new_row = rows.count()
    expect(dialog.get_by_label(f"Microsoft field, row {new_row}", exact=True)).to_be_focused()
    page.keyboard.type("Nickname")
    page.keyboard.press("Tab")
    page.keyboard.type("Twitter")
    expect(dialog.get_by_label(f"Microsoft field, row {new_row}", exact=True)).to_have_value("nickName")
    expect(dialog.get_by_label(f"Recruit field, row {new_row}", exact=True)).to_have_value("Twitter")
    tab_to(page, "Save and enable", limit=8)
    page.keyboard.press("Enter")

    expect(dialog).to_be_hidden()
    assert mapping(page, fresh_stack)[-1] == {"graph": "nickName", "recruit": "Twitter"}

    contacts = card(page, "Contacts")
    edit = contacts.get_by_role("button", name="Edit mapping")
    expect(edit).to_be_visible()
    page.keyboard.press("Tab")
    tab_to(page, "Edit mapping")
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label(f"Recruit field, row {new_row}", exact=True)).to_have_value("Twitter")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(edit).to_be_focused()
