"""Recurrence rules: Recruit's RRULE text <-> Graph's `patternedRecurrence`, for the forms both can express.

Anything else raises UnsupportedRecurrence, so the engine syncs one instance and logs it: never wrong times.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sync_core.domain.timezones import zone

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DAY_BY_CODE = dict(zip(_RRULE_DAYS, DAYS, strict=True))
_CODE_BY_DAY = dict(zip(DAYS, _RRULE_DAYS, strict=True))
_INDEX_BY_ORDINAL = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
_ORDINAL_BY_INDEX = {name: number for number, name in _INDEX_BY_ORDINAL.items()}
_SUPPORTED_PARTS = frozenset(
    {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYMONTH", "COUNT", "UNTIL", "WKST", "DTSTART"}
)


class UnsupportedRecurrence(ValueError):
    """A rule one side cannot express; the message says which part."""


def parse_rrule(rule: str) -> dict[str, str]:
    """The parts of an RRULE (`RRULE:` prefix optional), keys upper-cased."""
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    parts: dict[str, str] = {}
    for piece in filter(None, text.split(";")):
        key, sep, value = piece.partition("=")
        if not sep or not value:
            raise UnsupportedRecurrence(f"malformed RRULE part {piece!r}")
        parts[key.strip().upper()] = value.strip()
    if "FREQ" not in parts:
        raise UnsupportedRecurrence("RRULE without FREQ")
    return parts


def _parse_day(text: str) -> date:
    """RRULE dates and date-times: 20261231, 2026-12-31, 20261231T235959Z (the date part is kept)."""
    digits = text.replace("-", "")
    try:
        return datetime.strptime(digits[:8], "%Y%m%d").date()
    except ValueError as error:
        raise UnsupportedRecurrence(f"unreadable date {text!r}") from error


def _until_day(text: str, time_zone: str) -> date:
    # A UTC date-time UNTIL ends on its date in the event's zone, which is how Graph's endDate reads.
    if "T" in text.upper() and text.upper().endswith("Z"):
        moment = datetime.strptime(text.replace("-", "").replace(":", "").upper(), "%Y%m%dT%H%M%SZ")
        return moment.replace(tzinfo=zone("UTC")).astimezone(zone(time_zone)).date()
    return _parse_day(text)


def _days_with_ordinal(byday: str) -> tuple[list[str], int | None]:
    days: list[str] = []
    ordinals: list[int | None] = []
    for item in byday.upper().split(","):
        code, number = item.strip()[-2:], item.strip()[:-2]
        if code not in _DAY_BY_CODE or (number and not number.lstrip("+-").isdigit()):
            raise UnsupportedRecurrence(f"unknown BYDAY value {item!r}")
        days.append(_DAY_BY_CODE[code])
        ordinals.append(int(number) if number else None)
    if len(set(ordinals)) > 1 or len(set(days)) != len(days):
        raise UnsupportedRecurrence(f"BYDAY={byday}: Outlook takes one position for all its days")
    ordinal = ordinals[0]
    if ordinal is not None and ordinal not in _INDEX_BY_ORDINAL:
        raise UnsupportedRecurrence(f"BYDAY={byday}: Outlook knows first..fourth and last only")
    return days, ordinal


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


def rrule_to_graph(rule: str, start: date | None, time_zone: str) -> dict[str, Any]:
    """Graph `patternedRecurrence` for an RRULE starting on `start` (or the rule's DTSTART) in `time_zone`."""
    parts = parse_rrule(rule)
    unsupported = sorted(set(parts) - _SUPPORTED_PARTS)
    if unsupported:
        raise UnsupportedRecurrence(f"RRULE parts Outlook cannot express: {', '.join(unsupported)}")
    first_day = start or (_parse_day(parts["DTSTART"]) if "DTSTART" in parts else None)
    if first_day is None:
        raise UnsupportedRecurrence("no start date for the recurrence")
    interval = _single_number(parts, "INTERVAL", 1, 99) or 1
    month_day = _single_number(parts, "BYMONTHDAY", 1, 31)
    month = _single_number(parts, "BYMONTH", 1, 12)
    days, ordinal = _days_with_ordinal(parts["BYDAY"]) if "BYDAY" in parts else ([], None)
    week_start = _DAY_BY_CODE.get(parts.get("WKST", "SU").upper(), "sunday")
    pattern: dict[str, Any] = {
        "type": "",
        "interval": interval,
        "month": 0,
        "dayOfMonth": 0,
        "daysOfWeek": [],
        "firstDayOfWeek": week_start,
        "index": "first",
    }
    frequency = parts["FREQ"].upper()
    if frequency == "DAILY" and not days and month_day is None and month is None:
        pattern["type"] = "daily"
    elif frequency == "DAILY" and days and ordinal is None and interval == 1 and month is None:
        # "Every weekday" is a daily rule in RRULE and a weekly one in Outlook.
        pattern.update(type="weekly", daysOfWeek=days)
    elif frequency == "WEEKLY" and ordinal is None and month_day is None and month is None:
        pattern.update(type="weekly", daysOfWeek=days or [DAYS[first_day.weekday()]])
    elif frequency == "MONTHLY" and month is None and not (days and month_day):
        if days:
            pattern.update(type="relativeMonthly", daysOfWeek=days, index=_index(ordinal, rule))
        else:
            pattern.update(type="absoluteMonthly", dayOfMonth=month_day or first_day.day)
    elif frequency == "YEARLY" and not (days and month_day):
        pattern["month"] = month or first_day.month
        if days:
            pattern.update(type="relativeYearly", daysOfWeek=days, index=_index(ordinal, rule))
        else:
            pattern.update(type="absoluteYearly", dayOfMonth=month_day or first_day.day)
    else:
        raise UnsupportedRecurrence(f"Outlook cannot express {rule!r}")
    return {"pattern": pattern, "range": _graph_range(parts, first_day, time_zone)}


def _index(ordinal: int | None, rule: str) -> str:
    if ordinal is None:
        raise UnsupportedRecurrence(
            f"{rule!r}: weekdays without a position need BYSETPOS, which Outlook lacks"
        )
    return _INDEX_BY_ORDINAL[ordinal]


def _graph_range(parts: Mapping[str, str], first_day: date, time_zone: str) -> dict[str, Any]:
    if "COUNT" in parts and "UNTIL" in parts:
        raise UnsupportedRecurrence("RRULE with both COUNT and UNTIL")
    recurrence_range: dict[str, Any] = {
        "type": "noEnd",
        "startDate": first_day.isoformat(),
        "endDate": "0001-01-01",
        "numberOfOccurrences": 0,
        "recurrenceTimeZone": time_zone,
    }
    if "COUNT" in parts:
        count = _single_number(parts, "COUNT", 1, 999)
        recurrence_range.update(type="numbered", numberOfOccurrences=count)
    elif "UNTIL" in parts:
        recurrence_range.update(type="endDate", endDate=_until_day(parts["UNTIL"], time_zone).isoformat())
    return recurrence_range


def graph_to_rrule(recurrence: Mapping[str, Any]) -> str:
    """An RRULE in the form Recruit stores (`FREQ=..;INTERVAL=..;..;UNTIL=YYYY-MM-DD;DTSTART=YYYY-MM-DD`)."""
    pattern: Mapping[str, Any] = recurrence.get("pattern") or {}
    recurrence_range: Mapping[str, Any] = recurrence.get("range") or {}
    kind = pattern.get("type")
    days = [str(day).lower() for day in pattern.get("daysOfWeek") or []]
    if any(day not in _CODE_BY_DAY for day in days):
        raise UnsupportedRecurrence(f"unknown daysOfWeek {days}")
    codes = [_CODE_BY_DAY[day] for day in days]
    parts: list[str] = []
    if kind == "daily":
        parts.append("FREQ=DAILY")
    elif kind == "weekly":
        parts += ["FREQ=WEEKLY", f"BYDAY={','.join(codes)}"]
    elif kind == "absoluteMonthly":
        parts += ["FREQ=MONTHLY", f"BYMONTHDAY={int(pattern['dayOfMonth'])}"]
    elif kind == "relativeMonthly":
        parts += ["FREQ=MONTHLY", f"BYDAY={_with_ordinal(codes, pattern)}"]
    elif kind == "absoluteYearly":
        parts += [
            "FREQ=YEARLY",
            f"BYMONTH={int(pattern['month'])}",
            f"BYMONTHDAY={int(pattern['dayOfMonth'])}",
        ]
    elif kind == "relativeYearly":
        parts += ["FREQ=YEARLY", f"BYMONTH={int(pattern['month'])}", f"BYDAY={_with_ordinal(codes, pattern)}"]
    else:
        raise UnsupportedRecurrence(f"unknown Graph recurrence pattern {kind!r}")
    parts.insert(1, f"INTERVAL={int(pattern.get('interval') or 1)}")
    week_start = str(pattern.get("firstDayOfWeek") or "sunday").lower()
    if week_start not in _CODE_BY_DAY:
        raise UnsupportedRecurrence(f"unknown firstDayOfWeek {week_start!r}")
    if week_start != "sunday":
        parts.append(f"WKST={_CODE_BY_DAY[week_start]}")
    range_type = recurrence_range.get("type", "noEnd")
    if range_type == "numbered":
        parts.append(f"COUNT={int(recurrence_range['numberOfOccurrences'])}")
    elif range_type == "endDate":
        parts.append(f"UNTIL={recurrence_range['endDate']}")
    if recurrence_range.get("startDate"):
        parts.append(f"DTSTART={recurrence_range['startDate']}")
    return ";".join(parts)


def _with_ordinal(codes: list[str], pattern: Mapping[str, Any]) -> str:
    index = str(pattern.get("index") or "first")
    if index not in _ORDINAL_BY_INDEX:
        raise UnsupportedRecurrence(f"unknown Graph recurrence index {index!r}")
    return ",".join(f"{_ORDINAL_BY_INDEX[index]}{code}" for code in codes)
