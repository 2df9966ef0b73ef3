"""The dedicated calendar and contact folder: found or created once, deletion noticed, deletion idempotent."""

from __future__ import annotations

from sync_core.graph import containers
from sync_core.graph.client import GraphClient


async def test_find_or_create_calendar_twice_gives_one_calendar(
    alice_graph: GraphClient, alice_id: str
) -> None:
    first = await containers.find_or_create_calendar(alice_graph, alice_id, "Zoho Recruit")
    second = await containers.find_or_create_calendar(alice_graph, alice_id, "Zoho Recruit")
    assert first == second
    calendars = await alice_graph.get_all(f"/users/{alice_id}/calendars", mailbox=alice_id)
    assert [c["name"] for c in calendars].count("Zoho Recruit") == 1


async def test_find_or_create_contact_folder_twice_gives_one_folder(
    alice_graph: GraphClient, alice_id: str
) -> None:
    first = await containers.find_or_create_contact_folder(alice_graph, alice_id, "Zoho Recruit Contacts")
    second = await containers.find_or_create_contact_folder(alice_graph, alice_id, "Zoho Recruit Contacts")
    assert first == second
    folders = await alice_graph.get_all(f"/users/{alice_id}/contactFolders", mailbox=alice_id)
    assert [f["displayName"] for f in folders].count("Zoho Recruit Contacts") == 1


async def test_calendar_deleted_in_outlook_is_detected(alice_graph: GraphClient, alice_id: str) -> None:
    calendar_id = await containers.find_or_create_calendar(alice_graph, alice_id, "Zoho Recruit")
    assert await containers.calendar_exists(alice_graph, alice_id, calendar_id)
    await alice_graph.request("DELETE", f"/users/{alice_id}/calendars/{calendar_id}", mailbox=alice_id)
    assert not await containers.calendar_exists(alice_graph, alice_id, calendar_id)


async def test_deleting_a_folder_that_is_already_gone_succeeds(
    alice_graph: GraphClient, alice_id: str
) -> None:
    folder_id = await containers.find_or_create_contact_folder(alice_graph, alice_id, "Zoho Recruit Contacts")
    await containers.delete_contact_folder(alice_graph, alice_id, folder_id)
    await containers.delete_contact_folder(alice_graph, alice_id, folder_id)
    assert not await containers.contact_folder_exists(alice_graph, alice_id, folder_id)
