"""Recruit's limits through the whole stack: an Outlook event with a 300-character title and a
40,000-character body reaches Recruit shortened with a note in the sync log, Outlook keeps the whole text
and nothing loops; an event Recruit keeps refusing is failed on /api/me and in the log once."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.e2e.calendar.conftest import (
    Outlook,
    calendar_status,
    enable_calendar,
    until_active,
)
from tests.e2e.calendar.helpers import (
    outlook_events,
    quiet_after,  # noqa: F401 - a fixture, used below
    recruit_events,
    request_counts,
    soon,
    until_quiet,
    utc_body,
    writes,
)
from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.polling import poll
from tests.fixtures.recruit_emulator import RecruitEmulator
from tests.fixtures.stack import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("quiet_after")]
ALICE = "alice@contoso.example"


def log_entries(browser: httpx.Client) -> list[dict[str, Any]]:
    response = browser.get("/api/sync/calendar/log")
    response.raise_for_status()
    return list(response.json()["entries"])


def synced_outlook(browser: httpx.Client, graph: GraphEmulatorHandle) -> tuple[Outlook, str]:
    enable_calendar(browser, ALICE)
    until_active(browser)
    outlook = Outlook(graph, ALICE)
    calendar_id = outlook.calendar_id()
    assert calendar_id is not None
    return outlook, calendar_id


def test_a_long_outlook_event_reaches_recruit_shortened_with_a_note_and_nothing_loops(
    fresh_stack: Stack, browser: httpx.Client, graph: GraphEmulatorHandle, recruit: RecruitEmulator
) -> None:
    outlook, calendar_id = synced_outlook(browser, graph)
    until_quiet(fresh_stack, graph, recruit)
    graph_before, recruit_before = request_counts(graph), request_counts(recruit)
    title = "Panel interview " + "t" * 284  # 300 characters
    body = ("Agenda line for the panel.\n" * 1500)[:40000]
    event = {**utc_body(title, soon(5)), "body": {"contentType": "text", "content": body}}
    outlook.client.post(f"/calendars/{calendar_id}/events", json=event).raise_for_status()

    records = poll(
        lambda: recruit_events(recruit, ALICE), lambda r: title[:255] in r, "the shortened title in Recruit"
    )
    record = records[title[:255]]
    assert len(record["Description"]) <= 32000 and body.startswith(record["Description"].rstrip())
    until_quiet(fresh_stack, graph, recruit)
    notes = [entry["message"] for entry in log_entries(browser) if entry["type"] == "info"]
    assert any("Title shortened to 255 characters to fit Recruit" in note for note in notes)
    assert any("Description shortened to 32000 characters to fit Recruit" in note for note in notes)

    # Nothing loops: the echo of the create, and a later pass (for another event), write nothing more to
    # either side, and Outlook keeps the whole text.
    outlook.client.post(f"/calendars/{calendar_id}/events", json=utc_body("Later one", soon(6)))
    poll(lambda: recruit_events(recruit, ALICE), lambda r: "Later one" in r, "the later event in Recruit")
    until_quiet(fresh_stack, graph, recruit)
    graph_after, recruit_after = request_counts(graph), request_counts(recruit)
    assert writes(recruit_before, recruit_after, "PUT", "/recruit/v2/") == 0
    assert writes(recruit_before, recruit_after, "POST", "/recruit/v2/{module}") == 2
    assert writes(graph_before, graph_after, "PATCH", "/events") == 0
    assert title in outlook_events(outlook)
    assert calendar_status(browser)["failed"] == 0


def test_an_event_recruit_keeps_refusing_is_failed_on_the_card_and_logged_once(
    fresh_stack: Stack, browser: httpx.Client, graph: GraphEmulatorHandle, recruit: RecruitEmulator
) -> None:
    outlook, calendar_id = synced_outlook(browser, graph)
    rules = [{"api_name": "Event_Title", "contains": "REFUSED"}]
    recruit.control("refusals", {"module": "Events", "rules": rules})
    outlook.client.post(
        f"/calendars/{calendar_id}/events", json=utc_body("Offsite REFUSED", soon(6))
    ).raise_for_status()

    status = poll(
        lambda: calendar_status(browser), lambda s: s["failed"] == 1, "the card to count one failed"
    )
    assert status["last_error"] is not None and "Offsite REFUSED" in status["last_error"]["message"]
    # Another Outlook change makes passes run again; the refused item is not sent again nor logged again.
    outlook.client.post(f"/calendars/{calendar_id}/events", json=utc_body("Accepted", soon(7)))
    poll(lambda: recruit_events(recruit, ALICE), lambda r: "Accepted" in r, "the other event in Recruit")
    until_quiet(fresh_stack, graph, recruit)
    failures = [e for e in log_entries(browser) if e["type"] == "failure" and e["title"] == "Offsite REFUSED"]
    assert len(failures) == 1 and "INVALID_DATA" in failures[0]["message"]
    assert "Offsite REFUSED" not in recruit_events(recruit, ALICE)
    assert calendar_status(browser)["failed"] == 1
