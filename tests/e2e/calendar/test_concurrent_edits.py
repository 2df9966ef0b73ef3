"""Concurrent edits through the whole stack: while the product hears of neither side, the user edits one event
in Outlook and in Recruit; once told, it merges edits of different fields and keeps the newer of two edits of
the same field, on both sides.
"""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from tests.e2e.calendar.conftest import Outlook, enable_calendar, until_active
from tests.e2e.calendar.helpers import (
    outlook_events,
    quiet_after,  # noqa: F401 - a fixture, used below
    soon,
)
from tests.e2e.unheard import (
    ItemOnBothSides,
    LostNotifications,
    create_in_recruit,
    deaf,
    instant,
    tell_and_settle,
    until_both_lost,
    until_the_second_after,
)
from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.polling import poll
from tests.fixtures.recruit_emulator import RecruitEmulator
from tests.fixtures.stack import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("quiet_after")]
BOB = "bob@fabrikam.example"  # not SSO: his sign-in owns the Graph subscription, so the test can reach it


class EventOnBothSides(ItemOnBothSides):
    def as_seen(self) -> tuple[tuple[str, str], tuple[str, str]]:
        """(title, venue) in Recruit and (subject, location) in Outlook."""
        record, event = self.in_recruit(), self.in_outlook()
        return (
            (record["Event_Title"], record.get("Venue") or ""),
            (event["subject"], event.get("location", {}).get("displayName") or ""),
        )


@pytest.fixture
def contested(
    fresh_stack: Stack, browser: httpx.Client, graph: GraphEmulatorHandle, recruit: RecruitEmulator
) -> EventOnBothSides:
    """Bob syncs his calendar and has an event made in Recruit, in Outlook too, held in Room 1."""
    enable_calendar(browser, BOB)
    until_active(browser)
    outlook = Outlook(graph, BOB)
    start = soon(3)
    record = {
        "Event_Title": "Contested",
        "Start_DateTime": start.isoformat(),
        "End_DateTime": (start + timedelta(hours=1)).isoformat(),
        "Venue": "Room 1",
    }
    record_id = create_in_recruit(recruit, BOB, "Events", record)
    event = poll(lambda: outlook_events(outlook), lambda e: "Contested" in e, "the event in Outlook")
    path = f"/events/{event['Contested']['id']}"
    return EventOnBothSides(recruit, BOB, "Events", record_id, outlook.client, path)


def test_edits_of_different_fields_made_on_both_sides_while_unheard_are_merged(
    fresh_stack: Stack,
    graph: GraphEmulatorHandle,
    recruit: RecruitEmulator,
    contested: EventOnBothSides,
    lost: LostNotifications,
) -> None:
    with deaf(fresh_stack, graph, recruit, BOB, lost) as subscription_id:
        contested.edit_in_outlook({"subject": "Renamed in Outlook"})
        contested.edit_in_recruit({"Venue": "Room 7"})
        until_both_lost(lost, contested)
    # Each side shows only its own edit: the product has not heard of either.
    assert contested.as_seen() == (("Contested", "Room 7"), ("Renamed in Outlook", "Room 1"))

    merged = (("Renamed in Outlook", "Room 7"), ("Renamed in Outlook", "Room 7"))
    tell_and_settle(
        fresh_stack, graph, recruit, subscription_id, contested, merged, "both edits on both sides"
    )


@pytest.mark.parametrize("newer", ["outlook", "recruit"])
def test_of_two_edits_of_the_same_field_made_while_unheard_the_newer_wins_on_both_sides(
    newer: str,
    fresh_stack: Stack,
    graph: GraphEmulatorHandle,
    recruit: RecruitEmulator,
    contested: EventOnBothSides,
    lost: LostNotifications,
) -> None:
    with deaf(fresh_stack, graph, recruit, BOB, lost) as subscription_id:
        if newer == "outlook":
            older_stamp = contested.edit_in_recruit({"Event_Title": "Recruit's title"})
            until_the_second_after(older_stamp)
            newer_stamp = contested.edit_in_outlook({"subject": "Outlook's title"})
        else:
            older_stamp = contested.edit_in_outlook({"subject": "Outlook's title"})
            until_the_second_after(older_stamp)
            newer_stamp = contested.edit_in_recruit({"Event_Title": "Recruit's title"})
        assert instant(newer_stamp) > instant(older_stamp)
        until_both_lost(lost, contested)
    assert contested.as_seen() == (("Recruit's title", "Room 1"), ("Outlook's title", "Room 1"))

    winner = "Outlook's title" if newer == "outlook" else "Recruit's title"
    settled = ((winner, "Room 1"), (winner, "Room 1"))
    tell_and_settle(
        fresh_stack, graph, recruit, subscription_id, contested, settled, f"the {newer} title on both sides"
    )
