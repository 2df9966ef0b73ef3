"""Fingerprints and the 3-way merge: what counts as "the same" and who wins a field."""

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from sync_core.domain.fingerprint import fingerprint
from sync_core.domain.merge import merge3

EARLY = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
LATE = EARLY + timedelta(minutes=5)
NAMES = ("subject", "start", "notes")


def test_empty_values_and_missing_fields_fingerprint_alike() -> None:
    assert fingerprint({"subject": "A", "notes": None}, NAMES) == fingerprint(
        {"subject": "A", "start": ""}, NAMES
    )


def test_trailing_whitespace_and_line_endings_do_not_change_the_fingerprint() -> None:
    assert fingerprint({"notes": "a  \r\nb\r\n\r\n"}, NAMES) == fingerprint({"notes": "a\nb"}, NAMES)


def test_the_same_moment_in_another_zone_has_the_same_fingerprint() -> None:
    india = timezone(timedelta(hours=5, minutes=30))
    assert fingerprint({"start": EARLY}, NAMES) == fingerprint({"start": EARLY.astimezone(india)}, NAMES)


def test_fields_outside_the_synced_names_are_ignored() -> None:
    assert fingerprint({"subject": "A", "color": "red"}, NAMES) == fingerprint({"subject": "A"}, NAMES)


def test_a_real_edit_changes_the_fingerprint() -> None:
    assert fingerprint({"subject": "A"}, NAMES) != fingerprint({"subject": "B"}, NAMES)


def test_leading_whitespace_is_content() -> None:
    assert fingerprint({"notes": "  indented"}, NAMES) != fingerprint({"notes": "indented"}, NAMES)


@given(st.dictionaries(st.sampled_from(NAMES), st.none() | st.text(max_size=5) | st.integers()))
def test_key_order_never_changes_the_fingerprint(fields: dict) -> None:
    reordered = dict(reversed(list(fields.items())))
    assert fingerprint(fields, NAMES) == fingerprint(reordered, reversed(NAMES))


def test_field_changed_on_one_side_takes_that_side() -> None:
    merged, conflicts = merge3({"subject": "A", "notes": "n"}, {"subject": "B", "notes": "n"},
                               {"subject": "A", "notes": "m"}, EARLY, LATE)  # fmt: skip
    assert merged == {"subject": "B", "notes": "m"}
    assert conflicts == []


def test_field_changed_to_the_same_value_on_both_sides_is_no_conflict() -> None:
    merged, conflicts = merge3({"subject": "A"}, {"subject": "B"}, {"subject": "B "}, EARLY, LATE)
    assert conflicts == []
    assert merged["subject"] == "B"


def test_field_changed_on_both_sides_takes_the_newer() -> None:
    assert merge3({"s": "A"}, {"s": "R"}, {"s": "G"}, EARLY, LATE) == ({"s": "G"}, ["s"])
    assert merge3({"s": "A"}, {"s": "R"}, {"s": "G"}, LATE, EARLY) == ({"s": "R"}, ["s"])


def test_field_changed_on_both_sides_at_the_same_time_goes_to_recruit() -> None:
    assert merge3({"s": "A"}, {"s": "R"}, {"s": "G"}, EARLY, EARLY) == ({"s": "R"}, ["s"])


values = st.sampled_from([None, "", "a", "a ", "b"])


@given(st.dictionaries(st.sampled_from(NAMES), values), st.dictionaries(st.sampled_from(NAMES), values))
def test_merging_a_side_with_an_unchanged_side_gives_the_changed_side(base: dict, edited: dict) -> None:
    merged, conflicts = merge3(base, edited, base, EARLY, LATE, NAMES)
    assert fingerprint(merged, NAMES) == fingerprint(edited, NAMES)
    merged, conflicts = merge3(base, base, edited, EARLY, LATE, NAMES)
    assert fingerprint(merged, NAMES) == fingerprint(edited, NAMES)
    assert conflicts == []
