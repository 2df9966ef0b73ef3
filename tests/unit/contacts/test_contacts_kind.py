"""The contacts kind's pure side: policy from the mapping, scope by owner, initial order and cap, removals,
and the completion of write groups."""

from __future__ import annotations

from datetime import UTC, datetime

from local.emulators.recruit.fields import default_modules
from sync_core.config import Settings
from sync_core.domain.contact_fields import DEFAULT_MAPPING
from sync_core.engine.sync_kinds.contacts_kind import DELTA_SELECT, ContactsKind
from sync_core.engine.sync_kinds.kinds import KindContext

KIND = ContactsKind(Settings())
ME = "461233000000191001"


METADATA = {"Contacts": [field.to_json() for field in default_modules()["Contacts"].fields]}


def _ctx(mapping: list[dict[str, str]] | None = None) -> KindContext:
    return KindContext(Settings(), ME, "Alice", "UTC", {"Contacts": "Contact_Owner"}, mapping, METADATA)


def test_policy_fields_are_the_mapped_graph_paths() -> None:
    assert KIND.policy(_ctx()).names("Contacts") == tuple(entry["graph"] for entry in DEFAULT_MAPPING)
    custom = [{"graph": "surname", "recruit": "Last_Name"}, {"graph": "nickName", "recruit": "Nick"}]
    assert KIND.policy(_ctx(custom)).names("Contacts") == ("surname", "nickName")


def test_contacts_kind_watches_contacts_and_lives_in_the_contact_folder() -> None:
    assert KIND.recruit_modules == ("Contacts",)
    assert KIND.container_name(Settings()) == "Zoho Recruit Contacts"
    assert KIND.subscription_resource("u1", "f1") == "/users/u1/contactFolders/f1/contacts"


def test_only_contacts_i_own_are_in_scope() -> None:
    mine = {"id": "1", "Last_Name": "Das", "Contact_Owner": {"id": ME, "name": "Alice"}}
    theirs = {**mine, "id": "2", "Contact_Owner": {"id": "other", "name": "Carol"}}
    assert KIND.recruit_change("Contacts", mine, _ctx()).in_scope
    assert not KIND.recruit_change("Contacts", theirs, _ctx()).in_scope


def test_initial_selection_is_most_recently_modified_first_and_capped() -> None:
    records = [
        ("Contacts", {"id": str(day), "Modified_Time": f"2026-11-{day:02d}T10:00:00+05:30"})
        for day in (3, 9, 1, 5)
    ]
    chosen = KIND.initial_selection(records, datetime.now(UTC), cap=3)
    assert [record["id"] for _, record in chosen] == ["9", "5", "3"]


def test_removed_graph_contact_is_a_deletion() -> None:
    change = KIND.graph_change({"id": "g1", "@removed": {"reason": "deleted"}}, "Contacts:1", _ctx())
    assert change is not None and change.deleted and change.tag == "Contacts:1"


def test_delta_selects_every_catalog_property_so_a_new_mapping_needs_no_new_round() -> None:
    assert {"givenName", "emailAddresses", "businessAddress", "homePhones", "nickName"} <= set(DELTA_SELECT)
    assert "displayName" in DELTA_SELECT


def test_to_graph_always_writes_display_name_with_the_names() -> None:
    body = KIND.to_graph({"givenName": "Ann", "surname": "Lee", "jobTitle": "CTO"}, _ctx())
    assert body["displayName"] == "Ann Lee"
    assert "displayName" not in KIND.to_graph({"jobTitle": "CFO"}, _ctx())


def test_to_graph_never_writes_attendees_or_unmapped_properties() -> None:
    body = KIND.to_graph({"surname": "Lee"}, _ctx())
    assert set(body) == {"surname", "displayName"}


def test_write_fields_completes_lists_addresses_and_names() -> None:
    assert KIND.write_fields({"businessAddress.city"}) == {
        "businessAddress.street",
        "businessAddress.city",
        "businessAddress.state",
        "businessAddress.postalCode",
        "businessAddress.countryOrRegion",
    }
    assert {"givenName", "middleName", "surname", "emailAddresses[1]"} <= KIND.write_fields({"surname"})
    assert KIND.write_fields({"jobTitle"}) == {"jobTitle"}


def test_a_mapped_field_missing_from_stale_metadata_is_still_written() -> None:
    ctx = _ctx([{"graph": "surname", "recruit": "Last_Name"}, {"graph": "nickName", "recruit": "Nick_c"}])
    assert KIND.to_recruit("Contacts", {"nickName": "Bo"}, ctx) == {"Nick_c": "Bo"}


def test_to_recruit_leaves_an_unresolved_company_out_but_clears_an_emptied_one() -> None:
    assert KIND.to_recruit("Contacts", {"companyName": "Globex", "jobTitle": "CTO"}, _ctx()) == {
        "Job_Title": "CTO"
    }
    assert KIND.to_recruit("Contacts", {"companyName": None}, _ctx()) == {"Client_Name": None}


def test_write_groups_cover_every_list_and_address_and_the_display_name() -> None:
    groups = {frozenset(group) for group in KIND.write_groups}
    assert frozenset({"homePhones[1]", "homePhones[2]"}) in groups
    assert (
        frozenset({f"otherAddress.{p}" for p in ("street", "city", "state", "postalCode", "countryOrRegion")})
        in groups
    )
    assert frozenset({"givenName", "middleName", "surname", "emailAddresses[1]"}) in groups


def test_policy_carries_the_length_of_each_mapped_text_field_by_graph_path() -> None:
    lengths = KIND.policy(_ctx()).lengths_of("Contacts")
    assert lengths["givenName"] == 40 and lengths["surname"] == 80
    assert "companyName" not in lengths  # a lookup: a client's name is never cut
