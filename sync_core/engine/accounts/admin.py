"""What a Recruit organisation's administrators may do: the org overview of every signed-in user's sync, and
turning a user's sync off (who is an administrator: engine/accounts/admin_status.py).

Every use case takes the administrator's own connection key: the org comes from it, never from the client.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

from sync_core.engine.accounts.account_views import kind_summary
from sync_core.engine.accounts.accounts import NotSignedIn
from sync_core.engine.accounts.admin_status import require_administrator
from sync_core.engine.context import EngineContext
from sync_core.engine.sync_kinds.registry import KIND_NAMES
from sync_core.engine.sync_lifecycle.enablement import request_disable
from sync_core.engine.sync_pass import credits
from sync_core.store.connections import Connection, ConnectionKey
from sync_core.store.syncstate import Kind

log = logging.getLogger(__name__)


async def _org_connections(ctx: EngineContext, admin: Connection) -> AsyncIterator[Connection]:
    """The connections of the administrator's org in the administrator's own data centre: another data
    centre's org with the same id is another organisation (store/connections.py, ConnectionKey)."""
    async for connection in ctx.connections.list_org(admin.org_id):
        if connection.data_centre == admin.data_centre:
            yield connection


class UnknownUser(Exception):
    """No signed-in user of the administrator's org has this id."""


async def credits_today(ctx: EngineContext, org_id: str) -> dict[str, Any]:
    """The org's Recruit credits spent today (UTC day, every user's clients counted:
    engine/sync_pass/credits.py) against its daily budget (None: no budget set)."""
    used = await credits.used_today(ctx, org_id)
    return {"counted": True, "used": used, "budget": ctx.settings.recruit_daily_credit_budget or None}


async def org_overview(ctx: EngineContext, key: ConnectionKey) -> dict[str, Any]:
    """`GET /api/admin/overview`: every signed-in user of the administrator's org, each kind's state, and the
    org's credits today. Only the administrator's own org is read (its partition of the connections table)."""
    admin = await require_administrator(ctx, key)
    users: list[dict[str, Any]] = []
    async for connection in _org_connections(ctx, admin):
        kinds: dict[str, Any] = {kind: await kind_summary(ctx, connection.key, kind) for kind in KIND_NAMES}
        users.append(
            {
                "id": connection.user_id,
                "name": connection.name,
                "email": connection.email,
                "you": connection.key == admin.key,
                **kinds,
            }
        )
    users.sort(key=lambda user: (str(user["name"]).lower(), str(user["email"]).lower()))
    return {
        "org": {"id": admin.org_id, "name": admin.org_name},
        "users": users,
        "credits": await credits_today(ctx, admin.org_id),
    }


async def disable_for_user(ctx: EngineContext, key: ConnectionKey, user_id: str, kind: Kind) -> str:
    """An administrator turns off one kind of sync for a user of their own org (the same teardown as the
    user's own Disable); UnknownUser when the org has no such signed-in user."""
    admin = await require_administrator(ctx, key)
    targets = [c.key async for c in _org_connections(ctx, admin) if c.user_id == user_id]
    if not targets:
        raise UnknownUser(user_id)
    target = targets[0]
    try:
        status = await request_disable(ctx, target, kind)
    except NotSignedIn as missing:
        raise UnknownUser(user_id) from missing
    log.info("%s: %s sync of %s turned off by administrator %s", target, kind, user_id, admin.user_id)
    return status
