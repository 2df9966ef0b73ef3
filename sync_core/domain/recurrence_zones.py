"""Moving a recurrence rule from the zone a series repeats in to another zone, so that the occurrence set
stays the same where the two zones' dates differ (a 23:30 Monday series in Los Angeles is Tuesday in Berlin).

Outlook repeats a series in its own zone (the event's `originalStartTimeZone`; `recurrencepattern.md`,
`recurrencerange.md`: `recurrenceTimeZone` is the zone of `startDate`/`endDate`, "the time zone of the event"
when absent), while Recruit repeats an Event in the user's zone. A rule moves by shifting every day it names
by the difference between the start's dates in the two zones.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sync_core.domain.recurrence import DAYS, UnsupportedRecurrence
from sync_core.domain.rrule import parse_rrule
from sync_core.domain.timezones import zone

_CODES = tuple(day[:2].upper() for day in DAYS)  # MO, TU, ... SU: RFC 5545's weekday codes
# The shortest month a monthly rule meets: a day past it would move the occurrence into the next month.
_SHORTEST_MONTH = 28


def day_shift(start: datetime, from_zone: str, to_zone: str) -> int:
    """How many days the start's date in `to_zone` lies after its date in `from_zone` (-2..2)."""
    return (start.astimezone(zone(to_zone)).date() - start.astimezone(zone(from_zone)).date()).days


def move_rule(rule: str, start: datetime, from_zone: str, to_zone: str) -> str:
    """`rule` (repeating in `from_zone` from `start`) as the rule with the same occurrences repeating in
    `to_zone`; unchanged when the start falls on the same date in both zones.

    What moves: BYDAY days (with WKST, so an INTERVAL of weeks keeps counting the same weeks), a BYMONTHDAY
    that stays inside every month, a date UNTIL and Recruit's DTSTART. A shift the rule cannot take (an nth
    weekday, BYSETPOS, the last day of the month, a day that would cross into another month) raises
    UnsupportedRecurrence: no rule in the other zone repeats the same days.

    Both sides keep each occurrence's wall-clock time in their own zone, so where the two zones change their
    clocks on different dates an occurrence sits an hour apart for those weeks: no rule can say otherwise.
    The shift is the start's, which holds for every occurrence while the time of day is more than that hour
    away from midnight in either zone.
    """
    shift = day_shift(start, from_zone, to_zone)
    if shift == 0:
        return rule
    parts = parse_rrule(rule)
    moved = dict(parts)
    if "BYDAY" in parts:
        moved["BYDAY"] = _shift_days(parts["BYDAY"], shift)
        moved["WKST"] = _shift_code(parts.get("WKST", "MO"), shift)
    if "BYMONTHDAY" in parts:
        moved["BYMONTHDAY"] = _shift_month_day(parts["BYMONTHDAY"], shift)
    if "BYSETPOS" in parts:
        raise UnsupportedRecurrence("BYSETPOS counts days of the month: it does not move to another date")
    if parts["FREQ"] in ("MONTHLY", "YEARLY") and "BYMONTHDAY" not in parts and "BYDAY" not in parts:
        raise UnsupportedRecurrence("a monthly or yearly rule on the start's day: state the day to move it")
    for key in ("UNTIL", "DTSTART"):
        if key in parts and "T" not in parts[key]:
            moved[key] = _shift_date(parts[key], shift)
    return ";".join(f"{key}={value}" for key, value in moved.items())


def _shift_code(code: str, shift: int) -> str:
    if code not in _CODES:
        raise UnsupportedRecurrence(f"unknown weekday {code!r}")
    return _CODES[(_CODES.index(code) + shift) % 7]


def _shift_days(byday: str, shift: int) -> str:
    codes = [item.strip() for item in byday.split(",")]
    if any(len(code) != 2 for code in codes):
        # "1MO" + 1 day is "the day after the first Monday", which is not a weekday position.
        raise UnsupportedRecurrence(f"BYDAY={byday}: a weekday position does not move to another date")
    shifted = {_shift_code(code, shift) for code in codes}
    return ",".join(code for code in _CODES if code in shifted)


def _shift_month_day(text: str, shift: int) -> str:
    try:
        day = int(text)
    except ValueError as error:
        raise UnsupportedRecurrence(f"BYMONTHDAY={text}: several days do not move together") from error
    moved = day + shift
    if not (1 <= day <= _SHORTEST_MONTH and 1 <= moved <= _SHORTEST_MONTH):
        raise UnsupportedRecurrence(f"BYMONTHDAY={text}: the day would cross into another month")
    return str(moved)


def _shift_date(text: str, shift: int) -> str:
    digits = text.replace("-", "")
    moved = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8])) + timedelta(days=shift)
    return moved.isoformat() if "-" in text else moved.strftime("%Y%m%d")
