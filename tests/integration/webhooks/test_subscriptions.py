"""Keeping the Graph subscription and the Recruit channel of a (connection, kind) alive, with their routes."""

from __future__ import annotations

from datetime import timedelta

from sync_core.engine.context import EngineContext
from sync_core.engine.sync_lifecycle.subscriptions import (
    ensure_graph_subscription,
    ensure_recruit_channel,
    remove_graph_subscription,
    remove_recruit_channel,
)
from sync_core.graph import subscriptions as graph_subscriptions
from sync_core.store.connections import Connection
from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.recruit_emulator import RecruitEmulator

from .conftest import CALENDAR, EmulatorClock


def subscription_posts(graph: GraphEmulatorHandle) -> int:
    return int(graph.control_get("stats")["requests"].get("POST /v1.0/subscriptions", 0))


async def test_graph_subscription_is_stored_with_its_route_and_points_at_the_webhook(
    ctx: EngineContext, alice: Connection
) -> None:
    async with ctx.graph(alice) as graph:
        state = await ensure_graph_subscription(ctx, alice, CALENDAR, graph)
        listed = await graph.get_all("/subscriptions", mailbox=None)
    assert state.subscription_id and state.subscription_client_state
    route = await ctx.routes.get("graph", state.subscription_id)
    assert route is not None and route.connection == alice.key and route.kind == "calendar"
    assert route.verify(state.subscription_client_state)
    [subscription] = [s for s in listed if s["id"] == state.subscription_id]
    assert subscription["notificationUrl"] == f"{ctx.settings.public_base_url}/api/webhooks/graph"
    assert subscription["lifecycleNotificationUrl"] == subscription["notificationUrl"]
    assert subscription["changeType"] == "created,deleted,updated"
    assert state.subscription_expires is not None
    assert state.subscription_expires > ctx.clock() + timedelta(minutes=4200)


async def test_enabling_twice_keeps_the_one_valid_subscription(
    ctx: EngineContext, alice: Connection, graph: GraphEmulatorHandle
) -> None:
    async with ctx.graph(alice) as client:
        first = await ensure_graph_subscription(ctx, alice, CALENDAR, client)
        second = await ensure_graph_subscription(ctx, alice, CALENDAR, client)
    assert second.subscription_id == first.subscription_id
    assert subscription_posts(graph) == 1


async def test_subscription_near_expiry_is_renewed_in_place(
    ctx: EngineContext, alice: Connection, clock: EmulatorClock
) -> None:
    async with ctx.graph(alice) as graph:
        first = await ensure_graph_subscription(ctx, alice, CALENDAR, graph)
    clock.advance(timedelta(hours=60))  # 4,230 minutes is 70.5 hours: now within the 12-hour margin
    async with ctx.graph(alice) as graph:
        renewed = await ensure_graph_subscription(ctx, alice, CALENDAR, graph)
    assert renewed.subscription_id == first.subscription_id
    assert renewed.subscription_expires is not None
    assert renewed.subscription_expires > clock() + timedelta(minutes=4200)


async def test_a_gone_subscription_is_recreated_and_its_route_replaced(
    ctx: EngineContext, alice: Connection, graph: GraphEmulatorHandle, clock: EmulatorClock
) -> None:
    async with ctx.graph(alice) as client:
        first = await ensure_graph_subscription(ctx, alice, CALENDAR, client)
    graph.control("lifecycle", {"subscription_id": first.subscription_id, "event": "subscriptionRemoved"})
    clock.advance(timedelta(hours=60))
    async with ctx.graph(alice) as client:
        second = await ensure_graph_subscription(ctx, alice, CALENDAR, client)
    assert second.subscription_id != first.subscription_id
    assert second.subscription_client_state != first.subscription_client_state
    assert await ctx.routes.get("graph", first.subscription_id) is None
    assert await ctx.routes.get("graph", second.subscription_id) is not None


async def test_force_new_replaces_the_subscription_and_deletes_the_old_one(
    ctx: EngineContext, alice: Connection
) -> None:
    async with ctx.graph(alice) as graph:
        first = await ensure_graph_subscription(ctx, alice, CALENDAR, graph)
        second = await ensure_graph_subscription(ctx, alice, CALENDAR, graph, force_new=True)
        listed = {s["id"] for s in await graph.get_all("/subscriptions", mailbox=None)}
    assert second.subscription_id != first.subscription_id
    assert listed == {second.subscription_id}
    assert await ctx.routes.get("graph", first.subscription_id) is None


async def test_an_orphan_subscription_from_a_crashed_attempt_is_replaced_not_duplicated(
    ctx: EngineContext, alice: Connection
) -> None:
    state = await ctx.syncstate.create_if_missing(alice.key, "calendar")
    resource = CALENDAR.subscription_resource(alice.microsoft_user_id, state.container_id)
    url = f"{ctx.settings.public_base_url}/api/webhooks/graph"
    async with ctx.graph(alice) as graph:
        orphan = await graph_subscriptions.create_subscription(
            graph, resource, url, url, "lost", ctx.clock() + timedelta(hours=1)
        )
        adopted = await ensure_graph_subscription(ctx, alice, CALENDAR, graph)
        listed = {s["id"] for s in await graph.get_all("/subscriptions", mailbox=None)}
    assert listed == {adopted.subscription_id} and orphan["id"] not in listed


async def test_removing_the_subscription_clears_state_route_and_graph(
    ctx: EngineContext, alice: Connection
) -> None:
    async with ctx.graph(alice) as graph:
        first = await ensure_graph_subscription(ctx, alice, CALENDAR, graph)
        cleared = await remove_graph_subscription(ctx, alice, CALENDAR, graph)
        again = await remove_graph_subscription(ctx, alice, CALENDAR, graph)
        listed = await graph.get_all("/subscriptions", mailbox=None)
    assert cleared.subscription_id == "" and cleared.subscription_client_state is None
    assert again.subscription_id == ""
    assert listed == []
    assert await ctx.routes.get("graph", first.subscription_id) is None


async def test_recruit_channel_is_opened_with_the_kind_events_and_a_route(
    ctx: EngineContext, alice: Connection
) -> None:
    async with ctx.recruit(alice) as recruit:
        state = await ensure_recruit_channel(ctx, alice, CALENDAR, recruit)
        [channel] = await recruit.list_watches()
    assert str(channel.channel_id) == state.channel_id and 0 < channel.channel_id < 2**48
    assert channel.events == ["Events.all", "Interviews.all"]
    assert channel.notify_url == f"{ctx.settings.public_base_url}/api/webhooks/recruit"
    assert state.channel_token and len(state.channel_token) <= 50
    route = await ctx.routes.get("recruit", state.channel_id)
    assert route is not None and route.verify(state.channel_token)
    # Zoho grants at most a day; the channel must not have been cut down to the one-hour default.
    assert state.channel_expires is not None and state.channel_expires > ctx.clock() + timedelta(hours=23)


async def test_channel_near_expiry_is_renewed_in_place(
    ctx: EngineContext, alice: Connection, clock: EmulatorClock
) -> None:
    async with ctx.recruit(alice) as recruit:
        first = await ensure_recruit_channel(ctx, alice, CALENDAR, recruit)
    clock.advance(timedelta(hours=13))
    async with ctx.recruit(alice) as recruit:
        renewed = await ensure_recruit_channel(ctx, alice, CALENDAR, recruit)
        [channel] = await recruit.list_watches()
    assert renewed.channel_id == first.channel_id
    assert renewed.channel_expires is not None and renewed.channel_expires > clock() + timedelta(hours=23)
    assert channel.channel_expiry is not None and channel.channel_expiry > clock() + timedelta(hours=23)


async def test_an_expired_channel_is_replaced_and_its_route_with_it(
    ctx: EngineContext, alice: Connection, clock: EmulatorClock
) -> None:
    async with ctx.recruit(alice) as recruit:
        first = await ensure_recruit_channel(ctx, alice, CALENDAR, recruit)
    clock.advance(timedelta(hours=30))
    async with ctx.recruit(alice) as recruit:
        second = await ensure_recruit_channel(ctx, alice, CALENDAR, recruit)
        live = [c.channel_id for c in await recruit.list_watches()]
    assert second.channel_id != first.channel_id
    assert live == [int(second.channel_id)]
    assert await ctx.routes.get("recruit", first.channel_id) is None
    assert await ctx.routes.get("recruit", second.channel_id) is not None


async def test_removing_the_channel_stops_it_and_drops_the_route(
    ctx: EngineContext, alice: Connection, recruit: RecruitEmulator
) -> None:
    async with ctx.recruit(alice) as client:
        first = await ensure_recruit_channel(ctx, alice, CALENDAR, client)
        cleared = await remove_recruit_channel(ctx, alice, CALENDAR, client)
        await remove_recruit_channel(ctx, alice, CALENDAR, client)
        live = await client.list_watches()
    assert cleared.channel_id == "" and cleared.channel_token is None
    assert live == []
    assert await ctx.routes.get("recruit", first.channel_id) is None
