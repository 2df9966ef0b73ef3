"""Values between Graph paths and Recruit fields: lists without holes, whole addresses, display names,
lookups by name, truncation and the fallback for a required name."""

from __future__ import annotations

from sync_core.domain.contact_fields import DEFAULT_MAPPING, RecruitField
from sync_core.graph.contact_codec import complete_groups, display_name, read_graph, write_graph
from sync_core.recruit.contact_codec import NO_NAME, read_recruit, write_recruit


def test_list_paths_write_one_graph_list_in_index_order() -> None:
    body = write_graph({"emailAddresses[2]": "b@x.example", "emailAddresses[1]": "a@x.example"})
    assert body == {
        "emailAddresses": [
            {"name": "a@x.example", "address": "a@x.example"},
            {"name": "b@x.example", "address": "b@x.example"},
        ]
    }


def test_address_parts_write_one_address() -> None:
    body = write_graph({"businessAddress.city": "Oslo", "businessAddress.street": "Gate 1"})
    assert body == {"businessAddress": {"city": "Oslo", "street": "Gate 1"}}


def test_graph_paths_read_back_what_was_written() -> None:
    fields = {
        "emailAddresses[1]": "a@x.example",
        "businessPhones[2]": None,
        "businessPhones[1]": "+1 555",
        "otherAddress.postalCode": "0150",
        "birthday": "1980-05-04",
        "jobTitle": "CTO",
    }
    body = write_graph(fields)
    assert {path: read_graph(body, path) for path in fields} == fields


def test_changing_one_list_element_sends_the_whole_list_only() -> None:
    full = {
        "emailAddresses[1]": "a@x.example",
        "emailAddresses[2]": "b@x.example",
        "givenName": "Ann",
        "surname": "Lee",
        "jobTitle": "CTO",
    }
    completed = complete_groups({"emailAddresses[2]": "c@x.example"}, full)
    assert completed == {"emailAddresses[1]": "a@x.example", "emailAddresses[2]": "c@x.example"}
    assert "jobTitle" not in completed


def test_changing_surname_sends_every_name_part() -> None:
    completed = complete_groups({"surname": "Ng"}, {"givenName": "Ann", "surname": "Lee", "jobTitle": "CTO"})
    assert completed == {"givenName": "Ann", "surname": "Ng"}


def test_display_name_from_names_else_email() -> None:
    assert display_name({"givenName": "Ann", "surname": "Lee"}) == "Ann Lee"
    assert display_name({"emailAddresses[1]": "ann@x.example"}) == "ann@x.example"
    assert display_name({}) is None


def test_client_lookup_reads_as_the_client_name(contact_fields: list[RecruitField]) -> None:
    client = next(f for f in contact_fields if f.api_name == "Client_Name")
    assert read_recruit({"Client_Name": {"name": "Globex", "id": "9"}}, client) == "Globex"
    assert read_recruit({"Client_Name": None}, client) is None


def test_company_name_becomes_a_client_lookup_by_name(contact_fields: list[RecruitField]) -> None:
    payload = write_recruit({"companyName": "Globex"}, DEFAULT_MAPPING, contact_fields)
    assert payload.values == {"Client_Name": {"name": "Globex"}}


def test_values_longer_than_the_recruit_field_are_truncated_with_a_note(
    contact_fields: list[RecruitField],
) -> None:
    payload = write_recruit({"givenName": "A" * 60}, DEFAULT_MAPPING, contact_fields)
    assert payload.values == {"First_Name": "A" * 40}
    assert payload.notes == ("First Name shortened to 40 characters to fit Recruit",)


def test_truncation_never_splits_an_emoji(contact_fields: list[RecruitField]) -> None:
    # 39 letters + a family emoji (8 UTF-16 units): a 40-unit cut would split it; the whole emoji goes.
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    payload = write_recruit({"givenName": "A" * 39 + family}, DEFAULT_MAPPING, contact_fields)
    assert payload.values == {"First_Name": "A" * 39}
    assert payload.notes == ("First Name shortened to 40 characters to fit Recruit",)


def test_missing_last_name_falls_back_to_the_email_local_part(contact_fields: list[RecruitField]) -> None:
    payload = write_recruit(
        {"surname": None, "emailAddresses[1]": "j.doe@x.example"}, DEFAULT_MAPPING, contact_fields
    )
    assert payload.values["Last_Name"] == "j.doe"
    assert any("Last Name is required" in note for note in payload.notes)


def test_missing_last_name_without_email_is_no_name(contact_fields: list[RecruitField]) -> None:
    payload = write_recruit({"surname": ""}, DEFAULT_MAPPING, contact_fields)
    assert payload.values == {"Last_Name": NO_NAME}


def test_only_given_paths_are_written(contact_fields: list[RecruitField]) -> None:
    assert write_recruit({"jobTitle": "CTO"}, DEFAULT_MAPPING, contact_fields).values == {"Job_Title": "CTO"}
