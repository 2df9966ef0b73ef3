"""The renewal timer's round: subscriptions and channels kept alive by the emulators' clocks, sweeps and
window slides queued, and one broken connection never stopping the others."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sync_core.engine.context import EngineContext
from sync_core.engine.sync_kinds import registry
from sync_core.engine.sync_kinds.kinds import SyncKind
from sync_core.engine.sync_lifecycle.renewals import run_renewals
from sync_core.engine.sync_lifecycle.subscriptions import ensure_graph_subscription, ensure_recruit_channel
from sync_core.engine.sync_pass import credits
from sync_core.store.connections import Connection
from sync_core.store.syncstate import SyncState

from .conftest import CALENDAR, EmulatorClock, kind_for, sync_messages


async def subscribed(ctx: EngineContext, connection: Connection) -> SyncState:
    async with ctx.graph(connection) as graph:
        await ensure_graph_subscription(ctx, connection, CALENDAR, graph)
    async with ctx.recruit(connection) as recruit:
        return await ensure_recruit_channel(ctx, connection, CALENDAR, recruit)


async def synced_now(ctx: EngineContext, connection: Connection) -> None:
    """A pass that swept Recruit has just run."""

    def stamp(state: SyncState) -> SyncState:
        swept = {**state.counters, credits.LAST_RECRUIT_SWEEP: int(ctx.clock().timestamp())}
        return state.model_copy(update={"last_sync": ctx.clock(), "counters": swept})

    await ctx.syncstate.modify(connection.key, "calendar", stamp)


async def test_a_round_days_later_renews_the_subscription_and_replaces_the_lapsed_channel(
    ctx: EngineContext, alice: Connection, clock: EmulatorClock
) -> None:
    before = await subscribed(ctx, alice)
    clock.advance(timedelta(hours=60))
    report = await run_renewals(ctx, kind_for)
    after = await ctx.syncstate.get(alice.key, "calendar")
    assert after is not None and report.failures == 0
    assert after.subscription_id == before.subscription_id
    assert after.subscription_expires is not None
    assert after.subscription_expires > clock() + timedelta(hours=70)
    assert after.channel_id != before.channel_id  # a day-long channel has lapsed after 60 hours
    assert after.channel_expires is not None and after.channel_expires > clock() + timedelta(hours=23)
    assert await ctx.routes.get("recruit", after.channel_id) is not None


async def test_a_round_with_nothing_near_expiry_changes_nothing(
    ctx: EngineContext, alice: Connection
) -> None:
    before = await subscribed(ctx, alice)
    await synced_now(ctx, alice)
    report = await run_renewals(ctx, kind_for)
    after = await ctx.syncstate.get(alice.key, "calendar")
    assert (report.subscriptions_renewed, report.channels_renewed, report.sweeps_queued) == (0, 0, 0)
    assert after is not None and after.subscription_expires == before.subscription_expires
    assert sync_messages(ctx.settings) == []


async def test_an_active_connection_gets_a_sweep_once_per_interval(
    ctx: EngineContext, alice: Connection, clock: EmulatorClock
) -> None:
    await subscribed(ctx, alice)
    await synced_now(ctx, alice)
    clock.advance(timedelta(hours=7))
    await run_renewals(ctx, kind_for)
    await run_renewals(ctx, kind_for)
    assert sync_messages(ctx.settings) == [
        {"connection": str(alice.key), "kind": "calendar", "reason": "sweep"}
    ]


async def test_a_sweep_is_queued_once_recruit_sweep_minutes_have_passed_since_the_last(
    ctx: EngineContext, alice: Connection, clock: EmulatorClock
) -> None:
    await subscribed(ctx, alice)
    await synced_now(ctx, alice)
    clock.advance(timedelta(minutes=ctx.settings.recruit_sweep_minutes - 2))
    assert (await run_renewals(ctx, kind_for)).sweeps_queued == 0
    clock.advance(timedelta(minutes=2))
    assert (await run_renewals(ctx, kind_for)).sweeps_queued == 1


async def test_near_the_orgs_daily_credit_budget_sweeps_come_four_times_less_often(
    ctx: EngineContext, alice: Connection, clock: EmulatorClock
) -> None:
    # The count is per UTC day: start early in one, so the test's hour never crosses midnight.
    clock.advance(datetime.combine(clock().date() + timedelta(days=1), time(1), UTC) - clock())
    await subscribed(ctx, alice)
    await synced_now(ctx, alice)
    budget = ctx.settings.recruit_daily_credit_budget
    await ctx.credits.add(
        alice.org_id, int(budget * 0.8) - await ctx.credits.used_today(alice.org_id, ctx.clock()), ctx.clock()
    )
    clock.advance(timedelta(minutes=ctx.settings.recruit_sweep_minutes))
    assert (await run_renewals(ctx, kind_for)).sweeps_queued == 0
    clock.advance(timedelta(minutes=3 * ctx.settings.recruit_sweep_minutes))
    assert (await run_renewals(ctx, kind_for)).sweeps_queued == 1


async def test_a_calendar_window_slid_by_a_month_queues_a_resync(
    ctx: EngineContext, alice: Connection
) -> None:
    await subscribed(ctx, alice)
    past_days = ctx.settings.delta_window_past_days

    def slid(state: SyncState) -> SyncState:
        start = ctx.clock() - timedelta(days=past_days + 31)
        return state.model_copy(update={"delta_window_start": start, "last_sync": ctx.clock()})

    await ctx.syncstate.modify(alice.key, "calendar", slid)
    await run_renewals(ctx, kind_for)
    assert sync_messages(ctx.settings) == [
        {"connection": str(alice.key), "kind": "calendar", "reason": "resync"}
    ]


async def test_one_broken_connection_is_logged_and_the_others_still_renewed(
    ctx: EngineContext, alice: Connection, clock: EmulatorClock
) -> None:
    before = await subscribed(ctx, alice)
    broken = await ctx.connections.upsert(Connection(org_id="874920001", user_id="461233000000199999"))

    def active(state: SyncState) -> SyncState:
        return state.model_copy(update={"status": "active", "container_id": "gone"})

    await ctx.syncstate.modify(broken.key, "calendar", active)
    clock.advance(timedelta(hours=60))
    report = await run_renewals(ctx, kind_for)
    after = await ctx.syncstate.get(alice.key, "calendar")
    assert report.failures == 1 and report.connections == 2
    assert after is not None and after.channel_id != before.channel_id
    [entry] = (await ctx.synclog.recent(broken.key)).entries
    assert (entry.kind, entry.level, entry.type) == ("calendar", "error", "failure")


async def test_disabled_kinds_are_left_alone(
    ctx: EngineContext, alice: Connection, clock: EmulatorClock
) -> None:
    def disabled(state: SyncState) -> SyncState:
        return state.model_copy(update={"status": "disabled"})

    await ctx.syncstate.modify(alice.key, "calendar", disabled)
    clock.advance(timedelta(days=3))
    report = await run_renewals(ctx, kind_for)
    state = await ctx.syncstate.get(alice.key, "calendar")
    assert (report.subscriptions_renewed, report.channels_renewed) == (0, 0)
    assert state is not None and state.subscription_id == "" and state.channel_id == ""


async def test_the_round_purges_sign_in_flows_that_expired_unused(ctx: EngineContext) -> None:
    now = ctx.clock()
    await ctx.oauth_states.put("stale", {"user": "a"}, now - timedelta(minutes=1))
    await ctx.oauth_states.put("fresh", {"user": "b"}, now + timedelta(minutes=10))
    report = await run_renewals(ctx, kind_for)
    assert report.oauth_states_purged == 1
    assert await ctx.oauth_states.take("fresh", ctx.clock()) == {"user": "b"}


async def test_the_product_kinds_renew_through_the_same_round(
    ctx: EngineContext, alice: Connection, clock: EmulatorClock
) -> None:
    def product_kind(name: str) -> SyncKind:
        return registry.kind_for(name, ctx.settings)

    before = await subscribed(ctx, alice)
    clock.advance(timedelta(hours=60))
    report = await run_renewals(ctx, product_kind)
    after = await ctx.syncstate.get(alice.key, "calendar")
    assert report.failures == 0
    assert after is not None and after.subscription_id == before.subscription_id
    async with ctx.recruit(alice) as recruit:
        [channel] = await recruit.list_watches()
    assert str(channel.channel_id) == after.channel_id
    assert set(channel.events) == set(product_kind("calendar").watch_events)


async def test_a_lapsed_channel_replaced_by_the_round_queues_a_catch_up_sweep(
    ctx: EngineContext, alice: Connection, clock: EmulatorClock
) -> None:
    await subscribed(ctx, alice)
    clock.advance(timedelta(hours=30))  # the channel lapsed; the subscription is still far from expiry
    await synced_now(ctx, alice)  # a pass just ran, so no sweep is due by the clock
    report = await run_renewals(ctx, kind_for)
    assert (report.subscriptions_renewed, report.channels_renewed) == (0, 1)
    assert sync_messages(ctx.settings) == [
        {"connection": str(alice.key), "kind": "calendar", "reason": "sweep"}
    ]
