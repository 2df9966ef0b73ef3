"""Recurring series as Graph serves them: calendarView, instances, occurrence ids (GET, PATCH into an
exception, DELETE as a cancellation), the calendarView delta without masters, notifications for occurrences.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.fixtures.graph_emulator import GraphEmulatorHandle

from .conftest import ALICE, Receiver, event_body

Clients = Callable[[str], httpx.AsyncClient]
DECEMBER = {"startDateTime": "2026-12-01T00:00:00Z", "endDateTime": "2027-01-01T00:00:00Z"}
WEEKLY_MONDAYS = {
    "pattern": {"type": "weekly", "interval": 1, "daysOfWeek": ["monday"], "firstDayOfWeek": "sunday"},
    "range": {"type": "numbered", "startDate": "2026-12-07", "numberOfOccurrences": 4},
}


async def _calendar(client: httpx.AsyncClient) -> str:
    return str((await client.post("/me/calendars", json={"name": "Zoho Recruit"})).json()["id"])


async def _series(client: httpx.AsyncClient, calendar_id: str, **extra: Any) -> dict[str, Any]:
    body = event_body("Weekly sync", start="2026-12-07T09:00:00", recurrence=WEEKLY_MONDAYS) | extra
    created = await client.post(f"/me/calendars/{calendar_id}/events", json=body)
    assert created.status_code == 201, created.text
    answer: dict[str, Any] = created.json()
    return answer


@dataclass(frozen=True)
class Series:
    """Alice's own calendar holding one weekly series: four Mondays of December 2026, 09:00."""

    client: httpx.AsyncClient
    calendar_id: str
    master: dict[str, Any]


@pytest.fixture
async def series(client_for: Clients) -> Series:
    alice = client_for(ALICE)
    calendar_id = await _calendar(alice)
    return Series(alice, calendar_id, await _series(alice, calendar_id))


async def _view(client: httpx.AsyncClient, calendar_id: str, **params: str) -> list[dict[str, Any]]:
    answer = await client.get(f"/me/calendars/{calendar_id}/calendarView", params=DECEMBER | params)
    assert answer.status_code == 200, answer.text
    value: list[dict[str, Any]] = answer.json()["value"]
    return value


async def test_calendar_view_expands_a_series_into_occurrences_and_never_shows_the_master(
    series: Series,
) -> None:
    alice, calendar_id, master = series.client, series.calendar_id, series.master
    single = (await alice.post(f"/me/calendars/{calendar_id}/events", json=event_body("One-off"))).json()

    shown = await _view(alice, calendar_id)

    assert [(e["type"], e["start"]["dateTime"][:16]) for e in shown] == [
        ("occurrence", "2026-12-07T09:00"),
        ("singleInstance", "2026-12-10T10:00"),
        ("occurrence", "2026-12-14T09:00"),
        ("occurrence", "2026-12-21T09:00"),
        ("occurrence", "2026-12-28T09:00"),
    ]
    occurrences = [e for e in shown if e["type"] == "occurrence"]
    assert {e["seriesMasterId"] for e in occurrences} == {master["id"]}
    assert occurrences[0]["originalStart"] == "2026-12-07T09:00:00Z"
    assert all(e["recurrence"] is None and e["subject"] == "Weekly sync" for e in occurrences)
    assert len({e["id"] for e in shown}) == 5 and master["id"] not in {e["id"] for e in shown}
    assert shown[1]["id"] == single["id"]
    assert [e["id"] for e in await _view(alice, calendar_id)] == [e["id"] for e in shown]  # stable ids


async def test_calendar_view_of_the_default_calendar_in_me_and_users_forms(
    graph: GraphEmulatorHandle, client_for: Clients
) -> None:
    alice = client_for(ALICE)
    body = event_body("Default", start="2026-12-07T09:00:00", recurrence=WEEKLY_MONDAYS)
    master = (await alice.post("/me/events", json=body)).json()
    user_id = graph.user(ALICE)["id"]
    for path in ("/me/calendarView", f"/users/{user_id}/calendarView", "/me/calendar/calendarView"):
        answer = await alice.get(path, params=DECEMBER | {"$top": "100"})
        assert answer.status_code == 200, path
        shown = answer.json()["value"]  # the seed's own events in December come too
        assert [e["type"] for e in shown if e["seriesMasterId"] == master["id"]] == ["occurrence"] * 4, path
        assert master["id"] not in {e["id"] for e in shown}


async def test_calendar_view_without_its_window_or_over_1825_days_is_400(client_for: Clients) -> None:
    alice = client_for(ALICE)
    missing = await alice.get("/me/calendarView", params={"startDateTime": "2026-12-01T00:00:00Z"})
    assert missing.status_code == 400
    assert missing.json()["error"]["code"] == "ErrorInvalidParameter"
    too_long = await alice.get(
        "/me/calendarView",
        params={"startDateTime": "2026-01-01T00:00:00Z", "endDateTime": "2031-01-02T00:00:00Z"},
    )
    # Graph's code for this one, as microsoftgraph/microsoft-graph-docs-contrib issue 6321 quotes it.
    assert too_long.status_code == 400 and too_long.json()["error"]["code"] == "ErrorInvalidRequest"
    not_a_date = await alice.get("/me/calendarView", params={"startDateTime": "soon", "endDateTime": "later"})
    assert not_a_date.status_code == 400


async def test_calendar_view_pages_with_top_and_next_link(client_for: Clients) -> None:
    alice = client_for(ALICE)
    calendar_id = await _calendar(alice)
    await _series(alice, calendar_id)
    answer = (
        await alice.get(f"/me/calendars/{calendar_id}/calendarView", params=DECEMBER | {"$top": "3"})
    ).json()
    first_page = answer["value"]
    assert len(first_page) == 3
    second = (await alice.get(answer["@odata.nextLink"])).json()
    assert "@odata.nextLink" not in second
    assert [e["id"] for e in first_page + second["value"]] == [
        e["id"] for e in await _view(alice, calendar_id)
    ]


async def test_instances_lists_a_masters_occurrences_in_the_window(series: Series) -> None:
    alice, calendar_id, master = series.client, series.calendar_id, series.master
    window = {"startDateTime": "2026-12-10T00:00:00Z", "endDateTime": "2026-12-22T00:00:00Z"}
    answer = await alice.get(f"/me/events/{master['id']}/instances", params=window)
    assert answer.status_code == 200
    instances = answer.json()["value"]
    assert [e["start"]["dateTime"][:10] for e in instances] == ["2026-12-14", "2026-12-21"]
    by_view = {e["originalStart"]: e["id"] for e in await _view(alice, calendar_id)}
    assert [e["id"] for e in instances] == [by_view[e["originalStart"]] for e in instances]
    assert (await alice.get(f"/me/events/{master['id']}/instances")).status_code == 400


async def test_an_occurrence_id_can_be_read_like_any_event(client_for: Clients) -> None:
    alice = client_for(ALICE)
    calendar_id = await _calendar(alice)
    await _series(alice, calendar_id)
    occurrence = (await _view(alice, calendar_id))[1]
    got = await alice.get(f"/me/events/{occurrence['id']}")
    in_calendar = await alice.get(f"/me/calendars/{calendar_id}/events/{occurrence['id']}")
    # A single entity carries its own @odata.context (api/event-get.md); the rest is the list's item.
    assert got.status_code == 200 and got.json().pop("@odata.context").endswith("/events/$entity")
    assert {k: v for k, v in got.json().items() if k != "@odata.context"} == occurrence
    assert {k: v for k, v in in_calendar.json().items() if k != "@odata.context"} == occurrence


async def test_patching_an_occurrence_makes_an_exception_of_it_only(series: Series) -> None:
    alice, calendar_id, master = series.client, series.calendar_id, series.master
    second = (await _view(alice, calendar_id))[1]
    moved = {"dateTime": "2026-12-15T11:00:00", "timeZone": "UTC"}
    patched = await alice.patch(
        f"/me/events/{second['id']}",
        json={"subject": "Moved sync", "start": moved, "end": moved | {"dateTime": "2026-12-15T12:00:00"}},
    )
    assert patched.status_code == 200, patched.text
    exception = patched.json()
    assert exception["type"] == "exception" and exception["id"] == second["id"]
    assert (
        exception["seriesMasterId"] == master["id"] and exception["originalStart"] == second["originalStart"]
    )

    shown = await _view(alice, calendar_id)
    assert [(e["type"], e["subject"], e["start"]["dateTime"][:16]) for e in shown] == [
        ("occurrence", "Weekly sync", "2026-12-07T09:00"),
        ("exception", "Moved sync", "2026-12-15T11:00"),
        ("occurrence", "Weekly sync", "2026-12-21T09:00"),
        ("occurrence", "Weekly sync", "2026-12-28T09:00"),
    ]
    # A change to the master still reaches the exception's untouched properties, not its own ones.
    await alice.patch(f"/me/events/{master['id']}", json={"location": {"displayName": "Room 4"}})
    after = (await alice.get(f"/me/events/{second['id']}")).json()
    assert after["location"]["displayName"] == "Room 4" and after["subject"] == "Moved sync"


async def test_an_occurrence_cannot_be_given_a_recurrence(client_for: Clients) -> None:
    alice = client_for(ALICE)
    calendar_id = await _calendar(alice)
    await _series(alice, calendar_id)
    occurrence = (await _view(alice, calendar_id))[0]
    answer = await alice.patch(f"/me/events/{occurrence['id']}", json={"recurrence": WEEKLY_MONDAYS})
    assert answer.status_code == 400


async def test_deleting_an_occurrence_cancels_it_and_only_it(client_for: Clients) -> None:
    alice = client_for(ALICE)
    calendar_id = await _calendar(alice)
    await _series(alice, calendar_id)
    before = await _view(alice, calendar_id)
    assert (await alice.delete(f"/me/events/{before[2]['id']}")).status_code == 204
    assert [e["id"] for e in await _view(alice, calendar_id)] == [before[i]["id"] for i in (0, 1, 3)]
    gone = await alice.get(f"/me/events/{before[2]['id']}")
    assert gone.status_code == 404 and gone.json()["error"]["code"] == "ErrorItemNotFound"
    assert (await alice.delete(f"/me/events/{before[2]['id']}")).status_code == 404


async def test_changing_the_recurrence_regenerates_occurrences_and_drops_exceptions(
    series: Series,
) -> None:
    alice, calendar_id, master = series.client, series.calendar_id, series.master
    before = await _view(alice, calendar_id)
    await alice.patch(f"/me/events/{before[0]['id']}", json={"subject": "Special"})
    await alice.delete(f"/me/events/{before[1]['id']}")
    two_only = {**WEEKLY_MONDAYS, "range": {**WEEKLY_MONDAYS["range"], "numberOfOccurrences": 2}}
    assert (await alice.patch(f"/me/events/{master['id']}", json={"recurrence": two_only})).status_code == 200
    after = await _view(alice, calendar_id)
    assert [(e["type"], e["subject"]) for e in after] == [("occurrence", "Weekly sync")] * 2
    assert [e["id"] for e in after] == [e["id"] for e in before[:2]]


async def test_a_recurrence_graph_would_refuse_is_400(client_for: Clients) -> None:
    alice = client_for(ALICE)
    calendar_id = await _calendar(alice)
    bad = {**WEEKLY_MONDAYS, "pattern": {"type": "weekly", "interval": 1, "daysOfWeek": ["someday"]}}
    answer = await alice.post(
        f"/me/calendars/{calendar_id}/events",
        json=event_body("Bad", start="2026-12-07T09:00:00", recurrence=bad),
    )
    assert answer.status_code == 400
    assert (await _view(alice, calendar_id)) == []


async def test_occurrences_follow_the_outlook_timezone_preference(client_for: Clients) -> None:
    alice = client_for(ALICE)
    calendar_id = await _calendar(alice)
    await _series(alice, calendar_id)
    answer = await alice.get(
        f"/me/calendars/{calendar_id}/calendarView",
        params=DECEMBER,
        headers={"Prefer": 'outlook.timezone="Tokyo Standard Time"'},
    )
    first = answer.json()["value"][0]
    assert first["start"] == {"dateTime": "2026-12-07T18:00:00.0000000", "timeZone": "Tokyo Standard Time"}


async def _delta_round(client: httpx.AsyncClient, url: str, params: dict[str, str] | None = None
                       ) -> tuple[list[dict[str, Any]], str]:  # fmt: skip
    answer = (await client.get(url, params=params, headers={"Prefer": "odata.maxpagesize=2"})).json()
    items = list(answer["value"])
    while "@odata.nextLink" in answer:
        answer = (
            await client.get(answer["@odata.nextLink"], headers={"Prefer": "odata.maxpagesize=2"})
        ).json()
        items += answer["value"]
    return items, answer["@odata.deltaLink"]


async def test_calendar_view_delta_gives_occurrences_then_exceptions_and_removals_never_the_master(
    series: Series,
) -> None:
    alice, calendar_id, master = series.client, series.calendar_id, series.master
    single = (await alice.post(f"/me/calendars/{calendar_id}/events", json=event_body("One-off"))).json()
    url = f"/me/calendars/{calendar_id}/calendarView/delta"

    items, delta_link = await _delta_round(alice, url, DECEMBER)
    assert sorted(e["type"] for e in items) == ["occurrence"] * 4 + ["singleInstance"]
    assert master["id"] not in {e["id"] for e in items}
    occurrences = sorted((e for e in items if e["type"] == "occurrence"), key=lambda e: e["originalStart"])

    await alice.patch(f"/me/events/{occurrences[0]['id']}", json={"subject": "Changed once"})
    await alice.delete(f"/me/events/{occurrences[1]['id']}")
    await alice.delete(f"/me/events/{single['id']}")
    changes, delta_link = await _delta_round(alice, delta_link)
    by_id = {c["id"]: c for c in changes}
    assert by_id[occurrences[0]["id"]]["type"] == "exception"
    assert by_id[occurrences[0]["id"]]["subject"] == "Changed once"
    assert by_id[occurrences[1]["id"]]["@removed"] == {"reason": "deleted"}
    assert by_id[single["id"]]["@removed"] == {"reason": "deleted"}
    assert len(by_id) == 3

    quiet, _ = await _delta_round(alice, delta_link)
    assert quiet == []


async def test_calendar_view_delta_reports_every_occurrence_when_the_master_changes(
    series: Series,
) -> None:
    alice, calendar_id, master = series.client, series.calendar_id, series.master
    url = f"/me/calendars/{calendar_id}/calendarView/delta"
    _, delta_link = await _delta_round(alice, url, DECEMBER)
    await alice.patch(f"/me/events/{master['id']}", json={"subject": "Renamed sync"})
    changes, _ = await _delta_round(alice, delta_link)
    assert [(c["type"], c["subject"]) for c in changes] == [("occurrence", "Renamed sync")] * 4
    await alice.delete(f"/me/events/{master['id']}")


async def test_calendar_view_delta_in_the_default_calendar_form_refuses_select(client_for: Clients) -> None:
    alice = client_for(ALICE)
    assert (await alice.get("/me/calendarView/delta", params=DECEMBER)).status_code == 200
    refused = await alice.get("/me/calendarView/delta", params=DECEMBER | {"$select": "subject"})
    assert refused.status_code == 400
    assert (await alice.get("/me/calendarView/delta")).status_code == 400


async def test_occurrence_changes_notify_the_calendars_subscription(
    graph: GraphEmulatorHandle, client_for: Clients, receiver: Receiver
) -> None:
    alice = client_for(ALICE)
    calendar_id = await _calendar(alice)
    await _series(alice, calendar_id)
    occurrences = await _view(alice, calendar_id)
    expiry = (datetime.now(UTC) + timedelta(minutes=60)).strftime("%Y-%m-%dT%H:%M:%S.0000000Z")
    subscription = {
        "changeType": "created,updated,deleted",
        "notificationUrl": receiver.url,
        "resource": f"/users/{graph.user(ALICE)['id']}/calendars/{calendar_id}/events",
        "expirationDateTime": expiry,
    }
    assert (await alice.post("/subscriptions", json=subscription)).status_code == 201
    await alice.patch(f"/me/events/{occurrences[0]['id']}", json={"subject": "Changed once"})
    await alice.delete(f"/me/events/{occurrences[1]['id']}")
    expected = [("updated", occurrences[0]["id"]), ("deleted", occurrences[1]["id"])]
    await receiver.wait_for(lambda got: [(n["changeType"], n["resourceData"]["id"]) for n in got] == expected)
