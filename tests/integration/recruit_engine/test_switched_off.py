"""Calendar sync with each behaviour Recruit does not confirm switched off in the emulator (`ids=`,
`If-Modified-Since`, `/deleted`): the initial sync, a Recruit edit, create and delete (with its callback)
reach Outlook exactly as they do with the behaviour on. The fallbacks live in the Recruit client; the engine
is the same."""

from __future__ import annotations

import pytest

from sync_core.engine.sync_pass.reconcile import run_pass
from sync_core.store.queues import SyncRequest
from sync_core.store.syncstate import LeaseBusy
from tests.integration.engine.conftest import Synced, event_fields
from tests.integration.engine.test_failure_retries import QueuedSyncs

FEATURES = ("ids_param", "if_modified_since", "deleted_endpoint")


def switch_off(synced: Synced, feature: str) -> None:
    answer = synced.recruit.control("features", {feature: False})
    assert answer[feature] is False


@pytest.mark.parametrize("feature", FEATURES)
async def test_the_initial_sync_copies_the_same_events_with_the_feature_off(
    synced: Synced, feature: str
) -> None:
    with_feature = sorted(await synced.outlook_subjects())
    await synced.disable()
    switch_off(synced, feature)
    await synced.enable()
    assert sorted(await synced.outlook_subjects()) == with_feature


@pytest.mark.parametrize("feature", FEATURES)
async def test_recruit_edits_creates_and_deletes_reach_outlook_with_the_feature_off(
    synced: Synced, feature: str
) -> None:
    switch_off(synced, feature)
    before = await synced.outlook_subjects()
    renamed, deleted = [r for r in synced.recruit_records("Events") if r["Event_Title"] in before][:2]
    synced.tick()
    synced.recruit_update("Events", str(renamed["id"]), {"Event_Title": "Renamed while switched off"})
    created = synced.recruit_create("Events", event_fields("Created while switched off"))
    await synced.sync(
        reason="recruit_notification", recruit_module="Events", recruit_ids=[str(renamed["id"]), created]
    )
    synced.tick()
    synced.recruit_delete("Events", str(deleted["id"]))
    await synced.sync(
        reason="recruit_notification",
        recruit_module="Events",
        recruit_ids=[str(deleted["id"])],
        operation="delete",
    )
    expected = [t for t in before if t not in (renamed["Event_Title"], deleted["Event_Title"])]
    expected += ["Renamed while switched off", "Created while switched off"]
    assert sorted(await synced.outlook_subjects()) == sorted(expected)


async def test_a_delete_callback_arriving_during_a_pass_comes_back_itself_where_deleted_is_refused(
    synced: Synced, monkeypatch: pytest.MonkeyPatch
) -> None:
    switch_off(synced, "deleted_endpoint")
    queued = QueuedSyncs(synced.ctx, monkeypatch)
    before = await synced.outlook_subjects()
    deleted = next(r for r in synced.recruit_records("Events") if r["Event_Title"] in before)
    synced.tick()
    synced.recruit_delete("Events", str(deleted["id"]))
    key = synced.connection.key
    holder = await synced.ctx.syncstate.acquire(key, "calendar", "another pass", synced.ctx.clock(), 60)
    assert not isinstance(holder, LeaseBusy)
    callback = SyncRequest(
        connection=str(key),
        kind="calendar",
        reason="recruit_notification",
        recruit_module="Events",
        recruit_ids=[str(deleted["id"])],
        operation="delete",
    )
    await run_pass(synced.ctx, callback)
    [(again, delay)] = queued.take()
    assert again == callback and delay is not None and delay > 0
    # The holder's own rerun is a sweep: without /deleted it cannot see the deletion.
    await synced.ctx.syncstate.release(holder)
    await run_pass(synced.ctx, again)
    assert deleted["Event_Title"] not in await synced.outlook_subjects()
