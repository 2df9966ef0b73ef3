"""Contacts sync end to end through the engine: the initial copy, edits, creates and deletes both ways, the
client lookup, a mapping change, disable and a folder deleted in Outlook."""

from __future__ import annotations

from typing import Any

import pytest

from sync_core.engine.context import EngineContext
from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.recruit_emulator import RecruitEmulator
from tests.integration.webhooks.conftest import (  # noqa: F401 - fixtures shared with the webhook tests
    ALICE,
    clock,
    connect,
    ctx,
    settings,
    webhook_host,
)

from .sync_harness import ContactsSync, full_name


@pytest.fixture
async def alice(ctx: EngineContext, graph: GraphEmulatorHandle, recruit: RecruitEmulator) -> ContactsSync:  # noqa: F811
    return ContactsSync(ctx, await connect(ctx, graph, recruit, ALICE), graph, recruit)


@pytest.fixture
async def synced(alice: ContactsSync) -> ContactsSync:
    await alice.enable()
    return alice


def _eligible(record: dict[str, Any]) -> bool:
    return record.get("Source") != "Import"


async def test_initial_sync_copies_owned_non_imported_contacts_only(synced: ContactsSync) -> None:
    expected = sorted(full_name(c) for c in synced.owned_contacts() if _eligible(c))
    assert expected and len(expected) < len(synced.owned_contacts()), "the seed has imported contacts too"
    assert await synced.outlook_names() == expected
    state = await synced.state()
    assert (state.status, state.initial_done, state.initial_total) == ("active", len(expected), len(expected))


async def test_initial_sync_writes_every_seeded_field(synced: ContactsSync) -> None:
    contact = await synced.outlook_contact("Ravi Kumar")
    assert contact["emailAddresses"][0]["address"] == "ravi.kumar@contoso.example"
    assert (contact["jobTitle"], contact["department"]) == ("CTO", "Engineering")
    assert contact["businessPhones"] == ["+1 555 0100"]
    assert contact["companyName"] == "Contoso Ltd"
    assert contact["businessAddress"]["city"] == "Springfield"


async def test_recruit_edit_reaches_outlook(synced: ContactsSync) -> None:
    record = synced.recruit_contact("Kumar")
    with synced.in_recruit() as recruit:
        recruit.put("/Contacts", json={"data": [{"id": record["id"], "Job_Title": "CEO"}]}).raise_for_status()
    await synced.sync(reason="recruit_notification", recruit_module="Contacts", recruit_ids=[record["id"]])
    assert (await synced.outlook_contact("Ravi Kumar"))["jobTitle"] == "CEO"


async def test_outlook_edit_reaches_recruit(synced: ContactsSync) -> None:
    contact = await synced.outlook_contact("Meera Iyer")
    with synced.outlook() as outlook:
        outlook.patch(f"/contacts/{contact['id']}", json={"department": "People Ops"}).raise_for_status()
    await synced.sync(reason="graph_notification")
    assert synced.recruit_contact("Iyer")["Department"] == "People Ops"


async def test_contact_with_an_unknown_company_is_created_without_a_client(synced: ContactsSync) -> None:
    state = await synced.state()
    body = {"givenName": "Yuki", "surname": "Sato", "companyName": "No Such Company"}
    with synced.outlook() as outlook:
        outlook.post(f"/contactFolders/{state.container_id}/contacts", json=body).raise_for_status()
    await synced.sync(reason="graph_notification")
    assert not synced.recruit_contact("Sato").get("Client_Name")
    with synced.in_recruit() as recruit:
        found = recruit.get("/Clients/search", params={"criteria": "(Client_Name:equals:No Such Company)"})
    assert found.status_code == 204  # never created


async def test_contact_without_a_surname_gets_the_email_local_part(synced: ContactsSync) -> None:
    state = await synced.state()
    body = {"emailAddresses": [{"address": "no.surname@example.com", "name": "x"}]}
    with synced.outlook() as outlook:
        outlook.post(f"/contactFolders/{state.container_id}/contacts", json=body).raise_for_status()
    await synced.sync(reason="graph_notification")
    assert synced.recruit_contact("no.surname")["Email"] == "no.surname@example.com"


async def test_contact_outside_the_folder_never_reaches_recruit(synced: ContactsSync) -> None:
    before = len(synced.contacts())
    with synced.outlook() as outlook:
        outlook.post("/contacts", json={"givenName": "Private", "surname": "Person"}).raise_for_status()
    await synced.sync(reason="graph_notification")
    assert len(synced.contacts()) == before


async def test_recruit_delete_removes_the_outlook_copy(synced: ContactsSync) -> None:
    record = synced.recruit_contact("Das")
    with synced.in_recruit() as recruit:
        recruit.delete("/Contacts", params={"ids": record["id"]}).raise_for_status()
    await synced.sync(reason="recruit_notification", recruit_module="Contacts", recruit_ids=[record["id"]])
    assert "Arjun Das" not in await synced.outlook_names()


async def test_outlook_delete_deletes_in_recruit(synced: ContactsSync) -> None:
    contact = await synced.outlook_contact("Arjun Das")
    with synced.outlook() as outlook:
        outlook.delete(f"/contacts/{contact['id']}").raise_for_status()
    await synced.sync(reason="graph_notification")
    assert not [c for c in synced.contacts() if c.get("Last_Name") == "Das"]


async def test_passes_without_changes_write_nothing(synced: ContactsSync) -> None:
    before = synced.graph.control_get("stats")["requests"]
    await synced.sync()
    await synced.sync(reason="resync")
    after = synced.graph.control_get("stats")["requests"]
    writes = {k: after[k] - before.get(k, 0) for k in after if k.split(" ")[0] in ("POST", "PATCH", "DELETE")}
    assert {k: n for k, n in writes.items() if n and "/v1.0/" in k and "$batch" not in k} == {}


async def test_disable_deletes_the_folder_and_keeps_recruit(synced: ContactsSync) -> None:
    before = synced.contacts()
    folder_id = (await synced.state()).container_id
    await synced.disable()
    with synced.outlook() as outlook:
        assert outlook.get(f"/contactFolders/{folder_id}").status_code == 404
    assert synced.contacts() == before


async def test_folder_deleted_in_outlook_disables_contacts_sync(synced: ContactsSync) -> None:
    folder_id = (await synced.state()).container_id
    with synced.outlook() as outlook:
        outlook.delete(f"/contactFolders/{folder_id}").raise_for_status()
    await synced.sync()
    assert (await synced.state()).status == "disabled"
