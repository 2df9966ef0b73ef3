"""Contacts sync driven through the engine directly (no queue consumer): Alice connected by SSO.

Handles act as her in Outlook (the Graph emulator's API) and in Recruit (the Recruit emulator's API)."""

from __future__ import annotations

from typing import Any

import httpx

from tests.fixtures.engine_harness import EngineHarness


class ContactsSync(EngineHarness):
    kind = "contacts"

    # --- Outlook ---

    async def folder_contacts(self) -> list[dict[str, Any]]:
        state = await self.state()
        with self.outlook() as outlook:
            response = outlook.get(f"/contactFolders/{state.container_id}/contacts", params={"$top": "999"})
        response.raise_for_status()
        return list(response.json()["value"])

    async def outlook_names(self) -> list[str]:
        return sorted(str(contact["displayName"]) for contact in await self.folder_contacts())

    async def outlook_contact(self, display_name: str) -> dict[str, Any]:
        [contact] = [c for c in await self.folder_contacts() if c["displayName"] == display_name]
        return contact

    # --- Recruit ---

    def in_recruit(self) -> httpx.Client:
        return self.recruit.client_for(self.connection.email)

    def contacts(self) -> list[dict[str, Any]]:
        records: list[dict[str, Any]] = []
        with self.in_recruit() as recruit:
            page = 1
            while True:
                response = recruit.get("/Contacts", params={"page": page, "per_page": 200})
                if response.status_code == 204:
                    return records
                response.raise_for_status()
                records += response.json()["data"]
                if not response.json()["info"]["more_records"]:
                    return records
                page += 1

    def owned_contacts(self) -> list[dict[str, Any]]:
        return [
            c for c in self.contacts() if (c.get("Contact_Owner") or {}).get("id") == self.connection.user_id
        ]

    def recruit_contact(self, last_name: str) -> dict[str, Any]:
        [record] = [c for c in self.contacts() if c.get("Last_Name") == last_name]
        return record


def full_name(record: dict[str, Any]) -> str:
    return " ".join(part for part in (record.get("First_Name"), record.get("Last_Name")) if part)
