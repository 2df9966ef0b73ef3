"""Manage-page sessions: an HMAC-signed session cookie and a CSRF token bound to it.

The session cookie is HttpOnly; the CSRF cookie is readable by the page, which echoes it in `X-CSRF-Token`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from http.cookies import CookieError, SimpleCookie
from urllib.parse import urlsplit

SESSION_COOKIE = "session"
CSRF_COOKIE = "csrf"
CSRF_HEADER = "X-CSRF-Token"
SESSION_LIFETIME = timedelta(hours=12)
# The cookies that bind a pending sign-in to the browser that began it (engine/accounts/sign_in_flows.py).
SIGN_IN_COOKIES = {"zoho": "signin_zoho", "microsoft": "signin_microsoft"}
SIGN_IN_COOKIE_PATH = "/api/auth"
SIGN_IN_COOKIE_LIFETIME = timedelta(minutes=10)
# HMAC-SHA256 keys shorter than this are guessable offline from one cookie.
MIN_SECRET_LENGTH = 32


@dataclass(frozen=True)
class Session:
    org_id: str
    user_id: str
    nonce: str
    expires_at: datetime
    # The data centre part of the connection key (store/connections.py ConnectionKey); "" for a two-part key.
    data_centre: str = ""


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: str, purpose: str, payload: bytes) -> bytes:
    if len(secret) < MIN_SECRET_LENGTH:
        raise ValueError(f"SESSION_SECRET must be at least {MIN_SECRET_LENGTH} characters")
    return hmac.new(secret.encode(), purpose.encode() + b"\x00" + payload, hashlib.sha256).digest()


def issue(
    secret: str, org_id: str, user_id: str, now: datetime, data_centre: str = ""
) -> tuple[str, Session]:
    """A new signed session cookie value and the session it holds."""
    session = Session(org_id, user_id, secrets.token_urlsafe(16), now + SESSION_LIFETIME, data_centre)
    fields: dict[str, object] = {"o": org_id, "u": user_id, "n": session.nonce}
    if data_centre:
        fields["d"] = data_centre
    fields["e"] = int(session.expires_at.timestamp())
    payload = json.dumps(fields, separators=(",", ":")).encode()
    return f"{_b64(payload)}.{_b64(_mac(secret, 'session', payload))}", session


def read(secret: str, cookie_value: str | None, now: datetime) -> Session | None:
    """The session a cookie holds, or None when it is missing, tampered with or expired."""
    if not cookie_value or cookie_value.count(".") != 1:
        return None
    encoded_payload, encoded_mac = cookie_value.split(".")
    try:
        payload = _unb64(encoded_payload)
        if not hmac.compare_digest(_unb64(encoded_mac), _mac(secret, "session", payload)):
            return None
        fields = json.loads(payload)
        expires_at = datetime.fromtimestamp(int(fields["e"]), tz=now.tzinfo)
        session = Session(
            str(fields["o"]), str(fields["u"]), str(fields["n"]), expires_at, str(fields.get("d") or "")
        )
    except (ValueError, KeyError, TypeError):
        return None
    return session if session.expires_at > now else None


def csrf_token(secret: str, session: Session) -> str:
    """The CSRF token of a session: derived from it, so a token planted by another site cannot match."""
    return _b64(_mac(secret, "csrf", session.nonce.encode()))


def csrf_ok(secret: str, session: Session, header_value: str | None, cookie_value: str | None) -> bool:
    expected = csrf_token(secret, session).encode()
    if not header_value or not cookie_value:
        return False
    # Bytes, not str: compare_digest refuses non-ASCII text, and any header may hold some.
    header = header_value.encode("utf-8", "surrogateescape")
    cookie = cookie_value.encode("utf-8", "surrogateescape")
    return hmac.compare_digest(header, expected) and hmac.compare_digest(cookie, expected)


def cookies_from_header(header: str | None) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header or "")
    except CookieError:
        return {}
    return {name: morsel.value for name, morsel in jar.items()}


def _secure_flag(public_base_url: str) -> str:
    # Browsers drop Secure cookies on plain http; only the local loopback stack runs without TLS.
    host = urlsplit(public_base_url).hostname or ""
    insecure_local = public_base_url.startswith("http://") and host in {"127.0.0.1", "localhost"}
    return "" if insecure_local else "; Secure"


def set_cookie_headers(secret: str, cookie_value: str, session: Session, public_base_url: str) -> list[str]:
    """The two Set-Cookie values that start a session."""
    max_age = int(SESSION_LIFETIME.total_seconds())
    secure = _secure_flag(public_base_url)
    return [
        f"{SESSION_COOKIE}={cookie_value}; Path=/api; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}",
        f"{CSRF_COOKIE}={csrf_token(secret, session)}; Path=/api; Max-Age={max_age}; SameSite=Lax{secure}",
    ]


def clear_cookie_headers(public_base_url: str) -> list[str]:
    secure = _secure_flag(public_base_url)
    return [
        f"{SESSION_COOKIE}=; Path=/api; Max-Age=0; HttpOnly; SameSite=Lax{secure}",
        f"{CSRF_COOKIE}=; Path=/api; Max-Age=0; SameSite=Lax{secure}",
    ]


def sign_in_cookie_header(provider: str, value: str, public_base_url: str) -> str:
    """Sets the cookie binding a sign-in to this browser: HttpOnly, only sent to /api/auth, for 10 minutes.

    SameSite=Lax, not Strict: the provider's redirect back to us is a cross-site top-level navigation."""
    max_age = int(SIGN_IN_COOKIE_LIFETIME.total_seconds())
    secure = _secure_flag(public_base_url)
    name = SIGN_IN_COOKIES[provider]
    return f"{name}={value}; Path={SIGN_IN_COOKIE_PATH}; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}"


def clear_sign_in_cookie_header(provider: str, public_base_url: str) -> str:
    secure = _secure_flag(public_base_url)
    name = SIGN_IN_COOKIES[provider]
    return f"{name}=; Path={SIGN_IN_COOKIE_PATH}; Max-Age=0; HttpOnly; SameSite=Lax{secure}"
