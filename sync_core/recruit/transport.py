"""One Recruit API request with the policies every call shares: auth header, one refresh on INVALID_TOKEN
(never on OAUTH_SCOPE_MISMATCH), waiting out a rate limit when the reset is near, retrying server errors with
backoff, counting requests.

Recruit sends no rate-limit headers (API-NOTES "Limits"): a 429 without them gets a couple of short waits of
our own, then RateLimited with no `reset_at`, so the caller (the engine) requeues the work later instead of
holding a worker for a whole rate-limit window.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from .errors import InvalidToken, RateLimited, RecruitError, ScopeMismatch, error_from_body, make_error
from .http import new_http_client
from .tokens import TokenSource

# Statuses after which a POST may safely be sent again (the server did not act on it).
_POST_RETRY_STATUSES = frozenset({502, 503, 504})
_MAX_RATE_WAITS = 5
# Our own waits (seconds) after a 429 that names no reset: short, for a brief burst or the concurrency limit.
OWN_RATE_WAITS = (1.0, 3.0)


@dataclass(frozen=True)
class ApiResponse:
    status: int
    body: Any
    headers: httpx.Headers


def _header_delay(raw: str | None, now: float) -> float | None:
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        return None
    if value > 1e11:  # epoch milliseconds
        return max(0.0, value / 1000 - now)
    if value > 1e9:  # epoch seconds
        return max(0.0, value - now)
    return max(0.0, value)  # seconds from now


def _reset_delay(headers: httpx.Headers, now: float) -> float | None:
    """Seconds until the rate-limit window resets: the later of X-RATELIMIT-RESET and Retry-After.

    Zoho documents the reset as a time since the epoch (milliseconds); a small number is read as seconds
    from now. Taking the later of both headers keeps a meaningless `X-RATELIMIT-RESET: 0` from causing a
    burst of immediate retries.
    """
    delays = [
        delay
        for delay in (_header_delay(headers.get(name), now) for name in ("X-RATELIMIT-RESET", "Retry-After"))
        if delay is not None
    ]
    return max(delays) if delays else None


class RecruitTransport:
    def __init__(
        self,
        api_base: str,
        token_source: TokenSource,
        *,
        http: httpx.AsyncClient | None = None,
        max_rate_wait: float = 60.0,
        server_retries: int = 3,
        backoff_seconds: float = 0.25,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        timeout: float = 30.0,
        own_rate_waits: tuple[float, ...] = OWN_RATE_WAITS,
    ) -> None:
        self.api_base = api_base.rstrip("/")
        self.token_source = token_source
        self._own_http = http is None
        self.http = http or new_http_client(timeout)
        self.max_rate_wait = max_rate_wait
        self.server_retries = server_retries
        self.backoff_seconds = backoff_seconds
        self._sleep = sleep
        self.own_rate_waits = own_rate_waits
        # Read by the benchmark: every HTTP request sent to the API, retries included.
        self.requests_made = 0

    async def aclose(self) -> None:
        if self._own_http:
            await self.http.aclose()

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> ApiResponse:
        """The answer to one API call after the shared policies; raises a RecruitError for an error answer.

        A 4xx whose body carries a per-item `data` or `watch` list is returned, not raised: bulk calls
        report failures per record (or per channel).
        """
        token = await self.token_source.access_token()
        refreshed = False
        rate_waits = 0
        failures = 0
        while True:
            try:
                response = await self.http.request(
                    method,
                    self.api_base + path,
                    params=params,
                    json=json,
                    headers={**(headers or {}), "Authorization": f"Zoho-oauthtoken {token}"},
                )
            except httpx.TransportError as exc:
                self.requests_made += 1
                if method != "POST" and failures < self.server_retries:
                    await self._sleep(self.backoff_seconds * 2**failures)
                    failures += 1
                    continue
                raise RecruitError("NETWORK_ERROR", f"{type(exc).__name__}: {exc}") from exc
            self.requests_made += 1
            status = response.status_code
            body = _json_or_none(response)
            error = error_from_body(body, status)
            if status in (204, 304) or (error is None and status < 400):
                return ApiResponse(status, body, response.headers)

            if isinstance(error, ScopeMismatch):
                raise error

            if status == 401 or isinstance(error, InvalidToken):
                if not refreshed:
                    token = await self.token_source.refreshed()
                    refreshed = True
                    continue
                raise error or InvalidToken("INVALID_TOKEN", "refused after refresh", None, status)

            if status == 429 or isinstance(error, RateLimited):
                delay = _reset_delay(response.headers, time.time())
                if delay is not None and delay <= self.max_rate_wait and rate_waits < _MAX_RATE_WAITS:
                    rate_waits += 1
                    await self._sleep(delay + 0.05)
                    continue
                if delay is None and rate_waits < len(self.own_rate_waits):
                    await self._sleep(self.own_rate_waits[rate_waits])
                    rate_waits += 1
                    continue
                reset_at = datetime.now(UTC) + timedelta(seconds=delay) if delay is not None else None
                code = error.code if error else "TOO_MANY_REQUESTS"
                message = error.message if error else "rate limited"
                raise RateLimited(code, message, error.details if error else None, status, reset_at)

            if status >= 500:
                retriable = method != "POST" or status in _POST_RETRY_STATUSES
                if retriable and failures < self.server_retries:
                    await self._sleep(self.backoff_seconds * 2**failures)
                    failures += 1
                    continue
                raise error or RecruitError("SERVER_ERROR", f"HTTP {status}", None, status)

            if error is None and _per_item_answer(body):
                return ApiResponse(status, body, response.headers)
            raise error or make_error(f"HTTP_{status}", response.reason_phrase, None, status)


def _per_item_answer(body: Any) -> bool:
    return isinstance(body, dict) and any(isinstance(body.get(key), list) for key in ("data", "watch"))


def _json_or_none(response: httpx.Response) -> Any:
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return None
