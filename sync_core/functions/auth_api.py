"""Sign-in routes: "Sign in with Zoho" (start, callback), logout, and the Microsoft consent callback.

Each route translates HTTP to one use case in sync_core/engine/accounts.py and back.
"""

from __future__ import annotations

from datetime import UTC, datetime

import azure.functions as func

from sync_core.functions import session as sessions
from sync_core.functions.http import (
    current_session,
    empty_response,
    error_response,
    guarded,
    html_page,
    redirect,
    with_session,
)

bp = func.Blueprint()


@bp.route(route="auth/zoho/start", methods=["GET"], auth_level=func.AuthLevel.ANONYMOUS)
@guarded
async def zoho_start(req: func.HttpRequest) -> func.HttpResponse:
    from sync_core.engine import accounts
    from sync_core.engine.context import get_context

    # `next` is reduced to one of our pages by the use case: never an open redirect.
    url = await accounts.start_zoho_sign_in(
        get_context(), req.params.get("next"), req.params.get("login_hint")
    )
    return redirect(url)


@bp.route(route="auth/zoho/callback", methods=["GET"], auth_level=func.AuthLevel.ANONYMOUS)
@guarded
async def zoho_callback(req: func.HttpRequest) -> func.HttpResponse:
    from sync_core.engine import accounts
    from sync_core.engine.context import get_context

    ctx = get_context()
    params = req.params
    if "error" in params:
        await accounts.abandon_consent(ctx, params.get("state"))
        return redirect(f"{accounts.HOME_PATH}?error={accounts.consent_error_code('zoho', params['error'])}")
    try:
        signed_in = await accounts.finish_zoho_sign_in(
            ctx, params.get("state"), params.get("code"), params.get("accounts-server")
        )
    except accounts.SignInRefused as refused:
        return html_page("Sign-in failed", refused.message, refused.status)
    settings = ctx.settings
    connection = signed_in.connection
    cookie, session = sessions.issue(
        settings.session_secret, connection.org_id, connection.user_id, datetime.now(UTC)
    )
    cookies = sessions.set_cookie_headers(settings.session_secret, cookie, session, settings.public_base_url)
    return redirect(signed_in.next_path, cookies)


@bp.route(route="auth/logout", methods=["POST"], auth_level=func.AuthLevel.ANONYMOUS)
@with_session
async def logout(req: func.HttpRequest, session: sessions.Session) -> func.HttpResponse:
    from sync_core.config import get_settings

    return empty_response(204, sessions.clear_cookie_headers(get_settings().public_base_url))


@bp.route(route="auth/microsoft/callback", methods=["GET"], auth_level=func.AuthLevel.ANONYMOUS)
@guarded
async def microsoft_callback(req: func.HttpRequest) -> func.HttpResponse:
    from sync_core.engine import accounts
    from sync_core.engine.context import get_context
    from sync_core.store.connections import ConnectionKey

    session = current_session(req)
    if session is None:
        return error_response(401, "not_signed_in", "Sign in with Zoho first.")
    ctx = get_context()
    params = {key: req.params[key] for key in req.params}
    key = ConnectionKey(org_id=session.org_id, user_id=session.user_id)
    try:
        await accounts.finish_microsoft_consent(ctx, key, params)
    except accounts.SignInRefused as refused:
        if refused.code.startswith("microsoft_") and refused.status == 400:
            return redirect(f"{accounts.HOME_PATH}?error={refused.code}")
        return html_page("Microsoft sign-in failed", refused.message, refused.status)
    except accounts.NotSignedIn:
        return error_response(401, "not_signed_in", "Sign in with Zoho first.")
    return redirect(accounts.HOME_PATH)
