"""A user's /v1.0 client on the session's Graph emulator (reset per test), for the docs-driven tests."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.fixtures.graph_emulator import GraphEmulatorHandle

ALICE = "alice@contoso.example"


@pytest.fixture
def alice_api(graph: GraphEmulatorHandle) -> Iterator[httpx.Client]:
    token = graph.token_for(ALICE)
    with httpx.Client(
        base_url=f"{graph.base_url}/v1.0", headers={"Authorization": f"Bearer {token}"}, trust_env=False
    ) as client:
        yield client
