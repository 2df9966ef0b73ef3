"""Issued credentials: authorization codes, access tokens and refresh tokens, all opaque and in memory.

Lifetimes follow the emulator clock, so moving the clock expires them.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

ACCESS_TOKEN_LIFETIME = timedelta(hours=1)
CODE_LIFETIME = timedelta(minutes=10)
APP_SCOPES = frozenset({"Calendars.ReadWrite", "Contacts.ReadWrite", "User.Read.All"})
GRAPH_RESOURCE = "https://graph.microsoft.com/"


def short_scope(scope: str) -> str:
    """`https://graph.microsoft.com/Calendars.ReadWrite` and `Calendars.ReadWrite` are the same permission."""
    return scope[len(GRAPH_RESOURCE) :] if scope.startswith(GRAPH_RESOURCE) else scope


@dataclass(frozen=True)
class Grant:
    """Who a token speaks for: a user (delegated) or the app itself in a tenant (app-only)."""

    tenant_id: str
    client_id: str
    user_id: str | None
    scopes: frozenset[str]
    expires_at: datetime
    requested_scope: str = ""

    @property
    def app_only(self) -> bool:
        return self.user_id is None


@dataclass
class DeviceCode:
    """A device authorization request: pending until a user approves (or declines) its user code."""

    tenant_ref: str
    client_id: str
    scope: str
    user_code: str
    expires_at: datetime
    mailbox_id: str | None = None
    declined: bool = False


@dataclass(frozen=True)
class AuthCode:
    grant: Grant
    redirect_uri: str
    code_challenge: str
    code_challenge_method: str
    nonce: str | None


class TokenRegistry:
    def __init__(self, now: Callable[[], datetime]) -> None:
        self.now = now
        self.reset()

    def reset(self) -> None:
        self.access: dict[str, Grant] = {}
        self.refresh: dict[str, Grant] = {}
        self.codes: dict[str, AuthCode] = {}
        self.device_codes: dict[str, DeviceCode] = {}

    def issue_access(self, grant: Grant) -> tuple[str, Grant]:
        token = "eyJ0eXAi." + secrets.token_urlsafe(32)
        stamped = Grant(
            grant.tenant_id,
            grant.client_id,
            grant.user_id,
            grant.scopes,
            self.now() + ACCESS_TOKEN_LIFETIME,
            grant.requested_scope,
        )
        self.access[token] = stamped
        return token, stamped

    def issue_refresh(self, grant: Grant) -> str:
        token = "0.AR" + secrets.token_urlsafe(48)
        self.refresh[token] = grant
        return token

    def issue_code(self, code: AuthCode) -> str:
        value = "0.AX" + secrets.token_urlsafe(40)
        self.codes[value] = code
        return value

    def take_code(self, value: str) -> AuthCode | None:
        """Codes are single use and expire after ten minutes."""
        code = self.codes.pop(value, None)
        if code is None or code.grant.expires_at <= self.now():
            return None
        return code

    def lookup(self, token: str) -> Grant | None:
        """The live grant behind an access token; None when unknown or expired."""
        grant = self.access.get(token)
        if grant is None or grant.expires_at <= self.now():
            return None
        return grant
