"""Both delta queries: paging with odata.maxpagesize, deltaLink rounds with changes and removals, and
the 410 after the control API expires sync state.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from tests.fixtures.graph_emulator import GraphEmulatorHandle

from .conftest import ALICE, event_body

Clients = Callable[[str], httpx.AsyncClient]
WINDOW = {"startDateTime": "2026-01-01T00:00:00Z", "endDateTime": "2027-12-31T00:00:00Z"}
PAGE_OF_2 = {"Prefer": "odata.maxpagesize=2"}


async def _round(client: httpx.AsyncClient, first_url: str, params: dict[str, str] | None = None
                 ) -> tuple[list[dict[str, Any]], str, int]:  # fmt: skip
    """Follow nextLinks to the deltaLink: (items, deltaLink, pages)."""
    answer = (await client.get(first_url, params=params, headers=PAGE_OF_2)).json()
    items, pages = list(answer["value"]), 1
    while "@odata.nextLink" in answer:
        assert len(answer["value"]) == 2
        answer = (await client.get(answer["@odata.nextLink"], headers=PAGE_OF_2)).json()
        items += answer["value"]
        pages += 1
    return items, answer["@odata.deltaLink"], pages


async def test_calendar_delta_pages_then_reports_changes_deletions_and_items_leaving_the_window(
    client_for: Clients,
) -> None:
    alice = client_for(ALICE)
    calendar = (await alice.post("/me/calendars", json={"name": "Zoho Recruit"})).json()
    events = f"/me/calendars/{calendar['id']}/events"
    created = [(await alice.post(events, json=event_body(subject=f"E{n}"))).json() for n in range(5)]
    await alice.post(events, json=event_body(subject="Outside", start="2030-01-01T10:00:00"))
    delta_url = f"/me/calendars/{calendar['id']}/calendarView/delta"

    items, delta_link, pages = await _round(alice, delta_url, WINDOW)
    assert pages == 3 and sorted(i["subject"] for i in items) == ["E0", "E1", "E2", "E3", "E4"]

    await alice.patch(f"/me/events/{created[0]['id']}", json={"subject": "E0 moved"})
    await alice.delete(f"/me/events/{created[1]['id']}")
    later = event_body(start="2031-01-01T10:00:00")
    await alice.patch(f"/me/events/{created[2]['id']}", json={"start": later["start"], "end": later["end"]})
    changes, _, _ = await _round(alice, delta_link)
    by_id = {c["id"]: c for c in changes}
    assert by_id[created[0]["id"]]["subject"] == "E0 moved"
    assert by_id[created[1]["id"]]["@removed"] == {"reason": "deleted"}
    assert by_id[created[2]["id"]]["@removed"] == {"reason": "deleted"}
    assert len(by_id) == 3


async def test_calendar_delta_refuses_select(client_for: Clients) -> None:
    alice = client_for(ALICE)
    calendar = (await alice.get("/me/calendar")).json()
    answer = await alice.get(
        f"/me/calendars/{calendar['id']}/calendarView/delta", params=WINDOW | {"$select": "subject"}
    )
    assert answer.status_code == 400


async def test_contacts_delta_with_select_pages_and_reports_removals(client_for: Clients) -> None:
    alice = client_for(ALICE)
    folder = (await alice.post("/me/contactFolders", json={"displayName": "Zoho Recruit Contacts"})).json()
    contacts = f"/me/contactFolders/{folder['id']}/contacts"
    created = [
        (await alice.post(contacts, json={"givenName": f"C{n}", "jobTitle": "x"})).json() for n in range(3)
    ]
    items, delta_link, pages = await _round(alice, f"{contacts}/delta", {"$select": "givenName"})
    assert pages == 2 and {i["givenName"] for i in items} == {"C0", "C1", "C2"}
    assert all("jobTitle" not in i for i in items)
    await alice.delete(f"/me/contacts/{created[0]['id']}")
    new = (await alice.post(contacts, json={"givenName": "C3"})).json()
    changes, _, _ = await _round(alice, delta_link)
    assert {c["id"]: c.get("@removed") for c in changes} == {
        created[0]["id"]: {"reason": "deleted"},
        new["id"]: None,
    }


async def test_expired_sync_state_answers_410(graph: GraphEmulatorHandle, client_for: Clients) -> None:
    alice = client_for(ALICE)
    folder = (await alice.get("/me/contactFolders")).json()
    calendar = (await alice.get("/me/calendar")).json()
    _, delta_link, _ = await _round(alice, f"/me/calendars/{calendar['id']}/calendarView/delta", WINDOW)
    assert folder["value"] == []
    graph.control("expire-delta", {"user": ALICE})
    answer = await alice.get(delta_link)
    assert answer.status_code == 410 and answer.json()["error"]["code"] == "SyncStateNotFound"


async def test_delta_link_of_a_deleted_folder_is_404(client_for: Clients) -> None:
    alice = client_for(ALICE)
    folder = (await alice.post("/me/contactFolders", json={"displayName": "Gone"})).json()
    _, delta_link, _ = await _round(alice, f"/me/contactFolders/{folder['id']}/contacts/delta")
    await alice.delete(f"/me/contactFolders/{folder['id']}")
    assert (await alice.get(delta_link)).status_code == 404
