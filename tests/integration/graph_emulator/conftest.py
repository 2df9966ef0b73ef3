"""Shared pieces for the Graph emulator tests: an httpx client per user (the webhook receiver lives in
tests/fixtures/webhook_receiver.py, shared with the conformance suite).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.webhook_receiver import Receiver as Receiver  # re-exported: tests import it from here

ALICE = "alice@contoso.example"
CAROL = "carol@contoso.example"
BOB = "bob@fabrikam.example"
TAG_ID = "String {66f5a359-4659-4830-9070-00047ec6ac6e} Name ZohoRecruitId"


@pytest.fixture
async def client_for(graph: GraphEmulatorHandle) -> AsyncIterator[Callable[[str], httpx.AsyncClient]]:
    """An httpx client that calls /v1.0 as the given user (delegated token from the control API)."""
    clients: list[httpx.AsyncClient] = []

    def make(email: str) -> httpx.AsyncClient:
        token = graph.token_for(email)
        client = httpx.AsyncClient(
            base_url=f"{graph.base_url}/v1.0", headers={"Authorization": f"Bearer {token}"}, trust_env=False
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.aclose()


def event_body(
    subject: str = "Interview", start: str = "2026-12-10T10:00:00", **extra: Any
) -> dict[str, Any]:
    end = start[:11] + f"{int(start[11:13]) + 1:02d}" + start[13:]
    return {
        "subject": subject,
        "start": {"dateTime": start, "timeZone": "UTC"},
        "end": {"dateTime": end, "timeZone": "UTC"},
        **extra,
    }
