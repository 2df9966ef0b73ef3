"""Repair now, the enable preview and the administrator's overview against in-memory stores and in-process
emulators: what a repair fixes that ordinary passes missed, that the preview writes nothing, who is an admin.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from sync_core.engine.accounts.admin import UnknownUser, disable_for_user, org_overview
from sync_core.engine.accounts.admin_status import ADMIN_RECHECK, NotAdministrator, checked_connection
from sync_core.engine.sync_kinds.registry import kind_for
from sync_core.engine.sync_lifecycle.preview import enable_preview
from sync_core.engine.sync_lifecycle.repair import (
    REPAIR_INTERVAL,
    RepairRefused,
    RepairTooSoon,
    request_repair,
)
from sync_core.engine.sync_pass.reconcile import run_pass
from sync_core.store.connections import Connection
from sync_core.store.queues import SyncPurpose, SyncRequest
from sync_core.store.syncstate import SyncState
from tests.fixtures.in_process import InProcessEngine
from tests.unit.engine.test_pass_in_memory import Alice, alice  # noqa: F401  (the fixture)

CAROL = "carol@contoso.example"


def repair_request(user: Alice) -> SyncRequest:
    return SyncRequest(
        connection=str(user.connection.key), kind="calendar", reason="resync", purpose=SyncPurpose.REPAIR
    )


async def synced_event(user: Alice, title: str) -> tuple[str, dict[str, object]]:
    event_id = await user.recruit_creates_event(title)
    await run_pass(user.engine, user.request())
    [event] = [e for e in await user.outlook_events() if e["subject"] == title]
    await user.engine.advance(2)
    return event_id, event


async def miss_outlook_changes(user: Alice) -> None:
    """Moves the stored delta link past whatever Outlook changed, as if a pass had read it and lost it."""
    kind = kind_for("calendar", user.engine.settings)
    state = await user.state()
    async with user.engine.graph(user.connection) as graph:
        delta = await kind.delta(
            graph, user.connection.microsoft_user_id, user.calendar_id, state.delta_link, user.engine.clock()
        )
    await user.engine.syncstate.modify(
        user.connection.key, "calendar", lambda s: s.model_copy(update={"delta_link": delta.delta_link})
    )


async def repair_entry_message(user: Alice) -> str:
    entries = (await user.engine.synclog.recent(user.connection.key, entry_type="repair")).entries
    return entries[0].message


async def test_repair_applies_a_recruit_edit_whose_callback_and_sweep_were_missed(
    alice: Alice,  # noqa: F811
) -> None:
    event_id, _event = await synced_event(alice, "Screening call")
    await alice.recruit("PUT", "/Events", {"data": [{"id": event_id, "Event_Title": "Screening (moved)"}]})
    await alice.engine.advance(2)
    # The watermark has passed the edit: ordinary sweeps will not list it again.
    await alice.engine.syncstate.modify(
        alice.connection.key,
        "calendar",
        lambda s: s.model_copy(update={"recruit_watermark": alice.engine.clock()}),
    )
    await run_pass(alice.engine, alice.request())
    assert [e["subject"] for e in await alice.outlook_events()] == ["Screening call"]

    await run_pass(alice.engine, repair_request(alice))

    assert [e["subject"] for e in await alice.outlook_events()] == ["Screening (moved)"]
    assert await repair_entry_message(alice) == "repair: 1 checked, 1 fixed"


async def test_repair_sees_an_outlook_copy_deleted_while_notifications_were_lost_and_duplicates_nothing(
    alice: Alice,  # noqa: F811
) -> None:
    event_id, event = await synced_event(alice, "Screening call")
    kept_id, _kept = await synced_event(alice, "Kept call")
    await alice.outlook("DELETE", f"/events/{event['id']}")
    await miss_outlook_changes(alice)
    await run_pass(alice.engine, alice.request())
    assert len(await alice.outlook_events()) == 1  # the ordinary pass saw nothing

    await run_pass(alice.engine, repair_request(alice))

    # Deleting in Outlook deletes the Recruit Event (DESIGN.md's rule); the other pair is untouched.
    assert [e["subject"] for e in await alice.outlook_events()] == ["Kept call"]
    async with alice.engine.recruit(alice.connection) as recruit:
        assert set(await recruit.get_records("Events", [event_id, kept_id])) == {kept_id}
    link = await alice.engine.links.get_many_by_recruit(
        alice.connection.key, "calendar", "Events", [event_id]
    )
    assert event_id not in link or link[event_id].state == "tombstone"
    assert await repair_entry_message(alice) == "repair: 2 checked, 1 fixed"


async def test_a_second_repair_within_ten_minutes_is_refused_with_the_time_left(
    alice: Alice,  # noqa: F811
) -> None:
    engine, key = alice.engine, alice.connection.key
    assert await request_repair(engine, key, "calendar") is None
    [(queued, _)] = [m for m in engine.queues.sync_requests() if m[0].purpose == SyncPurpose.REPAIR]
    assert (queued.kind, queued.reason) == ("calendar", "resync")

    await engine.advance(60)
    too_soon = await request_repair(engine, key, "calendar")
    assert isinstance(too_soon, RepairTooSoon)
    assert too_soon.retry_after_seconds == int((REPAIR_INTERVAL - timedelta(seconds=60)).total_seconds())

    await engine.advance(REPAIR_INTERVAL.total_seconds())
    assert await request_repair(engine, key, "calendar") is None


async def test_repair_of_a_kind_that_is_not_active_is_refused(alice: Alice) -> None:  # noqa: F811
    with pytest.raises(RepairRefused):
        await request_repair(alice.engine, alice.connection.key, "contacts")


async def test_the_preview_counts_what_an_enable_would_copy_and_writes_nothing() -> None:
    engine = InProcessEngine()
    connection = await engine.connect("alice@contoso.example")
    before = (dict(engine.syncstate.rows), dict(engine.links.rows), dict(engine.synclog.entries))

    preview = await enable_preview(engine, connection.key, "calendar")

    # Alice owns 4 Events and 2 Interviews; the seed's import brings 25 Events of Carol's.
    assert preview["copied"] == 6
    assert preview["left_out"]["imported"] == 25
    assert preview["left_out"]["not_owned"] > 0
    assert preview["left_out"]["over_cap"] == 0
    assert preview["estimate_seconds"] > 0
    after = (dict(engine.syncstate.rows), dict(engine.links.rows), dict(engine.synclog.entries))
    assert after == before and engine.queues.sync_requests() == []


async def test_the_preview_says_what_the_cap_leaves_out() -> None:
    engine = InProcessEngine()
    engine.settings = engine.settings.model_copy(update={"initial_events_cap": 2})
    connection = await engine.connect("alice@contoso.example")

    preview = await enable_preview(engine, connection.key, "calendar")

    assert preview["copied"] == 2
    assert preview["left_out"]["over_cap"] + preview["left_out"]["ended_too_long_ago"] == 4


async def test_recruit_says_who_is_an_administrator_and_is_asked_again_after_a_while() -> None:
    engine = InProcessEngine()
    alice_connection = await engine.connect("alice@contoso.example")
    carol_connection = await engine.connect(CAROL)

    assert (await checked_connection(engine, alice_connection)).recruit_admin
    assert not (await checked_connection(engine, carol_connection)).recruit_admin
    # A stale "no" is asked again; a fresh one is believed.
    stale = alice_connection.model_copy(
        update={"recruit_admin": False, "admin_checked_at": engine.clock() - ADMIN_RECHECK}
    )
    assert (await checked_connection(engine, stale)).recruit_admin
    fresh = alice_connection.model_copy(update={"recruit_admin": False, "admin_checked_at": engine.clock()})
    assert not (await checked_connection(engine, fresh)).recruit_admin


async def test_the_overview_holds_only_the_admins_org_and_a_non_admin_gets_none() -> None:
    engine = InProcessEngine()
    alice_connection = await engine.connect("alice@contoso.example")
    carol_connection = await engine.connect(CAROL)
    stranger = await engine.connections.upsert(
        Connection(
            org_id="999000111", user_id="461233000000991001", name="Other Org User", email="x@y.example"
        )
    )
    await engine.syncstate.modify(
        stranger.key, "calendar", lambda s: s.model_copy(update={"status": "active"})
    )

    overview = await org_overview(engine, alice_connection.key)

    assert sorted(user["email"] for user in overview["users"]) == [
        "alice@contoso.example",
        CAROL,
    ]
    assert overview["credits"]["counted"] is True
    with pytest.raises(NotAdministrator):
        await org_overview(engine, carol_connection.key)
    with pytest.raises(UnknownUser):
        await disable_for_user(engine, alice_connection.key, stranger.user_id, "calendar")
    state = await engine.syncstate.get(stranger.key, "calendar")
    assert isinstance(state, SyncState) and state.status == "active"
    with pytest.raises(NotAdministrator):
        await disable_for_user(engine, carol_connection.key, alice_connection.user_id, "calendar")
