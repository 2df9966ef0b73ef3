"""Records routes under /recruit/v2/{Module}: list, get, insert, update, delete, deleted list, search.

Statuses: list/search/deleted answer 204 when empty and 304 when `If-Modified-Since` leaves nothing; an
unknown record id on GET answers 204, one that is not a number 404 `INVALID_URL_PATTERN` (see features.py);
bulk writes answer 201 (insert) / 200 with any success, else 400. Search takes `criteria`, or `email`, `phone`
or `word` (Recruit guide apiv2/search-records.html: every email field, every phone field, any word).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from . import scopes
from .criteria import CriteriaError, parse_criteria
from .fields import MODULES
from .runtime import Emulator, api_base, api_route, json_object, zoho_error
from .state import Record, User
from .timefmt import format_instant, parse_since
from .writes import Change, RecordWriter

MAX_PER_PAGE = 200
MAX_WRITE = 100
SORT_KEYS: dict[str, Callable[[Record], Any]] = {
    "id": lambda r: int(r.id),
    "Created_Time": lambda r: (r.created_time, int(r.id)),
    "Modified_Time": lambda r: (r.modified_time, int(r.id)),
}


class BadRequest(Exception):
    def __init__(self, response: Response) -> None:
        self.response = response


def _module(request: Request) -> str:
    module = str(request.path_params["module"])
    if module not in MODULES:
        raise BadRequest(zoho_error("INVALID_MODULE", "the module name given seems to be invalid", 400))
    return module


def _paging(request: Request) -> tuple[int, int]:
    try:
        page = int(request.query_params.get("page", "1"))
        per_page = int(request.query_params.get("per_page", str(MAX_PER_PAGE)))
    except ValueError as exc:
        raise BadRequest(zoho_error("INVALID_DATA", "page and per_page must be integers", 400)) from exc
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        details = {"param": "per_page", "maximum": MAX_PER_PAGE}
        raise BadRequest(zoho_error("INVALID_DATA", "per_page must be between 1 and 200", 400, details))
    return page, per_page


def _unknown_url() -> Response:
    return zoho_error("INVALID_URL_PATTERN", "Please check if the URL trying to access is a correct one", 404)


def _since(request: Request) -> datetime | None:
    raw = request.headers.get("if-modified-since")
    if not raw:
        return None
    try:
        return parse_since(raw)
    except (ValueError, TypeError) as exc:
        raise BadRequest(
            zoho_error("INVALID_DATA", "If-Modified-Since is not a valid date-time", 400)
        ) from exc


def _page_response(items: list[Any], page: int, per_page: int, filtered_by_since: bool) -> Response:
    if not items:
        return Response(status_code=304 if filtered_by_since else 204)
    chunk = items[(page - 1) * per_page : page * per_page]
    if not chunk:
        return Response(status_code=204)
    more = len(items) > page * per_page
    info = {"per_page": per_page, "count": len(chunk), "page": page, "more_records": more}
    return JSONResponse({"data": chunk, "info": info})


def _write_status(results: list[dict[str, Any]], success_status: int) -> int:
    return success_status if any(r["status"] == "success" for r in results) else 400


def _record_scope(request: Request) -> scopes.Requirement:
    return scopes.for_records(str(request.path_params["module"]), request.method)


def _read_scope(request: Request) -> scopes.Requirement:
    return scopes.for_records(str(request.path_params["module"]), "GET")


def records_routes(emulator: Emulator) -> list[BaseRoute]:
    def guarded(handler: Callable[[Request, User], Any], required: Any = _record_scope) -> Any:
        async def run(request: Request, user: User) -> Response:
            try:
                response: Response = await handler(request, user)
            except BadRequest as bad:
                return bad.response
            return response

        return api_route(emulator, run, required)

    def publish(request: Request, change: Change) -> None:
        emulator.notifier.publish(change, api_base(request), emulator.now())

    def render(records: list[Record], user: User, request: Request) -> list[dict[str, Any]]:
        raw_fields = request.query_params.get("fields")
        only = {f.strip() for f in raw_fields.split(",") if f.strip()} if raw_fields else None
        return [emulator.state.render(r, user, only) for r in records]

    async def list_records(request: Request, user: User) -> Response:
        module = _module(request)
        page, per_page = _paging(request)
        sort_by = request.query_params.get("sort_by", "id")
        sort_order = request.query_params.get("sort_order", "asc")
        if sort_by not in SORT_KEYS or sort_order not in ("asc", "desc"):
            return zoho_error("INVALID_DATA", "invalid sort_by or sort_order", 400, {"param": "sort_by"})
        since = _since(request) if emulator.features.if_modified_since else None
        records = emulator.state.records_of(user.org_id, module)
        raw_ids = request.query_params.get("ids", "") if emulator.features.ids_param else ""
        wanted = [i for i in raw_ids.split(",") if i]
        if len(wanted) > MAX_WRITE:
            return zoho_error("LIMIT_EXCEEDED", "too many ids", 400, {"limit": MAX_WRITE})
        if wanted:
            wanted_ids = set(wanted)
            records = [r for r in records if r.id in wanted_ids]
        if since is not None:
            records = [r for r in records if r.modified_time > since]
        records.sort(key=SORT_KEYS[sort_by], reverse=sort_order == "desc")
        return _page_response(render(records, user, request), page, per_page, since is not None)

    async def get_record(request: Request, user: User) -> Response:
        module = _module(request)
        if not str(request.path_params["record_id"]).isdigit():
            return _unknown_url()
        record = emulator.state.find_record(user.org_id, module, str(request.path_params["record_id"]))
        if record is None:
            return Response(status_code=204)
        return JSONResponse({"data": render([record], user, request)})

    async def write_body(request: Request) -> list[Any]:
        body = await json_object(request)
        if body is None:
            raise BadRequest(zoho_error("INVALID_DATA", "body must be a JSON object", 400))
        data = body.get("data")
        if not isinstance(data, list) or not data:
            raise BadRequest(
                zoho_error("MANDATORY_NOT_FOUND", "required field not found", 400, {"api_name": "data"})
            )
        if len(data) > MAX_WRITE:
            raise BadRequest(
                zoho_error(
                    "LIMIT_EXCEEDED", "the number of records exceeds the limit", 400, {"limit": MAX_WRITE}
                )
            )
        if "trigger" in body and not isinstance(body["trigger"], list):
            raise BadRequest(
                zoho_error("INVALID_DATA", "trigger must be a list", 400, {"api_name": "trigger"})
            )
        return data

    async def insert_records(request: Request, user: User) -> Response:
        module = _module(request)
        data = await write_body(request)
        results, change = RecordWriter(emulator.state, module, user, emulator.now()).insert(data)
        publish(request, change)
        return JSONResponse({"data": results}, status_code=_write_status(results, 201))

    async def update_records(request: Request, user: User) -> Response:
        module = _module(request)
        data = await write_body(request)
        if "record_id" in request.path_params:
            data = [
                {**item, "id": request.path_params["record_id"]} if isinstance(item, dict) else item
                for item in data[:1]
            ]
        results, change = RecordWriter(emulator.state, module, user, emulator.now()).update(data)
        publish(request, change)
        return JSONResponse({"data": results}, status_code=_write_status(results, 200))

    async def delete_records(request: Request, user: User) -> Response:
        module = _module(request)
        if "record_id" in request.path_params:
            ids = [str(request.path_params["record_id"])]
        else:
            ids = [i for i in request.query_params.get("ids", "").split(",") if i]
        if not ids:
            return zoho_error("MANDATORY_NOT_FOUND", "required param not found", 400, {"param": "ids"})
        if len(ids) > MAX_WRITE:
            return zoho_error(
                "LIMIT_EXCEEDED", "the number of records exceeds the limit", 400, {"limit": MAX_WRITE}
            )
        results, change = RecordWriter(emulator.state, module, user, emulator.now()).delete(ids)
        publish(request, change)
        return JSONResponse({"data": results}, status_code=_write_status(results, 200))

    async def deleted_records(request: Request, user: User) -> Response:
        module = _module(request)
        if not emulator.features.deleted_endpoint:
            return _unknown_url()
        page, per_page = _paging(request)
        if request.query_params.get("type", "All") not in ("All", "all", "recycle", "permanent"):
            return zoho_error("INVALID_DATA", "invalid type", 400, {"param": "type"})
        since = _since(request) if emulator.features.if_modified_since else None
        users = emulator.state.users
        entries = [
            {
                "id": d.id,
                "display_name": d.display_name,
                "type": "recycle",
                "deleted_time": format_instant(d.deleted_time, user.time_zone),
                "deleted_by": {"name": users[d.deleted_by].full_name, "id": d.deleted_by},
                "created_by": {"name": users[d.created_by].full_name, "id": d.created_by},
            }
            for d in sorted(emulator.state.deleted, key=lambda d: d.deleted_time, reverse=True)
            if d.org_id == user.org_id and d.module == module and (since is None or d.deleted_time > since)
        ]
        return _page_response(entries, page, per_page, since is not None)

    async def search_records(request: Request, user: User) -> Response:
        module = _module(request)
        page, per_page = _paging(request)
        matches = _shortcut_matcher(emulator, module, request) or _criteria_matcher(emulator, module, request)
        found = [
            record
            for record in sorted(emulator.state.records_of(user.org_id, module), key=SORT_KEYS["id"])
            if matches(emulator.state.render(record, user))
        ]
        return _page_response(render(found, user, request), page, per_page, False)

    prefix = "/recruit/v2/{module}"
    return [
        Route(f"{prefix}/deleted", guarded(deleted_records, _read_scope), methods=["GET"]),
        Route(f"{prefix}/search", guarded(search_records, scopes.for_search()), methods=["GET"]),
        Route(prefix, guarded(list_records), methods=["GET"]),
        Route(prefix, guarded(insert_records), methods=["POST"]),
        Route(prefix, guarded(update_records), methods=["PUT"]),
        Route(prefix, guarded(delete_records), methods=["DELETE"]),
        Route(f"{prefix}/{{record_id}}", guarded(get_record), methods=["GET"]),
        Route(f"{prefix}/{{record_id}}", guarded(update_records), methods=["PUT"]),
        Route(f"{prefix}/{{record_id}}", guarded(delete_records), methods=["DELETE"]),
    ]


Matcher = Callable[[dict[str, Any]], bool]


def _flat_values(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [str(value.get("id")), str(value.get("name"))]
    if isinstance(value, bool):
        return [str(value).lower()]
    return [] if value is None else [str(value)]


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def _shortcut_matcher(emulator: Emulator, module: str, request: Request) -> Matcher | None:
    """`email=` (every email field, exact, case-insensitive), `phone=` (every phone field, by digits) or
    `word=` (any text value containing the word); None when the request uses `criteria`."""
    params = request.query_params
    meta = emulator.state.modules[module]
    if params.get("email"):
        email = params["email"].strip().lower()
        names = [f.api_name for f in meta.fields if f.data_type == "email"]
        return lambda rendered: any(str(rendered.get(n) or "").lower() == email for n in names)
    if params.get("phone"):
        phone = _digits(params["phone"])
        names = [f.api_name for f in meta.fields if f.data_type == "phone"]
        return lambda rendered: (
            bool(phone) and any(_digits(str(rendered.get(n) or "")) == phone for n in names)
        )
    if params.get("word"):
        word = params["word"].strip().lower()
        return lambda rendered: any(
            word in text.lower()
            for name, value in rendered.items()
            if name != "id"
            for text in _flat_values(value)
        )
    return None


def _criteria_matcher(emulator: Emulator, module: str, request: Request) -> Matcher:
    try:
        criteria = parse_criteria(request.query_params.get("criteria", ""))
    except CriteriaError as exc:
        raise BadRequest(
            zoho_error("INVALID_QUERY", f"invalid query formed: {exc}", 400, {"param": "criteria"})
        ) from exc
    fields = emulator.state.modules[module].by_name()
    unknown = [c.field for c in criteria.conditions if c.field not in fields and c.field != "id"]
    if unknown:
        raise BadRequest(zoho_error("INVALID_QUERY", "invalid query formed", 400, {"api_name": unknown[0]}))
    return lambda rendered: criteria.evaluate(lambda name: _flat_values(rendered.get(name)))
