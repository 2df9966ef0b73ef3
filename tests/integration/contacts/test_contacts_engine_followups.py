"""Contacts through the engine, follow-ups: a company name from Outlook becomes the Recruit client, and a
mapping change reaches contacts that are already linked."""

from __future__ import annotations

from typing import Any

import pytest

from sync_core.domain.contact_fields import DEFAULT_MAPPING
from sync_core.engine.context import EngineContext
from sync_core.functions import mapping_api
from sync_core.store.queues import SyncPurpose
from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.polling import poll_async
from tests.fixtures.recruit_emulator import RecruitEmulator
from tests.integration.webhooks.conftest import (  # noqa: F401 - fixtures shared with the webhook tests
    ALICE,
    clock,
    connect,
    ctx,
    settings,
    sync_messages,
    webhook_host,
)

from .sync_harness import ContactsSync


@pytest.fixture
async def alice(ctx: EngineContext, graph: GraphEmulatorHandle, recruit: RecruitEmulator) -> ContactsSync:  # noqa: F811
    return ContactsSync(ctx, await connect(ctx, graph, recruit, ALICE), graph, recruit)


@pytest.fixture
async def synced(alice: ContactsSync) -> ContactsSync:
    await alice.enable()
    return alice


async def test_contact_created_in_the_folder_reaches_recruit_with_its_client(synced: ContactsSync) -> None:
    state = await synced.state()
    body = {
        "givenName": "Zara",
        "surname": "Khan",
        "emailAddresses": [{"address": "zara@contoso.example", "name": "Zara"}],
        "companyName": "Contoso Ltd",
    }
    with synced.outlook() as outlook:
        outlook.post(f"/contactFolders/{state.container_id}/contacts", json=body).raise_for_status()
    await synced.sync(reason="graph_notification")
    record = synced.recruit_contact("Khan")
    assert (record["First_Name"], record["Email"]) == ("Zara", "zara@contoso.example")
    assert record["Client_Name"]["name"] == "Contoso Ltd"
    assert record["Contact_Owner"]["id"] == synced.connection.user_id


async def test_company_changed_in_outlook_moves_the_recruit_contact_to_that_client(
    synced: ContactsSync,
) -> None:
    other = "Fabrikam Inc"  # a client of the seed
    contact = await synced.outlook_contact("Ravi Kumar")
    with synced.outlook() as outlook:
        outlook.patch(f"/contacts/{contact['id']}", json={"companyName": other}).raise_for_status()
    await synced.sync(reason="graph_notification")
    assert synced.recruit_contact("Kumar")["Client_Name"]["name"] == other


async def test_unknown_company_from_outlook_is_noted_in_the_sync_log(synced: ContactsSync) -> None:
    state = await synced.state()
    body = {"givenName": "Yuki", "surname": "Sato", "companyName": "No Such Company"}
    with synced.outlook() as outlook:
        outlook.post(f"/contactFolders/{state.container_id}/contacts", json=body).raise_for_status()
    await synced.sync(reason="graph_notification")
    entries = (await synced.ctx.synclog.recent(synced.connection.key, "contacts")).entries
    assert any("No Such Company" in e.message and e.title == "Yuki Sato" for e in entries)


async def test_changed_mapping_applies_the_new_field_to_linked_contacts(alice: ContactsSync) -> None:
    record = alice.recruit_contact("Kumar")
    with alice.in_recruit() as recruit:
        recruit.put("/Contacts", json={"data": [{"id": record["id"], "Twitter": "@ravi"}]}).raise_for_status()
    await alice.enable()
    names_before, records_before = await alice.outlook_names(), len(alice.contacts())
    mapping = [*DEFAULT_MAPPING, {"graph": "nickName", "recruit": "Twitter"}]
    assert await mapping_api.save_mapping(alice.ctx, alice.connection.key, mapping) is True
    await alice.sync(reason="resync", purpose=SyncPurpose.MAPPING_CHANGED)
    assert (await alice.outlook_contact("Ravi Kumar"))["nickName"] == "@ravi"
    assert await alice.outlook_names() == names_before
    assert len(alice.contacts()) == records_before


async def test_a_mapping_change_that_finds_a_pass_running_comes_back_after_it(synced: ContactsSync) -> None:
    engine, key = synced.ctx, synced.connection.key
    lease = await engine.syncstate.try_acquire(key, "contacts", "another-worker", engine.clock(), 60)
    assert lease is not None
    await synced.sync(reason="resync", purpose=SyncPurpose.MAPPING_CHANGED)

    # The holder's rerun would be a plain sweep, which does not re-read every linked contact.
    def mapping_requests() -> list[dict[str, Any]]:
        return [m for m in sync_messages(engine.settings) if m.get("purpose") == SyncPurpose.MAPPING_CHANGED]

    assert [m["kind"] for m in await poll_async(mapping_requests)] == ["contacts"]
    await engine.syncstate.release(lease)
