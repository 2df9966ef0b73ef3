"""Enable and the initial sync: which Recruit records reach the new Outlook calendar, in which order."""

from __future__ import annotations

import pytest

from sync_core.engine.sync_pass import initial_sync
from tests.integration.engine.conftest import ALICE, Synced, imported_events, recruit_stats
from tests.integration.webhooks.conftest import sync_messages


async def test_enable_copies_only_the_users_own_events_and_interviews(synced: Synced) -> None:
    state = await synced.state()
    expected = sorted(synced.owned_titles("Events") + synced.owned_titles("Interviews", "Interview_Name"))
    assert await synced.outlook_subjects() == expected
    assert state.status == "active"
    assert (state.initial_done, state.initial_total) == (len(expected), len(expected))


async def test_initial_sync_takes_future_events_soonest_first_then_recent_ones_up_to_the_cap(
    alice: Synced,
) -> None:
    alice.ctx.settings.initial_events_cap = 5
    alice.ctx.settings.initial_sync_chunk = 2
    await alice.enable()
    # Alice owns six: four ahead (+2, +4, +5, +7 days), two past (-3, -10 days); the oldest is left out.
    assert await alice.outlook_subjects() == [
        "Alice: career fair",
        "Alice: client call",
        "Alice: sourcing sync",
        "Alice: weekly recruiting stand-up",
        "Technical interview (Alice)",
    ]
    state = await alice.state()
    assert (state.initial_done, state.initial_total) == (5, 5)
    chunk_messages = sync_messages(alice.ctx.settings)
    assert [m["reason"] for m in chunk_messages].count("initial") >= 3


async def test_initial_sync_leaves_out_imported_events(alice: Synced) -> None:
    alice.recruit.control("import", {"user": ALICE, "module": "Events", "records": imported_events(21)})
    await alice.enable()
    assert not [s for s in await alice.outlook_subjects() if s.startswith("Imported")]


def record_reads(before: dict[str, int], after: dict[str, int]) -> tuple[int, int]:
    """(list requests, single-record GETs) made between two stats readings."""
    lists = after.get("GET /recruit/v2/{module}", 0) - before.get("GET /recruit/v2/{module}", 0)
    singles = after.get("GET /recruit/v2/{module}/{record_id}", 0) - before.get(
        "GET /recruit/v2/{module}/{record_id}", 0
    )
    return lists, singles


async def test_initial_sync_copies_what_its_plan_listed_without_reading_the_records_again(
    alice: Synced,
) -> None:
    alice.ctx.settings.initial_sync_chunk = 2
    before = recruit_stats(alice.recruit)
    await alice.enable()
    reads = record_reads(before, recruit_stats(alice.recruit))
    expected = sorted(alice.owned_titles("Events") + alice.owned_titles("Interviews", "Interview_Name"))
    assert await alice.outlook_subjects() == expected
    # One page per module for the plan, then one modified-since list per module by the first reconcile.
    assert reads == (4, 0)


async def test_initial_sync_steps_that_kept_no_listing_read_their_chunk_by_ids(
    alice: Synced, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(initial_sync, "LISTED_RECORDS_KEPT", 0)  # as if each step ran in another process
    alice.ctx.settings.initial_sync_chunk = 4
    before = recruit_stats(alice.recruit)
    await alice.enable()
    lists, _ = record_reads(before, recruit_stats(alice.recruit))
    expected = sorted(alice.owned_titles("Events") + alice.owned_titles("Interviews", "Interview_Name"))
    assert await alice.outlook_subjects() == expected
    assert lists > 4  # the chunks' `ids=` reads on top of the plan's and the reconcile's lists
