"""Several days of renewal rounds on the emulators' clocks: the subscription and the channel stay alive, and
changes on both sides still reach the webhooks at the end."""

from __future__ import annotations

from datetime import timedelta

from sync_core.engine.context import EngineContext
from sync_core.engine.sync_lifecycle.renewals import run_renewals
from sync_core.engine.sync_lifecycle.subscriptions import ensure_graph_subscription, ensure_recruit_channel
from sync_core.store.connections import Connection
from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.polling import poll_async
from tests.fixtures.recruit_emulator import RecruitEmulator

from .conftest import CALENDAR, EmulatorClock, kind_for, post, sync_messages

DAYS = 6
STEP = timedelta(hours=5)  # the timer runs every 5 minutes; coarser steps still leave room before expiry


async def test_six_days_of_rounds_keep_the_subscription_and_channel_alive_and_notifying(
    ctx: EngineContext,
    alice: Connection,
    clock: EmulatorClock,
    graph: GraphEmulatorHandle,
    recruit: RecruitEmulator,
) -> None:
    async with ctx.graph(alice) as client:
        await ensure_graph_subscription(ctx, alice, CALENDAR, client)
    async with ctx.recruit(alice) as client:
        await ensure_recruit_channel(ctx, alice, CALENDAR, client)

    for _ in range(int(timedelta(days=DAYS) / STEP)):
        clock.advance(STEP)
        report = await run_renewals(ctx, kind_for)
        assert report.failures == 0

    state = await ctx.syncstate.get(alice.key, "calendar")
    assert state is not None and state.subscription_expires and state.channel_expires
    assert state.subscription_expires > clock() + timedelta(hours=24)
    assert state.channel_expires > clock() + timedelta(hours=12)
    # The proof that both are alive: a change on each side, days later, still reaches our webhooks.
    for queued in sync_messages(ctx.settings):
        assert queued["reason"] == "sweep"  # the round's own catch-up sweeps, not notifications
    drain = await ctx.storage.queue(ctx.settings.queue_sync_requests)
    await drain.clear_messages()
    start = (clock() + timedelta(days=1)).strftime("%Y-%m-%dT10:00:00")
    event = {
        "subject": "Days later",
        "start": {"dateTime": start, "timeZone": "UTC"},
        "end": {"dateTime": start.replace("T10", "T11"), "timeZone": "UTC"},
    }
    events = f"{graph.base_url}/v1.0/users/{alice.microsoft_user_id}/calendars/{state.container_id}/events"
    assert (await post(events, event, token=graph.token_for(alice.email))).status_code == 201
    messages = await poll_async(lambda: sync_messages(ctx.settings))
    assert messages == [{"connection": str(alice.key), "kind": "calendar", "reason": "graph_notification"}]

    await drain.clear_messages()
    with recruit.client_for(alice.email) as client:
        record = {"Event_Title": "Days later too", "Start_DateTime": f"{start}Z", "End_DateTime": f"{start}Z"}
        record["End_DateTime"] = record["End_DateTime"].replace("T10", "T11")
        client.post("/Events", json={"data": [record]}).raise_for_status()
    [message] = await poll_async(lambda: sync_messages(ctx.settings))
    assert message["connection"] == str(alice.key) and message["kind"] == "calendar"
