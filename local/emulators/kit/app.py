"""The frame every emulator app shares: instrumentation middleware and the `/_emulator` control routes."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .clock import EmulatorClock
from .faults import FaultInjector
from .stats import RequestStats

CONTROL_PREFIX = "/_emulator"

# Builds the error response of the emulated API (each API has its own error JSON shape).
FaultResponder = Callable[[int, int], Response]


@dataclass
class EmulatorCore:
    """State every emulator has besides its data: clock, injected faults, request counters."""

    clock: EmulatorClock = field(default_factory=EmulatorClock)
    faults: FaultInjector = field(default_factory=FaultInjector)
    stats: RequestStats = field(default_factory=RequestStats)


class InstrumentMiddleware:
    """Counts requests by route template and injects configured faults (never on the control API)."""

    def __init__(self, app: ASGIApp, core: EmulatorCore, fault_response: FaultResponder) -> None:
        self.app = app
        self.core = core
        self.fault_response = fault_response

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(CONTROL_PREFIX):
            await self.app(scope, receive, send)
            return
        decision = self.core.faults.decide(scope["method"], scope["path"])
        if decision.release is not None:
            # The whole request is taken in first, so that once released it is applied even if its client
            # has gone meanwhile; then it is served as it is.
            receive = await received_in_full(receive)
            await self.core.faults.held_until(decision.release)
        if decision.latency_ms:
            await asyncio.sleep(decision.latency_ms / 1000)
        if decision.status is not None:
            self.core.stats.record_fault()
            response = self.fault_response(decision.status, decision.retry_after)
            if decision.status == 429:
                response.headers["Retry-After"] = str(decision.retry_after)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
        route = scope.get("route")
        template = getattr(route, "path", None) or scope["path"]
        self.core.stats.record(scope["method"], template)


async def received_in_full(receive: Receive) -> Receive:
    """Reads a request's body now; returns a `receive` that hands it on as read, then the connection's own."""
    taken: list[Message] = []
    while True:
        message = await receive()
        taken.append(message)
        if message["type"] != "http.request" or not message.get("more_body", False):
            break

    async def replay() -> Message:
        return taken.pop(0) if taken else await receive()

    return replay


async def _json_body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw:
        return {}
    body = await request.json()
    if not isinstance(body, dict):
        raise ValueError("body must be a JSON object")
    return body


def control_routes(
    core: EmulatorCore,
    reset: Callable[[], Awaitable[None] | None],
    extra: list[BaseRoute] | None = None,
) -> list[BaseRoute]:
    """The control API shared by both emulators; `extra` adds emulator-specific control routes."""

    async def do_reset(request: Request) -> Response:
        result = reset()
        if asyncio.iscoroutine(result):
            await result
        core.clock.reset()
        core.faults.set_rules([])
        core.stats.reset()
        return JSONResponse({"ok": True})

    async def set_faults(request: Request) -> Response:
        try:
            body = await _json_body(request)
            core.faults.set_rules(list(body.get("rules", [])))
        except (ValueError, TypeError) as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse({"rules": len(core.faults.rules)})

    async def get_stats(request: Request) -> Response:
        return JSONResponse({**core.stats.snapshot(), "held": core.faults.held})

    async def move_clock(request: Request) -> Response:
        try:
            body = await _json_body(request)
            seconds = float(body.get("advance_seconds", 0))
        except (ValueError, TypeError) as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        if seconds < 0:
            return JSONResponse({"error": "the clock only moves forward"}, status_code=400)
        now = core.clock.advance(seconds)
        return JSONResponse({"now": now.isoformat()})

    return [
        Route(f"{CONTROL_PREFIX}/reset", do_reset, methods=["POST"]),
        Route(f"{CONTROL_PREFIX}/faults", set_faults, methods=["POST"]),
        Route(f"{CONTROL_PREFIX}/stats", get_stats, methods=["GET"]),
        Route(f"{CONTROL_PREFIX}/clock", move_clock, methods=["POST"]),
        *(extra or []),
    ]
