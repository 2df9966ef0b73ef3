"""The Graph emulator's mailbox API over plain HTTP: containers, events, contacts, access checks."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from tests.fixtures.graph_emulator import GraphEmulatorHandle

from .conftest import ALICE, BOB, CAROL, TAG_ID, event_body

Clients = Callable[[str], httpx.AsyncClient]


async def test_every_mailbox_has_a_default_calendar_reachable_by_id_and_email(
    graph: GraphEmulatorHandle, client_for: Clients
) -> None:
    alice = client_for(ALICE)
    alice_id = graph.user(ALICE)["id"]
    by_me = (await alice.get("/me/calendar")).json()
    by_email = (await alice.get(f"/users/{ALICE}/calendar")).json()
    events = (await alice.get(f"/users/{alice_id}/events")).json()["value"]
    assert by_me["id"] == by_email["id"] and by_me["isDefaultCalendar"] is True
    assert {e["subject"] for e in events} == {"Team stand-up", "Dentist"}


async def test_deleting_a_calendar_deletes_its_events_and_later_gets_are_404(client_for: Clients) -> None:
    alice = client_for(ALICE)
    calendar = (await alice.post("/me/calendars", json={"name": "Zoho Recruit"})).json()
    event = (await alice.post(f"/me/calendars/{calendar['id']}/events", json=event_body())).json()
    assert (await alice.delete(f"/me/calendars/{calendar['id']}")).status_code == 204
    gone = await alice.get(f"/me/calendars/{calendar['id']}")
    assert gone.status_code == 404 and gone.json()["error"]["code"] == "ErrorItemNotFound"
    assert (await alice.get(f"/me/events/{event['id']}")).status_code == 404


async def test_duplicate_contact_folder_name_is_409(client_for: Clients) -> None:
    alice = client_for(ALICE)
    assert (
        await alice.post("/me/contactFolders", json={"displayName": "Zoho Recruit Contacts"})
    ).status_code == 201
    again = await alice.post("/me/contactFolders", json={"displayName": "Zoho Recruit Contacts"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "ErrorFolderExists"


async def test_second_post_with_same_transaction_id_returns_the_existing_event(client_for: Clients) -> None:
    alice = client_for(ALICE)
    first = await alice.post("/me/events", json=event_body(transactionId="tx-1"))
    second = await alice.post("/me/events", json=event_body(subject="Other", transactionId="tx-1"))
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]


async def test_every_write_gives_a_new_change_key_and_stale_if_match_is_412(client_for: Clients) -> None:
    alice = client_for(ALICE)
    created = (await alice.post("/me/events", json=event_body())).json()
    updated = await alice.patch(
        f"/me/events/{created['id']}", json={"subject": "Moved"}, headers={"If-Match": created["@odata.etag"]}
    )
    assert updated.status_code == 200 and updated.json()["changeKey"] != created["changeKey"]
    stale = await alice.delete(f"/me/events/{created['id']}", headers={"If-Match": created["@odata.etag"]})
    assert stale.status_code == 412 and stale.json()["error"]["code"] == "ErrorIrreparableCorruption"


async def test_outlook_timezone_preference_converts_start_and_end(client_for: Clients) -> None:
    alice = client_for(ALICE)
    body = event_body() | {
        "start": {"dateTime": "2026-12-10T10:00:00", "timeZone": "W. Europe Standard Time"},
        "end": {"dateTime": "2026-12-10T11:00:00", "timeZone": "Europe/Berlin"},
    }
    created = (await alice.post("/me/events", json=body)).json()
    assert created["start"] == {"dateTime": "2026-12-10T09:00:00.0000000", "timeZone": "UTC"}
    india = await alice.get(
        f"/me/events/{created['id']}", headers={"Prefer": 'outlook.timezone="India Standard Time"'}
    )
    assert india.json()["end"] == {
        "dateTime": "2026-12-10T15:30:00.0000000",
        "timeZone": "India Standard Time",
    }


async def test_all_day_event_not_at_midnight_is_400(client_for: Clients) -> None:
    alice = client_for(ALICE)
    answer = await alice.post("/me/events", json=event_body(isAllDay=True))
    assert answer.status_code == 400


async def test_recurrence_makes_a_series_master(client_for: Clients) -> None:
    alice = client_for(ALICE)
    recurrence = {
        "pattern": {"type": "weekly", "interval": 1, "daysOfWeek": ["thursday"]},
        "range": {"type": "numbered", "startDate": "2026-12-10", "numberOfOccurrences": 3},
    }
    created = (await alice.post("/me/events", json=event_body(recurrence=recurrence))).json()
    assert created["type"] == "seriesMaster"


async def test_unknown_contact_property_is_400(client_for: Clients) -> None:
    alice = client_for(ALICE)
    answer = await alice.post("/me/contacts", json={"givenName": "X", "faxNumber": "123"})
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "RequestBodyRead"


async def test_contact_crud_in_a_folder(client_for: Clients) -> None:
    alice = client_for(ALICE)
    folder = (await alice.post("/me/contactFolders", json={"displayName": "Zoho Recruit Contacts"})).json()
    created = await alice.post(
        f"/me/contactFolders/{folder['id']}/contacts",
        json={"givenName": "Gil", "surname": "Grant", "businessAddress": {"city": "Oslo"}},
    )
    contact = created.json()
    assert created.status_code == 201 and contact["displayName"] == "Gil Grant"
    assert contact["parentFolderId"] == folder["id"]
    patched = (await alice.patch(f"/me/contacts/{contact['id']}", json={"jobTitle": "CTO"})).json()
    assert patched["jobTitle"] == "CTO" and patched["businessAddress"] == {"city": "Oslo"}
    assert (
        await alice.delete(f"/me/contactFolders/{folder['id']}/contacts/{contact['id']}")
    ).status_code == 204
    assert (await alice.get(f"/me/contacts/{contact['id']}")).status_code == 404


async def test_extended_property_is_returned_only_when_expanded_and_can_be_filtered(
    client_for: Clients,
) -> None:
    alice = client_for(ALICE)
    tagged = event_body(singleValueExtendedProperties=[{"id": TAG_ID, "value": "Events:42"}])
    created = (await alice.post("/me/events", json=tagged)).json()
    assert "singleValueExtendedProperties" not in created
    expand = f"singleValueExtendedProperties($filter=id eq '{TAG_ID}')"
    got = (await alice.get(f"/me/events/{created['id']}", params={"$expand": expand})).json()
    assert got["singleValueExtendedProperties"] == [{"id": TAG_ID, "value": "Events:42"}]
    any_tag = f"singleValueExtendedProperties/Any(ep: ep/id eq '{TAG_ID}' and ep/value eq 'Events:42')"
    found = await alice.get("/me/events", params={"$filter": any_tag})
    assert [e["id"] for e in found.json()["value"]] == [created["id"]]


async def test_event_list_pages_with_top(client_for: Clients) -> None:
    alice = client_for(ALICE)
    for n in range(3):
        await alice.post("/me/events", json=event_body(subject=f"E{n}"))
    first = (await alice.get("/me/events", params={"$top": "3"})).json()
    second = (await alice.get(first["@odata.nextLink"])).json()
    assert len(first["value"]) == 3 and len(second["value"]) == 2
    assert "@odata.nextLink" not in second


async def test_missing_or_unknown_token_is_401(graph: GraphEmulatorHandle) -> None:
    async with httpx.AsyncClient(base_url=f"{graph.base_url}/v1.0", trust_env=False) as anonymous:
        missing = await anonymous.get("/me/events")
        unknown = await anonymous.get("/me/events", headers={"Authorization": "Bearer nope"})
    assert missing.status_code == unknown.status_code == 401
    assert missing.json()["error"]["code"] == "InvalidAuthenticationToken"


async def test_expired_token_is_401(graph: GraphEmulatorHandle, client_for: Clients) -> None:
    alice = client_for(ALICE)
    graph.control("clock", {"advance_seconds": 3601})
    assert (await alice.get("/me/events")).status_code == 401


async def test_delegated_token_cannot_reach_another_mailbox(client_for: Clients) -> None:
    alice = client_for(ALICE)
    assert (await alice.get(f"/users/{CAROL}/events")).status_code == 401
    assert (await alice.get(f"/users/{BOB}/contacts")).status_code == 401


async def test_injected_faults_answer_in_graphs_error_shape(
    graph: GraphEmulatorHandle, client_for: Clients
) -> None:
    alice = client_for(ALICE)
    graph.control("faults", {"rules": [{"prefix": "/v1.0/", "rate": 1, "statuses": [503]}]})
    answer = await alice.get("/me/events")
    assert answer.status_code == 503 and answer.json()["error"]["code"] == "ServiceUnavailable"
    assert graph.control_get("stats")["faults"] == 1


async def test_unknown_segment_is_a_graph_shaped_400(client_for: Clients) -> None:
    answer = await client_for(ALICE).get("/me/notAThing")
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "BadRequest"


async def test_the_text_form_of_a_link_is_switchable_since_no_source_documents_it(
    graph: GraphEmulatorHandle, client_for: Clients
) -> None:
    alice = client_for(ALICE)
    link = '<a href="https://example.com/join">join here</a>'
    body = {"contentType": "html", "content": f"<p>Agenda: {link}</p>"}
    created = (await alice.post("/me/events", json=event_body(body=body))).json()
    text = {"Prefer": 'outlook.body-content-type="text"'}

    default = (await alice.get(f"/me/events/{created['id']}", headers=text)).json()["body"]["content"]
    kept_mode = graph.control("settings", {"text_links": "kept"})
    kept = (await alice.get(f"/me/events/{created['id']}", headers=text)).json()["body"]["content"]
    async with httpx.AsyncClient(base_url=graph.base_url, trust_env=False) as control:
        refused = await control.post("/_emulator/settings", json={"text_links": "maybe"})
    graph.reset()

    assert (default, kept_mode["text_links"], kept) == (
        "Agenda: join here",
        "kept",
        "Agenda: join here<https://example.com/join>",
    )
    assert refused.status_code == 400
    assert graph.control("settings")["text_links"] == "dropped"  # a reset brings the default back
