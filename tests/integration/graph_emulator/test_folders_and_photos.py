"""Calendars and contact folders with full CRUD (rename included), contact photos, and the default contacts
folder's delta, over HTTP as any client calls them.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable

import httpx

from .conftest import ALICE

Clients = Callable[[str], httpx.AsyncClient]


def png(width: int, height: int) -> bytes:
    """A valid one-colour PNG of the given size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


async def test_a_calendar_is_renamed_and_recoloured_and_keeps_its_id(client_for: Clients) -> None:
    alice = client_for(ALICE)
    created = (await alice.post("/me/calendars", json={"name": "Interviews"})).json()
    patched = await alice.patch(
        f"/me/calendars/{created['id']}", json={"name": "Hiring", "color": "lightGreen"}
    )
    assert patched.status_code == 200
    got = (await alice.get(f"/me/calendars/{created['id']}")).json()
    assert (got["id"], got["name"], got["color"]) == (created["id"], "Hiring", "lightGreen")
    assert got["changeKey"] != created["changeKey"]
    names = [c["name"] for c in (await alice.get("/me/calendars")).json()["value"]]
    assert "Hiring" in names and "Interviews" not in names


async def test_renaming_onto_another_folders_name_is_409_and_bad_values_are_400(client_for: Clients) -> None:
    alice = client_for(ALICE)
    first = (await alice.post("/me/calendars", json={"name": "One"})).json()
    await alice.post("/me/calendars", json={"name": "Two"})
    clash = await alice.patch(f"/me/calendars/{first['id']}", json={"name": "two"})
    colour = await alice.patch(f"/me/calendars/{first['id']}", json={"color": "plaid"})
    unknown = await alice.patch(f"/me/calendars/{first['id']}", json={"owner": {}})
    assert clash.status_code == 409 and clash.json()["error"]["code"] == "ErrorFolderExists"
    assert colour.status_code == 400 and unknown.status_code == 400
    assert (await alice.get(f"/me/calendars/{first['id']}")).json()["name"] == "One"


async def test_contact_folder_crud_with_rename(client_for: Clients) -> None:
    alice = client_for(ALICE)
    created = await alice.post("/me/contactFolders", json={"displayName": "Candidates"})
    folder = created.json()
    assert created.status_code == 201 and set(folder) >= {"id", "displayName", "parentFolderId"}
    renamed = await alice.patch(f"/me/contactFolders/{folder['id']}", json={"displayName": "Talent"})
    assert renamed.status_code == 200 and renamed.json()["displayName"] == "Talent"
    listed = (await alice.get("/me/contactFolders")).json()["value"]
    assert [f["displayName"] for f in listed if f["id"] == folder["id"]] == ["Talent"]
    assert (await alice.delete(f"/me/contactFolders/{folder['id']}")).status_code == 204
    gone = await alice.get(f"/me/contactFolders/{folder['id']}")
    assert gone.status_code == 404 and gone.json()["error"]["code"] == "ErrorItemNotFound"


async def test_the_default_calendar_cannot_be_deleted(client_for: Clients) -> None:
    alice = client_for(ALICE)
    default = (await alice.get("/me/calendar")).json()
    refused = await alice.delete(f"/me/calendars/{default['id']}")
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "ErrorDeleteDistinguishedFolder"


async def test_a_contact_photo_is_missing_until_put_then_served_with_metadata(client_for: Clients) -> None:
    alice = client_for(ALICE)
    contact = (await alice.post("/me/contacts", json={"givenName": "Pia"})).json()
    for path in ("photo/$value", "photo"):
        missing = await alice.get(f"/me/contacts/{contact['id']}/{path}")
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "ErrorItemNotFound"
    image = png(48, 32)
    put = await alice.put(
        f"/me/contacts/{contact['id']}/photo/$value", content=image, headers={"Content-Type": "image/png"}
    )
    assert put.status_code == 200
    value = await alice.get(f"/me/contacts/{contact['id']}/photo/$value")
    assert value.content == image and value.headers["content-type"] == "image/png"
    meta = (await alice.get(f"/me/contacts/{contact['id']}/photo")).json()
    assert (meta["width"], meta["height"], meta["@odata.mediaContentType"]) == (48, 32, "image/png")
    not_an_image = await alice.put(
        f"/me/contacts/{contact['id']}/photo/$value", content=b"hi", headers={"Content-Type": "text/plain"}
    )
    assert not_an_image.status_code == 400


async def test_me_contacts_delta_follows_the_default_folder(client_for: Clients) -> None:
    alice = client_for(ALICE)
    first = await alice.get("/me/contacts/delta")
    assert first.status_code == 200
    round_one = first.json()
    while "@odata.nextLink" in round_one:
        round_one = (await alice.get(round_one["@odata.nextLink"])).json()
    added = (await alice.post("/me/contacts", json={"givenName": "Zed"})).json()
    folder = (await alice.post("/me/contactFolders", json={"displayName": "Elsewhere"})).json()
    await alice.post(f"/me/contactFolders/{folder['id']}/contacts", json={"givenName": "Other"})
    changes = (await alice.get(round_one["@odata.deltaLink"])).json()
    assert [c["id"] for c in changes["value"]] == [added["id"]]
    assert changes["@odata.context"].endswith("$metadata#Collection(contact)")


async def test_making_another_calendar_the_default_moves_me_calendar(client_for: Clients) -> None:
    alice = client_for(ALICE)
    old = (await alice.get("/me/calendar")).json()
    new = (await alice.post("/me/calendars", json={"name": "Main"})).json()
    assert (
        await alice.patch(f"/me/calendars/{new['id']}", json={"isDefaultCalendar": True})
    ).status_code == 200
    assert (await alice.get("/me/calendar")).json()["id"] == new["id"]
    assert (await alice.get(f"/me/calendars/{old['id']}")).json()["isDefaultCalendar"] is False
