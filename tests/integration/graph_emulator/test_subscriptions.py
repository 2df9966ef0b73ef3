"""Subscriptions: the validation handshake, limits, renewal and expiry, notifications for API changes,
redelivery after a 500, and lifecycle notifications.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.webhook_receiver import Receiver

from .conftest import ALICE, CAROL, event_body

Clients = Callable[[str], httpx.AsyncClient]


def _expiry(minutes: int) -> str:
    return (datetime.now(UTC) + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%S.0000000Z")


def _subscription(receiver: Receiver, resource: str, **extra: Any) -> dict[str, Any]:
    return {
        "changeType": "created,updated,deleted",
        "notificationUrl": receiver.url,
        "resource": resource,
        "expirationDateTime": _expiry(60),
        "clientState": "secret-state",
        **extra,
    }


async def test_changes_through_the_api_are_notified_with_graph_shaped_bodies(
    graph: GraphEmulatorHandle, client_for: Clients, receiver: Receiver
) -> None:
    alice = client_for(ALICE)
    calendar = (await alice.post("/me/calendars", json={"name": "Zoho Recruit"})).json()
    resource = f"/users/{graph.user(ALICE)['id']}/calendars/{calendar['id']}/events"
    created = await alice.post("/subscriptions", json=_subscription(receiver, resource))
    assert created.status_code == 201
    sub = created.json()
    event = (await alice.post(f"/me/calendars/{calendar['id']}/events", json=event_body())).json()
    await alice.delete(f"/me/events/{event['id']}")
    await receiver.wait_for(lambda got: [n["changeType"] for n in got] == ["created", "deleted"])
    first = receiver.notifications[0]
    assert first["subscriptionId"] == sub["id"] and first["clientState"] == "secret-state"
    assert first["tenantId"] == graph.user(ALICE)["tenant_id"]
    assert first["resourceData"]["id"] == event["id"]
    assert first["resourceData"]["@odata.type"] == "#Microsoft.Graph.Event"


async def test_changes_in_other_containers_are_not_notified(client_for: Clients, receiver: Receiver) -> None:
    alice = client_for(ALICE)
    folder = (await alice.post("/me/contactFolders", json={"displayName": "Zoho Recruit Contacts"})).json()
    await alice.post(
        "/subscriptions", json=_subscription(receiver, f"me/contactFolders/{folder['id']}/contacts")
    )
    await alice.post("/me/contacts", json={"givenName": "Elsewhere"})
    await alice.post(f"/me/contactFolders/{folder['id']}/contacts", json={"givenName": "Here"})
    await receiver.wait_for(lambda got: len(got) == 1)
    assert receiver.notifications[0]["resource"].startswith("Users/")


async def test_handshake_answered_wrongly_refuses_the_subscription(
    client_for: Clients, receiver: Receiver
) -> None:
    receiver.mode = "wrong"
    answer = await client_for(ALICE).post("/subscriptions", json=_subscription(receiver, "me/events"))
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "ValidationError"


async def test_listener_answering_500_gets_the_notification_again(
    client_for: Clients, receiver: Receiver
) -> None:
    alice = client_for(ALICE)
    await alice.post("/subscriptions", json=_subscription(receiver, "me/events"))
    receiver.failures_left = 1
    await alice.post("/me/events", json=event_body())
    await receiver.wait_for(lambda got: len(got) == 1)
    assert receiver.posts == 2


async def test_duplicate_subscription_is_409_and_too_long_expiry_is_400(
    client_for: Clients, receiver: Receiver
) -> None:
    alice = client_for(ALICE)
    assert (
        await alice.post("/subscriptions", json=_subscription(receiver, "me/contacts"))
    ).status_code == 201
    assert (
        await alice.post("/subscriptions", json=_subscription(receiver, "me/contacts"))
    ).status_code == 409
    too_long = _subscription(receiver, "me/events", expirationDateTime=_expiry(4231))
    assert (await alice.post("/subscriptions", json=too_long)).status_code == 400
    long_state = _subscription(receiver, "me/events", clientState="x" * 129)
    assert (await alice.post("/subscriptions", json=long_state)).status_code == 400


async def test_renewed_subscription_outlives_its_first_expiry_and_expired_one_is_gone(
    graph: GraphEmulatorHandle, client_for: Clients, receiver: Receiver
) -> None:
    alice = client_for(ALICE)
    renewed = (await alice.post("/subscriptions", json=_subscription(receiver, "me/events"))).json()
    lapsing = (await alice.post("/subscriptions", json=_subscription(receiver, "me/contacts"))).json()
    patched = await alice.patch(f"/subscriptions/{renewed['id']}", json={"expirationDateTime": _expiry(120)})
    assert patched.status_code == 200
    graph.control("clock", {"advance_seconds": 90 * 60})
    alice = client_for(ALICE)  # the first token expired with the clock
    assert (await alice.get(f"/subscriptions/{renewed['id']}")).status_code == 200
    assert (await alice.get(f"/subscriptions/{lapsing['id']}")).status_code == 404
    await alice.post("/me/contacts", json={"givenName": "Late"})
    await alice.post("/me/events", json=event_body())
    await receiver.wait_for(lambda got: len(got) == 1)
    assert receiver.notifications[0]["resourceData"]["@odata.type"] == "#Microsoft.Graph.Event"


async def test_deleted_subscription_stops_notifying(client_for: Clients, receiver: Receiver) -> None:
    alice, carol = client_for(ALICE), client_for(CAROL)
    stopped = (await alice.post("/subscriptions", json=_subscription(receiver, "me/events"))).json()
    await carol.post("/subscriptions", json=_subscription(receiver, "me/events"))
    assert (await alice.delete(f"/subscriptions/{stopped['id']}")).status_code == 204
    await alice.post("/me/events", json=event_body())
    await carol.post("/me/events", json=event_body())
    await receiver.wait_for(lambda got: len(got) == 1)
    assert receiver.notifications[0]["subscriptionId"] != stopped["id"]


async def test_lifecycle_control_call_sends_the_event_and_removal_deletes_the_subscription(
    graph: GraphEmulatorHandle, client_for: Clients, receiver: Receiver
) -> None:
    alice = client_for(ALICE)
    body = _subscription(receiver, "me/events", lifecycleNotificationUrl=receiver.url)
    sub = (await alice.post("/subscriptions", json=body)).json()
    graph.control("lifecycle", {"subscription_id": sub["id"], "event": "reauthorizationRequired"})
    graph.control("lifecycle", {"subscription_id": sub["id"], "event": "subscriptionRemoved"})
    await receiver.wait_for(lambda got: len(got) == 2)
    assert {n["lifecycleEvent"] for n in receiver.notifications} == {
        "reauthorizationRequired",
        "subscriptionRemoved",
    }
    assert (await alice.get(f"/subscriptions/{sub['id']}")).status_code == 404


async def test_deleting_the_container_removes_its_subscription(
    client_for: Clients, receiver: Receiver
) -> None:
    alice = client_for(ALICE)
    calendar = (await alice.post("/me/calendars", json={"name": "Zoho Recruit"})).json()
    body = _subscription(
        receiver, f"me/calendars/{calendar['id']}/events", lifecycleNotificationUrl=receiver.url
    )
    sub = (await alice.post("/subscriptions", json=body)).json()
    await alice.delete(f"/me/calendars/{calendar['id']}")
    await receiver.wait_for(lambda got: [n.get("lifecycleEvent") for n in got] == ["subscriptionRemoved"])
    assert (await alice.get(f"/subscriptions/{sub['id']}")).status_code == 404


async def test_reset_drops_subscriptions_and_pending_deliveries(
    graph: GraphEmulatorHandle, client_for: Clients, receiver: Receiver
) -> None:
    alice = client_for(ALICE)
    sub = (await alice.post("/subscriptions", json=_subscription(receiver, "me/events"))).json()
    receiver.failures_left = 1_000
    await alice.post("/me/events", json=event_body())
    await receiver.wait_for(lambda _: receiver.posts >= 1)
    graph.reset()
    posts_at_reset = receiver.posts
    alice = client_for(ALICE)
    assert (await alice.get(f"/subscriptions/{sub['id']}")).status_code == 404
    assert (await alice.get("/subscriptions")).json()["value"] == []
    assert graph.app.notifier.tasks == set()
    assert receiver.posts == posts_at_reset
