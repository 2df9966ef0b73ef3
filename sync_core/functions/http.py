"""HTTP plumbing shared by the product's blueprints: responses that always carry the security headers,
the session read from its cookie, and decorators that demand a session (401) and a CSRF header (403).
"""

from __future__ import annotations

import html
import json
import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import azure.functions as func

from sync_core.config import get_settings
from sync_core.functions import session as sessions
from sync_core.store.connections import ConnectionKey

if TYPE_CHECKING:
    from sync_core.engine.context import EngineContext
    from sync_core.store.sessions import SessionRepository

log = logging.getLogger(__name__)

SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    # Browsers ignore it on plain http (the local stack), and keep to https for a year once seen over TLS.
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
}
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

Handler = Callable[[func.HttpRequest], Awaitable[func.HttpResponse]]
SessionHandler = Callable[[func.HttpRequest, sessions.Session], Awaitable[func.HttpResponse]]


def _response(
    body: str | bytes | None,
    status: int,
    mimetype: str,
    set_cookies: Iterable[str] = (),
    headers: dict[str, str] | None = None,
) -> func.HttpResponse:
    response = func.HttpResponse(body=body, status_code=status, mimetype=mimetype, charset="utf-8")
    for name, value in {**SECURITY_HEADERS, "Cache-Control": "no-store", **(headers or {})}.items():
        response.headers[name] = value
    for cookie in set_cookies:  # werkzeug Headers keep every Set-Cookie value
        response.headers.add("Set-Cookie", cookie)
    return response


def json_response(
    body: Any, status: int = 200, set_cookies: Iterable[str] = (), headers: dict[str, str] | None = None
) -> func.HttpResponse:
    return _response(json.dumps(body), status, "application/json", set_cookies, headers)


def text_response(body: str | None, status: int) -> func.HttpResponse:
    """Plain text with the security headers (nosniff: a browser never runs an echoed token as a page)."""
    return _response(body, status, "text/plain")


def error_response(status: int, code: str, message: str) -> func.HttpResponse:
    return json_response({"error": {"code": code, "message": message}}, status)


def empty_response(status: int = 204, set_cookies: Iterable[str] = ()) -> func.HttpResponse:
    return _response(None, status, "text/plain", set_cookies)


def html_page(
    title: str, message: str, status: int = 200, set_cookies: Iterable[str] = ()
) -> func.HttpResponse:
    """A minimal page for browser navigations (OAuth callbacks); both texts are escaped."""
    document = (
        "<!doctype html><html><head><meta charset='utf-8'>"
        # The page's own icon, so the browser does not ask for a /favicon.ico nobody serves (a 404).
        "<link rel='icon' href='/api/ui/icon.svg' type='image/svg+xml'>"
        f"<title>{html.escape(title)}</title></head><body><h1>{html.escape(title)}</h1>"
        f"<p>{html.escape(message)}</p><p><a href='/api/ui'>Back to the Manage page</a></p></body></html>"
    )
    return _response(document, status, "text/html", set_cookies)


def redirect(location: str, set_cookies: Iterable[str] = ()) -> func.HttpResponse:
    """A 302; callers pass only our own paths or a provider URL built by our code."""
    return _response(None, 302, "text/plain", set_cookies, {"Location": location})


def request_cookies(req: func.HttpRequest) -> dict[str, str]:
    return sessions.cookies_from_header(req.headers.get("Cookie"))


def session_store() -> SessionRepository:
    """Where live sessions are kept (the sessions table); one function so unit tests can swap it."""
    from sync_core.engine.context import get_context

    return get_context().sessions


async def start_session(ctx: EngineContext, key: ConnectionKey) -> list[str]:
    """Starts a session for the connection, recorded server-side; returns its Set-Cookie values."""
    settings = ctx.settings
    cookie, session = sessions.issue(
        settings.session_secret, key.org_id, key.user_id, datetime.now(UTC), key.data_centre
    )
    await ctx.sessions.start(key, session.nonce, session.expires_at)
    return sessions.set_cookie_headers(settings.session_secret, cookie, session, settings.public_base_url)


async def current_session(req: func.HttpRequest, now: datetime | None = None) -> sessions.Session | None:
    """The valid session of the request, or None when the cookie is missing, tampered with, expired, or
    ended server-side (logout, disconnect): a copied cookie stops working when its session ends."""
    cookie = request_cookies(req).get(sessions.SESSION_COOKIE)
    moment = now or datetime.now(UTC)
    session = sessions.read(get_settings().session_secret, cookie, moment)
    if session is None:
        return None
    return session if await session_store().is_live(key_of_session(session), session.nonce, moment) else None


def key_of_session(session: sessions.Session) -> ConnectionKey:
    """The connection a session belongs to."""
    return ConnectionKey(org_id=session.org_id, user_id=session.user_id, data_centre=session.data_centre)


def csrf_valid(req: func.HttpRequest, session: sessions.Session) -> bool:
    header = req.headers.get(sessions.CSRF_HEADER)
    cookie = request_cookies(req).get(sessions.CSRF_COOKIE)
    return sessions.csrf_ok(get_settings().session_secret, session, header, cookie)


def _named_like(wrapper: Handler, handler: Callable[..., Any]) -> Handler:
    # The Functions worker reads the signature to bind `req`, so no `__wrapped__` pointing at the handler.
    wrapper.__name__ = handler.__name__
    wrapper.__qualname__ = handler.__qualname__
    wrapper.__doc__ = handler.__doc__
    return wrapper


def guarded(handler: Handler) -> Handler:
    """Any unexpected error becomes a logged 500 that still carries the security headers."""

    async def endpoint(req: func.HttpRequest) -> func.HttpResponse:
        try:
            return await handler(req)
        except Exception:
            log.exception("%s failed", handler.__name__)
            return error_response(500, "internal_error", "Something went wrong. Please try again.")

    return _named_like(endpoint, handler)


def with_session(handler: SessionHandler) -> Handler:
    """Runs the handler only with a valid session (else 401) and, on unsafe methods, CSRF (else 403)."""

    async def endpoint(req: func.HttpRequest) -> func.HttpResponse:
        session = await current_session(req)
        if session is None:
            return error_response(401, "not_signed_in", "Sign in with Zoho first.")
        if req.method.upper() in UNSAFE_METHODS and not csrf_valid(req, session):
            return error_response(403, "csrf", "Missing or wrong X-CSRF-Token header.")
        return await handler(req, session)

    return guarded(_named_like(endpoint, handler))
