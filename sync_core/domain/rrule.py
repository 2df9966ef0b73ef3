"""RFC 5545 recurrence rules as Recruit stores them: parsed, validated and expanded by python-dateutil.

Recruit's own spellings (a date UNTIL, a DTSTART part) are read here too; recurrence.py maps rules to Outlook.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time

from dateutil.rrule import rrulestr

from sync_core.domain.timezones import zone

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_BY_CODE = dict(zip(_RRULE_DAYS, DAYS, strict=True))
CODE_BY_DAY = dict(zip(DAYS, _RRULE_DAYS, strict=True))
# RFC 5545 3.3.10: WKST "specifies the day on which the workweek starts ... The default value is MO."
RFC_WEEK_START = "MO"
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
LAST_SECOND = time(23, 59, 59)


class UnsupportedRecurrence(ValueError):
    """A rule one side cannot express; the message says which part."""


def parse_rrule(rule: str) -> dict[str, str]:
    """The parts of an RRULE, keys upper-cased; validated by dateutil, so a rule it refuses is refused here.

    Recruit's own spelling is accepted too: `UNTIL=YYYY-MM-DD` (a date) and a `DTSTART=YYYY-MM-DD` part (kept
    under "DTSTART", outside RFC 5545). Own splitting only because dateutil exposes no parsed parts.
    """
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    parts: dict[str, str] = {}
    for piece in filter(None, (piece.strip() for piece in text.split(";"))):
        key, sep, value = piece.partition("=")
        if not sep or not value.strip():
            raise UnsupportedRecurrence(f"malformed RRULE part {piece!r}")
        parts[key.strip().upper()] = value.strip().upper()
    if "FREQ" not in parts:
        raise UnsupportedRecurrence("RRULE without FREQ")
    if "UNTIL" in parts:
        parts["UNTIL"] = _ISO_DATE.sub(r"\1\2\3", parts["UNTIL"])
    if "COUNT" in parts and "UNTIL" in parts:
        # RFC 5545 3.3.10: "UNTIL or COUNT rule parts are OPTIONAL, but they MUST NOT occur in the same rule".
        raise UnsupportedRecurrence("RRULE with both COUNT and UNTIL")
    try:
        rrulestr(_rfc_text(parts, until=None), dtstart=datetime(2000, 1, 1))
    except (ValueError, TypeError, KeyError, IndexError) as error:
        raise UnsupportedRecurrence(f"invalid RRULE {rule!r}: {error}") from error
    if "UNTIL" in parts:
        until_moment(parts["UNTIL"], "UTC")  # readable
    return parts


def _rfc_text(parts: Mapping[str, str], until: datetime | None) -> str:
    """The RFC 5545 rule of `parts`, without Recruit's DTSTART and with UNTIL as a naive local time."""
    kept = [f"{key}={value}" for key, value in parts.items() if key not in ("DTSTART", "UNTIL")]
    if until is not None:
        kept.append(f"UNTIL={until.strftime('%Y%m%dT%H%M%S')}")
    return ";".join(kept)


def until_moment(text: str, time_zone: str) -> tuple[datetime, bool]:
    """UNTIL as a wall time in `time_zone`, and whether it was a bare date.

    A UTC date-time (`...Z`) is converted to the zone; a floating one is the zone's wall time. A bare date
    means "up to and including that day", which is how Recruit writes an end date, so it is read as the
    day's last second (RFC 5545 would otherwise drop that day's occurrence of a timed event).
    """
    digits = text.replace("-", "").replace(":", "").upper()
    try:
        if "T" not in digits:
            return datetime.combine(datetime.strptime(digits, "%Y%m%d").date(), LAST_SECOND), True
        if digits.endswith("Z"):
            moment = datetime.strptime(digits, "%Y%m%dT%H%M%SZ").replace(tzinfo=zone("UTC"))
            return moment.astimezone(zone(time_zone)).replace(tzinfo=None), False
        return datetime.strptime(digits, "%Y%m%dT%H%M%S"), False
    except ValueError as error:
        raise UnsupportedRecurrence(f"unreadable UNTIL {text!r}") from error


def wall_start(start: date | datetime, time_zone: str) -> datetime:
    """The series start as a naive wall time in the event's zone (midnight for an all-day start)."""
    if isinstance(start, datetime):
        local = start.astimezone(zone(time_zone)) if start.tzinfo else start
        return local.replace(tzinfo=None)
    return datetime.combine(start, time())


def rfc_occurrences(rule: str, start: date | datetime, time_zone: str, until: date) -> list[datetime]:
    """RFC 5545 expansion by dateutil: the wall-clock starts (in `time_zone`) of every occurrence of `rule`
    for a series starting at `start`, up to and including the day `until`."""
    parts = parse_rrule(rule)
    first = wall_start(start, time_zone)
    rule_until = until_moment(parts["UNTIL"], time_zone)[0] if "UNTIL" in parts else None
    expansion = rrulestr(_rfc_text(parts, rule_until), dtstart=first)
    return list(expansion.between(first, datetime.combine(until, LAST_SECOND), inc=True))
