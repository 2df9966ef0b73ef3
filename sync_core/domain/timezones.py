"""Time zones and date-times as Graph and Recruit spell them: Windows/IANA names, `{dateTime, timeZone}`,
Recruit's ISO-with-offset strings, and all-day dates (midnight in the event's zone, Graph end exclusive)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from tzlocal.windows_tz import tz_win, win_tz

# CLDR's windowsZones (territory 001) as tzlocal ships it, generated from CLDR: Windows name -> IANA zone.
WINDOWS_TO_IANA: Mapping[str, str] = {windows: iana for windows, iana in win_tz.items() if windows and iana}
# Graph's own spellings of UTC in `timeZone` (`tzone://Microsoft/Utc` appears in event JSON).
_GRAPH_UTC = frozenset({"utc", "tzone://microsoft/utc", "etc/utc", "coordinated universal time"})
_WINDOWS_BY_FOLDED = {windows.casefold(): windows for windows in WINDOWS_TO_IANA}
_GRAPH_FORMAT = "%Y-%m-%dT%H:%M:%S"


class UnknownTimeZone(ValueError):
    """A zone name that is neither a Windows name CLDR knows nor an IANA name."""


@cache
def _tzdata_links() -> dict[str, str]:
    """IANA alias -> target, from the `L` lines of the tzdata package's compiled source (tzdata.zi)."""
    text = resources.files("tzdata").joinpath("zoneinfo/tzdata.zi").read_text(encoding="utf-8")
    links: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("L "):
            _, target, alias = line.split()
            links[alias] = target
    return links


def _canonical_iana(name: str) -> str:
    """The zone an IANA alias links to (Asia/Calcutta -> Asia/Kolkata), following chains of links."""
    links = _tzdata_links()
    seen = {name}
    while name in links and links[name] not in seen:
        name = links[name]
        seen.add(name)
    return name


@cache
def _iana_to_windows() -> dict[str, str]:
    """Every IANA zone of this machine -> its Windows name: CLDR's own entries, then aliases through the
    zone they link to. Zones CLDR gives no Windows name (Antarctica/Troll, Factory) are left out."""
    table = {iana: windows for iana, windows in tz_win.items() if iana and windows in WINDOWS_TO_IANA}
    for iana in available_timezones() | set(_tzdata_links()):
        if iana not in table:
            windows = tz_win.get(_canonical_iana(iana))
            if windows is not None and windows in WINDOWS_TO_IANA:
                table[iana] = windows
    return table


def to_iana(name: str) -> str:
    """The IANA name for a Windows or IANA zone name (India Standard Time -> Asia/Kolkata, not CLDR's
    older Asia/Calcutta); IANA names pass through."""
    stripped = name.strip()
    if stripped.casefold() in _GRAPH_UTC:
        return "Etc/UTC"
    windows = _WINDOWS_BY_FOLDED.get(stripped.casefold())
    iana = _canonical_iana(WINDOWS_TO_IANA[windows]) if windows else stripped
    try:
        ZoneInfo(iana)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise UnknownTimeZone(f"unknown time zone {name!r}") from error
    return iana


def to_windows(name: str) -> str:
    """The Windows name Graph accepts for a Windows or IANA zone name. An IANA zone CLDR gives no Windows
    name (Antarctica/Troll) is written as UTC: the same instants, never a name Graph would refuse."""
    stripped = name.strip()
    windows = _WINDOWS_BY_FOLDED.get(stripped.casefold())
    if windows:
        return windows
    iana = to_iana(stripped)
    return _iana_to_windows().get(iana) or _iana_to_windows().get(_canonical_iana(iana)) or "UTC"


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
