"""What a user of python-o365 sees when the Graph emulator stands in for Microsoft 365: calendars, events in
a date range, recurring events and contacts, each read back through the library's own objects.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from O365 import Account
from O365.address_book import Contact, ContactFolder
from O365.calendar import EventType

WINDOW_START = datetime(2027, 3, 1, tzinfo=ZoneInfo("UTC"))  # a Monday
JPEG = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffd9")


def test_a_new_calendar_is_listed_renamed_and_deleted(alice: Account) -> None:
    schedule = alice.schedule()
    created = schedule.new_calendar("Interviews")

    assert "Interviews" in [c.name for c in schedule.list_calendars()]
    created.name = "Interviews 2027"
    assert created.update()
    assert schedule.get_calendar(calendar_id=created.calendar_id).name == "Interviews 2027"
    assert created.delete()
    assert "Interviews 2027" not in [c.name for c in schedule.list_calendars()]


def test_an_event_saved_in_a_calendar_is_found_in_its_date_range(alice: Account) -> None:
    calendar = alice.schedule().new_calendar("Zoho Recruit")
    event = calendar.new_event("Interview with Jane")
    event.start = WINDOW_START + timedelta(days=2, hours=9)
    event.end = WINDOW_START + timedelta(days=2, hours=10)
    event.body = "Room 4"
    assert event.save()

    found = list(
        calendar.get_events(
            include_recurring=True,
            start_recurring=WINDOW_START,
            end_recurring=WINDOW_START + timedelta(days=7),
        )
    )
    outside = list(
        calendar.get_events(
            include_recurring=True,
            start_recurring=WINDOW_START + timedelta(days=7),
            end_recurring=WINDOW_START + timedelta(days=14),
        )
    )

    assert [(e.subject, e.start, e.end) for e in found] == [("Interview with Jane", event.start, event.end)]
    assert "Room 4" in found[0].get_body_text()
    assert outside == []


def test_a_weekly_series_shows_as_its_occurrences_in_a_date_range(alice: Account) -> None:
    calendar = alice.schedule().new_calendar("Zoho Recruit")
    series = calendar.new_event("Weekly sync")
    series.start = WINDOW_START + timedelta(hours=9)
    series.end = WINDOW_START + timedelta(hours=9, minutes=30)
    series.recurrence.set_weekly(
        1, days_of_week=["monday"], first_day_of_week="monday", start=date(2027, 3, 1), occurrences=6
    )
    assert series.save()

    in_march = list(
        calendar.get_events(
            include_recurring=True,
            start_recurring=WINDOW_START,
            end_recurring=WINDOW_START + timedelta(days=28),
        )
    )

    assert [e.start for e in in_march] == [series.start + timedelta(weeks=n) for n in range(4)]
    assert {e.event_type for e in in_march} == {EventType.Occurrence}
    assert {e.series_master_id for e in in_march} == {series.object_id}
    # O365 keeps the type it was built with after save(); the master read back knows it is a series.
    master = calendar.get_event(series.object_id)
    assert len(list(master.get_occurrences(WINDOW_START, WINDOW_START + timedelta(days=60)))) == 6


def _by_email(folder: ContactFolder, address: str) -> Contact | None:
    # O365 2.1.10's own get_contact_by_email fails before sending (QueryBuilder.any() has no `attribute`).
    return next((c for c in folder.get_contacts() if c.main_email == address), None)


def test_a_contact_folder_is_listed_renamed_and_deleted(alice: Account) -> None:
    # O365's AddressBook hands out its child folders as AddressBooks (root, so they refuse renames);
    # a root ContactFolder hands out real ContactFolders.
    address_book = ContactFolder(parent=alice, root=True)
    folder = address_book.create_child_folder("Zoho Recruit Contacts")

    assert "Zoho Recruit Contacts" in [f.name for f in address_book.get_folders()]
    assert folder.update_folder_name("Recruit Contacts")
    assert [f.name for f in address_book.get_folders()] == ["Recruit Contacts"]
    assert folder.delete()
    assert address_book.get_folders() == []


def test_a_contact_is_read_back_updated_and_deleted(alice: Account) -> None:
    address_book = alice.address_book()
    contact = address_book.new_contact()
    contact.name, contact.surname = "Jane", "Roe"
    contact.job_title = "Recruiter"
    contact.emails.add("jane.roe@example.com")
    contact.business_phones = ["+1 555 0100"]
    assert contact.save()

    read_back = _by_email(address_book, "jane.roe@example.com")
    assert (read_back.full_name, read_back.job_title, read_back.main_email, read_back.business_phones) == (
        "Jane Roe",
        "Recruiter",
        "jane.roe@example.com",
        ["+1 555 0100"],
    )
    read_back.job_title = "Head of Talent"
    assert read_back.save()
    assert _by_email(address_book, "jane.roe@example.com").job_title == "Head of Talent"
    assert read_back.delete()
    assert _by_email(address_book, "jane.roe@example.com") is None


def test_a_contact_photo_is_stored_and_a_missing_one_reads_as_none(alice: Account) -> None:
    contact = alice.address_book().new_contact()
    contact.name, contact.surname = "Photo", "Less"
    assert contact.save()

    assert contact.get_profile_photo() is None
    assert contact.update_profile_photo(JPEG)
    assert contact.get_profile_photo() == JPEG
