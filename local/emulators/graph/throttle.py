"""Per-mailbox throttling like Outlook's: a request budget per window and a limit on concurrent requests.

Off until the control API sets it. Sits outside the instrumentation, so a slow request holds its slot.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from starlette.types import ASGIApp, Receive, Scope, Send

from .errors import error_response
from .store import Store
from .tokens import TokenRegistry

_USER_PATH = re.compile(r"^/v1\.0/(?:users/([^/]+)|(me))(?:/|$)", re.IGNORECASE)


@dataclass(frozen=True)
class ThrottlePolicy:
    requests_per_window: int | None = None
    window_seconds: float = 600.0
    max_concurrent: int | None = None


class Throttle:
    def __init__(
        self,
        store: Store,
        tokens: TokenRegistry,
        now: Callable[[], datetime],
        on_throttled: Callable[[], None],
    ) -> None:
        self.store = store
        self.tokens = tokens
        self.now = now
        self.on_throttled = on_throttled
        self.reset()

    def reset(self) -> None:
        self.policy = ThrottlePolicy()
        self.windows: dict[str, tuple[datetime, int]] = {}
        self.in_flight: defaultdict[str, int] = defaultdict(int)

    def configure(self, policy: ThrottlePolicy) -> None:
        self.policy = policy
        self.windows.clear()

    def mailbox_of(self, path: str, authorization: str) -> str | None:
        match = _USER_PATH.match(path)
        if not match:
            return None
        if match.group(1):
            mailbox = self.store.mailbox(match.group(1))
            return mailbox.id if mailbox else None
        grant = (
            self.tokens.lookup(authorization[7:].strip())
            if authorization.lower().startswith("bearer ")
            else None
        )
        return grant.user_id if grant else None

    def admit(self, mailbox_id: str) -> tuple[str, int] | None:
        """None when the request may run (and then it holds a slot), else (error code, Retry-After)."""
        policy = self.policy
        if policy.max_concurrent is not None and self.in_flight[mailbox_id] >= policy.max_concurrent:
            return "MailboxConcurrency", 1
        if policy.requests_per_window is not None:
            now = self.now()
            start, count = self.windows.get(mailbox_id, (now, 0))
            if now - start >= timedelta(seconds=policy.window_seconds):
                start, count = now, 0
            if count >= policy.requests_per_window:
                left = (start + timedelta(seconds=policy.window_seconds) - now).total_seconds()
                return "ApplicationThrottled", max(1, math.ceil(left))
            self.windows[mailbox_id] = (start, count + 1)
        self.in_flight[mailbox_id] += 1
        return None


class ThrottleMiddleware:
    def __init__(self, app: ASGIApp, throttle: Throttle) -> None:
        self.app = app
        self.throttle = throttle

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        policy = self.throttle.policy
        if scope["type"] != "http" or (policy.requests_per_window is None and policy.max_concurrent is None):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        authorization = headers.get(b"authorization", b"").decode("latin-1")
        mailbox_id = self.throttle.mailbox_of(scope["path"], authorization)
        if mailbox_id is None:
            await self.app(scope, receive, send)
            return
        refusal = self.throttle.admit(mailbox_id)
        if refusal is not None:
            code, retry_after = refusal
            self.throttle.on_throttled()
            response = error_response(
                429, code, "Application is over its MailboxConcurrency or request limit.",
                {"Retry-After": str(retry_after)},
            )  # fmt: skip
            await response(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self.throttle.in_flight[mailbox_id] -= 1
