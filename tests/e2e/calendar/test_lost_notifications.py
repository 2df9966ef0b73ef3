"""Graph's `missed` and `subscriptionRemoved` lifecycle events, through the whole stack: every Outlook change
made while notifications were lost reaches Recruit once Graph says so, and notifications flow again after.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.e2e.calendar.conftest import Outlook, enable_calendar, until_active
from tests.e2e.calendar.helpers import (
    BlackHole,
    graph_subscriptions,
    outlook_events,
    point_subscription_at,
    quiet_after,  # noqa: F401 - a fixture, used below
    recruit_events,
    soon,
    until_quiet,
    utc_body,
)
from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.polling import poll
from tests.fixtures.recruit_emulator import RecruitEmulator
from tests.fixtures.stack import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("quiet_after")]
BOB = "bob@fabrikam.example"  # not SSO: his delegated sign-in owns the subscription, so the test can reach it


@pytest.fixture
def black_hole() -> Iterator[BlackHole]:
    with BlackHole().running() as hole:
        yield hole


def changes_while_deaf(
    stack: Stack, browser: httpx.Client, graph: GraphEmulatorHandle, recruit: RecruitEmulator, hole: BlackHole
) -> tuple[Outlook, str]:
    """Bob synced with two events made in Outlook; then his notifications go to the black hole while he
    creates one event, renames one and deletes the other. Returns his Outlook and the subscription id."""
    enable_calendar(browser, BOB)
    until_active(browser)
    outlook = Outlook(graph, BOB)
    calendar_id = outlook.calendar_id()
    for n, subject in enumerate(("Rename me", "Delete me")):
        outlook.client.post(f"/calendars/{calendar_id}/events", json=utc_body(subject, soon(4 + n)))
    poll(
        lambda: recruit_events(recruit, BOB),
        lambda events: {"Rename me", "Delete me"} <= set(events),
        "both Outlook events in Recruit",
    )
    # The echoes of those two creates run passes that read Outlook too: let them finish before going deaf.
    until_quiet(stack, graph, recruit)
    [subscription] = graph_subscriptions(graph, BOB)
    point_subscription_at(graph, BOB, subscription["id"], hole.url)

    events = outlook_events(outlook)
    outlook.client.post(f"/calendars/{calendar_id}/events", json=utc_body("Made while deaf", soon(6)))
    outlook.client.patch(f"/events/{events['Rename me']['id']}", json={"subject": "Renamed while deaf"})
    outlook.client.delete(f"/events/{events['Delete me']['id']}")
    poll(lambda: len(hole.swallowed), lambda n: n >= 3, "Graph to send (and lose) three notifications")
    return outlook, str(subscription["id"])


def quiet_and_unaware(stack: Stack, graph: GraphEmulatorHandle, recruit: RecruitEmulator) -> None:
    """Nothing left running (so the lifecycle event alone must recover the changes) and Recruit unchanged:
    lost means lost, nothing but the lifecycle event can tell the product about these changes."""
    until_quiet(stack, graph, recruit)
    titles = set(recruit_events(recruit, BOB))
    assert "Made while deaf" not in titles and {"Rename me", "Delete me"} <= titles


def assert_recovered(stack: Stack, graph: GraphEmulatorHandle, recruit: RecruitEmulator) -> None:
    """The create, the rename and the delete made while deaf are all in Recruit."""
    poll(
        lambda: set(recruit_events(recruit, BOB)),
        lambda t: {"Made while deaf", "Renamed while deaf"} <= t and "Rename me" not in t,
        "the create and the rename made while notifications were lost to reach Recruit",
    )
    until_quiet(stack, graph, recruit)  # the recovering pass applies its deletes too before it ends
    assert "Delete me" not in recruit_events(recruit, BOB), "the event deleted in Outlook is still in Recruit"


def test_missed_notifications_are_recovered_when_graph_reports_them(
    fresh_stack: Stack,
    browser: httpx.Client,
    graph: GraphEmulatorHandle,
    recruit: RecruitEmulator,
    black_hole: BlackHole,
) -> None:
    outlook, subscription_id = changes_while_deaf(fresh_stack, browser, graph, recruit, black_hole)
    quiet_and_unaware(fresh_stack, graph, recruit)
    point_subscription_at(graph, BOB, subscription_id, fresh_stack.url("/api/webhooks/graph"))

    graph.control("lifecycle", {"subscription_id": subscription_id, "event": "missed"})

    assert_recovered(fresh_stack, graph, recruit)
    calendar_id = outlook.calendar_id()
    outlook.client.post(f"/calendars/{calendar_id}/events", json=utc_body("Heard again", soon(7)))
    poll(lambda: recruit_events(recruit, BOB), lambda e: "Heard again" in e, "a later edit in Recruit")


def test_a_removed_subscription_is_replaced_and_what_it_missed_is_recovered(
    fresh_stack: Stack,
    browser: httpx.Client,
    graph: GraphEmulatorHandle,
    recruit: RecruitEmulator,
    black_hole: BlackHole,
) -> None:
    outlook, subscription_id = changes_while_deaf(fresh_stack, browser, graph, recruit, black_hole)
    quiet_and_unaware(fresh_stack, graph, recruit)

    graph.control("lifecycle", {"subscription_id": subscription_id, "event": "subscriptionRemoved"})

    assert_recovered(fresh_stack, graph, recruit)
    [replacement] = poll(
        lambda: graph_subscriptions(graph, BOB), lambda subs: len(subs) == 1, "one new subscription"
    )
    assert replacement["id"] != subscription_id
    assert replacement["notificationUrl"] == fresh_stack.url("/api/webhooks/graph")
    calendar_id = outlook.calendar_id()
    outlook.client.post(f"/calendars/{calendar_id}/events", json=utc_body("Heard again", soon(7)))
    poll(lambda: recruit_events(recruit, BOB), lambda e: "Heard again" in e, "a later edit in Recruit")
