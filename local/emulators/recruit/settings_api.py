"""Metadata routes: modules and field metadata, the current user (or all users), the organisation.

`GET /users?type=AllUsers` lists the caller's organisation; any other type answers the caller alone.
`GET /settings/modules` follows Recruit's guide page apiv2/module-meta.html as public Recruit integrations
read it (schmorrison/Zoho `recruit/metadata.go`, `AllMetadataResponse`: `modules[]` with `api_name`,
`module_name`, `singular_label`, `plural_label`, `id`, `api_supported`,
`creatable`/`editable`/`deletable`/`viewable`, `generated_type`, `modified_time`);
`/settings/modules/{module}` answers one of them.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from . import scopes
from .fields import ModuleMeta
from .runtime import Emulator, api_route, zoho_error
from .state import User

_SINGULAR_LABELS = {
    "Events": "Event",
    "Interviews": "Interview",
    "Contacts": "Contact",
    "Clients": "Client",
    "Candidates": "Candidate",
    "Job_Openings": "Job Opening",
}


def _module_json(meta: ModuleMeta, position: int) -> dict[str, object]:
    plural = meta.name.replace("_", " ")
    return {
        "id": str(4612330000000100 + position),
        "api_name": meta.name,
        "module_name": meta.name,
        "singular_label": _SINGULAR_LABELS.get(meta.name, plural),
        "plural_label": plural,
        "api_supported": True,
        "creatable": True,
        "editable": True,
        "deletable": True,
        "viewable": True,
        "generated_type": "default",
        "modified_time": None,
        "modified_by": None,
    }


def settings_routes(emulator: Emulator) -> list[BaseRoute]:
    async def fields(request: Request, user: User) -> Response:
        meta = emulator.state.modules.get(request.query_params.get("module", ""))
        if meta is None:
            return zoho_error("INVALID_MODULE", "the module name given seems to be invalid", 400)
        return JSONResponse({"fields": [f.to_json() for f in meta.fields]})

    async def modules(request: Request, user: User) -> Response:
        listed = [_module_json(meta, n) for n, meta in enumerate(emulator.state.modules.values(), 1)]
        wanted = request.path_params.get("module")
        if wanted is not None:
            listed = [m for m in listed if m["api_name"] == wanted]
            if not listed:
                return zoho_error("INVALID_MODULE", "the module name given seems to be invalid", 400)
        return JSONResponse({"modules": listed})

    async def users(request: Request, user: User) -> Response:
        if request.query_params.get("type") in ("AllUsers", "ActiveUsers"):
            members = [u for u in emulator.state.users.values() if u.org_id == user.org_id]
        else:
            members = [user]
        return JSONResponse({"users": [u.to_json() for u in members]})

    async def org(request: Request, user: User) -> Response:
        return JSONResponse({"org": [emulator.state.orgs[user.org_id].to_json()]})

    return [
        Route(
            "/recruit/v2/settings/fields",
            api_route(emulator, fields, scopes.for_settings("fields")),
            methods=["GET"],
        ),
        Route(
            "/recruit/v2/settings/modules",
            api_route(emulator, modules, scopes.for_settings("modules")),
            methods=["GET"],
        ),
        Route(
            "/recruit/v2/settings/modules/{module}",
            api_route(emulator, modules, scopes.for_settings("modules")),
            methods=["GET"],
        ),
        Route("/recruit/v2/users", api_route(emulator, users, scopes.for_users()), methods=["GET"]),
        Route("/recruit/v2/org", api_route(emulator, org, scopes.for_org()), methods=["GET"]),
    ]
