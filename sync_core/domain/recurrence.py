"""Recurrence rules mapped between RFC 5545 RRULEs (read by rrule.py) and Graph's `patternedRecurrence`,
for the shapes whose occurrences are the same on both sides.

Anything else raises UnsupportedRecurrence, so the engine syncs one instance and keeps the rule: never wrong
times. Outlook's rules follow `resources/recurrencepattern.md` and `recurrencerange.md` of the Graph v1.0
reference; where Outlook and RFC 5545 differ, the mapping below says how it keeps the occurrence sets equal.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from sync_core.domain.rrule import (
    CODE_BY_DAY,
    DAY_BY_CODE,
    DAYS,
    RFC_WEEK_START,
    UnsupportedRecurrence,
    parse_rrule,
    until_moment,
    wall_start,
)

# The rule's error is this module's too: rrule_to_graph and graph_to_rrule raise it.
__all__ = ["DAYS", "UnsupportedRecurrence", "canonical_rule", "graph_to_rrule", "rrule_to_graph"]

_INDEX_BY_ORDINAL = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
_ORDINAL_BY_INDEX = {name: number for number, name in _INDEX_BY_ORDINAL.items()}
_SUPPORTED_PARTS = frozenset(
    {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "COUNT", "UNTIL", "WKST"}
)


def _days_with_ordinal(byday: str) -> tuple[list[str], int | None]:
    days: list[str] = []
    ordinals: list[int | None] = []
    for item in byday.split(","):
        code, number = item.strip()[-2:], item.strip()[:-2]
        if code not in DAY_BY_CODE or (number and not number.lstrip("+-").isdigit()):
            raise UnsupportedRecurrence(f"unknown BYDAY value {item!r}")
        days.append(DAY_BY_CODE[code])
        ordinals.append(int(number) if number else None)
    if len(set(days)) != len(days):
        raise UnsupportedRecurrence(f"BYDAY={byday}: a day named twice")
    if any(ordinal is not None for ordinal in ordinals) and len(days) > 1:
        # "1MO,1TU" is two occurrences a month; Outlook's several days with an index is one (the first day
        # that satisfies the pattern: recurrencepattern.md, daysOfWeek), which RFC 5545 writes with BYSETPOS.
        raise UnsupportedRecurrence(f"BYDAY={byday}: Outlook takes one position for all its days")
    return sorted(days, key=DAYS.index), ordinals[0]


def _single_number(parts: Mapping[str, str], key: str, low: int, high: int) -> int | None:
    if key not in parts:
        return None
    text = parts[key]
    if "," in text:
        raise UnsupportedRecurrence(f"{key}={text}: Outlook takes a single value")
    try:
        number = int(text)
    except ValueError as error:
        raise UnsupportedRecurrence(f"{key}={text} is not a number") from error
    if not low <= number <= high:
        raise UnsupportedRecurrence(f"{key}={text}: Outlook takes {low}..{high}")
    return number


def _month_lengths(month: int | None) -> tuple[int, int]:
    """The shortest and longest length of `month` (None: any month)."""
    if month is None:
        return 28, 31
    return calendar.monthrange(2023, month)[1], calendar.monthrange(2024, month)[1]


def _outlook_day_of_month(parts: Mapping[str, str], default_day: int, month: int | None) -> int:
    """Outlook's dayOfMonth for an RFC month-day rule with the same occurrences.

    Outlook moves a dayOfMonth past the end of a short month to its last day; RFC 5545 skips the month. So:
    a day every month has is that day; BYMONTHDAY=-1 ("last day") is the longest month's length; and
    "BYMONTHDAY=d,-1;BYSETPOS=1" (d, or the last day when the month is shorter) is d. A bare d that some
    months lack has no Outlook equivalent.
    """
    shortest, longest = _month_lengths(month)
    text = parts.get("BYMONTHDAY")
    if text is None:
        day = default_day
    elif text == "-1":
        return longest
    elif text.endswith(",-1") and parts.get("BYSETPOS") == "1":
        day = int(text.split(",")[0]) if text.split(",")[0].isdigit() else 0
        if shortest < day < longest:
            return day
        raise UnsupportedRecurrence(f"BYMONTHDAY={text};BYSETPOS=1: not a day that short months lack")
    else:
        day = _single_number(parts, "BYMONTHDAY", 1, 31) or default_day
    if day > shortest:
        raise UnsupportedRecurrence(
            f"day {day}: RFC 5545 skips months without it, Outlook moves to their last day"
        )
    return day


def _relative_index(parts: Mapping[str, str], ordinal: int | None, days: list[str]) -> str:
    """Outlook's index for BYDAY=<n><day> or BYDAY=<days>;BYSETPOS=<n>."""
    setpos = _single_number(parts, "BYSETPOS", -1, 4) if "BYSETPOS" in parts else None
    if ordinal is not None and setpos is not None:
        raise UnsupportedRecurrence("BYDAY with a position and BYSETPOS together")
    position = ordinal if ordinal is not None else setpos
    if position not in _INDEX_BY_ORDINAL:
        raise UnsupportedRecurrence(f"position {position}: Outlook knows first..fourth and last only")
    assert position is not None and days
    return _INDEX_BY_ORDINAL[position]


def rrule_to_graph(rule: str, start: date | datetime | None, time_zone: str) -> dict[str, Any]:
    """Graph `patternedRecurrence` for an RRULE whose series starts at `start` (or the rule's DTSTART) in
    `time_zone`; the same occurrences on both sides, or UnsupportedRecurrence."""
    parts = parse_rrule(rule)
    unsupported = sorted(set(parts) - _SUPPORTED_PARTS - {"DTSTART"})
    if unsupported:
        raise UnsupportedRecurrence(f"RRULE parts Outlook cannot express: {', '.join(unsupported)}")
    if start is None and "DTSTART" in parts:
        start = until_moment(parts["DTSTART"].split("T")[0], time_zone)[0].date()
    if start is None:
        raise UnsupportedRecurrence("no start date for the recurrence")
    first = wall_start(start, time_zone)
    interval = _single_number(parts, "INTERVAL", 1, 99) or 1
    month = _single_number(parts, "BYMONTH", 1, 12)
    days, ordinal = _days_with_ordinal(parts["BYDAY"]) if "BYDAY" in parts else ([], None)
    week_start = DAY_BY_CODE.get(parts.get("WKST", RFC_WEEK_START))
    if week_start is None:
        raise UnsupportedRecurrence(f"unknown WKST {parts['WKST']!r}")
    pattern: dict[str, Any] = {
        "type": "",
        "interval": interval,
        "month": 0,
        "dayOfMonth": 0,
        "daysOfWeek": [],
        "firstDayOfWeek": week_start,
        "index": "first",
    }
    frequency = parts["FREQ"]
    month_day = "BYMONTHDAY" in parts
    set_position = "BYSETPOS" in parts
    if frequency == "DAILY" and not days and not month_day and month is None and not set_position:
        pattern["type"] = "daily"
    elif frequency == "DAILY" and days and ordinal is None and interval == 1 and not (month or month_day):
        if set_position:
            raise UnsupportedRecurrence("BYSETPOS on a daily rule")
        # "Every weekday" is a daily rule in RRULE and a weekly one in Outlook.
        pattern.update(type="weekly", daysOfWeek=days)
    elif frequency == "WEEKLY" and ordinal is None and not month_day and month is None and not set_position:
        pattern.update(type="weekly", daysOfWeek=days or [DAYS[first.weekday()]])
    elif frequency in ("MONTHLY", "YEARLY") and not (days and month_day):
        if frequency == "MONTHLY" and month is not None:
            raise UnsupportedRecurrence("a monthly rule limited to some months")
        yearly = frequency == "YEARLY"
        if yearly and month is None and (days or month_day):
            # Without BYMONTH, RFC 5545 counts BYDAY positions in the year and repeats BYMONTHDAY every month.
            raise UnsupportedRecurrence("a yearly rule with days but no BYMONTH")
        if yearly:
            pattern["month"] = month or first.month
        if days:
            index = _relative_index(parts, ordinal, days)
            kind = "relativeYearly" if yearly else "relativeMonthly"
            pattern.update(type=kind, daysOfWeek=days, index=index)
        else:
            if set_position and not parts.get("BYMONTHDAY", "").endswith(",-1"):
                raise UnsupportedRecurrence("BYSETPOS without weekdays or a 'last day' fallback")
            day = _outlook_day_of_month(parts, first.day, pattern["month"] or None)
            pattern.update(type="absoluteYearly" if yearly else "absoluteMonthly", dayOfMonth=day)
    else:
        raise UnsupportedRecurrence(f"Outlook cannot express {rule!r}")
    return {"pattern": pattern, "range": _graph_range(parts, first, time_zone)}


def _graph_range(parts: Mapping[str, str], first: datetime, time_zone: str) -> dict[str, Any]:
    recurrence_range: dict[str, Any] = {
        "type": "noEnd",
        "startDate": first.date().isoformat(),
        "endDate": "0001-01-01",
        "numberOfOccurrences": 0,
        "recurrenceTimeZone": time_zone,
    }
    if "COUNT" in parts:
        count = _single_number(parts, "COUNT", 1, 999)
        recurrence_range.update(type="numbered", numberOfOccurrences=count)
    elif "UNTIL" in parts:
        until, _ = until_moment(parts["UNTIL"], time_zone)
        # RFC 5545: UNTIL bounds the occurrence's start, so an UNTIL earlier in the day than the series'
        # start time excludes that day; Outlook's endDate includes its whole day (recurrencerange.md).
        last_day = until.date() if until.time() >= first.time() else until.date() - timedelta(days=1)
        if last_day < first.date():
            raise UnsupportedRecurrence("UNTIL before the series start: Graph refuses an endDate before it")
        recurrence_range.update(type="endDate", endDate=last_day.isoformat())
    return recurrence_range


def graph_to_rrule(recurrence: Mapping[str, Any]) -> str:
    """An RRULE in the form Recruit stores (`FREQ=..;INTERVAL=..;..;WKST=..;UNTIL=YYYY-MM-DD;DTSTART=..`),
    meaning the same occurrences by RFC 5545 as the pattern does in Outlook."""
    pattern: Mapping[str, Any] = recurrence.get("pattern") or {}
    recurrence_range: Mapping[str, Any] = recurrence.get("range") or {}
    kind = pattern.get("type")
    days = [str(day).lower() for day in pattern.get("daysOfWeek") or []]
    if any(day not in CODE_BY_DAY for day in days):
        raise UnsupportedRecurrence(f"unknown daysOfWeek {days}")
    codes = [CODE_BY_DAY[day] for day in sorted(set(days), key=DAYS.index)]
    parts: list[str] = []
    if kind == "daily":
        parts.append("FREQ=DAILY")
    elif kind == "weekly":
        parts += ["FREQ=WEEKLY", f"BYDAY={','.join(codes)}"]
    elif kind == "absoluteMonthly":
        parts += ["FREQ=MONTHLY", *_rfc_month_day(int(pattern["dayOfMonth"]), None)]
    elif kind == "relativeMonthly":
        parts += ["FREQ=MONTHLY", *_rfc_relative(codes, pattern)]
    elif kind == "absoluteYearly":
        month = int(pattern["month"])
        parts += ["FREQ=YEARLY", f"BYMONTH={month}", *_rfc_month_day(int(pattern["dayOfMonth"]), month)]
    elif kind == "relativeYearly":
        parts += ["FREQ=YEARLY", f"BYMONTH={int(pattern['month'])}", *_rfc_relative(codes, pattern)]
    else:
        raise UnsupportedRecurrence(f"unknown Graph recurrence pattern {kind!r}")
    parts.insert(1, f"INTERVAL={int(pattern.get('interval') or 1)}")
    # recurrencepattern.md: firstDayOfWeek "Default is sunday"; RFC 5545's is Monday: always write it.
    week_start = str(pattern.get("firstDayOfWeek") or "sunday").lower()
    if week_start not in CODE_BY_DAY:
        raise UnsupportedRecurrence(f"unknown firstDayOfWeek {week_start!r}")
    parts.append(f"WKST={CODE_BY_DAY[week_start]}")
    range_type = recurrence_range.get("type", "noEnd")
    if range_type == "numbered":
        parts.append(f"COUNT={int(recurrence_range['numberOfOccurrences'])}")
    elif range_type == "endDate":
        parts.append(f"UNTIL={recurrence_range['endDate']}")
    if recurrence_range.get("startDate"):
        parts.append(f"DTSTART={recurrence_range['startDate']}")
    return ";".join(parts)


def _rfc_month_day(day: int, month: int | None) -> list[str]:
    """RFC parts for Outlook's dayOfMonth, which falls on the last day of months too short for it."""
    if not 1 <= day <= 31:
        raise UnsupportedRecurrence(f"dayOfMonth {day}")
    shortest, longest = _month_lengths(month)
    if day <= shortest:
        return [f"BYMONTHDAY={day}"]
    if day >= longest:
        return ["BYMONTHDAY=-1"]
    return [f"BYMONTHDAY={day},-1", "BYSETPOS=1"]


def _rfc_relative(codes: list[str], pattern: Mapping[str, Any]) -> list[str]:
    """RFC parts for Outlook's index + daysOfWeek: with several days, the index counts the instances of any
    of them (recurrencepattern.md: "the event falls on the first day that satisfies the pattern")."""
    index = str(pattern.get("index") or "first")
    if index not in _ORDINAL_BY_INDEX or not codes:
        raise UnsupportedRecurrence(f"unknown Graph recurrence index {index!r} or no days")
    if len(codes) == 1:
        return [f"BYDAY={_ORDINAL_BY_INDEX[index]}{codes[0]}"]
    return [f"BYDAY={','.join(codes)}", f"BYSETPOS={_ORDINAL_BY_INDEX[index]}"]


def canonical_rule(rule: str | None, start: date | datetime | None, time_zone: str) -> str | None:
    """One spelling per rule, whichever side it came from: as Outlook would express it, with DTSTART the
    series' first day in `time_zone` and UNTIL a date. Rules Outlook cannot express stay as written."""
    text = (rule or "").strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    if not text:
        return None
    if start is None:
        return text
    try:
        return graph_to_rrule(rrule_to_graph(text, start, time_zone))
    except UnsupportedRecurrence:
        return text
