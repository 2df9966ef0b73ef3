"""Sign in with Zoho and SSO detection: who the Recruit user is, and whether their org's tenant serves them.

Microsoft consent and enable/disable are in engine/sync_lifecycle/enablement.py; the Manage page's views in
account_views.py.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from sync_core.engine.accounts.sign_in_flows import SignInRefused, put_state, redirect_uri, take_state
from sync_core.engine.context import EngineContext
from sync_core.engine.sync_kinds.registry import KIND_NAMES
from sync_core.graph.auth import app_credential
from sync_core.graph.client import GraphClient
from sync_core.graph.errors import GraphError, ItemNotFound
from sync_core.graph.paths import user_path
from sync_core.recruit import oauth as recruit_oauth
from sync_core.recruit.client import RecruitClient
from sync_core.recruit.errors import RecruitError
from sync_core.recruit.tokens import InMemoryTokenSource
from sync_core.store.connections import Connection, ConnectionKey, RecruitToken

log = logging.getLogger(__name__)

__all__ = ["SignInRefused"]

HOME_PATH = "/api/ui"
# Error codes an identity provider may send back that we repeat to our own page; anything else is generic.
_KNOWN_CONSENT_ERRORS = frozenset(
    {"access_denied", "consent_required", "interaction_required", "login_required", "temporarily_unavailable"}
)


class NotSignedIn(Exception):
    """The session names a connection that no longer exists."""


@dataclass(frozen=True)
class SignedIn:
    connection: Connection
    next_path: str


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


async def connection_of(ctx: EngineContext, key: ConnectionKey) -> Connection:
    connection = await ctx.connections.get(key)
    if connection is None:
        raise NotSignedIn(str(key))
    return connection


async def start_zoho_sign_in(
    ctx: EngineContext, next_path: str | None, login_hint: str | None, binding: str
) -> str:
    """The Zoho authorize URL to send the browser to; its state is remembered for 10 minutes, bound to the
    browser holding `binding` in its cookie."""
    settings = ctx.settings
    nonce = secrets.token_urlsafe(24)
    await put_state(ctx, nonce, {"purpose": "zoho", "next": safe_next_path(next_path)}, binding)
    scopes = [s for s in settings.zoho_scopes.split(",") if s] + [settings.zoho_notifications_scope]
    return recruit_oauth.authorize_url(
        settings.zoho_accounts_url,
        settings.zoho_client_id,
        redirect_uri(settings, "zoho"),
        nonce,
        scopes,
        login_hint=login_hint or None,
    )


async def finish_zoho_sign_in(
    ctx: EngineContext, state: str | None, code: str | None, accounts_server: str | None, binding: str | None
) -> SignedIn:
    """Redeems the callback: stores the connection (with SSO detected) and its two syncstate rows."""
    settings = ctx.settings
    payload = await take_state(ctx, state, "zoho", binding)
    if not code:
        raise SignInRefused("missing_code", "Zoho did not send an authorization code.")
    server = accounts_server or settings.zoho_accounts_url
    try:
        origin = recruit_oauth.trusted_accounts_server(server, settings)
        tokens = await recruit_oauth.exchange_code(
            origin, code, redirect_uri(settings, "zoho"), settings=settings
        )
        api_base = recruit_oauth.api_base_for(origin, settings)
        async with RecruitClient(api_base, InMemoryTokenSource(tokens, settings=settings)) as client:
            user = await client.current_user()
            org = await client.org()
    except RecruitError as error:
        log.warning("Zoho sign-in failed: %s", error.code)
        raise SignInRefused("zoho_sign_in_failed", "Zoho sign-in could not be completed.") from error
    key, existing = await _connection_for(ctx, org.id, user.id, origin)
    now = ctx.clock()
    previous_refresh = existing.recruit_token.refresh_token if existing and existing.recruit_token else ""
    fresh = Connection(org_id=org.id, user_id=user.id, key_data_centre=key.data_centre, created_at=now)
    connection = (existing or fresh).model_copy(
        update={
            "org_name": org.company_name or "",
            "email": user.email or "",
            "name": user.full_name or "",
            "time_zone": user.time_zone or org.time_zone or "",
            "recruit_admin": user.is_administrator,
            "admin_checked_at": now,
            "api_base": api_base,
            "accounts_server": origin,
            "data_centre": urlsplit(origin).hostname or "",
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
    for kind in KIND_NAMES:
        await ctx.syncstate.create_if_missing(key, kind)
    return SignedIn(connection=connection, next_path=str(payload.get("next") or HOME_PATH))


async def _connection_for(
    ctx: EngineContext, org_id: str, user_id: str, origin: str
) -> tuple[ConnectionKey, Connection | None]:
    """The key of the user signing in through the accounts server `origin`, and their connection if any.

    The data centre is part of who the user is: the same ids from two data centres name two people. A
    two-part key (no data centre) belongs to the one data centre its row was made through: rows from before
    the data centre joined the key keep it, and the configured home data centre still gives it to new users
    while it is free. Every other sign-in gets a key naming its data centre."""
    named = ConnectionKey(org_id=org_id, user_id=user_id, data_centre=urlsplit(origin).netloc)
    existing = await ctx.connections.get(named)
    if existing is not None:
        return named, existing
    plain = ConnectionKey(org_id=org_id, user_id=user_id)
    existing = await ctx.connections.get(plain)
    home = recruit_oauth.trusted_accounts_server(ctx.settings.zoho_accounts_url, ctx.settings)
    if existing is None:
        return (plain if origin == home else named), None
    if (existing.accounts_server or home) == origin:
        return plain, existing
    log.info("%s: the same ids through %s are another user", named, existing.accounts_server or home)
    return named, None


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
