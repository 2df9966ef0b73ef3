"""Helpers for the whole-stack calendar tests: acting in Outlook and Recruit, a webhook black hole standing in
for lost notifications, and the emulators' request counts.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from azure.core.exceptions import ResourceNotFoundError
from azure.data.tables import TableClient
from azure.storage.queue import QueueClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from local.emulators.kit.serve import Listener, ServerThread, free_port
from tests.e2e.calendar.conftest import Outlook
from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.polling import poll
from tests.fixtures.recruit_emulator import RecruitEmulator
from tests.fixtures.stack import Stack

QUIET_SECONDS = (
    1.5  # Graph batches notifications for 80 ms; this much stillness means the echoes were handled
)


def recruit_records(
    recruit: RecruitEmulator, email: str, module: str, name: str
) -> dict[str, dict[str, Any]]:
    """The first 200 records of a module the user sees, by the value of field `name`."""
    with recruit.client_for(email) as client:
        response = client.get(f"/{module}", params={"per_page": 200})
    if response.status_code == 204:
        return {}
    response.raise_for_status()
    return {str(record[name]): record for record in response.json()["data"]}


def recruit_events(recruit: RecruitEmulator, email: str) -> dict[str, dict[str, Any]]:
    """The user's Recruit Events by title (the seed and the tests give each a distinct title)."""
    return recruit_records(recruit, email, "Events", "Event_Title")


def outlook_events(outlook: Outlook) -> dict[str, dict[str, Any]]:
    """The events of the user's "Zoho Recruit" calendar by subject."""
    calendar_id = outlook.calendar_id()
    assert calendar_id is not None, "no 'Zoho Recruit' calendar"
    response = outlook.client.get(f"/calendars/{calendar_id}/events", params={"$top": "500"})
    response.raise_for_status()
    return {str(event["subject"]): event for event in response.json()["value"]}


def utc_body(subject: str, start: datetime, hours: float = 1.0) -> dict[str, Any]:
    end = start + timedelta(hours=hours)
    return {
        "subject": subject,
        "start": {"dateTime": start.strftime("%Y-%m-%dT%H:%M:%S"), "timeZone": "UTC"},
        "end": {"dateTime": end.strftime("%Y-%m-%dT%H:%M:%S"), "timeZone": "UTC"},
    }


def soon(days: int, hour: int = 9) -> datetime:
    return (datetime.now(UTC) + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def graph_subscriptions(
    graph: GraphEmulatorHandle, email: str, token: str | None = None
) -> list[dict[str, Any]]:
    """The subscriptions a delegated user's sign-in owns (non-SSO users' subscriptions are theirs), or those
    the holder of `token` owns."""
    response = httpx.get(
        f"{graph.base_url}/v1.0/subscriptions",
        headers={"Authorization": f"Bearer {token or graph.token_for(email)}"},
        trust_env=False,
    )
    response.raise_for_status()
    return list(response.json()["value"])


def recruit_channels(recruit: RecruitEmulator, email: str) -> list[dict[str, Any]]:
    """The user's live watch channels: the product makes them with the user's own Recruit sign-in, and the
    emulator lists only those not expired on its clock."""
    with recruit.client_for(email) as client:
        response = client.get("/actions/watch")
    if response.status_code == 204:
        return []
    response.raise_for_status()
    return list(response.json()["watch"])


def point_subscription_at(graph: GraphEmulatorHandle, email: str, subscription_id: str, url: str) -> None:
    response = httpx.patch(
        f"{graph.base_url}/v1.0/subscriptions/{subscription_id}",
        json={"notificationUrl": url},
        headers={"Authorization": f"Bearer {graph.token_for(email)}"},
        trust_env=False,
        timeout=30,
    )
    response.raise_for_status()


class BlackHole:
    """A webhook endpoint that passes Graph's validation handshake and swallows every notification: what the
    product sees of notifications lost on the way (it sees nothing)."""

    def __init__(self) -> None:
        self.swallowed: list[dict[str, Any]] = []
        self.port = free_port()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/lost"

    async def _receive(self, request: Request) -> Response:
        token = request.query_params.get("validationToken")
        if token is not None:
            return PlainTextResponse(token)
        self.swallowed += (await request.json()).get("value", [])
        return Response(status_code=202)

    @contextmanager
    def running(self) -> Iterator[BlackHole]:
        app = Starlette(routes=[Route("/lost", self._receive, methods=["POST"])])
        server = ServerThread(app, [Listener(self.port)]).start()
        try:
            yield self
        finally:
            server.stop()


def request_counts(handle: GraphEmulatorHandle | RecruitEmulator) -> dict[str, int]:
    """An emulator's count of API requests by "METHOD /route/template" (batch items counted one by one)."""
    response = httpx.get(f"{handle.base_url}/_emulator/stats", trust_env=False)
    response.raise_for_status()
    return dict(response.json()["requests"])


def writes(before: dict[str, int], after: dict[str, int], method: str, fragment: str) -> int:
    """How many `method` requests to routes containing `fragment` were made between two counts."""
    return sum(
        count - before.get(route, 0)
        for route, count in after.items()
        if route.startswith(f"{method} ") and fragment in route and "$batch" not in route
    )


def sync_queue_length(stack: Stack) -> int:
    """Messages in the sync queue, hidden ones included (taken messages stay counted until deleted)."""
    name = stack.env.get("QUEUE_SYNC_REQUESTS", "sync-requests")
    with QueueClient.from_connection_string(stack.env["AzureWebJobsStorage"], name) as queue:
        return int(queue.get_queue_properties().approximate_message_count or 0)


def outstanding_work(stack: Stack) -> int:
    """Work the stack still has: messages ready in its queues, and (connection, kind) rows whose pass lease is
    held, whose `pending` flag is set or that are part way through enabling, the initial copy or disabling.
    Messages not yet visible are left out: a request that finds the lease held queues a check for when the
    lease expires (minutes ahead), which runs nothing once `pending` is cleared; and a taken message shows as
    a held lease or a status on its way."""
    connection_string = stack.env["AzureWebJobsStorage"]
    queue_names = (
        stack.env.get("QUEUE_SYNC_REQUESTS", "sync-requests"),
        stack.env.get("QUEUE_LIFECYCLE", "lifecycle"),
    )
    ready = 0
    for name in queue_names:
        with (
            QueueClient.from_connection_string(connection_string, name) as queue,
            contextlib.suppress(ResourceNotFoundError),
        ):
            ready += len(queue.peek_messages(max_messages=32))
    now = datetime.now(UTC)
    with TableClient.from_connection_string(
        connection_string, f"{stack.env['TABLE_PREFIX']}syncstate"
    ) as table:
        try:
            rows = list(table.list_entities(select=["status", "lease_owner", "lease_expires", "pending"]))
        except ResourceNotFoundError:
            rows = []  # nothing synced yet
    busy = [
        row
        for row in rows
        if row.get("pending")
        or row.get("status") in ("connecting", "initial_sync", "disabling")
        or (row.get("lease_owner") and row.get("lease_expires") and row["lease_expires"] > now)
    ]
    return ready + len(busy)


def callbacks_settled(recruit: RecruitEmulator) -> bool:
    response = httpx.get(f"{recruit.base_url}/_emulator/deliveries", trust_env=False)
    return all(entry["delivered"] or entry["attempts"] >= 4 for entry in response.json()["deliveries"])


def until_quiet(stack: Stack, graph: GraphEmulatorHandle, recruit: RecruitEmulator) -> None:
    """Waits until no work is outstanding, every Recruit callback has landed and neither emulator has seen a
    request for QUIET_SECONDS: the echoes of the product's own writes have been heard and handled."""
    last = (request_counts(graph), request_counts(recruit))
    since = time.monotonic()

    def quiet_for() -> float:
        """Seconds since the last request or outstanding work (0 while any is seen)."""
        nonlocal last, since
        now = (request_counts(graph), request_counts(recruit))
        if now != last or outstanding_work(stack) or not callbacks_settled(recruit):
            last, since = now, time.monotonic()
        return time.monotonic() - since

    poll(quiet_for, lambda quiet: quiet >= QUIET_SECONDS, "the stack to go quiet", every=0.25)


@pytest.fixture
def quiet_after(fresh_stack: Stack, graph: GraphEmulatorHandle, recruit: RecruitEmulator) -> Iterator[None]:
    """Lets the dev host finish what a test set going (echo passes, lifecycle steps) before the next test
    wipes storage: a pass still running would write its rows into the next test's empty tables."""
    yield
    until_quiet(fresh_stack, graph, recruit)
