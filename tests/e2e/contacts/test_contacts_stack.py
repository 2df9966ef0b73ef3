"""Contacts sync through the whole stack (dev host, queues, emulators): changes both ways, one write per side
for one edit, and contacts outside the dedicated folder staying private.
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


def test_contacts_follow_creates_edits_and_deletes_both_ways_with_one_write_per_side(
    fresh_stack: Stack, graph: GraphEmulatorHandle, recruit: RecruitEmulator
) -> None:
    with httpx.Client(base_url=fresh_stack.base_url, trust_env=False, timeout=30) as browser:
        outlook = enable_contacts(browser, graph, ALICE)
    with recruit.client_for(ALICE) as client:
        new = {"First_Name": "Rita", "Last_Name": "Made-in-Recruit", "Email": "rita@example.org"}
        client.post("/Contacts", json={"data": [new]}).raise_for_status()
    poll(outlook.by_surname, lambda c: "Made-in-Recruit" in c, "the Recruit contact in Outlook")
    body = {"givenName": "Olaf", "surname": "Made-in-Outlook", "jobTitle": "Buyer"}
    outlook.client.post(f"/contactFolders/{outlook.folder_id()}/contacts", json=body).raise_for_status()
    outlook.client.post("/contacts", json={"givenName": "Pat", "surname": "Private"}).raise_for_status()
    poll(lambda: recruit_contacts(recruit, ALICE), lambda c: "Made-in-Outlook" in c, "the Outlook contact")
    until_quiet(fresh_stack, graph, recruit)
    assert "Private" not in recruit_contacts(recruit, ALICE)  # the default Contacts folder is never read

    graph_before, recruit_before = request_counts(graph), request_counts(recruit)
    contact = outlook.by_surname()["Made-in-Outlook"]
    outlook.client.patch(f"/contacts/{contact['id']}", json={"jobTitle": "Head buyer"}).raise_for_status()
    poll(
        lambda: recruit_contacts(recruit, ALICE)["Made-in-Outlook"].get("Job_Title"),
        lambda title: title == "Head buyer",
        "the Outlook edit in Recruit",
    )
    until_quiet(fresh_stack, graph, recruit)
    graph_after, recruit_after = request_counts(graph), request_counts(recruit)
    assert writes(graph_before, graph_after, "PATCH", "/contacts/") == 1  # the user's own, no write back
    assert writes(recruit_before, recruit_after, "PUT", "/{module}") == 1  # ours, copying the edit

    record_id = recruit_contacts(recruit, ALICE)["Made-in-Recruit"]["id"]
    with recruit.client_for(ALICE) as client:
        client.delete("/Contacts", params={"ids": record_id}).raise_for_status()
    outlook.client.delete(f"/contacts/{contact['id']}").raise_for_status()
    poll(outlook.by_surname, lambda c: "Made-in-Recruit" not in c, "the Recruit deletion to reach Outlook")
    poll(
        lambda: recruit_contacts(recruit, ALICE),
        lambda c: "Made-in-Outlook" not in c,
        "the Outlook deletion to reach Recruit",
    )
