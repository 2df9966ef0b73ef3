"""Outlook-only contact data through the engine and the real Graph client (issue 14): a Recruit edit is
merged into the contact as Graph returns it now, and a contact that cannot be read is not written blind."""

from __future__ import annotations

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

from .sync_harness import ContactsSync

EXTRA = {"name": "Ravi, old job", "address": "ravi@old.example"}


@pytest.fixture
async def synced(ctx: EngineContext, graph: GraphEmulatorHandle, recruit: RecruitEmulator) -> ContactsSync:  # noqa: F811
    alice = ContactsSync(ctx, await connect(ctx, graph, recruit, ALICE), graph, recruit)
    await alice.enable()
    return alice


async def _with_outlook_only_entries(synced: ContactsSync) -> dict[str, object]:
    """Ravi's Outlook contact given a named third address and a second business phone, synced."""
    contact = await synced.outlook_contact("Ravi Kumar")
    emails = [
        {"name": "Ravi Kumar", "address": "ravi@work.example"},
        {"name": "Ravi (home)", "address": "ravi@home.example"},
        EXTRA,
    ]
    with synced.outlook() as outlook:
        body = {"emailAddresses": emails, "businessPhones": ["+91 22 0000 0001", "+91 22 0000 0002"]}
        outlook.patch(f"/contacts/{contact['id']}", json=body).raise_for_status()
    await synced.sync(reason="graph_notification")
    synced_record = synced.recruit_contact("Kumar")
    assert (synced_record["Email"], synced_record["Secondary_Email"]) == (
        "ravi@work.example",
        "ravi@home.example",
    )
    return await synced.outlook_contact("Ravi Kumar")


async def test_recruit_edit_is_merged_into_the_contact_as_outlook_has_it(synced: ContactsSync) -> None:
    before = await _with_outlook_only_entries(synced)
    kumar = synced.recruit_contact("Kumar")
    with synced.in_recruit() as recruit:
        edit = {"id": kumar["id"], "Email": "ravi@new.example", "Work_Phone": "+91 22 9999 9999"}
        recruit.put("/Contacts", json={"data": [edit]}).raise_for_status()
    await synced.sync(reason="recruit_notification")
    after = await synced.outlook_contact("Ravi Kumar")
    assert after["emailAddresses"][0]["address"] == "ravi@new.example"
    assert after["emailAddresses"][1:] == before["emailAddresses"][1:]  # names and the 3rd address kept
    assert after["businessPhones"] == ["+91 22 9999 9999", before["businessPhones"][1]]


async def test_a_contact_that_cannot_be_read_is_not_written_and_the_log_says_why(
    synced: ContactsSync,
) -> None:
    before = await _with_outlook_only_entries(synced)
    kumar = synced.recruit_contact("Kumar")
    with synced.in_recruit() as recruit:
        recruit.put("/Contacts", json={"data": [{"id": kumar["id"], "Email": "ravi@new.example"}]})
    prefix = f"/v1.0/users/{synced.connection.microsoft_user_id}/contacts/{before['id']}"
    synced.graph.control("faults", {"rules": [{"prefix": prefix, "rate": 1.0, "statuses": [403]}]})
    try:
        await synced.sync(reason="recruit_notification")
    finally:
        synced.graph.control("faults", {"rules": []})
    assert await synced.outlook_contact("Ravi Kumar") == before
    entries = (await synced.ctx.synclog.recent(synced.connection.key, "contacts")).entries
    assert any("could not read it from Outlook" in e.message for e in entries)
    await synced.sync(reason="recruit_notification")  # the next pass retries it and merges
    after = await synced.outlook_contact("Ravi Kumar")
    assert after["emailAddresses"][0]["address"] == "ravi@new.example"
    assert EXTRA in after["emailAddresses"]
