"""'Repair now': a full reconciliation of one kind on the user's request, at most once per REPAIR_INTERVAL.

The pass is the ordinary reconcile pass with purpose REPAIR (engine/sync_pass/reconcile.py): a fresh Graph
delta round, every Recruit record listed, every linked pair compared on both sides; this module admits and
queues it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sync_core.engine.accounts.accounts import connection_of
from sync_core.engine.context import EngineContext
from sync_core.store.connections import ConnectionKey
from sync_core.store.queues import SyncPurpose, SyncRequest
from sync_core.store.syncstate import Kind, SyncState

# The limit (CalendarBridge allows one resync a day): a repair lists every record of the kind.
REPAIR_INTERVAL = timedelta(minutes=10)


class RepairRefused(Exception):
    """Sync of the kind is not active, so there is nothing to repair."""


@dataclass(frozen=True)
class RepairTooSoon:
    """The last repair was asked for less than REPAIR_INTERVAL ago."""

    available_at: datetime
    retry_after_seconds: int


def repair_available_at(state: SyncState, now: datetime) -> datetime | None:
    """When "Repair now" can be used again; None when it can be now."""
    if state.repair_requested_at is None:
        return None
    available = state.repair_requested_at + REPAIR_INTERVAL
    return available if available > now else None


async def request_repair(ctx: EngineContext, key: ConnectionKey, kind: Kind) -> RepairTooSoon | None:
    """Queues a repair pass (None) or says when one can be asked for again. The time is claimed in the sync
    state with an ETag-matched write, so two instances answering at once admit one repair, not two."""
    await connection_of(ctx, key)
    now = ctx.clock()
    too_soon: RepairTooSoon | None = None

    def claim(state: SyncState) -> SyncState | None:
        nonlocal too_soon
        too_soon = None
        if state.status != "active":
            raise RepairRefused(state.status)
        available = repair_available_at(state, now)
        if available is not None:
            seconds = max(1, math.ceil((available - now).total_seconds()))
            too_soon = RepairTooSoon(available, seconds)
            return None
        return state.model_copy(update={"repair_requested_at": now})

    await ctx.syncstate.modify(key, kind, claim)
    if too_soon is not None:
        return too_soon
    await ctx.queues.send_sync(
        SyncRequest(connection=str(key), kind=kind, reason="resync", purpose=SyncPurpose.REPAIR)
    )
    return None
