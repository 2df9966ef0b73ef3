"""Which delta round a pass reads, and what a fresh round (no delta link) must still find: Outlook deletions
it cannot report itself are confirmed by id, and a resync after lost notifications keeps the delta link."""

from __future__ import annotations

from datetime import timedelta

from tests.integration.engine.conftest import Synced, event_fields, graph_event


async def test_an_event_deleted_in_outlook_before_the_delta_token_expired_is_deleted_in_recruit(
    synced: Synced,
) -> None:
    doomed = synced.recruit_create("Events", event_fields("Deleted while expired"))
    await synced.outlook_create(graph_event("Kept while expired"))
    await synced.sync()
    assert {"Deleted while expired", "Kept while expired"} <= set(synced.owned_titles("Events"))
    event = await synced.outlook_event("Deleted while expired")
    synced.tick()
    synced.outlook_delete(str(event["id"]))
    synced.graph.control("expire-delta", {"user": synced.connection.email})

    await synced.sync(reason="graph_notification")

    assert synced.recruit_record("Events", doomed) is None
    assert synced.owned_titles("Events").count("Kept while expired") == 1
    assert "Kept while expired" in await synced.outlook_subjects()


async def test_a_resync_after_lost_notifications_reads_the_deletion_from_the_stored_delta_link(
    synced: Synced,
) -> None:
    record_id = synced.recruit_create("Events", event_fields("Deleted while deaf"))
    await synced.sync()
    window_start = (await synced.state()).delta_window_start
    event = await synced.outlook_event("Deleted while deaf")
    synced.tick()
    synced.outlook_delete(str(event["id"]))

    await synced.sync(reason="resync")

    assert synced.recruit_record("Events", record_id) is None
    # Only a fresh round moves the window: this resync went on from the stored delta link.
    assert (await synced.state()).delta_window_start == window_start


async def test_a_resync_once_the_window_has_slid_starts_a_fresh_round_that_moves_it(synced: Synced) -> None:
    stale = (await synced.state()).delta_window_start
    assert stale is not None
    stale -= timedelta(days=31)
    await synced.ctx.syncstate.modify(
        synced.connection.key, "calendar", lambda s: s.model_copy(update={"delta_window_start": stale})
    )
    record_id = synced.recruit_create("Events", event_fields("Deleted before the slide"))
    await synced.sync()
    event = await synced.outlook_event("Deleted before the slide")
    synced.tick()
    synced.outlook_delete(str(event["id"]))

    await synced.sync(reason="resync")

    state = await synced.state()
    assert state.delta_window_start is not None and state.delta_window_start > stale + timedelta(days=30)
    assert synced.recruit_record("Events", record_id) is None
