"""Every documented property of the entities the emulator serves is present with its documented JSON type.

Expected names and types are the "Properties" tables of the v1.0 reference (microsoft-graph-docs-contrib,
api-reference/v1.0/resources/event.md, contact.md, calendar.md, contactfolder.md, mailboxsettings.md,
user.md: the default set a GET returns). A type in a tuple allows null where the doc says nullable or
the value is unset.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from .conftest import ALICE, event_body

Clients = Callable[[str], httpx.AsyncClient]
N = type(None)
S, B, I, L, D = str, bool, int, list, dict  # noqa: E741 - short names keep the tables readable

EVENT = {
    "allowNewTimeProposals": B, "attendees": L, "body": D, "bodyPreview": S, "categories": L, "changeKey": S,
    "createdDateTime": S, "end": D, "hasAttachments": B, "hideAttendees": B, "iCalUId": S, "id": S,
    "importance": S, "isAllDay": B, "isCancelled": B, "isDraft": B, "isOnlineMeeting": B, "isOrganizer": B,
    "isReminderOn": B, "lastModifiedDateTime": S, "location": D, "locations": L, "onlineMeeting": (D, N),
    "onlineMeetingProvider": S, "onlineMeetingUrl": (S, N), "organizer": D, "originalEndTimeZone": S,
    "originalStartTimeZone": S, "recurrence": (D, N), "reminderMinutesBeforeStart": I,
    "responseRequested": B, "responseStatus": D, "sensitivity": S, "seriesMasterId": (S, N), "showAs": S,
    "start": D, "subject": S, "transactionId": (S, N), "type": S, "webLink": S,
}  # fmt: skip
CONTACT = {
    "assistantName": (S, N), "birthday": (S, N), "businessAddress": D, "businessHomePage": (S, N),
    "businessPhones": L, "categories": L, "changeKey": S, "children": L, "companyName": (S, N),
    "createdDateTime": S, "department": (S, N), "displayName": S, "emailAddresses": L, "fileAs": (S, N),
    "generation": (S, N), "givenName": (S, N), "homeAddress": D, "homePhones": L, "id": S, "imAddresses": L,
    "initials": (S, N), "jobTitle": (S, N), "lastModifiedDateTime": S, "manager": (S, N),
    "middleName": (S, N), "mobilePhone": (S, N), "nickName": (S, N), "officeLocation": (S, N),
    "otherAddress": D, "parentFolderId": S, "personalNotes": (S, N), "profession": (S, N),
    "spouseName": (S, N), "surname": (S, N), "title": (S, N), "yomiCompanyName": (S, N),
    "yomiGivenName": (S, N), "yomiSurname": (S, N),
}  # fmt: skip
CALENDAR = {
    "allowedOnlineMeetingProviders": L, "canEdit": B, "canShare": B, "canViewPrivateItems": B, "changeKey": S,
    "color": S, "defaultOnlineMeetingProvider": S, "hexColor": S, "id": S, "isDefaultCalendar": B,
    "isRemovable": B, "isTallyingResponses": B, "name": S, "owner": D,
}  # fmt: skip
CONTACT_FOLDER = {"displayName": S, "id": S, "parentFolderId": S}
MAILBOX_SETTINGS = {
    "archiveFolder": S, "automaticRepliesSetting": D, "dateFormat": S,
    "delegateMeetingMessageDeliveryOptions": S, "language": D, "timeFormat": S, "timeZone": S,
    "userPurpose": S, "workingHours": D,
}  # fmt: skip
USER = {
    "businessPhones": L, "displayName": (S, N), "givenName": (S, N), "jobTitle": (S, N), "mail": (S, N),
    "mobilePhone": (S, N), "officeLocation": (S, N), "preferredLanguage": (S, N), "surname": (S, N),
    "userPrincipalName": S, "id": S,
}  # fmt: skip


def assert_documented(entity: dict[str, Any], expected: dict[str, Any]) -> None:
    missing = set(expected) - set(entity)
    assert not missing, f"missing documented properties: {sorted(missing)}"
    wrong = {k: type(entity[k]).__name__ for k, t in expected.items() if not isinstance(entity[k], t)}
    assert not wrong, f"properties with undocumented JSON types: {wrong}"
    extra = {k for k in entity if not k.startswith("@")} - set(expected)
    assert not extra, f"properties the reference does not document: {sorted(extra)}"


async def test_an_event_carries_every_documented_property(client_for: Clients) -> None:
    alice = client_for(ALICE)
    created = (await alice.post("/me/events", json=event_body(location={"displayName": "Room 1"}))).json()
    got = (await alice.get(f"/me/events/{created['id']}")).json()
    assert_documented(got, EVENT)
    assert got["responseStatus"] == {"response": "organizer", "time": "0001-01-01T00:00:00Z"}
    assert got["locations"] == [got["location"]] and got["location"]["locationType"] == "default"
    assert (got["isOnlineMeeting"], got["allowNewTimeProposals"], got["onlineMeeting"]) == (False, True, None)


async def test_an_online_meeting_gets_a_join_url(client_for: Clients) -> None:
    alice = client_for(ALICE)
    created = (await alice.post("/me/events", json=event_body(isOnlineMeeting=True))).json()
    assert created["onlineMeetingProvider"] == "teamsForBusiness"
    assert created["onlineMeeting"]["joinUrl"].startswith("https://teams.microsoft.com/")


async def test_contacts_and_folders_carry_every_documented_property(client_for: Clients) -> None:
    alice = client_for(ALICE)
    contact = (await alice.post("/me/contacts", json={"givenName": "Ann"})).json()
    folder = (await alice.post("/me/contactFolders", json={"displayName": "Recruits"})).json()
    assert_documented((await alice.get(f"/me/contacts/{contact['id']}")).json(), CONTACT)
    assert_documented((await alice.get(f"/me/contactFolders/{folder['id']}")).json(), CONTACT_FOLDER)


async def test_calendar_mailbox_settings_and_user_carry_every_documented_property(
    client_for: Clients,
) -> None:
    alice = client_for(ALICE)
    assert_documented((await alice.get("/me/calendar")).json(), CALENDAR)
    settings = (await alice.get("/me/mailboxSettings")).json()
    assert_documented(settings, MAILBOX_SETTINGS)
    assert settings["workingHours"]["timeZone"]["name"] == settings["timeZone"]
    assert_documented((await alice.get("/me")).json(), USER)


async def test_a_contact_keeps_every_email_entry_with_its_own_display_name(client_for: Clients) -> None:
    # resources/emailaddress.md: `name` is the display name, independent of `address`; api/contact-update.md:
    # properties left out of a PATCH keep their values, and its response shows such a name ("Garth").
    alice = client_for(ALICE)
    emails = [
        {"name": "Ada Lovelace", "address": "ada@work.example"},
        {"name": "Ada at home", "address": "ada@home.example"},
        {"name": "Ada, old job", "address": "ada@old.example"},
    ]
    body = {"surname": "Lovelace", "emailAddresses": emails, "businessPhones": ["+47 1", "+47 2"]}
    contact = (await alice.post("/me/contacts", json=body)).json()
    (await alice.patch(f"/me/contacts/{contact['id']}", json={"jobTitle": "Analyst"})).raise_for_status()
    got = (await alice.get(f"/me/contacts/{contact['id']}?$select=emailAddresses,businessPhones")).json()
    assert (got["emailAddresses"], got["businessPhones"]) == (emails, ["+47 1", "+47 2"])
