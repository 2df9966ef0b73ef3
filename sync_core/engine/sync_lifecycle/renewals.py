"""The timer's round: renew subscriptions and channels near expiry, queue safety sweeps and window slides.

Every connection is handled on its own: one user's failure is logged to their sync log and never stops others.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sync_core.engine.context import EngineContext
from sync_core.engine.sync_kinds.kinds import SyncKind, window_slid
from sync_core.engine.sync_kinds.registry import KIND_NAMES
from sync_core.engine.sync_lifecycle.subscriptions import ensure_graph_subscription, ensure_recruit_channel
from sync_core.engine.sync_pass import credits
from sync_core.store.connections import Connection
from sync_core.store.queues import SyncRequest
from sync_core.store.synclog import LogEntry
from sync_core.store.syncstate import Kind, SyncState

log = logging.getLogger(__name__)

RENEWING_STATUSES = frozenset({"active", "initial_sync"})
# How often a window resync may be queued; Recruit sweeps follow RECRUIT_SWEEP_MINUTES
# (engine/sync_pass/credits.py).
SWEEP_INTERVAL = timedelta(hours=6)
SWEEP_EARLY = timedelta(minutes=1)
# counters (ints) keep when the timer last queued a sweep / a window resync, as epoch seconds.
LAST_SWEEP = "timer_last_sweep"
LAST_WINDOW_RESYNC = "timer_last_window_resync"

# Connections renewed at once: different mailboxes, so Graph's per-mailbox limits are not shared.
CONCURRENT_CONNECTIONS = 8

KindFor = Callable[[str], SyncKind]


@dataclass
class RenewalReport:
    connections: int = 0
    subscriptions_renewed: int = 0
    channels_renewed: int = 0
    sweeps_queued: int = 0
    resyncs_queued: int = 0
    failures: int = 0
    oauth_states_purged: int = 0


def _needs_renewal(expires: datetime | None, exists: bool, now: datetime, ctx: EngineContext) -> bool:
    margin = timedelta(minutes=ctx.settings.renew_before_minutes)
    return not exists or expires is None or expires <= now + margin


def _epoch(counters: dict[str, int], name: str) -> datetime | None:
    value = counters.get(name)
    return datetime.fromtimestamp(value, UTC) if value else None


def _sweep_due(state: SyncState, now: datetime, interval: timedelta) -> bool:
    """A Recruit sweep is due once `interval` has passed since the last one a pass made (or the timer
    queued). Only sweeps count: passes in between read no more than the ids a callback named. The round comes
    every 5 minutes, so a sweep falling due within a minute of it is queued now, not 5 minutes late."""
    moments = [m for m in (credits.last_sweep(state), _epoch(state.counters, LAST_SWEEP)) if m is not None]
    return not moments or max(moments) <= now - interval + SWEEP_EARLY


def _window_resync_due(kind: SyncKind, state: SyncState, now: datetime) -> bool:
    if not window_slid(kind, state.delta_window_start, now):
        return False
    # Queue once per sweep interval: the resync pass moves the window, and until then asking again is noise.
    last = _epoch(state.counters, LAST_WINDOW_RESYNC)
    return last is None or last <= now - SWEEP_INTERVAL


async def _mark(ctx: EngineContext, state: SyncState, counter: str, now: datetime) -> None:
    def stamp(current: SyncState) -> SyncState:
        return current.model_copy(update={"counters": {**current.counters, counter: int(now.timestamp())}})

    await ctx.syncstate.modify(state.connection, state.kind, stamp)


async def _renew_kind(
    ctx: EngineContext, connection: Connection, kind: SyncKind, state: SyncState, report: RenewalReport
) -> bool:
    """Renews what is near expiry; True when something had to be replaced (notifications may be lost)."""
    now = ctx.clock()
    replaced = False
    if state.container_id and _needs_renewal(
        state.subscription_expires, bool(state.subscription_id), now, ctx
    ):
        async with ctx.graph(connection) as graph:
            renewed = await ensure_graph_subscription(ctx, connection, kind, graph)
        replaced |= renewed.subscription_id != state.subscription_id
        report.subscriptions_renewed += 1
    if _needs_renewal(state.channel_expires, bool(state.channel_id), now, ctx):
        async with ctx.recruit(connection) as recruit:
            renewed = await ensure_recruit_channel(ctx, connection, kind, recruit)
        replaced |= renewed.channel_id != state.channel_id
        report.channels_renewed += 1
    return replaced


async def _queue_passes(
    ctx: EngineContext, kind: SyncKind, state: SyncState, report: RenewalReport, catch_up: bool
) -> None:
    """A sweep when one is due or when notifications may have been lost (a lapsed subscription/channel);
    the delta link and the Recruit watermark then find whatever they would have said."""
    if state.status != "active":
        return  # an initial sync in progress already looks at everything
    now = ctx.clock()
    key = str(state.connection)
    if _window_resync_due(kind, state, now):
        await ctx.queues.send_sync(SyncRequest(connection=key, kind=state.kind, reason="resync"))
        await _mark(ctx, state, LAST_WINDOW_RESYNC, now)
        report.resyncs_queued += 1
    elif catch_up or _sweep_due(state, now, await credits.sweep_interval(ctx, state.connection.org_id)):
        await ctx.queues.send_sync(SyncRequest(connection=key, kind=state.kind, reason="sweep"))
        await _mark(ctx, state, LAST_SWEEP, now)
        report.sweeps_queued += 1


async def renew_connection(
    ctx: EngineContext, connection: Connection, kind_for: KindFor, report: RenewalReport
) -> None:
    """One connection's share of the round; failures are logged per kind and counted, never raised."""
    for name in KIND_NAMES:
        try:
            state = await ctx.syncstate.get(connection.key, name)
            if state is None or state.status not in RENEWING_STATUSES:
                continue
            kind = kind_for(name)
            replaced = await _renew_kind(ctx, connection, kind, state, report)
            await _queue_passes(ctx, kind, state, report, catch_up=replaced)
        except Exception as error:  # one user's failure must not stop the round
            report.failures += 1
            await _log_failure(ctx, connection, name, error)


async def _log_failure(ctx: EngineContext, connection: Connection, kind: Kind, error: Exception) -> None:
    code = str(getattr(error, "code", "") or type(error).__name__)
    log.warning("renewal failed for %s %s: %s", connection.key, kind, code)
    entry = LogEntry(
        kind=kind,
        level="error",
        type="failure",
        title="Keeping notifications alive failed",
        message=f"{code}: will try again in a few minutes",
        at=ctx.clock(),
    )
    try:
        await ctx.synclog.append(connection.key, entry)
    except Exception:  # the log is a courtesy; the round goes on
        log.exception("could not write the sync log for %s", connection.key)


async def run_renewals(ctx: EngineContext, kind_for: KindFor) -> RenewalReport:
    """The timer's whole round over every connection."""
    report = RenewalReport()
    gate = asyncio.Semaphore(CONCURRENT_CONNECTIONS)

    async def one(connection: Connection) -> None:
        async with gate:
            await renew_connection(ctx, connection, kind_for, report)

    connections = [connection async for connection in ctx.connections.list_all()]
    report.connections = len(connections)
    await asyncio.gather(*(one(connection) for connection in connections))
    report.oauth_states_purged = await ctx.oauth_states.purge_expired(ctx.clock())
    log.info("renewal round: %s", report)
    return report
