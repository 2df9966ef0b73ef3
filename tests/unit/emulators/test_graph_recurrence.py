"""The Graph emulator's recurrence expander against the examples and rules of Graph's recurrence pages
(concepts/outlook-schedule-recurring-events.md, resources/recurrencepattern.md) and Outlook's month-end rule.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from local.emulators.graph.recurrence import RecurrenceError, check, expand

WIDE = (datetime(2015, 1, 1, tzinfo=UTC), datetime(2035, 1, 1, tzinfo=UTC))


def _dates(pattern: dict[str, Any], range_: dict[str, Any], start: str, zone: str = "UTC",
           window: tuple[datetime, datetime] = WIDE) -> list[str]:  # fmt: skip
    begins = datetime.fromisoformat(start)
    ends = begins + timedelta(hours=1)
    found = expand(
        {"pattern": pattern, "range": range_},
        {"dateTime": begins.isoformat(), "timeZone": zone},
        {"dateTime": ends.isoformat(), "timeZone": zone},
        *window,
    )
    return [o.start.strftime("%Y-%m-%d %H:%M") for o in found]


def _numbered(start_date: str, count: int) -> dict[str, Any]:
    return {"type": "numbered", "startDate": start_date, "numberOfOccurrences": count}


def test_daily_every_three_days() -> None:
    dates = _dates({"type": "daily", "interval": 3}, _numbered("2026-12-01", 3), "2026-12-01T09:00:00")
    assert dates == ["2026-12-01 09:00", "2026-12-04 09:00", "2026-12-07 09:00"]


def test_weekly_until_end_date_stops_on_the_last_fitting_day_as_the_concept_page_says() -> None:
    # "Because December 31, 2017, is on a Sunday, the last occurrence in this series will be on Monday,
    # December 25."
    pattern = {"type": "weekly", "interval": 1, "daysOfWeek": ["Monday"]}
    range_ = {"type": "endDate", "startDate": "2017-09-04", "endDate": "2017-12-31"}
    dates = _dates(pattern, range_, "2017-09-04T13:00:00")
    assert dates[0] == "2017-09-04 13:00" and dates[-1] == "2017-12-25 13:00" and len(dates) == 17


@pytest.mark.parametrize(
    ("first_day", "expected"),
    [
        ("sunday", ["2026-01-05", "2026-01-18", "2026-01-19", "2026-02-01"]),
        ("monday", ["2026-01-05", "2026-01-11", "2026-01-19", "2026-01-25"]),
    ],
)
def test_weekly_every_other_week_counts_weeks_from_first_day_of_week(
    first_day: str, expected: list[str]
) -> None:
    pattern = {
        "type": "weekly",
        "interval": 2,
        "daysOfWeek": ["sunday", "monday"],
        "firstDayOfWeek": first_day,
    }
    dates = _dates(pattern, _numbered("2026-01-05", 4), "2026-01-05T09:00:00")  # a Monday
    assert [d[:10] for d in dates] == expected


def test_first_occurrence_is_the_first_fitting_day_not_the_start_date() -> None:
    # RFC 5545 counts DTSTART as an instance; Outlook: "the first occurrence ... might not occur on this
    # date".
    pattern = {"type": "weekly", "interval": 1, "daysOfWeek": ["friday"]}
    dates = _dates(pattern, _numbered("2026-12-07", 2), "2026-12-07T09:00:00")  # a Monday
    assert dates == ["2026-12-11 09:00", "2026-12-18 09:00"]


def test_relative_monthly_interval_counts_from_the_first_occurrence_as_the_concept_page_says() -> None:
    # "Because the value of startDate is after the first Thursday in August, the first occurrence of this
    # series will be in September" (every other month: September, November, January).
    pattern = {"type": "relativeMonthly", "interval": 2, "daysOfWeek": ["Thursday"], "index": "first"}
    dates = _dates(pattern, _numbered("2017-08-29", 3), "2017-08-29T14:00:00")
    assert [d[:10] for d in dates] == ["2017-09-07", "2017-11-02", "2018-01-04"]


def test_relative_monthly_with_several_days_falls_on_the_first_that_fits() -> None:
    pattern = {
        "type": "relativeMonthly",
        "interval": 1,
        "daysOfWeek": ["thursday", "friday"],
        "index": "first",
    }
    dates = _dates(pattern, _numbered("2026-01-01", 3), "2026-01-01T09:00:00")
    assert [d[:10] for d in dates] == [
        "2026-01-01",
        "2026-02-05",
        "2026-03-05",
    ]  # Thu 1 Jan, Thu 5 Feb, Thu 5 Mar


def test_relative_monthly_last_friday() -> None:
    pattern = {"type": "relativeMonthly", "interval": 1, "daysOfWeek": ["friday"], "index": "last"}
    dates = _dates(pattern, _numbered("2026-01-01", 2), "2026-01-01T09:00:00")
    assert [d[:10] for d in dates] == ["2026-01-30", "2026-02-27"]


def test_absolute_monthly_on_the_31st_falls_on_the_last_day_of_shorter_months() -> None:
    # Outlook's rule (CDO DayOfMonth, MS-OXICAL BYMONTHDAY=-1 <-> 31); RFC 5545 would skip those months.
    pattern = {"type": "absoluteMonthly", "interval": 1, "dayOfMonth": 31}
    dates = _dates(pattern, _numbered("2026-01-31", 4), "2026-01-31T09:00:00")
    assert [d[:10] for d in dates] == ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"]


def test_absolute_yearly_on_29_february_falls_on_the_28th_in_common_years() -> None:
    pattern = {"type": "absoluteYearly", "interval": 1, "dayOfMonth": 29, "month": 2}
    dates = _dates(pattern, _numbered("2024-02-29", 3), "2024-02-29T09:00:00")
    assert [d[:10] for d in dates] == ["2024-02-29", "2025-02-28", "2026-02-28"]


def test_relative_yearly_last_wednesday_of_november() -> None:
    pattern = {
        "type": "relativeYearly",
        "interval": 1,
        "daysOfWeek": ["Wednesday"],
        "index": "last",
        "month": 11,
    }
    dates = _dates(pattern, _numbered("2026-01-01", 2), "2026-01-01T09:00:00")
    assert [d[:10] for d in dates] == ["2026-11-25", "2027-11-24"]


def test_occurrences_keep_their_wall_clock_time_across_daylight_saving() -> None:
    pattern = {"type": "weekly", "interval": 1, "daysOfWeek": ["monday"]}
    range_ = {"type": "noEnd", "startDate": "2026-03-02"}
    window = (datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 17, tzinfo=UTC))
    dates = _dates(pattern, range_, "2026-03-02T09:00:00", zone="Pacific Standard Time", window=window)
    assert dates == ["2026-03-02 17:00", "2026-03-09 16:00", "2026-03-16 16:00"]  # DST began on 8 March


def test_end_date_is_read_in_the_recurrence_time_zone() -> None:
    # 23:00 UTC on 10 December is already 11 December in Tokyo, past the range's end there.
    pattern = {"type": "daily", "interval": 1}
    range_ = {
        "type": "endDate",
        "startDate": "2026-12-09",
        "endDate": "2026-12-10",
        "recurrenceTimeZone": "Asia/Tokyo",
    }
    assert _dates(pattern, range_, "2026-12-09T23:00:00") == ["2026-12-09 23:00"]


def test_the_window_keeps_occurrences_that_overlap_it() -> None:
    pattern = {"type": "daily", "interval": 1}
    window = (datetime(2026, 12, 2, 9, 30, tzinfo=UTC), datetime(2026, 12, 3, 9, 0, tzinfo=UTC))
    dates = _dates(pattern, _numbered("2026-12-01", 5), "2026-12-01T09:00:00", window=window)
    assert dates == ["2026-12-02 09:00"]  # the 3rd starts at the window's (exclusive) end


@pytest.mark.parametrize(
    "recurrence",
    [
        {"pattern": {"type": "fortnightly", "interval": 1}, "range": _numbered("2026-01-01", 2)},
        {"pattern": {"type": "weekly", "interval": 1}, "range": _numbered("2026-01-01", 2)},
        {"pattern": {"type": "daily", "interval": 0}, "range": _numbered("2026-01-01", 2)},
        {
            "pattern": {"type": "absoluteMonthly", "interval": 1, "dayOfMonth": 32},
            "range": _numbered("2026-01-01", 2),
        },
        {
            "pattern": {"type": "relativeMonthly", "interval": 1, "daysOfWeek": ["monday"], "index": "fifth"},
            "range": _numbered("2026-01-01", 2),
        },
        {
            "pattern": {"type": "daily", "interval": 1},
            "range": {"type": "numbered", "startDate": "2026-01-01"},
        },
        {
            "pattern": {"type": "daily", "interval": 1},
            "range": {"type": "endDate", "startDate": "2026-01-01"},
        },
        {"pattern": {"type": "daily", "interval": 1}},
    ],
)
def test_recurrences_graph_refuses_are_refused(recurrence: dict[str, Any]) -> None:
    with pytest.raises(RecurrenceError):
        check(recurrence)
