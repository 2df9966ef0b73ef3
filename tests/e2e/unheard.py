"""Keeping the product deaf in whole-stack tests: Graph notifications and Recruit callbacks sent to a black
hole while the user edits both sides, then the product told (Graph's `missed`), as for concurrent edits.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from starlette.requests import Request
from starlette.responses import Response

from tests.e2e.calendar.helpers import (
    BlackHole,
    graph_subscriptions,
    point_subscription_at,
    recruit_channels,
    until_quiet,
)
from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.polling import poll
from tests.fixtures.recruit_emulator import RecruitEmulator
from tests.fixtures.stack import Stack


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


def until_both_lost(lost: LostNotifications, item: ItemOnBothSides) -> None:
    """Waits until Graph's notification of the Outlook edit and Recruit's callback of the record's edit have
    both gone into the black hole."""
    poll(lambda: len(lost.swallowed), lambda n: n >= 1, "Graph to send (and lose) the Outlook edit")
    poll(lambda: lost.swallowed_callback_for(item.record_id), bool, "Recruit's callback to be lost")


def tell_and_settle(
    stack: Stack,
    graph: GraphEmulatorHandle,
    recruit: RecruitEmulator,
    subscription_id: str,
    item: ItemOnBothSides,
    expected: tuple[tuple[str, str], tuple[str, str]],
    what: str,
) -> None:
    """Tells the product of the lost notifications and waits until both sides show `expected`, and still do
    once the stack is quiet: no edit undone by a later pass."""
    tell_of_lost_notifications(graph, subscription_id)
    poll(item.as_seen, lambda seen: seen == expected, what)
    until_quiet(stack, graph, recruit)
    assert item.as_seen() == expected


def instant(stamp: str) -> datetime:
    """A Recruit Modified_Time or a Graph lastModifiedDateTime (both whole seconds) as an aware datetime."""
    return datetime.fromisoformat(stamp).astimezone(UTC)


def until_the_second_after(stamp: str) -> None:
    """Waits until the clock has passed the whole second of `stamp`: both services keep modification times in
    whole seconds, so only an edit made after that is newer than the one stamped."""
    later = instant(stamp) + timedelta(seconds=1)
    poll(lambda: datetime.now(UTC), lambda now: now >= later, f"the clock to pass {later}")


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

    def as_seen(self) -> tuple[tuple[str, str], tuple[str, str]]:
        """The two contested fields as Recruit shows them, then as Outlook does."""
        raise NotImplementedError

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
