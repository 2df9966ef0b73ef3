"""Every default-mapped field survives Recruit -> canonical -> Graph (through the emulator) -> canonical, and
the way back; the client lookup resolves by exact name or leaves the field alone; custom fields sync once
mapped; only owned contacts are in scope."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sync_core.domain.canonical import canonical_fields
from sync_core.domain.contact_fields import DEFAULT_MAPPING, validate_mapping
from sync_core.graph import items
from sync_core.recruit.contact_codec import recruit_catalog
from tests.fixtures.recruit_emulator import RecruitEmulator

from .conftest import ALICE, ContactsWorld

PATHS = [entry["graph"] for entry in DEFAULT_MAPPING]

FULL_RECRUIT_CONTACT: dict[str, Any] = {
    "First_Name": "Ravi",
    "Last_Name": "Kumar",
    "Email": "ravi@contoso.example",
    "Secondary_Email": "ravi.k@home.example",
    "Work_Phone": "+1 555 0100",
    "Mobile": "+91 98450 00000",
    "Job_Title": "CTO",
    "Department": "Engineering",
    "Mailing_Street": "1 MG Road",
    "Mailing_City": "Bengaluru",
    "Mailing_State": "KA",
    "Mailing_Zip": "560001",
    "Mailing_Country": "India",
    "Other_Street": "2 Park St",
    "Other_City": "Kolkata",
    "Other_State": "WB",
    "Other_Zip": "700016",
    "Other_Country": "India",
    "Skype_ID": "ravi.kumar",
}

FULL_GRAPH_CONTACT: dict[str, Any] = {
    "givenName": "Meera",
    "surname": "Iyer",
    "emailAddresses": [
        {"name": "Meera", "address": "meera@contoso.example"},
        {"name": "Meera", "address": "meera@home.example"},
    ],
    "businessPhones": ["+1 555 0101"],
    "mobilePhone": "+91 90000 11111",
    "jobTitle": "HR Manager",
    "department": "HR",
    "companyName": "Contoso Ltd",
    "businessAddress": {
        "street": "3 Brigade Rd",
        "city": "Bengaluru",
        "state": "KA",
        "postalCode": "560025",
        "countryOrRegion": "India",
    },
    "otherAddress": {
        "street": "4 Marine Dr",
        "city": "Mumbai",
        "state": "MH",
        "postalCode": "400020",
        "countryOrRegion": "India",
    },
    "imAddresses": ["meera.iyer"],
}


def _recruit_insert(recruit: RecruitEmulator, email: str, record: dict[str, Any]) -> str:
    with recruit.client_for(email) as api:
        answer = api.post("/Contacts", json={"data": [record], "trigger": []})
        answer.raise_for_status()
        return str(answer.json()["data"][0]["details"]["id"])


def _client_id(recruit: RecruitEmulator, name: str) -> str:
    with recruit.client_for(ALICE) as api:
        found = api.get("/Clients/search", params={"criteria": f"(Client_Name:equals:{name})"}).json()
    return str(found["data"][0]["id"])


async def test_recruit_contact_reaches_outlook_with_every_default_field(
    world: ContactsWorld, recruit: RecruitEmulator
) -> None:
    record_id = _recruit_insert(
        recruit, ALICE, {**FULL_RECRUIT_CONTACT, "Client_Name": {"id": _client_id(recruit, "Contoso Ltd")}}
    )
    ctx = await world.context_for(None)
    record = await world.recruit.get_record("Contacts", record_id)
    assert record is not None
    change = world.kind.recruit_change("Contacts", record, ctx)
    assert change.in_scope and change.fields is not None
    assert all(change.fields[path] for path in PATHS), "the test contact fills every default field"
    assert change.fields["companyName"] == "Contoso Ltd"

    created = await items.create(
        world.graph, world.mailbox, "contact", world.folder_id, world.kind.to_graph(change.fields, ctx), "x"
    )
    read_back = await items.get(world.graph, world.mailbox, "contact", str(created["id"]))
    assert read_back["displayName"] == "Ravi Kumar"
    graph_change = world.kind.graph_change(read_back, None, ctx)
    assert graph_change is not None and graph_change.fields is not None
    assert canonical_fields(graph_change.fields, PATHS) == canonical_fields(change.fields, PATHS)


async def test_outlook_contact_reaches_recruit_with_every_default_field(world: ContactsWorld) -> None:
    ctx = await world.context_for(None)
    posted = await world.graph.request(
        "POST", f"/users/{world.mailbox}/contactFolders/{world.folder_id}/contacts", mailbox=world.mailbox,
        body=FULL_GRAPH_CONTACT,
    )  # fmt: skip
    delta = await world.kind.delta(world.graph, world.mailbox, world.folder_id, None, datetime.now(UTC))
    [item] = [change for change in delta.changed if change["id"] == posted.body["id"]]
    graph_change = world.kind.graph_change(item, None, ctx)
    assert graph_change is not None and graph_change.fields is not None
    assert all(graph_change.fields[path] for path in PATHS), "delta's $select carries every mapped field"

    payload, notes = await world.kind.prepare_recruit("Contacts", graph_change.fields, ctx, world.recruit)
    assert notes == []
    [result] = await world.recruit.insert("Contacts", [payload])
    record = await world.recruit.get_record("Contacts", str(result.details["id"]))
    assert record is not None
    back = world.kind.recruit_change("Contacts", record, ctx)
    assert back.fields is not None
    assert canonical_fields(back.fields, PATHS) == canonical_fields(graph_change.fields, PATHS)


async def test_company_with_no_matching_client_leaves_recruit_unchanged_and_is_noted(
    world: ContactsWorld, recruit: RecruitEmulator
) -> None:
    ctx = await world.context_for(None)
    record_id = _recruit_insert(
        recruit, ALICE, {"Last_Name": "Das", "Client_Name": {"id": _client_id(recruit, "Contoso Ltd")}}
    )
    fields = {"companyName": "Contoso", "jobTitle": "CFO"}
    payload, notes = await world.kind.prepare_recruit("Contacts", fields, ctx, world.recruit)
    assert payload == {"Job_Title": "CFO"}
    assert notes == ["Client_Name: no client named 'Contoso' in Recruit; left unchanged"]
    await world.recruit.update("Contacts", [{**payload, "id": record_id}])
    record = await world.recruit.get_record("Contacts", record_id)
    assert record is not None and record["Client_Name"]["name"] == "Contoso Ltd"
    with recruit.client_for(ALICE) as api:
        assert (
            api.get("/Clients/search", params={"criteria": "(Client_Name:equals:Contoso)"}).status_code == 204
        )


async def test_custom_recruit_field_is_offered_and_syncs_once_mapped(
    world: ContactsWorld, recruit: RecruitEmulator
) -> None:
    recruit.control(
        "fields", {"module": "Contacts", "api_name": "Nickname_c", "label": "Nickname", "type": "text"}
    )
    ctx_before = await world.context_for(None)
    catalog = recruit_catalog(ctx_before.recruit_fields["Contacts"])
    [custom] = [field for field in catalog if field.api_name == "Nickname_c"]
    assert custom.custom and not custom.read_only
    mapping = [*DEFAULT_MAPPING, {"graph": "nickName", "recruit": "Nickname_c"}]
    assert validate_mapping(mapping, catalog) == []

    ctx = await world.context_for(mapping)
    record_id = _recruit_insert(recruit, ALICE, {"Last_Name": "Rao", "Nickname_c": "Chinnu"})
    record = await world.recruit.get_record("Contacts", record_id)
    assert record is not None
    change = world.kind.recruit_change("Contacts", record, ctx)
    assert change.fields is not None
    created = await items.create(
        world.graph, world.mailbox, "contact", world.folder_id, world.kind.to_graph(change.fields, ctx), "x"
    )
    read_back = await items.get(world.graph, world.mailbox, "contact", str(created["id"]))
    assert read_back["nickName"] == "Chinnu"
    payload = world.kind.to_recruit("Contacts", {"nickName": "Chinna"}, ctx)
    await world.recruit.update("Contacts", [{**payload, "id": record_id}])
    assert (await world.recruit.get_record("Contacts", record_id) or {})["Nickname_c"] == "Chinna"


async def test_contact_owned_by_someone_else_is_out_of_scope(
    world: ContactsWorld, recruit: RecruitEmulator
) -> None:
    ctx = await world.context_for(None)
    carols = _recruit_insert(recruit, "carol@contoso.example", {"Last_Name": "Smith"})
    record = await world.recruit.get_record("Contacts", carols)
    assert record is not None
    assert not world.kind.recruit_change("Contacts", record, ctx).in_scope


async def test_changing_one_email_keeps_the_other_in_outlook(world: ContactsWorld) -> None:
    ctx = await world.context_for(None)
    full = {"surname": "Iyer", "emailAddresses[1]": "a@x.example", "emailAddresses[2]": "b@x.example"}
    created = await items.create(
        world.graph, world.mailbox, "contact", world.folder_id, world.kind.to_graph(full, ctx), "x"
    )
    names = world.kind.write_fields({"emailAddresses[2]"})
    patch = world.kind.to_graph(
        {name: {**full, "emailAddresses[2]": "c@x.example"}.get(name) for name in names}, ctx
    )
    await items.update(world.graph, world.mailbox, "contact", str(created["id"]), patch)
    read_back = await items.get(world.graph, world.mailbox, "contact", str(created["id"]))
    assert [e["address"] for e in read_back["emailAddresses"]] == ["a@x.example", "c@x.example"]
    assert read_back["surname"] == "Iyer" and read_back["displayName"] == "Iyer"
