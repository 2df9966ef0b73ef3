"""What a pass leaves behind besides the sync itself: when it last ran, what the sync log says, a lease kept
through slow stages, and nothing written after sync was turned off."""

from __future__ import annotations

from sync_core.engine.lifecycle import enable
from tests.integration.engine.conftest import Synced, event_fields


async def test_initial_sync_sets_the_last_sync_time(synced: Synced) -> None:
    state = await synced.state()
    assert state.status == "active"
    assert state.last_sync is not None


async def test_each_initial_sync_chunk_sets_the_last_sync_time(alice: Synced) -> None:
    alice.ctx.settings.initial_sync_chunk = 2
    await alice.ctx.syncstate.modify(
        alice.connection.key, "calendar", lambda s: s.model_copy(update={"status": "connecting"})
    )
    await enable(alice.ctx, alice.connection.key, "calendar")
    await alice.sync(reason="initial")
    state = await alice.state()
    assert (state.status, state.initial_done) == ("initial_sync", 2)
    assert state.last_sync is not None


async def test_every_pass_moves_the_last_sync_time_on(synced: Synced) -> None:
    before = (await synced.state()).last_sync
    assert before is not None
    synced.tick(5)
    await synced.sync()
    after = (await synced.state()).last_sync
    assert after is not None and after > before


async def test_a_pass_that_changes_nothing_adds_no_sync_log_entry(synced: Synced) -> None:
    before = await synced.ctx.synclog.recent(synced.connection.key, "calendar")
    await synced.sync()
    await synced.sync(reason="resync")
    after = await synced.ctx.synclog.recent(synced.connection.key, "calendar")
    assert after.entries == before.entries


async def test_a_pass_that_writes_logs_what_it_applied(synced: Synced) -> None:
    synced.tick()
    synced.recruit_create("Events", event_fields("Logged once"))
    await synced.sync()
    [latest, *_] = (await synced.ctx.synclog.recent(synced.connection.key, "calendar")).entries
    assert (latest.type, latest.counts["graph_created"]) == ("pass", 1)
