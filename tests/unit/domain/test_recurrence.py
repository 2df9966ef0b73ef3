"""RRULE <-> Graph patternedRecurrence: the forms both sides express round-trip, the rest is refused."""

from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync_core.domain.recurrence import UnsupportedRecurrence, graph_to_rrule, rrule_to_graph
from sync_core.domain.rrule import DAYS, rfc_occurrences

from .recurrence_strategies import graph_patterns

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
        "FREQ=DAILY;BYHOUR=9",
        "FREQ=MONTHLY;BYMONTHDAY=1,15",
        "FREQ=MONTHLY;BYMONTHDAY=-2",
        "FREQ=MONTHLY;BYDAY=1MO,2TU",
        "FREQ=MONTHLY;BYDAY=1MO,1TU",
        "FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=3,4",
        "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=5",
        "FREQ=MONTHLY;BYMONTHDAY=31",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
        "FREQ=YEARLY;BYDAY=-1SU",
        "FREQ=YEARLY;BYMONTHDAY=15",
        "FREQ=WEEKLY;BYDAY=MO;BYSETPOS=1",
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
    recurrence = rrule_to_graph("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;UNTIL=2027-03-01;WKST=SU", START, ZONE)
    assert graph_to_rrule(recurrence) == (
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;WKST=SU;UNTIL=2027-03-01;DTSTART=2026-11-24"
    )


def test_the_week_start_is_always_written_even_outlooks_default_sunday() -> None:
    assert "WKST=SU" in graph_to_rrule(rrule_to_graph("FREQ=WEEKLY;BYDAY=MO;WKST=SU", START, ZONE))
    assert "WKST=MO" in graph_to_rrule(rrule_to_graph("FREQ=DAILY", START, ZONE))


def test_a_rule_without_wkst_starts_its_weeks_on_monday_as_rfc_5545_says() -> None:
    # Every other week on Sunday and Monday: with Monday-weeks, Sunday closes the week its Monday opened.
    assert pattern_of("FREQ=WEEKLY;INTERVAL=2;BYDAY=SU,MO")["firstDayOfWeek"] == "monday"


def test_an_until_earlier_in_the_day_than_the_start_ends_the_day_before() -> None:
    # 09:00 in India is 03:30 UTC: an UNTIL at 02:00 UTC on the 31st comes before that day's occurrence.
    nine_am = datetime(2026, 11, 24, 3, 30, tzinfo=UTC)
    before = rrule_to_graph("FREQ=DAILY;UNTIL=20261231T020000Z", nine_am, ZONE)["range"]
    assert before["endDate"] == "2026-12-30"
    at_start = rrule_to_graph("FREQ=DAILY;UNTIL=20261231T033000Z", nine_am, ZONE)["range"]
    assert at_start["endDate"] == "2026-12-31"


def test_recruits_until_date_includes_its_day_whatever_the_start_time() -> None:
    evening = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
    assert rrule_to_graph("FREQ=DAILY;UNTIL=2026-12-31", evening, ZONE)["range"]["endDate"] == "2026-12-31"
    occurrences = rfc_occurrences("FREQ=DAILY;UNTIL=2026-12-31", evening, ZONE, date(2027, 2, 1))
    assert occurrences[-1].date() == date(2026, 12, 31)


def test_one_position_for_several_days_means_the_first_of_them_in_outlook() -> None:
    # recurrencepattern.md: with several daysOfWeek "the event falls on the first day that satisfies the
    # pattern": one occurrence a month, which RFC 5545 spells with BYSETPOS.
    recurrence = {
        "pattern": {
            "type": "relativeMonthly",
            "interval": 1,
            "daysOfWeek": ["tuesday", "monday"],
            "index": "first",
        },
        "range": {"type": "noEnd", "startDate": "2026-12-01"},
    }
    rule = graph_to_rrule(recurrence)
    assert "BYDAY=MO,TU;BYSETPOS=1" in rule
    assert [day.date() for day in rfc_occurrences(rule, date(2026, 12, 1), ZONE, date(2027, 2, 28))] == [
        date(2026, 12, 1),  # Tuesday the 1st comes before the first Monday (the 7th)
        date(2027, 1, 4),
        date(2027, 2, 1),
    ]


def test_outlooks_last_weekday_is_bysetpos_minus_one_and_back() -> None:
    weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday"]
    recurrence = {
        "pattern": {"type": "relativeMonthly", "interval": 1, "daysOfWeek": weekdays, "index": "last"},
        "range": {"type": "noEnd", "startDate": "2026-11-30"},
    }
    rule = graph_to_rrule(recurrence)
    assert "BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1" in rule
    pattern = pattern_of(rule, date(2026, 11, 30))
    assert (pattern["type"], pattern["index"], pattern["daysOfWeek"]) == ("relativeMonthly", "last", weekdays)


def test_bysetpos_with_one_day_is_that_days_position() -> None:
    pattern = pattern_of("FREQ=MONTHLY;BYDAY=TH;BYSETPOS=2")
    assert (pattern["type"], pattern["index"], pattern["daysOfWeek"]) == (
        "relativeMonthly",
        "second",
        ["thursday"],
    )


def test_outlooks_day_31_is_every_months_last_day() -> None:
    recurrence = {
        "pattern": {"type": "absoluteMonthly", "interval": 1, "dayOfMonth": 31},
        "range": {"type": "noEnd", "startDate": "2027-01-31"},
    }
    rule = graph_to_rrule(recurrence)
    assert "BYMONTHDAY=-1" in rule
    assert rfc_occurrences(rule, date(2027, 1, 31), ZONE, date(2027, 4, 30))[1].date() == date(2027, 2, 28)
    assert pattern_of("FREQ=MONTHLY;BYMONTHDAY=-1", date(2027, 1, 31))["dayOfMonth"] == 31


def test_outlooks_day_30_is_the_30th_or_februarys_last_day() -> None:
    recurrence = {
        "pattern": {"type": "absoluteMonthly", "interval": 1, "dayOfMonth": 30},
        "range": {"type": "noEnd", "startDate": "2027-01-30"},
    }
    rule = graph_to_rrule(recurrence)
    assert "BYMONTHDAY=30,-1;BYSETPOS=1" in rule
    days = [day.date() for day in rfc_occurrences(rule, date(2027, 1, 30), ZONE, date(2027, 3, 31))]
    assert days == [date(2027, 1, 30), date(2027, 2, 28), date(2027, 3, 30)]
    assert pattern_of(rule, date(2027, 1, 30))["dayOfMonth"] == 30


def test_outlooks_29_february_yearly_is_februarys_last_day() -> None:
    recurrence = {
        "pattern": {"type": "absoluteYearly", "interval": 1, "month": 2, "dayOfMonth": 29},
        "range": {"type": "noEnd", "startDate": "2028-02-29"},
    }
    rule = graph_to_rrule(recurrence)
    assert "BYMONTH=2;BYMONTHDAY=-1" in rule
    days = [day.date() for day in rfc_occurrences(rule, date(2028, 2, 29), ZONE, date(2029, 12, 31))]
    assert days == [date(2028, 2, 29), date(2029, 2, 28)]


def test_a_start_on_the_31st_of_a_monthly_rule_without_a_day_is_refused() -> None:
    # RFC 5545 takes the day from DTSTART and skips 30-day months; Outlook would move to their last day.
    with pytest.raises(UnsupportedRecurrence):
        rrule_to_graph("FREQ=MONTHLY", date(2027, 1, 31), ZONE)


# The round trip keeps a yearly day every year has (Feb 29 aside, tested above).
patterns = graph_patterns(yearly_last_day=28)
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
    full_pattern["daysOfWeek"] = sorted(full_pattern["daysOfWeek"], key=DAYS.index)  # a set in Outlook
    recurrence = {"pattern": full_pattern, "range": full_range}
    assert rrule_to_graph(graph_to_rrule(recurrence), None, ZONE) == recurrence
