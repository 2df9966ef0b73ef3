"""Time zones as Graph accepts them, and the dateTimeTimeZone conversions.

Supported names (resources/datetimetimezone.md): "any of the time zones supported by Windows, as well as" a
listed set of IANA names. Windows names and their IANA zones come from CLDR's windowsZones table as the
maintained `tzlocal` package ships it (`tzlocal.windows_tz.win_tz`); the IANA set is the page's list, copied
below with the page's alternative spellings ("Europe/Kyiv (Kiev)", "Asia/Toshkent (Tashkent)", ...).
Any other name is refused with 400 `TimeZoneNotSupportedException` (event start/end, `Prefer:
outlook.timezone`): a live-verified public report says an unknown `outlook.timezone` "is a hard 400
TimeZoneNotSupportedException rather than a fallback"; the message is the one Graph returns for start/end.

Graph stores start/end as given and renders them in UTC unless `Prefer: outlook.timezone` names another zone
(api/event-get.md, "Support various time zones").
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tzlocal.windows_tz import win_tz

from .errors import GraphError

# resources/datetimetimezone.md, in the page's order; "A (B)" entries accept both spellings.
_PAGE_LIST = """
Etc/GMT+12 Etc/GMT+11 Pacific/Honolulu America/Anchorage America/Santa_Isabel America/Los_Angeles
America/Phoenix America/Chihuahua America/Denver America/Guatemala America/Chicago America/Mexico_City
America/Regina America/Bogota America/New_York America/Indiana/Indianapolis America/Caracas America/Asuncion
America/Halifax America/Cuiaba America/La_Paz America/Santiago America/St_Johns America/Sao_Paulo
America/Argentina/Buenos_Aires America/Cayenne America/Godthab America/Montevideo America/Bahia Etc/GMT+2
Atlantic/Azores Atlantic/Cape_Verde Africa/Casablanca Etc/GMT Europe/London Atlantic/Reykjavik Europe/Berlin
Europe/Budapest Europe/Paris Europe/Warsaw Africa/Lagos Africa/Windhoek Europe/Bucharest Asia/Beirut
Africa/Cairo Asia/Damascus Africa/Johannesburg Europe/Kyiv Europe/Kiev Europe/Istanbul Asia/Jerusalem
Asia/Amman Asia/Baghdad Europe/Kaliningrad Asia/Riyadh Africa/Nairobi Asia/Tehran Asia/Dubai Asia/Baku
Europe/Moscow Indian/Mauritius Asia/Tbilisi Asia/Yerevan Asia/Kabul Asia/Karachi Asia/Toshkent Asia/Tashkent
Asia/Kolkata Asia/Colombo Asia/Kathmandu Asia/Astana Asia/Almaty Asia/Dhaka Asia/Yekaterinburg Asia/Yangon
Asia/Rangoon Asia/Bangkok Asia/Novosibirsk Asia/Shanghai Asia/Krasnoyarsk Asia/Singapore Australia/Perth
Asia/Taipei Asia/Ulaanbaatar Asia/Irkutsk Asia/Tokyo Asia/Seoul Australia/Adelaide Australia/Darwin
Australia/Brisbane Australia/Sydney Pacific/Port_Moresby Australia/Hobart Asia/Yakutsk Pacific/Guadalcanal
Asia/Vladivostok Pacific/Auckland Etc/GMT-12 Pacific/Fiji Asia/Magadan Pacific/Tongatapu Pacific/Apia
Pacific/Kiritimati
"""
DOCUMENTED_IANA = _PAGE_LIST.split()
# The page's spellings that are not tz database names.
_IANA_ALIASES = {"Asia/Toshkent": "Asia/Tashkent", "Asia/Astana": "Asia/Almaty"}

_FRACTION = re.compile(r"(\.\d{1,6})\d*")


def _zone_names() -> dict[str, str]:
    names = {windows: iana for windows, iana in win_tz.items()}
    names.update({name: _IANA_ALIASES.get(name, name) for name in DOCUMENTED_IANA})
    return names


SUPPORTED = _zone_names()


def resolve_zone(name: str) -> tzinfo | None:
    """The zone for a Graph time zone name, or None when Graph does not support the name."""
    iana = SUPPORTED.get(name)
    if iana is None:
        return None
    if iana in ("Etc/UTC", "Etc/GMT"):
        return UTC
    try:
        return ZoneInfo(iana)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def zone_not_supported(name: str) -> GraphError:
    return GraphError(
        400,
        "TimeZoneNotSupportedException",
        f"A valid TimeZone value must be specified. The following TimeZone value is not supported: '{name}'.",
    )


def require_zone(name: str) -> tzinfo:
    zone = resolve_zone(name)
    if zone is None:
        raise zone_not_supported(name)
    return zone


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
