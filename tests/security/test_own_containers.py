"""Finding "adopting and deleting a user's own calendar": the user's own "Zoho Recruit" calendar and contact
folder are never adopted, synced or deleted; ours gets a free name and is the only thing disable deletes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx
import pytest

from sync_core.engine.context import EngineContext
from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.polling import poll_async
from tests.fixtures.recruit_emulator import RecruitEmulator
from tests.fixtures.stack import Stack
from tests.integration.product_api.conftest import csrf_headers, sign_in

pytestmark = pytest.mark.e2e

ALICE = "alice@contoso.example"
DEADLINE_SECONDS = 90.0
T = TypeVar("T")


async def eventually(read: Callable[[], Awaitable[T]], done: Callable[[T], bool], what: str) -> T:
    return await poll_async(read, done, what, seconds=DEADLINE_SECONDS)


class Outlook:
    """Alice acting in Outlook: plain Graph calls on the emulator with her own token."""

    def __init__(self, graph: GraphEmulatorHandle) -> None:
        self.user_id = str(graph.user(ALICE)["id"])
        self.client = httpx.AsyncClient(
            base_url=f"{graph.base_url}/v1.0/users/{self.user_id}",
            headers={"Authorization": f"Bearer {graph.token_for(ALICE)}"},
            trust_env=False,
        )

    async def create(self, collection: str, body: dict[str, Any]) -> str:
        response = await self.client.post(collection, json=body)
        response.raise_for_status()
        return str(response.json()["id"])

    async def names(self, collection: str, field: str) -> list[str]:
        response = await self.client.get(collection)
        response.raise_for_status()
        return [str(c[field]) for c in response.json()["value"]]

    async def count(self, path: str) -> int:
        response = await self.client.get(path)
        return len(response.json()["value"]) if response.status_code == 200 else -1


async def test_the_users_own_zoho_recruit_calendar_and_folder_survive_enable_and_disable(
    fresh_stack: Stack,
    browser: httpx.AsyncClient,
    product: EngineContext,
    graph: GraphEmulatorHandle,
    recruit: RecruitEmulator,
) -> None:
    outlook = Outlook(graph)
    own_calendar = await outlook.create("calendars", {"name": "zoho recruit"})
    await outlook.create(
        f"calendars/{own_calendar}/events",
        {
            "subject": "Dentist",
            "start": {"dateTime": "2030-01-10T09:00:00", "timeZone": "UTC"},
            "end": {"dateTime": "2030-01-10T10:00:00", "timeZone": "UTC"},
        },
    )
    own_folder = await outlook.create("contactFolders", {"displayName": "Zoho Recruit Contacts"})
    await outlook.create(
        f"contactFolders/{own_folder}/contacts", {"givenName": "Private", "surname": "Friend"}
    )
    await sign_in(browser, ALICE)

    for kind in ("calendar", "contacts"):
        answer = await browser.post(f"/api/sync/{kind}/enable", headers=csrf_headers(browser))
        assert answer.status_code == 202

    async def me() -> dict[str, Any]:
        return dict((await browser.get("/api/me")).json())

    await eventually(
        me,
        lambda m: m["calendar"]["status"] == "active" and m["contacts"]["status"] == "active",
        "both kinds active",
    )
    assert "Zoho Recruit (2)" in await outlook.names("calendars", "name")
    assert "Zoho Recruit Contacts (2)" in await outlook.names("contactFolders", "displayName")
    recruit_client = recruit.client_for(ALICE)
    for module, criteria in (
        ("Events", "(Event_Title:equals:Dentist)"),
        ("Contacts", "(Last_Name:equals:Friend)"),
    ):
        found = recruit_client.get(f"/{module}/search", params={"criteria": criteria})
        assert found.status_code == 204, f"the user's own {module} were copied into Recruit: {found.text}"
    recruit_client.close()

    for kind in ("calendar", "contacts"):
        await browser.post(f"/api/sync/{kind}/disable", headers=csrf_headers(browser))
    await eventually(
        me,
        lambda m: m["calendar"]["status"] == "disabled" and m["contacts"]["status"] == "disabled",
        "both kinds disabled",
    )

    assert await outlook.count(f"calendars/{own_calendar}/events") == 1
    assert await outlook.count(f"contactFolders/{own_folder}/contacts") == 1
    assert "Zoho Recruit (2)" not in await outlook.names("calendars", "name")
    assert "Zoho Recruit Contacts (2)" not in await outlook.names("contactFolders", "displayName")
    await outlook.client.aclose()
