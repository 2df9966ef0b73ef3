"""Where a pass leaves its cursors: Recruit's watermark (never past a record whose write failed), Graph's
delta link (held while Outlook items failed, a few passes at most), the window, counters and failed items.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sync_core.engine.sync_pass import credits
from sync_core.engine.sync_pass.gather import GraphSide, RecruitSide
from sync_core.engine.sync_pass.scope import PassScope
from sync_core.engine.sync_pass.write_outcome import ApplyOutcome
from sync_core.store.syncstate import SyncState

# A pass whose Outlook-side writes to Recruit failed keeps its delta link (so delta replays those items);
# after this many held passes in a row it moves on, so one item Recruit always refuses cannot pin the cursor.
MAX_DELTA_HOLDS = 5
_HOLDS = "delta_holds"
# How many passes in a row left items failed (the failure retries back off by it).
FAILING_PASSES = "failing_passes"
# The Recruit emulator's If-Modified-Since is strict, and Zoho's granularity is a second.
WATERMARK_SLACK = timedelta(seconds=1)


def _unread(pending: dict[str, list[str]] | None, read: dict[str, list[str]]) -> dict[str, list[str]] | None:
    """The callback ids left for a rerun that arrived after this pass read the others."""
    left = {
        module: [rid for rid in ids if rid not in set(read.get(module, []))]
        for module, ids in (pending or {}).items()
    }
    return {module: ids for module, ids in left.items() if ids} or None


def next_watermark(current: datetime | None, side: RecruitSide, failed_keys: set[str]) -> datetime | None:
    """Newest Modified_Time a sweep read minus the slack (never moving back for records fetched by id), but
    below any record whose write failed, so the next sweep reads that one again."""
    candidate = current if side.newest is None else side.newest - WATERMARK_SLACK
    if candidate is None:
        return None
    if current is not None:
        candidate = max(candidate, current)
    for change in side.changes:
        if change.ref.key in failed_keys and not change.deleted:
            candidate = min(candidate, change.modified - WATERMARK_SLACK)
    return candidate


async def store_cursors(
    scope: PassScope, recruit_side: RecruitSide, graph_side: GraphSide, outcome: ApplyOutcome, now: datetime
) -> int:
    """Stores the cursors and counts; returns how many failing passes in a row this one makes (0: it left
    nothing failed, or sync was turned off meanwhile)."""
    watermark = next_watermark(scope.state.recruit_watermark, recruit_side, outcome.failed_recruit_keys)
    graph_ids = {change.graph_id for change in graph_side.changes}
    hold = bool(graph_ids & outcome.failed_graph_ids)
    window = scope.kind.delta_window(now)
    failing = 0

    def advance(state: SyncState) -> SyncState | None:
        nonlocal failing
        failing = 0
        if state.status not in ("active", "initial_sync") or state.container_id != scope.container_id:
            return None  # torn down (or restarted) meanwhile: leave the reset state alone
        counters = dict(state.counters)
        # Items refused for good wait for a change of theirs: only what may still go through is retried.
        failing = counters.get(FAILING_PASSES, 0) + 1 if outcome.wants_retry else 0
        counters[FAILING_PASSES] = failing
        holds = counters.get(_HOLDS, 0)
        update: dict[str, object] = {"recruit_watermark": watermark, "last_sync": now}
        if recruit_side.pending_read:
            update["pending_recruit_ids"] = _unread(state.pending_recruit_ids, recruit_side.pending_read)
        if recruit_side.swept:
            counters[credits.LAST_RECRUIT_SWEEP] = int(now.timestamp())
        if hold and holds < MAX_DELTA_HOLDS:
            counters[_HOLDS] = holds + 1
        else:
            counters[_HOLDS] = 0
            update["delta_link"] = graph_side.delta_link
            if graph_side.fresh and window is not None:
                # Only a fresh round moves the window: a delta link keeps the one it was started with.
                update["delta_window_start"], update["delta_window_end"] = window
        for name, value in outcome.counts.items():
            counters[name] = counters.get(name, 0) + value
        update["counters"] = counters
        update.update(outcome.book.changes(state))
        return state.model_copy(update=update)

    scope.state = await scope.ctx.syncstate.modify(scope.key, scope.kind.name, advance)
    return failing
