"""Turning sync on and off for the signed-in user: enable (with "Sign in with Microsoft" when needed), the
Microsoft consent callback, disable, and disconnect (both syncs off, then the stored tokens revoked and gone).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sync_core.config import Settings
from sync_core.engine.accounts.accounts import connection_of, consent_error_code
from sync_core.engine.accounts.sign_in_flows import SignInRefused, put_state, redirect_uri, take_state
from sync_core.engine.context import EngineContext
from sync_core.engine.sync_kinds.registry import UnknownKind, parse_kind
from sync_core.graph.auth import finish_consent, start_consent
from sync_core.graph.errors import ConsentError
from sync_core.store.connections import Connection, ConnectionKey
from sync_core.store.queues import LifecycleRequest
from sync_core.store.syncstate import Kind, SyncState

log = logging.getLogger(__name__)


# Statuses in which sync is already running or about to: enabling again changes nothing.
_RUNNING: frozenset[str] = frozenset({"initial_sync", "active"})


@dataclass(frozen=True)
class EnableOutcome:
    """Either the sync is starting (`status`) or the user must first sign in with Microsoft (`redirect`)."""

    status: str | None = None
    redirect: str | None = None
    recruit_user: str | None = None


def microsoft_ready(connection: Connection, settings: Settings) -> bool:
    if connection.auth_mode == "sso":
        tenant = settings.sso_tenant_of(connection.org_id)
        return bool(connection.microsoft_user_id) and tenant == connection.microsoft_tenant_id
    return bool(connection.msal_cache and connection.microsoft_user_id)


async def start_enable(ctx: EngineContext, key: ConnectionKey, kind: Kind) -> str:
    """Marks the kind `connecting` and queues the enable step; returns the status the user sees.

    While the kind is still `disabling`, the enable is remembered and the teardown starts it when done."""

    def connecting(state: SyncState) -> SyncState | None:
        if state.status in _RUNNING:
            return None
        if state.status == "disabling":
            return (
                None
                if state.enable_after_teardown
                else state.model_copy(update={"enable_after_teardown": True})
            )
        return state.model_copy(
            update={"status": "connecting", "last_error_code": "", "last_error_message": ""}
        )

    state = await ctx.syncstate.modify(key, kind, connecting)
    if state.status in _RUNNING or state.status == "disabling":
        return state.status
    await ctx.queues.send_lifecycle(LifecycleRequest(connection=str(key), kind=kind, action="enable"))
    return "connecting"


async def request_enable(ctx: EngineContext, key: ConnectionKey, kind: Kind, binding: str) -> EnableOutcome:
    """Starts sync when Microsoft access is in place; otherwise begins "Sign in with Microsoft", bound to the
    browser holding `binding`, with Microsoft's account picker so the user chooses the mailbox knowingly."""
    connection = await connection_of(ctx, key)
    if microsoft_ready(connection, ctx.settings):
        return EnableOutcome(status=await start_enable(ctx, key, kind))
    settings = ctx.settings
    auth_url, flow = await start_consent(
        settings,
        redirect_uri=redirect_uri(settings, "microsoft"),
        login_hint=connection.email or None,
        prompt="select_account",
    )
    # The flow holds the state nonce and the PKCE verifier: it never leaves the server.
    await put_state(
        ctx,
        str(flow["state"]),
        {"purpose": "microsoft", "connection": str(key), "kind": kind, "flow": flow},
        binding,
    )
    return EnableOutcome(redirect=auth_url, recruit_user=connection.email)


async def finish_microsoft_consent(
    ctx: EngineContext, key: ConnectionKey, query_params: dict[str, str], binding: str | None
) -> Kind:
    """Redeems the Microsoft callback for the signed-in user, stores the token cache and starts the enable."""
    payload = await take_state(ctx, query_params.get("state"), "microsoft", binding, connection=str(key))
    try:
        kind = parse_kind(payload.get("kind"))
    except UnknownKind as error:
        log.warning("%s: Microsoft sign-in state names no sync kind: %s", key, error)
        raise SignInRefused(
            "invalid_state", "The Microsoft sign-in flow names no known sync. Please start again."
        ) from error
    flow = payload.get("flow")
    if not isinstance(flow, dict) or not flow.get("code_verifier"):
        raise SignInRefused("invalid_state", "The Microsoft sign-in flow is incomplete. Please start again.")
    if "error" in query_params:
        raise SignInRefused(
            consent_error_code("microsoft", query_params["error"]), "Microsoft sign-in refused."
        )
    try:
        cache, identity = await finish_consent(ctx.settings, flow, query_params)
    except ConsentError as error:
        log.warning("%s: Microsoft consent failed: %s", key, error)
        raise SignInRefused(
            "microsoft_sign_in_failed", "Microsoft sign-in could not be completed."
        ) from error
    connection = await connection_of(ctx, key)
    await ctx.connections.upsert(
        connection.model_copy(
            update={
                "auth_mode": "delegated",
                "msal_cache": cache,
                "microsoft_tenant_id": identity.tenant_id,
                "microsoft_user_id": identity.user_id,
                "microsoft_email": identity.email,
                "updated_at": ctx.clock(),
            }
        )
    )
    log.info("%s: Microsoft mailbox %s connected", key, identity.user_id)
    await start_enable(ctx, key, kind)
    return kind


async def abandon_consent(ctx: EngineContext, state: str | None) -> None:
    """Burns the state of a consent the provider refused, so it cannot be replayed."""
    if state and len(state) <= 256:
        await ctx.oauth_states.take(state, ctx.clock())


async def request_disable(ctx: EngineContext, key: ConnectionKey, kind: Kind) -> str:
    """Marks the kind `disabling` and queues the teardown; a kind never enabled stays `disabled`."""
    await connection_of(ctx, key)

    def disabling(state: SyncState) -> SyncState | None:
        if state.status == "disabling":
            # A later disable cancels an enable asked for during the teardown.
            return (
                state.model_copy(update={"enable_after_teardown": False})
                if state.enable_after_teardown
                else None
            )
        if state.status == "disabled":
            return None
        return state.model_copy(update={"status": "disabling"})

    state = await ctx.syncstate.modify(key, kind, disabling)
    if state.status == "disabled":
        return "disabled"
    await ctx.queues.send_lifecycle(LifecycleRequest(connection=str(key), kind=kind, action="disable"))
    return "disabling"
