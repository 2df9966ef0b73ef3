"""Metadata routes: field metadata per module, the current user (or all users), the organisation.

`GET /users?type=AllUsers` lists the caller's organisation; any other type answers the caller alone.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from .runtime import Emulator, api_route, zoho_error
from .state import User


def settings_routes(emulator: Emulator) -> list[BaseRoute]:
    async def fields(request: Request, user: User) -> Response:
        meta = emulator.state.modules.get(request.query_params.get("module", ""))
        if meta is None:
            return zoho_error("INVALID_MODULE", "the module name given seems to be invalid", 400)
        return JSONResponse({"fields": [f.to_json() for f in meta.fields]})

    async def users(request: Request, user: User) -> Response:
        if request.query_params.get("type") in ("AllUsers", "ActiveUsers"):
            members = [u for u in emulator.state.users.values() if u.org_id == user.org_id]
        else:
            members = [user]
        return JSONResponse({"users": [u.to_json() for u in members]})

    async def org(request: Request, user: User) -> Response:
        return JSONResponse({"org": [emulator.state.orgs[user.org_id].to_json()]})

    return [
        Route("/recruit/v2/settings/fields", api_route(emulator, fields), methods=["GET"]),
        Route("/recruit/v2/users", api_route(emulator, users), methods=["GET"]),
        Route("/recruit/v2/org", api_route(emulator, org), methods=["GET"]),
    ]
