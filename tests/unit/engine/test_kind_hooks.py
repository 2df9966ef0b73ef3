"""What each kind tells the shared engine: its delta window and when it has slid, which ids a round shows,
which linked items a fresh round must list, its initial cap, the container-deleted message and the noun for
its container; and which kinds the registry knows."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from sync_core.config import Settings
from sync_core.engine.sync_kinds.calendar_kind import CalendarKind
from sync_core.engine.sync_kinds.contacts_kind import ContactsKind
from sync_core.engine.sync_kinds.kinds import WINDOW_SLIDE, SyncKind, window_slid
from sync_core.engine.sync_kinds.registry import KIND_NAMES, UnknownKind, kind_for, parse_kind

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
SETTINGS = Settings(delta_window_past_days=365, delta_window_future_days=730)
CALENDAR = CalendarKind(SETTINGS)
CONTACTS = ContactsKind(SETTINGS)


def test_the_calendar_window_reaches_the_configured_days_back_and_ahead() -> None:
    assert CALENDAR.delta_window(NOW) == (NOW - timedelta(days=365), NOW + timedelta(days=730))


def test_contacts_have_no_window_so_it_never_slides() -> None:
    assert CONTACTS.delta_window(NOW) is None
    assert not window_slid(CONTACTS, NOW - timedelta(days=5000), NOW)


def test_the_calendar_window_has_slid_once_it_is_a_slide_behind() -> None:
    wanted_start = NOW - timedelta(days=365)
    assert window_slid(CALENDAR, wanted_start - WINDOW_SLIDE, NOW)
    assert not window_slid(CALENDAR, wanted_start - WINDOW_SLIDE + timedelta(seconds=1), NOW)
    assert not window_slid(CALENDAR, None, NOW)


def test_a_listed_occurrence_shows_its_series_master_exists() -> None:
    occurrence = {"id": "occ-1", "seriesMasterId": "master-1", "type": "occurrence"}
    assert CALENDAR.listed_ids(occurrence) == ("occ-1", "master-1")
    assert CALENDAR.listed_ids({"id": "single"}) == ("single",)
    assert CONTACTS.listed_ids({"id": "c-1"}) == ("c-1",)


def test_a_fresh_calendar_round_must_list_only_events_overlapping_its_window() -> None:
    window = CALENDAR.delta_window(NOW)
    inside = {"start": NOW, "end": NOW + timedelta(hours=1)}
    long_ago = {"start": NOW - timedelta(days=800), "end": NOW - timedelta(days=800, hours=-1)}
    assert CALENDAR.expected_in_round(inside, window)
    assert not CALENDAR.expected_in_round(long_ago, window)
    # A series may reach into the window with later occurrences; unreadable times leave it to a GET.
    assert CALENDAR.expected_in_round({**long_ago, "recurrence": "FREQ=DAILY"}, window)
    assert CALENDAR.expected_in_round({"start": "garbled"}, window)
    # All-day dates are wall-clock days: a day's slack at the edge.
    edge = window[0].date()  # its midnight is hours before the window starts
    assert CALENDAR.expected_in_round({"start": edge - timedelta(days=1), "end": edge}, window)
    assert not CALENDAR.expected_in_round({"start": date(2020, 1, 1), "end": date(2020, 1, 2)}, window)


def test_a_fresh_contacts_round_lists_every_linked_contact() -> None:
    assert CONTACTS.expected_in_round({}, None)


def test_each_kind_carries_its_initial_cap_from_settings() -> None:
    settings = Settings(initial_events_cap=12, initial_contacts_cap=34)
    assert (CalendarKind(settings).initial_cap(), ContactsKind(settings).initial_cap()) == (12, 34)


@pytest.mark.parametrize(("name", "container"), [("calendar", "calendar"), ("contacts", "folder")])
def test_each_kind_names_its_own_container_when_it_was_deleted(name: str, container: str) -> None:
    kind: SyncKind = kind_for(name, SETTINGS)
    assert kind.name == name
    assert f"{container} was deleted in Outlook" in kind.container_deleted_message


@pytest.mark.parametrize(("name", "noun"), [("calendar", "calendar"), ("contacts", "contact folder")])
def test_each_kind_says_what_its_container_is_called(name: str, noun: str) -> None:
    assert kind_for(name, SETTINGS).container_noun == noun


def test_the_registry_lists_every_kind_once_and_each_builds() -> None:
    assert sorted(KIND_NAMES) == ["calendar", "contacts"]
    assert [kind_for(name, SETTINGS).name for name in KIND_NAMES] == list(KIND_NAMES)


@pytest.mark.parametrize("name", ["Calendar", "", None, "events", 1])
def test_an_unknown_kind_name_is_refused_never_taken_for_the_calendar(name: object) -> None:
    with pytest.raises(UnknownKind, match="unknown sync kind"):
        parse_kind(name)
    with pytest.raises(ValueError, match="expected one of calendar, contacts"):
        kind_for(str(name), SETTINGS)
