"""The demo seed: what each seeded user owns, and the imported batch that must never sync."""

from __future__ import annotations

from collections import Counter
from typing import Any

import httpx
import pytest

from .conftest import ALICE, BOB, CAROL


def _records(client: httpx.Client, module: str) -> list[dict[str, Any]]:
    body = client.get(f"/{module}", params={"per_page": 200}).json()
    records: list[dict[str, Any]] = body["data"]
    return records


@pytest.mark.parametrize("email", [ALICE, CAROL, BOB])
def test_every_user_owns_future_past_all_day_and_recurring_events(alice: httpx.Client, email: str) -> None:
    events = [e for e in _records(alice, "Events") if e["Owner"]["email"] == email]
    assert any(e["All_day"] for e in events)
    assert any(e["Recurring_Activity"] and "FREQ=WEEKLY" in e["Recurring_Activity"]["RRULE"] for e in events)
    interviews = [i for i in _records(alice, "Interviews") if i["Interview_Owner"]["email"] == email]
    contacts = [c for c in _records(alice, "Contacts") if c["Contact_Owner"]["email"] == email]
    assert len(interviews) >= 2 and len(contacts) >= 3


def test_seed_holds_25_imported_events_and_contacts_created_in_one_second(alice: httpx.Client) -> None:
    for module in ("Events", "Contacts"):
        stamps = Counter(
            (r["Created_Time"], r["Created_By"]["id"])
            for r in _records(alice, module)
            if r["Created_Time"] == r["Modified_Time"]
        )
        assert stamps.most_common(1)[0][1] == 25


def test_interviews_link_candidates_clients_and_interviewers(alice: httpx.Client) -> None:
    interview = next(i for i in _records(alice, "Interviews") if i["Client_Name"])
    assert interview["Candidate_Name"]["name"]
    assert interview["Interviewer"][0]["email"]
