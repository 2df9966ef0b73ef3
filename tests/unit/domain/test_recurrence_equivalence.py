"""Every recurrence shape that maps means the same occurrences on both sides.

The RFC 5545 side is expanded by python-dateutil (`recurrence.rfc_occurrences`); the Outlook side by the Graph
emulator's expander, which follows the Graph v1.0 pages (recurrencepattern.md, recurrencerange.md) and says
where it follows Outlook's undocumented behaviour. Series starts are synchronised with their rule (the first
occurrence), as RFC 5545 leaves an unsynchronised DTSTART undefined and Outlook moves such a start.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from dateutil.rrule import rrulestr
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from local.emulators.graph.recurrence import expand
from sync_core.domain.recurrence import UnsupportedRecurrence, graph_to_rrule, rrule_to_graph
from sync_core.domain.rrule import rfc_occurrences
from sync_core.domain.timezones import to_windows, zone

from .recurrence_strategies import graph_patterns

ZONES = ["Asia/Kolkata", "America/New_York", "Europe/Berlin", "Australia/Sydney", "Pacific/Auckland", "UTC"]
CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
HORIZON = timedelta(days=3 * 366)
# Wall-clock times clear of every DST change in ZONES (they happen between 00:00 and 03:00 local).
times_of_day = st.tuples(st.integers(6, 21), st.sampled_from([0, 15, 30, 45])).map(lambda hm: time(*hm))
first_days = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))
day_codes = st.lists(st.sampled_from(CODES), min_size=1, max_size=7, unique=True)
positions = st.sampled_from(["1", "2", "3", "4", "-1", "5", "-2"])


def _join(*parts: str | None) -> str:
    return ";".join(part for part in parts if part)


@st.composite
def rrules(draw: st.DrawFn) -> str:
    """RRULEs of every shape the mapping knows, and neighbours of them it must refuse."""
    interval = draw(st.sampled_from([None, "INTERVAL=1", "INTERVAL=2", "INTERVAL=3"]))
    week_start = draw(st.sampled_from([None, *(f"WKST={code}" for code in CODES)]))
    month = f"BYMONTH={draw(st.integers(1, 12))}"
    shape = draw(
        st.sampled_from(
            [
                "FREQ=DAILY",
                f"FREQ=DAILY;BYDAY={','.join(draw(day_codes))}",
                "FREQ=WEEKLY",
                f"FREQ=WEEKLY;BYDAY={','.join(draw(day_codes))}",
                f"FREQ=MONTHLY;BYMONTHDAY={draw(st.sampled_from(['1', '15', '28', '29', '30', '31', '-1']))}",
                f"FREQ=MONTHLY;BYMONTHDAY={draw(st.integers(29, 31))},-1;BYSETPOS=1",
                f"FREQ=MONTHLY;BYDAY={draw(positions)}{draw(st.sampled_from(CODES))}",
                f"FREQ=MONTHLY;BYDAY={','.join(draw(day_codes))};BYSETPOS={draw(positions)}",
                f"FREQ=MONTHLY;BYDAY=1{draw(st.sampled_from(CODES[:3]))},1{draw(st.sampled_from(CODES[3:]))}",
                f"FREQ=YEARLY;{month};BYMONTHDAY={draw(st.sampled_from(['1', '28', '29', '31', '-1']))}",
                f"FREQ=YEARLY;{month};BYDAY={draw(positions)}{draw(st.sampled_from(CODES))}",
                f"FREQ=YEARLY;{month};BYDAY={','.join(draw(day_codes))};BYSETPOS={draw(positions)}",
                "FREQ=MONTHLY",
                "FREQ=YEARLY",
            ]
        )
    )
    return _join(shape, interval, week_start)


def _synchronised_start(rule: str, candidate: datetime) -> datetime | None:
    """The rule's first occurrence at or after `candidate` (wall time): a start RFC 5545 counts as one."""
    return rrulestr(rule, dtstart=candidate).after(candidate, inc=True)


def _with_end(draw: st.DrawFn, rule: str, start: datetime, zone_name: str) -> str:
    end = draw(st.sampled_from(["none", "count", "until-utc", "until-date"]))
    if end == "count":
        return _join(rule, f"COUNT={draw(st.integers(1, 40))}")
    if end == "none":
        return rule
    last_day = start.date() + timedelta(days=draw(st.integers(0, 800)))
    if end == "until-date":
        return _join(rule, f"UNTIL={last_day.isoformat()}")  # Recruit's spelling: that day included
    wall = datetime.combine(last_day, draw(times_of_day))
    utc = wall.replace(tzinfo=zone(zone_name)).astimezone(UTC)
    return _join(rule, f"UNTIL={utc.strftime('%Y%m%dT%H%M%SZ')}")


def _outlook_walls(recurrence: dict[str, Any], start: datetime, zone_name: str) -> list[datetime]:
    """The Outlook occurrences' wall-clock starts in the event's zone, within the horizon."""
    windows = to_windows(zone_name)
    wall = start.strftime("%Y-%m-%dT%H:%M:%S.0000000")
    ends = (start + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%S.0000000")
    begins_utc = start.replace(tzinfo=zone(zone_name)).astimezone(UTC)
    occurrences = expand(
        recurrence,
        {"dateTime": wall, "timeZone": windows},
        {"dateTime": ends, "timeZone": windows},
        begins_utc - timedelta(days=1),
        begins_utc + HORIZON + timedelta(days=2),
    )
    walls = [o.start.astimezone(zone(zone_name)).replace(tzinfo=None) for o in occurrences]
    return [wall for wall in walls if wall < start + HORIZON]


def _rfc_walls(rule: str, start: datetime, zone_name: str) -> list[datetime]:
    aware = start.replace(tzinfo=zone(zone_name))
    walls = rfc_occurrences(rule, aware, zone_name, (start + HORIZON).date())
    return [wall for wall in walls if wall < start + HORIZON]


@settings(max_examples=400, deadline=None)
@given(data=st.data(), rule=rrules(), first_day=first_days, at=times_of_day, zone_name=st.sampled_from(ZONES))
def test_an_rrule_that_maps_has_the_same_occurrences_in_outlook(
    data: st.DataObject, rule: str, first_day: date, at: time, zone_name: str
) -> None:
    start = _synchronised_start(rule, datetime.combine(first_day, at))
    assume(start is not None)
    assert start is not None
    full_rule = _with_end(data.draw, rule, start, zone_name)
    try:
        recurrence = rrule_to_graph(full_rule, start.replace(tzinfo=zone(zone_name)), to_windows(zone_name))
    except UnsupportedRecurrence:
        assume(False)
        return
    assert _outlook_walls(recurrence, start, zone_name) == _rfc_walls(full_rule, start, zone_name), recurrence


patterns = graph_patterns()


@settings(max_examples=300, deadline=None)
@given(
    pattern=patterns,
    interval=st.integers(1, 3),
    first_day=first_days,
    at=times_of_day,
    zone_name=st.sampled_from(ZONES),
    end=st.one_of(
        st.fixed_dictionaries({"type": st.just("noEnd")}),
        st.fixed_dictionaries({"type": st.just("numbered"), "numberOfOccurrences": st.integers(1, 40)}),
        st.fixed_dictionaries({"type": st.just("endDate"), "days": st.integers(0, 800)}),
    ),
)
def test_an_outlook_pattern_read_as_an_rrule_has_the_same_occurrences(
    pattern: dict[str, Any], interval: int, first_day: date, at: time, zone_name: str, end: dict[str, Any]
) -> None:
    windows = to_windows(zone_name)
    recurrence_range: dict[str, Any] = {"type": end["type"], "recurrenceTimeZone": windows}
    if end["type"] == "numbered":
        recurrence_range["numberOfOccurrences"] = end["numberOfOccurrences"]
    recurrence: dict[str, Any] = {"pattern": {**pattern, "interval": interval}, "range": recurrence_range}
    # Outlook's first occurrence is the first day on or after startDate that fits: start the series there.
    probe = {**recurrence, "range": {"type": "noEnd", "startDate": first_day.isoformat()}}
    [first, *_] = _outlook_walls(probe, datetime.combine(first_day, at), zone_name)
    recurrence["range"]["startDate"] = first.date().isoformat()
    if end["type"] == "endDate":
        recurrence["range"]["endDate"] = (first.date() + timedelta(days=end["days"])).isoformat()
    rule = graph_to_rrule(recurrence)
    assert _rfc_walls(rule, first, zone_name) == _outlook_walls(recurrence, first, zone_name), rule
