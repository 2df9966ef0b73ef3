"""Time zones as Graph names them (IANA and common Windows names) and the dateTimeTimeZone conversions.

Graph stores start/end as given and renders them in UTC unless `Prefer: outlook.timezone` names another zone.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

WINDOWS_ZONES = {
    "UTC": "UTC",
    "Coordinated Universal Time": "UTC",
    "GMT Standard Time": "Europe/London",
    "Greenwich Standard Time": "Atlantic/Reykjavik",
    "W. Europe Standard Time": "Europe/Berlin",
    "Romance Standard Time": "Europe/Paris",
    "Central Europe Standard Time": "Europe/Budapest",
    "Central European Standard Time": "Europe/Warsaw",
    "E. Europe Standard Time": "Europe/Chisinau",
    "FLE Standard Time": "Europe/Kiev",
    "Russian Standard Time": "Europe/Moscow",
    "Arabian Standard Time": "Asia/Dubai",
    "India Standard Time": "Asia/Kolkata",
    "Singapore Standard Time": "Asia/Singapore",
    "China Standard Time": "Asia/Shanghai",
    "Tokyo Standard Time": "Asia/Tokyo",
    "AUS Eastern Standard Time": "Australia/Sydney",
    "New Zealand Standard Time": "Pacific/Auckland",
    "Eastern Standard Time": "America/New_York",
    "Central Standard Time": "America/Chicago",
    "Mountain Standard Time": "America/Denver",
    "US Mountain Standard Time": "America/Phoenix",
    "Pacific Standard Time": "America/Los_Angeles",
    "Alaskan Standard Time": "America/Anchorage",
    "Hawaiian Standard Time": "Pacific/Honolulu",
    "E. South America Standard Time": "America/Sao_Paulo",
    "South Africa Standard Time": "Africa/Johannesburg",
}

_FRACTION = re.compile(r"(\.\d{1,6})\d*")
_PREFER_TZ = re.compile(r'outlook\.timezone\s*=\s*"([^"]+)"', re.IGNORECASE)


def resolve_zone(name: str) -> tzinfo | None:
    """The zone for a Graph time zone name, or None when it is not one we know."""
    if name.upper() == "UTC":
        return UTC
    iana = WINDOWS_ZONES.get(name, name)
    try:
        return ZoneInfo(iana)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def parse_wall_time(value: str) -> datetime:
    """A Graph `dateTime` (up to 7 fractional digits, usually no offset) as a naive wall-clock time."""
    text = _FRACTION.sub(lambda m: m.group(1), value.strip()).replace("Z", "+00:00")
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def to_utc(date_time: str, zone_name: str) -> datetime:
    zone = resolve_zone(zone_name) or UTC
    return parse_wall_time(date_time).replace(tzinfo=zone).astimezone(UTC)


def format_graph(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.0000000")


def render(stored: dict[str, str], target_name: str, all_day: bool) -> dict[str, str]:
    """A stored start/end as Graph returns it in `target_name` (all-day dates keep their wall-clock date)."""
    if all_day:
        return {"dateTime": format_graph(parse_wall_time(stored["dateTime"])), "timeZone": target_name}
    target = resolve_zone(target_name) or UTC
    moment = to_utc(stored["dateTime"], stored["timeZone"]).astimezone(target)
    return {"dateTime": format_graph(moment.replace(tzinfo=None)), "timeZone": target_name}


def preferred_zone(prefer_header: str) -> str:
    """The zone named by `Prefer: outlook.timezone="..."`, or UTC (Graph's default) when absent or unknown."""
    match = _PREFER_TZ.search(prefer_header or "")
    if match and resolve_zone(match.group(1)) is not None:
        return match.group(1)
    return "UTC"
