"""Pending OAuth flows (Zoho sign-in, Microsoft consent): state rows bound to the browser that began them.

A flow's state is stored with the SHA-256 of a random value kept in a short-lived HttpOnly cookie of the
starting browser; a callback whose browser does not hold that value is refused, so a link sent to someone
else cannot complete it (login CSRF, mailbox linking).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Any, Literal

from sync_core.config import Settings
from sync_core.engine.context import EngineContext

OAUTH_STATE_LIFETIME = timedelta(minutes=10)

Purpose = Literal["zoho", "microsoft"]


class SignInRefused(Exception):
    """An OAuth callback that must not complete; `code` is stable, `message` safe to show."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def new_browser_binding() -> str:
    """The random value the starting browser keeps in its cookie; only its hash is stored."""
    return secrets.token_urlsafe(32)


def binding_hash(binding: str) -> str:
    return hashlib.sha256(binding.encode("utf-8", "surrogatepass")).hexdigest()


def redirect_uri(settings: Settings, provider: Purpose) -> str:
    return f"{settings.public_base_url.rstrip('/')}/api/auth/{provider}/callback"


async def put_state(ctx: EngineContext, nonce: str, payload: dict[str, Any], binding: str) -> None:
    """Remembers a flow for OAUTH_STATE_LIFETIME, bound to the browser holding `binding`."""
    stored = {**payload, "binding_sha256": binding_hash(binding)}
    await ctx.oauth_states.put(nonce, stored, ctx.clock() + OAUTH_STATE_LIFETIME)


async def take_state(
    ctx: EngineContext,
    nonce: str | None,
    purpose: Purpose,
    binding: str | None,
    connection: str | None = None,
) -> dict[str, Any]:
    """The flow's payload, used up; refused when unknown, expired, used, of another purpose, started by
    another user than `connection` (when given), or opened in a browser other than the one that began it.
    A refused state is burnt too, so the link is dead for everyone."""
    payload = await ctx.oauth_states.take(nonce, ctx.clock()) if nonce and len(nonce) <= 256 else None
    if payload is None or payload.get("purpose") != purpose:
        raise SignInRefused(
            "invalid_state", "This sign-in link is unknown, expired or already used. Please start again."
        )
    if connection is not None and payload.get("connection") != connection:
        raise SignInRefused("wrong_user", "This Microsoft sign-in was started by another user.", status=403)
    expected = str(payload.get("binding_sha256") or "")
    if not binding or not expected or not hmac.compare_digest(binding_hash(binding), expected):
        raise SignInRefused(
            "other_browser",
            "This sign-in was started in another browser or tab session. "
            "Please start again from the Manage page in this browser.",
        )
    return payload
