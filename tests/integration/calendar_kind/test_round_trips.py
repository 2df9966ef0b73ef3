"""Round trips through the real emulators: what the calendar kind writes, Recruit and Graph read back as the
same canonical fields, for an Event, an Interview, an all-day event, a weekly series and an Outlook event.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sync_core.domain.canonical import canonical_fields
from sync_core.domain.items import FieldValues
from sync_core.graph import items
from tests.integration.calendar_kind.conftest import Alice

SOON = (datetime.now(UTC) + timedelta(days=3)).replace(hour=9, minute=30, second=0, microsecond=0)


def names(alice: Alice, module: str, *, drop: tuple[str, ...] = ()) -> list[str]:
    return [name for name in alice.kind.policy(alice.ctx).names(module) if name not in drop]


async def through_both(alice: Alice, module: str, fields: FieldValues) -> tuple[FieldValues, FieldValues]:
    """Write `fields` to Recruit, read back; write the Recruit reading to Graph, read back."""
    record = await alice.recruit_round_trip(module, alice.kind.to_recruit(module, fields, alice.ctx))
    from_recruit = alice.kind.recruit_change(module, record, alice.ctx)
    assert from_recruit.in_scope and from_recruit.fields is not None
    event = await alice.graph_round_trip(alice.kind.to_graph(from_recruit.fields, alice.ctx))
    from_graph = alice.kind.graph_change(event, None, alice.ctx)
    assert from_graph is not None and from_graph.fields is not None
    return from_recruit.fields, from_graph.fields


async def test_an_event_keeps_every_field_through_recruit_and_graph(alice: Alice) -> None:
    fields: dict[str, Any] = {
        "title": "Pipeline review",
        "start": SOON,
        "end": SOON + timedelta(minutes=45),
        "all_day": False,
        "location": "Room 4",
        "description": "Bring the numbers.\nSecond line.",
        "reminder_minutes": 30,
        "recurrence": None,
    }
    from_recruit, from_graph = await through_both(alice, "Events", fields)
    compared = names(alice, "Events", drop=("participants",))
    assert canonical_fields(from_recruit, compared) == canonical_fields(fields, compared)
    assert canonical_fields(from_graph, names(alice, "Events")) == canonical_fields(
        from_recruit, names(alice, "Events")
    )


async def test_an_event_with_participants_shows_them_in_outlook_but_not_in_the_description(
    alice: Alice,
) -> None:
    payload = {
        "Event_Title": "Client call",
        "Start_DateTime": SOON.isoformat(),
        "End_DateTime": (SOON + timedelta(hours=1)).isoformat(),
        "Description": "Agenda",
        "Participants": [{"type": "email", "participant": "hiring.manager@clients.example"}],
    }
    record = await alice.recruit_round_trip("Events", payload)
    fields = alice.kind.recruit_change("Events", record, alice.ctx).fields
    assert fields is not None
    event = await alice.graph_round_trip(alice.kind.to_graph(fields, alice.ctx))
    assert "hiring.manager@clients.example" in event["body"]["content"]
    assert event["attendees"] == []
    back = alice.kind.graph_change(event, None, alice.ctx)
    assert back is not None and back.fields is not None
    assert back.fields["description"] == "Agenda"
    assert back.fields["participants"] == fields["participants"]


async def test_an_interview_round_trips_and_lists_its_candidate_in_outlook(alice: Alice) -> None:
    candidates = [record async for record in alice.recruit.list_records("Candidates")]
    candidate = candidates[0]
    payload = {
        **alice.kind.to_recruit(
            "Interviews",
            {
                "title": "Technical interview",
                "start": SOON,
                "end": SOON + timedelta(minutes=45),
                "location": "Teams",
                "description": "Focus on system design.",
            },
            alice.ctx,
        ),
        "Candidate_Name": {"id": candidate["id"]},
        "Interviewer": [{"id": alice.ctx.recruit_user_id}],
    }
    record = await alice.recruit_round_trip("Interviews", payload)
    from_recruit = alice.kind.recruit_change("Interviews", record, alice.ctx)
    assert from_recruit.in_scope and from_recruit.fields is not None
    assert str(from_recruit.fields["participants"]).startswith(f"Candidate: {candidate['First_Name']}")
    event = await alice.graph_round_trip(alice.kind.to_graph(from_recruit.fields, alice.ctx), "Interviews:1")
    from_graph = alice.kind.graph_change(event, None, alice.ctx)
    assert from_graph is not None and from_graph.fields is not None
    compared = names(alice, "Interviews")
    assert canonical_fields(from_graph.fields, compared) == canonical_fields(from_recruit.fields, compared)
    assert from_graph.fields["start"] == SOON


async def test_an_all_day_event_keeps_its_days_in_both_systems(alice: Alice) -> None:
    first = SOON.date()
    fields = {"title": "Career fair", "start": first, "end": first + timedelta(days=2), "all_day": True}
    from_recruit, from_graph = await through_both(alice, "Events", fields)
    for read in (from_recruit, from_graph):
        assert (read["start"], read["end"], read["all_day"]) == (first, first + timedelta(days=2), True)


async def test_the_seeded_weekly_series_becomes_an_outlook_series_with_the_same_rule(alice: Alice) -> None:
    seeded = [
        record
        async for record in alice.recruit.list_records("Events")
        if record.get("Event_Title") == "Alice: weekly recruiting stand-up"
    ]
    from_recruit = alice.kind.recruit_change("Events", seeded[0], alice.ctx).fields
    assert from_recruit is not None
    expected_rule = "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;WKST=MO;COUNT=4;DTSTART="
    assert str(from_recruit["recurrence"]).startswith(expected_rule)
    event = await alice.graph_round_trip(alice.kind.to_graph(from_recruit, alice.ctx))
    assert event["type"] == "seriesMaster"
    assert event["recurrence"]["pattern"]["daysOfWeek"] == ["monday"]
    from_graph = alice.kind.graph_change(event, None, alice.ctx)
    assert from_graph is not None and from_graph.fields is not None
    assert from_graph.fields["recurrence"] == from_recruit["recurrence"]
    # ...and written back to Recruit (an Outlook edit of the series) it reads the same again.
    rewritten = await alice.recruit_round_trip(
        "Events", alice.kind.to_recruit("Events", from_graph.fields, alice.ctx)
    )
    again = alice.kind.recruit_change("Events", rewritten, alice.ctx).fields
    assert again is not None and again["recurrence"] == from_recruit["recurrence"]


async def test_an_outlook_event_in_pacific_time_reaches_recruit_at_the_same_instant(alice: Alice) -> None:
    # 2027-03-15 10:00 in Los Angeles is PDT (UTC-7): 17:00 UTC, 22:30 in Alice's Kolkata.
    body = {
        "subject": "Made in Outlook",
        "start": {"dateTime": "2027-03-15T10:00:00", "timeZone": "Pacific Standard Time"},
        "end": {"dateTime": "2027-03-15T11:15:00", "timeZone": "Pacific Standard Time"},
        "body": {"contentType": "html", "content": "<p>Hello <b>team</b></p>"},
    }
    await alice.graph.request(
        "POST",
        f"/users/{alice.mailbox}/calendars/{alice.calendar_id}/events",
        mailbox=alice.mailbox,
        body=body,
    )
    now = datetime.now(UTC)
    round_ = await alice.kind.delta(alice.graph, alice.mailbox, alice.calendar_id, None, now)
    [item] = round_.changed
    change = alice.kind.graph_change(item, None, alice.ctx)
    assert change is not None and change.fields is not None and change.tag is None
    assert change.fields["start"] == datetime(2027, 3, 15, 17, 0, tzinfo=UTC)
    assert change.fields["description"] == "Hello team"
    record = await alice.recruit_round_trip(
        "Events", alice.kind.to_recruit("Events", change.fields, alice.ctx)
    )
    assert record["Start_DateTime"] == "2027-03-15T22:30:00+05:30"
    back = alice.kind.recruit_change("Events", record, alice.ctx).fields
    assert back is not None
    assert (back["start"], back["end"]) == (change.fields["start"], change.fields["end"])
    assert back["all_day"] is False and date(2027, 3, 15) == back["start"].date()  # type: ignore[union-attr]


async def test_a_description_update_rewrites_the_body_and_keeps_the_participant_block(alice: Alice) -> None:
    fields: dict[str, Any] = {
        "title": "Client call",
        "start": SOON,
        "end": SOON + timedelta(hours=1),
        "description": "Agenda",
        "participants": "Participants: hiring.manager@clients.example",
    }
    event = await alice.graph_round_trip(alice.kind.to_graph(fields, alice.ctx))
    changed = {**fields, "description": "New agenda"}
    names_to_write = alice.kind.write_fields({"description"})
    patch = alice.kind.to_graph({name: changed.get(name) for name in names_to_write}, alice.ctx)
    await items.update(alice.graph, alice.mailbox, "event", str(event["id"]), patch)
    after = alice.kind.graph_change(
        await items.get(alice.graph, alice.mailbox, "event", str(event["id"])), None, alice.ctx
    )
    assert after is not None and after.fields is not None
    assert (after.fields["description"], after.fields["participants"]) == (
        "New agenda",
        "Participants: hiring.manager@clients.example",
    )
    assert after.fields["start"] == SOON and after.fields["recurrence"] is None
