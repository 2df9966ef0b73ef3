"""Shared pieces for the Recruit emulator tests: per-user API clients and a real HTTP callback listener.

The listener is a tiny Starlette app on a free port that records every watch callback it receives.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from local.emulators.kit.serve import Listener, ServerThread, free_port
from tests.fixtures.polling import poll
from tests.fixtures.recruit_emulator import RecruitEmulator

ALICE = "alice@contoso.example"
CAROL = "carol@contoso.example"
BOB = "bob@fabrikam.example"


def create_event(client: httpx.Client, title: str, start: str, end: str, **fields: Any) -> str:
    """Creates one Event through the API and returns its id."""
    record = {"Event_Title": title, "Start_DateTime": start, "End_DateTime": end, **fields}
    response = client.post("/Events", json={"data": [record], "trigger": []})
    assert response.status_code == 201, response.text
    record_id: str = response.json()["data"][0]["details"]["id"]
    return record_id


class CallbackListener:
    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        self.failures_left = 0  # answer 500 to this many callbacks first, to exercise retries
        self.condition = threading.Condition()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/notify"
        self.server = ServerThread(
            Starlette(routes=[Route("/notify", self._receive, methods=["POST"])]), [Listener(self.port)]
        )

    async def _receive(self, request: Request) -> Response:
        body = await request.json()
        with self.condition:
            if self.failures_left > 0:
                self.failures_left -= 1
                return JSONResponse({"error": "try again"}, status_code=500)
            self.bodies.append(body)
            self.condition.notify_all()
        return JSONResponse({}, status_code=200)

    def clear(self) -> None:
        with self.condition:
            self.bodies.clear()
            self.failures_left = 0

    def wait_for(
        self, predicate: Callable[[list[dict[str, Any]]], bool], timeout: float = 10.0
    ) -> list[dict[str, Any]]:
        """Blocks until `predicate(bodies)` holds, or fails the test at the deadline."""
        return poll(self.received, predicate, "the callbacks to satisfy the condition", seconds=timeout)

    def received(self) -> list[dict[str, Any]]:
        with self.condition:
            return list(self.bodies)


@pytest.fixture(scope="session")
def callback_server() -> Iterator[CallbackListener]:
    listener = CallbackListener()
    listener.server.start()
    yield listener
    listener.server.stop()


@pytest.fixture
def callbacks(callback_server: CallbackListener) -> CallbackListener:
    callback_server.clear()
    return callback_server


@pytest.fixture
def alice(recruit: RecruitEmulator) -> Iterator[httpx.Client]:
    with recruit.client_for(ALICE) as client:
        yield client


@pytest.fixture
def carol(recruit: RecruitEmulator) -> Iterator[httpx.Client]:
    with recruit.client_for(CAROL) as client:
        yield client


@pytest.fixture
def bob(recruit: RecruitEmulator) -> Iterator[httpx.Client]:
    with recruit.client_for(BOB) as client:
        yield client
