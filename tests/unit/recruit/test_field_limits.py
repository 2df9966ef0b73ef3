"""Lengths read from Recruit's field metadata, and payloads cut to them with a note per cut."""

from __future__ import annotations

from sync_core.recruit.field_limits import field_lengths, fit_payload, fit_text

METADATA = [
    {"api_name": "Event_Title", "data_type": "text", "length": 255},
    {"api_name": "Description", "data_type": "textarea", "length": 32000},
    {"api_name": "Owner", "data_type": "ownerlookup", "length": 120},
    {"api_name": "Score", "data_type": "double", "length": 16},
    {"api_name": "Venue", "data_type": "text", "length": "100"},
    {"api_name": "Free", "data_type": "text", "length": 0},
]


def test_only_text_fields_with_a_positive_length_are_limited() -> None:
    assert field_lengths(METADATA) == {"Event_Title": 255, "Description": 32000, "Venue": 100}


def test_a_long_title_is_cut_with_a_note_and_other_values_kept() -> None:
    payload = {"Event_Title": "T" * 300, "Venue": "Room 1", "All_day": False}
    fitted, notes = fit_payload(payload, field_lengths(METADATA), {"Event_Title": "Title"})
    assert fitted == {"Event_Title": "T" * 255, "Venue": "Room 1", "All_day": False}
    assert notes == ["Title shortened to 255 characters to fit Recruit"]


def test_a_value_within_its_length_is_sent_unchanged_without_a_note() -> None:
    assert fit_text("T" * 255, 255, "Title") == ("T" * 255, None)


def test_a_cut_never_splits_an_emoji() -> None:
    text = "a" * 9 + "\N{GRINNING FACE}"  # the emoji counts two UTF-16 units: 11 in all
    assert fit_text(text, 10, "Title") == ("a" * 9, "Title shortened to 10 characters to fit Recruit")
