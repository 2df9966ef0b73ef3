"""Users, mailbox settings, and calendars and contact folders with full CRUD (rename included).

Sources: api/user-get.md, api/user-get-mailboxsettings.md; api/user-list-calendars.md,
api/user-post-calendars.md, api/calendar-get.md, api/calendar-update.md (writable: name, color,
isDefaultCalendar), api/calendar-delete.md;
api/user-list-contactfolders.md, api/user-post-contactfolders.md, api/contactfolder-get.md,
api/contactfolder-update.md (writable: displayName, parentFolderId), api/contactfolder-delete.md.
A duplicate name (create or rename) is 409 `ErrorFolderExists`; distinguished folders cannot be deleted
(400 `ErrorDeleteDistinguishedFolder`). The default contacts folder is not listed under contactFolders.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from .access import AccessControl
from .entities import container_view, mailbox_settings_view, user_view
from .errors import bad_request
from .item_views import container_extended, expanded_properties
from .odata import Query, apply_select, page
from .respond import read_json, respond
from .store import CALENDAR, Container, Mailbox, Store

Table = list[tuple[str, str, Callable[..., Any]]]

NAME_FIELD = {CALENDAR: "name", "contacts": "displayName"}
PARAM = {CALENDAR: "calendar_id", "contacts": "folder_id"}
# resources/calendar.md, calendarColor.
CALENDAR_COLORS = {
    "auto", "lightBlue", "lightGreen", "lightOrange", "lightGray", "lightYellow", "lightTeal", "lightPink",
    "lightBrown", "lightRed", "maxColor",
}  # fmt: skip
WRITABLE = {CALENDAR: {"name", "color", "isDefaultCalendar"}, "contacts": {"displayName", "parentFolderId"}}


def _name(body: Any, kind: str, required: bool) -> str | None:
    name = body.get(NAME_FIELD[kind]) if isinstance(body, dict) else None
    if name is None and not required:
        return None
    if not isinstance(name, str) or not name.strip():
        raise bad_request(f"'{NAME_FIELD[kind]}' is required.", "ErrorInvalidRequest")
    return name


def _props(body: Any, kind: str) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object.", "RequestBodyRead")
    props: dict[str, Any] = {}
    for key, value in body.items():
        if key.startswith("@odata") or key in (NAME_FIELD[kind], "singleValueExtendedProperties"):
            continue  # extended properties: `container_extended`
        if key not in WRITABLE[kind]:
            raise bad_request(
                f"The property '{key}' does not exist or cannot be written on this folder.", "RequestBodyRead"
            )
        if key == "color" and value not in CALENDAR_COLORS:
            raise bad_request(f"'{value}' is not a calendarColor.", "RequestBodyRead")
        props[key] = value
    return props


class FoldersApi:
    def __init__(self, store: Store, access: AccessControl) -> None:
        self.store = store
        self.access = access

    async def get_user(self, request: Request) -> Response:
        mailbox = self.access.check(request, "user", write=False)
        select = Query(request.query_params).select
        view = apply_select(user_view(mailbox), select)
        return respond(request, mailbox.id, view, select=select)

    async def get_mailbox_settings(self, request: Request) -> Response:
        mailbox = self.access.check(request, "user", write=False)
        return respond(request, mailbox.id, mailbox_settings_view(mailbox))

    def _container(self, request: Request, mailbox: Mailbox, kind: str) -> Container:
        return mailbox.container(kind, request.path_params.get(PARAM[kind]))

    def routes(self, kind: str, collection: str) -> Table:
        async def list_containers(request: Request) -> Response:
            mailbox = self.access.check(request, kind, write=False)
            query = Query(request.query_params)
            views = [
                container_view(c, mailbox)
                for c in mailbox.containers.values()
                if c.kind == kind and (kind == CALENDAR or not c.is_default)
            ]
            views = [apply_select(v, query.select) for v in views if query.matches_field(v)]
            return respond(request, mailbox.id, page(request, views, query), select=query.select)

        async def create_container(request: Request) -> Response:
            mailbox = self.access.check(request, kind, write=True)
            body = await read_json(request)
            name = _name(body, kind, required=True)
            assert name is not None
            props = _props(body, kind)
            extended = container_extended(body)
            container = self.store.add_container(mailbox, kind, name, extended=extended)
            container.props.update(props)
            view = container_view(container, mailbox)
            return respond(request, mailbox.id, view, 201, entity=True)

        async def get_container(request: Request) -> Response:
            mailbox = self.access.check(request, kind, write=False)
            query = Query(request.query_params)
            select = query.select
            container = self._container(request, mailbox, kind)
            # `$expand=singleValueExtendedProperties($filter=id eq '...')` on a calendar or contactFolder
            # (singlevaluelegacyextendedproperty-get.md, "Get a calendar / contactFolder instance").
            view = apply_select(
                container_view(container, mailbox) | expanded_properties(container, query.expand_ids), select
            )
            return respond(request, mailbox.id, view, select=select)

        async def update_container(request: Request) -> Response:
            mailbox = self.access.check(request, kind, write=True)
            container = self._container(request, mailbox, kind)
            body = await read_json(request)
            props = _props(body, kind)
            # PATCH can add extended properties to an existing calendar or contactFolder
            # (singlevaluelegacyextendedproperty-post-singlevalueextendedproperties.md).
            container.extended.update(container_extended(body))
            self.store.update_container(mailbox, container, _name(body, kind, required=False), props)
            return respond(request, mailbox.id, container_view(container, mailbox))

        async def delete_container(request: Request) -> Response:
            mailbox = self.access.check(request, kind, write=True)
            self.store.delete_container(mailbox, self._container(request, mailbox, kind))
            return Response(status_code=204)

        param = PARAM[kind]
        table: Table = [
            (f"/{collection}", "GET", list_containers),
            (f"/{collection}", "POST", create_container),
            (f"/{collection}/{{{param}}}", "GET", get_container),
            (f"/{collection}/{{{param}}}", "PATCH", update_container),
            (f"/{collection}/{{{param}}}", "DELETE", delete_container),
        ]
        if kind == CALENDAR:
            table += [("/calendar", "GET", get_container), ("/calendar", "PATCH", update_container)]
        return table

    def table(self) -> Table:
        return [
            ("", "GET", self.get_user),
            ("/mailboxSettings", "GET", self.get_mailbox_settings),
            *self.routes(CALENDAR, "calendars"),
            *self.routes("contacts", "contactFolders"),
        ]
