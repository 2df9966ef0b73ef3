"""Recruit date-times: ISO 8601 with an offset and no milliseconds (`2026-11-24T10:00:00+05:30`).

Parsing gives aware datetimes; formatting writes an aware datetime in a chosen IANA zone.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo


def parse_recruit_datetime(value: str) -> datetime:
    """An aware datetime from a Recruit value; a value without offset is taken as UTC."""
    parsed = datetime.fromisoformat(value.strip())
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def parse_optional(value: object) -> datetime | None:
    """Like parse_recruit_datetime, but None for missing or unreadable values."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return parse_recruit_datetime(value)
    except ValueError:
        return None


def format_recruit_datetime(moment: datetime, time_zone: str = "UTC") -> str:
    """`moment` in `time_zone` without fractions of a second, as Recruit accepts it."""
    if moment.tzinfo is None:
        raise ValueError("Recruit date-times need an aware datetime")
    local = moment.astimezone(ZoneInfo(time_zone)).replace(microsecond=0)
    return local.isoformat()
