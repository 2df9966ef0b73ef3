"""Setup for the calendar kind round trips: Alice's Recruit client and Graph gateway on the emulators, her
dedicated calendar, and a KindContext in her Recruit zone.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest

from sync_core.config import Settings
from sync_core.engine.sync_kinds.calendar_kind import CalendarKind
from sync_core.engine.sync_kinds.kinds import KindContext
from sync_core.graph import items
from sync_core.graph.auth import app_credential
from sync_core.graph.client import GraphClient
from sync_core.recruit import RecruitClient
from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.recruit_emulator import RecruitEmulator
from tests.fixtures.tokens import StaticTokens

ALICE = "alice@contoso.example"


@dataclass
class Alice:
    """Everything a round trip needs, as Alice."""

    kind: CalendarKind
    ctx: KindContext
    recruit: RecruitClient
    graph: GraphClient
    mailbox: str
    calendar_id: str

    async def recruit_round_trip(self, module: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Insert `payload` into Recruit and return the record as Recruit reads it back."""
        [result] = await self.recruit.insert(module, [payload])
        assert result.ok, result
        record = await self.recruit.get_record(module, str(result.id))
        assert record is not None
        return record

    async def graph_round_trip(self, body: dict[str, Any], tag: str = "Events:rt") -> dict[str, Any]:
        """Create `body` in Alice's calendar and return the event as Graph reads it back."""
        created = await items.create(self.graph, self.mailbox, "event", self.calendar_id, body, tag)
        return await items.get(self.graph, self.mailbox, "event", str(created["id"]))


@pytest.fixture
async def alice(graph: GraphEmulatorHandle, recruit: RecruitEmulator) -> AsyncIterator[Alice]:
    settings = Settings(
        graph_api_base_url=f"{graph.base_url}/v1.0",
        microsoft_authority_host=graph.tls_base_url.removeprefix("https://"),
        microsoft_ca_file=str(graph.ca_file),
        microsoft_client_id=graph.seed["app"]["client_id"],
        microsoft_client_secret=graph.seed["app"]["client_secret"],
        zoho_api_base_url=recruit.api_base,
    )
    kind = CalendarKind(settings)
    graph_client = GraphClient(
        app_credential(graph.user(ALICE)["tenant_id"], settings), settings, backoff_seconds=0.05
    )
    recruit_client = RecruitClient(recruit.api_base, StaticTokens(recruit.token_for(ALICE)))
    try:
        me = await recruit_client.current_user()
        mailbox = str(graph.user(ALICE)["id"])
        calendar_id = await kind.find_or_create_container(
            graph_client, mailbox, kind.container_name(settings)
        )
        ctx = KindContext(
            settings=settings,
            recruit_user_id=me.id,
            recruit_user_name=me.full_name or "",
            time_zone=me.time_zone or "UTC",
        )
        yield Alice(kind, ctx, recruit_client, graph_client, mailbox, calendar_id)
    finally:
        await recruit_client.aclose()
        await graph_client.close()
