"""Events and contacts: idempotent creates, lookup by our tag, updates, deletes, and no attendees written."""

from __future__ import annotations

import pytest

from sync_core.graph import containers, items
from sync_core.graph.client import GraphClient
from sync_core.graph.errors import ItemNotFound, PreconditionFailed

from .conftest import event_body


@pytest.fixture
async def calendar_id(alice_graph: GraphClient, alice_id: str) -> str:
    return await containers.find_or_create_calendar(alice_graph, alice_id, "Zoho Recruit")


async def test_create_with_the_same_transaction_id_twice_gives_one_event(
    alice_graph: GraphClient, alice_id: str, calendar_id: str
) -> None:
    body = event_body("Interview with Sam")
    first = await items.create(alice_graph, alice_id, "event", calendar_id, body, "Interviews:1", "tx-1")
    second = await items.create(alice_graph, alice_id, "event", calendar_id, body, "Interviews:1", "tx-1")
    assert first["id"] == second["id"]
    events = await alice_graph.get_all(f"/users/{alice_id}/calendars/{calendar_id}/events", mailbox=alice_id)
    assert [e["subject"] for e in events] == ["Interview with Sam"]


async def test_find_by_tag_returns_only_the_tagged_item(
    alice_graph: GraphClient, alice_id: str, calendar_id: str
) -> None:
    wanted = await items.create(
        alice_graph, alice_id, "event", calendar_id, event_body("A"), "Events:1", "tx-a"
    )
    await items.create(alice_graph, alice_id, "event", calendar_id, event_body("B"), "Events:2", "tx-b")
    found = await items.find_by_tag(alice_graph, alice_id, "event", calendar_id, "Events:1")
    assert [f["id"] for f in found] == [wanted["id"]]
    assert items.tag_of(found[0], alice_graph.settings.microsoft_extended_property_id) == "Events:1"


async def test_find_by_tag_handles_quotes_in_the_value(alice_graph: GraphClient, alice_id: str) -> None:
    folder_id = await containers.find_or_create_contact_folder(alice_graph, alice_id, "Zoho Recruit Contacts")
    contact = await items.create(
        alice_graph, alice_id, "contact", folder_id, {"givenName": "Pat"}, "Contacts:o'1"
    )
    found = await items.find_by_tag(alice_graph, alice_id, "contact", folder_id, "Contacts:o'1")
    assert [f["id"] for f in found] == [contact["id"]]


async def test_get_returns_the_tag_and_update_changes_the_item(
    alice_graph: GraphClient, alice_id: str, calendar_id: str
) -> None:
    created = await items.create(
        alice_graph, alice_id, "event", calendar_id, event_body("Old"), "Events:7", "tx-7"
    )
    await items.update(alice_graph, alice_id, "event", created["id"], {"subject": "New"})
    fetched = await items.get(alice_graph, alice_id, "event", created["id"])
    assert fetched["subject"] == "New"
    assert items.tag_of(fetched, alice_graph.settings.microsoft_extended_property_id) == "Events:7"


async def test_update_with_a_stale_etag_is_refused(
    alice_graph: GraphClient, alice_id: str, calendar_id: str
) -> None:
    created = await items.create(
        alice_graph, alice_id, "event", calendar_id, event_body("Old"), "Events:8", "tx-8"
    )
    await items.update(alice_graph, alice_id, "event", created["id"], {"subject": "Changed in Outlook"})
    with pytest.raises(PreconditionFailed):
        await items.update(
            alice_graph, alice_id, "event", created["id"], {"subject": "Ours"}, etag=created["@odata.etag"]
        )


async def test_attendees_are_never_written(alice_graph: GraphClient, alice_id: str, calendar_id: str) -> None:
    body = {**event_body("Panel"), "attendees": [{"emailAddress": {"address": "candidate@example.com"}}]}
    created = await items.create(alice_graph, alice_id, "event", calendar_id, body, "Interviews:9", "tx-9")
    assert not (await items.get(alice_graph, alice_id, "event", created["id"])).get("attendees")


async def test_deleting_an_item_twice_succeeds(
    alice_graph: GraphClient, alice_id: str, calendar_id: str
) -> None:
    created = await items.create(
        alice_graph, alice_id, "event", calendar_id, event_body("Gone"), "Events:3", "tx-3"
    )
    await items.delete(alice_graph, alice_id, "event", created["id"])
    await items.delete(alice_graph, alice_id, "event", created["id"])
    with pytest.raises(ItemNotFound):
        await items.get(alice_graph, alice_id, "event", created["id"])
