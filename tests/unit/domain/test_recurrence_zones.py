"""An Outlook series repeating in a zone whose date differs from the Recruit user's means the same occurrences
once its rule has moved to the user's zone (`recurrence_zones.move_rule`).

Outlook's side is expanded in the series' zone by the Graph emulator's expander, Recruit's by RFC 5545
(python-dateutil) in the user's zone, through the same expanders as `test_recurrence_equivalence.py`; the two
sets are compared as instants.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sync_core.domain.recurrence import DAYS, UnsupportedRecurrence, canonical_rule, graph_to_rrule
from sync_core.domain.recurrence_zones import day_shift, move_rule
from sync_core.domain.timezones import to_windows, zone
from tests.unit.domain.test_recurrence_equivalence import HORIZON, _outlook_walls, _rfc_walls

# Zones without daylight saving, so both sides keep the same instants all year: pairs either side of the
# date line (Kiritimati UTC+14 and Honolulu UTC-10 show the same wall clock a day apart) and nearer ones.
FIXED_PAIRS = [
    ("Pacific/Kiritimati", "Pacific/Honolulu"),
    ("Pacific/Honolulu", "Pacific/Kiritimati"),
    ("Asia/Tokyo", "Pacific/Honolulu"),
    ("America/Phoenix", "Asia/Kolkata"),
    ("Asia/Kolkata", "America/Phoenix"),
]
day_names = st.lists(st.sampled_from(DAYS), min_size=1, max_size=7, unique=True)
patterns = st.one_of(
    st.fixed_dictionaries({"type": st.just("daily")}),
    st.fixed_dictionaries(
        {"type": st.just("weekly"), "daysOfWeek": day_names, "firstDayOfWeek": st.sampled_from(DAYS)}
    ),
    st.fixed_dictionaries({"type": st.just("absoluteMonthly"), "dayOfMonth": st.integers(2, 27)}),
    st.fixed_dictionaries(
        {"type": st.just("absoluteYearly"), "month": st.integers(1, 12), "dayOfMonth": st.integers(2, 27)}
    ),
)
ends = st.one_of(
    st.fixed_dictionaries({"type": st.just("noEnd")}),
    st.fixed_dictionaries({"type": st.just("numbered"), "numberOfOccurrences": st.integers(1, 40)}),
    st.fixed_dictionaries({"type": st.just("endDate"), "days": st.integers(0, 800)}),
)


def _instants(walls: list[datetime], zone_name: str) -> list[datetime]:
    return [wall.replace(tzinfo=zone(zone_name)).astimezone(UTC) for wall in walls]


def _outlook_series(
    pattern: dict[str, Any], end: dict[str, Any], first_day: date, at: time, series_zone: str
) -> tuple[dict[str, Any], datetime]:
    """A Graph recurrence in `series_zone` starting on its first occurrence, and that start (wall time)."""
    windows = to_windows(series_zone)
    recurrence: dict[str, Any] = {"pattern": pattern, "range": {"type": end["type"]}}
    recurrence["range"]["recurrenceTimeZone"] = windows
    if end["type"] == "numbered":
        recurrence["range"]["numberOfOccurrences"] = end["numberOfOccurrences"]
    probe = {**recurrence, "range": {"type": "noEnd", "startDate": first_day.isoformat()}}
    [first, *_] = _outlook_walls(probe, datetime.combine(first_day, at), series_zone)
    recurrence["range"]["startDate"] = first.date().isoformat()
    if end["type"] == "endDate":
        recurrence["range"]["endDate"] = (first.date() + timedelta(days=end["days"])).isoformat()
    return recurrence, first


def _both_sides(
    recurrence: dict[str, Any], first: datetime, series_zone: str, user_zone: str
) -> tuple[list[datetime], list[datetime], str]:
    """Outlook's instants, Recruit's instants for the rule as the product writes it, and that rule."""
    start = first.replace(tzinfo=zone(series_zone))
    moved = move_rule(graph_to_rrule(recurrence), start, series_zone, user_zone)
    rule = canonical_rule(moved, start, user_zone)
    assert rule is not None
    outlook = _instants(_outlook_walls(recurrence, first, series_zone), series_zone)
    user_first = start.astimezone(zone(user_zone)).replace(tzinfo=None)
    recruit = _instants(_rfc_walls(rule, user_first, user_zone), user_zone)
    # Each side cut its horizon at its own wall clock: compare well inside both.
    cut = start + HORIZON - timedelta(days=2)
    return [o for o in outlook if o < cut], [r for r in recruit if r < cut], rule


@settings(max_examples=300, deadline=None)
@given(
    pattern=patterns,
    interval=st.integers(1, 3),
    end=ends,
    first_day=st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)),
    at=st.tuples(st.integers(0, 23), st.sampled_from([0, 30])).map(lambda hm: time(*hm)),
    pair=st.sampled_from(FIXED_PAIRS),
)
def test_a_series_moved_to_the_users_zone_has_the_same_occurrences(
    pattern: dict[str, Any],
    interval: int,
    end: dict[str, Any],
    first_day: date,
    at: time,
    pair: tuple[str, str],
) -> None:
    series_zone, user_zone = pair
    recurrence, first = _outlook_series({**pattern, "interval": interval}, end, first_day, at, series_zone)
    try:
        outlook, recruit, rule = _both_sides(recurrence, first, series_zone, user_zone)
    except UnsupportedRecurrence:
        # Only a month day pushed out of every month's range may refuse: never a daily or weekly series.
        assert pattern["type"] in ("absoluteMonthly", "absoluteYearly")
        assume(False)
        return
    assert outlook == recruit, rule


def test_a_monday_2330_series_in_los_angeles_repeats_on_tuesdays_in_berlin() -> None:
    """Zones that change clocks on different dates: the days match, and an occurrence sits at most the
    hour apart that the two zones' offsets drift in the weeks between their changes."""
    pattern = {"type": "weekly", "interval": 1, "daysOfWeek": ["monday"], "firstDayOfWeek": "sunday"}
    recurrence, first = _outlook_series(
        pattern, {"type": "noEnd"}, date(2026, 12, 7), time(23, 30), "America/Los_Angeles"
    )
    outlook, recruit, rule = _both_sides(recurrence, first, "America/Los_Angeles", "Europe/Berlin")
    assert "BYDAY=TU" in rule and "WKST=MO" in rule
    assert len(outlook) == len(recruit) > 100
    drift = {abs(r - o) for o, r in zip(outlook, recruit, strict=True)}
    assert drift == {timedelta(0), timedelta(hours=1)}
    assert sum(r == o for o, r in zip(outlook, recruit, strict=True)) > 0.9 * len(outlook)


@pytest.mark.parametrize(
    ("rule", "moved"),
    [
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=SU,MO;WKST=SU", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TU;WKST=MO"),
        (
            "FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=15;UNTIL=2027-06-30",
            "FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=16;UNTIL=20270701",
        ),
        (
            "FREQ=DAILY;INTERVAL=3;COUNT=10;DTSTART=2026-12-07",
            "FREQ=DAILY;INTERVAL=3;COUNT=10;DTSTART=2026-12-08",
        ),
    ],
)
def test_days_dates_and_week_start_move_with_the_date(rule: str, moved: str) -> None:
    start = datetime(2026, 12, 8, 7, 30, tzinfo=UTC)  # Monday 23:30 in Los Angeles, Tuesday in Berlin
    assert day_shift(start, "America/Los_Angeles", "Europe/Berlin") == 1
    assert move_rule(rule, start, "Pacific Standard Time", "Europe/Berlin") == moved
    assert move_rule(rule, start, "America/Los_Angeles", "America/Vancouver") == rule


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=MONTHLY;BYDAY=1MO",  # the day after the first Monday is no weekday position
        "FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=-1",
        "FREQ=MONTHLY;BYMONTHDAY=-1",  # the day after the last day is in the next month
        "FREQ=MONTHLY;BYMONTHDAY=28",
        "FREQ=YEARLY;BYMONTH=2;BYDAY=-1SU",
    ],
)
def test_a_rule_no_other_zone_can_repeat_the_same_way_is_refused(rule: str) -> None:
    start = datetime(2026, 12, 8, 7, 30, tzinfo=UTC)
    with pytest.raises(UnsupportedRecurrence):
        move_rule(rule, start, "America/Los_Angeles", "Europe/Berlin")
