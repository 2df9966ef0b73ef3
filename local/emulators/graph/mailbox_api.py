"""The `/v1.0` mailbox resources: events and contacts (list, create, get, update, delete), contacts delta
(calendarView delta is series_api.py's), and the routing of every mailbox route in its `/me/...` and
`/users/{id | userPrincipalName}/...` forms.

Sources: api/user-list-events.md, api/user-post-events.md, api/event-get.md, api/event-update.md,
api/event-delete.md, api/user-list-contacts.md, api/user-post-contacts.md, api/contact-get.md,
api/contact-update.md, api/contact-delete.md, api/contact-delta.md (which also serves
`/me/contacts/delta` for the default folder). Events are rendered by preferences.render_event.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from .access import AccessControl
from .delta import DEFAULT_PAGE_SIZE, DeltaBook
from .errors import GraphError, bad_request, not_found
from .folders_api import FoldersApi, Table
from .item_views import contact_view
from .items import check_event, clean_contact, clean_event
from .odata import Query, apply_select, metadata_root, page
from .photos import PhotosApi
from .preferences import preferences, render_event
from .respond import read_json, respond
from .store import CALENDAR, CONTACTS, Container, Item, Mailbox, Store


@dataclass(frozen=True)
class Kind:
    name: str
    container_param: str
    clean: Callable[[Any], dict[str, Any]]


KINDS = {
    CALENDAR: Kind(CALENDAR, "calendar_id", clean_event),
    CONTACTS: Kind(CONTACTS, "folder_id", clean_contact),
}


def _check_if_match(request: Request, item: Item) -> None:
    expected = request.headers.get("if-match")
    if expected and expected != "*" and expected != item.etag:
        raise GraphError(412, "ErrorIrreparableCorruption", "The change key does not match the item's.")


class MailboxApi:
    def __init__(self, store: Store, access: AccessControl, deltas: DeltaBook) -> None:
        self.store = store
        self.access = access
        self.deltas = deltas
        self.folders = FoldersApi(store, access)
        self.photos = PhotosApi(store, access)

    # --- rendering ---

    def render(self, request: Request, mailbox: Mailbox, container: Container, item: Item,
               expand_ids: list[str]) -> dict[str, Any]:  # fmt: skip
        if container.kind == CALENDAR:
            return render_event(request, item, mailbox.user, expand_ids)
        return contact_view(item, container, expand_ids)

    @staticmethod
    def _applied(request: Request, kind: str) -> dict[str, str] | None:
        """`Preference-Applied` for responses that carry events (see preferences.py)."""
        if kind != CALENDAR:
            return None
        return preferences(request).applied() or None

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

    # --- items ---

    async def list_items(self, request: Request, kind: str) -> Response:
        mailbox = self.access.check(request, kind, write=False)
        container = self._container(request, mailbox, kind)
        query = Query(request.query_params)
        items = sorted(container.items.values(), key=lambda i: (i.created, i.seq))
        items = [i for i in items if query.matches_extended(i.extended)]
        views = [self.render(request, mailbox, container, i, query.expand_ids) for i in items]
        views = [apply_select(v, query.select) for v in views if query.matches_field(v)]
        return respond(
            request, mailbox.id, page(request, views, query), headers=self._applied(request, kind),
            select=query.select,
        )  # fmt: skip

    async def create_item(self, request: Request, kind: str) -> Response:
        mailbox = self.access.check(request, kind, write=True)
        container = self._container(request, mailbox, kind)
        fields = KINDS[kind].clean(await read_json(request))
        headers = self._applied(request, kind)
        if kind == CALENDAR:
            # resources/event.md, transactionId: "A custom identifier specified by a client app for the server
            # to avoid redundant POST operations in case of client retries to create the same event". A repeat
            # answers 201 with the event already created (a live-verified public report: "a repeated body +
            # transactionId returns the same event ID").
            existing_id = mailbox.transactions.get(str(fields.get("transactionId") or ""))
            if existing_id:
                existing_container, existing = mailbox.find_item(CALENDAR, existing_id)
                view = self.render(request, mailbox, existing_container, existing, [])
                return respond(request, mailbox.id, view, 201, headers=headers, entity=True)
            check_event(fields)
        item = self.store.add_item(mailbox, container, fields)
        view = self.render(request, mailbox, container, item, [])
        return respond(request, mailbox.id, view, 201, headers=headers, entity=True)

    async def get_item(self, request: Request, kind: str) -> Response:
        mailbox = self.access.check(request, kind, write=False)
        container, item = self._item(request, mailbox, kind)
        query = Query(request.query_params)
        view = apply_select(self.render(request, mailbox, container, item, query.expand_ids), query.select)
        return respond(request, mailbox.id, view, headers=self._applied(request, kind), select=query.select)

    async def update_item(self, request: Request, kind: str) -> Response:
        mailbox = self.access.check(request, kind, write=True)
        container, item = self._item(request, mailbox, kind)
        _check_if_match(request, item)
        changes = KINDS[kind].clean(await read_json(request))
        if kind == CALENDAR:
            check_event(
                item.fields | {k: v for k, v in changes.items() if k != "singleValueExtendedProperties"}
            )
        self.store.update_item(mailbox, container, item, changes)
        view = self.render(request, mailbox, container, item, [])
        return respond(request, mailbox.id, view, headers=self._applied(request, kind))

    async def delete_item(self, request: Request, kind: str) -> Response:
        mailbox = self.access.check(request, kind, write=True)
        container, item = self._item(request, mailbox, kind)
        _check_if_match(request, item)
        self.store.delete_item(mailbox, container, item)
        return Response(status_code=204)

    # --- delta ---

    async def contacts_delta(self, request: Request) -> Response:
        """api/contact-delta.md: a folder's (or the default folder's) contacts, `$select` the only option.

        The calendar's delta is calendarView delta, served with its series by series_api.py."""
        mailbox = self.access.check(request, CONTACTS, write=False)
        container = self._container(request, mailbox, CONTACTS)
        params = request.query_params
        if any(p in params for p in ("$expand", "$filter")):
            raise bad_request("contacts delta supports only $select.", "BadRequest")
        prefs = preferences(request)
        page_size = prefs.max_page_size or DEFAULT_PAGE_SIZE
        select = Query(params).select

        def render(item: Item) -> dict[str, Any]:
            return apply_select(self.render(request, mailbox, container, item, []), select)

        if "$skiptoken" in params:
            cursor = self.deltas.resume(params["$skiptoken"], mailbox, container)
        elif "$deltatoken" in params:
            previous = self.deltas.resume(params["$deltatoken"], mailbox, container)
            cursor = self.deltas.follow_delta(previous, container, self.store.seq, render)
        else:
            cursor = self.deltas.start(mailbox, container, None, select, self.store.seq, render)
        applied = {"Preference-Applied": f"odata.maxpagesize={page_size}"} if prefs.max_page_size else {}
        # api/contact-delta.md's response: "$metadata#Collection(contact)".
        body = {"@odata.context": f"{metadata_root(request)}#Collection(contact)"}
        body |= self.deltas.page(cursor, page_size, str(request.url.replace(query="")))
        return JSONResponse(body, headers=applied or None)

    # --- routing ---

    def routes(self) -> list[BaseRoute]:
        table: Table = [*self.folders.table(), *self.photos.table()]
        item_paths = {
            CALENDAR: (
                ["/calendars/{calendar_id}/events", "/calendar/events", "/events"],
                [
                    "/calendars/{calendar_id}/events/{item_id}",
                    "/calendar/events/{item_id}",
                    "/events/{item_id}",
                ],
            ),
            CONTACTS: (
                ["/contactFolders/{folder_id}/contacts", "/contacts"],
                ["/contactFolders/{folder_id}/contacts/{item_id}", "/contacts/{item_id}"],
            ),
        }
        for delta_path in ["/contactFolders/{folder_id}/contacts/delta", "/contacts/delta"]:
            # The SDK calls the function form `delta()`; Graph accepts both.
            table.append((delta_path, "GET", self.contacts_delta))
            table.append((delta_path + "()", "GET", self.contacts_delta))
        for kind, (collections, members) in item_paths.items():
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
