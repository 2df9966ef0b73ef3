"""Concurrent edits through the whole stack: while the product hears of neither side, the user edits one event
in Outlook and in Recruit; once told, it merges edits of different fields and keeps the newer of two edits of
the same field, on both sides.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from starlette.requests import Request
from starlette.responses import Response

from tests.e2e.calendar.conftest import Outlook, enable_calendar, eventually, until_active
from tests.e2e.calendar.helpers import (
    BlackHole,
    graph_subscriptions,
    outlook_events,
    point_subscription_at,
    quiet_after,  # noqa: F401 - a fixture, used below
    soon,
    until_quiet,
)
from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.recruit_emulator import RecruitEmulator
from tests.fixtures.stack import Stack

pytestmark = pytest.mark.usefixtures("quiet_after")
BOB = "bob@fabrikam.example"  # not SSO: his sign-in owns the Graph subscription, so the test can reach it


class LostNotifications(BlackHole):
    """The black hole, also swallowing Recruit callbacks (kept, so a test can see that they were sent)."""

    def __init__(self) -> None:
        super().__init__()
        self.callbacks: list[dict[str, Any]] = []

    async def _receive(self, request: Request) -> Response:
        if "validationToken" not in request.query_params:
            body = await request.json()
            if "channel_id" in body:
                self.callbacks.append(body)
        return await super()._receive(request)

    def swallowed_callback_for(self, record_id: str) -> bool:
        return any(record_id in callback["ids"] for callback in self.callbacks)


@pytest.fixture
def lost() -> Iterator[LostNotifications]:
    hole = LostNotifications()
    with hole.running():
        yield hole


def recruit_channels(recruit: RecruitEmulator, email: str) -> list[dict[str, Any]]:
    """The user's live watch channels (the product creates them with the user's own Recruit sign-in)."""
    with recruit.client_for(email) as client:
        response = client.get("/actions/watch")
    if response.status_code == 204:
        return []
    response.raise_for_status()
    return list(response.json()["watch"])


def point_channel_at(recruit: RecruitEmulator, email: str, channel_id: int, url: str) -> None:
    with recruit.client_for(email) as client:
        body = {"watch": [{"channel_id": channel_id, "notify_url": url}]}
        client.patch("/actions/watch", json=body).raise_for_status()


@contextmanager
def deaf(
    stack: Stack, graph: GraphEmulatorHandle, recruit: RecruitEmulator, email: str, hole: BlackHole
) -> Iterator[str]:
    """Inside the block the Graph notifications and Recruit callbacks of the user's one enabled sync kind all
    go to `hole`; after it both lead to the product again (which has heard of nothing meanwhile). Yields
    the Graph subscription id."""
    # Nothing of the sync so far may still be running: the product must learn of the edits only later.
    until_quiet(stack, graph, recruit)
    [subscription] = graph_subscriptions(graph, email)
    [channel] = recruit_channels(recruit, email)
    point_subscription_at(graph, email, subscription["id"], hole.url)
    point_channel_at(recruit, email, channel["channel_id"], hole.url)
    yield str(subscription["id"])
    until_quiet(stack, graph, recruit)  # the swallowed callbacks have all been answered
    point_subscription_at(graph, email, subscription["id"], subscription["notificationUrl"])
    point_channel_at(recruit, email, channel["channel_id"], channel["notify_url"])


def tell_of_lost_notifications(graph: GraphEmulatorHandle, subscription_id: str) -> None:
    """Graph's own word that notifications were lost: the product's next pass reads both sides."""
    graph.control("lifecycle", {"subscription_id": subscription_id, "event": "missed"})


def instant(stamp: str) -> datetime:
    """A Recruit Modified_Time or a Graph lastModifiedDateTime (both whole seconds) as an aware datetime."""
    return datetime.fromisoformat(stamp).astimezone(UTC)


def until_the_second_after(stamp: str) -> None:
    """Waits until the clock has passed the whole second of `stamp`: both services keep modification times in
    whole seconds, so only an edit made after that is newer than the one stamped."""
    later = instant(stamp) + timedelta(seconds=1)
    eventually(lambda: datetime.now(UTC), lambda now: now >= later, f"the clock to pass {later}")


class ItemOnBothSides:
    """One of the user's records as Recruit shows it and its Outlook copy, edited on either side."""

    def __init__(
        self,
        recruit: RecruitEmulator,
        email: str,
        module: str,
        record_id: str,
        outlook: httpx.Client,
        path: str,
    ) -> None:
        self.recruit, self.email, self.module, self.record_id = recruit, email, module, record_id
        self.outlook, self.path = outlook, path  # the copy's path under the user, e.g. /events/{id}

    def in_recruit(self) -> dict[str, Any]:
        with self.recruit.client_for(self.email) as client:
            response = client.get(f"/{self.module}/{self.record_id}")
        response.raise_for_status()
        return dict(response.json()["data"][0])

    def in_outlook(self) -> dict[str, Any]:
        response = self.outlook.get(self.path)
        response.raise_for_status()
        return dict(response.json())

    def edit_in_recruit(self, fields: dict[str, Any]) -> str:
        """Returns the record's new Modified_Time."""
        with self.recruit.client_for(self.email) as client:
            body = {"data": [{"id": self.record_id, **fields}]}
            client.put(f"/{self.module}", json=body).raise_for_status()
        return str(self.in_recruit()["Modified_Time"])

    def edit_in_outlook(self, fields: dict[str, Any]) -> str:
        """Returns the copy's new lastModifiedDateTime."""
        response = self.outlook.patch(self.path, json=fields)
        response.raise_for_status()
        return str(response.json()["lastModifiedDateTime"])


def create_in_recruit(recruit: RecruitEmulator, email: str, module: str, record: dict[str, Any]) -> str:
    with recruit.client_for(email) as client:
        created = client.post(f"/{module}", json={"data": [record]})
    created.raise_for_status()
    return str(created.json()["data"][0]["details"]["id"])


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
    event = eventually(lambda: outlook_events(outlook), lambda e: "Contested" in e, "the event in Outlook")
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
        eventually(lambda: len(lost.swallowed), lambda n: n >= 1, "Graph to send (and lose) the Outlook edit")
        eventually(
            lambda: lost.swallowed_callback_for(contested.record_id), bool, "Recruit's callback to be lost"
        )
    # Each side shows only its own edit: the product has not heard of either.
    assert contested.as_seen() == (("Contested", "Room 7"), ("Renamed in Outlook", "Room 1"))

    tell_of_lost_notifications(graph, subscription_id)

    merged = (("Renamed in Outlook", "Room 7"), ("Renamed in Outlook", "Room 7"))
    eventually(contested.as_seen, lambda seen: seen == merged, "both edits on both sides")
    until_quiet(fresh_stack, graph, recruit)
    assert contested.as_seen() == merged  # and it stays so: no edit undone by a later pass


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
        eventually(lambda: len(lost.swallowed), lambda n: n >= 1, "Graph to send (and lose) the Outlook edit")
        eventually(
            lambda: lost.swallowed_callback_for(contested.record_id), bool, "Recruit's callback to be lost"
        )
    assert contested.as_seen() == (("Recruit's title", "Room 1"), ("Outlook's title", "Room 1"))

    tell_of_lost_notifications(graph, subscription_id)

    winner = "Outlook's title" if newer == "outlook" else "Recruit's title"
    settled = ((winner, "Room 1"), (winner, "Room 1"))
    eventually(contested.as_seen, lambda seen: seen == settled, f"the {newer} title on both sides")
    until_quiet(fresh_stack, graph, recruit)
    assert contested.as_seen() == settled
