"""The host's admin API in front of the HTTP functions, as the Functions host serves it (no route prefix).

- `POST /admin/functions/{name}` with `{"input": ...}` runs a non-HTTP function now, as `func start` does
  ("Manually run a non HTTP-triggered function"): the name matches case-insensitively, the answer is 202 at
  once and the run goes on in the background through the function's usual invoker (one log line, marked as
  called via the admin API). A timer function gets a TimerRequest that is not past due; a queue function gets
  the input as the message body. Unknown name (or an HTTP function: call its route) → 404; no JSON object
  body → 400. Auth levels are not enforced, as with Core Tools locally.
- `POST /admin/clock` with `{"advance_seconds": N}` (only with `DEVHOST_CLOCK_CONTROL=1`, test-only, see
  clock_control.py) moves the whole process's clock forward and answers `{"now", "offset_seconds"}`;
  `GET /admin/clock` answers the same without moving it.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from local.devhost.clock_control import ClockControl
from local.devhost.invoke import log

ADMIN_PREFIX = "/admin/"
FUNCTIONS_PREFIX = "/admin/functions/"
MANUAL_REASON = "called via the admin API"

# Runs a non-HTTP function once with the admin request's "input".
ManualRun = Callable[[Any], Awaitable[None]]


class AdminHost:
    """ASGI app: `/admin/...` here, everything else to the HTTP functions' app."""

    def __init__(self, functions: ASGIApp, runs: dict[str, ManualRun], clock: ClockControl | None) -> None:
        self.functions = functions
        self.runs = {name.lower(): run for name, run in runs.items()}
        self.clock = clock
        self._running: set[asyncio.Task[None]] = set()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope["path"]).startswith(ADMIN_PREFIX):
            await self.functions(scope, receive, send)
            return
        request = Request(scope, receive)
        status, answer = await self._respond(request)
        body = b"" if answer is None else json.dumps(answer).encode()
        headers = [(b"content-length", str(len(body)).encode())]
        if answer is not None:
            headers.append((b"content-type", b"application/json"))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _respond(self, request: Request) -> tuple[int, dict[str, Any] | None]:
        path: str = request.scope["path"]
        if path.startswith(FUNCTIONS_PREFIX) and request.method == "POST":
            return await self._invoke(path[len(FUNCTIONS_PREFIX) :], request)
        if path == "/admin/clock" and self.clock is not None:
            if request.method == "POST":
                return await self._move_clock(request)
            if request.method == "GET":
                return 200, self._clock_answer()
        return 404, None

    async def _invoke(self, name: str, request: Request) -> tuple[int, dict[str, Any] | None]:
        run = self.runs.get(name.lower()) if "/" not in name else None
        body = await _json_object(request)
        if body is None:
            return 400, None
        if run is None:
            return 404, None
        # Fire and forget, as the host does; the invoker logs the outcome (and any traceback).
        task = asyncio.create_task(_quietly(run(body.get("input"))))
        self._running.add(task)
        task.add_done_callback(self._running.discard)
        return 202, None

    async def _move_clock(self, request: Request) -> tuple[int, dict[str, Any] | None]:
        assert self.clock is not None
        body = await _json_object(request)
        try:
            seconds = float((body or {})["advance_seconds"])
            now = self.clock.advance(seconds)
        except (KeyError, TypeError, ValueError) as error:
            return 400, {"error": str(error)}
        log.info("clock moved forward %.0f s to %s", seconds, now.isoformat())
        return 200, self._clock_answer()

    def _clock_answer(self) -> dict[str, Any]:
        assert self.clock is not None
        return {
            "now": datetime.now(UTC).isoformat(),
            "offset_seconds": self.clock.offset.total_seconds(),
        }

    async def drain(self) -> None:
        """Cancels manual runs still going at shutdown (the invoker logs them as abandoned)."""
        for task in self._running:
            task.cancel()
        await asyncio.gather(*self._running, return_exceptions=True)


async def _json_object(request: Request) -> dict[str, Any] | None:
    try:
        body = json.loads(await request.body())
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


async def _quietly(run: Awaitable[None]) -> None:
    try:
        await run
    except Exception:  # already logged with its traceback by the invoker
        return
