"""The sync log on a card: passes newest first, and a failure named by the item's title with the reason."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, Route, expect

from tests.browser.manage import (
    CALENDAR_NAME,
    SSO_USER,
    card,
    enable_calendar_as_sso_user,
    outlook_client,
    sign_in,
)
from tests.fixtures.stack import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

FAILING_TITLE = "Panel interview with Dana"


def refuse_event_writes(graph: Any, email: str) -> None:
    """Outlook answers 400 to every write in the user's dedicated calendar, whichever way it is addressed."""
    with outlook_client(graph, email) as outlook:
        calendars = outlook.get("/me/calendars").json()["value"]
    calendar_id = next(c["id"] for c in calendars if c["name"] == CALENDAR_NAME)
    user = graph.user(email)
    rules = [
        {"prefix": f"/v1.0/users/{mailbox}/calendars/{calendar_id}/events", "rate": 1.0, "statuses": [400]}
        for mailbox in (user["id"], user["mail"])
    ]
    graph.control("faults", {"rules": rules})


def create_recruit_event(recruit: Any, email: str, title: str) -> None:
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=2)
    record = {
        "Event_Title": title,
        "Start_DateTime": start.isoformat(),
        "End_DateTime": (start + timedelta(hours=1)).isoformat(),
    }
    with recruit.client_for(email) as client:
        client.post("/Events", json={"data": [record]}).raise_for_status()


def test_log_shows_the_initial_passes_newest_first(page: Page, fresh_stack: Stack) -> None:
    enable_calendar_as_sso_user(page, fresh_stack)
    calendar = card(page, "Calendar")

    calendar.get_by_role("button", name="Show sync log").click()

    entries = calendar.get_by_role("region", name="Calendar sync log").get_by_role("listitem")
    expect(entries.first).to_be_visible()
    stamps = [entries.nth(i).locator("time").get_attribute("datetime") or "" for i in range(entries.count())]
    assert stamps == sorted(stamps, reverse=True)
    expect(calendar.get_by_role("button", name="Hide sync log")).to_have_attribute("aria-expanded", "true")


def test_log_shows_a_failure_injected_in_outlook_with_title_and_reason(
    page: Page, fresh_stack: Stack, graph: Any, recruit: Any
) -> None:
    enable_calendar_as_sso_user(page, fresh_stack)
    refuse_event_writes(graph, SSO_USER)

    create_recruit_event(recruit, SSO_USER, FAILING_TITLE)
    calendar = card(page, "Calendar")
    calendar.get_by_role("button", name="Show sync log").click()

    failure = calendar.locator(".log-entry[data-type='failure']").filter(has_text=FAILING_TITLE).first
    expect(failure).to_be_visible(timeout=60_000)
    expect(failure).to_contain_text(f"Failed: {FAILING_TITLE}")
    assert (failure.locator("p").first.text_content() or "").strip()


def log_page(first: int, count: int, next_cursor: str | None) -> dict[str, Any]:
    """A page of the log API's answer: entries numbered from `first`, newest first."""
    newest = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    entries = [
        {
            "kind": "calendar",
            "level": "info",
            "type": "pass",
            "title": "",
            "message": f"Pass {number}",
            "counts": {"graph_created": 1},
            "at": (newest - timedelta(minutes=number)).isoformat(),
        }
        for number in range(first, first + count)
    ]
    return {"entries": entries, "next": next_cursor}


def test_older_entries_load_page_by_page_through_the_next_cursor(page: Page, fresh_stack: Stack) -> None:
    # A real log needs 50 passes for a second page; the page's use of the API's cursor is what is checked.
    pages = {"": log_page(1, 50, "cursor-1"), "cursor-1": log_page(51, 3, None)}

    def answer(route: Route) -> None:
        cursor = parse_qs(urlsplit(route.request.url).query).get("before", [""])[0]
        route.fulfill(status=200, content_type="application/json", body=json.dumps(pages[cursor]))

    page.route("**/api/sync/calendar/log*", answer)
    sign_in(page, fresh_stack, SSO_USER)
    calendar = card(page, "Calendar")
    calendar.get_by_role("button", name="Show sync log").click()
    entries = calendar.get_by_role("region", name="Calendar sync log").get_by_role("listitem")
    expect(entries).to_have_count(50)

    calendar.get_by_role("button", name="Show older entries").click()

    expect(entries).to_have_count(53)
    expect(entries.last).to_contain_text("Pass 53")
    expect(entries.last).to_contain_text("1 created in Outlook")
    expect(calendar.get_by_role("button", name="Show older entries")).to_be_hidden()
