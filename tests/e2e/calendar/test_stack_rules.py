"""Calendar rules through the whole stack: other calendars stay private, times survive both ways, forged
webhooks change nothing, and one edit settles at one write per side.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest

from tests.e2e.calendar.conftest import Outlook, enable_calendar, until_active
from tests.e2e.calendar.helpers import (
    graph_subscriptions,
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
ALICE = "alice@contoso.example"  # SSO, Recruit time zone Asia/Kolkata
BOB = "bob@fabrikam.example"  # not SSO: his sign-in owns the subscription, so the test can name it
QUIET_SECONDS = (
    1.5  # Graph batches notifications for 80 ms; this much stillness means the echoes were handled
)


def instant(value: str | dict[str, Any]) -> datetime:
    """A Recruit datetime string, or a Graph dateTimeTimeZone read in UTC, as an aware UTC datetime."""
    if isinstance(value, dict):
        assert value["timeZone"] == "UTC", value
        return datetime.fromisoformat(value["dateTime"][:19]).replace(tzinfo=UTC)
    return datetime.fromisoformat(value).astimezone(UTC)


def synced(browser: httpx.Client, graph: GraphEmulatorHandle, email: str) -> Outlook:
    enable_calendar(browser, email)
    until_active(browser)
    return Outlook(graph, email)


def test_an_event_in_the_users_other_calendar_never_reaches_recruit(
    fresh_stack: Stack, browser: httpx.Client, graph: GraphEmulatorHandle, recruit: RecruitEmulator
) -> None:
    outlook = synced(browser, graph, ALICE)
    outlook.client.post("/calendar/events", json=utc_body("Dentist (private)", soon(2))).raise_for_status()
    calendar_id = outlook.calendar_id()
    outlook.client.post(
        f"/calendars/{calendar_id}/events", json=utc_body("Shared", soon(2))
    ).raise_for_status()

    # The event in the dedicated calendar is the barrier: once it is in Recruit, the pass has run.
    titles = poll(lambda: recruit_events(recruit, ALICE), lambda t: "Shared" in t, "the shared event")
    assert "Dentist (private)" not in titles


def test_outlook_all_day_and_pacific_time_events_reach_recruit_with_their_exact_times(
    fresh_stack: Stack, browser: httpx.Client, graph: GraphEmulatorHandle, recruit: RecruitEmulator
) -> None:
    outlook = synced(browser, graph, ALICE)
    calendar_id = outlook.calendar_id()
    # 2027-03-15 10:00 in Los Angeles is daylight time (UTC-7): 17:00 UTC.
    pacific = {
        "subject": "Pacific call",
        "start": {"dateTime": "2027-03-15T10:00:00", "timeZone": "Pacific Standard Time"},
        "end": {"dateTime": "2027-03-15T11:15:00", "timeZone": "Pacific Standard Time"},
    }
    all_day = {
        "subject": "Two-day fair",
        "isAllDay": True,
        "start": {"dateTime": "2027-03-20T00:00:00", "timeZone": "UTC"},
        "end": {"dateTime": "2027-03-22T00:00:00", "timeZone": "UTC"},
    }
    for body in (pacific, all_day):
        outlook.client.post(f"/calendars/{calendar_id}/events", json=body).raise_for_status()

    events = poll(
        lambda: recruit_events(recruit, ALICE),
        lambda e: {"Pacific call", "Two-day fair"} <= set(e),
        "both Outlook events in Recruit",
    )
    call, fair = events["Pacific call"], events["Two-day fair"]
    assert instant(call["Start_DateTime"]) == datetime(2027, 3, 15, 17, 0, tzinfo=UTC)
    assert instant(call["End_DateTime"]) == datetime(2027, 3, 15, 18, 15, tzinfo=UTC)
    assert not call.get("All_day")
    # Recruit's all-day end is the last day itself (Outlook's is the midnight after it); Recruit reads the
    # days out as midnight in the reader's zone, so only the date part counts.
    days = (fair["Start_DateTime"][:10], fair["End_DateTime"][:10])
    assert (fair["All_day"], *days) == (True, "2027-03-20", "2027-03-21")


def test_recruit_all_day_and_local_time_events_reach_outlook_with_their_exact_times(
    fresh_stack: Stack, browser: httpx.Client, graph: GraphEmulatorHandle, recruit: RecruitEmulator
) -> None:
    outlook = synced(browser, graph, ALICE)
    with recruit.client_for(ALICE) as client:
        records = [
            {
                "Event_Title": "Kolkata review",
                "Start_DateTime": "2027-04-05T09:30:00+05:30",
                "End_DateTime": "2027-04-05T10:45:00+05:30",
            },
            {
                "Event_Title": "Offsite",
                "All_day": True,
                "Start_DateTime": "2027-04-07",
                "End_DateTime": "2027-04-08",
            },
        ]
        client.post("/Events", json={"data": records}).raise_for_status()

    events = poll(
        lambda: outlook_events(outlook),
        lambda e: {"Kolkata review", "Offsite"} <= set(e),
        "both Recruit events in Outlook",
    )
    review, offsite = events["Kolkata review"], events["Offsite"]
    assert instant(review["start"]) == datetime(2027, 4, 5, 4, 0, tzinfo=UTC)
    assert instant(review["end"]) == datetime(2027, 4, 5, 5, 15, tzinfo=UTC)
    assert review["isAllDay"] is False
    assert offsite["isAllDay"] is True
    assert date.fromisoformat(offsite["start"]["dateTime"][:10]) == date(2027, 4, 7)
    assert date.fromisoformat(offsite["end"]["dateTime"][:10]) == date(2027, 4, 9)


def test_a_forged_graph_notification_and_a_forged_recruit_callback_change_nothing(
    fresh_stack: Stack, browser: httpx.Client, graph: GraphEmulatorHandle, recruit: RecruitEmulator
) -> None:
    outlook = synced(browser, graph, BOB)
    target = outlook_events(outlook)["Bob: client call"]
    record = recruit_events(recruit, BOB)["Bob: client call"]
    [subscription] = graph_subscriptions(graph, BOB)
    with recruit.client_for(BOB) as client:
        [channel] = client.get("/actions/watch").json()["watch"]
    forged_graph = {
        "value": [
            {
                "subscriptionId": subscription["id"],
                "clientState": "guessed",
                "changeType": "deleted",
                "resource": f"Users/{outlook.user['id']}/Events/{target['id']}",
                "resourceData": {"id": target["id"]},
                "tenantId": subscription.get("tenantId", ""),
            }
        ]
    }
    forged_recruit = {
        "server_time": int(time.time() * 1000),
        "query_params": {},
        "module": "Events",
        "resource_uri": f"{recruit.api_base}/Events",
        "ids": [record["id"]],
        "affected_fields": [],
        "operation": "delete",
        "channel_id": channel["channel_id"],
        "token": "guessed",
    }

    assert httpx.post(fresh_stack.url("/api/webhooks/graph"), json=forged_graph).status_code == 202
    assert httpx.post(fresh_stack.url("/api/webhooks/recruit"), json=forged_recruit).status_code == 202

    # A genuine edit afterwards is the barrier: once it has synced, anything queued before it has run too.
    outlook.client.patch(f"/events/{target['id']}", json={"location": {"displayName": "Room 9"}})
    poll(
        lambda: recruit_events(recruit, BOB).get("Bob: client call", {}).get("Venue"),
        lambda venue: venue == "Room 9",
        "the genuine edit in Recruit",
    )
    assert "Bob: client call" in outlook_events(outlook)
    assert recruit_events(recruit, BOB)["Bob: client call"]["id"] == record["id"]


def test_one_edit_on_each_side_settles_at_one_write_per_side(
    fresh_stack: Stack, browser: httpx.Client, graph: GraphEmulatorHandle, recruit: RecruitEmulator
) -> None:
    outlook = synced(browser, graph, ALICE)
    until_quiet(fresh_stack, graph, recruit)
    target = outlook_events(outlook)["Alice: client call"]
    record_id = recruit_events(recruit, ALICE)["Alice: client call"]["id"]

    graph_before, recruit_before = request_counts(graph), request_counts(recruit)
    with recruit.client_for(ALICE) as client:
        client.put("/Events", json={"data": [{"id": record_id, "Venue": "Room 2"}]}).raise_for_status()
    poll(
        lambda: outlook_events(outlook)["Alice: client call"].get("location", {}).get("displayName"),
        lambda place: place == "Room 2",
        "the Recruit edit in Outlook",
    )
    until_quiet(fresh_stack, graph, recruit)
    graph_after, recruit_after = request_counts(graph), request_counts(recruit)
    assert writes(graph_before, graph_after, "PATCH", "/events/") == 1  # ours, copying the edit
    assert writes(recruit_before, recruit_after, "PUT", "/{module}") == 1  # the user's own, no write back

    outlook.client.patch(f"/events/{target['id']}", json={"subject": "Alice: client call (moved)"})
    poll(
        lambda: recruit_events(recruit, ALICE),
        lambda e: "Alice: client call (moved)" in e,
        "the Outlook edit in Recruit",
    )
    until_quiet(fresh_stack, graph, recruit)
    graph_final, recruit_final = request_counts(graph), request_counts(recruit)
    assert writes(graph_after, graph_final, "PATCH", "/events/") == 1  # the user's own, no write back
    assert writes(recruit_after, recruit_final, "PUT", "/{module}") == 1  # ours, copying the edit
