"""Graph behaviours the v1.0 reference states, checked over HTTP as any client sees them: HTML bodies and the
Prefer header, time zones, error bodies, $batch ids, paging, $select and @odata.context.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
import pytest

from tests.fixtures.graph_emulator import GraphEmulatorHandle

from .conftest import ALICE, event_body

Clients = Callable[[str], httpx.AsyncClient]
TEXT = {"Prefer": 'outlook.body-content-type="text"'}


async def test_a_text_body_comes_back_as_an_html_document_with_its_line_breaks(client_for: Clients) -> None:
    alice = client_for(ALICE)
    body = {"contentType": "text", "content": "Room 4 & 5\nBring <CV>"}
    created = (await alice.post("/me/events", json=event_body(body=body))).json()
    got = (await alice.get(f"/me/events/{created['id']}")).json()
    assert created["body"] == got["body"] and got["body"]["contentType"] == "html"
    html = got["body"]["content"]
    assert html.startswith("<html>") and "<body>" in html
    assert "Room 4 &amp; 5<br>" in html and "Bring &lt;CV&gt;" in html
    assert got["bodyPreview"] == "Room 4 & 5 Bring <CV>"


async def test_prefer_text_returns_the_text_and_says_so(client_for: Clients) -> None:
    alice = client_for(ALICE)
    body = {"contentType": "text", "content": "Line one\nLine two"}
    created = (await alice.post("/me/events", json=event_body(body=body), headers=TEXT)).json()
    got = await alice.get(f"/me/events/{created['id']}", headers=TEXT)
    listed = await alice.get("/me/events", headers=TEXT)
    assert created["body"] == got.json()["body"] == {"contentType": "text", "content": "Line one\r\nLine two"}
    assert got.headers["Preference-Applied"] == 'outlook.body-content-type="text"'
    assert listed.headers["Preference-Applied"] == 'outlook.body-content-type="text"'
    assert all(e["body"]["contentType"] == "text" for e in listed.json()["value"])


async def test_an_html_body_is_read_back_as_text_when_asked(client_for: Clients) -> None:
    alice = client_for(ALICE)
    body = {"contentType": "html", "content": "<p>Agenda</p><ul><li>Intro</li><li>Q&amp;A</li></ul>"}
    created = (await alice.post("/me/events", json=event_body(body=body))).json()
    as_html = (await alice.get(f"/me/events/{created['id']}")).json()["body"]
    as_text = (await alice.get(f"/me/events/{created['id']}", headers=TEXT)).json()["body"]
    html_pref = await alice.get(
        f"/me/events/{created['id']}", headers={"Prefer": 'outlook.body-content-type="html"'}
    )
    assert as_html["contentType"] == "html" and "<li>Intro</li>" in as_html["content"]
    assert as_text == {"contentType": "text", "content": "Agenda\r\nIntro\r\nQ&A"}
    assert html_pref.json()["body"] == as_html
    assert html_pref.headers["Preference-Applied"] == 'outlook.body-content-type="html"'


async def test_contact_personal_notes_stay_plain_text(client_for: Clients) -> None:
    alice = client_for(ALICE)
    notes = "Met at <conf>\nCall back"
    created = (await alice.post("/me/contacts", json={"givenName": "Ann", "personalNotes": notes})).json()
    assert (await alice.get(f"/me/contacts/{created['id']}")).json()["personalNotes"] == notes


# api/user-post-events.md answers with event times to the 100 ns ("2017-08-30T07:06:34.5079772Z");
# api/user-post-contacts.md and api/contact-get.md with contact times to the second ("2017-09-04T15:54:02Z").
EVENT_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$")
CONTACT_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


async def test_an_event_edited_twice_in_one_second_has_two_modification_times(client_for: Clients) -> None:
    alice = client_for(ALICE)
    created = (await alice.post("/me/events", json=event_body())).json()
    edited = (await alice.patch(f"/me/events/{created['id']}", json={"subject": "Moved"})).json()
    assert EVENT_TIME.match(created["createdDateTime"]) and EVENT_TIME.match(edited["lastModifiedDateTime"])
    assert edited["lastModifiedDateTime"] > created["lastModifiedDateTime"]


async def test_contact_times_are_to_the_second(client_for: Clients) -> None:
    alice = client_for(ALICE)
    created = (await alice.post("/me/contacts", json={"givenName": "Pat"})).json()
    assert CONTACT_TIME.match(created["createdDateTime"]) and CONTACT_TIME.match(
        created["lastModifiedDateTime"]
    )


async def test_outlook_timezone_is_applied_and_confirmed_on_every_event_read(client_for: Clients) -> None:
    alice = client_for(ALICE)
    created = (await alice.post("/me/events", json=event_body(start="2026-12-10T10:00:00"))).json()
    prefer = {"Prefer": 'outlook.timezone="Pacific Standard Time", outlook.body-content-type="text"'}
    got = await alice.get(f"/me/events/{created['id']}", headers=prefer)
    assert got.json()["start"] == {
        "dateTime": "2026-12-10T02:00:00.0000000",
        "timeZone": "Pacific Standard Time",
    }
    applied = {v.strip() for v in got.headers["Preference-Applied"].split(",")}
    assert applied == {'outlook.timezone="Pacific Standard Time"', 'outlook.body-content-type="text"'}
    iana = await alice.get(f"/me/events/{created['id']}", headers={"Prefer": 'outlook.timezone="Asia/Tokyo"'})
    assert iana.json()["end"] == {"dateTime": "2026-12-10T20:00:00.0000000", "timeZone": "Asia/Tokyo"}
    plain = await alice.get(f"/me/events/{created['id']}")
    assert plain.json()["start"]["timeZone"] == "UTC" and "Preference-Applied" not in plain.headers


@pytest.mark.parametrize("zone", ["Mars/Olympus", "Europe/Amsterdam", "CET", "W. Europe"])
async def test_time_zones_graph_does_not_support_are_refused(client_for: Clients, zone: str) -> None:
    alice = client_for(ALICE)
    body = event_body() | {"start": {"dateTime": "2026-12-10T10:00:00", "timeZone": zone}}
    created = await alice.post("/me/events", json=body)
    read = await alice.get("/me/events", headers={"Prefer": f'outlook.timezone="{zone}"'})
    for answer in (created, read):
        assert answer.status_code == 400
        assert answer.json()["error"]["code"] == "TimeZoneNotSupportedException"
    existing = (await alice.post("/me/events", json=event_body())).json()
    patched = await alice.patch(f"/me/events/{existing['id']}", json={"end": body["start"]})
    assert patched.status_code == 400


@pytest.mark.parametrize(
    "zone", ["W. Europe Standard Time", "UTC", "Europe/Kyiv", "Europe/Kiev", "Asia/Kolkata"]
)
async def test_windows_names_and_the_documented_iana_names_are_accepted(
    client_for: Clients, zone: str
) -> None:
    alice = client_for(ALICE)
    body = event_body() | {
        "start": {"dateTime": "2026-12-10T10:00:00", "timeZone": zone},
        "end": {"dateTime": "2026-12-10T11:00:00", "timeZone": zone},
    }
    created = await alice.post("/me/events", json=body, headers={"Prefer": f'outlook.timezone="{zone}"'})
    assert created.status_code == 201
    assert created.json()["start"] == {"dateTime": "2026-12-10T10:00:00.0000000", "timeZone": zone}
    assert created.json()["originalStartTimeZone"] == zone


async def test_a_repeated_transaction_id_creates_one_event(client_for: Clients) -> None:
    alice = client_for(ALICE)
    before = len((await alice.get("/me/events", params={"$top": "100"})).json()["value"])
    for _ in range(3):
        answer = await alice.post("/me/events", json=event_body(transactionId="retry-7"))
        assert answer.status_code == 201
    after = (await alice.get("/me/events", params={"$top": "100"})).json()["value"]
    assert len(after) == before + 1


async def test_errors_carry_code_message_and_inner_error_everywhere(
    graph: GraphEmulatorHandle, client_for: Clients
) -> None:
    alice = client_for(ALICE)
    missing = await alice.get("/me/events/AAMkAnope", headers={"client-request-id": "my-id-1"})
    segment = await alice.get("/me/calendars/x/notAThing")
    async with httpx.AsyncClient(base_url=graph.base_url, trust_env=False) as raw:
        no_version = await raw.get("/nothing/here")
    assert missing.status_code == 404 and segment.status_code == 400 and no_version.status_code == 404
    for answer in (missing, segment, no_version):
        error = answer.json()["error"]
        assert set(error) == {"code", "message", "innerError"} and error["code"] and error["message"]
        assert set(error["innerError"]) == {"date", "request-id", "client-request-id"}
    assert missing.json()["error"]["innerError"]["client-request-id"] == "my-id-1"
    assert "'notAThing'" in segment.json()["error"]["message"]


async def test_batch_ids_differing_only_in_case_fail_the_whole_batch(
    graph: GraphEmulatorHandle, client_for: Clients
) -> None:
    alice = client_for(ALICE)
    requests = [
        {"id": "a", "method": "POST", "url": "/me/events", "body": event_body(),
         "headers": {"Content-Type": "application/json"}},
        {"id": "A", "method": "GET", "url": "/me/calendar"},
    ]  # fmt: skip
    answer = await alice.post("/$batch", json={"requests": requests})
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "BadRequest"
    assert graph.control_get("stats")["requests"].get("POST /v1.0/me/events", 0) == 0


async def test_depends_on_matches_ids_without_regard_to_case(client_for: Clients) -> None:
    alice = client_for(ALICE)
    requests = [
        {"id": "First", "method": "GET", "url": "/me/events/nope"},
        {"id": "second", "method": "GET", "url": "/me/calendar", "dependsOn": ["FIRST"]},
    ]
    answer = (await alice.post("/$batch", json={"requests": requests})).json()
    assert {r["id"]: r["status"] for r in answer["responses"]} == {"First": 404, "second": 424}


async def test_me_and_users_forms_answer_the_same(graph: GraphEmulatorHandle, client_for: Clients) -> None:
    alice = client_for(ALICE)
    alice_id = graph.user(ALICE)["id"]
    for path in (
        "/calendar",
        "/calendars",
        "/events",
        "/contacts",
        "/contactFolders",
        "/mailboxSettings",
        "",
    ):
        by_me, by_id = await alice.get(f"/me{path}"), await alice.get(f"/users/{alice_id}{path}")
        assert by_me.status_code == by_id.status_code == 200, path
        assert by_me.json() == by_id.json(), path


async def test_odata_context_names_the_entity_set(graph: GraphEmulatorHandle, client_for: Clients) -> None:
    alice = client_for(ALICE)
    alice_id = graph.user(ALICE)["id"]
    root = f"{graph.base_url}/v1.0/$metadata#users('{alice_id}')"
    created = (await alice.post("/me/events", json=event_body())).json()
    got = (await alice.get(f"/me/events/{created['id']}", params={"$select": "subject,start"})).json()
    calendar = (await alice.get("/me/calendar")).json()
    listed = (await alice.get(f"/me/calendars/{calendar['id']}/events")).json()
    assert created["@odata.context"] == f"{root}/events/$entity"
    assert got["@odata.context"] == f"{root}/events(subject,start)/$entity"
    assert set(got) == {"@odata.context", "@odata.etag", "id", "subject", "start"}
    assert listed["@odata.context"] == f"{root}/calendars('{calendar['id']}')/events"
    assert (await alice.get("/me")).json()[
        "@odata.context"
    ] == f"{graph.base_url}/v1.0/$metadata#users/$entity"


@pytest.mark.parametrize("collection", ["/me/events", "/me/calendars", "/me/contacts", "/me/contactFolders"])
async def test_lists_page_with_top_and_next_link(client_for: Clients, collection: str) -> None:
    alice = client_for(ALICE)
    make = {
        "/me/events": lambda n: event_body(subject=f"E{n}"),
        "/me/calendars": lambda n: {"name": f"Cal {n}"},
        "/me/contacts": lambda n: {"givenName": f"C{n}"},
        "/me/contactFolders": lambda n: {"displayName": f"Folder {n}"},
    }[collection]
    for n in range(12):
        assert (await alice.post(collection, json=make(n))).status_code == 201
    default = (await alice.get(collection)).json()
    assert len(default["value"]) == 10 and "@odata.nextLink" in default
    seen, url = [], f"{collection}?$top=5"
    while url:
        page = (await alice.get(url)).json()
        assert len(page["value"]) <= 5
        seen += [item["id"] for item in page["value"]]
        url = page.get("@odata.nextLink")
    everything = (await alice.get(collection, params={"$top": "1000"})).json()["value"]
    assert seen == [item["id"] for item in everything] and len(seen) >= 12
    too_many = await alice.get(collection, params={"$top": "1001"})
    assert too_many.status_code == 400 and "innerError" in too_many.json()["error"]
