"""A whole pass (`run_pass` -> `reconcile_once`) against in-memory stores and in-process emulators: what the
user sees in Outlook and Recruit after one, what the sync log says, and the conflict it counts."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from sync_core.engine.sync_kinds.registry import kind_for
from sync_core.engine.sync_pass.reconcile import reconcile_once, run_pass
from sync_core.engine.sync_pass.scope import open_scope
from sync_core.store.connections import Connection
from sync_core.store.queues import SyncRequest
from sync_core.store.syncstate import SyncState
from tests.fixtures.in_process import InProcessEngine

ALICE = "alice@contoso.example"


class Alice:
    """Alice with calendar sync active on an empty "Zoho Recruit" calendar, acting in Outlook and Recruit."""

    def __init__(self, engine: InProcessEngine, connection: Connection, calendar_id: str) -> None:
        self.engine, self.connection, self.calendar_id = engine, connection, calendar_id

    def request(self) -> SyncRequest:
        return SyncRequest(connection=str(self.connection.key), kind="calendar", reason="sweep")

    async def state(self) -> SyncState:
        state = await self.engine.syncstate.get(self.connection.key, "calendar")
        assert state is not None
        return state

    async def outlook(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        async with self.engine.graph(self.connection) as graph:
            response = await graph.request(
                method, f"/users/{self.connection.microsoft_user_id}{path}", mailbox=None, body=body
            )
        return response.body

    async def outlook_events(self) -> list[dict[str, Any]]:
        return list((await self.outlook("GET", f"/calendars/{self.calendar_id}/events"))["value"])

    async def recruit(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        async with self.engine.recruit(self.connection) as recruit:
            response = await recruit.transport.request(method, path, json=body)
        return response.body

    async def recruit_creates_event(self, title: str) -> str:
        event = {
            "Event_Title": title,
            "Start_DateTime": "2026-12-10T10:00:00+05:30",
            "End_DateTime": "2026-12-10T11:00:00+05:30",
        }
        answer = await self.recruit("POST", "/Events", {"data": [event], "trigger": []})
        return str(answer["data"][0]["details"]["id"])


@pytest.fixture
async def alice() -> AsyncIterator[Alice]:
    engine = InProcessEngine()
    connection = await engine.connect(ALICE)
    kind = kind_for("calendar", engine.settings)
    async with engine.graph(connection) as graph:
        calendar_id = await kind.find_or_create_container(
            graph, connection.microsoft_user_id, kind.container_name(engine.settings)
        )
    watermark = engine.clock()  # the seeded records are older: the first pass sees only this test's

    def active(state: SyncState) -> SyncState:
        return state.model_copy(
            update={"status": "active", "container_id": calendar_id, "recruit_watermark": watermark}
        )

    await engine.syncstate.modify(connection.key, "calendar", active)
    await engine.advance(2)
    yield Alice(engine, connection, calendar_id)


async def test_an_event_created_in_recruit_appears_in_outlook_after_one_pass(alice: Alice) -> None:
    event_id = await alice.recruit_creates_event("Screening call")
    await run_pass(alice.engine, alice.request())

    [event] = await alice.outlook_events()
    assert event["subject"] == "Screening call"
    state = await alice.state()
    assert (state.counters["graph_created"], state.lease_owner, state.delta_link != "") == (1, "", True)
    link = await alice.engine.links.by_graph(alice.connection.key, "calendar", event["id"])
    assert link is not None and (link.recruit_module, link.recruit_id) == ("Events", event_id)
    [summary] = (await alice.engine.synclog.recent(alice.connection.key)).entries
    assert (summary.type, summary.message) == ("pass", "1 change(s) applied")


async def test_an_outlook_edit_reaches_the_recruit_record(alice: Alice) -> None:
    event_id = await alice.recruit_creates_event("Screening call")
    await run_pass(alice.engine, alice.request())
    [event] = await alice.outlook_events()
    await alice.engine.advance(2)

    await alice.outlook("PATCH", f"/events/{event['id']}", {"subject": "Screening call (moved)"})
    await run_pass(alice.engine, alice.request())

    [record] = (await alice.recruit("GET", f"/Events/{event_id}"))["data"]
    assert record["Event_Title"] == "Screening call (moved)"
    assert (await alice.state()).counters["recruit_updated"] == 1


async def test_the_same_field_edited_on_both_sides_counts_as_one_conflict_the_newer_edit_kept(
    alice: Alice,
) -> None:
    event_id = await alice.recruit_creates_event("Screening call")
    await run_pass(alice.engine, alice.request())
    [event] = await alice.outlook_events()
    await alice.engine.advance(2)
    await alice.recruit("PUT", "/Events", {"data": [{"id": event_id, "Event_Title": "Recruit's title"}]})
    await alice.engine.advance(2)
    await alice.outlook("PATCH", f"/events/{event['id']}", {"subject": "Outlook's title"})

    kind = kind_for("calendar", alice.engine.settings)
    async with open_scope(alice.engine, alice.connection.key, kind, await alice.state()) as scope:
        assert scope is not None
        await reconcile_once(scope, alice.request())

    [record] = (await alice.recruit("GET", f"/Events/{event_id}"))["data"]
    assert record["Event_Title"] == "Outlook's title"
    assert (await alice.state()).counters["conflicts"] == 1
    entries = (await alice.engine.synclog.recent(alice.connection.key)).entries
    [conflict] = [entry for entry in entries if entry.type == "conflict"]
    assert conflict.message == "edited on both sides, newer edit kept: title"
