"""The `/v1.0` mailbox resources: users, calendars and contact folders, events and contacts, and both deltas.

Every route exists in the `/me/...` and `/users/{user}/...` forms; calendar and contact handlers share code.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from .access import AccessControl
from .delta import DEFAULT_PAGE_SIZE, DeltaBook
from .errors import GraphError, bad_request, not_found
from .items import (
    check_event,
    clean_contact,
    clean_event,
    contact_view,
    container_extended,
    container_view,
    event_view,
    expanded_container_view,
)
from .odata import Query, apply_select
from .store import CALENDAR, CONTACTS, Container, Item, Mailbox, Store
from .timezones import preferred_zone, to_utc

_MAX_PAGE = re.compile(r"odata\.maxpagesize\s*=\s*(\d+)", re.IGNORECASE)


@dataclass(frozen=True)
class Kind:
    name: str
    container_param: str
    container_name_field: str
    clean: Callable[[Any], dict[str, Any]]


KINDS = {
    CALENDAR: Kind(CALENDAR, "calendar_id", "name", clean_event),
    CONTACTS: Kind(CONTACTS, "folder_id", "displayName", clean_contact),
}


async def _json(request: Request) -> Any:
    try:
        return await request.json()
    except ValueError as exc:
        raise bad_request("The request body is not valid JSON.", "RequestBodyRead") from exc


def _check_if_match(request: Request, item: Item) -> None:
    expected = request.headers.get("if-match")
    if expected and expected != "*" and expected != item.etag:
        raise GraphError(412, "ErrorIrreparableCorruption", "The change key does not match the item's.")


class MailboxApi:
    def __init__(self, store: Store, access: AccessControl, deltas: DeltaBook) -> None:
        self.store = store
        self.access = access
        self.deltas = deltas

    # --- rendering ---

    def render(self, request: Request, mailbox: Mailbox, container: Container, item: Item,
               expand_ids: list[str]) -> dict[str, Any]:  # fmt: skip
        if container.kind == CALENDAR:
            zone = preferred_zone(request.headers.get("prefer", ""))
            return event_view(item, mailbox.user, zone, expand_ids)
        return contact_view(item, container, expand_ids)

    def _container(self, request: Request, mailbox: Mailbox, kind: str) -> Container:
        return mailbox.container(kind, request.path_params.get(KINDS[kind].container_param))

    def _item(self, request: Request, mailbox: Mailbox, kind: str) -> tuple[Container, Item]:
        item_id = request.path_params["item_id"]
        if KINDS[kind].container_param in request.path_params:
            container = self._container(request, mailbox, kind)
            if item_id not in container.items:
                raise not_found()
            return container, container.items[item_id]
        return mailbox.find_item(kind, item_id)

    # --- users ---

    async def get_user(self, request: Request) -> Response:
        mailbox = self.access.check(request, "user", write=False)
        user = mailbox.user
        return JSONResponse(
            {
                "id": mailbox.id,
                "displayName": user.get("displayName"),
                "mail": user.get("mail"),
                "userPrincipalName": user.get("mail"),
                "givenName": user.get("givenName"),
                "surname": user.get("surname"),
            }
        )

    async def get_mailbox_settings(self, request: Request) -> Response:
        mailbox = self.access.check(request, "user", write=False)
        return JSONResponse(
            {"timeZone": mailbox.user.get("timeZone", "UTC"), "language": {"locale": "en-US"}}
        )

    # --- containers ---

    def container_routes(self, kind: str, collection: str) -> list[tuple[str, str, Callable[..., Any]]]:
        param = KINDS[kind].container_param

        async def list_containers(request: Request) -> Response:
            mailbox = self.access.check(request, kind, write=False)
            query = Query(request.query_params, default_top=100)
            views = [
                container_view(c, mailbox.user)
                for c in mailbox.containers.values()
                if c.kind == kind and (kind == CALENDAR or not c.is_default)
            ]
            views = [v for v in views if query.matches_field(v)]
            return JSONResponse({"value": views[query.skip : query.skip + query.top]})

        async def create_container(request: Request) -> Response:
            mailbox = self.access.check(request, kind, write=True)
            body = await _json(request)
            name = body.get(KINDS[kind].container_name_field) if isinstance(body, dict) else None
            if not isinstance(name, str) or not name.strip():
                raise bad_request(f"'{KINDS[kind].container_name_field}' is required.")
            extended = container_extended(body)
            container = self.store.add_container(mailbox, kind, name, extended=extended)
            return JSONResponse(container_view(container, mailbox.user), status_code=201)

        async def get_container(request: Request) -> Response:
            mailbox = self.access.check(request, kind, write=False)
            query = Query(request.query_params)
            container = self._container(request, mailbox, kind)
            return JSONResponse(expanded_container_view(container, mailbox.user, query.expand_ids))

        async def delete_container(request: Request) -> Response:
            mailbox = self.access.check(request, kind, write=True)
            self.store.delete_container(mailbox, self._container(request, mailbox, kind))
            return Response(status_code=204)

        routes: list[tuple[str, str, Callable[..., Any]]] = [
            (f"/{collection}", "GET", list_containers),
            (f"/{collection}", "POST", create_container),
            (f"/{collection}/{{{param}}}", "GET", get_container),
            (f"/{collection}/{{{param}}}", "DELETE", delete_container),
        ]
        if kind == CALENDAR:
            routes.append(("/calendar", "GET", get_container))
        return routes

    # --- items ---

    async def list_items(self, request: Request, kind: str) -> Response:
        mailbox = self.access.check(request, kind, write=False)
        container = self._container(request, mailbox, kind)
        query = Query(request.query_params)
        items = sorted(container.items.values(), key=lambda i: (i.created, i.seq))
        items = [i for i in items if query.matches_extended(i.extended)]
        views = [self.render(request, mailbox, container, i, query.expand_ids) for i in items]
        views = [apply_select(v, query.select) for v in views if query.matches_field(v)]
        answer: dict[str, Any] = {"value": views[query.skip : query.skip + query.top]}
        if query.skip + query.top < len(views):
            params = dict(request.query_params) | {
                "$skip": str(query.skip + query.top),
                "$top": str(query.top),
            }
            answer["@odata.nextLink"] = f"{request.url.replace(query='')}?{urlencode(params)}"
        return JSONResponse(answer)

    async def create_item(self, request: Request, kind: str) -> Response:
        mailbox = self.access.check(request, kind, write=True)
        container = self._container(request, mailbox, kind)
        fields = KINDS[kind].clean(await _json(request))
        if kind == CALENDAR:
            existing_id = mailbox.transactions.get(str(fields.get("transactionId") or ""))
            if existing_id:
                existing_container, existing = mailbox.find_item(CALENDAR, existing_id)
                view = self.render(request, mailbox, existing_container, existing, [])
                return JSONResponse(view, status_code=201)
            check_event(fields)
        item = self.store.add_item(mailbox, container, fields)
        return JSONResponse(self.render(request, mailbox, container, item, []), status_code=201)

    async def get_item(self, request: Request, kind: str) -> Response:
        mailbox = self.access.check(request, kind, write=False)
        container, item = self._item(request, mailbox, kind)
        query = Query(request.query_params)
        view = self.render(request, mailbox, container, item, query.expand_ids)
        return JSONResponse(apply_select(view, query.select))

    async def update_item(self, request: Request, kind: str) -> Response:
        mailbox = self.access.check(request, kind, write=True)
        container, item = self._item(request, mailbox, kind)
        _check_if_match(request, item)
        changes = KINDS[kind].clean(await _json(request))
        if kind == CALENDAR:
            check_event(
                item.fields | {k: v for k, v in changes.items() if k != "singleValueExtendedProperties"}
            )
        self.store.update_item(mailbox, container, item, changes)
        return JSONResponse(self.render(request, mailbox, container, item, []))

    async def delete_item(self, request: Request, kind: str) -> Response:
        mailbox = self.access.check(request, kind, write=True)
        container, item = self._item(request, mailbox, kind)
        _check_if_match(request, item)
        self.store.delete_item(mailbox, container, item)
        return Response(status_code=204)

    # --- delta ---

    async def delta(self, request: Request, kind: str) -> Response:
        mailbox = self.access.check(request, kind, write=False)
        container = self._container(request, mailbox, kind)
        params = request.query_params
        if kind == CALENDAR and any(p in params for p in ("$select", "$expand", "$filter")):
            raise bad_request(
                "calendarView delta does not support $select, $expand or $filter.", "BadRequest"
            )
        if kind == CONTACTS and any(p in params for p in ("$expand", "$filter")):
            raise bad_request("contacts delta supports only $select.", "BadRequest")
        prefer = _MAX_PAGE.search(request.headers.get("prefer", ""))
        page_size = max(1, int(prefer.group(1))) if prefer else DEFAULT_PAGE_SIZE
        select = Query(params).select if kind == CONTACTS else None

        def render(item: Item) -> dict[str, Any]:
            return apply_select(self.render(request, mailbox, container, item, []), select)

        if "$skiptoken" in params:
            cursor = self.deltas.resume(params["$skiptoken"], mailbox, container)
        elif "$deltatoken" in params:
            previous = self.deltas.resume(params["$deltatoken"], mailbox, container)
            cursor = self.deltas.follow_delta(previous, container, self.store.seq, render)
        else:
            window = None
            if kind == CALENDAR:
                try:
                    start = to_utc(params["startDateTime"], "UTC")
                    end = to_utc(params["endDateTime"], "UTC")
                except (KeyError, ValueError) as exc:
                    raise bad_request(
                        "startDateTime and endDateTime are required.", "ErrorInvalidParameter"
                    ) from exc
                window = (start, end)
            cursor = self.deltas.start(mailbox, container, window, select, self.store.seq, render)
        link_base = str(request.url.replace(query=""))
        headers = {"Preference-Applied": f"odata.maxpagesize={page_size}"} if prefer else None
        return JSONResponse(self.deltas.page(cursor, page_size, link_base), headers=headers)

    # --- routing ---

    def routes(self) -> list[BaseRoute]:
        table: list[tuple[str, str, Callable[..., Any]]] = [
            ("", "GET", self.get_user),
            ("/mailboxSettings", "GET", self.get_mailbox_settings),
            *self.container_routes(CALENDAR, "calendars"),
            *self.container_routes(CONTACTS, "contactFolders"),
        ]
        item_paths = {
            CALENDAR: (
                ["/calendars/{calendar_id}/events", "/calendar/events", "/events"],
                [
                    "/calendars/{calendar_id}/events/{item_id}",
                    "/calendar/events/{item_id}",
                    "/events/{item_id}",
                ],
                "/calendars/{calendar_id}/calendarView/delta",
            ),
            CONTACTS: (
                ["/contactFolders/{folder_id}/contacts", "/contacts"],
                ["/contactFolders/{folder_id}/contacts/{item_id}", "/contacts/{item_id}"],
                "/contactFolders/{folder_id}/contacts/delta",
            ),
        }
        for kind, (collections, members, delta_path) in item_paths.items():
            # The SDK calls the function form `delta()`; Graph accepts both.
            table.append((delta_path, "GET", self._bind(self.delta, kind)))
            table.append((delta_path + "()", "GET", self._bind(self.delta, kind)))
            for path in collections:
                table.append((path, "GET", self._bind(self.list_items, kind)))
                table.append((path, "POST", self._bind(self.create_item, kind)))
            for path in members:
                table.append((path, "GET", self._bind(self.get_item, kind)))
                table.append((path, "PATCH", self._bind(self.update_item, kind)))
                table.append((path, "DELETE", self._bind(self.delete_item, kind)))
        routes: list[BaseRoute] = []
        for suffix, method, handler in table:
            routes.append(Route(f"/v1.0/me{suffix}", handler, methods=[method]))
            routes.append(Route(f"/v1.0/users/{{user}}{suffix}", handler, methods=[method]))
        return routes

    @staticmethod
    def _bind(handler: Callable[[Request, str], Any], kind: str) -> Callable[[Request], Any]:
        async def endpoint(request: Request) -> Response:
            response: Response = await handler(request, kind)
            return response

        return endpoint
