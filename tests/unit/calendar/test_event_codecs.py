"""Conversions of issue 14's rows: rules kept in the body, reminders after the start, zones, series ends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sync_core.engine.sync_kinds.calendar_kind import CalendarKind
from tests.unit.calendar.conftest import as_graph_item, as_recruit_record, context

NINE_IN_INDIA = datetime(2026, 12, 1, 3, 30, tzinfo=UTC)


def event(**extra: Any) -> dict[str, Any]:
    return {
        "title": "Stand-up",
        "start": NINE_IN_INDIA,
        "end": NINE_IN_INDIA + timedelta(minutes=30),
        "description": "Daily",
        "participants": "Participants: Pat <pat@clients.example>",
        **extra,
    }


def reminder_of(kind: CalendarKind, alarm: str) -> object:
    record = as_recruit_record(
        "Events",
        {
            "Event_Title": "x",
            "Start_DateTime": "2026-12-01T10:00:00+05:30",
            "End_DateTime": "2026-12-01T11:00:00+05:30",
            "Remind_At": {"ALARM": alarm},
        },
    )
    fields = kind.recruit_change("Events", record, context()).fields
    assert fields is not None
    return fields["reminder_minutes"]


def test_a_kept_rule_with_line_breaks_is_read_back_whole_not_as_participants(kind: CalendarKind) -> None:
    rule = "FREQ=MONTHLY;BYDAY=1MO,1TU\nEXDATE:20261207T033000Z"
    body = kind.to_graph(event(recurrence=rule), context())
    assert body["recurrence"] is None
    change = kind.graph_change(as_graph_item(body), None, context())
    assert change is not None and change.fields is not None
    assert change.fields["recurrence"] == rule
    assert change.fields["participants"] == "Participants: Pat <pat@clients.example>"


def test_a_reminder_after_the_start_is_a_reminder_at_the_start(kind: CalendarKind) -> None:
    # Outlook only reminds before the start; 15 minutes before would be a reminder the user never set.
    assert reminder_of(kind, "FREQ=NONE;ACTION=POPUP;TRIGGER=PT15M") == 0
    assert reminder_of(kind, "FREQ=NONE;ACTION=POPUP;TRIGGER=+PT15M") == 0


def test_a_reminder_before_the_start_keeps_its_minutes(kind: CalendarKind) -> None:
    assert reminder_of(kind, "FREQ=NONE;ACTION=POPUP;TRIGGER=-PT15M") == 15


def test_a_users_zone_the_old_table_lacked_is_written_with_its_windows_name(kind: CalendarKind) -> None:
    body = kind.to_graph(event(recurrence="FREQ=WEEKLY;BYDAY=TU"), context("Europe/Oslo"))
    assert body["start"]["timeZone"] == "W. Europe Standard Time"
    assert body["recurrence"]["range"]["recurrenceTimeZone"] == "W. Europe Standard Time"
    jakarta = kind.to_graph(event(), context("Asia/Jakarta"))
    assert jakarta["start"] == {
        "dateTime": "2026-12-01T10:30:00.0000000",
        "timeZone": "SE Asia Standard Time",
    }


def test_an_until_earlier_in_the_day_than_the_start_ends_the_outlook_series_the_day_before(
    kind: CalendarKind,
) -> None:
    # 02:00 UTC on the 31st is 07:30 in India, before the 09:00 stand-up: RFC 5545 has none that day.
    body = kind.to_graph(event(recurrence="FREQ=DAILY;UNTIL=20261231T020000Z"), context())
    assert body["recurrence"]["range"]["endDate"] == "2026-12-30"


def test_a_rule_without_wkst_keeps_rfc_weeks_in_outlook(kind: CalendarKind) -> None:
    body = kind.to_graph(event(recurrence="FREQ=WEEKLY;INTERVAL=2;BYDAY=SU,MO"), context())
    assert body["recurrence"]["pattern"]["firstDayOfWeek"] == "monday"


def test_outlooks_last_weekday_series_reaches_recruit_as_bysetpos(kind: CalendarKind) -> None:
    weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday"]
    item = as_graph_item(
        {
            "subject": "Month-end report",
            "start": {"dateTime": "2026-12-31T09:00:00.0000000", "timeZone": "India Standard Time"},
            "end": {"dateTime": "2026-12-31T09:30:00.0000000", "timeZone": "India Standard Time"},
            "recurrence": {
                "pattern": {
                    "type": "relativeMonthly",
                    "interval": 1,
                    "daysOfWeek": weekdays,
                    "index": "last",
                },
                "range": {
                    "type": "noEnd",
                    "startDate": "2026-12-31",
                    "recurrenceTimeZone": "India Standard Time",
                },
            },
        }
    )
    change = kind.graph_change(item, None, context())
    assert change is not None and change.fields is not None
    assert change.fields["recurrence"] == (
        "FREQ=MONTHLY;INTERVAL=1;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;WKST=SU;DTSTART=2026-12-31"
    )
    payload = kind.to_recruit("Events", change.fields, context())
    assert payload["Recurring_Activity"] == {"RRULE": change.fields["recurrence"]}
