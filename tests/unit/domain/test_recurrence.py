"""RRULE <-> Graph patternedRecurrence: the forms both sides express round-trip, the rest is refused."""

from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync_core.domain.recurrence import DAYS, UnsupportedRecurrence, graph_to_rrule, rrule_to_graph

START = date(2026, 11, 24)  # a Tuesday
ZONE = "India Standard Time"


def pattern_of(rule: str, start: date | None = START) -> dict[str, Any]:
    return rrule_to_graph(rule, start, ZONE)["pattern"]


def test_daily_every_other_day() -> None:
    assert pattern_of("FREQ=DAILY;INTERVAL=2")["type"] == "daily"
    assert pattern_of("FREQ=DAILY;INTERVAL=2")["interval"] == 2


def test_every_weekday_becomes_a_weekly_pattern() -> None:
    pattern = pattern_of("RRULE:FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR")
    assert pattern["type"] == "weekly"
    assert pattern["daysOfWeek"] == ["monday", "tuesday", "wednesday", "thursday", "friday"]


def test_weekly_without_days_repeats_on_the_start_weekday() -> None:
    assert pattern_of("FREQ=WEEKLY")["daysOfWeek"] == ["tuesday"]


def test_monthly_on_the_last_friday_is_relative_monthly() -> None:
    pattern = pattern_of("FREQ=MONTHLY;BYDAY=-1FR")
    assert (pattern["type"], pattern["index"], pattern["daysOfWeek"]) == (
        "relativeMonthly",
        "last",
        ["friday"],
    )


def test_monthly_on_a_day_number_is_absolute_monthly() -> None:
    assert pattern_of("FREQ=MONTHLY;BYMONTHDAY=15")["dayOfMonth"] == 15
    assert pattern_of("FREQ=MONTHLY")["dayOfMonth"] == 24


def test_yearly_forms() -> None:
    absolute = pattern_of("FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1")
    assert (absolute["type"], absolute["month"], absolute["dayOfMonth"]) == ("absoluteYearly", 3, 1)
    relative = pattern_of("FREQ=YEARLY;BYMONTH=11;BYDAY=4TH")
    assert (relative["type"], relative["index"], relative["daysOfWeek"]) == (
        "relativeYearly",
        "fourth",
        ["thursday"],
    )


def test_count_until_and_no_end_ranges() -> None:
    assert rrule_to_graph("FREQ=DAILY;COUNT=5", START, ZONE)["range"]["numberOfOccurrences"] == 5
    until = rrule_to_graph("FREQ=DAILY;UNTIL=20261231T200000Z", START, ZONE)["range"]
    # 20:00 UTC on the 31st is already the 1st in India: the end date is read in the event's zone.
    assert (until["type"], until["endDate"]) == ("endDate", "2027-01-01")
    assert rrule_to_graph("FREQ=DAILY;UNTIL=2026-12-31", START, ZONE)["range"]["endDate"] == "2026-12-31"
    assert rrule_to_graph("FREQ=DAILY", START, ZONE)["range"]["type"] == "noEnd"


def test_zoho_style_rule_with_dtstart_supplies_the_start() -> None:
    recurrence = rrule_to_graph("FREQ=DAILY;INTERVAL=10;UNTIL=2027-08-29;DTSTART=2027-07-29", None, ZONE)
    assert recurrence["range"]["startDate"] == "2027-07-29"


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=HOURLY",
        "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1",
        "FREQ=DAILY;BYHOUR=9",
        "FREQ=MONTHLY;BYMONTHDAY=1,15",
        "FREQ=MONTHLY;BYMONTHDAY=-1",
        "FREQ=MONTHLY;BYDAY=1MO,2TU",
        "FREQ=MONTHLY;BYDAY=5MO",
        "FREQ=MONTHLY;BYDAY=MO",
        "FREQ=DAILY;COUNT=3;UNTIL=20270101",
        "INTERVAL=2",
    ],
)
def test_forms_outlook_cannot_express_are_refused_with_a_reason(rule: str) -> None:
    with pytest.raises(UnsupportedRecurrence) as refused:
        rrule_to_graph(rule, START, ZONE)
    assert str(refused.value)


def test_graph_pattern_becomes_the_rrule_recruit_stores() -> None:
    recurrence = rrule_to_graph("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;UNTIL=2027-03-01;WKST=MO", START, ZONE)
    assert graph_to_rrule(recurrence) == (
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;WKST=MO;UNTIL=2027-03-01;DTSTART=2026-11-24"
    )


day_lists = st.lists(st.sampled_from(DAYS), min_size=1, max_size=7, unique=True)
indexes = st.sampled_from(["first", "second", "third", "fourth", "last"])
patterns = st.one_of(
    st.fixed_dictionaries({"type": st.just("daily")}),
    st.fixed_dictionaries({"type": st.just("weekly"), "daysOfWeek": day_lists}),
    st.fixed_dictionaries({"type": st.just("absoluteMonthly"), "dayOfMonth": st.integers(1, 31)}),
    st.fixed_dictionaries({"type": st.just("relativeMonthly"), "daysOfWeek": day_lists, "index": indexes}),
    st.fixed_dictionaries(
        {"type": st.just("absoluteYearly"), "month": st.integers(1, 12), "dayOfMonth": st.integers(1, 28)}
    ),
    st.fixed_dictionaries(
        {
            "type": st.just("relativeYearly"),
            "month": st.integers(1, 12),
            "daysOfWeek": day_lists,
            "index": indexes,
        }
    ),
)
ranges = st.one_of(
    st.fixed_dictionaries({"type": st.just("noEnd")}),
    st.fixed_dictionaries({"type": st.just("numbered"), "numberOfOccurrences": st.integers(1, 999)}),
    st.fixed_dictionaries(
        {"type": st.just("endDate"), "endDate": st.dates(date(2027, 1, 1), date(2035, 1, 1))}
    ),
)


@given(patterns, st.integers(1, 99), st.sampled_from(DAYS), ranges)
def test_graph_recurrence_round_trips_through_rrule(
    pattern: dict[str, Any], interval: int, week_start: str, recurrence_range: dict[str, Any]
) -> None:
    full_pattern = {"interval": interval, "month": 0, "dayOfMonth": 0, "daysOfWeek": [], "index": "first"}
    full_pattern.update(pattern, firstDayOfWeek=week_start)
    full_range = {"startDate": START.isoformat(), "endDate": "0001-01-01", "numberOfOccurrences": 0}
    full_range.update(recurrence_range, recurrenceTimeZone=ZONE)
    if isinstance(full_range["endDate"], date):
        full_range["endDate"] = full_range["endDate"].isoformat()
    recurrence = {"pattern": full_pattern, "range": full_range}
    assert rrule_to_graph(graph_to_rrule(recurrence), None, ZONE) == recurrence
