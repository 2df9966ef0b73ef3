"""What the Manage page reads: the `/api/me` document and pages of the sync log.

Views only: nothing here writes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sync_core.engine.accounts.accounts import connection_of
from sync_core.engine.accounts.admin_status import checked_connection
from sync_core.engine.context import EngineContext
from sync_core.engine.sync_kinds.registry import KIND_NAMES
from sync_core.engine.sync_lifecycle.enablement import microsoft_ready
from sync_core.engine.sync_lifecycle.repair import repair_available_at
from sync_core.store.connections import ConnectionKey
from sync_core.store.synclog import LogType
from sync_core.store.syncstate import Kind, SyncState


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def kind_view(state: SyncState) -> dict[str, Any]:
    """What the Manage page shows for one kind (`K` in DESIGN.md's `/api/me`)."""
    last_error = None
    if state.last_error_code or state.last_error_message:
        last_error = {"code": state.last_error_code, "message": state.last_error_message}
    return {
        "status": state.status,
        "progress": {"done": state.initial_done, "total": state.initial_total},
        "counts": dict(state.counters),
        # Items that could not be synced and are not yet written (engine/sync_pass/failed_items.py).
        "failed": len(state.failed_items),
        "last_sync": _iso(state.last_sync),
        "last_error": last_error,
    }


async def kind_summary(ctx: EngineContext, key: ConnectionKey, kind: Kind) -> dict[str, Any]:
    """`kind_view` plus what needs more than the state row: how many pairs are in sync, and when "Repair
    now" can be used again."""
    state = await ctx.syncstate.get(key, kind) or SyncState(connection=key, kind=kind)
    view = kind_view(state)
    # Shown on an active card only; an initial sync shows its progress, and is when the page polls most.
    active = state.status == "active"
    view["in_sync"] = await ctx.links.count_linked(key, kind, as_of=state.etag) if active else 0
    view["repair_after"] = _iso(repair_available_at(state, ctx.clock()))
    return view


async def me_view(ctx: EngineContext, key: ConnectionKey) -> dict[str, Any]:
    """The `/api/me` document for the signed-in user."""
    connection = await checked_connection(ctx, await connection_of(ctx, key))
    kinds: dict[str, Any] = {kind: await kind_summary(ctx, key, kind) for kind in KIND_NAMES}
    microsoft = {"email": connection.microsoft_email} if microsoft_ready(connection, ctx.settings) else None
    return {
        "user": {
            "id": connection.user_id,
            "name": connection.name,
            "email": connection.email,
            "time_zone": connection.time_zone,
        },
        "org": {"id": connection.org_id, "name": connection.org_name},
        "sso": connection.auth_mode == "sso",
        "admin": connection.recruit_admin,
        "microsoft": microsoft,
        # The org's Recruit API credits the sync spent today (UTC), every user of the org together.
        "recruit_credits_today": await ctx.credits.used_today(connection.org_id, ctx.clock()),
        "recruit_daily_credit_budget": ctx.settings.recruit_daily_credit_budget,
        **kinds,
    }


async def log_view(
    ctx: EngineContext,
    key: ConnectionKey,
    kind: Kind,
    before: str | None,
    limit: int = 50,
    entry_type: LogType | None = None,
) -> dict[str, Any]:
    """One page of the connection's sync log for a kind (only `entry_type` entries when given), newest first,
    and the cursor of the next page."""
    page = await ctx.synclog.recent(key, kind=kind, limit=limit, before=before or None, entry_type=entry_type)
    return {
        "entries": [entry.model_dump(mode="json") for entry in page.entries],
        "next": page.next_cursor,
    }
