"""Per-user API budget per emulator-clock minute, switched on by `POST /_emulator/ratelimit`, and the filter
that keeps rate-limit headers off every answer unless the `ratelimit_headers` feature is on.

Zoho counts credits per call; here every API request costs one. A live probe of Recruit saw no
`X-RATELIMIT-*` and no `Retry-After` (API-NOTES "Limits"): without headers is the default.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_RATE_HEADERS = (b"retry-after", b"x-ratelimit-limit", b"x-ratelimit-remaining", b"x-ratelimit-reset")


@dataclass
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    reset_epoch_ms: int


@dataclass
class RateLimiter:
    per_minute: int | None = None
    _used: Counter[tuple[str, int]] = field(default_factory=Counter)

    def configure(self, per_minute: int | None) -> None:
        self.per_minute = per_minute
        self._used.clear()

    def charge(self, user_id: str, now: datetime) -> Verdict | None:
        """None when limits are off; otherwise whether this request fits the user's current minute."""
        if self.per_minute is None:
            return None
        window = int(now.timestamp()) // 60
        reset_ms = (window + 1) * 60_000
        used = self._used[(user_id, window)]
        if used >= self.per_minute:
            return Verdict(False, self.per_minute, 0, reset_ms)
        self._used[(user_id, window)] = used + 1
        return Verdict(True, self.per_minute, self.per_minute - used - 1, reset_ms)


class RateLimitHeaderFilter:
    """Drops `Retry-After` and `X-RATELIMIT-*` from every answer while `headers_on()` is false (injected
    faults included: the shared fault injector adds `Retry-After` to each 429 it makes)."""

    def __init__(self, app: ASGIApp, headers_on: Callable[[], bool]) -> None:
        self.app = app
        self.headers_on = headers_on

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.headers_on():
            await self.app(scope, receive, send)
            return

        async def filtered(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in _RATE_HEADERS]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, filtered)
