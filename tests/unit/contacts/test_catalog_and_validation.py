"""The Graph contact catalog offers only v1.0 fields; the default mapping is valid; every invalid mapping is
refused with the entry and side at fault."""

from __future__ import annotations

from sync_core.domain.contact_fields import (
    DEFAULT_MAPPING,
    GRAPH_FIELDS,
    RecruitField,
    validate_mapping,
)

PATHS = {field.path for field in GRAPH_FIELDS}


def _errors(mapping: list[dict[str, str]], fields: list[RecruitField]) -> list[dict[str, object]]:
    return [error.to_json() for error in validate_mapping(mapping, fields)]


def test_catalog_offers_no_field_missing_from_graph_v1() -> None:
    bases = {path.split("[")[0].split(".")[0] for path in PATHS}
    for missing in (
        "businessFax",
        "homeFax",
        "pager",
        "otherPhones",
        "anniversary",
        "gender",
        "flag",
        "webPage",
    ):
        assert not any(missing.lower() in base.lower() for base in bases), missing


def test_catalog_caps_emails_at_three_and_phones_at_two_each() -> None:
    assert {p for p in PATHS if p.startswith("emailAddresses")} == {f"emailAddresses[{i}]" for i in (1, 2, 3)}
    assert {p for p in PATHS if p.startswith("businessPhones")} == {"businessPhones[1]", "businessPhones[2]"}
    assert {p for p in PATHS if p.startswith("homePhones")} == {"homePhones[1]", "homePhones[2]"}


def test_catalog_offers_each_postal_address_by_part() -> None:
    for address in ("businessAddress", "homeAddress", "otherAddress"):
        for part in ("street", "city", "state", "postalCode", "countryOrRegion"):
            assert f"{address}.{part}" in PATHS


def test_every_graph_field_has_a_label_and_type() -> None:
    for field in GRAPH_FIELDS:
        assert field.to_json()["label"] and field.to_json()["type"]


def test_default_mapping_is_valid(contact_fields: list[RecruitField]) -> None:
    assert validate_mapping(list(DEFAULT_MAPPING), contact_fields) == []


def test_custom_field_is_listed_with_its_flags() -> None:
    from sync_core.recruit.contact_codec import recruit_catalog

    meta = {
        "api_name": "Nick",
        "field_label": "Nick",
        "data_type": "text",
        "length": 20,
        "custom_field": True,
    }
    hidden = {"api_name": "Secret", "data_type": "text", "visible": False}
    [field] = recruit_catalog([meta, hidden])
    assert field.to_json() == {
        "api_name": "Nick",
        "label": "Nick",
        "type": "text",
        "length": 20,
        "required": False,
        "read_only": False,
        "custom": True,
    }


def test_unknown_graph_field_is_refused(contact_fields: list[RecruitField]) -> None:
    mapping = [*DEFAULT_MAPPING, {"graph": "businessFax", "recruit": "Fax"}]
    assert _errors(mapping, contact_fields) == [
        {
            "index": len(DEFAULT_MAPPING),
            "field": "graph",
            "message": "unknown Outlook contact field 'businessFax'",
        }
    ]


def test_fourth_email_is_an_unknown_graph_field(contact_fields: list[RecruitField]) -> None:
    mapping = [*DEFAULT_MAPPING, {"graph": "emailAddresses[4]", "recruit": "Twitter"}]
    [error] = _errors(mapping, contact_fields)
    assert (error["index"], error["field"]) == (len(DEFAULT_MAPPING), "graph")


def test_unknown_recruit_field_is_refused(contact_fields: list[RecruitField]) -> None:
    mapping = [*DEFAULT_MAPPING, {"graph": "nickName", "recruit": "No_Such_Field"}]
    [error] = _errors(mapping, contact_fields)
    assert (error["index"], error["field"]) == (len(DEFAULT_MAPPING), "recruit")
    assert "No_Such_Field" in str(error["message"])


def test_graph_field_used_twice_is_refused(contact_fields: list[RecruitField]) -> None:
    mapping = [*DEFAULT_MAPPING, {"graph": "givenName", "recruit": "Twitter"}]
    assert _errors(mapping, contact_fields) == [
        {"index": len(DEFAULT_MAPPING), "field": "graph", "message": "First name is mapped twice"}
    ]


def test_recruit_field_used_twice_is_refused(contact_fields: list[RecruitField]) -> None:
    mapping = [*DEFAULT_MAPPING, {"graph": "nickName", "recruit": "First_Name"}]
    assert _errors(mapping, contact_fields) == [
        {"index": len(DEFAULT_MAPPING), "field": "recruit", "message": "First Name is mapped twice"}
    ]


def test_incompatible_types_are_refused(contact_fields: list[RecruitField]) -> None:
    mapping = [*DEFAULT_MAPPING, {"graph": "birthday", "recruit": "Is_primary_contact"}]
    [error] = _errors(mapping, contact_fields)
    assert (error["index"], error["field"]) == (len(DEFAULT_MAPPING), "recruit")
    assert "cannot hold" in str(error["message"])


def test_read_only_recruit_field_is_refused(contact_fields: list[RecruitField]) -> None:
    mapping = [*DEFAULT_MAPPING, {"graph": "nickName", "recruit": "Created_By"}]
    [error] = _errors(mapping, contact_fields)
    assert error == {
        "index": len(DEFAULT_MAPPING),
        "field": "recruit",
        "message": "Created By is read-only in Recruit",
    }


def test_required_recruit_field_left_unmapped_is_refused(contact_fields: list[RecruitField]) -> None:
    mapping = [entry for entry in DEFAULT_MAPPING if entry["recruit"] != "Last_Name"]
    assert _errors(mapping, contact_fields) == [
        {"index": None, "field": "recruit", "message": "Last Name is required by Recruit and must be mapped"}
    ]


def test_malformed_entry_is_refused_on_both_sides(contact_fields: list[RecruitField]) -> None:
    mapping: list[object] = [*DEFAULT_MAPPING, "givenName=First_Name"]
    errors = [e.to_json() for e in validate_mapping(mapping, contact_fields)]
    assert [(e["index"], e["field"]) for e in errors] == [
        (len(DEFAULT_MAPPING), "graph"),
        (len(DEFAULT_MAPPING), "recruit"),
    ]
