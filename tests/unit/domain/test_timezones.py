"""Windows and IANA zone names, Graph `{dateTime, timeZone}` values, Recruit date-times and all-day dates."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import available_timezones

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync_core.domain.timezones import (
    WINDOWS_TO_IANA,
    UnknownTimeZone,
    all_day_dates,
    graph_all_day,
    graph_datetime,
    parse_graph_datetime,
    parse_recruit_datetime,
    recruit_datetime,
    to_iana,
    to_windows,
    zone,
)


@pytest.mark.parametrize(
    ("windows", "iana"),
    [
        ("Pacific Standard Time", "America/Los_Angeles"),
        ("W. Europe Standard Time", "Europe/Berlin"),
        ("India Standard Time", "Asia/Kolkata"),
        ("GMT Standard Time", "Europe/London"),
        ("Eastern Standard Time", "America/New_York"),
        ("UTC", "Etc/UTC"),
    ],
)
def test_windows_names_graph_returns_map_to_iana_and_back(windows: str, iana: str) -> None:
    assert to_iana(windows) == iana
    assert to_windows(iana) == windows


def test_every_table_entry_is_a_zone_this_machine_knows() -> None:
    assert len(WINDOWS_TO_IANA) >= 140  # CLDR's full windowsZones
    for windows in WINDOWS_TO_IANA:
        zone(windows)


def test_iana_names_pass_through_to_iana() -> None:
    assert to_iana("Asia/Tokyo") == "Asia/Tokyo"
    assert to_iana("Asia/Calcutta") == "Asia/Calcutta"


@pytest.mark.parametrize(
    ("iana", "windows"),
    [
        ("Europe/Oslo", "W. Europe Standard Time"),
        ("Asia/Jakarta", "SE Asia Standard Time"),
        ("America/Noronha", "UTC-02"),
        ("Asia/Calcutta", "India Standard Time"),  # an old alias
        ("Europe/Uzhgorod", "FLE Standard Time"),  # a tzdata link CLDR does not list
        ("US/Pacific", "Pacific Standard Time"),
    ],
)
def test_zones_missing_from_the_old_table_get_their_cldr_windows_name(iana: str, windows: str) -> None:
    assert to_windows(iana) == windows


def test_every_iana_zone_is_written_with_a_windows_name() -> None:
    for iana in available_timezones() - {"localtime"}:
        assert to_windows(iana) in WINDOWS_TO_IANA, iana


def test_a_zone_cldr_gives_no_windows_name_is_written_in_utc_not_as_iana() -> None:
    assert to_windows("Antarctica/Troll") == "UTC"


def test_graphs_spellings_of_utc_are_known() -> None:
    assert to_iana("tzone://Microsoft/Utc") == "Etc/UTC"
    assert to_iana("utc") == "Etc/UTC"


def test_windows_names_are_matched_whatever_their_case() -> None:
    assert to_windows("w. europe standard time") == "W. Europe Standard Time"


def test_unknown_zone_is_an_error() -> None:
    with pytest.raises(UnknownTimeZone, match="Mars Standard Time"):
        to_iana("Mars Standard Time")


def test_graph_datetime_with_seven_fraction_digits_is_read_in_its_zone() -> None:
    moment = parse_graph_datetime(
        {"dateTime": "2026-11-24T10:00:00.0000000", "timeZone": "India Standard Time"}
    )
    assert moment == datetime(2026, 11, 24, 4, 30, tzinfo=UTC)


def test_graph_datetime_is_written_in_the_requested_zone() -> None:
    written = graph_datetime(datetime(2026, 7, 1, 12, 0, tzinfo=UTC), "W. Europe Standard Time")
    assert written == {"dateTime": "2026-07-01T14:00:00.0000000", "timeZone": "W. Europe Standard Time"}


moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(UTC)
).map(lambda moment: moment.replace(microsecond=0))
zone_names = st.sampled_from(sorted(WINDOWS_TO_IANA))


@given(moments, zone_names)
def test_graph_datetime_round_trips(moment: datetime, name: str) -> None:
    assert parse_graph_datetime(graph_datetime(moment, name)) == moment


@given(moments, zone_names)
def test_recruit_datetime_round_trips_and_has_no_fraction(moment: datetime, name: str) -> None:
    text = recruit_datetime(moment + timedelta(microseconds=123), name)
    assert "." not in text
    assert parse_recruit_datetime(text) == moment


def test_recruit_datetime_carries_the_offset_of_the_users_zone() -> None:
    assert (
        recruit_datetime(datetime(2026, 11, 24, 4, 30, tzinfo=UTC), "Asia/Kolkata")
        == "2026-11-24T10:00:00+05:30"
    )


def test_all_day_event_is_midnight_to_midnight_in_its_zone_with_exclusive_end() -> None:
    start, end = graph_all_day(date(2026, 12, 24), date(2026, 12, 26), "Pacific Standard Time")
    assert start == {"dateTime": "2026-12-24T00:00:00.0000000", "timeZone": "Pacific Standard Time"}
    assert end == {"dateTime": "2026-12-27T00:00:00.0000000", "timeZone": "Pacific Standard Time"}
    assert all_day_dates(start, end) == (date(2026, 12, 24), date(2026, 12, 26))


def test_naive_datetimes_are_refused_rather_than_guessed() -> None:
    with pytest.raises(ValueError, match="aware"):
        graph_datetime(datetime(2026, 1, 1), "UTC")
