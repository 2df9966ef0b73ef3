"""Gateway subscriptions: created after the validation handshake, renewed, deleted idempotently."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sync_core.graph import containers, subscriptions
from sync_core.graph.client import GraphClient
from sync_core.graph.errors import ItemNotFound

from .conftest import Listener_


@pytest.fixture
async def resource(alice_graph: GraphClient, alice_id: str) -> str:
    calendar_id = await containers.find_or_create_calendar(alice_graph, alice_id, "Zoho Recruit")
    return subscriptions.calendar_resource(alice_id, calendar_id)


async def _create(graph: GraphClient, resource: str, webhook: Listener_) -> dict[str, object]:
    expires = datetime.now(UTC) + timedelta(minutes=60)
    return await subscriptions.create_subscription(
        graph, resource, webhook.url, webhook.url, "state-1", expires
    )


async def test_subscription_is_created_after_the_handshake(
    alice_graph: GraphClient, resource: str, webhook: Listener_
) -> None:
    before = webhook.validations
    created = await _create(alice_graph, resource, webhook)
    assert created["id"] and created["resource"] == resource
    assert webhook.validations > before


async def test_renewal_moves_the_expiry(alice_graph: GraphClient, resource: str, webhook: Listener_) -> None:
    created = await _create(alice_graph, resource, webhook)
    later = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=3000)
    renewed = await subscriptions.renew(alice_graph, str(created["id"]), later)
    assert datetime.fromisoformat(str(renewed["expirationDateTime"]).replace("Z", "+00:00")) == later


async def test_deleting_twice_succeeds_and_renewing_a_deleted_one_raises(
    alice_graph: GraphClient, resource: str, webhook: Listener_
) -> None:
    created = await _create(alice_graph, resource, webhook)
    await subscriptions.delete(alice_graph, str(created["id"]))
    await subscriptions.delete(alice_graph, str(created["id"]))
    with pytest.raises(ItemNotFound):
        await subscriptions.renew(alice_graph, str(created["id"]), datetime.now(UTC) + timedelta(minutes=60))


async def test_contact_folder_resource_is_accepted(
    alice_graph: GraphClient, alice_id: str, webhook: Listener_
) -> None:
    folder_id = await containers.find_or_create_contact_folder(alice_graph, alice_id, "Zoho Recruit Contacts")
    created = await _create(alice_graph, subscriptions.contacts_resource(alice_id, folder_id), webhook)
    assert created["id"]
