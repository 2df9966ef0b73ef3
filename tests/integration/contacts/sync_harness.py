"""Contacts sync driven through the engine directly (no queue consumer): Alice connected by SSO.

Handles act as her in Outlook (the Graph emulator's API) and in Recruit (the Recruit emulator's API)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from sync_core.engine.context import EngineContext
from sync_core.engine.lifecycle import enable, teardown
from sync_core.engine.reconcile import run_pass
from sync_core.store.connections import Connection
from sync_core.store.queues import SyncRequest
from sync_core.store.syncstate import SyncState
from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.recruit_emulator import RecruitEmulator

MAX_INITIAL_STEPS = 50


@dataclass
class ContactsSync:
    ctx: EngineContext
    connection: Connection
    graph: GraphEmulatorHandle
    recruit: RecruitEmulator

    @property
    def mailbox(self) -> str:
        return self.connection.microsoft_user_id

    async def state(self) -> SyncState:
        state = await self.ctx.syncstate.get(self.connection.key, "contacts")
        assert state is not None
        return state

    async def sync(self, **request: Any) -> None:
        """One reconcile pass, as a queued request would run it."""
        values = {"connection": str(self.connection.key), "kind": "contacts", "reason": "sweep", **request}
        await run_pass(self.ctx, SyncRequest(**values))

    async def enable(self) -> None:
        """What the product API and the lifecycle queue do, then initial-sync steps until active."""
        await self.ctx.syncstate.modify(
            self.connection.key, "contacts", lambda s: s.model_copy(update={"status": "connecting"})
        )
        await enable(self.ctx, self.connection.key, "contacts")
        for _ in range(MAX_INITIAL_STEPS):
            if (await self.state()).status != "initial_sync":
                break
            await self.sync(reason="initial")
        assert (await self.state()).status == "active"

    async def disable(self) -> None:
        await teardown(self.ctx, self.connection.key, "contacts", reason="user")

    # --- Outlook ---

    def outlook(self) -> httpx.Client:
        token = self.graph.token_for(self.connection.email)
        return httpx.Client(
            base_url=f"{self.graph.base_url}/v1.0/users/{self.mailbox}",
            headers={"Authorization": f"Bearer {token}", "Prefer": 'IdType="ImmutableId"'},
            trust_env=False,
        )

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
