"""Current user, organisation and field metadata as the client reads them from Recruit."""

from __future__ import annotations

from sync_core.recruit import RecruitClient
from tests.fixtures.recruit_emulator import RecruitEmulator


async def test_org_and_current_user_describe_the_signed_in_user(alice: RecruitClient) -> None:
    org = await alice.org()
    user = await alice.current_user()
    assert (org.company_name, org.time_zone) == ("Acme Recruiting", "Asia/Kolkata")
    assert (user.full_name, user.id) == ("Alice Anand", "461233000000191001")


async def test_contact_fields_carry_types_lengths_flags_and_lookup_modules(alice: RecruitClient) -> None:
    fields = {meta.api_name: meta for meta in await alice.fields("Contacts")}
    last_name = fields["Last_Name"]
    assert (last_name.label, last_name.data_type, last_name.json_type) == ("Last Name", "text", "string")
    assert last_name.length == 80 and last_name.system_mandatory and not last_name.custom
    assert fields["Client_Name"].lookup_module == "Clients"
    assert fields["Created_Time"].read_only


async def test_a_custom_field_added_in_recruit_appears_in_the_metadata(
    recruit: RecruitEmulator, alice: RecruitClient
) -> None:
    recruit.control(
        "fields",
        {"module": "Contacts", "api_name": "Pronouns", "label": "Pronouns", "type": "text", "length": 30},
    )
    custom = next(meta for meta in await alice.fields("Contacts") if meta.api_name == "Pronouns")
    assert custom.custom and custom.label == "Pronouns" and custom.length == 30 and not custom.read_only


async def test_the_owner_field_is_found_by_its_type_in_each_module(alice: RecruitClient) -> None:
    owners = {
        module: (await alice.owner_field(module)).api_name for module in ("Contacts", "Events", "Interviews")
    }
    assert owners == {"Contacts": "Contact_Owner", "Events": "Owner", "Interviews": "Interview_Owner"}
