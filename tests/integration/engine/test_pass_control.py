"""How passes are run: one at a time per user and kind, reruns for requests that came meanwhile, fresh delta
rounds that never duplicate, and errors only the user can fix."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import azure.functions as func
import pytest

from sync_core.engine.context import EngineContext
from sync_core.engine.sync_lifecycle.lifecycle import enable
from sync_core.engine.sync_pass import apply as apply_module
from sync_core.engine.sync_pass import reconcile
from sync_core.engine.sync_pass.reconcile import run_pass
from sync_core.engine.sync_pass.write_outcome import ApplyOutcome
from sync_core.functions.queues import sync_requests
from sync_core.store.queues import SyncPurpose, SyncRequest, parse_sync_request
from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.polling import poll_async
from tests.fixtures.recruit_emulator import RecruitEmulator
from tests.integration.engine.conftest import Synced, event_fields, graph_event, recruit_stats
from tests.integration.webhooks.conftest import connect, sync_messages


async def test_a_request_while_a_pass_runs_only_marks_it_pending(synced: Synced) -> None:
    ctx, key = synced.ctx, synced.connection.key
    lease = await ctx.syncstate.try_acquire(key, "calendar", "another-worker", ctx.clock(), 60)
    assert lease is not None
    synced.recruit_create("Events", event_fields("Waits its turn"))

    await synced.sync()

    assert (await synced.state()).pending
    assert "Waits its turn" not in await synced.outlook_subjects()
    assert await ctx.syncstate.release(lease)  # the holder learns it must run again


class QueuedChecks:
    """The sync requests a pass queues, caught instead of sent (they would be visible only much later)."""

    def __init__(self, ctx: EngineContext, monkeypatch: pytest.MonkeyPatch) -> None:
        self.sent: list[tuple[SyncRequest, int | None]] = []

        async def catch(request: SyncRequest, visibility_timeout: int | None = None) -> None:
            self.sent.append((request, visibility_timeout))

        monkeypatch.setattr(ctx.queues, "send_sync", catch)


async def test_a_request_whose_lease_holder_died_comes_back_once_the_lease_has_expired(
    synced: Synced, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx, key = synced.ctx, synced.connection.key
    assert await ctx.syncstate.try_acquire(key, "calendar", "crashed-worker", ctx.clock(), 60) is not None
    synced.recruit_create("Events", event_fields("Left by a crashed pass"))
    queued = QueuedChecks(ctx, monkeypatch)

    await synced.sync(reason="recruit_notification")
    await synced.sync(reason="graph_notification")  # the flag is set already: no second check

    [(check, visible_after)] = queued.sent
    # The lease's 60 s, then a margin.
    assert (check.purpose, visible_after) == (SyncPurpose.PENDING_CHECK, 61)
    synced.tick(61)
    await run_pass(ctx, check)
    assert "Left by a crashed pass" in await synced.outlook_subjects()
    state = await synced.state()
    assert not state.pending and not state.lease_owner


async def test_a_pending_check_whose_pass_fails_still_has_its_work_when_the_queue_retries_it(
    synced: Synced, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker died holding the lease; the check that comes after it fails (say Recruit answers 500 once
    too often): the queue's retry of that message must still run the pass, or the change waits for the
    next sweep."""
    ctx, key = synced.ctx, synced.connection.key
    assert await ctx.syncstate.try_acquire(key, "calendar", "crashed-worker", ctx.clock(), 60) is not None
    synced.recruit_create("Events", event_fields("Left by a crashed pass"))
    queued = QueuedChecks(ctx, monkeypatch)
    await synced.sync(reason="recruit_notification")
    [(check, _)] = queued.sent
    synced.tick(61)

    def fails_once(stage: str) -> None:
        if stage == "graph":
            monkeypatch.setattr(apply_module, "fault_hook", lambda stage: None)
            raise RuntimeError("the pass failed before its Outlook writes")

    monkeypatch.setattr(apply_module, "fault_hook", fails_once)
    with pytest.raises(RuntimeError):
        await run_pass(ctx, check)
    assert "Left by a crashed pass" not in await synced.outlook_subjects()

    await run_pass(ctx, check)  # the queue gives the same message again

    assert "Left by a crashed pass" in await synced.outlook_subjects()
    state = await synced.state()
    assert not state.pending and not state.lease_owner


async def test_a_pending_check_runs_no_pass_when_the_live_holder_ran_again(
    synced: Synced, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx, key = synced.ctx, synced.connection.key
    lease = await ctx.syncstate.try_acquire(key, "calendar", "live-worker", ctx.clock(), 60)
    assert lease is not None
    queued = QueuedChecks(ctx, monkeypatch)
    await synced.sync(reason="recruit_notification")
    assert await ctx.syncstate.release(lease)
    await synced.sync()  # the holder's rerun for the pending flag
    graph_before, recruit_before = (
        synced.graph.control_get("stats")["requests"],
        recruit_stats(synced.recruit),
    )

    [(check, _)] = queued.sent
    synced.tick(61)
    await run_pass(ctx, check)

    assert synced.graph.control_get("stats")["requests"] == graph_before
    assert recruit_stats(synced.recruit) == recruit_before


async def test_the_lease_holder_runs_again_for_a_request_that_came_during_its_pass(
    synced: Synced, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx, key = synced.ctx, synced.connection.key
    arrived: list[bool] = []
    calendar_id = (await synced.state()).container_id

    def user_acts_meanwhile(stage: str) -> None:
        if stage == "links" and not arrived:
            arrived.append(True)
            synced.tick()
            with synced.outlook() as outlook:
                made = outlook.post(f"/calendars/{calendar_id}/events", json=graph_event("Arrived mid-pass"))
            made.raise_for_status()

    async def request_meanwhile() -> None:
        assert await ctx.syncstate.try_acquire(key, "calendar", "notification", ctx.clock(), 60) is None

    monkeypatch.setattr(apply_module, "fault_hook", user_acts_meanwhile)
    original_apply = apply_module.apply

    async def apply_then_notify(*args: object) -> ApplyOutcome:
        outcome = await original_apply(*args)  # type: ignore[arg-type]
        if len(arrived) == 1:
            arrived.append(True)
            await request_meanwhile()
        return outcome

    monkeypatch.setattr("sync_core.engine.sync_pass.reconcile.apply", apply_then_notify)
    await synced.sync()

    assert "Arrived mid-pass" in synced.owned_titles("Events")
    state = await synced.state()
    assert not state.pending and not state.lease_owner


async def test_a_recruit_callback_that_finds_the_lease_held_leaves_its_ids_to_the_holders_rerun(
    synced: Synced, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx, key = synced.ctx, synced.connection.key
    lease = await ctx.syncstate.try_acquire(key, "calendar", "another-worker", ctx.clock(), 60)
    assert lease is not None
    synced.tick()
    record_id = synced.recruit_create("Events", event_fields("Named by a callback"))
    queued = QueuedChecks(ctx, monkeypatch)
    callback = {"recruit_module": "Events", "recruit_ids": [record_id], "recruit_operation": "insert"}

    await synced.sync(reason="recruit_notification", **callback)

    assert [request.purpose for request, _ in queued.sent] == [SyncPurpose.PENDING_CHECK]
    assert (await synced.state()).pending_recruit_ids == {"Events": [record_id]}
    assert await ctx.syncstate.release(lease)
    # The holder's rerun: between sweeps it reads no Recruit list, only the ids left for it.
    await synced.sync(purpose=SyncPurpose.RERUN)
    assert "Named by a callback" in await synced.outlook_subjects()
    assert (await synced.state()).pending_recruit_ids is None


async def test_a_callbacks_ids_reach_outlook_when_the_holders_rerun_ran_before_they_were_stored(
    synced: Synced, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race a full test run met: the callback's pass finds the lease held and sets `pending`, the holder
    lets go and its rerun reads the state, and only then are the callback's ids stored."""
    ctx, key = synced.ctx, synced.connection.key
    lease = await ctx.syncstate.try_acquire(key, "calendar", "another-worker", ctx.clock(), 60)
    assert lease is not None
    synced.tick()
    record_id = synced.recruit_create("Events", event_fields("Named while the holder let go"))
    original_leave = reconcile._leave_ids_for_holder

    async def holder_finishes_first(*args: Any) -> None:
        assert await ctx.syncstate.release(lease)  # the holder lets go, sees `pending`...
        await synced.sync(purpose=SyncPurpose.RERUN)  # ...and its rerun runs before the ids are stored
        await original_leave(*args)

    monkeypatch.setattr(reconcile, "_leave_ids_for_holder", holder_finishes_first)
    callback = {"recruit_module": "Events", "recruit_ids": [record_id], "recruit_operation": "insert"}

    await synced.sync(reason="recruit_notification", **callback)

    assert "Named while the holder let go" in await synced.outlook_subjects()
    state = await synced.state()
    assert state.pending_recruit_ids is None and not state.lease_owner


async def test_an_expired_delta_token_starts_a_fresh_round_without_duplicates(synced: Synced) -> None:
    before = await synced.outlook_subjects()
    synced.graph.control("expire-delta", {"user": synced.connection.email})
    await synced.outlook_create(graph_event("After expiry"))

    await synced.sync(reason="graph_notification")

    assert await synced.outlook_subjects() == sorted([*before, "After expiry"])
    assert synced.owned_titles("Events").count("After expiry") == 1


async def test_a_resync_request_changes_nothing_when_both_sides_agree(synced: Synced) -> None:
    before_outlook, before_recruit = await synced.outlook_subjects(), synced.owned_titles("Events")
    await synced.sync(reason="resync")
    assert await synced.outlook_subjects() == before_outlook
    assert synced.owned_titles("Events") == before_recruit


async def test_enable_without_microsoft_consent_stops_with_a_plain_error(
    ctx: EngineContext, graph: GraphEmulatorHandle, recruit: RecruitEmulator
) -> None:
    # Bob's tenant never gave admin consent, so an app-only token for his mailbox is refused.
    bob = await connect(ctx, graph, recruit, "bob@fabrikam.example")
    await ctx.syncstate.modify(bob.key, "calendar", lambda s: s.model_copy(update={"status": "connecting"}))

    await enable(ctx, bob.key, "calendar")

    state = await ctx.syncstate.get(bob.key, "calendar")
    assert state is not None and state.status == "error"
    assert state.last_error_code == "microsoft_auth"
    assert "Microsoft" in state.last_error_message


async def test_an_unreadable_queue_message_is_dropped_not_retried(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    passes: list[SyncRequest] = []

    async def recorded_pass(ctx: EngineContext, request: SyncRequest) -> None:
        passes.append(request)

    monkeypatch.setattr(reconcile, "run_pass", recorded_pass)
    # Returning normally is what drops it: an exception would make the host retry the message, then poison it.
    await sync_requests(func.QueueMessage(id="m1", body=b"not json at all"))
    assert passes == []
    [record] = [r for r in caplog.records if r.name == "sync_core.functions.queues"]
    assert record.levelname == "ERROR" and record.getMessage().startswith(
        "dropped unreadable sync request m1"
    )


async def test_an_initial_sync_step_that_finds_the_lease_held_comes_back_later(alice: Synced) -> None:
    ctx, key = alice.ctx, alice.connection.key
    await ctx.syncstate.modify(key, "calendar", lambda s: s.model_copy(update={"status": "connecting"}))
    await enable(ctx, key, "calendar")
    lease = await ctx.syncstate.try_acquire(key, "calendar", "a-notification-pass", ctx.clock(), 60)
    assert lease is not None

    await alice.sync(reason="initial")

    # Queued twice: by enable, and again (visible a little later) by the step that could not run.
    def both_queued() -> list[dict[str, Any]]:
        messages = sync_messages(ctx.settings)
        return messages if len(messages) == 2 else []

    assert [m["reason"] for m in await poll_async(both_queued)] == ["initial", "initial"]
    await ctx.syncstate.release(lease)


async def test_a_multi_chunk_initial_sync_completes_with_concurrent_queue_workers(alice: Synced) -> None:
    """Two workers take messages as soon as they appear, as the host does: the next chunk's message often
    arrives while the step that queued it still holds the lease."""
    ctx, key = alice.ctx, alice.connection.key
    ctx.settings.initial_sync_chunk = 1
    await ctx.syncstate.modify(key, "calendar", lambda s: s.model_copy(update={"status": "connecting"}))
    await enable(ctx, key, "calendar")
    queue = await ctx.storage.queue(ctx.settings.queue_sync_requests)
    deadline = time.monotonic() + 60

    async def worker() -> None:
        while time.monotonic() < deadline:
            state = await ctx.syncstate.get(key, "calendar")
            if state is not None and state.status == "active":
                return
            async for message in queue.receive_messages(max_messages=1, visibility_timeout=30):
                await run_pass(ctx, parse_sync_request(message.content))
                await queue.delete_message(message)
                break
            else:
                await asyncio.sleep(0.05)

    await asyncio.gather(worker(), worker())

    state = await alice.state()
    assert (state.status, state.initial_done, state.initial_total) == ("active", 6, 6)
    assert len(await alice.outlook_subjects()) == 6
