"""Disable on a calendar this app did not create (adopted by name before containers were tagged): the calendar
and the user's own events stay, only the events we wrote go, and the sync log tells the user so."""

from __future__ import annotations

from sync_core.engine.sync_lifecycle.lifecycle import teardown
from tests.integration.engine.conftest import Synced, graph_event


async def test_disable_keeps_an_untagged_calendar_and_the_log_says_why(alice: Synced) -> None:
    key = alice.connection.key
    item_tag = {"id": alice.ctx.settings.microsoft_extended_property_id, "value": "Events:1001"}
    with alice.outlook() as outlook:
        calendar = outlook.post("/calendars", json={"name": "Zoho Recruit"})
        calendar.raise_for_status()
        calendar_id = calendar.json()["id"]
        events = f"/calendars/{calendar_id}/events"
        outlook.post(events, json=graph_event("Dentist")).raise_for_status()
        for subject in ("Interview A", "Interview B"):
            ours = {**graph_event(subject), "singleValueExtendedProperties": [item_tag]}
            outlook.post(events, json=ours).raise_for_status()
    await alice.ctx.syncstate.create_if_missing(key, "calendar")
    await alice.ctx.syncstate.modify(
        key, "calendar", lambda s: s.model_copy(update={"status": "active", "container_id": calendar_id})
    )

    await teardown(alice.ctx, key, "calendar", reason="user")

    with alice.outlook() as outlook:
        left = outlook.get(f"/calendars/{calendar_id}/events")
    assert left.status_code == 200
    assert [event["subject"] for event in left.json()["value"]] == ["Dentist"]
    [entry] = (await alice.ctx.synclog.recent(key, "calendar")).entries
    assert entry.type == "disable"
    assert entry.message == (
        "Sync disabled. The 'Zoho Recruit' calendar was not created by this app, so it was left in place; "
        "only the 2 items this app added were removed from it."
    )
    assert (await alice.state()).status == "disabled"
