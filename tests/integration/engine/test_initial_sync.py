"""Enable and the initial sync: which Recruit records reach the new Outlook calendar, in which order."""

from __future__ import annotations

from tests.integration.engine.conftest import ALICE, Synced, imported_events
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
