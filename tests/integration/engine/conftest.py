"""Engine tests: an EngineContext per test (own tables and queues) on the session's Azurite and emulators,
Alice connected by SSO, passes driven by calling the engine directly (no queue consumer runs).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from sync_core.engine.context import EngineContext
from tests.fixtures.engine_harness import EngineHarness
from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.recruit_emulator import RecruitEmulator
from tests.integration.webhooks.conftest import (  # noqa: F401 - fixtures shared with the webhook tests
    ALICE,
    EmulatorClock,
    clock,
    connect,
    ctx,
    settings,
    webhook_host,
)


class Synced(EngineHarness):
    """A connected user with calendar sync running, and handles to act as them in Outlook and Recruit."""

    kind = "calendar"

    def tick(self, seconds: float = 2.0) -> None:
        """Moves both emulators' clocks on, so the next edit is stamped after the version the last sync read
        (an edit within the same second is tried on its own, in test_two_way.py)."""
        emulator_clock = self.ctx.clock
        assert isinstance(emulator_clock, EmulatorClock)
        emulator_clock.advance(timedelta(seconds=seconds))

    # --- acting as the user in Outlook ---

    async def calendar_events(self) -> list[dict[str, Any]]:
        state = await self.state()
        with self.outlook() as outlook:
            response = outlook.get(f"/calendars/{state.container_id}/events", params={"$top": "500"})
        response.raise_for_status()
        return list(response.json()["value"])

    async def outlook_create(self, body: dict[str, Any], calendar_id: str | None = None) -> str:
        calendar = calendar_id or (await self.state()).container_id
        with self.outlook() as outlook:
            response = outlook.post(f"/calendars/{calendar}/events", json=body)
        response.raise_for_status()
        return str(response.json()["id"])

    def outlook_update(self, event_id: str, patch: dict[str, Any]) -> None:
        with self.outlook() as outlook:
            outlook.patch(f"/events/{event_id}", json=patch).raise_for_status()

    def outlook_delete(self, event_id: str) -> None:
        with self.outlook() as outlook:
            outlook.delete(f"/events/{event_id}").raise_for_status()

    async def outlook_event(self, subject: str) -> dict[str, Any]:
        [event] = [e for e in await self.calendar_events() if e["subject"] == subject]
        return event

    async def outlook_subjects(self) -> list[str]:
        return sorted(str(event["subject"]) for event in await self.calendar_events())

    # --- acting as the user in Recruit ---

    def in_recruit(self) -> httpx.Client:
        return self.recruit.client_for(self.connection.email)

    def recruit_records(self, module: str) -> list[dict[str, Any]]:
        records: list[dict[str, Any]] = []
        with self.in_recruit() as recruit:
            page = 1
            while True:
                response = recruit.get(f"/{module}", params={"page": page, "per_page": 200})
                if response.status_code == 204:
                    return records
                response.raise_for_status()
                records += response.json()["data"]
                if not response.json()["info"]["more_records"]:
                    return records
                page += 1

    def recruit_create(self, module: str, fields: dict[str, Any]) -> str:
        with self.in_recruit() as recruit:
            response = recruit.post(f"/{module}", json={"data": [fields]})
        response.raise_for_status()
        [result] = response.json()["data"]
        assert result["code"] == "SUCCESS", result
        return str(result["details"]["id"])

    def recruit_update(self, module: str, record_id: str, fields: dict[str, Any]) -> None:
        with self.in_recruit() as recruit:
            response = recruit.put(f"/{module}", json={"data": [{"id": record_id, **fields}]})
        response.raise_for_status()
        assert response.json()["data"][0]["code"] == "SUCCESS", response.json()

    def recruit_delete(self, module: str, record_id: str) -> None:
        with self.in_recruit() as recruit:
            response = recruit.delete(f"/{module}", params={"ids": record_id})
        response.raise_for_status()

    def recruit_record(self, module: str, record_id: str) -> dict[str, Any] | None:
        with self.in_recruit() as recruit:
            response = recruit.get(f"/{module}/{record_id}")
        if response.status_code in (204, 404) or "data" not in response.json():
            return None
        return dict(response.json()["data"][0])

    def owned_titles(self, module: str = "Events", field: str = "Event_Title") -> list[str]:
        owner_id = self.connection.user_id
        return sorted(
            str(record[field]) for record in self.recruit_records(module) if _owner_id(record) == owner_id
        )


def _owner_id(record: dict[str, Any]) -> str:
    for name in ("Owner", "Interview_Owner", "Event_Owner"):
        owner = record.get(name)
        if isinstance(owner, dict) and owner.get("id"):
            return str(owner["id"])
    return ""


@pytest.fixture
async def alice(ctx: EngineContext, graph: GraphEmulatorHandle, recruit: RecruitEmulator) -> Synced:  # noqa: F811
    """Alice connected (SSO), calendar sync not yet enabled."""
    connection = await connect(ctx, graph, recruit, ALICE)
    return Synced(ctx, connection, graph, recruit)


@pytest.fixture
async def synced(alice: Synced) -> Synced:
    """Alice with calendar sync enabled and the initial sync done."""
    await alice.enable()
    return alice


def recruit_time(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def event_fields(title: str, days_ahead: int = 3, hour: int = 10) -> dict[str, Any]:
    start = (datetime.now(UTC) + timedelta(days=days_ahead)).replace(hour=hour, minute=0, second=0)
    return {
        "Event_Title": title,
        "Start_DateTime": recruit_time(start),
        "End_DateTime": recruit_time(start + timedelta(hours=1)),
    }


def graph_event(subject: str, days_ahead: int = 3, hour: int = 10) -> dict[str, Any]:
    start = (datetime.now(UTC) + timedelta(days=days_ahead)).replace(hour=hour, minute=0, second=0)
    end = start + timedelta(hours=1)
    return {
        "subject": subject,
        "start": {"dateTime": start.strftime("%Y-%m-%dT%H:%M:%S"), "timeZone": "UTC"},
        "end": {"dateTime": end.strftime("%Y-%m-%dT%H:%M:%S"), "timeZone": "UTC"},
    }


def imported_events(count: int, title: str = "Imported {n}") -> list[dict[str, Any]]:
    return [event_fields(title.format(n=n), days_ahead=10 + n) for n in range(count)]


def recruit_stats(recruit: RecruitEmulator) -> dict[str, int]:
    response = recruit.http.get(f"{recruit.base_url}/_emulator/stats")
    response.raise_for_status()
    return dict(response.json()["requests"])


def writes(stats_before: dict[str, int], stats_after: dict[str, int], method: str, part: str) -> int:
    """How many `method` requests on paths containing `part` happened between two stats readings."""
    return sum(
        count - stats_before.get(route, 0)
        for route, count in stats_after.items()
        if route.startswith(f"{method} ") and part in route and "$batch" not in route
    )
