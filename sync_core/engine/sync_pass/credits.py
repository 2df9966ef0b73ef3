"""How often the Recruit sweeps that cost credits may run, given the org's daily budget and count (each
Recruit client's spending is added to that count by `EngineContext.recruit`).

A sweep (modified-since and deleted lists of every module of a kind) is the pass's fixed cost in credits; a
pass in between reads only the ids a callback named, so the sweep interval bounds both the cost of an idle
user and how late a lost callback is caught.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sync_core.engine.context import EngineContext
from sync_core.store.connections import ConnectionKey
from sync_core.store.syncstate import Kind, SyncState

# counters (ints) keep when a pass last swept Recruit, and when a sweep request found the lease held (the
# holder's rerun then sweeps), as epoch seconds.
LAST_RECRUIT_SWEEP = "recruit_last_sweep"
SWEEP_OWED = "recruit_sweep_owed"
# From this share of the daily budget, sweeps come SPACED_FACTOR times less often.
SPACING_FROM = 0.8
SPACED_FACTOR = 4


async def used_today(ctx: EngineContext, org_id: str) -> int:
    return await ctx.credits.used_today(org_id, ctx.clock())


def interval_for(ctx: EngineContext, used: int) -> timedelta:
    """The sweep interval after `used` credits today: the setting, spaced out once the budget nears."""
    interval = timedelta(minutes=ctx.settings.recruit_sweep_minutes)
    budget = ctx.settings.recruit_daily_credit_budget
    if budget and used >= SPACING_FROM * budget:
        return interval * SPACED_FACTOR
    return interval


async def sweep_interval(ctx: EngineContext, org_id: str) -> timedelta:
    return interval_for(ctx, await used_today(ctx, org_id))


def last_sweep(state: SyncState) -> datetime | None:
    value = state.counters.get(LAST_RECRUIT_SWEEP)
    return datetime.fromtimestamp(value, UTC) if value else None


def sweep_due(state: SyncState, now: datetime, interval: timedelta) -> bool:
    """Whether the connection's Recruit sweep is due: never swept, or not within `interval`."""
    last = last_sweep(state)
    return last is None or last <= now - interval


async def owe_sweep(ctx: EngineContext, key: ConnectionKey, kind: Kind, now: datetime) -> None:
    """Records that a sweep request found the lease held: the holder's rerun sweeps in its place."""

    def mark(state: SyncState) -> SyncState:
        return state.model_copy(update={"counters": {**state.counters, SWEEP_OWED: int(now.timestamp())}})

    await ctx.syncstate.modify(key, kind, mark)


def sweep_owed(state: SyncState) -> bool:
    """A sweep request came (and found the lease held) no earlier than the last sweep began (same second
    included: the sweep may have listed before the request came)."""
    owed = state.counters.get(SWEEP_OWED)
    return owed is not None and owed >= state.counters.get(LAST_RECRUIT_SWEEP, 0)
