"""A real sync pass (engine, Azurite, emulators) is exactly one `sync.pass` span with the connection key,
kind and reason, and what it wrote is counted; a request that finds the lease held runs no pass."""

from __future__ import annotations

from sync_core.engine.sync_pass.reconcile import run_pass
from sync_core.store.queues import SyncRequest
from tests.integration.engine.conftest import Synced, event_fields, graph_event
from tests.unit.telemetry.conftest import CapturedTelemetry, dims


async def test_a_pass_is_one_span_with_the_connection_kind_reason_and_what_it_wrote(
    synced: Synced, captured: CapturedTelemetry
) -> None:
    record_id = synced.recruit_create("Events", event_fields("Offer discussion"))
    await synced.outlook_create(graph_event("Coffee with candidate"))
    await synced.sync(recruit_module="Events", recruit_ids=[record_id], reason="recruit_notification")

    [span] = captured.spans()
    assert span.name == "sync.pass"
    attributes = dict(span.attributes or {})
    assert attributes["sync.connection"] == str(synced.connection.key)
    assert attributes["sync.kind"] == "calendar"
    assert attributes["sync.reason"] == "recruit_notification"
    assert attributes["sync.count.graph_created"] == 1
    assert attributes["sync.count.recruit_created"] == 1
    assert captured.counter("sync.items.written") == {
        dims(sync__kind="calendar", direction="to_outlook", action="create"): 1,
        dims(sync__kind="calendar", direction="to_recruit", action="create"): 1,
    }
    assert captured.counter("sync.passes") == {
        dims(sync__kind="calendar", sync__reason="recruit_notification", outcome="ok"): 1
    }
    assert captured.counter("sync.failures") == {}


async def test_a_request_that_finds_the_lease_held_is_not_a_pass(
    synced: Synced, captured: CapturedTelemetry
) -> None:
    ctx, key = synced.ctx, synced.connection.key
    lease = await ctx.syncstate.try_acquire(key, "calendar", "another-worker", ctx.clock(), 60)
    assert lease is not None
    await run_pass(ctx, SyncRequest(connection=str(key), kind="calendar", reason="sweep"))
    assert captured.spans() == []
    assert captured.counter("sync.passes") == {}
    await ctx.syncstate.release(lease)
