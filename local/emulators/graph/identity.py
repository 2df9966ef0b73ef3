"""The Microsoft identity platform endpoints: OpenID discovery, authorize (user picker), token, device code.

Enough of the v2.0 protocol for MSAL and azure-identity: auth code + PKCE, refresh tokens, client credentials,
and the device-code grant (device_code.py). Public clients (entra-docs
docs/identity-platform/v2-oauth2-auth-code-flow.md: `client_secret` is "Required for confidential web apps"
and must not be sent by native/mobile/desktop apps, which prove themselves with PKCE) redeem codes, refresh
tokens and device codes without a secret when the seed app has `"public_client": true` (Entra's "Allow
public client flows"); a secret, when sent, must be right; client credentials always need one. Without a
secret where one is required the answer is Entra's 401 `invalid_client` AADSTS7000218.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from .device_code import DEVICE_GRANT, DeviceFlow
from .store import Mailbox, Store
from .tokens import APP_SCOPES, CODE_LIFETIME, AuthCode, Grant, TokenRegistry, short_scope

MULTI_TENANT = ("common", "organizations")


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _oauth_error(error: str, description: str, status: int = 400) -> Response:
    """Entra's error body; `error_codes` holds the AADSTS number the description starts with."""
    number = re.match(r"AADSTS(\d+)", description)
    return JSONResponse(
        {
            "error": error,
            "error_description": description,
            "error_codes": [int(number.group(1))] if number else [],
            "trace_id": str(uuid.uuid4()),
        },
        status_code=status,
    )


class Identity:
    def __init__(self, store: Store, tokens: TokenRegistry, http_base_url: Callable[[Request], str]) -> None:
        self.store = store
        self.tokens = tokens
        self.http_base_url = http_base_url
        self.device = DeviceFlow(store, tokens, http_base_url, _oauth_error)

    # --- helpers ---

    def _redirect_allowed(self, redirect_uri: str) -> bool:
        prefixes = self.store.app.get("redirect_uri_prefixes", ["http://127.0.0.1:", "http://localhost:"])
        return any(redirect_uri.startswith(p) for p in prefixes)

    def _issuer(self, request: Request, tenant_id: str) -> str:
        return f"{str(request.base_url).rstrip('/')}/{tenant_id}/v2.0"

    def id_token(self, request: Request, mailbox: Mailbox, client_id: str, nonce: str | None) -> str:
        """An unsigned JWT (alg none): MSAL only decodes the claims."""
        now = int(self.store.now().timestamp())
        claims: dict[str, Any] = {
            "iss": self._issuer(request, mailbox.tenant_id),
            "aud": client_id,
            "sub": _b64url(hashlib.sha256(f"{mailbox.id}{client_id}".encode()).digest()),
            "oid": mailbox.id,
            "tid": mailbox.tenant_id,
            "preferred_username": mailbox.user["mail"],
            "name": mailbox.user.get("displayName", ""),
            "iat": now,
            "nbf": now,
            "exp": now + 3600,
            "ver": "2.0",
        }
        if nonce:
            claims["nonce"] = nonce
        header = _b64url(json.dumps({"alg": "none", "typ": "JWT"}).encode())
        return f"{header}.{_b64url(json.dumps(claims).encode())}."

    def client_info(self, mailbox: Mailbox) -> str:
        return _b64url(json.dumps({"uid": mailbox.id, "utid": mailbox.tenant_id}).encode())

    # --- endpoints ---

    async def discovery(self, request: Request) -> Response:
        tenant_ref = request.path_params["tenant"]
        tenant = self.store.tenant(tenant_ref)
        if tenant is None and tenant_ref not in MULTI_TENANT:
            return _oauth_error("invalid_tenant", f"AADSTS90002: Tenant '{tenant_ref}' not found.")
        base = str(request.base_url).rstrip("/")
        issuer_tenant = tenant["id"] if tenant else "{tenantid}"
        return JSONResponse(
            {
                "issuer": f"{base}/{issuer_tenant}/v2.0",
                "authorization_endpoint": f"{self.http_base_url(request)}/{tenant_ref}/oauth2/v2.0/authorize",
                "token_endpoint": f"{base}/{tenant_ref}/oauth2/v2.0/token",
                "jwks_uri": f"{base}/{tenant_ref}/discovery/v2.0/keys",
                "end_session_endpoint": f"{base}/{tenant_ref}/oauth2/v2.0/logout",
                "device_authorization_endpoint": f"{base}/{tenant_ref}/oauth2/v2.0/devicecode",
                "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
                "response_modes_supported": ["query", "fragment", "form_post"],
                "subject_types_supported": ["pairwise"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": [
                    "client_secret_post",
                    "private_key_jwt",
                    "client_secret_basic",
                ],
                "scopes_supported": ["openid", "profile", "email", "offline_access"],
                "claims_supported": ["sub", "iss", "aud", "exp", "iat", "name", "nonce", "oid", "tid"],
                "tenant_region_scope": None,
                "cloud_instance_name": "microsoftonline.com",
            }
        )

    async def keys(self, request: Request) -> Response:
        return JSONResponse({"keys": []})

    def _users_for(self, tenant_ref: str) -> list[Mailbox]:
        tenant = self.store.tenant(tenant_ref)
        return [m for m in self.store.mailboxes.values() if tenant is None or m.tenant_id == tenant["id"]]

    async def authorize(self, request: Request) -> Response:
        params = request.query_params
        tenant_ref = request.path_params["tenant"]
        if self.store.tenant(tenant_ref) is None and tenant_ref not in MULTI_TENANT:
            return _oauth_error("invalid_tenant", f"AADSTS90002: Tenant '{tenant_ref}' not found.")
        if params.get("client_id") != self.store.app["client_id"]:
            return _oauth_error(
                "unauthorized_client", "AADSTS700016: Application not found in the directory."
            )
        redirect_uri = params.get("redirect_uri", "")
        if not self._redirect_allowed(redirect_uri):
            return _oauth_error("invalid_request", "AADSTS50011: The redirect URI does not match.")
        if params.get("response_type") != "code":
            return _oauth_error("unsupported_response_type", "AADSTS700054: response_type must be 'code'.")
        challenge = params.get("code_challenge", "")
        method = params.get("code_challenge_method", "plain")
        if not challenge or method != "S256":
            return _oauth_error("invalid_request", "AADSTS9002325: PKCE with S256 is required.")
        hint = params.get("login_hint")
        if not hint:
            return self._picker(request)
        mailbox = self.store.mailbox(hint)
        if mailbox is None or mailbox not in self._users_for(tenant_ref):
            return _oauth_error("invalid_request", f"AADSTS50034: The user account {hint} does not exist.")
        scopes = params.get("scope", "")
        grant = Grant(
            mailbox.tenant_id,
            self.store.app["client_id"],
            mailbox.id,
            frozenset(short_scope(s) for s in scopes.split()),
            self.store.now() + CODE_LIFETIME,
            scopes,
        )
        code = self.tokens.issue_code(AuthCode(grant, redirect_uri, challenge, method, params.get("nonce")))
        answer = {"code": code, "session_state": str(uuid.uuid4())}
        if "state" in params:
            answer["state"] = params["state"]
        separator = "&" if "?" in redirect_uri else "?"
        return RedirectResponse(f"{redirect_uri}{separator}{urlencode(answer)}", status_code=302)

    def _picker(self, request: Request) -> Response:
        rows = []
        for mailbox in self._users_for(request.path_params["tenant"]):
            query = dict(request.query_params) | {"login_hint": mailbox.user["mail"]}
            link = html.escape(f"{request.url.path}?{urlencode(query)}")
            label = html.escape(f"{mailbox.user.get('displayName', '')} <{mailbox.user['mail']}>")
            rows.append(f'<li><a class="account" href="{link}">{label}</a></li>')
        page = (
            "<!doctype html><html><head><title>Sign in to your account</title></head><body>"
            "<h1>Pick an account</h1><p>Local Microsoft identity emulator.</p>"
            f"<ul>{''.join(rows)}</ul></body></html>"
        )
        return HTMLResponse(page)

    async def token(self, request: Request) -> Response:
        # The token endpoint only takes url-encoded forms; parsing them here avoids python-multipart.
        values = dict(parse_qsl((await request.body()).decode(), keep_blank_values=True))
        client_id, secret = values.get("client_id", ""), values.get("client_secret", "")
        auth_header = request.headers.get("authorization", "")
        if auth_header.lower().startswith("basic "):
            client_id, _, secret = base64.b64decode(auth_header[6:]).decode().partition(":")
        if client_id != self.store.app["client_id"]:
            return _oauth_error(
                "unauthorized_client", "AADSTS700016: Application not found in the directory."
            )
        grant_type = values.get("grant_type")
        if secret and secret != self.store.app["client_secret"]:
            return _oauth_error("invalid_client", "AADSTS7000215: Invalid client secret provided.", 401)
        if not secret and (grant_type == "client_credentials" or not self.store.app.get("public_client")):
            return _oauth_error(
                "invalid_client",
                "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or"
                " 'client_secret'.",
                401,
            )
        if grant_type == DEVICE_GRANT:
            return self.device.redeem(request, values, lambda req, grant: self._user_tokens(req, grant, None))
        if grant_type == "client_credentials":
            return self._client_credentials(request, values)
        if grant_type == "authorization_code":
            return self._authorization_code(request, values)
        if grant_type == "refresh_token":
            return self._refresh(request, values)
        return _oauth_error(
            "unsupported_grant_type", f"AADSTS70003: grant_type {grant_type!r} not supported."
        )

    def _client_credentials(self, request: Request, values: dict[str, str]) -> Response:
        tenant = self.store.tenant(request.path_params["tenant"])
        if tenant is None:
            return _oauth_error(
                "invalid_request", "AADSTS90002: a tenant is required for client credentials."
            )
        if not values.get("scope", "").endswith("/.default"):
            return _oauth_error("invalid_scope", "AADSTS1002012: client credentials need a /.default scope.")
        if not tenant.get("admin_consent"):
            return _oauth_error(
                "invalid_grant",
                "AADSTS65001: The user or administrator has not consented to use the application.",
            )
        grant = Grant(tenant["id"], values["client_id"], None, APP_SCOPES, self.store.now(), values["scope"])
        access, _ = self.tokens.issue_access(grant)
        return JSONResponse(
            {"token_type": "Bearer", "expires_in": 3600, "ext_expires_in": 3600, "access_token": access}
        )

    def _authorization_code(self, request: Request, values: dict[str, str]) -> Response:
        code = self.tokens.take_code(values.get("code", ""))
        if code is None:
            return _oauth_error(
                "invalid_grant", "AADSTS70008: The authorization code is invalid or has expired."
            )
        if values.get("redirect_uri") != code.redirect_uri:
            return _oauth_error(
                "invalid_grant", "AADSTS50148: redirect_uri does not match the authorize request."
            )
        verifier = values.get("code_verifier", "")
        if _b64url(hashlib.sha256(verifier.encode()).digest()) != code.code_challenge:
            return _oauth_error(
                "invalid_grant", "AADSTS501481: The Code_Verifier does not match the challenge."
            )
        return self._user_tokens(request, code.grant, code.nonce)

    def _refresh(self, request: Request, values: dict[str, str]) -> Response:
        grant = self.tokens.refresh.get(values.get("refresh_token", ""))
        if grant is None:
            return _oauth_error("invalid_grant", "AADSTS70000: The refresh token is invalid or has expired.")
        return self._user_tokens(request, grant, None)

    def _user_tokens(self, request: Request, grant: Grant, nonce: str | None) -> Response:
        assert grant.user_id is not None
        mailbox = self.store.mailboxes[grant.user_id]
        access, _ = self.tokens.issue_access(grant)
        answer: dict[str, Any] = {
            "token_type": "Bearer",
            "scope": grant.requested_scope,
            "expires_in": 3600,
            "ext_expires_in": 3600,
            "access_token": access,
            "id_token": self.id_token(request, mailbox, grant.client_id, nonce),
            "client_info": self.client_info(mailbox),
        }
        if "offline_access" in grant.scopes:
            answer["refresh_token"] = self.tokens.issue_refresh(grant)
        return JSONResponse(answer)

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/{tenant}/v2.0/.well-known/openid-configuration", self.discovery, methods=["GET"]),
            Route("/{tenant}/discovery/v2.0/keys", self.keys, methods=["GET"]),
            Route("/{tenant}/oauth2/v2.0/authorize", self.authorize, methods=["GET"]),
            Route("/{tenant}/oauth2/v2.0/token", self.token, methods=["POST"]),
            *self.device.routes(),
        ]


def user_token(store: Store, tokens: TokenRegistry, email: str) -> str | None:
    """A delegated token with every scope, as the control API hands out (acting as the user in Outlook)."""
    mailbox = store.mailbox(email)
    if mailbox is None:
        return None
    grant = Grant(
        mailbox.tenant_id,
        store.app["client_id"],
        mailbox.id,
        frozenset({"Calendars.ReadWrite", "Contacts.ReadWrite", "User.Read"}),
        store.now(),
        "Calendars.ReadWrite Contacts.ReadWrite User.Read",
    )
    return tokens.issue_access(grant)[0]
