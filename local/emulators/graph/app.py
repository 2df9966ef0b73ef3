"""Assembles the Graph emulator: store, identity, `/v1.0` API, subscriptions, $batch, throttling, control API.

`create_app(seed)` returns one ASGI app that serves both the http and the https listener.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from ..kit.app import CONTROL_PREFIX, EmulatorCore, InstrumentMiddleware, _json_body, control_routes
from . import bodies
from .access import AccessControl
from .batch import Batch
from .delta import DeltaBook
from .errors import GraphError, fault_response, graph_error_handler, unmatched_handler
from .identity import Identity, user_token
from .mailbox_api import MailboxApi
from .notifier import Notifier
from .series_api import SeriesApi
from .store import Store
from .subscriptions import LIFECYCLE_EVENTS, Subscriptions
from .throttle import Throttle, ThrottleMiddleware, ThrottlePolicy
from .tokens import TokenRegistry

DEFAULT_SEED = Path(__file__).resolve().parents[2] / "seed" / "graph.json"


def load_seed(path: Path = DEFAULT_SEED) -> dict[str, Any]:
    seed: dict[str, Any] = json.loads(path.read_text())
    return seed


class GraphEmulatorApp:
    """The ASGI app plus handles on its parts, for the CLI and the test fixture."""

    def __init__(
        self, seed: dict[str, Any], max_subscription_minutes: int, http_base_url: str | None
    ) -> None:
        self.core = EmulatorCore()
        self.http_base_url = http_base_url
        self.max_subscription_minutes = max_subscription_minutes
        self.store = Store(seed, self.core.clock.now)
        self.tokens = TokenRegistry(self.core.clock.now)
        self.access = AccessControl(self.store, self.tokens)
        self.deltas = DeltaBook()
        self.notifier = Notifier()
        self.subscriptions = Subscriptions(
            self.store, self.access, self.notifier, lambda: self.max_subscription_minutes
        )
        self.throttle = Throttle(
            self.store, self.tokens, self.core.clock.now, self.core.stats.record_throttled
        )
        identity = Identity(self.store, self.tokens, self._http_base)
        api = MailboxApi(self.store, self.access, self.deltas)
        self.series = SeriesApi(self.store, self.access, self.deltas, api)
        batch = Batch(lambda: self.asgi)
        routes = [
            *control_routes(self.core, self.reset, self._control_routes()),
            *identity.routes(),
            *self.subscriptions.routes(),
            *batch.routes(),
            *self.series.routes(),  # before api's: calendarView and occurrence ids, other event ids go on
            *api.routes(),
        ]
        starlette = Starlette(
            routes=routes,
            exception_handlers={
                GraphError: graph_error_handler,
                404: unmatched_handler,
                405: unmatched_handler,
            },
        )
        instrumented = InstrumentMiddleware(starlette, self.core, fault_response)
        self.asgi = ThrottleMiddleware(instrumented, self.throttle)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.asgi(scope, receive, send)

    def _http_base(self, request: Request) -> str:
        return (self.http_base_url or str(request.base_url)).rstrip("/")

    async def reset(self) -> None:
        await self.notifier.reset()
        self.store.load()
        self.tokens.reset()
        self.deltas.reset()
        self.subscriptions.reset()
        self.throttle.reset()
        bodies.text_links["mode"] = bodies.TEXT_LINK_MODES[0]

    # --- Graph-specific control routes ---

    def _control_routes(self) -> list[Any]:
        async def token(request: Request) -> Response:
            body = await _json_body(request)
            access = user_token(self.store, self.tokens, str(body.get("user", "")))
            if access is None:
                return JSONResponse({"error": "unknown user"}, status_code=404)
            return JSONResponse({"access_token": access, "token_type": "Bearer", "expires_in": 3600})

        async def throttle(request: Request) -> Response:
            body = await _json_body(request)
            try:
                policy = ThrottlePolicy(
                    int(body["requests_per_window"]) if "requests_per_window" in body else None,
                    float(body.get("window_seconds", 600)),
                    int(body["max_concurrent"]) if "max_concurrent" in body else None,
                )
            except (TypeError, ValueError) as exc:
                return JSONResponse({"error": str(exc)}, status_code=400)
            self.throttle.configure(policy)
            return JSONResponse({"ok": True})

        async def lifecycle(request: Request) -> Response:
            body = await _json_body(request)
            event = str(body.get("event", ""))
            if event not in LIFECYCLE_EVENTS:
                return JSONResponse(
                    {"error": f"event must be one of {sorted(LIFECYCLE_EVENTS)}"}, status_code=400
                )
            sub = self.subscriptions.live(str(body.get("subscription_id", "")))
            if sub is None:
                return JSONResponse({"error": "unknown subscription"}, status_code=404)
            sent = self.subscriptions.send_lifecycle(sub, event)
            return JSONResponse({"sent": sent}, status_code=202)

        async def expire_delta(request: Request) -> Response:
            body = await _json_body(request)
            mailbox_id = None
            if body.get("user"):
                mailbox = self.store.mailbox(str(body["user"]))
                if mailbox is None:
                    return JSONResponse({"error": "unknown user"}, status_code=404)
                mailbox_id = mailbox.id
            return JSONResponse({"expired": self.deltas.expire(mailbox_id)})

        async def settings(request: Request) -> Response:
            body = await _json_body(request)
            if "max_subscription_minutes" in body:
                self.max_subscription_minutes = int(body["max_subscription_minutes"])
            if "text_links" in body:
                if body["text_links"] not in bodies.TEXT_LINK_MODES:
                    modes = list(bodies.TEXT_LINK_MODES)
                    return JSONResponse({"error": f"text_links must be one of {modes}"}, status_code=400)
                bodies.text_links["mode"] = str(body["text_links"])
            return JSONResponse(
                {
                    "max_subscription_minutes": self.max_subscription_minutes,
                    "text_links": bodies.text_links["mode"],
                }
            )

        return [
            Route(f"{CONTROL_PREFIX}/token", token, methods=["POST"]),
            Route(f"{CONTROL_PREFIX}/throttle", throttle, methods=["POST"]),
            Route(f"{CONTROL_PREFIX}/lifecycle", lifecycle, methods=["POST"]),
            Route(f"{CONTROL_PREFIX}/expire-delta", expire_delta, methods=["POST"]),
            Route(f"{CONTROL_PREFIX}/settings", settings, methods=["POST"]),
        ]


def create_app(
    seed: dict[str, Any], *, max_subscription_minutes: int = 4230, http_base_url: str | None = None
) -> GraphEmulatorApp:
    """The emulator app. `http_base_url` is the plain-http listener that discovery names for authorize."""
    return GraphEmulatorApp(seed, max_subscription_minutes, http_base_url)
