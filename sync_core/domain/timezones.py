"""Time zones and date-times as Graph and Recruit spell them: Windows/IANA names, `{dateTime, timeZone}`,
Recruit's ISO-with-offset strings, and all-day dates (midnight in the event's zone, Graph end exclusive)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Windows zone name -> IANA zone (CLDR windowsZones, territory 001), the zones Graph commonly returns.
WINDOWS_TO_IANA: Mapping[str, str] = {
    "Dateline Standard Time": "Etc/GMT+12",
    "UTC-11": "Etc/GMT+11",
    "Hawaiian Standard Time": "Pacific/Honolulu",
    "Alaskan Standard Time": "America/Anchorage",
    "Pacific Standard Time": "America/Los_Angeles",
    "Pacific Standard Time (Mexico)": "America/Tijuana",
    "US Mountain Standard Time": "America/Phoenix",
    "Mountain Standard Time": "America/Denver",
    "Central America Standard Time": "America/Guatemala",
    "Central Standard Time": "America/Chicago",
    "Central Standard Time (Mexico)": "America/Mexico_City",
    "Canada Central Standard Time": "America/Regina",
    "SA Pacific Standard Time": "America/Bogota",
    "Eastern Standard Time": "America/New_York",
    "US Eastern Standard Time": "America/Indiana/Indianapolis",
    "Atlantic Standard Time": "America/Halifax",
    "SA Western Standard Time": "America/La_Paz",
    "Newfoundland Standard Time": "America/St_Johns",
    "E. South America Standard Time": "America/Sao_Paulo",
    "Argentina Standard Time": "America/Argentina/Buenos_Aires",
    "Azores Standard Time": "Atlantic/Azores",
    "UTC": "Etc/UTC",
    "GMT Standard Time": "Europe/London",
    "Greenwich Standard Time": "Atlantic/Reykjavik",
    "Morocco Standard Time": "Africa/Casablanca",
    "W. Europe Standard Time": "Europe/Berlin",
    "Central Europe Standard Time": "Europe/Budapest",
    "Romance Standard Time": "Europe/Paris",
    "Central European Standard Time": "Europe/Warsaw",
    "W. Central Africa Standard Time": "Africa/Lagos",
    "GTB Standard Time": "Europe/Bucharest",
    "FLE Standard Time": "Europe/Kiev",
    "Israel Standard Time": "Asia/Jerusalem",
    "Egypt Standard Time": "Africa/Cairo",
    "South Africa Standard Time": "Africa/Johannesburg",
    "Turkey Standard Time": "Europe/Istanbul",
    "Arab Standard Time": "Asia/Riyadh",
    "Arabic Standard Time": "Asia/Baghdad",
    "Russian Standard Time": "Europe/Moscow",
    "E. Africa Standard Time": "Africa/Nairobi",
    "Iran Standard Time": "Asia/Tehran",
    "Arabian Standard Time": "Asia/Dubai",
    "Afghanistan Standard Time": "Asia/Kabul",
    "Pakistan Standard Time": "Asia/Karachi",
    "India Standard Time": "Asia/Kolkata",
    "Sri Lanka Standard Time": "Asia/Colombo",
    "Nepal Standard Time": "Asia/Kathmandu",
    "Bangladesh Standard Time": "Asia/Dhaka",
    "Myanmar Standard Time": "Asia/Yangon",
    "SE Asia Standard Time": "Asia/Bangkok",
    "China Standard Time": "Asia/Shanghai",
    "Singapore Standard Time": "Asia/Singapore",
    "Taipei Standard Time": "Asia/Taipei",
    "W. Australia Standard Time": "Australia/Perth",
    "Tokyo Standard Time": "Asia/Tokyo",
    "Korea Standard Time": "Asia/Seoul",
    "Cen. Australia Standard Time": "Australia/Adelaide",
    "AUS Central Standard Time": "Australia/Darwin",
    "E. Australia Standard Time": "Australia/Brisbane",
    "AUS Eastern Standard Time": "Australia/Sydney",
    "West Pacific Standard Time": "Pacific/Port_Moresby",
    "New Zealand Standard Time": "Pacific/Auckland",
    "Tonga Standard Time": "Pacific/Tongatapu",
}

# IANA names (including old aliases) -> Windows name, for writing `timeZone` on Graph.
IANA_TO_WINDOWS: Mapping[str, str] = {
    **{iana: windows for windows, iana in WINDOWS_TO_IANA.items()},
    "UTC": "UTC",
    "Etc/GMT": "UTC",
    "GMT": "UTC",
    "Asia/Calcutta": "India Standard Time",
    "Asia/Katmandu": "Nepal Standard Time",
    "Asia/Rangoon": "Myanmar Standard Time",
    "Europe/Kyiv": "FLE Standard Time",
    "America/Buenos_Aires": "Argentina Standard Time",
    "America/Indianapolis": "US Eastern Standard Time",
    "Asia/Hong_Kong": "China Standard Time",
    "Europe/Amsterdam": "W. Europe Standard Time",
    "Europe/Rome": "W. Europe Standard Time",
    "Europe/Stockholm": "W. Europe Standard Time",
    "Europe/Zurich": "W. Europe Standard Time",
    "Europe/Vienna": "W. Europe Standard Time",
    "Europe/Madrid": "Romance Standard Time",
    "Europe/Brussels": "Romance Standard Time",
    "Europe/Dublin": "GMT Standard Time",
    "Europe/Lisbon": "GMT Standard Time",
    "Europe/Athens": "GTB Standard Time",
    "Europe/Helsinki": "FLE Standard Time",
    "America/Toronto": "Eastern Standard Time",
    "America/Vancouver": "Pacific Standard Time",
    "Australia/Melbourne": "AUS Eastern Standard Time",
}

_GRAPH_FORMAT = "%Y-%m-%dT%H:%M:%S"


class UnknownTimeZone(ValueError):
    """A zone name that is neither a known Windows name nor an IANA name."""


def to_iana(name: str) -> str:
    """The IANA name for a Windows or IANA zone name."""
    iana = WINDOWS_TO_IANA.get(name.strip(), name.strip())
    try:
        ZoneInfo(iana)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise UnknownTimeZone(f"unknown time zone {name!r}") from error
    return iana


def to_windows(name: str) -> str:
    """The Windows name Graph prefers; an IANA zone without one is passed through (Graph accepts those)."""
    stripped = name.strip()
    if stripped in WINDOWS_TO_IANA:
        return stripped
    return IANA_TO_WINDOWS.get(to_iana(stripped), stripped)


def zone(name: str) -> ZoneInfo:
    return ZoneInfo(to_iana(name))


def parse_graph_datetime(value: Mapping[str, str]) -> datetime:
    """An aware datetime from Graph's `{"dateTime": "2026-11-24T10:00:00.0000000", "timeZone": ...}`."""
    text = value["dateTime"].strip().rstrip("Z")
    whole, _, fraction = text.partition(".")
    # Graph sends 7 fractional digits; Python keeps 6.
    naive = datetime.strptime(whole, _GRAPH_FORMAT)
    if fraction:
        naive = naive.replace(microsecond=int(fraction[:6].ljust(6, "0")))
    return naive.replace(tzinfo=zone(value.get("timeZone") or "UTC"))


def graph_datetime(moment: datetime, time_zone: str = "UTC") -> dict[str, str]:
    """Graph's `{dateTime, timeZone}` for an aware datetime, expressed in `time_zone` (Windows or IANA)."""
    if moment.tzinfo is None:
        raise ValueError("graph_datetime needs an aware datetime")
    local = moment.astimezone(zone(time_zone))
    return {"dateTime": local.strftime(_GRAPH_FORMAT) + f".{local.microsecond:06d}0", "timeZone": time_zone}


def recruit_datetime(moment: datetime, time_zone: str) -> str:
    """Recruit's date-time: ISO 8601 with offset, no fractions, in `time_zone` (2026-11-24T10:00:00+05:30)."""
    if moment.tzinfo is None:
        raise ValueError("recruit_datetime needs an aware datetime")
    return moment.astimezone(zone(time_zone)).replace(microsecond=0).isoformat()


def parse_recruit_datetime(text: str) -> datetime:
    """An aware datetime from Recruit's ISO string (a missing offset is taken as UTC)."""
    moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def graph_all_day(first_day: date, last_day: date, time_zone: str) -> tuple[dict[str, str], dict[str, str]]:
    """Graph start/end of an all-day event covering `first_day`..`last_day` (inclusive, as Recruit keeps
    them): midnights in the event's zone, the end being the midnight after the last day."""
    tz = zone(time_zone)
    start = datetime.combine(first_day, time(), tz)
    end = datetime.combine(last_day + timedelta(days=1), time(), tz)
    return graph_datetime(start, time_zone), graph_datetime(end, time_zone)


def all_day_dates(start: Mapping[str, str], end: Mapping[str, str]) -> tuple[date, date]:
    """The inclusive first and last day of a Graph all-day event (its end is exclusive)."""
    first = parse_graph_datetime(start).date()
    after = parse_graph_datetime(end).date()
    return first, max(first, after - timedelta(days=1))
