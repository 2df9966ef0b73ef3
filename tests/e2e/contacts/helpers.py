"""Helpers for the whole-stack contacts tests: acting as the user in Outlook's contacts and in Recruit."""

from __future__ import annotations

from typing import Any

import httpx

from tests.e2e.calendar.conftest import csrf_headers, sign_in
from tests.e2e.calendar.helpers import recruit_records
from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.polling import poll
from tests.fixtures.recruit_emulator import RecruitEmulator

FOLDER = "Zoho Recruit Contacts"


class OutlookContacts:
    """Acting as the user in Outlook's contacts (the Graph emulator)."""

    def __init__(self, graph: GraphEmulatorHandle, email: str) -> None:
        user = graph.user(email)
        self.client = httpx.Client(
            base_url=f"{graph.base_url}/v1.0/users/{user['id']}",
            headers={"Authorization": f"Bearer {graph.token_for(email)}"},
            trust_env=False,
        )

    def folder_id(self) -> str:
        folders = self.client.get("/contactFolders").json()["value"]
        [folder_id] = [str(f["id"]) for f in folders if f["displayName"] == FOLDER]
        return folder_id

    def by_surname(self) -> dict[str, dict[str, Any]]:
        response = self.client.get(f"/contactFolders/{self.folder_id()}/contacts", params={"$top": "500"})
        response.raise_for_status()
        return {str(c.get("surname")): c for c in response.json()["value"]}


def recruit_contacts(recruit: RecruitEmulator, email: str) -> dict[str, dict[str, Any]]:
    """The user's Recruit Contacts by last name (the tests give each a distinct one)."""
    return recruit_records(recruit, email, "Contacts", "Last_Name")


def enable_contacts(browser: httpx.Client, graph: GraphEmulatorHandle, email: str) -> OutlookContacts:
    """Sign in with Zoho, enable contacts with the default mapping (through Microsoft sign-in when the user is
    not SSO; `login_hint` approves at once) and wait until active."""
    sign_in(browser, email)
    response = browser.post("/api/sync/contacts/enable", headers=csrf_headers(browser))
    if response.status_code == 200:
        approved = browser.get(response.json()["redirect"])
        callback = browser.get(approved.headers["location"])
        assert callback.status_code == 302, callback.text[:300]
    else:
        assert response.status_code == 202, response.text[:300]
    poll(
        lambda: browser.get("/api/me").json()["contacts"]["status"],
        lambda status: status == "active",
        "contacts sync to be active",
    )
    return OutlookContacts(graph, email)
