"""The webhook functions as the Functions host serves them: the dev host over HTTP, product settings."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from sync_core.config import Settings
from sync_core.engine.context import EngineContext
from sync_core.engine.sync_lifecycle.subscriptions import ensure_graph_subscription
from sync_core.store.clients import StorageContext
from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.recruit_emulator import RecruitEmulator
from tests.fixtures.stack import Stack

from .conftest import CALENDAR, EmulatorClock, connect, post, with_calendar

pytestmark = pytest.mark.e2e

TOKEN = "Validation: Testing client application reachability for subscription Request-Id: 4b7f&x=1 ü"


async def test_validation_handshake_answers_the_decoded_token_as_plain_text(stack: Stack) -> None:
    url = stack.url(f"/api/webhooks/graph?validationToken={quote(TOKEN)}")
    response = await post(url, b"")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text == TOKEN


async def test_an_overlong_validation_token_is_refused(stack: Stack) -> None:
    response = await post(stack.url("/api/webhooks/graph"), b"", params={"validationToken": "x" * 2000})
    assert response.status_code == 400


async def test_unknown_senders_get_202_and_malformed_bodies_400(stack: Stack) -> None:
    graph_hook, recruit_hook = stack.url("/api/webhooks/graph"), stack.url("/api/webhooks/recruit")
    unknown = {"value": [{"subscriptionId": "no-such-subscription", "clientState": "x"}]}
    assert (await post(graph_hook, unknown)).status_code == 202
    assert (await post(graph_hook, b"{not json")).status_code == 400
    callback = {"channel_id": 42, "token": "x", "module": "Events", "ids": ["1"], "operation": "insert"}
    assert (await post(recruit_hook, callback)).status_code == 202
    assert (await post(recruit_hook, b"[]")).status_code == 400


async def test_a_subscription_pointing_at_the_dev_host_passes_graph_validation(
    stack: Stack,
    settings: Settings,
    graph: GraphEmulatorHandle,
    recruit: RecruitEmulator,
    clock: EmulatorClock,
) -> None:
    on_stack = settings.model_copy(update={"public_base_url": stack.base_url})
    ctx = EngineContext(on_stack, StorageContext(on_stack), clock=clock)
    try:
        alice = await connect(ctx, graph, recruit)
        await with_calendar(ctx, alice)
        async with ctx.graph(alice) as client:
            state = await ensure_graph_subscription(ctx, alice, CALENDAR, client)
            [subscription] = await client.get_all("/subscriptions", mailbox=None)
    finally:
        await ctx.close()
    assert subscription["id"] == state.subscription_id
    assert subscription["notificationUrl"] == stack.url("/api/webhooks/graph")
