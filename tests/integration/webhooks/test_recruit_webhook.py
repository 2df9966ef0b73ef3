"""POST /api/webhooks/recruit: a watch callback with the channel's token queues a sync of the ids it names."""

from __future__ import annotations

from typing import Any

from sync_core.engine.context import EngineContext
from sync_core.engine.sync_lifecycle.subscriptions import ensure_recruit_channel
from sync_core.store.connections import Connection
from sync_core.store.syncstate import SyncState
from tests.fixtures.polling import poll_async
from tests.fixtures.recruit_emulator import RecruitEmulator

from .conftest import ALICE, CALENDAR, post, sync_messages


async def open_channel(ctx: EngineContext, connection: Connection) -> SyncState:
    async with ctx.recruit(connection) as recruit:
        return await ensure_recruit_channel(ctx, connection, CALENDAR, recruit)


def hook(ctx: EngineContext) -> str:
    return f"{ctx.settings.public_base_url}/api/webhooks/recruit"


def callback(state: SyncState, token: str | None) -> dict[str, Any]:
    return {
        "server_time": 1764000000000,
        "query_params": {},
        "module": "Events",
        "resource_uri": "https://recruit.zoho.com/recruit/v2/Events",
        "ids": ["461233000000300001"],
        "affected_fields": [],
        "operation": "update",
        "channel_id": int(state.channel_id),
        "token": token,
    }


async def test_an_event_created_in_recruit_queues_a_sync_of_its_id(
    ctx: EngineContext, alice: Connection, recruit: RecruitEmulator
) -> None:
    await open_channel(ctx, alice)
    event = {
        "Event_Title": "Screening call",
        "Start_DateTime": "2026-12-10T10:00:00+05:30",
        "End_DateTime": "2026-12-10T11:00:00+05:30",
    }
    with recruit.client_for(ALICE) as client:
        response = client.post("/Events", json={"data": [event], "trigger": []})
    assert response.status_code == 201
    event_id = response.json()["data"][0]["details"]["id"]
    messages = await poll_async(lambda: sync_messages(ctx.settings))
    assert messages == [
        {
            "connection": str(alice.key),
            "kind": "calendar",
            "reason": "recruit_notification",
            "recruit_module": "Events",
            "recruit_ids": [event_id],
            "recruit_operation": "insert",
        }
    ]


async def test_a_callback_with_the_right_token_carries_module_ids_and_operation(
    ctx: EngineContext, alice: Connection
) -> None:
    state = await open_channel(ctx, alice)
    response = await post(hook(ctx), callback(state, state.channel_token))
    assert response.status_code == 202
    [message] = sync_messages(ctx.settings)
    assert (message["recruit_module"], message["recruit_ids"], message["recruit_operation"]) == (
        "Events",
        ["461233000000300001"],
        "update",
    )


async def test_a_wrong_token_queues_nothing(ctx: EngineContext, alice: Connection) -> None:
    state = await open_channel(ctx, alice)
    assert (await post(hook(ctx), callback(state, "guessed"))).status_code == 202
    assert sync_messages(ctx.settings) == []


async def test_an_unknown_channel_queues_nothing(ctx: EngineContext, alice: Connection) -> None:
    state = await open_channel(ctx, alice)
    stranger = state.model_copy(update={"channel_id": "12345"})
    assert (await post(hook(ctx), callback(stranger, state.channel_token))).status_code == 202
    assert sync_messages(ctx.settings) == []


async def test_a_malformed_callback_is_refused_and_queues_nothing(
    ctx: EngineContext, alice: Connection
) -> None:
    state = await open_channel(ctx, alice)
    without_token = callback(state, None)
    bad_ids = {**callback(state, state.channel_token), "ids": "461233000000300001"}
    for body in (b"{", b"[1]", without_token, bad_ids):
        assert (await post(hook(ctx), body)).status_code == 400, body
    assert sync_messages(ctx.settings) == []
