"""Contacts field mapping through the whole stack (dev host HTTP API, queues, emulators): every default-mapped
field round-trips both ways with the client lookup found and not found, a custom Recruit field is offered and
syncs once mapped, an invalid mapping is refused with its reasons and a valid change re-syncs every linked
contact without a duplicate.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from tests.e2e.calendar.conftest import csrf_headers
from tests.e2e.calendar.helpers import until_quiet
from tests.e2e.contacts.helpers import OutlookContacts, enable_contacts, recruit_contacts
from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.polling import poll
from tests.fixtures.recruit_emulator import RecruitEmulator
from tests.fixtures.stack import OwnStack

pytestmark = pytest.mark.e2e

ALICE = "alice@contoso.example"  # SSO: enabling needs no Microsoft sign-in
MAPPING = "/api/sync/contacts/mapping"
# Each test has a dev host of its own. A notification that finds a pass running queues a check for when the
# pass's lease expires (in case its holder died): with the default five-minute lease the queue holds that
# check, and the stack does not count as quiet, for five minutes. And the mapping API caches an org's Recruit
# fields for minutes: a host that served the catalog before a test added a custom field would not offer it.
SHORT_LEASE = {"LEASE_SECONDS": "10"}
CLIENT = "Client_Name"  # the one lookup of the default mapping: Outlook's companyName is the client's name

# Every default-mapped pair with a value for each direction:
# (Outlook path, Recruit field) -> (value sent Recruit -> Outlook, value sent Outlook -> Recruit).
# The tests check that this covers the default the mapping API serves.
DEFAULT_FIELDS: dict[tuple[str, str], tuple[str, str]] = {
    ("givenName", "First_Name"): ("Ravi", "Meera"),
    ("surname", "Last_Name"): ("Fromrecruit", "Fromoutlook"),
    ("emailAddresses[1]", "Email"): ("ravi@contoso.example", "meera@contoso.example"),
    ("emailAddresses[2]", "Secondary_Email"): ("ravi.k@home.example", "meera@home.example"),
    ("businessPhones[1]", "Work_Phone"): ("+1 555 0100", "+1 555 0101"),
    ("mobilePhone", "Mobile"): ("+91 98450 00000", "+91 90000 11111"),
    ("jobTitle", "Job_Title"): ("CTO", "HR Manager"),
    ("department", "Department"): ("Engineering", "HR"),
    ("companyName", CLIENT): ("Contoso Ltd", "Fabrikam Inc"),  # both clients of the seed
    ("businessAddress.street", "Mailing_Street"): ("1 MG Road", "3 Brigade Rd"),
    ("businessAddress.city", "Mailing_City"): ("Bengaluru", "Pune"),
    ("businessAddress.state", "Mailing_State"): ("KA", "MH"),
    ("businessAddress.postalCode", "Mailing_Zip"): ("560001", "411001"),
    ("businessAddress.countryOrRegion", "Mailing_Country"): ("India", "Indien"),
    ("otherAddress.street", "Other_Street"): ("2 Park St", "4 Marine Dr"),
    ("otherAddress.city", "Other_City"): ("Kolkata", "Mumbai"),
    ("otherAddress.state", "Other_State"): ("WB", "Maharashtra"),
    ("otherAddress.postalCode", "Other_Zip"): ("700016", "400020"),
    ("otherAddress.countryOrRegion", "Other_Country"): ("Bharat", "IN"),
    ("imAddresses[1]", "Skype_ID"): ("ravi.kumar", "meera.iyer"),
}


def outlook_value(contact: dict[str, Any], path: str) -> Any:
    """What Outlook holds at a mapping path: `emailAddresses[2]` is the second address, `businessAddress.city`
    a part of the address, anything else the property itself."""
    if "[" in path:
        name, index = path.rstrip("]").split("[")
        elements = contact.get(name) or []
        element = elements[int(index) - 1] if len(elements) >= int(index) else None
        return element.get("address") if isinstance(element, dict) else element
    if "." in path:
        name, part = path.split(".")
        return (contact.get(name) or {}).get(part)
    return contact.get(path)


def outlook_body(values: dict[str, str]) -> dict[str, Any]:
    """A Graph contact holding `values` (by mapping path), as Outlook creates it."""
    body: dict[str, Any] = {}
    for path, value in values.items():
        if "[" in path:
            name, index = path.rstrip("]").split("[")
            elements = body.setdefault(name, [])
            assert len(elements) == int(index) - 1, "list elements are given in order"
            elements.append({"name": value, "address": value} if name == "emailAddresses" else value)
        elif "." in path:
            name, part = path.split(".")
            body.setdefault(name, {})[part] = value
        else:
            body[path] = value
    return body


def recruit_value(record: dict[str, Any], field: str) -> Any:
    value = record.get(field)
    return value.get("name") if isinstance(value, dict) else value


def default_mapping(browser: httpx.Client) -> set[tuple[str, str]]:
    response = browser.get(MAPPING)
    response.raise_for_status()
    body = response.json()
    assert body["mapping"] == body["default"], "the user has not changed the mapping"
    return {(entry["graph"], entry["recruit"]) for entry in body["default"]}


def client_id(recruit: RecruitEmulator, name: str) -> str:
    with recruit.client_for(ALICE) as client:
        response = client.get("/Clients/search", params={"criteria": f"(Client_Name:equals:{name})"})
    response.raise_for_status()
    [found] = response.json()["data"]
    return str(found["id"])


def recruit_client_names(recruit: RecruitEmulator) -> list[str]:
    with recruit.client_for(ALICE) as client:
        response = client.get("/Clients", params={"per_page": 200})
    response.raise_for_status()
    return sorted(str(record["Client_Name"]) for record in response.json()["data"])


def all_recruit_contacts(recruit: RecruitEmulator) -> list[dict[str, Any]]:
    with recruit.client_for(ALICE) as client:
        response = client.get("/Contacts", params={"per_page": 200})
    response.raise_for_status()
    records = list(response.json()["data"])
    assert len(records) < 200, "one page holds them all"
    return records


def folder_contacts(outlook: OutlookContacts) -> list[dict[str, Any]]:
    response = outlook.client.get(f"/contactFolders/{outlook.folder_id()}/contacts", params={"$top": "500"})
    response.raise_for_status()
    return list(response.json()["value"])


def put_mapping(browser: httpx.Client, mapping: list[dict[str, str]]) -> httpx.Response:
    return browser.put(MAPPING, json={"mapping": mapping}, headers=csrf_headers(browser))


@pytest.fixture
def host(own_stack: Callable[[dict[str, str]], OwnStack]) -> OwnStack:
    return own_stack(SHORT_LEASE)


@pytest.fixture
def browser(host: OwnStack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=host.base_url, trust_env=False, timeout=30) as client:
        yield client


def test_recruit_contact_with_every_default_field_and_its_client_shows_each_field_in_outlook(
    browser: httpx.Client, graph: GraphEmulatorHandle, recruit: RecruitEmulator
) -> None:
    outlook = enable_contacts(browser, graph, ALICE)
    assert default_mapping(browser) == set(DEFAULT_FIELDS)
    record: dict[str, Any] = {field: to_outlook for (_, field), (to_outlook, _) in DEFAULT_FIELDS.items()}
    record[CLIENT] = {"id": client_id(recruit, "Contoso Ltd")}
    with recruit.client_for(ALICE) as client:
        client.post("/Contacts", json={"data": [record]}).raise_for_status()

    contact = poll(outlook.by_surname, lambda c: "Fromrecruit" in c, "the Recruit contact in Outlook")[
        "Fromrecruit"
    ]
    shown = {path: outlook_value(contact, path) for path, _ in DEFAULT_FIELDS}
    assert shown == {path: to_outlook for (path, _), (to_outlook, _) in DEFAULT_FIELDS.items()}
    assert shown["companyName"] == "Contoso Ltd"  # the client's name, not its id
    assert contact["displayName"] == "Ravi Fromrecruit"


@pytest.mark.parametrize(
    ("company", "client_found"),
    [("Fabrikam Inc", True), ("Nowhere Holdings", False)],
    ids=["client-found", "no-such-client"],
)
def test_outlook_contact_with_every_default_field_reaches_recruit_linking_only_an_existing_client(
    browser: httpx.Client,
    graph: GraphEmulatorHandle,
    recruit: RecruitEmulator,
    company: str,
    client_found: bool,
) -> None:
    clients_before = recruit_client_names(recruit)
    outlook = enable_contacts(browser, graph, ALICE)
    assert default_mapping(browser) == set(DEFAULT_FIELDS)
    values = {path: to_recruit for (path, _), (_, to_recruit) in DEFAULT_FIELDS.items()}
    values["companyName"] = company
    body = outlook_body(values)
    assert {path: outlook_value(body, path) for path in values} == values
    outlook.client.post(f"/contactFolders/{outlook.folder_id()}/contacts", json=body).raise_for_status()

    record = poll(
        lambda: recruit_contacts(recruit, ALICE), lambda c: "Fromoutlook" in c, "the Outlook contact"
    )["Fromoutlook"]
    other_fields = {key: value for key, value in DEFAULT_FIELDS.items() if key[1] != CLIENT}
    assert {field: recruit_value(record, field) for _, field in other_fields} == {
        field: to_recruit for (_, field), (_, to_recruit) in other_fields.items()
    }
    if client_found:
        assert record[CLIENT]["id"] == client_id(recruit, company)
    else:
        assert not record.get(CLIENT)
        entries = poll(
            lambda: browser.get("/api/sync/contacts/log").json()["entries"],
            lambda log: any(company in entry["message"] for entry in log),
            "a note on the unknown company in the sync log",
        )
        [note] = [entry for entry in entries if company in entry["message"]]
        assert note["title"] == "Meera Fromoutlook"
    assert recruit_client_names(recruit) == clients_before  # a client is never created


def test_custom_recruit_field_is_offered_by_the_mapping_api_and_syncs_both_ways_once_mapped(
    host: OwnStack, browser: httpx.Client, graph: GraphEmulatorHandle, recruit: RecruitEmulator
) -> None:
    custom = {
        "module": "Contacts",
        "api_name": "Nickname_c",
        "label": "Nickname",
        "type": "text",
        "length": 50,
    }
    recruit.control("fields", custom)
    outlook = enable_contacts(browser, graph, ALICE)
    offered = {field["api_name"]: field for field in browser.get(MAPPING).json()["recruit_fields"]}
    assert "Nickname_c" in offered, "the custom field is offered"
    nickname = offered["Nickname_c"]
    assert (nickname["label"], nickname["custom"], nickname["read_only"]) == ("Nickname", True, False)
    mapping = [*browser.get(MAPPING).json()["default"], {"graph": "nickName", "recruit": "Nickname_c"}]
    response = put_mapping(browser, mapping)
    assert response.status_code == 200, response.text[:500]
    assert browser.get(MAPPING).json()["mapping"] == mapping

    with recruit.client_for(ALICE) as client:
        new = {"First_Name": "Lakshmi", "Last_Name": "Customfield", "Nickname_c": "Chinnu"}
        client.post("/Contacts", json={"data": [new]}).raise_for_status()
    contact = poll(
        outlook.by_surname,
        lambda c: c.get("Customfield", {}).get("nickName") == "Chinnu",
        "the custom field's value in Outlook",
    )["Customfield"]
    until_quiet(host, graph, recruit)

    outlook.client.patch(f"/contacts/{contact['id']}", json={"nickName": "Chinna"}).raise_for_status()
    poll(
        lambda: recruit_contacts(recruit, ALICE)["Customfield"].get("Nickname_c"),
        lambda nickname: nickname == "Chinna",
        "the Outlook nickname in the custom Recruit field",
    )
    until_quiet(host, graph, recruit)


def test_invalid_mapping_is_refused_with_reasons_and_a_valid_change_resyncs_every_linked_contact_once(
    host: OwnStack, browser: httpx.Client, graph: GraphEmulatorHandle, recruit: RecruitEmulator
) -> None:
    outlook = enable_contacts(browser, graph, ALICE)
    until_quiet(host, graph, recruit)
    linked = {str(contact["surname"]) for contact in folder_contacts(outlook)}
    assert len(linked) >= 3, "the seed gives Alice several contacts"
    twitter = {surname: f"@{surname.lower()}" for surname in linked}
    records = recruit_contacts(recruit, ALICE)
    with recruit.client_for(ALICE) as client:
        for surname, handle in twitter.items():  # one by one: many in one second look like an import
            update = {"data": [{"id": records[surname]["id"], "Twitter": handle}]}
            client.put("/Contacts", json=update).raise_for_status()
    until_quiet(host, graph, recruit)
    outlook_before, recruit_before = len(folder_contacts(outlook)), len(all_recruit_contacts(recruit))
    assert all(not contact.get("nickName") for contact in folder_contacts(outlook)), "Twitter is unmapped"

    default = browser.get(MAPPING).json()["default"]
    invalid = [entry for entry in default if entry["recruit"] != "Last_Name"]
    invalid += [
        {"graph": "givenName", "recruit": "Twitter"},
        {"graph": "nickName", "recruit": "Created_By"},
    ]
    refused = put_mapping(browser, invalid)
    assert refused.status_code == 400
    errors = refused.json()["errors"]
    assert {
        "index": len(invalid) - 2,
        "field": "graph",
        "message": "First name is mapped twice",
    } in errors
    reasons = {(error["index"], error["field"]): error["message"] for error in errors}
    assert "read-only" in reasons[(len(invalid) - 1, "recruit")]  # Created_By
    assert "required" in reasons[(None, "recruit")]  # Last_Name left out
    assert browser.get(MAPPING).json()["mapping"] == default  # nothing saved

    mapping = [*default, {"graph": "nickName", "recruit": "Twitter"}]
    saved = put_mapping(browser, mapping)
    assert saved.status_code == 200, saved.text[:500]
    assert saved.json() == {"mapping": mapping, "resync": True}
    poll(
        lambda: {str(c["surname"]): c.get("nickName") for c in folder_contacts(outlook)},
        lambda nicknames: nicknames == twitter,
        "every linked contact's Twitter handle as its Outlook nickname",
    )
    until_quiet(host, graph, recruit)
    assert len(folder_contacts(outlook)) == outlook_before
    assert len(all_recruit_contacts(recruit)) == recruit_before
    assert {str(c["surname"]): c.get("nickName") for c in folder_contacts(outlook)} == twitter
