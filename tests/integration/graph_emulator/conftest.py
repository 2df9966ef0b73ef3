"""Shared pieces for the Graph emulator tests: an httpx client per user, and a webhook receiver that
answers the validation handshake (or not) and records notifications.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from local.emulators.kit.serve import Listener, ServerThread, free_port
from tests.fixtures.graph_emulator import GraphEmulatorHandle
from tests.fixtures.polling import poll_async

ALICE = "alice@contoso.example"
CAROL = "carol@contoso.example"
BOB = "bob@fabrikam.example"
TAG_ID = "String {66f5a359-4659-4830-9070-00047ec6ac6e} Name ZohoRecruitId"


@dataclass
class Receiver:
    """A webhook endpoint; `mode` "wrong" answers the handshake wrongly, `failures_left` answers 500s."""

    url: str
    mode: str = "echo"
    notifications: list[dict[str, Any]] = field(default_factory=list)
    posts: int = 0
    failures_left: int = 0

    def clear(self) -> None:
        self.mode, self.notifications, self.posts, self.failures_left = "echo", [], 0, 0

    async def wait_for(self, predicate: Callable[[list[dict[str, Any]]], bool]) -> None:
        await poll_async(lambda: list(self.notifications), predicate, "the notifications to match")


def _receiver_app(receiver: Receiver) -> Starlette:
    async def hook(request: Request) -> Response:
        token = request.query_params.get("validationToken")
        if token is not None:
            return PlainTextResponse(token if receiver.mode != "wrong" else token[::-1])
        receiver.posts += 1
        if receiver.failures_left > 0:
            receiver.failures_left -= 1
            return Response(status_code=500)
        receiver.notifications.extend((await request.json())["value"])
        return Response(status_code=202)

    return Starlette(routes=[Route("/hook", hook, methods=["POST"])])


@pytest.fixture(scope="session")
def receiver_server() -> Iterator[Receiver]:
    port = free_port()
    receiver = Receiver(f"http://127.0.0.1:{port}/hook")
    server = ServerThread(_receiver_app(receiver), [Listener(port)]).start()
    yield receiver
    server.stop()


@pytest.fixture
def receiver(receiver_server: Receiver) -> Receiver:
    receiver_server.clear()
    return receiver_server


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
