"""Contacts sync rules through the engine: the initial cap and order, imports left out until mass-updated,
concurrent edits merged, and a mapping change re-applied without duplicates."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sync_core.domain.contact_fields import DEFAULT_MAPPING
from sync_core.engine.context import EngineContext
from sync_core.functions import mapping_api
from sync_core.store.queues import SyncPurpose
from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.recruit_emulator import RecruitEmulator
from tests.integration.webhooks.conftest import (  # noqa: F401 - fixtures shared with the webhook tests
    ALICE,
    EmulatorClock,
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


async def test_initial_sync_takes_the_most_recently_modified_up_to_the_cap(
    alice: ContactsSync,
    clock: EmulatorClock,  # noqa: F811
) -> None:
    alice.ctx.settings = alice.ctx.settings.model_copy(update={"initial_contacts_cap": 2})
    for last_name in ("Das", "Kumar"):  # touched in this order: Kumar is the newest, then Das
        clock.advance(timedelta(seconds=5))
        record = alice.recruit_contact(last_name)
        with alice.in_recruit() as recruit:
            recruit.put(
                "/Contacts", json={"data": [{"id": record["id"], "Mobile": "+1 555 0199"}]}
            ).raise_for_status()
    await alice.enable()
    assert await alice.outlook_names() == ["Arjun Das", "Ravi Kumar"]
    state = await alice.state()
    assert (state.initial_done, state.initial_total) == (2, 2)


async def test_imported_contacts_sync_once_mass_updated(alice: ContactsSync, clock: EmulatorClock) -> None:  # noqa: F811
    await alice.enable()
    imported = [c for c in alice.owned_contacts() if c.get("Source") == "Import"]
    assert imported and not {full_name(c) for c in imported} & set(await alice.outlook_names())
    clock.advance(timedelta(seconds=5))
    chosen = [c["id"] for c in imported[:2]]
    alice.recruit.control(
        "mass-update",
        {"user": ALICE, "module": "Contacts", "ids": chosen, "fields": {"Source": "Referral"}},
    )
    await alice.sync(reason="recruit_notification", recruit_module="Contacts", recruit_ids=chosen)
    names = await alice.outlook_names()
    assert sorted(full_name(c) for c in imported[:2]) == sorted(set(names) & {full_name(c) for c in imported})


async def test_edits_to_different_fields_on_both_sides_merge(
    alice: ContactsSync,
    clock: EmulatorClock,  # noqa: F811
) -> None:
    await alice.enable()
    contact = await alice.outlook_contact("Meera Iyer")
    record = alice.recruit_contact("Iyer")
    clock.advance(timedelta(seconds=5))
    with alice.outlook() as outlook:
        outlook.patch(f"/contacts/{contact['id']}", json={"jobTitle": "CHRO"}).raise_for_status()
    with alice.in_recruit() as recruit:
        recruit.put(
            "/Contacts", json={"data": [{"id": record["id"], "Mobile": "+1 555 0142"}]}
        ).raise_for_status()
    await alice.sync(reason="recruit_notification", recruit_module="Contacts", recruit_ids=[record["id"]])
    await alice.sync()
    merged = alice.recruit_contact("Iyer")
    assert (merged["Job_Title"], merged["Mobile"]) == ("CHRO", "+1 555 0142")
    outlook_copy = await alice.outlook_contact("Meera Iyer")
    assert (outlook_copy["jobTitle"], outlook_copy["mobilePhone"]) == ("CHRO", "+1 555 0142")


async def test_changed_mapping_resync_creates_no_duplicates(alice: ContactsSync) -> None:
    await alice.enable()
    names_before, records_before = await alice.outlook_names(), len(alice.contacts())
    mapping = [*DEFAULT_MAPPING, {"graph": "nickName", "recruit": "Twitter"}]
    assert await mapping_api.save_mapping(alice.ctx, alice.connection.key, mapping) is True
    await alice.sync(reason="resync", purpose=SyncPurpose.MAPPING_CHANGED)
    assert await alice.outlook_names() == names_before
    assert len(alice.contacts()) == records_before


async def test_custom_field_syncs_once_mapped(alice: ContactsSync, clock: EmulatorClock) -> None:  # noqa: F811
    alice.recruit.control("fields", {"module": "Contacts", "api_name": "Nickname_c", "label": "Nickname"})
    await alice.enable()
    mapping = [*DEFAULT_MAPPING, {"graph": "nickName", "recruit": "Nickname_c"}]
    assert await mapping_api.save_mapping(alice.ctx, alice.connection.key, mapping) is True
    await alice.sync(reason="resync", purpose=SyncPurpose.MAPPING_CHANGED)
    clock.advance(timedelta(seconds=5))
    record = alice.recruit_contact("Kumar")
    with alice.in_recruit() as recruit:
        recruit.put("/Contacts", json={"data": [{"id": record["id"], "Nickname_c": "RK"}]}).raise_for_status()
    await alice.sync(reason="recruit_notification", recruit_module="Contacts", recruit_ids=[record["id"]])
    contact = await alice.outlook_contact("Ravi Kumar")
    assert contact["nickName"] == "RK"
    with alice.outlook() as outlook:
        outlook.patch(f"/contacts/{contact['id']}", json={"nickName": "Ravi K"}).raise_for_status()
    await alice.sync(reason="graph_notification")
    assert alice.recruit_contact("Kumar")["Nickname_c"] == "Ravi K"
