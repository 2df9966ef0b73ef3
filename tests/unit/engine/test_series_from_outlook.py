"""A recurring series made or edited in Outlook reaches Recruit as ONE Event with the rule: the occurrences
and exceptions delta lists lead to their master, read once per series per pass (never one GET per occurrence).
A single occurrence deleted or moved in Outlook stays Outlook's (see `engine/sync_kinds/calendar_kind.py`).

Runs whole passes on in-memory stores against the in-process emulators; GETs are counted by the Graph
emulator's own request counter (`GET /_emulator/stats`)."""

from __future__ import annotations

from typing import Any

from sync_core.engine.sync_pass.credits import LAST_RECRUIT_SWEEP
from sync_core.engine.sync_pass.reconcile import run_pass
from sync_core.store.syncstate import SyncState
from tests.unit.engine.test_pass_in_memory import Alice

EVENT_GET = "GET /v1.0/users/{user}/events/{item_id}"
# Monday 23:30 in Los Angeles is Tuesday 13:00 in Alice's Kolkata: the Recruit rule repeats on Tuesdays.
WEEKLY_LA = {
    "subject": "Pipeline review",
    "start": {"dateTime": "2026-12-07T23:30:00", "timeZone": "Pacific Standard Time"},
    "end": {"dateTime": "2026-12-08T00:00:00", "timeZone": "Pacific Standard Time"},
    "recurrence": {
        "pattern": {"type": "weekly", "interval": 1, "daysOfWeek": ["monday"], "firstDayOfWeek": "sunday"},
        "range": {"type": "noEnd", "startDate": "2026-12-07", "recurrenceTimeZone": "Pacific Standard Time"},
    },
}


async def event_gets(alice: Alice) -> int:
    async with alice.engine.outlook_http() as http:
        stats = (await http.get("/_emulator/stats")).json()
    return int(stats["requests"].get(EVENT_GET, 0))


async def recruit_events(alice: Alice, title_start: str) -> list[dict[str, Any]]:
    records = (await alice.recruit("GET", "/Events")) or {}
    return [r for r in records.get("data", []) if str(r.get("Event_Title", "")).startswith(title_start)]


async def outlook_series(alice: Alice) -> tuple[str, list[dict[str, Any]]]:
    """Alice makes the weekly series in Outlook; its id and its occurrences in the next two months."""
    master = await alice.outlook("POST", f"/calendars/{alice.calendar_id}/events", WEEKLY_LA)
    window = "startDateTime=2026-12-01T00:00:00Z&endDateTime=2027-02-01T00:00:00Z"
    occurrences = await alice.outlook("GET", f"/events/{master['id']}/instances?{window}")
    return str(master["id"]), list(occurrences["value"])


async def synced_series(alice: Alice) -> tuple[str, list[dict[str, Any]], dict[str, Any]]:
    master_id, occurrences = await outlook_series(alice)
    await run_pass(alice.engine, alice.request())
    [record] = await recruit_events(alice, "Pipeline review")
    await alice.engine.advance(2)
    return master_id, occurrences, record


async def test_a_series_made_in_outlook_is_one_recruit_event_with_the_rule_after_one_get(
    alice: Alice,
) -> None:
    before = await event_gets(alice)
    _, occurrences, record = await synced_series(alice)

    assert len(occurrences) > 5  # the round listed many occurrences...
    assert await event_gets(alice) - before == 1  # ...and read only their master
    assert record["Start_DateTime"] == "2026-12-08T13:00:00+05:30"
    rule = record["Recurring_Activity"]["RRULE"]
    assert "FREQ=WEEKLY" in rule and "BYDAY=TU" in rule  # Monday in Los Angeles, Tuesday in Kolkata
    link = await alice.engine.links.by_graph(
        alice.connection.key, "calendar", occurrences[0]["seriesMasterId"]
    )
    assert link is not None and link.recruit_id == record["id"]


async def test_a_series_title_edited_in_outlook_updates_the_recruit_event(alice: Alice) -> None:
    master_id, _, record = await synced_series(alice)
    before = await event_gets(alice)

    await alice.outlook("PATCH", f"/events/{master_id}", {"subject": "Pipeline review (new room)"})
    await run_pass(alice.engine, alice.request())

    [updated] = await recruit_events(alice, "Pipeline review")
    assert (updated["id"], updated["Event_Title"]) == (record["id"], "Pipeline review (new room)")
    assert updated["Recurring_Activity"] == record["Recurring_Activity"]
    assert await event_gets(alice) - before == 1


async def test_an_occurrence_deleted_or_moved_in_outlook_leaves_the_recruit_series_as_it_is(
    alice: Alice,
) -> None:
    _, occurrences, record = await synced_series(alice)
    counters = written(await alice.state())

    await alice.outlook("DELETE", f"/events/{occurrences[1]['id']}")
    moved = {
        "start": {"dateTime": "2026-12-22T01:00:00", "timeZone": "Pacific Standard Time"},
        "end": {"dateTime": "2026-12-22T01:30:00", "timeZone": "Pacific Standard Time"},
    }
    await alice.outlook("PATCH", f"/events/{occurrences[2]['id']}", moved)
    await run_pass(alice.engine, alice.request())
    await run_pass(alice.engine, alice.request())

    assert await recruit_events(alice, "Pipeline review") == [record]  # no duplicate, no rewrite
    assert written(await alice.state()) == counters  # nothing written either way, nothing loops


async def test_a_series_deleted_in_outlook_deletes_the_recruit_event(alice: Alice) -> None:
    master_id, _, _ = await synced_series(alice)

    await alice.outlook("DELETE", f"/events/{master_id}")
    await run_pass(alice.engine, alice.request())

    assert await recruit_events(alice, "Pipeline review") == []


async def test_a_series_made_in_recruit_reads_back_from_outlook_as_no_change(alice: Alice) -> None:
    event = {
        "Event_Title": "Standup",
        "Start_DateTime": "2026-12-07T23:30:00+05:30",
        "End_DateTime": "2026-12-07T23:45:00+05:30",
        "Recurring_Activity": {"RRULE": "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;WKST=MO;UNTIL=2027-03-01"},
    }
    await alice.recruit("POST", "/Events", {"data": [event], "trigger": []})
    await run_pass(alice.engine, alice.request())
    counters = written(await alice.state())
    await alice.engine.advance(2)
    before = await event_gets(alice)

    await run_pass(alice.engine, alice.request())

    [master] = [e for e in await alice.outlook_events() if e["subject"] == "Standup"]
    assert master["recurrence"]["pattern"]["daysOfWeek"] == ["monday"]
    assert written(await alice.state()) == counters
    assert await event_gets(alice) - before <= 1


def written(state: SyncState) -> dict[str, int]:
    """The state's write counters; the Recruit sweep's timestamp (`recruit_last_sweep`) is no write."""
    return {name: value for name, value in state.counters.items() if name != LAST_RECRUIT_SWEEP}
