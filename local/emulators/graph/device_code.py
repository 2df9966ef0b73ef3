"""The OAuth 2.0 device authorization grant, as the discovery document advertises it.

Source: Microsoft identity platform, "OAuth 2.0 device authorization grant" (MicrosoftDocs/entra-docs,
docs/identity-platform/v2-oauth2-device-code.md). `POST /{tenant}/oauth2/v2.0/devicecode` with `client_id`
and `scope` answers `device_code`, `user_code`, `verification_uri`, `expires_in` (900: "the user has 15
minutes"), `interval` (5) and `message` (no `verification_uri_complete`: "not included or supported").
The client polls `/token` with `grant_type=urn:ietf:params:oauth:grant-type:device_code`; until the user
finishes it gets 400 `authorization_pending`, then the tokens, or `authorization_declined`,
`bad_verification_code`, `expired_token` as the page's "Expected errors" table says. A device-code client is
a public client: no secret. The verification page is the emulator's own `/devicelogin` (Entra's is
microsoft.com/devicelogin): `?user_code=...&login_hint=<mail>` approves at once, `&decline=1` declines.
"""

from __future__ import annotations

import html
import secrets
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

from .store import Store
from .tokens import DeviceCode, Grant, TokenRegistry, short_scope

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
DEVICE_CODE_LIFETIME = timedelta(minutes=15)
POLL_INTERVAL = 5
_USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ23456789"

OAuthError = Callable[[str, str], Response]
UserTokens = Callable[[Request, Grant], Response]


class DeviceFlow:
    def __init__(
        self, store: Store, tokens: TokenRegistry, http_base_url: Callable[[Request], str], error: OAuthError
    ) -> None:
        self.store = store
        self.tokens = tokens
        self.http_base_url = http_base_url
        self.error = error

    async def devicecode(self, request: Request) -> Response:
        values = dict(parse_qsl((await request.body()).decode(), keep_blank_values=True))
        tenant_ref = request.path_params["tenant"]
        if self.store.tenant(tenant_ref) is None and tenant_ref not in ("common", "organizations"):
            return self.error("invalid_tenant", f"AADSTS90002: Tenant '{tenant_ref}' not found.")
        if values.get("client_id") != self.store.app["client_id"]:
            return self.error("unauthorized_client", "AADSTS700016: Application not found in the directory.")
        if not values.get("scope", "").strip():
            return self.error("invalid_request", "AADSTS900144: The request body must contain 'scope'.")
        user_code = "".join(secrets.choice(_USER_CODE_ALPHABET) for _ in range(9))
        device_code = "DAQABAAEAAA" + secrets.token_urlsafe(48)
        self.tokens.device_codes[device_code] = DeviceCode(
            tenant_ref,
            values["client_id"],
            values["scope"],
            user_code,
            self.store.now() + DEVICE_CODE_LIFETIME,
        )
        verification_uri = f"{self.http_base_url(request)}/devicelogin"
        return JSONResponse(
            {
                "user_code": user_code,
                "device_code": device_code,
                "verification_uri": verification_uri,
                "expires_in": int(DEVICE_CODE_LIFETIME.total_seconds()),
                "interval": POLL_INTERVAL,
                "message": f"To sign in, use a web browser to open the page {verification_uri} and enter the"
                f" code {user_code} to authenticate.",
            }
        )

    def _pending(self, user_code: str) -> DeviceCode | None:
        for device in self.tokens.device_codes.values():
            if device.user_code == user_code.strip().upper() and device.expires_at > self.store.now():
                return device
        return None

    async def devicelogin(self, request: Request) -> Response:
        params = request.query_params
        user_code = params.get("user_code", "")
        if not user_code:
            return HTMLResponse(
                "<!doctype html><html><head><title>Enter code</title></head><body><h1>Enter code</h1>"
                '<form method="get"><input name="user_code"><button>Next</button></form></body></html>'
            )
        device = self._pending(user_code)
        if device is None or device.mailbox_id is not None or device.declined:
            return HTMLResponse(
                "<p>That code didn't work. Check the code and try again.</p>", status_code=400
            )
        tenant = self.store.tenant(device.tenant_ref)
        mailboxes = [
            m for m in self.store.mailboxes.values() if tenant is None or m.tenant_id == tenant["id"]
        ]
        if params.get("decline"):
            device.declined = True
            return HTMLResponse("<p>You declined to sign in on the other device.</p>")
        hint = params.get("login_hint")
        if not hint:
            rows = []
            for candidate in mailboxes:
                mail = str(candidate.user["mail"])
                link = html.escape("?" + urlencode({"user_code": user_code, "login_hint": mail}))
                rows.append(f'<li><a class="account" href="{link}">{html.escape(mail)}</a></li>')
            return HTMLResponse(
                f"<!doctype html><html><body><h1>Pick an account</h1><ul>{''.join(rows)}</ul></body></html>"
            )
        mailbox = self.store.mailbox(hint)
        if mailbox is None or mailbox not in mailboxes:
            return HTMLResponse(
                f"<p>The account {html.escape(hint)} does not exist here.</p>", status_code=400
            )
        device.mailbox_id = mailbox.id
        return HTMLResponse("<p>You have signed in. You may now close this window.</p>")

    def redeem(self, request: Request, values: dict[str, str], user_tokens: UserTokens) -> Response:
        """The `/token` answer for the device-code grant."""
        device = self.tokens.device_codes.get(values.get("device_code", ""))
        if device is None or device.client_id != values.get("client_id"):
            return self.error("bad_verification_code", "AADSTS70019: The device code was not recognized.")
        if device.expires_at <= self.store.now():
            return self.error("expired_token", "AADSTS70020: The provided value for device_code is expired.")
        if device.declined:
            return self.error("authorization_declined", "AADSTS70019: The end user denied the request.")
        if device.mailbox_id is None:
            return self.error(
                "authorization_pending", "AADSTS70016: OAuth 2.0 device flow error. Authorization is pending."
            )
        del self.tokens.device_codes[values["device_code"]]
        mailbox = self.store.mailboxes[device.mailbox_id]
        scopes = frozenset(short_scope(s) for s in device.scope.split())
        grant = Grant(mailbox.tenant_id, device.client_id, mailbox.id, scopes, self.store.now(), device.scope)
        return user_tokens(request, grant)

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/{tenant}/oauth2/v2.0/devicecode", self.devicecode, methods=["POST"]),
            Route("/devicelogin", self.devicelogin, methods=["GET"]),
        ]
