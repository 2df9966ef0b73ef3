"""Credentials for Graph: app-only per tenant (SSO users) and delegated per user from a stored MSAL cache.

Also the "Sign in with Microsoft" consent flow (authorization code + PKCE, state checked by MSAL).
"""

from __future__ import annotations

import asyncio
import time
from abc import abstractmethod
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

import msal  # type: ignore[import-untyped]
import requests
from azure.core.credentials import AccessToken
from azure.core.credentials_async import AsyncTokenCredential

from sync_core.config import Settings
from sync_core.graph.errors import AuthRequired, ConsentError

# MSAL adds offline_access, openid and profile itself and refuses them when passed explicitly.
DELEGATED_SCOPES = ["Calendars.ReadWrite", "Contacts.ReadWrite", "User.Read"]


@dataclass(frozen=True)
class MicrosoftIdentity:
    """Who signed in: enough to address their mailbox and show them on the Manage page."""

    tenant_id: str
    user_id: str
    email: str
    name: str


class FreshTokenCredential(AsyncTokenCredential):
    """A credential that can be told its cached token was refused (a Graph 401 on a token it still held for
    valid: revoked, or judged on a clock ahead of ours): the next `get_token` asks the token endpoint."""

    @abstractmethod
    async def drop_cached_token(self) -> None: ...

    async def close(self) -> None:
        return None

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        await self.close()


class AppCredential(FreshTokenCredential):
    """App-only credential for a tenant whose admin consented (the SSO path): azure-identity's client-secret
    credential, made anew (with an empty cache) when its token was refused."""

    def __init__(self, tenant_id: str, settings: Settings) -> None:
        self.tenant_id = tenant_id
        self.settings = settings
        self._inner = self._client_secret_credential()

    def _client_secret_credential(self) -> AsyncTokenCredential:
        from azure.identity.aio import ClientSecretCredential

        options: dict[str, Any] = {}
        if self.settings.microsoft_ca_file:
            options["connection_verify"] = self.settings.microsoft_ca_file
        return ClientSecretCredential(
            self.tenant_id,
            self.settings.microsoft_client_id,
            self.settings.microsoft_client_secret,
            authority=self.settings.microsoft_authority_host,
            disable_instance_discovery=True,
            **options,
        )

    async def get_token(
        self,
        *scopes: str,
        claims: str | None = None,
        tenant_id: str | None = None,
        enable_cae: bool = False,
        **kwargs: Any,
    ) -> AccessToken:
        return await self._inner.get_token(
            *scopes, claims=claims, tenant_id=tenant_id, enable_cae=enable_cae, **kwargs
        )

    async def drop_cached_token(self) -> None:
        refused, self._inner = self._inner, self._client_secret_credential()
        await refused.close()

    async def close(self) -> None:
        await self._inner.close()


def app_credential(tenant_id: str, settings: Settings) -> AppCredential:
    """App-only credential for a tenant whose admin consented (the SSO path)."""
    return AppCredential(tenant_id, settings)


def _http_session(settings: Settings) -> requests.Session | None:
    if not settings.microsoft_ca_file:
        return None
    session = requests.Session()
    session.verify = settings.microsoft_ca_file
    # REQUESTS_CA_BUNDLE in the environment would otherwise override session.verify.
    session.trust_env = False
    return session


def _msal_app(
    settings: Settings, tenant_id: str | None, cache: msal.SerializableTokenCache
) -> msal.ConfidentialClientApplication:
    """Blocking (OpenID discovery over the network): call it from a thread."""
    options: dict[str, Any] = {}
    session = _http_session(settings)
    if session is not None:
        options["http_client"] = session
    return msal.ConfidentialClientApplication(
        settings.microsoft_client_id,
        client_credential=settings.microsoft_client_secret,
        authority=f"https://{settings.microsoft_authority_host}/{tenant_id or 'organizations'}",
        instance_discovery=False,
        token_cache=cache,
        **options,
    )


def _load_cache(serialized: str | None) -> msal.SerializableTokenCache:
    cache = msal.SerializableTokenCache()
    if serialized:
        cache.deserialize(serialized)
    return cache


class DelegatedCredential(FreshTokenCredential):
    """Async token credential over one user's MSAL cache; `cache_changed` says when to persist it again.

    Leave `tenant_id` None: consent runs against `organizations`, and MSAL files the access token under that
    authority, so a tenant-specific authority would not find it and would refresh once for nothing.
    """

    def __init__(
        self,
        settings: Settings,
        serialized_cache: str,
        *,
        tenant_id: str | None = None,
        home_account_id: str | None = None,
    ) -> None:
        self.settings = settings
        self.tenant_id = tenant_id
        self.home_account_id = home_account_id
        self._cache = _load_cache(serialized_cache)
        self._app: msal.ConfidentialClientApplication | None = None
        self._lock = asyncio.Lock()
        self._refused = False  # Graph refused the cached access token: the next one comes from a refresh

    @property
    def cache_changed(self) -> bool:
        """True when a refresh rewrote the cache: the caller should store `serialized_cache()`."""
        return bool(self._cache.has_state_changed)

    def serialized_cache(self) -> str:
        """The cache to store (encrypted); serializing also clears `cache_changed`."""
        return str(self._cache.serialize())

    async def get_token(
        self,
        *scopes: str,
        claims: str | None = None,
        tenant_id: str | None = None,
        enable_cae: bool = False,
        **kwargs: Any,
    ) -> AccessToken:
        # Graph asks for ".default"; a delegated grant is for the scopes the user consented to, which is what
        # the cached access token is keyed by, so ask for exactly those.
        async with self._lock:
            refresh, self._refused = self._refused, False
            result = await asyncio.to_thread(self._acquire_silent, claims, refresh)
        token = result.get("access_token")
        if not token:
            raise AuthRequired(
                401, str(result.get("error") or "no_token"), str(result.get("error_description") or "")
            )
        expires_in = int(result.get("expires_in") or 3600)
        return AccessToken(str(token), int(time.time()) + expires_in)

    async def drop_cached_token(self) -> None:
        self._refused = True

    def _acquire_silent(self, claims: str | None, force_refresh: bool) -> dict[str, Any]:
        if self._app is None:
            self._app = _msal_app(self.settings, self.tenant_id, self._cache)
        accounts = self._app.get_accounts()
        if self.home_account_id:
            accounts = [a for a in accounts if a.get("home_account_id") == self.home_account_id]
        if not accounts:
            return {"error": "no_account", "error_description": "the token cache holds no account"}
        result = self._app.acquire_token_silent_with_error(
            DELEGATED_SCOPES, account=accounts[0], claims_challenge=claims, force_refresh=force_refresh
        )
        if result is None:
            return {"error": "no_token", "error_description": "no cached or refreshable token"}
        return dict(result)


async def start_consent(
    settings: Settings,
    redirect_uri: str,
    login_hint: str | None = None,
    state: str | None = None,
    prompt: str | None = None,
) -> tuple[str, dict[str, Any]]:
    """The Microsoft sign-in URL and the flow to keep (encrypted) until the callback comes back; `prompt`
    ("select_account") makes Microsoft show its account picker even when one account is signed in."""

    def initiate() -> dict[str, Any]:
        app = _msal_app(settings, None, _load_cache(None))
        return dict(
            app.initiate_auth_code_flow(
                DELEGATED_SCOPES, redirect_uri=redirect_uri, state=state, login_hint=login_hint, prompt=prompt
            )
        )

    flow = await asyncio.to_thread(initiate)
    return str(flow["auth_uri"]), flow


async def finish_consent(
    settings: Settings, flow: dict[str, Any], query_params: dict[str, str]
) -> tuple[str, MicrosoftIdentity]:
    """Redeem the callback's code: the serialized token cache to store, and who signed in."""
    cache = _load_cache(None)

    def redeem() -> dict[str, Any]:
        app = _msal_app(settings, None, cache)
        try:
            return dict(app.acquire_token_by_auth_code_flow(flow, query_params))
        except ValueError as exc:  # MSAL raises on a state mismatch or a malformed flow
            raise ConsentError(f"sign-in could not be finished: {exc}") from exc

    result = await asyncio.to_thread(redeem)
    if "error" in result or "access_token" not in result:
        raise ConsentError(f"sign-in refused: {result.get('error')}: {result.get('error_description', '')}")
    claims = result.get("id_token_claims") or {}
    identity = MicrosoftIdentity(
        tenant_id=str(claims.get("tid", "")),
        user_id=str(claims.get("oid", "")),
        email=str(claims.get("preferred_username") or claims.get("email") or ""),
        name=str(claims.get("name", "")),
    )
    if not identity.tenant_id or not identity.user_id:
        raise ConsentError("sign-in answer carried no tenant or user id")
    return str(cache.serialize()), identity
