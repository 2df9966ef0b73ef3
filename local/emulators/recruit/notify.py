"""Watch-channel callbacks: after a write, POST a small JSON to every live channel that watches it.

Delivery runs in background tasks (a writer never waits) and retries a failing notify_url with backoff.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Callable
from datetime import datetime
from typing import Any

import httpx

from .state import RecruitState
from .writes import Change

# Seconds to wait before each retry after a failed delivery (connection error or non-2xx answer).
RETRY_DELAYS = (0.2, 0.5, 1.0)
DELIVERY_TIMEOUT = 5.0
# One SSL context for all deliveries: httpx builds a fresh one per client otherwise (~0.1 s each).
_SSL_CONTEXT = ssl.create_default_context()


class Notifier:
    def __init__(self, state: Callable[[], RecruitState]) -> None:
        self._state = state
        self._tasks: set[asyncio.Task[None]] = set()
        self.log: list[dict[str, Any]] = []

    def publish(self, change: Change, api_base: str, now: datetime) -> int:
        """Schedules the callbacks for `change`; returns how many channels will be told."""
        if not change.ids:
            return 0
        channels = [
            channel
            for channel in self._state().channels.values()
            if channel.org_id == change.org_id
            and channel.expiry > now
            and channel.watches(change.module, change.operation)
        ]
        for channel in channels:
            body = {
                "server_time": int(now.timestamp() * 1000),
                "query_params": {},
                "module": change.module,
                "resource_uri": f"{api_base}/{change.module}",
                "ids": list(change.ids),
                "affected_fields": list(change.affected_fields),
                "operation": change.operation,
                "channel_id": channel.channel_id,
                "token": channel.token,
            }
            entry: dict[str, Any] = {
                "channel_id": channel.channel_id,
                "module": change.module,
                "operation": change.operation,
                "ids": list(change.ids),
                "attempts": 0,
                "delivered": False,
            }
            self.log.append(entry)
            task = asyncio.get_running_loop().create_task(self._deliver(channel.notify_url, body, entry))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return len(channels)

    async def _deliver(self, url: str, body: dict[str, Any], entry: dict[str, Any]) -> None:
        async with httpx.AsyncClient(
            timeout=DELIVERY_TIMEOUT, trust_env=False, verify=_SSL_CONTEXT
        ) as client:
            for delay in (0.0, *RETRY_DELAYS):
                if delay:
                    await asyncio.sleep(delay)
                entry["attempts"] += 1
                try:
                    response = await client.post(url, json=body)
                except httpx.HTTPError as exc:
                    entry["last_error"] = type(exc).__name__
                    continue
                entry["last_status"] = response.status_code
                if response.is_success:
                    entry["delivered"] = True
                    return

    def reset(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        self._tasks.clear()
        self.log.clear()
