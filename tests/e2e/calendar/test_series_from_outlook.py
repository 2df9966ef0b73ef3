"""A weekly series made in Outlook, through the whole product: Recruit has ONE Event with the rule; a series
title edited in Outlook reaches it; an occurrence deleted or moved in Outlook leaves it as it is (the design
in engine/sync_kinds/calendar_kind.py); and the Graph GETs of events stay a handful, never one per
occurrence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.e2e.calendar.conftest import Outlook, enable_calendar, until_active
from tests.e2e.calendar.helpers import (
    quiet_after,  # noqa: F401 - a fixture, used below
    recruit_events,
    request_counts,
    until_quiet,
    writes,
)
from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.polling import poll
from tests.fixtures.recruit_emulator import RecruitEmulator
from tests.fixtures.stack import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("quiet_after")]

ALICE = "alice@contoso.example"  # Recruit zone Asia/Kolkata
TITLE = "Weekly pipeline review"
EVENT_GETS = "/events/{item_id}"  # the emulator's template for GET of one event (in $batch or not)
# A few passes run per change (the notification's, its echo's, the sweep's): each reads the master once.
MAX_EVENT_GETS = 8


def next_monday() -> datetime:
    today = datetime.now(UTC).date() + timedelta(days=7)
    return datetime.combine(today - timedelta(days=today.weekday()), datetime.min.time())


def wall(moment: datetime) -> dict[str, str]:
    return {"dateTime": moment.strftime("%Y-%m-%dT%H:%M:%S"), "timeZone": "Pacific Standard Time"}


def weekly_series(first_monday: datetime) -> dict[str, Any]:
    """Mondays 23:30-24:00 in Los Angeles: Tuesdays 13:00 in Alice's Kolkata."""
    start = first_monday + timedelta(hours=23, minutes=30)
    return {
        "subject": TITLE,
        "start": wall(start),
        "end": wall(start + timedelta(minutes=30)),
        "recurrence": {
            "pattern": {
                "type": "weekly",
                "interval": 1,
                "daysOfWeek": ["monday"],
                "firstDayOfWeek": "sunday",
            },
            "range": {"type": "noEnd", "startDate": first_monday.date().isoformat()},
        },
    }


def series_records(recruit: RecruitEmulator) -> list[dict[str, Any]]:
    return [record for title, record in recruit_events(recruit, ALICE).items() if title.startswith(TITLE)]


def test_a_series_made_and_edited_in_outlook_is_one_recruit_event_with_the_rule(
    browser: httpx.Client, fresh_stack: Stack, graph: GraphEmulatorHandle, recruit: RecruitEmulator
) -> None:
    enable_calendar(browser, ALICE)
    until_active(browser)
    until_quiet(fresh_stack, graph, recruit)
    outlook = Outlook(graph, ALICE)
    before = request_counts(graph)
    first_monday = next_monday()

    created = outlook.client.post(
        f"/calendars/{outlook.calendar_id()}/events", json=weekly_series(first_monday)
    )
    created.raise_for_status()
    master_id = created.json()["id"]
    [record] = poll(lambda: series_records(recruit), lambda found: len(found) == 1, "the series in Recruit")
    assert record["Event_Title"] == TITLE
    rule = record["Recurring_Activity"]["RRULE"]
    assert "FREQ=WEEKLY" in rule and "BYDAY=TU" in rule, rule  # Monday in Los Angeles is Tuesday in Kolkata
    assert record["Start_DateTime"].endswith("T13:00:00+05:30")

    outlook.client.patch(f"/events/{master_id}", json={"subject": f"{TITLE} (room 4)"}).raise_for_status()
    poll(
        lambda: series_records(recruit),
        lambda found: [r["Event_Title"] for r in found] == [f"{TITLE} (room 4)"],
        "the series title edited in Outlook to reach Recruit",
    )
    until_quiet(fresh_stack, graph, recruit)
    assert writes(before, request_counts(graph), "GET", EVENT_GETS) <= MAX_EVENT_GETS


def test_an_occurrence_deleted_or_moved_in_outlook_changes_nothing_in_recruit(
    browser: httpx.Client, fresh_stack: Stack, graph: GraphEmulatorHandle, recruit: RecruitEmulator
) -> None:
    enable_calendar(browser, ALICE)
    until_active(browser)
    outlook = Outlook(graph, ALICE)
    first_monday = next_monday()
    created = outlook.client.post(
        f"/calendars/{outlook.calendar_id()}/events", json=weekly_series(first_monday)
    )
    created.raise_for_status()
    [record] = poll(lambda: series_records(recruit), lambda found: len(found) == 1, "the series in Recruit")
    until_quiet(fresh_stack, graph, recruit)
    window = {
        "startDateTime": first_monday.isoformat() + "Z",
        "endDateTime": (first_monday + timedelta(days=30)).isoformat() + "Z",
    }
    occurrences = outlook.client.get(f"/events/{created.json()['id']}/instances", params=window).json()[
        "value"
    ]
    before = request_counts(graph)

    outlook.client.delete(f"/events/{occurrences[1]['id']}").raise_for_status()
    moved_start = first_monday + timedelta(days=15, hours=1)  # the third Monday's, to the Tuesday after
    moved = {"start": wall(moved_start), "end": wall(moved_start + timedelta(minutes=30))}
    outlook.client.patch(f"/events/{occurrences[2]['id']}", json=moved).raise_for_status()
    until_quiet(fresh_stack, graph, recruit)

    # As decided: the Recruit series keeps its rule; no second Event for the moved occurrence; no write loop.
    assert series_records(recruit) == [record]
    assert writes(before, request_counts(graph), "GET", EVENT_GETS) <= MAX_EVENT_GETS
    assert writes(before, request_counts(graph), "PATCH", "/events") == 1  # the user's move; none of ours
