"""Calendar sync through the whole product: enable, initial copy, changes both ways, disable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.e2e.calendar.conftest import (
    Outlook,
    calendar_status,
    csrf_headers,
    enable_calendar,
    until_active,
)
from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.polling import poll
from tests.fixtures.recruit_emulator import RecruitEmulator

pytestmark = pytest.mark.e2e

ALICE = "alice@contoso.example"  # SSO: her organisation's tenant gave admin consent
BOB = "bob@fabrikam.example"  # not SSO: signs in with Microsoft
ALICE_ITEMS = 6  # four Events and two Interviews in the Recruit seed


def owned_titles(recruit: RecruitEmulator, email: str) -> list[str]:
    with recruit.client_for(email) as client:
        response = client.get("/Events", params={"per_page": 200})
    return [str(record["Event_Title"]) for record in response.json().get("data", [])]


def start_in(days: int) -> datetime:
    return (datetime.now(UTC) + timedelta(days=days)).replace(hour=9, minute=0, second=0, microsecond=0)


def test_an_sso_user_enables_with_one_call_and_sync_becomes_active(
    browser: httpx.Client, graph: GraphEmulatorHandle
) -> None:
    enable_calendar(browser, ALICE)
    status = until_active(browser)
    assert status["progress"] == {"done": ALICE_ITEMS, "total": ALICE_ITEMS}
    assert len(Outlook(graph, ALICE).subjects()) == ALICE_ITEMS


def test_a_non_sso_user_enables_through_microsoft_sign_in(
    browser: httpx.Client, graph: GraphEmulatorHandle
) -> None:
    enable_calendar(browser, BOB)
    status = until_active(browser)
    assert status["progress"]["done"] == status["progress"]["total"] > 0
    assert len(Outlook(graph, BOB).subjects()) == status["progress"]["total"]


def test_an_event_created_in_recruit_reaches_outlook_and_one_from_outlook_reaches_recruit(
    browser: httpx.Client, graph: GraphEmulatorHandle, recruit: RecruitEmulator
) -> None:
    enable_calendar(browser, ALICE)
    until_active(browser)
    outlook = Outlook(graph, ALICE)
    start = start_in(3)
    with recruit.client_for(ALICE) as client:
        record = {
            "Event_Title": "Made in Recruit",
            "Start_DateTime": start.isoformat(),
            "End_DateTime": (start + timedelta(hours=1)).isoformat(),
        }
        client.post("/Events", json={"data": [record]}).raise_for_status()
    poll(outlook.subjects, lambda s: "Made in Recruit" in s, "the Recruit event in Outlook")

    calendar_id = outlook.calendar_id()
    body = {
        "subject": "Made in Outlook",
        "start": {"dateTime": start.strftime("%Y-%m-%dT%H:%M:%S"), "timeZone": "UTC"},
        "end": {"dateTime": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S"), "timeZone": "UTC"},
    }
    outlook.client.post(f"/calendars/{calendar_id}/events", json=body).raise_for_status()

    poll(
        lambda: owned_titles(recruit, ALICE), lambda t: "Made in Outlook" in t, "the Outlook event in Recruit"
    )


def test_disable_removes_the_calendar_and_keeps_recruit(
    browser: httpx.Client, graph: GraphEmulatorHandle, recruit: RecruitEmulator
) -> None:
    enable_calendar(browser, ALICE)
    until_active(browser)
    recruit_before = sorted(owned_titles(recruit, ALICE))

    response = browser.post("/api/sync/calendar/disable", headers=csrf_headers(browser))
    assert response.status_code == 202
    poll(lambda: calendar_status(browser), lambda s: s["status"] == "disabled", "sync disabled")

    assert Outlook(graph, ALICE).calendar_id() is None
    assert sorted(owned_titles(recruit, ALICE)) == recruit_before
