"""The NCRONTAB parser: six fields, lists, ranges, steps, and next occurrences."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from local.devhost.ncrontab import CronError, parse


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_every_second_advances_one_second_and_drops_fractions() -> None:
    assert parse("* * * * * *").next_after(at("2026-11-25T10:00:00.400")) == at("2026-11-25T10:00:01")


def test_every_five_minutes_on_the_zero_second() -> None:
    assert parse("0 */5 * * * *").next_after(at("2026-11-25T10:03:10")) == at("2026-11-25T10:05:00")


def test_next_occurrence_is_strictly_after_a_matching_moment() -> None:
    assert parse("0 */5 * * * *").next_after(at("2026-11-25T10:05:00")) == at("2026-11-25T10:10:00")


def test_lists_and_ranges_combine() -> None:
    schedule = parse("0 0 9-10,15 * * *")

    assert schedule.hours == frozenset({9, 10, 15})
    assert schedule.next_after(at("2026-11-25T10:30:00")) == at("2026-11-25T15:00:00")


def test_range_with_step_and_start_with_step() -> None:
    assert parse("10-30/10 * * * * *").seconds == frozenset({10, 20, 30})
    assert parse("5/20 * * * * *").seconds == frozenset({5, 25, 45})


def test_day_of_week_rolls_over_to_next_week() -> None:
    # 2026-11-25 is a Wednesday; 1 is Monday.
    assert parse("0 30 9 * * 1").next_after(at("2026-11-25T12:00:00")) == at("2026-11-30T09:30:00")


def test_sunday_is_zero_or_seven_and_names_work() -> None:
    assert parse("0 0 0 * * 7").weekdays == parse("0 0 0 * * 0").weekdays == frozenset({0})
    assert parse("0 0 0 * JAN,mar MON-FRI").months == frozenset({1, 3})


def test_day_of_month_and_day_of_week_must_both_match() -> None:
    # The next 13th that is a Friday after 2026-11-25 is 2027-08-13.
    assert parse("0 0 0 13 * 5").next_after(at("2026-11-25T00:00:00")) == at("2027-08-13T00:00:00")


def test_month_and_year_roll_over() -> None:
    assert parse("0 0 0 1 1 *").next_after(at("2026-11-25T00:00:00")) == at("2027-01-01T00:00:00")


def test_leap_day_waits_for_a_leap_year() -> None:
    assert parse("0 0 12 29 2 *").next_after(at("2026-11-25T00:00:00")) == at("2028-02-29T12:00:00")


def test_five_fields_mean_second_zero() -> None:
    assert parse("*/15 * * * *").seconds == frozenset({0})


def test_timezone_of_the_given_moment_is_kept() -> None:
    moment = at("2026-11-25T10:00:00")

    assert parse("* * * * * *").next_after(moment).tzinfo is UTC


@pytest.mark.parametrize(
    "expression",
    [
        "* * * * *  * *",
        "60 * * * * *",
        "* * 24 * * *",
        "* * * 0 * *",
        "*/0 * * * * *",
        "a * * * * *",
        "5-1 * * * * *",
    ],
)
def test_invalid_expressions_are_rejected(expression: str) -> None:
    with pytest.raises(CronError):
        parse(expression)


def test_schedule_that_never_matches_fails_instead_of_looping() -> None:
    with pytest.raises(CronError, match="no occurrence"):
        parse("0 0 0 30 2 *").next_after(at("2026-11-25T00:00:00"))
