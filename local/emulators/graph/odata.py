"""The few OData query options the emulator understands (the extended-property $filter and $expand, simple
`field eq 'value'` filters, $select, $top and $skip), server-side paging and `@odata.context`.

Paging (concepts/paging.md): a list answers at most `$top` items (Outlook's default page size is 10) and an
`@odata.nextLink` carrying every other query option plus `$skip` while more remain. `$top` above 1000 is a
400: paging.md says maxima differ per API ("the requested page size might be ignored ... or Microsoft Graph
might return an error") and no v1.0 page states Outlook's, so MAX_TOP = 1000 is unconfirmed (one constant).
`@odata.context` follows the responses in api/event-get.md, api/event-list.md, api/calendar-get.md:
`<root>/$metadata#users('<id>')/events/$entity` for one entity, `...#users('<id>')/calendars('<cid>')/events`
for a collection, with `$select`ed names in parentheses: `events(subject,body)/$entity`.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import QueryParams
from starlette.requests import Request

from .errors import bad_request

MAX_TOP = 1000
DEFAULT_PAGE_SIZE = 10
# Collections whose next segment is a key; other segments are navigation or singletons.
_KEYED = {"calendars", "events", "contactFolders", "contacts", "childFolders", "instances", "users"}
_NOT_KEYS = {"calendarView", "events", "contacts", "childFolders", "instances", "delta", "delta()", "photo",
             "$value", "calendar", "mailboxSettings"}  # fmt: skip
_SINGLETONS = {"calendar", "photo"}

_EXT_FILTER = re.compile(
    r"^singleValueExtendedProperties/any\(\s*(\w+)\s*:\s*\1/id\s+eq\s+'((?:[^']|'')*)'\s+and\s+"
    r"\1/value\s+eq\s+'((?:[^']|'')*)'\s*\)$",
    re.IGNORECASE,
)
_EQ_FILTER = re.compile(r"^(\w+)\s+eq\s+'((?:[^']|'')*)'$")
_EXT_EXPAND = re.compile(
    r"^singleValueExtendedProperties\(\s*\$filter=id\s+eq\s+'((?:[^']|'')*)'\s*\)$", re.IGNORECASE
)


def _unquote(text: str) -> str:
    return text.replace("''", "'")


class Query:
    """Parsed query options of one request."""

    def __init__(self, params: QueryParams, default_top: int = DEFAULT_PAGE_SIZE) -> None:
        self.ext_filter: tuple[str, str] | None = None
        self.eq_filter: tuple[str, str] | None = None
        raw_filter = params.get("$filter")
        if raw_filter:
            ext = _EXT_FILTER.match(raw_filter.strip())
            eq = _EQ_FILTER.match(raw_filter.strip())
            if ext:
                self.ext_filter = (_unquote(ext.group(2)), _unquote(ext.group(3)))
            elif eq:
                self.eq_filter = (eq.group(1), _unquote(eq.group(2)))
            else:
                raise bad_request(f"Unsupported filter in the emulator: {raw_filter}", "BadRequest")
        self.expand_ids: list[str] = []
        raw_expand = params.get("$expand")
        if raw_expand:
            match = _EXT_EXPAND.match(raw_expand.strip())
            if not match:
                raise bad_request(f"Unsupported $expand in the emulator: {raw_expand}", "BadRequest")
            self.expand_ids = [_unquote(match.group(1))]
        raw_select = params.get("$select")
        self.select = [s.strip() for s in raw_select.split(",") if s.strip()] if raw_select else None
        try:
            self.top = int(params.get("$top", default_top))
            self.skip = int(params.get("$skip", 0))
        except ValueError as exc:
            raise bad_request("$top and $skip must be integers.", "BadRequest") from exc
        if self.top < 1 or self.top > MAX_TOP or self.skip < 0:
            raise bad_request(f"$top must be 1..{MAX_TOP} and $skip not negative.", "BadRequest")

    def matches_extended(self, extended: dict[str, str]) -> bool:
        if self.ext_filter is None:
            return True
        prop_id, value = self.ext_filter
        return any(k.lower() == prop_id.lower() and v == value for k, v in extended.items())

    def matches_field(self, view: dict[str, Any]) -> bool:
        if self.eq_filter is None:
            return True
        name, value = self.eq_filter
        return str(view.get(name, "")) == value


def apply_select(view: dict[str, Any], select: list[str] | None) -> dict[str, Any]:
    """Keep selected properties; id and OData annotations always stay, as in Graph."""
    if not select:
        return view
    wanted = {s.lower() for s in select}
    return {k: v for k, v in view.items() if k == "id" or k.startswith("@") or k.lower() in wanted}


def page(request: Request, views: list[dict[str, Any]], query: Query) -> dict[str, Any]:
    """One page of a list and, while more remain, the `@odata.nextLink` to the next one."""
    answer: dict[str, Any] = {"value": views[query.skip : query.skip + query.top]}
    if query.skip + query.top < len(views):
        params = dict(request.query_params) | {"$skip": str(query.skip + query.top), "$top": str(query.top)}
        answer["@odata.nextLink"] = f"{request.url.replace(query='')}?{urlencode(params)}"
    return answer


def metadata_root(request: Request) -> str:
    return f"{str(request.base_url).rstrip('/')}/v1.0/$metadata"


def context_url(request: Request, user_id: str, select: list[str] | None = None, entity: bool = False) -> str:
    """`@odata.context` for a `/me/...` or `/users/{id}/...` response (see the module docstring)."""
    segments = [s for s in request.url.path.split("/")[2:] if s]
    if segments[:1] == ["me"]:
        segments = ["users", user_id, *segments[1:]]
    elif segments[:1] == ["users"] and len(segments) > 1:
        segments[1] = user_id
    if len(segments) <= 2:
        return f"{metadata_root(request)}#users/$entity"
    parts: list[tuple[str, str | None]] = []
    index = 0
    while index < len(segments):
        name = segments[index]
        following = segments[index + 1] if index + 1 < len(segments) else None
        if name in _KEYED and following is not None and following not in _NOT_KEYS:
            parts.append((name, following))
            index += 2
        else:
            parts.append((name, None))
            index += 1
    last_name, last_key = parts[-1]
    entity = entity or last_key is not None or last_name in _SINGLETONS
    path = "/".join(f"{n}('{k}')" for n, k in parts[:-1])
    last = last_name + (f"({','.join(select)})" if select else "")
    return f"{metadata_root(request)}#{path}/{last}{'/$entity' if entity else ''}"
