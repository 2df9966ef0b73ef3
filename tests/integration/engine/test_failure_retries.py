"""Items a pass could not write are retried by a sweep queued a little later (issue 5): backing off while they
keep failing, no more after a bound, and never once a later pass has written them."""

from __future__ import annotations

import pytest

from sync_core.engine.context import EngineContext
from sync_core.engine.sync_pass.reconcile import run_pass
from sync_core.store.queues import SyncPurpose, SyncRequest
from tests.integration.engine.conftest import (
    Synced,
    event_fields,
    graph_event,
    recruit_stats,
)

# Outlook answers every try of the item with 429 until the test lifts it: the item runs out of its retries
# inside the pass (Retry-After 0 keeps that quick).
THROTTLED = {"rate": 1.0, "statuses": [429], "retry_after": 0}


class QueuedSyncs:
    """The sync requests a pass queues and their visibility delays, caught instead of sent: the test runs
    them itself rather than waiting for them to become visible."""

    def __init__(self, ctx: EngineContext, monkeypatch: pytest.MonkeyPatch) -> None:
        self.sent: list[tuple[SyncRequest, int | None]] = []

        async def catch(request: SyncRequest, visibility_timeout: int | None = None) -> None:
            self.sent.append((request, visibility_timeout))

        monkeypatch.setattr(ctx.queues, "send_sync", catch)

    def take(self) -> list[tuple[SyncRequest, int | None]]:
        sent, self.sent = self.sent, []
        return sent


async def refuse_outlook_writes_to(synced: Synced, subject: str) -> None:
    """Every write to this one Outlook event fails; everything else goes through."""
    event = await synced.outlook_event(subject)
    prefix = f"/v1.0/users/{synced.mailbox}/events/{event['id']}"
    synced.graph.control("faults", {"rules": [{"prefix": prefix, **THROTTLED}]})


def rename_in_recruit(synced: Synced, title: str, new_title: str) -> None:
    [record] = [r for r in synced.recruit_records("Events") if r["Event_Title"] == title]
    synced.recruit_update("Events", str(record["id"]), {"Event_Title": new_title})


def lift_faults(synced: Synced) -> None:
    synced.graph.control("faults", {"rules": []})


async def failing_pass(synced: Synced, new_title: str, other_renames: dict[str, str] | None = None) -> None:
    """A pass after Recruit renames "Alice: client call" (whose Outlook writes all fail) and the events in
    `other_renames` (title: new title, written as usual); the faults are lifted afterwards."""
    await refuse_outlook_writes_to(synced, "Alice: client call")
    synced.tick()
    rename_in_recruit(synced, "Alice: client call", new_title)
    for title, renamed in (other_renames or {}).items():
        rename_in_recruit(synced, title, renamed)
    try:
        await synced.sync(reason="recruit_notification")
    finally:
        lift_faults(synced)


async def failing_passes(synced: Synced) -> int:
    return (await synced.state()).counters.get("failing_passes", 0)


async def test_an_item_that_failed_is_retried_30_s_later_and_written_once_the_fault_is_gone(
    synced: Synced, monkeypatch: pytest.MonkeyPatch
) -> None:
    queued = QueuedSyncs(synced.ctx, monkeypatch)
    await failing_pass(
        synced, "Client call, throttled at first", {"Alice: career fair": "Career fair, written at once"}
    )

    # The failure blocked nothing else, and the user is told it will be retried.
    subjects = await synced.outlook_subjects()
    assert "Alice: client call" in subjects and "Career fair, written at once" in subjects
    log = await synced.ctx.synclog.recent(synced.connection.key, kind="calendar")
    [failure] = [entry for entry in log.entries if entry.type == "failure"]
    assert failure.title == "Client call, throttled at first" and failure.message.endswith("will retry")
    [(retry, visible_after)] = queued.take()
    assert (retry.reason, retry.purpose, retry.failing_passes, visible_after) == (
        "sweep",
        SyncPurpose.FAILURE_RETRY,
        1,
        30,
    )
    assert await failing_passes(synced) == 1

    await run_pass(synced.ctx, retry)

    subjects = await synced.outlook_subjects()
    assert "Client call, throttled at first" in subjects and "Alice: client call" not in subjects
    assert queued.take() == []  # nothing left to retry
    assert await failing_passes(synced) == 0


async def test_a_pass_without_failures_resets_the_count_and_the_retry_it_overtook_runs_no_pass(
    synced: Synced, monkeypatch: pytest.MonkeyPatch
) -> None:
    queued = QueuedSyncs(synced.ctx, monkeypatch)
    await failing_pass(synced, "Client call, throttled once")
    [(retry, _)] = queued.take()

    # The user's next change comes before the retry: its pass writes both.
    synced.tick()
    synced.recruit_create("Events", event_fields("Next change", days_ahead=4))
    await synced.sync(reason="recruit_notification")
    subjects = await synced.outlook_subjects()
    assert "Client call, throttled once" in subjects and "Next change" in subjects
    assert queued.take() == []
    assert await failing_passes(synced) == 0

    graph_before = synced.graph.control_get("stats")["requests"]
    recruit_before = recruit_stats(synced.recruit)
    await run_pass(synced.ctx, retry)
    assert synced.graph.control_get("stats")["requests"] == graph_before
    assert recruit_stats(synced.recruit) == recruit_before


async def test_retries_back_off_and_stop_after_five_that_still_fail(
    synced: Synced, monkeypatch: pytest.MonkeyPatch
) -> None:
    queued = QueuedSyncs(synced.ctx, monkeypatch)
    await refuse_outlook_writes_to(synced, "Alice: client call")
    synced.tick()
    rename_in_recruit(synced, "Alice: client call", "Client call, refused every time")
    delays: list[int | None] = []
    try:
        await synced.sync(reason="recruit_notification")
        while sent := queued.take():
            [(retry, visible_after)] = sent
            delays.append(visible_after)
            assert len(delays) <= 5, "retries never stop"
            await run_pass(synced.ctx, retry)
    finally:
        lift_faults(synced)

    assert delays == [30, 60, 120, 240, 480]
    assert await failing_passes(synced) == 6
    assert "Alice: client call" in await synced.outlook_subjects()

    # The next change (here one in Outlook) tries again and writes it.
    synced.tick()
    await synced.outlook_create(graph_event("Made in Outlook", days_ahead=5))
    await synced.sync(reason="graph_notification")
    subjects = await synced.outlook_subjects()
    assert "Client call, refused every time" in subjects and "Made in Outlook" in subjects
    assert "Alice: client call" not in subjects
    assert queued.take() == []
    assert await failing_passes(synced) == 0


async def test_a_retry_that_finds_the_lease_held_leaves_it_to_the_holder_and_checks_on_it(
    synced: Synced, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx, key = synced.ctx, synced.connection.key
    queued = QueuedSyncs(ctx, monkeypatch)
    await failing_pass(synced, "Client call, retried by the holder")
    [(retry, _)] = queued.take()
    lease = await ctx.syncstate.try_acquire(key, "calendar", "another-worker", ctx.clock(), 60)
    assert lease is not None

    await run_pass(ctx, retry)

    [(check, visible_after)] = queued.take()
    assert check.purpose == SyncPurpose.PENDING_CHECK and visible_after == 61
    assert "Client call, retried by the holder" not in await synced.outlook_subjects()
    assert await ctx.syncstate.release(lease)  # the holder learns it must run again
    await synced.sync()  # and its rerun, a sweep, writes the item
    assert "Client call, retried by the holder" in await synced.outlook_subjects()
    assert await failing_passes(synced) == 0
