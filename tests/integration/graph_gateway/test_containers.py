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


async def test_a_calendar_named_like_ours_but_not_tagged_is_not_adopted(
    alice_graph: GraphClient, alice_id: str
) -> None:
    users_own = await alice_graph.request(
        "POST", f"/users/{alice_id}/calendars", mailbox=alice_id, body={"name": "ZOHO RECRUIT"}
    )

    ours = await containers.find_or_create_calendar(alice_graph, alice_id, "Zoho Recruit")

    assert ours != users_own.body["id"]
    calendars = await alice_graph.get_all(f"/users/{alice_id}/calendars", mailbox=alice_id)
    assert {c["id"]: c["name"] for c in calendars}[ours] == "Zoho Recruit (2)"
    assert await containers.find_or_create_calendar(alice_graph, alice_id, "Zoho Recruit") == ours


async def test_a_folder_tagged_for_another_mailbox_is_not_adopted(
    alice_graph: GraphClient, alice_id: str
) -> None:
    tag = {
        "id": alice_graph.settings.microsoft_extended_property_id,
        "value": "container:contact:someone-else",
    }
    shared = await alice_graph.request(
        "POST",
        f"/users/{alice_id}/contactFolders",
        mailbox=alice_id,
        body={"displayName": "Zoho Recruit Contacts", "singleValueExtendedProperties": [tag]},
    )

    ours = await containers.find_or_create_contact_folder(alice_graph, alice_id, "Zoho Recruit Contacts")

    assert ours != shared.body["id"]
    assert not await containers.is_ours(alice_graph, alice_id, "contact", shared.body["id"])


async def test_removing_an_untagged_calendar_keeps_it_and_deletes_only_our_tagged_events(
    alice_graph: GraphClient, alice_id: str
) -> None:
    adopted = await alice_graph.request(
        "POST", f"/users/{alice_id}/calendars", mailbox=alice_id, body={"name": "Zoho Recruit"}
    )
    calendar_id = adopted.body["id"]
    when = {
        "start": {"dateTime": "2030-01-10T09:00:00", "timeZone": "UTC"},
        "end": {"dateTime": "2030-01-10T10:00:00", "timeZone": "UTC"},
    }
    tag = {"id": alice_graph.settings.microsoft_extended_property_id, "value": "Events:1001"}
    events = f"/users/{alice_id}/calendars/{calendar_id}/events"
    await alice_graph.request("POST", events, mailbox=alice_id, body={"subject": "Own", **when})
    await alice_graph.request(
        "POST",
        events,
        mailbox=alice_id,
        body={"subject": "Ours", "singleValueExtendedProperties": [tag], **when},
    )

    removal = await containers.delete_calendar(alice_graph, alice_id, calendar_id)

    assert removal == containers.Removal(container_deleted=False, items_removed=1)
    left = await alice_graph.get_all(events, mailbox=alice_id)
    assert [e["subject"] for e in left] == ["Own"]


async def test_removing_our_tagged_calendar_deletes_it(alice_graph: GraphClient, alice_id: str) -> None:
    calendar_id = await containers.find_or_create_calendar(alice_graph, alice_id, "Zoho Recruit")

    removal = await containers.delete_calendar(alice_graph, alice_id, calendar_id)

    assert removal.container_deleted
    assert not await containers.calendar_exists(alice_graph, alice_id, calendar_id)
