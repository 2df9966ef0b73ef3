"""Delivers change and lifecycle notifications to webhook URLs, batching and retrying like Graph does.

Notifications raised within BATCH_WINDOW for one URL share a POST; a failed POST is retried after
RETRY_DELAYS (about two minutes in all), then dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import ssl
from collections import defaultdict
from typing import Any

import httpx

BATCH_WINDOW = 0.08
RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0)
DELIVERY_TIMEOUT = 10.0

log = logging.getLogger(__name__)


@functools.cache
def shared_ssl_context() -> ssl.SSLContext:
    """One context for every outgoing call: httpx builds a new one per client otherwise, which is slow."""
    return ssl.create_default_context()


def outgoing_client(timeout: float) -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=timeout, trust_env=False, verify=shared_ssl_context())


class Notifier:
    def __init__(self) -> None:
        self.pending: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.tasks: set[asyncio.Task[None]] = set()
        self.delivered = 0
        self.failed_attempts = 0

    def enqueue(self, url: str, notification: dict[str, Any]) -> None:
        """Queue one notification; the first one for a URL schedules that URL's batch."""
        first = not self.pending[url]
        self.pending[url].append(notification)
        if first:
            self._spawn(self._flush_later(url))

    def send_now(self, url: str, notification: dict[str, Any]) -> None:
        self._spawn(self._deliver(url, [notification]))

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _flush_later(self, url: str) -> None:
        await asyncio.sleep(BATCH_WINDOW)
        batch = self.pending.pop(url, [])
        if batch:
            await self._deliver(url, batch)

    async def _deliver(self, url: str, batch: list[dict[str, Any]]) -> None:
        async with outgoing_client(DELIVERY_TIMEOUT) as client:
            for delay in (*RETRY_DELAYS, None):
                try:
                    response = await client.post(url, json={"value": batch})
                    if 200 <= response.status_code < 300:
                        self.delivered += len(batch)
                        return
                except httpx.HTTPError as exc:
                    log.info("notification to %s failed: %s", url, exc)
                self.failed_attempts += 1
                if delay is None:
                    log.warning("dropping %d notifications for %s after retries", len(batch), url)
                    return
                await asyncio.sleep(delay)

    async def reset(self) -> None:
        """Drop pending deliveries (the control API's reset)."""
        self.pending.clear()
        tasks = list(self.tasks)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self.tasks.clear()
