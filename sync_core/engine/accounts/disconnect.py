""" "Disconnect" on the Manage page: both syncs off, the user's sessions ended, then the stored Zoho and
Microsoft tokens revoked where the provider allows it and deleted, with the connection row itself.

The teardowns need the tokens (to delete what we created in Outlook), so the tokens go last: the last
teardown to finish calls `finish_disconnect`.
"""

from __future__ import annotations

import logging

import httpx

from sync_core.engine.accounts.accounts import NotSignedIn, connection_of
from sync_core.engine.context import EngineContext
from sync_core.engine.sync_kinds.registry import KIND_NAMES
from sync_core.engine.sync_lifecycle.enablement import request_disable
from sync_core.recruit import oauth as recruit_oauth
from sync_core.recruit.errors import RecruitError
from sync_core.store.connections import ConnectionKey

log = logging.getLogger(__name__)


async def request_disconnect(ctx: EngineContext, key: ConnectionKey) -> str:
    """Ends every session of the user and disables both kinds; `disconnected` when nothing was left to tear
    down (the tokens are gone already), else `disconnecting`."""
    await ctx.sessions.end_all(key)
    try:
        connection = await connection_of(ctx, key)
    except NotSignedIn:
        return "disconnected"
    if not connection.disconnecting:
        await ctx.connections.upsert(connection.model_copy(update={"disconnecting": True}))
    for kind in KIND_NAMES:
        await request_disable(ctx, key, kind)
    return "disconnected" if await finish_disconnect(ctx, key) else "disconnecting"


async def finish_disconnect(ctx: EngineContext, key: ConnectionKey) -> bool:
    """Revokes and deletes the tokens of a disconnecting user once no kind is still being torn down; True
    when the connection is gone. A no-op for users who did not ask to disconnect."""
    connection = await ctx.connections.get(key)
    if connection is None:
        return True
    if not connection.disconnecting:
        return False
    for kind in KIND_NAMES:
        state = await ctx.syncstate.get(key, kind)
        if state is not None and state.status != "disabled":
            return False
    token = connection.recruit_token
    if token is not None and token.refresh_token:
        try:
            await recruit_oauth.revoke(
                connection.accounts_server or ctx.settings.zoho_accounts_url,
                token.refresh_token,
                settings=ctx.settings,
            )
        except (RecruitError, httpx.HTTPError) as error:
            # Deleting our copy still ends our access; the user can also revoke the app in Zoho's accounts.
            log.warning("%s: Zoho token revocation failed: %s", key, type(error).__name__)
    # Microsoft offers no per-app revocation of a delegated refresh token. `revokeSignInSessions`
    # (microsoft-graph-docs-contrib api-reference/v1.0/api/user-revokesigninsessions.md) "invalidates all the
    # refresh tokens issued to applications for a user" and their browser sessions: far too wide for one app
    # and needing User.ReadWrite.All. Deleting our only copy (the MSAL cache, in the connection row) ends our
    # access; the consent stays listed until the user removes it (myapps.microsoft.com, or "Apps with access"
    # at account.microsoft.com for a personal account): the Manage page and README say how.
    for kind in KIND_NAMES:
        if await ctx.syncstate.get(key, kind) is not None:
            await ctx.syncstate.delete(key, kind)
    await ctx.connections.delete(key)
    await ctx.sessions.end_all(key)
    log.info("%s: disconnected, tokens revoked and deleted", key)
    return True
