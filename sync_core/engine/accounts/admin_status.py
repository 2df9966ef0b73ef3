"""Who is a Recruit administrator: the current user's profile as Recruit's users API reports it, stored on
the connection and asked again after ADMIN_RECHECK, so a profile changed in Recruit takes effect soon.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sync_core.engine.accounts.accounts import connection_of
from sync_core.engine.context import EngineContext, NotConnected
from sync_core.recruit.errors import RecruitError
from sync_core.store.connections import Connection, ConnectionKey

log = logging.getLogger(__name__)

# Recruit is asked again after this long: a profile changed in Recruit takes effect within it, and a page
# polling /api/me costs Recruit one users call per user per interval, not one per poll.
ADMIN_RECHECK = timedelta(minutes=15)
# When Recruit could not be asked, the user counts as no administrator and Recruit is asked again this soon.
ADMIN_RETRY = timedelta(minutes=1)


class NotAdministrator(Exception):
    """The signed-in user does not hold Recruit's Administrator profile."""


async def checked_connection(ctx: EngineContext, connection: Connection) -> Connection:
    """The connection with `recruit_admin` as Recruit says it now, asking Recruit when the stored answer is
    older than ADMIN_RECHECK (or missing); a failed call counts as "not an administrator" (closed)."""
    now = ctx.clock()
    checked = connection.admin_checked_at
    if checked is not None and now - checked < ADMIN_RECHECK:
        return connection
    try:
        async with ctx.recruit(connection) as recruit:
            user = await recruit.current_user()
        admin, checked_at = user.is_administrator, now
    except (RecruitError, NotConnected) as error:
        log.warning("%s: could not ask Recruit for the user's profile: %s", connection.key, error)
        admin, checked_at = False, now - ADMIN_RECHECK + ADMIN_RETRY
    # Read again: the call above may have stored a refreshed Recruit token in the row.
    current = await ctx.connections.get(connection.key) or connection
    updated = current.model_copy(update={"recruit_admin": admin, "admin_checked_at": checked_at})
    return await ctx.connections.upsert(updated)


async def is_administrator(ctx: EngineContext, key: ConnectionKey) -> bool:
    connection = await connection_of(ctx, key)
    return (await checked_connection(ctx, connection)).recruit_admin


async def require_administrator(ctx: EngineContext, key: ConnectionKey) -> Connection:
    """The administrator's connection; NotAdministrator (or NotSignedIn) otherwise."""
    connection = await checked_connection(ctx, await connection_of(ctx, key))
    if not connection.recruit_admin:
        raise NotAdministrator(str(key))
    return connection
