"""Outlook-only contact data survives a write from Recruit (issue 14): a write merges the mapped slots into
the contact as it is now; lists compare without gaps; birthdays are the calendar date Outlook shows."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from local.emulators.recruit.fields import default_modules
from sync_core.config import Settings
from sync_core.domain.fingerprint import fingerprint
from sync_core.domain.items import GraphChange, Link, LinkIndex, RecruitChange, RecruitRef
from sync_core.domain.planner import plan
from sync_core.engine.sync_kinds.contacts_kind import ContactsKind
from sync_core.engine.sync_kinds.kinds import KindContext
from sync_core.graph.contact_codec import merged_list, read_birthday, read_graph, write_birthday, write_graph

KIND = ContactsKind(Settings())
METADATA = {"Contacts": [field.to_json() for field in default_modules()["Contacts"].fields]}
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
T1 = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
REF = RecruitRef("Contacts", "7001")

ADA = {"name": "Ada Lovelace", "address": "ada@work.example"}
ADA_HOME = {"name": "Ada (home)", "address": "ada@home.example"}
ADA_OLD = {"name": "Ada, old job", "address": "ada@old.example"}
OUTLOOK_CONTACT: dict[str, Any] = {
    "id": "g1",
    "givenName": "Ada",
    "surname": "Lovelace",
    "emailAddresses": [ADA, ADA_HOME, ADA_OLD],
    "businessPhones": ["+47 1111", "+47 2222"],
}


def ctx(zone: str = "UTC") -> KindContext:
    return KindContext(Settings(), "me", "Alice", zone, {"Contacts": "Contact_Owner"}, None, METADATA)


def mapped(contact: dict[str, Any], zone: str = "UTC") -> dict[str, Any]:
    values = KIND.graph_values(contact, ctx(zone))
    assert values is not None
    return values


def patched(contact: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    """The contact after a PATCH: each property in the body replaced whole (contact-update.md)."""
    return {**contact, **body}


# --- row 1: a write merges into the contact as it is now ---


def test_email_edit_in_recruit_keeps_the_third_address_and_every_display_name() -> None:
    fields = {"emailAddresses[1]": "ada@new.example", "emailAddresses[2]": "ada@home.example"}
    body = KIND.to_graph_update(fields, ctx(), OUTLOOK_CONTACT)
    assert body["emailAddresses"] == [
        {"name": "Ada Lovelace", "address": "ada@new.example"},
        ADA_HOME,
        ADA_OLD,
    ]


def test_work_phone_edit_in_recruit_keeps_the_second_business_phone() -> None:
    body = KIND.to_graph_update({"businessPhones[1]": "+47 9999"}, ctx(), OUTLOOK_CONTACT)
    assert body["businessPhones"] == ["+47 9999", "+47 2222"]


def test_an_address_equal_but_for_case_keeps_its_entry_and_name() -> None:
    slots = {1: "ADA@work.example", 2: "ada@home.example"}
    assert merged_list("emailAddresses", slots, [ADA, ADA_HOME]) == [ADA, ADA_HOME]


def test_a_display_name_that_was_only_the_address_follows_the_new_address() -> None:
    plain = {"name": "ada@work.example", "address": "ada@work.example"}
    merged = merged_list("emailAddresses", {1: "ada@new.example"}, [plain])
    assert merged == [{"name": "ada@new.example", "address": "ada@new.example"}]


def test_a_value_moved_between_slots_keeps_its_entry() -> None:
    merged = merged_list("emailAddresses", {1: "ada@home.example", 2: "ada@work.example"}, [ADA, ADA_HOME])
    assert merged == [ADA_HOME, ADA]


def test_a_cleared_slot_takes_the_first_outlook_only_entry_so_others_keep_their_slot() -> None:
    merged = merged_list("emailAddresses", {1: None, 2: "ada@home.example"}, [ADA, ADA_HOME, ADA_OLD])
    assert merged == [ADA_OLD, ADA_HOME]


def test_an_address_write_keeps_the_parts_nobody_mapped() -> None:
    current = {"businessAddress": {"street": "Gate 1", "city": "Oslo", "postalCode": "0150"}}
    body = write_graph({"businessAddress.city": "Bergen"}, current)
    assert body["businessAddress"] == {"street": "Gate 1", "city": "Bergen", "postalCode": "0150"}


def test_a_new_contact_is_written_without_holes() -> None:
    body = KIND.to_graph({"emailAddresses[1]": None, "emailAddresses[2]": "b@x.example"}, ctx())
    assert body["emailAddresses"] == [{"name": "b@x.example", "address": "b@x.example"}]


# --- rows 2 and 3: lists compare without gaps; Recruit clears Email and keeps Secondary_Email ---


def linked(snapshot: dict[str, Any]) -> LinkIndex:
    names = KIND.policy(ctx()).names("Contacts")
    full = {name: snapshot.get(name) for name in names}
    return LinkIndex.of([Link(REF, "g1", fingerprint(full, names), full, T0, T0)])


def recruit_change(values: dict[str, Any]) -> RecruitChange:
    return KIND.recruit_change("Contacts", {"id": REF.id, "Contact_Owner": {"id": "me"}, **values}, ctx())


def test_recruit_clearing_email_shows_the_secondary_in_outlook_and_nothing_echoes() -> None:
    policy = KIND.policy(ctx())
    before = {"Last_Name": "Lovelace", "Email": "ada@work.example", "Secondary_Email": "ada@home.example"}
    contact = {**OUTLOOK_CONTACT, "emailAddresses": [ADA, ADA_HOME], "businessPhones": []}
    links = linked(mapped(contact))
    cleared = recruit_change({**before, "Email": None, "Modified_Time": T1.isoformat()})
    [update] = plan(links, [cleared], [], policy)
    body = KIND.to_graph_update(update.fields | {"emailAddresses[2]": "ada@home.example"}, ctx(), contact)
    after_write = patched(contact, body)
    assert after_write["emailAddresses"] == [ADA_HOME]  # Outlook shows the secondary address
    # Next pass: our own write comes back through delta, and Recruit is unchanged: nothing to do either way.
    assert update.link_after is not None
    echoed = GraphChange("g1", mapped(after_write), T1 + (T1 - T0))
    assert plan(LinkIndex.of([update.link_after]), [cleared], [echoed], policy) == []


@pytest.mark.parametrize("gap", [None, ""])
def test_lists_with_a_gap_compare_equal_to_the_same_list_closed_up(gap: str | None) -> None:
    policy = KIND.policy(ctx())
    links = linked({"surname": "Lee", "emailAddresses[1]": "a@x.example", "emailAddresses[2]": gap})
    outlook = GraphChange("g1", {"surname": "Lee", "emailAddresses[1]": "a@x.example"}, T1)
    assert plan(links, [], [outlook], policy) == []
    links = linked({"surname": "Lee", "emailAddresses[1]": gap, "emailAddresses[2]": "c@x.example"})
    outlook = GraphChange("g1", {"surname": "Lee", "emailAddresses[1]": "c@x.example"}, T1)
    assert plan(links, [], [outlook], policy) == []


def test_a_real_outlook_edit_of_a_list_still_syncs_slot_by_slot() -> None:
    policy = KIND.policy(ctx())
    links = linked({"surname": "Lee", "emailAddresses[1]": "a@x.example", "emailAddresses[2]": "b@x.example"})
    outlook = GraphChange("g1", {"surname": "Lee", "emailAddresses[1]": "b@x.example"}, T1)
    [update] = plan(links, [], [outlook], policy)
    assert update.fields == {"emailAddresses[1]": "b@x.example", "emailAddresses[2]": None}


def test_list_groups_are_the_mapped_slots_in_slot_order() -> None:
    mapping = [
        {"graph": "emailAddresses[3]", "recruit": "Email"},
        {"graph": "emailAddresses[1]", "recruit": "Secondary_Email"},
        {"graph": "surname", "recruit": "Last_Name"},
    ]
    custom = KindContext(Settings(), "me", "Alice", "UTC", {}, mapping, METADATA)
    assert KIND.policy(custom).list_groups == (("emailAddresses[1]", "emailAddresses[3]"),)


# --- row 4: birthdays as Outlook's calendar date ---


@pytest.mark.parametrize(
    ("stored", "zone", "shown"),
    [
        ("1980-05-03T22:00:00Z", "Europe/Oslo", "1980-05-04"),  # east: local midnight is the UTC day before
        ("1980-05-04T04:00:00Z", "America/New_York", "1980-05-04"),  # west: local midnight is 04:00 UTC
        ("1980-05-03T12:00:00Z", "Pacific/Auckland", "1980-05-04"),  # UTC+12
        ("1980-05-04T11:59:00Z", "Pacific/Auckland", "1980-05-04"),  # ActiveSync's 11:59 convention
        ("1980-05-04T00:00:00Z", "UTC", "1980-05-04"),
    ],
)
def test_birthday_reads_as_the_date_outlook_shows(stored: str, zone: str, shown: str) -> None:
    assert read_birthday(stored, ZoneInfo(zone)) == shown
    assert read_graph({"birthday": stored}, "birthday", ZoneInfo(zone)) == shown


@pytest.mark.parametrize("zone", ["Europe/Oslo", "Asia/Kolkata", "America/Los_Angeles", "Pacific/Kiritimati"])
def test_birthday_is_written_at_local_midnight_and_reads_back_the_same_day(zone: str) -> None:
    written = write_birthday("1980-05-04", ZoneInfo(zone))
    local = datetime.fromisoformat(written.replace("Z", "+00:00")).astimezone(ZoneInfo(zone))
    assert (local.date().isoformat(), local.hour, local.minute) == ("1980-05-04", 0, 0)
    assert read_birthday(written, ZoneInfo(zone)) == "1980-05-04"


# --- the round trip as a property ---

emails = st.lists(
    st.builds(
        lambda local, name: {"name": name or f"{local}@x.example", "address": f"{local}@x.example"},
        st.sampled_from(["a", "b", "c", "d", "e"]),
        st.sampled_from(["", "Ada Lovelace", "Work", "Home"]),
    ),
    max_size=3,
    unique_by=lambda entry: entry["address"],
)
phones = st.lists(st.sampled_from(["+1 1", "+1 2", "+1 3", "+1 4"]), max_size=2, unique=True)
slot_value = st.one_of(st.none(), st.sampled_from(["a@x.example", "d@x.example", "e@x.example"]))


@given(emails, phones, slot_value, slot_value, st.one_of(st.none(), st.sampled_from(["+1 1", "+1 9"])))
def test_a_recruit_write_loses_nothing_outlook_only_and_plans_nothing_after(
    current_emails: list[dict[str, str]],
    current_phones: list[str],
    email: str | None,
    secondary: str | None,
    work_phone: str | None,
) -> None:
    assume(email is None or email != secondary)
    contact = {
        "id": "g1",
        "surname": "Lee",
        "emailAddresses": current_emails,
        "businessPhones": current_phones,
    }
    written = {
        "surname": "Lee",
        "emailAddresses[1]": email,
        "emailAddresses[2]": secondary,
        "businessPhones[1]": work_phone,
    }
    after = patched(contact, KIND.to_graph_update(written, ctx(), contact))
    # Nothing lost: every entry Recruit does not address (position 3 on) is still there, display name too.
    for entry in current_emails[2:]:
        assert entry in after["emailAddresses"]
    for phone in current_phones[1:]:
        assert phone in after["businessPhones"]
    # Nothing planned: reading the contact back gives the values written (gaps aside), unless an Outlook-only
    # entry had to move into a slot Recruit cleared (Graph lists have no holes).
    moved_in = [e for e in current_emails[2:] if e in after["emailAddresses"][:2]]
    moved_in += [p for p in current_phones[1:] if p in after["businessPhones"][:1]]
    assume(not moved_in)
    policy = KIND.policy(ctx())
    names = policy.names("Contacts")
    agreed = {name: written.get(name) for name in names}
    links = LinkIndex.of([Link(REF, "g1", fingerprint(agreed, names), agreed, T0, T0)])
    echoed = GraphChange("g1", mapped(after), T1)
    assert plan(links, [], [echoed], policy) == []


@pytest.mark.parametrize("zone", ["Europe/Oslo", "Asia/Tokyo", "America/Chicago", "Pacific/Honolulu"])
def test_a_birthday_written_to_outlook_reads_back_with_nothing_planned(zone: str) -> None:
    mapping = [
        {"graph": "surname", "recruit": "Last_Name"},
        {"graph": "birthday", "recruit": "Date_of_Birth"},
    ]
    user = KindContext(Settings(), "me", "Alice", zone, {}, mapping, METADATA)
    agreed = {"surname": "Lee", "birthday": "1980-05-04"}
    body = KIND.to_graph_update(agreed, user, {"id": "g1"})
    values = KIND.graph_values(patched({"id": "g1"}, body), user)
    assert values == agreed
    policy = KIND.policy(user)
    names = policy.names("Contacts")
    links = LinkIndex.of([Link(REF, "g1", fingerprint(agreed, names), agreed, T0, T0)])
    assert plan(links, [], [GraphChange("g1", values, T1)], policy) == []
