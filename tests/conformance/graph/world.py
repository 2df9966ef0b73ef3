"""The items a documentation example talks about, made in the emulator before the example is replayed.

A case binds the example's placeholder text (`{id}`, a sample id, `{start_datetime}`) to one of the names
below; each name is created once per test, through the real API, from the docs' own create examples.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

# A minimal JPEG (SOI, a JFIF APP0 segment, EOI): profilephoto-update.md sends "binary data for the image".
JPEG_BYTES = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffd9")

DEFAULT_ANCHOR = date(2017, 4, 15)  # the day of user-post-events.md request 1


def _event_body(anchor: date) -> dict[str, Any]:
    """user-post-events.md request 1 ("Let's go for lunch"), moved to the anchor day."""
    day = anchor.isoformat()
    return {
        "subject": "Let's go for lunch",
        "body": {"contentType": "HTML", "content": "Does late morning work for you?"},
        "start": {"dateTime": f"{day}T12:00:00", "timeZone": "Pacific Standard Time"},
        "end": {"dateTime": f"{day}T14:00:00", "timeZone": "Pacific Standard Time"},
        "location": {"displayName": "Harry's Bar"},
        "attendees": [
            {
                "emailAddress": {"address": "samanthab@contoso.onmicrosoft.com", "name": "Samantha Booth"},
                "type": "required",
            }
        ],
    }


def _series_body(anchor: date) -> dict[str, Any]:
    """user-post-events.md request 3 (weekly lunch), starting on the anchor day for four weeks."""
    body = _event_body(anchor)
    body["body"] = {"contentType": "HTML", "content": "Does noon time work for you?"}
    body["recurrence"] = {
        "pattern": {"type": "weekly", "interval": 1, "daysOfWeek": [anchor.strftime("%A")]},
        "range": {
            "type": "endDate",
            "startDate": anchor.isoformat(),
            "endDate": (anchor + timedelta(days=27)).isoformat(),
        },
    }
    return body


# contact-update.md's response shows the fullest contact; its writable properties make the contact fixture.
GARTH = {
    "givenName": "Garth",
    "surname": "Fort",
    "displayName": "Garth Fort",
    "fileAs": "Fort, Garth",
    "initials": "G.F.",
    "nickName": "Garth",
    "birthday": "1974-07-22T00:00:00Z",
    "emailAddresses": [{"name": "Garth", "address": "garth@a830edad9050849NDA1.onmicrosoft.com"}],
    "imAddresses": ["sip:garthf@a830edad9050849nda1.onmicrosoft.com"],
    "jobTitle": "Web Marketing Manager",
    "companyName": "Contoso, Inc.",
    "department": "Sales & Marketing",
    "officeLocation": "20/1101",
    "businessHomePage": "https://www.contoso.com",
    "businessPhones": ["+1 918 555 0101"],
    "homeAddress": {"street": "123 Some street", "city": "Seattle", "state": "WA", "postalCode": "98121"},
    "businessAddress": {
        "street": "10 Contoso Way",
        "city": "Redmond",
        "state": "WA",
        "countryOrRegion": "USA",
        "postalCode": "98075",
    },
    "personalNotes": "",
}
# user-post-contacts.md request and contact-get.md response.
PAVEL = {
    "givenName": "Pavel",
    "surname": "Bansky",
    "emailAddresses": [{"address": "pavelb@contoso.com", "name": "Pavel Bansky"}],
    "businessPhones": ["+1 732 555 0102"],
}
ALEX = {
    "givenName": "Alex",
    "surname": "Wilber",
    "emailAddresses": [{"name": "Alex@FineArtSchool.net", "address": "Alex@FineArtSchool.net"}],
}


def _filed(person: dict[str, Any], birthday: str) -> dict[str, Any]:
    """A contact with the filing properties contactfolder-list-contacts.md shows for every item."""
    initials = f"{person['givenName'][0]}.{person['surname'][0]}."
    return person | {"birthday": f"{birthday}T00:00:00Z", "initials": initials,
                     "fileAs": f"{person['surname']}, {person['givenName']}"}  # fmt: skip


def iso_z(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.0000000Z")


class DocWorld:
    """Names an example can be bound to, each made on first use through `client` (a user's /v1.0 client)."""

    def __init__(self, client: httpx.Client, webhook_url: str, anchor: date = DEFAULT_ANCHOR) -> None:
        self.client = client
        self.webhook_url = webhook_url
        self.anchor = anchor
        self._values: dict[str, str] = {}

    def value(self, name: str) -> str:
        if name not in self._values:
            self._values[name] = getattr(self, f"_make_{name}")()
        return self._values[name]

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self.client.post(path, json=body)
        assert response.status_code == 201, f"setting up {path}: {response.status_code} {response.text}"
        created: dict[str, Any] = response.json()
        return created

    def _make_user_id(self) -> str:
        response = self.client.get("/me")
        assert response.status_code == 200, response.text
        return str(response.json()["id"])

    # --- calendars and events ---

    def _make_event(self) -> str:
        return str(self._post("/me/events", _event_body(self.anchor))["id"])

    def _make_series(self) -> str:
        return str(self._post("/me/events", _series_body(self.anchor))["id"])

    def _make_calendar(self) -> str:
        return str(self._post("/me/calendars", {"name": "Volunteer"})["id"])

    def _make_window_start(self) -> str:
        return f"{(self.anchor - timedelta(days=1)).isoformat()}T00:00:00Z"

    def _make_window_end(self) -> str:
        return f"{(self.anchor + timedelta(days=60)).isoformat()}T00:00:00Z"

    # --- contacts ---

    def _make_contact(self) -> str:
        return str(self._post("/me/contacts", GARTH)["id"])

    def _make_contact_folder(self) -> str:
        """The "Finance" folder of contactfolder-get.md, holding three contacts so that paging shows."""
        folder_id = str(self._post("/me/contactFolders", {"displayName": "Finance"})["id"])
        for person in (GARTH, _filed(PAVEL, "1980-02-01"), _filed(ALEX, "1985-03-02")):
            self._post(f"/me/contactFolders/{folder_id}/contacts", person)
        return folder_id

    def _make_contact_with_photo(self) -> str:
        contact_id = self.value("contact")
        response = self.client.put(
            f"/me/contacts/{contact_id}/photo/$value",
            content=JPEG_BYTES,
            headers={"Content-Type": "image/jpeg"},
        )
        assert response.status_code in (200, 204), (
            f"setting up a photo: {response.status_code} {response.text}"
        )
        return contact_id

    # --- subscriptions ---

    def _make_webhook(self) -> str:
        return self.webhook_url

    def _make_expiry(self) -> str:
        return iso_z(datetime.now(UTC) + timedelta(days=2))

    def _make_later_expiry(self) -> str:
        return iso_z(datetime.now(UTC) + timedelta(days=2, hours=12))

    def _make_subscription(self) -> str:
        body = {
            "changeType": "created,updated,deleted",
            "notificationUrl": self.webhook_url,
            "resource": "me/events",
            "expirationDateTime": self.value("expiry"),
            "clientState": "secretClientValue",
        }
        return str(self._post("/subscriptions", body)["id"])
