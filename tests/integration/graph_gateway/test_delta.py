"""Delta rounds through the gateway: paging to the delta link, changes and removals, 410, deleted containers,
and reading the tags the calendar delta leaves out.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sync_core.graph import containers, items
from sync_core.graph.client import GraphClient
from sync_core.graph.delta import calendar_delta, contacts_delta, fetch_tags
from sync_core.graph.errors import ContainerGone, DeltaExpired
from tests.fixtures.graph_emulator import GraphEmulatorHandle

from .conftest import event_body, stats

START, END = datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 12, 31, tzinfo=UTC)


@pytest.fixture
async def calendar_id(alice_graph: GraphClient, alice_id: str) -> str:
    return await containers.find_or_create_calendar(alice_graph, alice_id, "Zoho Recruit")


async def _create_events(graph: GraphClient, mailbox: str, calendar_id: str, count: int) -> list[str]:
    return [
        (
            await items.create(
                graph, mailbox, "event", calendar_id, event_body(f"E{n}"), f"Events:{n}", f"t{n}"
            )
        )["id"]
        for n in range(count)
    ]


async def test_calendar_delta_round_follows_pages_to_the_delta_link(
    graph: GraphEmulatorHandle, alice_graph: GraphClient, alice_id: str, calendar_id: str
) -> None:
    created = await _create_events(alice_graph, alice_id, calendar_id, 5)
    first = await calendar_delta(alice_graph, alice_id, calendar_id, START, END, None, page_size=2)
    assert sorted(c["id"] for c in first.changes) == sorted(created)
    assert first.delta_link
    pages = sum(n for key, n in stats(graph)["requests"].items() if "calendarView/delta" in key)
    assert pages == 3


async def test_next_round_reports_updates_and_removals(
    alice_graph: GraphClient, alice_id: str, calendar_id: str
) -> None:
    created = await _create_events(alice_graph, alice_id, calendar_id, 3)
    first = await calendar_delta(alice_graph, alice_id, calendar_id, START, END, None, page_size=2)
    await items.update(alice_graph, alice_id, "event", created[0], {"subject": "E0 moved"})
    await items.delete(alice_graph, alice_id, "event", created[1])
    second = await calendar_delta(
        alice_graph, alice_id, calendar_id, START, END, first.delta_link, page_size=2
    )
    assert [c["subject"] for c in second.changed] == ["E0 moved"]
    assert second.removed_ids == [created[1]]


async def test_expired_delta_link_raises_delta_expired(
    graph: GraphEmulatorHandle, alice_graph: GraphClient, alice_id: str, calendar_id: str
) -> None:
    first = await calendar_delta(alice_graph, alice_id, calendar_id, START, END, None)
    graph.control("expire-delta", {"user": alice_id})
    with pytest.raises(DeltaExpired):
        await calendar_delta(alice_graph, alice_id, calendar_id, START, END, first.delta_link)


async def test_delta_on_a_deleted_calendar_raises_container_gone(
    alice_graph: GraphClient, alice_id: str, calendar_id: str
) -> None:
    await containers.delete_calendar(alice_graph, alice_id, calendar_id)
    with pytest.raises(ContainerGone):
        await calendar_delta(alice_graph, alice_id, calendar_id, START, END, None)


async def test_fetch_tags_reads_tags_full_items_and_missing_ids(
    alice_graph: GraphClient, alice_id: str, calendar_id: str
) -> None:
    tagged = await _create_events(alice_graph, alice_id, calendar_id, 2)
    untagged = (
        await alice_graph.request(
            "POST",
            f"/users/{alice_id}/calendars/{calendar_id}/events",
            mailbox=alice_id,
            body=event_body("Mine"),
        )
    ).body["id"]
    await items.delete(alice_graph, alice_id, "event", tagged[1])
    lookup = await fetch_tags(alice_graph, alice_id, "event", [tagged[0], untagged, tagged[1]])
    assert lookup.tags == {tagged[0]: "Events:0", untagged: None}
    assert lookup.items[untagged]["subject"] == "Mine"
    assert lookup.missing == {tagged[1]}


async def test_contacts_delta_selects_fields_and_reports_removals(
    alice_graph: GraphClient, alice_id: str
) -> None:
    folder_id = await containers.find_or_create_contact_folder(alice_graph, alice_id, "Zoho Recruit Contacts")
    kept = await items.create(
        alice_graph, alice_id, "contact", folder_id, {"givenName": "Kim", "surname": "Lee"}, "C:1"
    )
    gone = await items.create(alice_graph, alice_id, "contact", folder_id, {"givenName": "Max"}, "C:2")
    first = await contacts_delta(alice_graph, alice_id, folder_id, None, select=["givenName"], page_size=1)
    assert sorted(c["givenName"] for c in first.changes) == ["Kim", "Max"]
    assert all("surname" not in c for c in first.changes)
    await items.delete(alice_graph, alice_id, "contact", gone["id"])
    second = await contacts_delta(alice_graph, alice_id, folder_id, first.delta_link)
    assert second.removed_ids == [gone["id"]]
    assert kept["id"] not in second.removed_ids
