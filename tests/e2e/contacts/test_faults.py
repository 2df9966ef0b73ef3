"""Faults through the whole stack for contacts (issue 6): with a fifth of Graph and Recruit calls failing
and the dev host killed while Outlook contacts are being created in Recruit (the create lands, its link is
never written), both sides converge, none twice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from azure.data.tables import TableClient

from tests.e2e.calendar.helpers import until_quiet
from tests.e2e.contacts.helpers import FOLDER, enable_contacts
from tests.e2e.faults import (
    crash_mid_apply,
    faults,
    once_each,
    outlook_as,
    recruit_as,
)
from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.polling import poll
from tests.fixtures.recruit_emulator import RecruitEmulator
from tests.fixtures.stack import OwnStack

pytestmark = pytest.mark.e2e

ALICE = "alice@contoso.example"  # SSO: enabling needs no Microsoft sign-in
KEPT_R = ["KeptR1", "KeptR2", "KeptR3"]  # made in Recruit before the faults
KEPT_O = ["KeptO1", "KeptO2", "KeptO3"]  # made in Outlook before the faults
NEW_R = [f"NewR{n}" for n in range(1, 5)]
NEW_O = [f"NewO{n}" for n in range(1, 6)]
RENAMED = {"KeptR1": "KeptR1-Outlook", "KeptO1": "KeptO1-Recruit", "KeptO2": "KeptO2-Recruit"}
DELETED = ["KeptR3", "KeptO3"]  # R3 deleted in Recruit, O3 in Outlook


class Contacts:
    """Alice's contacts on both sides by surname: her "Zoho Recruit Contacts" folder, her Recruit Contacts."""

    def __init__(self, graph: GraphEmulatorHandle, recruit: RecruitEmulator) -> None:
        self.outlook = outlook_as(graph, ALICE)
        self.recruit = recruit_as(recruit, ALICE)
        [self.folder_id] = [
            f["id"] for f in self.outlook.get("/contactFolders").json()["value"] if f["displayName"] == FOLDER
        ]

    def outlook_contacts(self) -> list[dict[str, Any]]:
        response = self.outlook.get(f"/contactFolders/{self.folder_id}/contacts", params={"$top": "500"})
        response.raise_for_status()
        return list(response.json()["value"])

    def outlook_id(self, surname: str) -> str:
        [contact_id] = [c["id"] for c in self.outlook_contacts() if c.get("surname") == surname]
        return str(contact_id)

    def recruit_records(self) -> list[dict[str, Any]]:
        response = self.recruit.get("/Contacts", params={"per_page": 200})
        if response.status_code == 204:
            return []
        response.raise_for_status()
        return [r for r in response.json()["data"] if (r.get("Contact_Owner") or {}).get("email") == ALICE]

    def recruit_id(self, last_name: str) -> str:
        [record_id] = [r["id"] for r in self.recruit_records() if r["Last_Name"] == last_name]
        return str(record_id)

    def both(self) -> tuple[list[str], list[str]]:
        outlook = sorted(str(c.get("surname")) for c in self.outlook_contacts())
        return outlook, sorted(str(r["Last_Name"]) for r in self.recruit_records())

    def close(self) -> None:
        self.outlook.close()
        self.recruit.close()


def after_changes(before: list[str]) -> list[str]:
    kept = [RENAMED.get(name, name) for name in before if name not in DELETED]
    return sorted([*kept, *NEW_R, *NEW_O])


def links_table(own: OwnStack) -> TableClient:
    table = f"{own.env['TABLE_PREFIX']}links"
    return TableClient.from_connection_string(own.env["AzureWebJobsStorage"], table)


def creates_in_flight(links: TableClient) -> int:
    """Intent rows: Recruit creates of Outlook contacts that a pass has begun and not yet linked."""
    return sum(1 for _ in links.query_entities("state eq 'intent'", select=["RowKey"]))


def test_contacts_converge_under_faults_and_a_crash_between_a_recruit_create_and_its_link(
    own_stack: Callable[[dict[str, str]], OwnStack], graph: GraphEmulatorHandle, recruit: RecruitEmulator
) -> None:
    own = own_stack({"LEASE_SECONDS": "10"})  # the dead worker's lease runs out soon
    with httpx.Client(base_url=own.base_url, trust_env=False, timeout=30) as browser:
        enable_contacts(browser, graph, ALICE)
    sides = Contacts(graph, recruit)
    try:
        for in_recruit, in_outlook in zip(KEPT_R, KEPT_O, strict=True):
            sides.recruit.post("/Contacts", json={"data": [{"First_Name": "Rae", "Last_Name": in_recruit}]})
            body = {"givenName": "Oli", "surname": in_outlook}
            sides.outlook.post(f"/contactFolders/{sides.folder_id}/contacts", json=body)
        poll(
            sides.both,
            lambda both: all(set(KEPT_R + KEPT_O) <= set(side) for side in both),
            "the six contacts on both sides",
        )
        until_quiet(own, graph, recruit)
        outlook_before, recruit_before = sides.both()

        with faults(graph, recruit) as injected:
            make_recruit_changes(sides)
            # The product's creates of Outlook contacts in Recruit wait, unanswered, until after the crash:
            # caught between its intent rows and its links whatever the machine's speed.
            injected.recruit.hold("POST", "/recruit/v2/Contacts")
            make_outlook_changes(sides)
            with links_table(own) as links:
                in_flight = crash_mid_apply(
                    own, "contacts", lambda: creates_in_flight(links), lambda n: n > 0
                )
            assert in_flight > 0
            injected.recruit.release()  # the dead worker's create lands in Recruit
            own.start()

            expected = after_changes(outlook_before), after_changes(recruit_before)
            poll(sides.both, lambda both: both == expected, "both sides to converge")
            until_quiet(own, graph, recruit)
            outlook_after, recruit_after = sides.both()
    finally:
        sides.close()

    assert once_each(outlook_after) == [] and once_each(recruit_after) == []
    assert (outlook_after, recruit_after) == expected
    assert len(recruit_after) == len(recruit_before) + len(NEW_R + NEW_O) - len(DELETED)
    with links_table(own) as links:
        # Every interrupted create was adopted or made, none left hanging.
        assert creates_in_flight(links) == 0


def make_recruit_changes(sides: Contacts) -> None:
    """Alice works in Recruit in three calls: four new contacts in one insert (fewer than an import's burst),
    two renames and a delete."""
    renames = [{"id": sides.recruit_id(old), "Last_Name": RENAMED[old]} for old in ("KeptO1", "KeptO2")]
    gone = sides.recruit_id("KeptR3")
    created = [{"First_Name": "Ned", "Last_Name": name} for name in NEW_R]
    sides.recruit.post("/Contacts", json={"data": created}).raise_for_status()
    sides.recruit.put("/Contacts", json={"data": renames}).raise_for_status()
    sides.recruit.delete("/Contacts", params={"ids": gone}).raise_for_status()


def make_outlook_changes(sides: Contacts) -> None:
    """Then in Outlook, one at a time, while the product may still be applying her Recruit changes: a rename
    and a delete, then new contacts."""
    contact_id = sides.outlook_id("KeptR1")
    sides.outlook.patch(f"/contacts/{contact_id}", json={"surname": RENAMED["KeptR1"]}).raise_for_status()
    sides.outlook.delete(f"/contacts/{sides.outlook_id('KeptO3')}").raise_for_status()
    folder = f"/contactFolders/{sides.folder_id}/contacts"
    for surname in NEW_O:
        sides.outlook.post(folder, json={"givenName": "Nia", "surname": surname}).raise_for_status()
