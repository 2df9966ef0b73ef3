"""Search criteria strings and Recruit date-time formats, as Zoho expects them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sync_core.recruit.criteria import criteria_string
from sync_core.recruit.datetimes import format_recruit_datetime, parse_recruit_datetime


def test_one_criterion_is_wrapped_in_double_parentheses() -> None:
    assert criteria_string([("Email", "equals", "a@b.example")]) == "((Email:equals:a@b.example))"


def test_several_criteria_are_joined_with_and() -> None:
    assert (
        criteria_string([("Last_Name", "equals", "Burns"), ("First_Name", "starts_with", "B")])
        == "((Last_Name:equals:Burns)and(First_Name:starts_with:B))"
    )


def test_parentheses_commas_and_colons_in_values_are_escaped_with_a_backslash() -> None:
    assert (
        criteria_string([("Job_Title", "equals", "Lead (R,D): QA")])
        == r"((Job_Title:equals:Lead \(R\,D\)\: QA))"
    )


def test_more_than_ten_criteria_or_an_unknown_operator_are_refused_before_any_call() -> None:
    with pytest.raises(ValueError):
        criteria_string([("Email", "equals", str(index)) for index in range(11)])
    with pytest.raises(ValueError):
        criteria_string([("Email", "contains", "x")])


def test_recruit_date_times_parse_to_aware_datetimes() -> None:
    parsed = parse_recruit_datetime("2026-11-24T10:00:00+05:30")
    assert parsed == datetime(2026, 11, 24, 4, 30, tzinfo=UTC)


def test_date_times_are_written_in_the_given_zone_without_milliseconds() -> None:
    moment = datetime(2026, 11, 24, 4, 30, 0, 123456, tzinfo=UTC)
    assert format_recruit_datetime(moment, "Asia/Kolkata") == "2026-11-24T10:00:00+05:30"
    assert format_recruit_datetime(moment) == "2026-11-24T04:30:00+00:00"


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        format_recruit_datetime(datetime(2026, 11, 24, 10, 0))
