"""Assembles the Recruit emulator's Starlette app: accounts server, API, control routes, instrumentation.

`create_app(seed)` is what tests and `python -m local.emulators.recruit` serve.
"""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware

from local.emulators.kit.app import InstrumentMiddleware, control_routes

from .control import recruit_control_routes
from .datacentres import DataCentrePlay
from .oauth import oauth_routes
from .ratelimit import RateLimitHeaderFilter
from .records_api import records_routes
from .runtime import Emulator, fault_response
from .settings_api import settings_routes
from .watch_api import watch_routes


def create_app(seed: dict[str, Any], data_centres: dict[str, str] | None = None) -> Starlette:
    """`data_centres` maps locations this emulator plays strictly to their base URL (datacentres.py)."""
    emulator = Emulator(seed, data_centres=DataCentrePlay(dict(data_centres or {})))
    routes = [
        *control_routes(emulator.core, emulator.reset, recruit_control_routes(emulator)),
        *oauth_routes(emulator),
        # Fixed paths first: /{module}/{record_id} would otherwise catch them.
        *settings_routes(emulator),
        *watch_routes(emulator),
        *records_routes(emulator),
    ]
    middleware = [
        Middleware(RateLimitHeaderFilter, headers_on=lambda: emulator.features.ratelimit_headers),
        Middleware(InstrumentMiddleware, core=emulator.core, fault_response=fault_response),
    ]
    app = Starlette(routes=routes, middleware=middleware)
    app.state.emulator = emulator
    return app
