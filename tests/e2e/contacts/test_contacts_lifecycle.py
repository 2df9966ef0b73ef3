"""Contacts sync's lifecycle through the whole stack: the capped initial copy of the user's own, individually
made contacts (most recently modified first), imports left out until mass-updated, and turning sync off by
Disable or by deleting the folder in Outlook, which leaves every Recruit contact as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.e2e.calendar.conftest import csrf_headers
from tests.e2e.calendar.helpers import (
    quiet_after,  # noqa: F401 - a fixture, used below
    request_counts,
    until_quiet,
    writes,
)
from tests.e2e.contacts.helpers import FOLDER, OutlookContacts, enable_contacts, recruit_contacts
from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.polling import poll
from tests.fixtures.recruit_emulator import RecruitEmulator
from tests.fixtures.stack import OwnStack, Stack

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("quiet_after")]
ALICE = "alice@contoso.example"  # SSO: enabling needs no Microsoft sign-in
CAROL = "carol@contoso.example"  # Alice's colleague in the same Recruit org
# The product takes more than IMPORT_BATCH_MIN (20) records made in one second by one creator for an import.
IMPORT_SIZE = 21


def create_contact(recruit: RecruitEmulator, last_name: str, **fields: Any) -> str:
    """Alice adds one contact in Recruit, on its own (no batch that could look like an import)."""
    record = {"First_Name": "Test", "Last_Name": last_name, "Email": f"{last_name.lower()}@example.org"}
    with recruit.client_for(ALICE) as client:
        response = client.post("/Contacts", json={"data": [record | fields]})
    response.raise_for_status()
    return str(response.json()["data"][0]["details"]["id"])


def import_contacts(recruit: RecruitEmulator, prefix: str) -> dict[str, str]:
    """Alice imports IMPORT_SIZE contacts (one Created_Time, no watch callback); their ids by surname."""
    records = [
        {
            "First_Name": "Imported",
            "Last_Name": f"{prefix} {n:02}",
            "Email": f"{prefix.lower()}{n}@example.org",
        }
        for n in range(1, IMPORT_SIZE + 1)
    ]
    answer = recruit.control("import", {"user": ALICE, "module": "Contacts", "records": records})
    return {
        record["Last_Name"]: str(record_id) for record, record_id in zip(records, answer["ids"], strict=True)
    }


def later(recruit: RecruitEmulator) -> None:
    """Moves Recruit's clock two seconds on, so the next write gets a Modified_Time of its own."""
    recruit.control("clock", {"advance_seconds": 2})


def folder_surnames(outlook: OutlookContacts) -> list[str]:
    """Every contact's surname in the dedicated folder, duplicates kept."""
    response = outlook.client.get(f"/contactFolders/{outlook.folder_id()}/contacts", params={"$top": "500"})
    response.raise_for_status()
    return sorted(str(contact.get("surname")) for contact in response.json()["value"])


def folder_names(outlook: OutlookContacts) -> list[str]:
    response = outlook.client.get("/contactFolders")
    response.raise_for_status()
    return [str(folder["displayName"]) for folder in response.json()["value"]]


def contacts_status(browser: httpx.Client) -> dict[str, Any]:
    response = browser.get("/api/me")
    response.raise_for_status()
    return dict(response.json()["contacts"])


def deliveries(recruit: RecruitEmulator) -> list[dict[str, Any]]:
    """Every watch callback Recruit has scheduled since the test's reset."""
    response = httpx.get(f"{recruit.base_url}/_emulator/deliveries", trust_env=False)
    response.raise_for_status()
    return list(response.json()["deliveries"])


def made_in_outlook(outlook: OutlookContacts, recruit: RecruitEmulator, surname: str) -> None:
    """Alice adds a contact to the folder in Outlook and it reaches Recruit: a Recruit contact whose Outlook
    twin goes with the folder."""
    body = {"givenName": "Olga", "surname": surname, "jobTitle": "Buyer"}
    outlook.client.post(f"/contactFolders/{outlook.folder_id()}/contacts", json=body).raise_for_status()
    poll(lambda: recruit_contacts(recruit, ALICE), lambda c: surname in c, "the Outlook contact in Recruit")


def test_initial_sync_copies_the_five_most_recently_modified_of_alices_own_individual_contacts(
    own_stack: Callable[[dict[str, str]], OwnStack], graph: GraphEmulatorHandle, recruit: RecruitEmulator
) -> None:
    own = own_stack({"INITIAL_CONTACTS_CAP": "5"})
    # The seed gives Alice Kumar, Iyer and Das (all modified when it loaded) and 25 old imports. Each write
    # below is two seconds (Recruit's clock) after the one before: the product ranks by Modified_Time.
    for surname in ("Early", "Fenwick", "Garcia", "Holm"):
        later(recruit)
        create_contact(recruit, surname)
    later(recruit)
    carol = next(u for u in recruit.seed["orgs"][0]["users"] if u["email"] == CAROL)
    create_contact(recruit, "Carols-Own", Contact_Owner={"id": carol["id"]})  # Alice made it, Carol owns it
    later(recruit)
    create_contact(recruit, "Ibsen")
    later(recruit)
    kumar = recruit_contacts(recruit, ALICE)["Kumar"]  # created with the seed, edited now: recent again
    with recruit.client_for(ALICE) as client:
        client.put(
            "/Contacts", json={"data": [{"id": kumar["id"], "Mobile": "+1 555 0199"}]}
        ).raise_for_status()
    later(recruit)
    import_contacts(recruit, "Late-import")  # the newest of all, but an import

    with httpx.Client(base_url=own.base_url, trust_env=False, timeout=30) as browser:
        outlook = enable_contacts(browser, graph, ALICE)
        status = contacts_status(browser)
    until_quiet(own, graph, recruit)

    assert folder_surnames(outlook) == ["Fenwick", "Garcia", "Holm", "Ibsen", "Kumar"]
    assert status["progress"] == {"done": 5, "total": 5}


def test_an_imported_contact_stays_out_of_outlook_until_a_mass_update_brings_it_in_once(
    fresh_stack: Stack, graph: GraphEmulatorHandle, recruit: RecruitEmulator
) -> None:
    with httpx.Client(base_url=fresh_stack.base_url, trust_env=False, timeout=30) as browser:
        outlook = enable_contacts(browser, graph, ALICE)
    until_quiet(fresh_stack, graph, recruit)
    imported = import_contacts(recruit, "Batch")
    # An import tells no watch channel, so nothing runs a pass for it: a contact made on its own afterwards
    # does (its callback), and that pass reads everything modified since the last one, the imports too.
    assert not [d for d in deliveries(recruit) if set(d["ids"]) & set(imported.values())]
    later(recruit)  # made in the import's second by the same user, the barrier would look imported too
    create_contact(recruit, "Barrier")
    poll(outlook.by_surname, lambda c: "Barrier" in c, "the individually made contact in Outlook")
    until_quiet(fresh_stack, graph, recruit)
    assert not set(imported) & set(outlook.by_surname())

    chosen = "Batch 07"
    graph_before = request_counts(graph)
    mass_update = {
        "user": ALICE,
        "module": "Contacts",
        "ids": [imported[chosen]],
        "fields": {"Job_Title": "Buyer"},
    }
    recruit.control("mass-update", mass_update)
    # A mass update fires one update callback (API-NOTES, the emulator's README): that is what runs the pass.
    copied = poll(outlook.by_surname, lambda c: chosen in c, "the mass-updated contact in Outlook")
    assert copied[chosen].get("jobTitle") == "Buyer"
    until_quiet(fresh_stack, graph, recruit)

    [callback] = [d for d in deliveries(recruit) if imported[chosen] in d["ids"]]
    assert (callback["operation"], callback["ids"], callback["delivered"]) == (
        "update",
        [imported[chosen]],
        True,
    )
    surnames = folder_surnames(outlook)
    assert surnames.count(chosen) == 1
    assert not (set(imported) - {chosen}) & set(surnames)  # its untouched siblings are still an import
    assert writes(graph_before, request_counts(graph), "POST", "contacts") == 1


def test_disable_removes_the_folder_from_outlook_and_keeps_every_recruit_contact(
    fresh_stack: Stack, graph: GraphEmulatorHandle, recruit: RecruitEmulator
) -> None:
    with httpx.Client(base_url=fresh_stack.base_url, trust_env=False, timeout=30) as browser:
        outlook = enable_contacts(browser, graph, ALICE)
        made_in_outlook(outlook, recruit, "Made-in-Outlook")
        until_quiet(fresh_stack, graph, recruit)
        before = recruit_contacts(recruit, ALICE)

        response = browser.post("/api/sync/contacts/disable", headers=csrf_headers(browser))
        assert response.status_code == 202, response.text[:300]
        status = poll(
            lambda: contacts_status(browser), lambda s: s["status"] == "disabled", "contacts sync to be off"
        )
        assert FOLDER not in folder_names(outlook)
        until_quiet(fresh_stack, graph, recruit)

    assert status["last_error"] is None
    assert FOLDER not in folder_names(outlook)
    assert recruit_contacts(recruit, ALICE) == before  # the Outlook-made one too, and nothing modified


def test_folder_deleted_in_outlook_turns_contacts_sync_off_with_the_reason_and_keeps_recruit(
    fresh_stack: Stack, graph: GraphEmulatorHandle, recruit: RecruitEmulator
) -> None:
    with httpx.Client(base_url=fresh_stack.base_url, trust_env=False, timeout=30) as browser:
        outlook = enable_contacts(browser, graph, ALICE)
        made_in_outlook(outlook, recruit, "Made-in-Outlook")
        until_quiet(fresh_stack, graph, recruit)
        before = recruit_contacts(recruit, ALICE)

        # Graph removes the folder's subscription and says so (subscriptionRemoved): the product notices.
        outlook.client.delete(f"/contactFolders/{outlook.folder_id()}").raise_for_status()
        status = poll(
            lambda: contacts_status(browser), lambda s: s["status"] == "disabled", "contacts sync to be off"
        )
        until_quiet(fresh_stack, graph, recruit)

    assert status["last_error"]["code"] == "container_deleted"
    assert "was deleted in Outlook, so sync was turned off" in status["last_error"]["message"]
    assert FOLDER not in folder_names(outlook)  # not made again
    assert recruit_contacts(recruit, ALICE) == before
