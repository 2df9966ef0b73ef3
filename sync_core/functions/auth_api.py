"""Sign-in routes: Sign in with Zoho (start, callback), logout, disconnect, the Microsoft consent callback.

Each route translates HTTP to one use case in sync_core/engine/ (accounts, enablement, sessions) and back.
"""

from __future__ import annotations

import azure.functions as func

from sync_core.functions import session as sessions
from sync_core.functions.http import (
    current_session,
    empty_response,
    error_response,
    guarded,
    html_page,
    json_response,
    key_of_session,
    redirect,
    request_cookies,
    start_session,
    with_session,
)

bp = func.Blueprint()


@bp.route(route="auth/zoho/start", methods=["GET"], auth_level=func.AuthLevel.ANONYMOUS)
@guarded
async def zoho_start(req: func.HttpRequest) -> func.HttpResponse:
    from sync_core.engine.accounts import accounts
    from sync_core.engine.accounts.sign_in_flows import new_browser_binding
    from sync_core.engine.context import get_context

    ctx = get_context()
    binding = new_browser_binding()
    # `next` is reduced to one of our pages by the use case: never an open redirect.
    url = await accounts.start_zoho_sign_in(
        ctx, req.params.get("next"), req.params.get("login_hint"), binding
    )
    return redirect(url, [sessions.sign_in_cookie_header("zoho", binding, ctx.settings.public_base_url)])


@bp.route(route="auth/zoho/callback", methods=["GET"], auth_level=func.AuthLevel.ANONYMOUS)
@guarded
async def zoho_callback(req: func.HttpRequest) -> func.HttpResponse:
    from sync_core.engine.accounts import accounts
    from sync_core.engine.context import get_context
    from sync_core.engine.sync_lifecycle.enablement import abandon_consent

    ctx = get_context()
    params = req.params
    done = sessions.clear_sign_in_cookie_header("zoho", ctx.settings.public_base_url)
    if "error" in params:
        await abandon_consent(ctx, params.get("state"))
        code = accounts.consent_error_code("zoho", params["error"])
        return redirect(f"{accounts.HOME_PATH}?error={code}")
    binding = request_cookies(req).get(sessions.SIGN_IN_COOKIES["zoho"])
    try:
        signed_in = await accounts.finish_zoho_sign_in(
            ctx, params.get("state"), params.get("code"), params.get("accounts-server"), binding
        )
    except accounts.SignInRefused as refused:
        # No cookie at all on a refusal: in particular no session.
        return html_page("Sign-in failed", refused.message, refused.status)
    cookies = await start_session(ctx, signed_in.connection.key)
    return redirect(signed_in.next_path, [*cookies, done])


@bp.route(route="auth/logout", methods=["POST"], auth_level=func.AuthLevel.ANONYMOUS)
@with_session
async def logout(req: func.HttpRequest, session: sessions.Session) -> func.HttpResponse:
    from sync_core.engine.context import get_context

    ctx = get_context()
    await ctx.sessions.end(key_of_session(session), session.nonce)
    return empty_response(204, sessions.clear_cookie_headers(ctx.settings.public_base_url))


@bp.route(route="auth/disconnect", methods=["POST"], auth_level=func.AuthLevel.ANONYMOUS)
@with_session
async def disconnect(req: func.HttpRequest, session: sessions.Session) -> func.HttpResponse:
    from sync_core.engine.accounts.disconnect import request_disconnect
    from sync_core.engine.context import get_context

    ctx = get_context()
    outcome = await request_disconnect(ctx, key_of_session(session))
    return json_response(
        {"status": outcome}, 202, sessions.clear_cookie_headers(ctx.settings.public_base_url)
    )


@bp.route(route="auth/microsoft/callback", methods=["GET"], auth_level=func.AuthLevel.ANONYMOUS)
@guarded
async def microsoft_callback(req: func.HttpRequest) -> func.HttpResponse:
    from sync_core.engine.accounts import accounts
    from sync_core.engine.context import get_context
    from sync_core.engine.sync_lifecycle import enablement

    ctx = get_context()
    done = sessions.clear_sign_in_cookie_header("microsoft", ctx.settings.public_base_url)
    session = await current_session(req)
    if session is None:
        return error_response(401, "not_signed_in", "Sign in with Zoho first.")
    params = {key: req.params[key] for key in req.params}
    key = key_of_session(session)
    binding = request_cookies(req).get(sessions.SIGN_IN_COOKIES["microsoft"])
    try:
        await enablement.finish_microsoft_consent(ctx, key, params, binding)
    except accounts.SignInRefused as refused:
        if refused.code.startswith("microsoft_") and refused.status == 400:
            return redirect(f"{accounts.HOME_PATH}?error={refused.code}")
        return html_page("Microsoft sign-in failed", refused.message, refused.status)
    except accounts.NotSignedIn:
        return error_response(401, "not_signed_in", "Sign in with Zoho first.")
    return redirect(f"{accounts.HOME_PATH}?connected=microsoft", [done])
