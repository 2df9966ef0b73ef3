"""Finding "a restart during disable blocks re-enable": a teardown left unfinished resumes from its own check
message, and Enable pressed during `disabling` starts once the teardown is done (through the dev host)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from sync_core.engine.context import EngineContext
from sync_core.store.queues import LifecycleRequest
from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.stack import Stack
from tests.integration.product_api.conftest import csrf_headers, key_of, sign_in

from .test_own_containers import ALICE, Outlook, eventually

pytestmark = pytest.mark.e2e


async def _enable_calendar(browser: httpx.AsyncClient) -> None:
    await sign_in(browser, ALICE)
    assert (await browser.post("/api/sync/calendar/enable", headers=csrf_headers(browser))).status_code == 202

    async def me() -> dict[str, Any]:
        return dict((await browser.get("/api/me")).json())

    await eventually(me, lambda m: m["calendar"]["status"] == "active", "calendar active")


async def _crash_mid_teardown(product: EngineContext) -> None:
    """What a worker killed during a teardown leaves: `disabling` since 2 minutes, and the check it queued."""
    since = datetime.now(UTC) - timedelta(minutes=2)
    await product.syncstate.modify(
        key_of(ALICE),
        "calendar",
        lambda s: s.model_copy(update={"status": "disabling", "disabling_since": since}),
    )
    check = LifecycleRequest(connection=str(key_of(ALICE)), kind="calendar", action="teardown")
    await product.queues.send_lifecycle(check)


async def test_a_teardown_interrupted_by_a_crash_is_finished_by_its_check(
    fresh_stack: Stack, browser: httpx.AsyncClient, product: EngineContext, graph: GraphEmulatorHandle
) -> None:
    await _enable_calendar(browser)
    await _crash_mid_teardown(product)

    async def status() -> str:
        state = await product.syncstate.get(key_of(ALICE), "calendar")
        return state.status if state else "missing"

    await eventually(status, lambda s: s == "disabled", "the teardown to finish")
    assert "Zoho Recruit" not in await Outlook(graph).names("calendars", "name")


async def test_enable_pressed_while_disabling_starts_after_the_teardown(
    fresh_stack: Stack, browser: httpx.AsyncClient, product: EngineContext
) -> None:
    await _enable_calendar(browser)
    await _crash_mid_teardown(product)

    answer = await browser.post("/api/sync/calendar/enable", headers=csrf_headers(browser))

    assert answer.status_code == 202
    seen: list[str] = []

    async def status() -> str:
        value = str((await browser.get("/api/me")).json()["calendar"]["status"])
        seen.append(value)
        return value

    await eventually(status, lambda s: s == "active" and "disabling" in seen, "the enable after the teardown")
