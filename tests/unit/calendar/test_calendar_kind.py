"""What the calendar kind decides: bodies, participants, zones, reminders, recurrences, scope and ordering."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from html import escape
from typing import Any

import pytest

from local.emulators.recruit.fields import default_modules
from sync_core.config import Settings
from sync_core.engine.sync_kinds.calendar_kind import CalendarKind, IncompleteFields
from sync_core.engine.sync_kinds.kinds import KindContext
from sync_core.graph.event_codec import MARKER, UnknownEventZone
from tests.unit.calendar.conftest import USER_ID, as_graph_item, as_recruit_record, context

START = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def timed(**extra: Any) -> dict[str, Any]:
    return {"title": "Client call", "start": START, "end": START + timedelta(hours=1), **extra}


def test_participants_go_below_the_marker_in_the_outlook_body(kind: CalendarKind) -> None:
    body = kind.to_graph(timed(description="Agenda", participants="Participants: Pat"), context())
    assert body["body"] == {
        "contentType": "html",
        "content": f"<div>Agenda<br>\r\n<br>\r\n{escape(MARKER, quote=False)}<br>\r\nParticipants: Pat</div>",
    }
    assert "attendees" not in body


def test_an_outlook_edit_of_the_description_does_not_carry_the_participant_block(kind: CalendarKind) -> None:
    html = f"<html><body><p>New <b>agenda</b></p><p>{MARKER}</p><p>Participants: Pat</p></body></html>"
    item = as_graph_item({"subject": "Call", "body": {"contentType": "html", "content": html}})
    change = kind.graph_change(item, None, context())
    assert change is not None and change.fields is not None
    assert change.fields["description"] == "New agenda"
    assert change.fields["participants"] == "Participants: Pat"


def test_an_html_body_without_the_marker_is_reduced_to_text(kind: CalendarKind) -> None:
    html = "<div>Line one<br>Line&nbsp;two</div><ul><li>point</li></ul>"
    change = kind.graph_change(
        as_graph_item({"body": {"contentType": "html", "content": html}}), None, context()
    )
    assert change is not None and change.fields is not None
    assert change.fields["description"] == "Line one\nLine two\n  * point"


def test_to_graph_refuses_the_description_without_the_participants(kind: CalendarKind) -> None:
    with pytest.raises(IncompleteFields):
        kind.to_graph({"description": "Agenda"}, context())


def test_write_fields_completes_the_groups_that_travel_together(kind: CalendarKind) -> None:
    assert kind.write_fields({"description"}) == {"description", "participants", "recurrence"}
    assert kind.write_fields({"end", "title"}) == {"start", "end", "all_day", "title"}


def test_graph_times_are_written_in_the_users_windows_zone(kind: CalendarKind) -> None:
    body = kind.to_graph(timed(), context("America/Los_Angeles"))
    assert body["start"] == {"dateTime": "2026-12-01T01:30:00.0000000", "timeZone": "Pacific Standard Time"}
    assert body["isAllDay"] is False


def test_an_outlook_event_in_pacific_time_keeps_its_instant_across_the_dst_change(kind: CalendarKind) -> None:
    item = as_graph_item(
        {
            "subject": "Made in Outlook",
            "start": {"dateTime": "2026-03-08T10:00:00.0000000", "timeZone": "Pacific Standard Time"},
            "end": {"dateTime": "2026-03-08T11:00:00.0000000", "timeZone": "Pacific Standard Time"},
        }
    )
    change = kind.graph_change(item, None, context("Asia/Kolkata"))
    assert change is not None and change.fields is not None
    assert change.fields["start"] == datetime(2026, 3, 8, 17, 0, tzinfo=UTC)  # PDT has begun: UTC-7


def test_a_graph_time_with_an_unknown_zone_is_an_error_not_a_guess(kind: CalendarKind) -> None:
    item = as_graph_item({})
    item.update(
        start={"dateTime": "2026-01-10T10:00:00.0000000", "timeZone": "tzone://Microsoft/Custom"},
        end={"dateTime": "2026-01-10T11:00:00.0000000", "timeZone": "tzone://Microsoft/Custom"},
        originalStartTimeZone="Eastern Standard Time",
    )
    with pytest.raises(UnknownEventZone, match="tzone://Microsoft/Custom"):
        kind.graph_change(item, None, context())


def test_a_graph_time_without_its_zone_is_read_in_the_original_start_zone(kind: CalendarKind) -> None:
    item = as_graph_item({})
    item.update(
        start={"dateTime": "2026-01-10T10:00:00.0000000"},
        end={"dateTime": "2026-01-10T11:00:00.0000000"},
        originalStartTimeZone="Eastern Standard Time",
    )
    change = kind.graph_change(item, None, context())
    assert change is not None and change.fields is not None
    assert change.fields["start"] == datetime(2026, 1, 10, 15, 0, tzinfo=UTC)


def test_an_all_day_recruit_event_keeps_its_dates_and_an_exclusive_end(kind: CalendarKind) -> None:
    record = as_recruit_record(
        "Events",
        {
            "Event_Title": "Career fair",
            "All_day": True,
            "Start_DateTime": "2026-12-03T00:00:00+05:30",
            "End_DateTime": "2026-12-04T00:00:00+05:30",
        },
    )
    fields = kind.recruit_change("Events", record, context()).fields
    assert fields is not None
    assert (fields["start"], fields["end"], fields["all_day"]) == (date(2026, 12, 3), date(2026, 12, 5), True)
    body = kind.to_graph({"start": fields["start"], "end": fields["end"]}, context())
    assert body["start"]["dateTime"].startswith("2026-12-03T00:00:00")
    assert body["end"]["dateTime"].startswith("2026-12-05T00:00:00")
    assert body["isAllDay"] is True


def test_recruit_reminders_read_from_relative_and_absolute_alarms(kind: CalendarKind) -> None:
    base = {
        "Event_Title": "x",
        "Start_DateTime": "2026-12-01T10:00:00+05:30",
        "End_DateTime": "2026-12-01T11:00:00+05:30",
    }
    relative = as_recruit_record(
        "Events", {**base, "Remind_At": {"ALARM": "FREQ=NONE;ACTION=POPUP;TRIGGER=-PT1H30M"}}
    )
    absolute = as_recruit_record(
        "Events",
        {
            **base,
            "Remind_At": {
                "ALARM": "FREQ=NONE;ACTION=EMAILANDPOPUP;TRIGGER=DATE-TIME:2026-12-01T09:45:00+05:30"
            },
        },
    )
    days = as_recruit_record("Events", {**base, "Remind_At": {"ALARM": "TRIGGER=-P1D"}})
    read = [kind.recruit_change("Events", r, context()).fields for r in (relative, absolute, days)]
    assert [fields["reminder_minutes"] for fields in read if fields is not None] == [90, 15, 1440]


def test_no_reminder_turns_the_outlook_reminder_off(kind: CalendarKind) -> None:
    assert kind.to_graph({"reminder_minutes": None}, context()) == {"isReminderOn": False}
    item = as_graph_item({"isReminderOn": False, "reminderMinutesBeforeStart": 15})
    change = kind.graph_change(item, None, context())
    assert change is not None and change.fields is not None and change.fields["reminder_minutes"] is None


def test_a_rule_outlook_cannot_express_becomes_one_instance_with_the_rule_kept_in_the_body(
    kind: CalendarKind,
) -> None:
    rule = "FREQ=MONTHLY;BYDAY=1MO,1TU"
    fields = timed(description="Planning", participants=None, recurrence=rule)
    body = kind.to_graph(fields, context())
    assert body["recurrence"] is None
    assert "Outlook shows only the first occurrence" in body["body"]["content"]
    change = kind.graph_change(as_graph_item(body), None, context())
    assert change is not None and change.fields is not None
    assert (change.fields["recurrence"], change.fields["description"]) == (rule, "Planning")


def test_an_unsupported_rule_cannot_be_written_without_the_body(kind: CalendarKind) -> None:
    with pytest.raises(IncompleteFields):
        kind.to_graph({"recurrence": "FREQ=MONTHLY;BYDAY=1MO,1TU"}, context())


def test_interviews_list_candidate_job_client_and_interviewers_and_never_write_them(
    kind: CalendarKind,
) -> None:
    record = as_recruit_record(
        "Interviews",
        {
            "Interview_Name": "Technical interview",
            "Start_DateTime": "2026-12-01T11:00:00+05:30",
            "End_DateTime": "2026-12-01T11:45:00+05:30",
            "Candidate_Name": {"name": "Priya Raman", "id": "c1"},
            "Job_Opening_Name": {"name": "Backend Engineer", "id": "j1"},
            "Client_Name": {"name": "Contoso", "id": "k1"},
            "Interviewer": [{"name": "Alice", "id": "u1", "email": "alice@contoso.example"}],
            "Schedule_Comments": "System design",
        },
    )
    fields = kind.recruit_change("Interviews", record, context()).fields
    assert fields is not None
    assert fields["participants"] == (
        "Candidate: Priya Raman\nJob opening: Backend Engineer\nClient: Contoso\n"
        "Interviewers: Alice <alice@contoso.example>"
    )
    payload = kind.to_recruit(
        "Interviews", {**fields, "reminder_minutes": 5, "recurrence": "FREQ=DAILY"}, context()
    )
    assert set(payload) == {"Interview_Name", "Start_DateTime", "End_DateTime", "Venue", "Schedule_Comments"}


def test_an_empty_outlook_subject_becomes_a_placeholder_title_in_recruit(kind: CalendarKind) -> None:
    assert kind.to_recruit("Events", {"title": ""}, context())["Event_Title"] == "(no title)"
    assert kind.title({"title": "  "}) == "(no title)"


def test_records_owned_by_someone_else_are_out_of_scope(kind: CalendarKind) -> None:
    record = {**as_recruit_record("Events", {"Event_Title": "x"}), "Owner": {"id": "u-bob"}}
    assert kind.recruit_change("Events", record, context()).in_scope is False
    ctx = context()
    custom = {**as_recruit_record("Events", {"Event_Title": "x"}), "Host": {"id": "u-alice"}, "Owner": None}
    with_owner_field = type(ctx)(**{**ctx.__dict__, "owner_fields": {"Events": "Host"}})
    assert kind.recruit_change("Events", custom, with_owner_field).in_scope is True


def test_removed_items_are_deletions_and_occurrences_do_not_sync(kind: CalendarKind) -> None:
    removed = kind.graph_change({"id": "g1", "@removed": {"reason": "deleted"}}, "Events:1", context())
    assert removed is not None and removed.deleted and removed.tag == "Events:1"
    assert kind.graph_change({**as_graph_item({}), "type": "occurrence"}, None, context()) is None
    assert kind.graph_change({**as_graph_item({}), "type": "exception"}, None, context()) is None


def test_initial_selection_takes_future_soonest_first_then_recently_ended(kind: CalendarKind) -> None:
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)

    def event(
        name: str, start_hours: int, hours: int = 1, module: str = "Events"
    ) -> tuple[str, dict[str, Any]]:
        start = now + timedelta(hours=start_hours)
        end = start + timedelta(hours=hours)
        return module, {"id": name, "Start_DateTime": start.isoformat(), "End_DateTime": end.isoformat()}

    running = event("running", -1, 3)
    records = [event("old", -100), event("later", 48), running, event("recent", -5), event("soon", 2)]
    records.append(event("interview", 5, module="Interviews"))
    chosen = kind.initial_selection(records, now, cap=5)
    assert [record["id"] for _, record in chosen] == ["running", "soon", "interview", "later", "recent"]


def test_a_time_in_the_repeated_hour_is_written_in_utc_so_it_keeps_its_instant(kind: CalendarKind) -> None:
    second_one_am = datetime(2026, 11, 1, 6, 0, tzinfo=UTC)  # 01:00 EST, after 01:00 EDT an hour earlier
    body = kind.to_graph(
        {"start": second_one_am, "end": second_one_am + timedelta(hours=1)}, context("America/New_York")
    )
    assert body["start"] == {"dateTime": "2026-11-01T06:00:00.0000000", "timeZone": "UTC"}
    assert body["end"]["timeZone"] == "Eastern Standard Time"


async def test_a_long_outlook_title_and_body_are_shortened_for_recruit_with_notes(kind: CalendarKind) -> None:
    metadata = {m: [f.to_json() for f in default_modules()[m].fields] for m in ("Events", "Interviews")}
    ctx = KindContext(Settings(), USER_ID, "Alice", "UTC", recruit_fields=metadata)
    fields = {"title": "T" * 300, "description": "D" * 40000}
    payload, notes = await kind.prepare_recruit("Events", fields, ctx, recruit=None)  # type: ignore[arg-type]
    assert (len(payload["Event_Title"]), len(payload["Description"])) == (255, 32000)
    assert notes == [
        "Title shortened to 255 characters to fit Recruit",
        "Description shortened to 32000 characters to fit Recruit",
    ]
    assert kind.to_recruit("Events", fields, ctx) == payload
    assert kind.policy(ctx).lengths_of("Interviews")["title"] == 120
