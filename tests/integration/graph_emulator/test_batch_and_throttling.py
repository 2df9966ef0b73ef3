"""JSON $batch (limits, dependsOn, per-item answers and stats) and per-mailbox throttling (budget and
concurrency), for direct and batched requests.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx

from tests.fixtures.graph_emulator import GraphEmulatorHandle

from .conftest import ALICE, CAROL, event_body

Clients = Callable[[str], httpx.AsyncClient]


async def test_batch_answers_each_item_and_fails_dependants_of_a_failed_item(
    graph: GraphEmulatorHandle, client_for: Clients
) -> None:
    alice = client_for(ALICE)
    requests = [
        {"id": "1", "method": "POST", "url": "/me/events", "body": event_body(),
         "headers": {"Content-Type": "application/json"}},
        {"id": "2", "method": "GET", "url": "/me/events/nope"},
        {"id": "3", "method": "GET", "url": "/me/calendar", "dependsOn": ["2"]},
        {"id": "4", "method": "GET", "url": "me/calendar", "dependsOn": ["1"]},
    ]  # fmt: skip
    answer = await alice.post("/$batch", json={"requests": requests})
    by_id = {r["id"]: r for r in answer.json()["responses"]}
    assert [by_id[i]["status"] for i in "1234"] == [201, 404, 424, 200]
    assert by_id["1"]["body"]["subject"] == "Interview"
    assert by_id["2"]["body"]["error"]["code"] == "ErrorItemNotFound"
    stats = graph.control_get("stats")["requests"]
    assert stats["POST /v1.0/$batch"] == 1
    assert stats["POST /v1.0/me/events"] == 1 and stats["GET /v1.0/me/calendar"] == 1


async def test_batch_of_more_than_20_requests_is_400(client_for: Clients) -> None:
    requests = [{"id": str(n), "method": "GET", "url": "/me/calendar"} for n in range(21)]
    answer = await client_for(ALICE).post("/$batch", json={"requests": requests})
    assert answer.status_code == 400


async def test_request_budget_spent_gives_429_with_retry_after_per_mailbox(
    graph: GraphEmulatorHandle, client_for: Clients
) -> None:
    alice, carol = client_for(ALICE), client_for(CAROL)
    graph.control("throttle", {"requests_per_window": 2, "window_seconds": 60})
    assert [(await alice.get("/me/calendar")).status_code for _ in range(2)] == [200, 200]
    refused = await alice.get("/me/calendar")
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "ApplicationThrottled"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert (await carol.get("/me/calendar")).status_code == 200
    assert graph.control_get("stats")["throttled"] == 1
    graph.control("clock", {"advance_seconds": 61})
    assert (await client_for(ALICE).get("/me/calendar")).status_code == 200


async def test_throttled_batch_items_get_their_own_429(
    graph: GraphEmulatorHandle, client_for: Clients
) -> None:
    graph.control("throttle", {"requests_per_window": 1, "window_seconds": 60})
    requests = [{"id": str(n), "method": "GET", "url": "/me/calendar"} for n in range(2)]
    answer = await client_for(ALICE).post("/$batch", json={"requests": requests})
    statuses = [r["status"] for r in answer.json()["responses"]]
    assert answer.status_code == 200 and statuses == [200, 429]
    assert "Retry-After" in answer.json()["responses"][1]["headers"]


async def test_requests_beyond_the_concurrency_limit_are_refused(
    graph: GraphEmulatorHandle, client_for: Clients
) -> None:
    alice = client_for(ALICE)
    graph.control("throttle", {"max_concurrent": 2})
    graph.control("faults", {"rules": [{"prefix": "/v1.0/", "rate": 0, "latency_ms": 400}]})
    answers = await asyncio.gather(*(alice.get("/me/calendar") for _ in range(3)))
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200, 200, 429]
    refused = next(a for a in answers if a.status_code == 429)
    assert refused.json()["error"]["code"] == "MailboxConcurrency" and refused.headers["Retry-After"]


async def test_empty_throttle_settings_turn_throttling_off(
    graph: GraphEmulatorHandle, client_for: Clients
) -> None:
    alice = client_for(ALICE)
    graph.control("throttle", {"requests_per_window": 1})
    graph.control("throttle", {})
    assert {(await alice.get("/me/calendar")).status_code for _ in range(3)} == {200}
