"""Readable on a 320 px phone and on a desktop, in light and dark colour schemes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import DESKTOP, ConsoleWatch, open_page
from tests.browser.manage import SSO_USER, card, sign_in
from tests.fixtures.stack import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

PAGE_WIDTH = "() => document.documentElement.scrollWidth"
BACKGROUND = "() => getComputedStyle(document.body).backgroundColor"


def luminance(css_rgb: str) -> float:
    red, green, blue = (int(part) for part in css_rgb.removeprefix("rgb(").rstrip(")").split(",")[:3])
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255


@pytest.fixture
def dark_page(
    browser: Browser, request: pytest.FixtureRequest, console: ConsoleWatch, fresh_stack: Stack
) -> Iterator[Page]:
    yield from open_page(browser, request, console, fresh_stack, viewport=DESKTOP, color_scheme="dark")


def test_at_320_px_nothing_scrolls_sideways_and_the_popup_fits(narrow_page: Page, fresh_stack: Stack) -> None:
    page = narrow_page
    sign_in(page, fresh_stack, SSO_USER)
    expect(card(page, "Contacts")).to_be_visible()
    assert page.evaluate(PAGE_WIDTH) <= 320

    card(page, "Contacts").get_by_role("button", name="Enable contacts sync").click()
    dialog = page.get_by_role("dialog", name="Contact fields")
    expect(dialog).to_be_visible()
    box = dialog.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 320
    assert page.evaluate(PAGE_WIDTH) <= 320
    expect(dialog.get_by_role("button", name="Save and enable")).to_be_visible()


def test_cards_sit_side_by_side_on_a_desktop(page: Page, fresh_stack: Stack) -> None:
    sign_in(page, fresh_stack, SSO_USER)

    calendar = card(page, "Calendar").bounding_box()
    contacts = card(page, "Contacts").bounding_box()
    assert calendar is not None and contacts is not None
    assert contacts["x"] > calendar["x"] + calendar["width"] - 1
    assert abs(contacts["y"] - calendar["y"]) < 1


def test_dark_scheme_gives_a_dark_page_and_light_scheme_a_light_one(
    page: Page, dark_page: Page, fresh_stack: Stack
) -> None:
    for shown in (page, dark_page):
        shown.goto(fresh_stack.url("/api/ui"))
        expect(shown.get_by_role("link", name="Sign in with Zoho")).to_be_visible()

    assert luminance(page.evaluate(BACKGROUND)) > 0.8
    assert luminance(dark_page.evaluate(BACKGROUND)) < 0.2
