"""Six-field NCRONTAB schedules (`sec min hour day month day-of-week`) as used by Azure timer triggers.

Pure: parse a schedule once, then ask for the next occurrence after any moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

_MONTH_NAMES = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
_DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
# (name, low, high, names mapped to their numbers)
_FIELDS: list[tuple[str, int, int, dict[str, int]]] = [
    ("second", 0, 59, {}),
    ("minute", 0, 59, {}),
    ("hour", 0, 23, {}),
    ("day", 1, 31, {}),
    ("month", 1, 12, {name: i + 1 for i, name in enumerate(_MONTH_NAMES)}),
    ("day-of-week", 0, 7, {name: i for i, name in enumerate(_DAY_NAMES)}),
]
# A schedule that matches nothing (31 February) must not loop forever.
_SEARCH_LIMIT = timedelta(days=366 * 8)


class CronError(ValueError):
    """The expression is not a valid NCRONTAB schedule."""


@dataclass(frozen=True)
class Schedule:
    expression: str
    seconds: frozenset[int]
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]  # 0 = Sunday

    def matches(self, moment: datetime) -> bool:
        return (
            moment.second in self.seconds
            and moment.minute in self.minutes
            and moment.hour in self.hours
            and self._day_matches(moment)
        )

    def _day_matches(self, moment: datetime) -> bool:
        # NCrontab requires both day fields to match (Vixie cron would accept either).
        weekday = (moment.weekday() + 1) % 7
        return moment.month in self.months and moment.day in self.days and weekday in self.weekdays

    def next_after(self, moment: datetime) -> datetime:
        """The first whole second strictly after `moment` that the schedule matches (same tzinfo)."""
        candidate = moment.replace(microsecond=0) + timedelta(seconds=1)
        limit = moment + _SEARCH_LIMIT
        while candidate <= limit:
            if not self._day_matches(candidate):
                candidate = candidate.replace(hour=0, minute=0, second=0) + timedelta(days=1)
            elif candidate.hour not in self.hours:
                candidate = candidate.replace(minute=0, second=0) + timedelta(hours=1)
            elif candidate.minute not in self.minutes:
                candidate = candidate.replace(second=0) + timedelta(minutes=1)
            elif candidate.second not in self.seconds:
                candidate += timedelta(seconds=1)
            else:
                return candidate
        raise CronError(f"schedule {self.expression!r} has no occurrence after {moment.isoformat()}")


def parse(expression: str) -> Schedule:
    """Parse `{second} {minute} {hour} {day} {month} {day-of-week}`; five fields mean second 0."""
    fields = expression.split()
    if len(fields) == 5:
        fields = ["0", *fields]
    if len(fields) != 6:
        raise CronError(f"{expression!r}: expected 6 fields, got {len(fields)}")
    values = [_parse_field(text, *spec) for text, spec in zip(fields, _FIELDS, strict=True)]
    weekdays = frozenset(day % 7 for day in values[5])  # 7 is Sunday too
    return Schedule(expression, values[0], values[1], values[2], values[3], values[4], weekdays)


def _parse_field(text: str, name: str, low: int, high: int, names: dict[str, int]) -> frozenset[int]:
    selected: set[int] = set()
    for part in text.split(","):
        selected.update(_parse_part(part, name, low, high, names))
    return frozenset(selected)


def _parse_part(part: str, name: str, low: int, high: int, names: dict[str, int]) -> range:
    range_text, _, step_text = part.partition("/")
    step = _number(step_text, name, names) if step_text else 1
    if step < 1:
        raise CronError(f"{name}: step must be positive in {part!r}")
    if range_text == "*":
        start, end = low, high
    elif "-" in range_text:
        first, _, last = range_text.partition("-")
        start, end = _number(first, name, names), _number(last, name, names)
    else:
        start = _number(range_text, name, names)
        # `5/15` means from 5 to the end of the range, every 15.
        end = high if step_text else start
    if not low <= start <= end <= high:
        raise CronError(f"{name}: {part!r} is outside {low}-{high} or reversed")
    return range(start, end + 1, step)


def _number(text: str, name: str, names: dict[str, int]) -> int:
    if text.upper() in names:
        return names[text.upper()]
    if not text.isdigit():
        raise CronError(f"{name}: {text!r} is not a number")
    return int(text)
