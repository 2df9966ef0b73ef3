"""Outlook's recurring series (Graph's `patternedRecurrence`) expanded into occurrences; pure, no state.

`expand(recurrence, start, end, window_start, window_end)` is the whole API; `check(recurrence)` validates.

Sources (microsoftgraph/microsoft-graph-docs-contrib):
- `api-reference/v1.0/resources/recurrencepattern.md`: the six pattern types, their properties, `index`
  (`first`..`fourth`, `last`, default `first`), `firstDayOfWeek` (default `sunday`); with several
  `daysOfWeek` a relative pattern "falls on the first day that satisfies the pattern".
- `api-reference/v1.0/resources/recurrencerange.md` and `concepts/outlook-schedule-recurring-events.md`:
  the `endDate`, `noEnd` and `numbered` ranges; `recurrenceTimeZone` is the zone of `startDate`/`endDate`,
  the event's time zone when absent; "the first occurrence of the meeting might not occur on this date if it
  does not fit the pattern" (RFC 5545 always counts DTSTART as the first instance: Outlook does not); the
  relativeMonthly example with `interval: 2` from 2017-08-29 says the first occurrence is in September, so
  the interval counts from the first occurrence's period, not from the start date's (RFC 5545 counts from
  DTSTART's month: that would give October).
- Values are compared case-insensitively: the concept page writes `"Thursday"`, the resource pages `thursday`.

Where the Graph pages are silent:
- `dayOfMonth` past the end of a month (31 in April, 29/30/31 in February). RFC 5545 skips that month;
  Microsoft's CDO reference for `RecurrencePattern.DayOfMonth` (msdn ms528295) says Outlook generates the
  occurrence on the month's last day ("Outlook and CDO generate recurrences on February 28"), and [MS-OXICAL]
  2.1.3.2.2.3 maps `BYMONTHDAY=-1` to day 31. The expander follows Outlook: the last day of the month.
- The weekly and yearly patterns get the same first-occurrence anchoring as the documented monthly example.
- Occurrences keep the series' wall-clock time in the start's time zone across DST changes, and the wall-clock
  length of the series event (an all-day event stays whole days).

The rules are built with python-dateutil's `rrule` (RFC 5545) and adjusted for the Outlook rules above.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from dateutil import rrule

from .timezones import parse_wall_time, resolve_zone

PATTERN_TYPES = ("daily", "weekly", "absoluteMonthly", "relativeMonthly", "absoluteYearly", "relativeYearly")
RANGE_TYPES = ("endDate", "noEnd", "numbered")
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RRULE_DAYS = dict(
    zip(DAYS, (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU), strict=True)
)
_INDEX = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1}
_FREQ = {
    "daily": rrule.DAILY,
    "weekly": rrule.WEEKLY,
    "absolutemonthly": rrule.MONTHLY,
    "relativemonthly": rrule.MONTHLY,
    "absoluteyearly": rrule.YEARLY,
    "relativeyearly": rrule.YEARLY,
}
# A numbered series that never reaches the count (none should) stops here rather than looping for ever.
_MAX_SCAN_YEARS = 400


class RecurrenceError(ValueError):
    """A recurrence Graph would refuse; the message names the property."""


@dataclass(frozen=True)
class Occurrence:
    """One occurrence, as aware UTC date-times. `start` is also its `originalStart` in the series."""

    start: datetime
    end: datetime


def _lower(value: Any) -> str:
    return str(value or "").strip().lower()


def _int(pattern: Mapping[str, Any], name: str, low: int, high: int, default: int | None = None) -> int:
    value = pattern.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise RecurrenceError(f"recurrence.pattern.{name} must be a number from {low} to {high}.")
    return value


def _days(pattern: Mapping[str, Any]) -> list[rrule.weekday]:
    names = pattern.get("daysOfWeek")
    if not isinstance(names, list) or not names:
        raise RecurrenceError("recurrence.pattern.daysOfWeek is required for this pattern type.")
    if any(_lower(name) not in _RRULE_DAYS for name in names):
        raise RecurrenceError(f"recurrence.pattern.daysOfWeek has an unknown day: {names}.")
    return [_RRULE_DAYS[_lower(name)] for name in names]


def _date(value: Any, name: str) -> date:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise RecurrenceError(f"recurrence.range.{name} must be a date (yyyy-mm-dd).") from exc


def _rule_parts(pattern: Mapping[str, Any]) -> dict[str, Any]:
    """The dateutil arguments of a pattern, apart from dtstart, interval and the range."""
    kind = _lower(pattern.get("type"))
    if kind not in _FREQ:
        raise RecurrenceError(f"recurrence.pattern.type must be one of {', '.join(PATTERN_TYPES)}.")
    parts: dict[str, Any] = {"freq": _FREQ[kind]}
    if kind == "weekly":
        parts["byweekday"] = _days(pattern)
        first_day = _lower(pattern.get("firstDayOfWeek") or "sunday")
        if first_day not in _RRULE_DAYS:
            raise RecurrenceError("recurrence.pattern.firstDayOfWeek is not a day of the week.")
        parts["wkst"] = _RRULE_DAYS[first_day]
    if kind.endswith("yearly"):
        parts["bymonth"] = _int(pattern, "month", 1, 12)
    if kind.startswith("absolute"):
        day = _int(pattern, "dayOfMonth", 1, 31)
        # Past the month's end the occurrence falls on its last day (Outlook, see the module docstring):
        # of {day, last day}, the earlier one.
        parts["bymonthday"] = (day,) if day <= 28 else (day, -1)
        if day > 28:
            parts["bysetpos"] = 1
    if kind.startswith("relative"):
        parts["byweekday"] = _days(pattern)
        index = _lower(pattern.get("index") or "first")
        if index not in _INDEX:
            raise RecurrenceError("recurrence.pattern.index must be first, second, third, fourth or last.")
        parts["bysetpos"] = _INDEX[index]
    return parts


@dataclass(frozen=True)
class _Series:
    parts: dict[str, Any]
    interval: int
    range_type: str
    start_date: date
    end_date: date | None
    count: int | None
    range_zone: tzinfo


def _series(recurrence: Mapping[str, Any], start_zone: tzinfo) -> _Series:
    if not isinstance(recurrence, Mapping):
        raise RecurrenceError("recurrence must be an object with pattern and range.")
    pattern, range_ = recurrence.get("pattern"), recurrence.get("range")
    if not isinstance(pattern, Mapping) or not isinstance(range_, Mapping):
        raise RecurrenceError("recurrence needs both pattern and range.")
    parts = _rule_parts(pattern)
    interval = _int(pattern, "interval", 1, 999, default=1)
    range_type = _lower(range_.get("type"))
    if range_type not in {r.lower() for r in RANGE_TYPES}:
        raise RecurrenceError(f"recurrence.range.type must be one of {', '.join(RANGE_TYPES)}.")
    zone_name = range_.get("recurrenceTimeZone")
    range_zone = resolve_zone(str(zone_name)) if zone_name else start_zone
    if range_zone is None:
        raise RecurrenceError(f"recurrence.range.recurrenceTimeZone '{zone_name}' is not supported.")
    start_date = _date(range_.get("startDate"), "startDate")
    end_date = _date(range_.get("endDate"), "endDate") if range_type == "enddate" else None
    if end_date is not None and end_date < start_date:
        raise RecurrenceError("recurrence.range.endDate is before its startDate.")
    count = _int(range_, "numberOfOccurrences", 1, 999_999) if range_type == "numbered" else None
    return _Series(parts, interval, range_type, start_date, end_date, count, range_zone)


def check(recurrence: Mapping[str, Any]) -> None:
    """Raise RecurrenceError when Graph would refuse the recurrence (missing or unsupported values)."""
    _series(recurrence, UTC)


def _zone(moment: Mapping[str, Any]) -> tzinfo:
    zone = resolve_zone(str(moment.get("timeZone", "UTC")))
    if zone is None:
        raise RecurrenceError(f"Time zone '{moment.get('timeZone')}' is not supported.")
    return zone


def _wall(moment: Mapping[str, Any], zone: tzinfo) -> datetime:
    """A dateTimeTimeZone as naive wall-clock time in `zone`."""
    own = _zone(moment)
    aware = parse_wall_time(str(moment["dateTime"])).replace(tzinfo=own)
    return aware.astimezone(zone).replace(tzinfo=None)


def _to_utc(wall: datetime, zone: tzinfo) -> datetime:
    return wall.replace(tzinfo=zone).astimezone(UTC)


def local_starts(recurrence: Mapping[str, Any], start: Mapping[str, Any]) -> Iterator[datetime]:
    """Every occurrence start as naive wall time in the start's zone, in order (endless for `noEnd`)."""
    zone = _zone(start)
    series = _series(recurrence, zone)
    time_of_day = _wall(start, zone).time()
    first_candidate = datetime.combine(series.start_date, time_of_day)
    scan_until = first_candidate + timedelta(days=366 * _MAX_SCAN_YEARS)
    # The first occurrence is the first date on or after startDate that fits the pattern (interval ignored).
    first = rrule.rrule(dtstart=first_candidate, interval=1, until=scan_until, **series.parts).after(
        first_candidate, inc=True
    )
    if first is None:
        return
    # dateutil refuses count and until together.
    limit = {"count": series.count} if series.count is not None else {"until": scan_until}
    rule = rrule.rrule(dtstart=first, interval=series.interval, **limit, **series.parts)
    for wall in rule:
        # endDate is a date in recurrenceTimeZone: an occurrence counts while its date there is not later.
        if (
            series.end_date is not None
            and _to_utc(wall, zone).astimezone(series.range_zone).date() > series.end_date
        ):
            return
        yield wall


def expand(
    recurrence: Mapping[str, Any],
    start: Mapping[str, Any],
    end: Mapping[str, Any],
    window_start: datetime,
    window_end: datetime,
) -> list[Occurrence]:
    """The occurrences of a series that overlap [window_start, window_end) (aware datetimes), by start.

    `start` and `end` are the series master's dateTimeTimeZone values; an occurrence lasts as long, in
    wall-clock time, as the master. An occurrence of zero length counts when it starts inside the window.
    """
    zone = _zone(start)
    length = _wall(end, zone) - _wall(start, zone)
    found: list[Occurrence] = []
    for wall in local_starts(recurrence, start):
        begins = _to_utc(wall, zone)
        if begins >= window_end:
            break
        ends = _to_utc(wall + length, zone)
        if ends > window_start or (ends == begins and begins >= window_start):
            found.append(Occurrence(begins, ends))
    return found
