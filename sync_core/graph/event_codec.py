"""Graph event JSON <-> canonical calendar fields, including the body that carries description + participants.

The body is the description, then a marker line and the Recruit participant block; reading strips the block.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sync_core.domain.html_text import body_to_text, text_to_body, trim_text
from sync_core.domain.items import JsonValue, UnreadableItem
from sync_core.domain.recurrence import UnsupportedRecurrence, graph_to_rrule, rrule_to_graph
from sync_core.domain.timezones import (
    UnknownTimeZone,
    graph_all_day,
    graph_datetime,
    parse_graph_datetime,
    to_iana,
    to_windows,
    zone,
)

MARKER = "— Zoho Recruit —"
# Rules Outlook cannot express travel in the block so reading the event back gives the same rule.
RECURRENCE_NOTE = "Repeats in Zoho Recruit (Outlook shows only the first occurrence): "


def compose_body(description: str | None, participants: str | None, unsupported_rule: str | None) -> str:
    """The plain-text body: description, then (when there is any) the marker and the Recruit block."""
    block = [participants.strip()] if participants and participants.strip() else []
    if unsupported_rule:
        block.append(RECURRENCE_NOTE + unsupported_rule)
    text = (description or "").rstrip()
    if not block:
        return text
    return "\n\n".join(part for part in (text, MARKER + "\n" + "\n".join(block)) if part)


def split_body(text: str) -> tuple[str | None, str | None, str | None]:
    """(description, participants, unsupported rule) of a body; the block from the marker on is not
    description, so an Outlook user's edit never sends the participant list into Recruit. The rule is the
    block's last part, so every line from its note on is the rule (a rule text may hold line breaks)."""
    lines = text.replace("\r\n", "\n").split("\n")
    at = next((i for i, line in enumerate(lines) if line.strip() == MARKER), None)
    if at is None:
        return trim_text(text) or None, None, None
    description = trim_text("\n".join(lines[:at])) or None
    block = [line.rstrip() for line in lines[at + 1 :]]
    note = next((i for i, line in enumerate(block) if line.startswith(RECURRENCE_NOTE)), len(block))
    participants = "\n".join(block[:note]).strip()
    rule_lines = block[note:]
    if rule_lines:
        rule_lines[0] = rule_lines[0][len(RECURRENCE_NOTE) :]
    rule = "\n".join(rule_lines).strip()
    return description, participants or None, rule or None


class UnknownEventZone(UnreadableItem):
    """Graph gave an event's start or end in a zone we cannot read: reading it as UTC would move it."""


def _zone_name(value: Mapping[str, Any], fallback: str | None) -> str:
    """The zone a start/end is written in: its own, else the event's original zone, else UTC (Graph's
    default rendering). A zone neither Windows nor IANA is an error, never a guess."""
    name = str(value.get("timeZone") or fallback or "UTC")
    try:
        to_iana(name)
    except UnknownTimeZone as error:
        raise UnknownEventZone(f"unknown time zone {name!r} in the Outlook event") from error
    return name


def series_zone(item: Mapping[str, Any]) -> str | None:
    """The zone a series repeats in: the event's own (`originalStartTimeZone`, resources/event.md), else the
    range's `recurrenceTimeZone` ("the time zone of the event" when absent: recurrencerange.md), else the
    zone its start is rendered in; None when none of them is a zone we know."""
    recurrence = item.get("recurrence")
    recurrence_range = recurrence.get("range") if isinstance(recurrence, Mapping) else None
    start = item.get("start")
    candidates = (
        item.get("originalStartTimeZone"),
        recurrence_range.get("recurrenceTimeZone") if isinstance(recurrence_range, Mapping) else None,
        start.get("timeZone") if isinstance(start, Mapping) else None,
    )
    for name in candidates:
        if name:
            try:
                to_iana(str(name))
            except UnknownTimeZone:
                continue
            return str(name)
    return None


def _moment(value: Any, original_zone: str | None) -> datetime | None:
    if not isinstance(value, Mapping) or not value.get("dateTime"):
        return None
    return parse_graph_datetime(
        {"dateTime": str(value["dateTime"]), "timeZone": _zone_name(value, original_zone)}
    )


def read_times(item: Mapping[str, Any]) -> tuple[datetime | date | None, datetime | date | None]:
    """Canonical start/end: aware UTC datetimes, or for all-day events dates with the end exclusive."""
    start = _moment(item.get("start"), item.get("originalStartTimeZone"))
    end = _moment(item.get("end"), item.get("originalEndTimeZone") or item.get("originalStartTimeZone"))
    if item.get("isAllDay"):
        # All-day dates are wall-clock midnights whatever zone Graph reports them in.
        first = start.date() if start else None
        after = end.date() if end else None
        if first is not None and (after is None or after <= first):
            after = first + timedelta(days=1)
        return first, after
    return (start.astimezone(UTC) if start else None), (end.astimezone(UTC) if end else None)


def read_event(item: Mapping[str, Any]) -> dict[str, JsonValue]:
    """Every canonical field of a Graph event; `recurrence` is an RRULE (Graph's, or one kept in the body)."""
    start, end = read_times(item)
    description, participants, kept_rule = split_body(body_to_text(item.get("body")))
    location = item.get("location")
    recurrence: str | None = kept_rule
    if item.get("recurrence"):
        try:
            recurrence = graph_to_rrule(item["recurrence"])
        except UnsupportedRecurrence:
            recurrence = kept_rule
    reminder = item.get("reminderMinutesBeforeStart")
    return {
        "title": item.get("subject"),
        "start": start,
        "end": end,
        "all_day": bool(item.get("isAllDay")),
        "location": location.get("displayName") if isinstance(location, Mapping) else None,
        "description": description,
        "participants": participants,
        "reminder_minutes": int(reminder) if item.get("isReminderOn") and reminder is not None else None,
        "recurrence": recurrence,
    }


def _is_date(value: JsonValue) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def _timed(moment: datetime, time_zone: str) -> dict[str, str]:
    """`{dateTime, timeZone}` in `time_zone`, or in UTC when the local time is ambiguous (the repeated hour
    when clocks go back): a wall time cannot say which of the two it means, so it would shift by an hour."""
    local = moment.astimezone(zone(time_zone))
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        return graph_datetime(moment, "UTC")
    return graph_datetime(moment, time_zone)


def write_times(start: JsonValue, end: JsonValue, time_zone: str) -> dict[str, Any]:
    """`start`, `end` and `isAllDay`, written in the user's zone so Outlook shows local times."""
    windows = to_windows(time_zone)
    if _is_date(start) and _is_date(end):
        assert isinstance(start, date) and isinstance(end, date)
        graph_start, graph_end = graph_all_day(start, max(start, end - timedelta(days=1)), windows)
        return {"start": graph_start, "end": graph_end, "isAllDay": True}
    if isinstance(start, datetime) and isinstance(end, datetime):
        return {"start": _timed(start, windows), "end": _timed(end, windows), "isAllDay": False}
    raise ValueError("start and end must both be dates (all-day) or both date-times")


def graph_recurrence(rule: str | None, start: JsonValue, time_zone: str) -> dict[str, Any] | None:
    """Graph's patternedRecurrence for `rule`; raises UnsupportedRecurrence for rules Outlook lacks."""
    if not rule:
        return None
    first = start if isinstance(start, date) else None
    return rrule_to_graph(rule, first, to_windows(time_zone))


def write_event(fields: Mapping[str, JsonValue], time_zone: str) -> dict[str, Any]:
    """The Graph event body for just `fields` (see calendar_kind for which fields must travel together)."""
    body: dict[str, Any] = {}
    if "title" in fields:
        body["subject"] = str(fields["title"] or "")
    if "start" in fields or "end" in fields:
        body.update(write_times(fields.get("start"), fields.get("end"), time_zone))
    elif "all_day" in fields:
        raise ValueError("all_day is written with start and end")
    if "location" in fields:
        body["location"] = {"displayName": str(fields["location"] or "")}
    if "reminder_minutes" in fields:
        minutes = fields["reminder_minutes"]
        if isinstance(minutes, int | float):
            body.update(isReminderOn=True, reminderMinutesBeforeStart=int(minutes))
        else:
            body["isReminderOn"] = False
    unsupported: str | None = None
    if "recurrence" in fields:
        rule = str(fields["recurrence"] or "") or None
        try:
            body["recurrence"] = graph_recurrence(rule, fields.get("start"), time_zone)
        except UnsupportedRecurrence:
            # Never wrong times: one instance at the right time, and the rule kept in the body.
            body["recurrence"] = None
            unsupported = rule
    if "description" in fields or "participants" in fields:
        description, participants = fields.get("description"), fields.get("participants")
        text = compose_body(
            str(description) if description else None,
            str(participants) if participants else None,
            unsupported,
        )
        body["body"] = text_to_body(text)
    return body
