"""Shared setup for the Graph gateway tests: settings pointing at the emulator, app-only gateways per tenant,
and a webhook listener that answers Graph's validation handshake.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from local.emulators.kit.serve import Listener, ServerThread, free_port
from sync_core.config import Settings
from sync_core.graph.auth import app_credential
from sync_core.graph.client import GraphClient
from tests.fixtures.graph_emulator import GraphEmulatorHandle

ALICE = "alice@contoso.example"
CAROL = "carol@contoso.example"
BOB = "bob@fabrikam.example"
REDIRECT_URI = "http://127.0.0.1:9/api/auth/microsoft/callback"

GraphFor = Callable[[str], Awaitable[GraphClient]]


@pytest.fixture
def settings(graph: GraphEmulatorHandle) -> Settings:
    return Settings(
        graph_api_base_url=f"{graph.base_url}/v1.0",
        microsoft_authority_host=graph.tls_base_url.removeprefix("https://"),
        microsoft_ca_file=str(graph.ca_file),
        microsoft_client_id=graph.seed["app"]["client_id"],
        microsoft_client_secret=graph.seed["app"]["client_secret"],
    )


@pytest.fixture
async def graph_for(graph: GraphEmulatorHandle, settings: Settings) -> AsyncIterator[GraphFor]:
    """An app-only gateway for the tenant of the given user (retries kept short for tests)."""
    clients: list[GraphClient] = []

    async def make(email: str) -> GraphClient:
        credential = app_credential(graph.user(email)["tenant_id"], settings)
        client = GraphClient(credential, settings, backoff_seconds=0.05)
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.close()


@pytest.fixture
async def alice_graph(graph_for: GraphFor) -> GraphClient:
    return await graph_for(ALICE)


@pytest.fixture
def alice_id(graph: GraphEmulatorHandle) -> str:
    return str(graph.user(ALICE)["id"])


def stats(graph: GraphEmulatorHandle) -> dict[str, Any]:
    return graph.control_get("stats")


class Listener_:
    """A notification URL that passes Graph's validation handshake and counts validations."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.validations = 0


@pytest.fixture(scope="session")
def webhook() -> Iterator[Listener_]:
    port = free_port()
    listener = Listener_(f"http://127.0.0.1:{port}/hook")

    async def hook(request: Request) -> Response:
        token = request.query_params.get("validationToken")
        if token is not None:
            listener.validations += 1
            return PlainTextResponse(token)
        return Response(status_code=202)

    server = ServerThread(
        Starlette(routes=[Route("/hook", hook, methods=["POST"])]), [Listener(port)]
    ).start()
    yield listener
    server.stop()


def event_body(subject: str, start: str = "2026-12-10T10:00:00") -> dict[str, Any]:
    end = start[:11] + f"{int(start[11:13]) + 1:02d}" + start[13:]
    return {
        "subject": subject,
        "start": {"dateTime": start, "timeZone": "UTC"},
        "end": {"dateTime": end, "timeZone": "UTC"},
    }
