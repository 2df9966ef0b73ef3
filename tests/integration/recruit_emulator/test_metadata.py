"""Metadata: field descriptions (owner field, lookups, custom fields), current user, organisation."""

from __future__ import annotations

import httpx

from tests.fixtures.recruit_emulator import RecruitEmulator

from .conftest import BOB


def _fields(client: httpx.Client, module: str) -> dict[str, dict[str, object]]:
    return {
        f["api_name"]: f for f in client.get("/settings/fields", params={"module": module}).json()["fields"]
    }


def test_each_module_has_exactly_one_ownerlookup_field(alice: httpx.Client) -> None:
    expected = {
        "Events": "Owner",
        "Interviews": "Interview_Owner",
        "Contacts": "Contact_Owner",
        "Clients": "Account_Manager",
    }
    for module, owner in expected.items():
        owners = [name for name, f in _fields(alice, module).items() if f["data_type"] == "ownerlookup"]
        assert owners == [owner]


def test_contact_fields_describe_types_lengths_and_lookups(alice: httpx.Client) -> None:
    fields = _fields(alice, "Contacts")
    assert fields["Last_Name"]["system_mandatory"] is True
    assert fields["Last_Name"]["length"] == 80
    assert fields["Email"]["data_type"] == "email"
    assert fields["Client_Name"]["lookup"] == {"module": "Clients"}
    assert fields["Modified_Time"]["read_only"] is True


def test_custom_field_added_by_control_api_is_described_and_accepted(
    recruit: RecruitEmulator, alice: httpx.Client
) -> None:
    field = {
        "module": "Contacts",
        "api_name": "LinkedIn_Profile",
        "label": "LinkedIn",
        "type": "text",
        "length": 20,
    }
    recruit.control("fields", field)
    described = _fields(alice, "Contacts")["LinkedIn_Profile"]
    assert described["custom_field"] is True and described["length"] == 20
    created = alice.post(
        "/Contacts", json={"data": [{"Last_Name": "Custom", "LinkedIn_Profile": "in/custom"}]}
    ).json()
    record = alice.get(f"/Contacts/{created['data'][0]['details']['id']}").json()["data"][0]
    assert record["LinkedIn_Profile"] == "in/custom"
    too_long = alice.post("/Contacts", json={"data": [{"Last_Name": "Custom", "LinkedIn_Profile": "x" * 21}]})
    assert too_long.json()["data"][0]["details"]["api_name"] == "LinkedIn_Profile"


def test_custom_field_disappears_on_reset(recruit: RecruitEmulator, alice: httpx.Client) -> None:
    recruit.control("fields", {"module": "Events", "api_name": "Room_Code", "label": "Room", "type": "text"})
    recruit.reset()
    assert "Room_Code" not in _fields(alice, "Events")


def test_current_user_reports_zone_and_ids(recruit: RecruitEmulator) -> None:
    with recruit.client_for(BOB) as bob:
        user = bob.get("/users", params={"type": "CurrentUser"}).json()["users"][0]
    assert user["email"] == BOB
    assert user["time_zone"] == "America/New_York"
    assert user["id"] and user["zuid"] and user["full_name"] == "Bob Barnes"


def test_org_reports_the_seeded_organisation(alice: httpx.Client, recruit: RecruitEmulator) -> None:
    org = alice.get("/org").json()["org"][0]
    assert org["company_name"] == "Acme Recruiting"
    assert org["id"] == recruit.seed["orgs"][0]["id"]
