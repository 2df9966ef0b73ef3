"""The storage probe behind GET /api/health.

Lists at most one table within a short deadline; any failure means "unreachable".
"""

from __future__ import annotations

import asyncio

from sync_core.config import Settings

from .clients import StorageContext

PROBE_SECONDS = 5.0


async def _probe(settings: Settings) -> None:
    async with StorageContext(settings) as storage:
        async for _ in storage.tables.list_tables(results_per_page=1).by_page():
            break


async def storage_reachable(settings: Settings, deadline_seconds: float = PROBE_SECONDS) -> bool:
    try:
        await asyncio.wait_for(_probe(settings), deadline_seconds)
    # A health probe reports every failure (network, auth, config, timeout) as "down" rather than raising.
    except Exception:
        return False
    return True
