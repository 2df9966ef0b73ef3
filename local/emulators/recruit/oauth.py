"""The accounts server: authorize page, token and refresh grants, revocation.

Like Zoho, the token endpoint answers its errors (`{"error": "invalid_code"}`...) with HTTP 200. Multi DC as
on Zoho's "Using Multi DC in server and client-based apps" page (zoho.com/accounts/protocol/oauth/multi-dc/
client-authorization.html): the authorize redirect names the user's data centre (`location`,
`accounts-server`); codes and refresh tokens are redeemed only at that accounts server, and its access tokens
work only at its API. A scope name Zoho does not know refuses the consent (API-NOTES); granted scopes ride on
every token.
"""

from __future__ import annotations

import html
import secrets
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from .runtime import ACCESS_TOKEN_SECONDS, CODE_SECONDS, Emulator
from .scopes import InvalidScope, parse_scopes
from .state import Grant, RefreshGrant


def _new_secret() -> str:
    return "1000." + secrets.token_hex(16) + "." + secrets.token_hex(16)


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    document = (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
        f"<body><h1>{html.escape(title)}</h1>{body}</body></html>"
    )
    return HTMLResponse(document, status_code=status)


async def _form(request: Request) -> dict[str, str]:
    """Query and URL-encoded form fields: Zoho takes either (Starlette's parser needs python-multipart)."""
    body = dict(parse_qsl((await request.body()).decode("utf-8"), keep_blank_values=True))
    return {**dict(request.query_params), **body}


def oauth_routes(emulator: Emulator) -> list[BaseRoute]:
    async def authorize(request: Request) -> Response:
        params = request.query_params
        state = emulator.state
        if params.get("client_id") != state.client_id:
            return _page("Invalid client", "<p>The client_id is not registered.</p>", 400)
        if params.get("response_type") != "code" or not params.get("redirect_uri"):
            return _page("Invalid request", "<p>response_type=code and redirect_uri are required.</p>", 400)
        user = state.user_by_email(params.get("login_hint", ""))
        if user is None:
            links = "".join(
                f"<li><a href='{html.escape(str(request.url.include_query_params(login_hint=u.email)))}'>"
                f"{html.escape(u.full_name)} &lt;{html.escape(u.email)}&gt;</a></li>"
                for u in state.users.values()
            )
            return _page("Sign in to Zoho Recruit (emulator)", f"<p>Choose a user:</p><ul>{links}</ul>")
        try:
            parse_scopes(params.get("scope", ""))
        except InvalidScope as invalid:
            return _page(
                "Invalid OAuth scope", f"<p>Scope {html.escape(str(invalid))} is not valid.</p>", 400
            )
        code = _new_secret()
        state.codes[code] = Grant(
            user.id, state.client_id, params["redirect_uri"], params.get("scope", ""),
            emulator.now() + timedelta(seconds=CODE_SECONDS), params.get("access_type") == "offline",
        )  # fmt: skip
        location = state.location_of(user)
        base = emulator.data_centres.base_for(location, str(request.base_url))
        if not emulator.data_centres.serves(location, base):
            # This listener plays another data centre and the user's own has no base URL to send them to.
            return _page("Wrong data centre", "<p>Sign in at your data centre's accounts server.</p>", 400)
        query = {"code": code, "location": location, "accounts-server": base}
        if "state" in params:
            query["state"] = params["state"]
        separator = "&" if "?" in params["redirect_uri"] else "?"
        return RedirectResponse(params["redirect_uri"] + separator + urlencode(query), status_code=302)

    def _tokens(
        request: Request, user_id: str, refresh_token: str | None, scopes: frozenset[str]
    ) -> dict[str, Any]:
        expires = emulator.now() + timedelta(seconds=ACCESS_TOKEN_SECONDS)
        body: dict[str, Any] = {
            "access_token": emulator.state.issue_access_token(user_id, expires, refresh_token, scopes),
            "api_domain": str(request.base_url).rstrip("/"),
            "token_type": "Bearer",
            "expires_in": ACCESS_TOKEN_SECONDS,
        }
        if refresh_token is not None:
            body["refresh_token"] = refresh_token
        return body

    async def token(request: Request) -> Response:
        form = await _form(request)
        state = emulator.state

        def here(user_id: str) -> bool:
            """Whether this accounts server is the user's data centre (others do not know the grant)."""
            user = state.users.get(user_id)
            return user is not None and emulator.data_centres.serves(
                state.location_of(user), str(request.base_url)
            )

        if form.get("client_id") != state.client_id or form.get("client_secret") != state.client_secret:
            return JSONResponse({"error": "invalid_client"})
        grant_type = form.get("grant_type")
        if grant_type == "authorization_code":
            grant = state.codes.pop(str(form.get("code", "")), None)  # single use, even when refused
            if grant is None or grant.expires <= emulator.now() or not here(grant.user_id):
                return JSONResponse({"error": "invalid_code"})
            if form.get("redirect_uri") != grant.redirect_uri:
                return JSONResponse({"error": "invalid_redirect_uri"})
            scopes = parse_scopes(grant.scope)
            if not grant.offline:
                return JSONResponse(_tokens(request, grant.user_id, None, scopes))
            refresh_token = _new_secret()
            location = state.location_of(state.users[grant.user_id])
            state.refresh_tokens[refresh_token] = RefreshGrant(grant.user_id, scopes, location)
            return JSONResponse(_tokens(request, grant.user_id, refresh_token, scopes))
        if grant_type == "refresh_token":
            refresh_token = str(form.get("refresh_token", ""))
            renewable = state.refresh_tokens.get(refresh_token)
            if renewable is None or not here(renewable.user_id):
                return JSONResponse({"error": "invalid_code"})
            body = _tokens(request, renewable.user_id, refresh_token, renewable.scopes)
            del body["refresh_token"]  # a refresh answers only a new access token
            return JSONResponse(body)
        return JSONResponse({"error": "unsupported_grant_type"})

    async def revoke(request: Request) -> Response:
        form = await _form(request)
        value = form.get("token", "")
        state = emulator.state
        if state.refresh_tokens.pop(value, None) is not None:
            for key in [k for k, v in state.access_tokens.items() if v.refresh_token == value]:
                del state.access_tokens[key]
        elif state.access_tokens.pop(value, None) is None:
            return JSONResponse({"error": "invalid_token"}, status_code=400)
        return JSONResponse({"status": "success"})

    return [
        Route("/oauth/v2/auth", authorize, methods=["GET"]),
        Route("/oauth/v2/token", token, methods=["POST"]),
        Route("/oauth/v2/token/revoke", revoke, methods=["POST"]),
    ]
