"""`$batch`: chunks of 20 in input order, per-item throttling retried, and the per-mailbox concurrency cap."""

from __future__ import annotations

import asyncio

import pytest

from sync_core.graph import containers, items
from sync_core.graph.batch import BatchRequest, run_batch
from sync_core.graph.client import GraphClient
from tests.fixtures.graph_emulator import GraphEmulatorHandle

from .conftest import event_body, stats


@pytest.fixture
async def calendar_id(alice_graph: GraphClient, alice_id: str) -> str:
    return await containers.find_or_create_calendar(alice_graph, alice_id, "Zoho Recruit")


def _creates(graph: GraphClient, alice_id: str, calendar_id: str, count: int) -> list[BatchRequest]:
    return [
        BatchRequest(
            "POST",
            f"/users/{alice_id}/calendars/{calendar_id}/events",
            body=items.create_body(graph, "event", event_body(f"Event {n}"), f"Events:{n}", f"tx-{n}"),
        )
        for n in range(count)
    ]


async def test_45_creates_go_in_three_batches_with_results_in_input_order(
    graph: GraphEmulatorHandle, alice_graph: GraphClient, alice_id: str, calendar_id: str
) -> None:
    results = await run_batch(alice_graph, alice_id, _creates(alice_graph, alice_id, calendar_id, 45))
    assert [r.status for r in results] == [201] * 45
    assert [r.body["subject"] for r in results] == [f"Event {n}" for n in range(45)]
    assert stats(graph)["requests"]["POST /v1.0/$batch"] == 3


async def test_throttled_batch_items_are_retried_after_retry_after(
    graph: GraphEmulatorHandle, alice_graph: GraphClient, alice_id: str, calendar_id: str
) -> None:
    graph.control("throttle", {"requests_per_window": 8, "window_seconds": 1})
    results = await run_batch(alice_graph, alice_id, _creates(alice_graph, alice_id, calendar_id, 12))
    assert [r.status for r in results] == [201] * 12
    assert [r.body["subject"] for r in results] == [f"Event {n}" for n in range(12)]
    assert stats(graph)["throttled"] > 0  # the emulator did refuse some items; the caller never saw it


async def test_failed_dependency_is_reported_per_item(
    alice_graph: GraphClient, alice_id: str, calendar_id: str
) -> None:
    requests = [
        BatchRequest("GET", f"/users/{alice_id}/events/does-not-exist", id="missing"),
        BatchRequest(
            "GET", f"/users/{alice_id}/calendars/{calendar_id}", id="after", depends_on=("missing",)
        ),
    ]
    results = await run_batch(alice_graph, alice_id, requests, max_item_attempts=2)
    assert [r.status for r in results] == [404, 424]


async def test_never_more_than_four_requests_in_flight_per_mailbox(
    graph: GraphEmulatorHandle, alice_graph: GraphClient, alice_id: str, calendar_id: str
) -> None:
    # Slow every request down so that 20 concurrent calls would overlap far beyond the mailbox limit.
    graph.control("faults", {"rules": [{"prefix": "/v1.0/users/", "rate": 0, "latency_ms": 100}]})
    graph.control("throttle", {"max_concurrent": 4})
    path = f"/users/{alice_id}/calendars/{calendar_id}"
    answers = await asyncio.gather(*(alice_graph.send("GET", path, mailbox=alice_id) for _ in range(20)))
    assert [a.status for a in answers] == [200] * 20
    assert stats(graph)["throttled"] == 0
