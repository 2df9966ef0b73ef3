"""Account use cases behind the product HTTP API: Zoho sign-in, SSO detection, Microsoft consent,
enable/disable requests, and the views the Manage page reads (`/api/me`, the sync log).
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal
from urllib.parse import urlsplit

from sync_core.config import Settings
from sync_core.engine.context import EngineContext
from sync_core.graph.auth import app_credential, finish_consent, start_consent
from sync_core.graph.client import GraphClient
from sync_core.graph.errors import ConsentError, GraphError, ItemNotFound
from sync_core.graph.paths import user_path
from sync_core.recruit import oauth as recruit_oauth
from sync_core.recruit.client import RecruitClient
from sync_core.recruit.errors import RecruitError
from sync_core.recruit.tokens import InMemoryTokenSource
from sync_core.store.connections import Connection, ConnectionKey, RecruitToken
from sync_core.store.queues import LifecycleRequest
from sync_core.store.syncstate import Kind, SyncState

log = logging.getLogger(__name__)

KINDS: tuple[Kind, ...] = ("calendar", "contacts")
HOME_PATH = "/api/ui"
OAUTH_STATE_LIFETIME = timedelta(minutes=10)
# Statuses in which sync is already running or about to: enabling again changes nothing.
_RUNNING: frozenset[str] = frozenset({"initial_sync", "active"})
# Error codes an identity provider may send back that we repeat to our own page; anything else is generic.
_KNOWN_CONSENT_ERRORS = frozenset(
    {"access_denied", "consent_required", "interaction_required", "login_required", "temporarily_unavailable"}
)

Purpose = Literal["zoho", "microsoft"]


class SignInRefused(Exception):
    """An OAuth callback that must not complete; `code` is stable, `message` safe to show."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


class NotSignedIn(Exception):
    """The session names a connection that no longer exists."""


class Busy(Exception):
    """The request conflicts with a step in progress (enable while disabling)."""


@dataclass(frozen=True)
class SignedIn:
    connection: Connection
    next_path: str


@dataclass(frozen=True)
class EnableOutcome:
    """Either the sync is starting (`status`) or the user must first sign in with Microsoft (`redirect`)."""

    status: str | None = None
    redirect: str | None = None


def safe_next_path(candidate: str | None) -> str:
    """Where to land after sign-in: one of our own Manage pages, never another site (no open redirect)."""
    if not candidate:
        return HOME_PATH
    parts = urlsplit(candidate)
    if parts.scheme or parts.netloc or "\\" in candidate or any(ord(c) < 0x20 for c in candidate):
        return HOME_PATH
    path = parts.path
    if (path != HOME_PATH and not path.startswith(HOME_PATH + "/")) or "/.." in path:
        return HOME_PATH
    return candidate


def consent_error_code(provider: Literal["zoho", "microsoft"], error: str) -> str:
    """A fixed code for our page to show: known provider codes pass, other text is never reflected."""
    known = error if error in _KNOWN_CONSENT_ERRORS else "sign_in_failed"
    return f"{provider}_{known}"


def _redirect_uri(settings: Settings, provider: Literal["zoho", "microsoft"]) -> str:
    return f"{settings.public_base_url.rstrip('/')}/api/auth/{provider}/callback"


async def _put_state(ctx: EngineContext, nonce: str, payload: dict[str, Any]) -> None:
    await ctx.oauth_states.put(nonce, payload, ctx.clock() + OAUTH_STATE_LIFETIME)


async def _take_state(ctx: EngineContext, nonce: str | None, purpose: Purpose) -> dict[str, Any]:
    payload = await ctx.oauth_states.take(nonce, ctx.clock()) if nonce else None
    if payload is None or payload.get("purpose") != purpose:
        raise SignInRefused(
            "invalid_state", "This sign-in link is unknown, expired or already used. Please start again."
        )
    return payload


# --- Zoho sign-in ---


async def start_zoho_sign_in(ctx: EngineContext, next_path: str | None, login_hint: str | None) -> str:
    """The Zoho authorize URL to send the browser to; its state nonce is remembered for 10 minutes."""
    settings = ctx.settings
    nonce = secrets.token_urlsafe(24)
    await _put_state(ctx, nonce, {"purpose": "zoho", "next": safe_next_path(next_path)})
    scopes = [s for s in settings.zoho_scopes.split(",") if s] + [settings.zoho_notifications_scope]
    return recruit_oauth.authorize_url(
        settings.zoho_accounts_url,
        settings.zoho_client_id,
        _redirect_uri(settings, "zoho"),
        nonce,
        scopes,
        login_hint=login_hint or None,
    )


async def finish_zoho_sign_in(
    ctx: EngineContext, state: str | None, code: str | None, accounts_server: str | None
) -> SignedIn:
    """Redeems the callback: stores the connection (with SSO detected) and its two syncstate rows."""
    settings = ctx.settings
    payload = await _take_state(ctx, state, "zoho")
    if not code:
        raise SignInRefused("missing_code", "Zoho did not send an authorization code.")
    server = accounts_server or settings.zoho_accounts_url
    try:
        origin = recruit_oauth.trusted_accounts_server(server, settings)
        tokens = await recruit_oauth.exchange_code(
            origin, code, _redirect_uri(settings, "zoho"), settings=settings
        )
        api_base = recruit_oauth.api_base_for(origin, settings)
        async with RecruitClient(api_base, InMemoryTokenSource(tokens, settings=settings)) as client:
            user = await client.current_user()
            org = await client.org()
    except RecruitError as error:
        log.warning("Zoho sign-in failed: %s", error.code)
        raise SignInRefused("zoho_sign_in_failed", "Zoho sign-in could not be completed.") from error
    key = ConnectionKey(org_id=org.id, user_id=user.id)
    existing = await ctx.connections.get(key)
    now = ctx.clock()
    previous_refresh = existing.recruit_token.refresh_token if existing and existing.recruit_token else ""
    connection = (existing or Connection(org_id=org.id, user_id=user.id, created_at=now)).model_copy(
        update={
            "org_name": org.company_name or "",
            "email": user.email or "",
            "name": user.full_name or "",
            "time_zone": user.time_zone or org.time_zone or "",
            "api_base": api_base,
            "accounts_server": origin,
            "recruit_token": RecruitToken(
                refresh_token=tokens.refresh_token or previous_refresh,
                access_token=tokens.access_token,
                expires_at=tokens.expires_at,
            ),
            "updated_at": now,
        }
    )
    connection = await _with_microsoft_side(ctx, connection)
    connection = await ctx.connections.upsert(connection)
    for kind in KINDS:
        await ctx.syncstate.create_if_missing(key, kind)
    return SignedIn(connection=connection, next_path=str(payload.get("next") or HOME_PATH))


async def _with_microsoft_side(ctx: EngineContext, connection: Connection) -> Connection:
    sso = await detect_sso(ctx, connection.org_id, connection.email)
    if sso is not None:
        tenant_id, user_id, email = sso
        return connection.model_copy(
            update={
                "auth_mode": "sso",
                "microsoft_tenant_id": tenant_id,
                "microsoft_user_id": user_id,
                "microsoft_email": email,
                "msal_cache": None,
            }
        )
    if connection.auth_mode == "sso":
        # The org's tenant is no longer connected (or the user left it): the user must consent themselves.
        return connection.model_copy(
            update={
                "auth_mode": "delegated",
                "microsoft_tenant_id": "",
                "microsoft_user_id": "",
                "microsoft_email": "",
            }
        )
    return connection


async def detect_sso(ctx: EngineContext, org_id: str, email: str) -> tuple[str, str, str] | None:
    """(tenant id, Graph user id, e-mail) when the org's admin-consented tenant holds the user."""
    tenant_id = ctx.settings.sso_tenant_of(org_id)
    if not tenant_id or not email:
        return None
    credential = app_credential(tenant_id, ctx.settings)
    client = GraphClient(credential, ctx.settings)
    try:
        response = await client.request("GET", user_path(email), mailbox=None)
    except ItemNotFound:
        return None
    except GraphError as error:
        # Not fatal to sign-in: the user can still connect Microsoft themselves.
        log.warning("SSO lookup in tenant %s failed for org %s: %s %s", tenant_id, org_id, error, type(error))
        return None
    finally:
        await client.close()
        await credential.close()
    body = response.body if isinstance(response.body, dict) else {}
    user_id = str(body.get("id") or "")
    if not user_id:
        return None
    return tenant_id, user_id, str(body.get("mail") or body.get("userPrincipalName") or email)


# --- enable / disable ---


async def _connection(ctx: EngineContext, key: ConnectionKey) -> Connection:
    connection = await ctx.connections.get(key)
    if connection is None:
        raise NotSignedIn(str(key))
    return connection


def _microsoft_ready(connection: Connection) -> bool:
    if connection.auth_mode == "sso":
        return bool(connection.microsoft_user_id)
    return bool(connection.msal_cache and connection.microsoft_user_id)


async def _start_enable(ctx: EngineContext, key: ConnectionKey, kind: Kind) -> str:
    """Marks the kind `connecting` and queues the enable step; returns the status the user sees."""

    def connecting(state: SyncState) -> SyncState | None:
        if state.status in _RUNNING:
            return None
        if state.status == "disabling":
            raise Busy(f"{kind} sync is still being disabled")
        return state.model_copy(
            update={"status": "connecting", "last_error_code": "", "last_error_message": ""}
        )

    state = await ctx.syncstate.modify(key, kind, connecting)
    if state.status in _RUNNING:
        return state.status
    await ctx.queues.send_lifecycle(LifecycleRequest(connection=str(key), kind=kind, action="enable"))
    return "connecting"


async def request_enable(ctx: EngineContext, key: ConnectionKey, kind: Kind) -> EnableOutcome:
    """Starts sync when Microsoft access is in place; otherwise begins "Sign in with Microsoft"."""
    connection = await _connection(ctx, key)
    if _microsoft_ready(connection):
        return EnableOutcome(status=await _start_enable(ctx, key, kind))
    settings = ctx.settings
    auth_url, flow = await start_consent(
        settings, redirect_uri=_redirect_uri(settings, "microsoft"), login_hint=connection.email or None
    )
    # The flow holds the state nonce and the PKCE verifier: it never leaves the server.
    await _put_state(
        ctx, str(flow["state"]), {"purpose": "microsoft", "connection": str(key), "kind": kind, "flow": flow}
    )
    return EnableOutcome(redirect=auth_url)


async def finish_microsoft_consent(
    ctx: EngineContext, key: ConnectionKey, query_params: dict[str, str]
) -> Kind:
    """Redeems the Microsoft callback for the signed-in user, stores the token cache and starts the enable."""
    payload = await _take_state(ctx, query_params.get("state"), "microsoft")
    if payload.get("connection") != str(key):
        raise SignInRefused("wrong_user", "This Microsoft sign-in was started by another user.", status=403)
    kind: Kind = "contacts" if payload.get("kind") == "contacts" else "calendar"
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
    connection = await _connection(ctx, key)
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
    await _start_enable(ctx, key, kind)
    return kind


async def abandon_consent(ctx: EngineContext, state: str | None) -> None:
    """Burns the state of a consent the provider refused, so it cannot be replayed."""
    if state:
        await ctx.oauth_states.take(state, ctx.clock())


async def request_disable(ctx: EngineContext, key: ConnectionKey, kind: Kind) -> str:
    """Marks the kind `disabling` and queues the teardown; a kind never enabled stays `disabled`."""
    await _connection(ctx, key)

    def disabling(state: SyncState) -> SyncState | None:
        if state.status in {"disabled", "disabling"}:
            return None
        return state.model_copy(update={"status": "disabling"})

    state = await ctx.syncstate.modify(key, kind, disabling)
    if state.status == "disabled":
        return "disabled"
    await ctx.queues.send_lifecycle(LifecycleRequest(connection=str(key), kind=kind, action="disable"))
    return "disabling"


# --- views ---


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
        "last_sync": _iso(state.last_sync),
        "last_error": last_error,
    }


async def me_view(ctx: EngineContext, key: ConnectionKey) -> dict[str, Any]:
    """The `/api/me` document for the signed-in user."""
    connection = await _connection(ctx, key)
    kinds: dict[str, Any] = {}
    for kind in KINDS:
        state = await ctx.syncstate.get(key, kind) or SyncState(connection=key, kind=kind)
        kinds[kind] = kind_view(state)
    microsoft = {"email": connection.microsoft_email} if _microsoft_ready(connection) else None
    return {
        "user": {
            "id": connection.user_id,
            "name": connection.name,
            "email": connection.email,
            "time_zone": connection.time_zone,
        },
        "org": {"id": connection.org_id, "name": connection.org_name},
        "sso": connection.auth_mode == "sso",
        "microsoft": microsoft,
        **kinds,
    }


async def log_view(
    ctx: EngineContext, key: ConnectionKey, kind: Kind, before: str | None, limit: int = 50
) -> dict[str, Any]:
    """One page of the connection's sync log for a kind, newest first, and the cursor of the next page."""
    page = await ctx.synclog.recent(key, kind=kind, limit=limit, before=before or None)
    return {
        "entries": [entry.model_dump(mode="json") for entry in page.entries],
        "next": page.next_cursor,
    }
