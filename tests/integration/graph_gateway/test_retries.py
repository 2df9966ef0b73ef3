"""Whole-request retries: transient failures are absorbed, persistent ones surface as specific errors after a
bounded number of attempts.
"""

from __future__ import annotations

import pytest

from sync_core.graph.client import GraphClient
from sync_core.graph.errors import AuthRequired, GraphError, Throttled
from tests.fixtures.graph_emulator import GraphEmulatorHandle

from .conftest import stats


def _fail_every_request(graph: GraphEmulatorHandle, status: int) -> None:
    graph.control(
        "faults", {"rules": [{"prefix": "/v1.0/users/", "rate": 1.0, "statuses": [status], "retry_after": 0}]}
    )


async def test_a_server_error_that_persists_is_raised_after_bounded_attempts(
    graph: GraphEmulatorHandle, alice_graph: GraphClient, alice_id: str
) -> None:
    _fail_every_request(graph, 503)
    with pytest.raises(GraphError) as raised:
        await alice_graph.request("GET", f"/users/{alice_id}/calendars", mailbox=alice_id)
    assert raised.value.status == 503
    assert stats(graph)["faults"] == alice_graph.max_attempts


async def test_throttling_that_persists_raises_throttled(
    graph: GraphEmulatorHandle, alice_graph: GraphClient, alice_id: str
) -> None:
    _fail_every_request(graph, 429)
    with pytest.raises(Throttled):
        await alice_graph.request("GET", f"/users/{alice_id}/calendars", mailbox=alice_id)
    assert stats(graph)["faults"] == alice_graph.max_attempts


async def test_a_client_error_is_not_retried(
    graph: GraphEmulatorHandle, alice_graph: GraphClient, alice_id: str
) -> None:
    _fail_every_request(graph, 400)
    with pytest.raises(GraphError) as raised:
        await alice_graph.request("GET", f"/users/{alice_id}/calendars", mailbox=alice_id)
    assert raised.value.status == 400
    assert stats(graph)["faults"] == 1


async def test_a_token_refused_again_with_a_fresh_one_means_signing_in_again(
    graph: GraphEmulatorHandle, alice_graph: GraphClient, alice_id: str
) -> None:
    _fail_every_request(graph, 401)
    with pytest.raises(AuthRequired):
        await alice_graph.request("GET", f"/users/{alice_id}/calendars", mailbox=alice_id)
    assert stats(graph)["faults"] == 2  # the refused token, then one fresh one
