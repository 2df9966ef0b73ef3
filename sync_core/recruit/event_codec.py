"""Recruit Event and Interview records <-> canonical calendar fields (title, start, end, all_day, ...).

Date-times are written in the connection's zone; all-day Recruit records keep an inclusive last day.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from sync_core.domain.html_text import trim_text
from sync_core.domain.items import JsonValue
from sync_core.domain.timezones import parse_recruit_datetime, recruit_datetime, zone

EVENTS = "Events"
INTERVIEWS = "Interviews"
DEFAULT_OWNER_FIELDS: Mapping[str, str] = {EVENTS: "Owner", INTERVIEWS: "Interview_Owner"}

# canonical name -> Recruit api_name, per module; start/end/all_day/reminder/recurrence are handled apart.
_TEXT_FIELDS: Mapping[str, Mapping[str, str]] = {
    EVENTS: {"title": "Event_Title", "location": "Venue", "description": "Description"},
    INTERVIEWS: {"title": "Interview_Name", "location": "Venue", "description": "Schedule_Comments"},
}
START, END = "Start_DateTime", "End_DateTime"


def text_fields(module: str) -> Mapping[str, str]:
    """canonical name -> Recruit api_name of the module's free-text fields (title, location, description)."""
    return _TEXT_FIELDS[module]


NO_TITLE = "(no title)"

# Remind_At is an ALARM object; this write form follows Zoho CRM (unconfirmed for Recruit: one function).
_TRIGGER = re.compile(r"TRIGGER=([^;]+)", re.IGNORECASE)
_DURATION = re.compile(
    r"^([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$", re.IGNORECASE
)


def _day_of(text: str) -> date:
    """The calendar date of an all-day value as written (YYYY-MM-DD or a local midnight with offset)."""
    stripped = text.strip()
    if len(stripped) == 10:
        return date.fromisoformat(stripped)
    return datetime.fromisoformat(stripped.replace("Z", "+00:00")).date()


def _name_of(reference: Any) -> str:
    """How a lookup, user reference or participant reads in the Outlook body."""
    if isinstance(reference, Mapping):
        name = str(reference.get("name") or "").strip()
        email = str(reference.get("email") or "").strip()
        if not name and not email:
            return str(reference.get("participant") or reference.get("id") or "").strip()
        return f"{name} <{email}>" if name and email else name or email
    return str(reference or "").strip()


def _names(references: Any) -> str:
    items = references if isinstance(references, list) else [references] if references else []
    return ", ".join(name for name in (_name_of(item) for item in items) if name)


def participants_text(module: str, record: Mapping[str, Any]) -> str:
    """The participant block shown in Outlook: who takes part; for Interviews also candidate, job, client."""
    if module == INTERVIEWS:
        lines = [
            ("Candidate", _names(record.get("Candidate_Name"))),
            ("Job opening", _names(record.get("Job_Opening_Name"))),
            ("Client", _names(record.get("Client_Name"))),
            ("Interviewers", _names(record.get("Interviewer"))),
        ]
    else:
        lines = [("Participants", _names(record.get("Participants")))]
    return "\n".join(f"{label}: {value}" for label, value in lines if value)


def reminder_minutes(remind_at: Any, start: datetime | date | None) -> int | None:
    """Minutes before the start from an ALARM (`TRIGGER=-PT15M` or `TRIGGER=DATE-TIME:<iso>`); a reminder
    after the start (`TRIGGER=PT15M`) is one at the start (0), the latest Outlook can show."""
    alarm = remind_at.get("ALARM") if isinstance(remind_at, Mapping) else remind_at
    match = _TRIGGER.search(str(alarm or ""))
    if not match:
        return None
    trigger = match.group(1).strip()
    if trigger.upper().startswith("DATE-TIME:"):
        if start is None:
            return None
        moment = parse_recruit_datetime(trigger[len("DATE-TIME:") :])
        begins = start if isinstance(start, datetime) else datetime.combine(start, time(), moment.tzinfo)
        return max(0, int((begins - moment).total_seconds() // 60))
    parts = _DURATION.match(trigger)
    if not parts:
        return None
    if parts.group(1) != "-":
        # RFC 5545 3.8.6.3: a positive TRIGGER duration fires after the start. Outlook reminds only before
        # (reminderMinutesBeforeStart), so the nearest it can do is at the start: still a reminder.
        return 0
    weeks, days, hours, minutes, seconds = (int(part or 0) for part in parts.groups()[1:])
    return ((weeks * 7 + days) * 24 + hours) * 60 + minutes + seconds // 60


def remind_at(minutes: int | None) -> dict[str, str] | None:
    """The Remind_At value for a reminder `minutes` before the start (None: no reminder)."""
    if minutes is None:
        return None
    return {"ALARM": f"FREQ=NONE;ACTION=POPUP;TRIGGER=-PT{int(minutes)}M"}


def read_times(
    module: str, record: Mapping[str, Any]
) -> tuple[datetime | date | None, datetime | date | None]:
    """Canonical start and end: aware datetimes, or dates for all-day Events (end exclusive)."""
    start_text, end_text = record.get(START), record.get(END)
    if module == EVENTS and record.get("All_day"):
        first = _day_of(str(start_text)) if start_text else None
        last = _day_of(str(end_text)) if end_text else first
        return first, (last + timedelta(days=1)) if last else None
    start = parse_recruit_datetime(str(start_text)) if start_text else None
    end = parse_recruit_datetime(str(end_text)) if end_text else None
    return start, end


def read_record(module: str, record: Mapping[str, Any]) -> dict[str, JsonValue]:
    """Every canonical field of an Event or Interview; `recurrence` is the raw RRULE (prefix stripped)."""
    fields: dict[str, JsonValue] = {
        canonical: record.get(api_name) for canonical, api_name in _TEXT_FIELDS[module].items()
    }
    description = fields.get("description")
    if isinstance(description, str):
        # Compared with the Outlook body, which cannot hold leading blank lines or trailing spaces.
        fields["description"] = trim_text(description) or None
    start, end = read_times(module, record)
    fields["start"], fields["end"] = start, end
    fields["participants"] = participants_text(module, record) or None
    if module == EVENTS:
        fields["all_day"] = bool(record.get("All_day"))
        fields["reminder_minutes"] = reminder_minutes(record.get("Remind_At"), start)
        recurring = record.get("Recurring_Activity")
        rule = recurring.get("RRULE") if isinstance(recurring, Mapping) else recurring
        text = str(rule or "").strip()
        fields["recurrence"] = (text[6:] if text.upper().startswith("RRULE:") else text) or None
    return fields


def _time_text(value: JsonValue, time_zone: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return recruit_datetime(value, time_zone)
    if isinstance(value, date):
        # An all-day value is a local midnight with the zone's offset: its date reads back unchanged.
        midnight = datetime.combine(value, time(), zone(time_zone))
        return recruit_datetime(midnight, time_zone)
    raise TypeError(f"not a date or date-time: {value!r}")


def write_record(module: str, fields: Mapping[str, JsonValue], time_zone: str) -> dict[str, Any]:
    """The Recruit payload for just `fields`; participants are never written (Recruit owns them)."""
    payload: dict[str, Any] = {}
    for canonical, api_name in _TEXT_FIELDS[module].items():
        if canonical in fields:
            payload[api_name] = fields[canonical] if fields[canonical] is not None else ""
    if payload.get(_TEXT_FIELDS[module]["title"]) == "":
        payload[_TEXT_FIELDS[module]["title"]] = NO_TITLE  # the title is mandatory in Recruit
    start, end = fields.get("start"), fields.get("end")
    # Interviews have no All_day: a date there is written as a timed midnight-to-midnight interview.
    all_day = isinstance(start, date) and not isinstance(start, datetime) and module == EVENTS
    if "start" in fields:
        payload[START] = _time_text(start, time_zone)
    if "end" in fields:
        if all_day and isinstance(end, date) and not isinstance(end, datetime):
            end = end - timedelta(days=1)  # Recruit keeps the last day, canonical the day after
        payload[END] = _time_text(end, time_zone)
    if module != EVENTS:
        return payload
    if "all_day" in fields or "start" in fields:
        # Recruit reads Start/End as dates or instants by All_day, so it travels with them.
        payload["All_day"] = all_day if "start" in fields else bool(fields["all_day"])
    if "reminder_minutes" in fields:
        minutes = fields["reminder_minutes"]
        payload["Remind_At"] = remind_at(int(minutes) if isinstance(minutes, int | float) else None)
    if "recurrence" in fields:
        rule = fields["recurrence"]
        payload["Recurring_Activity"] = {"RRULE": str(rule)} if rule else None
    return payload


def owner_id(record: Mapping[str, Any], owner_field: str) -> str | None:
    owner = record.get(owner_field)
    value = owner.get("id") if isinstance(owner, Mapping) else owner
    return str(value) if value not in (None, "") else None


def end_instant(module: str, record: Mapping[str, Any]) -> datetime | None:
    """When the record ends, for ordering (all-day: the midnight after its last day)."""
    _, end = read_times(module, record)
    if isinstance(end, datetime) or end is None:
        return end
    return datetime.combine(end, time(), zone("UTC"))


def start_instant(module: str, record: Mapping[str, Any]) -> datetime | None:
    start, _ = read_times(module, record)
    if isinstance(start, datetime) or start is None:
        return start
    return datetime.combine(start, time(), zone("UTC"))
