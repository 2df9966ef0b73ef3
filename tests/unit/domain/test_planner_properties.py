"""Property tests of the planner against a simulated world: random edit histories on both sides, with crashes.

After every round both sides agree, planning again plans no writes, and replayed inputs change nothing.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync_core.domain.items import JsonValue
from tests.unit.domain.world import World, shuffled_twice, writes

texts = st.sampled_from([None, "", "Call", "Call  ", "Call\r\nNotes", "Call\nNotes", "Room 1", "Zoë"])
instant = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
starts = st.sampled_from(
    [
        None,
        instant,
        instant.astimezone(timezone(timedelta(hours=5, minutes=30))),  # the same moment, other zone
        instant + timedelta(hours=1),
    ]
)
reminders = st.sampled_from([None, 0, 15, 15.0, 30])


def field_values(names: list[str]) -> st.SearchStrategy[dict[str, JsonValue]]:
    value_of: dict[str, st.SearchStrategy[Any]] = {
        "subject": texts,
        "location": texts,
        "participants": texts,
        "online_link": texts,
        "start": starts,
        "reminder": reminders,
    }
    return st.fixed_dictionaries({}, optional={name: value_of[name] for name in names})


RECRUIT_EDITABLE = ["subject", "start", "location", "reminder", "participants"]
OUTLOOK_EDITABLE = ["subject", "start", "location", "reminder", "online_link"]
ALL = sorted({*RECRUIT_EDITABLE, *OUTLOOK_EDITABLE})

pick = st.integers(min_value=0, max_value=50)
operations = st.one_of(
    st.tuples(st.just("recruit_create"), st.sampled_from(["Events", "Interviews"]), field_values(ALL)),
    st.tuples(st.just("recruit_edit"), pick, field_values(RECRUIT_EDITABLE)),
    st.tuples(st.just("recruit_delete"), pick),
    st.tuples(st.just("recruit_leaves_scope"), pick),
    st.tuples(st.just("outlook_create"), field_values(OUTLOOK_EDITABLE)),
    st.tuples(st.just("outlook_edit"), pick, field_values(OUTLOOK_EDITABLE)),
    st.tuples(st.just("outlook_delete"), pick),
)
# A round: what users do, then optionally a crash after some apply steps and what users do before the retry.
crashes = st.none() | st.tuples(st.integers(min_value=0, max_value=8), st.lists(operations, max_size=3))
rounds = st.lists(st.tuples(st.lists(operations, max_size=6), crashes), min_size=1, max_size=5)


def perform(world: World, operation: tuple[Any, ...]) -> None:
    kind = operation[0]
    live_records = sorted(key for key, record in world.recruit.items() if record.in_scope)
    live_items = sorted(world.outlook)
    if kind == "recruit_create":
        world.recruit_user_creates(operation[1], operation[2])
    elif kind == "outlook_create":
        world.outlook_user_creates(operation[1])
    elif kind.startswith("recruit_") and live_records:
        key = live_records[operation[1] % len(live_records)]
        if kind == "recruit_edit":
            world.recruit_user_edits(key, operation[2])
        elif kind == "recruit_delete":
            world.recruit_user_deletes(key)
        else:
            world.recruit_record_leaves_scope(key)
    elif kind.startswith("outlook_") and live_items:
        graph_id = live_items[operation[1] % len(live_items)]
        if kind == "outlook_edit":
            world.outlook_user_edits(graph_id, operation[2])
        else:
            world.outlook_user_deletes(graph_id)


def run_round(world: World, ops: list[tuple[Any, ...]], crash: tuple[int, list] | None) -> tuple[list, list]:
    """Run one round; return the inputs its last (completed) pass consumed."""
    for operation in ops:
        perform(world, operation)
    if crash is not None:
        crash_after_steps, ops_before_retry = crash
        world.sync(crash_after_steps=crash_after_steps)
        for operation in ops_before_retry:
            perform(world, operation)
    last_inputs = (list(world.recruit_feed), list(world.graph_feed))
    world.sync()
    return last_inputs


# PLANNER_EXAMPLES=5000 for a deep run; the default keeps the suite fast.
property_settings = settings(
    max_examples=int(os.environ.get("PLANNER_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@property_settings
@given(rounds)
def test_after_a_pass_both_sides_agree_and_every_item_is_linked(history: list) -> None:
    world = World()
    for ops, crash in history:
        run_round(world, ops, crash)
        world.sync_until_quiet()
        assert world.disagreements() == []


@property_settings
@given(rounds)
def test_planning_again_with_the_echoes_of_our_writes_plans_nothing(history: list) -> None:
    world = World()
    for ops, crash in history:
        run_round(world, ops, crash)
        # The feeds now hold exactly the echoes of what the pass wrote, as delta and the sweep deliver them.
        assert world.sync() == []


@property_settings
@given(rounds, st.integers(min_value=0, max_value=1000))
def test_replaying_the_inputs_of_a_pass_twice_changes_nothing(history: list, seed: int) -> None:
    # Replays of older passes' inputs are out of scope: delta and the Recruit sweep deliver current states,
    # and an echo pass stores no stamps (it plans nothing), so a state older than the last pass can look new.
    world = World()
    for ops, crash in history:
        recruit_inputs, graph_inputs = run_round(world, ops, crash)
        world.sync_until_quiet()
        world.recruit_feed = shuffled_twice(recruit_inputs, seed)
        world.graph_feed = shuffled_twice(graph_inputs, seed)
        assert writes(world.sync()) == []
        assert world.disagreements() == []


@property_settings
@given(rounds)
def test_duplicated_inputs_in_one_pass_plan_the_same_as_single_ones(history: list) -> None:
    world = World()
    for ops, _crash in history:
        for operation in ops:
            perform(world, operation)
        single = world.plan()
        world.recruit_feed, world.graph_feed = world.recruit_feed * 2, world.graph_feed * 2
        assert world.plan() == single
        world.sync_until_quiet()
