"""Enable and the initial sync: which Recruit records reach the new Outlook calendar, in which order."""

from __future__ import annotations

from tests.integration.engine.conftest import Synced


async def test_enable_copies_only_the_users_own_events_and_interviews(synced: Synced) -> None:
    state = await synced.state()
    expected = sorted(synced.owned_titles("Events") + synced.owned_titles("Interviews", "Interview_Name"))
    assert await synced.outlook_subjects() == expected
    assert state.status == "active"
    assert (state.initial_done, state.initial_total) == (len(expected), len(expected))
