"""Contacts integration setup: the contacts kind with Graph (app-only for Alice's tenant) and Recruit clients
(acting as Alice) on the emulators, the dedicated folder, and the kind context an engine pass would build.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from sync_core.config import Settings
from sync_core.engine.sync_kinds.contacts_kind import ContactsKind
from sync_core.engine.sync_kinds.kinds import KindContext
from sync_core.graph.auth import app_credential
from sync_core.graph.client import GraphClient
from sync_core.recruit import InMemoryTokenSource, RecruitClient, RecruitTokens
from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.recruit_emulator import RecruitEmulator

ALICE = "alice@contoso.example"


@dataclass
class ContactsWorld:
    kind: ContactsKind
    graph: GraphClient
    recruit: RecruitClient
    mailbox: str
    folder_id: str
    recruit_user_id: str
    context_for: Callable[[list[dict[str, str]] | None], Awaitable[KindContext]]


@pytest.fixture
def contacts_settings(graph: GraphEmulatorHandle, recruit: RecruitEmulator) -> Settings:
    return Settings(
        graph_api_base_url=f"{graph.base_url}/v1.0",
        microsoft_authority_host=graph.tls_base_url.removeprefix("https://"),
        microsoft_ca_file=str(graph.ca_file),
        microsoft_client_id=graph.seed["app"]["client_id"],
        microsoft_client_secret=graph.seed["app"]["client_secret"],
        zoho_api_base_url=recruit.api_base,
        zoho_accounts_url=recruit.base_url,
    )


@pytest.fixture
async def world(
    graph: GraphEmulatorHandle, recruit: RecruitEmulator, contacts_settings: Settings
) -> AsyncIterator[ContactsWorld]:
    kind = ContactsKind(contacts_settings)
    credential = app_credential(graph.user(ALICE)["tenant_id"], contacts_settings)
    graph_client = GraphClient(credential, contacts_settings, backoff_seconds=0.05)
    tokens = RecruitTokens(
        access_token=recruit.token_for(ALICE),
        refresh_token="unused",
        expires_at=datetime.now(UTC) + timedelta(hours=1),
        accounts_server=recruit.base_url,
    )
    recruit_client = RecruitClient(recruit.api_base, InMemoryTokenSource(tokens, settings=contacts_settings))
    mailbox = str(graph.user(ALICE)["id"])
    folder_id = await kind.find_or_create_container(
        graph_client, mailbox, kind.container_name(contacts_settings)
    )
    me = await recruit_client.current_user()

    async def context_for(mapping: list[dict[str, str]] | None) -> KindContext:
        # Fresh metadata each time, as the mapping API reads it: custom fields added by a test appear.
        metas = [meta.model_dump() for meta in await recruit_client.fields("Contacts")]
        return KindContext(
            settings=contacts_settings,
            recruit_user_id=me.id,
            recruit_user_name=me.full_name or "",
            time_zone=me.time_zone or "UTC",
            owner_fields={"Contacts": "Contact_Owner"},
            mapping=mapping,
            recruit_fields={"Contacts": metas},
        )

    yield ContactsWorld(kind, graph_client, recruit_client, mailbox, folder_id, me.id, context_for)
    await recruit_client.aclose()
    await graph_client.close()
    await credential.close()
