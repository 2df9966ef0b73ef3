"""Interviews through the whole stack: a Recruit edit reaches Outlook, a time moved in Outlook reaches
Recruit, and an Interview deleted in Outlook is unlinked and logged, never deleted in Recruit.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.e2e.calendar.conftest import Outlook, enable_calendar, until_active
from tests.e2e.calendar.helpers import (
    outlook_events,
    quiet_after,  # noqa: F401 - a fixture, used below
)
from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.polling import poll
from tests.fixtures.recruit_emulator import RecruitEmulator
from tests.fixtures.stack import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("quiet_after")]
ALICE = "alice@contoso.example"
INTERVIEW = "Technical interview (Alice)"  # seeded, four days ahead, 45 minutes


def recruit_interview(recruit: RecruitEmulator) -> dict[str, Any] | None:
    with recruit.client_for(ALICE) as client:
        response = client.get("/Interviews", params={"per_page": 200})
    if response.status_code == 204:
        return None
    return next((r for r in response.json()["data"] if r["Interview_Name"] == INTERVIEW), None)


def utc(value: str | dict[str, Any]) -> datetime:
    if isinstance(value, dict):
        return datetime.fromisoformat(value["dateTime"][:19]).replace(tzinfo=UTC)
    return datetime.fromisoformat(value).astimezone(UTC)


def test_an_interview_follows_edits_both_ways_and_a_deletion_in_outlook_only_unlinks_it(
    fresh_stack: Stack, browser: httpx.Client, graph: GraphEmulatorHandle, recruit: RecruitEmulator
) -> None:
    enable_calendar(browser, ALICE)
    until_active(browser)
    outlook = Outlook(graph, ALICE)
    record = recruit_interview(recruit)
    assert record is not None

    with recruit.client_for(ALICE) as client:
        change = {"id": record["id"], "Venue": "Room 7"}
        client.put("/Interviews", json={"data": [change]}).raise_for_status()
    poll(
        lambda: outlook_events(outlook)[INTERVIEW].get("location", {}).get("displayName"),
        lambda place: place == "Room 7",
        "the Recruit venue in Outlook",
    )

    event = outlook_events(outlook)[INTERVIEW]
    new_start = utc(event["start"]) + timedelta(hours=2)
    moved = {
        "start": {"dateTime": new_start.strftime("%Y-%m-%dT%H:%M:%S"), "timeZone": "UTC"},
        "end": {
            "dateTime": (new_start + timedelta(minutes=45)).strftime("%Y-%m-%dT%H:%M:%S"),
            "timeZone": "UTC",
        },
    }
    outlook.client.patch(f"/events/{event['id']}", json=moved).raise_for_status()
    poll(
        lambda: utc((recruit_interview(recruit) or {}).get("Start_DateTime", "1970-01-01T00:00:00Z")),
        lambda start: start == new_start,
        "the time moved in Outlook to reach Recruit",
    )

    outlook.client.delete(f"/events/{event['id']}").raise_for_status()
    poll(
        lambda: browser.get("/api/sync/calendar/log").text,
        lambda log: "unlinked" in log.lower() and INTERVIEW in log,
        "the unlink in the sync log",
    )
    kept = recruit_interview(recruit)
    assert kept is not None and kept["id"] == record["id"]
