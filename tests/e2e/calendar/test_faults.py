"""Faults through the whole stack (issue 5): with a fifth of Graph and Recruit calls failing (5xx, 429) and
the dev host killed once while a pass is applying (its Outlook writes sent, their answers and links never
come), calendar changes on both sides converge: every event once on each side, every edit on both, every
delete done.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.e2e.calendar.conftest import enable_calendar, until_active
from tests.e2e.calendar.helpers import (
    request_counts,
    until_quiet,
)
from tests.e2e.faults import crash_mid_apply, faults, item_writes, once_each, outlook_as, recruit_as
from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.polling import poll
from tests.fixtures.recruit_emulator import RecruitEmulator
from tests.fixtures.stack import OwnStack

pytestmark = pytest.mark.e2e

ALICE = "alice@contoso.example"  # SSO: enabling needs no Microsoft sign-in
BATCH = "POST /v1.0/$batch"  # the Graph emulator's count of answered batches


def soon(days: int) -> datetime:
    return (datetime.now(UTC) + timedelta(days=days)).replace(hour=9, minute=0, second=0, microsecond=0)


def recruit_event(title: str, start: datetime) -> dict[str, Any]:
    return {
        "Event_Title": title,
        "Start_DateTime": start.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
        "End_DateTime": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S+00:00"),
    }


def outlook_event(subject: str, start: datetime) -> dict[str, Any]:
    end = start + timedelta(hours=1)
    return {
        "subject": subject,
        "start": {"dateTime": start.strftime("%Y-%m-%dT%H:%M:%S"), "timeZone": "UTC"},
        "end": {"dateTime": end.strftime("%Y-%m-%dT%H:%M:%S"), "timeZone": "UTC"},
    }


class Calendars:
    """Alice's events on both sides, as she sees them: her "Zoho Recruit" calendar and her Recruit Events."""

    def __init__(self, graph: GraphEmulatorHandle, recruit: RecruitEmulator) -> None:
        self.outlook = outlook_as(graph, ALICE)
        self.recruit = recruit_as(recruit, ALICE)
        [self.calendar_id] = [
            c["id"] for c in self.outlook.get("/calendars").json()["value"] if c["name"] == "Zoho Recruit"
        ]

    def outlook_events(self) -> list[dict[str, Any]]:
        response = self.outlook.get(f"/calendars/{self.calendar_id}/events", params={"$top": "500"})
        response.raise_for_status()
        return list(response.json()["value"])

    def outlook_subjects(self) -> list[str]:
        return sorted(str(event["subject"]) for event in self.outlook_events())

    def outlook_id(self, subject: str) -> str:
        [event_id] = [e["id"] for e in self.outlook_events() if e["subject"] == subject]
        return str(event_id)

    def recruit_records(self) -> list[dict[str, Any]]:
        response = self.recruit.get("/Events", params={"per_page": 200})
        if response.status_code == 204:
            return []
        response.raise_for_status()
        return [r for r in response.json()["data"] if (r.get("Owner") or {}).get("email") == ALICE]

    def recruit_titles(self) -> list[str]:
        return sorted(str(record["Event_Title"]) for record in self.recruit_records())

    def recruit_id(self, title: str) -> str:
        [record_id] = [r["id"] for r in self.recruit_records() if r["Event_Title"] == title]
        return str(record_id)

    def both(self) -> tuple[list[str], list[str]]:
        return self.outlook_subjects(), self.recruit_titles()

    def close(self) -> None:
        self.outlook.close()
        self.recruit.close()


KEPT_R = ["Kept R1", "Kept R2", "Kept R3"]  # made in Recruit before the faults
KEPT_O = ["Kept O1", "Kept O2", "Kept O3"]  # made in Outlook before the faults
NEW_R = [f"New R{n}" for n in range(1, 7)]
NEW_O = [f"New O{n}" for n in range(1, 6)]
RENAMED = {
    "Kept R1": "Kept R1, renamed in Outlook",
    "Kept R2": "Kept R2, renamed in Outlook",
    "Kept O1": "Kept O1, renamed in Recruit",
    "Kept O2": "Kept O2, renamed in Recruit",
}
DELETED = ["Kept R3", "Kept O3"]  # R3 deleted in Recruit, O3 in Outlook


def after_changes(before: list[str]) -> list[str]:
    kept = [RENAMED.get(title, title) for title in before if title not in DELETED]
    return sorted([*kept, *NEW_R, *NEW_O])


def test_calendar_changes_converge_under_faults_and_a_crash_mid_apply(
    own_stack: Callable[[dict[str, str]], OwnStack], graph: GraphEmulatorHandle, recruit: RecruitEmulator
) -> None:
    own = own_stack({"LEASE_SECONDS": "10"})  # the dead worker's lease runs out soon
    with httpx.Client(base_url=own.base_url, trust_env=False, timeout=30) as browser:
        enable_calendar(browser, ALICE)
        until_active(browser)
    sides = Calendars(graph, recruit)
    try:
        for n, (in_recruit, in_outlook) in enumerate(zip(KEPT_R, KEPT_O, strict=True)):
            sides.recruit.post("/Events", json={"data": [recruit_event(in_recruit, soon(n + 2))]})
            sides.outlook.post(
                f"/calendars/{sides.calendar_id}/events", json=outlook_event(in_outlook, soon(n + 2))
            )
        poll(
            sides.both,
            lambda both: all(set(KEPT_R + KEPT_O) <= set(side) for side in both),
            "the six events on both sides",
        )
        until_quiet(own, graph, recruit)
        outlook_before, recruit_before = sides.both()

        with faults(graph, recruit) as injected:
            recruit_counts_before = request_counts(recruit)
            make_outlook_changes(sides)
            # The product writes to Outlook in `$batch`es: its next one (for Alice's Recruit changes, or for
            # her Outlook changes if those need writes back) waits, unanswered, until after the crash.
            injected.graph.hold("POST", "/v1.0/$batch")
            make_recruit_changes(sides)
            held = crash_mid_apply(own, "calendar", injected.graph.held, lambda n: n > 0)
            assert held > 0
            batches_at_crash = request_counts(graph).get(BATCH, 0)
            injected.graph.release()  # the dead worker's writes reach Outlook; their links were never stored
            poll(
                lambda: request_counts(graph).get(BATCH, 0),
                lambda batches: batches > batches_at_crash,
                "the dead worker's batch to be answered",
            )
            own.start()

            expected = after_changes(outlook_before), after_changes(recruit_before)
            poll(sides.both, lambda both: both == expected, "both sides to converge")
            until_quiet(own, graph, recruit)
            outlook_after, recruit_after = sides.both()
        recruit_writes = item_writes(recruit_counts_before, request_counts(recruit), "/recruit/v2/", "")
    finally:
        sides.close()

    assert once_each(outlook_after) == [] and once_each(recruit_after) == []
    assert outlook_after == expected[0] and len(outlook_after) == len(outlook_before) + len(NEW_R + NEW_O) - 2
    assert recruit_after == expected[1] and len(recruit_after) == len(recruit_before) + len(NEW_R + NEW_O) - 2
    assert recruit_writes > 0  # the product wrote to Recruit through the faults, not only the test


def make_outlook_changes(sides: Calendars) -> None:
    """Alice works in both places at once: creates, renames and a delete in Outlook, one at a time, then
    (`make_recruit_changes`) the same in Recruit while the product may still be applying these."""
    for n, subject in enumerate(NEW_O):
        sides.outlook.post(
            f"/calendars/{sides.calendar_id}/events", json=outlook_event(subject, soon(n + 10))
        ).raise_for_status()
    for old in ("Kept R1", "Kept R2"):
        sides.outlook.patch(
            f"/events/{sides.outlook_id(old)}", json={"subject": RENAMED[old]}
        ).raise_for_status()
    sides.outlook.delete(f"/events/{sides.outlook_id('Kept O3')}").raise_for_status()


def make_recruit_changes(sides: Calendars) -> None:
    """In three calls: six new events in one insert (fewer than an import's burst), two renames, a delete."""
    renames = [{"id": sides.recruit_id(old), "Event_Title": RENAMED[old]} for old in ("Kept O1", "Kept O2")]
    gone = sides.recruit_id("Kept R3")
    created = [recruit_event(title, soon(n + 20)) for n, title in enumerate(NEW_R)]
    sides.recruit.post("/Events", json={"data": created}).raise_for_status()
    sides.recruit.put("/Events", json={"data": renames}).raise_for_status()
    sides.recruit.delete("/Events", params={"ids": gone}).raise_for_status()
