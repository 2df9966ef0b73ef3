"""POST /api/webhooks/graph: Graph notifications and lifecycle events become queued requests."""

from __future__ import annotations

from typing import Any

from sync_core.engine.context import EngineContext
from sync_core.engine.sync_lifecycle.subscriptions import ensure_graph_subscription
from sync_core.store.connections import Connection
from sync_core.store.syncstate import SyncState
from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.polling import poll_async

from .conftest import CALENDAR, lifecycle_messages, post, sync_messages


async def subscribe(ctx: EngineContext, connection: Connection) -> SyncState:
    async with ctx.graph(connection) as graph:
        return await ensure_graph_subscription(ctx, connection, CALENDAR, graph)


def hook(ctx: EngineContext) -> str:
    return f"{ctx.settings.public_base_url}/api/webhooks/graph"


def notification(state: SyncState, client_state: str | None, change: str = "updated") -> dict[str, Any]:
    return {
        "subscriptionId": state.subscription_id,
        "clientState": client_state,
        "changeType": change,
        "resource": "Users/x/Events/AAMk1",
        "resourceData": {"id": "AAMk1"},
    }


async def test_an_outlook_change_in_the_calendar_queues_one_sync_request(
    ctx: EngineContext, alice: Connection, graph: GraphEmulatorHandle
) -> None:
    state = await subscribe(ctx, alice)
    token = graph.token_for("alice@contoso.example")
    event = {
        "subject": "Coffee",
        "start": {"dateTime": "2026-12-10T10:00:00", "timeZone": "UTC"},
        "end": {"dateTime": "2026-12-10T11:00:00", "timeZone": "UTC"},
    }
    events = f"{graph.base_url}/v1.0/users/{alice.microsoft_user_id}/calendars/{state.container_id}/events"
    response = await post(events, event, token=token)
    assert response.status_code == 201
    messages = await poll_async(lambda: sync_messages(ctx.settings))
    assert messages == [{"connection": str(alice.key), "kind": "calendar", "reason": "graph_notification"}]


async def test_several_items_for_one_subscription_queue_exactly_one_request(
    ctx: EngineContext, alice: Connection
) -> None:
    state = await subscribe(ctx, alice)
    secret = state.subscription_client_state
    body = {"value": [notification(state, secret, change) for change in ("created", "updated", "updated")]}
    assert (await post(hook(ctx), body)).status_code == 202
    assert sync_messages(ctx.settings) == [
        {"connection": str(alice.key), "kind": "calendar", "reason": "graph_notification"}
    ]


async def test_a_forged_client_state_queues_nothing(ctx: EngineContext, alice: Connection) -> None:
    state = await subscribe(ctx, alice)
    response = await post(hook(ctx), {"value": [notification(state, "guessed")]})
    assert response.status_code == 202
    assert sync_messages(ctx.settings) == []


async def test_an_unknown_subscription_queues_nothing(ctx: EngineContext, alice: Connection) -> None:
    state = await subscribe(ctx, alice)
    stranger = state.model_copy(update={"subscription_id": "00000000-0000-0000-0000-000000000000"})
    response = await post(hook(ctx), {"value": [notification(stranger, state.subscription_client_state)]})
    assert response.status_code == 202
    assert sync_messages(ctx.settings) == []


async def test_a_malformed_body_is_refused_and_queues_nothing(ctx: EngineContext, alice: Connection) -> None:
    await subscribe(ctx, alice)
    for body in (b"not json", b"[]", b'{"value": {}}', b'{"value": [{"clientState": "x"}]}'):
        assert (await post(hook(ctx), body)).status_code == 400, body
    assert sync_messages(ctx.settings) == []


async def test_lifecycle_missed_queues_a_resync(
    ctx: EngineContext, alice: Connection, graph: GraphEmulatorHandle
) -> None:
    state = await subscribe(ctx, alice)
    graph.control("lifecycle", {"subscription_id": state.subscription_id, "event": "missed"})
    messages = await poll_async(lambda: sync_messages(ctx.settings))
    assert messages == [{"connection": str(alice.key), "kind": "calendar", "reason": "resync"}]
    assert lifecycle_messages(ctx.settings) == []


async def test_lifecycle_subscription_removed_queues_a_recreate(
    ctx: EngineContext, alice: Connection, graph: GraphEmulatorHandle
) -> None:
    state = await subscribe(ctx, alice)
    graph.control("lifecycle", {"subscription_id": state.subscription_id, "event": "subscriptionRemoved"})
    messages = await poll_async(lambda: lifecycle_messages(ctx.settings))
    assert messages == [{"connection": str(alice.key), "kind": "calendar", "action": "recreate_subscription"}]
    assert sync_messages(ctx.settings) == []  # the recreate queues the resync once it has a subscription


async def test_lifecycle_reauthorization_required_queues_a_recreate(
    ctx: EngineContext, alice: Connection, graph: GraphEmulatorHandle
) -> None:
    state = await subscribe(ctx, alice)
    graph.control("lifecycle", {"subscription_id": state.subscription_id, "event": "reauthorizationRequired"})
    messages = await poll_async(lambda: lifecycle_messages(ctx.settings))
    assert [m["action"] for m in messages] == ["recreate_subscription"]
