"""One leased sync pass per (connection, kind): gather both sides, plan, apply, advance cursors, log.

A request that finds the lease held leaves `pending` set; the holder runs again before it lets go, or, if it
died, the request that set the flag comes back once the lease has expired. A pass that left items failed
queues a sweep to retry them a little later, backing off while they keep failing.
"""

from __future__ import annotations

import logging
import math
import uuid
from datetime import datetime

from sync_core.domain.items import RecruitRef
from sync_core.domain.planner import plan
from sync_core.engine import telemetry
from sync_core.engine.context import EngineContext, NotConnected
from sync_core.engine.sync_kinds.kinds import SyncKind, window_slid
from sync_core.engine.sync_kinds.registry import kind_for
from sync_core.engine.sync_lifecycle.lifecycle import CONTAINER_DELETED, mark_error, teardown
from sync_core.engine.sync_pass import credits, initial_sync
from sync_core.engine.sync_pass.apply import apply
from sync_core.engine.sync_pass.cursors import FAILING_PASSES, store_cursors
from sync_core.engine.sync_pass.gather import (
    fetch_recruit,
    gather_graph,
    gather_recruit,
    link_index,
    links_by_recruit_keys,
)
from sync_core.engine.sync_pass.scope import PassScope, SyncStopped, open_scope, reload_state
from sync_core.engine.sync_pass.synclog import log_pass, repair_entry, unreadable_entry
from sync_core.graph.errors import AuthRequired, ContainerGone, DeltaExpired
from sync_core.recruit.errors import InvalidToken, RateLimited, ScopeMismatch
from sync_core.store.connections import ConnectionKey
from sync_core.store.errors import LeaseLost
from sync_core.store.queues import SyncPurpose, SyncReason, SyncRequest
from sync_core.store.syncstate import Kind, Lease, LeaseBusy, SyncState

log = logging.getLogger(__name__)

# An initial-sync step that finds the lease held comes back this much later.
INITIAL_RETRY_SECONDS = 2
# How long after the holder's lease expires a PENDING_CHECK comes (queue visibility is whole seconds): a
# holder that died (a crashed worker) never runs again for the `pending` flag it was asked to serve.
PENDING_CHECK_MARGIN_SECONDS = 1
# A pass that left items failed queues a FAILURE_RETRY sweep (the cursors did not pass them) with the count
# of failing passes in a row, visible after RETRY_FIRST_SECONDS, twice as long after each retry that fails
# again (at most RETRY_MAX_SECONDS). After MAX_FAILURE_RETRIES such retries none is queued: the next change
# or the timer's sweep tries again, so an item Recruit always refuses cannot keep a connection busy.
RETRY_FIRST_SECONDS = 30
RETRY_MAX_SECONDS = 600
MAX_FAILURE_RETRIES = 5
# Callback ids kept for the lease holder's rerun; beyond this many the rerun sweeps instead.
MAX_PENDING_IDS = 1000
# The operation of a Recruit delete callback (API-NOTES "Notifications").
RECRUIT_DELETE = "delete"
# Recruit throttled the pass and, as it always does, did not say until when: the request is queued again as a
# new message this much later (or when a reset it did name comes), so throttling never spends the queue's
# dequeue count (and never lands the request in the poison queue) nor the failure retries above.
RATE_LIMIT_RETRY_SECONDS = 60
# Purposes whose pass reads every linked pair on both sides (a fresh delta round, the whole Recruit module).
_FULL_REREADS = frozenset({SyncPurpose.MAPPING_CHANGED, SyncPurpose.REPAIR})


async def run_pass(ctx: EngineContext, request: SyncRequest) -> None:
    """Run passes for the request's (connection, kind) until no request is pending; never two at once."""
    key = ConnectionKey.parse(request.connection)
    kind = kind_for(request.kind, ctx.settings)
    if not await _still_owed(ctx, key, kind.name, request):
        return
    owner = uuid.uuid4().hex
    current: SyncRequest | None = request
    while current is not None:
        lease = await ctx.syncstate.acquire(key, kind.name, owner, ctx.clock(), ctx.settings.lease_seconds)
        if isinstance(lease, LeaseBusy):
            if _needs_own_pass(current):
                # Requests the holder's rerun cannot stand in for come back later themselves: the rerun may
                # skip initial-sync work (the chunk chain must not break), would not re-read every linked
                # pair, reads no Recruit ids (a callback's must be read: `/deleted` is not confirmed for
                # Recruit, and between sweeps nothing else reads them), and sweeps Recruit only when owed.
                await ctx.queues.send_sync(current, visibility_timeout=INITIAL_RETRY_SECONDS)
                return
            marked = lease.marked
            if await _leave_work_for_holder(ctx, key, kind.name, current):
                # The holder may have let go, and its rerun read the state, between our try and our write:
                # try once more. Either we hold the lease ourselves, or the `pending` this try finds or sets
                # brings a rerun that starts after the work was stored.
                lease = await ctx.syncstate.acquire(
                    key, kind.name, owner, ctx.clock(), ctx.settings.lease_seconds
                )
            if isinstance(lease, LeaseBusy):
                if marked or lease.marked or current.purpose == SyncPurpose.PENDING_CHECK:
                    # The holder runs again for our `pending` flag, unless it dies first: one check per flag.
                    await _check_pending_later(ctx, current, lease)
                return
        failed = True  # until the pass returns: an exception goes to the queue, which retries the message
        try:
            with telemetry.sync_pass(ctx.settings, current.connection, kind.name, current.reason):
                stop = await _leased_pass(ctx, key, kind, current, lease)
            failed = False
        finally:
            pending = await ctx.syncstate.release(lease, failed=failed)
        # Requests that arrived meanwhile and did not come back themselves were Graph notifications: delta
        # covers them. During an initial sync the rerun is the next step (its own queued message may have
        # found the lease held).
        if pending and not stop:
            current = (
                _follow_up(request, "initial")
                if current.reason == "initial"
                else _follow_up(request, purpose=SyncPurpose.RERUN)
            )
        else:
            current = None


def _needs_own_pass(request: SyncRequest) -> bool:
    """Whether a request finding the lease held must run itself later rather than leave `pending` set (a
    sweep leaves `pending` and the sweep owed, a callback its ids: the holder's rerun reads them)."""
    return (
        request.reason == "initial"
        or request.purpose in _FULL_REREADS
        or (bool(request.recruit_ids) and request.recruit_operation == RECRUIT_DELETE)
    )


async def _leave_work_for_holder(
    ctx: EngineContext, key: ConnectionKey, kind: Kind, request: SyncRequest
) -> bool:
    """Records in the sync state what the holder's rerun must do for `request` (a sweep owed, or a callback's
    ids to read); False when there is nothing to record (a Graph notification: delta covers it)."""
    if sweeps_recruit(request):
        await credits.owe_sweep(ctx, key, kind, ctx.clock())
        return True
    if request.recruit_ids and request.recruit_module:
        await _leave_ids_for_holder(ctx, key, kind, request.recruit_module, request.recruit_ids)
        return True
    return False


async def _leave_ids_for_holder(
    ctx: EngineContext, key: ConnectionKey, kind: Kind, module: str, ids: list[str]
) -> None:
    """Adds a callback's ids to those the holder's rerun reads; past MAX_PENDING_IDS a sweep is owed."""

    def add(state: SyncState) -> SyncState:
        pending = dict(state.pending_recruit_ids or {})
        pending[module] = list(dict.fromkeys([*pending.get(module, []), *map(str, ids)]))
        if sum(len(kept) for kept in pending.values()) > MAX_PENDING_IDS:
            return state  # the owed sweep below finds them
        return state.model_copy(update={"pending_recruit_ids": pending})

    state = await ctx.syncstate.modify(key, kind, add)
    if not set(map(str, ids)) <= set((state.pending_recruit_ids or {}).get(module, [])):
        await credits.owe_sweep(ctx, key, kind, ctx.clock())


def sweeps_recruit(request: SyncRequest) -> bool:
    """Whether the request's pass always sweeps Recruit (modified-since and deleted lists): the timer's
    sweeps, resyncs and every recovery; a callback's pass, an Outlook-started pass and the holder's rerun
    sweep only when the connection's sweep interval has passed."""
    if request.reason == "recruit_notification" and not request.recruit_ids:
        return True  # a callback that names nothing: only the lists can say what changed
    # An "initial" request reaching reconcile found the initial sync finished (its last step reconciled, as
    # a resync): it is another step's leftover message, and sweeps only when due, like a rerun.
    return request.reason in ("sweep", "resync") and request.purpose != SyncPurpose.RERUN


def _follow_up(
    request: SyncRequest,
    reason: SyncReason = "sweep",
    purpose: SyncPurpose | None = None,
    failing_passes: int | None = None,
) -> SyncRequest:
    """A request of our own for the same connection and kind."""
    return SyncRequest(
        connection=request.connection,
        kind=request.kind,
        reason=reason,
        purpose=purpose,
        failing_passes=failing_passes,
    )


async def _still_owed(ctx: EngineContext, key: ConnectionKey, kind: Kind, request: SyncRequest) -> bool:
    """Whether a conditional request still has work: a pending check while `pending` is set, a failure retry
    while no pass has run since it was queued. Any other request always has."""
    if request.purpose not in (SyncPurpose.PENDING_CHECK, SyncPurpose.FAILURE_RETRY):
        return True
    state = await ctx.syncstate.get(key, kind)
    if state is None:
        return False
    if request.purpose == SyncPurpose.PENDING_CHECK:
        return state.pending  # cleared: a pass has started since the request was recorded and covered it
    # Changed: a pass has run since; it succeeded, or failed and queued a retry of its own.
    return state.counters.get(FAILING_PASSES, 0) == request.failing_passes


async def _check_pending_later(ctx: EngineContext, request: SyncRequest, busy: LeaseBusy) -> None:
    """Queues a sweep that runs only if `pending` is still set once the holder's lease has expired."""
    wait = (busy.expires - ctx.clock()).total_seconds()
    await ctx.queues.send_sync(
        _follow_up(request, purpose=SyncPurpose.PENDING_CHECK),
        visibility_timeout=max(0, math.ceil(wait)) + PENDING_CHECK_MARGIN_SECONDS,
    )


def failure_retry(request: SyncRequest, failing: int) -> SyncRequest:
    """The sweep retrying what the `failing`-th failing pass in a row left."""
    return _follow_up(request, purpose=SyncPurpose.FAILURE_RETRY, failing_passes=failing)


def retry_delay(failing: int) -> int:
    """Seconds before the retry after the `failing`-th failing pass in a row."""
    return min(RETRY_FIRST_SECONDS << max(0, failing - 1), RETRY_MAX_SECONDS)


async def _leased_pass(
    ctx: EngineContext, key: ConnectionKey, kind: SyncKind, request: SyncRequest, lease: Lease
) -> bool:
    """One pass under the lease; True when sync stopped (torn down, error) and nothing should run again."""
    state = await ctx.syncstate.get(key, kind.name)
    if state is None or state.status not in ("active", "initial_sync"):
        return True
    if state.status == "initial_sync" and request.reason != "initial":
        return True  # the initial sync's own messages carry it; its last step reconciles everything
    try:
        async with open_scope(ctx, key, kind, state, lease) as scope:
            if scope is None:
                return True
            if state.status == "initial_sync":
                finished = await initial_sync.step(scope)
                if not finished:
                    return False
                await reload_state(scope)
                request = request.model_copy(update={"reason": "resync"})
            await reconcile_once(scope, request)
    except ContainerGone:
        log.info("%s %s: container deleted in Outlook, tearing down", key, kind.name)
        await teardown(ctx, key, kind.name, reason=CONTAINER_DELETED, lease=lease)
        return True
    except (SyncStopped, LeaseLost) as stopped:
        log.info("%s %s: pass stopped: %s", key, kind.name, stopped)
        return True
    except (AuthRequired, InvalidToken, ScopeMismatch, NotConnected) as error:
        await mark_error(ctx, key, kind.name, error)
        return True
    except RateLimited as limited:
        await _requeue_after_rate_limit(ctx, request, limited)
        return True
    return False


async def _requeue_after_rate_limit(ctx: EngineContext, request: SyncRequest, limited: RateLimited) -> None:
    wait = RATE_LIMIT_RETRY_SECONDS
    if limited.reset_at is not None:
        wait = max(1, math.ceil((limited.reset_at - ctx.clock()).total_seconds()))
    # A pending check has done its job once a pass runs: what comes back is a plain sweep.
    again = _follow_up(request) if request.purpose == SyncPurpose.PENDING_CHECK else request
    log.info(
        "%s %s: Recruit is throttling, pass queued again in %d s", request.connection, request.kind, wait
    )
    await ctx.queues.send_sync(again, visibility_timeout=wait)


async def reconcile_once(scope: PassScope, request: SyncRequest) -> None:
    """Gather, plan, apply, then store cursors and log. Raises ContainerGone when the container is gone."""
    ctx, kind, state = scope.ctx, scope.kind, scope.state
    now = ctx.clock()
    # A changed mapping changes what every linked pair holds, and a repair looks for any drift: both sides
    # are read in full and every linked pair is compared again.
    reread = request.purpose in _FULL_REREADS
    every_link = [link async for link in ctx.links.list_all(scope.key, kind.name)] if reread else []
    linked_keys = {
        RecruitRef(link.recruit_module, link.recruit_id).key for link in every_link if link.state == "linked"
    }
    sweep = reread or await _sweeps_recruit_now(scope, request, now)
    recruit_side = await gather_recruit(scope, request, now, also=linked_keys, sweep=sweep)
    # A resync after lost notifications keeps the delta link: it reports everything since, deletions
    # included, where a fresh round lists only what exists (its deletions must be inferred by GETs).
    fresh = (
        reread
        or not state.delta_link
        or (request.reason == "resync" and window_slid(kind, state.delta_window_start, now))
    )
    known = every_link if reread else None
    try:
        graph_side = await gather_graph(scope, None if fresh else state.delta_link, now, known)
    except DeltaExpired:
        # Reconciled by links and tags in the planner: a fresh round never duplicates.
        graph_side = await gather_graph(scope, None, now, known)
    await scope.keep_lease()

    recruit_keys = [change.ref.key for change in recruit_side.changes]
    # Tagged Outlook items without a link (a crashed create): the planner needs their Recruit record.
    tags = {
        change.tag
        for change in graph_side.changes
        if change.tag and change.graph_id not in graph_side.links and not change.gone
    }
    missing = tags - set(recruit_keys)
    if missing:
        recruit_side.changes += await fetch_recruit(scope, missing)
    if reread:
        stored_links = every_link  # read in full already: no point reads per record
    else:
        recruit_links = await links_by_recruit_keys(scope, [*recruit_keys, *tags])
        stored_links = [*graph_side.links.values(), *recruit_links.values()]
    links = link_index(stored_links, reread=reread)
    actions = plan(links, recruit_side.changes, graph_side.changes, kind.policy(scope.kind_ctx))
    await scope.keep_lease()

    outcome = await apply(scope, actions)
    outcome.entries[:0] = [unreadable_entry(scope, title, why) for title, why in graph_side.unreadable]
    telemetry.record_outcome(outcome.counts)
    failing = await store_cursors(scope, recruit_side, graph_side, outcome, now)
    if 0 < failing <= MAX_FAILURE_RETRIES:
        await ctx.queues.send_sync(failure_retry(request, failing), visibility_timeout=retry_delay(failing))
    await log_pass(scope, outcome.entries, outcome.counts)
    if request.purpose == SyncPurpose.REPAIR:
        checked = len(linked_keys | set(recruit_keys))
        await ctx.synclog.append(scope.key, repair_entry(scope, checked, outcome.counts))


async def _sweeps_recruit_now(scope: PassScope, request: SyncRequest, now: datetime) -> bool:
    """Whether this pass lists Recruit's changes and deletions since the watermark (else it reads only the
    ids a callback named): for requests that always sweep, a sweep owed by a request the lease turned away,
    recovery after a failing pass (the watermark waits below what failed), and once the interval is up."""
    state = scope.state
    if sweeps_recruit(request) or credits.sweep_owed(state) or state.counters.get(FAILING_PASSES, 0) > 0:
        return True
    if state.recruit_watermark is None:
        return True
    interval = await credits.sweep_interval(scope.ctx, scope.connection.org_id)
    return credits.sweep_due(state, now, interval)
