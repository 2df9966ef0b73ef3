"""Recruit-specific control routes under /_emulator: tokens, import, mass update, custom fields, refusals,
rate limit, feature switches (features.py).

Also `GET /_emulator/deliveries`: every watch callback scheduled since the last reset, with its outcome.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from local.emulators.kit.app import CONTROL_PREFIX

from .fields import JSON_TYPES, FieldDef
from .runtime import ACCESS_TOKEN_SECONDS, Emulator, api_base, json_object
from .scopes import InvalidScope, parse_scopes
from .state import User
from .writes import RecordWriter

CUSTOM_TYPES = {
    "text",
    "email",
    "phone",
    "website",
    "textarea",
    "integer",
    "double",
    "boolean",
    "date",
    "datetime",
    "picklist",
}
API_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,99}$")


def _bad(message: str) -> Response:
    return JSONResponse({"error": message}, status_code=400)


def recruit_control_routes(emulator: Emulator) -> list[BaseRoute]:
    async def body_and_user(request: Request) -> tuple[dict[str, Any], User] | Response:
        body = await json_object(request)
        if body is None:
            return _bad("body must be a JSON object")
        user = emulator.state.user_by_email(str(body.get("user", "")))
        if user is None:
            return _bad("unknown user")
        return body, user

    def module_of(body: dict[str, Any]) -> str | None:
        module = body.get("module")
        return module if module in emulator.state.modules else None

    async def token(request: Request) -> Response:
        parsed = await body_and_user(request)
        if isinstance(parsed, Response):
            return parsed
        body, user = parsed
        # Acting as the user: every scope, unless the test asks for a narrower grant.
        scopes = None
        if "scopes" in body:
            try:
                scopes = parse_scopes(str(body["scopes"]))
            except InvalidScope as invalid:
                return _bad(f"invalid scope {invalid}")
        expires = emulator.now() + timedelta(seconds=ACCESS_TOKEN_SECONDS)
        access_token = emulator.state.issue_access_token(user.id, expires, scopes=scopes)
        return JSONResponse(
            {"access_token": access_token, "expires_in": ACCESS_TOKEN_SECONDS, "user_id": user.id}
        )

    async def import_records(request: Request) -> Response:
        parsed = await body_and_user(request)
        if isinstance(parsed, Response):
            return parsed
        body, user = parsed
        module, records = module_of(body), body.get("records")
        if module is None or not isinstance(records, list):
            return _bad("module and records are required")
        # An import stamps every record with one second and tells no watch channel.
        results, change = RecordWriter(emulator.state, module, user, emulator.now()).insert(records)
        return JSONResponse({"ids": change.ids, "data": results})

    async def mass_update(request: Request) -> Response:
        parsed = await body_and_user(request)
        if isinstance(parsed, Response):
            return parsed
        body, user = parsed
        module, ids, fields = module_of(body), body.get("ids"), body.get("fields")
        if module is None or not isinstance(ids, list) or not isinstance(fields, dict):
            return _bad("module, ids and fields are required")
        payloads = [{**fields, "id": str(record_id)} for record_id in ids]
        results, change = RecordWriter(emulator.state, module, user, emulator.now()).update(payloads)
        emulator.notifier.publish(change, api_base(request), emulator.now())
        return JSONResponse({"data": results})

    async def add_field(request: Request) -> Response:
        body = await json_object(request)
        meta = emulator.state.modules.get(str((body or {}).get("module")))
        if body is None or meta is None:
            return _bad("a known module is required")
        api_name, data_type = str(body.get("api_name", "")), str(body.get("type", "text"))
        if not API_NAME.match(api_name) or api_name in meta.by_name():
            return _bad("api_name must be a new identifier")
        if data_type not in CUSTOM_TYPES or data_type not in JSON_TYPES:
            return _bad(f"type must be one of {sorted(CUSTOM_TYPES)}")
        picklist = tuple(str(v) for v in body.get("pick_list_values", []))
        default_length = 255 if JSON_TYPES[data_type] == "string" and data_type != "textarea" else 0
        field_def = FieldDef(
            api_name,
            str(body.get("label") or api_name),
            data_type,
            int(body.get("length", default_length)),
            custom=True,
            picklist=picklist,
            field_id=str(4612330009000000 + len(meta.fields)),
        )
        meta.fields.insert(len(meta.fields) - 4, field_def)  # before the four system fields
        return JSONResponse({"field": field_def.to_json()}, status_code=201)

    async def refusals(request: Request) -> Response:
        """`{"module", "rules": [{"api_name", "contains"}]}`: that module's writes whose field holds the text
        are refused with INVALID_DATA until the rules change (`"rules": []` clears). No source: a stand-in for
        whatever Recruit keeps refusing (e.g. an admin's validation rule), so a permanently failing item can
        be tested."""
        body = await json_object(request)
        meta = emulator.state.modules.get(str((body or {}).get("module")))
        rules = (body or {}).get("rules")
        if body is None or meta is None or not isinstance(rules, list):
            return _bad("a known module and a list of rules are required")
        fields = meta.by_name()
        parsed: list[tuple[str, str]] = []
        for rule in rules:
            api_name = str(rule.get("api_name", "")) if isinstance(rule, dict) else ""
            contains = rule.get("contains") if isinstance(rule, dict) else None
            if api_name not in fields or not isinstance(contains, str) or not contains:
                return _bad(
                    "each rule needs a field of the module (api_name) and a non-empty text (contains)"
                )
            parsed.append((api_name, contains))
        meta.refusals = parsed
        return JSONResponse(
            {"module": meta.name, "rules": [{"api_name": n, "contains": t} for n, t in parsed]}
        )

    async def ratelimit(request: Request) -> Response:
        body = await json_object(request)
        if body is None:
            return _bad("body must be a JSON object")
        per_minute = body.get("per_minute")
        if per_minute is not None and (not isinstance(per_minute, int) or per_minute < 1):
            return _bad("per_minute must be a positive integer")
        emulator.limiter.configure(per_minute)
        return JSONResponse({"per_minute": per_minute})

    async def features(request: Request) -> Response:
        body = await json_object(request)
        if body is None:
            return _bad("body must be a JSON object")
        try:
            emulator.features.update(body)
        except ValueError as error:
            return _bad(str(error))
        return JSONResponse(emulator.features.to_json())

    async def deliveries(request: Request) -> Response:
        return JSONResponse({"deliveries": emulator.notifier.log})

    return [
        Route(f"{CONTROL_PREFIX}/token", token, methods=["POST"]),
        Route(f"{CONTROL_PREFIX}/import", import_records, methods=["POST"]),
        Route(f"{CONTROL_PREFIX}/mass-update", mass_update, methods=["POST"]),
        Route(f"{CONTROL_PREFIX}/fields", add_field, methods=["POST"]),
        Route(f"{CONTROL_PREFIX}/refusals", refusals, methods=["POST"]),
        Route(f"{CONTROL_PREFIX}/ratelimit", ratelimit, methods=["POST"]),
        Route(f"{CONTROL_PREFIX}/features", features, methods=["POST"]),
        Route(f"{CONTROL_PREFIX}/deliveries", deliveries, methods=["GET"]),
    ]
