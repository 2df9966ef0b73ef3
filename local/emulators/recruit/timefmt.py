"""Date-times as Zoho handles them: instants stored in UTC, shown in the caller's zone without milliseconds.

Writes accept any offset; all-day values keep their calendar date whatever the reader's zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo


def parse_instant(raw: str) -> datetime:
    """An ISO 8601 date-time that carries an offset (Zoho rejects a bare local time)."""
    value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError("a date-time needs an offset")
    return value.astimezone(UTC).replace(microsecond=0)


def parse_day(raw: str) -> date:
    """A calendar date, given either as YYYY-MM-DD or as a date-time whose local date is taken as written."""
    if len(raw) == 10:
        return date.fromisoformat(raw)
    return datetime.fromisoformat(raw.replace("Z", "+00:00")).date()


def format_instant(value: datetime, zone: str) -> str:
    return value.astimezone(ZoneInfo(zone)).replace(microsecond=0).isoformat()


def format_day_start(value: date, zone: str) -> str:
    """An all-day boundary: midnight of that date in the reader's zone, so the date never shifts."""
    return datetime.combine(value, time(0), tzinfo=ZoneInfo(zone)).isoformat()


def parse_since(raw: str) -> datetime:
    """`If-Modified-Since`: Zoho takes ISO 8601; an HTTP date is accepted too."""
    try:
        return parse_instant(raw)
    except ValueError:
        return parsedate_to_datetime(raw).astimezone(UTC)
