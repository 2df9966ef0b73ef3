"""What a pass costs in Recruit credits (one per request, counted per org per day): a callback's pass reads
only the ids it names, an Outlook-started pass reads nothing, the sweep comes once its interval is up (and
less often near the daily budget), and a server without `ids=` is remembered for the org."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sync_core.engine.accounts.account_views import me_view
from sync_core.engine.sync_pass import credits
from sync_core.engine.sync_pass.reconcile import run_pass
from sync_core.store.queues import SyncReason, SyncRequest
from tests.fixtures.in_process import InProcessEngine
from tests.unit.engine import test_pass_in_memory
from tests.unit.engine.test_pass_in_memory import Alice

alice = test_pass_in_memory.alice  # the same fixture: Alice with calendar sync active

SWEEP = timedelta(minutes=15)


def spent(engine: InProcessEngine) -> int:
    return sum(engine.credits.used.values())


def request(alice: Alice, reason: SyncReason, *ids: str, operation: str = "update") -> SyncRequest:
    named = (
        {"recruit_module": "Events", "recruit_ids": list(ids), "recruit_operation": operation} if ids else {}
    )
    return SyncRequest(connection=str(alice.connection.key), kind="calendar", reason=reason, **named)


async def synced_event(alice: Alice, title: str) -> tuple[str, str]:
    """An event made in Recruit and copied by a sweep (which also starts the sweep interval); its two ids."""
    event_id = await alice.recruit_creates_event(title)
    await run_pass(alice.engine, alice.request())
    [event] = [e for e in await alice.outlook_events() if e["subject"] == title]
    await alice.engine.advance(2)
    return event_id, str(event["id"])


async def test_a_callback_pass_reads_only_the_record_it_names(alice: Alice) -> None:
    await synced_event(alice, "Synced before")
    event_id = await alice.recruit_creates_event("Named by the callback")
    before = spent(alice.engine)

    await run_pass(alice.engine, request(alice, "recruit_notification", event_id, operation="insert"))

    assert "Named by the callback" in [e["subject"] for e in await alice.outlook_events()]
    assert spent(alice.engine) - before == 1


async def test_an_outlook_edit_costs_its_write_and_the_echo_one_read(alice: Alice) -> None:
    event_id, graph_id = await synced_event(alice, "Screening call")
    await alice.outlook("PATCH", f"/events/{graph_id}", {"subject": "Screening call (moved)"})
    before = spent(alice.engine)

    await run_pass(alice.engine, request(alice, "graph_notification"))
    await alice.engine.advance(2)
    await run_pass(alice.engine, request(alice, "recruit_notification", event_id))  # our write's callback

    assert spent(alice.engine) - before == 2  # the PUT, and the echo's read of the one id
    [record] = (await alice.recruit("GET", f"/Events/{event_id}"))["data"]
    assert record["Event_Title"] == "Screening call (moved)"
    counters = (await alice.state()).counters
    assert (counters["recruit_updated"], counters.get("graph_updated", 0)) == (1, 0)  # the echo wrote nothing


async def test_a_change_whose_callback_was_lost_syncs_with_the_first_pass_after_the_sweep_interval(
    alice: Alice,
) -> None:
    await synced_event(alice, "Synced before")
    await alice.recruit_creates_event("Callback lost")

    await run_pass(alice.engine, request(alice, "graph_notification"))
    assert "Callback lost" not in [e["subject"] for e in await alice.outlook_events()]

    await alice.engine.advance(SWEEP.total_seconds())
    await run_pass(alice.engine, request(alice, "graph_notification"))
    assert "Callback lost" in [e["subject"] for e in await alice.outlook_events()]


async def test_the_timers_sweep_finds_a_change_whose_callback_was_lost(alice: Alice) -> None:
    await synced_event(alice, "Synced before")
    await alice.recruit_creates_event("Callback lost")
    await alice.engine.advance(SWEEP.total_seconds())
    sweep = request(alice, "sweep")

    await run_pass(alice.engine, sweep)

    assert "Callback lost" in [e["subject"] for e in await alice.outlook_events()]
    state = await alice.state()
    assert not credits.sweep_due(state, alice.engine.clock(), SWEEP)
    assert credits.sweep_due(state, alice.engine.clock() + SWEEP, SWEEP)


async def test_where_ids_is_not_supported_one_get_per_id_and_the_org_is_remembered(alice: Alice) -> None:
    await synced_event(alice, "Synced before")
    async with alice.engine.recruit_http() as control:
        (await control.post("/_emulator/features", json={"ids_param": False})).raise_for_status()
    first = [await alice.recruit_creates_event(f"Read one by one {n}") for n in range(2)]
    before = spent(alice.engine)

    await run_pass(alice.engine, request(alice, "recruit_notification", *first, operation="insert"))
    assert spent(alice.engine) - before == 1 + 2  # the ignored `ids=` listing, then one GET per id

    await alice.engine.advance(2)
    second = [await alice.recruit_creates_event(f"Read one by one {n}") for n in range(2, 4)]
    before = spent(alice.engine)
    await run_pass(alice.engine, request(alice, "recruit_notification", *second, operation="insert"))
    assert spent(alice.engine) - before == 2  # learnt for the org: no second try of `ids=`

    subjects = [e["subject"] for e in await alice.outlook_events()]
    assert all(f"Read one by one {n}" in subjects for n in range(4))


@pytest.mark.parametrize(("used", "minutes"), [(0, 15), (3999, 15), (4000, 60), (9000, 60)])
def test_sweeps_come_four_times_less_often_from_80_percent_of_the_budget(used: int, minutes: int) -> None:
    engine = InProcessEngine()
    engine.settings = engine.settings.model_copy(update={"recruit_daily_credit_budget": 5000})
    assert credits.interval_for(engine, used) == timedelta(minutes=minutes)


def test_without_a_budget_sweeps_keep_their_interval() -> None:
    engine = InProcessEngine()
    engine.settings = engine.settings.model_copy(update={"recruit_daily_credit_budget": 0})
    assert credits.interval_for(engine, 10**6) == SWEEP


async def test_the_manage_page_shows_the_orgs_credits_spent_today(alice: Alice) -> None:
    await synced_event(alice, "Synced before")

    me = await me_view(alice.engine, alice.connection.key)

    assert me["recruit_credits_today"] == spent(alice.engine) > 0
    assert me["recruit_daily_credit_budget"] == alice.engine.settings.recruit_daily_credit_budget


async def test_a_calendar_sweep_with_nothing_changed_costs_four_credits(alice: Alice) -> None:
    await synced_event(alice, "Synced before")
    before = spent(alice.engine)

    await run_pass(alice.engine, request(alice, "sweep"))

    assert spent(alice.engine) - before == 4  # modified-since and deleted, for Events and for Interviews
