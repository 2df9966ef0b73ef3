"""Initial sync and imports through the whole stack: which Recruit records the first copy takes (owned ones,
never imported, future soonest first, then the most recently ended, up to the cap), and an imported event that
stays out of Outlook until a mass update touches it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.e2e.calendar.conftest import Outlook, calendar_status, enable_calendar, until_active
from tests.e2e.calendar.helpers import outlook_events, recruit_events, until_quiet
from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.polling import poll
from tests.fixtures.recruit_emulator import RecruitEmulator
from tests.fixtures.stack import OwnStack

pytestmark = pytest.mark.e2e

ALICE = "alice@contoso.example"  # SSO, Recruit time zone Asia/Kolkata
CAROL = "carol@contoso.example"  # SSO, the same Recruit organisation as Alice
IMPORTED = 25  # one import: far more records in one second by one creator than IMPORT_BATCH_MIN (20)


def recruit_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def event(title: str, start: datetime, minutes: int = 60) -> dict[str, Any]:
    return {
        "Event_Title": title,
        "Start_DateTime": recruit_time(start),
        "End_DateTime": recruit_time(start + timedelta(minutes=minutes)),
    }


def create_events(recruit: RecruitEmulator, email: str, events: list[dict[str, Any]]) -> None:
    """Creates the events one request each, as a user adds them one by one (never an import's burst)."""
    with recruit.client_for(email) as client:
        for record in events:
            client.post("/Events", json={"data": [record]}).raise_for_status()


def recruit_now(recruit: RecruitEmulator) -> datetime:
    return datetime.fromisoformat(recruit.control("clock", {"advance_seconds": 0})["now"])


def import_events(recruit: RecruitEmulator, email: str, title: str, first_start: datetime) -> list[str]:
    """Imports IMPORTED events for `email` ("{title} 0", ...), ten minutes apart; returns their ids.

    Waits for Recruit's clock to reach a new second first: the user's own records made in the import's
    second would look imported too (the rule counts records per creator and second).
    """
    second = recruit_now(recruit).replace(microsecond=0)
    poll(lambda: recruit_now(recruit), lambda now: now >= second + timedelta(seconds=1), "a new second")
    records = [event(f"{title} {n}", first_start + timedelta(minutes=10 * n)) for n in range(IMPORTED)]
    answer = recruit.control("import", {"user": email, "module": "Events", "records": records})
    return [str(record_id) for record_id in answer["ids"]]


def user_id(recruit: RecruitEmulator, email: str) -> str:
    with recruit.client_for(email) as client:
        response = client.get("/users", params={"type": "CurrentUser"})
    response.raise_for_status()
    return str(response.json()["users"][0]["id"])


def hand_over(recruit: RecruitEmulator, email: str, module: str, titles: set[str], to: str) -> None:
    """`email` makes `to` the owner of her records of `module` titled one of `titles`, in one edit."""
    title_field = {"Events": "Event_Title", "Interviews": "Interview_Name"}[module]
    owner_field = {"Events": "Owner", "Interviews": "Interview_Owner"}[module]
    new_owner = {"id": user_id(recruit, to)}
    with recruit.client_for(email) as client:
        records = client.get(f"/{module}", params={"per_page": 200}).json()["data"]
        update = [{"id": r["id"], owner_field: new_owner} for r in records if r[title_field] in titles]
        assert len(update) == len(titles), (module, titles)
        client.put(f"/{module}", json={"data": update}).raise_for_status()


def outlook_subjects(outlook: Outlook) -> list[str]:
    """Every event subject in the "Zoho Recruit" calendar, duplicates kept."""
    calendar_id = outlook.calendar_id()
    assert calendar_id is not None, "no 'Zoho Recruit' calendar"
    response = outlook.client.get(f"/calendars/{calendar_id}/events", params={"$top": "500"})
    response.raise_for_status()
    return sorted(str(item["subject"]) for item in response.json()["value"])


# A short lease: a request that finds the lease held queues a check for when it expires, and until_quiet
# waits for the queue to empty; with the default 300 s lease that check would outlast its deadline.
OWN_SETTINGS = {"LEASE_SECONDS": "10"}


@pytest.fixture
def alice_on_own_stack(
    own_stack: Callable[[dict[str, str]], OwnStack], graph: GraphEmulatorHandle, recruit: RecruitEmulator
) -> Iterator[tuple[OwnStack, httpx.Client]]:
    """A dev host with an initial-sync cap of 5, and a browser on it (Alice not yet signed in)."""
    own = own_stack({**OWN_SETTINGS, "INITIAL_EVENTS_CAP": "5"})
    with httpx.Client(base_url=own.base_url, trust_env=False, timeout=30) as browser:
        yield own, browser
    until_quiet(own, graph, recruit)  # the echo passes of the copies end before the dev host stops


def enable_and_list(
    own: OwnStack, browser: httpx.Client, graph: GraphEmulatorHandle, recruit: RecruitEmulator
) -> tuple[list[str], dict[str, Any]]:
    """Alice enables; once active and quiet, what her "Zoho Recruit" calendar holds and her status."""
    enable_calendar(browser, ALICE)
    until_active(browser)
    until_quiet(own, graph, recruit)
    return outlook_subjects(Outlook(graph, ALICE)), calendar_status(browser)


def test_initial_sync_takes_the_soonest_five_upcoming_of_the_users_own_events_and_interviews(
    alice_on_own_stack: tuple[OwnStack, httpx.Client], graph: GraphEmulatorHandle, recruit: RecruitEmulator
) -> None:
    own, browser = alice_on_own_stack
    now = datetime.now(UTC)
    # Alice's seed: client call (+2 days), technical interview (+4), career fair (all day, +5), weekly
    # stand-up (+7) ahead; sourcing sync (-3) and screening call (-10) behind. She adds three more ahead and
    # two that ended lately, not in time order.
    create_events(
        recruit,
        ALICE,
        [
            event("Upcoming: in 6 days", now + timedelta(days=6)),
            event("Upcoming: tomorrow", now + timedelta(days=1)),
            event("Ended: yesterday", now - timedelta(days=1, hours=1)),
            event("Upcoming: in 3 days", now + timedelta(days=3)),
            event("Ended: 2 hours ago", now - timedelta(hours=3)),
        ],
    )
    # Sooner than all of those: an event Carol owns, and an import of Alice's.
    create_events(recruit, CAROL, [event("Carol: in 2 hours", now + timedelta(hours=2))])
    import_events(recruit, ALICE, "Imported", now + timedelta(hours=1))
    # Her last change before enabling is to one the cap leaves out: an edit before enabling is no reason
    # to copy it.
    with recruit.client_for(ALICE) as client:
        record_id = recruit_events(recruit, ALICE)["Upcoming: in 6 days"]["id"]
        client.put("/Events", json={"data": [{"id": record_id, "Venue": "Room 6"}]}).raise_for_status()

    subjects, status = enable_and_list(own, browser, graph, recruit)

    assert subjects == [
        "Alice: career fair",
        "Alice: client call",
        "Technical interview (Alice)",
        "Upcoming: in 3 days",
        "Upcoming: tomorrow",
    ]  # not "Upcoming: in 6 days" nor the stand-up (later), nor "Ended: 2 hours ago" (upcoming come first)
    assert status["progress"] == {"done": 5, "total": 5}


def test_initial_sync_fills_the_cap_with_the_most_recently_ended_after_the_upcoming_ones(
    alice_on_own_stack: tuple[OwnStack, httpx.Client], graph: GraphEmulatorHandle, recruit: RecruitEmulator
) -> None:
    own, browser = alice_on_own_stack
    now = datetime.now(UTC)
    # Alice hands her four seeded upcoming items to Carol: she created them, Carol owns them now.
    seeded_events = {"Alice: client call", "Alice: career fair", "Alice: weekly recruiting stand-up"}
    hand_over(recruit, ALICE, "Events", seeded_events, CAROL)
    hand_over(recruit, ALICE, "Interviews", {"Technical interview (Alice)"}, CAROL)
    # Two ahead of her; behind her, besides the seeded sourcing sync (-3 days) and screening call (-10),
    # three that ended at different times, not made in time order.
    create_events(
        recruit,
        ALICE,
        [
            event("Ended: 5 days ago", now - timedelta(days=5, hours=1)),
            event("Upcoming: in 6 days", now + timedelta(days=6)),
            event("Ended: yesterday", now - timedelta(days=1, hours=1)),
            event("Upcoming: tomorrow", now + timedelta(days=1)),
            event("Ended: 2 hours ago", now - timedelta(hours=3)),
        ],
    )
    # Ended more recently than all of those: an import of Alice's.
    import_events(recruit, ALICE, "Imported", now - timedelta(hours=1, minutes=10 * IMPORTED))

    subjects, status = enable_and_list(own, browser, graph, recruit)

    assert subjects == [
        "Alice: sourcing sync",
        "Ended: 2 hours ago",
        "Ended: yesterday",
        "Upcoming: in 6 days",
        "Upcoming: tomorrow",
    ]  # not "Ended: 5 days ago" nor the screening call (ended longer ago), nor what Carol owns now
    assert status["progress"] == {"done": 5, "total": 5}


def test_imported_events_stay_out_of_outlook_until_a_mass_update_touches_them(
    own_stack: Callable[[dict[str, str]], OwnStack], graph: GraphEmulatorHandle, recruit: RecruitEmulator
) -> None:
    own = own_stack(OWN_SETTINGS)
    now = datetime.now(UTC)
    early = import_events(recruit, ALICE, "Imported early", now + timedelta(days=1))
    with httpx.Client(base_url=own.base_url, trust_env=False, timeout=30) as browser:
        enable_calendar(browser, ALICE)
        until_active(browser)
    outlook = Outlook(graph, ALICE)
    late = import_events(recruit, ALICE, "Imported late", now + timedelta(days=2))

    # Imports tell no watch channel; a genuine edit afterwards does, and its pass sweeps every record
    # modified since the last one, the imports included: once the edit is in Outlook, they were judged.
    with recruit.client_for(ALICE) as client:
        record_id = recruit_events(recruit, ALICE)["Alice: client call"]["id"]
        client.put("/Events", json={"data": [{"id": record_id, "Venue": "Room 7"}]}).raise_for_status()
    poll(
        lambda: outlook_events(outlook)["Alice: client call"].get("location", {}).get("displayName"),
        lambda venue: venue == "Room 7",
        "the genuine edit in Outlook",
    )
    until_quiet(own, graph, recruit)
    assert [s for s in outlook_subjects(outlook) if s.startswith("Imported")] == []

    # A mass update of one event from each import, which Recruit announces in one update callback.
    deliveries_before = len(recruit.http.get(f"{recruit.base_url}/_emulator/deliveries").json()["deliveries"])
    touched = [early[3], late[5]]
    recruit.control(
        "mass-update", {"user": ALICE, "module": "Events", "ids": touched, "fields": {"Venue": "Hall B"}}
    )
    poll(
        lambda: [s for s in outlook_subjects(outlook) if s.startswith("Imported")],
        lambda subjects: len(subjects) >= 2,
        "the mass-updated events in Outlook",
    )
    until_quiet(own, graph, recruit)

    assert [s for s in outlook_subjects(outlook) if s.startswith("Imported")] == [
        "Imported early 3",
        "Imported late 5",
    ]  # each once; their untouched siblings are still out
    venues = {s: e.get("location", {}).get("displayName") for s, e in outlook_events(outlook).items()}
    assert (venues["Imported early 3"], venues["Imported late 5"]) == ("Hall B", "Hall B")
    deliveries = recruit.http.get(f"{recruit.base_url}/_emulator/deliveries").json()["deliveries"]
    # What made the pass: the mass update's one callback, delivered to the product's webhook.
    assert [(d["operation"], d["ids"], d["delivered"]) for d in deliveries[deliveries_before:]] == [
        ("update", touched, True)
    ]
