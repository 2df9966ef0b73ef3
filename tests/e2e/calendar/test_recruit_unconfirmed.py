"""Calendar sync through the whole stack with every Recruit behaviour Recruit does not confirm switched off in
the emulator (`ids=`, `If-Modified-Since`, `/deleted`; rate-limit headers are off by default): the initial
copy, and a Recruit create, rename and delete (each told by its watch callback), reach Outlook."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from tests.e2e.calendar.conftest import Outlook, enable_calendar, until_active
from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.polling import poll
from tests.fixtures.recruit_emulator import RecruitEmulator

ALICE = "alice@contoso.example"  # SSO: enabling needs no Microsoft sign-in
ALICE_ITEMS = 6  # four Events and two Interviews in the Recruit seed


def test_calendar_sync_works_with_every_unconfirmed_recruit_behaviour_off(
    browser: httpx.Client, graph: GraphEmulatorHandle, recruit: RecruitEmulator
) -> None:
    off = {"ids_param": False, "if_modified_since": False, "deleted_endpoint": False}
    assert recruit.control("features", off) == {**off, "ratelimit_headers": False}
    enable_calendar(browser, ALICE)
    until_active(browser)
    outlook = Outlook(graph, ALICE)
    before = outlook.subjects()
    assert len(before) == ALICE_ITEMS

    start = (datetime.now(UTC) + timedelta(days=4)).replace(hour=9, minute=0, second=0, microsecond=0)
    with recruit.client_for(ALICE) as client:
        mine = [
            record
            for record in client.get("/Events", params={"per_page": 200}).json()["data"]
            if (record.get("Owner") or {}).get("email") == ALICE and record["Event_Title"] in before
        ]
        renamed, deleted = mine[0], mine[1]
        created = {
            "Event_Title": "Made with everything off",
            "Start_DateTime": start.isoformat(),
            "End_DateTime": (start + timedelta(hours=1)).isoformat(),
        }
        client.post("/Events", json={"data": [created]}).raise_for_status()
        client.put(
            "/Events", json={"data": [{"id": renamed["id"], "Event_Title": "Renamed with everything off"}]}
        ).raise_for_status()
        client.delete("/Events", params={"ids": deleted["id"]}).raise_for_status()

    expected = sorted(
        [t for t in before if t not in (renamed["Event_Title"], deleted["Event_Title"])]
        + ["Made with everything off", "Renamed with everything off"]
    )
    poll(outlook.subjects, lambda subjects: subjects == expected, "Outlook to follow Recruit")
