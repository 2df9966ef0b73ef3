"""Product rules around the edges of sync: imports, disabling, and the calendar deleted in Outlook."""

from __future__ import annotations

from sync_core.engine.sync_lifecycle.lifecycle import CONTAINER_DELETED, enable, recreate_subscription
from tests.integration.engine.conftest import ALICE, Synced, imported_events
from tests.integration.webhooks.conftest import sync_messages


async def test_an_imported_event_syncs_only_after_a_mass_update(synced: Synced) -> None:
    synced.tick()
    imported = synced.recruit.control(
        "import", {"user": ALICE, "module": "Events", "records": imported_events(21)}
    )
    await synced.sync()
    assert not [s for s in await synced.outlook_subjects() if s.startswith("Imported")]

    synced.tick()
    ids = [str(record_id) for record_id in imported["ids"][:2]]
    synced.recruit.control(
        "mass-update", {"user": ALICE, "module": "Events", "ids": ids, "fields": {"Venue": "Hall B"}}
    )
    await synced.sync(recruit_module="Events", recruit_ids=ids, reason="recruit_notification")
    assert [s for s in await synced.outlook_subjects() if s.startswith("Imported")] == [
        "Imported 0",
        "Imported 1",
    ]


async def test_disable_removes_the_outlook_calendar_and_leaves_recruit_intact(synced: Synced) -> None:
    calendar_id = (await synced.state()).container_id
    recruit_before = synced.owned_titles("Events") + synced.owned_titles("Interviews", "Interview_Name")

    await synced.disable()

    with synced.outlook() as outlook:
        assert outlook.get(f"/calendars/{calendar_id}").status_code == 404
    assert (
        synced.owned_titles("Events") + synced.owned_titles("Interviews", "Interview_Name") == recruit_before
    )
    state = await synced.state()
    assert (state.status, state.container_id, state.subscription_id, state.channel_id) == (
        "disabled",
        "",
        "",
        "",
    )
    assert [link async for link in synced.ctx.links.list_all(synced.connection.key, "calendar")] == []


async def test_deleting_the_calendar_in_outlook_turns_sync_off_and_says_why(synced: Synced) -> None:
    calendar_id = (await synced.state()).container_id
    recruit_before = synced.owned_titles("Events")
    with synced.outlook() as outlook:
        outlook.delete(f"/calendars/{calendar_id}").raise_for_status()

    await synced.sync(reason="graph_notification")

    state = await synced.state()
    assert state.status == "disabled"
    assert state.last_error_code == CONTAINER_DELETED
    assert state.last_error_message.startswith("The 'Zoho Recruit' calendar was deleted in Outlook")
    assert synced.owned_titles("Events") == recruit_before


async def test_sync_can_be_enabled_again_after_disable(synced: Synced) -> None:
    await synced.disable()
    await synced.enable()
    subjects = await synced.outlook_subjects()
    assert len(subjects) == len(set(subjects)) == 6


async def test_enabling_twice_changes_nothing(synced: Synced) -> None:
    before = await synced.outlook_subjects()
    await enable(synced.ctx, synced.connection.key, "calendar")
    await synced.sync()
    assert await synced.outlook_subjects() == before
    assert (await synced.state()).status == "active"


async def test_the_subscription_removed_with_a_deleted_calendar_turns_sync_off(synced: Synced) -> None:
    calendar_id = (await synced.state()).container_id
    with synced.outlook() as outlook:
        outlook.delete(f"/calendars/{calendar_id}").raise_for_status()

    # Graph follows a container's deletion with `subscriptionRemoved`, which queues this step.
    await recreate_subscription(synced.ctx, synced.connection.key, "calendar")

    state = await synced.state()
    assert (state.status, state.last_error_code) == ("disabled", CONTAINER_DELETED)


async def test_a_removed_subscription_is_recreated_and_a_resync_queued(synced: Synced) -> None:
    old_subscription = (await synced.state()).subscription_id

    await recreate_subscription(synced.ctx, synced.connection.key, "calendar")

    state = await synced.state()
    assert state.status == "active" and state.subscription_id not in ("", old_subscription)
    assert [m["reason"] for m in sync_messages(synced.ctx.settings)][-1] == "resync"
