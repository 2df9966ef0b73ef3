"""Pacing under a binding per-mailbox budget: after a 429, every request for the mailbox waits out its
`Retry-After` instead of being sent into the same exhausted window (concepts/throttling-limits.md).
"""

from __future__ import annotations

import asyncio

from sync_core.graph.client import GraphClient
from tests.fixtures.graph_emulator import GraphEmulatorHandle

from .conftest import stats

BUDGET = 4  # requests per window
WINDOW_SECONDS = 2
REQUESTS = 16  # four windows' worth


async def test_requests_beyond_the_budget_wait_for_the_next_window_instead_of_hammering(
    graph: GraphEmulatorHandle, alice_graph: GraphClient, alice_id: str
) -> None:
    graph.control("throttle", {"requests_per_window": BUDGET, "window_seconds": WINDOW_SECONDS})
    answers = await asyncio.gather(
        *(
            alice_graph.request("GET", f"/users/{alice_id}/calendars", mailbox=alice_id)
            for _ in range(REQUESTS)
        )
    )
    assert all(answer.ok for answer in answers)
    # Each window boundary may cost at most the requests already in flight when the first 429 came back
    # (the mailbox's 4 slots). Retrying each request on its own schedule, the 12 requests left over after
    # the first window would each be refused there, and again in every window they lose to the others.
    boundaries = REQUESTS // BUDGET - 1
    assert stats(graph)["throttled"] <= boundaries * alice_graph.settings.graph_max_concurrency
