"""Zoho OAuth for Recruit: the authorize URL, code exchange and refresh, and the data-centre hosts.

Secrets are only ever posted to the configured accounts server or a known Zoho data centre.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode, urlsplit

import httpx
from pydantic import BaseModel, Field

from sync_core.config import Settings, get_settings

from .errors import InvalidToken, RecruitError, UntrustedAccountsServer, error_from_body
from .http import new_http_client

# Zoho's accounts server per data centre, mapped to that data centre's Recruit host (API-NOTES "Hosts and
# OAuth", corrected 2026-12-05: Canada's API is recruit.zohocloud.ca; UK, SG and AE exist). The grant's
# `accounts-server` picks the row; its `api_domain` is not used: for Recruit it names the zohoapis host, not
# the Recruit one.
RECRUIT_HOST_BY_ACCOUNTS_HOST: dict[str, str] = {
    "accounts.zoho.com": "recruit.zoho.com",
    "accounts.zoho.eu": "recruit.zoho.eu",
    "accounts.zoho.in": "recruit.zoho.in",
    "accounts.zoho.com.cn": "recruit.zoho.com.cn",
    "accounts.zoho.jp": "recruit.zoho.jp",
    "accounts.zoho.com.au": "recruit.zoho.com.au",
    "accounts.zohocloud.ca": "recruit.zohocloud.ca",
    "accounts.zoho.sa": "recruit.zoho.sa",
    "accounts.zoho.uk": "recruit.zoho.uk",
    "accounts.zoho.sg": "recruit.zoho.sg",
    "accounts.zoho.ae": "recruit.zoho.ae",
}
RECRUIT_API_PATH = "/recruit/v2"
TOKEN_PATH = "/oauth/v2/token"  # noqa: S105 (a path, not a secret)
AUTHORIZE_PATH = "/oauth/v2/auth"
HTTP_TIMEOUT = 20.0


class RecruitTokens(BaseModel):
    """What a grant or refresh gives; `refresh_token` is kept from before on a refresh."""

    # repr=False: tokens never reach a log line through a model's repr.
    access_token: str = Field(repr=False)
    refresh_token: str | None = Field(repr=False)
    expires_at: datetime
    api_domain: str | None = None
    accounts_server: str

    def expires_within(self, seconds: float, now: datetime | None = None) -> bool:
        return self.expires_at <= (now or datetime.now(UTC)) + timedelta(seconds=seconds)


def _origin(url: str) -> str:
    """`scheme://host[:port]` in lower case, without path or trailing slash."""
    parts = urlsplit(url.strip())
    if not parts.scheme or not parts.netloc:
        raise UntrustedAccountsServer("UNTRUSTED_ACCOUNTS_SERVER", f"not an absolute URL: {url!r}")
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _configured_api_bases(settings: Settings) -> dict[str, str]:
    """Accounts origin → API root for the configured home data centre and any local data centres."""
    bases = {_origin(settings.zoho_accounts_url): settings.zoho_api_base_url.rstrip("/")}
    for pair in settings.zoho_local_data_centres.split(","):
        accounts_url, separator, api_base = pair.strip().partition("=")
        if separator and accounts_url and api_base:
            bases[_origin(accounts_url)] = api_base.strip().rstrip("/")
    return bases


def trusted_accounts_server(accounts_server: str, settings: Settings | None = None) -> str:
    """The accounts server's origin when it is configured or a known Zoho data centre; else raise."""
    settings = settings or get_settings()
    origin = _origin(accounts_server)
    if origin in _configured_api_bases(settings):
        return origin
    parts = urlsplit(origin)
    if parts.scheme == "https" and parts.port is None and parts.hostname in RECRUIT_HOST_BY_ACCOUNTS_HOST:
        return origin
    raise UntrustedAccountsServer("UNTRUSTED_ACCOUNTS_SERVER", f"accounts server {origin} is not allowed")


def api_base_for(accounts_server: str, settings: Settings | None = None) -> str:
    """The Recruit API root of the accounts server's data centre (the setting for a configured server)."""
    settings = settings or get_settings()
    origin = trusted_accounts_server(accounts_server, settings)
    configured = _configured_api_bases(settings)
    if origin in configured:
        return configured[origin]
    host = urlsplit(origin).hostname or ""
    return f"https://{RECRUIT_HOST_BY_ACCOUNTS_HOST[host]}{RECRUIT_API_PATH}"


def authorize_url(
    accounts_url: str,
    client_id: str,
    redirect_uri: str,
    state: str,
    scopes: Sequence[str] | str,
    login_hint: str | None = None,
) -> str:
    """Where to send the browser for consent; offline access so that a refresh token comes back."""
    scope = scopes if isinstance(scopes, str) else ",".join(scopes)
    params = {
        "scope": scope,
        "client_id": client_id,
        "response_type": "code",
        "access_type": "offline",
        "prompt": "consent",
        "redirect_uri": redirect_uri,
        "state": state,
    }
    if login_hint:
        params["login_hint"] = login_hint
    return f"{accounts_url.rstrip('/')}{AUTHORIZE_PATH}?{urlencode(params)}"


async def _token_call(
    accounts_server: str,
    form: dict[str, str],
    settings: Settings,
    http: httpx.AsyncClient | None,
) -> dict[str, object]:
    origin = trusted_accounts_server(accounts_server, settings)
    form = {**form, "client_id": settings.zoho_client_id, "client_secret": settings.zoho_client_secret}
    if http is None:
        async with new_http_client(HTTP_TIMEOUT) as own:
            response = await own.post(origin + TOKEN_PATH, data=form)
    else:
        response = await http.post(origin + TOKEN_PATH, data=form)
    try:
        body = response.json()
    except ValueError:
        body = None
    # Zoho reports grant errors as {"error": "invalid_code"}, often with HTTP 200.
    error = error_from_body(body, response.status_code)
    if error is not None:
        if error.code in {"invalid_code", "invalid_grant", "invalid_token"}:
            raise InvalidToken(error.code, error.message, error.details, response.status_code)
        raise error
    if response.status_code >= 400 or not isinstance(body, dict) or "access_token" not in body:
        raise RecruitError("TOKEN_ENDPOINT_ERROR", f"HTTP {response.status_code}", None, response.status_code)
    return body


def _tokens(body: dict[str, object], accounts_server: str, refresh_token: str | None) -> RecruitTokens:
    expires_in = body.get("expires_in", 3600)
    seconds = float(expires_in) if isinstance(expires_in, int | float | str) else 3600.0
    new_refresh = body.get("refresh_token")
    api_domain = body.get("api_domain")
    return RecruitTokens(
        access_token=str(body["access_token"]),
        refresh_token=str(new_refresh) if new_refresh else refresh_token,
        expires_at=datetime.now(UTC) + timedelta(seconds=seconds),
        api_domain=str(api_domain) if api_domain else None,
        accounts_server=_origin(accounts_server),
    )


async def exchange_code(
    accounts_server: str,
    code: str,
    redirect_uri: str,
    *,
    settings: Settings | None = None,
    http: httpx.AsyncClient | None = None,
) -> RecruitTokens:
    """Trade the authorization code (from the callback) for tokens at the user's data centre."""
    settings = settings or get_settings()
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
    body = await _token_call(accounts_server, form, settings, http)
    return _tokens(body, accounts_server, None)


async def refresh(
    accounts_server: str,
    refresh_token: str,
    *,
    settings: Settings | None = None,
    http: httpx.AsyncClient | None = None,
) -> RecruitTokens:
    """A new access token; raises InvalidToken when the refresh token was revoked."""
    settings = settings or get_settings()
    form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
    body = await _token_call(accounts_server, form, settings, http)
    return _tokens(body, accounts_server, refresh_token)


REVOKE_PATH = "/oauth/v2/token/revoke"


async def revoke(
    accounts_server: str,
    refresh_token: str,
    *,
    settings: Settings | None = None,
    http: httpx.AsyncClient | None = None,
) -> bool:
    """Revokes a refresh token (and the access tokens made from it) at the user's data centre: Zoho's
    "Revoke OAuth tokens" call (zoho.com/accounts/protocol/oauth/revoke-refresh-token.html),
    `POST {accounts}/oauth/v2/token/revoke?token=...`, answered `{"status": "success"}`, or 400 for a token
    Zoho does not know. False then (already revoked); other failures raise."""
    settings = settings or get_settings()
    origin = trusted_accounts_server(accounts_server, settings)
    if http is None:
        async with new_http_client(HTTP_TIMEOUT) as own:
            response = await own.post(origin + REVOKE_PATH, params={"token": refresh_token})
    else:
        response = await http.post(origin + REVOKE_PATH, params={"token": refresh_token})
    if response.status_code == 400:
        return False
    if response.status_code >= 300:
        raise RecruitError("REVOKE_FAILED", f"HTTP {response.status_code}", None, response.status_code)
    return True
