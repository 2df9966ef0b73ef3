"""What a pass leaves behind besides the sync itself: when it last ran, what the sync log says, a lease kept
through slow stages, and nothing written after sync was turned off."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from sync_core.engine.sync_lifecycle import lifecycle
from sync_core.engine.sync_lifecycle.lifecycle import enable
from sync_core.engine.sync_pass import apply as apply_module
from sync_core.engine.sync_pass.write_outcome import ApplyOutcome
from sync_core.store.syncstate import Lease
from tests.fixtures.polling import poll_async
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


async def test_a_slow_apply_keeps_the_lease_so_no_second_pass_starts(
    synced: Synced, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx, key = synced.ctx, synced.connection.key
    ctx.settings.lease_seconds = 10
    synced.tick()
    synced.recruit_create("Events", event_fields("Slow to copy"))

    def throttled(stage: str) -> None:
        if stage in ("graph", "links"):
            synced.tick(8)  # each stage outlasts most of the lease

    original_apply = apply_module.apply
    second_pass: list[Lease | None] = []

    async def apply_then_race(*args: Any) -> ApplyOutcome:
        outcome = await original_apply(*args)
        if not second_pass:  # the copying pass, not the rerun our try asks for
            second_pass.append(await ctx.syncstate.try_acquire(key, "calendar", "other", ctx.clock(), 10))
        return outcome

    monkeypatch.setattr(apply_module, "fault_hook", throttled)
    monkeypatch.setattr("sync_core.engine.sync_pass.reconcile.apply", apply_then_race)
    await synced.sync()
    assert second_pass == [None]
    assert "Slow to copy" in await synced.outlook_subjects()


async def test_a_pass_still_running_at_teardown_writes_no_link_after_it(
    synced: Synced, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx, key = synced.ctx, synced.connection.key
    monkeypatch.setattr(lifecycle, "TEARDOWN_LEASE_WAIT_SECONDS", 0.2)
    synced.tick()
    synced.recruit_create("Events", event_fields("Copied as sync is turned off"))
    original_graph_writes = apply_module.graph_writes

    async def graph_writes_then_teardown(*args: Any) -> None:
        await original_graph_writes(*args)
        await lifecycle.teardown(ctx, key, "calendar", reason="user")  # the pass outlives its lease wait

    monkeypatch.setattr(apply_module, "graph_writes", graph_writes_then_teardown)
    await synced.sync()
    assert (await synced.state()).status == "disabled"
    assert [link async for link in ctx.links.list_all(key, "calendar")] == []


async def test_teardown_deletes_the_links_only_once_the_running_pass_lets_go(synced: Synced) -> None:
    ctx, key = synced.ctx, synced.connection.key
    lease = await ctx.syncstate.try_acquire(key, "calendar", "running-pass", ctx.clock(), 60)
    assert lease is not None
    stopping = asyncio.create_task(lifecycle.teardown(ctx, key, "calendar", reason="user"))

    async def pending() -> bool:
        return (await synced.state()).pending

    await poll_async(pending, what="teardown's try for the lease to find it held", seconds=10)
    assert not stopping.done()
    assert [link async for link in ctx.links.list_all(key, "calendar")] != []
    await ctx.syncstate.release(lease)
    await asyncio.wait_for(stopping, timeout=10)
    assert [link async for link in ctx.links.list_all(key, "calendar")] == []
    assert (await synced.state()).status == "disabled"
