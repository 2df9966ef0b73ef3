"""The running emulator: its state, clock, notifier, limits, switches and data centres, and the guard every
API route goes through.

The guard checks `Authorization: Zoho-oauthtoken <token>` (valid only in the data centre that issued it), the
route's scope (`scopes.py`) and the rate limit before a handler runs.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from local.emulators.kit.app import EmulatorCore

from .datacentres import DataCentrePlay
from .features import Features
from .notify import Notifier
from .ratelimit import RateLimiter, Verdict
from .scopes import Requirement
from .seed import build_state
from .state import RecruitState, User

ACCESS_TOKEN_SECONDS = 3600
CODE_SECONDS = 60


def zoho_error(code: str, message: str, status: int, details: dict[str, Any] | None = None) -> JSONResponse:
    body = {"code": code, "details": details or {}, "message": message, "status": "error"}
    return JSONResponse(body, status_code=status)


def ratelimit_headers(verdict: Verdict) -> dict[str, str]:
    return {
        "X-RATELIMIT-LIMIT": str(verdict.limit),
        "X-RATELIMIT-REMAINING": str(verdict.remaining),
        "X-RATELIMIT-RESET": str(verdict.reset_epoch_ms),
    }


def scope_mismatch() -> JSONResponse:
    """Envelope of zoho/crm-oas v8.0/record/operations/getRecords/examples/response-401-scopemismatch.md."""
    return zoho_error("OAUTH_SCOPE_MISMATCH", "Unauthorized", 401)


def fault_response(status: int, retry_after: int) -> Response:
    """Injected faults in Recruit's error shape (rate-limit headers, if any, are the filter's business)."""
    if status == 429:
        reset_ms = int((time.time() + retry_after) * 1000)
        headers = {"X-RATELIMIT-LIMIT": "0", "X-RATELIMIT-REMAINING": "0", "X-RATELIMIT-RESET": str(reset_ms)}
        response = zoho_error("TOO_MANY_REQUESTS", "too many requests", 429)
        response.headers.update(headers)
        return response
    if status == 401:
        return zoho_error("INVALID_TOKEN", "invalid oauth token", 401)
    if status >= 500:
        return zoho_error("INTERNAL_ERROR", "internal server error", status)
    return zoho_error("INVALID_REQUEST", "injected failure", status)


@dataclass
class Emulator:
    seed: dict[str, Any]
    core: EmulatorCore = field(default_factory=EmulatorCore)
    limiter: RateLimiter = field(default_factory=RateLimiter)
    data_centres: DataCentrePlay = field(default_factory=lambda: DataCentrePlay({}))
    features: Features = field(default_factory=Features)

    def __post_init__(self) -> None:
        self.state: RecruitState = build_state(self.seed, self.core.clock.now())
        self.notifier = Notifier(lambda: self.state)

    def now(self) -> datetime:
        return self.core.clock.now()

    def reset(self) -> None:
        """Back to the seed; issued tokens stay valid, since the seeded users (and their ids) come back."""
        self.notifier.reset()
        self.limiter.configure(None)
        self.features = Features()
        self.core.clock.reset()  # seed times are relative to the real now, not a moved clock
        issued, refreshable = self.state.access_tokens, self.state.refresh_tokens
        self.state = build_state(self.seed, self.now())
        self.state.access_tokens, self.state.refresh_tokens = issued, refreshable

    def authenticate(self, request: Request, requirement: Requirement) -> User | Response:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        grant = self.state.access_tokens.get(token.strip()) if scheme == "Zoho-oauthtoken" else None
        if (
            grant is None
            or grant.expires <= self.now()
            or grant.user_id not in self.state.users
            # Another data centre's token is unknown here, as at Zoho.
            or not self.data_centres.serves(grant.location, str(request.base_url))
        ):
            return zoho_error("INVALID_TOKEN", "invalid oauth token", 401)
        if not requirement.met_by(grant.scopes):
            return scope_mismatch()
        return self.state.users[grant.user_id]


ApiHandler = Callable[[Request, User], Awaitable[Response]]
Required = Requirement | Callable[[Request], Requirement]


def api_route(
    emulator: Emulator, handler: ApiHandler, required: Required
) -> Callable[[Request], Awaitable[Response]]:
    """Wraps a handler with token, scope and rate-limit checks; the handler gets the calling user."""

    async def endpoint(request: Request) -> Response:
        requirement = required if isinstance(required, Requirement) else required(request)
        user = emulator.authenticate(request, requirement)
        if isinstance(user, Response):
            return user
        verdict = emulator.limiter.charge(user.id, emulator.now())
        if verdict is not None and not verdict.allowed:
            emulator.core.stats.record_throttled()
            refusal = zoho_error("TOO_MANY_REQUESTS", "too many requests", 429)
            refusal.headers.update(ratelimit_headers(verdict))
            return refusal
        response = await handler(request, user)
        if verdict is not None:
            response.headers.update(ratelimit_headers(verdict))
        return response

    return endpoint


async def json_object(request: Request) -> dict[str, Any] | None:
    """The request body if it is a JSON object, else None."""
    try:
        body = await request.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def api_base(request: Request) -> str:
    return str(request.base_url).rstrip("/") + "/recruit/v2"
