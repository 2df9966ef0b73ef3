"""What an Enable would do, without doing it: how many records the initial sync would copy, how many it
would leave out and why, and roughly how long it would take.

It reads list pages of the kind's Recruit modules only (one call per 200 records) and writes nothing.
"""

from __future__ import annotations

import math
from typing import Any

from sync_core.engine.accounts.accounts import connection_of
from sync_core.engine.context import EngineContext
from sync_core.engine.sync_kinds.registry import kind_for
from sync_core.engine.sync_pass.scope import kind_context
from sync_core.recruit.client import MAX_PER_PAGE
from sync_core.recruit.eligibility import bulk_originated
from sync_core.store.connections import ConnectionKey
from sync_core.store.syncstate import Kind, SyncState

# The estimate's assumptions (rough by design). Outlook allows 4 concurrent requests per mailbox and a create
# takes about a second, so about 4 items are written per second; the initial sync reads the chosen records
# again by id (100 per call), and each Recruit call takes about a second.
ITEMS_WRITTEN_PER_SECOND = 4
RECORDS_PER_READ = 100
SECONDS_PER_RECRUIT_CALL = 1.0
LEFT_OUT_REASONS = ("imported", "not_owned", "over_cap", "ended_too_long_ago")


def estimate_seconds(copied: int, listed: int) -> int:
    """Seconds an initial sync of `copied` out of `listed` records takes, roughly."""
    recruit_calls = math.ceil(listed / MAX_PER_PAGE) + math.ceil(copied / RECORDS_PER_READ)
    return math.ceil(copied / ITEMS_WRITTEN_PER_SECOND + recruit_calls * SECONDS_PER_RECRUIT_CALL)


async def enable_preview(ctx: EngineContext, key: ConnectionKey, kind_name: Kind) -> dict[str, Any]:
    """`GET /api/sync/{kind}/preview`: `{"copied", "left_out": {reason: n}, "listed", "estimate_seconds",
    "cap"}`, with the same eligibility rules, order and cap as the initial sync
    (engine/sync_pass/initial_sync.py)."""
    settings = ctx.settings
    connection = await connection_of(ctx, key)
    kind = kind_for(kind_name, settings)
    state = await ctx.syncstate.get(key, kind_name) or SyncState(connection=key, kind=kind_name)
    left_out = dict.fromkeys(LEFT_OUT_REASONS, 0)
    selectable: list[tuple[str, Any]] = []
    listed = 0
    now = ctx.clock()
    async with ctx.recruit(connection) as recruit:
        kind_ctx = await kind_context(ctx, connection, kind, recruit, state)
        for module in kind.recruit_modules:
            records = [record async for record in recruit.list_records(module)]
            listed += len(records)
            imported = bulk_originated(records, settings.import_batch_min, settings.import_sources.split(","))
            for record in records:
                if str(record.get("id")) in imported:
                    left_out["imported"] += 1
                elif not kind.recruit_change(module, record, kind_ctx).in_scope:
                    left_out["not_owned"] += 1
                else:
                    selectable.append((module, record))
    chosen = kind.initial_selection(selectable, now, kind.initial_cap())
    chosen_ids = {id(record) for _, record in chosen}
    for module, record in selectable:
        if id(record) not in chosen_ids:
            left_out[kind.left_out_reason(module, record, now)] += 1
    return {
        "kind": kind_name,
        "copied": len(chosen),
        "left_out": left_out,
        "listed": listed,
        "cap": kind.initial_cap(),
        "estimate_seconds": estimate_seconds(len(chosen), listed),
    }
