"""Outlook-only contact data through the whole stack (issue 14): a Recruit edit of Email or Work_Phone keeps
the third e-mail address, the second business phone and every display name in Outlook; Recruit clearing
Email while keeping Secondary_Email shows the secondary in Outlook and writes nothing back to Recruit.
"""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.calendar.helpers import (
    quiet_after,  # noqa: F401 - a fixture, used below
    request_counts,
    until_quiet,
    writes,
)
from tests.e2e.contacts.helpers import enable_contacts, recruit_contacts
from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.polling import poll
from tests.fixtures.recruit_emulator import RecruitEmulator
from tests.fixtures.stack import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("quiet_after")]
ALICE = "alice@contoso.example"  # SSO: enabling needs no Microsoft sign-in

WORK = {"name": "Ada Lovelace", "address": "ada@work.example"}
HOME = {"name": "Ada at home", "address": "ada@home.example"}
OLD = {"name": "Ada, old job", "address": "ada@old.example"}


def test_recruit_edits_of_email_and_work_phone_keep_what_only_outlook_holds(
    fresh_stack: Stack, graph: GraphEmulatorHandle, recruit: RecruitEmulator
) -> None:
    with httpx.Client(base_url=fresh_stack.base_url, trust_env=False, timeout=30) as browser:
        outlook = enable_contacts(browser, graph, ALICE)
    contact = {
        "givenName": "Ada",
        "surname": "Three-Mails",
        "emailAddresses": [WORK, HOME, OLD],
        "businessPhones": ["+47 2222 1111", "+47 2222 2222"],
    }
    outlook.client.post(f"/contactFolders/{outlook.folder_id()}/contacts", json=contact).raise_for_status()
    record = poll(
        lambda: recruit_contacts(recruit, ALICE).get("Three-Mails"),
        lambda found: found is not None,
        "the Outlook contact in Recruit",
    )
    assert (record["Email"], record["Secondary_Email"]) == ("ada@work.example", "ada@home.example")
    assert record["Work_Phone"] == "+47 2222 1111"
    until_quiet(fresh_stack, graph, recruit)

    graph_before, recruit_before = request_counts(graph), request_counts(recruit)
    edit = {"id": record["id"], "Email": "ada@new-work.example", "Work_Phone": "+47 3333 0000"}
    with recruit.client_for(ALICE) as client:
        client.put("/Contacts", json={"data": [edit]}).raise_for_status()
    poll(
        lambda: outlook.by_surname()["Three-Mails"],
        lambda c: c["emailAddresses"][0]["address"] == "ada@new-work.example",
        "the Recruit edit in Outlook",
    )
    until_quiet(fresh_stack, graph, recruit)
    shown = outlook.by_surname()["Three-Mails"]
    assert shown["emailAddresses"] == [{"name": "Ada Lovelace", "address": "ada@new-work.example"}, HOME, OLD]
    assert shown["businessPhones"] == ["+47 3333 0000", "+47 2222 2222"]
    graph_after, recruit_after = request_counts(graph), request_counts(recruit)
    assert writes(graph_before, graph_after, "PATCH", "/contacts/") == 1  # ours, copying the edit
    assert writes(recruit_before, recruit_after, "PUT", "/{module}") == 1  # the user's own, no echo
    record = recruit_contacts(recruit, ALICE)["Three-Mails"]
    assert (record["Email"], record["Secondary_Email"]) == ("ada@new-work.example", "ada@home.example")


def test_recruit_clearing_email_keeps_secondary_email_on_both_sides(
    fresh_stack: Stack, graph: GraphEmulatorHandle, recruit: RecruitEmulator
) -> None:
    with httpx.Client(base_url=fresh_stack.base_url, trust_env=False, timeout=30) as browser:
        outlook = enable_contacts(browser, graph, ALICE)
    new = {
        "First_Name": "Bo",
        "Last_Name": "Secondary-Only",
        "Email": "bo@work.example",
        "Secondary_Email": "bo@home.example",
    }
    with recruit.client_for(ALICE) as client:
        client.post("/Contacts", json={"data": [new]}).raise_for_status()
    poll(outlook.by_surname, lambda c: "Secondary-Only" in c, "the Recruit contact in Outlook")
    until_quiet(fresh_stack, graph, recruit)
    record_id = recruit_contacts(recruit, ALICE)["Secondary-Only"]["id"]

    recruit_before = request_counts(recruit)
    with recruit.client_for(ALICE) as client:
        client.put("/Contacts", json={"data": [{"id": record_id, "Email": None}]}).raise_for_status()
    poll(
        lambda: [e["address"] for e in outlook.by_surname()["Secondary-Only"]["emailAddresses"]],
        lambda addresses: addresses == ["bo@home.example"],
        "Outlook to show only the secondary address",
    )
    until_quiet(fresh_stack, graph, recruit)
    record = recruit_contacts(recruit, ALICE)["Secondary-Only"]
    assert (record.get("Email"), record["Secondary_Email"]) == (None, "bo@home.example")
    assert writes(recruit_before, request_counts(recruit), "PUT", "/{module}") == 1  # the user's own only

    # The other way: an Outlook edit of that contact leaves Email empty and the secondary where it is.
    contact = outlook.by_surname()["Secondary-Only"]
    outlook.client.patch(f"/contacts/{contact['id']}", json={"jobTitle": "Buyer"}).raise_for_status()
    record = poll(
        lambda: recruit_contacts(recruit, ALICE)["Secondary-Only"],
        lambda r: r.get("Job_Title") == "Buyer",
        "the Outlook edit in Recruit",
    )
    assert (record.get("Email"), record["Secondary_Email"]) == (None, "bo@home.example")
