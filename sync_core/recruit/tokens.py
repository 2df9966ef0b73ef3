"""Where the Recruit client gets access tokens: a small protocol the engine implements over the store.

`InMemoryTokenSource` is the plain implementation (tests, tools): it refreshes through the accounts server.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Protocol

import httpx

from sync_core.config import Settings

from .errors import InvalidToken
from .oauth import RecruitTokens, refresh


class TokenSource(Protocol):
    async def access_token(self) -> str:
        """A current access token (may be cached)."""
        ...

    async def refreshed(self) -> str:
        """A freshly refreshed access token, persisted by the implementation before it returns."""
        ...


class InMemoryTokenSource:
    """Holds one user's tokens; refreshes early and on demand, once at a time; `on_refresh` persists."""

    def __init__(
        self,
        tokens: RecruitTokens,
        *,
        settings: Settings | None = None,
        on_refresh: Callable[[RecruitTokens], Awaitable[None]] | None = None,
        http: httpx.AsyncClient | None = None,
        refresh_margin_seconds: float = 300,
    ) -> None:
        self.tokens = tokens
        self._settings = settings
        self._on_refresh = on_refresh
        self._http = http
        self._margin = refresh_margin_seconds
        self._lock = asyncio.Lock()
        self.refresh_count = 0

    async def access_token(self) -> str:
        if self.tokens.expires_within(self._margin):
            return await self.refreshed()
        return self.tokens.access_token

    async def refreshed(self) -> str:
        stale = self.tokens.access_token
        async with self._lock:
            # Another task refreshed while we waited for the lock: use its token.
            if self.tokens.access_token != stale:
                return self.tokens.access_token
            if not self.tokens.refresh_token:
                raise InvalidToken("INVALID_TOKEN", "no refresh token to renew the access token")
            self.tokens = await refresh(
                self.tokens.accounts_server,
                self.tokens.refresh_token,
                settings=self._settings,
                http=self._http,
            )
            self.refresh_count += 1
            if self._on_refresh is not None:
                await self._on_refresh(self.tokens)
            return self.tokens.access_token
