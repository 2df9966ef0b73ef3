"""Concurrent contact edits through the whole stack: while the product hears of neither side, the user edits
one contact in Outlook and in Recruit; once told, it merges edits of different fields and keeps the newer of
two edits of the same field, on both sides.
"""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.calendar.helpers import (
    quiet_after,  # noqa: F401 - a fixture, used below
)
from tests.e2e.contacts.helpers import enable_contacts
from tests.e2e.unheard import (
    ItemOnBothSides,
    LostNotifications,
    create_in_recruit,
    deaf,
    instant,
    tell_and_settle,
    until_both_lost,
    until_the_second_after,
)
from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.polling import poll
from tests.fixtures.recruit_emulator import RecruitEmulator
from tests.fixtures.stack import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("quiet_after")]
BOB = "bob@fabrikam.example"  # not SSO: his sign-in owns the Graph subscription, so the test can reach it
SURNAME = "Contested"


class ContactOnBothSides(ItemOnBothSides):
    def as_seen(self) -> tuple[tuple[str, str], tuple[str, str]]:
        """(job title, department) in Recruit and in Outlook."""
        record, contact = self.in_recruit(), self.in_outlook()
        return (
            (record.get("Job_Title") or "", record.get("Department") or ""),
            (contact.get("jobTitle") or "", contact.get("department") or ""),
        )


@pytest.fixture
def contested(fresh_stack: Stack, graph: GraphEmulatorHandle, recruit: RecruitEmulator) -> ContactOnBothSides:
    """Bob syncs his contacts and has a contact made in Recruit, in Outlook too: a recruiter in Sales."""
    with httpx.Client(base_url=fresh_stack.base_url, trust_env=False, timeout=30) as browser:
        outlook = enable_contacts(browser, graph, BOB)
    record = {"First_Name": "Dana", "Last_Name": SURNAME, "Job_Title": "Recruiter", "Department": "Sales"}
    record_id = create_in_recruit(recruit, BOB, "Contacts", record)
    contacts = poll(outlook.by_surname, lambda c: SURNAME in c, "the contact in Outlook")
    path = f"/contacts/{contacts[SURNAME]['id']}"
    return ContactOnBothSides(recruit, BOB, "Contacts", record_id, outlook.client, path)


def test_contact_edits_of_different_fields_made_on_both_sides_while_unheard_are_merged(
    fresh_stack: Stack,
    graph: GraphEmulatorHandle,
    recruit: RecruitEmulator,
    contested: ContactOnBothSides,
    lost: LostNotifications,
) -> None:
    with deaf(fresh_stack, graph, recruit, BOB, lost) as subscription_id:
        contested.edit_in_outlook({"jobTitle": "Head of talent"})
        contested.edit_in_recruit({"Department": "People"})
        until_both_lost(lost, contested)
    # Each side shows only its own edit: the product has not heard of either.
    assert contested.as_seen() == (("Recruiter", "People"), ("Head of talent", "Sales"))

    merged = (("Head of talent", "People"), ("Head of talent", "People"))
    tell_and_settle(
        fresh_stack, graph, recruit, subscription_id, contested, merged, "both edits on both sides"
    )


def test_of_two_edits_of_one_contact_field_made_while_unheard_the_newer_wins_on_both_sides(
    fresh_stack: Stack,
    graph: GraphEmulatorHandle,
    recruit: RecruitEmulator,
    contested: ContactOnBothSides,
    lost: LostNotifications,
) -> None:
    with deaf(fresh_stack, graph, recruit, BOB, lost) as subscription_id:
        older_stamp = contested.edit_in_recruit({"Job_Title": "Sourcer"})
        until_the_second_after(older_stamp)
        newer_stamp = contested.edit_in_outlook({"jobTitle": "Talent partner"})
        assert instant(newer_stamp) > instant(older_stamp)
        until_both_lost(lost, contested)
    assert contested.as_seen() == (("Sourcer", "Sales"), ("Talent partner", "Sales"))

    settled = (("Talent partner", "Sales"), ("Talent partner", "Sales"))
    tell_and_settle(
        fresh_stack,
        graph,
        recruit,
        subscription_id,
        contested,
        settled,
        "the newer, Outlook title on both sides",
    )
